"""The draft budget for next year: built from this year's actual and forecast use, adjusted by the
stuurgroep, checked with the loader's own rules, downloaded or appended to the Begroting tab.

The draft is a frame in :data:`DRAFT_COLUMNS` — the Begroting tab's headers plus ``Opmerking`` —
in the units people type there (hours, euros), so it can be edited (st.data_editor), pasted into
the sheet and read back unchanged:

* a Personeel line per (subproject, partner) of this year: ``Uren`` = the forecast hours at year
  end (compensated or not) rounded half-up to a whole hour, ``Uurtarief`` = this year's rate (a
  partner that wrote hours without a Personeel line gets its rate of another line, else empty);
* a line per other post: ``Bedrag`` = the forecast spend at year end rounded half-up to a whole
  euro;
* ``Opmerking`` marks every line as a draft ("Ontwerp 2027 uit de begrotingsevaluatie 2026 …").

:func:`check_draft` runs the edited rows through :func:`baz_data.model.build_dataset` (a tiny
workbook of the draft with the partners and the next year's subprojects), so a draft line is
accepted exactly when the Begroting tab would accept it. :func:`append_draft` writes the rows
after the last row of the Begroting tab (values.append, never an update of existing cells) and
refuses when the tab already holds lines for that year.

Error policy: :func:`check_draft` never raises, it returns Dutch messages per line;
:func:`append_draft` raises :class:`SourceError` with a Dutch message (a read-only service
account, existing lines for the year, Google unreachable). Downloads escape text through
:mod:`escaping`.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import math
from dataclasses import dataclass
from decimal import Decimal

import pandas as pd

from . import escaping
from .formatting import fmt_date, fmt_number, fmt_plain_number
from .forecast import div_half_up
from .money import HOUR_UNITS
from .parsing import normalize_code
from .schema import BEGROTING, STAFF_POST
from .sources import RawWorkbook, SourceError, SourceInfo

NOTE = "Opmerking"
DRAFT_COLUMNS = BEGROTING.column_names + [NOTE]
NUMERIC = ("Uren", "Uurtarief", "Bedrag")


def draft_note(next_year: int, year: int, peildatum: dt.date) -> str:
    return f"Ontwerp {next_year} uit de begrotingsevaluatie {year} (peildatum {fmt_date(peildatum)})"


def _partner_rates(lines: pd.DataFrame) -> dict[str, Decimal]:
    known = lines[lines["rate_exact"].notna()]
    return {p: g["rate_exact"].mode().iloc[0] for p, g in known.groupby("partner")}


def _typed_text(value: float | None, decimals: int) -> str:
    return "" if value is None else fmt_number(value, decimals)


def build_draft(lines: pd.DataFrame, posts: pd.DataFrame, year: int,
                peildatum: dt.date) -> pd.DataFrame:
    """The draft of ``year + 1`` from forecast.staff_lines and forecast.post_lines. Uren,
    Uurtarief and Bedrag are text written the Belgian way ('2.050', '48,50'), as people type them
    in the sheet: the editor shows them so, and :func:`check_draft` reads them with the loader."""
    next_year, note = year + 1, draft_note(year + 1, year, peildatum)
    rates = _partner_rates(lines)
    rows = []
    for line in lines.itertuples():
        rate = line.rate_exact if line.rate_exact is not None and line.rate_exact == line.rate_exact \
            else rates.get(line.partner)
        rows.append([next_year, line.subproject, line.partner, STAFF_POST,
                     _typed_text(div_half_up(line.forecast_units, HOUR_UNITS), 0),
                     _typed_text(rate, 4) if rate is not None else "", "", note])
    for post in posts[posts["post"].str.casefold() != STAFF_POST.casefold()].itertuples():
        rows.append([next_year, post.subproject, "", post.post, "", "",
                     _typed_text(div_half_up(post.forecast, 100), 0), note])
    out = pd.DataFrame(rows, columns=DRAFT_COLUMNS)
    order = out["Post"].str.casefold() != STAFF_POST.casefold()
    out = out.assign(_o=order).sort_values(["Deelproject", "_o", "Partner", "Post"],
                                           na_position="last").drop(columns="_o")
    return out.astype({"Jaar": "int64"}).reset_index(drop=True)


# -- checking -------------------------------------------------------------------------------------
@dataclass
class DraftCheck:
    cells: list[list]            # the draft's rows as Begroting cells (DRAFT_COLUMNS order)
    messages: list[str]          # Dutch, one per problem; empty when the draft may be written
    warnings: list[str]          # Dutch, for lines that count but deserve a look

    @property
    def ok(self) -> bool:
        return not self.messages


def _cell(value):
    """An edited value as a sheet cell: empty for NaN/None, text stripped, numbers as numbers."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return None
    if isinstance(value, str):
        return value.strip() or None
    if hasattr(value, "item"):  # numpy scalar
        value = value.item()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def draft_cells(draft: pd.DataFrame) -> list[list]:
    missing = [c for c in DRAFT_COLUMNS if c not in draft]
    frame = draft.reindex(columns=DRAFT_COLUMNS) if missing else draft[DRAFT_COLUMNS]
    return [[_cell(v) for v in row] for row in frame.itertuples(index=False)]


