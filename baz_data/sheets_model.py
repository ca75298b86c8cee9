"""In-memory spreadsheets that behave like the Sheets API v4 sees them (for sheets_server.py).

What is modelled here: a :class:`Spreadsheet` (key, title, locale, who may read and write, its
protected ranges, Drive's version and modifiedTime) of :class:`Sheet` tabs with a grid size, cell
values (sheets_render.py), the number format of each cell, frozen rows and data validation;
finding a tab and a box from an A1 range (sheets_a1.py); spreadsheets.get's metadata and grid
data; the refusal of a write into a protected range (sheets_protection.py); and the trial copy
that makes a batchUpdate all or nothing. Reading and writing value ranges is sheets_values.py,
the batchUpdate requests sheets_batch.py and sheets_cells.py. What is not modelled: formulas
(stored and returned as text), other formatting, merges, charts.

Error policy: every client mistake raises sheets_schema.ApiError (status, message, Google status
name), with Google's wording; the HTTP layer turns it into Google's error body.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from typing import Any

from .sheets_a1 import Box, a1, parse_cells, quote_title, split_range
from .sheets_number_formats import NumberFormat, formatted_value, implied_format
from .sheets_protection import PROTECTED_MESSAGE, protecting_range
from .sheets_render import decimal_sign, extended, is_empty, render, trim
from .sheets_schema import bad_request

DEFAULT_ROWS, DEFAULT_COLS = 1000, 26


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
                if value is SKIP:
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


SKIP = object()  # a null in an update: leave the cell as it is


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
                    cell["userEnteredValue"] = extended(value)
                    cell["effectiveValue"] = extended(value)
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

    # writing
    def check_editable(self, sheet: Sheet, box: Box, editor: str | None) -> None:
        """Google's refusal of a write into a protected range (not warning-only) by someone who
        is not among its editors; ``editor`` None (a test's own setup) is never refused."""
        if editor is not None and protecting_range(self.protected, sheet.sheet_id, box, editor):
            raise bad_request(PROTECTED_MESSAGE)

    def grid_sheet(self, grid: dict | None, where: str) -> Sheet:
        """The sheet of a GridRange in a request (sheetId 0 when left out), its indexes checked."""
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

    def new_sheet_id(self) -> int:
        while self.sheet_by_id(self._next_id):
            self._next_id += 1
        return self._next_id

    # batchUpdate is all or nothing, as Google's: requests run on a trial copy, kept only when
    # every one of them succeeded (sheets_batch.py).
    def trial(self, cells: bool, editor: str | None) -> Spreadsheet:
        """A copy to apply requests to. Rows are shared with the copy unless ``cells`` (a request
        writes cells): a copy of 100.000 rows for every init-sheet would be waste."""
        return replace(self, sheets=[replace(s, validations=list(s.validations),
                                             rows=[list(r) for r in s.rows] if cells else s.rows,
                                             formats=dict(s.formats) if cells else s.formats)
                                     for s in self.sheets], protected=list(self.protected),
                       editor=editor)

    def adopt(self, trial: Spreadsheet) -> None:
        """Keep what a trial copy became."""
        self.sheets, self.protected, self._next_id = trial.sheets, trial.protected, trial._next_id
