"""The demo workbook: reproducible, true to the schema, telling a realistic story, readable back."""
from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict

import pytest

from baz_data.demo import (
    DELIBERATE_MISTAKES, EXTRA_COLUMNS, OVER_BUDGET, PARTNERS, UNDER_BUDGET_PARTNER, UNTIL, VALID_NOISE,
    _staff, build_demo, build_demo_tabs, generate, row_counts, write_workbook,
)
from baz_data.schema import AGGREGATIONS, DONE, CANCELLED, ROLES, STAFF_POST, STATUSES, TAB_NAMES, TABLES
from baz_data.sources import DEMO_WORKBOOK, WorkbookSource, trim_rows

YEAR = UNTIL.year


@pytest.fixture(scope="module")
def demo():
    return build_demo()


def records(tabs, tab, skip_rows=()):
    """Data rows as dicts keyed by sheet row number (header is row 1), empty rows left out."""
    header = tabs[tab][0]
    return {i + 1: dict(zip(header, row)) for i, row in enumerate(tabs[tab]) if i and row and i + 1 not in skip_rows}


def planted_rows(demo, tab):
    return {row for p in demo.mistakes + demo.noise if p.tab == tab for row in p.rows}


def numbers_as_floats(tabs):
    """What a spreadsheet gives back: every number a float."""
    return {tab: [[float(c) if isinstance(c, int) else c for c in row] for row in rows] for tab, rows in tabs.items()}


# --- Shape ---------------------------------------------------------------------------------

def test_same_arguments_give_the_same_tabs(demo):
    assert build_demo_tabs() == demo.tabs
    assert build_demo_tabs(seed=7) != demo.tabs


def test_leaves_the_global_random_state_alone():
    state = random.getstate()
    build_demo_tabs()
    assert random.getstate() == state


def test_headers_match_the_schema(demo):
    assert list(demo.tabs) == TAB_NAMES
    for tab in TAB_NAMES:
        assert demo.tabs[tab][0] == TABLES[tab].column_names + EXTRA_COLUMNS.get(tab, [])
    assert EXTRA_COLUMNS == {"Uren": ["Notities"]}


def test_one_year_has_sensible_counts(demo):
    counts = row_counts(demo.tabs)
    assert (counts["Partners"], counts["Deelprojecten"], counts["Doelstellingen"]) == (5, 3, 11)
    assert 11 * 3 <= counts["Acties"] <= 11 * 5 + 2  # plus the planted duplicate and SD12 rows
    assert 8_000 <= counts["Uren"] <= 12_000
    assert counts["Begroting"] == 12 + 9  # a Personeel line per (subproject, partner) + 3 posts x 3
    assert 20 <= counts["Uitgaven"] <= 60
    assert 11 <= counts["Indicatoren"] <= 21
    assert counts["Metingen"] >= counts["Indicatoren"]
    assert counts["Gebruikers"] == 20


def test_ten_years_give_order_100k_hour_rows_and_the_same_last_year(demo):
    tabs = build_demo_tabs(years=10)
    assert row_counts(tabs)["Uren"] >= 80_000
    assert {r["Jaar"] for r in records(tabs, "Deelprojecten").values()} == set(range(YEAR - 9, YEAR + 1))
    last_year = demo.tabs["Uren"][1:]
    assert tabs["Uren"][-len(last_year):] == last_year
    ids = [r["ID"] for r in records(tabs, "Acties").values()]
    assert len(ids) - len(set(ids)) == 1  # only the planted duplicate
    indicator_ids = [r["ID"] for r in records(tabs, "Indicatoren").values()]
    assert len(indicator_ids) == len(set(indicator_ids))


def test_rejects_impossible_arguments():
    with pytest.raises(ValueError):
        build_demo_tabs(years=0)
    with pytest.raises(ValueError):
        build_demo_tabs(until=dt.date(YEAR - 1, 12, 31))


# --- Story ---------------------------------------------------------------------------------

