"""The draft budget (baz_data/draft_budget.py): built from the forecast, checked with the
loader's own rules, round-tripped through a workbook and appended to a (local) Google Sheet.

By hand, on the forecast tests' 'steady' line (ATK / DP1, 112 h by 30/09/2021, forecast 296 h,
€ 45,50) and Communicatie (forecast € 334,92 → € 335): the draft of 2022 is
[2022, DP1, ATK, Personeel, 296 h, € 45,50] and [2022, DP1, –, Communicatie, € 335].
"""
import datetime as dt
import io
import math

import pandas as pd
import pytest

from baz_data import draft_budget, evaluation
from baz_data.demo import build_demo_tabs, write_workbook
from baz_data.draft_budget import DRAFT_COLUMNS, NOTE, append_draft, check_draft
from baz_data.gsheets import GoogleSheetsSource, RetryPolicy
from baz_data.model import build_dataset, load_dataset
from baz_data.sources import SourceError, WorkbookSource, demo_source
from tests.test_forecast import EARLIER, PEIL, RECENT, line_dataset

D = dt.date


@pytest.fixture
def steady():
    return line_dataset([(d, 14) for d in EARLIER + RECENT], 200)


def test_typed_text_is_read_as_in_the_sheet(steady):
    """'1.234,5' hours and '€ 45,555' are 1.234,5 h and € 45,555 exactly (README: what people
    type); the checked cells hold the numbers."""
    ev = evaluation.budget_evaluation(steady, 2021, PEIL)
    edited = ev.draft.copy()
    edited.loc[0, "Uren"], edited.loc[0, "Uurtarief"] = "1.234,5", "€ 45,555"
    edited.loc[1, "Bedrag"] = "€ 1.250,75"
    check = ev.draft_check(edited, steady.partners, steady.subprojects)
    assert check.ok, check.messages
    assert check.cells[0][4:6] == [1234.5, 45.555]
    assert check.cells[1][6] == 1250.75


def test_the_draft_is_built_from_the_forecast(steady):
    ev = evaluation.budget_evaluation(steady, 2021, PEIL)
    draft = ev.draft
    assert list(draft.columns) == DRAFT_COLUMNS
    staff, comm = draft.iloc[0], draft.iloc[1]
    assert (staff["Jaar"], staff["Deelproject"], staff["Partner"], staff["Post"]) == \
        (2022, "DP1", "ATK", "Personeel")
    assert (staff["Uren"], staff["Uurtarief"], staff["Bedrag"]) == ("296", "45,5", "")
    assert (comm["Post"], comm["Bedrag"]) == ("Communicatie", "335")
    assert comm["Partner"] == ""                          # shared money: no partner
    assert set(draft[NOTE]) == {"Ontwerp 2022 uit de begrotingsevaluatie 2021 (peildatum 30/09/2021)"}
    check = ev.draft_check(None, steady.partners, steady.subprojects)
    assert check.ok and not check.warnings
    assert check.cells[0][:7] == [2022, "DP1", "ATK", "Personeel", 296, 45.5, None]


CHECK_CASES = [
    ("rate missing", {"Uurtarief": ""}, "Uurtarief"),
    ("rate too high", {"Uurtarief": "1.500"}, "uurtarief moet groter"),
    ("hours negative", {"Uren": "-5"}, "Uren"),
    ("hours unreadable", {"Uren": "veel"}, "Uren"),
    ("unknown partner", {"Partner": "ATKK"}, "Bedoelde je"),
    ("wrong year", {"Jaar": 2030}, "het ontwerp is voor 2022"),
]


@pytest.mark.parametrize("change, expected", [c[1:] for c in CHECK_CASES],
                         ids=[c[0] for c in CHECK_CASES])
def test_an_edited_line_is_checked_with_the_begroting_rules(steady, change, expected):
    ev = evaluation.budget_evaluation(steady, 2021, PEIL)
    edited = ev.draft.copy()
    for column, value in change.items():
        edited[column] = edited[column].astype(object)
        edited.loc[0, column] = value
    check = ev.draft_check(edited, steady.partners, steady.subprojects)
    assert not check.ok
    assert any(m.startswith("Lijn 1 (") and expected.lower() in m.lower()
               for m in check.messages), check.messages


