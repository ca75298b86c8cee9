"""Where the raw tabs come from. A source only reads; it never interprets a cell.

Every source returns a :class:`RawWorkbook`: per tab the rows as the sheet holds them (row 0 is
the header row, row i is sheet row i+1), cells as str, int, float, bool, date/datetime, time,
timedelta, :class:`~baz_data.cells.Percent` or None ("" for an empty cell of a workbook file: the
loader treats both alike) — a cell's number format decides which (see
:mod:`baz_data.cells`). Tab names are returned as the workbook spells them; the loader matches
them to the schema.

A source can also say cheaply whether anything changed: :meth:`Source.probe` returns a stamp
(any text; a different stamp means the source may have changed, the same stamp that it did not)
or None for a source that never changes (the bundled demo). Each load carries a content
revision (:func:`content_revision`, a hash of the raw tabs), so a read that finds the same
content can be recognised as no change at all.

Error policy: reading raises :class:`SourceError` (Dutch message); probing raises
:class:`ProbeUnavailable` when probing cannot work until someone changes a setting, and
SourceError when it may work next time.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import logging
import pickle
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from .cells import PERCENT, typed_cell
from .clock import local_now
from .parsing import is_blank, normalize_code
from .problems import Problem
from .schema import TABLES

Cell = object
Rows = list[list[Cell]]

DEMO_WORKBOOK = Path(__file__).parent / "demo_data" / "baz-demo.xlsx"
log = logging.getLogger(__name__)


@dataclass
class SourceInfo:
    kind: str                     # "demo", "workbook" or "gsheets"
    label: str                    # what the user sees: file name or spreadsheet title
    fetched_at: dt.datetime       # when these rows were read
    url: str | None = None        # spreadsheet URL, for links to cells
    gids: dict[str, int] = field(default_factory=dict)  # tab -> sheet id, for links to cells
    revision: str | None = None   # content_revision of the tabs read (model.load_dataset)

    def cell_url(self, tab: str, cell: str | None) -> str | None:
        """A link straight to a cell in Google Sheets, where the source is one."""
        if not self.url or tab not in self.gids:
            return None
        base = self.url.split("#")[0].split("/edit")[0]
        link = f"{base}/edit#gid={self.gids[tab]}"
        return f"{link}&range={cell}" if cell else link


@dataclass
class RawWorkbook:
    tabs: dict[str, Rows]
    info: SourceInfo
    problems: list[Problem] = field(default_factory=list)  # problems the source itself found


class Source(Protocol):
    def read(self) -> RawWorkbook: ...

    def probe(self) -> str | None:
        """A cheap stamp that moves when the source changes; None: it never changes."""


class SourceError(Exception):
    """Reading failed as a whole (file missing, Google unreachable). The message is Dutch."""


class ProbeUnavailable(SourceError):
    """Probing for changes cannot work until a setting changes (an API switched off, a missing
    permission); the message (Dutch) names what to do. Reading may still work."""


def content_revision(tabs: dict[str, Rows]) -> str:
    """A hash of the raw tabs (names, order, every cell with its type): equal content, equal
    revision. Cells are str, numbers, dates, times and cells.Percent, which pickle alike for
    equal values; a different pickling of equal content only costs a needless new version."""
    digest = hashlib.blake2b(digest_size=16)
    for name, rows in tabs.items():
        digest.update(pickle.dumps((name, rows), protocol=5))
    return digest.hexdigest()


def drop_trailing_empty_rows(rows: list[list[Cell]]) -> Rows:
    """Only the empty rows at the end go (cheap); cells stay as read, "" included, for the
    loader turns every blank cell into None column by column (far faster than per row)."""
    end = len(rows)
    while end and all(c is None or c == "" for c in rows[end - 1]):
        end -= 1
    return rows[:end]


def trim_rows(rows: list[list[Cell]]) -> Rows:
    """Drop trailing empty cells, as Google does, so both sources look alike."""
    out = []
    for row in rows:
        end = len(row)
        while end and (row[end - 1] is None or row[end - 1] == ""):
            end -= 1
        out.append([None if c == "" else c for c in row[:end]])
    while out and not out[-1]:
        out.pop()
    return out


def format_columns(tabs: dict[str, Rows]) -> dict[str, set[int]]:
    """Per tab (as the workbook spells it), the column indices whose number format changes the
    meaning of a cell (schema.FORMAT_KINDS), found by header name as the loader finds them."""
    by_name = {normalize_code(t): table for t, table in TABLES.items()}
    wanted: dict[str, set[int]] = {}
    for name, rows in tabs.items():
        table = by_name.get(normalize_code(name))
        if table is None or not rows:
            continue
        headers = {normalize_code(h) for h in table.format_columns}
        columns = {i for i, h in enumerate(rows[0]) if not is_blank(h) and normalize_code(h) in headers}
        if columns:
            wanted[name] = columns
    return wanted


def apply_formats(tabs: dict[str, Rows], formats: dict[str, dict[tuple[int, int], str]]) -> None:
    """Replace each formatted number by the value its format says it is (in place)."""
    for name, cells in formats.items():
        rows = tabs.get(name, [])
        for (r, c), format_type in cells.items():
            if r < len(rows) and c < len(rows[r]):
                rows[r][c] = typed_cell(rows[r][c], format_type)


@dataclass
class WorkbookSource:
    """An .xlsx or .ods file on disk, read with calamine (fast, and the same for both formats)."""

    path: Path
    kind: str = "workbook"

    def read(self) -> RawWorkbook:
        from python_calamine import CalamineWorkbook

        from .workbook_formats import percent_cells

        path = Path(self.path)
        if not path.exists():
            raise SourceError(f"Werkboek '{path}' niet gevonden.")
        try:
            book = CalamineWorkbook.from_path(str(path))
            tabs = {name: drop_trailing_empty_rows(
                        book.get_sheet_by_name(name).to_python(skip_empty_area=False))
                    for name in book.sheet_names}
            # calamine gives times and dates their types already; percent cells it does not.
            percent = percent_cells(path, format_columns(tabs))
            apply_formats(tabs, {name: dict.fromkeys(cells, PERCENT)
                                 for name, cells in percent.items()})
        except Exception as exc:  # calamine raises several types for corrupt files
            # The screen gets Dutch only; calamine's own (English) text goes to the log and
            # stays in the exception chain.
            log.warning("calamine could not read %s: %s", path, exc)
            raise SourceError(f"Werkboek '{path.name}' kan niet gelezen worden: het is geen "
                              "geldig .xlsx- of .ods-bestand, of het is beschadigd.") from exc
        info = SourceInfo(self.kind, path.name, local_now())
        return RawWorkbook(tabs, info)

    def probe(self) -> str | None:
        """The file's modification time and size (one stat, nothing read); None for the bundled
        demo, which never changes."""
        if self.kind == "demo":
            return None
        try:
            found = Path(self.path).stat()
        except OSError as exc:
            raise SourceError(f"Werkboek '{Path(self.path)}' niet gevonden.") from exc
        return f"{found.st_mtime_ns}:{found.st_size}"


def demo_source() -> WorkbookSource:
    return WorkbookSource(DEMO_WORKBOOK, kind="demo")
