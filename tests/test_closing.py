"""baz_data.closing and baz_data.history.closes: closing a quarter in the history store, on
SQLite and on PostgreSQL (every test taking ``history_url`` runs on both), and the
close-quarter / reopen-quarter commands.

The hand-computed case (tests/conftest.py BASE_TABS, 2021). Personeel lines: ATK DP1 10 h at
€ 45,50; ATK DP2 20 h at € 33,33; DOMO DP1 5 h at € 40.

Q1 as the sheets stand at the close (06/04/2021 10:15, els@example.org, stuurgroep):
  ATK DP1: 30/03 4 h + 31/03 3,5 h = 7,5 h, all compensated: 7,5 × 45,50 = € 341,25
  ATK DP2: 01/02 0,5 h: 0,5 × 33,33 = 16,665 → € 16,67
Then three edits of Q1 hour rows:
  added   15/03 ATK DP1 3 h
  edited  31/03 ATK DP1 3,5 h → 1,5 h
  deleted 01/02 ATK DP2 0,5 h
Now Q1 ATK DP1 = 3 + 4 + 1,5 = 8,5 h, all compensated (≤ 10): 8,5 × 45,50 = € 386,75
  → correctie Q1 ATK DP1: +1,0 h (compensated +1,0, above budget 0), € 386,75 − 341,25 = € 45,50
Q1 ATK DP2 now has no line (0) → correctie Q1 ATK DP2: −0,5 h, € 0 − 16,67 = −€ 16,67
Q2 (open) own lines:
  ATK DP1: 01/04 4 h + 02/04 2 h = 6 h; 10 − 8,5 = 1,5 h left under the cap: compensated 1,5 h,
           above budget 4,5 h; amount = round(10 × 45,50) − round(8,5 × 45,50) = 455,00 − 386,75
           = € 68,25
  ATK DP2: 03/05 0,5 h, its first line now: round(0,5 × 33,33) = € 16,67
  DOMO DP1: 30/06 6 h, 5 compensated, 1 above: € 200,00
Check, ATK DP1: frozen 341,25 + correction 45,50 + Q2 68,25 = 455,00 = round(10 × 45,50);
ATK DP2: 16,67 − 16,67 + 16,67 = 16,67 = round(0,5 × 33,33).
Reopening Q1 (reason given) and closing it again freezes the new figures: ATK DP1 8,5 h
€ 386,75, no ATK DP2 line, and Q2 has no corrections any more.
"""
from __future__ import annotations

import datetime as dt
import io
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from pypdf import PdfReader

from baz_data import closing, exports, reports
from baz_data import statements as st
from baz_data.demo import write_workbook
from baz_data.history import closes as hc
from baz_data.history import tables
from baz_data.history.store import HistoryStore
from baz_data.model import build_dataset
from baz_data.sources import RawWorkbook, SourceInfo
from tests.conftest import base_tabs

ROOT = Path(__file__).resolve().parent.parent
D = dt.date
CLOSED_AT = dt.datetime(2021, 4, 6, 10, 15)
ELS = "els@example.org"          # stuurgroep in BASE_TABS' Gebruikers
AN = "an@example.org"            # partner ATK


def raw_of(tabs, taken: dt.datetime) -> RawWorkbook:
    return RawWorkbook(tabs, SourceInfo("test", "testwerkboek", taken))


def edited_tabs():
    """The three edits of the docstring: one Q1 row added, one edited, one deleted."""
    tabs = base_tabs()
    uren = tabs["Uren"]
    assert uren[3][0] == D(2021, 3, 31) and uren[5][0] == D(2021, 2, 1)
    uren[3][5] = "1,5"
    del uren[5]
    uren.append([D(2021, 3, 15), "ATK", "An", "DP1", None, 3, "Vergeten"])
    return tabs


def current(store: HistoryStore):
    """The Dataset of the latest snapshot with the store's closes attached (as the app)."""
    return closing.with_ledger(build_dataset(store.read(store.latest().id)),
                               closing.store_ledger(store))


def lines_of(ds, quarter: int) -> list[tuple]:
    lines = closing.year_statement(ds, 2021)
    lines = lines[lines["quarter"] == quarter]
    return [(r.partner, r.subproject, r.corrects, r.units, r.comp_units, r.uncomp_units, r.amount,
             r.state) for r in lines.itertuples()]


