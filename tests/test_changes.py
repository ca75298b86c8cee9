"""baz_data.changes (pure: two Datasets → what changed) and baz_data.changes_report (Dutch)."""
from __future__ import annotations

import datetime as dt

import pytest

from baz_data.access import Role, visible_dataset
from baz_data.changes import (ACTION_CHANGE_COLUMNS, ACTION_COLUMNS, ALARM_COLUMNS,
                              HOURS_ADDED_COLUMNS, TAB_CHANGE_COLUMNS, compare)
from baz_data.changes_report import (ACTION_CHANGE_HEADERS, HOURS_ADDED_HEADERS,
                                     TAB_CHANGE_HEADERS, changes_view)
from tests.conftest import base_tabs, dataset_of

SINCE, UNTIL = dt.datetime(2021, 11, 24), dt.datetime(2021, 12, 1, 17)
D = dt.date


def _edit(*steps):
    tabs = base_tabs()
    for step in steps:
        step(tabs)
    return tabs


def _changes(*steps, until=UNTIL):
    return compare(dataset_of(base_tabs()), dataset_of(_edit(*steps)), SINCE, until,
                   SINCE, until)


def test_frames_have_their_declared_columns():
    c = _changes(lambda t: t["Acties"][1].__setitem__(7, "Afgerond"))
    assert list(c.action_changes.columns) == ACTION_CHANGE_COLUMNS
    assert list(c.new_actions.columns) == list(c.removed_actions.columns) == ACTION_COLUMNS
    assert list(c.hours_added.columns) == HOURS_ADDED_COLUMNS
    assert list(c.tab_changes.columns) == TAB_CHANGE_COLUMNS
    assert list(c.alarms.columns) == ALARM_COLUMNS
    view = changes_view(c)
    assert list(view.action_changes.columns) == ACTION_CHANGE_HEADERS
    assert list(view.hours_added.columns) == HOURS_ADDED_HEADERS
    assert list(view.tab_changes.columns) == TAB_CHANGE_HEADERS


ACTION_CASES = [
    pytest.param(lambda t: t["Acties"][1].__setitem__(7, "Afgerond"),
                 [("A1", "status", "Lopend", "Afgerond")], id="status"),
    pytest.param(lambda t: t["Acties"][1].__setitem__(8, 75),
                 [("A1", "progress", 50.0, 75.0)], id="progress"),
    pytest.param(lambda t: t["Acties"][4].__setitem__(6, D(2021, 9, 1)),
                 [("A4", "deadline", D(2021, 7, 1), D(2021, 9, 1))], id="deadline"),
    pytest.param(lambda t: t["Acties"][5].__setitem__(4, "Eva"),
                 [("A5", "owner", "Dirk", "Eva")], id="responsible"),
    pytest.param(lambda t: t["Acties"][1].__setitem__(9, "Andere communicatie"), [],
                 id="other-field-is-not-an-action-change"),
]


@pytest.mark.parametrize("step, expected", ACTION_CASES)
def test_action_changes_old_to_new(step, expected):
    c = _changes(step)
    got = [(r.id, r.field, r.old, r.new) for r in c.action_changes.itertuples()]
    assert got == expected
    assert c.tab_changes.to_dict("records") == [{"tab": "Acties", "added": 0, "changed": 1,
                                                 "removed": 0}]


def test_new_and_removed_actions():
    def add(t):
        t["Acties"].append(["A6", "SD1", "Nieuw", "ATK", "An", None, None, "Gepland", None, None,
                            None, None, None])
    c = _changes(add, lambda t: t["Acties"].pop(4))
    assert c.new_actions["id"].tolist() == ["A6"] and c.removed_actions["id"].tolist() == ["A4"]


def test_hours_added_per_partner_and_person():
    """DOMO Cas +2 +1,5 uur (2 rows); ATK Bo +1 uur."""
    def add(t):
        t["Uren"] += [[D(2021, 11, 30), "DOMO", "Cas", "DP1", None, 2, None],
                      [D(2021, 11, 30), "DOMO", "Cas", "DP1", None, "1,5", None],
                      [D(2021, 11, 29), "ATK", "Bo", "DP1", None, 1, None]]
    c = _changes(add)
    assert c.hours_added.to_dict("records") == [
        {"partner": "ATK", "person": "Bo", "rows": 1, "units": 10_000},
        {"partner": "DOMO", "person": "Cas", "rows": 2, "units": 35_000}]
    assert c.alarms.empty


def test_an_edited_hour_row_is_one_removed_and_one_added():
    c = _changes(lambda t: t["Uren"][7].__setitem__(5, 7))   # DOMO 30/06: 6 → 7 uur
    assert c.tab_changes.to_dict("records") == [{"tab": "Uren", "added": 1, "changed": 0,
                                                 "removed": 1}]
    assert c.alarms.to_dict("records") == [{"tab": "Uren", "who": "DOMO", "month": "2021-06",
                                            "rows": 1, "units": 60_000}]


def test_deleted_rows_of_an_earlier_quarter_raise_the_alarm():
    """Deleting ATK's rows of 30/03 and 31/03 (4 + 3,5 = 7,5 uur) and DOMO's of 01/07 (1 uur):
    on 01/12 (Q4) both are of an earlier quarter; DOMO's row is also of July."""
    c = _changes(lambda t: t["Uren"].pop(8), lambda t: t["Uren"].pop(3), lambda t: t["Uren"].pop(2))
    view = changes_view(c)
    assert view.alarms == [
        "2 urenrijen van ATK uit maart 2021 verdwenen of gewijzigd sinds 24/11/2021 (7,5 uur)",
        "1 urenrij van DOMO uit juli 2021 verdwenen of gewijzigd sinds 24/11/2021 (1 uur)"]


def test_rows_of_the_current_quarter_are_no_alarm():
    c = _changes(lambda t: t["Uren"].pop(8), until=dt.datetime(2021, 7, 5))
    assert c.alarms.empty and c.tab_changes["removed"].tolist() == [1]


def test_a_partner_sees_only_its_own_hour_changes():
    def edit(t):
        t["Uren"].pop(8)       # DOMO
        t["Uren"].pop(2)       # ATK
        t["Uren"].append([D(2021, 11, 30), "DOMO", "Cas", "DP1", None, 2, None])
    atk = Role("an@example.org", "partner", "ATK")
    old = visible_dataset(dataset_of(base_tabs()), atk)
    new = visible_dataset(dataset_of(_edit(edit)), atk)
    c = compare(old, new, SINCE, UNTIL, SINCE, UNTIL)
    assert c.hours_added.empty
    assert set(c.alarms["who"]) == {"ATK"}


def test_no_change_is_nothing():
    c = _changes()
    assert c.nothing and changes_view(c).nothing
