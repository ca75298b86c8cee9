"""Downloads opened the way their readers open them: Excel with openpyxl, the PDF's text with
pypdf, the CSV as Excel in Belgium reads it. Figures as in tests/test_reports.py."""
import datetime as dt
import io

import openpyxl
import pytest
from pypdf import PdfReader

from baz_data import exports, reports
from tests.conftest import base_tabs, dataset_of
from tests.report_fixtures import without_budget_dataset

D = dt.date


@pytest.fixture(scope="module")
def q2():
    return reports.quarter_report(dataset_of(base_tabs()), 2021, 2, D(2021, 7, 1),
                                  generated=D(2021, 7, 2))


@pytest.fixture(scope="module")
def atk():
    return reports.partner_report(dataset_of(base_tabs()), "ATK", 2021)


@pytest.fixture(scope="module")
def pdf_pages(q2):
    reader = PdfReader(io.BytesIO(exports.quarter_report_pdf(q2)))
    return reader, [page.extract_text() for page in reader.pages]


def sheet_rows(ws) -> dict:
    """First column -> {header: cell} for a sheet whose header is row 1."""
    headers = [c.value for c in ws[1]]
    return {row[0].value: dict(zip(headers, row)) for row in ws.iter_rows(min_row=2)}


# -- Excel: quarter report -----------------------------------------------------------------------
def test_quarter_xlsx_sheets_and_title(q2):
    wb = openpyxl.load_workbook(io.BytesIO(exports.quarter_report_xlsx(q2)))
    assert wb.sheetnames == ["Titel", "Deelprojecten", "Doelstellingen", "Acties per status",
                             "Indicatoren", "Uren en vergoeding", "Budget per post", "Partners",
                             "Effectmeting en lessen", "Uren per maand"]
    title = {r[0].value: r[1].value for r in wb["Titel"].iter_rows(min_row=3)}
    assert title == {"Periode": "Q2 2021 (01/04/2021 – 30/06/2021)", "Peildatum": "01/07/2021",
                     "Gemaakt op": "2 juli 2021",
                     "Bron": "testwerkboek · gegevens van 01/07/2021 00:00"}
    assert wb["Titel"]["A1"].value == "Kwartaaloverzicht Q2 2021 — BurgersAanZet"


def test_quarter_xlsx_numbers_are_numbers_with_formats(q2):
    wb = openpyxl.load_workbook(io.BytesIO(exports.quarter_report_xlsx(q2)))
    dp1 = sheet_rows(wb["Uren en vergoeding"])["DP1"]
    assert (dp1["Uren kwartaal"].value, dp1["Uren cumulatief"].value) == (12, 19.5)
    assert dp1["Uren cumulatief"].number_format == "#,##0.00"
    assert (dp1["Vergoed kwartaal"].value, dp1["Vergoed cumulatief"].value) == (313.75, 655)
    assert dp1["Vergoed kwartaal"].number_format == "€ #,##0.00"
    assert dp1["Budgetgebruik"].value == 1 and dp1["Budgetgebruik"].number_format == "0%"
    atk = sheet_rows(wb["Partners"])["ATK"]
    assert (atk["Vergoed cumulatief"].value, atk["Budget"].value, atk["Resterend"].value) == (
        488.33, 1121.60, 633.27)
    budget = {(r[0].value, r[1].value): r[4].value for r in wb["Budget per post"].iter_rows(min_row=2)}
    assert budget[("DP1", "Communicatie")] == 250.50          # Besteed cumulatief
    months = sheet_rows(wb["Uren per maand"])
    april = next(v for k, v in months.items() if k.month == 4)
    assert (april["DP1"].value, april["Maand"].number_format) == (6, "MM/YYYY")
    learning = list(wb["Effectmeting en lessen"].iter_rows(min_row=2, values_only=True))
    assert [r[2] for r in learning] == ["A1", "A2"]


# -- PDF -----------------------------------------------------------------------------------------
def test_pdf_title_page(pdf_pages):
    _, pages = pdf_pages
    first = pages[0]
    for text in ("Kwartaaloverzicht Q2 2021", "Periode: Q2 2021 (01/04/2021 – 30/06/2021)",
                 "Peildatum: 01/07/2021", "Gemaakt op: 2 juli 2021", "Bron: testwerkboek"):
        assert text in first


