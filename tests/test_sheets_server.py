"""The test server speaks the Sheets API v4 as Google does (shapes from gspread's recorded
cassettes and sheets.v4.json), driven by the real gspread and google-auth."""
from __future__ import annotations

import datetime as dt

import gspread
import pytest
import requests
from google.auth.exceptions import RefreshError
from google.auth.transport.requests import Request
from google.oauth2.service_account import Credentials

from baz_data.gsheets import NO_RETRY, READ_SCOPES, WRITE_SCOPES, make_client
from baz_data.sheets_auth import make_service_account

TABS = {
    "Partners": [["Code", "Naam", "Contact"], ["ATK", "ATK vzw"], [], ["DOMO", "Domo", None]],
    "Lessons tab": [["Datum", "Uren", "Tekst"],
                    [dt.date(2021, 3, 15), 1.5, "1,5"],
                    [dt.datetime(2021, 3, 5, 14, 30), 4.0, None]],
}


@pytest.fixture
def key(sheets_server):
    return sheets_server.add_spreadsheet(TABS, title="Jaarplan BAZ")


@pytest.fixture
def http(sheets_server):
    return make_client(sheets_server.service_account_info, scopes=WRITE_SCOPES,
                       sheets_api_url=sheets_server.url, retry=NO_RETRY).http_client


def api_error(call) -> dict:
    with pytest.raises(gspread.exceptions.APIError) as info:
        call()
    return {"code": info.value.code, **info.value.error}


def test_token_endpoint_runs_the_real_service_account_flow(sheets_server):
    creds = Credentials.from_service_account_info(sheets_server.service_account_info,
                                                  scopes=list(READ_SCOPES))
    creds.refresh(Request())
    assert creds.token.startswith("ya29.") and creds.valid
    assert sheets_server.counts["token"] == 1


def test_token_endpoint_rejects_a_key_it_does_not_know(sheets_server):
    # Same e-mail, another private key: the signature does not verify.
    forged, _ = make_service_account(sheets_server.token_uri,
                                     sheets_server.service_account_info["client_email"])
    creds = Credentials.from_service_account_info(forged, scopes=list(READ_SCOPES))
    with pytest.raises(RefreshError, match="invalid_grant"):
        creds.refresh(Request())


def test_api_requests_without_a_valid_token_get_401(sheets_server, key):
    url = f"{sheets_server.url}/v4/spreadsheets/{key}"
    missing = requests.get(url, timeout=5)
    wrong = requests.get(url, headers={"Authorization": "Bearer nope"}, timeout=5)
    assert missing.status_code == wrong.status_code == 401
    assert wrong.json()["error"]["status"] == "UNAUTHENTICATED"


def test_metadata_is_shaped_like_googles(http, key):
    meta = http.fetch_sheet_metadata(key)
    assert meta["spreadsheetId"] == key
    assert meta["properties"]["title"] == "Jaarplan BAZ"
    assert meta["properties"]["locale"] == "nl_BE"
    first = meta["sheets"][0]["properties"]
    assert first == {"sheetId": 0, "title": "Partners", "index": 0, "sheetType": "GRID",
                     "gridProperties": {"rowCount": 1000, "columnCount": 26}}
    assert meta["spreadsheetUrl"] == f"https://docs.google.com/spreadsheets/d/{key}/edit"
    assert "data" not in meta["sheets"][0]


def test_fields_mask_selects_parts_of_the_answer(http, key):
    meta = http.fetch_sheet_metadata(key, params={"fields": "properties.title,sheets.properties(sheetId,title)"})
    assert meta == {"properties": {"title": "Jaarplan BAZ"},
                    "sheets": [{"properties": {"sheetId": 0, "title": "Partners"}},
                               {"properties": {"sheetId": meta["sheets"][1]["properties"]["sheetId"],
                                               "title": "Lessons tab"}}]}


def test_include_grid_data_returns_cells(http, key):
    meta = http.fetch_sheet_metadata(key, params={"includeGridData": "true",
                                                  "ranges": "'Lessons tab'!A2:B2"})
    data = meta["sheets"][1]["data"][0]
    assert data["startRow"] == 1
    cells = data["rowData"][0]["values"]
    assert cells[0]["formattedValue"] == "15/03/2021"
    assert cells[1] == {"userEnteredValue": {"numberValue": 1.5},
                        "effectiveValue": {"numberValue": 1.5}, "formattedValue": "1,5"}


