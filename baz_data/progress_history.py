"""Progress over time: per subproject and goal, the progress of each week as the history stored
it, and the plan's deadlines to mark on the line. Pure: states in, frames out.

``progress_by_week(states, year)`` takes (week end, Dataset as stored at the end of that week)
pairs and applies the same rules as today's figures (metrics.subproject_progress and
goal_progress at that week's end), so the last point equals what Overzicht shows.
``plan_deadlines(ds, year)`` lists the action deadlines of the year per subproject and goal.
``progress_view`` gives both with Dutch headers for charts. ``short_history`` is the rule for
when a chart is worth drawing (MIN_POINTS weekly points on some line): below it, the Dutch
sentence to show instead (the Overzicht, Doelstellingen and the quarterly PDF use it alike).

Error policy: none needed; no states give empty frames with the declared columns.
"""
from __future__ import annotations

import datetime as dt

import pandas as pd

from .formatting import fmt_date
from .metrics import goal_progress, subproject_progress, year_actions
from .model import Dataset

PROGRESS_COLUMNS = ["week_end", "level", "code", "progress"]
DEADLINE_COLUMNS = ["level", "code", "deadline", "action"]
SUBPROJECT, GOAL = "subproject", "goal"
# the tabs progress depends on: a snapshot is read and modelled with only these
PROGRESS_TABS = ("Partners", "Deelprojecten", "Doelstellingen", "Acties")
LEVEL_HEADERS = {SUBPROJECT: "Deelproject", GOAL: "Doelstelling"}
PROGRESS_HEADERS = ["Week", "Voortgang"]            # plus the level's header
MIN_POINTS = 2          # weekly points a line needs before it is drawn (one point is no line)
_COUNT_WORDS = {1: "één", 2: "twee", 3: "drie", 4: "vier"}
DEADLINE_HEADERS = ["Deadline", "Actie"]            # plus the level's header


def week_ends(year: int, upto: dt.date) -> list[dt.date]:
    """Every Sunday of ``year`` up to ``upto`` (and ``upto`` itself when it is no Sunday)."""
    day = dt.date(year, 1, 1)
    day += dt.timedelta(days=(6 - day.weekday()) % 7)
    last = min(upto, dt.date(year, 12, 31))
    out = []
    while day <= last:
        out.append(day)
        day += dt.timedelta(days=7)
    if last >= dt.date(year, 1, 1) and (not out or out[-1] != last):
        out.append(last)
    return out


def progress_by_week(states: list[tuple[dt.date, Dataset]], year: int) -> pd.DataFrame:
    frames = []
    for week_end, ds in states:
        subs = subproject_progress(ds, year, week_end)
        goals = goal_progress(ds, year, week_end)
        for level, frame in ((SUBPROJECT, subs), (GOAL, goals)):
            if len(frame):
                frames.append(pd.DataFrame({"week_end": pd.Timestamp(week_end), "level": level,
                                            "code": frame["code"].astype(str),
                                            "progress": frame["progress"].astype(float)}))
    if not frames:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in PROGRESS_COLUMNS})
    return pd.concat(frames, ignore_index=True)[PROGRESS_COLUMNS]


def plan_deadlines(ds: Dataset, year: int) -> pd.DataFrame:
    actions = year_actions(ds, year)
    actions = actions[actions["deadline"].notna()]
    frames = [pd.DataFrame({"level": level, "code": actions[field].astype(str),
                            "deadline": actions["deadline"], "action": actions["id"].astype(str)})
              for level, field in ((SUBPROJECT, "subproject"), (GOAL, "goal"))]
    return pd.concat(frames, ignore_index=True)[DEADLINE_COLUMNS]


def progress_view(progress: pd.DataFrame, deadlines: pd.DataFrame, level: str
                  ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(lines, deadlines) of one level with Dutch headers: Week, <level>, Voortgang; Deadline,
    <level>, Actie."""
    header = LEVEL_HEADERS[level]
    lines = progress[progress["level"] == level]
    lines = pd.DataFrame({"Week": lines["week_end"], header: lines["code"],
                          "Voortgang": lines["progress"]})
    marks = deadlines[deadlines["level"] == level]
    marks = pd.DataFrame({"Deadline": marks["deadline"], header: marks["code"],
                          "Actie": marks["action"]})
    return lines.reset_index(drop=True), marks.reset_index(drop=True)


def _weeks(n: int) -> str:
    return f"{_COUNT_WORDS.get(n, n)} {'week' if n == 1 else 'weken'}"


def short_history(lines: pd.DataFrame, level: str) -> str | None:
    """The Dutch sentence instead of an almost empty chart when no line of ``lines``
    (progress_view's, of ``level``) has MIN_POINTS weekly points yet; None when one has (draw
    it) and when there are no points at all (the caller says that the year has no state)."""
    if lines.empty:
        return None
    points = int(lines.groupby(LEVEL_HEADERS[level])["Week"].nunique().max())
    if points >= MIN_POINTS:
        return None
    first = pd.Timestamp(lines["Week"].min()).date()
    return (f"De geschiedenis telt nog maar {_weeks(points)} (vanaf {fmt_date(first)}): de lijn "
            f"verschijnt zodra er {_weeks(MIN_POINTS)} bewaard zijn.")