def test_pdf_tables_have_belgian_figures(pdf_pages):
    _, pages = pdf_pages
    text = "\n".join(pages[1:])
    for figure in ("€ 313,75", "€ 655,00", "€ 488,33", "€ 1.121,60", "€ 633,27", "€ 666,60",
                   "19,5", "94%", "55%", "Vroeg starten", "Nieuwsbrief"):
        assert figure in text, figure
    assert "313.75" not in text and "655.0" not in text
    assert "Kwartaaloverzicht Q2 2021 · Q2 2021 (01/04/2021 – 30/06/2021)" in pages[1]  # footer


def test_pdf_embeds_the_charts(pdf_pages):
    reader, pages = pdf_pages
    assert "In één oogopslag" in pages[1]
    assert len(reader.pages[1].images) == 3   # progress, hours per month, budget use


def test_pdf_of_an_empty_year_says_so():
    report = reports.quarter_report(dataset_of(base_tabs()), 2022, 1, D(2022, 3, 31),
                                    generated=D(2022, 4, 1))
    reader = PdfReader(io.BytesIO(exports.quarter_report_pdf(report)))
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert "Er zijn nog geen uren of voortgang geregistreerd in 2022." in text
    assert "Geen gegevens voor deze periode." in text


# -- partner statement ---------------------------------------------------------------------------
def test_partner_statement_xlsx(atk):
    wb = openpyxl.load_workbook(io.BytesIO(exports.partner_statement_xlsx(atk, 2)))
    ws = wb["Afrekening"]
    assert ws["A1"].value == "Afrekening ATK vzw (ATK) — Q2 2021"
    rows = list(ws.iter_rows(min_row=3, values_only=True))
    assert rows == [
        ("Jaar", "Kwartaal", "Partner", "Deelproject", "Uren", "Vergoed uren", "Boven budget",
         "Uurtarief", "Bedrag"),
        (2021, "Q2", "ATK", "DP1", 6, 2.5, 3.5, 45.5, 113.75),
        (2021, "Q2", "ATK", "DP2", 0.5, 0.5, 0, 33.33, 16.66),
        ("Totaal", None, None, None, 6.5, 3, 3.5, None, 130.41)]
    assert ws["I4"].number_format == "€ #,##0.00" and ws["E4"].number_format == "#,##0.00"
    assert wb.sheetnames == ["Afrekening", "Per deelproject 2021", "Per medewerker 2021"]
    year = openpyxl.load_workbook(io.BytesIO(exports.partner_statement_xlsx(atk)))["Afrekening"]
    assert year["A1"].value == "Afrekening ATK vzw (ATK) — 2021"
    assert year.cell(year.max_row, 9).value == 488.33


def test_partner_statement_csv_for_excel_in_belgium(atk):
    data = exports.partner_statement_csv(atk, 2)
    assert data.startswith(b"\xef\xbb\xbf")   # UTF-8 BOM
    assert data.decode("utf-8-sig").split("\r\n") == [
        "Jaar;Kwartaal;Partner;Deelproject;Uren;Vergoed uren;Boven budget;Uurtarief;Bedrag",
        "2021;Q2;ATK;DP1;6;2,5;3,5;45,50;113,75",
        "2021;Q2;ATK;DP2;0,5;0,5;0;33,33;16,66",
        "Totaal;;;;6,5;3;3,5;;130,41",
        ""]


def test_partner_statement_of_a_partner_without_budget():
    ekc = reports.partner_report(without_budget_dataset(), "EKC", 2021)
    text = exports.partner_statement_csv(ekc).decode("utf-8-sig")
    assert "2021;Q3;EKC;DP1;3;0;3;;0,00" in text   # no Personeel line: no rate
    ws = openpyxl.load_workbook(io.BytesIO(exports.partner_statement_xlsx(ekc)))["Afrekening"]
    assert any(ekc.empty_message == c.value for row in ws.iter_rows() for c in row)