def test_formatted_values_follow_the_nl_be_locale(http, key):
    got = http.values_get(key, "'Lessons tab'")
    assert got["range"] == "'Lessons tab'!A1:Z1000"
    assert got["majorDimension"] == "ROWS"
    assert got["values"][1:] == [["15/03/2021", "1,5", "1,5"], ["5/03/2021 14:30:00", "4"]]


def test_unformatted_values_give_numbers_and_serial_dates(http, key):
    params = {"valueRenderOption": "UNFORMATTED_VALUE", "dateTimeRenderOption": "SERIAL_NUMBER"}
    got = http.values_get(key, "'Lessons tab'!A2:C", params)
    # 15/03/2021 is day 44270 after 30/12/1899; 14:30 is 0.6041666 of a day; 4.0 comes back as 4.
    assert got["values"] == [[44270, 1.5, "1,5"], [44260 + 14.5 / 24, 4]]
    assert isinstance(got["values"][1][1], int)
    strings = http.values_get(key, "'Lessons tab'!A2:A2",
                              {"valueRenderOption": "UNFORMATTED_VALUE",
                               "dateTimeRenderOption": "FORMATTED_STRING"})
    assert strings["values"] == [["15/03/2021"]]


def test_trailing_empty_cells_and_rows_are_omitted(http, key):
    got = http.values_get(key, "Partners")
    assert got["range"] == "Partners!A1:Z1000"
    assert got["values"] == [["Code", "Naam", "Contact"], ["ATK", "ATK vzw"], [], ["DOMO", "Domo"]]
    empty = http.values_get(key, "Partners!F1:G3")
    assert "values" not in empty and empty["range"] == "Partners!F1:G3"


def test_batch_get_returns_ranges_in_request_order(http, key):
    got = http.values_batch_get(key, ["'Lessons tab'!A1:A1", "'Partners'!A:A", "Partners!2:2"])
    assert [vr["range"] for vr in got["valueRanges"]] == [
        "'Lessons tab'!A1", "Partners!A1:A1000", "Partners!A2:Z2"]
    assert got["valueRanges"][1]["values"] == [["Code"], ["ATK"], [], ["DOMO"]]


def test_columns_major_dimension(http, key):
    got = http.values_get(key, "Partners!A1:B2", {"majorDimension": "COLUMNS"})
    assert got["values"] == [["Code", "ATK"], ["Naam", "ATK vzw"]]


@pytest.mark.parametrize("rng", ["Nope", "'Nope'!A1:B2", "Partners!A1:B2:C3", "Partners!$$"])
def test_a_range_that_does_not_parse_is_a_400(http, key, rng):
    error = api_error(lambda: http.values_batch_get(key, ["Partners", rng]))
    assert error["code"] == 400 and error["status"] == "INVALID_ARGUMENT"
    assert error["message"] == f"Unable to parse range: {rng}"


def test_only_what_google_accepts_is_accepted(http, key):
    assert "Invalid value" in api_error(
        lambda: http.values_get(key, "Partners", {"valueRenderOption": "RAW"}))["message"]
    assert "Cannot bind query parameter" in api_error(
        lambda: http.values_get(key, "Partners", {"renderOption": "RAW"}))["message"]
    assert "required" in api_error(
        lambda: http.values_update(key, "Partners!A9", body={"values": [[1]]}))["message"]
    assert "Invalid valueInputOption" in api_error(lambda: http.values_update(
        key, "Partners!A9", {"valueInputOption": "INPUT_VALUE_OPTION_UNSPECIFIED"},
        {"values": [[1]]}))["message"]
    assert "exceeds grid limits" in api_error(
        lambda: http.values_get(key, "Partners!A1:A1001"))["message"]


