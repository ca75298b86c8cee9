"""View-models of the budget evaluation: the Begrotingsevaluatie page and the early warnings on
Overzicht and Weekoverleg.

Like reports/: Dutch headers, numeric values (money in cents, hours as float hours, dates as
``datetime.date``), every figure from a rule (forecast.py), nothing decided here. The forecast is
a separate, labelled estimate next to what is compensated; it never changes a compensated amount.
Each frame has a fixed column order, declared below and tested.

Error policy: the Dataset holds only valid rows; an empty year gives empty frames with these
columns and no warnings.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from . import draft_budget, forecast
from .formatting import fmt_date, fmt_hours, fmt_money, fmt_percent
from .model import Dataset
from .money import HOUR_UNITS
from .schema import STAFF_POST

LINE_COLUMNS = ["Partner", "Deelproject", "Budget uren", "Uren", "Prognose uren",
                "Budget bereikt", "Signaal", "Budget", "Vergoed", "Prognose", "Prognose laag",
                "Prognose hoog", "Verschil"]
# The lines table is shown as two, hours and money, so each fits a laptop's width.
LINE_HOURS_COLUMNS = ["Partner", "Deelproject", "Budget uren", "Uren", "Prognose uren",
                      "Budget bereikt", "Signaal"]
LINE_MONEY_COLUMNS = ["Partner", "Deelproject", "Budget", "Vergoed", "Prognose", "Prognose laag",
                      "Prognose hoog", "Verschil"]
POST_COLUMNS = ["Deelproject", "Post", "Budget", "Besteed", "Prognose", "Prognose laag",
                "Prognose hoog", "Verschil"]
ABOVE_COLUMNS = ["Partner", "Naam", "Boven budget", "Prognose boven budget"]
RUNS_OUT_COLUMNS = ["Partner", "Deelproject", "Budget bereikt", "Budget uren", "Prognose uren"]
UNUSED_COLUMNS = ["Partner", "Deelproject", "Budget uren", "Prognose uren", "Ongebruikt",
                  "Verschil"]
CURVE_COLUMNS = ["Datum", "Reeks", "Uren"]
CURVE_SERIES = {forecast.WRITTEN: "Geschreven", forecast.FORECAST: "Prognose",
                forecast.LOW: "Prognose laag", forecast.HIGH: "Prognose hoog"}

SIGNALS = {forecast.OVER: "budget bereikt", forecast.RUNS_OUT: "budget op vóór 31/12",
           forecast.UNUSED: f"meer dan {forecast.UNUSED_PERCENT}% ongebruikt",
           forecast.ON_TRACK: "", forecast.NO_BUDGET: "geen Personeel-lijn"}


def rule_text(peildatum: dt.date) -> str:
    """The rule in one sentence, for captions and the download."""
    return (f"Prognose: het tempo van de 8 weken tot en met de peildatum {fmt_date(peildatum)} "
            "doorgetrokken tot 31/12; de band gaat van het tragere tot het snellere blok van 4 "
            "weken. Een schatting: ze verandert niets aan wat vergoed wordt.")


def _nbsp(text: str) -> str:
    """'€ 1.234,00' that never breaks after the euro sign inside a sentence."""
    return text.replace(" ", "\u00a0")


def _h(units) -> pd.Series:
    return units / HOUR_UNITS


# -- early warnings -------------------------------------------------------------------------------
@dataclass
class EarlyWarnings:
    year: int
    peildatum: dt.date
    runs_out: pd.DataFrame        # RUNS_OUT_COLUMNS: reached, or reached before 31/12
    unused: pd.DataFrame          # UNUSED_COLUMNS: more than UNUSED_PERCENT % left unused
    runs_out_text: list[str]      # "DOMO bereikt zijn budget voor DP2 rond 14/10/2026."
    unused_text: list[str]
    rule: str

    @property
    def any(self) -> bool:
        return bool(len(self.runs_out) or len(self.unused))


def _runs_out_sentence(line) -> str:
    if line.status == forecast.OVER:
        return (f"{line.partner} bereikte zijn budget voor {line.subproject} op "
                f"{fmt_date(line.reached)}: wat daarna geschreven wordt, is boven budget "
                "(niet vergoed).")
    return (f"{line.partner} bereikt zijn budget voor {line.subproject} rond "
            f"{fmt_date(line.reached)} ({fmt_hours(line.budget_units / HOUR_UNITS)}).")


def _unused_sentence(line) -> str:
    return (f"{line.partner} laat voor {line.subproject} naar schatting "
            f"{fmt_percent(forecast.unused_percent(line._asdict()))} van zijn uren ongebruikt "
            f"({_nbsp(fmt_money(line.budget_amount - line.forecast_amount))}).")


def early_warnings(ds: Dataset, year: int, peildatum: dt.date) -> EarlyWarnings:
    lines = forecast.staff_lines(ds, year, peildatum)
    late = lines[lines["status"].isin([forecast.OVER, forecast.RUNS_OUT])]
    late = late.sort_values(["reached", "partner", "subproject"])
    unused = lines[lines["status"] == forecast.UNUSED]
    unused = unused.assign(_share=[forecast.unused_percent(r) for _, r in unused.iterrows()])
    unused = unused.sort_values(["_share", "partner"], ascending=[False, True])
    runs_out = pd.DataFrame({
        "Partner": late["partner"], "Deelproject": late["subproject"],
        "Budget bereikt": list(late["reached"]), "Budget uren": _h(late["budget_units"]),
        "Prognose uren": _h(late["forecast_units"])}, columns=RUNS_OUT_COLUMNS)
    unused_frame = pd.DataFrame({
        "Partner": unused["partner"], "Deelproject": unused["subproject"],
        "Budget uren": _h(unused["budget_units"]), "Prognose uren": _h(unused["forecast_units"]),
        "Ongebruikt": unused["_share"].astype(float),
        "Verschil": unused["budget_amount"] - unused["forecast_amount"]}, columns=UNUSED_COLUMNS)
    return EarlyWarnings(
        year, peildatum, runs_out.reset_index(drop=True), unused_frame.reset_index(drop=True),
        [_runs_out_sentence(r) for r in late.itertuples()],
        [_unused_sentence(r) for r in unused.drop(columns="_share").itertuples()],
        rule_text(peildatum))


# -- Begrotingsevaluatie --------------------------------------------------------------------------
@dataclass
class BudgetEvaluation:
    year: int
    next_year: int
    peildatum: dt.date
    rule: str
    posts: pd.DataFrame          # POST_COLUMNS, per subproject and post
    lines: pd.DataFrame          # LINE_COLUMNS, per partner and subproject (Personeel)
    above: pd.DataFrame          # ABOVE_COLUMNS, hours above budget (not compensated) per partner
    draft: pd.DataFrame          # draft_budget.DRAFT_COLUMNS, the proposal for next year
    subprojects: dict[str, str]  # code -> name, the chart's choices
    next_subprojects_missing: bool  # the Deelprojecten tab has no rows for next year yet
    totals: dict[str, int]       # budget, spent, forecast, low, high (cents, every post)

    def draft_check(self, edited: pd.DataFrame | None, partners: pd.DataFrame,
                    subprojects: pd.DataFrame) -> draft_budget.DraftCheck:
        return draft_budget.check_draft(partners, subprojects,
                                        self.draft if edited is None else edited, self.next_year)

    def sheets(self) -> dict[str, pd.DataFrame]:
        """The evaluation tables for the download, under their sheet names."""
        return {"Per deelproject en post": self.posts, "Per partner": self.lines,
                "Boven budget": self.above}


def _post_rows(posts: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({
        "Deelproject": posts["subproject"], "Post": posts["post"], "Budget": posts["budget"],
        "Besteed": posts["spent"], "Prognose": posts["forecast"], "Prognose laag": posts["low"],
        "Prognose hoog": posts["high"], "Verschil": posts["budget"] - posts["forecast"]},
        columns=POST_COLUMNS).reset_index(drop=True)


def _line_rows(lines: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({
        "Partner": lines["partner"], "Deelproject": lines["subproject"],
        "Budget uren": _h(lines["budget_units"]), "Uren": _h(lines["units"]),
        "Prognose uren": _h(lines["forecast_units"]), "Budget bereikt": list(lines["reached"]),
        "Signaal": lines["status"].map(SIGNALS), "Budget": lines["budget_amount"],
        "Vergoed": lines["amount"], "Prognose": lines["forecast_amount"],
        "Prognose laag": lines["low_amount"], "Prognose hoog": lines["high_amount"],
        "Verschil": lines["budget_amount"] - lines["forecast_amount"]},
        columns=LINE_COLUMNS).sort_values(["Partner", "Deelproject"]).reset_index(drop=True)


def _above_rows(ds: Dataset, lines: pd.DataFrame) -> pd.DataFrame:
    sums = lines.groupby("partner")[["uncomp_units", "forecast_uncomp_units"]].sum()
    partners = ds.partners[["code", "name"]]
    sums = sums.reindex(partners["code"]).fillna(0)
    return pd.DataFrame({
        "Partner": partners["code"].to_numpy(), "Naam": partners["name"].to_numpy(),
        "Boven budget": _h(sums["uncomp_units"]).to_numpy(),
        "Prognose boven budget": _h(sums["forecast_uncomp_units"]).to_numpy()},
        columns=ABOVE_COLUMNS)


def budget_evaluation(ds: Dataset, year: int, peildatum: dt.date,
                      partner: str | None = None) -> BudgetEvaluation:
    """``partner``: the evaluation a partner sees (its Dataset is already filtered to its own
    rows): only its Personeel lines, since the other posts are shared money, not the partner's
    (its own expenses there would stand against no budget)."""
    lines = forecast.staff_lines(ds, year, peildatum)
    posts = forecast.post_lines(ds, year, peildatum, lines)
    if partner is not None:
        posts = posts[posts["post"].str.casefold() == STAFF_POST.casefold()].reset_index(drop=True)
    subs = ds.subprojects[ds.subprojects["year"] == year]
    totals = {k: int(posts[k].sum()) for k in ("budget", "spent", "forecast", "low", "high")}
    return BudgetEvaluation(
        year=year, next_year=year + 1, peildatum=peildatum, rule=rule_text(peildatum),
        posts=_post_rows(posts), lines=_line_rows(lines), above=_above_rows(ds, lines),
        draft=draft_budget.build_draft(lines, posts, year, peildatum),
        subprojects=dict(zip(subs["code"], subs["name"])),
        next_subprojects_missing=not (ds.subprojects["year"] == year + 1).any(), totals=totals)


def hours_curve(ds: Dataset, year: int, peildatum: dt.date, subproject: str | None = None,
                partner: str | None = None) -> tuple[pd.DataFrame, float]:
    """The chart's frame (CURVE_COLUMNS; Reeks = Geschreven / Prognose / Prognose laag /
    Prognose hoog) and the budgeted hours of the selection."""
    curve, budget_units = forecast.cumulative_curve(ds, year, peildatum, subproject, partner)
    frame = pd.DataFrame({"Datum": pd.to_datetime(curve["date"]),
                          "Reeks": curve["kind"].map(CURVE_SERIES),
                          "Uren": _h(curve["units"]).astype(float)}, columns=CURVE_COLUMNS)
    return frame, budget_units / HOUR_UNITS
