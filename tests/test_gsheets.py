"""GoogleSheetsSource against the test server, with the real gspread and google-auth."""
from __future__ import annotations

import datetime as dt
import time

import pytest

from baz_data.gsheets import GoogleSheetsSource, RetryPolicy, spreadsheet_key
from baz_data.metrics import summary
from baz_data.model import build_dataset
from baz_data.schema import TAB_NAMES
from baz_data.sheets_auth import make_service_account
from baz_data.sheets_server import HTML, MALFORMED_JSON, MISSING_RANGES, WRONG_RANGE
from baz_data.sources import DEMO_WORKBOOK, SourceError, WorkbookSource

from .conftest import base_tabs

FAST = RetryPolicy(tries=4, first_delay=0.01, max_total=2.0)


def source(server, key, **kwargs) -> GoogleSheetsSource:
    kwargs.setdefault("retry", FAST)
    return GoogleSheetsSource(key, server.service_account_info, sheets_api_url=server.url,
                              **kwargs)


@pytest.fixture
def key(sheets_server):
    return sheets_server.add_spreadsheet(base_tabs(), title="Jaarplan BAZ 2021")


def test_reads_every_tab_as_google_returns_it(sheets_server, key):
    raw = source(sheets_server, key).read()
    assert list(raw.tabs) == TAB_NAMES
    acties = raw.tabs["Acties"]
    # Dates as serial day numbers, numbers as numbers, typed text stays text, short rows stay short.
    assert acties[1] == ["A1", "SD1", "Lerend netwerk", "ATK", "An", 44200, 44377, "Lopend", 50,
                         "Nieuwsbrief", None, None, 44375]
    assert acties[5][8] == "0,25"
    assert len(acties[4]) == 8
    assert raw.tabs["Partners"][2] == ["DOMO", "Domo vzw"]
    assert raw.info.kind == "gsheets" and raw.info.label == "Jaarplan BAZ 2021"
    assert raw.info.url == f"https://docs.google.com/spreadsheets/d/{key}/edit"
    assert raw.info.gids["Partners"] == 0
    assert raw.info.cell_url("Uren", "B7").endswith(f"#gid={raw.info.gids['Uren']}&range=B7")
    assert isinstance(raw.info.fetched_at, dt.datetime)


def test_two_requests_per_refresh(sheets_server, key):
    """Values in one batchGet; number formats and metadata (title, tab ids) in one get."""
    src = source(sheets_server, key)
    src.read()
    assert sheets_server.counts == {"token": 1, "get": 1, "batchGet": 1}
    sheets_server.reset(spreadsheets=False)
    for _ in range(3):
        src.read()
    assert sheets_server.counts == {"batchGet": 3, "get": 3}


def test_expired_token_costs_one_token_request_more(sheets_server, key):
    src = source(sheets_server, key)
    src.read()
    sheets_server.expire_tokens()
    sheets_server.reset(spreadsheets=False)
    src.read()   # 401 on the old token: google-auth fetches a new one and repeats the request
    assert sheets_server.counts == {"token": 1, "batchGet": 2, "get": 1}
    sheets_server.reset(spreadsheets=False)
    src.read()
    assert sheets_server.counts == {"batchGet": 1, "get": 1}


def test_missing_tab_costs_one_metadata_call_and_the_rest_loads(sheets_server, key):
    src = source(sheets_server, key)
    src.read()
    book = sheets_server.spreadsheet(key)
    book.sheets = [s for s in book.sheets if s.title != "Metingen"]  # someone deleted the tab
    sheets_server.reset(spreadsheets=False)
    raw = src.read()
    assert "Metingen" not in raw.tabs and len(raw.tabs) == len(TAB_NAMES) - 1
    assert raw.tabs["Uren"][0][0] == "Datum"
    assert sheets_server.counts == {"batchGet": 2, "get": 2}
    problems = build_dataset(raw).problems
    assert problems["message"].str.contains("Tabblad 'Metingen' ontbreekt").any()


def test_missing_tab_on_a_fresh_source_costs_one_failed_batch_get(sheets_server):
    tabs = base_tabs()
    del tabs["Gebruikers"]
    src = source(sheets_server, sheets_server.add_spreadsheet(tabs))
    raw = src.read()
    assert set(raw.tabs) == set(TAB_NAMES) - {"Gebruikers"}
    assert sheets_server.counts == {"token": 1, "get": 2, "batchGet": 2}
    sheets_server.reset(spreadsheets=False)
    src.read()   # the source now knows which tabs exist
    assert sheets_server.counts == {"get": 1, "batchGet": 1}


def test_tab_names_match_like_the_loader_does(sheets_server):
    tabs = base_tabs()
    tabs["uren "] = tabs.pop("Uren")
    raw = source(sheets_server, sheets_server.add_spreadsheet(tabs)).read()
    assert raw.tabs["uren "][0][0] == "Datum"
    assert "Uren" in raw.info.gids
    assert build_dataset(raw).row_counts["Uren"] == len(tabs["uren "]) - 1


