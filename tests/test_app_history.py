"""The history in the app (AppTest): every load is remembered, Weekoverleg's "Wat veranderde"
with the deletion alarm, "Zoals op" in the sidebar, and an unavailable store (live data, notice).

History is generated for the demo: an older state with 14 extra DOMO hour rows of March and
another status for the first action, stored on the Sunday before week 20; the demo itself
stored on the Wednesday of week 20.
"""
from __future__ import annotations

import copy
import datetime as dt

import pytest
from streamlit.testing.v1 import AppTest

from baz_data.history.source import changes_between
from baz_data.history.store import HistoryStore
from baz_data.metrics import summary
from baz_data.model import build_dataset
from baz_data.sources import demo_source
from tests.app_support import APP, demo, isolated, page, start  # noqa: F401  (fixtures)

WEEK = 20


@pytest.fixture
def history(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'history.sqlite3'}"
    monkeypatch.setenv("BAZ_HISTORY", url)
    return url


def _older(raw, year: int):
    old = copy.deepcopy(raw)
    uren = old.tabs["Uren"]
    width = len(uren[0])
    for day in range(2, 16):
        row = [dt.datetime(year, 3, day), "DOMO", "Testpersoon", "DP1", None, 2.0,
               "per ongeluk gewist"]
        uren.append((row + [None] * width)[:width])
    acties = old.tabs["Acties"]
    status = [str(h) for h in acties[0]].index("Status")
    acties[1][status] = "Gepland" if acties[1][status] != "Gepland" else "Lopend"
    return old


def _seed(url: str):
    """(store, year, monday of WEEK, the older raw) with two snapshots around that Monday."""
    raw = demo_source().read()
    year = build_dataset(raw).years[-1]
    monday = dt.date.fromisocalendar(year, WEEK, 1)
    store = HistoryStore(url)
    older = _older(raw, year)
    store.record(older, dt.datetime.combine(monday - dt.timedelta(days=1), dt.time(12)))
    store.record(raw, dt.datetime.combine(monday + dt.timedelta(days=2), dt.time(12)))
    return store, year, monday, older


def test_every_load_is_remembered_once(history):
    at = start()
    store = HistoryStore(history)
    assert [s.source_kind for s in store.snapshots()] == ["demo"]
    at.switch_page(page("weekoverleg")).run()
    assert not at.exception
    assert len(store.snapshots()) == 1


def test_weekoverleg_shows_what_changed_with_the_deletion_alarm(history):
    store, year, monday, _ = _seed(history)
    at = start("weekoverleg")
    at.sidebar.selectbox(key="baz_year").set_value(year).run()
    at.selectbox(key="week").set_value(WEEK).run()
    assert not at.exception, at.exception
    assert "Wat veranderde" in [s.value for s in at.subheader]
    sunday = monday - dt.timedelta(days=1)
    alarms = [e.value.replace("\\", "") for e in at.error]  # shown escaped
    assert f"14 urenrijen van DOMO uit maart {year} verdwenen of gewijzigd sinds " \
           f"{sunday:%d/%m/%Y} (28 uur)" in alarms
    expected = changes_between(store, dt.datetime.combine(monday, dt.time()),
                               dt.datetime.combine(monday + dt.timedelta(days=6), dt.time.max))
    assert expected.action_changes["field"].tolist() == ["status"]
    shown = [df.value for df in at.dataframe]
    assert any(list(d.columns) == ["ID", "Actie", "Wat", "Was", "Nu"]
               and d["Was"].tolist() == expected.action_changes["old"].tolist() for d in shown)
    assert any(list(d.columns) == ["Tabblad", "Nieuw", "Gewijzigd", "Weg"]
               and d.to_dict("records") == [{"Tabblad": "Acties", "Nieuw": 0, "Gewijzigd": 1,
                                             "Weg": 0},
                                            {"Tabblad": "Uren", "Nieuw": 0, "Gewijzigd": 0,
                                             "Weg": 14}] for d in shown)


