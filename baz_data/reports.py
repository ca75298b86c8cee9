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


def column_kind(header: str) -> str:
    return COLUMN_KINDS.get(header, TEXT)


def is_missing(value) -> bool:
    """None, NaN, NaT or NA (pandas uses all four for an empty cell)."""
    return value is None or (not isinstance(value, (str, list, tuple)) and bool(pd.isna(value)))


def hour_decimals(frame: pd.DataFrame, most: int = 2) -> int:
    """How many decimals the hours of a table need (1 or 2): every hours column of one table is
    written with the same number ('12,0', '19,5', '0,5' or, with a quarter hour, '0,25' and
    '12,00'), so figures line up and compare; more than ``most`` is never shown."""
    for decimals in range(1, most):
        scale = 10 ** decimals
        for header in frame.columns:
            if column_kind(header) != HOURS:
                continue
            values = pd.to_numeric(frame[header], errors="coerce").dropna().astype(float)
            if (((values * scale).round(6) % 1) != 0).any():
                break
        else:
            return decimals
    return most


def format_value(header: str, value, hours_decimals: int | None = None) -> str:
    """One value of a report column, written as people in Belgium read it; hours with exactly
    ``hours_decimals`` decimals when given (see :func:`hour_decimals`), else at most two."""
    kind = column_kind(header)
    if is_missing(value):
        return "" if kind == TEXT else "–"
    if isinstance(value, (bool, np.bool_)):
        return "ja" if value else "–"  # Te laat: "ja" or a dash, never an empty cell
    if isinstance(value, str) or kind == TEXT:
        return str(value)  # also the raw text of a problem's Waarde
    if kind == MONEY:
        return fmt_money(int(value))
    if kind == HOURS:
        if hours_decimals is not None:
            return fmt_number(float(value), hours_decimals, fixed=True)
        return fmt_number(float(value))
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


def formatted(frame: pd.DataFrame, hours_decimals: int | None = None) -> pd.DataFrame:
    """A report table as strings: '€ 1.234,50', '7,5', '38%', '30/06/2026' (hours with exactly
    ``hours_decimals`` decimals when given)."""
    return pd.DataFrame({col: [format_value(col, v, hours_decimals) for v in frame[col]]
                         for col in frame.columns}, index=frame.index, columns=frame.columns)


def styled(frame: pd.DataFrame):
    """A report table that keeps its values (so a grid sorts numbers and dates as such) and is
    displayed as :func:`formatted` writes it (a pandas Styler). A table too large for a Styler
    comes back as :func:`formatted` strings."""
    if frame.size > pd.get_option("styler.render.max_elements"):
        return formatted(frame)
    return frame.style.format({col: functools.partial(format_value, col) for col in frame.columns})


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

    @property
    def has_hours(self) -> bool:
        return self.totals.hours > 0


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


def overview(ds: Dataset, year: int, peildatum: dt.date) -> Overview:
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
    return Overview(year, peildatum, elapsed, subs, partners, budget, _monthly(ds, year), totals)


# -- Weekoverleg ---------------------------------------------------------------------------------
LOOKAHEAD_DAYS = 14  # "due in the next two weeks" counts from the Monday of the chosen week

_DUE_FIELDS = ["id", "title", "subproject", "goal", "lead", "owner", "deadline", "status",
               "action_progress"]
_UPDATED_FIELDS = ["id", "title", "subproject", "lead", "owner", "status", "action_progress",
                   "updated"]