def _label(cells: list) -> str:
    parts = [str(c) for c in (cells[1], cells[2], cells[3]) if c is not None]
    return " · ".join(parts) or "lege lijn"


def check_draft(partners: pd.DataFrame, subprojects: pd.DataFrame, draft: pd.DataFrame,
                next_year: int) -> DraftCheck:
    """The draft rows as the Begroting tab would read them, with the loader's own rules.

    ``partners`` and ``subprojects`` are the Dataset's frames; the next year's subprojects are
    taken from the sheets when they are there, else this year's codes stand in for them (the
    page says they still have to be added)."""
    cells = [row for row in draft_cells(draft) if any(c is not None for c in row[1:])]
    for row in cells:  # a line added on the page has no Jaar (the column is not editable)
        row[0] = next_year if row[0] is None else row[0]
    subs = subprojects[subprojects["year"] == next_year]
    if subs.empty:
        subs = subprojects[subprojects["year"] == subprojects["year"].max()] \
            if len(subprojects) else subprojects
    tabs = {
        "Partners": [["Code", "Naam"]] + [[c, n] for c, n in zip(partners["code"], partners["name"])],
        "Deelprojecten": [["Jaar", "Code", "Naam"]] + [[next_year, c, n] for c, n in
                                                         zip(subs["code"], subs["name"])],
        "Begroting": [DRAFT_COLUMNS] + cells,
    }
    from .model import build_dataset

    info = SourceInfo("workbook", "ontwerp", dt.datetime.now())
    ds = build_dataset(RawWorkbook(tabs, info))
    p = ds.problems
    p = p[(p["tab"] == "Begroting") & (p["row"].fillna(0) > 1)]
    typed = _typed_cells(ds.budget, cells)
    messages, warnings = [], []
    for row, column, message, severity in zip(p["row"], p["column"], p["message"], p["severity"]):
        line = int(row) - 1  # sheet row 2 is the draft's first line
        text = f"Lijn {line} ({_label(cells[line - 1])}), {column}: {message}"
        (messages if severity == "error" else warnings).append(text)
    for i, row in enumerate(cells, start=1):
        if row[0] != next_year:
            messages.append(f"Lijn {i} ({_label(row)}), Jaar: het ontwerp is voor {next_year}.")
    return DraftCheck(typed, messages, warnings)


def _number(value):
    """An exact model value as the number a sheet cell holds (2050, 48.5)."""
    if value is None or value != value or value is pd.NA:
        return None
    return int(value) if value == int(value) else float(value)


def _typed_cells(budget: pd.DataFrame, cells: list[list]) -> list[list]:
    """The draft lines as the loader read them (codes as the sheets spell them, numbers as
    numbers), so a download or a write holds what was checked; a line with an error stays
    as typed."""
    by_row = {int(r["row"]): r for _, r in budget.iterrows()}
    out = []
    for i, raw in enumerate(cells, start=2):
        b = by_row.get(i)
        if b is None:
            out.append(raw)
            continue
        hours = None if pd.isna(b["hours_units"]) else _number(Decimal(int(b["hours_units"])) / HOUR_UNITS)
        amount = None if pd.isna(b["amount"]) else _number(Decimal(int(b["amount"])) / 100)
        rate = None if b["rate_exact"] is None or b["rate_exact"] != b["rate_exact"] \
            else _number(b["rate_exact"])
        partner = None if b["partner"] is None or b["partner"] != b["partner"] else b["partner"]
        out.append([int(b["year"]), b["subproject"], partner, b["post"], hours, rate, amount,
                    raw[7]])
    return out


# -- downloads ------------------------------------------------------------------------------------
def _money_format(header: str) -> str | None:
    return "€ #,##0.00" if header in ("Uurtarief", "Bedrag") else (
        "#,##0.00" if header == "Uren" else None)


