"""The frozen statement lines of a closed quarter, written to an ``Afrekeningen`` tab of the
spreadsheet, so partners find them in their familiar sheet.

The tab belongs to the app (schema.APP_TABS): the loader never reads it, init-sheet leaves it
alone. Its columns are :data:`TAB_COLUMNS`, one row per frozen line (a frame in the shared
contract's ``statements.FROZEN_COLUMNS``: close_id, year, quarter, partner, subproject,
corrects, units, comp_units, uncomp_units, amount, closed_at, closed_by). ``Sleutel`` is the
line's stable key (:func:`line_key`, ``A12-ATK-DP1-Q1``; a correction line ends in ``-C1``): it
is how the app knows its own rows.

:func:`write_frozen_lines` creates the tab when it is missing (header row, row 1 frozen, the
whole tab protected so that only the service account may edit it: ``warningOnly`` false), then
appends the lines whose Sleutel is not on the tab yet. It never changes a row that is already
there (its own or one a person typed), so calling it twice writes nothing new. Everything goes
in ONE spreadsheets.batchUpdate (addSheet, header, protection, appendCells), which Google applies
all or nothing, and that write is never retried (a retried append after a lost answer would
write the lines twice). Cells are typed: numbers as numbers with Belgian-looking formats (the
spreadsheet's nl_BE locale shows ``#,##0.0###`` as ``1.234,5``), ``Bedrag`` as currency
(``€ 1.234,50``), ``Afgesloten op`` as a date and time; text goes as ``stringValue``, which
Google stores as text whatever it starts with, so a partner code ``=HYPERLINK(…)`` can never
become a formula. :func:`mark_reopened` sets the ``Status`` cell of the rows this app wrote for
one close to "heropend op dd/mm/jjjj: reden" (only those cells, in one batchUpdate).

Limits: a person who may edit the protected tab (its owner) and types a row with a Sleutel the
app would write, keeps that line from being written (it counts as already there); a row moved
or inserted above between the read and the write of :func:`mark_reopened` (milliseconds, on a
protected tab) would get the Status of another row.

Error policy: every failure raises :class:`SourceError` with a Dutch message (through
GoogleSheetsSource.errors: 403 read-only, 404, 429, 5xx, a timeout), which also says what was
written: nothing, or — when Google's answer was lost (a timeout, a 5xx) — that it is unknown
and trying again is safe. When the service account may not edit (a Lezer, or a tab protected for
others) the error is a :class:`ReadOnlyTab` (a SourceError), so the app can show it as a notice.
A frame without the contract's columns is a programming error (ValueError).
"""
from __future__ import annotations

import datetime as dt
import re
from contextlib import contextmanager
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np
import pandas as pd
import requests
from gspread.exceptions import APIError

from .cells import SERIAL_EPOCH
from .formatting import fmt_date
from .gsheets import NO_RETRY, WRITE_SCOPES, http_status
from .money import HOUR_UNITS
from .parsing import is_blank, normalize_code
from .schema import STATEMENT_TAB
from .sources import SourceError

TAB = STATEMENT_TAB  # "Afrekeningen"
TAB_COLUMNS = ["Jaar", "Kwartaal", "Partner", "Deelproject", "Soort", "Uren", "Vergoed uren",
               "Boven budget", "Bedrag", "Afgesloten op", "Afgesloten door", "Status", "Sleutel"]
# The shared contract's columns (baz_data/statements.py FROZEN_COLUMNS), the input of this module
LINE_COLUMNS = ["close_id", "year", "quarter", "partner", "subproject", "corrects", "units",
                "comp_units", "uncomp_units", "amount", "closed_at", "closed_by"]
VALID = "geldig"
OWN_QUARTER = "Kwartaal"
PROTECTION_NOTE = ("Afrekeningen van afgesloten kwartalen: alleen het BAZ-dashboard schrijft "
                   "hier. Vragen? Neem contact op met de stuurgroep.")
