"""The wire contract of the Sheets-API test server: what a request may hold, and Google's errors.

Owned here, as in the discovery document (sheets.v4.json) for the parts the server supports: the
enums of the query parameters (value render, date-time render, major dimension, value input,
insert data option), the request schemas field by field (:data:`SCHEMAS`) and
:func:`check_message`, which rejects unknown fields, wrong types and bad enum values with Google's
wording; the standard query parameters and :func:`check_params`; the response field masks
(:func:`select_fields`); and :class:`ApiError`, the one exception every part of the server raises
for a client mistake. Test equipment, not product.

Error policy: every client mistake is an :class:`ApiError` (status, message, Google status name);
the HTTP layer (sheets_server.py) turns it into Google's JSON error body. Nothing else is raised.
"""
from __future__ import annotations

import re
from typing import Any, Mapping

# Enum values from the discovery document (sheets.v4.json), for the parameters we honour.
VALUE_RENDER = ("FORMATTED_VALUE", "UNFORMATTED_VALUE", "FORMULA")
DATETIME_RENDER = ("SERIAL_NUMBER", "FORMATTED_STRING")
DIMENSIONS = ("DIMENSION_UNSPECIFIED", "ROWS", "COLUMNS")
VALUE_INPUT = ("INPUT_VALUE_OPTION_UNSPECIFIED", "RAW", "USER_ENTERED")
INSERT_DATA = ("OVERWRITE", "INSERT_ROWS")
CONDITION_TYPES = (
    "CONDITION_TYPE_UNSPECIFIED", "NUMBER_GREATER", "NUMBER_GREATER_THAN_EQ", "NUMBER_LESS",
    "NUMBER_LESS_THAN_EQ", "NUMBER_EQ", "NUMBER_NOT_EQ", "NUMBER_BETWEEN", "NUMBER_NOT_BETWEEN",
    "TEXT_CONTAINS", "TEXT_NOT_CONTAINS", "TEXT_STARTS_WITH", "TEXT_ENDS_WITH", "TEXT_EQ",
    "TEXT_IS_EMAIL", "TEXT_IS_URL", "DATE_EQ", "DATE_BEFORE", "DATE_AFTER", "DATE_ON_OR_BEFORE",
    "DATE_ON_OR_AFTER", "DATE_BETWEEN", "DATE_NOT_BETWEEN", "DATE_IS_VALID", "ONE_OF_RANGE",
    "ONE_OF_LIST", "BLANK", "NOT_BLANK", "CUSTOM_FORMULA", "BOOLEAN", "TEXT_NOT_EQ", "DATE_NOT_EQ",
    "FILTER_EXPRESSION")

