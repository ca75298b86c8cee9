"""Which cells of an .xlsx or .ods file carry a percent format — what calamine does not report.

calamine returns time, duration and date cells as ``time``/``timedelta``/``date`` already, but a
cell typed ``100%`` comes back as the plain number 1. This module reads the files' own XML to find
the percent cells, only in the columns asked for, and only when the file has a percent style at
all (most workbooks have none, and then this costs one small read of ``styles.xml``).

Error policy: never raises for a readable zip; a part it cannot understand yields no percent
cells (the value is then read as the plain number calamine gave, as before).
"""
from __future__ import annotations

import logging
import re
import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

log = logging.getLogger(__name__)

Cells = dict[str, set[tuple[int, int]]]   # sheet name -> {(row index, column index)} (0-based)

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_BUILTIN_PERCENT = {9, 10}            # 0% and 0.00%
_CELL = re.compile(rb"<(?:\w+:)?c\s([^>]*?)/?>")
_REF = re.compile(rb'\br="([A-Z]{1,3})(\d+)"')
_STYLE = re.compile(rb'\bs="(\d+)"')


def percent_cells(path: Path, wanted: dict[str, set[int]]) -> Cells:
    """The percent-formatted cells of ``wanted`` (sheet name → column indices)."""
    if not wanted:
        return {}
    try:
        with zipfile.ZipFile(path) as book:
            names = set(book.namelist())
            if "xl/styles.xml" in names:
                return _xlsx(book, wanted)
            if "content.xml" in names:
                return _ods(book, wanted)
    except (zipfile.BadZipFile, KeyError, ET.ParseError, ValueError, OSError) as exc:
        log.warning("number formats of %s not read: %s", path, exc)
    return {}


# -- xlsx -----------------------------------------------------------------------------------------
def _is_percent_code(code: str) -> bool:
    # '%' inside quotes or escaped with a backslash is literal text, not a percent format
    unquoted = re.sub(r'"[^"]*"|\\.', "", code)
    return "%" in unquoted


def _percent_styles(styles: bytes) -> set[int]:
    root = ET.fromstring(styles)
    custom = {int(f.get("numFmtId", -1)): f.get("formatCode", "")
              for f in root.iter(f"{_MAIN}numFmt")}
    percent = _BUILTIN_PERCENT | {i for i, code in custom.items() if _is_percent_code(code)}
    xfs = root.find(f"{_MAIN}cellXfs")
    if xfs is None:
        return set()
    return {index for index, xf in enumerate(xfs.findall(f"{_MAIN}xf"))
            if int(xf.get("numFmtId", 0)) in percent}


def _sheet_parts(book: zipfile.ZipFile) -> dict[str, str]:
    workbook = ET.fromstring(book.read("xl/workbook.xml"))
    rels = ET.fromstring(book.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target", "") for r in rels.iter(f"{_PKG_REL}Relationship")}
    parts = {}
    for sheet in workbook.iter(f"{_MAIN}sheet"):
        target = targets.get(sheet.get(f"{_REL}id"), "")
        parts[sheet.get("name", "")] = (target.lstrip("/") if target.startswith("/")
                                        else "xl/" + target)
    return parts


def _column_index(letters: bytes) -> int:
    index = 0
    for ch in letters:
        index = index * 26 + ch - 64
    return index - 1


def _xlsx(book: zipfile.ZipFile, wanted: dict[str, set[int]]) -> Cells:
    styles = _percent_styles(book.read("xl/styles.xml"))
    if not styles:
        return {}
    parts = _sheet_parts(book)
    found: Cells = {}
    for sheet, columns in wanted.items():
        if sheet not in parts or not columns:
            continue
        cells = set()
        for match in _CELL.finditer(book.read(parts[sheet])):
            attrs = match.group(1)
            style = _STYLE.search(attrs)
            if style is None or int(style.group(1)) not in styles:
                continue
            ref = _REF.search(attrs)
            if ref is None:
                continue
            column = _column_index(ref.group(1))
            if column in columns:
                cells.add((int(ref.group(2)) - 1, column))
        found[sheet] = cells
    return found


# -- ods ------------------------------------------------------------------------------------------
_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"


def _ods(book: zipfile.ZipFile, wanted: dict[str, set[int]]) -> Cells:
    content = book.read("content.xml")
    if b'value-type="percentage"' not in content:
        return {}
    found: Cells = {}
    root = ET.fromstring(content)
    for table in root.iter(f"{_TABLE}table"):
        name = table.get(f"{_TABLE}name", "")
        columns = wanted.get(name)
        if not columns:
            continue
        cells, row_index = set(), 0
        for row in table.iter(f"{_TABLE}table-row"):
            rows = int(row.get(f"{_TABLE}number-rows-repeated", 1))
            column = 0
            for cell in row:
                span = int(cell.get(f"{_TABLE}number-columns-repeated", 1))
                if cell.get(f"{_OFFICE}value-type") == "percentage":
                    for c in range(column, column + span):
                        if c in columns:
                            cells.update((r, c) for r in range(row_index,
                                                               row_index + min(rows, 1000)))
                column += span
            row_index += rows
        found[name] = cells
    return found
