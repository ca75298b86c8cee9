"""A deterministic demo workbook: the BAZ year plan with actions, hours, budget and indicators.

The content follows the 2021 year plan (three subprojects, goals SD1-SD11) and repeats it for
every demo year. Each year draws from its own ``random.Random`` seeded from ``seed`` and the year,
so a year looks the same whatever number of years is generated, and the same arguments always
give the same rows and the same file bytes.

Only the last year holds planted problems: a dozen realistic typos (``DELIBERATE_MISTAKES``) and
some valid noise that the loader must accept (``VALID_NOISE``), so the data-quality page has
something to show. :func:`build_demo` says at which sheet rows they ended up.

This module is the public entry: the whole workbook (:func:`build_demo`, :func:`build_demo_tabs`,
:func:`generate`). The rest lives beside it, imports flowing one way: demo_plan.py (the
partnership and its year plan; hours and money) <- demo_rows.py (one year of rows) <-
demo_mistakes.py (planted mistakes and noise) <- demo.py; demo_files.py writes the xlsx/ods
bytes. The names other modules and tests import from here are re-exported (``__all__``).
Error policy: :func:`build_demo` raises ValueError for fewer than one year or an `until` before
`last_year`; the command line checks its arguments before.
"""
from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from .demo_files import Tabs, write_workbook
from .demo_mistakes import DELIBERATE_MISTAKES, VALID_NOISE, _MISTAKES, _NOISE, _Plot
from .demo_plan import OVER_BUDGET, PARTNERS, UNDER_BUDGET_PARTNER
from .demo_rows import Row, _build_year, _partners, _staff, _users, _Year
from .schema import TAB_NAMES, TABLES

__all__ = [
    "DELIBERATE_MISTAKES", "EXTRA_COLUMNS", "OVER_BUDGET", "PARTNERS", "UNDER_BUDGET_PARTNER",
    "UNTIL", "VALID_NOISE", "Demo", "Planted", "Tabs", "_staff", "build_demo", "build_demo_tabs",
    "generate", "row_counts", "write_workbook",
]

UNTIL = dt.date(2026, 11, 27)
EXTRA_COLUMNS = {"Uren": ["Notities"]}  # a column partners added themselves; the loader ignores it

# --- The whole workbook ---------------------------------------------------------------------

@dataclass
class Planted:
    tab: str
    description: str
    rows: list[int]  # sheet row numbers (the header is row 1)


@dataclass
class Demo:
    tabs: Tabs
    mistakes: list[Planted]  # in the order of DELIBERATE_MISTAKES
    noise: list[Planted]     # in the order of VALID_NOISE


def build_demo(years: int = 1, seed: int = 2021, last_year: int = 2026, until: dt.date = UNTIL) -> Demo:
    """The demo workbook plus where its planted mistakes and noise ended up."""
    if years < 1 or until < dt.date(last_year, 1, 1):
        raise ValueError("years must be at least 1 and `until` must fall in or after last_year")
    per_year = [_build_year(_Year(year, until, random.Random(seed * 10_000 + year)))
                for year in range(last_year - years + 1, last_year + 1)]
    plot = _Plot(last_year, until, per_year[-1], set())
    mistakes = [(tab, text, plant(plot)) for tab, text, plant in _MISTAKES]
    noise = [(tab, text, plant(plot)) for tab, text, plant in _NOISE]

    rows = {tab: [row for year_rows in per_year for row in year_rows.get(tab, [])] for tab in TAB_NAMES}
    rows["Partners"], rows["Gebruikers"] = _partners(), _users(last_year)
    sheet_row = {id(row): i + 2 for tab_rows in rows.values() for i, row in enumerate(tab_rows)}

    def located(items: list[tuple[str, str, list[Row]]]) -> list[Planted]:
        return [Planted(tab, text, [sheet_row[id(r)] for r in planted]) for tab, text, planted in items]

    return Demo({tab: _sheet(tab, tab_rows) for tab, tab_rows in rows.items()}, located(mistakes),
                located(noise))


def _sheet(tab: str, rows: list[Row]) -> list[list]:
    """Header plus one list per row, trailing empty cells dropped (as the sources return them)."""
    header = TABLES[tab].column_names + EXTRA_COLUMNS.get(tab, [])
    out = [header]
    for row in rows:
        cells = [row.get(name) for name in header]
        while cells and cells[-1] is None:
            cells.pop()
        out.append(cells)
    return out


def build_demo_tabs(years: int = 1, seed: int = 2021, last_year: int = 2026,
                    until: dt.date = UNTIL) -> Tabs:
    """Tab name -> rows; row 0 is the header row, row i is sheet row i + 1."""
    return build_demo(years, seed, last_year, until).tabs


def row_counts(tabs: Tabs) -> dict[str, int]:
    """Non-empty data rows per tab."""
    return {tab: sum(1 for row in rows[1:] if row) for tab, rows in tabs.items()}


def generate(out_path, years: int = 1, seed: int = 2021, last_year: int = 2026,
             until: dt.date = UNTIL) -> dict[str, int]:
    """Write the demo workbook to `out_path` (.xlsx or .ods); returns data rows per tab."""
    tabs = build_demo_tabs(years, seed, last_year, until)
    write_workbook(tabs, out_path)
    return row_counts(tabs)