# The request schemas we accept, field by field, as in sheets.v4.json. A str names another schema
# here, a tuple is an enum, "[X]" a list of X, and OPAQUE an object we store but do not check.
OPAQUE = "object"
SCHEMAS: dict[str, dict[str, Any]] = {
    "BatchUpdateSpreadsheetRequest": {
        "requests": "[Request]", "includeSpreadsheetInResponse": "boolean",
        "responseIncludeGridData": "boolean", "responseRanges": "[string]",
        "commentsViewMode": ("COMMENTS_VIEW_MODE_UNSPECIFIED",
                             "COMMENTS_VIEW_MODE_DEFAULT_FOR_CURRENT_ACCESS",
                             "COMMENTS_VIEW_MODE_OMITTED", "COMMENTS_VIEW_MODE_INCLUDED")},
    "AddSheetRequest": {"properties": "SheetProperties"},
    "SetDataValidationRequest": {"range": "GridRange", "rule": "DataValidationRule",
                                 "filteredRowsIncluded": "boolean"},
    "UpdateSheetPropertiesRequest": {"properties": "SheetProperties", "fields": "string"},
    "AddProtectedRangeRequest": {"protectedRange": "ProtectedRange"},
    "SheetProperties": {
        "sheetId": "integer", "title": "string", "index": "integer", "hidden": "boolean",
        "rightToLeft": "boolean", "gridProperties": "GridProperties", "tabColor": OPAQUE,
        "tabColorStyle": OPAQUE, "dataSourceSheetProperties": OPAQUE,
        "sheetType": ("SHEET_TYPE_UNSPECIFIED", "GRID", "OBJECT", "DATA_SOURCE")},
    "GridProperties": {
        "rowCount": "integer", "columnCount": "integer", "frozenRowCount": "integer",
        "frozenColumnCount": "integer", "hideGridlines": "boolean",
        "rowGroupControlAfter": "boolean", "columnGroupControlAfter": "boolean"},
    "GridRange": {"sheetId": "integer", "startRowIndex": "integer", "endRowIndex": "integer",
                  "startColumnIndex": "integer", "endColumnIndex": "integer"},
    "DataValidationRule": {"condition": "BooleanCondition", "inputMessage": "string",
                           "strict": "boolean", "showCustomUi": "boolean"},
    "BooleanCondition": {"type": CONDITION_TYPES, "values": "[ConditionValue]"},
    "ConditionValue": {"userEnteredValue": "string",
                       "relativeDate": ("RELATIVE_DATE_UNSPECIFIED", "PAST_YEAR", "PAST_MONTH",
                                        "PAST_WEEK", "YESTERDAY", "TODAY", "TOMORROW")},
    "ProtectedRange": {
        "protectedRangeId": "integer", "range": "GridRange", "namedRangeId": "string",
        "tableId": "string", "description": "string", "warningOnly": "boolean",
        "requestingUserCanEdit": "boolean", "unprotectedRanges": "[GridRange]",
        "editors": "Editors"},
    "Editors": {"users": "[string]", "groups": "[string]", "domainUsersCanEdit": "boolean"},
    "AppendCellsRequest": {"sheetId": "integer", "rows": "[RowData]", "fields": "string",
                           "tableId": "string"},
    "UpdateCellsRequest": {"rows": "[RowData]", "fields": "string", "start": "GridCoordinate",
                           "range": "GridRange"},
    "GridCoordinate": {"sheetId": "integer", "rowIndex": "integer", "columnIndex": "integer"},
    "RowData": {"values": "[CellData]"},
    "CellData": {"userEnteredValue": "ExtendedValue", "userEnteredFormat": "CellFormat",
                 "note": "string"},
    "ExtendedValue": {"numberValue": "number", "stringValue": "string", "boolValue": "boolean",
                      "formulaValue": "string", "errorValue": OPAQUE},
    "CellFormat": {"numberFormat": "NumberFormat", "textFormat": OPAQUE,
                   "backgroundColor": OPAQUE, "backgroundColorStyle": OPAQUE,
                   "horizontalAlignment": ("HORIZONTAL_ALIGN_UNSPECIFIED", "LEFT", "CENTER",
                                           "RIGHT")},
    "NumberFormat": {"type": ("NUMBER_FORMAT_TYPE_UNSPECIFIED", "TEXT", "NUMBER", "PERCENT",
                              "CURRENCY", "DATE", "TIME", "DATE_TIME", "SCIENTIFIC"),
                     "pattern": "string"},
    "ValueRange": {"range": "string", "majorDimension": DIMENSIONS, "values": "[array]"},
    "BatchUpdateValuesRequest": {
        "valueInputOption": VALUE_INPUT, "data": "[ValueRange]",
        "includeValuesInResponse": "boolean", "responseValueRenderOption": VALUE_RENDER,
        "responseDateTimeRenderOption": DATETIME_RENDER},
}
STATUS_NAMES = {400: "INVALID_ARGUMENT", 401: "UNAUTHENTICATED", 403: "PERMISSION_DENIED",
                404: "NOT_FOUND", 429: "RESOURCE_EXHAUSTED", 500: "INTERNAL",
                503: "UNAVAILABLE"}


class ApiError(Exception):
    def __init__(self, code: int, message: str, status: str | None = None):
        super().__init__(message)
        self.code, self.message = code, message
        self.status = status or STATUS_NAMES.get(code, "UNKNOWN")

    def body(self) -> dict:
        return {"error": {"code": self.code, "message": self.message, "status": self.status}}


def bad_request(message: str) -> ApiError:
    return ApiError(400, message)


def snake(name: str) -> str:
    """camelCase → snake_case, as Google names a field in an error path."""
    return re.sub(r"(?<!^)([A-Z])", r"_\1", name).lower()


def check_message(obj: Any, schema: str, path: str = "") -> None:
    """Reject unknown fields, wrong types and bad enum values, with Google's wording."""
    if not isinstance(obj, dict):
        raise bad_request(f"Invalid value at '{path or schema}', expected an object.")
    spec = SCHEMAS[schema]
    for name, value in obj.items():
        where = f"{path}.{snake(name)}" if path else snake(name)
        if name not in spec:
            at = f" at '{path}'" if path else ""
            raise bad_request(f'Invalid JSON payload received. Unknown name "{name}"{at}: '
                              "Cannot find field.")
        _check_value(value, spec[name], where)


