"""Kwartaaloverzicht (stuurgroep): one quarter as a view-model, shared by the page, the PDF and
the Excel download (the package re-exports it, so ``reports.quarter_report`` keeps working).

Contract: :func:`quarter_report` (Dataset, year, quarter, chosen peildatum) ->
:class:`QuarterReport`.

* Every figure is counted at ONE date, ``report.peildatum`` = :func:`metrics.quarter_peildatum`:
  the quarter's last day once the chosen peildatum lies past the quarter (a past quarter reads as
  it stood when it closed: te laat, the elapsed share of the year, money and indicators), else
  the chosen peildatum. ``chosen`` keeps what the viewer picked; ``as_of_label`` says in words
  which date is used, for every heading.
* Tables as everywhere in this package: Dutch headers, numeric values (cents, float hours,
  percentages, dates). ``totals`` holds the Totaal row of the tables where a total means
  something: counts and cents summed, hours summed in units of 1/10.000 h, a share recomputed
  from the summed parts (never a sum or mean of percentages).
* A closed quarter (baz_data.closing, ``ds.closes``) is the report of its close: built from the
  history snapshot recorded then, generated on the close date, with ``closed_note`` and a
  notice (``correction_note``) when corrections of it came later; the first open quarter lists
  the pending corrections of the closed ones (``corrections``, an extra "Correcties" section).
* Progress and status are as the sheets stand when they were read (the sheets keep no history);
  the glossary says so.
* Dutch words (``key_figures``, ``summary_lines``, ``GLOSSARY``) are ready to show; sheet text
  inside them stays raw, to be escaped where it is written out.

Error policy: nothing here raises for what the sheets contain. An empty year gives empty tables
and sentences that say so ("nog geen uren"); a share without a whole is NaN (shown as '–').
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from .. import metrics
from ..clock import local_today
from ..formatting import fmt_date, fmt_money, fmt_number, fmt_percent
from ..model import Dataset
from .columns import hour_decimals
from .common import as_percent, monthly_rows, source_label
from .quarter_tables import (goal_rows, key_rows, late_rows, learning_rows, quarter_budget,
                             quarter_hours, quarter_indicator_rows, quarter_partners,
                             status_rows, subproject_rows, table_totals)

# What a stuurgroep member who did not open the app needs to read the PDF (and the Excel file).
GLOSSARY: tuple[tuple[str, str], ...] = (
    ("Peildatum", "De datum waarop de cijfers geteld worden. Voor een afgelopen kwartaal is dat "
                  "de laatste dag van het kwartaal; voor het lopende kwartaal de gekozen datum. "
                  "Voortgang en status zijn zoals ze in de sheets stonden toen ze gelezen werden "
                  "(zie Bron)."),
    ("Voortgang", "Afgerond telt als 100%, Geannuleerd telt niet mee, anders de ingevulde "
                  "voortgang. Een doelstelling is het gemiddelde van haar acties, een deelproject "
                  "het gemiddelde van zijn doelstellingen."),
    ("Te laat", "Een actie met een deadline vóór de peildatum die niet Afgerond of Geannuleerd "
                "is. De deadlinedag zelf is nog niet te laat."),
    ("Vergoed", "Het bedrag voor de uren van een partner binnen de begrote uren van zijn "
                "Personeel-lijn, maal het uurtarief; per kwartaal afgerond op de cent."),
    ("Boven budget (uren)", "Uren na de begrote uren van de Personeel-lijn, of zonder "
                            "Personeel-lijn: ze worden niet vergoed."),
    ("Resterend", "Het budget min wat al vergoed of besteed is."),
    ("Budgetgebruik", "Wat vergoed of besteed is, als deel van het budget."),
    ("Verstreken", "Het verstreken deel van het jaar op de peildatum (de peildatum inbegrepen). "
                   "Een budgetgebruik boven dit percentage betekent: sneller besteed dan het jaar "
                   "verstrijkt. Van een kwartaal: het verstreken deel van dat kwartaal (100% "
                   "zodra het voorbij is)."),
    ("Aggregatie", "Hoe de metingen van een indicator samen tellen: 'som' telt alle metingen op, "
                   "'laatste' neemt de laatste meting."),
)


@dataclass
class QuarterFigures:
    """Page 1 of the PDF and the head of the page: the totals of the report's own tables."""

    hours_quarter: float         # hours dated in the quarter
    hours_cumulative: float      # since 1 January, up to the quarter's end
    amount_cumulative: int       # compensated through the quarter, cents
    budget: int                  # Personeel budget of the year, cents
    used: float                  # amount_cumulative / budget in % (NaN without budget)
    elapsed: float               # % of the year elapsed at the peildatum
    quarter_elapsed: float       # % of the quarter elapsed at the peildatum (100 once it closed)
    actions: int                 # of the year, without Geannuleerd
    done: int
    overdue: int                 # te laat at the peildatum


