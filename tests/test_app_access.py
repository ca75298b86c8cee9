"""Who sees what in the app (AppTest with ``at.user``): per role the pages, the figures and
everything the app sends to the browser.

Every test runs in an empty working directory with an empty HOME; a test that wants login writes
``.streamlit/secrets.toml`` with ``[auth]`` there (baz_data.config reads it from the cwd). The data
is the bundled demo workbook, whose Gebruikers tab has a stuurgroep, BAZIEL and partner user per
partner.

"Everything the app sends" is every element of the AppTest tree, serialized as it goes to the
browser (tables as Arrow bytes, charts with their inline data), plus the bytes of every download
button: a partner user's session must not contain another partner's people, names or amounts
anywhere in it.
"""
from __future__ import annotations

import datetime as dt
import io
import json
import re
import secrets
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from baz_data import access, reports
from baz_data.escaping import markdown as md
from baz_data.formatting import fmt_hours, fmt_money
from baz_data.metrics import default_peildatum
from baz_data.sources import DEMO_WORKBOOK, WorkbookSource

from tests.app_support import APP, ROOT, demo, isolated, page, record_downloads  # noqa: F401
ALL_PAGES = ["overzicht", "weekoverleg", "kwartaaloverzicht", "uren_per_partner",
             "doelstellingen", "datakwaliteit", "begrotingsevaluatie"]
PARTNER_NAV = ["begrotingsevaluatie", "overzicht", "uren_per_partner"]
STUURGROEP, BAZIEL = "rik.geerts@atk.example.org", "els.maes@domo.example.org"
PARTNER_EMAIL, PARTNER = "baz@domo.example.org", "DOMO"
COOKIE_SECRET = "cookie-" + secrets.token_urlsafe(24)
CLIENT_SECRET = "client-" + secrets.token_urlsafe(24)


def write_secrets(text: str) -> None:
    Path(".streamlit").mkdir(exist_ok=True)
    Path(".streamlit/secrets.toml").write_text(text, encoding="utf-8")


def auth_section(**overrides) -> str:
    values = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": COOKIE_SECRET,
              "client_id": "baz-test.apps.googleusercontent.com", "client_secret": CLIENT_SECRET,
              "server_metadata_url": "https://accounts.google.com/.well-known/openid-configuration"}
    values.update(overrides)
    return "[auth]\n" + "".join(f"{k} = {json.dumps(v)}\n" for k, v in values.items() if v is not None)


@pytest.fixture
def login():
    write_secrets(auth_section())


@pytest.fixture
def downloads(monkeypatch):
    """Every download button's (file name, data) of the runs, data made as a click would."""
    seen = record_downloads(monkeypatch)

    def files() -> list[tuple[str, bytes]]:
        return [(name, data() if callable(data) else data) for name, data in seen]

    return files


def run_as(email: str | None, **claims) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    if email is not None:
        at.user = {"is_logged_in": True, "email": email, "email_verified": True,
                   "name": "Test", **claims}
    at.run()
    assert not at.exception, at.exception
    return at


def switch(at: AppTest, name: str) -> AppTest:
    at.switch_page(page(name)).run()
    assert not at.exception, at.exception
    return at


def _protos(node):
    proto = getattr(node, "proto", None)
    if proto is not None and hasattr(proto, "SerializeToString"):
        yield proto
    for child in getattr(node, "children", {}).values():
        yield from _protos(child)


def sent(at: AppTest) -> bytes:
    """Everything the run put on the page, as the browser would receive it."""
    return b"\n".join(p.SerializeToString() for p in _protos(at._tree))


def file_text(name: str, data: bytes) -> str:
    """The text of a download: every cell of an Excel file, a CSV as is, a PDF's text."""
    if name.endswith(".xlsx"):
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(data), read_only=True)
        return "\n".join(" ".join("" if v is None else str(v) for v in row)
                         for sheet in book.worksheets for row in sheet.iter_rows(values_only=True))
    if name.endswith(".pdf"):
        from pypdf import PdfReader

        return "\n".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(data)).pages)
    return data.decode("utf-8-sig")


def metric(at: AppTest, label: str, index: int = 0) -> str:
    values = [m.value for m in at.metric if m.label == label]
    assert len(values) > index, f"geen metric '{label}' (wel: {[m.label for m in at.metric]})"
    return values[index]


