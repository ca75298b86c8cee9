"""baz_data.progress_history: the weeks a line has points for, and when a progress chart is worth
drawing (short_history: MIN_POINTS weekly points on some line)."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from baz_data.progress_history import MIN_POINTS, short_history, week_ends

D = dt.date


def _lines(points: dict[str, list[dt.date]], header: str = "Deelproject") -> pd.DataFrame:
    rows = [(pd.Timestamp(day), code, 50.0) for code, days in points.items() for day in days]
    return pd.DataFrame(rows, columns=["Week", header, "Voortgang"])


@pytest.mark.parametrize("year, upto, expected", [
    (2026, D(2026, 1, 4), [D(2026, 1, 4)]),                     # 04/01/2026 is the first Sunday
    (2026, D(2026, 1, 7), [D(2026, 1, 4), D(2026, 1, 7)]),      # plus the Wednesday itself
    (2026, D(2026, 1, 3), [D(2026, 1, 3)]),                     # before the first Sunday
    (2026, D(2025, 12, 31), []),                                # before the year
], ids=["first-sunday", "sunday-and-today", "before-first-sunday", "before-year"])
def test_week_ends(year, upto, expected):
    assert week_ends(year, upto) == expected


@pytest.mark.parametrize("points, expected", [
    ({}, None),                                                  # no state at all: not this rule
    ({"DP1": [D(2026, 11, 29)], "DP2": [D(2026, 11, 29)]},
     "De geschiedenis telt nog maar één week (vanaf 29/11/2026): de lijn verschijnt zodra er "
     "twee weken bewaard zijn."),
    ({"DP1": [D(2026, 11, 29), D(2026, 12, 2)]}, None),          # two points: a line
    ({"DP1": [D(2026, 11, 29), D(2026, 12, 2)], "DP2": [D(2026, 12, 2)]}, None),  # one line enough
], ids=["empty", "one-week", "two-weeks", "one-line-long-enough"])
def test_short_history(points, expected):
    """MIN_POINTS is 2: one weekly point per line is a sentence, two on some line a chart."""
    assert MIN_POINTS == 2
    assert short_history(_lines(points), "subproject") == expected


def test_short_history_of_goals_counts_per_goal():
    """Two goals with one point each on different weeks: still one point per line (the first
    week named is the earliest, 22/11/2026)."""
    lines = _lines({"D1": [D(2026, 11, 22)], "D2": [D(2026, 11, 29)]}, header="Doelstelling")
    assert short_history(lines, "goal") == (
        "De geschiedenis telt nog maar één week (vanaf 22/11/2026): de lijn verschijnt zodra er "
        "twee weken bewaard zijn.")
