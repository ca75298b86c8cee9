"""Statements of closed quarters: frozen lines, corrections, and the rules for closing.

Pure (no database): the history store (:mod:`baz_data.history.closes`) keeps what was frozen,
this module says what a quarter's statement is now.

* A statement line is (year, quarter, partner, subproject): hours, compensated and
  uncompensated hours (integer units of 1/10.000 h) and the amount (integer cents) of
  :func:`metrics.statement_lines` (chronological allocation, cumulative rounding).
* **Afsluiten** (closing) quarter q freezes its own lines AND the correction lines it carries
  (below), one frozen row each (:data:`FROZEN_COLUMNS`). After that the quarter's statement is
  those rows, whatever happens to the sheets.
* **The correction rule.** For a closed quarter q and a (partner, subproject), let L_q be the
  line the current sheets give (0 when there is none) and F_q everything already frozen FOR q:
  its own frozen line plus the corrections of q frozen in later closed quarters. Then
  ``correction_q = L_q − F_q`` (hours, compensated hours, uncompensated hours and amount).
  A non-zero correction appears in the FIRST OPEN quarter of that year as the line
  "correctie Qq" and is frozen with it when that quarter closes. So, per (partner,
  subproject), frozen lines + corrections + open lines always add up to the current lines,
  whose sum is the current exact year total rounded once (cumulative rounding telescopes):
  nobody is paid twice or too little, and nothing is rounded twice.
* **After the last close** (all four quarters closed) a correction has no open quarter to go
  to: it is shown on Q4 as "correctie Qq (na afsluiting)" (state ``after``) until Q4 is
  reopened and closed again, which freezes it. The year's totals include it.
* Quarters close in order within a year (Q2 needs Q1 closed); only the last closed quarter can
  be reopened (reopening Qn needs Qn+1.. open); a quarter closes only once it is over (the day
  after its last day, Belgian time). A reopened close stays in the audit list; its frozen rows
  no longer count.

Fixed column orders: :data:`FROZEN_COLUMNS` (the contract with the ``Afrekeningen`` tab),
:data:`CLOSE_COLUMNS`, :data:`AUDIT_COLUMNS`, :data:`STATEMENT_COLUMNS` (tested).

Error policy: a close or reopen that the rules refuse raises :class:`StatementError` with a
Dutch sentence that says what to do; nothing else here raises for what the sheets contain.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd

from . import metrics

FROZEN_COLUMNS = ["close_id", "year", "quarter", "partner", "subproject", "corrects", "units",
                  "comp_units", "uncomp_units", "amount", "closed_at", "closed_by"]
CLOSE_COLUMNS = ["close_id", "year", "quarter", "closed_at", "closed_by", "snapshot_id",
                 "reopened_at", "reopened_by", "reopen_reason"]
AUDIT_COLUMNS = ["audit_id", "at", "by", "action", "year", "quarter", "close_id", "reason"]
STATEMENT_COLUMNS = ["year", "quarter", "partner", "subproject", "corrects", "units",
                     "comp_units", "uncomp_units", "amount", "state", "close_id"]
FIGURES = ["units", "comp_units", "uncomp_units", "amount"]
_KEY = ["partner", "subproject"]

# STATEMENT_COLUMNS "state"
FROZEN, OPEN, PENDING, AFTER = "frozen", "open", "pending", "after"
# AUDIT_COLUMNS "action" (Dutch: shown as is)
CLOSED_ACTION, REOPENED_ACTION = "afgesloten", "heropend"
MAX_REASON = 500


class StatementError(Exception):
    """A close or reopen the rules refuse. The message is Dutch."""


def _empty(columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="object") for c in columns})


def optional_ints(values: pd.Series) -> pd.Series:
    """An int-or-None column (``corrects``) that pandas leaves as Python objects."""
    return pd.Series([None if pd.isna(v) else int(v) for v in values], index=values.index,
                     dtype=object)


def empty_frozen() -> pd.DataFrame:
    return _empty(FROZEN_COLUMNS)


@dataclass
class Ledger:
    """What the history store holds about closing: every close (reopened ones too), the frozen
    rows of the closes in force, and the audit list. ``revision`` grows with every close and
    reopen (the last audit id), so a figure derived from a ledger can be cached on it.
    ``load_snapshot`` (snapshot id -> Dataset) lets a closed quarter's report be built from the
    data as it was at its close; None where no store is at hand."""

    closes: pd.DataFrame = field(default_factory=lambda: _empty(CLOSE_COLUMNS))
    frozen: pd.DataFrame = field(default_factory=empty_frozen)
    audit: pd.DataFrame = field(default_factory=lambda: _empty(AUDIT_COLUMNS))
    revision: int = 0
    load_snapshot: Callable | None = None

    def active(self, year: int) -> pd.DataFrame:
        """The closes in force of ``year`` (not reopened), by quarter."""
        c = self.closes
        c = c[(c["year"] == year) & c["reopened_at"].isna()]
        return c.sort_values("quarter").reset_index(drop=True)

    def closed_quarters(self, year: int) -> list[int]:
        return [int(q) for q in self.active(year)["quarter"]]

    def close_of(self, year: int, quarter: int) -> dict | None:
        """The close in force of (year, quarter) as a dict of CLOSE_COLUMNS, or None."""
        found = self.active(year)
        found = found[found["quarter"] == quarter]
        return None if found.empty else found.iloc[0].to_dict()

    def frozen_of(self, year: int) -> pd.DataFrame:
        return self.frozen[self.frozen["year"] == year].reset_index(drop=True)

    def for_partner(self, partner: str, visible: Callable | None = None) -> "Ledger":
        """The part a partner may see: its own frozen rows, the closes without who closed
        or reopened them and why, no audit list (stuurgroep e-mail addresses and reasons);
        ``visible`` (Dataset -> Dataset) filters a closed quarter's snapshot the same way."""
        closes = self.closes.copy()
        for column in ("closed_by", "reopened_by", "reopen_reason"):
            closes[column] = None
        frozen = self.frozen[self.frozen["partner"].astype(str).str.casefold()
                             == str(partner).casefold()].copy()
        frozen["closed_by"] = None
        loader = self.load_snapshot
        if loader is not None and visible is not None:
            loader = (lambda sid, _load=loader: visible(_load(sid)))
        return dataclasses.replace(self, closes=closes, frozen=frozen.reset_index(drop=True),
                                   audit=_empty(AUDIT_COLUMNS), load_snapshot=loader)


