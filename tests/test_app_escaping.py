"""What a sheet editor types cannot attack a viewer (issue 9), through the app in AppTest.

Every page and every download of a workbook whose every free-text and code cell (and the
spreadsheet's title) holds hostile text: Markdown images and links, HTML, bare URLs, Streamlit
directives, LaTeX, formulas, control characters, very long text. Checked: no exception; no live
markup in anything Streamlit draws as Markdown (titles, captions, alerts, labels, metric values and
help, tabs, expanders, page links, st.table cells); no formula in an Excel download, no CSV field
Excel would evaluate, a PDF that builds; and a partner still sees nothing of another partner.

The same for Weekoverleg's "Wat veranderde" and its deletion alarms, over a history of two
stored states whose hostile text differs (action titles, responsibles, a status, person names,
partner codes in the alarms; tests/hostile.py record_hostile_history), and for "Zoals op" the
older state.

First with one fixed hostile string (tests/hostile.py), then with Hypothesis-generated text
(bounded for CI; BAZ_FUZZ_SCALE=10 runs ten times as many examples, see README).
"""
from __future__ import annotations

import csv
import io
import itertools
import time
from pathlib import Path

import openpyxl
import pytest
import streamlit as st
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as hs
from streamlit.testing.v1 import AppTest

import ui
from app_state import Held
from baz_data import access, reports
from baz_data.escaping import markdown as md
from tests.app_support import APP, isolated, page, record_downloads  # noqa: F401  (fixtures)
from tests.hostile import (HOSTILE, OLD_TAKEN, examples, hostile_change, hostile_dataset,
                           hostile_raw, live_markup, record_hostile_history)
from tests.test_app_access import assert_no_leak, auth_section, file_text, sent, write_secrets

PAGES = ["overzicht", "weekoverleg", "kwartaaloverzicht", "uren_per_partner", "doelstellingen",
         "datakwaliteit", "begrotingsevaluatie"]
PARTNER_EMAIL = "an@example.org"   # conftest's Gebruikers: a partner user of (hostile) ATK
_runs = itertools.count()


@pytest.fixture
def downloads(monkeypatch):
    """A function that returns the (file name, bytes) of the download buttons drawn since it was
    last called, made as a click would make them (once per file name)."""
    seen = record_downloads(monkeypatch)

    def take() -> list[tuple[str, bytes]]:
        files = {name: data() if callable(data) else data for name, data in seen}
        seen.clear()
        return list(files.items())

    return take


# -- what Streamlit draws as Markdown -------------------------------------------------------------
# Proto fields Streamlit renders with its Markdown component (st.markdown and the headings,
# captions, alerts, toasts, widget and metric labels, metric values, help tooltips, tab and
# expander labels, page links, progress texts, segmented-control options); Text and Code elements
# and selectbox options are plain text.
MARKDOWN_FIELDS = {"body", "label", "help", "text", "content"}
PLAIN_PROTOS = {"Text", "Code"}


def _nodes(node):
    yield node
    for child in getattr(node, "children", {}).values():
        yield from _nodes(child)


def _strings(message, where: str):
    if message.DESCRIPTOR.name in PLAIN_PROTOS:
        return
    for field, value in message.ListFields():
        repeated = not isinstance(value, (str, bytes)) and not hasattr(value, "ListFields") \
            and hasattr(value, "__len__")
        values = list(value) if repeated else [value]
        if field.type == field.TYPE_MESSAGE:
            for v in values:
                yield from _strings(v, f"{where}.{field.name}")
        elif field.type == field.TYPE_STRING and field.name in MARKDOWN_FIELDS:
            yield from ((f"{where}.{field.name}", v) for v in values)


def markdown_texts(at: AppTest) -> list[tuple[str, str]]:
    """(where, Markdown) of everything on the page that Streamlit renders as Markdown."""
    out = []
    for node in _nodes(at._tree):
        proto = getattr(node, "proto", None)
        if proto is not None and hasattr(proto, "ListFields"):
            out += _strings(proto, type(node).__name__)
    for i, table in enumerate(at.table):   # st.table: every cell and header is Markdown
        frame = table.value
        out += [(f"Table{i}.header", str(c)) for c in frame.columns]
        out += [(f"Table{i}.cell", str(v)) for v in frame.to_numpy().ravel()]
    return out


