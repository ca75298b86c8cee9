"""Downloads opened the way their readers open them: Excel with openpyxl, the PDF's text with
pypdf, the CSV as Excel in Belgium reads it. Figures as in tests/test_reports.py."""
import datetime as dt
import io

import openpyxl
import pandas as pd
import pytest
from pypdf import PdfReader

from baz_data import exports, pdf_layout, reports
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
    assert wb.sheetnames == ["Titel", "Kerncijfers", "Deelprojecten", "Doelstellingen",
                             "Acties per status", "Te laat", "Indicatoren", "Uren en vergoeding",
                             "Budget per post", "Partners", "Effectmeting en lessons learned",
                             "Uren per maand", "Woordenlijst"]
    lines = [(r[0].value, r[1].value) for r in wb["Titel"].iter_rows(min_row=3)]
    assert lines[:4] == [
        ("Periode", "Q2 2021 (01/04/2021 – 30/06/2021)"),
        ("Peildatum", "30/06/2021, de laatste dag van het kwartaal"),   # chosen: 01/07/2021
        ("Gemaakt op", "2 juli 2021"), ("Bron", "testwerkboek · gegevens van 01/07/2021 00:00")]
    assert [v for _, v in lines[5:8]] == q2.summary_lines() and lines[5][0] == "Samenvatting"
    assert wb["Titel"]["A1"].value == "Kwartaaloverzicht Q2 2021 — BurgersAanZet"
    glossary = [r[0] for r in wb["Woordenlijst"].iter_rows(min_row=2, values_only=True)]
    assert {"Vergoed", "Boven budget (uren)", "Verstreken", "Aggregatie"} <= set(glossary)


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
    learning = list(wb["Effectmeting en lessons learned"].iter_rows(min_row=2, values_only=True))
    assert [r[2] for r in learning] == ["A1", "A2"]


# -- PDF -----------------------------------------------------------------------------------------
def test_pdf_title_page(pdf_pages):
    _, pages = pdf_pages
    first = pages[0]
    for text in ("Kwartaaloverzicht Q2 2021", "01/04/2021 – 30/06/2021",
                 "peildatum 30/06/2021, de laatste dag van het kwartaal",
                 "Gemaakt op 2 juli 2021", "Bron: testwerkboek"):
        assert text in first


def test_pdf_tables_have_belgian_figures(pdf_pages):
    _, pages = pdf_pages
    text = "\n".join(pages[1:])
    for figure in ("€ 313,75", "€ 655,00", "€ 488,33", "€ 1.121,60", "€ 633,27", "€ 666,60",
                   "19,5", "94%", "55%", "Vroeg starten", "Nieuwsbrief"):
        assert figure in text, figure
    assert "313.75" not in text and "655.0" not in text
    assert ("Kwartaaloverzicht Q2 2021 · 01/04/2021 – 30/06/2021 · peildatum 30/06/2021"
            in pages[1])  # footer


def test_pdf_embeds_the_charts(pdf_pages):
    reader, pages = pdf_pages
    assert "In één oogopslag" in pages[1]
    assert len(reader.pages[1].images) == 3   # progress, hours per month, budget use


def test_pdf_without_history_says_so_in_one_sentence(pdf_pages):
    _, pages = pdf_pages
    assert ("De voortgang per week ontbreekt: de geschiedenis van de sheets is niet "
            "beschikbaar.") in pages[1]


def _progress(weeks: list[dt.date]):
    """progress_history as the app gives it: the base data stored at the end of each of
    ``weeks`` (unchanged, so every point is Q2's progress: DP1 37,5 %, DP2 25 %)."""
    from baz_data.progress_history import SUBPROJECT, plan_deadlines, progress_by_week, \
        progress_view

    ds = dataset_of(base_tabs())
    return progress_view(progress_by_week([(week, ds) for week in weeks], 2021),
                         plan_deadlines(ds, 2021), SUBPROJECT)


def test_pdf_has_the_progress_per_week_from_the_history(q2):
    """Three week ends stored (20/06, 27/06 and 30/06/2021, the peildatum): a fourth chart on
    the charts page, the sentence under it names the first week; the same bytes every time."""
    progress = _progress([D(2021, 6, 20), D(2021, 6, 27), D(2021, 6, 30)])
    assert progress[0]["Voortgang"].tolist() == [37.5, 25.0] * 3
    data = exports.quarter_report_pdf(q2, progress)
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages[1].images) == 4   # progress, hours, budget use, progress per week
    text = " ".join(reader.pages[1].extract_text().split())
    assert ("Voortgang per week: op het einde van elke week vanaf 20/06/2021, zoals de sheets "
            "toen stonden") in text
    assert "ontbreekt" not in text
    assert exports.quarter_report_pdf(q2, progress) == data


