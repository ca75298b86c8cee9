"""GoogleSheetsSource.probe (baz_data.drive_probe) against the test server's Drive files.get:
a stamp that moves with every edit, no Sheets read, and Drive's refusals as Dutch messages
(ProbeUnavailable for what needs a setting, SourceError for what may mend)."""
from __future__ import annotations

import pytest

from baz_data.drive_probe import normalize_drive_root
from baz_data.gsheets import READ_SCOPES, GoogleSheetsSource, RetryPolicy
from baz_data.sheets_server import HTML, MALFORMED_JSON
from baz_data.sources import ProbeUnavailable, SourceError

from .conftest import base_tabs

FAST = RetryPolicy(tries=4, first_delay=0.01, max_total=2.0)


def source(server, key, **kwargs) -> GoogleSheetsSource:
    kwargs.setdefault("retry", FAST)
    kwargs.setdefault("sheets_api_url", server.url)
    return GoogleSheetsSource(key, server.service_account_info, **kwargs)


@pytest.fixture
def key(sheets_server):
    return sheets_server.add_spreadsheet(base_tabs(), title="Jaarplan BAZ 2021")


def test_the_stamp_moves_with_an_edit_and_costs_no_sheets_read(sheets_server, key):
    src = source(sheets_server, key)
    first = src.probe()
    assert src.probe() == first
    sheets_server.write(key, "Acties!H2", [["Afgerond"]])
    assert src.probe() != first
    assert sheets_server.sheets_reads() == 0
    assert sheets_server.counts["drive.files.get"] == 3


def test_probe_and_read_share_one_token(sheets_server, key):
    src = source(sheets_server, key)
    src.read()
    src.probe()
    assert sheets_server.counts["token"] == 1


@pytest.mark.parametrize("url", ["{url}", "{url}/", "{url}/drive/v3"])
def test_drive_api_url_forms(sheets_server, key, url):
    src = source(sheets_server, key, sheets_api_url="http://127.0.0.1:9",
                 drive_api_url=url.format(url=sheets_server.url))
    assert src.probe()


def test_the_default_drive_root_is_googles():
    assert normalize_drive_root(None) == "https://www.googleapis.com"


def test_the_drive_api_switched_off_names_what_to_enable(sheets_server, key):
    sheets_server.disable_drive()
    email = sheets_server.service_account_info["client_email"]
    with pytest.raises(ProbeUnavailable) as info:
        source(sheets_server, key).probe()
    message = str(info.value)
    assert "De Google Drive API staat niet aan" in message and email in message
    assert "APIs & Services → Library → Google Drive API → Enable" in message
    assert "has not been used" not in message                      # English stays in the log
    assert source(sheets_server, key).read().tabs                   # reading still works


def test_a_missing_scope_is_unavailable(sheets_server, key):
    with pytest.raises(ProbeUnavailable, match="scope drive.metadata.readonly ontbreekt"):
        source(sheets_server, key, scopes=READ_SCOPES[:1]).probe()


def test_a_file_drive_cannot_see_is_unavailable(sheets_server):
    key = sheets_server.add_spreadsheet(base_tabs(), writers=())
    with pytest.raises(ProbeUnavailable, match="Google Drive vindt de spreadsheet niet"):
        source(sheets_server, key).probe()


def test_an_address_that_is_no_drive_api_is_unavailable(sheets_server, key):
    sheets_server.fail(404, times=1, kinds=["drive.files.get"], answer=HTML)
    with pytest.raises(ProbeUnavailable, match=r"antwoordt niet als de Drive API \(HTTP 404\)"):
        source(sheets_server, key).probe()


@pytest.mark.parametrize("status, answer, said", [
    (503, None, "storing (HTTP 503)"),
    (502, HTML, "storing (HTTP 502)"),
    (429, None, "weigert tijdelijk meer verzoeken"),
    (200, MALFORMED_JSON, "onleesbare gegevens"),
], ids=["503", "html-502", "429", "malformed-json"])
def test_what_may_mend_is_a_source_error_and_not_retried(sheets_server, key, status, answer,
                                                         said):
    src = source(sheets_server, key)
    sheets_server.fail(status, times=1, kinds=["drive.files.get"], answer=answer)
    with pytest.raises(SourceError) as info:
        src.probe()
    assert not isinstance(info.value, ProbeUnavailable)
    assert said in str(info.value) and "<" not in str(info.value)
    assert sheets_server.counts["drive.files.get"] == 1             # the next probe is the retry
    assert src.probe()


def test_a_slow_drive_is_a_dutch_timeout(sheets_server, key):
    src = source(sheets_server, key, timeout=0.2)
    sheets_server.slow(1.0, kinds=["drive.files.get"])
    with pytest.raises(SourceError, match="antwoordde niet binnen 0,2 seconden"):
        src.probe()


def test_unreachable_drive_is_a_dutch_error(sheets_server, key):
    with pytest.raises(SourceError, match="Google Drive is niet bereikbaar"):
        source(sheets_server, key, drive_api_url="http://127.0.0.1:9").probe()
