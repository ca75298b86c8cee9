"""init-sheet against the test server: it adds what is missing and never changes data."""
from __future__ import annotations

import copy
import datetime as dt
import json

import pytest

from baz_data.cli import main
from baz_data.demo import write_workbook
from baz_data.gsheets import GoogleSheetsSource, RetryPolicy
from baz_data.metrics import summary
from baz_data.model import build_dataset
from baz_data.schema import STATUSES, TABLES, TAB_NAMES
from baz_data.sheet_setup import init_sheet
from baz_data.sources import SourceError, WorkbookSource

from .conftest import base_tabs

WRITES = ("batchUpdate", "values.batchUpdate", "values.update", "values.append")


def source(server, key) -> GoogleSheetsSource:
    return GoogleSheetsSource(key, server.service_account_info, sheets_api_url=server.url,
                              retry=RetryPolicy(first_delay=0.01))


def snapshot(server, key) -> dict:
    """Everything init-sheet could touch: values, tabs, frozen rows, rules, protection."""
    book = server.spreadsheet(key)
    return copy.deepcopy({
        "values": {s.title: s.rows for s in book.sheets},
        "sheets": [(s.sheet_id, s.title, s.index, s.frozen_rows) for s in book.sheets],
        "rules": {s.title: s.validations for s in book.sheets},
        "protected": book.protected})


def rule_at(server, key, tab: str, column: str) -> dict | None:
    sheet = server.spreadsheet(key).sheet_by_title(tab)
    index = sheet.rows[0].index(column)
    return sheet.validation_at(1, index)


def test_empty_spreadsheet_gets_everything_in_one_batch_update(sheets_server):
    key = sheets_server.add_spreadsheet({})          # a new spreadsheet: one empty "Blad1"
    report = init_sheet(source(sheets_server, key))
    counts = sheets_server.counts
    assert (counts["get"], counts["batchUpdate"], counts["values.batchUpdate"]) == (1, 1, 1)
    assert counts["batchGet"] == 0
    book = sheets_server.spreadsheet(key)
    assert [s.title for s in book.sheets] == ["Blad1"] + TAB_NAMES
    for tab, table in TABLES.items():
        sheet = book.sheet_by_title(tab)
        assert sheet.rows == [table.column_names]
        assert sheet.frozen_rows == 1
    protected = {p["range"]["sheetId"] for p in book.protected
                 if p["warningOnly"] and p["range"]["endRowIndex"] == 1}
    assert protected == {book.sheet_by_title(t).sheet_id for t in TAB_NAMES}
    assert set(report.done) == set(TAB_NAMES)
    assert report.left_alone == {"Blad1": ["hoort niet bij het schema, niet aangeraakt"]}


def test_dropdowns_read_the_reference_tabs(sheets_server):
    key = sheets_server.add_spreadsheet({})
    init_sheet(source(sheets_server, key))
    partner = rule_at(sheets_server, key, "Uren", "Partner")
    assert partner["condition"] == {"type": "ONE_OF_RANGE",
                                    "values": [{"userEnteredValue": "='Partners'!$A$2:$A"}]}
    assert partner["showCustomUi"] and partner["strict"] is False
    assert rule_at(sheets_server, key, "Uren", "Deelproject")["condition"]["values"] == [
        {"userEnteredValue": "='Deelprojecten'!$B$2:$B"}]
    assert rule_at(sheets_server, key, "Uren", "Actie")["condition"]["values"] == [
        {"userEnteredValue": "='Acties'!$A$2:$A"}]
    assert rule_at(sheets_server, key, "Uitgaven", "Post")["condition"]["values"] == [
        {"userEnteredValue": "='Begroting'!$D$2:$D"}]
    status = rule_at(sheets_server, key, "Acties", "Status")["condition"]
    assert status == {"type": "ONE_OF_LIST",
                      "values": [{"userEnteredValue": s} for s in STATUSES]}
    assert rule_at(sheets_server, key, "Uren", "Datum")["condition"] == {"type": "DATE_IS_VALID"}
    assert rule_at(sheets_server, key, "Uren", "Uren")["condition"]["values"] == [
        {"userEnteredValue": "0"}, {"userEnteredValue": "24"}]
    assert rule_at(sheets_server, key, "Gebruikers", "Rol")["condition"]["type"] == "ONE_OF_LIST"
    assert rule_at(sheets_server, key, "Partners", "Naam") is None


