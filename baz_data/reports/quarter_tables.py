"""The tables of the Kwartaaloverzicht (reports/quarter.py) and their Totaal rows.

Contract: one function per table of :class:`reports.quarter.QuarterReport`, each a frame with
Dutch headers and numeric values (KEY_COLUMNS and LATE_COLUMNS are fixed and tested), counted at
the report's one peildatum; cumulative figures are sums of the rounded statement lines of
Q1..quarter. :func:`total_row` is the Totaal row of a table: counts and cents summed, hours
summed in units of 1/10.000 h, a share recomputed from the summed parts (never a sum or mean of
percentages); :func:`table_totals` gives those of the tables where a total means something.

Error policy: nothing here raises for what the sheets contain. An empty year gives empty tables
and zero totals; a share without a whole is NaN (shown as '–').
"""
from __future__ import annotations

import datetime as dt

import pandas as pd

from .. import metrics
from ..model import Dataset
from ..schema import STATUSES
from .columns import COUNT, HOURS, MONEY, PERCENT, column_kind
from .common import (action_table, as_percent, indicator_rows, ratio_percent, staff_budget_by,
                     sum_hours, with_notes)

TOTAL = "Totaal"

_LEARNING_FIELDS = ["subproject", "goal", "id", "title", "status", "communication", "effect",
                    "lessons"]
_LATE_FIELDS = ["id", "title", "subproject", "goal", "lead", "owner", "deadline", "status",
                "action_progress"]

# Fixed column orders of the tables the report adds to the other pages' (tested).
KEY_COLUMNS = ["Deelproject", "Naam", "Voortgang", "Acties", "Afgerond", "Te laat",
               "Uren kwartaal", "Uren cumulatief", "Vergoed cumulatief", "Budget",
               "Budgetgebruik"]
# who and how late first: on a narrow screen the grid scrolls, the PDF has room for all
LATE_COLUMNS = ["ID", "Actie", "Verantwoordelijke", "Trekker", "Deadline", "Dagen te laat",
                "Status", "Voortgang", "Deelproject", "Doelstelling"]


# -- totals --------------------------------------------------------------------------------------
def total_row(frame: pd.DataFrame, label_column: str,
              ratios: dict[str, tuple[str, str]] | None = None) -> dict[str, object]:
    """The Totaal row under a table: counts and money summed exactly, hours summed in units;
    a percentage column is part/whole of its summed columns (``ratios``), or the one value all
    rows share (Verstreken), else empty. Text columns stay empty."""
    ratios = ratios or {}
    total: dict[str, object] = {label_column: TOTAL}
    for header in frame.columns:
        if header == label_column:
            continue
        kind = column_kind(header)
        values = frame[header]
        if kind in (MONEY, COUNT):
            total[header] = int(values.fillna(0).astype("int64").sum())
        elif kind == HOURS:
            total[header] = sum_hours(values.fillna(0.0))
        elif kind == PERCENT and header in ratios:
            part, whole = ratios[header]
            total[header] = (total[part] / total[whole] * 100.0 if total[whole]
                             else float("nan"))
        elif kind == PERCENT and len(values) and values.nunique(dropna=False) == 1:
            total[header] = float(values.iloc[0])
        else:
            total[header] = None
    return total