def q1_pdf(store: HistoryStore, notice: bool = True) -> bytes:
    ds = current(store)
    report = closing.closed_report(ds, 2021, 1, notice=notice)
    return exports.quarter_report_pdf(report)


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_schema_version_2_adds_the_close_tables(history_url):
    store = HistoryStore(history_url)
    assert store.schema_version() == tables.LATEST == 2
    assert [t.name for t in tables.V2_TABLES] == ["quarter_closes", "frozen_lines", "close_audit"]
    assert hc.ledger(store).revision == 0


def test_close_edit_correct_reopen_close_by_hand(history_url):
    """The module docstring's case, step by step."""
    store = HistoryStore(history_url)
    store.record(raw_of(base_tabs(), dt.datetime(2021, 4, 6, 9, 0)))
    preview = closing.preview_close(store, 2021, 1, today=D(2021, 4, 6))
    assert preview.table.to_dict("records") == [
        {"Kwartaal": "Q1", "Regel": "uren van Q1", "Partner": "ATK", "Deelproject": "DP1",
         "Uren": 7.5, "Vergoed uren": 7.5, "Boven budget": 0.0, "Bedrag": 34125},
        {"Kwartaal": "Q1", "Regel": "uren van Q1", "Partner": "ATK", "Deelproject": "DP2",
         "Uren": 0.5, "Vergoed uren": 0.5, "Boven budget": 0.0, "Bedrag": 1667}]
    result = closing.close_quarter(store, preview, ELS, now=CLOSED_AT)
    assert result.message == ("Q1 2021 is afgesloten op 06/04/2021 om 10:15 door "
                              "els@example.org: 2 lijnen vastgelegd, samen € 357,92.")
    assert list(result.frozen.columns) == st.FROZEN_COLUMNS
    assert result.frozen[["close_id", "quarter", "partner", "subproject", "corrects", "units",
                          "amount", "closed_by"]].values.tolist() == [
        [1, 1, "ATK", "DP1", None, 75000, 34125, ELS], [1, 1, "ATK", "DP2", None, 5000, 1667, ELS]]
    assert result.frozen["closed_at"].tolist() == [CLOSED_AT, CLOSED_AT]
    before = q1_pdf(store)

    store.record(raw_of(edited_tabs(), dt.datetime(2021, 5, 10, 12, 0)))
    ds = current(store)
    assert lines_of(ds, 1) == [   # Q1 stays as frozen
        ("ATK", "DP1", None, 75000, 75000, 0, 34125, st.FROZEN),
        ("ATK", "DP2", None, 5000, 5000, 0, 1667, st.FROZEN)]
    assert lines_of(ds, 2) == [
        ("ATK", "DP1", None, 60000, 15000, 45000, 6825, st.OPEN),
        ("ATK", "DP2", None, 5000, 5000, 0, 1667, st.OPEN),
        ("DOMO", "DP1", None, 60000, 50000, 10000, 20000, st.OPEN),
        ("ATK", "DP1", 1, 10000, 10000, 0, 4550, st.PENDING),
        ("ATK", "DP2", 1, -5000, -5000, 0, -1667, st.PENDING)]
    texts = [closing.correction_text(r) for r in closing.quarter_corrections(ds, 2021, 2)
             .itertuples()]
    assert texts == ["correctie Q1: +1 uur, € 45,50", "correctie Q1: −0,5 uur, −€ 16,67"]
    # frozen + corrections + open lines = the exact year total rounded once, per line
    year = closing.year_statement(ds, 2021)
    assert year.groupby(["partner", "subproject"])["amount"].sum().to_dict() == {
        ("ATK", "DP1"): 45500, ("ATK", "DP2"): 1667, ("DOMO", "DP1"): 20000}

    # The Q1 report is the one of its close: the same bytes without the notice...
    assert q1_pdf(store, notice=False) == before
    # ...and the notice is the only difference
    with_notice = q1_pdf(store)
    assert with_notice != before
    notice = ("Na de afsluiting veranderden uren van Q1: 2 correctielijnen, samen € 28,83, "
              "staan in Q2.")
    assert notice in " ".join(pdf_text(with_notice).split())
    assert notice not in " ".join(pdf_text(before).split())
    assert "Afgesloten op 06/04/2021 om 10:15 door els@example.org." in pdf_text(before)
    # Q2's report and the partner's statement carry the corrections
    q2 = reports.quarter_report(ds, 2021, 2, D(2021, 5, 10))
    assert q2.corrections["Regel"].tolist() == ["correctie Q1", "correctie Q1"]
    assert q2.corrections_total["Bedrag"] == 2883
    assert "Correcties" in [title for title, _, _ in q2.sections()]
    import openpyxl
    book = openpyxl.load_workbook(io.BytesIO(exports.quarter_report_xlsx(q2)))
    rows = list(book["Correcties"].iter_rows(values_only=True))
    assert rows[1][1:4] == ("correctie Q1", "ATK", "DP1") and rows[1][-1] == 45.5
    assert rows[-1][0] == "Totaal" and rows[-1][-1] == 28.83
    assert "correctie Q1: −0,5 uur, −€ 16,67" in " ".join(pdf_text(exports.quarter_report_pdf(q2))
                                                          .split())
    atk = reports.partner_report(ds, "ATK", 2021)
    assert atk.statement_for(2)["Regel"].tolist() == ["uren van Q2", "uren van Q2",
                                                      "correctie Q1", "correctie Q1"]
    assert atk.statement_total()["Bedrag"] == 45500 + 1667

    # Reopen Q1 with a reason, close again: the new figures are frozen, no corrections left
    assert closing.reopen_quarter(store, 2021, 1, ELS, "  Uren   vergeten ",
                                  now=dt.datetime(2021, 5, 11, 9, 0)).startswith("Q1 2021 is heropend")
    ds = current(store)
    assert [s for *_, s in lines_of(ds, 1)] == [st.OPEN]
    again = closing.preview_close(store, 2021, 1, today=D(2021, 5, 11))
    closing.close_quarter(store, again, ELS, now=dt.datetime(2021, 5, 11, 9, 5))
    ds = current(store)
    assert lines_of(ds, 1) == [("ATK", "DP1", None, 85000, 85000, 0, 38675, st.FROZEN)]
    assert [c for _, _, c, *_ in lines_of(ds, 2)] == [None, None, None]
    audit = hc.audit(store, 2021)
    assert audit[["audit_id", "by", "action", "quarter", "close_id", "reason"]].values.tolist() == [
        [1, ELS, "afgesloten", 1, 1, None], [2, ELS, "heropend", 1, 1, "Uren vergeten"],
        [3, ELS, "afgesloten", 1, 2, None]]
    view = closing.closing_view(ds, 2021, today=D(2021, 5, 11))
    assert (view.next_quarter, view.next_is_over, view.reopenable) == (2, False, 1)
    assert view.next_reason == ("Q2 2021 loopt tot en met 30/06/2021: je kunt het afsluiten "
                                "vanaf 01/07/2021.")
    assert view.audit["Wat"].tolist() == ["afgesloten", "heropend", "afgesloten"]
    assert view.closes["Reden"].tolist() == ["Uren vergeten", ""]