def test_accepts_a_url(sheets_server, key):
    url = f"https://docs.google.com/spreadsheets/d/{key}/edit#gid=0"
    assert source(sheets_server, url).read().info.label == "Jaarplan BAZ 2021"
    assert spreadsheet_key(f"  {key} ") == key


@pytest.mark.parametrize("api_url", ["{url}/", "{url}/v4", "{url}/v4/"])
def test_sheets_api_url_forms(sheets_server, key, api_url):
    src = GoogleSheetsSource(key, sheets_server.service_account_info,
                             sheets_api_url=api_url.format(url=sheets_server.url))
    assert src.read().tabs["Partners"][0] == ["Code", "Naam", "Contact"]


@pytest.mark.parametrize("bad, message", [
    ("https://example.com/spreadsheet", "geen link naar een Google-spreadsheet"),
    ("mijn-sheet", "geen geldige spreadsheetsleutel"),
    ("", "geen geldige spreadsheetsleutel"),
])
def test_a_bad_key_or_url_is_a_dutch_error(sheets_server, bad, message):
    with pytest.raises(SourceError, match=message):
        source(sheets_server, bad)
    assert sheets_server.api_requests() == 0


def test_not_shared_names_the_account_to_share_with(sheets_server):
    key = sheets_server.add_spreadsheet(base_tabs(), writers=())
    email = sheets_server.service_account_info["client_email"]
    with pytest.raises(SourceError) as info:
        source(sheets_server, key).read()
    assert "niet gedeeld met het serviceaccount" in str(info.value)
    assert email in str(info.value)


def test_unknown_spreadsheet_is_not_found(sheets_server):
    with pytest.raises(SourceError, match="niet gevonden. Controleer de link"):
        source(sheets_server, "1" + "a" * 43).read()
    assert sheets_server.counts["batchGet"] == 1  # 404 is not retried


def test_429_is_retried_then_succeeds(sheets_server, key):
    src = source(sheets_server, key)
    src.read()
    sheets_server.reset(spreadsheets=False)
    sheets_server.fail(429, times=2)
    assert src.read().tabs["Partners"]
    assert sheets_server.counts == {"batchGet": 3, "get": 1}


def test_persistent_429_gives_up_after_the_tries(sheets_server, key):
    src = source(sheets_server, key, retry=RetryPolicy(tries=4, first_delay=0.01, max_total=5))
    sheets_server.fail(429, times=None)
    with pytest.raises(SourceError, match="60 leesverzoeken per minuut"):
        src.read()
    assert sheets_server.api_requests() == 4


def test_persistent_429_gives_up_within_the_time_bound(sheets_server, key):
    src = source(sheets_server, key, retry=RetryPolicy(tries=50, first_delay=0.02, max_total=0.3))
    sheets_server.fail(429, times=None)
    started = time.monotonic()
    with pytest.raises(SourceError, match="Probeer het over een minuut opnieuw"):
        src.read()
    assert time.monotonic() - started < 0.6
    assert 2 <= sheets_server.api_requests() <= 5   # waits 0.02, 0.04, 0.08, 0.16 → stops


@pytest.mark.parametrize("status", [500, 502, 503])
def test_server_errors_are_retried_then_reported(sheets_server, key, status):
    src = source(sheets_server, key)
    sheets_server.fail(status, times=1)
    assert src.read().tabs  # one failure: retried
    sheets_server.fail(status, times=None)
    with pytest.raises(SourceError, match=f"storing \\(HTTP {status}\\)"):
        source(sheets_server, key).read()


# -- odd answers: never a traceback, never HTML on screen, never a tab silently empty -----------
def test_an_html_502_page_is_retried_like_any_5xx(sheets_server, key):
    src = source(sheets_server, key)
    src.read()
    sheets_server.reset(spreadsheets=False)
    sheets_server.fail(502, times=2, kinds=["batchGet"], answer=HTML)
    assert src.read().tabs["Partners"]
    assert sheets_server.counts == {"batchGet": 3, "get": 1}


def test_a_persistent_html_502_is_a_dutch_storing_without_html(sheets_server, key):
    src = source(sheets_server, key)
    sheets_server.fail(502, times=None, answer=HTML)
    with pytest.raises(SourceError) as info:
        src.read()
    message = str(info.value)
    assert "storing (HTTP 502)" in message and "-1" not in message
    assert "<" not in message and "html" not in message.lower()
    assert sheets_server.api_requests() == FAST.tries            # retried within the bound


def test_an_html_page_with_a_4xx_names_the_status_not_the_page(sheets_server, key):
    src = source(sheets_server, key)
    sheets_server.fail(404, times=None, answer=HTML)
    with pytest.raises(SourceError, match=r"onverwacht antwoord \(HTTP 404") as info:
        src.read()
    assert "<" not in str(info.value)
    assert sheets_server.api_requests() == 1                      # a 4xx is not retried


