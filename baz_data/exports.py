"""Downloads: the quarter report as Excel and PDF, a partner's statement as Excel and CSV.

Every file is made from the same view-model the page shows (baz_data/reports/), so
screen and file agree, at the same peildatum. The quarter PDF stands on its own for a stuurgroep
member who did not open the app: page 1 has the key figures, three sentences and the subprojects
with a total; then the charts (the screen's colours), every table with its Totaal row, the late
actions with their days late, and a glossary. The Excel file holds the same tables and totals as
numbers. The charts page of the PDF also has the progress per week per subproject from the
history when the caller passes it (the app and ``python -m baz_data export`` do when a history
store is there), and otherwise one sentence that the history is not available.
Excel gets real numbers with number formats (money in euros '€ #,##0.00', hours '#,##0.00', dates
'DD/MM/YYYY'), so Excel in any language shows and sums them; the PDF gets the Belgian strings of
:func:`reports.formatted`; the CSV is for Excel in Belgium: ';' between fields, decimal commas,
UTF-8 with a byte-order mark.

Sheet text is written out through :mod:`escaping` only: every text cell in Excel is a string (never
a formula), a CSV field that Excel would evaluate gets a leading apostrophe, and PDF paragraphs
hold no markup from a sheet. Free text of any length wraps and breaks across PDF pages
(pdf_layout.py). Error policy: a file is always made; an empty table becomes a sentence.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import numpy as np
import pandas as pd

from . import charts, escaping, pdf_layout, reports
from .formatting import fmt_date, fmt_long_date, fmt_plain_number
from .reports import (COUNT, DATE, GLOSSARY, HOURS, MONEY, MONTH, NUMBER, PERCENT, PLAIN,
                      PartnerReport, QuarterReport, is_missing)

XLSX_FORMATS = {
    MONEY: "€ #,##0.00", HOURS: "#,##0.00", PERCENT: "0%", DATE: "DD/MM/YYYY", MONTH: "MM/YYYY",
    COUNT: "#,##0", PLAIN: "0",
}  # NUMBER (targets, measurements) keeps Excel's General format: 70,7 and 30, not "30,"


def _excel_value(kind: str, value):
    """A report value as the number (or date) Excel should hold: money in euros, % as a fraction."""
    if is_missing(value):
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, (bool, np.bool_)):
        return "ja" if value else "–"  # Te laat, as on screen and in the PDF
    if kind == MONEY:
        return float(Decimal(int(value)) / 100)
    if kind == PERCENT:
        return float(value) / 100
    if kind in (DATE, MONTH):
        return value.date() if isinstance(value, pd.Timestamp) else value
    if kind in (COUNT, PLAIN):
        return int(value)
    if kind in (HOURS, NUMBER):
        return float(value)
    return value if isinstance(value, (int, float, bool, dt.date)) else str(value)


# -- Excel ---------------------------------------------------------------------------------------
def _write_table(ws, frame: pd.DataFrame, first_row: int = 1, kinds: dict[str, str] | None = None,
                 total: dict[str, object] | None = None) -> None:
    """A report frame as an Excel table: bold header, typed cells, widths to fit, header frozen."""
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    kinds = kinds or {}
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
    for c, header in enumerate(frame.columns, start=1):
        cell = ws.cell(first_row, c)
        escaping.xlsx_cell(cell, str(header))  # a subproject code heads a column of Uren per maand
        cell.font, cell.fill = bold, fill
    rows = [list(r) for r in frame.itertuples(index=False)]
    if total is not None:
        rows.append([total.get(h) for h in frame.columns])
    for r, values in enumerate(rows, start=first_row + 1):
        for c, (header, value) in enumerate(zip(frame.columns, values), start=1):
            kind = kinds.get(header, reports.column_kind(header))
            cell = ws.cell(r, c)
            escaping.xlsx_cell(cell, _excel_value(kind, value))
            if kind in XLSX_FORMATS:
                cell.number_format = XLSX_FORMATS[kind]
            if total is not None and r == first_row + len(rows):
                cell.font = bold
    for c, header in enumerate(frame.columns, start=1):
        longest = max([len(str(header))] + [len(reports.format_value(header, v))
                                             for v in frame.iloc[:, c - 1]])
        ws.column_dimensions[get_column_letter(c)].width = min(max(10, longest + 2), 60)
    ws.freeze_panes = ws.cell(first_row + 1, 1)


def _workbook_bytes(wb) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _monthly_wide(monthly: pd.DataFrame) -> pd.DataFrame:
    """Months down, subprojects across: how the accounts read hours per month."""
    if monthly.empty:
        return pd.DataFrame({"Maand": []})
    wide = monthly.pivot_table(index="Maand", columns="Deelproject", values="Uren", aggfunc="sum",
                               fill_value=0.0)
    wide.columns = [str(c) for c in wide.columns]
    return wide.reset_index()


def quarter_sections(report: QuarterReport) -> list[tuple[str, pd.DataFrame, dict | None]]:
    """(title, table, Totaal row or None) of the quarter report in reading order: the Excel sheets
    and the PDF sections (QuarterReport.sections)."""
    return report.sections()


def _title_lines(report: QuarterReport) -> list[tuple[str, str]]:
    return [("Periode", report.period_label),
            ("Peildatum", f"{fmt_date(report.peildatum)}{report.as_of_reason}"),
            ("Gemaakt op", fmt_long_date(report.generated)), ("Bron", report.source)] + [
        (label, text) for label, text in (("Afgesloten", report.closed_note),
                                          ("Correcties", report.correction_note)) if text]


def quarter_report_xlsx(report: QuarterReport) -> bytes:
    """Titel (period, peildatum, source, the summary), Kerncijfers, one sheet per section with its
    Totaal row, Uren per maand, Woordenlijst: the PDF's content as numbers."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    ws = wb.active
    ws.title = "Titel"
    escaping.xlsx_cell(ws["A1"], f"{report.title} — BurgersAanZet")
    ws["A1"].font = Font(bold=True, size=14)
    lines = _title_lines(report) + [("", "")] + [
        ("Samenvatting" if i == 0 else "", line) for i, line in enumerate(report.summary_lines())]
    for r, (label, value) in enumerate(lines, start=3):
        escaping.xlsx_cell(ws.cell(r, 1), label)
        ws.cell(r, 1).font = Font(bold=True)
        escaping.xlsx_cell(ws.cell(r, 2), value)  # Bron and the summary hold sheet text
        ws.cell(r, 2).alignment = Alignment(wrap_text=True, vertical="top")
    ws.column_dimensions["A"].width, ws.column_dimensions["B"].width = 14, 100
    _write_table(wb.create_sheet("Kerncijfers"), report.key, total=report.totals["key"])
    for title, frame, total in quarter_sections(report):
        _write_table(wb.create_sheet(title), frame, total=total)
    wide = _monthly_wide(report.monthly_hours)
    _write_table(wb.create_sheet("Uren per maand"), wide,
                 kinds={c: HOURS for c in wide.columns if c != "Maand"})
    glossary = pd.DataFrame(list(GLOSSARY), columns=["Woord", "Betekenis"])
    _write_table(wb.create_sheet("Woordenlijst"), glossary)
    return _workbook_bytes(wb)