def test_closing_q2_freezes_the_corrections_it_carries(history_url):
    """Q2 closed after the edits freezes its own lines and the two corrections of Q1; nothing
    is pending afterwards, and the frozen rows of Q1 + Q2 still add up to the year totals."""
    store = HistoryStore(history_url)
    store.record(raw_of(base_tabs(), dt.datetime(2021, 4, 6, 9, 0)))
    closing.close_quarter(store, closing.preview_close(store, 2021, 1, today=D(2021, 4, 6)), ELS,
                          now=CLOSED_AT)
    store.record(raw_of(edited_tabs(), dt.datetime(2021, 7, 2, 9, 0)))
    closing.close_quarter(store, closing.preview_close(store, 2021, 2, today=D(2021, 7, 2)), ELS,
                          now=dt.datetime(2021, 7, 2, 9, 30))
    frozen = hc.frozen_lines(store, 2021)
    q2 = frozen[frozen["quarter"] == 2]
    assert q2[["partner", "subproject", "corrects", "amount"]].values.tolist() == [
        ["ATK", "DP1", None, 6825], ["ATK", "DP2", None, 1667], ["DOMO", "DP1", None, 20000],
        ["ATK", "DP1", 1, 4550], ["ATK", "DP2", 1, -1667]]
    ds = current(store)
    now = st.current_lines(closing.metrics.allocate_hours(ds, 2021), 2021)
    assert st.corrections(now, ds.closes.frozen_of(2021), [1, 2]).empty
    assert frozen.groupby(["partner", "subproject"])["amount"].sum().to_dict() == {
        ("ATK", "DP1"): 45500, ("ATK", "DP2"): 1667, ("DOMO", "DP1"): 20000}
    report = closing.closed_report(ds, 2021, 2)
    assert report.corrections["Regel"].tolist() == ["correctie Q1", "correctie Q1"]
    assert report.correction_note is None


