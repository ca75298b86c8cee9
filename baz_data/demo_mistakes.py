"""The planted mistakes and valid noise of the demo's last year, placed without overlapping.

Contract: ``_MISTAKES`` and ``_NOISE`` list (tab, description, plant) in a fixed order; each
plant changes or inserts rows of a :class:`_Plot` (the last year's rows, in place) and returns
the rows it touched, so :func:`baz_data.demo.build_demo` can say at which sheet rows they ended
up. ``DELIBERATE_MISTAKES`` and ``VALID_NOISE`` are the (tab, description) pairs the tests and
the data-quality page expect. The order of the plants is part of the contract (the empty row
comes last: it shifts rows).

Imports flow one way: demo_plan <- demo_rows <- demo_mistakes <- demo. Error policy: a plant
that finds no suitable row plants nothing (an empty list); the tests check every plant landed.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from itertools import islice
from typing import Callable

from .demo_plan import GOALS, HOUR_NOTES
from .demo_rows import DAY, DONE, RUNNING, Row, _staff

# --- Planted mistakes and noise (last year only) ---------------------------------------------

@dataclass
class _Plot:
    """The last year's rows, where mistakes and noise are planted without overlapping."""
    year: int
    until: dt.date
    tabs: dict[str, list[Row]]
    used: set[int]

    def pick(self, tab: str, at: float, where: Callable[[Row], bool] = bool, count: int = 1) -> list[Row]:
        """`count` unused rows satisfying `where`, searching from fraction `at` of the tab onwards."""
        rows = self.tabs[tab]
        start = int(len(rows) * at)
        found = list(islice((r for r in rows[start:] + rows[:start]
                             if id(r) not in self.used and r and where(r)), count))
        self.used.update(map(id, found))
        return found

    def insert_after(self, tab: str, anchor: Row, row: Row) -> list[Row]:
        rows = self.tabs[tab]
        rows.insert(next(i for i, r in enumerate(rows) if r is anchor) + 1, row)
        self.used.add(id(row))
        return [row]

    def action_ids(self, dp: str) -> list[str]:
        return [a["ID"] for a in self.tabs["Acties"] if GOALS.get(a["Doelstelling"], ("",))[0] == dp]


def _set(rows: list[Row], **values) -> list[Row]:
    for row in rows:
        row.update(values)
    return rows


def _has(column: str, value) -> Callable[[Row], bool]:
    return lambda row: row.get(column) == value


def _same_person_day_over_24(plot: _Plot) -> list[Row]:
    """Two rows of one person on one day, typed as 14 and 12 hours."""
    rows = plot.tabs["Uren"]
    start = int(len(rows) * 0.72)
    for a, b in zip(rows[start:], rows[start + 1:]):
        same = a["Datum"] == b["Datum"] and a["Medewerker"] == b["Medewerker"]
        if same and not plot.used & {id(a), id(b)}:
            plot.used |= {id(a), id(b)}
            return _set([a], Uren=14.0) + _set([b], Uren=12.0)
    return []


def _action_of_other_subproject(plot: _Plot) -> list[Row]:
    rows = plot.pick("Uren", 0.45, lambda r: r["Deelproject"] == "DP1" and r["Actie"])
    return _set(rows, Actie=plot.action_ids("DP3")[0])


def _duplicate_action_id(plot: _Plot) -> list[Row]:
    original = plot.pick("Acties", 0.45)[0]
    copy = {**original, "Actie": f"{original['Actie']} (tweede reeks)", "Lessons learned": None}
    return plot.insert_after("Acties", original, copy)


def _unknown_goal(plot: _Plot) -> list[Row]:
    actions = plot.tabs["Acties"]
    number = max(int(a["ID"].split("-")[1]) for a in actions) + 1
    row = {"ID": f"A{plot.year}-{number:02d}", "Doelstelling": "SD12",
           "Actie": f"Voorbereiding jaarplan {plot.year + 1}", "Trekker": "DOMO",
           "Verantwoordelijke": _staff("DOMO", plot.year)[0], "Start": plot.until - 20 * DAY,
           "Deadline": dt.date(plot.year, 12, 15), "Status": RUNNING, "Voortgang": 25,
           "Laatst bijgewerkt": plot.until - DAY}
    return plot.insert_after("Acties", actions[-1], row)


