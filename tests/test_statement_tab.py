"""The Afrekeningen tab: frozen statement lines written by the app, against the local Sheets-API
server with the real gspread client.

Hand calculation of the fixture lines (close 12 froze 2026 Q1 on 03/04/2026 14:30):
* ATK DP1: 125.000 units = 12,5 uur, of which 100.000 = 10 uur within budget (10 × € 45,00 =
  € 450,00 = 45.000 cents) and 25.000 = 2,5 uur boven budget;
* EKC DP2: 40.000 units = 4 uur, all compensated: 4 × € 48,50 = € 194,00 = 19.400 cents.
Close 13 froze Q2 with a correction of Q1 for ATK DP1: +2,5 uur compensated at € 45,00 =
€ 112,50 = 11.250 cents ("correctie Q1: +2,5 uur, € 112,50").
"""
from __future__ import annotations

import datetime as dt
import time

import pandas as pd
import pytest

from baz_data import statement_tab as st
from baz_data.gsheets import GoogleSheetsSource, RetryPolicy
from baz_data.model import build_dataset
from baz_data.sheets_render import Formula
from baz_data.sources import SourceError
from tests.conftest import base_tabs

# The shared contract (notes/frozen.md): statements.FROZEN_COLUMNS, copied here on purpose so
# this test fails when either side changes it alone.
FROZEN_COLUMNS = ["close_id", "year", "quarter", "partner", "subproject", "corrects", "units",
                  "comp_units", "uncomp_units", "amount", "closed_at", "closed_by"]
Q1_AT = dt.datetime(2026, 4, 3, 14, 30)
Q2_AT = dt.datetime(2026, 7, 2, 9, 15)
BY = "voorzitter@baz.be"


def frozen(*lines: tuple) -> pd.DataFrame:
    frame = pd.DataFrame(list(lines), columns=FROZEN_COLUMNS)
    return frame.astype({c: "int64" for c in ("close_id", "year", "quarter", "units",
                                               "comp_units", "uncomp_units", "amount")})


Q1 = frozen((12, 2026, 1, "ATK", "DP1", None, 125_000, 100_000, 25_000, 45_000, Q1_AT, BY),
            (12, 2026, 1, "EKC", "DP2", None, 40_000, 40_000, 0, 19_400, Q1_AT, BY))
Q2 = frozen((13, 2026, 2, "ATK", "DP1", 1, 25_000, 25_000, 0, 11_250, Q2_AT, BY))

ROW_ATK = [2026, 1, "ATK", "DP1", "Kwartaal", 12.5, 10, 2.5, 450, Q1_AT, BY, "geldig",
           "A12-ATK-DP1-Q1"]
ROW_EKC = [2026, 1, "EKC", "DP2", "Kwartaal", 4, 4, 0, 194, Q1_AT, BY, "geldig", "A12-EKC-DP2-Q1"]
ROW_CORR = [2026, 2, "ATK", "DP1", "Correctie Q1", 2.5, 2.5, 0, 112.5, Q2_AT, BY, "geldig",
            "A13-ATK-DP1-Q2-C1"]


# -- the rows -------------------------------------------------------------------------------------
def test_the_columns_are_fixed():
    assert st.TAB == "Afrekeningen"
    assert st.TAB_COLUMNS == ["Jaar", "Kwartaal", "Partner", "Deelproject", "Soort", "Uren",
                              "Vergoed uren", "Boven budget", "Bedrag", "Afgesloten op",
                              "Afgesloten door", "Status", "Sleutel"]
    assert st.LINE_COLUMNS == FROZEN_COLUMNS


@pytest.mark.parametrize("args, key, kind", [
    ((12, "ATK", "DP1", 1, None), "A12-ATK-DP1-Q1", "Kwartaal"),
    ((13, "ATK", "DP1", 2, 1), "A13-ATK-DP1-Q2-C1", "Correctie Q1"),
    ((7, "Magenta", "BAZ Lokaal", 4, 3), "A7-Magenta-BAZ Lokaal-Q4-C3", "Correctie Q3"),
], ids=["own-quarter", "correction", "spaces-in-code"])
def test_line_key_and_kind(args, key, kind):
    assert st.line_key(*args) == key
    assert st.kind_label(args[-1]) == kind
    assert st.own_key(args[0]).fullmatch(key)


