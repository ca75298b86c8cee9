"""Overzicht: the year at a peildatum, per subproject and per partner, with the budget posts.

Contract: :func:`overview` (Dataset, year, peildatum, own partner or None) -> :class:`Overview`:
fixed tables (see the field comments; PARTNER_PROGRESS_COLUMNS and PARTNER_MONEY_COLUMNS are
the two partner tables the page shows), the year's :class:`Totals`, and for a partner viewer
(``own``) labels that say which figures are project-wide and which are its own.

Error policy: nothing here raises for what the sheets contain. A year without hours or budget
gives zeros and NaN shares (shown as '–'); a year without subprojects gives empty tables.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from .. import metrics
from ..model import Dataset
from .common import as_hours, as_percent, monthly_rows, ratio_percent, staff_budget_by


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
        "Budgetgebruik": ratio_percent(frame["amount"], frame["budget_amount"]),
        "Verstreken": elapsed,
    }, index=frame.index)


def _subproject_rows(ds: Dataset, year: int, peildatum: dt.date, allocated: pd.DataFrame,
                     elapsed: float) -> pd.DataFrame:
    progress = metrics.subproject_progress(ds, year, peildatum)
    hours = metrics.subproject_hours(ds, year, allocated=allocated).set_index("code")
    budget = staff_budget_by(ds, year, "subproject")
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
        "Budgetgebruik": as_percent(use["used"]), "Verstreken": as_percent(use["elapsed"])})


WHOLE_PROJECT, OWN_ORGANISATION = "heel het project", "je organisatie"
PARTNER_PROGRESS_COLUMNS = ["Partner", "Naam", "Voortgang", "Acties", "Afgerond", "Lopend", "Te laat"]
PARTNER_MONEY_COLUMNS = ["Partner", "Uren", "Vergoed uren", "Boven budget", "Vergoed", "Budget",
                         "Resterend", "Budgetgebruik"]


def overview(ds: Dataset, year: int, peildatum: dt.date, own: str | None = None) -> Overview:
    """``own``: the partner code when the viewer is a partner (its Dataset holds only its own
    hours and money); it changes only the labels."""
    allocated = metrics.allocate_hours(ds, year)
    elapsed = as_percent(metrics.year_elapsed(year, peildatum))
    subs = _subproject_rows(ds, year, peildatum, allocated, elapsed)
    partner_hours = metrics.partner_hours(ds, year, allocated=allocated)
    partners = _partner_rows(ds, year, peildatum, partner_hours, elapsed)
    budget = _budget_rows(metrics.budget_use(ds, year, peildatum, allocated))
    amount, staff = int(partners["Vergoed"].sum()), int(partners["Budget"].sum())
    totals = Totals(
        actions=int(subs["Acties"].sum()), done=int(subs["Afgerond"].sum()),
        running=int(subs["Lopend"].sum()), overdue=int(subs["Te laat"].sum()),
        hours=float(as_hours(partner_hours["units"].sum())),
        compensated_hours=float(as_hours(partner_hours["comp_units"].sum())),
        uncompensated_hours=float(as_hours(partner_hours["uncomp_units"].sum())), amount=amount,
        budget=staff,
        remaining=staff - amount, used=amount / staff * 100.0 if staff else float("nan"),
        elapsed=elapsed)
    return Overview(year, peildatum, elapsed, subs, partners, budget, monthly_rows(ds, year),
                    totals, own)
