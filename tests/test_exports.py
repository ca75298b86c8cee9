"""Downloads opened the way their readers open them: Excel with openpyxl, the PDF's text with
pypdf, the CSV as Excel in Belgium reads it. Figures as in tests/test_reports.py."""
import datetime as dt
import io

import openpyxl
import pandas as pd
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


# -- what a sheet editor types is written out literally (issue 9) --------------------------------
def _hostile_reports(**changes):
    from tests.hostile import hostile_dataset

    ds = hostile_dataset(**changes)
    partner = ds.partners["code"].iloc[0]
    return (reports.quarter_report(ds, 2021, 2, D(2021, 7, 1), generated=D(2021, 7, 2)),
            reports.partner_report(ds, partner, 2021))


def _cells(data: bytes):
    book = openpyxl.load_workbook(io.BytesIO(data))
    return [(ws.title, cell) for ws in book.worksheets for row in ws.iter_rows() for cell in row]


def test_xlsx_text_is_text_never_a_formula():
    """Names, staff, subprojects, indicators, Communicatie and Lessons learned that start with
    '=' (or read like an Excel error value) stay text; figures stay numbers."""
    from tests.hostile import HOSTILE

    texts = {("Uren", "Medewerker"): "#N/A", ("Acties", "Lessons learned"): "=1+1\x01\x0b"}
    q2, partner = _hostile_reports(text=lambda tab, column, old: texts.get((tab, column), HOSTILE))
    for data in (exports.quarter_report_xlsx(q2), exports.partner_statement_xlsx(partner),
                 exports.partner_statement_xlsx(partner, 2)):
        cells = _cells(data)
        assert not [(sheet, c.coordinate, c.value) for sheet, c in cells if c.data_type == "f"]
        texts_seen = {c.value for _, c in cells if c.data_type == "s"}
        assert any(isinstance(v, str) and v.startswith("=HYPERLINK(") for v in texts_seen)
        assert not [c.value for _, c in cells if c.data_type == "e"]
    book = openpyxl.load_workbook(io.BytesIO(exports.quarter_report_xlsx(q2)))
    subprojects = list(book["Deelprojecten"].iter_rows(min_row=2, values_only=True))
    assert subprojects[0][0].startswith("=HYPERLINK(") and subprojects[0][1] == HOSTILE
    assert subprojects[0][2] == 37.5 / 100                      # Voortgang: still a number
    lessons = [r[-1] for r in book["Effectmeting en lessen"].iter_rows(min_row=2, values_only=True)]
    assert "=1+1 " in lessons         # a control character: a space (the sheet text is trimmed)
    months = book["Uren per maand"]
    assert months.cell(1, 2).value.startswith("=HYPERLINK(") and months.cell(1, 2).data_type == "s"
    statement = openpyxl.load_workbook(io.BytesIO(exports.partner_statement_xlsx(partner)))
    assert statement["Afrekening"]["A1"].value.startswith(f"Afrekening {HOSTILE} (=HYPERLINK(")
    people = list(statement.worksheets[2].iter_rows(min_row=2, values_only=True))
    assert {p[0] for p in people} == {"#N/A"}


def test_csv_fields_that_excel_would_evaluate_get_an_apostrophe():
    import csv

    q2, partner = _hostile_reports()
    rows = list(csv.reader(io.StringIO(exports.partner_statement_csv(partner).decode("utf-8-sig")),
                           delimiter=";"))
    assert rows[1][2].startswith("'=HYPERLINK(") and rows[1][3].startswith("'=HYPERLINK(")
    for row in rows:
        for field in row:
            assert not field.startswith(("=", "+", "@", "\t", "\r")), field
            assert not field.startswith("-") or field[1:].replace(",", "").isdigit(), field
    assert rows[1][4:] == ["7,5", "7,5", "0", "45,50", "341,25"]  # Q1 DP1: figures untouched


@pytest.mark.parametrize("value, field", [
    ("=1+1", "'=1+1"), ("+32 2 123", "'+32 2 123"), ("-x", "'-x"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\tcmd", "'\tcmd"), ("\r=1", "'\r=1"), ("-3,5", "-3,5"), ("+12.5", "+12.5"), ("1.234,50", "1.234,50"),
    ("a=b", "a=b"), ("", "")], ids=repr)
def test_csv_field_rule(value, field):
    from baz_data.escaping import csv_field

    assert csv_field(value) == field


def _pdf_text(data: bytes) -> tuple[PdfReader, str]:
    reader = PdfReader(io.BytesIO(data))
    return reader, "\n".join(p.extract_text() or "" for p in reader.pages)


def test_pdf_shows_tags_in_the_title_and_text_literally_and_reads_no_file():
    """A spreadsheet title or lesson with <img src> or <a href> shows as typed: the PDF holds no
    image but the charts, no link, and nothing of the named file."""
    from pathlib import Path

    title = '<img src="/etc/hostname"/> & <a href="file:///etc/passwd">wachtwoorden</a> <b'
    tag = '<img src="/etc/hostname" width="100" height="100"/><link href="file:///etc/passwd">x</link>'
    q2, _ = _hostile_reports(title=title, text=tag)
    reader, text = _pdf_text(exports.quarter_report_pdf(q2))
    flat = "".join(text.split())
    assert "".join(title.split()) in flat and "".join(tag.split()) in flat
    assert not reader.pages[0].images                    # the title page: text only
    assert sum(len(p.images) for p in reader.pages) == 3  # the three charts, nothing else
    assert not [p for p in reader.pages if "/Annots" in p]  # no link of any kind
    hostname = Path("/etc/hostname").read_text().strip()
    if len(hostname) > 3:
        assert hostname not in text
    assert "root:" not in text


def test_pdf_of_very_long_text_wraps_and_breaks_across_pages(tmp_path):
    """A lesson of 20.000 characters, and one word of 20.000 characters, in the table of
    lessons and as a subproject's name: the PDF is made and holds every character."""
    lesson = ("Deze les is lang. " * 1200)[:20_000]
    word = "W" * 20_000
    texts = {("Acties", "Lessons learned"): lesson, ("Acties", "Communicatie"): word,
             ("Deelprojecten", "Naam"): word}
    q2, _ = _hostile_reports(text=lambda tab, column, old: texts.get((tab, column), old),
                             code="", title="testwerkboek")
    data = exports.quarter_report_pdf(q2)
    reader, text = _pdf_text(data)
    assert len(reader.pages) > 10
    flat = "".join(text.split())
    assert flat.count("W" * 1000) >= 3 * 20                 # three 20.000-W cells, all there
    assert flat.count("Dezelesislang.") >= 2 * 1100          # both lessons (A1 and A2), whole
    (tmp_path / "lang.pdf").write_bytes(data)


def test_pdf_columns_are_never_squeezed_to_nothing():
    """A code just too wide to be 'short' next to a 20.000-character name: both columns keep
    room (the code once got less than its padding, and the PDF failed)."""
    frame = pd.DataFrame({"Deelproject": ["Een deelproject met een lange code"], "Naam": ["W" * 20_000],
                          "Voortgang": ["50%"]})
    widths = exports._column_widths(frame.columns, frame, 700.0)
    assert sum(widths) == pytest.approx(700.0)
    assert min(widths) > 40 and widths[2] < widths[0] <= widths[1]
