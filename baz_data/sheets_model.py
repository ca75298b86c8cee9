"""In-memory spreadsheets that behave like the Sheets API v4 sees them (for sheets_server.py).

What is modelled: sheets with a grid size, cell values (text, numbers, booleans, dates), A1 ranges
with quoted tab names, the value render options, nl_BE formatting, value input (RAW and
USER_ENTERED), the number format each cell gets from what was typed (``100%`` → 1 with a PERCENT
format, ``4:00`` → a TIME; see sheets_number_formats.py), frozen rows, data validation and
protected ranges (one that is not warning-only refuses writes by anyone not among its editors,
with Google's 400), and cells written with their number format (appendCells, updateCells:
sheets_cells.py). What is not: formulas (stored and returned as text), other formatting,
merges, charts. Requests are checked against the request schemas of the discovery document
(sheets.v4.json) for the parts we support; anything else is rejected with a 400 shaped like
Google's, so code that passes here sends what the real API accepts.

Error policy: every client mistake raises :class:`ApiError` (status, message, Google status name);
the HTTP layer turns it into Google's error body.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace
from typing import Any

from .problems import column_letter
from .sheets_number_formats import NumberFormat, formatted_value, implied_format, typed_input

SERIAL_EPOCH = dt.datetime(1899, 12, 30)
DEFAULT_ROWS, DEFAULT_COLS = 1000, 26

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
# ConditionValue counts for data validation, from the enumDescriptions of BooleanCondition.type
# (None = any number); types missing here are not supported by data validation.
VALIDATION_VALUES: dict[str, tuple[int, int | None]] = {
    **{t: (1, 1) for t in ("NUMBER_GREATER", "NUMBER_GREATER_THAN_EQ", "NUMBER_LESS",
                           "NUMBER_LESS_THAN_EQ", "NUMBER_EQ", "NUMBER_NOT_EQ", "TEXT_CONTAINS",
                           "TEXT_NOT_CONTAINS", "TEXT_EQ", "DATE_EQ", "DATE_BEFORE", "DATE_AFTER",
                           "DATE_ON_OR_BEFORE", "DATE_ON_OR_AFTER", "ONE_OF_RANGE",
                           "CUSTOM_FORMULA")},
    **{t: (2, 2) for t in ("NUMBER_BETWEEN", "NUMBER_NOT_BETWEEN", "DATE_BETWEEN",
                           "DATE_NOT_BETWEEN")},
    **{t: (0, 0) for t in ("TEXT_IS_EMAIL", "TEXT_IS_URL", "DATE_IS_VALID")},
    "ONE_OF_LIST": (1, None),
    "BOOLEAN": (0, 2),
}

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
SUPPORTED_REQUESTS = {"addSheet": "AddSheetRequest", "setDataValidation": "SetDataValidationRequest",
                      "updateSheetProperties": "UpdateSheetPropertiesRequest",
                      "addProtectedRange": "AddProtectedRangeRequest",
                      "appendCells": "AppendCellsRequest", "updateCells": "UpdateCellsRequest"}
CELL_REQUESTS = frozenset({"appendCells", "updateCells"})  # they change cells, not only sheets
# Every kind of Request in sheets.v4.json: known but unsupported kinds get a clear 400.
REQUEST_KINDS = frozenset((
    "addBanding addChart addCommentReply addConditionalFormatRule addDataSource addDimensionGroup "
    "addFilterView addNamedRange addProtectedRange addSheet addSlicer addTable appendCells "
    "appendDimension autoFill autoResizeDimensions cancelDataSourceRefresh clearBasicFilter "
    "copyPaste createDeveloperMetadata cutPaste deleteBanding deleteComment deleteCommentReply "
    "deleteConditionalFormatRule deleteDataSource deleteDeveloperMetadata deleteDimension "
    "deleteDimensionGroup deleteDuplicates deleteEmbeddedObject deleteFilterView deleteNamedRange "
    "deleteProtectedRange deleteRange deleteSheet deleteTable duplicateFilterView duplicateSheet "
    "findReplace insertComment insertDimension insertRange mergeCells moveDimension pasteData "
    "randomizeRange refreshDataSource repeatCell setBasicFilter setDataValidation sortRange "
    "textToColumns trimWhitespace unmergeCells updateBanding updateBorders updateCells "
    "updateChartSpec updateCommentPost updateConditionalFormatRule updateDataSource "
    "updateDeveloperMetadata updateDimensionGroup updateDimensionProperties "
    "updateEmbeddedObjectBorder updateEmbeddedObjectPosition updateFilterView updateNamedRange "
    "updateProtectedRange updateSheetProperties updateSlicerSpec updateSpreadsheetProperties "
    "updateTable").split())
# What Google answers (400 INVALID_ARGUMENT) for a write into a protected range.
PROTECTED_MESSAGE = ("You are trying to edit a protected cell or object. Please contact the "
                     "spreadsheet owner to remove protection if you need to edit.")
STATUS_NAMES = {400: "INVALID_ARGUMENT", 401: "UNAUTHENTICATED", 403: "PERMISSION_DENIED",
                404: "NOT_FOUND", 429: "RESOURCE_EXHAUSTED", 500: "INTERNAL",
                503: "UNAVAILABLE"}


class Formula(str):
    """A cell that holds a formula (USER_ENTERED text starting with ``=``, or a formulaValue):
    stored and returned as its text, but a test can tell it from text (``type(v) is str``)."""


class ApiError(Exception):
    def __init__(self, code: int, message: str, status: str | None = None):
        super().__init__(message)
        self.code, self.message = code, message
        self.status = status or STATUS_NAMES.get(code, "UNKNOWN")

    def body(self) -> dict:
        return {"error": {"code": self.code, "message": self.message, "status": self.status}}


def bad_request(message: str) -> ApiError:
    return ApiError(400, message)


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)([A-Z])", r"_\1", name).lower()


def check_message(obj: Any, schema: str, path: str = "") -> None:
    """Reject unknown fields, wrong types and bad enum values, with Google's wording."""
    if not isinstance(obj, dict):
        raise bad_request(f"Invalid value at '{path or schema}', expected an object.")
    spec = SCHEMAS[schema]
    for name, value in obj.items():
        where = f"{path}.{_snake(name)}" if path else _snake(name)
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
        pass  # checked kind by kind in Spreadsheet.batch_update
    elif kind == OPAQUE:
        if not isinstance(value, dict):
            raise bad_request(f"Invalid value at '{where}', expected an object.")
    else:
        check_message(value, kind, where)