def test_update_user_entered_parses_like_a_belgian_sheet(sheets_server, http, key):
    body = {"values": [["1,5", "15/03/2021", "'007", "2021-03-15", "50%", "tekst", True]]}
    result = http.values_update(key, "Partners!A9", {"valueInputOption": "USER_ENTERED"}, body)
    assert result == {"spreadsheetId": key, "updatedRange": "Partners!A9:G9", "updatedRows": 1,
                      "updatedColumns": 7, "updatedCells": 7}
    assert sheets_server.rows(key, "Partners")[8] == [
        1.5, dt.date(2021, 3, 15), "007", dt.date(2021, 3, 15), 0.5, "tekst", True]


def test_update_raw_stores_text_as_text(sheets_server, http, key):
    http.values_update(key, "Partners!A9", {"valueInputOption": "RAW"}, {"values": [["1,5", "'x"]]})
    assert sheets_server.rows(key, "Partners")[8] == ["1,5", "'x"]


def test_null_leaves_a_cell_alone(sheets_server, http, key):
    http.values_update(key, "Partners!A2", {"valueInputOption": "RAW"}, {"values": [[None, "Nieuw"]]})
    assert sheets_server.rows(key, "Partners")[1][:2] == ["ATK", "Nieuw"]


def test_append_adds_below_the_table(sheets_server, http, key):
    result = http.values_append(key, "Partners!A1", {"valueInputOption": "USER_ENTERED",
                                                     "includeValuesInResponse": "true"},
                                {"values": [["BAZ", "Baziel"]]})
    assert result["tableRange"] == "Partners!A1:C4"
    assert result["updates"]["updatedRange"] == "Partners!A5:B5"
    assert result["updates"]["updatedData"]["values"] == [["BAZ", "Baziel"]]
    assert sheets_server.rows(key, "Partners")[4] == ["BAZ", "Baziel"]


def test_batch_update_supported_requests(sheets_server, http, key):
    reply = http.batch_update(key, {"requests": [
        {"addSheet": {"properties": {"sheetId": 77, "title": "Uren",
                                     "gridProperties": {"rowCount": 50, "columnCount": 7}}}},
        {"updateSheetProperties": {"properties": {"sheetId": 77,
                                                  "gridProperties": {"frozenRowCount": 1}},
                                   "fields": "gridProperties.frozenRowCount"}},
        {"setDataValidation": {"range": {"sheetId": 77, "startRowIndex": 1, "startColumnIndex": 1,
                                         "endColumnIndex": 2},
                               "rule": {"condition": {"type": "ONE_OF_RANGE", "values": [
                                   {"userEnteredValue": "=Partners!$A$2:$A"}]},
                                        "strict": False, "showCustomUi": True}}},
        {"addProtectedRange": {"protectedRange": {
            "range": {"sheetId": 77, "startRowIndex": 0, "endRowIndex": 1},
            "description": "kopregel", "warningOnly": True}}},
    ]})
    assert reply["spreadsheetId"] == key
    assert reply["replies"][0]["addSheet"]["properties"] == {
        "sheetId": 77, "title": "Uren", "index": 2, "sheetType": "GRID",
        "gridProperties": {"rowCount": 50, "columnCount": 7}}
    assert reply["replies"][1:3] == [{}, {}]
    protected = reply["replies"][3]["addProtectedRange"]["protectedRange"]
    assert protected["warningOnly"] and protected["range"]["sheetId"] == 77
    meta = http.fetch_sheet_metadata(key)
    uren = meta["sheets"][2]
    assert uren["properties"]["gridProperties"]["frozenRowCount"] == 1
    assert uren["protectedRanges"][0]["description"] == "kopregel"
    rule = http.fetch_sheet_metadata(key, params={
        "ranges": "Uren!B2", "fields": "sheets.data.rowData.values.dataValidation"})
    assert rule["sheets"][2]["data"][0]["rowData"][0]["values"][0]["dataValidation"][
        "condition"]["type"] == "ONE_OF_RANGE"