def test_a_line_added_on_the_page_gets_the_year_and_an_empty_one_is_ignored(steady):
    ev = evaluation.budget_evaluation(steady, 2021, PEIL)
    added = pd.DataFrame([[None, "DP1", "", "Vorming", "", "", "500", None],
                          [None, None, None, None, None, None, None, None]],
                         columns=DRAFT_COLUMNS)
    check = ev.draft_check(pd.concat([ev.draft, added], ignore_index=True), steady.partners,
                           steady.subprojects)
    assert check.ok, check.messages
    assert len(check.cells) == 3 and check.cells[2][:4] == [2022, "DP1", None, "Vorming"]
    assert check.cells[2][6] == 500


def test_a_duplicate_personeel_line_is_refused(steady):
    ev = evaluation.budget_evaluation(steady, 2021, PEIL)
    edited = pd.concat([ev.draft, ev.draft.iloc[[0]]], ignore_index=True)
    check = ev.draft_check(edited, steady.partners, steady.subprojects)
    assert any(m.startswith("Lijn 3 ") for m in check.messages), check.messages


def test_downloads_are_escaped(steady):
    ev = evaluation.budget_evaluation(steady, 2021, PEIL)
    edited = ev.draft.copy()
    edited.loc[0, NOTE] = "=HYPERLINK(\"http://evil.example\")"
    check = ev.draft_check(edited, steady.partners, steady.subprojects)
    assert check.ok
    text = draft_budget.draft_csv(check).decode("utf-8-sig")
    assert "'=HYPERLINK" in text and "296;45,5;;" in text
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(draft_budget.draft_xlsx(check, ev.sheets())))
    assert book.sheetnames == ["Begroting", "Per deelproject en post", "Per partner",
                               "Boven budget"]
    cell = book["Begroting"]["H2"]
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK")


def test_the_draft_round_trips_through_a_workbook(tmp_path):
    """The demo's 2026 evaluation at 01/10/2026 → the draft of 2027 appended to the demo's
    Begroting tab (with an Opmerking column) and 2027 subprojects → written as .xlsx the way the
    demo generator writes → read back with WorkbookSource: no problem on any draft row, and the
    2027 budget is the draft."""
    ds = load_dataset(demo_source())
    ev = evaluation.budget_evaluation(ds, 2026, D(2026, 10, 1))
    check = ev.draft_check(None, ds.partners, ds.subprojects)
    assert check.ok and len(check.cells) == len(ev.draft) > 10
    tabs = build_demo_tabs()
    tabs["Begroting"] = [tabs["Begroting"][0] + [NOTE]] + tabs["Begroting"][1:] + check.cells
    tabs["Deelprojecten"] += [[2027] + row[1:] for row in tabs["Deelprojecten"][1:]
                              if row and row[0] == 2026]
    path = tmp_path / "met-ontwerp.xlsx"
    write_workbook(tabs, path)
    back = build_dataset(WorkbookSource(path).read())
    first_draft_row = len(tabs["Begroting"]) - len(check.cells) + 1
    on_draft = back.problems[(back.problems["tab"] == "Begroting") &
                             (back.problems["row"] >= first_draft_row)]
    assert on_draft.empty, on_draft[["row", "column", "message"]].to_string()
    budget = back.budget[back.budget["year"] == 2027]
    assert len(budget) == len(check.cells)
    staff = budget[budget["staff"]].set_index(["subproject", "partner"])
    for row in check.cells:
        if row[3] == "Personeel":
            assert staff.loc[(row[1], row[2]), "hours_units"] == row[4] * 10_000
            assert float(staff.loc[(row[1], row[2]), "rate_exact"]) == row[5]
    costs = budget[~budget["staff"]]
    assert sorted(costs["amount"]) == sorted(r[6] * 100 for r in check.cells if r[3] != "Personeel")
    # the 2026 figures are untouched by the new rows
    assert back.budget[back.budget["year"] == 2026]["budget_amount"].sum() == \
        ds.budget[ds.budget["year"] == 2026]["budget_amount"].sum()