def nav_pages(at: AppTest) -> list[str]:
    return sorted(Path(p["script_path"]).stem for p in at._registered_pages.values()
                  if p.get("script_path"))


# -- what may not leak ----------------------------------------------------------------------------
def others_of(demo, partner: str) -> dict[str, set]:
    """People, names and e-mails of the other partners (not also the partner's own)."""
    h = demo.hours
    own_people = set(h[h["partner"] == partner]["person"].dropna())
    people = set(h[h["partner"] != partner]["person"].dropna()) - own_people
    owners = set(demo.actions["owner"].dropna()) | set(demo.subprojects["manager"].dropna())
    names = set(demo.partners[demo.partners["code"] != partner]["name"])
    contacts = set(demo.partners[demo.partners["code"] != partner]["contact"].dropna())
    emails = set(demo.users[demo.users["partner"] != partner]["email"])
    return {"people": people | (owners - own_people), "names": names | contacts | emails}


def money_of_others(demo, partner: str, year: int) -> set[str]:
    """The other partners' yearly amounts, as the app writes them ('€ 12.345,67')."""
    ov = reports.overview(demo, year, default_peildatum(year))
    rows = ov.partners[ov.partners["Partner"] != partner]
    own = ov.partners[ov.partners["Partner"] == partner]
    own_values = set(own["Vergoed"]) | set(own["Budget"])
    return {fmt_money(v) for v in list(rows["Vergoed"]) + list(rows["Budget"])
            if v and v not in own_values}


def assert_no_leak(blob: bytes | str, forbidden: set[str], where: str) -> None:
    text = blob.decode("utf-8", errors="replace") if isinstance(blob, bytes) else blob
    found = sorted(f for f in forbidden if f and f in text)
    assert not found, f"{where}: {found}"


# -- before login ---------------------------------------------------------------------------------
@pytest.mark.parametrize("user", [{"is_logged_in": False}, {"email": "test@example.com"}, {}])
def test_before_login_only_the_login_screen_and_no_data_is_loaded(login, user, demo):
    at = AppTest.from_file(APP, default_timeout=60)
    at.user = user
    at.run()
    assert not at.exception, at.exception
    assert [t.value for t in at.title] == ["BAZ-dashboard"]
    assert [b.label for b in at.button] == ["Aanmelden"]
    assert not at.metric and not at.dataframe and not at.table
    assert "_baz_held" not in at.session_state            # the data was not even read
    assert nav_pages(at) == []
    with pytest.raises(ValueError):
        at.switch_page(page("overzicht"))
    assert_no_leak(sent(at), set(demo.partners["name"]) | set(demo.hours["person"].dropna()),
                   "aanmeldscherm")


# -- stuurgroep and BAZIEL ------------------------------------------------------------------------
@pytest.mark.parametrize("email, label", [(STUURGROEP, "Stuurgroep"), (BAZIEL, "BAZIEL-team"),
                                          (" Rik.Geerts@ATK.example.org ", "Stuurgroep")])
def test_stuurgroep_and_baziel_see_every_page_and_every_partner(login, demo, email, label):
    at = run_as(email)
    sidebar = " ".join(m.value for m in at.sidebar.markdown)
    assert md(label) in sidebar                          # shown literally (issue 9)
    assert md(email.strip()) in [c.value for c in at.sidebar.caption]
    assert "Afmelden" in [b.label for b in at.sidebar.button]
    assert nav_pages(at) == sorted(ALL_PAGES)
    year = at.session_state["baz_year"]
    peildatum = at.session_state["baz_peildatum"]
    ov = reports.overview(demo, year, peildatum)
    assert metric(at, "Uren") == fmt_hours(ov.totals.hours)
    assert metric(at, "Vergoed") == fmt_money(ov.totals.amount)
    blob = sent(at).decode("utf-8", errors="replace")
    for name in demo.partners["name"]:
        assert name in blob
    assert [link for link in at.sidebar.get("page_link") if "datakwaliteit" in str(link.proto.page)]
    for name in ALL_PAGES:
        switch(at, name)
    switch(at, "uren_per_partner")
    options = at.selectbox(key="partner").options
    assert len(options) == len(demo.partners)