APP_MARKUP = [":material/lock_open:"]   # the app's own icon in its own caption
# the app's page script (lang="nl-BE", and after login the page asked for): built from constants
PAGE_SCRIPT = ui.page_script_markup().removesuffix("</script>")


def _own_markup_removed(text: str) -> str:
    if text.startswith(PAGE_SCRIPT):
        return ""
    for markup in APP_MARKUP:
        text = text.replace(markup, "")
    return text


def assert_literal(at: AppTest, where: str) -> list[tuple[str, str]]:
    assert not at.exception, (where, at.exception)
    texts = markdown_texts(at)
    live = [(w, live_markup(_own_markup_removed(t)), t[:200]) for w, t in texts
            if live_markup(_own_markup_removed(t))]
    assert not live, (where, live)
    return texts


def run_with(ds, email: str | None = None) -> AppTest:
    """The app on ``ds`` (as if just loaded), open, or logged in as ``email``."""
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["_baz_held"] = Held(ds, ("escaping", next(_runs)), time.monotonic())
    if email is not None:
        at.user = {"is_logged_in": True, "email": email, "email_verified": True, "name": "Test"}
    return at.run()


def open_every_page(at: AppTest, ds) -> list[tuple[str, str]]:
    """Every page, every tab choice that shows sheet text, every goal opened; their Markdown."""
    seen = assert_literal(at, "overzicht")
    for name in PAGES[1:]:
        at.switch_page(page(name)).run()
        seen += assert_literal(at, name)
    year, peildatum = at.session_state["baz_year"], at.session_state["baz_peildatum"]
    for sub in reports.goals_tree(ds, year, peildatum).subprojects:
        for goal in sub.goals:
            at.session_state[f"goal-{sub.code}-{goal.code}"] = True
    at.run()
    seen += assert_literal(at, "doelstellingen, alles open")
    at.switch_page(page("uren_per_partner")).run()
    for code in ds.partners["code"]:
        at.selectbox(key="partner").set_value(code).run()
        seen += assert_literal(at, "uren per partner")
    return seen


def check_files(files: list[tuple[str, bytes]]) -> None:
    """Excel without formulas, CSV without fields Excel evaluates, PDF that opens."""
    from pypdf import PdfReader

    assert files
    for name, data in files:
        if name.endswith(".xlsx"):
            book = openpyxl.load_workbook(io.BytesIO(data))
            formulas = [(ws.title, c.coordinate, c.value) for ws in book.worksheets
                        for row in ws.iter_rows() for c in row if c.data_type in ("f", "e")]
            assert not formulas, (name, formulas)
        elif name.endswith(".csv"):
            rows = csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";")
            for field in itertools.chain.from_iterable(rows):
                assert not field.startswith(("=", "+", "@", "\t", "\r")), (name, field)
                assert not field.startswith("-") or field[1:].replace(",", "").isdigit(), field
        else:
            assert name.endswith(".pdf") and len(PdfReader(io.BytesIO(data)).pages) > 2


# -- one fixed hostile workbook -------------------------------------------------------------------
def test_every_page_shows_hostile_sheet_text_literally(downloads):
    ds = hostile_dataset()
    at = run_with(ds)
    seen = open_every_page(at, ds)
    # The hostile text is there, escaped, in headings, labels, tabs and tables: not left out.
    shown = "\n".join(t for _, t in seen)
    assert md(HOSTILE) in shown and f"**{md(HOSTILE)}**" in shown   # the spreadsheet's title
    assert any(md(HOSTILE + "DP1") in t for _, t in seen)             # a subproject code
    assert any(w.startswith("Table") and t == md(HOSTILE) for w, t in seen)  # Lessons learned
    assert any(w.startswith("Tab.") for w, _ in seen) and any(w.startswith("Expander") for w, _ in seen)
    check_files(downloads())


def test_geen_toegang_shows_the_addresses_as_text_not_links():
    """Contacts come from the Gebruikers tab: shown as text, never a link; a cell that is not
    an e-mail address is an error and not shown at all."""
    from tests.conftest import base_tabs, dataset_of

    write_secrets(auth_section())
    tabs = base_tabs()
    bad = "[Klik hier om opnieuw aan te melden](https://evil.example)"
    tabs["Gebruikers"] += [["team@baz.example", "baziel", None], [bad, "baziel", None]]
    ds = dataset_of(tabs)
    at = run_with(ds, "vreemde@example.org")
    assert [t.value for t in at.title] == ["Geen toegang"]
    markdown = " ".join(t for _, t in assert_literal(at, "geen toegang"))
    assert "@" not in markdown
    text = " ".join(t.value for t in at.text)     # st.text: no Markdown, so never a link
    assert "team@baz.example" in text and "vreemde@example.org" in text
    assert "evil.example" not in text


