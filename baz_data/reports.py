"""View-models of the dashboard pages, shared with the downloads so screen and file always agree.

Each function takes the Dataset and the page's filters and returns a dataclass of DataFrames whose
column headers are the Dutch words shown in tables (``Deelproject``, ``Voortgang``, ``Vergoed``).
Values stay numeric: money in integer cents, hours as float hours, shares as percentages (0–100),
dates as ``datetime.date`` (None when empty). :func:`formatted` writes them the Belgian way for a
table on screen or in the PDF; the Excel export uses :func:`column_kind` for its number formats.
Every figure comes from a rule in metrics.py; nothing here decides what counts.
"""
from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from . import metrics
from .formatting import fmt_date, fmt_datetime, fmt_money, fmt_month, fmt_number, fmt_percent
from .model import Dataset
from .problems import ERROR, SEVERITY_NL, WARNING
from .schema import ACTIES

# -- column kinds: how a header's values are written -------------------------------------------
MONEY, HOURS, PERCENT, DATE, MONTH, COUNT, NUMBER, PLAIN, TEXT = (
    "money", "hours", "percent", "date", "month", "count", "number", "plain", "text")
_KINDS = {
    MONEY: ("Vergoed", "Budget", "Resterend", "Bedrag", "Uurtarief", "Besteed", "Vergoed kwartaal",
            "Vergoed cumulatief", "Besteed kwartaal", "Besteed cumulatief"),
    HOURS: ("Uren", "Vergoed uren", "Boven budget", "Uren kwartaal", "Uren cumulatief",
            "Budget uren", "Resterende uren"),
    PERCENT: ("Voortgang", "Budgetgebruik", "Verstreken", "Realisatie"),
    DATE: ("Start", "Deadline", "Laatst bijgewerkt", "Datum"),
    MONTH: ("Maand",),
    COUNT: ("Doelstellingen", "Acties", "Afgerond", "Lopend", "Gepland", "Uitgesteld",
            "Geannuleerd", "Te laat", "Totaal", "Metingen", "Dagen te laat"),
    NUMBER: ("Streefwaarde", "Gerealiseerd", "Waarde", "Stand"),
    PLAIN: ("Jaar", "Rij"),  # identifiers: 2026, not 2.026
}
COLUMN_KINDS: dict[str, str] = {header: kind for kind, headers in _KINDS.items()
                                for header in headers}
# Begrotingsevaluatie and the early warnings (baz_data/evaluation.py)
COLUMN_KINDS.update({
    "Prognose": MONEY, "Prognose laag": MONEY, "Prognose hoog": MONEY, "Verschil": MONEY,
    "Prognose uren": HOURS, "Prognose boven budget": HOURS, "Budget bereikt": DATE,
    "Ongebruikt": PERCENT,
})


def column_kind(header: str) -> str:
    return COLUMN_KINDS.get(header, TEXT)


def is_missing(value) -> bool:
    """None, NaN, NaT or NA (pandas uses all four for an empty cell)."""
    return value is None or (not isinstance(value, (str, list, tuple)) and bool(pd.isna(value)))


HOUR_DECIMALS = 2  # hours on screen and in the PDF: at most 1.234,56 (exact values stay in units)


def hour_decimals(frame: pd.DataFrame) -> int:
    """How many decimals the hours of one table get: as many as its most precise value needs
    (0, 1 or HOUR_DECIMALS), the same for every hours column, so '8' never stands above '887,75'."""
    needed = 0
    for col in frame.columns:
        if column_kind(col) != HOURS:
            continue
        values = pd.to_numeric(frame[col], errors="coerce").dropna().astype(float)
        for decimals in range(needed, HOUR_DECIMALS):
            if ((values * 10 ** decimals).round(HOUR_DECIMALS - decimals) % 1 != 0).any():
                needed = decimals + 1
    return needed


def format_value(header: str, value, hour_decimals: int | None = None) -> str:
    """One value of a report column, written as people in Belgium read it. Hours get exactly
    ``hour_decimals`` decimals (see :func:`hour_decimals`), or up to two when it is None."""
    kind = column_kind(header)
    if is_missing(value):
        return "" if kind == TEXT else "–"
    if isinstance(value, (bool, np.bool_)):
        return "ja" if value else "–"   # Te laat: WORDS.md
    if isinstance(value, str) or kind == TEXT:
        return str(value)  # also the raw text of a problem's Waarde
    if kind == MONEY:
        return fmt_money(int(value))
    if kind == HOURS:
        if hour_decimals is None:
            return fmt_number(float(value))
        return fmt_number(round(float(value), hour_decimals), hour_decimals, fixed=True)
    if kind == PERCENT:
        return fmt_percent(float(value))
    if kind == DATE:
        return fmt_date(value)
    if kind == MONTH:
        return fmt_month(value)
    if kind == COUNT:
        return fmt_number(int(value), 0)
    if kind == PLAIN:
        return str(int(value))
    return fmt_number(float(value))