@pytest.mark.parametrize("close_id, key, own", [
    (1, "A12-ATK-DP1-Q1", False), (12, "A12-ATK-DP1-Q1", True), (12, "A120-ATK-DP1-Q1", False),
    (12, "A12-ATK-DP1-Q5", False), (12, "notitie", False), (12, "xA12-ATK-DP1-Q1", False),
], ids=["other-close-prefix", "own", "longer-id", "no-such-quarter", "text", "prefixed"])
def test_own_key_recognises_only_that_close(close_id, key, own):
    assert bool(st.own_key(close_id).fullmatch(key)) is own


def test_tab_frame_is_the_hand_calculation():
    frame = st.tab_frame(pd.concat([Q1, Q2], ignore_index=True))
    assert list(frame.columns) == st.TAB_COLUMNS
    assert [[v.to_pydatetime() if isinstance(v, pd.Timestamp) else v for v in row]
            for row in frame.itertuples(index=False)] == [ROW_ATK, ROW_EKC, ROW_CORR]


def test_corrects_as_a_float_column_still_gives_whole_quarters():
    """pandas stores [None, 1] as floats (NaN, 1.0): the key must say C1, never C1.0."""
    lines = pd.concat([Q1.head(1), Q2], ignore_index=True).astype({"corrects": "float64"})
    frame = st.tab_frame(lines)
    assert frame["Soort"].tolist() == ["Kwartaal", "Correctie Q1"]
    assert frame["Sleutel"].tolist() == ["A12-ATK-DP1-Q1", "A13-ATK-DP1-Q2-C1"]


def test_no_lines_means_no_request(sheets_server):
    key = sheets_server.add_spreadsheet(base_tabs())
    assert st.write_frozen_lines(_source(sheets_server, key), Q1.head(0)) == (
        "Geen regels om naar het tabblad Afrekeningen te schrijven.")
    assert sheets_server.api_requests() == 0


def test_two_lines_with_one_key_are_refused_before_anything_is_written():
    with pytest.raises(SourceError, match="dezelfde sleutel \\(A12-ATK-DP1-Q1\\)"):
        st.tab_frame(pd.concat([Q1, Q1.head(1)], ignore_index=True))


def test_a_frame_without_the_contract_columns_is_a_programming_error():
    with pytest.raises(ValueError, match="FROZEN_COLUMNS"):
        st.tab_frame(Q1.drop(columns=["closed_by"]))


@pytest.mark.parametrize("when, reason, text", [
    (dt.date(2026, 5, 4), "verkeerde uren", "heropend op 04/05/2026: verkeerde uren"),
    (dt.datetime(2026, 5, 4, 23, 59), " te  laat\ningediend ", "heropend op 04/05/2026: te laat "
                                                               "ingediend"),
], ids=["date", "datetime-and-spaces"])
def test_reopened_status(when, reason, text):
    assert st.reopened_status(when, reason) == text


def test_reopening_needs_a_reason():
    with pytest.raises(SourceError, match="reden"):
        st.reopened_status(dt.date(2026, 5, 4), "  ")


