"""A1 notation for the Sheets-API test server: ranges as Google writes and reads them.

``'Tab name'!A1:C`` is split into a tab title and cells (:func:`split_range`), the cells resolved
to a :class:`Box` (0-based, end exclusive; an open end runs to the grid's edge: :func:`parse_cells`
knows A1, A1:C3, A:C, 2:5 and A2:C), and a box written back as A1 (:func:`a1`), with the tab name
quoted the way Google quotes it (:func:`quote_title`). Which tab a bare range means is the
spreadsheet's business (sheets_model.Spreadsheet.resolve). Test equipment, not product.

Error policy: a range Google cannot parse is its 400 "Unable to parse range: …", an
sheets_schema.ApiError; nothing else is raised.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .problems import column_letter
from .sheets_schema import bad_request

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


def a1(box: Box) -> str:
    start = f"{column_letter(box.c0)}{box.r0 + 1}"
    end = f"{column_letter(box.c1 - 1)}{box.r1}"
    return start if start == end else f"{start}:{end}"