# -- a partner ------------------------------------------------------------------------------------
def test_a_partner_sees_two_pages_with_only_its_own_figures(login, demo):
    at = run_as(PARTNER_EMAIL)
    assert f"Partner {PARTNER}" in " ".join(m.value for m in at.sidebar.markdown)
    assert nav_pages(at) == PARTNER_NAV
    year, peildatum = at.session_state["baz_year"], at.session_state["baz_peildatum"]
    mine = access.visible_dataset(demo, access.resolve_role(demo, PARTNER_EMAIL))
    ov_mine = reports.overview(mine, year, peildatum)
    ov_all = reports.overview(demo, year, peildatum)
    own_row = ov_all.partners.set_index("Partner").loc[PARTNER]

    # Overzicht, figure by figure: the totals are the partner's own, and labelled so.
    assert metric(at, OWN_HOURS) == fmt_hours(ov_mine.totals.hours) == fmt_hours(own_row["Uren"])
    assert metric(at, "Vergoed · je organisatie") == fmt_money(ov_mine.totals.amount) == \
        fmt_money(own_row["Vergoed"])
    assert ov_mine.totals.hours < ov_all.totals.hours
    # Per subproject the partner's own hours (the progress is everyone's).
    subs_all = ov_all.subprojects.set_index("Deelproject")
    for index, sub in enumerate(ov_mine.subprojects.to_dict("records")):
        assert metric(at, OWN_HOURS, index + 1) == fmt_hours(sub["Uren"])
        assert subs_all.loc[sub["Deelproject"], "Voortgang"] == sub["Voortgang"] or \
            pd.isna(sub["Voortgang"])
    assert list(ov_mine.partners["Partner"]) == [PARTNER]

    # Uren per partner: locked to the partner, the same figures as the stuurgroep sees for it.
    switch(at, "uren_per_partner")
    box = at.selectbox(key="partner")
    assert box.options == [f"{PARTNER} — {demo.partners.set_index('code').loc[PARTNER, 'name']}"]
    mine_report = reports.partner_report(mine, PARTNER, year)
    full_report = reports.partner_report(demo, PARTNER, year)
    assert metric(at, "Uren") == fmt_hours(full_report.totals.hours) == fmt_hours(mine_report.totals.hours)
    assert metric(at, "Vergoed") == fmt_money(full_report.totals.amount)
    pd.testing.assert_frame_equal(mine_report.statement, full_report.statement)


OWN_HOURS = "Uren · je organisatie"


def test_a_partner_reads_which_figures_are_its_own_and_which_the_whole_projects(login, demo):
    """Progress and actions are the whole project's, hours and money the partner's own: every
    label says which; the stuurgroep, who sees everything, gets the plain labels."""
    at = run_as(PARTNER_EMAIL)
    year, peildatum = at.session_state["baz_year"], at.session_state["baz_peildatum"]
    mine = access.visible_dataset(demo, access.resolve_role(demo, PARTNER_EMAIL))
    ov = reports.overview(mine, year, peildatum, PARTNER)
    labels = [m.label for m in at.metric]
    assert labels[:4] == ["Acties · heel het project", "Te laat · heel het project", OWN_HOURS,
                          "Vergoed · je organisatie"]
    assert metric(at, "Acties · heel het project") == str(ov.totals.actions)
    assert metric(at, "Acties · heel het project") == str(
        reports.overview(demo, year, peildatum).totals.actions)   # the same for everyone
    assert labels.count(OWN_HOURS) == 1 + len(ov.subprojects)     # the totals and every card
    assert ov.scope_note.endswith(f"alleen voor je organisatie ({PARTNER}).")
    assert md(ov.scope_note) in [i.value for i in at.info]          # escaped: the code is sheet text
    headings = [h.value for h in at.subheader]
    assert "Je organisatie" in headings and "Budgetgebruik per partner · je organisatie" in headings
    assert "Per partner de acties die je organisatie trekt" in " ".join(c.value for c in at.caption)

    everyone = run_as(STUURGROEP)
    assert [m.label for m in everyone.metric][:4] == ["Acties", "Te laat", "Uren", "Vergoed"]
    assert "Partners" in [h.value for h in everyone.subheader]
    assert not any("je organisatie" in m.label for m in everyone.metric)