@dataclass
class WeekReport:
    year: int                    # ISO year of the week (also the plan year for "te laat")
    iso_week: int
    start: dt.date               # Monday
    end: dt.date                 # Sunday
    peildatum: dt.date
    label: str                   # "Week 48 (23/11/2026 – 29/11/2026)"
    due: pd.DataFrame            # open actions due in [start, start + 13 days]: ID, Actie,
    #                              Deelproject, Doelstelling, Trekker, Verantwoordelijke, Deadline,
    #                              Status, Voortgang
    overdue: pd.DataFrame        # ID, Actie, Deelproject, Doelstelling, Trekker, Verantwoordelijke,
    #                              Deadline, Dagen te laat, Status, Voortgang
    updated: pd.DataFrame        # ID, Actie, Deelproject, Trekker, Verantwoordelijke, Status,
    #                              Voortgang, Laatst bijgewerkt (newest first)
    hours_by_partner: pd.DataFrame  # Partner, Uren (every partner, 0 when none logged)
    hours_by_person: pd.DataFrame   # Partner, Medewerker, Uren
    new_problems: pd.DataFrame   # problem_table columns, for rows dated in the week
    total_hours: float


def week_label(year: int, iso_week: int) -> str:
    """'Week 48 (23/11/2026 – 29/11/2026)'."""
    start, end = metrics.week_bounds(year, iso_week)
    return f"Week {iso_week} ({fmt_date(start)} – {fmt_date(end)})"


def week_options(year: int) -> dict[int, str]:
    """Every ISO week of the year, with its label: the Weekoverleg's choice."""
    return {week: week_label(year, week) for week in range(1, metrics.weeks_in_year(year) + 1)}


def week_report(ds: Dataset, year: int, iso_week: int, peildatum: dt.date) -> WeekReport:
    start, end = metrics.week_bounds(year, iso_week)
    due = _action_table(metrics.due_between(ds, start, start + dt.timedelta(LOOKAHEAD_DAYS - 1)),
                        _DUE_FIELDS, peildatum)
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
    return WeekReport(year, iso_week, start, end, peildatum, week_label(year, iso_week), due, overdue, updated,
                      by_partner, by_person, new_problems(ds, start, end),
                      float(hours["units"].sum()) / metrics.HOUR_UNITS)


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
    columns: list[str]           # the problem_table columns to show; Link when a cell has one
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
        columns=PROBLEM_COLUMNS + (["Link"] if links else []), hint=hint)


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
    statement: pd.DataFrame      # one line per (subproject, quarter): Jaar, Kwartaal, Partner,
    #                              Deelproject, Uren, Vergoed uren, Boven budget, Uurtarief, Bedrag
    totals: PartnerTotals

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
    allocated = metrics.allocate_hours(ds, year)
    lines = metrics.period_lines(ds, year, allocated=allocated)
    lines = lines[lines["partner"] == partner].sort_values(["quarter", "subproject"])
    statement = pd.DataFrame({
        "Jaar": lines["year"].astype("int64"), "Kwartaal": "Q" + lines["quarter"].astype(str),
        "Partner": lines["partner"], "Deelproject": lines["subproject"], "Uren": lines["hours"],
        "Vergoed uren": lines["comp_hours"], "Boven budget": lines["uncomp_hours"],
        "Uurtarief": _line_rates(ds, lines), "Bedrag": lines["amount"].astype("int64"),
    }).reset_index(drop=True)
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
        totals=PartnerTotals(
            hours=float(totals["hours"]), compensated_hours=float(totals["comp_hours"]),
            uncompensated_hours=float(totals["uncomp_hours"]), amount=int(totals["amount"]),
            budget_hours=float(totals["budget_hours"]), budget_amount=int(totals["budget_amount"]),
            remaining_hours=float(totals["budget_hours"] - totals["comp_hours"]),
            remaining_amount=int(totals["budget_amount"] - totals["amount"])))


def _line_rates(ds: Dataset, lines: pd.DataFrame) -> list[int | None]:
    """The rate of each statement line; none (not € 0,00) where there is no Personeel line."""
    b = metrics.staff_budget(ds)
    budgeted = set(zip(b["year"], b["subproject"], b["partner"]))
    return [int(r) if (y, s, p) in budgeted else None
            for y, s, p, r in zip(lines["year"], lines["subproject"], lines["partner"],
                                  lines["rate"])]


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
