"""init-sheet: prepare a Google spreadsheet for partners, adding only what is missing.

Creates the schema tabs that are missing, each with its header row; freezes row 1 and protects
it (warning only: editing asks for confirmation); adds dropdowns that read the reference tabs
(partner, subproject, goal, action, budget post), dropdowns for the closed lists (status, role,
aggregation), and date, year, hours and percentage checks. Rules are warnings, not blocks
(``strict: false``): the dashboard checks every cell anyway and names the problem.

Policy: it never deletes or overwrites. Tabs the app writes itself (schema.APP_TABS: the
Afrekeningen tab of statement_tab.py) are named as such in the report and left alone. On an
existing tab it leaves the header row as it is (a wrong header is reported, not rewritten), keeps
a frozen-row setting other than 0, keeps any protection of row 1, and leaves columns that already
have a validation rule alone.
``from_workbook`` uploads a workbook's rows into tabs that are empty (or hold only the same
header). Requests: one spreadsheets.get, one values.batchGet and one spreadsheets.get of row 2
(to see existing rules) to look, then one batchUpdate and one values.batchUpdate to change.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gspread.utils import absolute_range_name

from .gsheets import WRITE_SCOPES, GoogleSheetsSource
from .parsing import MAX_YEAR, MIN_YEAR, is_blank, normalize_code
from .problems import column_letter
from .schema import AGGREGATIONS, APP_TABS, DATE, INT, PERCENT, ROLES, STATUSES, TABLES, Table
from .sources import SourceError, WorkbookSource
from .validate import MAX_HOURS_PER_DAY

GRID_FIELDS = ("properties.title,sheets(properties(sheetId,title,index,gridProperties),"
               "protectedRanges(protectedRangeId,range,warningOnly,description))")
RULE_FIELDS = "sheets(properties(sheetId,title),data(startColumn,rowData.values.dataValidation))"
PROTECTION_NOTE = "Kopregel: niet wijzigen, het BAZ-dashboard leest de kolommen op naam."
APP_TAB_NOTE = "tabblad dat het dashboard zelf bijhoudt (afgesloten kwartalen), niet aangeraakt"

# Dropdowns that read another tab: (tab, column) -> (reference tab, reference column).
REFERENCES: dict[tuple[str, str], tuple[str, str]] = {
    ("Deelprojecten", "Trekker"): ("Partners", "Code"),
    ("Doelstellingen", "Deelproject"): ("Deelprojecten", "Code"),
    ("Acties", "Doelstelling"): ("Doelstellingen", "Code"),
    ("Acties", "Trekker"): ("Partners", "Code"),
    ("Uren", "Partner"): ("Partners", "Code"),
    ("Uren", "Deelproject"): ("Deelprojecten", "Code"),
    ("Uren", "Actie"): ("Acties", "ID"),
    ("Begroting", "Deelproject"): ("Deelprojecten", "Code"),
    ("Begroting", "Partner"): ("Partners", "Code"),
    ("Uitgaven", "Deelproject"): ("Deelprojecten", "Code"),
    ("Uitgaven", "Partner"): ("Partners", "Code"),
    ("Uitgaven", "Post"): ("Begroting", "Post"),
    ("Indicatoren", "Doelstelling"): ("Doelstellingen", "Code"),
    ("Metingen", "Indicator"): ("Indicatoren", "ID"),
    ("Gebruikers", "Partner"): ("Partners", "Code"),
}
LISTS: dict[tuple[str, str], tuple[str, ...]] = {
    ("Acties", "Status"): STATUSES,
    ("Indicatoren", "Aggregatie"): AGGREGATIONS,
    ("Gebruikers", "Rol"): ROLES,
}
RANGES: dict[tuple[str, str], tuple[int, int, str]] = {
    ("Uren", "Uren"): (0, MAX_HOURS_PER_DAY, f"Uren die dag (0–{MAX_HOURS_PER_DAY})."),
    ("Begroting", "Uren"): (0, 100_000, "Begrote uren (0 of meer)."),
}


@dataclass
class Report:
    """What init-sheet did (or, in a dry run, would do), tab by tab, in Dutch."""
    spreadsheet: str
    dry_run: bool
    done: dict[str, list[str]] = field(default_factory=dict)        # tab -> changes
    left_alone: dict[str, list[str]] = field(default_factory=dict)  # tab -> found and kept

    def change(self, tab: str, what: str) -> None:
        self.done.setdefault(tab, []).append(what)

    def keep(self, tab: str, what: str) -> None:
        self.left_alone.setdefault(tab, []).append(what)

    def text(self) -> str:
        head = (f"Spreadsheet '{self.spreadsheet}' — proefdraai: er is niets gewijzigd."
                if self.dry_run else f"Spreadsheet '{self.spreadsheet}'.")
        lines = [head, "", "Zou uitvoeren:" if self.dry_run else "Uitgevoerd:"]
        lines += [f"  - {tab}: {'; '.join(items)}." for tab, items in self.done.items()]
        if not self.done:
            lines.append("  (niets: alles was er al)")
        if self.left_alone:
            lines += ["", "Ongemoeid gelaten:"]
            lines += [f"  - {tab}: {'; '.join(items)}." for tab, items in self.left_alone.items()]
        return "\n".join(lines)


@dataclass
class _Tab:
    """One schema tab as found (or about to be created)."""
    table: Table
    title: str
    sheet_id: int
    header: list[str]                                     # row 1 as it will be after this run
    rule_columns: set[int] = field(default_factory=set)   # columns that already have a rule

    def column(self, name: str) -> int | None:
        wanted = normalize_code(name)
        return next((i for i, h in enumerate(self.header) if normalize_code(h) == wanted), None)


def init_sheet(source: GoogleSheetsSource, *, dry_run: bool = False,
               from_workbook: str | Path | None = None) -> Report:
    """Prepare ``source``'s spreadsheet; see the module docstring. Raises SourceError."""
    upload = _workbook_tabs(from_workbook) if from_workbook else {}
    src = source if dry_run else source.with_scopes(WRITE_SCOPES)  # a dry run only reads
    http = src.client.http_client
    with src.errors():
        meta = http.fetch_sheet_metadata(src.key, params={"fields": GRID_FIELDS})
        sheets = {s["properties"]["title"]: s for s in meta.get("sheets", [])}
        report = Report(meta.get("properties", {}).get("title") or src.key, dry_run)
        existing = {tab: title for tab in TABLES if (title := _match(tab, sheets)) is not None}
        values = src.fetch(list(existing.values())) if existing else {}
        rules = _rule_columns(http, src.key, list(existing.values())) if existing else {}
        plan = _Plan(report, max((s["properties"]["sheetId"] for s in sheets.values()),
                                 default=0) + 1)
        tabs = {}
        for tab, table in TABLES.items():
            if tab in existing:
                title = existing[tab]
                tabs[tab] = plan.existing_tab(table, sheets[title], values.get(title, []),
                                              upload.get(tab), rules.get(title, set()))
            else:
                tabs[tab] = plan.new_tab(table, upload.get(tab))
        for tab in tabs.values():
            plan.validations(tab, tabs)
        for title in sheets:
            if title not in existing.values():
                report.keep(title, APP_TAB_NOTE if _match(title, dict.fromkeys(APP_TABS))
                            else "hoort niet bij het schema, niet aangeraakt")
        if not dry_run:
            if plan.requests:
                http.batch_update(src.key, {"requests": plan.requests})
            if plan.data:
                http.values_batch_update(src.key, {"valueInputOption": "USER_ENTERED",
                                                   "data": plan.data})
    return report