# --- A1 notation -------------------------------------------------------------------------------

_CELL = re.compile(r"^([A-Za-z]{0,3})(\d{0,7})$")


def column_index(letters: str) -> int:
    index = 0
    for ch in letters.upper():
        index = index * 26 + ord(ch) - 64
    return index - 1


def quote_title(title: str) -> str:
    """As Google writes a tab name in a range: bare when it is a simple word, quoted otherwise."""
    if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", title) and not re.fullmatch(
            r"[A-Za-z]{1,3}\d+", title):
        return title
    return "'" + title.replace("'", "''") + "'"


def split_range(text: str) -> tuple[str | None, str]:
    """'Tab name'!A1:C → ("Tab name", "A1:C"); Tab → ("Tab", ""); A1:B2 → (None, "A1:B2")."""
    if text.startswith("'"):
        i, title = 1, []
        while i < len(text):
            if text[i] == "'":
                if text[i + 1:i + 2] == "'":
                    title.append("'")
                    i += 2
                    continue
                rest = text[i + 1:]
                if rest and not rest.startswith("!"):
                    raise bad_request(f"Unable to parse range: {text}")
                return "".join(title), rest[1:]
            title.append(text[i])
            i += 1
        raise bad_request(f"Unable to parse range: {text}")
    if "!" in text:
        title, _, cells = text.rpartition("!")
        return title, cells
    return None, text


@dataclass(frozen=True)
class Box:
    """A resolved range: rows/cols are 0-based, end exclusive; None = to the edge of the grid."""
    r0: int
    c0: int
    r1: int | None
    c1: int | None


def _ref(part: str, original: str) -> tuple[int | None, int | None]:
    m = _CELL.match(part.strip())
    if not m or not (m.group(1) or m.group(2)) or m.group(2) in ("0", "00"):
        raise bad_request(f"Unable to parse range: {original}")
    row = int(m.group(2)) - 1 if m.group(2) else None
    col = column_index(m.group(1)) if m.group(1) else None
    return row, col


def parse_cells(cells: str, original: str) -> Box:
    """A1 cells of a range: A1, A1:C3, A:C, 2:5, A2:C (open to the bottom); empty = whole tab."""
    if not cells:
        return Box(0, 0, None, None)
    parts = cells.split(":")
    if len(parts) > 2:
        raise bad_request(f"Unable to parse range: {original}")
    if len(parts) == 1:
        row, col = _ref(parts[0], original)
        if row is None or col is None:
            raise bad_request(f"Unable to parse range: {original}")
        return Box(row, col, row + 1, col + 1)
    (ra, ca), (rb, cb) = _ref(parts[0], original), _ref(parts[1], original)
    if ca is None and cb is None and ra is not None and rb is not None:   # 2:5
        return Box(min(ra, rb), 0, max(ra, rb) + 1, None)
    if ca is None or cb is None or (ra is None and rb is not None):
        raise bad_request(f"Unable to parse range: {original}")
    c0, c1 = min(ca, cb), max(ca, cb) + 1
    if rb is None:                                                       # A:C, A2:C
        return Box(ra or 0, c0, None, c1)
    return Box(min(ra, rb), c0, max(ra, rb) + 1, c1)