def test_the_deletion_alarm_is_the_first_thing_under_the_title(history):
    """14 DOMO hour rows of March (an earlier quarter than week 20) are gone between the two
    snapshots: the alarm is the page's first st.error, drawn after the title and before the
    first metric; "Wat veranderde" stays at the end and does not repeat it (one alarm)."""
    _, year, monday, _ = _seed(history)
    at = start("weekoverleg")
    at.sidebar.selectbox(key="baz_year").set_value(year).run()
    at.selectbox(key="week").set_value(WEEK).run()
    assert not at.exception, at.exception
    order = [(n.type, getattr(n, "value", None)) for n in at.main
             if getattr(n, "type", None) in ("title", "error", "metric", "subheader")]
    kinds = [k for k, _ in order]
    first_error = kinds.index("error")
    assert kinds.index("title") < first_error < kinds.index("metric"), kinds
    assert order[first_error][1].replace("\\", "").startswith(f"14 urenrijen van DOMO uit maart {year}")
    assert kinds.count("error") == 1, kinds
    assert order[-1] == ("subheader", "Wat veranderde")
    assert any("Het alarm over verdwenen rijen staat bovenaan de pagina." in c.value
               for c in at.caption)


def test_a_week_before_history_says_when_it_starts(history):
    _, year, monday, _ = _seed(history)
    at = start("weekoverleg")
    at.sidebar.selectbox(key="baz_year").set_value(year).run()
    at.selectbox(key="week").set_value(WEEK - 2).run()
    assert not at.exception, at.exception
    sunday = monday - dt.timedelta(days=1)
    assert any(f"De geschiedenis begint op {sunday:%d/%m/%Y} 12:00" in i.value.replace("\\", "")
               for i in at.info)


def test_zoals_op_shows_the_stored_past_and_back(history):
    _, year, monday, older = _seed(history)
    at = start()
    at.sidebar.selectbox(key="baz_year").set_value(year).run()
    live_hours = [m.value for m in at.metric if m.label == "Uren"]
    sunday = monday - dt.timedelta(days=1)
    at.sidebar.date_input(key="baz_as_of").set_value(sunday).run()
    assert not at.exception, at.exception
    assert any(i.value.startswith(f"**Zoals op {sunday:%d/%m/%Y}**") for i in at.info)
    from baz_data.formatting import fmt_hours
    past = summary(build_dataset(older), year)
    past_hours = fmt_hours(sum(p["hours"] for p in past["partners"]))
    assert [m.value for m in at.metric if m.label == "Uren"][0] == past_hours
    assert past_hours != live_hours[0]
    at.sidebar.date_input(key="baz_as_of").set_value(None).run()
    assert [m.value for m in at.metric if m.label == "Uren"] == live_hours
    assert not any("Zoals op" in i.value for i in at.info)


def test_zoals_op_moves_the_peildatum_of_every_page(history):
    """"Zoals op" the Sunday before week 20: that day is the peildatum in the headings of
    Overzicht and Weekoverleg (whose default week is then the 7 days up to it); a peildatum
    picked earlier stays; clearing "Zoals op" gives back the default of today."""
    from baz_data.metrics import default_peildatum

    _, year, monday, _ = _seed(history)
    sunday = monday - dt.timedelta(days=1)
    at = start()
    at.sidebar.selectbox(key="baz_year").set_value(year).run()
    today_default = default_peildatum(year)
    assert f"peildatum {today_default:%d/%m/%Y}" in at.caption[0].value
    at.sidebar.date_input(key="baz_as_of").set_value(sunday).run()
    assert not at.exception, at.exception
    assert at.session_state["baz_peildatum"] == sunday
    assert at.caption[0].value.startswith(f"Jaar {year} · peildatum {sunday:%d/%m/%Y}")
    at.sidebar.date_input(key="baz_as_of").set_value(None).run()
    assert at.session_state["baz_peildatum"] == today_default
    at.sidebar.date_input(key="baz_as_of").set_value(sunday).run()
    at.switch_page(page("weekoverleg")).run()
    assert not at.exception, at.exception
    assert at.caption[0].value.endswith(f"te laat op peildatum {sunday:%d/%m/%Y}")
    earlier = sunday - dt.timedelta(days=20)
    at.sidebar.date_input(key="baz_peildatum").set_value(earlier).run()
    assert at.caption[0].value.endswith(f"te laat op peildatum {earlier:%d/%m/%Y}")
    at.sidebar.date_input(key="baz_as_of").set_value(None).run()
    assert at.session_state["baz_peildatum"] == earlier      # the user's own choice stays


