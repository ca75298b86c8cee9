"""spreadsheets.batchUpdate in the Sheets-API test server: the requests it supports.

Supported kinds: ``addSheet``, ``updateSheetProperties`` (title, index, hidden, frozen rows and
columns, grid size; other real properties are accepted and ignored), ``setDataValidation``
(condition types and value counts as in the discovery document; ONE_OF_RANGE must name a range
that exists), ``addProtectedRange`` (grid ranges only; who protects a range stays among its
editors) and the cell requests ``appendCells`` and ``updateCells`` (sheets_cells.py). Every
request is checked against its schema (sheets_schema.py) before any is applied; a known but
unsupported kind, or an unknown one, is a clear 400. The batch is all or nothing, as Google's:
requests run on a trial copy of the spreadsheet (sheets_model.Spreadsheet.trial), kept only when
every one succeeded. Test equipment, not product.

Error policy: every client mistake raises sheets_schema.ApiError (a 400 shaped like Google's, the
request named as ``requests[i].kind``); the spreadsheet is then unchanged.
"""
from __future__ import annotations

from typing import Callable

from .sheets_cells import append_cells, update_cells
from .sheets_model import DEFAULT_COLS, DEFAULT_ROWS, Sheet, Spreadsheet
from .sheets_schema import SCHEMAS, ApiError, bad_request, check_message, snake

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


def batch_update(book: Spreadsheet, body: dict, editor: str | None = None) -> dict:
    """spreadsheets.batchUpdate; ``editor`` (the caller's e-mail) is checked against protected
    ranges by the cell requests and kept among the editors of a range it protects."""
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
        check_message(request[kind], SUPPORTED_REQUESTS[kind], f"requests[{i}].{snake(kind)}")
        plan.append((i, kind, request[kind]))
    # All or nothing, as Google: apply to a copy, keep it only when every request succeeded.
    trial = book.trial(any(kind in CELL_REQUESTS for _, kind, _ in plan), editor)
    replies = [HANDLERS[kind](trial, req, f"requests[{i}].{kind}") for i, kind, req in plan]
    book.adopt(trial)
    return {"spreadsheetId": book.key, "replies": replies}


def add_sheet(book: Spreadsheet, req: dict, where: str) -> dict:
    props = req.get("properties") or {}
    title = props.get("title") or f"Sheet{len(book.sheets) + 1}"
    if any(s.title.casefold() == title.casefold() for s in book.sheets):
        raise bad_request(f'Invalid {where}: A sheet with the name "{title}" already exists. '
                          "Please enter another name.")
    if props.get("sheetType", "GRID") != "GRID":
        raise bad_request(f"Invalid {where}: only GRID sheets can be added this way.")
    sheet_id = props.get("sheetId")
    if sheet_id is None:
        sheet_id = book.new_sheet_id()
    elif sheet_id < 0 or book.sheet_by_id(sheet_id):
        raise bad_request(f"Invalid {where}: Sheet with id {sheet_id} already exists.")
    grid = props.get("gridProperties") or {}
    index = props.get("index", len(book.sheets))
    for s in book.sheets:
        if s.index >= index:
            s.index += 1
    sheet = Sheet(sheet_id, title, min(index, len(book.sheets)),
                  row_count=grid.get("rowCount", DEFAULT_ROWS),
                  col_count=grid.get("columnCount", DEFAULT_COLS),
                  frozen_rows=grid.get("frozenRowCount", 0),
                  frozen_cols=grid.get("frozenColumnCount", 0),
                  hidden=props.get("hidden", False))
    book.sheets.append(sheet)
    return {"addSheet": {"properties": sheet.properties()}}

def update_sheet_properties(book: Spreadsheet, req: dict, where: str) -> dict:
    props, mask = req.get("properties") or {}, req.get("fields")
    if not mask:
        raise bad_request(f"Invalid {where}: You must specify which fields you want updated.")
    sheet = book.sheet_by_id(props.get("sheetId", 0))
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

def set_data_validation(book: Spreadsheet, req: dict, where: str) -> dict:
    grid = req.get("range") or {}
    sheet = book.grid_sheet(grid, where)
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
                book.resolve(ref[1:].replace("$", ""))
            except ApiError:
                raise bad_request(f"Invalid {where}: Invalid range in ONE_OF_RANGE: "
                                  f"{ref}") from None
    sheet.validations.append(({**grid, "sheetId": sheet.sheet_id}, rule))
    return {}

def add_protected_range(book: Spreadsheet, req: dict, where: str) -> dict:
    protected = dict(req.get("protectedRange") or {})
    if "protectedRangeId" in protected and any(
            p["protectedRangeId"] == protected["protectedRangeId"] for p in book.protected):
        raise bad_request(f"Invalid {where}: protectedRangeId already exists.")
    if sum(k in protected for k in ("range", "namedRangeId", "tableId")) != 1:
        raise bad_request(f"Invalid {where}: exactly one of range, namedRangeId or tableId "
                          "must be set.")
    if "namedRangeId" in protected or "tableId" in protected:
        raise bad_request(f"Invalid {where}: this test server protects grid ranges only.")
    sheet = book.grid_sheet(protected["range"], where)
    protected["range"] = {**protected["range"], "sheetId": sheet.sheet_id}
    protected.setdefault("protectedRangeId", 1_000_000 + len(book.protected))
    if protected.get("warningOnly"):
        protected.pop("editors", None)
    elif book.editor and not protected.get("warningOnly"):
        # Google keeps whoever protects a range among its editors
        users = list((protected.get("editors") or {}).get("users") or [])
        if book.editor not in users:
            users.append(book.editor)
        protected["editors"] = {**(protected.get("editors") or {}), "users": users}
    protected["requestingUserCanEdit"] = True
    book.protected.append(protected)
    return {"addProtectedRange": {"protectedRange": protected}}


HANDLERS: dict[str, Callable[[Spreadsheet, dict, str], dict]] = {
    "addSheet": add_sheet, "updateSheetProperties": update_sheet_properties,
    "setDataValidation": set_data_validation, "addProtectedRange": add_protected_range,
    "appendCells": append_cells, "updateCells": update_cells}