def test_cached_figures_do_not_cross_roles(login, demo):
    """Views are cached across sessions; the role's scope is part of the key, so a partner
    never gets the figures the stuurgroep's session computed, nor the other way round."""
    everyone = run_as(STUURGROEP)
    partner = run_as(PARTNER_EMAIL)
    again = run_as(STUURGROEP)
    year, peildatum = partner.session_state["baz_year"], partner.session_state["baz_peildatum"]
    mine = access.visible_dataset(demo, access.resolve_role(demo, PARTNER_EMAIL))
    assert metric(partner, OWN_HOURS) == fmt_hours(reports.overview(mine, year, peildatum).totals.hours)
    assert metric(everyone, "Uren") == metric(again, "Uren") == \
        fmt_hours(reports.overview(demo, year, peildatum).totals.hours)
    assert metric(partner, OWN_HOURS) != metric(everyone, "Uren")


def test_sessions_with_one_scope_share_one_filtered_dataset(login):
    """Memory: the partner's filtered data is made once per data version and scope for the whole
    server; a second session of that partner holds the same object, the stuurgroep the full one."""
    one, two, board = run_as(PARTNER_EMAIL), run_as(PARTNER_EMAIL), run_as(STUURGROEP)
    mine, also_mine = one.session_state["_baz_shown"][1], two.session_state["_baz_shown"][1]
    assert mine is also_mine
    full = board.session_state["_baz_shown"][1]
    # the loaded data with the closed quarters attached: the same frames, no copy of the data
    loaded = board.session_state["_baz_held"].ds
    assert full.hours is loaded.hours and full.closes is not None and full is not mine
    assert full is run_as(STUURGROEP).session_state["_baz_shown"][1]
    assert set(mine.partners["code"]) < set(full.partners["code"])


def test_a_partner_cannot_open_another_page(login):
    at = run_as(PARTNER_EMAIL)
    for name in ("weekoverleg", "kwartaaloverzicht", "doelstellingen", "datakwaliteit"):
        with pytest.raises(ValueError):
            at.switch_page(page(name))
    assert not [link for link in at.sidebar.get("page_link")
                if "datakwaliteit" in str(link.proto.page)]


def test_nothing_a_partner_gets_shows_another_partner(login, demo, downloads):
    """Every element of both pages, under every choice a partner has, and every download."""
    at = run_as(PARTNER_EMAIL)
    year = at.session_state["baz_year"]
    others = others_of(demo, PARTNER)
    forbidden = others["people"] | others["names"] | money_of_others(demo, PARTNER, year)
    forbidden |= {COOKIE_SECRET, CLIENT_SECRET}
    assert len(forbidden) > 20
    assert_no_leak(sent(at), forbidden, "overzicht")
    march = default_peildatum(year).replace(month=3, day=31)
    at.sidebar.date_input(key="baz_peildatum").set_value(march).run()
    assert_no_leak(sent(at), forbidden, "overzicht op 31/3")
    switch(at, "uren_per_partner")
    assert_no_leak(sent(at), forbidden, "uren per partner")
    for quarter in (1, 2, 3, 4, 0):
        at.segmented_control(key="statement_quarter").set_value(quarter).run()
        assert not at.exception
        assert_no_leak(sent(at), forbidden, f"uren per partner Q{quarter}")
    # The only partner choice there is, is the partner itself; a URL parameter changes nothing.
    box = at.selectbox(key="partner")
    assert len(box.options) == 1 and box.options[0].startswith(PARTNER) and box.disabled
    at.query_params["partner"] = "ATK"
    at.run()
    assert_no_leak(sent(at), forbidden, "?partner=ATK")
    # Begrotingsevaluatie: its own lines only, in every chart choice it has, and its download
    switch(at, "begrotingsevaluatie")
    assert_no_leak(sent(at), forbidden, "begrotingsevaluatie")
    partner_box = at.selectbox(key="evaluation_partner")
    assert len(partner_box.options) == 1 and partner_box.disabled
    for sub in sorted(set(demo.subprojects["code"])):
        at.selectbox(key="evaluation_subproject").set_value(sub).run()
        assert_no_leak(sent(at), forbidden, f"begrotingsevaluatie {sub}")
    assert not at.exception
    assert_no_leak(sent(at), forbidden, "begrotingsevaluatie per deelproject")
    assert not [b for b in at.button if b.key == "draft_write"]  # a partner never writes
    files = downloads()
    assert files, "geen downloads gezien"
    assert any(name.startswith("ontwerpbegroting") for name, _ in files)
    for name, data in files:
        assert PARTNER in name
        text = file_text(name, data)
        assert_no_leak(text, forbidden, name)
        assert "ATK" not in text.split() and "Magenta" not in text.split()