# Sheets number-format patterns are written with ',' for grouping and '.' for decimals; the
# spreadsheet's locale (nl_BE) shows them as 1.234,5 and € 1.234,50.
HOURS_FORMAT = {"type": "NUMBER", "pattern": "#,##0.0###"}
FORMATS: dict[str, dict[str, str]] = {
    "Jaar": {"type": "NUMBER", "pattern": "0"},
    "Kwartaal": {"type": "NUMBER", "pattern": "0"},
    "Uren": HOURS_FORMAT, "Vergoed uren": HOURS_FORMAT, "Boven budget": HOURS_FORMAT,
    "Bedrag": {"type": "CURRENCY", "pattern": '"€ "#,##0.00'},
    "Afgesloten op": {"type": "DATE_TIME", "pattern": "dd/mm/yyyy hh:mm"},
}
STATUS_COLUMN = TAB_COLUMNS.index("Status")
KEY_COLUMN = TAB_COLUMNS.index("Sleutel")
META_FIELDS = ("sheets(properties(sheetId,title,index),"
               "protectedRanges(protectedRangeId,range,warningOnly,editors))")
_SPACES = re.compile(r"\s+")


# -- the rows (pure) ------------------------------------------------------------------------------
def line_key(close_id: int, partner: str, subproject: str, quarter: int,
             corrects: int | None = None) -> str:
    """The Sleutel of a frozen line: ``A12-ATK-DP1-Q1``; a correction of Q1 on Q2:
    ``A13-ATK-DP1-Q2-C1``."""
    key = f"A{int(close_id)}-{partner}-{subproject}-Q{int(quarter)}"
    return key if corrects is None else f"{key}-C{int(corrects)}"


def own_key(close_id: int) -> re.Pattern:
    """The Sleutels the app writes for one close (``A1-`` never matches ``A12-…``)."""
    return re.compile(rf"A{int(close_id)}-.+-Q[1-4](?:-C[1-4])?")


def kind_label(corrects: int | None) -> str:
    return OWN_QUARTER if corrects is None else f"Correctie Q{int(corrects)}"


def reopened_status(when: dt.date, reason: str) -> str:
    """'heropend op 15/04/2026: verkeerde uren van ATK' (the reason on one line)."""
    text = _SPACES.sub(" ", str(reason or "")).strip()
    if not text:
        raise SourceError("Geef een reden voor het heropenen: ze komt in de kolom Status van "
                          f"het tabblad {TAB}.")
    day = when.date() if isinstance(when, dt.datetime) else when
    return f"heropend op {fmt_date(day)}: {text}"


def _optional_int(value: Any) -> int | None:
    return None if value is None or pd.isna(value) else int(value)


def tab_frame(lines: pd.DataFrame) -> pd.DataFrame:
    """The frozen lines as the tab's rows, in :data:`TAB_COLUMNS` (hours in hours, amounts in
    euros, as floats for the sheet only: the exact figures stay in the history store)."""
    missing = [c for c in LINE_COLUMNS if c not in lines.columns]
    if missing:
        raise ValueError(f"frozen lines lack columns {missing} (statements.FROZEN_COLUMNS)")
    rows = []
    for line in lines[LINE_COLUMNS].itertuples(index=False):
        corrects = _optional_int(line.corrects)
        rows.append([
            int(line.year), int(line.quarter), str(line.partner), str(line.subproject),
            kind_label(corrects), int(line.units) / HOUR_UNITS, int(line.comp_units) / HOUR_UNITS,
            int(line.uncomp_units) / HOUR_UNITS, int(line.amount) / 100,
            pd.Timestamp(line.closed_at).to_pydatetime(), str(line.closed_by), VALID,
            line_key(line.close_id, line.partner, line.subproject, line.quarter, corrects)])
    frame = pd.DataFrame(rows, columns=TAB_COLUMNS)
    twice = frame["Sleutel"][frame["Sleutel"].duplicated()]
    if len(twice):
        raise SourceError(f"Twee regels hebben dezelfde sleutel ({twice.iloc[0]}): er is niets "
                          f"naar het tabblad {TAB} geschreven.")
    return frame


