"""Workbooks with cells as Sheets and Excel store what people type, through every source.

``read_dataset(tabs, via)`` writes ``tabs`` (Python values; ``Percent``, ``time`` and
``timedelta`` cells included) as an .xlsx or .ods file with real number formats, or types them
into the Sheets test server with USER_ENTERED (``100%``, ``4:00``), and reads it back with the
real source — so a test sees what production sees.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl

from baz_data.cells import Percent
from baz_data.gsheets import WRITE_SCOPES, GoogleSheetsSource
from baz_data.model import Dataset, build_dataset
from baz_data.problems import column_letter
from baz_data.sources import WorkbookSource

SOURCES = ("xlsx", "ods", "gsheets")


def _duration_text(value: dt.timedelta) -> str:
    seconds = int(value.total_seconds())
    return f"{seconds // 3600}:{seconds // 60 % 60:02d}"


def typed_text(value) -> str | None:
    """What a partner types for a typed cell (None: the cell is not a typed one)."""
    if isinstance(value, Percent):
        return f"{value.value * 100:g}%".replace(".", ",")
    if isinstance(value, dt.time):
        return f"{value.hour}:{value.minute:02d}"
    if isinstance(value, dt.timedelta):
        return _duration_text(value)
    return None


def write_xlsx(tabs: dict[str, list[list]], path: Path) -> Path:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in tabs.items():
        ws = wb.create_sheet(name)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row, start=1):
                if value is None:
                    continue
                cell = ws.cell(r, c)
                if isinstance(value, Percent):
                    cell.value, cell.number_format = value.value, "0%"
                elif isinstance(value, dt.timedelta):
                    cell.value, cell.number_format = value, "[h]:mm:ss"
                elif isinstance(value, dt.time):
                    cell.value, cell.number_format = value, "h:mm"
                else:
                    cell.value = value
                    if isinstance(value, str):
                        cell.data_type = "s"  # typed text stays text, even '=…'
    wb.save(path)
    return path


def write_ods(tabs: dict[str, list[list]], path: Path) -> Path:
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    doc = OpenDocumentSpreadsheet()
    for name, rows in tabs.items():
        table = Table(name=name)
        for row in rows:
            tr = TableRow()
            for value in row:
                if value is None:
                    cell = TableCell()
                elif isinstance(value, Percent):
                    cell = TableCell(valuetype="percentage", value=repr(value.value))
                elif isinstance(value, dt.timedelta):
                    s = int(value.total_seconds())
                    cell = TableCell(valuetype="time",
                                     timevalue=f"PT{s // 3600}H{s // 60 % 60:02d}M{s % 60:02d}S")
                elif isinstance(value, dt.time):
                    cell = TableCell(valuetype="time",
                                     timevalue=f"PT{value.hour:02d}H{value.minute:02d}M00S")
                elif isinstance(value, dt.date):
                    cell = TableCell(valuetype="date", datevalue=value.isoformat())
                elif isinstance(value, bool):
                    cell = TableCell(valuetype="boolean", booleanvalue=str(value).lower())
                elif isinstance(value, (int, float)):
                    cell = TableCell(valuetype="float", value=repr(value))
                else:
                    cell = TableCell(valuetype="string")
                if value is not None:
                    cell.addElement(P(text=typed_text(value) or str(value)))
                tr.addElement(cell)
            table.addElement(tr)
        doc.spreadsheet.addElement(table)
    doc.save(str(path))
    return Path(path)


def through_google(server, tabs: dict[str, list[list]]) -> GoogleSheetsSource:
    """Serve ``tabs`` with every typed cell *typed* through the API (USER_ENTERED)."""
    plain = {name: [[None if typed_text(v) else v for v in row] for row in rows]
             for name, rows in tabs.items()}
    key = server.add_spreadsheet(plain)
    typed = [{"range": f"'{name}'!{column_letter(c)}{r + 1}", "values": [[typed_text(v)]]}
             for name, rows in tabs.items() for r, row in enumerate(rows)
             for c, v in enumerate(row) if typed_text(v)]
    source = GoogleSheetsSource(key, server.service_account_info, sheets_api_url=server.url)
    if typed:
        writer = source.with_scopes(WRITE_SCOPES).client.open_by_key(key)
        writer.values_batch_update({"valueInputOption": "USER_ENTERED", "data": typed})
    return source


def read_dataset(tabs: dict[str, list[list]], via: str, tmp_path: Path, server=None) -> Dataset:
    if via == "xlsx":
        return build_dataset(WorkbookSource(write_xlsx(tabs, tmp_path / "typed.xlsx")).read())
    if via == "ods":
        return build_dataset(WorkbookSource(write_ods(tabs, tmp_path / "typed.ods")).read())
    return build_dataset(through_google(server, tabs).read())


def hostile_real_sheet() -> dict[str, list[list]]:
    """Cases seen on real sheets, all in one workbook (see the issue 'Real sheets')."""
    from tests.conftest import base_tabs

    tabs = base_tabs()
    tabs["Partners"][2][1] = None                          # DOMO without a name: still counts
    tabs["Begroting"][4] = [2021, "DP2", "ATK", "Personeel", 3, "33,33", None]
    tabs["Begroting"].append([2021, "DP2", "DOMO", "Personeel", 1000, "45,555", None])
    tabs["Uren"] += [[dt.date(2021, 8, 1), "ATK", "An", "DP2", None, "0,5", None],
                     [dt.date(2021, 11, 1), "ATK", "An", "DP2", None, "1,5", None],
                     [dt.date(2021, 11, 2), "ATK", "An", "DP2", None, "NaN", None],
                     [dt.date(2021, 11, 3), "ATK", "An", "DP2", None, "0,00004", None]]
    tabs["Uitgaven"][1][4] = "1e308"
    tabs["Indicatoren"][2][0] = 0
    tabs["Acties"][2][8] = "inf"
    return tabs