def test_actions_follow_their_dates(demo):
    actions = records(demo.tabs, "Acties", planted_rows(demo, "Acties"))
    for a in actions.values():
        assert a["Status"] in STATUSES and a["Start"] <= a["Deadline"] and a["Laatst bijgewerkt"] <= UNTIL
        assert a["Start"].year == YEAR and 0 <= a["Voortgang"] <= 100
        assert (a["Voortgang"] == 100) == (a["Status"] == DONE)
        assert (a["Status"] == "Gepland") == (a["Start"] > UNTIL)
    open_ = [a for a in actions.values() if a["Status"] not in (DONE, CANCELLED)]
    assert sum(a["Deadline"] < UNTIL for a in open_) >= 2  # overdue
    assert sum(UNTIL < a["Deadline"] <= UNTIL + dt.timedelta(weeks=4) for a in open_) >= 2  # due soon
    assert sum(UNTIL - a["Laatst bijgewerkt"] <= dt.timedelta(days=7) for a in actions.values()) >= 3
    assert any(a.get("Lessons learned") for a in actions.values() if a["Status"] == DONE)


def test_hours_are_plausible(demo):
    hours = records(demo.tabs, "Uren", planted_rows(demo, "Uren")).values()
    goal_of = {a["ID"]: a["Doelstelling"] for a in records(demo.tabs, "Acties").values()}
    subproject_of = {g["Code"]: g["Deelproject"] for g in records(demo.tabs, "Doelstellingen").values()}
    for h in hours:
        assert h["Datum"] <= UNTIL and h["Datum"].weekday() < 5
        assert 0.5 <= h["Uren"] <= 8 and (h["Uren"] * 4).is_integer()
        assert h["Medewerker"] in _staff(h["Partner"], YEAR)
        assert h.get("Actie") is None or subproject_of[goal_of[h["Actie"]]] == h["Deelproject"]
    assert 0.6 <= sum(bool(h.get("Actie")) for h in hours) / len(hours) <= 0.8
    assert any(UNTIL - h["Datum"] < dt.timedelta(days=7) for h in hours)


def test_budget_shows_overspending_and_underspending(demo):
    booked = defaultdict(float)
    for h in records(demo.tabs, "Uren", planted_rows(demo, "Uren")).values():
        booked[h["Deelproject"], h["Partner"]] += h["Uren"]
    lines = records(demo.tabs, "Begroting").values()
    staff_lines = [b for b in lines if b["Post"] == STAFF_POST]
    use = {(b["Deelproject"], b["Partner"]): booked[b["Deelproject"], b["Partner"]] / b["Uren"] for b in staff_lines}
    assert all(use[pair] > 1 for pair in OVER_BUDGET)
    assert all(ratio < 0.6 for (_, partner), ratio in use.items() if partner == UNDER_BUDGET_PARTNER)
    for b in staff_lines:
        assert 45 <= b["Uurtarief"] <= 52.5
        assert b.get("Bedrag") in (None, round(b["Uren"] * b["Uurtarief"], 2))
    assert all(b.get("Partner") is None and b.get("Uren") is None for b in lines if b["Post"] != STAFF_POST)
    posts = {(b["Deelproject"], b["Post"]) for b in lines}
    for e in records(demo.tabs, "Uitgaven").values():
        assert (e["Deelproject"], e["Post"]) in posts and e["Datum"] <= UNTIL
        assert e["Bedrag"] == round(e["Bedrag"], 2) > 0


def test_indicators_measurements_and_users(demo):
    indicators = records(demo.tabs, "Indicatoren").values()
    assert {i["Aggregatie"] for i in indicators} == set(AGGREGATIONS)
    known = {i["ID"] for i in indicators}
    for m in records(demo.tabs, "Metingen", planted_rows(demo, "Metingen")).values():
        assert m["Indicator"] in known and m["Datum"] <= UNTIL and m["Waarde"] >= 0
    users = records(demo.tabs, "Gebruikers").values()
    assert {u["Rol"] for u in users} == set(ROLES)
    assert all(u["E-mail"].endswith(".example.org") and u["Partner"] in PARTNERS for u in users)
    assert sum(u["Rol"] == "stuurgroep" for u in users) == 2 * len(PARTNERS)


# --- Planted mistakes and noise ------------------------------------------------------------

