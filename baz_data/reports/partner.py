"""Uren per partner: one partner's year, its statement lines and the closed quarters.

Contract: :func:`partner_report` (Dataset, partner code, year) -> :class:`PartnerReport`: hours
and compensation per quarter (all four), per subproject (with its budget line) and per person,
and the statement (STATEMENT_COLUMNS: one line per subproject and quarter, and one per
correction of a closed quarter, as baz_data.closing keeps them). :func:`partner_choices` lists
the partners in the order of the Partners tab.

Error policy: a partner code that is not in the Partners tab is a KeyError with a Dutch
message (the page offers only known codes). A partner without budget or hours gets a Dutch
``empty_message``; nothing else raises for what the sheets contain.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from .. import metrics
from ..model import Dataset
from .common import as_hours, sum_hours


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
    # closing builds a closed quarter's report with reports.quarter: imported on use, so
    # neither side needs the other at import time
    from ..closing import line_label, year_statement

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
        "Uren": as_hours(lines["units"]), "Vergoed uren": as_hours(lines["comp_units"]),
        "Boven budget": as_hours(lines["uncomp_units"]),
        "Uurtarief": [rates.get(key) for key in
                      zip(lines["year"], lines["subproject"], lines["partner"])],
        "Bedrag": lines["amount"].astype("int64"),
    }, columns=STATEMENT_COLUMNS).reset_index(drop=True)
    sums = lines.groupby("quarter")[["units", "comp_units", "uncomp_units", "amount"]].sum()
    sums = sums.reindex(range(1, 5), fill_value=0).astype("int64")
    by_quarter = pd.DataFrame({
        "Kwartaal": [f"Q{q}" for q in range(1, 5)], "Uren": as_hours(sums["units"]).to_numpy(),
        "Vergoed uren": as_hours(sums["comp_units"]).to_numpy(),
        "Boven budget": as_hours(sums["uncomp_units"]).to_numpy(),
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
        "Uren": as_hours(sums["units"]).to_numpy(),
        "Vergoed uren": as_hours(sums["comp_units"]).to_numpy(),
        "Boven budget": as_hours(sums["uncomp_units"]).to_numpy(),
        "Vergoed": sums["amount"].astype("int64").to_numpy(),
        "Uurtarief": [None if pd.isna(r) else int(r) for r in b["rate"].reindex(codes)],
        "Budget uren": as_hours(budget_units).to_numpy(), "Budget": budget_amount.to_numpy(),
        "Resterende uren": as_hours(budget_units - sums["comp_units"]).to_numpy(),
        "Resterend": (budget_amount - sums["amount"]).astype("int64").to_numpy()})
    return out.sort_values("Deelproject").reset_index(drop=True)
