"""Closing a quarter in the app (AppTest, logged in as in tests/test_app_access.py): a stuurgroep
user closes and reopens on Kwartaaloverzicht; the BAZIEL team sees the list but no controls; a
partner is refused on the server. What a partner sees of closed quarters (its own frozen lines
and corrections only) is in the leak scans of tests/test_app_access.py.

Each test has its own history database (BAZ_HISTORY in tmp_path), so no close leaks into the
other app tests. The data is the bundled demo workbook (today is past Q1–Q3 of its year).
"""
from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from baz_data import closing, metrics
from baz_data import statements as st
from baz_data.escaping import markdown as md
from baz_data.history import closes as hc
from baz_data.history.store import HistoryStore
from baz_data.model import build_dataset
from tests.app_support import isolated  # noqa: F401
from tests.test_app_access import (BAZIEL, PARTNER, PARTNER_EMAIL, STUURGROEP, auth_section,
                                   run_as, switch, write_secrets)


@pytest.fixture
def history(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'eigen-geschiedenis.sqlite3'}"
    monkeypatch.setenv("BAZ_HISTORY", url)
    write_secrets(auth_section())
    return url


def test_a_stuurgroep_user_closes_and_reopens_a_quarter(history):
    at = switch(run_as(STUURGROEP), "kwartaaloverzicht")
    year = at.session_state["baz_year"]
    assert [b.key for b in at.button if b.key and b.key.startswith("close")] == ["close_preview"]
    at.button(key="close_preview").click().run()
    assert not at.exception, at.exception
    # what will be frozen: the Q1 lines of the data in the store, shown before confirming
    store = HistoryStore(history)
    ds = build_dataset(store.read(store.latest().id))
    want = closing.lines_table(st.lines_to_freeze(metrics.allocate_hours(ds, year), None, year,
                                                  1))
    shown = next(d.value for d in at.dataframe if "Regel" in d.value.columns)
    assert shown["Bedrag"].tolist() == want["Bedrag"].tolist() and len(shown) == len(want) > 3
    assert hc.closes(store, year).empty          # nothing is closed before the confirmation
    at.button(key="close_confirm").click().run()
    assert not at.exception, at.exception
    total = want["Bedrag"].sum()
    assert any(f"Q1 {year} is afgesloten op" in s.value and md("rik.geerts") in s.value
               for s in at.success), [s.value for s in at.success]
    frozen = hc.frozen_lines(store, year)
    assert frozen["amount"].sum() == total and set(frozen["closed_by"]) == {STUURGROEP}
    audit = at.dataframe[-1].value
    assert audit[["Wie", "Wat", "Kwartaal"]].values.tolist() == [[STUURGROEP, "afgesloten", "Q1"]]
    # Q1's page is now the report of its close
    at.segmented_control(key="quarter").set_value(1).run()
    assert any(i.value.startswith("Afgesloten op ") and "door rik" in i.value for i in at.info)
    # reopening needs a reason
    reopen = [b.label for b in at.button].index(f"Q1 {year} heropenen")
    at.text_input(key="reopen_reason").input("  ")   # a form: sent with its submit button
    at.button[reopen].click().run()
    assert any("Geef een reden op" in e.value for e in at.error)
    at.text_input(key="reopen_reason").input("Uren van maart ontbraken")
    at.button[reopen].click().run()
    assert not at.exception, at.exception
    assert any(f"Q1 {year} is heropend" in s.value for s in at.success)
    assert hc.audit(store, year)["reason"].tolist() == [None, "Uren van maart ontbraken"]
    assert st.next_to_close(hc.ledger(store, year), year) == 1


def test_the_baziel_team_sees_the_list_but_no_controls(history):
    at = switch(run_as(BAZIEL), "kwartaaloverzicht")
    assert not [b for b in at.button if b.key and b.key.startswith(("close", "reopen"))]
    assert not [b for b in at.button if "heropenen" in b.label]
    assert any(s.value == "Afsluiten" for s in at.subheader)


def _call_as(role_args: dict, call: str) -> str:
    """Run app_closing's close function in an app session of ``role_args``: what it answers."""
    def script(role_args, call):
        import streamlit as st

        import app_closing
        import app_state
        from baz_data.access import Role
        from baz_data.sources import demo_source
        from baz_data.model import load_dataset

        app_state.show(Role(**role_args), load_dataset(demo_source()), ("test",))
        try:
            if call == "preview":
                app_closing.close_preview(2026, 1)
            elif call == "reopen":
                app_closing.reopen_quarter(2026, 1, "poging")
            st.write("toegelaten")
        except Exception as exc:  # noqa: BLE001 — the answer is what the test reads
            st.write(f"{type(exc).__name__}: {exc}")

    at = AppTest.from_function(script, args=(role_args, call), default_timeout=60).run()
    assert not at.exception, at.exception
    return at.markdown[0].value


@pytest.mark.parametrize("role_args", [
    pytest.param({"email": PARTNER_EMAIL, "role": "partner", "partner": PARTNER}, id="partner"),
    pytest.param({"email": BAZIEL, "role": "baziel"}, id="baziel"),
    pytest.param({"email": None, "role": "stuurgroep", "open_access": True}, id="open-demo"),
])
@pytest.mark.parametrize("call", ["preview", "reopen"])
def test_close_and_reopen_are_refused_on_the_server_for_others(history, role_args, call):
    answer = _call_as(role_args, call)
    assert answer.startswith("StatementError: Alleen een aangemeld lid van de stuurgroep"), answer
