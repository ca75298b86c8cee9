"""The model: validated rows as typed DataFrames, plus the problems and what they excluded.

Only rows without errors enter the model's tables, so every total computed from them
automatically leaves error rows out; ``excluded`` and ``problems`` say what was left out and why.

One exception keeps every view in agreement: a partner or subproject code that a row defines
counts everywhere, even when that row has an error (an empty ``Naam``, an unknown ``Trekker``).
References to it were accepted, so the code must also be in every list, card, statement and
total — under its code when the name is missing — while its problem is shown.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP

import pandas as pd

from .load import ROW, read_tables
from .problems import ERROR, WARNING, problems_frame
from .sources import RawWorkbook, Source, SourceInfo, content_revision
from .money import HOUR_UNITS
from .parsing import normalize_code
from .validate import ERROR_COL, validate

# tab -> attribute name on Dataset
TABLE_ATTRS = {
    "Partners": "partners", "Deelprojecten": "subprojects", "Doelstellingen": "goals",
    "Acties": "actions", "Uren": "hours", "Begroting": "budget", "Uitgaven": "expenses",
    "Indicatoren": "indicators", "Metingen": "measurements", "Gebruikers": "users",
}
_DATE_FIELDS = ("date", "start", "deadline", "updated")
# tab -> the date that says when a row was written; kept for every row, error rows included,
# because the model's tables hold only valid rows and "new problems this week" needs the others.
ROW_DATE_FIELDS = {"Acties": "updated", "Uren": "date", "Uitgaven": "date", "Metingen": "date"}


@dataclass
class Dataset:
    partners: pd.DataFrame
    subprojects: pd.DataFrame
    goals: pd.DataFrame
    actions: pd.DataFrame
    hours: pd.DataFrame
    budget: pd.DataFrame
    expenses: pd.DataFrame
    indicators: pd.DataFrame
    measurements: pd.DataFrame
    users: pd.DataFrame
    problems: pd.DataFrame                      # one row per Problem
    excluded: dict[str, int]                    # tab -> rows kept out of totals
    row_counts: dict[str, int]                  # tab -> non-empty rows read
    info: SourceInfo
    # (tab, row, date) of every row read from ROW_DATE_FIELDS' tabs, error rows included
    row_dates: pd.DataFrame = field(default_factory=lambda: _row_dates({}))
    extra: dict = field(default_factory=dict)   # room for derived caches
    # statements.Ledger: the closed quarters from the history store (closing.with_ledger), or
    # None (no store at hand: every quarter is open)
    closes: object | None = None

    @property
    def years(self) -> list[int]:
        """Plan years, from the sheets (never from code)."""
        found = set(self.subprojects["year"]) | set(self.goals["year"])
        found |= set(self.hours["year"]) if len(self.hours) else set()
        return sorted(int(y) for y in found if pd.notna(y))

    @property
    def error_count(self) -> int:
        return int((self.problems["severity"] == ERROR).sum())

    @property
    def warning_count(self) -> int:
        return int((self.problems["severity"] == WARNING).sum())

    def table(self, tab: str) -> pd.DataFrame:
        return getattr(self, TABLE_ATTRS[tab])


# tab -> key fields of the codes it defines, which count even when their row has an error
DEFINING_KEYS = {"Partners": ["code"], "Deelprojecten": ["year", "code"]}


def kept_rows(tab: str, frame: pd.DataFrame) -> pd.Series:
    """Rows that enter the model: those without errors, and the first row defining each code of
    a DEFINING_KEYS tab (the row whose spelling the validator's registry took)."""
    keep = ~frame[ERROR_COL].astype(bool)
    if tab in DEFINING_KEYS and len(frame):
        keys = DEFINING_KEYS[tab]
        defined = frame[keys].notna().all(axis=1)
        # codes compare as the validator compares them: 'ATK' and 'atk ' are one code
        normalized = frame[keys].apply(lambda c: c.map(
            lambda v: normalize_code(v) if isinstance(v, str) else v))
        first = defined & ~normalized.duplicated(keep="first")
        keep |= first
    return keep


def _typed(tab: str, frame: pd.DataFrame) -> pd.DataFrame:
    df = frame[kept_rows(tab, frame)].drop(columns=[ERROR_COL]).reset_index(drop=True)
    for name in _DATE_FIELDS:
        if name in df:
            df[name] = pd.to_datetime(df[name].astype(object), errors="coerce")
    if "year" in df:
        df["year"] = pd.array(df["year"], dtype="Int64")
    df[ROW] = df[ROW].astype("int64")
    return _DERIVE.get(tab, lambda d: d)(df)


def _derive_hours(df: pd.DataFrame) -> pd.DataFrame:
    df["year"] = df["date"].dt.year.astype("Int64")
    df["quarter"] = df["date"].dt.quarter.astype("int64")
    df["units"] = df["units"].astype("int64")
    df["hours"] = df["units"] / HOUR_UNITS  # float, for display and charts only
    return df


def _derive_dated(df: pd.DataFrame) -> pd.DataFrame:
    df["year"] = df["date"].dt.year.astype("Int64")
    df["quarter"] = df["date"].dt.quarter.astype("int64")
    for money in ("amount",):
        if money in df:
            df[money] = pd.array(df[money], dtype="Int64")
    if "value" in df:
        df["value"] = df["value"].astype(float)
    return df


def _derive_budget(df: pd.DataFrame) -> pd.DataFrame:
    # The exact rate (a Decimal, as typed) is what pays; ``rate`` in cents is for display.
    df["rate_exact"] = df["rate"].astype(object)
    df["rate"] = [None if r is None or r != r else int(r.scaleb(2).to_integral_value(ROUND_HALF_UP))
                  for r in df["rate_exact"]]
    for name in ("hours_units", "rate", "amount", "computed_amount"):
        df[name] = pd.array(df[name], dtype="Int64")
    df["staff"] = df["staff"].astype(bool)
    # The budget of a Personeel line is H x r unless typed; a typed one that disagrees was warned.
    df["budget_amount"] = df["amount"].where(~df["staff"], df["computed_amount"])
    return df


def _derive_actions(df: pd.DataFrame) -> pd.DataFrame:
    df["progress"] = pd.to_numeric(df["progress"], errors="coerce")
    return df


def _derive_indicators(df: pd.DataFrame) -> pd.DataFrame:
    df["target"] = pd.to_numeric(df["target"].astype(object), errors="coerce")
    return df


def _derive_named(df: pd.DataFrame) -> pd.DataFrame:
    # A defining row kept despite its error may lack a name: show its code.
    df["name"] = df["name"].where(df["name"].notna(), df["code"])
    return df


_DERIVE = {
    "Partners": _derive_named, "Deelprojecten": _derive_named,
    "Uren": _derive_hours, "Uitgaven": _derive_dated, "Metingen": _derive_dated,
    "Begroting": _derive_budget, "Acties": _derive_actions, "Indicatoren": _derive_indicators,
}


def _row_dates(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    frames = [pd.DataFrame({"tab": tab, "row": tables[tab][ROW].astype("int64"),
                            "date": pd.to_datetime(tables[tab][name].astype(object),
                                                   errors="coerce")})
              for tab, name in ROW_DATE_FIELDS.items() if tab in tables]
    empty = pd.DataFrame({"tab": pd.Series(dtype=object), "row": pd.Series(dtype="int64"),
                          "date": pd.Series(dtype="datetime64[ns]")})
    return pd.concat([empty, *frames], ignore_index=True)


def build_dataset(raw: RawWorkbook) -> Dataset:
    raw_tables, problems = read_tables(raw)
    checked = validate(raw_tables, problems)
    tables = {TABLE_ATTRS[tab]: _typed(tab, frame) for tab, frame in checked.tables.items()}
    excluded = {tab: int((~kept_rows(tab, frame)).sum()) for tab, frame in checked.tables.items()}
    row_counts = {tab: len(frame) for tab, frame in checked.tables.items()}
    return Dataset(**tables, problems=problems_frame(checked.problems), excluded=excluded,
                   row_counts=row_counts, info=raw.info, row_dates=_row_dates(checked.tables))


def read_revised(source: Source) -> RawWorkbook:
    """Read the source; the workbook's info carries the content revision of what was read."""
    raw = source.read()
    if raw.info.revision is None:
        raw.info.revision = content_revision(raw.tabs)
    return raw


def load_dataset(source: Source) -> Dataset:
    """Read and build; the Dataset's info carries the content revision of what was read."""
    return build_dataset(read_revised(source))
