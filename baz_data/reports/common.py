"""Small pieces shared by the page view-models of this package.

Contract: pure functions from metrics frames to report columns: :func:`action_table` (actions
under their Dutch headers with the rule-based progress), unit conversions (:func:`as_hours`,
:func:`as_percent`, :func:`ratio_percent`, :func:`as_dates`), :func:`sum_hours` (an exact sum of
display hours), the source label of every heading and download, and the tables more than one
page shows (:func:`monthly_rows`, :func:`indicator_rows`, :func:`with_notes`). Every figure comes
from a rule in metrics.py; nothing here decides what counts.

Error policy: nothing here raises for what the sheets contain; a share without a whole is NaN
(shown as '–'), an empty date is None.
"""
from __future__ import annotations

import datetime as dt

import pandas as pd

from .. import metrics
from ..formatting import fmt_datetime
from ..model import Dataset
from ..schema import ACTIES

_ACTION_HEADERS = {c.field: c.name for c in ACTIES.columns} | {
    "subproject": "Deelproject", "action_progress": "Voortgang", "overdue": "Te laat"}


def as_dates(series: pd.Series) -> pd.Series:
    """Timestamps -> datetime.date, NaT -> None (what fmt_date and openpyxl expect)."""
    return pd.Series([None if pd.isna(v) else v.date() for v in series], index=series.index,
                     dtype=object)


def as_percent(share) -> pd.Series | float:
    """A 0–1 share as a percentage."""
    return share * 100.0


def ratio_percent(part: pd.Series, whole: pd.Series) -> pd.Series:
    """part / whole as a percentage, NaN where there is no whole."""
    whole = whole.astype(float)
    return part.astype(float) / whole.where(whole > 0) * 100.0


def as_hours(units) -> pd.Series | float:
    return units / metrics.HOUR_UNITS


def sum_hours(hours: pd.Series) -> float:
    """The exact sum of display hours: back to integer units (1/10,000 h), summed, divided once."""
    units = (hours.astype(float) * metrics.HOUR_UNITS).round().astype("int64")
    return float(units.sum()) / metrics.HOUR_UNITS


def action_table(actions: pd.DataFrame, fields: list[str], peildatum: dt.date) -> pd.DataFrame:
    """Actions with the rule-based progress (Afgerond = 100 …), under their Dutch headers."""
    a = metrics.annotate_actions(actions, peildatum)
    out = a[fields].rename(columns=_ACTION_HEADERS)
    for header in ("Start", "Deadline", "Laatst bijgewerkt"):
        if header in out:
            out[header] = as_dates(out[header])
    return out.reset_index(drop=True)


def source_name(info) -> str:
    """Which source: 'Demodata (baz-demo.xlsx)', or the workbook's or spreadsheet's name."""
    return f"Demodata ({info.label})" if info.kind == "demo" else info.label


def source_label(ds: Dataset) -> str:
    """'Demodata (baz-demo.xlsx) · gegevens van 27/11/2026 14:02'."""
    return f"{source_name(ds.info)} · gegevens van {fmt_datetime(ds.info.fetched_at)}"


def staff_budget_by(ds: Dataset, year: int, by: str) -> pd.DataFrame:
    """The year's Personeel budget summed per ``by`` column: budget_units, budget_amount."""
    b = metrics.staff_budget(ds)
    b = b[b["year"] == year]
    return b.groupby(by).agg(budget_units=("hours_units", "sum"),
                             budget_amount=("budget_amount", "sum"))


def monthly_rows(ds: Dataset, year: int, last_month: int = 12) -> pd.DataFrame:
    """Maand (1st of the month), Deelproject, Uren of the months up to ``last_month``."""
    months = metrics.hours_by_month(ds, year)
    if months.empty:
        return pd.DataFrame({"Maand": pd.Series(dtype="datetime64[ns]"),
                             "Deelproject": pd.Series(dtype=object),
                             "Uren": pd.Series(dtype=float)})
    months = months[months["month"] <= last_month]
    return pd.DataFrame({"Maand": months["month_start"], "Deelproject": months["subproject"],
                         "Uren": months["hours"]}).reset_index(drop=True)


NOTE_FIELDS = ["communication", "effect", "lessons"]


def with_notes(actions: pd.DataFrame) -> pd.DataFrame:
    """The actions with any communication, effect measurement or lesson noted."""
    return actions[actions[NOTE_FIELDS].notna().any(axis=1)]


def indicator_rows(ind: pd.DataFrame) -> pd.DataFrame:
    """A metrics.indicator_status frame under its Dutch headers."""
    return pd.DataFrame({
        "ID": ind["id"], "Indicator": ind["name"], "Aggregatie": ind["aggregation"],
        "Streefwaarde": ind["target"], "Gerealiseerd": ind["realised"],
        "Realisatie": as_percent(ind["share"]),
        "Metingen": ind["measurements"]}).reset_index(drop=True)