def first_open(closed: list[int]) -> int | None:
    """The first quarter of the year that is not closed (None: all four are)."""
    return next((q for q in range(1, 5) if q not in closed), None)


def next_to_close(ledger: Ledger, year: int) -> int | None:
    return first_open(ledger.closed_quarters(year))


def last_closed(ledger: Ledger, year: int) -> int | None:
    closed = ledger.closed_quarters(year)
    return max(closed) if closed else None


# -- the rules of closing and reopening ---------------------------------------------------------
def check_close(ledger: Ledger, year: int, quarter: int, today: dt.date) -> None:
    """Refuse (StatementError, Dutch) a close the rules do not allow."""
    if quarter not in (1, 2, 3, 4):
        raise StatementError(f"Kwartaal {quarter} bestaat niet: kies 1, 2, 3 of 4.")
    closed = ledger.closed_quarters(year)
    if quarter in closed:
        raise StatementError(f"Q{quarter} {year} is al afgesloten. Heropen het eerst als de "
                             "cijfers opnieuw vastgelegd moeten worden.")
    wanted = first_open(closed)
    if quarter != wanted:
        raise StatementError(f"Kwartalen worden in volgorde afgesloten: sluit eerst Q{wanted} "
                             f"{year} af.")
    end = metrics.quarter_bounds(year, quarter)[1]
    if today <= end:
        raise StatementError(f"Q{quarter} {year} loopt tot en met {end:%d/%m/%Y}: je kunt het "
                             f"afsluiten vanaf {end + dt.timedelta(days=1):%d/%m/%Y}.")


def check_reopen(ledger: Ledger, year: int, quarter: int, reason: str | None) -> str:
    """Refuse (StatementError, Dutch) a reopen the rules do not allow; the cleaned reason."""
    reason = " ".join(str(reason or "").split())
    closed = ledger.closed_quarters(year)
    if quarter not in closed:
        raise StatementError(f"Q{quarter} {year} is niet afgesloten: er valt niets te heropenen.")
    later = [q for q in closed if q > quarter]
    if later:
        raise StatementError(f"Heropen eerst Q{max(later)} {year}: een kwartaal kan pas heropend "
                             "worden als de kwartalen erna open zijn.")
    if not reason:
        raise StatementError("Geef een reden op: waarom wordt het kwartaal heropend? Ze komt in "
                             "de lijst van afsluitingen.")
    if len(reason) > MAX_REASON:
        raise StatementError(f"De reden is te lang ({len(reason)} tekens): hoogstens "
                             f"{MAX_REASON}.")
    return reason


# -- statements ---------------------------------------------------------------------------------
def current_lines(allocated: pd.DataFrame, year: int) -> pd.DataFrame:
    """The lines the current sheets give (metrics.statement_lines) for ``year``: partner,
    subproject, quarter and FIGURES, int64."""
    lines = metrics.statement_lines(allocated)
    lines = lines[lines["year"] == year]
    out = lines[["partner", "subproject", "quarter"] + FIGURES].copy()
    out["quarter"] = out["quarter"].astype("int64")
    for col in FIGURES:
        out[col] = out[col].astype("int64")
    return out.reset_index(drop=True)


