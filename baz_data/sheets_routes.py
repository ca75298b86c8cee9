"""Routing in the Sheets-API test server: which API method a request is, and what serves it.

:func:`route` maps an HTTP method and path of ``/v4/spreadsheets/…`` to a request kind (the names
SheetsTestServer.counts uses: "get", "batchGet", "values.get", "values.update", "values.append",
"values.batchUpdate", "batchUpdate"), the spreadsheet key and the range in the path;
:data:`METHODS` says per kind whether it writes and which query parameters it takes (from
sheets.v4.json); :func:`dispatch` serves a checked request from the spreadsheet model
(sheets_model.py), the value ranges (sheets_values.py) or batchUpdate (sheets_batch.py). Drive's
paths are drive_server.py's; the token endpoint, access checks and counting are the server's
(sheets_server.py). Test equipment, not product.

Error policy: a request Google would reject raises sheets_schema.ApiError (an unknown method is
its 404 "Method not found."); :func:`route` never raises and gives kind None for a path no
method matches.
"""
from __future__ import annotations

import json
from typing import Any
from urllib.parse import unquote

from .sheets_batch import batch_update
from .sheets_model import Spreadsheet
from .sheets_schema import (BOOL, DATETIME_RENDER, DIMENSIONS, INSERT_DATA, REPEATED,
                            VALUE_INPUT, VALUE_RENDER, ApiError, bad_request, flag, one)
from .sheets_values import (append_values, batch_update_values, input_option, read,
                            update_values, value_range, with_values)

_READ = {"valueRenderOption": VALUE_RENDER, "dateTimeRenderOption": DATETIME_RENDER,
         "majorDimension": DIMENSIONS}
_WRITE = {"valueInputOption": VALUE_INPUT, "includeValuesInResponse": BOOL,
          "responseValueRenderOption": VALUE_RENDER,
          "responseDateTimeRenderOption": DATETIME_RENDER}
# Query parameters per method, from sheets.v4.json; (kind, writes?, params).
METHODS: dict[str, tuple[bool, dict[str, Any]]] = {
    "get": (False, {"ranges": REPEATED, "includeGridData": BOOL,
                    "excludeTablesInBandedRanges": BOOL,
                    "commentsViewMode": ("COMMENTS_VIEW_MODE_UNSPECIFIED",
                                         "COMMENTS_VIEW_MODE_DEFAULT_FOR_CURRENT_ACCESS",
                                         "COMMENTS_VIEW_MODE_OMITTED",
                                         "COMMENTS_VIEW_MODE_INCLUDED")}),
    "values.get": (False, dict(_READ)),
    "batchGet": (False, {**_READ, "ranges": REPEATED}),
    "values.update": (True, dict(_WRITE)),
    "values.append": (True, {**_WRITE, "insertDataOption": INSERT_DATA}),
    "values.batchUpdate": (True, {}),
    "batchUpdate": (True, {}),
}


def route(method: str, path: str) -> tuple[str | None, str | None, str | None]:
    """(kind, spreadsheet key, range) for an API path; kind None when no method matches."""
    prefix = "/v4/spreadsheets/"
    if not path.startswith(prefix):
        return None, None, None
    rest = path[len(prefix):]
    key, _, tail = rest.partition("/")
    if not tail:
        if key.endswith(":batchUpdate") and method == "POST":
            return "batchUpdate", unquote(key[:-len(":batchUpdate")]), None
        return ("get", unquote(key), None) if method == "GET" and ":" not in key else (
            None, None, None)
    if tail == "values:batchGet" and method == "GET":
        return "batchGet", unquote(key), None
    if tail == "values:batchUpdate" and method == "POST":
        return "values.batchUpdate", unquote(key), None
    if tail.startswith("values/"):
        target = tail[len("values/"):]
        if target.endswith(":append") and method == "POST":
            return "values.append", unquote(key), unquote(target[:-len(":append")])
        if ":" in target:
            return None, None, None
        if method == "GET":
            return "values.get", unquote(key), unquote(target)
        if method == "PUT":
            return "values.update", unquote(key), unquote(target)
    return None, None, None


def json_body(body: bytes) -> dict:
    """A request body: empty is {}, anything but a JSON object is Google's 400."""
    if not body:
        return {}
    try:
        payload = json.loads(body)
    except ValueError:
        raise bad_request("Invalid JSON payload received. Unexpected token.") from None
    if not isinstance(payload, dict):
        raise bad_request("Invalid JSON payload received. Expected an object.")
    return payload


def dispatch(kind: str, sheet: Spreadsheet, target: str | None, params: dict[str, list[str]],
             body: dict | None, email: str | None = None) -> dict:
    """Serve one request of ``kind`` (access and parameters already checked) for ``email``."""
    if kind == "get":
        include = flag(params, "includeGridData") or "data" in (one(params, "fields") or "")
        return sheet.metadata(params.get("ranges"), include)
    if kind == "values.get":
        return read(sheet, target, params)
    if kind == "batchGet":
        return {"spreadsheetId": sheet.key,
                "valueRanges": [read(sheet, r, params) for r in params.get("ranges", [])]}
    if kind == "values.update":
        option = input_option(one(params, "valueInputOption"))
        update = update_values(sheet, target, value_range(body, target), option, email)
        return with_values(sheet, update, params)
    if kind == "values.append":
        option = input_option(one(params, "valueInputOption"))
        result = append_values(sheet, target, value_range(body, target), option, email)
        with_values(sheet, result["updates"], params)
        return result
    if kind == "values.batchUpdate":
        return batch_update_values(sheet, body, email)
    if kind == "batchUpdate":
        return batch_update(sheet, body, email)
    raise ApiError(404, "Method not found.")