# -- tables --------------------------------------------------------------------------------------
def subproject_rows(progress: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({
        "Deelproject": progress["code"], "Naam": progress["name"],
        "Voortgang": progress["progress"], "Doelstellingen": progress["goals"],
        "Acties": progress["actions"], "Afgerond": progress["done"],
        "Lopend": progress["running"], "Te laat": progress["overdue"]})


def goal_rows(ds: Dataset, year: int, peildatum: dt.date) -> pd.DataFrame:
    g = metrics.goal_progress(ds, year, peildatum)
    return pd.DataFrame({
        "Deelproject": g["subproject"], "Doelstelling": g["code"], "Omschrijving": g["description"],
        "Voortgang": g["progress"], "Acties": g["actions"], "Afgerond": g["done"],
        "Lopend": g["running"], "Te laat": g["overdue"]})


def status_rows(ds: Dataset, year: int, peildatum: dt.date,
                 subprojects: pd.Series) -> pd.DataFrame:
    """Per subproject how many actions have each status; Te laat counts from the rule."""
    a = metrics.annotate_actions(metrics.year_actions(ds, year), peildatum)
    counts = pd.crosstab(a["subproject"], a["status"]).reindex(
        index=subprojects, columns=list(STATUSES), fill_value=0)
    out = counts.astype("int64").reset_index(drop=True)
    out.insert(0, "Deelproject", list(subprojects))
    out["Te laat"] = a[a["overdue"]].groupby("subproject").size().reindex(
        subprojects, fill_value=0).to_numpy(dtype="int64")
    out["Totaal"] = counts.sum(axis=1).to_numpy(dtype="int64")
    out.columns.name = None
    return out


def late_rows(ds: Dataset, year: int, peildatum: dt.date) -> pd.DataFrame:
    """The actions te laat at the peildatum, with how many days past their deadline."""
    late = metrics.overdue_actions(ds, year, peildatum)
    out = action_table(late, _LATE_FIELDS, peildatum)
    out.insert(out.columns.get_loc("Deadline") + 1, "Dagen te laat",
               (pd.Timestamp(peildatum) - late["deadline"]).dt.days.astype("int64"))
    return out[LATE_COLUMNS]


def quarter_indicator_rows(ds: Dataset, year: int, upto: dt.date) -> pd.DataFrame:
    ind = metrics.indicator_status(ds, year, upto)
    goal_sub = ds.goals[ds.goals["year"] == year].set_index("code")["subproject"]
    out = indicator_rows(ind)
    out.insert(0, "Doelstelling", ind["goal"].to_numpy())
    out.insert(0, "Deelproject", ind["goal"].map(goal_sub).to_numpy())
    return out


def learning_rows(ds: Dataset, year: int, peildatum: dt.date) -> pd.DataFrame:
    a = with_notes(metrics.year_actions(ds, year))
    # Goals in the order of the Doelstellingen tab (SD2 before SD10), actions by ID within them.
    order = {code: i for i, code in enumerate(ds.goals.loc[ds.goals["year"] == year, "code"])}
    a = a.assign(_order=a["goal"].map(order)).sort_values(["subproject", "_order", "id"])
    return action_table(a, _LEARNING_FIELDS, peildatum)


def _cumulative(allocated: pd.DataFrame, quarter: int) -> pd.DataFrame:
    """The chronological allocation of the whole year, cut after ``quarter``: its statement lines
    are exactly the lines of Q1..quarter, so cumulative totals are sums of rounded lines."""
    return allocated[allocated["quarter"] <= quarter]


def quarter_hours(ds: Dataset, year: int, quarter: int, allocated: pd.DataFrame,
                   elapsed: float) -> pd.DataFrame:
    q = metrics.subproject_hours(ds, year, quarter, allocated).set_index("code")
    cum = metrics.subproject_hours(ds, year, allocated=_cumulative(allocated, quarter))
    cum = cum.set_index("code")
    budget = staff_budget_by(ds, year, "subproject")["budget_amount"].reindex(cum.index)
    budget = budget.fillna(0).astype("int64")
    return pd.DataFrame({
        "Deelproject": cum.index, "Naam": cum["name"], "Uren kwartaal": q["hours"],
        "Uren cumulatief": cum["hours"], "Vergoed kwartaal": q["amount"],
        "Vergoed cumulatief": cum["amount"], "Budget": budget,
        "Resterend": budget - cum["amount"], "Budgetgebruik": ratio_percent(cum["amount"], budget),
        "Verstreken": elapsed}).reset_index(drop=True)


def quarter_budget(ds: Dataset, year: int, quarter: int, peildatum: dt.date,
                    allocated: pd.DataFrame) -> pd.DataFrame:
    q = metrics.budget_use(ds, year, peildatum, allocated, quarters=(quarter,))
    cum = metrics.budget_use(ds, year, peildatum, allocated, quarters=tuple(range(1, quarter + 1)))
    key = ["subproject", "post"]
    spent_q = cum[key].merge(q[key + ["spent"]], on=key, how="left")["spent"].fillna(0)
    return pd.DataFrame({
        "Deelproject": cum["subproject"], "Post": cum["post"], "Budget": cum["budget"],
        "Besteed kwartaal": spent_q.astype("int64"), "Besteed cumulatief": cum["spent"],
        "Resterend": cum["budget"] - cum["spent"], "Budgetgebruik": as_percent(cum["used"]),
        "Verstreken": as_percent(cum["elapsed"])})


def quarter_partners(ds: Dataset, year: int, quarter: int,
                      allocated: pd.DataFrame) -> pd.DataFrame:
    q = metrics.partner_hours(ds, year, quarter, allocated)
    cum = metrics.partner_hours(ds, year, allocated=_cumulative(allocated, quarter))
    return pd.DataFrame({
        "Partner": cum["code"], "Naam": cum["name"], "Uren kwartaal": q["hours"],
        "Vergoed kwartaal": q["amount"], "Uren cumulatief": cum["hours"],
        "Vergoed uren": cum["comp_hours"], "Boven budget": cum["uncomp_hours"],
        "Vergoed cumulatief": cum["amount"], "Budget": cum["budget_amount"],
        "Resterend": cum["budget_amount"] - cum["amount"]})


def key_rows(subprojects: pd.DataFrame, hours: pd.DataFrame) -> pd.DataFrame:
    """Page 1: per subproject its progress and actions next to its hours and money."""
    money = hours.drop(columns="Naam").set_index("Deelproject").reindex(subprojects["Deelproject"])
    out = pd.concat([subprojects.reset_index(drop=True), money.reset_index(drop=True)], axis=1)
    for header in ("Uren kwartaal", "Uren cumulatief"):
        out[header] = out[header].fillna(0.0)
    for header in ("Vergoed cumulatief", "Budget"):
        out[header] = out[header].fillna(0).astype("int64")
    return out[KEY_COLUMNS]


def table_totals(key, subprojects, action_status, hours, budget, partners) -> dict[str, dict]:
    return {
        "key": total_row(key, "Deelproject", {"Budgetgebruik": ("Vergoed cumulatief", "Budget")}),
        "subprojects": total_row(subprojects, "Deelproject"),
        "action_status": total_row(action_status, "Deelproject"),
        "hours": total_row(hours, "Deelproject",
                           {"Budgetgebruik": ("Vergoed cumulatief", "Budget")}),
        "budget": total_row(budget, "Deelproject",
                            {"Budgetgebruik": ("Besteed cumulatief", "Budget")}),
        "partners": total_row(partners, "Partner"),
    }