def _serial(moment: dt.datetime) -> float:
    delta = moment.replace(microsecond=0) - SERIAL_EPOCH
    return delta.days + delta.seconds / 86400


def cell_data(column: str, value: Any) -> dict:
    """One cell for appendCells: a number with its format, a date as its serial number with a
    date format, text as a stringValue (never a formula)."""
    if isinstance(value, np.generic):
        value = value.item()
    if value is None or (isinstance(value, float) and value != value):
        return {}
    if isinstance(value, dt.datetime):
        entered: dict = {"numberValue": _serial(value)}
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        entered = {"numberValue": value}
    else:
        entered = {"stringValue": str(value)}
    cell: dict = {"userEnteredValue": entered}
    if column in FORMATS and "numberValue" in entered:
        cell["userEnteredFormat"] = {"numberFormat": dict(FORMATS[column])}
    return cell


def _row_data(values: list) -> dict:
    return {"values": [cell_data(c, v) for c, v in zip(TAB_COLUMNS, values)]}


# -- talking to Google ----------------------------------------------------------------------------
class ReadOnlyTab(SourceError):
    """The service account may read but not edit the spreadsheet (or the protected tab): the
    close stands, only the copy in the sheet is missing. The app may show it as a notice."""


def _read_only_message(account: str) -> str:
    return (f"Het serviceaccount {account} mag de spreadsheet niet wijzigen. Geef het in Google "
            f"Sheets (Delen) de rol Bewerker, zodat het dashboard het tabblad {TAB} kan "
            "bijhouden; de afgesloten cijfers staan hoe dan ook in het dashboard.")


def _protected_message(account: str) -> str:
    return (f"Het tabblad {TAB} is beschermd en het serviceaccount {account} staat niet bij wie "
            f"het mag bewerken. Voeg het toe in Google Sheets (Gegevens → Beschermde bladen en "
            "bereiken) of verwijder de bescherming; het dashboard zet ze zelf opnieuw.")


@contextmanager
def _writing(src, what: str) -> Iterator[dict]:
    """Google's failures as a Dutch SourceError that also says what was written. The caller
    sets ``state["sent"]`` just before the one write."""
    state = {"sent": False}
    try:
        with src.errors():
            try:
                yield state
            except APIError as exc:
                message = str(exc.error.get("message", ""))
                if exc.code == 403 and "scopes" not in message and state["sent"]:
                    raise ReadOnlyTab(_read_only_message(src.account)) from exc
                if exc.code == 400 and "protected cell" in message:
                    raise ReadOnlyTab(_protected_message(src.account)) from exc
                raise
    except SourceError as exc:
        cause = exc.__cause__
        lost = state["sent"] and (
            isinstance(cause, (requests.Timeout, requests.ConnectionError,
                               requests.JSONDecodeError))
            or (isinstance(cause, APIError) and http_status(cause) >= 500))
        tail = (f"Of {what} is aangekomen, is niet zeker: kijk op het tabblad {TAB}, of probeer "
                "opnieuw (wat er al staat, wordt niet nog eens geschreven)." if lost
                else f"Er is niets naar het tabblad {TAB} geschreven.")
        raise type(exc)(f"{exc} {tail}") from cause


def _google(source):
    from .gsheets import GoogleSheetsSource

    if not isinstance(source, GoogleSheetsSource):
        raise SourceError(f"Het tabblad {TAB} bestaat alleen in een Google Sheet; het dashboard "
                          "leest nu een werkboek. De afgesloten cijfers staan in het dashboard.")
    return source


def _find(meta: dict) -> dict | None:
    sheets = [s for s in meta.get("sheets", []) if "properties" in s]
    exact = [s for s in sheets if s["properties"].get("title") == TAB]
    loose = [s for s in sheets if normalize_code(s["properties"].get("title", "")) ==
             normalize_code(TAB)]
    return (exact or loose or [None])[0]