@pytest.mark.parametrize("weeks, sentence", [
    ([], "De voortgang per week ontbreekt: de geschiedenis heeft nog geen stand uit 2021 tot en "
         "met 30/06/2021."),
    ([D(2021, 6, 30)], "De geschiedenis telt nog maar één week (vanaf 30/06/2021): de lijn "
                       "verschijnt zodra er twee weken bewaard zijn."),
], ids=["nothing-stored-in-the-year", "one-week"])
def test_pdf_with_too_short_a_history_has_a_sentence_not_a_chart(q2, weeks, sentence):
    reader = PdfReader(io.BytesIO(exports.quarter_report_pdf(q2, _progress(weeks))))
    assert len(reader.pages[1].images) == 3
    assert sentence in " ".join(reader.pages[1].extract_text().split())


def test_pdf_of_an_empty_year_says_so():
    report = reports.quarter_report(dataset_of(base_tabs()), 2022, 1, D(2022, 3, 31),
                                    generated=D(2022, 4, 1))
    reader = PdfReader(io.BytesIO(exports.quarter_report_pdf(report)))
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert "Er zijn nog geen uren of voortgang geregistreerd in 2022." in text
    assert "Geen gegevens voor deze periode." in text


# -- PDF of a past quarter: it stands on its own ------------------------------------------------
@pytest.fixture(scope="module")
def q3():
    """Q3 2021 chosen on 01/12/2021: a past quarter, so everything counts at 30/09/2021 (see
    tests/test_reports.py): A1 92 and A4 91 days late, 1 h in Q3, 21,5 h and € 688,33 through Q3
    of a € 1.321,60 Personeel budget."""
    return reports.quarter_report(dataset_of(base_tabs()), 2021, 3, D(2021, 12, 1),
                                  generated=D(2021, 12, 1))


@pytest.fixture(scope="module")
def q3_pages(q3):
    reader = PdfReader(io.BytesIO(exports.quarter_report_pdf(q3)))
    return [page.extract_text() for page in reader.pages]


def cells(text: str) -> list[str]:
    """pypdf gives each table cell (and each paragraph line) on its own line."""
    return [line.strip() for line in text.split("\n") if line.strip()]


def flat(text: str) -> str:
    return "".join(text.split())


def section(pages: list[str], title: str, following: str) -> list[str]:
    """The cells from a section heading up to a later heading (a word that is no column
    header in between)."""
    found = cells("\n".join(pages))
    start = found.index(title)
    return found[start + 1:found.index(following, start + 1)]


def total_cells(found: list[str], width: int) -> list[str]:
    """The ``width`` cells of the (last) Totaal row, Totaal itself first."""
    at = len(found) - 1 - found[::-1].index("Totaal")
    return found[at:at + width]


def test_pdf_page_one_has_the_key_figures_and_the_summary(q3, q3_pages):
    first = q3_pages[0]
    for label, value, note in q3.key_figures():
        assert label in first and value in first and note in first, label
    assert [value for _, value, _ in q3.key_figures()] == ["1,0 uur", "€ 688,33", "75%", "2"]
    for line in q3.summary_lines():
        assert flat(line) in flat(first), line
    # the subprojects, each line and its total, as the report has them
    found = cells(first)
    assert found[found.index("DP1"):found.index("DP1") + 11] == [
        "DP1", "BAZ voor iedereen", "38%", "3", "1", "2", "1,0", "20,5", "€ 655,00", "€ 655,00",
        "100%"]
    assert total_cells(found, 10) == ["Totaal", "–", "4", "1", "2", "1,0", "21,5", "€ 688,33",
                                      "€ 1.321,60", "52%"]   # Naam of a total is empty