def test_batch_update_rejects_unsupported_and_unknown_requests(http, key):
    unsupported = api_error(lambda: http.batch_update(
        key, {"requests": [{"deleteSheet": {"sheetId": 0}}]}))
    assert unsupported["code"] == 400 and unsupported["status"] == "INVALID_ARGUMENT"
    assert "deleteSheet" in unsupported["message"]
    unknown = api_error(lambda: http.batch_update(key, {"requests": [{"addSheet": {
        "properties": {"name": "x"}}}]}))
    assert unknown["message"] == ('Invalid JSON payload received. Unknown name "name" at '
                                  "'requests[0].add_sheet.properties': Cannot find field.")
    bad_enum = api_error(lambda: http.batch_update(key, {"requests": [{"setDataValidation": {
        "range": {"sheetId": 0}, "rule": {"condition": {"type": "ONE_OF_THESE"}}}}]}))
    assert "Invalid value" in bad_enum["message"]
    not_for_validation = api_error(lambda: http.batch_update(key, {"requests": [{
        "setDataValidation": {"range": {"sheetId": 0},
                              "rule": {"condition": {"type": "TEXT_STARTS_WITH", "values": [
                                  {"userEnteredValue": "A"}]}}}}]}))
    assert "TEXT_STARTS_WITH" in not_for_validation["message"]


def test_batch_update_is_all_or_nothing(sheets_server, http, key):
    error = api_error(lambda: http.batch_update(key, {"requests": [
        {"addSheet": {"properties": {"title": "Nieuw"}}},
        {"addSheet": {"properties": {"title": "Partners"}}}]}))
    assert "already exists" in error["message"]
    titles = [s.title for s in sheets_server.spreadsheet(key).sheets]
    assert titles == ["Partners", "Lessons tab"]


def test_not_shared_is_403_and_read_only_cannot_write(sheets_server, http):
    email = sheets_server.service_account_info["client_email"]
    private = sheets_server.add_spreadsheet(TABS, writers=())
    shared_to_read = sheets_server.add_spreadsheet(TABS, writers=(), readers=[email])
    error = api_error(lambda: http.values_get(private, "Partners"))
    assert (error["code"], error["status"]) == (403, "PERMISSION_DENIED")
    assert http.values_get(shared_to_read, "Partners!A1")["values"] == [["Code"]]
    assert api_error(lambda: http.batch_update(shared_to_read, {"requests": [
        {"addSheet": {}}]}))["code"] == 403


def test_read_only_scope_cannot_write(sheets_server, key):
    reader = make_client(sheets_server.service_account_info, scopes=READ_SCOPES,
                         sheets_api_url=sheets_server.url, retry=NO_RETRY).http_client
    error = api_error(lambda: reader.values_update(key, "Partners!A9",
                                                   {"valueInputOption": "RAW"}, {"values": [[1]]}))
    assert error["code"] == 403 and "insufficient authentication scopes" in error["message"]


def test_unknown_spreadsheet_is_404(http):
    error = api_error(lambda: http.values_get("1" + "x" * 43, "A1"))
    assert error == {"code": 404, "message": "Requested entity was not found.",
                     "status": "NOT_FOUND"}


def test_fail_control_and_counts(sheets_server, http, key):
    sheets_server.fail(503, times=2)
    for _ in range(2):
        error = api_error(lambda: http.values_batch_get(key, ["Partners"]))
        assert (error["code"], error["status"]) == (503, "UNAVAILABLE")
    assert http.values_batch_get(key, ["Partners"])["valueRanges"]
    sheets_server.fail(429, times=None, kinds=["values.get"])
    assert api_error(lambda: http.values_get(key, "Partners"))["status"] == "RESOURCE_EXHAUSTED"
    assert http.values_batch_get(key, ["Partners"])  # other kinds unaffected
    assert sheets_server.counts == {"token": 1, "batchGet": 4, "values.get": 1}
    sheets_server.reset(spreadsheets=False)
    assert http.values_get(key, "Partners") and sheets_server.counts == {"values.get": 1}