@pytest.mark.parametrize("kinds", [["batchGet"], ["get"]], ids=["values", "metadata"])
def test_a_200_with_malformed_json_is_a_dutch_error(sheets_server, key, kinds):
    sheets_server.fail(200, kinds=kinds, answer=MALFORMED_JSON)
    with pytest.raises(SourceError, match="onvolledige of onleesbare gegevens"):
        source(sheets_server, key).read()


def test_a_200_with_a_web_page_says_so(sheets_server, key):
    """A proxy or captive portal answering in Google's place: a page, not data."""
    sheets_server.fail(200, kinds=["batchGet"], answer=HTML)
    with pytest.raises(SourceError, match="antwoordde met een webpagina in plaats van de "
                                          "gegevens") as info:
        source(sheets_server, key).read()
    assert "<" not in str(info.value)


@pytest.mark.parametrize("answer, detail", [
    (MISSING_RANGES, "1 van de 10 gevraagde tabbladen ontbreken"),
    (WRONG_RANGE, "in plaats van tabblad 'Gebruikers' kwam er tabblad 'Partners'"),
], ids=["missing-range", "wrong-range"])
def test_a_batch_get_missing_ranges_is_an_incomplete_answer(sheets_server, key, answer, detail):
    """Not "Tabblad … ontbreekt" (the tab is there) and not an empty tab: an error, so the
    last good data stays."""
    src = source(sheets_server, key)
    src.read()
    sheets_server.fail(200, kinds=["batchGet"], answer=answer)
    with pytest.raises(SourceError) as info:
        src.read()
    assert "onvolledig antwoord van Google" in str(info.value) and detail in str(info.value)
    assert src.read().tabs.keys() == set(TAB_NAMES)              # the next answer is whole again


def test_range_titles_are_read_as_google_writes_them():
    from baz_data.gsheets import range_title

    assert range_title("Uren!A1:G9") == "Uren"
    assert range_title("'Lessons learned'!A1:Z1000") == "Lessons learned"
    assert range_title("'Leden''s lijst'!A1:C3") == "Leden's lijst"
    assert range_title("'Uren!2'!A1") == "Uren!2"
    assert range_title(None) is None and range_title("") is None


def test_timeout_is_a_dutch_error(sheets_server, key):
    src = source(sheets_server, key, timeout=0.2)
    sheets_server.slow(1.0)
    with pytest.raises(SourceError, match="antwoordde niet binnen 0,2 seconden"):
        src.read()


def test_unreachable_server_is_a_dutch_error(sheets_server, key):
    src = GoogleSheetsSource(key, sheets_server.service_account_info,
                             sheets_api_url="http://127.0.0.1:9", retry=FAST)  # nothing listens
    with pytest.raises(SourceError, match="niet bereikbaar"):
        src.read()


def test_a_key_google_does_not_know_fails_at_sign_in(sheets_server, key):
    forged, _ = make_service_account(sheets_server.token_uri,
                                     sheets_server.service_account_info["client_email"])
    with pytest.raises(SourceError, match="Aanmelden bij Google met serviceaccount .* mislukt"):
        GoogleSheetsSource(key, forged, sheets_api_url=sheets_server.url).read()


def test_unusable_credentials_are_reported_without_the_key(sheets_server, key):
    info = dict(sheets_server.service_account_info)
    with pytest.raises(SourceError, match="private_key ontbreekt"):
        GoogleSheetsSource(key, {**info, "private_key": ""})
    with pytest.raises(SourceError, match="geen bruikbare sleutel") as bad:
        GoogleSheetsSource(key, {**info, "private_key": "-----BEGIN PRIVATE KEY-----\nabc\n"})
    assert "abc" not in str(bad.value)
    assert info["private_key"] not in repr(source(sheets_server, key))


def test_same_figures_as_the_workbook_source(sheets_server):
    """The Google source and the workbook source on the same data give the same summary."""
    from_file = WorkbookSource(DEMO_WORKBOOK).read()
    key = sheets_server.add_spreadsheet(from_file.tabs, title="BAZ demo")
    from_google = source(sheets_server, key).read()
    ds_file, ds_google = build_dataset(from_file), build_dataset(from_google)
    assert ds_google.row_counts == ds_file.row_counts
    assert ds_google.excluded == ds_file.excluded
    assert len(ds_google.problems) == len(ds_file.problems)
    assert ds_google.years == ds_file.years
    for year in ds_file.years:
        for quarter in (None, 2):
            a = summary(ds_file, year, quarter, dt.date(year, 9, 30))
            b = summary(ds_google, year, quarter, dt.date(year, 9, 30))
            assert a.pop("source") == {"kind": "workbook", "label": DEMO_WORKBOOK.name}
            assert b.pop("source") == {"kind": "gsheets", "label": "BAZ demo"}
            assert a == b
