"""The workbook contract: which tabs exist and which columns each carries.

Partners see the Dutch header names; code uses the same names as DataFrame columns
(they are the words people use in meetings, so translating them would only add a mapping).
"""
from __future__ import annotations

from dataclasses import dataclass

# Column kinds; parsing.py knows how to read each of them.
TEXT = "text"        # free text, kept as typed (stripped)
CODE = "code"        # a reference code, compared without case or surrounding spaces
DATE = "date"
NUMBER = "number"    # a decimal number (target and measured values)
HOURS = "hours"      # a number of hours; a time or duration cell (4:00) counts as hours
MONEY = "money"      # euros, rounded half-up to the cent
RATE = "rate"        # euros per hour, kept exactly as typed (45,555)
PERCENT = "percent"  # 0-100, also "50%" or 0.5
INT = "int"          # a year
# Kinds whose meaning depends on the cell's number format (a percent, a time): sources that
# know formats only need to report them for these columns.
FORMAT_KINDS = frozenset({PERCENT, HOURS, NUMBER})


@dataclass(frozen=True)
class Column:
    name: str                # the Dutch header partners see
    field: str               # the English column name in the model's DataFrames
    kind: str = TEXT
    required: bool = True


@dataclass(frozen=True)
class Table:
    tab: str
    columns: tuple[Column, ...]
    # Header names that identify a row across versions of the sheet (the history matches rows
    # by them); () means the tab has no key and rows are matched by their whole content.
    key: tuple[str, ...] = ()

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    @property
    def required_names(self) -> list[str]:
        return [c.name for c in self.columns if c.required]

    def kind_of(self, name: str) -> str:
        return next(c.kind for c in self.columns if c.name == name)

    @property
    def format_columns(self) -> list[str]:
        """Header names of the columns whose cells' number formats change their meaning."""
        return [c.name for c in self.columns if c.kind in FORMAT_KINDS]


def _t(tab: str, *cols: Column, key: tuple[str, ...] = ()) -> Table:
    return Table(tab, cols, key)


C = Column
PARTNERS = _t("Partners", C("Code", "code", CODE), C("Naam", "name"), C("Contact", "contact", required=False),
               key=("Code",))
DEELPROJECTEN = _t(
    "Deelprojecten",
    C("Jaar", "year", INT), C("Code", "code", CODE), C("Naam", "name"), C("Trekker", "lead", CODE, required=False),
    C("Projectverantwoordelijke", "manager", required=False), key=("Jaar", "Code"),
)
DOELSTELLINGEN = _t(
    "Doelstellingen",
    C("Jaar", "year", INT), C("Code", "code", CODE), C("Deelproject", "subproject", CODE), C("Omschrijving", "description", required=False),
    key=("Jaar", "Code"),
)
ACTIES = _t(
    "Acties",
    C("ID", "id", CODE), C("Doelstelling", "goal", CODE), C("Actie", "title"), C("Trekker", "lead", CODE, required=False),
    C("Verantwoordelijke", "owner", required=False), C("Start", "start", DATE, required=False),
    C("Deadline", "deadline", DATE, required=False), C("Status", "status", CODE), C("Voortgang", "progress", PERCENT, required=False),
    C("Communicatie", "communication", required=False), C("Effectmeting", "effect", required=False),
    C("Lessons learned", "lessons", required=False), C("Laatst bijgewerkt", "updated", DATE, required=False),
    key=("ID",),
)
UREN = _t(
    "Uren",
    C("Datum", "date", DATE), C("Partner", "partner", CODE), C("Medewerker", "person", required=False), C("Deelproject", "subproject", CODE),
    C("Actie", "action", CODE, required=False), C("Uren", "hours", HOURS), C("Omschrijving", "description", required=False),
)
BEGROTING = _t(
    "Begroting",
    C("Jaar", "year", INT), C("Deelproject", "subproject", CODE), C("Partner", "partner", CODE, required=False), C("Post", "post"),
    C("Uren", "hours", HOURS, required=False), C("Uurtarief", "rate", RATE, required=False),
    C("Bedrag", "amount", MONEY, required=False), key=("Jaar", "Deelproject", "Partner", "Post"),
)
UITGAVEN = _t(
    "Uitgaven",
    C("Datum", "date", DATE), C("Deelproject", "subproject", CODE), C("Partner", "partner", CODE, required=False), C("Post", "post"),
    C("Bedrag", "amount", MONEY), C("Omschrijving", "description", required=False),
)
INDICATOREN = _t(
    "Indicatoren",
    C("Jaar", "year", INT), C("ID", "id", CODE), C("Doelstelling", "goal", CODE), C("Indicator", "name"),
    C("Streefwaarde", "target", NUMBER, required=False), C("Aggregatie", "aggregation", CODE),
    key=("ID",),
)
METINGEN = _t(
    "Metingen",
    C("Datum", "date", DATE), C("Indicator", "indicator", CODE), C("Waarde", "value", NUMBER), C("Opmerking", "note", required=False),
)
GEBRUIKERS = _t(
    "Gebruikers",
    C("E-mail", "email", CODE), C("Rol", "role", CODE), C("Partner", "partner", CODE, required=False),
    key=("E-mail",),
)

TABLES: dict[str, Table] = {
    t.tab: t
    for t in (PARTNERS, DEELPROJECTEN, DOELSTELLINGEN, ACTIES, UREN, BEGROTING, UITGAVEN,
              INDICATOREN, METINGEN, GEBRUIKERS)
}
TAB_NAMES: list[str] = list(TABLES)
# Tabs the app itself writes (statement_tab.py): never read into the model, never a schema
# problem, left alone by init-sheet.
STATEMENT_TAB = "Afrekeningen"
APP_TABS: tuple[str, ...] = (STATEMENT_TAB,)

# Closed vocabularies, in the spelling shown to users.
STATUSES = ("Gepland", "Lopend", "Afgerond", "Uitgesteld", "Geannuleerd")
DONE, CANCELLED = "Afgerond", "Geannuleerd"
AGGREGATIONS = ("som", "laatste")
ROLES = ("stuurgroep", "baziel", "partner")
STAFF_POST = "Personeel"