def _match(tab: str, sheets: dict[str, Any]) -> str | None:
    if tab in sheets:
        return tab
    return next((t for t in sheets if normalize_code(t) == normalize_code(tab)), None)


def _workbook_tabs(path: str | Path) -> dict[str, list[list[Any]]]:
    """The schema tabs of a workbook, by schema name."""
    raw = WorkbookSource(Path(path)).read()
    return {tab: rows for tab in TABLES
            if (rows := next((r for name, r in raw.tabs.items()
                              if normalize_code(name) == normalize_code(tab)), None)) is not None}


def _rule_columns(http: Any, key: str, titles: list[str]) -> dict[str, set[int]]:
    """Per tab title: the columns whose row 2 already carries a validation rule."""
    data = http.fetch_sheet_metadata(key, params={
        "fields": RULE_FIELDS, "ranges": [absolute_range_name(t, "2:2") for t in titles]})
    found: dict[str, set[int]] = {}
    for sheet in data.get("sheets", []):
        columns = found.setdefault(sheet["properties"]["title"], set())
        for block in sheet.get("data", []):
            start = block.get("startColumn", 0)
            for row in block.get("rowData", [])[:1]:
                columns |= {start + i for i, cell in enumerate(row.get("values", []))
                            if cell.get("dataValidation")}
    return found