# -- Hypothesis: any text in every cell -----------------------------------------------------------
# Pieces a sheet editor could type or paste; a cell gets a few of them glued together.
PIECES = ["![x](https://evil.example/x.png)", "[Klik hier](https://evil.example)", "<img src=x>",
          "<a href='file:///etc/passwd'>", "https://evil.example", "www.evil.example",
          "a@evil.example", "=HYPERLINK(\"https://evil\";\"x\")", "=1+1", "+32", "-x", "@SUM(A1)",
          "#N/A", ":red[x]", ":material/warning:", "$x$", "&lt;", "\\", "`", "*", "_", "|", "#",
          "\n", "\r\n", "\t", "\x00", "\x0b", "\x1b", "\u200f", "\u202e", "\u200b", "\u2060",
          "\ufeff", "😀", "👩🏽‍💻", "ﷺ", "é", "<b", "&"]
LONG = ["x" * 20_000, ("lessons learned " * 1300)[:20_000]]
cell_text = hs.lists(hs.one_of(hs.sampled_from(PIECES), hs.text(max_size=6)), min_size=1,
                     max_size=6).map("".join)
# a palette per workbook: cells cycle through it; at most one very long text
palettes = hs.tuples(hs.lists(cell_text, min_size=3, max_size=6),
                     hs.one_of(hs.none(), hs.sampled_from(LONG)))


LONG_CELLS = {("Deelprojecten", "Naam"), ("Acties", "Lessons learned"), ("Uren", "Medewerker")}


def _palette_changes(palette: list[str], long: str | None, mark: str = "") -> dict:
    """hostile_tabs' ``text`` and ``code`` for a palette: cells cycle through it (the long text
    goes to the first cell of each of LONG_CELLS); each free text keeps what it was as a marker
    ⟦old⟧, so another partner's name or staff is recognisable whatever the palette holds.
    ``mark`` is appended to every free text (an earlier state of the same workbook: the codes
    are the same, the text differs)."""
    cells = itertools.count()
    prefixes = itertools.cycle(palette)
    unused = set(LONG_CELLS) if long else set()

    def text(tab, column, old):
        new = palette[next(cells) % len(palette)]
        if (tab, column) in unused:
            unused.discard((tab, column))
            new = long
        return (new if old is None else f"{new} ⟦{old}⟧") + mark

    return {"text": text, "code": lambda old: next(prefixes)[:40]}


def _palette_dataset(palette: list[str], long: str | None, title: str):
    return hostile_dataset(title=title, **_palette_changes(palette, long))


# conftest's workbook: DOMO's name and staff, and the people of DOMO-led actions and subprojects
NOT_FOR_ATK = ["⟦Domo vzw⟧", "⟦Cas⟧", "⟦Jan⟧", "⟦Dirk⟧"]


@given(palette=palettes, title=cell_text)
@example(palette=(["<img src=\"/etc/hostname\"/>\x0b", "=HYPERLINK(\"https://evil\")\r\n",
                   "[Klik](https://evil.example) \u202e😀\u200b"], LONG[1]),
         title="<b>![x](https://evil.example/x.png)\x11")
