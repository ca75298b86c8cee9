"""Afsluiten and heropenen: the flow, the closed quarter's report, and the page's view-model.

* :func:`preview_close` says what closing (year, quarter) would freeze: the statement lines
  computed from the LATEST history snapshot (whose id the close records, so the closed
  quarter's report can be rebuilt from exactly that data) and the close rules checked first.
* :func:`close_quarter` stores the preview (one transaction, :mod:`.history.closes`) and then
  calls ``write_tab`` (optional: frozen rows -> a Dutch confirmation) — the place where the
  ``Afrekeningen`` tab of the Google Sheet is written (``baz_data/statement_tab.py``). A tab that
  cannot be written leaves the close in force and says so.
* :func:`reopen_quarter` reopens the last closed quarter with a reason.
* :func:`closed_report` is the Kwartaaloverzicht of a closed quarter: built from the snapshot
  recorded at its close, with the generated date fixed to the close date, so its page, PDF and
  Excel stay as they were, whatever is edited later — apart from the notice of later
  corrections (``notice``), which is the only part that may change.
* :func:`closing_view` is the Afsluiten block of Kwartaaloverzicht (stuurgroep).
* :func:`may_close` is who may close and reopen: a ``stuurgroep`` user (app and command line).

Error policy: refusals are ``statements.StatementError`` (Dutch); store failures
``HistoryError`` (Dutch). Sheet text (codes) stays raw here, to be escaped where written out.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from . import access, metrics
from . import statements as st
from .clock import local_now, local_today
from .formatting import fmt_money, fmt_number
from .model import Dataset
from .money import HOUR_UNITS
from .sources import SourceError

# The statement lines as people read them (preview, corrections, Uren per partner).
LINE_COLUMNS = ["Kwartaal", "Regel", "Partner", "Deelproject", "Uren", "Vergoed uren",
                "Boven budget", "Bedrag"]
CLOSE_TABLE_COLUMNS = ["Kwartaal", "Afgesloten op", "Door", "Heropend op", "Heropend door",
                       "Reden"]
AUDIT_TABLE_COLUMNS = ["Wanneer", "Wie", "Wat", "Kwartaal", "Reden"]


def may_close(role: access.Role | None) -> bool:
    """Only a logged-in stuurgroep user closes and reopens quarters."""
    return role is not None and role.role == access.STUURGROEP and bool(role.email)


def line_label(quarter: int, corrects, state: str) -> str:
    """'uren van Q2', 'correctie Q1' or 'correctie Q1 (na afsluiting)'."""
    return st.correction_label(corrects, state) or f"uren van Q{int(quarter)}"


def lines_table(lines: pd.DataFrame) -> pd.DataFrame:
    """Statement rows (STATEMENT_COLUMNS or FROZEN_COLUMNS) as LINE_COLUMNS."""
    states = lines["state"] if "state" in lines.columns else [st.FROZEN] * len(lines)
    return pd.DataFrame({
        "Kwartaal": [f"Q{int(q)}" for q in lines["quarter"]],
        "Regel": [line_label(q, c, s) for q, c, s in zip(lines["quarter"], lines["corrects"],
                                                         states)],
        "Partner": list(lines["partner"]), "Deelproject": list(lines["subproject"]),
        "Uren": [int(u) / HOUR_UNITS for u in lines["units"]],
        "Vergoed uren": [int(u) / HOUR_UNITS for u in lines["comp_units"]],
        "Boven budget": [int(u) / HOUR_UNITS for u in lines["uncomp_units"]],
        "Bedrag": pd.Series([int(a) for a in lines["amount"]], dtype="int64"),
    }, columns=LINE_COLUMNS)


def lines_total(lines: pd.DataFrame) -> dict[str, object]:
    total: dict[str, object] = {"Kwartaal": "Totaal"}
    for col, header in (("units", "Uren"), ("comp_units", "Vergoed uren"),
                        ("uncomp_units", "Boven budget")):
        total[header] = int(lines[col].astype("int64").sum()) / HOUR_UNITS
    total["Bedrag"] = int(lines["amount"].astype("int64").sum())
    return total


def correction_text(row) -> str:
    """'correctie Q1: +2,5 uur, € 112,50' (hours as entered, the amount paid)."""
    hours = int(row.units) / HOUR_UNITS
    sign = "+" if hours >= 0 else "−"
    return (f"correctie Q{int(row.corrects)}: {sign}{fmt_number(abs(hours), 4)} uur, "
            f"{fmt_money(int(row.amount))}")


# -- the flow -----------------------------------------------------------------------------------
@dataclass
class ClosePreview:
    year: int
    quarter: int
    snapshot_id: int
    snapshot_taken: dt.datetime
    revision: int                  # the ledger revision the lines were computed from
    lines: pd.DataFrame            # FROZEN_COLUMNS (close_id, closed_at, closed_by None)
    table: pd.DataFrame            # LINE_COLUMNS
    total: dict

    @property
    def heading(self) -> str:
        return (f"Q{self.quarter} {self.year} afsluiten: {len(self.lines)} lijnen, samen "
                f"{fmt_money(self.total['Bedrag'])}, uit de gegevens van "
                f"{self.snapshot_taken:%d/%m/%Y %H:%M}")


def preview_close(store, year: int, quarter: int, today: dt.date | None = None,
                  build: Callable | None = None) -> ClosePreview:
    """What closing (year, quarter) freezes now; StatementError when the rules refuse.
    ``build`` (snapshot id -> Dataset) lets the app use its cache."""
    from .history.closes import ledger as read_ledger
    from .history.store import HistoryError
    from .model import build_dataset

    ledger = read_ledger(store, year)
    st.check_close(ledger, year, quarter, today or local_today())
    snap = store.latest()
    if snap is None:
        raise HistoryError("Er is nog geen momentopname in de geschiedenis: open het dashboard "
                           "of draai 'python -m baz_data snapshot' en sluit dan af.")
    ds = (build or (lambda sid: build_dataset(store.read(sid))))(snap.id)
    lines = st.lines_to_freeze(metrics.allocate_hours(ds, year), ledger, year, quarter)
    return ClosePreview(year, quarter, snap.id, snap.taken_at, ledger.revision, lines,
                        lines_table(lines), lines_total(lines))


@dataclass
class CloseResult:
    frozen: pd.DataFrame           # FROZEN_COLUMNS as stored
    message: str                   # Dutch confirmation
    tab_message: str | None        # what writing the Afrekeningen tab said (or why it failed)


def close_quarter(store, preview: ClosePreview, by: str, now: dt.datetime | None = None,
                  write_tab: Callable[[pd.DataFrame], str] | None = None) -> CloseResult:
    """Freeze ``preview`` as closed by ``by``; then ``write_tab(frozen rows)`` when given."""
    from .history.closes import close

    when = (now or local_now()).replace(microsecond=0)
    frozen = close(store, preview.year, preview.quarter, by, preview.snapshot_id,
                   preview.lines, preview.revision, when)
    message = (f"Q{preview.quarter} {preview.year} is afgesloten op {when:%d/%m/%Y} om "
               f"{when:%H:%M} door {by}: {len(frozen)} lijnen vastgelegd, samen "
               f"{fmt_money(int(frozen['amount'].astype('int64').sum()))}.")
    tab_message = None
    if write_tab is not None:
        try:
            tab_message = write_tab(frozen)
        except SourceError as exc:
            tab_message = (f"Het kwartaal is afgesloten, maar het tabblad Afrekeningen kon niet "
                           f"bijgewerkt worden: {exc}")
    return CloseResult(frozen, message, tab_message)


def reopen_quarter(store, year: int, quarter: int, by: str, reason: str,
                   now: dt.datetime | None = None,
                   mark_tab: Callable[[int, dt.date, str], str] | None = None) -> str:
    """Reopen with a reason; then ``mark_tab(close id, day, reason)`` when given (the
    Afrekeningen tab's rows of that close marked "heropend"). A tab that cannot be marked
    leaves the reopen in force and says so."""
    from .history.closes import reopen

    when = (now or local_now()).replace(microsecond=0)
    close_id = reopen(store, year, quarter, by, reason, when)
    message = (f"Q{quarter} {year} is heropend door {by}. Zijn lijnen tellen niet meer als "
               "afgesloten; sluit het opnieuw af om de huidige cijfers vast te leggen.")
    if mark_tab is not None:
        try:
            message += " " + mark_tab(close_id, when.date(), " ".join(reason.split()))
        except SourceError as exc:
            message += (f" Het tabblad Afrekeningen kon niet bijgewerkt worden: {exc}")
    return message


def store_ledger(store, build: Callable | None = None) -> st.Ledger:
    """The closes of every year in ``store``, able to load the snapshot of a close (``build``:
    snapshot id -> Dataset, default build_dataset(store.read(id)); the app passes its cache)."""
    from .history.closes import ledger
    from .model import build_dataset

    found = ledger(store)
    found.load_snapshot = build or (lambda sid: build_dataset(store.read(sid)))
    return found


def with_ledger(ds: Dataset, ledger: st.Ledger | None) -> Dataset:
    """``ds`` with the closes attached (a new object sharing every frame and memo)."""
    return dataclasses.replace(ds, closes=ledger)


# -- reports ------------------------------------------------------------------------------------
def year_statement(ds: Dataset, year: int) -> pd.DataFrame:
    """statements.statement of ``year`` for the data and closes of ``ds``."""
    return st.statement(metrics.allocate_hours(ds, year), ds.closes, year)


def quarter_corrections(ds: Dataset, year: int, quarter: int) -> pd.DataFrame:
    """The correction lines ON ``quarter`` (frozen with it, pending, or after the last close)."""
    lines = year_statement(ds, year)
    c = lines[(lines["quarter"] == quarter) & lines["corrects"].notna()]
    return c.reset_index(drop=True)


def _later_note(later: pd.DataFrame, quarter: int) -> str | None:
    if later.empty:
        return None
    where = sorted({int(q) for q in later["quarter"]})
    return (f"Na de afsluiting veranderden uren van Q{quarter}: "
            f"{len(later)} correctielijnen, samen "
            f"{fmt_money(int(later['amount'].astype('int64').sum()))}, staan in "
            + ", ".join(f"Q{q}" for q in where) + ". De cijfers hieronder zijn die van de "
            "afsluiting.")


def closed_report(ds: Dataset, year: int, quarter: int, notice: bool = True):
    """The QuarterReport of a closed quarter (module docstring), or None when (year, quarter)
    is not closed or no snapshot can be loaded (``ds.closes.load_snapshot``)."""
    from .reports.quarter import build_quarter_report

    ledger = ds.closes
    close = ledger.close_of(year, quarter) if ledger is not None else None
    if close is None or ledger.load_snapshot is None:
        return None
    at = pd.Timestamp(close["closed_at"]).to_pydatetime()
    then = ledger.load_snapshot(int(close["snapshot_id"]))
    report = build_quarter_report(then, year, quarter, at.date(), generated=at.date())
    mine = ledger.frozen[(ledger.frozen["close_id"] == close["close_id"])]
    carried = mine[mine["corrects"].notna()].reset_index(drop=True)
    later = st.later_corrections(year_statement(ds, year), quarter) if notice else carried[:0]
    return dataclasses.replace(
        report, closed_note=st.closed_at_text(close).capitalize() + ".",
        corrections=lines_table(carried), corrections_total=lines_total(carried),
        correction_note=_later_note(later, quarter))


def pending_note(corrections: pd.DataFrame) -> str | None:
    if corrections.empty:
        return None
    return ("Dit kwartaal draagt correcties van afgesloten kwartalen: uren die na hun "
            "afsluiting veranderden. " + "; ".join(
                f"{r.partner} {r.subproject} {correction_text(r)}"
                for r in corrections.itertuples()) + ".")


# -- the Afsluiten block of Kwartaaloverzicht ---------------------------------------------------
@dataclass
class ClosingView:
    year: int
    next_quarter: int | None       # the quarter that may close next (None: all four closed)
    next_is_over: bool             # …and it is over (else it cannot close yet)
    next_reason: str               # Dutch: why it can or cannot close now
    reopenable: int | None         # the last closed quarter
    closes: pd.DataFrame           # CLOSE_TABLE_COLUMNS
    audit: pd.DataFrame            # AUDIT_TABLE_COLUMNS, newest first


def _moment(value) -> str:
    return "–" if value is None or pd.isna(value) else f"{pd.Timestamp(value):%d/%m/%Y %H:%M}"


def closing_view(ds: Dataset, year: int, today: dt.date | None = None) -> ClosingView:
    ledger = ds.closes or st.Ledger()
    today = today or local_today()
    nxt = st.next_to_close(ledger, year)
    reason = "Alle vier de kwartalen zijn afgesloten."
    over = False
    if nxt is not None:
        try:
            st.check_close(ledger, year, nxt, today)
            over, reason = True, f"Q{nxt} {year} is voorbij en kan afgesloten worden."
        except st.StatementError as exc:
            reason = str(exc)
    c = ledger.closes[ledger.closes["year"] == year]
    closes = pd.DataFrame({
        "Kwartaal": [f"Q{int(q)}" for q in c["quarter"]],
        "Afgesloten op": [_moment(v) for v in c["closed_at"]],
        "Door": [v or "" for v in c["closed_by"]],
        "Heropend op": [_moment(v) if v is not None else "" for v in c["reopened_at"]],
        "Heropend door": [v or "" for v in c["reopened_by"]],
        "Reden": [v or "" for v in c["reopen_reason"]]}, columns=CLOSE_TABLE_COLUMNS)
    a = ledger.audit[ledger.audit["year"] == year].iloc[::-1]
    audit = pd.DataFrame({
        "Wanneer": [_moment(v) for v in a["at"]], "Wie": list(a["by"]),
        "Wat": list(a["action"]), "Kwartaal": [f"Q{int(q)}" for q in a["quarter"]],
        "Reden": [v or "" for v in a["reason"]]}, columns=AUDIT_TABLE_COLUMNS)
    return ClosingView(year, nxt, over, reason, st.last_closed(ledger, year), closes, audit)