@pytest.mark.parametrize("steps, message", [
    pytest.param([("close", 2)], "sluit eerst Q1 2021 af", id="out-of-order"),
    pytest.param([("close", 1), ("close", 1)], "Q1 2021 is al afgesloten", id="twice"),
    pytest.param([("reopen", 1)], "Q1 2021 is niet afgesloten", id="reopen-open"),
    pytest.param([("close", 1), ("close", 2), ("reopen", 1)], "Heropen eerst Q2 2021",
                 id="reopen-not-last"),
    pytest.param([("close", 1), ("reopen-no-reason", 1)], "Geef een reden op",
                 id="reopen-without-reason"),
])
def test_the_store_refuses_in_dutch_and_changes_nothing(history_url, steps, message):
    store = HistoryStore(history_url)
    store.record(raw_of(base_tabs(), dt.datetime(2021, 7, 2, 9, 0)))
    with pytest.raises(st.StatementError, match=message):
        for action, quarter in steps:
            revision = hc.ledger(store).revision
            if action == "close":
                hc.close(store, 2021, quarter, ELS, 1, st.empty_frozen(), revision,
                         now=dt.datetime(2021, 7, 3, 9, 0))
            else:
                hc.reopen(store, 2021, quarter, ELS, "" if action.endswith("reason") else "x")
    done = len([s for s in steps[:-1]])
    assert hc.ledger(store).revision == done


def test_a_close_refuses_when_the_quarter_is_not_over(history_url):
    store = HistoryStore(history_url)
    store.record(raw_of(base_tabs(), dt.datetime(2021, 3, 31, 9, 0)))
    with pytest.raises(st.StatementError, match="Q1 2021 loopt tot en met 31/03/2021"):
        closing.preview_close(store, 2021, 1, today=D(2021, 3, 31))
    with pytest.raises(st.StatementError, match="loopt tot en met"):
        hc.close(store, 2021, 1, ELS, 1, st.empty_frozen(), 0, now=dt.datetime(2021, 3, 31, 23))


def test_a_stale_preview_is_refused(history_url):
    """Two stuurgroep members preview Q1; the first closes; the second's close carries lines
    computed before that and is refused."""
    store = HistoryStore(history_url)
    store.record(raw_of(base_tabs(), dt.datetime(2021, 7, 2, 9, 0)))
    first = closing.preview_close(store, 2021, 1, today=D(2021, 7, 2))
    second = closing.preview_close(store, 2021, 1, today=D(2021, 7, 2))
    closing.close_quarter(store, first, ELS)
    with pytest.raises(st.StatementError, match="Intussen werd er een kwartaal afgesloten"):
        closing.close_quarter(store, second, ELS)
    assert len(hc.closes(store, 2021)) == 1