# -- closed quarters (issue 13): a partner's frozen lines and corrections ----------------------
def test_a_partner_sees_only_its_own_frozen_lines_and_corrections(tmp_path, monkeypatch, demo,
                                                                  downloads):
    """Q1 closed on the demo, then every Q1 hour row of two partners (the partner's own and
    another's) removed: the partner's statement shows its own correctie Q1 lines, nothing of the
    other partner's, and not who closed."""
    from baz_data import closing
    from baz_data.demo import write_workbook
    from baz_data.history import closes as hc
    from baz_data.history.store import HistoryStore
    from baz_data.model import build_dataset

    history = f"sqlite:///{tmp_path / 'eigen-geschiedenis.sqlite3'}"   # closes stay in this test
    monkeypatch.setenv("BAZ_HISTORY", history)
    write_secrets(auth_section())
    raw = WorkbookSource(DEMO_WORKBOOK).read()
    store = HistoryStore(history)
    store.record(raw)
    year = max(build_dataset(raw).years)
    closing.close_quarter(store, closing.preview_close(store, year, 1), STUURGROEP)
    tabs = {name: [list(r) for r in rows] for name, rows in raw.tabs.items()}
    head, *rows = tabs["Uren"]
    date_col, partner_col = head.index("Datum"), head.index("Partner")

    def in_q1(row, partner):
        day = row[date_col]
        day = day.date() if isinstance(day, dt.datetime) else day
        return (isinstance(day, dt.date) and day.year == year and day.month <= 3
                and str(row[partner_col]).strip() == partner)

    tabs["Uren"] = [head] + [r for r in rows if not (in_q1(r, PARTNER) or in_q1(r, "ATK"))]
    edited = tmp_path / "na-de-afsluiting.xlsx"
    write_workbook(tabs, edited)
    monkeypatch.setenv("BAZ_WORKBOOK", str(edited))

    at = switch(run_as(PARTNER_EMAIL), "uren_per_partner")
    at.segmented_control(key="statement_quarter").set_value(2).run()
    statement = at.dataframe[-1].value
    corrections = statement[statement["Regel"] == "correctie Q1"]
    assert len(corrections) and set(corrections["Partner"]) == {PARTNER}
    assert (corrections["Bedrag"] < 0).all()
    assert any(md("Afgesloten: Q1") in c.value for c in at.caption)
    others = others_of(demo, PARTNER)
    forbidden = others["people"] | others["names"] | money_of_others(demo, PARTNER, year)
    frozen = hc.frozen_lines(store, year)
    forbidden |= {STUURGROEP} | {fmt_money(abs(int(a)))
                                  for a in frozen[frozen["partner"] == "ATK"]["amount"]
                                  if abs(a) >= 100000}
    assert_no_leak(sent(at), forbidden, "uren per partner Q2 na afsluiting")
    for name, data in downloads():
        assert_no_leak(file_text(name, data), forbidden, name)


def test_the_partner_user_email_matches_case_insensitively(login):
    at = run_as("  BAZ@Domo.Example.ORG ")
    assert nav_pages(at) == PARTNER_NAV
    assert "Partner DOMO" in " ".join(m.value for m in at.sidebar.markdown)


# -- unknown e-mail -------------------------------------------------------------------------------
@pytest.mark.parametrize("email, claims, reason", [
    ("vreemde@example.org", {}, "staat niet in de lijst"),
    (PARTNER_EMAIL, {"email_verified": False}, "niet bevestigd"),
])
def test_an_unknown_email_sees_geen_toegang_and_no_data(login, demo, email, claims, reason):
    at = run_as(email, **claims)
    assert [t.value for t in at.title] == ["Geen toegang"]
    text = " ".join(t.value for t in at.text)        # st.text: no Markdown, no links
    assert reason in text and email in text
    assert access.access_contacts(demo)
    for contact in access.access_contacts(demo):
        assert contact in text
    assert not [m.value for m in at.markdown if "@" in m.value]
    assert not at.metric and not at.dataframe and not at.table
    assert nav_pages(at) == []
    for name in ALL_PAGES:
        with pytest.raises(ValueError):
            at.switch_page(page(name))
    forbidden = set(demo.partners["name"]) | set(demo.hours["person"].dropna())
    assert_no_leak(sent(at), forbidden, "geen toegang")
    assert "Afmelden" in [b.label for b in at.button]


