"""Settings from secrets.toml and the choice of source."""
from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest

from baz_data.config import ACCOUNT_FIELDS, Settings, load_settings, make_source
from baz_data.gsheets import GoogleSheetsSource
from baz_data.sources import SourceError, WorkbookSource

ROOT = Path(__file__).resolve().parent.parent
KEY = "1" + "k" * 43


def write_secrets(path: Path, info: dict | None = None, **extra) -> Path:
    lines = ["[connections.gsheets]"]
    lines += [f"{k} = {json.dumps(v)}" for k, v in {**(info or {}), **extra}.items()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def no_default_secrets(tmp_path, monkeypatch):
    """Neither ./.streamlit nor ~/.streamlit holds a secrets.toml."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))


@pytest.fixture
def secrets(tmp_path, sheets_server):
    return write_secrets(tmp_path / "secrets.toml", sheets_server.service_account_info,
                         sheets_api_url=sheets_server.url)


def test_reads_the_st_gsheets_connection_layout(sheets_server, secrets):
    settings = load_settings(secrets)
    assert settings.service_account == sheets_server.service_account_info
    assert settings.sheets_api_url == sheets_server.url
    assert (settings.spreadsheet, settings.timeout, settings.cache_ttl) == (None, 20.0, 300)
    assert (settings.probe_interval, settings.drive_api_url) == (15.0, None)
    assert settings.path == secrets


def test_optional_settings(tmp_path):
    path = write_secrets(tmp_path / "s.toml", spreadsheet=f" {KEY} ", timeout=5, cache_ttl=60,
                         probe_interval=1.5, drive_api_url="http://127.0.0.1:8765")
    settings = load_settings(path)
    assert (settings.spreadsheet, settings.timeout, settings.cache_ttl) == (KEY, 5.0, 60)
    assert (settings.probe_interval, settings.drive_api_url) == (1.5, "http://127.0.0.1:8765")
    assert settings.service_account is None


def test_secrets_never_show(sheets_server, secrets):
    settings = load_settings(secrets)
    key = sheets_server.service_account_info["private_key"]
    body = key.splitlines()[1]
    for text in (repr(settings), str(settings), repr(settings.service_account),
                 str(settings.service_account), f"{settings}"):
        assert body not in text and "***" in text
    assert settings.client_email in repr(settings)


def test_private_key_with_literal_backslash_n_is_repaired(tmp_path, sheets_server):
    info = dict(sheets_server.service_account_info)
    literal = info.pop("private_key").replace("\n", "\\n")
    path = tmp_path / "s.toml"
    write_secrets(path, info)
    with path.open("a", encoding="utf-8") as f:
        f.write(f"private_key = '''{literal}'''\n")  # a TOML literal string keeps the \n as is
    assert load_settings(path).service_account["private_key"] == \
        sheets_server.service_account_info["private_key"]


def test_no_secrets_file_means_no_settings(no_default_secrets):
    assert load_settings() == Settings()


def test_invalid_toml_is_said_in_dutch_only(tmp_path):
    path = tmp_path / "s.toml"
    path.write_text("# uitleg\n[connections.gsheets\n", encoding="utf-8")
    with pytest.raises(SourceError) as info:
        load_settings(path)
    message = str(info.value)
    assert message.startswith(f"'{path}' is geen geldig TOML-bestand (fout op regel 2).")
    assert "Expected" not in message and "line" not in message
    assert isinstance(info.value.__cause__, tomllib.TOMLDecodeError)


def test_default_location_is_the_streamlit_one(tmp_path, no_default_secrets):
    (tmp_path / ".streamlit").mkdir()
    write_secrets(tmp_path / ".streamlit" / "secrets.toml", spreadsheet=KEY)
    assert load_settings().spreadsheet == KEY


@pytest.mark.parametrize("content, message", [
    ("[connections.gsheets\n", "geen geldig TOML-bestand"),
    ("[connections.gsheets]\ntimeout = 'snel'\n", "positief getal"),
    ("[connections.gsheets]\nprobe_interval = 0\n", "'probe_interval' .* positief getal"),
    ("[connections.gsheets]\nspreadsheet = 5\n", "moet tekst zijn"),
])
def test_a_broken_secrets_file_is_a_dutch_error(tmp_path, content, message):
    path = tmp_path / "s.toml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(SourceError, match=message):
        load_settings(path)


@pytest.mark.parametrize("line, trusted", [("", False), ("trust_unverified_email = true\n", True),
                                           ("trust_unverified_email = false\n", False)])
def test_trust_unverified_email_is_an_auth_setting(tmp_path, line, trusted):
    path = tmp_path / "s.toml"
    path.write_text(f"[auth]\nredirect_uri = 'x'\n{line}", encoding="utf-8")
    assert load_settings(path).trust_unverified_email is trusted


def test_trust_unverified_email_must_be_a_boolean(tmp_path):
    path = tmp_path / "s.toml"
    path.write_text("[auth]\ntrust_unverified_email = 'ja'\n", encoding="utf-8")
    with pytest.raises(SourceError, match="trust_unverified_email.*true of false"):
        load_settings(path)


def test_an_explicit_secrets_path_must_exist(tmp_path):
    with pytest.raises(SourceError, match="niet gevonden"):
        load_settings(tmp_path / "weg.toml")


def test_precedence_workbook_first(secrets):
    source = make_source(workbook="x.xlsx", sheet=KEY, secrets_path=str(secrets))
    assert isinstance(source, WorkbookSource) and source.path == Path("x.xlsx")


def test_precedence_explicit_sheet_uses_the_secrets_account(tmp_path, sheets_server):
    path = write_secrets(tmp_path / "s.toml", sheets_server.service_account_info,
                         spreadsheet="1" + "o" * 43, sheets_api_url=sheets_server.url)
    key = sheets_server.add_spreadsheet({"Partners": [["Code", "Naam"], ["ATK", "ATK vzw"]]})
    source = make_source(sheet=key, secrets_path=str(path))
    assert isinstance(source, GoogleSheetsSource) and source.key == key
    assert source.read().tabs == {"Partners": [["Code", "Naam"], ["ATK", "ATK vzw"]]}


def test_precedence_configured_spreadsheet(tmp_path, sheets_server):
    key = sheets_server.add_spreadsheet({"Partners": [["Code"]]}, title="Uit secrets")
    path = write_secrets(tmp_path / "s.toml", sheets_server.service_account_info,
                         spreadsheet=f"https://docs.google.com/spreadsheets/d/{key}/edit",
                         sheets_api_url=sheets_server.url, timeout=3)
    source = make_source(secrets_path=str(path))
    assert isinstance(source, GoogleSheetsSource) and source.timeout == 3.0
    assert source.read().info.label == "Uit secrets"


def test_precedence_falls_back_to_the_demo(no_default_secrets, tmp_path):
    assert make_source().kind == "demo"
    empty = tmp_path / "leeg.toml"
    empty.write_text("# nog niets ingevuld\n", encoding="utf-8")
    assert make_source(secrets_path=str(empty)).kind == "demo"


def test_source_kind_decides_without_reading(monkeypatch):
    from baz_data.config import source_kind, workbook_override

    configured = Settings(spreadsheet=KEY)
    assert source_kind(configured, "x.xlsx") == "workbook"
    assert source_kind(None, "x.xlsx") == "workbook"
    assert source_kind(Settings(), sheet=KEY) == "gsheets"
    assert source_kind(configured) == "gsheets"
    assert source_kind(Settings()) == "demo"
    monkeypatch.setenv("BAZ_WORKBOOK", "")
    assert workbook_override() is None
    monkeypatch.setenv("BAZ_WORKBOOK", "/tmp/w.xlsx")
    assert workbook_override() == "/tmp/w.xlsx"


def test_a_sheet_without_an_account_is_a_dutch_error(no_default_secrets):
    with pytest.raises(SourceError, match="serviceaccount nodig"):
        make_source(sheet=KEY)


def test_the_example_file_has_every_field_and_stays_out_of_git():
    example = ROOT / ".streamlit" / "secrets.toml.example"
    section = tomllib.loads(example.read_text(encoding="utf-8"))["connections"]["gsheets"]
    assert set(ACCOUNT_FIELDS) <= set(section)
    assert section["type"] == "service_account" and "spreadsheet" in section
    ignored = (ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert ".streamlit/secrets.toml" in ignored


def test_the_unfilled_example_gives_a_clear_message():
    example = ROOT / ".streamlit" / "secrets.toml.example"
    with pytest.raises(SourceError, match="private_key in secrets.toml is geen bruikbare sleutel"):
        make_source(secrets_path=str(example))