@pytest.mark.parametrize("title, following, table", [
    ("Deelprojecten", "Acties per status", "subprojects"),  # Doelstellingen (no total) between
    ("Acties per status", "Indicatoren", "action_status"),  # Te laat (no total) between
    ("Uren en vergoeding", "Budget per post", "hours"),
    ("Budget per post", "Partners", "budget"),
    ("Partners", "Effectmeting en lessons learned", "partners"),
], ids=lambda v: v if isinstance(v, str) and " " not in v else None)
def test_pdf_totals_rows_are_the_sums_of_the_lines(q3, q3_pages, title, following, table):
    """The Totaal row printed under each table is what summing the printed table gives: money
    and counts summed, hours summed (one number of decimals per table), shares recomputed."""
    frame = getattr(q3, table)
    total = {}
    for header in frame.columns:
        kind = reports.column_kind(header)
        if kind in (reports.MONEY, reports.COUNT):
            total[header] = int(frame[header].sum())
        elif kind == reports.HOURS:
            total[header] = float(frame[header].sum())
    ratio = {"hours": ("Vergoed cumulatief", "Budget"), "budget": ("Besteed cumulatief", "Budget")}
    if table in ratio:
        part, whole = ratio[table]
        total["Budgetgebruik"] = total[part] / total[whole] * 100
        total["Verstreken"] = 273 / 365 * 100
    decimals = reports.hour_decimals(frame)
    # a share without parts to recompute it from (Voortgang) shows '–'; text stays empty
    expected = [reports.format_value(h, total.get(h), decimals) for h in frame.columns
                if h in total or reports.column_kind(h) != reports.TEXT]
    printed = section(q3_pages, title, following)
    row = total_cells(printed, 1 + len(expected))
    assert row == ["Totaal"] + expected


def test_pdf_hours_in_a_table_have_one_number_of_decimals(q3_pages):
    printed = section(q3_pages, "Partners", "Effectmeting en lessons learned")
    atk = printed[printed.index("ATK"):printed.index("ATK") + 10]
    # Uren kwartaal 0, Uren cumulatief 14,5, Vergoed uren 11, Boven budget 3,5: all one decimal
    assert [atk[2], atk[4], atk[5], atk[6]] == ["0,0", "14,5", "11,0", "3,5"]


def test_pdf_lists_the_late_actions_with_who_and_days_late(q3, q3_pages):
    printed = section(q3_pages, "Te laat", "Indicatoren")
    intro = "Acties met een deadline vóór 30/09/2021 die niet Afgerond of Geannuleerd zijn"
    assert flat(intro) in flat(" ".join(printed))
    a1 = printed[printed.index("A1"):printed.index("A1") + 10]
    assert a1 == ["A1", "Lerend netwerk", "An", "ATK", "30/06/2021", "92", "Lopend", "50%", "DP1",
                  "SD1"]
    a4 = printed[printed.index("A4"):printed.index("A4") + 10]
    assert (a4[2], a4[5]) == ("Cas", "91")


def test_pdf_has_a_glossary(q3_pages):
    last = q3_pages[-1]
    assert "Woordenlijst" in last
    for term in ("Vergoed", "Boven budget (uren)", "Verstreken", "Aggregatie", "Peildatum",
                 "Te laat", "Resterend"):
        assert term in cells(last), term


def test_pdf_names_its_date_and_never_repeats_its_heading(q3, q3_pages):
    text = "\n".join(q3_pages)
    assert "Q3 2021 · Q3 2021" not in text and "2021 · Q3" not in text
    for line in cells(text):
        assert line.count("Q3 2021") <= 1, line
    assert cells(q3_pages[0]).count("Kwartaaloverzicht Q3 2021") == 1    # the title, once
    for page in q3_pages:                                                # the footer names it
        assert "peildatum 30/09/2021, de laatste dag van het kwartaal" in page
    assert "01/12/2021" not in text.replace("Gemaakt op 1 december 2021", "")  # chosen date unused


def test_pdf_is_the_same_for_the_same_report(q3):
    assert exports.quarter_report_pdf(q3) == exports.quarter_report_pdf(q3)


def test_quarter_xlsx_has_the_totals_and_late_actions_of_the_pdf(q3):
    wb = openpyxl.load_workbook(io.BytesIO(exports.quarter_report_xlsx(q3)))
    hours = sheet_rows(wb["Uren en vergoeding"])["Totaal"]
    assert (hours["Uren kwartaal"].value, hours["Uren cumulatief"].value) == (1, 21.5)
    assert (hours["Vergoed cumulatief"].value, hours["Budget"].value) == (688.33, 1321.60)
    assert hours["Budgetgebruik"].value == pytest.approx(68833 / 132160)
    assert hours["Budget"].font.bold and hours["Budget"].number_format == "€ #,##0.00"
    key = sheet_rows(wb["Kerncijfers"])
    assert (key["Totaal"]["Te laat"].value, key["Totaal"]["Acties"].value) == (2, 4)
    late = sheet_rows(wb["Te laat"])
    assert (late["A1"]["Dagen te laat"].value, late["A1"]["Verantwoordelijke"].value) == (92, "An")
    assert late["A1"]["Deadline"].number_format == "DD/MM/YYYY"
    partners = sheet_rows(wb["Partners"])["Totaal"]
    assert (partners["Vergoed uren"].value, partners["Boven budget"].value) == (16, 5.5)
    title = {r[0].value: r[1].value for r in wb["Titel"].iter_rows(min_row=3, max_row=6)}
    assert title["Peildatum"] == "30/09/2021, de laatste dag van het kwartaal"


