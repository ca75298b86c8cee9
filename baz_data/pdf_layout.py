"""Building blocks of the PDF downloads (reportlab): styles, report tables, charts as images.

Contract: :func:`table` turns a report frame (reports/: Dutch headers, numeric values) into a
wrapped, striped reportlab table of Belgian strings, with an optional bold Totaal row and an
optional colour swatch per row (the colour the charts give that code, charts.category_colors);
hours in one table, its total included, have one number of decimals (reports.formatted). :func:`chart_grid` lays
out Altair charts rendered by charts.chart_png.

Sheet text reaches a Paragraph only through :func:`escaping.pdf`: tags show as typed, nothing is
read from a file or an address. Error policy: any text length is laid out (cells wrap, and a row
taller than a page continues on the next one); an empty frame becomes the sentence
"Geen gegevens voor deze periode.".
"""
from __future__ import annotations

import io

import pandas as pd

from . import charts, escaping, reports
from .reports import COUNT, HOURS, MONEY, NUMBER, PERCENT, PLAIN

NUMERIC = {MONEY, HOURS, PERCENT, COUNT, NUMBER, PLAIN}
FONT_SIZE = 7.5
HEADER_FILL, STRIPE_FILL, RULE = "#DDEBF7", "#F5F7FA", "#8EA9C1"
EMPTY_TEXT = "Geen gegevens voor deze periode."


def styles():
    from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet

    base = getSampleStyleSheet()
    cell = {"parent": base["Normal"], "fontSize": FONT_SIZE, "leading": 9}
    return {
        "title": ParagraphStyle("baz-title", parent=base["Title"], fontSize=22, leading=26,
                                alignment=0, spaceAfter=2),
        "subtitle": ParagraphStyle("baz-subtitle", parent=base["Normal"], fontSize=11,
                                   leading=15, spaceAfter=10),
        "h1": ParagraphStyle("baz-h1", parent=base["Heading1"], fontSize=16, spaceBefore=6,
                             keepWithNext=1),
        "h2": ParagraphStyle("baz-h2", parent=base["Heading2"], fontSize=12, spaceBefore=8,
                             spaceAfter=4, keepWithNext=1),
        "body": base["Normal"],
        "summary": ParagraphStyle("baz-summary", parent=base["Normal"], fontSize=10, leading=14,
                                  spaceAfter=3, leftIndent=10, bulletIndent=0),
        "small": ParagraphStyle("baz-small", parent=base["Normal"], fontSize=8, leading=10,
                                textColor="#555555"),
        "figure_label": ParagraphStyle("baz-figure-label", parent=base["Normal"], fontSize=9,
                                       leading=11, textColor="#555555"),
        "figure": ParagraphStyle("baz-figure", parent=base["Normal"], fontName="Helvetica-Bold",
                                 fontSize=16, leading=20),
        "cell": ParagraphStyle("baz-cell", **cell),
        "num": ParagraphStyle("baz-num", alignment=2, **cell),
        "head": ParagraphStyle("baz-head", fontName="Helvetica-Bold", **cell),
        "head_num": ParagraphStyle("baz-head-num", fontName="Helvetica-Bold", alignment=2, **cell),
    }


def column_widths(headers, shown: pd.DataFrame, width: float) -> list[float]:
    """Columns get the width of their longest text when they all fit (so codes and figures never
    wrap). Otherwise the columns that fit in an equal share keep their width and the long-text
    columns share what is left equally, again and again: no column is ever squeezed to nothing,
    however long another column's text is (a name of 20.000 characters)."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    padding = 14.0  # the table's default cell padding is 6 pt on each side
    natural = [max([stringWidth(str(h), "Helvetica-Bold", FONT_SIZE)]
                   + [stringWidth(v, "Helvetica", FONT_SIZE) for v in shown[h]]) + padding
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


def table(frame: pd.DataFrame, width: float, sheet, total: dict | None = None,
          swatches: dict[str, str] | None = None, empty_text: str = EMPTY_TEXT):
    """A report frame as a table; ``total`` adds a bold Totaal row under a rule; ``swatches``
    (code -> colour) colours the first column's cell edge of each row with its chart colour."""
    from reportlab.lib import colors
    from reportlab.platypus import Paragraph, Table, TableStyle

    if frame.empty:
        return Paragraph(escaping.pdf(empty_text), sheet["body"])
    rows = frame
    if total is not None:
        rows = pd.concat([frame, pd.DataFrame([{h: total.get(h) for h in frame.columns}],
                                              columns=frame.columns)], ignore_index=True)
    # One number of decimals for the hours of a table, the total included ('12,0' and '19,5').
    shown = reports.formatted(rows)
    numeric = [reports.column_kind(h) in NUMERIC for h in frame.columns]
    widths = column_widths(frame.columns, shown, width)
    head = [Paragraph(escaping.pdf(h), sheet["head_num"] if n else sheet["head"])
            for h, n in zip(frame.columns, numeric)]
    last = len(shown) - 1 if total is not None else -1
    body = [[Paragraph(escaping.pdf(v), sheet[("head_num" if n else "head") if r == last
                                              else ("num" if n else "cell")])
             for v, n in zip(row, numeric)] for r, row in enumerate(shown.itertuples(index=False))]
    # splitInRow: a row taller than a page (a lesson of 20.000 characters) continues on the next
    # page instead of failing the whole PDF with a LayoutError.
    grid = Table([head] + body, colWidths=widths, repeatRows=1, splitInRow=1)
    style = [
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor(HEADER_FILL)),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor(STRIPE_FILL)]),
        ("LINEBELOW", (0, 0), (-1, 0), 0.6, colors.HexColor(RULE)),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]
    if total is not None:
        style += [("LINEABOVE", (0, -1), (-1, -1), 0.8, colors.HexColor(RULE)),
                  ("BACKGROUND", (0, -1), (-1, -1), colors.HexColor(HEADER_FILL))]
    for r, code in enumerate(frame.iloc[:, 0], start=1):
        if swatches and str(code) in swatches:
            style.append(("LINEBEFORE", (0, r), (0, r), 5, colors.HexColor(swatches[str(code)])))
    grid.setStyle(TableStyle(style))
    return grid


def chart(graph, max_width: float, max_height: float):
    from reportlab.lib.utils import ImageReader
    from reportlab.platypus import Image

    png = charts.chart_png(graph)
    w, h = ImageReader(io.BytesIO(png)).getSize()
    scale = min(max_width / w, max_height / h)
    return Image(io.BytesIO(png), width=w * scale, height=h * scale)


def chart_grid(graphs: list, width: float, height: float) -> list:
    """Charts two by two, so they fit on one page."""
    from reportlab.platypus import Table, TableStyle

    rows = [graphs[i:i + 2] for i in range(0, len(graphs), 2)]
    cell_h = height / len(rows)
    out = []
    for row in rows:
        cell_w = width / len(row)
        images = [chart(g, cell_w - 6, cell_h - 6) for g in row]
        grid = Table([images], colWidths=[cell_w] * len(row))
        grid.setStyle(TableStyle([("ALIGN", (0, 0), (-1, -1), "CENTER"),
                                  ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
        out.append(grid)
    return out