@dataclass
class QuarterReport:
    year: int
    quarter: int
    start: dt.date
    end: dt.date
    peildatum: dt.date           # the date every figure is counted at (metrics.quarter_peildatum)
    chosen: dt.date              # the peildatum the viewer chose
    generated: dt.date
    source: str                  # "baz-demo.xlsx · gegevens van 27/11/2026 14:02"
    period_label: str            # "Q3 2026 (01/07/2026 – 30/09/2026)"
    key: pd.DataFrame            # KEY_COLUMNS: per subproject progress, actions, hours, money
    subprojects: pd.DataFrame    # Deelproject, Naam, Voortgang, Doelstellingen, Acties, Afgerond,
    #                              Lopend, Te laat
    goals: pd.DataFrame          # Deelproject, Doelstelling, Omschrijving, Voortgang, Acties,
    #                              Afgerond, Lopend, Te laat
    action_status: pd.DataFrame  # Deelproject, Gepland, Lopend, Afgerond, Uitgesteld, Geannuleerd,
    #                              Te laat, Totaal
    late: pd.DataFrame           # LATE_COLUMNS: the actions te laat at the peildatum, oldest
    #                              deadline first
    indicators: pd.DataFrame     # Deelproject, Doelstelling, ID, Indicator, Aggregatie,
    #                              Streefwaarde, Gerealiseerd, Realisatie, Metingen (up to the
    #                              peildatum)
    hours: pd.DataFrame          # Deelproject, Naam, Uren kwartaal, Uren cumulatief,
    #                              Vergoed kwartaal, Vergoed cumulatief, Budget, Resterend,
    #                              Budgetgebruik, Verstreken (Personeel, cumulative Q1..Qn)
    budget: pd.DataFrame         # Deelproject, Post, Budget, Besteed kwartaal, Besteed cumulatief,
    #                              Resterend, Budgetgebruik, Verstreken (every post)
    partners: pd.DataFrame       # Partner, Naam, Uren kwartaal, Vergoed kwartaal, Uren cumulatief,
    #                              Vergoed uren, Boven budget, Vergoed cumulatief, Budget, Resterend
    learning: pd.DataFrame       # Deelproject, Doelstelling, ID, Actie, Status, Communicatie,
    #                              Effectmeting, Lessons learned (actions with any of the three)
    monthly_hours: pd.DataFrame  # Maand, Deelproject, Uren (January up to the quarter's end)
    elapsed: float               # % of the year elapsed at the peildatum
    totals: dict[str, dict]      # table name ("key", "hours", …) -> its Totaal row
    figures: QuarterFigures
    # Closing (baz_data.closing): "Afgesloten op 06/04/2021 om 10:15 door …." for a closed
    # quarter; its correction lines (LINE_COLUMNS: those it carries when closed, the pending
    # ones on the first open quarter) with their total; the notice of corrections made after
    # its close, or of the corrections an open quarter carries.
    closed_note: str | None = None
    corrections: pd.DataFrame | None = None
    corrections_total: dict | None = None
    correction_note: str | None = None

    @property
    def title(self) -> str:
        return f"Kwartaaloverzicht Q{self.quarter} {self.year}"

    @property
    def dates_label(self) -> str:
        """'01/04/2021 – 30/06/2021': under a title that already names the quarter."""
        return f"{fmt_date(self.start)} – {fmt_date(self.end)}"

    @property
    def as_of_reason(self) -> str:
        """Why the peildatum is what it is, when that is not obvious ('' for the running
        quarter)."""
        if self.peildatum < self.chosen:
            return ", de laatste dag van het kwartaal"
        if self.peildatum < self.start:
            return ": het kwartaal is nog niet begonnen"
        return ""

    @property
    def as_of_label(self) -> str:
        """Which date the figures are counted at, for the heading: 'peildatum 30/06/2021, de
        laatste dag van het kwartaal'."""
        return f"peildatum {fmt_date(self.peildatum)}{self.as_of_reason}"

    @property
    def subtitle(self) -> str:
        """'01/04/2021 – 30/06/2021 · peildatum 30/06/2021, de laatste dag van het kwartaal'."""
        return f"{self.dates_label} · {self.as_of_label}"

    def _hours(self, value: float) -> str:
        """'5.576,75 uur', with as many decimals as the key table's hours (so the quarter and
        the year read alike)."""
        return f"{fmt_number(value, hour_decimals(self.key), fixed=True)} uur"

    def key_figures(self) -> list[tuple[str, str, str]]:
        """(label, value, explanation) of the four key figures, formatted."""
        f, q, fmt_hours = self.figures, f"Q{self.quarter}", self._hours
        budget = (f"van {fmt_money(f.budget)} personeelsbudget ({fmt_percent(f.used)})"
                  if f.budget else "geen personeelsbudget in de begroting")
        return [
            (f"Uren {q}", fmt_hours(f.hours_quarter),
             f"{fmt_hours(f.hours_cumulative)} sinds 1 januari"),
            (f"Vergoed tot en met {q}", fmt_money(f.amount_cumulative), budget),
            ("Verstreken", fmt_percent(f.elapsed),
             f"van het jaar op {fmt_date(self.peildatum)}; van {q}: "
             f"{fmt_percent(f.quarter_elapsed)}"),
            ("Te laat", fmt_number(f.overdue, 0),
             f"van {fmt_number(f.actions, 0)} acties op {fmt_date(self.peildatum)}"),
        ]

    def summary_lines(self) -> list[str]:
        """Three sentences for someone who reads nothing else: progress, hours and money, late
        actions. Subproject names are sheet text (raw here)."""
        f, q, fmt_hours = self.figures, f"Q{self.quarter}", self._hours
        shown = self.key[self.key["Voortgang"].notna()]
        if shown.empty:
            progress = "Er is nog geen voortgang geregistreerd"
        else:
            parts = [f"{fmt_percent(p)} ({name if isinstance(name, str) and name else code})"
                     for code, name, p in zip(shown["Deelproject"], shown["Naam"],
                                              shown["Voortgang"])]
            listed = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " en " + parts[-1]
            progress = f"Voortgang per deelproject: {listed}"
        if not f.actions:
            progress += f"; voor {self.year} staan er nog geen acties in de sheets."
        else:
            verb = "is" if f.done == 1 else "zijn"
            progress += (f"; {fmt_number(f.done, 0)} van de {fmt_number(f.actions, 0)} acties "
                         f"{verb} afgerond.")
        if f.hours_cumulative:
            money = (f"In {q} zijn {fmt_hours(f.hours_quarter)} geregistreerd, "
                     f"{fmt_hours(f.hours_cumulative)} sinds 1 januari; tot en met {q} is "
                     f"{fmt_money(f.amount_cumulative)} vergoed")
        else:
            money = f"Tot en met {q} zijn nog geen uren geregistreerd"
        money += (f", {fmt_percent(f.used)} van het personeelsbudget van {fmt_money(f.budget)}, "
                  f"bij {fmt_percent(f.elapsed)} verstreken deel van het jaar."
                  if f.budget else "; er staat geen personeelsbudget in de begroting.")
        if f.overdue:
            late = (f"Op {fmt_date(self.peildatum)} "
                    f"{'is 1 actie' if f.overdue == 1 else f'zijn {f.overdue} acties'} te laat; "
                    "de lijst staat onder 'Te laat'.")
        else:
            late = f"Op {fmt_date(self.peildatum)} is geen enkele actie te laat."
        return [progress, money, late]

    def sections(self) -> list[tuple[str, pd.DataFrame, dict | None]]:
        """(title, table, Totaal row or None) in reading order: the PDF's sections and the Excel
        sheets (a title is a sheet name: at most 31 characters, no '/')."""
        t = self.totals
        return [
            ("Deelprojecten", self.subprojects, t["subprojects"]),
            ("Doelstellingen", self.goals, None),
            ("Acties per status", self.action_status, t["action_status"]),
            ("Te laat", self.late, None),
            ("Indicatoren", self.indicators, None),
            ("Uren en vergoeding", self.hours, t["hours"]),
            ("Budget per post", self.budget, t["budget"]),
            ("Partners", self.partners, t["partners"]),
            ("Effectmeting en lessons learned", self.learning, None),
        ] + ([("Correcties", self.corrections, self.corrections_total)]
             if self.corrections is not None and not self.corrections.empty else [])

    def learning_by_subproject(self) -> list[tuple[str, pd.DataFrame]]:
        """(subproject code, its learning rows without the Deelproject column), in the order
        of ``learning``."""
        return [(code, rows.drop(columns="Deelproject").reset_index(drop=True))
                for code, rows in self.learning.groupby("Deelproject", sort=False)]