def test_rerun_changes_nothing(sheets_server):
    key = sheets_server.add_spreadsheet({})
    init_sheet(source(sheets_server, key))
    before = snapshot(sheets_server, key)
    sheets_server.reset(spreadsheets=False)
    report = init_sheet(source(sheets_server, key))
    assert snapshot(sheets_server, key) == before
    assert not any(sheets_server.counts[w] for w in WRITES)
    assert report.done == {}
    assert "kopregel klopt" in report.left_alone["Uren"]
    assert "kopregel al beschermd" in report.left_alone["Uren"]
    assert any(item.startswith("bestaande validatie op Datum, Partner")
               for item in report.left_alone["Uren"])
    assert "(niets: alles was er al)" in report.text()


def test_filled_spreadsheet_keeps_its_data_and_its_choices(sheets_server):
    tabs = base_tabs()
    del tabs["Gebruikers"]
    tabs["Partners"][0] = ["Code", "Naam", "Telefoon"]       # a header that differs
    key = sheets_server.add_spreadsheet(tabs)
    book = sheets_server.spreadsheet(key)
    book.sheet_by_title("Acties").frozen_rows = 2          # someone froze two rows on purpose
    custom = {"condition": {"type": "ONE_OF_LIST", "values": [{"userEnteredValue": "ATK"}]}}
    book.sheet_by_title("Uren").validations.append(
        ({"sheetId": book.sheet_by_title("Uren").sheet_id, "startRowIndex": 1,
          "startColumnIndex": 1, "endColumnIndex": 2}, custom))
    before = {s.title: copy.deepcopy(s.rows) for s in book.sheets}

    report = init_sheet(source(sheets_server, key))

    assert {s.title: s.rows for s in book.sheets if s.title in before} == before
    assert book.sheet_by_title("Gebruikers").rows == [TABLES["Gebruikers"].column_names]
    assert book.sheet_by_title("Acties").frozen_rows == 2
    assert book.sheet_by_title("Uren").frozen_rows == 1
    assert rule_at(sheets_server, key, "Uren", "Partner") == custom
    assert rule_at(sheets_server, key, "Uren", "Deelproject")["condition"]["type"] == "ONE_OF_RANGE"
    partners = report.left_alone["Partners"]
    assert any("kopregel wijkt af (ontbreekt: Contact; onbekend: Telefoon)" in p for p in partners)
    assert "2 rijen vastgezet" in report.left_alone["Acties"]
    assert "bestaande validatie op Partner" in report.left_alone["Uren"]
    assert sheets_server.counts["batchUpdate"] == 1
    assert sheets_server.counts["values.batchUpdate"] == 1   # only the new tab's header


def test_dry_run_changes_nothing(sheets_server):
    tabs = base_tabs()
    del tabs["Metingen"]
    key = sheets_server.add_spreadsheet(tabs)
    before = snapshot(sheets_server, key)
    report = init_sheet(source(sheets_server, key), dry_run=True)
    assert snapshot(sheets_server, key) == before
    assert not any(sheets_server.counts[w] for w in WRITES)
    assert report.dry_run and "aanmaken met kopregel (4 kolommen)" in report.done["Metingen"]
    assert report.text().startswith(f"Spreadsheet 'BAZ test' — proefdraai")


def test_dry_run_works_with_read_only_access(sheets_server):
    email = sheets_server.service_account_info["client_email"]
    key = sheets_server.add_spreadsheet({}, writers=(), readers=[email])
    assert init_sheet(source(sheets_server, key), dry_run=True).done
    with pytest.raises(SourceError, match="Bewerker voor init-sheet"):
        init_sheet(source(sheets_server, key))


