"""Protected ranges in the Sheets-API test server: who may write where.

A protected range (a GridRange of one sheet, as addProtectedRange stored it) that is not
warning-only lets only its ``editors.users`` write; :func:`protecting_range` finds the first one
over a box that an account may not edit, and sheets_model.Spreadsheet.check_editable turns that
into Google's refusal. A warning-only range never refuses (Google only warns in the browser).
Adding a protected range is a batchUpdate request (sheets_batch.py). Test equipment, not product.

Error policy: pure lookups that never raise; the refusal itself is :data:`PROTECTED_MESSAGE`,
Google's 400 INVALID_ARGUMENT, raised by the caller.
"""
from __future__ import annotations

from .sheets_a1 import Box

# What Google answers (400 INVALID_ARGUMENT) for a write into a protected range.
PROTECTED_MESSAGE = ("You are trying to edit a protected cell or object. Please contact the "
                     "spreadsheet owner to remove protection if you need to edit.")


def _overlaps(grid: dict, box: Box) -> bool:
    big = 1 << 31
    rows = (grid.get("startRowIndex", 0), grid.get("endRowIndex", big))
    cols = (grid.get("startColumnIndex", 0), grid.get("endColumnIndex", big))
    r1 = big if box.r1 is None else box.r1
    c1 = big if box.c1 is None else box.c1
    return rows[0] < r1 and box.r0 < rows[1] and cols[0] < c1 and box.c0 < cols[1]


def protecting_range(protected: list[dict], sheet_id: int, box: Box,
                     editor: str) -> dict | None:
    """The first protected range (not warning-only) over ``box`` of sheet ``sheet_id`` that
    ``editor`` may not edit."""
    for p in protected:
        grid = p.get("range") or {}
        if grid.get("sheetId", 0) != sheet_id or p.get("warningOnly"):
            continue
        if editor in ((p.get("editors") or {}).get("users") or []):
            continue
        if _overlaps(grid, box):
            return p
    return None