@settings(max_examples=examples(10), deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
def test_fuzz_every_page_and_download(downloads, palette, title):
    st.cache_data.clear()
    ds = _palette_dataset(*palette, title=title)
    downloads()
    at = run_with(ds)
    open_every_page(at, ds)     # ends on DOMO's hours per person: the markers can be seen
    assert "⟦Cas⟧" in sent(at).decode("utf-8", errors="replace")
    check_files(downloads())

    # A partner user of the hostile workbook still sees nothing of the other partner.
    who = access.resolve_role(ds, PARTNER_EMAIL)
    assert who.known and who.partner == ds.partners["code"].iloc[0]
    write_secrets(auth_section())
    partner = run_with(ds, PARTNER_EMAIL)
    assert_literal(partner, "partner: overzicht")
    blobs = [sent(partner)]
    partner.switch_page(page("uren_per_partner")).run()
    assert_literal(partner, "partner: uren per partner")
    blobs.append(sent(partner))
    for i, blob in enumerate(blobs):
        assert_no_leak(blob, set(NOT_FOR_ATK), f"partner, pagina {i}")
    files = downloads()
    assert files
    for name, data in files:
        assert_no_leak(file_text(name, data), set(NOT_FOR_ATK), name)
    Path(".streamlit/secrets.toml").unlink()   # the next example starts open again


# -- hostile text that changed: Weekoverleg's "Wat veranderde" and its alarms ----------------------
def _what_changed(at: AppTest, old_state, where: str) -> list[tuple[str, str]]:
    """Weekoverleg of the new state, then "Zoals op" the old one: both literal. Every hour,
    expense and measurement row of 2021 changed its text, so there are alarms per tab, partner
    (or indicator) and month: at least one per partner."""
    from baz_data.changes_report import ACTION_CHANGE_HEADERS, HOURS_ADDED_HEADERS

    at.switch_page(page("weekoverleg")).run()
    seen = assert_literal(at, f"{where}: weekoverleg")
    assert "Wat veranderde" in [h.value for h in at.subheader]
    alarms = [e.value.replace("\\", "") for e in at.error]
    assert len(alarms) >= len(old_state.partners), alarms
    assert all("verdwenen of gewijzigd sinds 20/12/2021" in a for a in alarms), alarms
    frames = [d.value for d in at.dataframe]
    changed = next(d for d in frames if list(d.columns) == ACTION_CHANGE_HEADERS)
    assert {"Status", "Verantwoordelijke"} <= set(changed["Wat"]), changed
    added = next(d for d in frames if list(d.columns) == HOURS_ADDED_HEADERS)
    assert len(added)
    at.sidebar.date_input(key="baz_as_of").set_value(OLD_TAKEN.date()).run()
    seen += assert_literal(at, f"{where}: weekoverleg zoals op")
    assert any(i.value.startswith("**Zoals op 20/12/2021**") for i in at.info)
    return seen


def test_what_changed_and_its_alarms_show_hostile_text_literally(tmp_path, monkeypatch):
    from baz_data.changes_report import ACTION_CHANGE_HEADERS
    from baz_data.model import build_dataset

    url = f"sqlite:///{tmp_path / 'geschiedenis.sqlite3'}"
    monkeypatch.setenv("BAZ_HISTORY", url)
    old = hostile_raw(text=f"{HOSTILE} ⟦oud⟧")
    new = hostile_raw()
    record_hostile_history(url, old, new)
    at = run_with(build_dataset(hostile_change(old, new)))
    at.switch_page(page("weekoverleg")).run()
    alarms = [e.value for e in at.error]
    # the hostile partner codes are in the alarms, escaped
    assert any(md(f"{HOSTILE}ATK") in a for a in alarms) and any(md(f"{HOSTILE}DOMO") in a
                                                                   for a in alarms), alarms
    changed = next(d.value for d in at.dataframe if list(d.value.columns) == ACTION_CHANGE_HEADERS)
    assert f"{HOSTILE} ⟦oud⟧" in changed["Was"].tolist() and HOSTILE in changed["Nu"].tolist()
    assert HOSTILE in changed["Actie"].tolist()
    _what_changed(at, build_dataset(old), "vast")


@given(palette=palettes, title=cell_text)
@settings(max_examples=examples(4), deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
def test_fuzz_what_changed(tmp_path, monkeypatch, palette, title):
    """Any text, changed between two stored states: every element of "Wat veranderde", the
    alarms and "Zoals op" stays literal. A fresh history per example (the store is opened once
    per process: its cache is cleared)."""
    from baz_data.model import build_dataset

    st.cache_data.clear()
    st.cache_resource.clear()
    url = f"sqlite:///{tmp_path / f'geschiedenis-{next(_runs)}.sqlite3'}"
    monkeypatch.setenv("BAZ_HISTORY", url)
    old = hostile_raw(title, **_palette_changes(*palette, mark=" ⟦oud⟧"))
    new = hostile_raw(title, **_palette_changes(*palette))
    record_hostile_history(url, old, new)
    at = run_with(build_dataset(hostile_change(old, new)))
    _what_changed(at, build_dataset(old), "fuzz")