def test_from_workbook_fills_an_empty_spreadsheet_with_the_same_figures(sheets_server, tmp_path):
    path = tmp_path / "werkboek.xlsx"
    write_workbook(base_tabs(), path)
    key = sheets_server.add_spreadsheet({})
    report = init_sheet(source(sheets_server, key), from_workbook=path)
    assert "8 rijen uit het werkboek uploaden" in report.done["Uren"]
    from_file = build_dataset(WorkbookSource(path).read())
    from_google = build_dataset(source(sheets_server, key).read())
    assert from_google.row_counts == from_file.row_counts
    a = summary(from_file, 2021, None, dt.date(2021, 7, 1))
    b = summary(from_google, 2021, None, dt.date(2021, 7, 1))
    assert {**a, "source": None} == {**b, "source": None}
    # Text that looks like a number stays text, as typed in the workbook.
    assert sheets_server.rows(key, "Acties")[5][8] == "0,25"


def test_from_workbook_never_writes_over_data(sheets_server, tmp_path):
    path = tmp_path / "werkboek.xlsx"
    write_workbook(base_tabs(), path)
    tabs = base_tabs()
    tabs["Uren"] = tabs["Uren"][:2]
    tabs["Metingen"] = [TABLES["Metingen"].column_names]     # header only: still empty
    key = sheets_server.add_spreadsheet(tabs)
    report = init_sheet(source(sheets_server, key), from_workbook=path)
    assert sheets_server.rows(key, "Uren") == tabs["Uren"]
    assert any("niet geüpload" in item for item in report.left_alone["Uren"])
    assert len(sheets_server.rows(key, "Metingen")) == len(base_tabs()["Metingen"])
    assert "5 rijen uit het werkboek uploaden" in report.done["Metingen"]


def test_cli_init_sheet(sheets_server, tmp_path, capsys):
    secrets = tmp_path / "secrets.toml"
    lines = ["[connections.gsheets]", f'sheets_api_url = "{sheets_server.url}"']
    lines += [f"{k} = {json.dumps(v)}" for k, v in sheets_server.service_account_info.items()]
    secrets.write_text("\n".join(lines) + "\n", encoding="utf-8")
    key = sheets_server.add_spreadsheet({})
    assert main(["init-sheet", "--sheet", key, "--secrets", str(secrets), "--dry-run"]) == 0
    assert "Zou uitvoeren:" in capsys.readouterr().out
    assert len(sheets_server.spreadsheet(key).sheets) == 1
    assert main(["init-sheet", "--sheet", key, "--secrets", str(secrets)]) == 0
    assert "Uitgevoerd:" in capsys.readouterr().out
    assert len(sheets_server.spreadsheet(key).sheets) == 1 + len(TAB_NAMES)
    assert main(["init-sheet", "--secrets", str(secrets)]) == 2
    assert "Geen spreadsheet opgegeven" in capsys.readouterr().err


def test_the_app_s_own_afrekeningen_tab_is_left_alone_and_named_as_such(sheets_server):
    """init-sheet neither reads, changes nor protects the tab statement_tab.py writes."""
    from baz_data.sheet_setup import APP_TAB_NOTE

    tabs = base_tabs()
    tabs["Afrekeningen"] = [["Jaar", "Kwartaal", "Sleutel"], [2026, 1, "A12-ATK-DP1-Q1"]]
    key = sheets_server.add_spreadsheet(tabs)
    before = snapshot(sheets_server, key)
    report = init_sheet(source(sheets_server, key))
    after = snapshot(sheets_server, key)
    assert report.left_alone["Afrekeningen"] == [APP_TAB_NOTE]
    assert "Afrekeningen" not in report.done
    assert after["values"]["Afrekeningen"] == before["values"]["Afrekeningen"]
    sheet_id = sheets_server.spreadsheet(key).sheet_by_title("Afrekeningen").sheet_id
    assert not [p for p in after["protected"] if p["range"]["sheetId"] == sheet_id]
