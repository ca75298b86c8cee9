"""``python -m baz_data doctor`` against the local Sheets-API server and OIDC provider: a good
set-up passes every check; each mistake fails its own check, for the right reason, and no run
prints a secret."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from baz_data import doctor
from baz_data.doctor import FAILED, OK, SKIPPED, Context, run_checks
from tests.conftest import BASE_TABS
from tests.oidc_provider import OIDCProvider

ROOT = Path(__file__).resolve().parent.parent
COOKIE_SECRET = "cookie-geheim-dat-nooit-verschijnt"
CLIENT_SECRET = "client-geheim-dat-nooit-verschijnt"
APP_URL = "http://localhost:8501"


@pytest.fixture(scope="module")
def provider():
    with OIDCProvider(client_id="baz", client_secret=CLIENT_SECRET) as idp:
        yield idp


def full_tabs() -> dict:
    """Every schema tab, so the tabs check passes (BASE_TABS plus an empty Gebruikers)."""
    tabs = {tab: [list(row) for row in rows] for tab, rows in BASE_TABS.items()}
    tabs.setdefault("Gebruikers", [["E-mail", "Rol", "Partner"]])
    return tabs


def secrets_text(sheets_server, key: str | None, *, auth: dict | None, top: str = "") -> str:
    account = dict(sheets_server.service_account_info)
    lines = [top, "[connections.gsheets]"]
    if key:
        lines.append(f"spreadsheet = {json.dumps(key)}")
    lines.append(f"sheets_api_url = {json.dumps(sheets_server.url)}")
    lines += [f"{k} = {json.dumps(v)}" for k, v in account.items()]
    if auth is not None:
        lines.append("[auth]")
        lines += [f"{k} = {json.dumps(v)}" for k, v in auth.items()]
    return "\n".join(lines) + "\n"


def good_auth(provider) -> dict:
    return {"redirect_uri": f"{APP_URL}/oauth2callback", "cookie_secret": COOKIE_SECRET,
            "client_id": "baz", "client_secret": CLIENT_SECRET,
            "server_metadata_url": provider.metadata_url}


def write(tmp_path: Path, text: str, mode: int = 0o600) -> Path:
    path = tmp_path / "secrets.toml"
    path.write_text(text, encoding="utf-8")
    path.chmod(mode)
    return path


def checks(path: Path | str, url: str | None = APP_URL, history: str | None = None
           ) -> dict[str, doctor.Check]:
    return {c.code: c for c in run_checks(Context(secrets_path=str(path), app_url=url,
                                                  history_url=history, timeout=5))}


def assert_no_secret(text: str, sheets_server) -> None:
    key = sheets_server.service_account_info["private_key"]
    body = "".join(line for line in key.splitlines() if "PRIVATE KEY" not in line)
    for secret in (body[:40], body[-40:], COOKIE_SECRET, CLIENT_SECRET,
                   sheets_server.service_account_info["private_key_id"]):
        assert secret not in text


@pytest.fixture
def free_port() -> int:
    from tests.browser_support import free_port as port

    return port()


@pytest.fixture
def good(tmp_path, sheets_server, provider) -> Path:
    key = sheets_server.add_spreadsheet(full_tabs(), title="Jaarplan BAZ")
    return write(tmp_path, secrets_text(sheets_server, key, auth=good_auth(provider)))


def test_a_good_set_up_passes_every_check(good, sheets_server):
    found = checks(good)
    assert {code: c.status for code, c in found.items()} == {
        "secrets": OK, "spreadsheet": OK, "tabs": OK, "auth": OK, "provider": OK,
        "redirect": OK, "history": OK, "live": OK}
    assert "Jaarplan BAZ" in found["spreadsheet"].detail
    assert sheets_server.service_account_info["client_email"] in found["spreadsheet"].detail


def test_the_command_exits_0_and_prints_a_line_per_check_and_no_secret(good, sheets_server):
    run = subprocess.run([sys.executable, "-m", "baz_data", "doctor", "--secrets", str(good),
                          "--url", APP_URL], capture_output=True, text=True, cwd=ROOT,
                         timeout=120)
    assert run.returncode == 0, run.stdout + run.stderr
    assert run.stdout.count("✔") == len(doctor.CHECKS)
    assert "✘" not in run.stdout
    assert_no_secret(run.stdout + run.stderr, sheets_server)


def test_json_for_monitoring(good, sheets_server):
    run = subprocess.run([sys.executable, "-m", "baz_data", "doctor", "--secrets", str(good),
                          "--url", APP_URL, "--json"], capture_output=True, text=True, cwd=ROOT,
                         timeout=120)
    answer = json.loads(run.stdout)
    assert answer["ok"] is True and run.returncode == 0
    assert [c["code"] for c in answer["checks"]] == [
        "secrets", "spreadsheet", "tabs", "auth", "provider", "redirect", "history", "live"]
    assert_no_secret(run.stdout, sheets_server)


def test_a_missing_secrets_file_fails_the_first_check_and_skips_what_needs_it(tmp_path):
    found = checks(tmp_path / "nergens.toml")
    assert found["secrets"].status == FAILED and "niet gevonden" in found["secrets"].detail
    assert found["spreadsheet"].status == SKIPPED
    assert found["tabs"].status == SKIPPED


def test_a_secrets_file_others_can_read_fails(good, tmp_path):
    good.chmod(0o644)
    found = checks(good)
    assert found["secrets"].status == FAILED
    assert "chmod 600" in found["secrets"].fix


def test_invalid_toml_fails_in_dutch(tmp_path):
    found = checks(write(tmp_path, "[connections.gsheets\nspreadsheet = 1\n"))
    assert found["secrets"].status == FAILED
    assert "geen geldig TOML-bestand" in found["secrets"].detail


def test_no_spreadsheet_configured_fails(tmp_path, sheets_server, provider):
    found = checks(write(tmp_path, secrets_text(sheets_server, None, auth=good_auth(provider))))
    assert found["spreadsheet"].status == FAILED
    assert "demowerkboek" in found["spreadsheet"].detail


def test_a_spreadsheet_not_shared_names_the_service_account(tmp_path, sheets_server, provider):
    key = sheets_server.add_spreadsheet(full_tabs())
    sheets_server.fail(403, times=None)
    found = checks(write(tmp_path, secrets_text(sheets_server, key, auth=good_auth(provider))))
    assert found["spreadsheet"].status == FAILED
    email = sheets_server.service_account_info["client_email"]
    assert email in found["spreadsheet"].detail + found["spreadsheet"].fix
    assert found["tabs"].status == SKIPPED


def test_an_unknown_spreadsheet_fails(tmp_path, sheets_server, provider):
    found = checks(write(tmp_path, secrets_text(sheets_server, "1" + "x" * 43,
                                                auth=good_auth(provider))))
    assert found["spreadsheet"].status == FAILED


def test_a_missing_tab_and_column_are_named(tmp_path, sheets_server, provider):
    tabs = full_tabs()
    del tabs["Uren"]
    tabs["Begroting"] = [["Jaar", "Deelproject", "Partner", "Uren"]]   # no 'Post'
    key = sheets_server.add_spreadsheet(tabs)
    found = checks(write(tmp_path, secrets_text(sheets_server, key, auth=good_auth(provider))))
    assert found["tabs"].status == FAILED
    assert "Tabblad 'Uren' ontbreekt" in found["tabs"].detail
    assert "'Post'" in found["tabs"].detail


def test_no_auth_fails_unless_open_access_is_chosen(tmp_path, sheets_server):
    key = sheets_server.add_spreadsheet(full_tabs())
    closed = checks(write(tmp_path, secrets_text(sheets_server, key, auth=None)))
    assert closed["auth"].status == FAILED and "weigert" in closed["auth"].detail
    assert closed["provider"].status == SKIPPED
    opened = checks(write(tmp_path, secrets_text(sheets_server, key, auth=None,
                                                 top="allow_open_access = true")))
    assert opened["auth"].status == OK and "iedereen" in opened["auth"].detail
    assert opened["provider"].status == OK and opened["redirect"].status == OK


@pytest.mark.parametrize("missing", ["cookie_secret", "client_id", "server_metadata_url"])
def test_incomplete_auth_names_the_key_never_a_value(tmp_path, sheets_server, provider, missing):
    key = sheets_server.add_spreadsheet(full_tabs())
    auth = {k: v for k, v in good_auth(provider).items() if k != missing}
    found = checks(write(tmp_path, secrets_text(sheets_server, key, auth=auth)))
    assert found["auth"].status == FAILED and missing in found["auth"].detail
    assert_no_secret(doctor.render_text(list(found.values())), sheets_server)


@pytest.mark.parametrize("metadata, reason", [
    ("http://127.0.0.1:9/.well-known/openid-configuration", "niet bereikbaar"),
    ("{issuer}/bestaat-niet", "HTTP 404"),
    ("{issuer}/jwks", "geen OpenID-Connect-document"),
], ids=["unreachable", "not-found", "not-a-discovery-document"])
def test_a_bad_provider_fails_for_the_right_reason(tmp_path, sheets_server, provider, metadata,
                                                    reason):
    key = sheets_server.add_spreadsheet(full_tabs())
    auth = {**good_auth(provider), "server_metadata_url": metadata.format(issuer=provider.issuer)}
    found = checks(write(tmp_path, secrets_text(sheets_server, key, auth=auth)))
    assert found["auth"].status == OK
    assert found["provider"].status == FAILED
    assert reason in found["provider"].detail


@pytest.mark.parametrize("redirect, url, reason", [
    ("http://localhost:8502/oauth2callback", APP_URL, "draait op http://localhost:8501"),
    ("http://localhost:8501/login", APP_URL, "eindigt niet op /oauth2callback"),
    ("https://dashboard.example.org/oauth2callback", APP_URL, "draait op http://localhost:8501"),
    ("http://dashboard.example.org/oauth2callback", "http://dashboard.example.org", "https"),
], ids=["other-port", "wrong-path", "other-host", "no-https"])
def test_a_redirect_uri_that_does_not_match_the_app_fails(tmp_path, sheets_server, provider,
                                                           redirect, url, reason):
    key = sheets_server.add_spreadsheet(full_tabs())
    auth = {**good_auth(provider), "redirect_uri": redirect}
    found = checks(write(tmp_path, secrets_text(sheets_server, key, auth=auth)), url=url)
    assert found["redirect"].status == FAILED
    assert reason in found["redirect"].detail


def test_a_public_https_address_passes(tmp_path, sheets_server, provider):
    key = sheets_server.add_spreadsheet(full_tabs())
    auth = {**good_auth(provider), "redirect_uri": "https://baz.example.org/oauth2callback"}
    found = checks(write(tmp_path, secrets_text(sheets_server, key, auth=auth)),
                   url="https://baz.example.org/")
    assert found["redirect"].status == OK


def test_the_app_address_comes_from_the_streamlit_config(tmp_path):
    config = tmp_path / "config.toml"
    config.write_text('[server]\nport = 8600\nbaseUrlPath = "baz"\n', encoding="utf-8")
    assert doctor.app_url(None, config) == "http://localhost:8600/baz"
    assert doctor.app_url(None, tmp_path / "none.toml") == "http://localhost:8501"
    assert doctor.app_url("https://baz.example.org/", config) == "https://baz.example.org"


def test_a_check_that_breaks_is_a_failure_not_a_traceback():
    def check_broken(ctx):
        raise RuntimeError("kapot")

    [result] = run_checks(Context(), [check_broken])
    assert result.status == FAILED and "RuntimeError" in result.detail


def test_the_exit_code_is_1_when_anything_fails(tmp_path):
    env = {**os.environ, "HOME": str(tmp_path)}
    run = subprocess.run([sys.executable, "-m", "baz_data", "doctor", "--secrets",
                          str(tmp_path / "nergens.toml")], capture_output=True, text=True,
                         cwd=ROOT, env=env, timeout=120)
    assert run.returncode == 1
    assert "✘ Secrets-bestand" in run.stdout and "docs/hosting.md" in run.stdout


def test_the_history_database_is_opened_and_migrated(good, tmp_path):
    from baz_data.history.tables import LATEST

    found = checks(good, history=f"sqlite:///{tmp_path / 'h.sqlite3'}")
    assert found["history"].status == OK
    assert f"schemaversie {LATEST}" in found["history"].detail
    assert "nog geen standen" in found["history"].detail


def test_an_unreachable_history_database_fails_without_its_password(good, free_port):
    url = f"postgresql+psycopg://baz:wachtwoord-geheim@127.0.0.1:{free_port}/baz"
    found = checks(good, history=url)
    assert found["history"].status == FAILED
    assert "niet bereikbaar" in found["history"].detail
    assert "wachtwoord-geheim" not in doctor.render_text(list(found.values()))


def test_a_history_database_newer_than_the_app_fails(good, tmp_path):
    import sqlalchemy as sa

    from baz_data.history import tables
    from baz_data.history.store import HistoryStore

    url = f"sqlite:///{tmp_path / 'h.sqlite3'}"
    store = HistoryStore(url)
    with store.engine.begin() as conn:
        conn.execute(sa.update(tables.meta).where(tables.meta.c.name == tables.SCHEMA_VERSION_KEY)
                     .values(value=str(tables.LATEST + 1)))
    store.engine.dispose()
    found = checks(good, history=url)
    assert found["history"].status == FAILED and "Werk het dashboard bij" in found["history"].detail


def test_without_the_drive_api_live_following_fails_and_says_what_to_enable(good, sheets_server):
    sheets_server.disable_drive()
    found = checks(good)
    assert found["spreadsheet"].status == OK
    assert found["live"].status == FAILED
    assert "Drive API" in found["live"].detail + found["live"].fix


def test_the_app_s_own_afrekeningen_tab_is_named_not_a_problem(tmp_path, sheets_server,
                                                                provider):
    """The tab statement_tab.py writes is neither a missing nor an unknown tab: the tabs check
    passes and says the dashboard keeps it."""
    tabs = full_tabs()
    tabs["Afrekeningen"] = [["Jaar", "Kwartaal", "Sleutel"], [2026, 1, "A12-ATK-DP1-Q1"]]
    key = sheets_server.add_spreadsheet(tabs)
    found = checks(write(tmp_path, secrets_text(sheets_server, key, auth=good_auth(provider))))
    assert found["tabs"].status == OK
    assert found["tabs"].detail == ("Elk tabblad en elke verplichte kolom is er. Het tabblad "
                                    "Afrekeningen houdt het dashboard zelf bij (afgesloten "
                                    "kwartalen).")