@pytest.mark.parametrize("column, value, cell", [
    ("Uren", 12.5, {"userEnteredValue": {"numberValue": 12.5},
                    "userEnteredFormat": {"numberFormat": st.HOURS_FORMAT}}),
    ("Bedrag", 450.0, {"userEnteredValue": {"numberValue": 450.0}, "userEnteredFormat": {
        "numberFormat": {"type": "CURRENCY", "pattern": '"€ "#,##0.00'}}}),
    ("Afgesloten op", Q1_AT, {"userEnteredValue": {"numberValue": 46115 + 14.5 / 24},
                              "userEnteredFormat": {"numberFormat": st.FORMATS["Afgesloten op"]}}),
    ("Partner", "=HYPERLINK(\"http://x\")", {"userEnteredValue": {
        "stringValue": "=HYPERLINK(\"http://x\")"}}),
    ("Status", None, {}),
], ids=["hours", "money", "datetime", "formula-text", "empty"])
def test_cell_data(column, value, cell):
    """03/04/2026 is serial day 46115 (days since 30/12/1899); 14:30 is 14,5/24 of a day."""
    assert st.cell_data(column, value) == cell


# -- against the local Sheets-API server ---------------------------------------------------------
def _source(server, key, timeout: float = 20.0) -> GoogleSheetsSource:
    return GoogleSheetsSource(key, server.service_account_info, sheets_api_url=server.url,
                              retry=RetryPolicy(first_delay=0.01), timeout=timeout)


def _tab(server, key) -> list[list]:
    return server.rows(key, st.TAB)


def test_the_tab_is_created_protected_and_filled(sheets_server):
    """One spreadsheets.get and one batchUpdate; the tab has the header, row 1 frozen, the two
    lines typed (12,5 uur shown as 12,5 and € 450,00 in the nl_BE sheet) and a protection only
    the service account may pass."""
    key = sheets_server.add_spreadsheet(base_tabs())
    account = sheets_server.service_account_info["client_email"]
    message = st.write_frozen_lines(_source(sheets_server, key), Q1)
    assert message == ("2 regels naar het tabblad Afrekeningen geschreven (het tabblad is "
                       "aangemaakt en beschermd: alleen het dashboard schrijft erin).")
    assert _tab(sheets_server, key) == [st.TAB_COLUMNS, ROW_ATK, ROW_EKC]
    book = sheets_server.spreadsheet(key)
    sheet = book.sheet_by_title(st.TAB)
    assert sheet.frozen_rows == 1
    [protection] = [p for p in book.protected if p["range"]["sheetId"] == sheet.sheet_id]
    assert protection["range"] == {"sheetId": sheet.sheet_id}
    assert protection["warningOnly"] is False
    assert protection["editors"]["users"] == [account]
    counts = sheets_server.counts
    assert (counts["get"], counts["batchGet"], counts["batchUpdate"]) == (1, 0, 1)
    grid = _source(sheets_server, key).client.http_client.fetch_sheet_metadata(key, params={
        "ranges": "Afrekeningen!F2:I2", "includeGridData": "true"})
    cells = grid["sheets"][-1]["data"][0]["rowData"][0]["values"]
    assert [c["formattedValue"] for c in cells] == ["12,5", "10,0", "2,5", "€ 450,00"]


def test_the_loader_leaves_the_app_tab_alone(sheets_server):
    key = sheets_server.add_spreadsheet(base_tabs())
    raw = _source(sheets_server, key).read()
    st.write_frozen_lines(_source(sheets_server, key), Q1)
    after = _source(sheets_server, key).read()
    assert st.TAB not in after.tabs
    assert after.tabs == raw.tabs
    problems = build_dataset(after).problems
    assert not problems["tab"].eq(st.TAB).any()
    assert not problems["message"].str.contains(st.TAB).any()


def test_a_second_call_appends_nothing_and_a_later_close_only_its_own_lines(sheets_server):
    key = sheets_server.add_spreadsheet(base_tabs())
    st.write_frozen_lines(_source(sheets_server, key), Q1)
    again = st.write_frozen_lines(_source(sheets_server, key), Q1)
    assert again == "Alle 2 regels stonden al op het tabblad Afrekeningen; er is niets geschreven."
    assert sheets_server.counts["batchUpdate"] == 1
    both = pd.concat([Q1, Q2], ignore_index=True)
    assert st.write_frozen_lines(_source(sheets_server, key), both) == (
        "1 regel naar het tabblad Afrekeningen geschreven; 2 regels stonden er al.")
    assert _tab(sheets_server, key) == [st.TAB_COLUMNS, ROW_ATK, ROW_EKC, ROW_CORR]


