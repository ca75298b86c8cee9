"""Sheet text made harmless where it is written out: on screen (Markdown), in the PDF
(reportlab's paragraph markup), in Excel (a cell) and in the CSV (a field).

Anyone who can edit the spreadsheet can type anything in a cell, and every viewer — partners,
stuurgroep — reads it. The contract of this module: what a sheet editor typed is always shown
*literally*, never as markup, a link, an image, a formula or a file reference. View-models keep the
raw values; these functions are called only at the moment text is written out (pages and
``ui``, ``exports``). Pure functions, no Streamlit, no openpyxl, no reportlab: every rule is tested
on its own (tests/test_escaping.py).

Error policy: nothing here raises on odd input. ``None`` becomes the empty text, anything else is
``str()``-ed; characters a format cannot hold (control characters in XML) become a space.
"""
from __future__ import annotations

import re
import string
from xml.sax.saxutils import escape as _xml_escape

# -- Markdown (st.markdown, titles, captions, alerts, labels, metric values, st.table cells) ------
# CommonMark lets a backslash escape every ASCII punctuation character, and an escaped character is
# plain text: no emphasis, link, image, HTML tag, entity, heading, list, code, Streamlit directive
# (:red[…], :material/…:) or LaTeX ($…$) can start from it.
_PUNCTUATION = frozenset(string.punctuation)
# Streamlit's GFM autolinks are found by a regular expression over the *parsed* text, after the
# backslashes are gone (mdast-util-gfm-autolink-literal: "https://…", "www.…", "a@b.c"). An
# invisible word joiner inside each trigger breaks the match and shows the same characters.
WORD_JOINER = "\u2060"
_AUTOLINK_TRIGGERS = [
    re.compile(r"\\:(?=\\/)"),                   # https://, file://, any ://
    re.compile(r"www(?=\\\.)", re.IGNORECASE),    # www.evil.example
    re.compile(r"\\@"),                          # an e-mail address
]
# Line breaks and other control characters: a new line could open a block (a heading, a list, a
# quote); in a name or a label a line break means nothing, so it becomes a space.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def _text(value) -> str:
    return "" if value is None else str(value)


def markdown(value) -> str:
    """``value`` as Markdown that Streamlit shows character for character (line breaks and
    control characters as spaces)."""
    text = _CONTROL.sub(" ", _text(value))
    out = "".join("\\" + ch if ch in _PUNCTUATION else ch for ch in text)
    for trigger in _AUTOLINK_TRIGGERS:
        out = trigger.sub(lambda m: m.group(0) + WORD_JOINER, out)
    return out


# -- PDF (reportlab Paragraph markup) -------------------------------------------------------------
# A Paragraph reads a small XML dialect: <img src>, <a href>, <link>, <font>, entities. With & < >
# escaped there is no tag and no entity left, so nothing can make reportlab read a file or a URL.
# Control characters are not XML; line breaks become <br/>, so a long note keeps its lines.
_PDF_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def pdf(value) -> str:
    """``value`` as the text of a reportlab Paragraph, shown literally."""
    text = _text(value).replace("\r\n", "\n").replace("\r", "\n")
    text = _PDF_CONTROL.sub(" ", text).replace("\t", " ")
    return _xml_escape(text).replace("\n", "<br/>")


# -- Excel (openpyxl) -----------------------------------------------------------------------------
# openpyxl stores a str that starts with '=' as a formula ("=HYPERLINK(…)" would work in the
# stuurgroep's Excel) and one like '#N/A' as an error; the cell's type must be set to string
# explicitly. XML cannot hold most control characters (openpyxl refuses them), and Excel holds at
# most 32.767 characters in a cell.
XLSX_MAX_CHARS = 32_767
_XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_text(value) -> str:
    """Text any XML can hold (an Excel cell, a chart's SVG): forbidden characters as spaces."""
    return _XML_ILLEGAL.sub(" ", _text(value))


def xlsx_text(value) -> str:
    """Text an Excel cell can hold."""
    return xml_text(value)[:XLSX_MAX_CHARS]


def xlsx_cell(cell, value) -> None:
    """Put ``value`` in an openpyxl cell: text always as text (type 's', never a formula or an
    error value); numbers, dates and None as they are."""
    if isinstance(value, str):
        cell.value = xlsx_text(value)
        cell.data_type = "s"
    else:
        cell.value = value


# -- CSV ------------------------------------------------------------------------------------------
# OWASP "CSV injection": a field starting with = + - @ tab or carriage return is a formula to
# Excel; a leading apostrophe makes it text. A number such as -3,5 stays a number.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:[.,]\d+)*|[.,]\d+)")


def csv_field(value) -> str:
    """``value`` as a CSV field Excel will not evaluate."""
    text = _text(value)
    if text.startswith(_FORMULA_START) and not _NUMBER.fullmatch(text):
        return "'" + text
    return text
