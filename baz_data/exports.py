"""Downloads: the quarter report as Excel and PDF, a partner's statement as Excel and CSV.

Every file is made from the same view-model the page shows (reports.py), so screen and file agree.
Excel gets real numbers with number formats (money in euros '€ #,##0.00', hours '#,##0.00', dates
'DD/MM/YYYY'), so Excel in any language shows and sums them; the PDF gets the Belgian strings of
:func:`reports.formatted`; the CSV is for Excel in Belgium: ';' between fields, decimal commas,
UTF-8 with a byte-order mark.

Sheet text is written out through :mod:`escaping` only: every text cell in Excel is a string (never
a formula), a CSV field that Excel would evaluate gets a leading apostrophe, and PDF paragraphs
hold no markup from a sheet. Free text of any length wraps and breaks across PDF pages.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import pandas as pd

from . import charts, escaping, reports
from .formatting import fmt_date, fmt_long_date, fmt_plain_number
from .reports import (COUNT, DATE, HOURS, MONEY, MONTH, NUMBER, PERCENT, PLAIN, PartnerReport,
                      QuarterReport, is_missing)

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


def quarter_sections(report: QuarterReport) -> list[tuple[str, pd.DataFrame]]:
    """(title, table) of the quarter report, in reading order; the Excel sheets and PDF sections."""
    return [
        ("Deelprojecten", report.subprojects),
        ("Doelstellingen", report.goals),
        ("Acties per status", report.action_status),
        ("Indicatoren", report.indicators),
        ("Uren en vergoeding", report.hours),
        ("Budget per post", report.budget),
        ("Partners", report.partners),
        ("Effectmeting en lessen", report.learning),
    ]


def _title_lines(report: QuarterReport) -> list[tuple[str, str]]:
    return [("Periode", report.period_label), ("Peildatum", fmt_date(report.peildatum)),
            ("Gemaakt op", fmt_long_date(report.generated)), ("Bron", report.source)]


def quarter_report_xlsx(report: QuarterReport) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = "Titel"
    escaping.xlsx_cell(ws["A1"], f"{report.title} — BurgersAanZet")
    ws["A1"].font = Font(bold=True, size=14)
    for r, (label, value) in enumerate(_title_lines(report), start=3):
        escaping.xlsx_cell(ws.cell(r, 1), label)
        ws.cell(r, 1).font = Font(bold=True)
        escaping.xlsx_cell(ws.cell(r, 2), value)  # Bron: the spreadsheet's own title
    ws.column_dimensions["A"].width, ws.column_dimensions["B"].width = 14, 60
    for title, frame in quarter_sections(report):
        _write_table(wb.create_sheet(title), frame)
    wide = _monthly_wide(report.monthly_hours)
    _write_table(wb.create_sheet("Uren per maand"), wide,
                 kinds={c: HOURS for c in wide.columns if c != "Maand"})
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
_NUMERIC = {MONEY, HOURS, PERCENT, COUNT, NUMBER, PLAIN}
_FONT_SIZE = 7.5


def _pdf_styles():
    from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet

    base = getSampleStyleSheet()
    return {
        "title": ParagraphStyle("baz-title", parent=base["Title"], fontSize=26, leading=32,
                                spaceAfter=18),
        "subtitle": ParagraphStyle("baz-subtitle", parent=base["Normal"], fontSize=14, leading=20,
                                   alignment=1),
        "h1": ParagraphStyle("baz-h1", parent=base["Heading1"], fontSize=16, spaceBefore=6,
                             keepWithNext=1),
        "body": base["Normal"],
        "cell": ParagraphStyle("baz-cell", parent=base["Normal"], fontSize=_FONT_SIZE, leading=9),
        "num": ParagraphStyle("baz-num", parent=base["Normal"], fontSize=_FONT_SIZE, leading=9,
                              alignment=2),
        "head": ParagraphStyle("baz-head", parent=base["Normal"], fontName="Helvetica-Bold",
                               fontSize=_FONT_SIZE, leading=9),
        "head_num": ParagraphStyle("baz-head-num", parent=base["Normal"],
                                   fontName="Helvetica-Bold", fontSize=_FONT_SIZE, leading=9,
                                   alignment=2),
    }


def _column_widths(headers, shown: pd.DataFrame, width: float) -> list[float]:
    """Columns get the width of their longest text when they all fit (so codes and figures never
    wrap). Otherwise the columns that fit in an equal share keep their width and the long-text
    columns share what is left equally, again and again: no column is ever squeezed to nothing,
    however long another column's text is (a name of 20.000 characters)."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    padding = 14.0  # the table's default cell padding is 6 pt on each side
    natural = [max([stringWidth(str(h), "Helvetica-Bold", _FONT_SIZE)]
                   + [stringWidth(v, "Helvetica", _FONT_SIZE) for v in shown[h]]) + padding
               for h in headers]
    if sum(natural) <= width:
        return [w * width / sum(natural) for w in natural]
    widths: list[float] = list(natural)
    left, room = list(range(len(natural))), width
    while left:
        fair = room / len(left)
        fits = [i for i in left if natural[i] <= fair]
        if not fits:
            for i in left:
                widths[i] = fair
            break
        room -= sum(natural[i] for i in fits)
        left = [i for i in left if i not in fits]
    return widths