PLANTED_VALUES = {  # distinctive part of the description -> (column, the value typed)
    "Magneta": ("Partner", "Magneta"),
    "31/02": ("Datum", f"31/02/{YEAR}"),
    "Hours 25": ("Uren", 25),
    "'twee'": ("Uren", "twee"),
    "'Klaar'": ("Status", "Klaar"),
    "Voortgang 120": ("Voortgang", 120),
    "SD12": ("Doelstelling", "SD12"),
    "I9999-01": ("Indicator", "I9999-01"),
    "'magenta '": ("Partner", "magenta "),
    "'1,5'": ("Uren", "1,5"),
    "'2.5'": ("Uren", "2.5"),
}


def test_mistakes_are_documented_and_placed(demo):
    assert 10 <= len(DELIBERATE_MISTAKES) <= 15
    assert [(p.tab, p.description) for p in demo.mistakes] == DELIBERATE_MISTAKES
    assert [(p.tab, p.description) for p in demo.noise] == VALID_NOISE
    assert all(p.rows for p in demo.mistakes + demo.noise)


@pytest.mark.parametrize("key", PLANTED_VALUES)
def test_a_planted_value_sits_exactly_at_its_rows(demo, key):
    planted = next(p for p in demo.mistakes + demo.noise if key in p.description)
    column, value = PLANTED_VALUES[key]
    found = [row for row, r in records(demo.tabs, planted.tab).items() if r.get(column) == value]
    assert found == planted.rows


def test_the_other_mistakes_and_noise(demo):
    by_key = {key: p for p in demo.mistakes + demo.noise
              for key in ("DP3", "24 h", "no Personeel", "Duplicate", "as text 'dd", "Notities", "empty row")
              if key in p.description}
    hours = records(demo.tabs, "Uren")
    action_ids = [r["ID"] for r in records(demo.tabs, "Acties").values()]
    assert all(hours[row]["Deelproject"] == "DP1" and hours[row]["Actie"].startswith(f"A{YEAR}")
               for row in by_key["DP3"].rows)
    a, b = (hours[row] for row in by_key["24 h"].rows)
    assert (a["Datum"], a["Medewerker"]) == (b["Datum"], b["Medewerker"]) and a["Uren"] + b["Uren"] > 24
    assert all((hours[row]["Partner"], hours[row]["Deelproject"]) == ("ATK", "DP2") for row in by_key["no Personeel"].rows)
    duplicate = records(demo.tabs, "Acties")[by_key["Duplicate"].rows[0]]["ID"]
    assert action_ids.count(duplicate) == 2
    assert all(isinstance(hours[row]["Datum"], str) for row in by_key["as text 'dd"].rows)
    assert all(hours[row]["Notities"] for row in by_key["Notities"].rows)
    assert [demo.tabs["Uren"][row - 1] for row in by_key["empty row"].rows] == [[]]


def test_mistakes_go_into_the_last_year_only():
    # Years are generated independently, so the previous year alone (with its own plantings, which
    # only add rows) is at least as long as the first block of a two-year workbook.
    first_year_rows = row_counts(build_demo_tabs(years=1, last_year=YEAR - 1))
    two_years = build_demo(years=2)
    assert all(min(p.rows) > first_year_rows[p.tab] + 1 for p in two_years.mistakes + two_years.noise)


# --- Files ---------------------------------------------------------------------------------

def trimmed(tabs):
    """A workbook file's rows as Google would send them (trailing empty cells left out)."""
    return {name: trim_rows(rows) for name, rows in tabs.items()}


@pytest.mark.parametrize("suffix", [".xlsx", ".ods"])
def test_a_written_workbook_reads_back_the_same(tmp_path, demo, suffix):
    path = tmp_path / f"demo{suffix}"
    write_workbook(demo.tabs, path)
    assert trimmed(WorkbookSource(path).read().tabs) == numbers_as_floats(demo.tabs)
    again = tmp_path / f"again{suffix}"
    write_workbook(demo.tabs, again)
    assert again.read_bytes() == path.read_bytes()


def test_generate_writes_and_counts(tmp_path, demo):
    counts = generate(tmp_path / "sub" / "demo.xlsx")
    assert counts == row_counts(demo.tabs)
    assert len(WorkbookSource(tmp_path / "sub" / "demo.xlsx").read().tabs["Uren"]) == len(demo.tabs["Uren"])


def test_the_bundled_demo_workbook_is_up_to_date(demo):
    assert trimmed(WorkbookSource(DEMO_WORKBOOK).read().tabs) == numbers_as_floats(demo.tabs)