class _Plan:
    """Collects the batchUpdate requests and the value writes, and reports them."""

    def __init__(self, report: Report, next_id: int):
        self.report = report
        self.requests: list[dict] = []
        self.data: list[dict] = []
        self._next_id = next_id

    def new_tab(self, table: Table, rows: list[list[Any]] | None) -> _Tab:
        sheet_id, self._next_id = self._next_id, self._next_id + 1
        rows = rows or [table.column_names]
        self.requests.append({"addSheet": {"properties": {
            "sheetId": sheet_id, "title": table.tab,
            "gridProperties": {"rowCount": max(1000, len(rows) + 100),
                               "columnCount": max(26, max(len(r) for r in rows)),
                               "frozenRowCount": 1}}}})
        self._protect(sheet_id)
        self._write(table.tab, rows)
        self.report.change(table.tab, f"aanmaken met kopregel ({len(rows[0])} kolommen)")
        if len(rows) > 1:
            self.report.change(table.tab, f"{len(rows) - 1} rijen uit het werkboek uploaden")
        self.report.change(table.tab, "rij 1 vastzetten en beschermen")
        tab = _Tab(table, table.tab, sheet_id, [str(h) for h in rows[0]])
        self._check_header(tab)
        return tab

    def existing_tab(self, table: Table, sheet: dict, rows: list[list[Any]],
                     upload: list[list[Any]] | None, rule_columns: set[int]) -> _Tab:
        props = sheet["properties"]
        title, sheet_id = props["title"], props["sheetId"]
        header = [str(h) if not is_blank(h) else "" for h in (rows[0] if rows else [])]
        tab = _Tab(table, title, sheet_id, header, rule_columns)
        has_data = any(not is_blank(c) for row in rows[1:] for c in row)
        if not any(header) and not has_data:
            written = upload or [table.column_names]
            self._write(title, written)
            self._grow(props, len(written))
            tab.header = [str(h) for h in written[0]]
            self.report.change(title, "leeg: kopregel schrijven")
            if len(written) > 1:
                self.report.change(title, f"{len(written) - 1} rijen uit het werkboek uploaden")
        elif not any(header):
            self.report.keep(title, "rij 1 is leeg maar er staan gegevens onder: geen kopregel "
                                    f"geschreven, vul ze zelf in ({', '.join(table.column_names)})")
        else:
            if self._check_header(tab):
                self.report.keep(title, "kopregel klopt")
            if upload and not has_data and [normalize_code(h) for h in header] == [
                    normalize_code(h) for h in upload[0] if not is_blank(h)]:
                self._write(title, upload[1:], first_row=2)
                self._grow(props, len(upload))
                self.report.change(title, f"{len(upload) - 1} rijen uit het werkboek uploaden")
            elif upload:
                self.report.keep(title, "niet geüpload: het tabblad bevat al gegevens of een "
                                        "andere kopregel")
        frozen = props.get("gridProperties", {}).get("frozenRowCount", 0)
        if frozen == 0:
            self.requests.append({"updateSheetProperties": {
                "properties": {"sheetId": sheet_id, "gridProperties": {"frozenRowCount": 1}},
                "fields": "gridProperties.frozenRowCount"}})
            self.report.change(title, "rij 1 vastzetten")
        else:
            self.report.keep(title, f"{frozen} rij{'en' if frozen > 1 else ''} vastgezet")
        if any(_covers_header(p, sheet_id) for p in sheet.get("protectedRanges", [])):
            self.report.keep(title, "kopregel al beschermd")
        else:
            self._protect(sheet_id)
            self.report.change(title, "kopregel beschermen (waarschuwing bij wijzigen)")
        return tab

    def validations(self, tab: _Tab, tabs: dict[str, _Tab]) -> None:
        added, kept, skipped = [], [], []
        for column in tab.table.columns:
            index = tab.column(column.name)
            if index is None:
                continue
            rule = self._rule(tab.table.tab, column.name, column.kind, tabs)
            if rule is None:
                if (tab.table.tab, column.name) in REFERENCES:
                    skipped.append(column.name)
            elif index in tab.rule_columns:
                kept.append(column.name)
            else:
                self.requests.append({"setDataValidation": {
                    "range": {"sheetId": tab.sheet_id, "startRowIndex": 1,
                              "startColumnIndex": index, "endColumnIndex": index + 1},
                    "rule": rule}})
                added.append(column.name)
        if added:
            self.report.change(tab.title, f"keuzelijst of controle op {', '.join(added)}")
        if kept:
            self.report.keep(tab.title, f"bestaande validatie op {', '.join(kept)}")
        if skipped:
            self.report.keep(tab.title, f"geen keuzelijst op {', '.join(skipped)}: de kolom "
                                        "waar ze naar verwijst ontbreekt")

    @staticmethod
    def _rule(tab: str, column: str, kind: str, tabs: dict[str, _Tab]) -> dict | None:
        if (tab, column) in REFERENCES:
            ref_tab, ref_column = REFERENCES[(tab, column)]
            target = tabs[ref_tab]
            index = target.column(ref_column)
            if index is None:
                return None
            letter = column_letter(index)
            ref = absolute_range_name(target.title, f"${letter}$2:${letter}")
            return _condition("ONE_OF_RANGE", [f"={ref}"],
                              f"Kies een {ref_column.lower()} uit het tabblad {target.title}.",
                              dropdown=True)
        if (tab, column) in LISTS:
            choices = LISTS[(tab, column)]
            return _condition("ONE_OF_LIST", list(choices), f"Kies: {', '.join(choices)}.",
                              dropdown=True)
        if (tab, column) in RANGES:
            low, high, message = RANGES[(tab, column)]
            return _condition("NUMBER_BETWEEN", [str(low), str(high)], message)
        if kind == DATE:
            return _condition("DATE_IS_VALID", [], "Een datum, bv. 15/03/2021.")
        if kind == INT:
            return _condition("NUMBER_BETWEEN", [str(MIN_YEAR), str(MAX_YEAR)],
                              f"Een jaartal ({MIN_YEAR}–{MAX_YEAR}).")
        if kind == PERCENT:
            return _condition("NUMBER_BETWEEN", ["0", "100"], "Een percentage (0–100).")
        if column == "E-mail":
            return _condition("TEXT_IS_EMAIL", [], "Een e-mailadres.")
        return None

    def _check_header(self, tab: _Tab) -> bool:
        """Report a header that differs from the schema (never rewritten); True when it fits."""
        found = {normalize_code(h) for h in tab.header if h}
        names = {normalize_code(n) for n in tab.table.column_names}
        missing = [n for n in tab.table.column_names if normalize_code(n) not in found]
        unknown = [h for h in tab.header if h and normalize_code(h) not in names]
        if missing or unknown:
            parts = ([f"ontbreekt: {', '.join(missing)}"] if missing else []) + (
                [f"onbekend: {', '.join(unknown)}"] if unknown else [])
            self.report.keep(tab.title, f"kopregel wijkt af ({'; '.join(parts)}), niet "
                                        "herschreven: pas ze zelf aan")
        return not (missing or unknown)

    def _protect(self, sheet_id: int) -> None:
        self.requests.append({"addProtectedRange": {"protectedRange": {
            "range": {"sheetId": sheet_id, "startRowIndex": 0, "endRowIndex": 1},
            "description": PROTECTION_NOTE, "warningOnly": True}}})

    def _grow(self, props: dict, rows: int) -> None:
        if rows > props.get("gridProperties", {}).get("rowCount", 0):
            self.requests.append({"updateSheetProperties": {
                "properties": {"sheetId": props["sheetId"],
                               "gridProperties": {"rowCount": rows + 100}},
                "fields": "gridProperties.rowCount"}})

    def _write(self, title: str, rows: list[list[Any]], first_row: int = 1) -> None:
        if rows:
            self.data.append({"range": absolute_range_name(title, f"A{first_row}"),
                              "majorDimension": "ROWS",
                              "values": [[_typed(c) for c in row] for row in rows]})


