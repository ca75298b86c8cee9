"""Cell requests of the Sheets test server: ``appendCells`` and ``updateCells`` of
spreadsheets.batchUpdate (for sheets_batch.py).

A CellData carries a ``userEnteredValue`` (an ExtendedValue: exactly one of numberValue,
stringValue, boolValue, formulaValue) and a ``userEnteredFormat.numberFormat``; the request's
``fields`` mask says which of them are written, and a field in the mask that a CellData leaves
out is cleared, as Google does. A ``stringValue`` is text whatever it starts with (``=`` too):
only a ``formulaValue`` (or ``=`` typed with USER_ENTERED) is a formula, stored as
:class:`sheets_render.Formula` so tests can tell the two apart. A number written with a DATE or
DATE_TIME format is stored as the date it stands for (as a typed date is), so values.get gives
its serial number back.

A protected range that is not warning-only lets only its ``editors.users`` write (the one who
protected it is always among them; sheets_protection.py); anyone else gets Google's 400 "You are
trying to edit a protected cell or object" and nothing of the batch is applied.

Error policy: a request Google would reject raises sheets_schema.ApiError (a 400 shaped like
Google's); test equipment, not product.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from .sheets_a1 import Box
from .sheets_model import Sheet, Spreadsheet
from .sheets_render import SERIAL_EPOCH, Formula, trim
from .sheets_schema import bad_request

_VALUE, _FORMAT = "userEnteredValue", "userEnteredFormat"
_KEEP = object()  # a cell part the fields mask leaves alone
_FORMAT_PATHS = {"numberFormat", "textFormat", "backgroundColor", "backgroundColorStyle",
                 "horizontalAlignment"}


def _mask(fields: str | None, where: str) -> tuple[bool, bool]:
    """(values written?, number formats written?) from a CellData field mask."""
    if not fields or not fields.strip():
        raise bad_request(f"Invalid {where}: At least one field must be specified in 'fields'.")
    values = formats = False
    for path in (p.strip().replace("/", ".") for p in fields.split(",")):
        head, _, rest = path.partition(".")
        if path == "*":
            values = formats = True
        elif path == _VALUE:
            values = True
        elif head == _FORMAT and (not rest or rest.split(".")[0] in _FORMAT_PATHS):
            formats = formats or not rest or rest.startswith("numberFormat")
        elif path == "note":
            pass  # accepted, not modelled
        else:
            raise bad_request(f"Invalid {where}: Invalid field mask path: {path}")
    return values, formats


def _number_format(cell: dict) -> dict | None:
    fmt = (cell.get(_FORMAT) or {}).get("numberFormat")
    if not fmt:
        return None
    return {"type": fmt.get("type", "NUMBER_FORMAT_TYPE_UNSPECIFIED"),
            **({"pattern": fmt["pattern"]} if "pattern" in fmt else {})}


def _value(cell: dict, fmt: dict | None, where: str) -> Any:
    extended = cell.get(_VALUE)
    if extended is None:
        return None
    set_ = [k for k, v in extended.items() if v is not None]
    if len(set_) != 1:
        raise bad_request(f"Invalid {where}: an ExtendedValue holds exactly one value, got "
                            f"{len(set_)}.")
    kind, value = set_[0], extended[set_[0]]
    if kind == "formulaValue":
        return Formula(value)
    if kind == "errorValue":
        raise bad_request(f"Invalid {where}: errorValue cannot be written.")
    if kind == "numberValue" and fmt and fmt["type"] in ("DATE", "DATE_TIME"):
        moment = SERIAL_EPOCH + dt.timedelta(days=value)
        return moment.date() if fmt["type"] == "DATE" else moment.replace(microsecond=0)
    return value if value != "" else None


def _write_cell(sheet: Sheet, r: int, c: int, value: Any, fmt: Any) -> None:
    if value is not _KEEP:
        while len(sheet.rows) <= r:
            sheet.rows.append([])
        row = sheet.rows[r]
        while len(row) <= c:
            row.append(None)
        row[c] = value
    if fmt is not _KEEP:
        if fmt is None:
            sheet.formats.pop((r, c), None)
        else:
            sheet.formats[(r, c)] = fmt


def _write_rows(sheet: Sheet, r0: int, c0: int, rows: list[dict], fields: str, where: str,
                clear: Box | None = None) -> int:
    """Write RowData from (r0, c0); returns the width written. ``clear``: a box whose cells the
    rows leave out are cleared (updateCells with a range)."""
    values, formats = _mask(fields, where)
    width = 0
    done: set[tuple[int, int]] = set()
    for i, row in enumerate(rows):
        cells = (row or {}).get("values") or []
        width = max(width, len(cells))
        for j, cell in enumerate(cells):
            cell = cell or {}
            fmt = _number_format(cell)
            here = f"{where}.rows[{i}].values[{j}]"
            if not formats and (r0 + i, c0 + j) in sheet.formats:
                fmt = sheet.formats[(r0 + i, c0 + j)]  # the cell keeps its format
            _write_cell(sheet, r0 + i, c0 + j, _value(cell, fmt, here) if values else _KEEP,
                        fmt if formats else _KEEP)
            done.add((r0 + i, c0 + j))
    if clear is not None:
        for r in range(clear.r0, clear.r1):
            for c in range(clear.c0, clear.c1):
                if (r, c) not in done:
                    _write_cell(sheet, r, c, None if values else _KEEP,
                                None if formats else _KEEP)
    sheet.rows = trim(sheet.rows)
    return width


def append_cells(book: Spreadsheet, req: dict, where: str) -> dict:
    """appendCells: the rows go after the last row with data, the grid grows to hold them."""
    if "tableId" in req:
        raise bad_request(f"Invalid {where}: this test server appends to sheets only.")
    sheet = book.sheet_by_id(req.get("sheetId", 0))
    if sheet is None:
        raise bad_request(f"Invalid {where}: No grid with id: {req.get('sheetId', 0)}")
    rows = req.get("rows") or []
    start = sheet.last_data_row()
    width = max((len((r or {}).get("values") or []) for r in rows), default=0)
    if rows and width:
        book.check_editable(sheet, Box(start, 0, start + len(rows), width), book.editor)
    _write_rows(sheet, start, 0, rows, req.get("fields"), where)
    sheet.row_count = max(sheet.row_count, start + len(rows))
    sheet.col_count = max(sheet.col_count, width)
    return {}


def update_cells(book: Spreadsheet, req: dict, where: str) -> dict:
    """updateCells from ``start`` (a GridCoordinate) or into ``range`` (cleared where the rows
    do not reach, for the fields in the mask)."""
    if ("start" in req) == ("range" in req):
        raise bad_request(f"Invalid {where}: exactly one of start or range must be set.")
    rows = req.get("rows") or []
    height = len(rows)
    width = max((len((r or {}).get("values") or []) for r in rows), default=0)
    clear = None
    if "start" in req:
        start = req["start"]
        sheet = book.sheet_by_id(start.get("sheetId", 0))
        if sheet is None:
            raise bad_request(f"Invalid {where}: No grid with id: {start.get('sheetId', 0)}")
        r0, c0 = start.get("rowIndex", 0), start.get("columnIndex", 0)
        box = Box(r0, c0, r0 + height, c0 + width)
    else:
        grid = req["range"]
        sheet = book.grid_sheet(grid, where)
        r0, c0 = grid.get("startRowIndex", 0), grid.get("startColumnIndex", 0)
        box = Box(r0, c0, grid.get("endRowIndex", sheet.row_count),
                    grid.get("endColumnIndex", sheet.col_count))
        if r0 + height > box.r1 or c0 + width > box.c1:
            raise bad_request(f"Invalid {where}: the rows do not fit in the range.")
        clear = box
    if r0 < 0 or c0 < 0 or box.r1 > sheet.row_count or box.c1 > sheet.col_count:
        raise bad_request(f"Invalid {where}: Range exceeds grid limits. Max rows: "
                            f"{sheet.row_count}, max columns: {sheet.col_count}")
    if box.r1 > box.r0 and box.c1 > box.c0:
        book.check_editable(sheet, box, book.editor)
    _write_rows(sheet, r0, c0, rows, req.get("fields"), where, clear)
    return {}