def _pdf_table(frame: pd.DataFrame, width: float, styles):
    """A report frame as a wrapped, striped table of Belgian-formatted strings."""
    from reportlab.lib import colors
    from reportlab.platypus import Paragraph, Table, TableStyle

    if frame.empty:
        return Paragraph("Geen gegevens voor deze periode.", styles["body"])
    shown = reports.formatted(frame)
    numeric = [reports.column_kind(h) in _NUMERIC for h in frame.columns]
    widths = _column_widths(frame.columns, shown, width)
    head = [Paragraph(escaping.pdf(h), styles["head_num"] if n else styles["head"])
            for h, n in zip(frame.columns, numeric)]
    body = [[Paragraph(escaping.pdf(v), styles["num"] if n else styles["cell"])
             for v, n in zip(row, numeric)] for row in shown.itertuples(index=False)]
    # splitInRow: a row taller than a page (a lesson of 20.000 characters) continues on the next
    # page instead of failing the whole PDF with a LayoutError.
    table = Table([head] + body, colWidths=widths, repeatRows=1, splitInRow=1)
    table.setStyle(TableStyle([
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#DDEBF7")),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#F5F7FA")]),
        ("LINEBELOW", (0, 0), (-1, 0), 0.6, colors.HexColor("#8EA9C1")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]))
    return table


def _pdf_chart(chart, max_width: float, max_height: float):
    from reportlab.lib.utils import ImageReader
    from reportlab.platypus import Image

    png = charts.chart_png(chart)
    w, h = ImageReader(io.BytesIO(png)).getSize()
    scale = min(max_width / w, max_height / h)
    return Image(io.BytesIO(png), width=w * scale, height=h * scale)


def _pdf_chart_grid(graphs: list, width: float, height: float) -> list:
    """Charts two by two, so the overview fits on one page."""
    from reportlab.platypus import Table, TableStyle

    rows = [graphs[i:i + 2] for i in range(0, len(graphs), 2)]
    cell_h = height / len(rows)
    out = []
    for row in rows:
        cell_w = width / len(row)
        images = [_pdf_chart(g, cell_w - 6, cell_h - 6) for g in row]
        table = Table([images], colWidths=[cell_w] * len(row))
        table.setStyle(TableStyle([("ALIGN", (0, 0), (-1, -1), "CENTER"),
                                   ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
        out.append(table)
    return out


def quarter_report_pdf(report: QuarterReport) -> bytes:
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.units import cm
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer

    styles = _pdf_styles()
    buffer = io.BytesIO()
    page = landscape(A4)
    doc = SimpleDocTemplate(buffer, pagesize=page, leftMargin=1.5 * cm, rightMargin=1.5 * cm,
                            topMargin=1.5 * cm, bottomMargin=1.5 * cm, title=report.title,
                            author="BAZ-dashboard", lang="nl-BE",
                            invariant=1)  # no creation time or random ID: same report, same bytes
    width = page[0] - 3 * cm

    def footer(canvas, doc_) -> None:
        canvas.saveState()
        canvas.setFont("Helvetica", 8)
        canvas.drawString(1.5 * cm, 0.8 * cm, f"{report.title} · {report.period_label}")
        canvas.drawRightString(page[0] - 1.5 * cm, 0.8 * cm, f"pagina {doc_.page}")
        canvas.restoreState()

    story = [Spacer(1, 4 * cm), Paragraph(escaping.pdf(report.title), styles["title"]),
             Paragraph("BurgersAanZet — stuurgroep", styles["subtitle"]), Spacer(1, 1 * cm)]
    story += [Paragraph(f"<b>{escaping.pdf(label)}:</b> {escaping.pdf(value)}", styles["subtitle"])
              for label, value in _title_lines(report)]
    story.append(PageBreak())
    graphs = charts.quarter_charts(report)
    if graphs:
        story.append(Paragraph("In één oogopslag", styles["h1"]))
        story += _pdf_chart_grid(graphs, width, page[1] - 6 * cm)
        story.append(PageBreak())
    else:
        story.append(Paragraph(f"Er zijn nog geen uren of voortgang geregistreerd in "
                               f"{report.year}.", styles["body"]))
    for title, frame in quarter_sections(report):
        story += [Paragraph(escaping.pdf(title), styles["h1"]), _pdf_table(frame, width, styles),
                  Spacer(1, 0.5 * cm)]
    doc.build(story, onFirstPage=lambda c, d: None, onLaterPages=footer)
    return buffer.getvalue()