def _covers_header(protected: dict, sheet_id: int) -> bool:
    grid = protected.get("range", {})
    return (grid.get("sheetId", 0) == sheet_id and grid.get("startRowIndex", 0) == 0
            and grid.get("endRowIndex", 1) >= 1)


def _condition(kind: str, values: list[str], message: str, dropdown: bool = False) -> dict:
    rule: dict[str, Any] = {"condition": {"type": kind,
                                          "values": [{"userEnteredValue": v} for v in values]},
                            "inputMessage": message, "strict": False}
    if not values:
        del rule["condition"]["values"]
    if dropdown:
        rule["showCustomUi"] = True
    return rule


def _typed(value: Any) -> Any:
    """A workbook cell as USER_ENTERED input that Sheets stores with the same type: text forced
    to stay text (a leading apostrophe), dates in ISO form (read as dates in every locale)."""
    if value is None:
        return ""
    if isinstance(value, bool) or isinstance(value, (int, float)):
        return value
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return value.isoformat(timespec="seconds")
    text = str(value)
    return "'" + text if text else ""


def run_init_sheet(sheet: str | None, secrets: str | None, from_workbook: str | None,
                   dry_run: bool) -> int:
    """``python -m baz_data init-sheet``: print the report. SourceError propagates (the CLI
    prints it in Dutch and exits with 2)."""
    from .config import make_source

    source = make_source(sheet=sheet, secrets_path=secrets)
    if not isinstance(source, GoogleSheetsSource):
        raise SourceError("Geen spreadsheet opgegeven: gebruik --sheet URL|SLEUTEL of zet "
                          "'spreadsheet' onder [connections.gsheets] in .streamlit/secrets.toml.")
    print(init_sheet(source, dry_run=dry_run, from_workbook=from_workbook).text())
    return 0