def test_an_unavailable_store_keeps_the_live_data_with_a_notice(monkeypatch):
    monkeypatch.setenv("BAZ_HISTORY", "postgresql+psycopg://baz:geheim@127.0.0.1:1/baz")
    at = start("weekoverleg")
    notices = [w.value.replace("\\", "").replace("\u2060", "") for w in at.warning]
    assert any("De geschiedenis (postgresql+psycopg://baz:***@127.0.0.1:1/baz) kon niet geopend "
               "worden" in n for n in notices), notices
    assert not any("geheim" in n for n in notices)
    assert at.title[0].value.startswith("Weekoverleg")
    assert any("geschiedenis is niet beschikbaar" in i.value.replace("\\", "") for i in at.info)


def test_zoals_op_for_a_partner_leaks_nothing_of_other_partners(history, demo):
    """The leak scan of test_app_access over "Zoals op": the stored past is filtered for the
    partner like the live data, also a person of another partner who only exists in the past."""
    from tests.test_app_access import (PARTNER, PARTNER_EMAIL, assert_no_leak, auth_section,
                                       money_of_others, others_of, run_as, sent, switch,
                                       write_secrets)

    write_secrets(auth_section())
    raw = demo_source().read()
    year = build_dataset(raw).years[-1]
    older = _older(raw, year)
    width = len(older.tabs["Uren"][0])
    older.tabs["Uren"].append(([dt.datetime(year, 3, 3), "ATK", "Geheime Collega Van ATK",
                                "DP1", None, 3.0, "alleen in het verleden"] + [None] * width)[:width])
    store = HistoryStore(history)
    day = dt.date(year, 5, 10)
    store.record(older, dt.datetime.combine(day, dt.time(12)))
    at = run_as(PARTNER_EMAIL)
    others = others_of(demo, PARTNER)
    forbidden = others["people"] | others["names"] | money_of_others(demo, PARTNER, year)
    forbidden |= {"Geheime Collega Van ATK"}
    at.sidebar.date_input(key="baz_as_of").set_value(day).run()
    assert not at.exception, at.exception
    assert any("Zoals op" in i.value for i in at.info)
    assert_no_leak(sent(at), forbidden, "overzicht zoals op")
    switch(at, "uren_per_partner")
    assert any("Zoals op" in i.value for i in at.info)
    assert_no_leak(sent(at), forbidden, "uren per partner zoals op")


@pytest.mark.parametrize("name, level", [("overzicht", "subproject"),
                                         ("doelstellingen", "goal")])
def test_progress_lines_from_the_history(history, name, level):
    """The chart's points are progress_by_week of the stored states: two snapshots, so the
    weeks from the Sunday before week 20 on; the last point is today's progress."""
    from baz_data.history.source import progress_states
    from baz_data.progress_history import progress_by_week, progress_view, plan_deadlines

    store, year, monday, _ = _seed(history)
    at = start(name)
    at.sidebar.selectbox(key="baz_year").set_value(year).run()
    assert not at.exception, at.exception
    assert "Voortgang over de tijd" in [s.value for s in at.subheader]
    peildatum = at.session_state["baz_peildatum"]
    expected, _ = progress_view(progress_by_week(progress_states(store, year, peildatum), year),
                                plan_deadlines(build_dataset(demo_source().read()), year), level)
    assert len(expected) and expected["Week"].min().date() == monday - dt.timedelta(days=1)
    charts = at.get("arrow_vega_lite_chart") or at.get("vega_lite_chart")
    specs = [c.proto.spec for c in charts]
    assert any("Voortgang per week" in s for s in specs)
    assert any("Voortgang op het einde van elke week vanaf "
               f"{(monday - dt.timedelta(days=1)):%d/%m/%Y}" in c.value.replace("\\", "")
               for c in at.caption)


@pytest.mark.parametrize("name", ["overzicht", "doelstellingen"])
def test_a_history_of_one_week_is_a_sentence_not_a_chart(history, name):
    """Only today's snapshot (the first load): one weekly point per line, today's, so the
    sentence of progress_history.short_history instead of an almost empty chart."""
    from baz_data.clock import local_today

    at = start(name)
    today = local_today()
    assert at.session_state["baz_year"] == today.year   # the demo plans this year
    assert "Voortgang over de tijd" in [s.value for s in at.subheader]
    assert any(i.value == f"De geschiedenis telt nog maar één week (vanaf {today:%d/%m/%Y}): de "
               "lijn verschijnt zodra er twee weken bewaard zijn." for i in at.info), \
        [i.value for i in at.info]
    charts = at.get("arrow_vega_lite_chart") or at.get("vega_lite_chart")
    assert not any("Voortgang per week" in c.proto.spec for c in charts)