def test_fail_serves_the_odd_answers_google_sometimes_gives(sheets_server, http, key):
    from baz_data.sheets_server import HTML, MALFORMED_JSON, MISSING_RANGES, WRONG_RANGE

    tabs = ["Partners", "Lessons tab"]
    ranges = [vr["range"] for vr in http.values_batch_get(key, tabs)["valueRanges"]]
    assert ranges == ["Partners!A1:Z1000", "'Lessons tab'!A1:Z1000"]   # as Google: whole tabs

    sheets_server.fail(502, answer=HTML)          # Google's front end, not the API: no JSON
    with pytest.raises(gspread.exceptions.APIError) as info:
        http.values_batch_get(key, tabs)
    response = info.value.response
    assert response.status_code == 502 and info.value.code == -1   # gspread cannot read it
    assert response.headers["Content-Type"].startswith("text/html")
    assert "<title>Error 502 (Server Error)!!1</title>" in response.text

    sheets_server.fail(200, answer=MALFORMED_JSON)
    with pytest.raises(requests.JSONDecodeError):
        http.values_batch_get(key, tabs)

    sheets_server.fail(200, answer=MISSING_RANGES)
    assert [vr["range"] for vr in http.values_batch_get(key, tabs)["valueRanges"]] == ranges[:1]
    sheets_server.fail(200, answer=WRONG_RANGE)
    assert [vr["range"] for vr in http.values_batch_get(key, tabs)["valueRanges"]] == \
        [ranges[0], ranges[0]]
    assert [vr["range"] for vr in http.values_batch_get(key, tabs)["valueRanges"]] == ranges
    with pytest.raises(ValueError):
        sheets_server.fail(200, answer="onzin")


def test_slow_control(sheets_server, http, key):
    sheets_server.slow(0.3, times=1)
    http.set_timeout(0.1)
    with pytest.raises(requests.Timeout):
        http.values_get(key, "Partners")
    http.set_timeout(5)
    assert http.values_get(key, "Partners!A1")["values"] == [["Code"]]


