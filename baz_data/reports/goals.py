"""Doelstellingen: the tree of subprojects, goals, their actions, indicators and notes.

Contract: :func:`goals_tree` (Dataset, year, peildatum) -> :class:`GoalsTree`: per subproject
(in the order of the Deelprojecten tab) its goals, each with its actions (deadline order), its
indicators realised up to the peildatum, every measurement with the running Stand, and the
actions that noted communication, an effect measurement or a lesson.

Error policy: nothing here raises for what the sheets contain; a goal without actions has NaN
progress (shown as '–') and empty tables.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from .. import metrics
from ..model import Dataset
from .common import NOTE_FIELDS, action_table, as_dates, indicator_rows, with_notes

_TREE_ACTION_FIELDS = ["id", "title", "lead", "owner", "start", "deadline", "status",
                       "action_progress", "overdue", "communication", "effect", "lessons",
                       "updated"]
_TREE_NOTE_FIELDS = ["id", "title", *NOTE_FIELDS]


@dataclass
class GoalNode:
    code: str
    description: str | None
    progress: float              # % (NaN when the goal has no actions)
    actions_count: int
    done: int
    running: int
    overdue: int
    actions: pd.DataFrame        # ID, Actie, Trekker, Verantwoordelijke, Start, Deadline, Status,
    #                              Voortgang, Te laat (bool), Communicatie, Effectmeting,
    #                              Lessons learned, Laatst bijgewerkt
    indicators: pd.DataFrame     # ID, Indicator, Aggregatie, Streefwaarde, Gerealiseerd,
    #                              Realisatie, Metingen (realised up to the peildatum)
    measurements: pd.DataFrame   # ID, Indicator, Datum, Waarde, Stand, Streefwaarde, Opmerking
    #                              (Stand = realised after that measurement: running sum for
    #                              'som', the value for 'laatste'), in date order
    notes: pd.DataFrame          # ID, Actie, Communicatie, Effectmeting, Lessons learned of the
    #                              actions with any of the three (as in the quarter report)


@dataclass
class SubprojectNode:
    code: str
    name: str
    lead: str | None
    manager: str | None
    progress: float              # % (NaN when no goal has progress)
    actions_count: int
    done: int
    running: int
    overdue: int
    goals: list[GoalNode] = field(default_factory=list)


@dataclass
class GoalsTree:
    year: int
    peildatum: dt.date
    subprojects: list[SubprojectNode]

    @property
    def is_empty(self) -> bool:
        return not self.subprojects


def _measurement_rows(history: pd.DataFrame, indicators: pd.DataFrame) -> pd.DataFrame:
    names = indicators.set_index("id")["name"]
    return pd.DataFrame({
        "ID": history["indicator"], "Indicator": history["indicator"].map(names),
        "Datum": as_dates(history["date"]), "Waarde": history["value"],
        "Stand": history["realised"], "Streefwaarde": history["target"],
        "Opmerking": history["note"]}).reset_index(drop=True)


def goals_tree(ds: Dataset, year: int, peildatum: dt.date) -> GoalsTree:
    subs = metrics.subproject_progress(ds, year, peildatum)
    goals = metrics.goal_progress(ds, year, peildatum)
    actions = metrics.year_actions(ds, year).sort_values(["deadline", "id"], na_position="last")
    indicators = metrics.indicator_status(ds, year, peildatum)
    history = metrics.indicator_history(ds, year)
    by_goal = {g: frame for g, frame in actions.groupby("goal")}
    ind_by_goal = {g: frame for g, frame in indicators.groupby("goal")}
    hist_by_goal = {g: frame for g, frame in history.merge(
        indicators[["id", "goal"]], left_on="indicator", right_on="id").groupby("goal")}
    empty_actions = actions.iloc[0:0]
    nodes = []
    for s in subs.itertuples():
        goal_nodes = []
        for g in goals[goals["subproject"] == s.code].itertuples():
            ind = ind_by_goal.get(g.code, indicators.iloc[0:0])
            goal_actions = by_goal.get(g.code, empty_actions)
            goal_nodes.append(GoalNode(
                code=g.code, description=g.description, progress=float(g.progress),
                actions_count=int(g.actions), done=int(g.done), running=int(g.running),
                overdue=int(g.overdue),
                actions=action_table(goal_actions, _TREE_ACTION_FIELDS, peildatum),
                indicators=indicator_rows(ind),
                measurements=_measurement_rows(hist_by_goal.get(g.code, history.iloc[0:0]),
                                               indicators),
                notes=action_table(with_notes(goal_actions), _TREE_NOTE_FIELDS, peildatum)))
        nodes.append(SubprojectNode(
            code=s.code, name=s.name, lead=s.lead, manager=s.manager, progress=float(s.progress),
            actions_count=int(s.actions), done=int(s.done), running=int(s.running),
            overdue=int(s.overdue), goals=goal_nodes))
    return GoalsTree(year, peildatum, nodes)