def formatted(frame: pd.DataFrame) -> pd.DataFrame:
    """A report table as strings: '€ 1.234,50', '7,50', '38%', '30/06/2026'."""
    decimals = hour_decimals(frame)
    return pd.DataFrame({col: [format_value(col, v, decimals) for v in frame[col]]
                         for col in frame.columns}, index=frame.index, columns=frame.columns)


def styled(frame: pd.DataFrame):
    """A report table that keeps its values (so a grid sorts numbers and dates as such) and is
    displayed as :func:`formatted` writes it (a pandas Styler). A table too large for a Styler
    comes back as :func:`formatted` strings. A yes/no column becomes its words ('ja'/'–'): a
    grid would draw a boolean as a checkbox, whatever the Styler says."""
    if frame.size > pd.get_option("styler.render.max_elements"):
        return formatted(frame)
    flags = [col for col in frame.columns if frame[col].dtype == bool]
    if flags:
        frame = frame.assign(**{col: [format_value(col, v) for v in frame[col]] for col in flags})
    decimals = hour_decimals(frame)
    return frame.style.format({col: functools.partial(format_value, col, hour_decimals=decimals)
                               for col in frame.columns})


# -- small shared pieces -------------------------------------------------------------------------
_ACTION_HEADERS = {c.field: c.name for c in ACTIES.columns} | {
    "subproject": "Deelproject", "action_progress": "Voortgang", "overdue": "Te laat"}


def _dates(series: pd.Series) -> pd.Series:
    """Timestamps -> datetime.date, NaT -> None (what fmt_date and openpyxl expect)."""
    return pd.Series([None if pd.isna(v) else v.date() for v in series], index=series.index,
                     dtype=object)


def _pct(share) -> pd.Series | float:
    """A 0–1 share as a percentage."""
    return share * 100.0


def _ratio(part: pd.Series, whole: pd.Series) -> pd.Series:
    """part / whole as a percentage, NaN where there is no whole."""
    whole = whole.astype(float)
    return part.astype(float) / whole.where(whole > 0) * 100.0


def _hours(units) -> pd.Series | float:
    return units / metrics.HOUR_UNITS


def sum_hours(hours: pd.Series) -> float:
    """The exact sum of display hours: back to integer units (1/10,000 h), summed, divided once."""
    units = (hours.astype(float) * metrics.HOUR_UNITS).round().astype("int64")
    return float(units.sum()) / metrics.HOUR_UNITS


def _action_table(actions: pd.DataFrame, fields: list[str], peildatum: dt.date) -> pd.DataFrame:
    """Actions with the rule-based progress (Afgerond = 100 …), under their Dutch headers."""
    a = metrics.annotate_actions(actions, peildatum)
    out = a[fields].rename(columns=_ACTION_HEADERS)
    for header in ("Start", "Deadline", "Laatst bijgewerkt"):
        if header in out:
            out[header] = _dates(out[header])
    return out.reset_index(drop=True)


def source_name(info) -> str:
    """Which source: 'Demodata (baz-demo.xlsx)', or the workbook's or spreadsheet's name."""
    return f"Demodata ({info.label})" if info.kind == "demo" else info.label


def source_label(ds: Dataset) -> str:
    """'Demodata (baz-demo.xlsx) · gegevens van 27/11/2026 14:02'."""
    return f"{source_name(ds.info)} · gegevens van {fmt_datetime(ds.info.fetched_at)}"


def _staff_budget_by(ds: Dataset, year: int, by: str) -> pd.DataFrame:
    b = metrics.staff_budget(ds)
    b = b[b["year"] == year]
    return b.groupby(by).agg(budget_units=("hours_units", "sum"),
                             budget_amount=("budget_amount", "sum"))


def _cumulative(allocated: pd.DataFrame, quarter: int) -> pd.DataFrame:
    """The chronological allocation of the whole year, cut after ``quarter``: its statement lines
    are exactly the lines of Q1..quarter, so cumulative totals are sums of rounded lines."""
    return allocated[allocated["quarter"] <= quarter]


# -- Overzicht -----------------------------------------------------------------------------------
@dataclass
class Totals:
    actions: int
    done: int
    running: int
    overdue: int
    hours: float                 # all hours of the year
    compensated_hours: float
    uncompensated_hours: float   # above budget or without a Personeel line
    amount: int                  # compensated, cents
    budget: int                  # Personeel budget, cents
    remaining: int               # budget - amount, cents
    used: float                  # amount / budget in % (NaN without budget)
    elapsed: float               # % of the year elapsed at the peildatum