def quarter_period_label(year: int, quarter: int) -> str:
    start, end = metrics.quarter_bounds(year, quarter)
    return f"Q{quarter} {year} ({fmt_date(start)} – {fmt_date(end)})"


def quarter_report(ds: Dataset, year: int, quarter: int, peildatum: dt.date,
                   generated: dt.date | None = None) -> QuarterReport:
    """The quarter's report: for a closed quarter the one of its close
    (closing.closed_report: the data as it was then, generated on the close date); for the
    first open quarter with the corrections of the closed ones; else as the sheets stand."""
    from .. import closing

    closed = closing.closed_report(ds, year, quarter)
    if closed is not None:
        return closed
    report = build_quarter_report(ds, year, quarter, peildatum, generated)
    pending = closing.quarter_corrections(ds, year, quarter) if ds.closes is not None else None
    if pending is None or pending.empty:
        return report
    report.corrections = closing.lines_table(pending)
    report.corrections_total = closing.lines_total(pending)
    report.correction_note = closing.pending_note(pending)
    return report


def build_quarter_report(ds: Dataset, year: int, quarter: int, peildatum: dt.date,
                         generated: dt.date | None = None) -> QuarterReport:
    """The report from ``ds`` as it is, without closing (the body of :func:`quarter_report`)."""
    start, end = metrics.quarter_bounds(year, quarter)
    chosen, peildatum = peildatum, metrics.quarter_peildatum(year, quarter, peildatum)
    elapsed = as_percent(metrics.year_elapsed(year, peildatum))
    allocated = metrics.allocate_hours(ds, year)
    progress = metrics.subproject_progress(ds, year, peildatum)
    subs = subproject_rows(progress)
    hours = quarter_hours(ds, year, quarter, allocated, elapsed)
    key = key_rows(subs, hours)
    status = status_rows(ds, year, peildatum, progress["code"])
    budget = quarter_budget(ds, year, quarter, peildatum, allocated)
    partners = quarter_partners(ds, year, quarter, allocated)
    totals = table_totals(key, subs, status, hours, budget, partners)
    k = totals["key"]
    figures = QuarterFigures(
        hours_quarter=k["Uren kwartaal"], hours_cumulative=k["Uren cumulatief"],
        amount_cumulative=k["Vergoed cumulatief"], budget=k["Budget"], used=k["Budgetgebruik"],
        elapsed=elapsed,
        quarter_elapsed=as_percent(metrics.quarter_elapsed(year, quarter, peildatum)),
        actions=k["Acties"], done=k["Afgerond"], overdue=k["Te laat"])
    return QuarterReport(
        year=year, quarter=quarter, start=start, end=end, peildatum=peildatum, chosen=chosen,
        generated=generated or local_today(), source=source_label(ds),
        period_label=quarter_period_label(year, quarter), key=key, subprojects=subs,
        goals=goal_rows(ds, year, peildatum), action_status=status,
        late=late_rows(ds, year, peildatum), indicators=quarter_indicator_rows(ds, year, peildatum),
        hours=hours, budget=budget, partners=partners,
        learning=learning_rows(ds, year, peildatum),
        monthly_hours=monthly_rows(ds, year, last_month=3 * quarter), elapsed=elapsed,
        totals=totals, figures=figures)