def test_concurrent_closes_store_one(history_url):
    """Writers are serialised: of two closes of Q1 at once exactly one is stored."""
    stores = [HistoryStore(history_url) for _ in range(2)]
    stores[0].record(raw_of(base_tabs(), dt.datetime(2021, 7, 2, 9, 0)))
    previews = [closing.preview_close(s, 2021, 1) for s in stores]
    outcomes = []

    def run(store, preview):
        try:
            closing.close_quarter(store, preview, ELS)
            outcomes.append("ok")
        except st.StatementError:
            outcomes.append("refused")

    threads = [threading.Thread(target=run, args=pair) for pair in zip(stores, previews)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["ok", "refused"]
    assert len(hc.closes(stores[0], 2021)) == 1


def test_the_tab_writer_is_called_with_the_frozen_rows_and_its_failure_is_a_notice(history_url):
    from baz_data.sources import SourceError

    store = HistoryStore(history_url)
    store.record(raw_of(base_tabs(), dt.datetime(2021, 7, 2, 9, 0)))
    seen = []
    result = closing.close_quarter(store, closing.preview_close(store, 2021, 1), ELS,
                                   write_tab=lambda rows: seen.append(rows) or "2 rijen geschreven")
    assert list(seen[0].columns) == st.FROZEN_COLUMNS and len(seen[0]) == 2
    assert result.tab_message == "2 rijen geschreven"

    def fail(rows):
        raise SourceError("geen schrijfrechten")

    result = closing.close_quarter(store, closing.preview_close(store, 2021, 2), ELS,
                                   write_tab=fail)
    assert result.tab_message.startswith("Het kwartaal is afgesloten, maar het tabblad "
                                         "Afrekeningen kon niet bijgewerkt worden")
    assert st.last_closed(hc.ledger(store, 2021), 2021) == 2


# -- the command line ---------------------------------------------------------------------------
def run(*args, stdin: str = ""):
    return subprocess.run([sys.executable, "-m", "baz_data", *args], cwd=ROOT, input=stdin,
                          capture_output=True, text=True, timeout=120)


def test_close_and_reopen_from_the_command_line(history_url, tmp_path):
    book = tmp_path / "boek.xlsx"
    write_workbook(base_tabs(), book)
    common = ["--workbook", str(book), "--history", history_url, "--year", "2021"]
    refused = run("close-quarter", *common, "--quarter", "1", "--by", AN, "--yes")
    assert refused.returncode == 1
    assert "'an@example.org' staat niet als stuurgroep in het tabblad Gebruikers" in refused.stderr
    asked = run("close-quarter", *common, "--quarter", "1", "--by", ELS, stdin="n\n")
    assert asked.returncode == 1 and "Niet afgesloten" in asked.stdout
    assert "Q1 2021 afsluiten: 2 lijnen, samen € 357,92" in asked.stdout
    assert "uren van Q1" in asked.stdout and "€ 341,25" in asked.stdout
    done = run("close-quarter", *common, "--quarter", "1", "--by", ELS, stdin="j\n")
    assert done.returncode == 0, done.stderr
    assert "Q1 2021 is afgesloten op" in done.stdout
    summary = run("summary", "--workbook", str(book), "--history", history_url, "--year", "2021",
                  "--quarter", "1", "--json")
    import json
    data = json.loads(summary.stdout)
    assert [c["quarter"] for c in data["closes"]] == [1]
    assert {line["state"] for line in data["statement"]} == {"frozen"}
    # export: a closed quarter's file is the report of its close, also after edits
    write_workbook(edited_tabs(), book)
    pdf = tmp_path / "q1.pdf"
    exported = run("export", "--workbook", str(book), "--history", history_url, "--year", "2021",
                   "--quarter", "1", "--format", "pdf", "--out", str(pdf))
    assert exported.returncode == 0, exported.stderr
    store = HistoryStore(history_url)
    now = closing.with_ledger(build_dataset(raw_of(edited_tabs(), dt.datetime(2021, 5, 1))),
                              closing.store_ledger(store))
    from baz_data.history.source import progress_lines

    closed = closing.closed_report(now, 2021, 1)
    # the PDF of the close, with the progress per week the history holds up to its peildatum
    assert pdf.read_bytes() == exports.quarter_report_pdf(
        closed, progress_lines(store, now, 2021, closed.peildatum))
    assert "Na de afsluiting veranderden uren van Q1" in " ".join(pdf_text(pdf.read_bytes())
                                                                  .split())
    order = run("close-quarter", *common, "--quarter", "3", "--by", ELS, "--yes")
    assert order.returncode == 1 and "sluit eerst Q2 2021 af" in order.stderr
    no_reason = run("reopen-quarter", *common, "--quarter", "1", "--by", ELS, "--reason", " ")
    assert no_reason.returncode == 1 and "Geef een reden op" in no_reason.stderr
    reopened = run("reopen-quarter", *common, "--quarter", "1", "--by", ELS, "--reason",
                   "Uren vergeten")
    assert reopened.returncode == 0 and "Q1 2021 is heropend" in reopened.stdout
    assert hc.audit(HistoryStore(history_url), 2021)["action"].tolist() == ["afgesloten",
                                                                           "heropend"]


def test_a_version_1_store_is_migrated_to_2_and_keeps_its_snapshots(history_url):
    """A store written by the previous release (schema 1: no close tables) gains them on
    opening, in one transaction, and keeps its snapshots."""
    import sqlalchemy as sa

    engine = sa.create_engine(history_url)
    with engine.begin() as conn:
        tables.meta.create(conn)
        tables.MIGRATIONS[0](conn)
        conn.execute(tables.meta.insert().values(name=tables.SCHEMA_VERSION_KEY, value="1"))
    engine.dispose()
    old = HistoryStore.__new__(HistoryStore)   # record one snapshot without migrating
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(tables, "LATEST", 1)
        old.__init__(history_url)
        old.record(raw_of(base_tabs(), dt.datetime(2021, 4, 6, 9, 0)))
        old.engine.dispose()
    with sa.create_engine(history_url).connect() as conn:
        assert not sa.inspect(conn).has_table("quarter_closes")
    store = HistoryStore(history_url)
    assert store.schema_version() == 2 and len(store.snapshots()) == 1
    closing.close_quarter(store, closing.preview_close(store, 2021, 1, today=D(2021, 4, 6)), ELS)
    assert len(hc.frozen_lines(store, 2021)) == 2


def test_close_and_reopen_keep_the_afrekeningen_tab_of_the_google_sheet(sheets_server, tmp_path):
    """From the command line against the local Sheets-API server: closing Q1 2021 writes its two
    frozen lines (as in test_close_and_reopen_from_the_command_line: together € 357,92) to the
    protected Afrekeningen tab; reopening marks exactly those rows "heropend"."""
    import json

    from baz_data.statement_tab import TAB, TAB_COLUMNS

    key = sheets_server.add_spreadsheet(base_tabs())
    secrets = tmp_path / "secrets.toml"
    secrets.write_text("[connections.gsheets]\n" + "".join(
        f"{k} = {json.dumps(v)}\n" for k, v in {**sheets_server.service_account_info,
                                               "sheets_api_url": sheets_server.url}.items()))
    common = ["--sheet", key, "--secrets", str(secrets), "--history",
              f"sqlite:///{tmp_path / 'geschiedenis.sqlite3'}", "--year", "2021", "--quarter", "1",
              "--by", ELS]
    done = run("close-quarter", *common, "--yes")
    assert done.returncode == 0, done.stderr
    assert "2 regels naar het tabblad Afrekeningen geschreven" in done.stdout
    header, *rows = sheets_server.rows(key, TAB)
    assert header == TAB_COLUMNS
    status, amount = TAB_COLUMNS.index("Status"), TAB_COLUMNS.index("Bedrag")
    assert [r[status] for r in rows] == ["geldig", "geldig"]
    assert round(sum(r[amount] for r in rows), 2) == 357.92
    reopened = run("reopen-quarter", *common, "--reason", "Uren  vergeten")
    assert reopened.returncode == 0, reopened.stderr
    _, *rows = sheets_server.rows(key, TAB)
    assert all(r[status].startswith("heropend op ") and r[status].endswith(": Uren vergeten")
               for r in rows) and len(rows) == 2


def test_a_negative_correction_total_reads_as_people_write_it():
    """Hours removed after a close: the notice says '−€ 1.428,88', as the correction lines do
    ('correctie Q1: −4 uur, −€ 194,00') and every table (formatting.fmt_money)."""
    import pandas as pd

    later = pd.DataFrame({"quarter": [2, 2], "amount": [-19_400, -123_488]})
    note = closing._later_note(later, 1)
    assert "2 correctielijnen, samen −€ 1.428,88, staan in Q2." in note
    row = pd.Series({"units": -40_000, "amount": -19_400, "corrects": 1})
    assert closing.correction_text(row) == "correctie Q1: −4 uur, −€ 194,00"