@dataclass
class Overview:
    year: int
    peildatum: dt.date
    elapsed: float               # % of the year elapsed at the peildatum (0–100)
    subprojects: pd.DataFrame    # Deelproject, Naam, Trekker, Voortgang, Doelstellingen, Acties,
    #                              Afgerond, Lopend, Te laat, Uren, Vergoed uren, Boven budget,
    #                              Vergoed, Budget, Resterend, Budgetgebruik, Verstreken
    partners: pd.DataFrame       # Partner, Naam, Voortgang, Acties, Afgerond, Lopend, Te laat,
    #                              Uren, Vergoed uren, Boven budget, Vergoed, Budget, Resterend,
    #                              Budgetgebruik, Verstreken
    budget: pd.DataFrame         # Deelproject, Post, Budget, Besteed, Resterend, Budgetgebruik,
    #                              Verstreken (every post, Personeel = compensated amount)
    monthly_hours: pd.DataFrame  # Maand (Timestamp, 1st of the month), Deelproject, Uren
    totals: Totals
    # The partner code of a partner viewer, whose Dataset holds only its own hours and money
    # (baz_data.access) while progress and actions stay project-wide: the labels say which is which.
    own: str | None = None

    @property
    def has_hours(self) -> bool:
        return self.totals.hours > 0

    def whole(self, label: str) -> str:
        """The label of a project-wide figure (progress, actions), marked as such next to a
        partner viewer's own money."""
        return f"{label} · {WHOLE_PROJECT}" if self.own else label

    def mine(self, label: str) -> str:
        """The label of an hours or money figure: a partner viewer's own organisation's."""
        return f"{label} · {OWN_ORGANISATION}" if self.own else label

    @property
    def scope_note(self) -> str | None:
        """For a partner viewer: which figures are whose."""
        if not self.own:
            return None
        return (f"Voortgang, acties en te laat gelden voor {WHOLE_PROJECT}; uren, vergoeding en "
                f"budget alleen voor {OWN_ORGANISATION} ({self.own}).")

    @property
    def partners_heading(self) -> str:
        return "Je organisatie" if self.own else "Partners"

    @property
    def progress_note(self) -> str:
        who = OWN_ORGANISATION if self.own else "de partner"
        return (f"Per partner de acties die {who} trekt (trekker): hoeveel, hoe ver en hoeveel te "
                "laat.")

    @property
    def money_note(self) -> str:
        who = OWN_ORGANISATION if self.own else "de partner"
        return (f"De uren die {who} schreef, wat daarvan vergoed wordt en het personeelsbudget; "
                "Resterend is budget min vergoed.")


def _money_columns(frame: pd.DataFrame, elapsed: float) -> pd.DataFrame:
    """Hours, compensation and budget of a metrics hours frame (partner_hours/subproject_hours)."""
    return pd.DataFrame({
        "Uren": frame["hours"], "Vergoed uren": frame["comp_hours"],
        "Boven budget": frame["uncomp_hours"], "Vergoed": frame["amount"],
        "Budget": frame["budget_amount"], "Resterend": frame["budget_amount"] - frame["amount"],
        "Budgetgebruik": _ratio(frame["amount"], frame["budget_amount"]), "Verstreken": elapsed,
    }, index=frame.index)


def _subproject_rows(ds: Dataset, year: int, peildatum: dt.date, allocated: pd.DataFrame,
                     elapsed: float) -> pd.DataFrame:
    progress = metrics.subproject_progress(ds, year, peildatum)
    hours = metrics.subproject_hours(ds, year, allocated=allocated).set_index("code")
    budget = _staff_budget_by(ds, year, "subproject")
    hours = hours.join(budget).fillna({"budget_units": 0, "budget_amount": 0})
    hours["budget_amount"] = hours["budget_amount"].astype("int64")
    money = _money_columns(hours, elapsed).reindex(progress["code"]).reset_index(drop=True)
    head = pd.DataFrame({
        "Deelproject": progress["code"], "Naam": progress["name"], "Trekker": progress["lead"],
        "Voortgang": progress["progress"], "Doelstellingen": progress["goals"],
        "Acties": progress["actions"], "Afgerond": progress["done"],
        "Lopend": progress["running"], "Te laat": progress["overdue"]})
    return pd.concat([head, money], axis=1)


def _partner_rows(ds: Dataset, year: int, peildatum: dt.date, hours: pd.DataFrame,
                  elapsed: float) -> pd.DataFrame:
    progress = metrics.partner_progress(ds, year, peildatum)
    head = pd.DataFrame({
        "Partner": progress["code"], "Naam": progress["name"], "Voortgang": progress["progress"],
        "Acties": progress["actions"], "Afgerond": progress["done"],
        "Lopend": progress["running"], "Te laat": progress["overdue"]})
    money = _money_columns(hours.set_index("code"), elapsed).reindex(progress["code"])
    return pd.concat([head, money.reset_index(drop=True)], axis=1)