def _sums(frame: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    if frame.empty:
        return pd.DataFrame(columns=by + FIGURES).set_index(by)
    f = frame[by + FIGURES].copy()
    for col in FIGURES:
        f[col] = f[col].astype("int64")
    return f.groupby(by).sum()


def corrections(current: pd.DataFrame, frozen: pd.DataFrame, closed: list[int]) -> pd.DataFrame:
    """The non-zero corrections of the closed quarters (module docstring): partner,
    subproject, corrects (the closed quarter) and FIGURES = L_q − F_q."""
    rows = []
    for q in sorted(closed):
        now = _sums(current[current["quarter"] == q], _KEY)
        corrects = frozen["corrects"].where(frozen["corrects"].notna(), frozen["quarter"])
        held = _sums(frozen[corrects.astype("int64") == q] if len(frozen) else frozen, _KEY)
        diff = now.reindex(now.index.union(held.index), fill_value=0).sub(
            held.reindex(now.index.union(held.index), fill_value=0), fill_value=0)
        diff = diff[(diff[FIGURES] != 0).any(axis=1)]
        for (partner, subproject), r in diff.iterrows():
            rows.append({"partner": partner, "subproject": subproject, "corrects": q,
                         **{c: int(r[c]) for c in FIGURES}})
    out = pd.DataFrame(rows, columns=_KEY + ["corrects"] + FIGURES)
    return out.sort_values(_KEY + ["corrects"]).reset_index(drop=True) if rows else out


def statement(allocated: pd.DataFrame, ledger: Ledger | None, year: int) -> pd.DataFrame:
    """Every statement line of ``year`` now (STATEMENT_COLUMNS), by quarter:

    * a closed quarter: its frozen rows (state ``frozen``: its own lines, ``corrects`` None,
      and the corrections it carried);
    * an open quarter: the current lines (state ``open``), and on the FIRST open quarter the
      pending corrections (state ``pending``, ``corrects`` = the closed quarter);
    * all four closed: pending corrections on Q4 with state ``after`` ("na afsluiting").
    """
    ledger = ledger or Ledger()
    closed = ledger.closed_quarters(year)
    current = current_lines(allocated, year)
    frozen = ledger.frozen_of(year)
    parts = []
    if len(frozen):
        f = frozen.copy()
        f["state"] = FROZEN
        parts.append(f)
    own = current[~current["quarter"].isin(closed)].copy()
    own["corrects"], own["state"], own["close_id"], own["year"] = None, OPEN, None, year
    parts.append(own)
    pending = corrections(current, frozen, closed)
    if len(pending):
        target = first_open(closed)
        pending["quarter"] = target or 4
        pending["state"] = PENDING if target else AFTER
        pending["close_id"], pending["year"] = None, year
        parts.append(pending)
    out = pd.concat([p[STATEMENT_COLUMNS] for p in parts if len(p)], ignore_index=True) \
        if any(len(p) for p in parts) else _empty(STATEMENT_COLUMNS)
    out = out.astype({"year": "int64", "quarter": "int64"} | {c: "int64" for c in FIGURES})
    out["corrects"] = optional_ints(out["corrects"])
    order = out.assign(_c=[0 if c is None else c for c in out["corrects"]])
    order = order.sort_values(["quarter", "_c", "partner", "subproject"], kind="stable")
    return order.drop(columns="_c").reset_index(drop=True)[STATEMENT_COLUMNS]


def lines_to_freeze(allocated: pd.DataFrame, ledger: Ledger | None, year: int,
                    quarter: int) -> pd.DataFrame:
    """What closing ``quarter`` freezes now: its own current lines and the pending corrections
    it carries, as FROZEN_COLUMNS (close_id, closed_at, closed_by still None: the store fills
    them in). Call after :func:`check_close` (``quarter`` is then the first open one)."""
    lines = statement(allocated, ledger, year)
    mine = lines[(lines["quarter"] == quarter) & lines["state"].isin([OPEN, PENDING])].copy()
    mine["close_id"], mine["closed_at"], mine["closed_by"] = None, None, None
    mine = mine[FROZEN_COLUMNS].reset_index(drop=True)
    mine["corrects"] = optional_ints(mine["corrects"])
    return mine


def correction_label(corrects: int | None, state: str) -> str:
    """'' for a quarter's own line, 'correctie Q1', or 'correctie Q1 (na afsluiting)'."""
    if corrects is None or pd.isna(corrects):
        return ""
    return f"correctie Q{int(corrects)}" + (" (na afsluiting)" if state == AFTER else "")


def later_corrections(lines: pd.DataFrame, quarter: int) -> pd.DataFrame:
    """The corrections of ``quarter`` that came after its close (frozen in a later quarter, or
    pending): what the closed quarter's report gives notice of."""
    c = lines[(lines["corrects"] == quarter) & (lines["quarter"] > quarter)]
    return c.reset_index(drop=True)


def closed_at_text(close: dict, with_who: bool = True) -> str:
    """'afgesloten op 06/04/2021 om 10:15 door els@example.org' (without who for a partner)."""
    at = pd.Timestamp(close["closed_at"])
    text = f"afgesloten op {at:%d/%m/%Y} om {at:%H:%M}"
    who = close.get("closed_by")
    return text + (f" door {who}" if with_who and isinstance(who, str) and who else "")
