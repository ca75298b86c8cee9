"""baz_data.escaping: what a sheet editor types is shown literally in Markdown, a PDF paragraph,
an Excel cell and a CSV field. Hand-picked attacks first, then Hypothesis-generated text."""
from __future__ import annotations

import html
import io
import re
import string

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from baz_data.escaping import WORD_JOINER, csv_field, markdown, pdf, xlsx_cell, xlsx_text
from tests.hostile import HOSTILE, examples, live_markup

ATTACKS = {
    "image": "![x](https://evil.example/x.png)",
    "link": "[Klik hier om opnieuw aan te melden](https://evil.example/login)",
    "reference link": "[Klik][1]\n\n[1]: https://evil.example",
    "html": '<img src="https://evil.example/y.png" onerror="alert(1)">',
    "bare url": "https://evil.example/pad",
    "www": "WWW.evil.example",
    "e-mail": "iemand@evil.example",
    "angle autolink": "<https://evil.example>",
    "colour directive": ":red[rood] :blue-background[blauw]",
    "material icon": ":material/warning: waarschuwing",
    "latex": "$x^2$ en $$\\int$$",
    "entity": "&lt;img&gt; &#60;",
    "heading": "# Kop\n## Nog een",
    "list": "1. een\n- twee",
    "code": "`code` ```blok```",
    "backslash": "\\![x](https://evil.example/x.png)",
    "everything": HOSTILE,
}

# What Streamlit shows: control characters as spaces, the word joiners invisible.
_UNESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")


def shown(md: str) -> str:
    return _UNESCAPE.sub(r"\1", md).replace(WORD_JOINER, "")


def expected(text: str) -> str:
    return re.sub(r"[\x00-\x1f\x7f-\x9f]", " ", text).replace(WORD_JOINER, "")


BLOCKS = {"heading", "list", "code"}   # harmless, but still not markup of the sheet editor's


@pytest.mark.parametrize("name, text", ATTACKS.items(), ids=ATTACKS.keys())
def test_markdown_defuses_every_attack(name, text):
    if name not in BLOCKS:
        assert live_markup(text), "the attack must be live markup, else this tests nothing"
    md = markdown(text)
    assert live_markup(md) == []
    assert not re.search(r"(?<!\\)[#`*_\-\n]", md.replace("\\\\", ""))
    assert shown(md) == expected(text)


def test_markdown_leaves_plain_words_alone():
    assert markdown("BAZ voor iedereen") == "BAZ voor iedereen"
    assert markdown("Inspireren · 50 %") == "Inspireren · 50 \\%"
    assert markdown(None) == "" and markdown(12) == "12"


# Text as a sheet editor could type it, or paste it: every Unicode class, with the characters
# Markdown, HTML, formulas and URLs are made of, right-to-left marks, zero-width characters, emoji.
SPECIAL = list(string.punctuation) + ["https://", "www.", "@", "](", "![", "<img ", ":red[",
                                      ":material/", "$", "\u200f", "\u202e", "\u200b", "\u2060",
                                      "\ufeff", "😀", "\n", "\r", "\t", "\x00", "\x1b"]
hostile_text = st.lists(st.one_of(st.text(max_size=8), st.sampled_from(SPECIAL)),
                        max_size=30).map("".join)


@given(hostile_text)
@settings(max_examples=examples(300), deadline=None)
def test_markdown_shows_any_text_literally(text):
    md = markdown(text)
    assert live_markup(md) == []
    assert shown(md) == expected(text)


@given(hostile_text)
@settings(max_examples=examples(300), deadline=None)
def test_pdf_text_has_no_tag_and_no_entity_of_its_own(text):
    out = pdf(text)
    assert not re.search(r"<(?!br/>)", out)
    assert not re.search(r"&(?!(amp|lt|gt);)", out)
    back = html.unescape(out.replace("<br/>", "\n"))
    want = re.sub(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]", " ",
                  text.replace("\r\n", "\n").replace("\r", "\n")).replace("\t", " ")
    assert back == want


@given(hostile_text)
@settings(max_examples=examples(100), deadline=None)
def test_pdf_paragraph_of_any_text_builds(text):
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    out = io.BytesIO()
    SimpleDocTemplate(out).build([Paragraph(pdf(text), getSampleStyleSheet()["Normal"])])
    assert out.getvalue().startswith(b"%PDF")


@given(hostile_text)
@settings(max_examples=examples(300), deadline=None)
def test_csv_field_never_starts_a_formula(text):
    field = csv_field(text)
    if text.startswith(("=", "+", "-", "@", "\t", "\r")):
        assert field == "'" + text or re.fullmatch(r"[+-][\d.,]+", text)
    else:
        assert field == text


@given(st.lists(hostile_text, min_size=1, max_size=5))
@settings(max_examples=examples(50), deadline=None)
def test_xlsx_cells_hold_any_text_as_text(texts):
    import openpyxl

    book = openpyxl.Workbook()
    for row, text in enumerate(texts + ["=1+1", "#N/A", "=HYPERLINK(\"https://evil\",\"x\")"],
                               start=1):
        xlsx_cell(book.active.cell(row, 1), text)
    xlsx_cell(book.active.cell(1, 2), 3.5)
    out = io.BytesIO()
    book.save(out)
    cells = [row[0] for row in openpyxl.load_workbook(out).active.iter_rows()]
    assert not [c.value for c in cells if c.data_type in ("f", "e")]  # formula, error value
    assert [c.value for c in cells[-3:]] == ["=1+1", "#N/A", "=HYPERLINK(\"https://evil\",\"x\")"]
    assert openpyxl.load_workbook(out).active["B1"].value == 3.5


def test_xlsx_text_fits_a_cell():
    assert xlsx_text("a\x00b\x0bc\nd\te") == "a b c\nd\te"
    assert len(xlsx_text("x" * 40_000)) == 32_767