def _statement_title(report: PartnerReport, quarter: int | None) -> str:
    period = f"Q{quarter} {report.year}" if quarter else str(report.year)
    return f"Afrekening {report.name} ({report.partner}) — {period}"


def partner_statement_xlsx(report: PartnerReport, quarter: int | None = None) -> bytes:
    """The statement lines (one per subproject and quarter) with a total; the year per
    subproject and per person on the next sheets."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = "Afrekening"
    escaping.xlsx_cell(ws["A1"], _statement_title(report, quarter))
    ws["A1"].font = Font(bold=True, size=14)
    lines = report.statement_for(quarter)
    _write_table(ws, lines, first_row=3, total=report.statement_total(quarter))
    if report.empty_message:
        escaping.xlsx_cell(ws.cell(len(lines) + 6, 1), report.empty_message)
    _write_table(wb.create_sheet(f"Per deelproject {report.year}"), report.by_subproject)
    _write_table(wb.create_sheet(f"Per medewerker {report.year}"), report.by_person)
    return _workbook_bytes(wb)


# -- CSV -----------------------------------------------------------------------------------------
def _csv_value(header: str, value) -> str:
    kind = reports.column_kind(header)
    if is_missing(value):
        return ""
    if isinstance(value, str):
        return value
    if kind == MONEY:
        return fmt_plain_number(Decimal(int(value)) / 100, 2, fixed=True)
    if kind in (HOURS, NUMBER):
        return fmt_plain_number(value, 4)
    if kind == PERCENT:
        return fmt_plain_number(value, 2)
    if kind == DATE:
        return fmt_date(value)
    return str(int(value)) if kind in (COUNT, PLAIN) else str(value)


def partner_statement_csv(report: PartnerReport, quarter: int | None = None) -> bytes:
    """The statement lines and their total, for Excel in Belgium: ';', decimal comma, BOM."""
    lines = report.statement_for(quarter)
    total = report.statement_total(quarter)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    rows = [list(lines.columns)]
    rows += [[_csv_value(h, v) for h, v in zip(lines.columns, row)]
             for row in lines.itertuples(index=False)]
    rows.append([_csv_value(h, total.get(h)) for h in lines.columns])
    writer.writerows([[escaping.csv_field(field) for field in row] for row in rows])
    return out.getvalue().encode("utf-8-sig")


# -- PDF -----------------------------------------------------------------------------------------
def _key_figure_boxes(report: QuarterReport, width: float, sheet):
    """The four key figures side by side, each with its explanation."""
    from reportlab.lib import colors
    from reportlab.platypus import Paragraph, Table, TableStyle

    items = report.key_figures()
    cells = [[Paragraph(escaping.pdf(label), sheet["figure_label"]),
              Paragraph(escaping.pdf(value), sheet["figure"]),
              Paragraph(escaping.pdf(note), sheet["small"])] for label, value, note in items]
    boxes = Table([cells], colWidths=[width / len(items)] * len(items))
    boxes.setStyle(TableStyle([
        ("BOX", (0, 0), (-1, -1), 0.6, colors.HexColor(pdf_layout.RULE)),
        ("INNERGRID", (0, 0), (-1, -1), 0.6, colors.HexColor(pdf_layout.RULE)),
        ("BACKGROUND", (0, 0), (-1, -1), colors.HexColor(pdf_layout.STRIPE_FILL)),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 6), ("BOTTOMPADDING", (0, 0), (-1, -1), 6)]))
    return boxes


def _first_page(report: QuarterReport, width: float, sheet) -> list:
    """Page 1 stands on its own: what, when, the key figures, three sentences, per subproject."""
    from reportlab.platypus import Paragraph, Spacer

    swatches = charts.category_colors(report.subprojects["Deelproject"])
    story = [Paragraph(escaping.pdf(report.title), sheet["title"]),
             Paragraph(escaping.pdf(f"BurgersAanZet — stuurgroep · {report.subtitle}"),
                       sheet["subtitle"]),
             *[Paragraph(escaping.pdf(text), sheet["summary"])
               for text in (report.closed_note, report.correction_note) if text],
             _key_figure_boxes(report, width, sheet), Spacer(1, 8),
             Paragraph("Samenvatting", sheet["h2"])]
    story += [Paragraph(escaping.pdf(line), sheet["summary"], bulletText="•")
              for line in report.summary_lines()]
    story += [Paragraph("Per deelproject", sheet["h2"]),
              pdf_layout.table(report.key, width, sheet, total=report.totals["key"],
                               swatches=swatches,
                               empty_text=f"Voor {report.year} staan er nog geen deelprojecten "
                                          "in de sheets."),
              Spacer(1, 8),
              Paragraph(escaping.pdf(f"Gemaakt op {fmt_long_date(report.generated)} · Bron: "
                                     f"{report.source}"), sheet["small"])]
    return story


def _section(report: QuarterReport, title: str, frame: pd.DataFrame, total, width: float,
             sheet) -> list:
    from reportlab.platypus import Paragraph, Spacer

    story = [Paragraph(escaping.pdf(title), sheet["h1"])]
    if frame is report.late:
        story.append(Paragraph(escaping.pdf(
            f"Acties met een deadline vóór {fmt_date(report.peildatum)} die niet Afgerond of "
            f"Geannuleerd zijn; dagen te laat geteld op {fmt_date(report.peildatum)}."),
            sheet["body"]))
        story.append(Spacer(1, 4))
        empty = f"Op {fmt_date(report.peildatum)} is geen enkele actie te laat."
    else:
        empty = pdf_layout.EMPTY_TEXT
    swatches = (charts.category_colors(report.subprojects["Deelproject"])
                if "Deelproject" in frame.columns[:1] else None)
    story += [pdf_layout.table(frame, width, sheet, total=total, swatches=swatches,
                               empty_text=empty), Spacer(1, 14)]
    return story


def _glossary(width: float, sheet) -> list:
    from reportlab.platypus import Paragraph, Table, TableStyle

    rows = [[Paragraph(f"<b>{escaping.pdf(term)}</b>", sheet["body"]),
             Paragraph(escaping.pdf(meaning), sheet["body"])] for term, meaning in GLOSSARY]
    grid = Table(rows, colWidths=[0.2 * width, 0.8 * width])
    grid.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                              ("BOTTOMPADDING", (0, 0), (-1, -1), 4)]))
    return [Paragraph("Woordenlijst", sheet["h1"]), grid]


def progress_part(report: QuarterReport, progress) -> tuple[object | None, str]:
    """(the chart of progress per week per subproject or None, the sentence under the charts)
    from ``progress``: (lines, deadlines) of progress_history.progress_view at the subproject
    level up to the report's peildatum, or None when the history is not available."""
    from .history_charts import progress_lines
    from .progress_history import SUBPROJECT, short_history

    if progress is None:
        return None, ("De voortgang per week ontbreekt: de geschiedenis van de sheets is niet "
                      "beschikbaar.")
    lines, deadlines = progress
    if lines.empty:
        return None, (f"De voortgang per week ontbreekt: de geschiedenis heeft nog geen stand "
                      f"uit {report.year} tot en met {fmt_date(report.peildatum)}.")
    short = short_history(lines, SUBPROJECT)
    if short:
        return None, short
    first = pd.Timestamp(lines["Week"].min()).date()
    chart = progress_lines(lines, deadlines, by="Deelproject",
                           title=f"Voortgang per week per deelproject tot en met "
                                 f"{fmt_date(report.peildatum)}",
                           codes=report.subprojects["Deelproject"])
    return chart, (f"Voortgang per week: op het einde van elke week vanaf {fmt_date(first)}, "
                   "zoals de sheets toen stonden (uit de geschiedenis van het dashboard); de "
                   "streepjes onderaan zijn de deadlines van de acties.")