def _person_types(server, key, rows: list[list], at_row: int) -> None:
    """What a person who may edit the protected tab (its owner) types in Google Sheets."""
    server.spreadsheet(key).sheet_by_title(st.TAB).write(at_row, 0, rows)


NOTE_ROW = [None, None, None, None, "Notitie van de penningmeester: Q1 betaald op 20/04."]
OWN_LOOKING = [2026, 1, "ATK", "DP1", "Kwartaal", 99, 99, 0, 9999, None, "iemand", "nagekeken"]


def test_rows_typed_by_a_person_stay_untouched(sheets_server):
    """The person's rows 4 and 5 (a note, and a row without Sleutel) stay as typed; the
    correction line lands below them, on row 6."""
    key = sheets_server.add_spreadsheet(base_tabs())
    st.write_frozen_lines(_source(sheets_server, key), Q1)
    _person_types(sheets_server, key, [NOTE_ROW, OWN_LOOKING], 3)
    before = _tab(sheets_server, key)
    st.write_frozen_lines(_source(sheets_server, key), pd.concat([Q1, Q2], ignore_index=True))
    after = _tab(sheets_server, key)
    assert after[:5] == before
    assert after[5] == ROW_CORR and len(after) == 6


def test_an_existing_tab_with_the_header_is_protected_and_its_rows_kept(sheets_server):
    """A person made the tab by hand (the right header, an unprotected tab, a note row): the
    app protects it and appends below the note."""
    tabs = base_tabs()
    tabs[st.TAB] = [list(st.TAB_COLUMNS), NOTE_ROW]
    key = sheets_server.add_spreadsheet(tabs)
    assert st.write_frozen_lines(_source(sheets_server, key), Q1) == (
        "2 regels naar het tabblad Afrekeningen geschreven.")
    assert _tab(sheets_server, key) == [st.TAB_COLUMNS, NOTE_ROW, ROW_ATK, ROW_EKC]
    book = sheets_server.spreadsheet(key)
    sheet_id = book.sheet_by_title(st.TAB).sheet_id
    assert [p["warningOnly"] for p in book.protected if p["range"]["sheetId"] == sheet_id] == [
        False]


def test_a_changed_header_is_refused(sheets_server):
    tabs = base_tabs()
    tabs[st.TAB] = [["Jaar", "Partner", "Bedrag"], [2026, "ATK", 10]]
    key = sheets_server.add_spreadsheet(tabs)
    with pytest.raises(SourceError, match="kopregel van het tabblad Afrekeningen.*Er is niets "
                                          "naar het tabblad Afrekeningen geschreven"):
        st.write_frozen_lines(_source(sheets_server, key), Q1)
    assert _tab(sheets_server, key) == tabs[st.TAB]
    assert sheets_server.counts["batchUpdate"] == 0


def test_reopening_marks_only_the_status_of_the_own_rows_of_that_close(sheets_server):
    """Close 12 has rows 2 and 3; the person's rows and close 13's row keep their Status, and
    no other cell of rows 2 and 3 changes."""
    key = sheets_server.add_spreadsheet(base_tabs())
    st.write_frozen_lines(_source(sheets_server, key), Q1)
    _person_types(sheets_server, key, [NOTE_ROW, OWN_LOOKING + ["A12-ATK-DP1-Q1 (kopie)"]], 3)
    st.write_frozen_lines(_source(sheets_server, key), Q2)
    before = _tab(sheets_server, key)
    message = st.mark_reopened(_source(sheets_server, key), 12, dt.date(2026, 5, 4),
                               "uren van ATK\nverbeterd")
    status = "heropend op 04/05/2026: uren van ATK verbeterd"
    assert message == f"2 regels op het tabblad Afrekeningen gemarkeerd als {status}."
    after = _tab(sheets_server, key)
    expected = [list(r) for r in before]
    expected[1][st.STATUS_COLUMN] = expected[2][st.STATUS_COLUMN] = status
    assert after == expected
    assert after[5][st.STATUS_COLUMN] == "geldig"            # close 13
    calls = sheets_server.counts["batchUpdate"]
    assert "waren al als heropend" in st.mark_reopened(
        _source(sheets_server, key), 12, dt.date(2026, 5, 4), "uren van ATK verbeterd")
    assert sheets_server.counts["batchUpdate"] == calls


