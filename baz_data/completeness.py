"""Which figures are incomplete because a tab (or a required column) is missing from the sheets.

A renamed or deleted tab is not an error anyone sees on their own page: its rows simply are not
there, and a partner reads "€ 0,00, nog geen uren geregistreerd". This module turns the loader's
whole-tab problems into a Dutch notice that names the tab and the figures that depend on it, for
a banner on every page and for every role (partners too: whole-tab problems carry no row's data,
so baz_data.access leaves them in a partner's Dataset).

It reads only ``Dataset.problems``, the way the loader reports shape problems (baz_data.load):

* a missing tab: a problem on that tab without row and column;
* a missing required column: an error on row 1 (the header row) naming a required column of the
  schema; the tab's rows then do not count, which is as incomplete as a missing tab.

Error policy: none; anything else in the problems is ignored here (Datakwaliteit lists it all).
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .problems import ERROR
from .schema import TABLES

# What depends on each tab, as the pages name it (Dutch, lower case, to follow "onvolledig:").
AFFECTED: dict[str, str] = {
    "Partners": "partners, uren, vergoedingen en budgetgebruik",
    "Deelprojecten": "deelprojecten, doelstellingen, acties, uren en budget",
    "Doelstellingen": "doelstellingen, acties, voortgang en indicatoren",
    "Acties": "acties, voortgang en te late acties",
    "Uren": "uren, vergoedingen en budgetgebruik",
    "Begroting": "budget, vergoedingen en budgetgebruik",
    "Uitgaven": "uitgaven en budgetgebruik",
    "Indicatoren": "indicatoren en hun metingen",
    "Metingen": "metingen van de indicatoren",
    "Gebruikers": "wie toegang heeft tot het dashboard",
}
HEADER_ROW = 1


@dataclass(frozen=True)
class MissingTab:
    """A tab whose rows do not count: missing altogether, or missing required columns."""

    tab: str
    columns: tuple[str, ...] = ()      # missing required columns; () = the whole tab is missing

    @property
    def affects(self) -> str:
        return AFFECTED.get(self.tab, "alles wat ervan afhangt")

    @property
    def message(self) -> str:
        """One Dutch sentence: what is missing and which figures are incomplete."""
        if self.columns:
            names = ", ".join(f"'{c}'" for c in self.columns)
            kolom = "de verplichte kolom" if len(self.columns) == 1 else "de verplichte kolommen"
            what = f"In tabblad '{self.tab}' ontbreekt {kolom} {names}"
        else:
            what = f"Tabblad '{self.tab}' ontbreekt in de spreadsheet (hernoemd of verwijderd?)"
        return f"{what}: {self.affects} zijn onvolledig."


def missing_tabs(problems: pd.DataFrame) -> list[MissingTab]:
    """The schema tabs whose rows do not count, in schema order (module docstring)."""
    if problems.empty:
        return []
    errors = problems[problems["severity"] == ERROR]
    no_row = errors["row"].isna()
    gone = set(errors[no_row & errors["column"].isna()]["tab"])
    header = errors[errors["row"].eq(HEADER_ROW).fillna(False).astype(bool)]
    found = []
    for tab, table in TABLES.items():
        if tab in gone:
            found.append(MissingTab(tab))
            continue
        required = table.required_names
        columns = [c for c in header[header["tab"] == tab]["column"] if c in required]
        if columns:
            found.append(MissingTab(tab, tuple(dict.fromkeys(columns))))
    return found


def incomplete_notice(problems: pd.DataFrame) -> str | None:
    """The banner text for every page, or None when every tab is there."""
    found = missing_tabs(problems)
    if not found:
        return None
    lines = [m.message for m in found]
    head = "**De cijfers zijn onvolledig.** "
    tail = (" Zet de naam van het tabblad of de kolom terug zoals in de handleiding, of vraag "
            "het aan wie de spreadsheet beheert.")
    if len(lines) == 1:
        return head + lines[0] + tail
    return head + tail.strip() + "\n\n" + "\n".join(f"- {line}" for line in lines)
