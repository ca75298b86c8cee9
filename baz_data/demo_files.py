"""Writing the demo tabs as .xlsx or .ods bytes, byte-for-byte reproducible.

Contract: :func:`write_workbook` writes tab -> rows (row 0 the header) to a path; the suffix
``.ods`` gives an OpenDocument spreadsheet, anything else an .xlsx. Dates get the dd/mm/jjjj
format, money and rate columns (per :data:`baz_data.schema.TABLES`) a two-decimal format. Every
zip entry carries ``FIXED_TIMESTAMP``, so the same tabs always give the same bytes.

Imports: only the schema and :func:`baz_data.problems.column_letter` (openpyxl lazily); no other
demo module, so any tabs can be written. Error policy: file-system errors (OSError) propagate
to the caller (``python -m baz_data`` answers any failure with a Dutch sentence).
"""
from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

from .problems import column_letter
from .schema import MONEY, RATE, TABLES

Tabs = dict[str, list[list]]

FIXED_TIMESTAMP = dt.datetime(2026, 11, 27, 8, 0)  # workbook properties and zip entry times
DATE_FORMAT = "DD/MM/YYYY"
MONEY_FORMAT = "#,##0.00"

# --- Writing --------------------------------------------------------------------------------

def write_workbook(tabs: Tabs, path) -> None:
    """Write the tabs as .xlsx (or .ods when the path says so), byte-for-byte reproducible."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    entries = _ods_entries(tabs) if path.suffix.lower() == ".ods" else _zip_entries(_xlsx_bytes(tabs))
    stamp = FIXED_TIMESTAMP.timetuple()[:6]
    with zipfile.ZipFile(path, "w") as archive:
        for name, data, compression in entries:
            info = zipfile.ZipInfo(name, date_time=stamp)  # not the current time, as zipfile would
            info.compress_type, info.external_attr = compression, 0o644 << 16
            archive.writestr(info, data)


ZipEntry = tuple[str, bytes, int]  # name, content, compression


def _zip_entries(data: bytes) -> list[ZipEntry]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return [(e.filename, archive.read(e), e.compress_type) for e in archive.infolist()]


def _xlsx_bytes(tabs: Tabs) -> bytes:
    from openpyxl import Workbook
    from openpyxl.writer.excel import ExcelWriter

    book = Workbook(write_only=True)
    book.properties.creator = "BAZ demo"
    book.properties.created = book.properties.modified = FIXED_TIMESTAMP
    for tab, rows in tabs.items():
        _xlsx_sheet(book.create_sheet(tab), tab, rows)
    buffer = io.BytesIO()
    # ExcelWriter rather than book.save(): save() stamps the current time as "modified".
    ExcelWriter(book, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED)).save()
    return buffer.getvalue()


def _xlsx_sheet(sheet, tab: str, rows: list[list]) -> None:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    header = rows[0]
    table = TABLES[tab]
    money = [name in table.column_names and table.kind_of(name) in (MONEY, RATE) for name in header]
    sheet.freeze_panes = "A2"
    for i, width in enumerate(_column_widths(rows)):
        sheet.column_dimensions[column_letter(i)].width = width

    def cell(value, number_format=None, bold=False):
        out = WriteOnlyCell(sheet, value)
        out.number_format = number_format or out.number_format
        if bold:
            out.font = Font(bold=True)
        return out

    sheet.append([cell(name, bold=True) for name in header])
    for row in rows[1:]:
        sheet.append([cell(v, DATE_FORMAT) if isinstance(v, dt.date)
                      else cell(v, MONEY_FORMAT) if is_money and isinstance(v, float) else v
                      for v, is_money in zip(row, money)])


def _column_widths(rows: list[list], sample: int = 300) -> list[int]:
    widths = [len(name) + 4 for name in rows[0]]
    for row in rows[1:sample]:
        for i, value in enumerate(row):
            widths[i] = max(widths[i], len(str(value)) + 2 if value is not None else 0)
    return [min(width, 60) for width in widths]


# A minimal OpenDocument spreadsheet: written directly, as odfpy is slow and not reproducible.
ODS_MIMETYPE = "application/vnd.oasis.opendocument.spreadsheet"
_ODS_NAMESPACES = " ".join(f'xmlns:{prefix}="urn:oasis:names:tc:opendocument:xmlns:{urn}"' for prefix, urn in (
    ("office", "office:1.0"), ("style", "style:1.0"), ("table", "table:1.0"), ("text", "text:1.0"),
    ("number", "datastyle:1.0")))
_ODS_STYLES = (
    '<office:automatic-styles><number:date-style style:name="ddmmyyyy">'
    '<number:day number:style="long"/><number:text>/</number:text>'
    '<number:month number:style="long"/><number:text>/</number:text>'
    '<number:year number:style="long"/></number:date-style>'
    '<style:style style:name="date" style:family="table-cell" style:data-style-name="ddmmyyyy"/>'
    '</office:automatic-styles>')
_ODS_MANIFEST = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<manifest:manifest '
    'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
    f'<manifest:file-entry manifest:full-path="/" manifest:version="1.2" manifest:media-type="{ODS_MIMETYPE}"/>'
    '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
    '</manifest:manifest>')


def _ods_entries(tabs: Tabs) -> list[ZipEntry]:
    parts = ['<?xml version="1.0" encoding="UTF-8"?>\n',
             f'<office:document-content {_ODS_NAMESPACES} office:version="1.2">', _ODS_STYLES,
             "<office:body><office:spreadsheet>"]
    for tab, rows in tabs.items():
        parts.append(f'<table:table table:name="{escape(tab)}">')
        for row in rows:
            parts.append("<table:table-row>" + ("".join(map(_ods_cell, row)) or "<table:table-cell/>")
                         + "</table:table-row>")
        parts.append("</table:table>")
    parts.append("</office:spreadsheet></office:body></office:document-content>")
    return [("mimetype", ODS_MIMETYPE.encode(), zipfile.ZIP_STORED),  # first and uncompressed
            ("content.xml", "".join(parts).encode(), zipfile.ZIP_DEFLATED),
            ("META-INF/manifest.xml", _ODS_MANIFEST.encode(), zipfile.ZIP_DEFLATED)]


def _ods_cell(value) -> str:
    if value is None:
        return "<table:table-cell/>"
    if isinstance(value, dt.date):
        return (f'<table:table-cell table:style-name="date" office:value-type="date" '
                f'office:date-value="{value.isoformat()}"><text:p>{value:%d/%m/%Y}</text:p></table:table-cell>')
    if isinstance(value, (int, float)):
        return (f'<table:table-cell office:value-type="float" office:value="{value!r}">'
                f"<text:p>{value}</text:p></table:table-cell>")
    return f'<table:table-cell office:value-type="string"><text:p>{escape(str(value))}</text:p></table:table-cell>'