UNVERIFIED = {"missing": None, "none": {"email_verified": None},
              "text-FALSE": {"email_verified": "FALSE"}, "text-0": {"email_verified": "0"},
              "text-no": {"email_verified": "no"}}


@pytest.mark.parametrize("claims", list(UNVERIFIED.values()), ids=list(UNVERIFIED))
def test_an_unverified_email_gets_no_access_and_is_told_why(login, demo, claims):
    """Entra ID and others send no (or no boolean) email_verified: anyone could have typed the
    address at such a provider, so a known partner address still gets no data."""
    at = AppTest.from_file(APP, default_timeout=60)
    at.user = {"is_logged_in": True, "email": PARTNER_EMAIL, "name": "Test", **(claims or {})}
    at.run()
    assert not at.exception, at.exception
    assert [t.value for t in at.title] == ["Geen toegang"]
    text = " ".join(m.value for m in [*at.markdown, *at.text])   # the address is plain text
    assert "niet bevestigd" in text and "iemand anders" in text and PARTNER_EMAIL in text
    assert not at.metric and not at.dataframe and nav_pages(at) == []
    assert_no_leak(sent(at), set(demo.partners["name"]) | set(demo.hours["person"].dropna()),
                   "niet bevestigd")


def test_trust_unverified_email_lets_an_unverified_address_in():
    write_secrets(auth_section() + "trust_unverified_email = true\n")
    at = AppTest.from_file(APP, default_timeout=60)
    at.user = {"is_logged_in": True, "email": PARTNER_EMAIL, "name": "Test"}   # no claim
    at.run()
    assert not at.exception, at.exception
    assert nav_pages(at) == PARTNER_NAV


def test_afmelden_logs_out(login):
    at = run_as(PARTNER_EMAIL)
    at.sidebar.button(key="baz_logout").click().run()
    assert not at.exception, at.exception    # the run ends at st.logout(), no page without data
    assert at.user == {"is_logged_in": False}
    at.run()
    assert [t.value for t in at.title] == ["BAZ-dashboard"]
    assert [b.label for b in at.button] == ["Aanmelden"]


# -- a renamed tab: every role, every page is told ------------------------------------------------
@pytest.fixture
def renamed_uren(tmp_path, monkeypatch):
    """The demo workbook with its Uren tab renamed, as the app's source, with login."""
    from openpyxl import load_workbook

    book = load_workbook(DEMO_WORKBOOK)
    book["Uren"].title = "Uren 2026"
    path = tmp_path / "hernoemd.xlsx"
    book.save(path)
    monkeypatch.setenv("BAZ_WORKBOOK", str(path))
    write_secrets(auth_section())
    return path


def incomplete_banner(at: AppTest) -> str:
    found = [w.value for w in at.warning if "De cijfers zijn onvolledig" in w.value]
    assert len(found) == 1, [w.value for w in at.warning]
    return found[0]


@pytest.mark.parametrize("email, pages", [(PARTNER_EMAIL, PARTNER_NAV),
                                          (STUURGROEP, ALL_PAGES)], ids=["partner", "stuurgroep"])
def test_a_renamed_uren_tab_is_named_on_every_page(renamed_uren, email, pages):
    """Without the banner a partner reads "€ 0,00, nog geen uren geregistreerd" and nothing
    says the figures are incomplete."""
    at = run_as(email)
    for name in pages:
        switch(at, name)
        banner = incomplete_banner(at)
        assert "Tabblad 'Uren' ontbreekt" in banner
        assert "uren, vergoedingen en budgetgebruik zijn onvolledig" in banner


def test_no_banner_when_every_tab_is_there(login):
    at = run_as(PARTNER_EMAIL)
    assert not [w for w in at.warning if "onvolledig" in w.value]


