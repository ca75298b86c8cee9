"""Column kinds of the report tables: how the values under a Dutch header are written.

Contract: every view-model frame (this package, evaluation.py) has Dutch headers and numeric
values; :func:`column_kind` says per header what a value is (MONEY in integer cents, HOURS as
float hours, PERCENT 0–100, DATE as ``datetime.date``, MONTH, COUNT, NUMBER, PLAIN identifiers
such as a year, or TEXT). :func:`formatted` / :func:`styled` write a frame the Belgian way for a
table on screen or in the PDF; the Excel export maps the same kinds to number formats. A header
without an explicit kind falls back to TEXT (tests/test_reports.py checks that no numeric column
of a view-model relies on that fallback).

Error policy: nothing here raises for what a cell holds. An empty value (None, NaN, NaT, NA) is
'–' (nothing in a TEXT column); a string under a numeric header (a problem's raw Waarde) is
written as it is; a boolean is 'ja' or '–'.
"""
from __future__ import annotations

import functools

import numpy as np
import pandas as pd

from ..formatting import fmt_date, fmt_money, fmt_month, fmt_number, fmt_percent

MONEY, HOURS, PERCENT, DATE, MONTH, COUNT, NUMBER, PLAIN, TEXT = (
    "money", "hours", "percent", "date", "month", "count", "number", "plain", "text")
_KINDS = {
    MONEY: ("Vergoed", "Budget", "Resterend", "Bedrag", "Uurtarief", "Besteed", "Vergoed kwartaal",
            "Vergoed cumulatief", "Besteed kwartaal", "Besteed cumulatief"),
    HOURS: ("Uren", "Vergoed uren", "Boven budget", "Uren kwartaal", "Uren cumulatief",
            "Budget uren", "Resterende uren"),
    PERCENT: ("Voortgang", "Budgetgebruik", "Verstreken", "Realisatie"),
    DATE: ("Start", "Deadline", "Laatst bijgewerkt", "Datum"),
    MONTH: ("Maand",),
    COUNT: ("Doelstellingen", "Acties", "Afgerond", "Lopend", "Gepland", "Uitgesteld",
            "Geannuleerd", "Te laat", "Totaal", "Metingen", "Dagen te laat"),
    NUMBER: ("Streefwaarde", "Gerealiseerd", "Waarde", "Stand"),
    PLAIN: ("Jaar", "Rij"),  # identifiers: 2026, not 2.026
}
COLUMN_KINDS: dict[str, str] = {header: kind for kind, headers in _KINDS.items()
                                for header in headers}
# Begrotingsevaluatie and the early warnings (baz_data/evaluation.py)
COLUMN_KINDS.update({
    "Prognose": MONEY, "Prognose laag": MONEY, "Prognose hoog": MONEY, "Verschil": MONEY,
    "Prognose uren": HOURS, "Prognose boven budget": HOURS, "Budget bereikt": DATE,
    "Ongebruikt": PERCENT,
})


def column_kind(header: str) -> str:
    return COLUMN_KINDS.get(header, TEXT)


def is_missing(value) -> bool:
    """None, NaN, NaT or NA (pandas uses all four for an empty cell)."""
    return value is None or (not isinstance(value, (str, list, tuple)) and bool(pd.isna(value)))


HOUR_DECIMALS = 2  # hours on screen and in the PDF: at most 1.234,56 (exact values stay in units)


def hour_decimals(frame: pd.DataFrame) -> int:
    """How many decimals the hours of one table get: as many as its most precise value needs
    (0, 1 or HOUR_DECIMALS), the same for every hours column, so '8' never stands above '887,75'."""
    needed = 0
    for col in frame.columns:
        if column_kind(col) != HOURS:
            continue
        values = pd.to_numeric(frame[col], errors="coerce").dropna().astype(float)
        for decimals in range(needed, HOUR_DECIMALS):
            if ((values * 10 ** decimals).round(HOUR_DECIMALS - decimals) % 1 != 0).any():
                needed = decimals + 1
    return needed


def format_value(header: str, value, hour_decimals: int | None = None) -> str:
    """One value of a report column, written as people in Belgium read it. Hours get exactly
    ``hour_decimals`` decimals (see :func:`hour_decimals`), or up to two when it is None."""
    kind = column_kind(header)
    if is_missing(value):
        return "" if kind == TEXT else "–"
    if isinstance(value, (bool, np.bool_)):
        return "ja" if value else "–"   # Te laat: WORDS.md
    if isinstance(value, str) or kind == TEXT:
        return str(value)  # also the raw text of a problem's Waarde
    if kind == MONEY:
        return fmt_money(int(value))
    if kind == HOURS:
        if hour_decimals is None:
            return fmt_number(float(value))
        return fmt_number(round(float(value), hour_decimals), hour_decimals, fixed=True)
    if kind == PERCENT:
        return fmt_percent(float(value))
    if kind == DATE:
        return fmt_date(value)
    if kind == MONTH:
        return fmt_month(value)
    if kind == COUNT:
        return fmt_number(int(value), 0)
    if kind == PLAIN:
        return str(int(value))
    return fmt_number(float(value))


def formatted(frame: pd.DataFrame) -> pd.DataFrame:
    """A report table as strings: '€ 1.234,50', '7,50', '38%', '30/06/2026'."""
    decimals = hour_decimals(frame)
    return pd.DataFrame({col: [format_value(col, v, decimals) for v in frame[col]]
                         for col in frame.columns}, index=frame.index, columns=frame.columns)


def styled(frame: pd.DataFrame):
    """A report table that keeps its values (so a grid sorts numbers and dates as such) and is
    displayed as :func:`formatted` writes it (a pandas Styler). A table too large for a Styler
    comes back as :func:`formatted` strings. A yes/no column becomes its words ('ja'/'–'): a
    grid would draw a boolean as a checkbox, whatever the Styler says."""
    if frame.size > pd.get_option("styler.render.max_elements"):
        return formatted(frame)
    flags = [col for col in frame.columns if frame[col].dtype == bool]
    if flags:
        frame = frame.assign(**{col: [format_value(col, v) for v in frame[col]] for col in flags})
    decimals = hour_decimals(frame)
    return frame.style.format({col: functools.partial(format_value, col, hour_decimals=decimals)
                               for col in frame.columns})
