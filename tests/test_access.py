"""Who sees what (baz_data.access): roles from the Gebruikers tab, pages per role, the server-side
filter that leaves a partner only its own hours, people and amounts, and the access mode.

The workbook is conftest's BASE_TABS plus a second partner's share that is easy to recognise:
DOMO's person Cas, DOMO amounts of € 206,50 (budget), € 777,77 (Werkingskosten), € 555,55
(expense), 6,25 hours, a DOMO error row and DOMO warnings. The ATK partner user must see none of it.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import numbers

import pandas as pd
import pytest

from baz_data import access, metrics
from baz_data.access import Role
from tests.conftest import D, base_tabs, dataset_of

YEAR = 2021


def two_partner_tabs() -> dict[str, list[list]]:
    tabs = base_tabs()
    tabs["Partners"][2] = ["DOMO", "Domo vzw", "info@domo.example.org"]
    tabs["Uren"] += [
        [D(2021, 9, 1), "DOMO", "Cas", "DP1", None, "6,25", "Vorming Domo"],
        # Two DOMO warnings (26 hours on one day for Cas) and two ATK ones (25 hours for Bo).
        [D(2021, 8, 2), "DOMO", "Cas", "DP1", None, 14, None],
        [D(2021, 8, 2), "DOMO", "Cas", "DP1", None, 12, None],
        [D(2021, 8, 3), "ATK", "Bo", "DP1", None, 13, None],
        [D(2021, 8, 3), "ATK", "Bo", "DP1", None, 12, None],
        # Error rows: a DOMO row with unreadable hours, a row with a mistyped partner.
        [D(2021, 8, 4), "DOMO", "Cas", "DP1", None, "zeven", "Geheim Domo"],
        [D(2021, 8, 5), "Domoo", "Cas", "DP1", None, 3, None],
    ]
    tabs["Begroting"][2] = [2021, "DP1", "DOMO", "Personeel", 5, "41,30", None]
    tabs["Begroting"].append([2021, "DP1", "DOMO", "Werkingskosten", None, None, "777,77"])
    # Uitgaven without its optional Omschrijving column: a header-row warning every role sees.
    tabs["Uitgaven"] = [["Datum", "Deelproject", "Partner", "Post", "Bedrag"],
                        [D(2021, 5, 10), "DP1", None, "Communicatie", "€ 250,50"],
                        [D(2021, 6, 10), "DP1", "DOMO", "Werkingskosten", "€ 555,55"],
                        [D(2021, 6, 11), "DP1", "ATK", "Werkingskosten", "€ 12,34"]]
    tabs["Gebruikers"] += [["cas@domo.example.org", "partner", "DOMO"],
                           ["Sofie@ATK.example.org ", "BAZIEL", "ATK"],
                           ["piet@domo.example.org", "gast", "DOMO"]]
    return tabs


@pytest.fixture(scope="module")
def ds():
    return dataset_of(two_partner_tabs())


# What of DOMO must never reach the ATK partner user (and the other way round).
DOMO_PEOPLE = {"Cas", "Dirk", "Jan"}  # Cas logs hours; Dirk and Jan own DOMO-led work
DOMO_TEXT = {"cas@domo.example.org", "Domo vzw", "info@domo.example.org",
             "Vorming Domo", "Domoo", "zeven", "gast"}
DOMO_NUMBERS = {20650, 4130, 77777, 55555, 62500, 6.25}      # cents, units and hours
ATK_PEOPLE = {"An", "Bo", "Els"}
ATK_TEXT = {"an@example.org", "els@example.org", "Sofie@ATK.example.org", "ATK vzw",
            "atk@example.org", "Splitst op het plafond", "Boven budget"}
ATK_NUMBERS = {4550, 3333, 1234, 65000, 5000}               # rates, expense, units


def frames(ds) -> dict[str, pd.DataFrame]:
    return {f.name: getattr(ds, f.name) for f in dataclasses.fields(ds)
            if isinstance(getattr(ds, f.name), pd.DataFrame)}


def leaks(ds, people: set[str], text: set[str], values: set) -> list[tuple]:
    """Every cell of every table that shows one of the forbidden people, texts or numbers."""
    lowered = [t.casefold() for t in text]
    found = []
    for name, frame in frames(ds).items():
        for column in frame.columns:
            for value in frame[column]:
                if isinstance(value, str):
                    if value.strip() in people or any(t in value.casefold() for t in lowered):
                        found.append((name, column, value))
                elif isinstance(value, numbers.Number) and not isinstance(value, bool) \
                        and not pd.isna(value) and value in values:
                    found.append((name, column, value))
    found += [(k, v) for k, v in ds.extra.items()]
    return found


def test_the_fixture_holds_what_the_leak_checks_look_for(ds):
    """Guard: the full data does show every forbidden value, so an empty leak list means
    something."""
    shown = leaks(ds, DOMO_PEOPLE, DOMO_TEXT, DOMO_NUMBERS)
    cells = {v for *_, v in shown}
    assert DOMO_PEOPLE <= cells
    assert {20650, 4130, 77777, 55555, 62500, 6.25} <= cells
    for text in DOMO_TEXT:
        assert any(isinstance(c, str) and text.casefold() in c.casefold() for c in cells), text
    assert set(ds.hours["partner"]) == {"ATK", "DOMO"}
    assert ds.excluded["Uren"] == 2 and ds.excluded["Gebruikers"] == 1


# -- roles ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("email, role, partner", [
    ("els@example.org", "stuurgroep", "ATK"),
    ("  ELS@Example.ORG ", "stuurgroep", "ATK"),
    ("sofie@atk.example.org", "baziel", "ATK"),
    ("an@example.org", "partner", "ATK"),
    ("AN@EXAMPLE.ORG", "partner", "ATK"),
    ("Cas@Domo.Example.Org\t", "partner", "DOMO"),
])
def test_roles_come_from_the_gebruikers_tab_case_insensitively(ds, email, role, partner):
    found = access.resolve_role(ds, email)
    assert (found.role, found.partner) == (role, partner)
    assert found.email == email.strip()
    assert found.known
    assert found.sees_all == (role in ("stuurgroep", "baziel"))


@pytest.mark.parametrize("email", ["onbekend@example.org", "", "   ", None,
                                   "piet@domo.example.org",   # row with an invalid role
                                   "an@example.org.evil.com", "n@example.org"])
def test_an_unknown_email_has_no_role_no_pages_and_no_data(ds, email):
    role = access.resolve_role(ds, email)
    assert role.role is None and role.partner is None
    assert not role.known and not role.sees_all
    assert access.allowed_pages(role) == []
    assert access.visible_dataset(ds, role) is None
    assert access.visible_dataset(ds, None) is None
    assert access.allowed_pages(None) == []
    assert role.label == "Geen toegang"


def test_an_unverified_email_gets_no_role(ds):
    role = access.resolve_role(ds, "els@example.org", verified=False)
    assert role.role is None and not role.known and role.email == "els@example.org"


MISSING = object()   # the provider sends no email_verified claim at all (Entra ID)


@pytest.mark.parametrize("claim, trust, verified", [
    (True, False, True),
    ("true", False, True),
    ("TRUE", False, True),
    (" True ", False, True),
    (False, False, False),
    (MISSING, False, False),
    (None, False, False),
    ("false", False, False),
    ("FALSE", False, False),
    ("0", False, False),
    ("no", False, False),
    ("", False, False),
    (1, False, False),          # a number is not the boolean Google sends
    ("yes", False, False),
    (MISSING, True, True),      # [auth] trust_unverified_email = true
    (False, True, True),
], ids=["true", "text-true", "text-TRUE", "text-spaces", "false", "missing", "none",
        "text-false", "text-FALSE", "text-0", "text-no", "empty", "one", "text-yes",
        "missing-trusted", "false-trusted"])
def test_only_a_true_email_verified_claim_counts(claim, trust, verified):
    claims = {} if claim is MISSING else {"email_verified": claim}
    assert access.email_verified(claims.get("email_verified"), trust) is verified


@pytest.mark.parametrize("role, may", [
    (Role("a", "stuurgroep", "ATK"), True),
    (Role("a", "baziel", "DOMO"), True),
    (Role("a", "partner", "ATK"), False),
    (Role("a"), False),                      # not in Gebruikers
    (access.open_role(), True),              # no login (demo): no roles, the button stays
    (None, False),
], ids=["stuurgroep", "baziel", "partner", "unknown", "open", "nobody"])
def test_only_baziel_stuurgroep_and_open_mode_may_refresh(role, may):
    assert access.may_refresh(role) is may


def test_scope_and_partner_lock_follow_the_role():
    assert Role("a", "stuurgroep", "ATK").scope == ("all",)
    assert access.open_role().scope == ("all",)
    assert Role("a", "partner", "ATK").scope == ("partner", "ATK")
    assert Role("a", "partner", "ATK").locked_partner == "ATK"
    assert Role("a", "baziel", "ATK").locked_partner is None
    assert access.open_role().locked_partner is None


def test_labels():
    assert Role("a", "stuurgroep").label == "Stuurgroep"
    assert Role("a", "baziel").label == "BAZIEL-team"
    assert Role("a", "partner", "ATK").label == "Partner ATK"
    assert access.open_role().label == "Open toegang"


# -- pages ----------------------------------------------------------------------------------------
def test_pages_per_role(ds):
    everything = ["overzicht", "weekoverleg", "kwartaaloverzicht", "uren_per_partner",
                  "doelstellingen", "datakwaliteit", "begrotingsevaluatie"]
    assert access.allowed_pages(access.resolve_role(ds, "els@example.org")) == everything
    assert access.allowed_pages(access.resolve_role(ds, "sofie@atk.example.org")) == everything
    assert access.allowed_pages(access.open_role()) == everything
    assert access.allowed_pages(access.resolve_role(ds, "an@example.org")) == \
        ["overzicht", "uren_per_partner", "begrotingsevaluatie"]
    assert list(access.PAGES) == everything


@pytest.mark.parametrize("email, may", [("els@example.org", True), ("sofie@atk.example.org", True),
                                        ("an@example.org", False), (None, False)],
                         ids=["stuurgroep", "baziel", "partner", "open"])
def test_only_a_logged_in_stuurgroep_or_baziel_may_write_the_draft(ds, email, may):
    role = access.open_role() if email is None else access.resolve_role(ds, email)
    assert access.may_write_draft(role) is may


def test_a_partner_role_without_a_partner_sees_nothing():
    assert access.allowed_pages(Role("x@example.org", "partner", None)) == []
    assert not Role("x@example.org", "partner", None).known


# -- the filter -----------------------------------------------------------------------------------
@pytest.mark.parametrize("email", ["els@example.org", "sofie@atk.example.org"])
def test_stuurgroep_and_baziel_see_the_dataset_unchanged(ds, email):
    assert access.visible_dataset(ds, access.resolve_role(ds, email)) is ds


def test_open_access_sees_the_dataset_unchanged(ds):
    assert access.visible_dataset(ds, access.open_role()) is ds


def test_a_partner_sees_no_other_partners_hours_people_or_amounts(ds):
    atk = access.visible_dataset(ds, access.resolve_role(ds, "an@example.org"))
    assert leaks(atk, DOMO_PEOPLE, DOMO_TEXT, DOMO_NUMBERS) == []
    for name, frame in frames(atk).items():
        if "partner" in frame and name != "problems":
            assert set(frame["partner"]) <= {"ATK"}, name
    assert list(atk.partners["code"]) == ["ATK"]
    assert set(atk.users["email"]) == {"an@example.org", "els@example.org", "sofie@atk.example.org"}


def test_and_the_other_partner_sees_nothing_of_the_first(ds):
    domo = access.visible_dataset(ds, access.resolve_role(ds, "cas@domo.example.org"))
    assert leaks(domo, ATK_PEOPLE, ATK_TEXT, ATK_NUMBERS) == []
    assert set(domo.hours["partner"]) == {"DOMO"}
    assert list(domo.partners["code"]) == ["DOMO"]
    assert set(domo.hours["person"]) == {"Cas"}


def test_a_partner_keeps_all_of_its_own_rows_and_figures(ds):
    atk = access.visible_dataset(ds, access.resolve_role(ds, "an@example.org"))
    assert list(atk.hours["row"]) == list(ds.hours[ds.hours["partner"] == "ATK"]["row"])
    assert list(atk.budget["row"]) == list(ds.budget[ds.budget["partner"] == "ATK"]["row"])
    assert list(atk.expenses["row"]) == list(ds.expenses[ds.expenses["partner"] == "ATK"]["row"])
    cols = ["units", "comp_units", "uncomp_units", "amount", "budget_units", "budget_amount"]
    full = metrics.partner_hours(ds, YEAR).set_index("code").loc["ATK", cols]
    mine = metrics.partner_hours(atk, YEAR).set_index("code").loc["ATK", cols]
    assert mine.to_dict() == full.to_dict()
    # Compensation is allocated per (year, subproject, partner): the same with or without DOMO.
    assert metrics.statement_lines(metrics.allocate_hours(atk)).equals(
        metrics.statement_lines(metrics.allocate_hours(ds)).query("partner == 'ATK'")
        .reset_index(drop=True))
    assert list(metrics.partner_hours(atk, YEAR)["code"]) == ["ATK"]


def test_the_progress_overview_is_the_same_for_a_partner(ds):
    atk = access.visible_dataset(ds, access.resolve_role(ds, "an@example.org"))
    peildatum = dt.date(2021, 7, 1)
    assert atk.subprojects[["code", "name", "lead"]].equals(ds.subprojects[["code", "name", "lead"]])
    assert atk.goals.equals(ds.goals)
    assert atk.indicators.equals(ds.indicators)
    assert atk.measurements.equals(ds.measurements)
    pd.testing.assert_frame_equal(metrics.subproject_progress(atk, YEAR, peildatum).drop(columns="manager"),
                                  metrics.subproject_progress(ds, YEAR, peildatum).drop(columns="manager"))
    pd.testing.assert_frame_equal(metrics.goal_progress(atk, YEAR, peildatum),
                                  metrics.goal_progress(ds, YEAR, peildatum))
    pd.testing.assert_frame_equal(metrics.indicator_status(atk, YEAR, peildatum),
                                  metrics.indicator_status(ds, YEAR, peildatum))
    assert list(metrics.overdue_actions(atk, YEAR, peildatum)["id"]) == \
        list(metrics.overdue_actions(ds, YEAR, peildatum)["id"])
    metrics.summary(atk, YEAR, peildatum=peildatum)  # every rule runs on the filtered data


def test_people_of_work_led_by_another_partner_are_emptied(ds):
    atk = access.visible_dataset(ds, access.resolve_role(ds, "an@example.org"))
    owners = dict(zip(atk.actions["id"], atk.actions["owner"]))
    assert owners == {"A1": "An", "A2": "Bo", "A3": None, "A4": None, "A5": None}
    assert dict(zip(atk.subprojects["code"], atk.subprojects["manager"])) == {"DP1": "Els", "DP2": None}
    assert list(ds.actions["owner"]) == ["An", "Bo", "Cas", "Cas", "Dirk"]  # the original is untouched


def test_problems_of_other_partners_rows_do_not_leak(ds):
    atk = access.visible_dataset(ds, access.resolve_role(ds, "an@example.org"))
    p, full = atk.problems, ds.problems
    atk_rows = set(ds.hours[ds.hours["partner"] == "ATK"]["row"])
    # The Uren problems left are ATK's own warnings (Bo's 25 hours on 3 August).
    uren = p[p["tab"] == "Uren"]
    assert len(uren) == 2 and set(uren["row"]) <= atk_rows
    assert set(uren["value"]) == {"13", "12"}
    # Other tabs are kept whole; the header-row warning of Uitgaven too.
    assert ((p["tab"] == "Uitgaven") & (p["row"] == 1)).sum() == 1
    assert p[~p["tab"].isin(access.PARTNER_TABS)].equals(
        full[~full["tab"].isin(access.PARTNER_TABS)].reset_index(drop=True))
    # Gebruikers: the DOMO user with an invalid role is not shown.
    assert not (p["tab"] == "Gebruikers").any()
    assert (full["tab"] == "Gebruikers").sum() == 1
    # The counts follow: no DOMO rows counted, no DOMO error rows excluded.
    assert atk.excluded["Uren"] == 0 and atk.excluded["Gebruikers"] == 0
    assert atk.row_counts["Uren"] == len(atk.hours)
    assert atk.row_counts["Partners"] == 1
    uren_dates = atk.row_dates[atk.row_dates["tab"] == "Uren"]
    assert set(uren_dates["row"]) == set(atk.hours["row"])


def test_a_partner_sees_the_problems_of_its_own_partner_cells():
    """An hour row whose Partner cell is the partner's own code is the partner's row, also when
    that cell is what the problem is about (no Personeel line for it: a warning)."""
    tabs = two_partner_tabs()
    tabs["Uren"].append([D(2021, 3, 1), "atk", "An", "DP2", None, 1, None])  # DP2: ATK has a line
    tabs["Begroting"] = [row for row in tabs["Begroting"] if row[1] != "DP2"]
    ds = dataset_of(tabs)
    p = ds.problems
    warned = p[(p["tab"] == "Uren") & (p["column"] == "Partner") & (p["value"].str.casefold() == "atk")]
    assert len(warned) >= 1
    atk = access.visible_dataset(ds, access.resolve_role(ds, "an@example.org"))
    assert set(warned["row"]) <= set(atk.problems[atk.problems["tab"] == "Uren"]["row"])


def test_derived_caches_of_the_full_data_are_not_handed_on(ds):
    ds.extra["cache"] = "van iedereen"
    try:
        atk = access.visible_dataset(ds, access.resolve_role(ds, "an@example.org"))
        assert atk.extra == {}
    finally:
        ds.extra.clear()


def test_the_filter_leaves_the_full_dataset_alone(ds):
    before = {name: frame.copy() for name, frame in frames(ds).items()}
    access.visible_dataset(ds, access.resolve_role(ds, "an@example.org"))
    for name, frame in frames(ds).items():
        pd.testing.assert_frame_equal(frame, before[name])


def test_a_partner_without_anything_gets_empty_tables():
    tabs = two_partner_tabs()
    tabs["Partners"].append(["EKC", "EKC vzw", None])
    tabs["Gebruikers"].append(["ekc@example.org", "partner", "ekc"])
    ds = dataset_of(tabs)
    role = access.resolve_role(ds, "EKC@example.org")
    assert (role.role, role.partner) == ("partner", "EKC")
    ekc = access.visible_dataset(ds, role)
    assert ekc.hours.empty and ekc.budget.empty and ekc.expenses.empty
    assert list(ekc.hours.columns) == list(ds.hours.columns)
    assert leaks(ekc, DOMO_PEOPLE | ATK_PEOPLE, DOMO_TEXT | ATK_TEXT, DOMO_NUMBERS | ATK_NUMBERS) == []
    assert metrics.partner_hours(ekc, YEAR)["units"].tolist() == [0]


# -- contacts and access mode ---------------------------------------------------------------------
def test_whom_to_ask_for_access(ds):
    assert access.access_contacts(ds) == ["sofie@atk.example.org"]
    tabs = two_partner_tabs()
    tabs["Gebruikers"] = [row for row in tabs["Gebruikers"] if "Sofie" not in str(row[0])]
    assert access.access_contacts(dataset_of(tabs)) == ["els@example.org"]
    tabs["Gebruikers"] = tabs["Gebruikers"][:1]
    assert access.access_contacts(dataset_of(tabs)) == []


@pytest.mark.parametrize("has_auth, kind, allow, mode", [
    (True, "demo", False, "login"),
    (True, "gsheets", False, "login"),
    (True, "gsheets", True, "login"),
    (False, "demo", False, "open_demo"),
    (False, "demo", True, "open_demo"),
    (False, "gsheets", False, "refuse"),
    (False, "gsheets", True, "open_allowed"),
    (False, "workbook", False, "open_allowed"),
    (False, "iets anders", False, "refuse"),
])
def test_access_mode(has_auth, kind, allow, mode):
    assert access.access_mode(has_auth, kind, allow) == mode


# -- the settings that decide the mode (baz_data.config) -------------------------------------------
AUTH = ('[auth]\nredirect_uri = "http://localhost:8501/oauth2callback"\ncookie_secret = "k"\n'
        'client_id = "id"\nclient_secret = "geheim"\n'
        'server_metadata_url = "https://accounts.google.com/.well-known/openid-configuration"\n')


def settings_of(tmp_path, text: str):
    from baz_data.config import load_settings

    path = tmp_path / "secrets.toml"
    path.write_text(text, encoding="utf-8")
    return load_settings(path)


def test_settings_without_auth(tmp_path):
    s = settings_of(tmp_path, '[connections.gsheets]\nspreadsheet = "abc"\n')
    assert (s.has_auth, s.auth_missing, s.auth_provider, s.allow_open_access) == (False, (), None, False)


def test_settings_with_a_complete_auth_section_say_so_without_keeping_its_values(tmp_path):
    s = settings_of(tmp_path, AUTH)
    assert (s.has_auth, s.auth_missing, s.auth_provider) == (True, (), None)
    assert "geheim" not in repr(s) and "geheim" not in str(s.__dict__)
    assert "has_auth=True" in repr(s)


def test_settings_name_the_missing_auth_keys(tmp_path):
    s = settings_of(tmp_path, AUTH.replace('client_secret = "geheim"\n', "").replace('"k"', '" "'))
    assert s.has_auth and s.auth_missing == ("cookie_secret", "client_secret")
    assert settings_of(tmp_path, "[auth]\n").auth_missing == (
        "redirect_uri", "cookie_secret", "client_id", "client_secret", "server_metadata_url")


def test_settings_with_a_named_provider(tmp_path):
    text = ('[auth]\nredirect_uri = "http://localhost:8501/oauth2callback"\ncookie_secret = "k"\n'
            '[auth.google]\nclient_id = "id"\nclient_secret = "s"\n')
    s = settings_of(tmp_path, text)
    assert s.auth_provider == "google" and s.auth_missing == ("google.server_metadata_url",)


@pytest.mark.parametrize("text, allowed", [
    ('allow_open_access = true\n[connections.gsheets]\nspreadsheet = "abc"\n', True),
    ('[connections.gsheets]\nspreadsheet = "abc"\nallow_open_access = true\n', True),
    ('allow_open_access = false\n[connections.gsheets]\nspreadsheet = "abc"\n', False),
])
def test_allow_open_access_at_the_top_or_with_the_spreadsheet(tmp_path, text, allowed):
    assert settings_of(tmp_path, text).allow_open_access is allowed


def test_allow_open_access_must_be_true_or_false(tmp_path):
    from baz_data.sources import SourceError

    with pytest.raises(SourceError, match="true of false"):
        settings_of(tmp_path, 'allow_open_access = "ja"\n')
    with pytest.raises(SourceError, match=r"\[auth\]"):
        settings_of(tmp_path, 'auth = "ja"\n')