@pytest.mark.parametrize("tabs, expected", [
    ({}, "bestaat niet"),
    ({st.TAB: [list(st.TAB_COLUMNS), NOTE_ROW]}, "geen regels van deze afsluiting"),
], ids=["no-tab", "no-own-rows"])
def test_reopening_without_own_rows_changes_nothing(sheets_server, tabs, expected):
    key = sheets_server.add_spreadsheet({**base_tabs(), **tabs})
    assert expected in st.mark_reopened(_source(sheets_server, key), 12, dt.date(2026, 5, 4),
                                        "reden")
    assert sheets_server.counts["batchUpdate"] == 0


def test_a_read_only_service_account_gets_a_dutch_message(sheets_server):
    account = sheets_server.service_account_info["client_email"]
    key = sheets_server.add_spreadsheet(base_tabs(), writers=(), readers=(account,))
    with pytest.raises(st.ReadOnlyTab) as info:
        st.write_frozen_lines(_source(sheets_server, key), Q1)
    assert str(info.value) == (
        f"Het serviceaccount {account} mag de spreadsheet niet wijzigen. Geef het in Google "
        "Sheets (Delen) de rol Bewerker, zodat het dashboard het tabblad Afrekeningen kan "
        "bijhouden; de afgesloten cijfers staan hoe dan ook in het dashboard. Er is niets naar "
        "het tabblad Afrekeningen geschreven.")
    assert sheets_server.spreadsheet(key).sheet_by_title(st.TAB) is None


def test_a_tab_protected_for_someone_else_is_refused_by_google(sheets_server):
    """Google's own 400 for a protected cell: the account is not among the editors."""
    tabs = base_tabs()
    tabs[st.TAB] = [list(st.TAB_COLUMNS)]
    key = sheets_server.add_spreadsheet(tabs)
    book = sheets_server.spreadsheet(key)
    book.protected.append({"protectedRangeId": 5, "warningOnly": False,
                           "range": {"sheetId": book.sheet_by_title(st.TAB).sheet_id},
                           "editors": {"users": ["eigenaar@baz.be"]}})
    with pytest.raises(st.ReadOnlyTab, match="is beschermd en het serviceaccount .* staat niet bij "
                                          "wie het mag bewerken.*Er is niets naar"):
        st.write_frozen_lines(_source(sheets_server, key), Q1)
    assert _tab(sheets_server, key) == [st.TAB_COLUMNS]


@pytest.mark.parametrize("status, kinds, expected", [
    (404, ["get"], "niet gevonden.*Er is niets naar het tabblad Afrekeningen geschreven"),
    (429, ["batchUpdate"], "weigert tijdelijk.*Er is niets naar het tabblad"),
    (500, ["batchUpdate"], "storing \\(HTTP 500\\).*Of de schrijfopdracht is aangekomen, is niet "
                           "zeker.*probeer opnieuw"),
    (503, ["get"], "storing \\(HTTP 503\\).*Er is niets naar het tabblad"),
], ids=["404-reading", "429-writing", "500-writing-unknown", "503-reading"])
def test_google_failures_say_what_was_written(sheets_server, status, kinds, expected):
    """The write is sent once (never retried: a lost answer must not become two appends)."""
    key = sheets_server.add_spreadsheet(base_tabs())
    sheets_server.fail(status, times=None, kinds=kinds)
    with pytest.raises(SourceError, match=expected) as info:
        st.write_frozen_lines(_source(sheets_server, key), Q1)
    assert not isinstance(info.value, st.ReadOnlyTab)
    assert sheets_server.counts["batchUpdate"] == (1 if kinds == ["batchUpdate"] else 0)
    assert sheets_server.spreadsheet(key).sheet_by_title(st.TAB) is None