# --- values ------------------------------------------------------------------------------------

def to_serial(value: dt.date | dt.datetime | dt.time) -> float | int:
    if isinstance(value, dt.time):
        return (value.hour * 3600 + value.minute * 60 + value.second) / 86400
    if isinstance(value, dt.datetime):
        delta = value - SERIAL_EPOCH
        serial = delta.days + delta.seconds / 86400
        return int(serial) if serial == int(serial) else serial
    return (value - SERIAL_EPOCH.date()).days


def _plain_number(value: int | float) -> int | float:
    return int(value) if isinstance(value, float) and value.is_integer() else value


def format_number(value: int | float, locale: str) -> str:
    """Google's automatic number format: no grouping, the locale's decimal sign."""
    value = _plain_number(value)
    text = repr(value) if isinstance(value, float) else str(value)
    return text.replace(".", decimal_sign(locale))


def decimal_sign(locale: str) -> str:
    return "." if locale.split("_")[0] in ("en", "ja", "zh", "ko", "he", "th") else ","


def format_date(value: dt.date | dt.datetime | dt.time, locale: str) -> str:
    if isinstance(value, dt.time):
        return f"{value.hour}:{value.minute:02d}:{value.second:02d}"
    if locale.startswith("en_US"):
        text = f"{value.month}/{value.day}/{value.year}"
    else:
        text = f"{value.day}/{value.month:02d}/{value.year}"  # nl_BE: d/MM/yyyy
    if isinstance(value, dt.datetime):
        text += f" {value.hour}:{value.minute:02d}:{value.second:02d}"
    return text


def render(value: Any, value_option: str, date_option: str, locale: str) -> Any:
    """One stored cell as values.get returns it."""
    if value is None:
        return ""
    if isinstance(value, (dt.date, dt.time)):
        if value_option == "FORMATTED_VALUE" or date_option == "FORMATTED_STRING":
            return format_date(value, locale)
        return to_serial(value)
    if isinstance(value, bool):
        return value if value_option != "FORMATTED_VALUE" else ("TRUE" if value else "FALSE")
    if isinstance(value, (int, float)):
        if value_option == "FORMATTED_VALUE":
            return format_number(value, locale)
        return _plain_number(value)
    return value


_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$")


def parse_input(value: Any, option: str, locale: str) -> Any:
    """A value sent in values.update/append as Google stores it (USER_ENTERED parses text)."""
    if value is None or isinstance(value, bool) or option == "RAW":
        return value if value != "" else None
    if isinstance(value, (int, float)):
        return value
    text = str(value)
    if text.startswith("'"):
        return text[1:] or None
    stripped = text.strip()
    if not stripped:
        return None
    if text.startswith("="):
        return Formula(text)
    if stripped.upper() in ("TRUE", "WAAR", "FALSE", "ONWAAR"):
        return stripped.upper() in ("TRUE", "WAAR")
    sign = decimal_sign(locale)
    group = "," if sign == "." else "."
    number = stripped.rstrip("%").strip()
    pattern = rf"[+-]?(\d{{1,3}}(\{group}\d{{3}})+|\d+)(\{sign}\d+)?"
    if re.fullmatch(pattern, number):
        parsed = float(number.replace(group, "").replace(sign, "."))
        parsed = parsed / 100 if stripped.endswith("%") else parsed
        return _plain_number(parsed)
    if m := _ISO.match(stripped):
        y, mo, d, h, mi, s = (int(g) if g else 0 for g in m.groups())
        try:
            return dt.datetime(y, mo, d, h, mi, s) if m.group(4) else dt.date(y, mo, d)
        except ValueError:
            return text
    if m := _DMY.match(stripped):
        a, b, y = (int(g) for g in m.groups())
        day, month = (b, a) if locale.startswith("en_US") else (a, b)
        try:
            return dt.date(y, month, day)
        except ValueError:
            return text
    return text