def _is_protected(sheet: dict) -> bool:
    """A protection of the whole tab that refuses (not only warns)."""
    for p in sheet.get("protectedRanges", []) or []:
        grid = p.get("range") or {}
        if not p.get("warningOnly") and not any(k in grid for k in (
                "startRowIndex", "endRowIndex", "startColumnIndex", "endColumnIndex")):
            return True
    return False


def _protect(sheet_id: int, account: str) -> dict:
    return {"addProtectedRange": {"protectedRange": {
        "range": {"sheetId": sheet_id}, "description": PROTECTION_NOTE, "warningOnly": False,
        "editors": {"users": [account]}}}}


def _header_cells(sheet_id: int) -> dict:
    return {"updateCells": {
        "start": {"sheetId": sheet_id, "rowIndex": 0, "columnIndex": 0},
        "rows": [{"values": [{"userEnteredValue": {"stringValue": h},
                              "userEnteredFormat": {"textFormat": {"bold": True}}}
                             for h in TAB_COLUMNS]}],
        "fields": "userEnteredValue,userEnteredFormat.textFormat"}}


def _check_header(rows: list[list]) -> None:
    header = [normalize_code(str(h)) if not is_blank(h) else "" for h in (rows[0] if rows else [])]
    wanted = [normalize_code(h) for h in TAB_COLUMNS]
    if header[:len(wanted)] != wanted:
        raise SourceError(f"De kopregel van het tabblad {TAB} is niet meer die van het "
                          f"dashboard ({', '.join(TAB_COLUMNS)}): het dashboard herkent zijn "
                          "regels dan niet. Zet ze terug, of geef het tabblad een andere naam "
                          "(dan maakt het dashboard een nieuw).")


def _keys(rows: list[list]) -> list[str | None]:
    """The Sleutel of every row below the header (None where there is none)."""
    return [str(r[KEY_COLUMN]).strip() if len(r) > KEY_COLUMN and not is_blank(r[KEY_COLUMN])
            else None for r in rows[1:]]


def _n_lines(n: int) -> str:
    return f"{n} regel{'s' if n != 1 else ''}"


def tab_steps(source) -> tuple[Callable[[pd.DataFrame], str] | None,
                              Callable[[int, dt.date, str], str] | None]:
    """(write_tab, mark_tab) for closing.close_quarter / closing.reopen_quarter: the frozen lines
    of a close to the tab, and a reopen marked on its rows. (None, None) for a source that is no
    Google Sheet: a workbook has no Afrekeningen tab, the closes stay in the dashboard."""
    from .gsheets import GoogleSheetsSource

    if not isinstance(source, GoogleSheetsSource):
        return None, None
    return (lambda lines: write_frozen_lines(source, lines),
            lambda close_id, when, reason: mark_reopened(source, close_id, when, reason))


