"""Weekoverleg: one period (the last seven days or an ISO week) for the weekly meeting.

Contract: :func:`week_report` (Dataset, year, period, peildatum) -> :class:`WeekReport`: actions
due soon, te laat and updated in the period, hours per partner (every partner, 0 included) and
per person, and the problems of rows dated in the period. :func:`week_options` gives the
periods to choose from with their labels (:func:`week_label`).

Error policy: nothing here raises for what the sheets contain; a period without anything gives
empty tables and 0 hours.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from .. import metrics
from ..formatting import fmt_date
from ..model import Dataset
from .common import action_table, as_hours
from .data_quality import new_problems

_DUE_FIELDS = ["id", "title", "subproject", "goal", "lead", "owner", "deadline", "status",
               "action_progress"]
_UPDATED_FIELDS = ["id", "title", "subproject", "lead", "owner", "status", "action_progress",
                   "updated"]


@dataclass
class WeekReport:
    year: int                    # the plan year (for "te laat"; an ISO week's ISO year)
    period: int                  # metrics.LAST_SEVEN_DAYS or an ISO week number
    start: dt.date               # first day of the period (included)
    end: dt.date                 # last day of the period (included)
    peildatum: dt.date
    label: str                   # "Afgelopen week (25/11 – 01/12)", "Week 48 (23/11 – 29/11)"
    name: str                    # for sentences: "de afgelopen week", "week 48"
    due_start: dt.date           # deadlines "binnenkort": [due_start, due_end] (metrics.due_window)
    due_end: dt.date
    due: pd.DataFrame            # open actions due in that window, none of them te laat: ID,
    #                              Actie, Deelproject, Doelstelling, Trekker, Verantwoordelijke,
    #                              Deadline, Status, Voortgang
    overdue: pd.DataFrame        # ID, Actie, Deelproject, Doelstelling, Trekker, Verantwoordelijke,
    #                              Deadline, Dagen te laat, Status, Voortgang
    updated: pd.DataFrame        # ID, Actie, Deelproject, Trekker, Verantwoordelijke, Status,
    #                              Voortgang, Laatst bijgewerkt (newest first)
    hours_by_partner: pd.DataFrame  # Partner, Uren (every partner, 0 when none logged)
    hours_by_person: pd.DataFrame   # Partner, Medewerker, Uren
    new_problems: pd.DataFrame   # problem_table columns, for rows dated in the period
    total_hours: float

    @property
    def title(self) -> str:
        """'Weekoverleg — afgelopen week', 'Weekoverleg — week 48'."""
        return f"Weekoverleg — {self.name.removeprefix('de ')}"

    @property
    def due_help(self) -> str:
        return (f"Open acties met een deadline van {fmt_date(self.due_start)} tot en met "
                f"{fmt_date(self.due_end)}. Een deadline die voorbij is, staat bij Te laat.")


def _day_month(day: dt.date) -> str:
    return day.strftime("%d/%m")


def week_label(year: int, period: int, peildatum: dt.date) -> str:
    """'Afgelopen week (25/11 – 01/12)' or 'Week 48 (23/11 – 29/11)' (the year is in the sidebar)."""
    start, end = metrics.week_period_bounds(year, period, peildatum)
    what = "Afgelopen week" if period == metrics.LAST_SEVEN_DAYS else f"Week {period}"
    return f"{what} ({_day_month(start)} – {_day_month(end)})"


def week_options(year: int, peildatum: dt.date) -> dict[int, str]:
    """The Weekoverleg's choice, the default first (metrics.week_periods), with their labels."""
    return {period: week_label(year, period, peildatum)
            for period in metrics.week_periods(year, peildatum)}


def week_report(ds: Dataset, year: int, period: int, peildatum: dt.date) -> WeekReport:
    """The Weekoverleg of one period: metrics.LAST_SEVEN_DAYS (the default) or an ISO week."""
    start, end = metrics.week_period_bounds(year, period, peildatum)
    due_start, due_end = metrics.due_window(year, period, peildatum)
    due = action_table(metrics.due_between(ds, due_start, due_end), _DUE_FIELDS, peildatum)
    late = metrics.overdue_actions(ds, year, peildatum)
    overdue = action_table(late, _DUE_FIELDS, peildatum)
    overdue.insert(overdue.columns.get_loc("Deadline") + 1, "Dagen te laat",
                   (pd.Timestamp(peildatum) - late["deadline"]).dt.days.astype("int64"))
    updated = action_table(metrics.updated_between(ds, start, end), _UPDATED_FIELDS, peildatum)
    hours = metrics.hours_between(ds, start, end)
    by_person = pd.DataFrame({"Partner": hours["partner"], "Medewerker": hours["person"],
                              "Uren": hours["hours"]})
    # Every partner, also with 0: in the meeting "nothing logged yet" is worth seeing.
    sums = as_hours(hours.groupby("partner")["units"].sum())
    by_partner = pd.DataFrame({"Partner": ds.partners["code"].astype(object),
                               "Uren": ds.partners["code"].map(sums).fillna(0.0).astype(float)})
    name = "de afgelopen week" if period == metrics.LAST_SEVEN_DAYS else f"week {period}"
    return WeekReport(
        year=year, period=period, start=start, end=end, peildatum=peildatum,
        label=week_label(year, period, peildatum), name=name, due_start=due_start,
        due_end=due_end, due=due, overdue=overdue, updated=updated, hours_by_partner=by_partner,
        hours_by_person=by_person, new_problems=new_problems(ds, start, end),
        total_hours=float(hours["units"].sum()) / metrics.HOUR_UNITS)