# -- Vernieuwen: the shared read quota ------------------------------------------------------------
@pytest.fixture
def login_on_sheets(sheets_server):
    """[auth] plus the demo workbook served as a Google Sheet by the test server."""
    key = sheets_server.add_spreadsheet(WorkbookSource(DEMO_WORKBOOK).read().tabs)
    _gsheets_secrets(sheets_server, key, "\n" + auth_section())
    return sheets_server


def test_a_partner_gets_no_vernieuwen_button(login):
    partner = run_as(PARTNER_EMAIL)
    assert not [b for b in partner.sidebar.button if b.key == "baz_refresh"]
    assert "Vernieuwen" not in [b.label for b in partner.button]
    for email in (STUURGROEP, BAZIEL):
        assert [b.label for b in run_as(email).sidebar.button if b.key == "baz_refresh"] == \
            ["Vernieuwen"]


def test_two_refreshes_within_30_seconds_cost_one_read(login_on_sheets):
    """Two viewers press Vernieuwen one after the other: one read for both (the quota of 60
    reads a minute is the whole app's), and the second viewer is told when it can again."""
    server = login_on_sheets

    def sheets_requests() -> dict:   # Drive's version probe is no Sheets read (issue 15)
        return {k: n for k, n in server.counts.items() if k != "drive.files.get"}

    first, second = run_as(STUURGROEP), run_as(BAZIEL)
    assert server.counts["batchGet"] == 1                  # the second viewer shares the load
    server.reset(spreadsheets=False)
    first.sidebar.button(key="baz_refresh").click().run()
    assert not first.exception, first.exception
    assert sheets_requests() == {"batchGet": 1, "get": 1}
    second.sidebar.button(key="baz_refresh").click().run()
    assert not second.exception, second.exception
    assert sheets_requests() == {"batchGet": 1, "get": 1}             # too early: nothing read
    note = " ".join(c.value for c in second.sidebar.caption)
    assert re.search(r"Vernieuwen kan weer om \d\d:\d\d:\d\d", note), note
    assert second.sidebar.button(key="baz_refresh").disabled


# -- modes without login --------------------------------------------------------------------------
def test_the_demo_without_auth_is_open_and_says_so(demo):
    at = run_as(None)
    assert "Open demo, geen login" in " ".join(c.value for c in at.sidebar.caption)
    assert nav_pages(at) == sorted(ALL_PAGES)
    assert "Afmelden" not in [b.label for b in at.sidebar.button]
    year, peildatum = at.session_state["baz_year"], at.session_state["baz_peildatum"]
    assert metric(at, "Uren") == fmt_hours(reports.overview(demo, year, peildatum).totals.hours)


def test_a_workbook_file_without_auth_is_open(tmp_path, monkeypatch):
    book = tmp_path / "werkboek.xlsx"
    book.write_bytes(DEMO_WORKBOOK.read_bytes())
    monkeypatch.setenv("BAZ_WORKBOOK", str(book))
    at = run_as(None)
    assert any("Open toegang" in c.value for c in at.sidebar.caption)
    assert nav_pages(at) == sorted(ALL_PAGES)


def _gsheets_secrets(sheets_server, key: str, *extra_lines: str, top: str = "") -> None:
    info = {**sheets_server.service_account_info, "spreadsheet": key,
            "sheets_api_url": sheets_server.url}
    write_secrets(top + "[connections.gsheets]\n"
                  + "".join(f"{k} = {json.dumps(v)}\n" for k, v in info.items())
                  + "".join(extra_lines))


def test_a_spreadsheet_without_auth_is_refused_and_not_read(sheets_server, demo):
    key = sheets_server.add_spreadsheet(WorkbookSource(DEMO_WORKBOOK).read().tabs)
    _gsheets_secrets(sheets_server, key)
    at = run_as(None)
    assert [t.value for t in at.title] == ["Het dashboard toont geen gegevens zonder aanmelding"]
    text = " ".join(m.value for m in at.markdown)
    assert "allow_open_access = true" in text and "[auth]" in text
    assert any("python -m baz_data doctor" in c.value for c in at.caption)
    assert sheets_server.counts.get("batchGet", 0) == 0          # nothing was read
    assert "_baz_held" not in at.session_state
    assert not at.metric and not at.dataframe
    assert nav_pages(at) == []
    assert_no_leak(sent(at), {sheets_server.service_account_info["private_key"][40:80], key},
                   "weigering")