def _budget_rows(use: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({
        "Deelproject": use["subproject"], "Post": use["post"], "Budget": use["budget"],
        "Besteed": use["spent"], "Resterend": use["budget"] - use["spent"],
        "Budgetgebruik": _pct(use["used"]), "Verstreken": _pct(use["elapsed"])})


def _monthly(ds: Dataset, year: int, last_month: int = 12) -> pd.DataFrame:
    months = metrics.hours_by_month(ds, year)
    if months.empty:
        return pd.DataFrame({"Maand": pd.Series(dtype="datetime64[ns]"),
                             "Deelproject": pd.Series(dtype=object),
                             "Uren": pd.Series(dtype=float)})
    months = months[months["month"] <= last_month]
    return pd.DataFrame({"Maand": months["month_start"], "Deelproject": months["subproject"],
                         "Uren": months["hours"]}).reset_index(drop=True)


WHOLE_PROJECT, OWN_ORGANISATION = "heel het project", "je organisatie"
PARTNER_PROGRESS_COLUMNS = ["Partner", "Naam", "Voortgang", "Acties", "Afgerond", "Lopend", "Te laat"]
PARTNER_MONEY_COLUMNS = ["Partner", "Uren", "Vergoed uren", "Boven budget", "Vergoed", "Budget",
                         "Resterend", "Budgetgebruik"]


def overview(ds: Dataset, year: int, peildatum: dt.date, own: str | None = None) -> Overview:
    """``own``: the partner code when the viewer is a partner (its Dataset holds only its own
    hours and money); it changes only the labels."""
    allocated = metrics.allocate_hours(ds, year)
    elapsed = _pct(metrics.year_elapsed(year, peildatum))
    subs = _subproject_rows(ds, year, peildatum, allocated, elapsed)
    partner_hours = metrics.partner_hours(ds, year, allocated=allocated)
    partners = _partner_rows(ds, year, peildatum, partner_hours, elapsed)
    budget = _budget_rows(metrics.budget_use(ds, year, peildatum, allocated))
    amount, staff = int(partners["Vergoed"].sum()), int(partners["Budget"].sum())
    totals = Totals(
        actions=int(subs["Acties"].sum()), done=int(subs["Afgerond"].sum()),
        running=int(subs["Lopend"].sum()), overdue=int(subs["Te laat"].sum()),
        hours=float(_hours(partner_hours["units"].sum())),
        compensated_hours=float(_hours(partner_hours["comp_units"].sum())),
        uncompensated_hours=float(_hours(partner_hours["uncomp_units"].sum())), amount=amount,
        budget=staff,
        remaining=staff - amount, used=amount / staff * 100.0 if staff else float("nan"),
        elapsed=elapsed)
    return Overview(year, peildatum, elapsed, subs, partners, budget, _monthly(ds, year), totals,
                    own)


# -- Weekoverleg ---------------------------------------------------------------------------------
_DUE_FIELDS = ["id", "title", "subproject", "goal", "lead", "owner", "deadline", "status",
               "action_progress"]
_UPDATED_FIELDS = ["id", "title", "subproject", "lead", "owner", "status", "action_progress",
                   "updated"]


@dataclass
class WeekReport:
    year: int                    # the plan year (for "te laat"; an ISO week's ISO year)
    period: int                  # metrics.LAST_SEVEN_DAYS or an ISO week number
    start: dt.date               # first day of the period (included)
    end: dt.date                 # last day of the period (included)
    peildatum: dt.date
    label: str                   # "Afgelopen week (25/11 – 01/12)", "Week 48 (23/11 – 29/11)"
    name: str                    # for sentences: "de afgelopen week", "week 48"
    due_start: dt.date           # deadlines "binnenkort": [due_start, due_end] (metrics.due_window)
    due_end: dt.date
    due: pd.DataFrame            # open actions due in that window, none of them te laat: ID,
    #                              Actie, Deelproject, Doelstelling, Trekker, Verantwoordelijke,
    #                              Deadline, Status, Voortgang
    overdue: pd.DataFrame        # ID, Actie, Deelproject, Doelstelling, Trekker, Verantwoordelijke,
    #                              Deadline, Dagen te laat, Status, Voortgang
    updated: pd.DataFrame        # ID, Actie, Deelproject, Trekker, Verantwoordelijke, Status,
    #                              Voortgang, Laatst bijgewerkt (newest first)
    hours_by_partner: pd.DataFrame  # Partner, Uren (every partner, 0 when none logged)
    hours_by_person: pd.DataFrame   # Partner, Medewerker, Uren
    new_problems: pd.DataFrame   # problem_table columns, for rows dated in the period
    total_hours: float

    @property
    def title(self) -> str:
        """'Weekoverleg — afgelopen week', 'Weekoverleg — week 48'."""
        return f"Weekoverleg — {self.name.removeprefix('de ')}"

    @property
    def due_help(self) -> str:
        return (f"Open acties met een deadline van {fmt_date(self.due_start)} tot en met "
                f"{fmt_date(self.due_end)}. Een deadline die voorbij is, staat bij Te laat.")


def _day_month(day: dt.date) -> str:
    return day.strftime("%d/%m")


def week_label(year: int, period: int, peildatum: dt.date) -> str:
    """'Afgelopen week (25/11 – 01/12)' or 'Week 48 (23/11 – 29/11)' (the year is in the sidebar)."""
    start, end = metrics.week_period_bounds(year, period, peildatum)
    what = "Afgelopen week" if period == metrics.LAST_SEVEN_DAYS else f"Week {period}"
    return f"{what} ({_day_month(start)} – {_day_month(end)})"


def week_options(year: int, peildatum: dt.date) -> dict[int, str]:
    """The Weekoverleg's choice, the default first (metrics.week_periods), with their labels."""
    return {period: week_label(year, period, peildatum)
            for period in metrics.week_periods(year, peildatum)}


def week_report(ds: Dataset, year: int, period: int, peildatum: dt.date) -> WeekReport:
    """The Weekoverleg of one period: metrics.LAST_SEVEN_DAYS (the default) or an ISO week."""
    start, end = metrics.week_period_bounds(year, period, peildatum)
    due_start, due_end = metrics.due_window(year, period, peildatum)
    due = _action_table(metrics.due_between(ds, due_start, due_end), _DUE_FIELDS, peildatum)
    late = metrics.overdue_actions(ds, year, peildatum)
    overdue = _action_table(late, _DUE_FIELDS, peildatum)
    overdue.insert(overdue.columns.get_loc("Deadline") + 1, "Dagen te laat",
                   (pd.Timestamp(peildatum) - late["deadline"]).dt.days.astype("int64"))
    updated = _action_table(metrics.updated_between(ds, start, end), _UPDATED_FIELDS, peildatum)
    hours = metrics.hours_between(ds, start, end)
    by_person = pd.DataFrame({"Partner": hours["partner"], "Medewerker": hours["person"],
                              "Uren": hours["hours"]})
    # Every partner, also with 0: in the meeting "nothing logged yet" is worth seeing.
    sums = _hours(hours.groupby("partner")["units"].sum())
    by_partner = pd.DataFrame({"Partner": ds.partners["code"].astype(object),
                               "Uren": ds.partners["code"].map(sums).fillna(0.0).astype(float)})
    name = "de afgelopen week" if period == metrics.LAST_SEVEN_DAYS else f"week {period}"
    return WeekReport(
        year=year, period=period, start=start, end=end, peildatum=peildatum,
        label=week_label(year, period, peildatum), name=name, due_start=due_start,
        due_end=due_end, due=due, overdue=overdue, updated=updated, hours_by_partner=by_partner,
        hours_by_person=by_person, new_problems=new_problems(ds, start, end),
        total_hours=float(hours["units"].sum()) / metrics.HOUR_UNITS)


def new_problems(ds: Dataset, start: dt.date, end: dt.date) -> pd.DataFrame:
    """Problems on rows whose Datum (Acties: Laatst bijgewerkt) falls in [start, end].

    A row whose date itself could not be read has no date, so it never counts as new here;
    the Datakwaliteit page still lists it.
    """
    dates = ds.row_dates
    dates = dates[(dates["date"] >= pd.Timestamp(start)) & (dates["date"] <= pd.Timestamp(end))]
    problems = ds.problems.dropna(subset=["row"]).astype({"row": "int64"})
    hits = problems.merge(dates[["tab", "row"]], on=["tab", "row"], how="inner")
    return _problem_rows(ds, hits)


# -- Datakwaliteit -------------------------------------------------------------------------------
_SEVERITY = {ERROR: ERROR, WARNING: WARNING} | {nl: en for en, nl in SEVERITY_NL.items()}


def _problem_rows(ds: Dataset, problems: pd.DataFrame) -> pd.DataFrame:
    links = [ds.info.cell_url(tab, cell) for tab, cell in zip(problems["tab"], problems["cell"])]
    return pd.DataFrame({
        "Tabblad": problems["tab"].astype(object), "Rij": problems["row"].astype("Int64"),
        "Kolom": problems["column"].astype(object), "Waarde": problems["value"].astype(object),
        "Melding": problems["message"].astype(object),
        "Ernst": problems["severity"].map(SEVERITY_NL).astype(object),
        "Cel": problems["cell"].astype(object), "Link": pd.Series(links, dtype=object,
                                                                  index=problems.index),
    }).reset_index(drop=True)


def problem_table(ds: Dataset, tab: str | None = None, severity: str | None = None) -> pd.DataFrame:
    """Every validation problem (in sheet order), optionally of one tab and one severity
    ('fout'/'waarschuwing' or 'error'/'warning'). Link goes straight to the cell when the
    source is a Google Sheet, else it is None."""
    p = ds.problems
    if tab is not None:
        p = p[p["tab"] == tab]
    if severity is not None:
        p = p[p["severity"] == _SEVERITY[severity]]
    return _problem_rows(ds, p)


PROBLEM_COLUMNS = ["Ernst", "Tabblad", "Rij", "Kolom", "Cel", "Waarde", "Melding"]


@dataclass
class ProblemSummary:
    errors: int
    warnings: int
    excluded_rows: int           # rows left out of every total (rows with an error), all tabs
    has_problems: bool
    columns: list[str]           # the problem_table columns to show; Link (first, so it is in
    #                              view on a laptop) when a cell has one
    hint: str | None             # how to find a cell when the source cannot link to it


def problem_summary(ds: Dataset) -> ProblemSummary:
    """The head of the Datakwaliteit page: counts, and whether problems link to their cells."""
    links = any(ds.info.cell_url(tab, None) for tab in ds.problems["tab"].unique())
    hint = None if links else (
        f"Open {ds.info.label} en ga naar het tabblad en de cel om een probleem te verbeteren; "
        "met Google Sheets als bron opent de link de cel meteen.")
    return ProblemSummary(
        errors=ds.error_count, warnings=ds.warning_count,
        excluded_rows=int(sum(ds.excluded.values())), has_problems=not ds.problems.empty,
        columns=(["Link"] if links else []) + PROBLEM_COLUMNS, hint=hint)


# -- shared with the Kwartaaloverzicht (quarter_report.py) and Doelstellingen ------------------
_NOTE_FIELDS = ["communication", "effect", "lessons"]


def _with_notes(actions: pd.DataFrame) -> pd.DataFrame:
    """The actions with any communication, effect measurement or lesson noted."""
    return actions[actions[_NOTE_FIELDS].notna().any(axis=1)]


# -- Uren per partner ----------------------------------------------------------------------------
@dataclass
class PartnerTotals:
    hours: float
    compensated_hours: float
    uncompensated_hours: float   # above budget or without a Personeel line
    amount: int                  # compensated, cents
    budget_hours: float
    budget_amount: int           # cents
    remaining_hours: float       # budget_hours - compensated_hours
    remaining_amount: int        # budget_amount - amount, cents


@dataclass
class PartnerReport:
    partner: str                 # code
    name: str
    year: int
    has_budget: bool             # budgeted hours on a Personeel line in the year's Begroting
    has_hours: bool
    empty_message: str | None    # a Dutch sentence for the page when there is little to show
    by_quarter: pd.DataFrame     # Kwartaal (Q1..Q4, all four), Uren, Vergoed uren, Boven budget,
    #                              Vergoed
    by_subproject: pd.DataFrame  # Deelproject, Naam, Uren, Vergoed uren, Boven budget, Vergoed,
    #                              Uurtarief, Budget uren, Budget, Resterende uren, Resterend
    by_person: pd.DataFrame      # Medewerker, Uren
    statement: pd.DataFrame      # STATEMENT_COLUMNS: one line per (subproject, quarter) and one
    #                              per correction of a closed quarter ("correctie Q1")
    totals: PartnerTotals
    closed_note: str | None = None  # which quarters are closed (their lines are frozen)

    def statement_for(self, quarter: int | None = None) -> pd.DataFrame:
        """The statement lines of one quarter (all of the year when None)."""
        if quarter is None:
            return self.statement
        return self.statement[self.statement["Kwartaal"] == f"Q{quarter}"].reset_index(drop=True)

    def statement_total(self, quarter: int | None = None) -> dict[str, object]:
        """The total row under the statement lines of a period: hours summed exactly, the
        amount as the sum of the rounded lines."""
        lines = self.statement_for(quarter)
        total: dict[str, object] = {"Jaar": "Totaal"}
        for header in ("Uren", "Vergoed uren", "Boven budget"):
            total[header] = sum_hours(lines[header])
        total["Bedrag"] = int(lines["Bedrag"].sum())
        return total


def closed_quarters_note(ds: Dataset, year: int) -> str | None:
    """'Afgesloten: Q1 (06/04/2026), Q2 (02/07/2026). …' or None when nothing is closed."""
    closed = ds.closes.active(year) if ds.closes is not None else None
    if closed is None or closed.empty:
        return None
    listed = ", ".join(f"Q{int(c['quarter'])} ({pd.Timestamp(c['closed_at']):%d/%m/%Y})"
                       for c in closed.to_dict("records"))
    return (f"Afgesloten: {listed}. De lijnen van een afgesloten kwartaal liggen vast; wat "
            "nadien veranderde, staat als correctie in het eerste open kwartaal.")


STATEMENT_COLUMNS = ["Jaar", "Kwartaal", "Regel", "Partner", "Deelproject", "Uren",
                     "Vergoed uren", "Boven budget", "Uurtarief", "Bedrag"]


def partner_choices(ds: Dataset) -> dict[str, str]:
    """The partners to choose from, in the order of the Partners tab: code -> 'ATK — Name'."""
    return {code: f"{code} — {name}" for code, name in zip(ds.partners["code"], ds.partners["name"])}


def _empty_message(name: str, year: int, has_budget: bool, has_hours: bool) -> str | None:
    if not has_budget and not has_hours:
        return f"{name} heeft in {year} geen budget en nog geen uren geregistreerd."
    if not has_budget:
        return (f"{name} heeft in {year} geen Personeel-lijn in de begroting: de geregistreerde "
                f"uren kunnen niet vergoed worden.")
    if not has_hours:
        return f"{name} heeft in {year} nog geen uren geregistreerd."
    return None


def partner_report(ds: Dataset, partner: str, year: int) -> PartnerReport:
    row = ds.partners[ds.partners["code"] == partner]
    if row.empty:
        raise KeyError(f"Onbekende partner '{partner}'.")
    name = row["name"].iloc[0]
    from .closing import line_label, year_statement

    allocated = metrics.allocate_hours(ds, year)
    # Closed quarters keep their frozen lines; corrections are lines of their own
    # (closing / statements.py). Without closes these are metrics.statement_lines.
    lines = year_statement(ds, year)
    lines = lines[lines["partner"] == partner].reset_index(drop=True)
    b = metrics.staff_budget(ds)
    rates: dict = {}
    for key, rate in zip(zip(b["year"], b["subproject"], b["partner"]), b["rate"]):
        rates.setdefault(key, int(rate))
    statement = pd.DataFrame({
        "Jaar": lines["year"].astype("int64"), "Kwartaal": "Q" + lines["quarter"].astype(str),
        "Regel": [line_label(q, c, s) for q, c, s in
                  zip(lines["quarter"], lines["corrects"], lines["state"])],
        "Partner": lines["partner"], "Deelproject": lines["subproject"],
        "Uren": _hours(lines["units"]), "Vergoed uren": _hours(lines["comp_units"]),
        "Boven budget": _hours(lines["uncomp_units"]),
        "Uurtarief": [rates.get(key) for key in
                      zip(lines["year"], lines["subproject"], lines["partner"])],
        "Bedrag": lines["amount"].astype("int64"),
    }, columns=STATEMENT_COLUMNS).reset_index(drop=True)
    sums = lines.groupby("quarter")[["units", "comp_units", "uncomp_units", "amount"]].sum()
    sums = sums.reindex(range(1, 5), fill_value=0).astype("int64")
    by_quarter = pd.DataFrame({
        "Kwartaal": [f"Q{q}" for q in range(1, 5)], "Uren": _hours(sums["units"]).to_numpy(),
        "Vergoed uren": _hours(sums["comp_units"]).to_numpy(),
        "Boven budget": _hours(sums["uncomp_units"]).to_numpy(),
        "Vergoed": sums["amount"].to_numpy()})
    by_subproject = _partner_subprojects(ds, partner, year, lines)
    people = metrics.hours_between(ds, dt.date(year, 1, 1), dt.date(year, 12, 31))
    people = people[people["partner"] == partner]
    by_person = pd.DataFrame({"Medewerker": people["person"], "Uren": people["hours"]}).sort_values(
        ["Uren", "Medewerker"], ascending=[False, True]).reset_index(drop=True)
    totals = metrics.partner_hours(ds, year, allocated=allocated).set_index("code").loc[partner]
    has_budget = bool(totals["budget_units"] > 0)
    has_hours = bool(totals["units"] > 0)
    return PartnerReport(
        partner=partner, name=name, year=year, has_budget=has_budget, has_hours=has_hours,
        empty_message=_empty_message(name, year, has_budget, has_hours), by_quarter=by_quarter,
        by_subproject=by_subproject, by_person=by_person, statement=statement,
        closed_note=closed_quarters_note(ds, year), totals=PartnerTotals(
            hours=float(totals["hours"]), compensated_hours=float(totals["comp_hours"]),
            uncompensated_hours=float(totals["uncomp_hours"]), amount=int(totals["amount"]),
            budget_hours=float(totals["budget_hours"]), budget_amount=int(totals["budget_amount"]),
            remaining_hours=float(totals["budget_hours"] - totals["comp_hours"]),
            remaining_amount=int(totals["budget_amount"] - totals["amount"])))


def _partner_subprojects(ds: Dataset, partner: str, year: int, lines: pd.DataFrame) -> pd.DataFrame:
    """Per subproject the partner has a budget line or hours in."""
    sums = lines.groupby("subproject")[["units", "comp_units", "uncomp_units", "amount"]].sum()
    b = metrics.staff_budget(ds)
    b = b[(b["year"] == year) & (b["partner"] == partner)].set_index("subproject")
    codes = list(dict.fromkeys([*b.index, *sums.index]))
    names = ds.subprojects[ds.subprojects["year"] == year].set_index("code")["name"]
    sums = sums.reindex(codes, fill_value=0)
    budget_units = b["hours_units"].reindex(codes).fillna(0).astype("int64")
    budget_amount = b["budget_amount"].reindex(codes).fillna(0).astype("int64")
    out = pd.DataFrame({
        "Deelproject": codes, "Naam": names.reindex(codes).to_numpy(),
        "Uren": _hours(sums["units"]).to_numpy(),
        "Vergoed uren": _hours(sums["comp_units"]).to_numpy(),
        "Boven budget": _hours(sums["uncomp_units"]).to_numpy(),
        "Vergoed": sums["amount"].astype("int64").to_numpy(),
        "Uurtarief": [None if pd.isna(r) else int(r) for r in b["rate"].reindex(codes)],
        "Budget uren": _hours(budget_units).to_numpy(), "Budget": budget_amount.to_numpy(),
        "Resterende uren": _hours(budget_units - sums["comp_units"]).to_numpy(),
        "Resterend": (budget_amount - sums["amount"]).astype("int64").to_numpy()})
    return out.sort_values("Deelproject").reset_index(drop=True)


# -- Doelstellingen ------------------------------------------------------------------------------
_TREE_ACTION_FIELDS = ["id", "title", "lead", "owner", "start", "deadline", "status",
                       "action_progress", "overdue", "communication", "effect", "lessons",
                       "updated"]
_TREE_NOTE_FIELDS = ["id", "title", *_NOTE_FIELDS]


@dataclass
class GoalNode:
    code: str
    description: str | None
    progress: float              # % (NaN when the goal has no actions)
    actions_count: int
    done: int
    running: int
    overdue: int
    actions: pd.DataFrame        # ID, Actie, Trekker, Verantwoordelijke, Start, Deadline, Status,
    #                              Voortgang, Te laat (bool), Communicatie, Effectmeting,
    #                              Lessons learned, Laatst bijgewerkt
    indicators: pd.DataFrame     # ID, Indicator, Aggregatie, Streefwaarde, Gerealiseerd,
    #                              Realisatie, Metingen (realised up to the peildatum)
    measurements: pd.DataFrame   # ID, Indicator, Datum, Waarde, Stand, Streefwaarde, Opmerking
    #                              (Stand = realised after that measurement: running sum for
    #                              'som', the value for 'laatste'), in date order
    notes: pd.DataFrame          # ID, Actie, Communicatie, Effectmeting, Lessons learned of the
    #                              actions with any of the three (as in the quarter report)


@dataclass
class SubprojectNode:
    code: str
    name: str
    lead: str | None
    manager: str | None
    progress: float              # % (NaN when no goal has progress)
    actions_count: int
    done: int
    running: int
    overdue: int
    goals: list[GoalNode] = field(default_factory=list)


@dataclass
class GoalsTree:
    year: int
    peildatum: dt.date
    subprojects: list[SubprojectNode]

    @property
    def is_empty(self) -> bool:
        return not self.subprojects


def _measurement_rows(history: pd.DataFrame, indicators: pd.DataFrame) -> pd.DataFrame:
    names = indicators.set_index("id")["name"]
    return pd.DataFrame({
        "ID": history["indicator"], "Indicator": history["indicator"].map(names),
        "Datum": _dates(history["date"]), "Waarde": history["value"],
        "Stand": history["realised"], "Streefwaarde": history["target"],
        "Opmerking": history["note"]}).reset_index(drop=True)


def goals_tree(ds: Dataset, year: int, peildatum: dt.date) -> GoalsTree:
    subs = metrics.subproject_progress(ds, year, peildatum)
    goals = metrics.goal_progress(ds, year, peildatum)
    actions = metrics.year_actions(ds, year).sort_values(["deadline", "id"], na_position="last")
    indicators = metrics.indicator_status(ds, year, peildatum)
    history = metrics.indicator_history(ds, year)
    by_goal = {g: frame for g, frame in actions.groupby("goal")}
    ind_by_goal = {g: frame for g, frame in indicators.groupby("goal")}
    hist_by_goal = {g: frame for g, frame in history.merge(
        indicators[["id", "goal"]], left_on="indicator", right_on="id").groupby("goal")}
    empty_actions = actions.iloc[0:0]
    nodes = []
    for s in subs.itertuples():
        goal_nodes = []
        for g in goals[goals["subproject"] == s.code].itertuples():
            ind = ind_by_goal.get(g.code, indicators.iloc[0:0])
            goal_actions = by_goal.get(g.code, empty_actions)
            goal_nodes.append(GoalNode(
                code=g.code, description=g.description, progress=float(g.progress),
                actions_count=int(g.actions), done=int(g.done), running=int(g.running),
                overdue=int(g.overdue),
                actions=_action_table(goal_actions, _TREE_ACTION_FIELDS, peildatum),
                indicators=_indicator_rows_of(ind),
                measurements=_measurement_rows(hist_by_goal.get(g.code, history.iloc[0:0]),
                                               indicators),
                notes=_action_table(_with_notes(goal_actions), _TREE_NOTE_FIELDS, peildatum)))
        nodes.append(SubprojectNode(
            code=s.code, name=s.name, lead=s.lead, manager=s.manager, progress=float(s.progress),
            actions_count=int(s.actions), done=int(s.done), running=int(s.running),
            overdue=int(s.overdue), goals=goal_nodes))
    return GoalsTree(year, peildatum, nodes)


def _indicator_rows_of(ind: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({
        "ID": ind["id"], "Indicator": ind["name"], "Aggregatie": ind["aggregation"],
        "Streefwaarde": ind["target"], "Gerealiseerd": ind["realised"],
        "Realisatie": _pct(ind["share"]), "Metingen": ind["measurements"]}).reset_index(drop=True)


# -- Kwartaaloverzicht ---------------------------------------------------------------------------
# It lives in quarter_report.py (it uses the helpers above); app_state.view, the pages, the
# exports and the command line keep reaching it here. Loaded on first use (PEP 562), so either
# module can be imported first without a circular import.
_QUARTER_NAMES = ("QuarterReport", "quarter_report", "quarter_period_label", "GLOSSARY")


def __getattr__(name: str):
    if name in _QUARTER_NAMES:
        from . import quarter_report as module

        return getattr(module, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