def test_a_timeout_on_the_write_says_it_is_unknown_and_a_retry_is_safe(sheets_server):
    """The server applies the write but answers too late; trying again writes nothing twice."""
    key = sheets_server.add_spreadsheet(base_tabs())
    sheets_server.slow(1.0, times=1, kinds=["batchUpdate"])
    with pytest.raises(SourceError, match="niet binnen 0,3 seconden.*niet zeker"):
        st.write_frozen_lines(_source(sheets_server, key, timeout=0.3), Q1)
    deadline = time.monotonic() + 10
    while sheets_server.spreadsheet(key).sheet_by_title(st.TAB) is None:  # the late write lands
        assert time.monotonic() < deadline, "the delayed write was never applied"
        time.sleep(0.05)
    message = st.write_frozen_lines(_source(sheets_server, key), Q1)
    assert _tab(sheets_server, key) == [st.TAB_COLUMNS, ROW_ATK, ROW_EKC]
    assert message.startswith("Alle 2 regels stonden al")


HOSTILE = ['=HYPERLINK("http://evil.example","klik")', "+1+1", "@SUM(1)", "-2+3", "'quoted"]


def test_hostile_partner_text_lands_as_text(sheets_server):
    key = sheets_server.add_spreadsheet(base_tabs())
    lines = frozen(*[(12, 2026, 1, text, "=1+1", None, 10_000, 10_000, 0, 4_500, Q1_AT,
                      "=IMPORTXML(\"x\")") for text in HOSTILE])
    st.write_frozen_lines(_source(sheets_server, key), lines)
    rows = _tab(sheets_server, key)[1:]
    assert [r[2] for r in rows] == HOSTILE
    for row in rows:
        for cell in (row[2], row[3], row[10], row[12]):
            assert type(cell) is str and not isinstance(cell, Formula), cell
    assert rows[0][12] == 'A12-=HYPERLINK("http://evil.example","klik")-=1+1-Q1'


def test_a_workbook_source_has_no_tab_to_write(tmp_path):
    from baz_data.sources import DEMO_WORKBOOK, WorkbookSource

    for call in (lambda s: st.write_frozen_lines(s, Q1),
                 lambda s: st.mark_reopened(s, 12, dt.date(2026, 5, 4), "reden")):
        with pytest.raises(SourceError, match="alleen in een Google Sheet"):
            call(WorkbookSource(DEMO_WORKBOOK))


def test_reads_are_retried_but_the_write_is_sent_once(sheets_server):
    """A 503 on the first spreadsheets.get is retried (the read is harmless); the tab is then
    written by exactly one batchUpdate."""
    key = sheets_server.add_spreadsheet(base_tabs())
    sheets_server.fail(503, times=1, kinds=["get"])
    assert st.write_frozen_lines(_source(sheets_server, key), Q1).startswith("2 regels")
    assert (sheets_server.counts["get"], sheets_server.counts["batchUpdate"]) == (2, 1)


def test_reopening_with_a_read_only_account_changes_nothing_and_says_so(sheets_server):
    """The account was Bewerker when the quarter closed and is Lezer now."""
    key = sheets_server.add_spreadsheet(base_tabs())
    st.write_frozen_lines(_source(sheets_server, key), Q1)
    sheets_server.spreadsheet(key).writers.clear()
    before = _tab(sheets_server, key)
    with pytest.raises(st.ReadOnlyTab, match="mag de spreadsheet niet wijzigen.*Er is niets naar "
                                          "het tabblad Afrekeningen geschreven"):
        st.mark_reopened(_source(sheets_server, key), 12, dt.date(2026, 5, 4), "reden")
    assert _tab(sheets_server, key) == before