def _check_value(value: Any, kind: Any, where: str) -> None:
    if value is None:
        return
    if isinstance(kind, tuple):
        if value not in kind:
            raise bad_request(f"Invalid value at '{where}', \"{value}\"")
    elif kind == "[array]":
        if not isinstance(value, list) or not all(isinstance(v, list) for v in value):
            raise bad_request(f"Invalid value at '{where}', expected a list of lists.")
    elif isinstance(kind, str) and kind.startswith("["):
        if not isinstance(value, list):
            raise bad_request(f"Invalid value at '{where}', expected a list.")
        for i, item in enumerate(value):
            _check_value(item, kind[1:-1], f"{where}[{i}]")
    elif kind == "integer":
        if isinstance(value, bool) or not isinstance(value, int):
            raise bad_request(f"Invalid value at '{where}' (TYPE_INT32), {value!r}")
    elif kind == "number":
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise bad_request(f"Invalid value at '{where}' (TYPE_DOUBLE), {value!r}")
    elif kind == "boolean":
        if not isinstance(value, bool):
            raise bad_request(f"Invalid value at '{where}' (TYPE_BOOL), {value!r}")
    elif kind == "string":
        if not isinstance(value, str):
            raise bad_request(f"Invalid value at '{where}' (TYPE_STRING), {value!r}")
    elif kind == "Request":
        pass  # checked kind by kind in sheets_batch.batch_update
    elif kind == OPAQUE:
        if not isinstance(value, dict):
            raise bad_request(f"Invalid value at '{where}', expected an object.")
    else:
        check_message(value, kind, where)


# --- query parameters --------------------------------------------------------------------------

BOOL, REPEATED = "boolean", "repeated"
STANDARD_PARAMS = {"$.xgafv": ("1", "2"), "access_token": None, "alt": ("json", "media", "proto"),
                   "callback": None, "fields": None, "key": None, "oauth_token": None,
                   "prettyPrint": BOOL, "quotaUser": None, "uploadType": None,
                   "upload_protocol": None}


def one(params: Mapping[str, list[str]], name: str) -> str | None:
    """The first value of a query parameter, None when absent."""
    values = params.get(name)
    return values[0] if values else None


def check_params(query: dict[str, list[str]], allowed: dict[str, Any]) -> dict[str, list[str]]:
    """Reject what Google rejects: unknown parameters and values outside an enum."""
    for name, values in query.items():
        spec = allowed.get(name, STANDARD_PARAMS.get(name, KeyError))
        if spec is KeyError:
            raise bad_request(f'Invalid JSON payload received. Unknown name "{name}": Cannot '
                              f"bind query parameter. Field '{name}' could not be found in "
                              "request message.")
        if spec == BOOL:
            for value in values:
                if value.lower() not in ("true", "false"):
                    raise bad_request(f"Invalid value at '{snake(name)}' (TYPE_BOOL), "
                                      f'"{value}"')
        elif isinstance(spec, tuple):
            for value in values:
                if value not in spec:
                    raise bad_request(f"Invalid value at '{snake(name)}', \"{value}\"")
    return query


def flag(params: dict[str, list[str]], name: str) -> bool:
    return (one(params, name) or "false").lower() == "true"


# --- response field masks ----------------------------------------------------------------------

def select_fields(obj: Any, mask: str | None) -> Any:
    """Apply a Google field mask ('a,b.c,d(e,f)') to a response; '*' or None keeps everything."""
    if not mask or mask.strip() == "*":
        return obj
    return _select(obj, _parse_mask(mask))


def _parse_mask(mask: str) -> dict:
    tree: dict = {}
    tokens = re.findall(r"[A-Za-z0-9_*]+|[(),.]", mask.replace("/", "."))  # a/b is a.b
    pos = 0

    def parse_list(node: dict) -> None:
        nonlocal pos
        while pos < len(tokens):
            parse_path(node)
            if pos < len(tokens) and tokens[pos] == ",":
                pos += 1
                continue
            break

    def parse_path(node: dict) -> None:
        nonlocal pos
        name = tokens[pos]
        pos += 1
        child = node.setdefault(name, {})
        if pos < len(tokens) and tokens[pos] == ".":
            pos += 1
            parse_path(child)
        elif pos < len(tokens) and tokens[pos] == "(":
            pos += 1
            parse_list(child)
            if pos >= len(tokens) or tokens[pos] != ")":
                raise bad_request(f"Invalid field selection {mask}")
            pos += 1

    parse_list(tree)
    if pos != len(tokens):
        raise bad_request(f"Invalid field selection {mask}")
    return tree


def _select(obj: Any, tree: dict) -> Any:
    if not tree or "*" in tree:
        return obj
    if isinstance(obj, list):
        return [_select(item, tree) for item in obj]
    if not isinstance(obj, dict):
        return obj
    return {k: _select(obj[k], sub) for k, sub in tree.items() if k in obj}