# -- by hand: python -m baz_data.sheets_server ---------------------------------------------------
def _serve(tmp_path, *args: str):
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    return subprocess.Popen([sys.executable, "-m", "baz_data.sheets_server", "--port", "0", *args],
                            cwd=root, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_secrets_out_never_overwrites_an_existing_file(tmp_path):
    target = tmp_path / ".streamlit" / "secrets.toml"
    target.parent.mkdir()
    target.write_text("# echte sleutels\n", encoding="utf-8")
    process = _serve(tmp_path, "--secrets-out", str(target))
    out, err = process.communicate(timeout=60)
    assert process.returncode == 2
    assert "bestaat al en wordt niet overschreven" in err and "--force" in err
    assert "draait" not in out                      # nothing was started
    assert target.read_text(encoding="utf-8") == "# echte sleutels\n"


def test_secrets_out_with_force_replaces_it(tmp_path):
    import time
    import tomllib

    target = tmp_path / "secrets.toml"
    target.write_text("# oud\n", encoding="utf-8")
    process = _serve(tmp_path, "--secrets-out", str(target), "--force")
    try:
        deadline = time.monotonic() + 60
        while target.read_text(encoding="utf-8") == "# oud\n":
            assert process.poll() is None and time.monotonic() < deadline
            time.sleep(0.1)
        time.sleep(0.2)  # written in one call; let it finish
        written = tomllib.loads(target.read_text(encoding="utf-8"))
        assert written["connections"]["gsheets"]["sheets_api_url"].startswith("http://127.0.0.1:")
    finally:
        process.terminate()
        process.communicate(timeout=10)


# -- cells written with their format (appendCells, updateCells) and protected ranges ------------
EURO = {"type": "CURRENCY", "pattern": '"€ "#,##0.00'}


def _cells(*cells: dict) -> dict:
    return {"values": list(cells)}


def test_append_cells_writes_typed_cells_after_the_last_row(sheets_server, http, key):
    """Partners has data up to row 4: the cells land on row 5. Serial 46115,5 with a DATE_TIME
    format is 03/04/2026 12:00 (46115 days after 30/12/1899, plus half a day)."""
    http.batch_update(key, {"requests": [{"appendCells": {"sheetId": 0, "rows": [_cells(
        {"userEnteredValue": {"stringValue": "BAZ"}},
        {"userEnteredValue": {"numberValue": 1234.5}, "userEnteredFormat": {"numberFormat": EURO}},
        {"userEnteredValue": {"numberValue": 46115.5},
         "userEnteredFormat": {"numberFormat": {"type": "DATE_TIME",
                                                "pattern": "dd/mm/yyyy hh:mm"}}})],
        "fields": "userEnteredValue,userEnteredFormat.numberFormat"}}]})
    assert sheets_server.rows(key, "Partners")[4] == ["BAZ", 1234.5,
                                                      dt.datetime(2026, 4, 3, 12, 0)]
    assert http.values_get(key, "Partners!A5:C5", params={
        "valueRenderOption": "UNFORMATTED_VALUE"})["values"] == [["BAZ", 1234.5, 46115.5]]
    grid = http.fetch_sheet_metadata(key, params={"ranges": "Partners!B5",
                                                  "includeGridData": "true"})
    cell = grid["sheets"][0]["data"][0]["rowData"][0]["values"][0]
    assert cell["formattedValue"] == "€ 1.234,50"
    assert cell["effectiveFormat"]["numberFormat"] == EURO


@pytest.mark.parametrize("value, pattern, shown", [
    (1234.5, '"€ "#,##0.00', "€ 1.234,50"),
    (-112.5, '"€ "#,##0.00', "-€ 112,50"),
    (12.5, "#,##0.0###", "12,5"),
    (0.33335, "#,##0.0###", "0,3334"),
    (2026, "0", "2026"),
    (1234567, "#,##0", "1.234.567"),
], ids=["euro", "negative-euro", "hours", "hours-rounded-half-up", "year", "grouping"])
def test_number_patterns_are_shown_the_belgian_way(value, pattern, shown):
    from baz_data.sheets_number_formats import pattern_value

    assert pattern_value(value, pattern, ",") == shown


def test_update_cells_writes_only_the_fields_in_the_mask(sheets_server, http, key):
    """B2 gets a euro format with its value; then only the value of B2 changes (the format
    stays); a range A3:C3 with one cell clears the other two cells' values."""
    http.batch_update(key, {"requests": [{"updateCells": {
        "start": {"sheetId": 0, "rowIndex": 1, "columnIndex": 1},
        "rows": [_cells({"userEnteredValue": {"numberValue": 5},
                         "userEnteredFormat": {"numberFormat": EURO}})],
        "fields": "*"}}]})
    http.batch_update(key, {"requests": [{"updateCells": {
        "start": {"sheetId": 0, "rowIndex": 1, "columnIndex": 1},
        "rows": [_cells({"userEnteredValue": {"stringValue": "ATK vzw (nieuw)"}})],
        "fields": "userEnteredValue"}}]})
    sheet = sheets_server.spreadsheet(key).sheet_by_title("Partners")
    assert sheets_server.rows(key, "Partners")[1] == ["ATK", "ATK vzw (nieuw)"]
    assert sheet.formats[(1, 1)] == EURO
    http.batch_update(key, {"requests": [{"updateCells": {
        "range": {"sheetId": 0, "startRowIndex": 3, "endRowIndex": 4, "startColumnIndex": 0,
                  "endColumnIndex": 3},
        "rows": [_cells({"userEnteredValue": {"stringValue": "Domo!"}})],
        "fields": "userEnteredValue"}}]})
    assert sheets_server.rows(key, "Partners")[3] == ["Domo!"]


def test_a_string_value_is_text_and_a_formula_value_a_formula(sheets_server, http, key):
    from baz_data.sheets_render import Formula

    http.batch_update(key, {"requests": [{"appendCells": {"sheetId": 0, "rows": [_cells(
        {"userEnteredValue": {"stringValue": "=HYPERLINK(\"http://x\")"}},
        {"userEnteredValue": {"formulaValue": "=1+1"}})], "fields": "userEnteredValue"}}]})
    http.values_update(key, "Partners!C5", {"valueInputOption": "USER_ENTERED"},
                       {"values": [["=2+2"]]})
    http.values_update(key, "Partners!D5", {"valueInputOption": "RAW"}, {"values": [["=3+3"]]})
    text, formula, typed, raw = sheets_server.rows(key, "Partners")[4]
    assert (type(text), type(formula), type(typed), type(raw)) == (str, Formula, Formula, str)


@pytest.mark.parametrize("request_, message", [
    ({"appendCells": {"sheetId": 0, "rows": []}}, "At least one field"),
    ({"appendCells": {"sheetId": 0, "rows": [_cells({"userEnteredValue": {
        "numberValue": 1, "stringValue": "1"}})], "fields": "userEnteredValue"}},
     "exactly one value"),
    ({"appendCells": {"sheetId": 0, "rows": [], "fields": "effectiveValue"}},
     "Invalid field mask path"),
    ({"appendCells": {"sheetId": 9, "rows": [], "fields": "*"}}, "No grid with id: 9"),
    ({"updateCells": {"rows": [], "fields": "*"}}, "exactly one of start or range"),
    ({"updateCells": {"start": {"sheetId": 0, "rowIndex": 1000}, "rows": [_cells({})],
                      "fields": "*"}}, "exceeds grid limits"),
    ({"appendCells": {"sheetId": 0, "rows": [_cells({"userEnteredValue": {
        "numberValue": "1"}})], "fields": "*"}}, "TYPE_DOUBLE"),
], ids=["no-fields", "two-values", "unknown-mask", "unknown-sheet", "no-start-or-range",
        "beyond-grid", "number-as-text"])
def test_cell_requests_are_checked_as_google_does(sheets_server, http, key, request_, message):
    before = sheets_server.rows(key, "Partners")
    error = api_error(lambda: http.batch_update(key, {"requests": [request_]}))
    assert error["code"] == 400 and message in error["message"]
    assert sheets_server.rows(key, "Partners") == before


@pytest.fixture(scope="module")
def other_account(_sheets_server_session):
    """A second service account with Bewerker rights on the file (a partner's own script)."""
    return _sheets_server_session.create_account("partner-script@atk-test.iam.gserviceaccount.com")


def test_a_protected_range_refuses_everyone_but_its_editors(sheets_server, http, other_account):
    """Both accounts may edit the file; the whole of tab Partners is protected for the first
    (who protected it, so is an editor). The other gets Google's 400 for values.update,
    values.append and appendCells; a warning-only range refuses nobody."""
    from baz_data.sheets_protection import PROTECTED_MESSAGE

    key = sheets_server.add_spreadsheet(TABS)
    me = sheets_server.service_account_info["client_email"]
    reply = http.batch_update(key, {"requests": [
        {"addProtectedRange": {"protectedRange": {"range": {"sheetId": 0}, "warningOnly": False,
                                                  "editors": {"users": []}}}},
        {"addProtectedRange": {"protectedRange": {"range": {"sheetId": 100_007_919},
                                                  "warningOnly": True}}}]})
    assert reply["replies"][0]["addProtectedRange"]["protectedRange"]["editors"] == {
        "users": [me]}
    other = make_client(other_account, scopes=WRITE_SCOPES, sheets_api_url=sheets_server.url,
                        retry=NO_RETRY).http_client
    before = sheets_server.rows(key, "Partners")
    for call in (
            lambda: other.values_update(key, "Partners!A9", {"valueInputOption": "RAW"},
                                        {"values": [["x"]]}),
            lambda: other.values_append(key, "Partners!A1", {"valueInputOption": "RAW"},
                                        {"values": [["x"]]}),
            lambda: other.values_batch_update(key, {"valueInputOption": "RAW", "data": [
                {"range": "'Lessons tab'!A9", "values": [["ok"]]},
                {"range": "Partners!A9", "values": [["x"]]}]}),
            lambda: other.batch_update(key, {"requests": [{"appendCells": {
                "sheetId": 0, "rows": [_cells({"userEnteredValue": {"stringValue": "x"}})],
                "fields": "userEnteredValue"}}]})):
        error = api_error(call)
        assert (error["code"], error["status"], error["message"]) == (
            400, "INVALID_ARGUMENT", PROTECTED_MESSAGE)
    assert sheets_server.rows(key, "Partners") == before
    assert len(sheets_server.rows(key, "Lessons tab")) == 3   # the batch was all or nothing
    other.values_update(key, "'Lessons tab'!A9", {"valueInputOption": "RAW"},
                        {"values": [["warning only"]]})
    http.values_update(key, "Partners!A9", {"valueInputOption": "RAW"}, {"values": [["mag"]]})
    assert sheets_server.rows(key, "Partners")[8] == ["mag"]