def quarter_report_pdf(report: QuarterReport, progress=None) -> bytes:
    """Page 1: key figures, summary and the subprojects with a total; then the charts (with
    the progress per week per subproject from the history: ``progress``, see
    :func:`progress_part`; without it a sentence says the history is not available), every
    section (with its Totaal row), the late actions and a glossary. Landscape A4."""
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.units import cm
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate

    sheet = pdf_layout.styles()
    buffer = io.BytesIO()
    page = landscape(A4)
    # invariant: the same report gives the same bytes (no creation date or random file ID).
    doc = SimpleDocTemplate(buffer, pagesize=page, leftMargin=1.5 * cm, rightMargin=1.5 * cm,
                            topMargin=1.5 * cm, bottomMargin=1.5 * cm, title=report.title,
                            author="BAZ-dashboard", lang="nl-BE",
                            invariant=1)  # no creation time or random ID: same report, same bytes
    width = page[0] - 3 * cm
    footer_text = f"{report.title} · {report.subtitle}"

    def footer(canvas, doc_) -> None:
        canvas.saveState()
        canvas.setFont("Helvetica", 8)
        canvas.drawString(1.5 * cm, 0.8 * cm, footer_text)
        canvas.drawRightString(page[0] - 1.5 * cm, 0.8 * cm, f"pagina {doc_.page}")
        canvas.restoreState()

    story = _first_page(report, width, sheet) + [PageBreak()]
    graphs = charts.quarter_charts(report)
    progress_chart, progress_note = progress_part(report, progress)
    note = Paragraph(escaping.pdf(progress_note), sheet["small"])
    if graphs or progress_chart is not None:
        graphs = graphs + ([progress_chart] if progress_chart is not None else [])
        story.append(Paragraph("In één oogopslag", sheet["h1"]))
        story += pdf_layout.chart_grid(graphs, width, page[1] - 7 * cm)
        story += [note, PageBreak()]
    else:
        story += [Paragraph(f"Er zijn nog geen uren of voortgang geregistreerd in "
                            f"{report.year}.", sheet["body"]), note]
    for title, frame, total in quarter_sections(report):
        story += _section(report, title, frame, total, width, sheet)
    story += _glossary(width, sheet)
    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()