def write_frozen_lines(source, lines: pd.DataFrame) -> str:
    """Append the frozen ``lines`` (statements.FROZEN_COLUMNS) that are not on the Afrekeningen
    tab of ``source`` (a gsheets.GoogleSheetsSource) yet, creating and protecting the tab when it
    is missing. Returns a Dutch confirmation; raises SourceError (module docstring).

    Requests: one spreadsheets.get, one values.batchGet when the tab exists, and one
    spreadsheets.batchUpdate when there is something to write."""
    frame = tab_frame(lines)
    if frame.empty:
        return f"Geen regels om naar het tabblad {TAB} te schrijven."
    src = _google(source).with_scopes(WRITE_SCOPES)
    http = src.client.http_client
    with _writing(src, "de schrijfopdracht") as state:
        meta = http.fetch_sheet_metadata(src.key, params={"fields": META_FIELDS})
        sheet = _find(meta)
        requests_: list[dict] = []
        present: set[str] = set()
        if sheet is None:
            sheet_id = max((s["properties"].get("sheetId", 0) for s in meta.get("sheets", [])
                            if "properties" in s), default=0) + 1
            requests_ += [{"addSheet": {"properties": {
                "sheetId": sheet_id, "title": TAB,
                "gridProperties": {"rowCount": 1000, "columnCount": len(TAB_COLUMNS),
                                   "frozenRowCount": 1}}}},
                _header_cells(sheet_id), _protect(sheet_id, src.account)]
        else:
            sheet_id, title = sheet["properties"]["sheetId"], sheet["properties"]["title"]
            rows = src.fetch([title]).get(title, [])
            if any(not is_blank(c) for r in rows for c in r):
                _check_header(rows)
                present = {k for k in _keys(rows) if k}
            else:
                requests_.append(_header_cells(sheet_id))
            if not _is_protected(sheet):
                requests_.append(_protect(sheet_id, src.account))
        new = frame[~frame["Sleutel"].isin(present)]
        already = len(frame) - len(new)
        if new.empty:
            return (f"Alle {_n_lines(len(frame))} stonden al op het tabblad {TAB}; er is niets "
                    "geschreven.")
        requests_.append({"appendCells": {
            "sheetId": sheet_id, "rows": [_row_data(list(r)) for r in new.itertuples(index=False)],
            "fields": "userEnteredValue,userEnteredFormat.numberFormat"}})
        state["sent"] = True
        http.retry = NO_RETRY  # the reads may be retried, this append never (docstring)
        http.batch_update(src.key, {"requests": requests_})
    done = f"{_n_lines(len(new))} naar het tabblad {TAB} geschreven"
    if sheet is None:
        done += " (het tabblad is aangemaakt en beschermd: alleen het dashboard schrijft erin)"
    if already:
        done += f"; {_n_lines(already)} stond{'en' if already != 1 else ''} er al"
    return done + "."


def mark_reopened(source, close_id: int, when: dt.date, reason: str) -> str:
    """Set the Status of the rows this app wrote for close ``close_id`` to "heropend op
    dd/mm/jjjj: reden" (only those cells; rows that already say so are left as they are).
    Returns a Dutch confirmation; raises SourceError."""
    status = reopened_status(when, reason)
    pattern = own_key(close_id)
    src = _google(source).with_scopes(WRITE_SCOPES)  # updateCells may be resent: same cells
    http = src.client.http_client
    with _writing(src, "de wijziging") as state:
        sheet = _find(http.fetch_sheet_metadata(src.key, params={"fields": META_FIELDS}))
        if sheet is None:
            return (f"Het tabblad {TAB} bestaat niet: er stonden geen regels van deze "
                    "afsluiting op; er is niets gewijzigd.")
        sheet_id, title = sheet["properties"]["sheetId"], sheet["properties"]["title"]
        rows = src.fetch([title]).get(title, [])
        if not rows:
            return f"Het tabblad {TAB} is leeg; er is niets gewijzigd."
        _check_header(rows)
        own = [i for i, k in enumerate(_keys(rows), start=1) if k and pattern.fullmatch(k)]
        todo = [i for i in own if not (len(rows[i]) > STATUS_COLUMN
                                       and rows[i][STATUS_COLUMN] == status)]
        if not own:
            return (f"Op het tabblad {TAB} staan geen regels van deze afsluiting; er is niets "
                    "gewijzigd.")
        if not todo:
            return (f"De {_n_lines(len(own))} van deze afsluiting op het tabblad {TAB} waren al "
                    "als heropend gemarkeerd; er is niets gewijzigd.")
        state["sent"] = True
        http.batch_update(src.key, {"requests": [{"updateCells": {
            "start": {"sheetId": sheet_id, "rowIndex": i, "columnIndex": STATUS_COLUMN},
            "rows": [{"values": [{"userEnteredValue": {"stringValue": status}}]}],
            "fields": "userEnteredValue"}} for i in todo]})
    return (f"{_n_lines(len(todo))} op het tabblad {TAB} gemarkeerd als {status}.")