def test_xlsx_writes_te_laat_as_ja_or_a_dash():
    """A yes/no Te laat (an action's) is 'ja' or '–' in Excel, as on screen and in the PDF; a
    count of late actions stays a number."""
    wb = openpyxl.Workbook()
    frame = pd.DataFrame({"ID": ["A1", "A2"], "Te laat": [True, False]})
    exports._write_table(wb.active, frame)
    assert [c.value for c in wb.active["B"]] == ["Te laat", "ja", "–"]
    counts = pd.DataFrame({"Deelproject": ["DP1"], "Te laat": [3]})
    exports._write_table(wb.active, counts, first_row=5)
    assert wb.active["B6"].value == 3 and wb.active["B6"].number_format == "#,##0"


# -- partner statement ---------------------------------------------------------------------------
def test_partner_statement_xlsx(atk):
    wb = openpyxl.load_workbook(io.BytesIO(exports.partner_statement_xlsx(atk, 2)))
    ws = wb["Afrekening"]
    assert ws["A1"].value == "Afrekening ATK vzw (ATK) — Q2 2021"
    rows = list(ws.iter_rows(min_row=3, values_only=True))
    assert rows == [
        ("Jaar", "Kwartaal", "Regel", "Partner", "Deelproject", "Uren", "Vergoed uren",
         "Boven budget", "Uurtarief", "Bedrag"),
        (2021, "Q2", "uren van Q2", "ATK", "DP1", 6, 2.5, 3.5, 45.5, 113.75),
        (2021, "Q2", "uren van Q2", "ATK", "DP2", 0.5, 0.5, 0, 33.33, 16.66),
        ("Totaal", None, None, None, None, 6.5, 3, 3.5, None, 130.41)]
    assert ws["J4"].number_format == "€ #,##0.00" and ws["F4"].number_format == "#,##0.00"
    assert wb.sheetnames == ["Afrekening", "Per deelproject 2021", "Per medewerker 2021"]
    year = openpyxl.load_workbook(io.BytesIO(exports.partner_statement_xlsx(atk)))["Afrekening"]
    assert year["A1"].value == "Afrekening ATK vzw (ATK) — 2021"
    assert year.cell(year.max_row, 10).value == 488.33


def test_partner_statement_csv_for_excel_in_belgium(atk):
    data = exports.partner_statement_csv(atk, 2)
    assert data.startswith(b"\xef\xbb\xbf")   # UTF-8 BOM
    assert data.decode("utf-8-sig").split("\r\n") == [
        "Jaar;Kwartaal;Regel;Partner;Deelproject;Uren;Vergoed uren;Boven budget;Uurtarief;Bedrag",
        "2021;Q2;uren van Q2;ATK;DP1;6;2,5;3,5;45,50;113,75",
        "2021;Q2;uren van Q2;ATK;DP2;0,5;0,5;0;33,33;16,66",
        "Totaal;;;;;6,5;3;3,5;;130,41",
        ""]


def test_partner_statement_of_a_partner_without_budget():
    ekc = reports.partner_report(without_budget_dataset(), "EKC", 2021)
    text = exports.partner_statement_csv(ekc).decode("utf-8-sig")
    assert "2021;Q3;uren van Q3;EKC;DP1;3;0;3;;0,00" in text   # no Personeel line: no rate
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
    lessons = [r[-1] for r in book["Effectmeting en lessons learned"].iter_rows(min_row=2,
                                                                               values_only=True)]
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
    assert rows[1][3].startswith("'=HYPERLINK(") and rows[1][4].startswith("'=HYPERLINK(")
    for row in rows:
        for field in row:
            assert not field.startswith(("=", "+", "@", "\t", "\r")), field
            assert not field.startswith("-") or field[1:].replace(",", "").isdigit(), field
    assert rows[1][5:] == ["7,5", "7,5", "0", "45,50", "341,25"]  # Q1 DP1: figures untouched


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
    widths = pdf_layout.column_widths(frame.columns, frame, 700.0)
    assert sum(widths) == pytest.approx(700.0)
    assert min(widths) > 40 and widths[2] < widths[0] <= widths[1]