def parse_typed(value: Any, option: str, locale: str) -> tuple[Any, NumberFormat | None]:
    """Like parse_input, with the number format Google gives what was typed."""
    if option == "USER_ENTERED" and isinstance(value, str) and not value.startswith("'"):
        if (timed := typed_input(value)) is not None:
            return timed
        parsed = parse_input(value, option, locale)
        if value.strip().endswith("%") and isinstance(parsed, (int, float)):
            return parsed, {"type": "PERCENT", "pattern": "0%"}
        return parsed, implied_format(parsed)
    parsed = parse_input(value, option, locale)
    return parsed, implied_format(parsed)


def is_empty(value: Any) -> bool:
    return value is None or value == ""


def trim(rows: list[list[Any]]) -> list[list[Any]]:
    """Drop trailing empty cells and rows, as the API does."""
    out = []
    for row in rows:
        end = len(row)
        while end and is_empty(row[end - 1]):
            end -= 1
        out.append(row[:end])
    while out and not out[-1]:
        out.pop()
    return out


# --- the model ---------------------------------------------------------------------------------

@dataclass
class Sheet:
    sheet_id: int
    title: str
    index: int
    rows: list[list[Any]] = field(default_factory=list)
    row_count: int = DEFAULT_ROWS
    col_count: int = DEFAULT_COLS
    frozen_rows: int = 0
    frozen_cols: int = 0
    hidden: bool = False
    validations: list[tuple[dict, dict | None]] = field(default_factory=list)  # (GridRange, rule)
    formats: dict[tuple[int, int], NumberFormat] = field(default_factory=dict)  # (row, col) -> fmt

    def properties(self) -> dict:
        grid = {"rowCount": self.row_count, "columnCount": self.col_count}
        if self.frozen_rows:
            grid["frozenRowCount"] = self.frozen_rows
        if self.frozen_cols:
            grid["frozenColumnCount"] = self.frozen_cols
        props = {"sheetId": self.sheet_id, "title": self.title, "index": self.index,
                 "sheetType": "GRID", "gridProperties": grid}
        if self.hidden:
            props["hidden"] = True
        return props

    def clip(self, box: Box) -> Box:
        """Open ends to the grid's edge; a range beyond the grid is Google's 400."""
        r1 = self.row_count if box.r1 is None else box.r1
        c1 = self.col_count if box.c1 is None else box.c1
        if r1 > self.row_count or c1 > self.col_count:
            raise bad_request(
                f"Range ({quote_title(self.title)}!{a1(Box(box.r0, box.c0, r1, c1))}) exceeds "
                f"grid limits. Max rows: {self.row_count}, max columns: {self.col_count}")
        return Box(box.r0, box.c0, r1, c1)

    def values(self, box: Box) -> list[list[Any]]:
        return trim([list(row[box.c0:box.c1]) for row in self.rows[box.r0:box.r1]])

    def write(self, r0: int, c0: int, values: list[list[Any]],
              formats: list[list[NumberFormat | None]] | None = None) -> None:
        """Write a block; None leaves a cell unchanged. The grid grows to fit, as the API's does.

        A cell written with a number format gets it; one without keeps the format it had (a
        plain 1 typed into a percent cell is 100%, as in Google Sheets)."""
        for i, row in enumerate(values):
            r = r0 + i
            while len(self.rows) <= r:
                self.rows.append([])
            target = self.rows[r]
            for j, value in enumerate(row):
                if value is _SKIP:
                    continue
                c = c0 + j
                while len(target) <= c:
                    target.append(None)
                target[c] = value
                if formats is not None and formats[i][j] is not None:
                    self.formats[(r, c)] = formats[i][j]
        self.row_count = max(self.row_count, r0 + len(values))
        self.col_count = max(self.col_count, c0 + max((len(r) for r in values), default=0))
        self.rows = trim(self.rows)

    def last_data_row(self) -> int:
        return len(trim(self.rows))

    def validation_at(self, row: int, col: int) -> dict | None:
        found = None
        for grid, rule in self.validations:
            if (grid.get("startRowIndex", 0) <= row < grid.get("endRowIndex", 1 << 31)
                    and grid.get("startColumnIndex", 0) <= col < grid.get("endColumnIndex", 1 << 31)):
                found = rule
        return found


_SKIP = object()  # a null in an update: leave the cell as it is


def a1(box: Box) -> str:
    start = f"{column_letter(box.c0)}{box.r0 + 1}"
    end = f"{column_letter(box.c1 - 1)}{box.r1}"
    return start if start == end else f"{start}:{end}"