def draft_xlsx(check: DraftCheck, evaluation: dict[str, pd.DataFrame] | None = None) -> bytes:
    """Sheet "Begroting": the draft rows under the Begroting headers (+ Opmerking), as plain
    numbers, ready to paste into the tab; then one sheet per evaluation table."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    from .exports import _workbook_bytes, _write_table

    wb = Workbook()
    ws = wb.active
    ws.title = "Begroting"
    for c, header in enumerate(DRAFT_COLUMNS, start=1):
        escaping.xlsx_cell(ws.cell(1, c), header)
        ws.cell(1, c).font = Font(bold=True)
    for r, row in enumerate(check.cells, start=2):
        for c, (header, value) in enumerate(zip(DRAFT_COLUMNS, row), start=1):
            cell = ws.cell(r, c)
            escaping.xlsx_cell(cell, value)
            if isinstance(value, (int, float)) and _money_format(header):
                cell.number_format = _money_format(header)
    for c, width in enumerate([6, 12, 10, 16, 10, 10, 12, 60], start=1):
        ws.column_dimensions[chr(64 + c)].width = width
    ws.freeze_panes = "A2"
    for title, frame in (evaluation or {}).items():
        _write_table(wb.create_sheet(title[:31]), frame)
    return _workbook_bytes(wb)


def _csv_cell(header: str, value) -> str:
    if value is None:
        return ""
    if isinstance(value, (int, float)) and header in NUMERIC:
        return fmt_plain_number(value, 4)
    return str(value)


def draft_csv(check: DraftCheck) -> bytes:
    """The draft rows for Excel in Belgium: ';', decimal comma, UTF-8 with BOM."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    rows = [DRAFT_COLUMNS] + [[_csv_cell(h, v) for h, v in zip(DRAFT_COLUMNS, row)]
                              for row in check.cells]
    writer.writerows([[escaping.csv_field(f) for f in row] for row in rows])
    return out.getvalue().encode("utf-8-sig")


# -- writing into the Begroting tab ---------------------------------------------------------------
def _read_only_message(account: str) -> str:
    return (f"Het serviceaccount {account} mag de spreadsheet niet wijzigen. Geef het in Google "
            "Sheets (Delen) de rol Bewerker om het ontwerp weg te schrijven, of download het "
            "ontwerp en plak de lijnen zelf onderaan het tabblad Begroting.")


def append_draft(source, check: DraftCheck, next_year: int) -> str:
    """Append the checked draft after the last row of the Begroting tab of ``source`` (a
    gsheets.GoogleSheetsSource); an ``Opmerking`` header is added in the first empty cell of
    row 1 when the tab has none. Returns a Dutch confirmation; raises SourceError."""
    from gspread.exceptions import APIError
    from gspread.utils import absolute_range_name

    from .gsheets import WRITE_SCOPES
    from .parsing import CellError, parse_int
    from .problems import column_letter

    if not check.ok:
        raise SourceError("Het ontwerp bevat nog fouten; verbeter ze eerst.")
    if not check.cells:
        raise SourceError("Het ontwerp is leeg: er is niets om weg te schrijven.")
    src = source.with_scopes(WRITE_SCOPES)
    http = src.client.http_client
    with src.errors():
        title = src.metadata(refresh=True).resolve("Begroting")
        if title is None:
            raise SourceError("De spreadsheet heeft geen tabblad Begroting. Maak het aan met "
                              "init-sheet en probeer opnieuw.")
        rows = src.fetch([title]).get(title, [])
        header = [str(h) if h is not None else "" for h in (rows[0] if rows else [])]
        where = {normalize_code(h): i for i, h in reversed(list(enumerate(header))) if h}
        missing = [c for c in BEGROTING.required_names if normalize_code(c) not in where]
        if missing:
            raise SourceError(f"De kopregel van het tabblad Begroting mist {', '.join(missing)}: "
                              "het ontwerp kan niet in de juiste kolommen komen.")
        year_col = where[normalize_code("Jaar")]
        for row in rows[1:]:
            try:
                if len(row) > year_col and parse_int(row[year_col]) == next_year:
                    raise SourceError(
                        f"Het tabblad Begroting bevat al lijnen voor {next_year}: het ontwerp "
                        "wordt niet toegevoegd (er wordt nooit iets overschreven). Pas die lijnen "
                        "in de spreadsheet aan, of download het ontwerp.")
            except CellError:
                continue
        try:
            if normalize_code(NOTE) not in where:
                free = len(header)
                http.values_update(src.key, absolute_range_name(title, f"{column_letter(free)}1"),
                                   params={"valueInputOption": "RAW"}, body={"values": [[NOTE]]})
                where[normalize_code(NOTE)] = free
            width = max(where.values()) + 1
            values = []
            for cells in check.cells:
                out = [""] * width
                for name, value in zip(DRAFT_COLUMNS, cells):
                    out[where[normalize_code(name)]] = _sheet_value(value)
                values.append(out)
            http.values_append(src.key, absolute_range_name(title, "A1"),
                               params={"valueInputOption": "USER_ENTERED",
                                       "insertDataOption": "INSERT_ROWS"},
                               body={"values": values, "majorDimension": "ROWS"})
        except APIError as exc:
            if exc.code == 403:
                raise SourceError(_read_only_message(src.account)) from exc
            raise
    return (f"{len(check.cells)} ontwerplijnen voor {next_year} toegevoegd onderaan het tabblad "
            f"Begroting (gemarkeerd in de kolom {NOTE}). Vernieuwen toont ze.")


def _sheet_value(value):
    """USER_ENTERED input that keeps its type: numbers as numbers, text forced to text."""
    from .sheet_setup import _typed  # the one place that knows how Sheets reads typed input

    return _typed(value)