# -- appending to the Begroting tab of a Google Sheet (the local Sheets-API server) --------------
def _source(server, key) -> GoogleSheetsSource:
    return GoogleSheetsSource(key, server.service_account_info, sheets_api_url=server.url,
                              retry=RetryPolicy(first_delay=0.01))


def _tabs(steady_tabs_begroting):
    from tests.conftest import base_tabs

    tabs = base_tabs()
    tabs["Begroting"] = steady_tabs_begroting
    tabs["Deelprojecten"] += [[2022, "DP1", "BAZ voor iedereen", "ATK", "Els"]]
    return tabs


BEGROTING_2021 = [["Jaar", "Deelproject", "Partner", "Post", "Uren", "Uurtarief", "Bedrag"],
                  [2021, "DP1", "ATK", "Personeel", 200, 45.5, None],
                  [2021, "DP1", None, "Communicatie", None, None, 1000]]


def test_append_adds_rows_after_the_last_one_and_reads_back(sheets_server, steady):
    """Rows 1–3 stay as they were; an Opmerking header is put in the free H1; the two draft
    lines become rows 4 and 5, and the spreadsheet read back has a valid 2022 budget."""
    key = sheets_server.add_spreadsheet(_tabs(BEGROTING_2021))
    check = evaluation.budget_evaluation(steady, 2021, PEIL).draft_check(
        None, steady.partners, steady.subprojects)
    message = append_draft(_source(sheets_server, key), check, 2022)
    assert message.startswith("2 ontwerplijnen voor 2022 toegevoegd")
    rows = sheets_server.rows(key, "Begroting")
    assert rows[0] == BEGROTING_2021[0] + [NOTE]
    assert [r[:4] for r in rows[1:3]] == [r[:4] for r in BEGROTING_2021[1:]]
    assert rows[3][:6] == [2022, "DP1", "ATK", "Personeel", 296, 45.5]
    assert rows[4][3] == "Communicatie" and rows[4][6] == 335
    assert rows[3][7].startswith("Ontwerp 2022")
    back = build_dataset(_source(sheets_server, key).read())
    assert back.budget[back.budget["year"] == 2022]["post"].tolist() == ["Personeel",
                                                                         "Communicatie"]
    problems = back.problems[(back.problems["tab"] == "Begroting") & (back.problems["row"] >= 4)]
    assert problems.empty, problems[["row", "column", "message"]].to_string()


def test_append_never_writes_twice_for_a_year(sheets_server, steady):
    key = sheets_server.add_spreadsheet(_tabs(BEGROTING_2021))
    check = evaluation.budget_evaluation(steady, 2021, PEIL).draft_check(
        None, steady.partners, steady.subprojects)
    append_draft(_source(sheets_server, key), check, 2022)
    before = sheets_server.rows(key, "Begroting")
    with pytest.raises(SourceError, match="bevat al lijnen voor 2022"):
        append_draft(_source(sheets_server, key), check, 2022)
    assert sheets_server.rows(key, "Begroting") == before


def test_a_read_only_service_account_gets_a_dutch_message(sheets_server, steady):
    account = sheets_server.service_account_info["client_email"]
    key = sheets_server.add_spreadsheet(_tabs(BEGROTING_2021), writers=(), readers=(account,))
    check = evaluation.budget_evaluation(steady, 2021, PEIL).draft_check(
        None, steady.partners, steady.subprojects)
    before = sheets_server.rows(key, "Begroting")
    with pytest.raises(SourceError, match=f"serviceaccount {account} mag de spreadsheet niet "
                                          "wijzigen.*Bewerker"):
        append_draft(_source(sheets_server, key), check, 2022)
    assert sheets_server.rows(key, "Begroting") == before


def test_a_draft_with_errors_is_not_written(sheets_server, steady):
    key = sheets_server.add_spreadsheet(_tabs(BEGROTING_2021))
    ev = evaluation.budget_evaluation(steady, 2021, PEIL)
    edited = ev.draft.copy()
    edited["Uurtarief"] = ""
    check = ev.draft_check(edited, steady.partners, steady.subprojects)
    with pytest.raises(SourceError, match="fouten"):
        append_draft(_source(sheets_server, key), check, 2022)
    assert sheets_server.counts["values.append"] == 0