@dataclass
class Spreadsheet:
    key: str
    title: str
    sheets: list[Sheet]
    locale: str = "nl_BE"
    time_zone: str = "Europe/Brussels"
    readers: set[str] = field(default_factory=set)   # e-mails that may read
    writers: set[str] = field(default_factory=set)   # e-mails that may write
    protected: list[dict] = field(default_factory=list)
    _next_id: int = 1
    editor: str | None = None   # during a batchUpdate: the caller's e-mail (protected ranges)
    # Drive's file version and modifiedTime (drive_server.py): moved by every write, as Drive does
    version: int = 1
    modified: dt.datetime = field(
        default_factory=lambda: dt.datetime.now(dt.timezone.utc).replace(microsecond=0))

    def touch(self) -> None:
        """Someone changed the file: Drive gives it a new version and modifiedTime."""
        self.version += 1
        now = dt.datetime.now(dt.timezone.utc)
        self.modified = max(now.replace(microsecond=now.microsecond // 1000 * 1000),
                            self.modified + dt.timedelta(milliseconds=1))

    # lookups
    def sheet_by_title(self, title: str) -> Sheet | None:
        return next((s for s in self.sheets if s.title == title), None)

    def sheet_by_id(self, sheet_id: int) -> Sheet | None:
        return next((s for s in self.sheets if s.sheet_id == sheet_id), None)

    def resolve(self, text: str) -> tuple[Sheet, Box]:
        """An A1 range to (sheet, box); an unknown tab is Google's 'Unable to parse range'."""
        title, cells = split_range(text)
        if title is None:
            sheet = self.sheet_by_title(cells)
            if sheet is not None:       # a bare tab name
                return sheet, Box(0, 0, None, None)
            visible = [s for s in self.sheets if not s.hidden] or self.sheets
            return visible[0], parse_cells(cells, text)
        sheet = self.sheet_by_title(title)
        if sheet is None:
            raise bad_request(f"Unable to parse range: {text}")
        return sheet, parse_cells(cells, text)

    # reading
    def metadata(self, grid_ranges: list[str] | None, include_grid: bool) -> dict:
        sheets = []
        wanted: dict[int, list[Box]] = {}
        for text in grid_ranges or []:
            sheet, box = self.resolve(text)
            wanted.setdefault(sheet.sheet_id, []).append(sheet.clip(box))
        for sheet in sorted(self.sheets, key=lambda s: s.index):
            entry: dict[str, Any] = {"properties": sheet.properties()}
            protected = [p for p in self.protected if p["range"].get("sheetId") == sheet.sheet_id]
            if protected:
                entry["protectedRanges"] = [dict(p) for p in protected]
            if include_grid:
                boxes = wanted.get(sheet.sheet_id) if grid_ranges else [
                    Box(0, 0, sheet.row_count, sheet.col_count)]
                if boxes:
                    entry["data"] = [self._grid_data(sheet, b) for b in boxes]
            sheets.append(entry)
        return {"spreadsheetId": self.key,
                "properties": {"title": self.title, "locale": self.locale,
                               "autoRecalc": "ON_CHANGE", "timeZone": self.time_zone},
                "sheets": sheets,
                "spreadsheetUrl": f"https://docs.google.com/spreadsheets/d/{self.key}/edit"}

    def _grid_data(self, sheet: Sheet, box: Box) -> dict:
        rows = []
        for r in range(box.r0, box.r1):
            cells = []
            row = sheet.rows[r] if r < len(sheet.rows) else []
            for c in range(box.c0, box.c1):
                value = row[c] if c < len(row) else None
                cell: dict[str, Any] = {}
                fmt = sheet.formats.get((r, c)) or implied_format(value)
                if not is_empty(value):
                    cell["userEnteredValue"] = _extended(value)
                    cell["effectiveValue"] = _extended(value)
                    cell["formattedValue"] = formatted_value(
                        value, fmt, render(value, "FORMATTED_VALUE", "", self.locale),
                        decimal_sign(self.locale))
                if fmt:
                    cell["userEnteredFormat"] = {"numberFormat": dict(fmt)}
                    cell["effectiveFormat"] = {"numberFormat": dict(fmt)}
                rule = sheet.validation_at(r, c)
                if rule:
                    cell["dataValidation"] = rule
                cells.append(cell)
            while cells and not cells[-1]:
                cells.pop()
            rows.append({"values": cells} if cells else {})
        while rows and not rows[-1]:
            rows.pop()
        data: dict[str, Any] = {"rowData": rows} if rows else {}
        if box.r0:
            data["startRow"] = box.r0
        if box.c0:
            data["startColumn"] = box.c0
        return data

    def get_values(self, text: str, value_option: str, date_option: str) -> dict:
        sheet, box = self.resolve(text)
        box = sheet.clip(box)
        result: dict[str, Any] = {"range": f"{quote_title(sheet.title)}!{a1(box)}",
                                  "majorDimension": "ROWS"}
        locale = self.locale
        rows = [[v if type(v) is str else render(v, value_option, date_option, locale)
                 for v in row] for row in sheet.values(box)]
        if rows:
            result["values"] = rows
        return result

    # writing values
    def update_values(self, text: str, values: list[list[Any]], option: str,
                      editor: str | None = None) -> dict:
        """values.update; ``editor`` (the caller's e-mail) is checked against protected ranges
        (None: a test's own setup, never refused)."""
        sheet, box = self.resolve(text)
        typed = [[(_SKIP, None) if v is None else parse_typed(v, option, self.locale) for v in row]
                 for row in values]
        parsed = [[v for v, _ in row] for row in typed]
        formats = [[f for _, f in row] for row in typed]
        height = len(parsed)
        width = max((len(r) for r in parsed), default=0)
        if box.r1 is not None and box.c1 is not None and (box.r1 - box.r0 < height
                                                          or box.c1 - box.c0 < width):
            if not (box.r1 - box.r0 == 1 and box.c1 - box.c0 == 1):  # a single cell is an anchor
                raise bad_request(
                    f"Requested writing within range [{text}], but tried writing to "
                    f"{'row' if box.r1 - box.r0 < height else 'column'} "
                    f"[{box.r0 + height if box.r1 - box.r0 < height else column_letter(box.c0 + width - 1)}]")
        if height and width:
            self.check_editable(sheet, Box(box.r0, box.c0, box.r0 + height, box.c0 + width),
                                editor)
        sheet.write(box.r0, box.c0, parsed, formats)
        response: dict[str, Any] = {"spreadsheetId": self.key}
        if height and width:
            written = Box(box.r0, box.c0, box.r0 + height, box.c0 + width)
            response.update(updatedRange=f"{quote_title(sheet.title)}!{a1(written)}",
                            updatedRows=height, updatedColumns=width,
                            updatedCells=sum(len(r) for r in parsed))
        return response

    def append_values(self, text: str, values: list[list[Any]], option: str,
                      editor: str | None = None) -> dict:
        sheet, box = self.resolve(text)
        table = Box(box.r0, box.c0, None, None)
        start = max(sheet.last_data_row(), box.r0)
        width = max((len(r) for r in values), default=0)
        existing = sheet.values(Box(0, 0, None, None))
        response: dict[str, Any] = {"spreadsheetId": self.key}
        if existing:
            table_box = Box(table.r0, table.c0, len(existing),
                            max(max(len(r) for r in existing), table.c0 + 1))
            response["tableRange"] = f"{quote_title(sheet.title)}!{a1(table_box)}"
        anchor = f"{quote_title(sheet.title)}!{column_letter(box.c0)}{start + 1}"
        response["updates"] = self.update_values(anchor, values, option, editor) if width else {
            "spreadsheetId": self.key}
        return response

    # batchUpdate
    def check_editable(self, sheet: Sheet, box: Box, editor: str | None) -> None:
        """Google's refusal of a write into a protected range (not warning-only) by someone who
        is not among its editors."""
        from .sheets_cells import protecting_range

        if editor is not None and protecting_range(self.protected, sheet, box, editor):
            raise bad_request(PROTECTED_MESSAGE)

    def batch_update(self, body: dict, editor: str | None = None) -> dict:
        check_message(body, "BatchUpdateSpreadsheetRequest")
        requests = body.get("requests") or []
        if not requests:
            raise bad_request("Must specify at least one request.")
        plan = []
        for i, request in enumerate(requests):
            if not isinstance(request, dict):
                raise bad_request(f"Invalid value at 'requests[{i}]', expected an object.")
            kinds = [k for k in request if request[k] is not None]
            for kind in kinds:
                if kind not in REQUEST_KINDS:
                    raise bad_request(f'Invalid JSON payload received. Unknown name "{kind}" at '
                                      f"'requests[{i}]': Cannot find field.")
            if len(kinds) != 1:
                raise bad_request(f"Invalid requests[{i}]: exactly one kind of request must be "
                                  f"set, got {len(kinds)}.")
            kind = kinds[0]
            if kind not in SUPPORTED_REQUESTS:
                raise bad_request(f"Invalid requests[{i}].{kind}: this test server supports only "
                                  f"{', '.join(sorted(SUPPORTED_REQUESTS))}.")
            check_message(request[kind], SUPPORTED_REQUESTS[kind], f"requests[{i}].{_snake(kind)}")
            plan.append((i, kind, request[kind]))
        # All or nothing, as Google: apply to a copy, keep it only when every request succeeded.
        # Rows are shared with the copy unless a request writes cells (a copy of 100.000 rows
        # for every init-sheet would be waste).
        cells = any(kind in CELL_REQUESTS for _, kind, _ in plan)
        trial = replace(self, sheets=[replace(s, validations=list(s.validations),
                                              rows=[list(r) for r in s.rows] if cells else s.rows,
                                              formats=dict(s.formats) if cells else s.formats)
                                      for s in self.sheets], protected=list(self.protected),
                        editor=editor)
        replies = [getattr(trial, f"_do_{_snake(kind)}")(req, f"requests[{i}].{kind}")
                   for i, kind, req in plan]
        self.sheets, self.protected, self._next_id = trial.sheets, trial.protected, trial._next_id
        return {"spreadsheetId": self.key, "replies": replies}

    def _grid_range(self, grid: dict | None, where: str) -> Sheet:
        if not grid or "sheetId" not in grid:
            grid = {**(grid or {}), "sheetId": 0}
        sheet = self.sheet_by_id(grid["sheetId"])
        if sheet is None:
            raise bad_request(f"Invalid {where}: No grid with id: {grid['sheetId']}")
        for a, b in (("startRowIndex", "endRowIndex"), ("startColumnIndex", "endColumnIndex")):
            if grid.get(a, 0) < 0 or (b in grid and grid[b] < grid.get(a, 0)):
                raise bad_request(f"Invalid {where}: the start index must be less than or equal "
                                  "to the end index and not negative.")
        if grid.get("endRowIndex", 0) > sheet.row_count or grid.get(
                "endColumnIndex", 0) > sheet.col_count:
            raise bad_request(f"Invalid {where}: Range exceeds grid limits. Max rows: "
                              f"{sheet.row_count}, max columns: {sheet.col_count}")
        return sheet

    def _do_add_sheet(self, req: dict, where: str) -> dict:
        props = req.get("properties") or {}
        title = props.get("title") or f"Sheet{len(self.sheets) + 1}"
        if any(s.title.casefold() == title.casefold() for s in self.sheets):
            raise bad_request(f'Invalid {where}: A sheet with the name "{title}" already exists. '
                              "Please enter another name.")
        if props.get("sheetType", "GRID") != "GRID":
            raise bad_request(f"Invalid {where}: only GRID sheets can be added this way.")
        sheet_id = props.get("sheetId")
        if sheet_id is None:
            sheet_id = self.new_sheet_id()
        elif sheet_id < 0 or self.sheet_by_id(sheet_id):
            raise bad_request(f"Invalid {where}: Sheet with id {sheet_id} already exists.")
        grid = props.get("gridProperties") or {}
        index = props.get("index", len(self.sheets))
        for s in self.sheets:
            if s.index >= index:
                s.index += 1
        sheet = Sheet(sheet_id, title, min(index, len(self.sheets)),
                      row_count=grid.get("rowCount", DEFAULT_ROWS),
                      col_count=grid.get("columnCount", DEFAULT_COLS),
                      frozen_rows=grid.get("frozenRowCount", 0),
                      frozen_cols=grid.get("frozenColumnCount", 0),
                      hidden=props.get("hidden", False))
        self.sheets.append(sheet)
        return {"addSheet": {"properties": sheet.properties()}}

    def _do_update_sheet_properties(self, req: dict, where: str) -> dict:
        props, mask = req.get("properties") or {}, req.get("fields")
        if not mask:
            raise bad_request(f"Invalid {where}: You must specify which fields you want updated.")
        sheet = self.sheet_by_id(props.get("sheetId", 0))
        if sheet is None:
            raise bad_request(f"Invalid {where}: No grid with id: {props.get('sheetId', 0)}")
        paths = [p.strip().replace("/", ".") for p in mask.split(",")]  # a/b is a.b to Google
        if paths == ["*"]:
            paths = ["title", "index", "hidden", "gridProperties"]
        grid = props.get("gridProperties") or {}
        setters = {
            "title": lambda: setattr(sheet, "title", props.get("title", sheet.title)),
            "index": lambda: setattr(sheet, "index", props.get("index", sheet.index)),
            "hidden": lambda: setattr(sheet, "hidden", props.get("hidden", False)),
            "gridProperties.frozenRowCount": lambda: setattr(
                sheet, "frozen_rows", grid.get("frozenRowCount", 0)),
            "gridProperties.frozenColumnCount": lambda: setattr(
                sheet, "frozen_cols", grid.get("frozenColumnCount", 0)),
            "gridProperties.rowCount": lambda: setattr(
                sheet, "row_count", grid.get("rowCount", sheet.row_count)),
            "gridProperties.columnCount": lambda: setattr(
                sheet, "col_count", grid.get("columnCount", sheet.col_count)),
        }
        for path in paths:
            if path == "gridProperties":
                chosen = [k for k in setters if k.startswith("gridProperties.")
                          and k.split(".")[1] in grid]
            elif path in setters:
                chosen = [path]
            elif path.split(".")[0] in SCHEMAS["SheetProperties"]:
                chosen = []  # a real property we do not model: accepted, no effect
            else:
                raise bad_request(f"Invalid {where}: Invalid field mask path: {path}")
            for key in chosen:
                setters[key]()
        if sheet.frozen_rows > sheet.row_count or sheet.frozen_rows < 0:
            raise bad_request(f"Invalid {where}: frozenRowCount out of range.")
        return {}

    def _do_set_data_validation(self, req: dict, where: str) -> dict:
        grid = req.get("range") or {}
        sheet = self._grid_range(grid, where)
        rule = req.get("rule")
        if rule is not None:
            condition = rule.get("condition") or {}
            kind = condition.get("type", "CONDITION_TYPE_UNSPECIFIED")
            values = condition.get("values") or []
            if kind not in VALIDATION_VALUES:
                raise bad_request(f"Invalid {where}: Invalid ConditionType '{kind}' for data "
                                  "validation.")
            low, high = VALIDATION_VALUES[kind]
            if len(values) < low or (high is not None and len(values) > high):
                raise bad_request(f"Invalid {where}: ConditionType '{kind}' requires "
                                  f"{low if low == high else f'{low} to {high}'} "
                                  f"ConditionValue(s), but {len(values)} were supplied.")
            for v in values:
                if "relativeDate" in v:
                    raise bad_request(f"Invalid {where}: Relative dates are not supported in "
                                      "data validation.")
            if kind == "ONE_OF_RANGE":
                ref = values[0].get("userEnteredValue", "")
                if not ref.startswith("="):
                    raise bad_request(f"Invalid {where}: ONE_OF_RANGE requires a range starting "
                                      f"with '=', got '{ref}'.")
                try:
                    self.resolve(ref[1:].replace("$", ""))
                except ApiError:
                    raise bad_request(f"Invalid {where}: Invalid range in ONE_OF_RANGE: "
                                      f"{ref}") from None
        sheet.validations.append(({**grid, "sheetId": sheet.sheet_id}, rule))
        return {}

    def _do_add_protected_range(self, req: dict, where: str) -> dict:
        protected = dict(req.get("protectedRange") or {})
        if "protectedRangeId" in protected and any(
                p["protectedRangeId"] == protected["protectedRangeId"] for p in self.protected):
            raise bad_request(f"Invalid {where}: protectedRangeId already exists.")
        if sum(k in protected for k in ("range", "namedRangeId", "tableId")) != 1:
            raise bad_request(f"Invalid {where}: exactly one of range, namedRangeId or tableId "
                              "must be set.")
        if "namedRangeId" in protected or "tableId" in protected:
            raise bad_request(f"Invalid {where}: this test server protects grid ranges only.")
        sheet = self._grid_range(protected["range"], where)
        protected["range"] = {**protected["range"], "sheetId": sheet.sheet_id}
        protected.setdefault("protectedRangeId", 1_000_000 + len(self.protected))
        if protected.get("warningOnly"):
            protected.pop("editors", None)
        elif self.editor and not protected.get("warningOnly"):
            # Google keeps whoever protects a range among its editors
            users = list((protected.get("editors") or {}).get("users") or [])
            if self.editor not in users:
                users.append(self.editor)
            protected["editors"] = {**(protected.get("editors") or {}), "users": users}
        protected["requestingUserCanEdit"] = True
        self.protected.append(protected)
        return {"addProtectedRange": {"protectedRange": protected}}

    def _do_append_cells(self, req: dict, where: str) -> dict:
        from .sheets_cells import append_cells

        return append_cells(self, req, where)

    def _do_update_cells(self, req: dict, where: str) -> dict:
        from .sheets_cells import update_cells

        return update_cells(self, req, where)

    def new_sheet_id(self) -> int:
        while self.sheet_by_id(self._next_id):
            self._next_id += 1
        return self._next_id


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


def _extended(value: Any) -> dict:
    if isinstance(value, bool):
        return {"boolValue": value}
    if isinstance(value, (int, float)):
        return {"numberValue": value}
    if isinstance(value, (dt.date, dt.time)):
        return {"numberValue": to_serial(value)}
    return {"stringValue": str(value)}