def test_allow_open_access_opens_a_spreadsheet_deliberately(sheets_server):
    key = sheets_server.add_spreadsheet(WorkbookSource(DEMO_WORKBOOK).read().tabs)
    _gsheets_secrets(sheets_server, key, top="allow_open_access = true\n\n")
    at = run_as(None)
    assert any("Open toegang" in c.value for c in at.sidebar.caption)
    assert nav_pages(at) == sorted(ALL_PAGES)
    assert sheets_server.counts["batchGet"] == 1


def test_an_incomplete_auth_section_names_the_missing_keys_and_shows_no_data():
    write_secrets(auth_section(client_secret=None, server_metadata_url=""))
    at = run_as(PARTNER_EMAIL)
    assert [t.value for t in at.title] == ["De aanmelding is niet volledig ingesteld"]
    text = " ".join(m.value for m in at.markdown)
    assert "`client_secret`" in text and "`server_metadata_url`" in text
    assert any("python -m baz_data doctor" in c.value for c in at.caption)
    assert "_baz_held" not in at.session_state
    assert_no_leak(sent(at), {COOKIE_SECRET, CLIENT_SECRET}, "onvolledige [auth]")


def test_secrets_never_appear_on_any_page(login):
    at = run_as(STUURGROEP)
    for name in ALL_PAGES:
        switch(at, name)
        assert_no_leak(sent(at), {COOKIE_SECRET, CLIENT_SECRET}, name)


# -- writing the draft budget (Begrotingsevaluatie) -----------------------------------------------
@pytest.mark.parametrize("email", [STUURGROEP, BAZIEL], ids=["stuurgroep", "baziel"])
def test_the_draft_is_appended_to_begroting_once(sheets_server, email):
    """The demo served as a Google Sheet, the service account an editor: the draft's lines land
    after the last row of Begroting (the earlier rows unchanged), with an Opmerking header; a
    second click is refused in Dutch and writes nothing."""
    key = sheets_server.add_spreadsheet(WorkbookSource(DEMO_WORKBOOK).read().tabs)
    _gsheets_secrets(sheets_server, key, "\n" + auth_section())
    before = sheets_server.rows(key, "Begroting")
    at = switch(run_as(email), "begrotingsevaluatie")
    year = at.session_state["baz_year"]
    at.button(key="draft_write").click().run()
    assert not at.exception, at.exception
    assert any(f"ontwerplijnen voor {year + 1} toegevoegd" in s.value for s in at.success), \
        [e.value for e in at.error]
    rows = sheets_server.rows(key, "Begroting")
    assert rows[0] == before[0] + ["Opmerking"]
    assert rows[1:len(before)] == before[1:]
    added = rows[len(before):]
    assert added and all(r[0] == year + 1 and r[7].startswith(f"Ontwerp {year + 1}") for r in added)
    at.button(key="draft_write").click().run()
    assert any(f"bevat al lijnen voor {year + 1}" in e.value for e in at.error)
    assert sheets_server.rows(key, "Begroting") == rows


def test_a_read_only_service_account_is_told_how_to_allow_writing(sheets_server):
    account = sheets_server.service_account_info["client_email"]
    key = sheets_server.add_spreadsheet(WorkbookSource(DEMO_WORKBOOK).read().tabs, writers=(),
                                        readers=(account,))
    _gsheets_secrets(sheets_server, key, "\n" + auth_section())
    before = sheets_server.rows(key, "Begroting")
    at = switch(run_as(STUURGROEP), "begrotingsevaluatie")
    at.button(key="draft_write").click().run()
    assert not at.exception, at.exception
    assert any("Bewerker" in e.value and md(account) in e.value for e in at.error), \
        [e.value for e in at.error]
    assert sheets_server.rows(key, "Begroting") == before


def test_a_partner_on_a_sheet_gets_no_write_button(sheets_server):
    key = sheets_server.add_spreadsheet(WorkbookSource(DEMO_WORKBOOK).read().tabs)
    _gsheets_secrets(sheets_server, key, "\n" + auth_section())
    at = switch(run_as(PARTNER_EMAIL), "begrotingsevaluatie")
    assert not [b for b in at.button if b.key == "draft_write"]
    assert sheets_server.counts["values.append"] == 0