def _as_text_dates(rows: list[Row]) -> list[Row]:
    for row in rows:
        row["Datum"] = f"{row['Datum']:%d/%m/%Y}"
    return rows


def _notes(plot: _Plot) -> list[Row]:
    rows = [row for i in range(8) for row in plot.pick("Uren", 0.74 + i * 0.02)]
    for row, note in zip(rows, HOUR_NOTES):
        row["Notities"] = note
    return rows


def _empty_row(plot: _Plot) -> list[Row]:
    rows = plot.tabs["Uren"]
    return plot.insert_after("Uren", rows[len(rows) // 2], {}) if rows else []


Plant = Callable[[_Plot], list[Row]]
_MISTAKES: list[tuple[str, str, Plant]] = [
    ("Uren", "Partner code typo 'Magneta' for Magenta",
     lambda p: _set(p.pick("Uren", 0.08, _has("Partner", "Magenta")), Partner="Magneta")),
    ("Uren", "Impossible date typed as text '31/02/<year>'",
     lambda p: _set(p.pick("Uren", 0.1, lambda r: r["Datum"].month == 2 and r["Datum"].day >= 20),
                    Datum=f"31/02/{p.year}")),
    ("Uren", "Hours 25 on one row (2,5 typed without the comma)",
     lambda p: _set(p.pick("Uren", 0.16, _has("Uren", 2.5)), Uren=25)),
    ("Uren", "Hours typed as the word 'twee'",
     lambda p: _set(p.pick("Uren", 0.32, _has("Uren", 2.0)), Uren="twee")),
    ("Uren", "Action of subproject DP3 booked on a DP1 row", _action_of_other_subproject),
    ("Uren", "One person, one day, two rows of 14 and 12 hours (more than 24 h)",
     _same_person_day_over_24),
    ("Uren", "ATK hours on DP2, where ATK has no Personeel budget line",
     lambda p: _set(p.pick("Uren", 0.58, _has("Partner", "ATK"), count=3), Deelproject="DP2", Actie=None)),
    ("Acties", "Unknown status 'Klaar'",
     lambda p: _set(p.pick("Acties", 0.2, _has("Status", DONE)), Status="Klaar")),
    ("Acties", "Voortgang 120",
     lambda p: _set(p.pick("Acties", 0.6, _has("Status", DONE)), Voortgang=120)),
    ("Acties", "Duplicate action ID: a row was copied and its ID left unchanged", _duplicate_action_id),
    ("Acties", "Unknown goal 'SD12'", _unknown_goal),
    ("Metingen", "Measurement of unknown indicator 'I9999-01'",
     lambda p: _set(p.pick("Metingen", 0.5), Indicator="I9999-01")),
]
_NOISE: list[tuple[str, str, Plant]] = [
    ("Uren", "Partner code typed as 'magenta ' (lower case, trailing space)",
     lambda p: _set(p.pick("Uren", 0.27, _has("Partner", "Magenta"), count=2), Partner="magenta ")),
    ("Uren", "Hours typed as text with a decimal comma '1,5'",
     lambda p: _set(p.pick("Uren", 0.35, _has("Uren", 1.5), count=4), Uren="1,5")),
    ("Uren", "Hours typed as text with a decimal point '2.5'",
     lambda p: _set(p.pick("Uren", 0.52, _has("Uren", 2.5), count=2), Uren="2.5")),
    ("Uren", "Dates typed as text 'dd/mm/yyyy'",
     lambda p: _as_text_dates(p.pick("Uren", 0.66, count=4))),
    ("Uren", "Extra column 'Notities' added by partners; some rows carry a note", _notes),
    ("Uren", "An empty row in the middle of the sheet", _empty_row),  # last: it shifts rows
]
DELIBERATE_MISTAKES: list[tuple[str, str]] = [(tab, text) for tab, text, _ in _MISTAKES]
VALID_NOISE: list[tuple[str, str]] = [(tab, text) for tab, text, _ in _NOISE]

