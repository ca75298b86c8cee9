"""The rules: progress, overdue, compensated hours and money, budget use, indicators.

Every function is pure: a Dataset (or frames) in, a DataFrame or dict out. Money is integer
cents and hours integer units of 1/10,000 hour, so sums are exact; floats appear only in
percentages and in the ``hours`` columns meant for display and charts.
"""
from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from .clock import local_today
from .model import Dataset
from .schema import CANCELLED, DONE
from .money import HOUR_UNITS, cents_of

CLOSED = (DONE, CANCELLED)
_KEY = ["year", "subproject", "partner"]


# -- dates -------------------------------------------------------------------------------------
def default_peildatum(year: int, today: dt.date | None = None) -> dt.date:
    """Today inside the year; the last day of a past year; the first day of a future one."""
    today = today or local_today()
    return min(max(today, dt.date(year, 1, 1)), dt.date(year, 12, 31))


def peildatum_for(year: int, chosen: dt.date | None, as_of: dt.date | None = None,
                  today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """(peildatum, its latest allowed day) of ``year``. Without a "zoals op" day: the user's
    ``chosen`` day, else the default of today. With one (the data as stored then), that day
    stands for today: it is the default and the upper bound, so a peildatum the user chose
    earlier stays and a later one waits (clearing "zoals op" gives it back). Always inside the
    year (a "zoals op" day before the year gives its first day)."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    bound = end if as_of is None else min(max(as_of, start), end)
    day = chosen if chosen is not None else default_peildatum(year, as_of or today)
    return min(max(day, start), bound), bound


def default_year(years: list[int], today: dt.date | None = None) -> int:
    """This year when the sheets have it, else the latest plan year."""
    today = today or local_today()
    return today.year if today.year in years else max(years)


def weeks_in_year(year: int) -> int:
    """52 or 53: the ISO week of 28 December is always the last one."""
    return dt.date(year, 12, 28).isocalendar().week


def week_bounds(year: int, iso_week: int) -> tuple[dt.date, dt.date]:
    """Monday and Sunday of an ISO week."""
    start = dt.date.fromisocalendar(year, iso_week, 1)
    return start, start + dt.timedelta(days=6)


def default_week(year: int, peildatum: dt.date) -> int:
    """The ISO week of the peildatum, kept inside the year's weeks."""
    iso = peildatum.isocalendar()
    if iso.year == year:
        return iso.week
    return 1 if iso.year < year else weeks_in_year(year)


# The Weekoverleg looks back: by default at the seven days up to and including the peildatum
# (on a Tuesday the calendar week has barely begun), else at one ISO week. A period is this
# constant or an ISO week number (1-53), so it can be a widget value and part of a cache key.
LAST_SEVEN_DAYS = 0
LOOKAHEAD_DAYS = 14  # "deadline in de komende twee weken"


def week_periods(year: int, peildatum: dt.date) -> list[int]:
    """The Weekoverleg's choices, the default first: LAST_SEVEN_DAYS, then the ISO weeks of the
    year up to the peildatum's week, newest first (a later week has nothing to look back on)."""
    return [LAST_SEVEN_DAYS, *range(default_week(year, peildatum), 0, -1)]


def week_period_bounds(year: int, period: int, peildatum: dt.date) -> tuple[dt.date, dt.date]:
    """First and last day (both included) of a Weekoverleg period."""
    if period == LAST_SEVEN_DAYS:
        return peildatum - dt.timedelta(days=6), peildatum
    return week_bounds(year, period)


def due_window(year: int, period: int, peildatum: dt.date) -> tuple[dt.date, dt.date]:
    """The days whose deadlines are "binnenkort": two weeks from the peildatum (last seven days)
    or from the Monday of the ISO week, but never before the peildatum: a deadline that has
    passed is te laat, not due. The window is empty (start > end) for a week long past."""
    anchor = peildatum if period == LAST_SEVEN_DAYS else week_bounds(year, period)[0]
    return max(anchor, peildatum), anchor + dt.timedelta(days=LOOKAHEAD_DAYS - 1)


def default_quarter(peildatum: dt.date) -> int:
    """The quarter of the peildatum (which lies inside the chosen year)."""
    return (peildatum.month - 1) // 3 + 1


def year_elapsed(year: int, peildatum: dt.date) -> float:
    """Share of the year elapsed at the end of the peildatum (0.0-1.0)."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    days = (min(max(peildatum, start - dt.timedelta(days=1)), end) - start).days + 1
    return days / ((end - start).days + 1)


def quarter_bounds(year: int, quarter: int) -> tuple[dt.date, dt.date]:
    start = dt.date(year, 3 * quarter - 2, 1)
    end = (dt.date(year + 1, 1, 1) if quarter == 4 else dt.date(year, 3 * quarter + 1, 1))
    return start, end - dt.timedelta(days=1)


def quarter_peildatum(year: int, quarter: int, peildatum: dt.date) -> dt.date:
    """The date a quarter's figures are counted at: the quarter's last day once the chosen
    peildatum lies past it (a past quarter is shown as it stood when it closed: te laat, pace
    and money all at that day), else the chosen peildatum itself (the running quarter, or one
    that has not started yet)."""
    return min(peildatum, quarter_bounds(year, quarter)[1])


def quarter_elapsed(year: int, quarter: int, peildatum: dt.date) -> float:
    """Share of the quarter elapsed at the end of the peildatum (0.0-1.0): 1.0 once it closed."""
    start, end = quarter_bounds(year, quarter)
    days = (min(max(peildatum, start - dt.timedelta(days=1)), end) - start).days + 1
    return days / ((end - start).days + 1)


# -- progress ----------------------------------------------------------------------------------
def year_actions(ds: Dataset, year: int) -> pd.DataFrame:
    return ds.actions[ds.actions["year"] == year]


def action_progress(actions: pd.DataFrame) -> pd.Series:
    """Afgerond = 100, Geannuleerd = left out (NaN), otherwise Voortgang (empty = 0)."""
    progress = actions["progress"].astype(float).fillna(0.0)
    progress = progress.where(actions["status"] != DONE, 100.0)
    return progress.where(actions["status"] != CANCELLED, np.nan)


def is_overdue(actions: pd.DataFrame, peildatum: dt.date) -> pd.Series:
    """Deadline before the peildatum and not Afgerond/Geannuleerd."""
    return (actions["deadline"] < pd.Timestamp(peildatum)) & ~actions["status"].isin(CLOSED)


def annotate_actions(actions: pd.DataFrame, peildatum: dt.date) -> pd.DataFrame:
    out = actions.copy()
    out["action_progress"] = action_progress(actions)
    out["overdue"] = is_overdue(actions, peildatum)
    return out


def _action_counts(actions: pd.DataFrame, by: str) -> pd.DataFrame:
    live = actions[actions["status"] != CANCELLED]
    return pd.DataFrame({
        "actions": live.groupby(by).size(),
        "done": live[live["status"] == DONE].groupby(by).size(),
        "running": live[live["status"] == "Lopend"].groupby(by).size(),
        "overdue": live[live["overdue"]].groupby(by).size(),
        "progress": live.groupby(by)["action_progress"].mean(),
    })


def goal_progress(ds: Dataset, year: int, peildatum: dt.date) -> pd.DataFrame:
    """Per goal: mean progress of its actions (NaN when it has none), action counts."""
    goals = ds.goals[ds.goals["year"] == year][["code", "subproject", "description"]]
    actions = annotate_actions(year_actions(ds, year), peildatum)
    counts = _action_counts(actions, "goal")
    out = goals.merge(counts, left_on="code", right_index=True, how="left")
    for col in ("actions", "done", "running", "overdue"):
        out[col] = out[col].fillna(0).astype("int64")
    return out.reset_index(drop=True)


def subproject_progress(ds: Dataset, year: int, peildatum: dt.date) -> pd.DataFrame:
    """Per subproject: mean of its goals that have progress; action counts."""
    subs = ds.subprojects[ds.subprojects["year"] == year][["code", "name", "lead", "manager"]]
    goals = goal_progress(ds, year, peildatum)
    agg = goals.groupby("subproject").agg(
        progress=("progress", "mean"), goals=("code", "size"), actions=("actions", "sum"),
        done=("done", "sum"), running=("running", "sum"), overdue=("overdue", "sum"))
    out = subs.merge(agg, left_on="code", right_index=True, how="left")
    for col in ("goals", "actions", "done", "running", "overdue"):
        out[col] = out[col].fillna(0).astype("int64")
    return out.reset_index(drop=True)


def partner_progress(ds: Dataset, year: int, peildatum: dt.date) -> pd.DataFrame:
    """Per partner: mean progress of the actions it leads (Trekker)."""
    actions = annotate_actions(year_actions(ds, year), peildatum)
    counts = _action_counts(actions, "lead")
    out = ds.partners[["code", "name"]].merge(counts, left_on="code", right_index=True, how="left")
    for col in ("actions", "done", "running", "overdue"):
        out[col] = out[col].fillna(0).astype("int64")
    return out.reset_index(drop=True)


def overdue_actions(ds: Dataset, year: int, peildatum: dt.date) -> pd.DataFrame:
    actions = annotate_actions(year_actions(ds, year), peildatum)
    return actions[actions["overdue"]].sort_values(["deadline", "id"]).reset_index(drop=True)


def due_between(ds: Dataset, start: dt.date, end: dt.date) -> pd.DataFrame:
    """Open actions whose deadline falls in [start, end]."""
    a = ds.actions
    mask = (a["deadline"] >= pd.Timestamp(start)) & (a["deadline"] <= pd.Timestamp(end)) & \
        ~a["status"].isin(CLOSED)
    return a[mask].sort_values(["deadline", "id"]).reset_index(drop=True)


def updated_between(ds: Dataset, start: dt.date, end: dt.date) -> pd.DataFrame:
    a = ds.actions
    mask = (a["updated"] >= pd.Timestamp(start)) & (a["updated"] <= pd.Timestamp(end))
    return a[mask].sort_values(["updated", "id"], ascending=[False, True]).reset_index(drop=True)


# -- hours and compensation --------------------------------------------------------------------
def staff_budget(ds: Dataset) -> pd.DataFrame:
    """The Personeel lines: per (year, subproject, partner) budgeted hour units H and rate r."""
    b = ds.budget[ds.budget["staff"]]
    return b[_KEY + ["hours_units", "rate", "rate_exact", "budget_amount"]].reset_index(drop=True)


def allocate_hours(ds: Dataset, year: int | None = None) -> pd.DataFrame:
    """Each valid hour row (of ``year``, or of every year) with its compensated and
    uncompensated units.

    Per (year, subproject, partner), rows in date order (then sheet order) are compensated
    until their sum reaches the budgeted hours H; the row that crosses H is split; the rest is
    not compensated (above budget). Rows without a Personeel line are not compensated at all.
    """
    # Memoized on the Dataset: every report needs it, and a Dataset never changes. The key
    # names the very frames it was computed from, so a filtered copy (which may share
    # ``extra``) never sees another dataset's allocation.
    # A year's allocation is independent of other years (budgets are per year), so a page that
    # shows one year allocates only that year's rows.
    key = ("allocation", id(ds.hours), id(ds.budget), year)
    if key not in ds.extra:
        ds.extra[key] = _allocate(ds, year)
    return ds.extra[key]


def _allocate(ds: Dataset, year: int | None) -> pd.DataFrame:
    h = ds.hours if year is None else ds.hours[ds.hours["year"] == year]
    h = h.sort_values(["date", "row"], kind="stable")
    h = h.merge(staff_budget(ds)[_KEY + ["hours_units", "rate", "rate_exact"]], on=_KEY,
                how="left")
    cap = h["hours_units"].fillna(0).astype("int64")
    before = h.groupby(_KEY, dropna=False)["units"].cumsum() - h["units"]
    comp = (cap - before).clip(lower=0)
    h["comp_units"] = np.minimum(comp, h["units"]).astype("int64")
    h["uncomp_units"] = h["units"] - h["comp_units"]
    h["rate"] = h["rate"].fillna(0).astype("int64")
    h["rate_exact"] = h["rate_exact"].astype(object).where(h["rate_exact"].notna(), None)
    return h.drop(columns=["hours_units"]).reset_index(drop=True)


def statement_lines(allocated: pd.DataFrame) -> pd.DataFrame:
    """One line per (year, partner, subproject, quarter), with cumulative rounding.

    A line's amount is the exact compensated amount through the end of its quarter, rounded
    half-up to the cent, minus the same through the end of the partner's previous line for that
    subproject. So the lines of a (partner, subproject) always add up to its exact year total
    rounded once, which never exceeds the budget H × r rounded; every larger total is a sum of
    lines. Example: 0,5 h in Q1 and Q2 at € 33,33 → 16,67 + 16,66 = 33,33.
    """
    keys = ["year", "partner", "subproject", "quarter"]
    lines = allocated.groupby(keys, as_index=False, sort=True).agg(
        units=("units", "sum"), comp_units=("comp_units", "sum"),
        uncomp_units=("uncomp_units", "sum"), rate=("rate", "first"),
        rate_exact=("rate_exact", "first"))
    through = lines.groupby(keys[:3])["comp_units"].cumsum()
    cumulative = pd.Series([cents_of(u, r) for u, r in zip(through, lines["rate_exact"])],
                           index=lines.index, dtype="int64")
    before = cumulative.groupby([lines[k] for k in keys[:3]]).shift(1, fill_value=0)
    lines["amount"] = (cumulative - before).astype("int64")
    lines = lines.drop(columns=["rate_exact"])
    for col in ("units", "comp_units", "uncomp_units"):
        lines[col.replace("units", "hours")] = lines[col] / HOUR_UNITS
    return lines


def period_lines(ds: Dataset, year: int, quarter: int | None = None,
                 allocated: pd.DataFrame | None = None) -> pd.DataFrame:
    lines = statement_lines(allocate_hours(ds, year) if allocated is None else allocated)
    lines = lines[lines["year"] == year]
    if quarter is not None:
        lines = lines[lines["quarter"] == quarter]
    return lines.reset_index(drop=True)


def partner_hours(ds: Dataset, year: int, quarter: int | None = None,
                  allocated: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per partner: hours, compensated hours and amount, above budget, and its year budget."""
    lines = period_lines(ds, year, quarter, allocated)
    sums = lines.groupby("partner")[["units", "comp_units", "uncomp_units", "amount"]].sum()
    budget = staff_budget(ds)
    budget = budget[budget["year"] == year].groupby("partner").agg(
        budget_units=("hours_units", "sum"), budget_amount=("budget_amount", "sum"))
    out = ds.partners[["code", "name"]].merge(sums, left_on="code", right_index=True, how="left")
    out = out.merge(budget, left_on="code", right_index=True, how="left")
    for col in ("units", "comp_units", "uncomp_units", "amount", "budget_units", "budget_amount"):
        out[col] = out[col].fillna(0).astype("int64")
    return _with_hours(out).reset_index(drop=True)


def subproject_hours(ds: Dataset, year: int, quarter: int | None = None,
                     allocated: pd.DataFrame | None = None) -> pd.DataFrame:
    lines = period_lines(ds, year, quarter, allocated)
    sums = lines.groupby("subproject")[["units", "comp_units", "uncomp_units", "amount"]].sum()
    subs = ds.subprojects[ds.subprojects["year"] == year][["code", "name"]]
    out = subs.merge(sums, left_on="code", right_index=True, how="left")
    for col in ("units", "comp_units", "uncomp_units", "amount"):
        out[col] = out[col].fillna(0).astype("int64")
    return _with_hours(out).reset_index(drop=True)


def _with_hours(df: pd.DataFrame) -> pd.DataFrame:
    for col in [c for c in df.columns if c.endswith("units")]:
        df[col.replace("units", "hours")] = df[col] / HOUR_UNITS
    return df


def hours_by_month(ds: Dataset, year: int) -> pd.DataFrame:
    """Hours per month per subproject, for the overview chart."""
    h = ds.hours[ds.hours["year"] == year]
    out = h.groupby([h["date"].dt.month.rename("month"), "subproject"])["units"].sum()
    out = out.reset_index()
    out["hours"] = out["units"] / HOUR_UNITS
    out["month_start"] = pd.to_datetime(dict(year=year, month=out["month"], day=1))
    return out


def hours_between(ds: Dataset, start: dt.date, end: dt.date) -> pd.DataFrame:
    """Hours logged in [start, end] per partner and person."""
    h = ds.hours
    h = h[(h["date"] >= pd.Timestamp(start)) & (h["date"] <= pd.Timestamp(end))]
    out = h.groupby(["partner", h["person"].fillna("(onbekend)")], as_index=False)["units"].sum()
    out["hours"] = out["units"] / HOUR_UNITS
    return out.sort_values(["partner", "person"]).reset_index(drop=True)


# -- budget ------------------------------------------------------------------------------------
def budget_use(ds: Dataset, year: int, peildatum: dt.date,
               allocated: pd.DataFrame | None = None,
               quarters: tuple[int, ...] | None = None) -> pd.DataFrame:
    """Per subproject and post: budget, spent (compensated amount for Personeel, Uitgaven for
    the other posts), share used, and the share of the year elapsed at the peildatum.
    ``quarters`` limits what counts as spent (a quarter report: (3,) or cumulative (1, 2, 3))."""
    b = ds.budget[ds.budget["year"] == year].copy()
    b["post_key"] = b["post"].str.casefold()
    budget = b.groupby(["subproject", "post_key"]).agg(
        post=("post", "first"), budget=("budget_amount", "sum"))
    lines = period_lines(ds, year, allocated=allocated)
    e = ds.expenses[ds.expenses["year"] == year].copy()
    if quarters is not None:
        lines = lines[lines["quarter"].isin(quarters)]
        e = e[e["quarter"].isin(quarters)].copy()
    staff = lines.groupby("subproject")["amount"].sum()
    staff.index = pd.MultiIndex.from_arrays([staff.index, ["personeel"] * len(staff)],
                                            names=["subproject", "post_key"])
    e["post_key"] = e["post"].str.casefold()
    other = e.groupby(["subproject", "post_key"])["amount"].sum()
    spent = pd.concat([staff, other]).groupby(level=[0, 1]).sum().rename("spent")
    out = budget.join(spent, how="outer").reset_index()
    names = e.groupby("post_key")["post"].first()
    out["post"] = out["post"].fillna(out["post_key"].map(names)).fillna("Personeel")
    out["budget"] = out["budget"].fillna(0).astype("int64")
    out["spent"] = out["spent"].fillna(0).astype("int64")
    out["used"] = np.where(out["budget"] > 0, out["spent"] / out["budget"].where(out["budget"] > 0),
                           np.nan)
    out["elapsed"] = year_elapsed(year, peildatum)
    return out.drop(columns=["post_key"]).sort_values(["subproject", "post"]).reset_index(drop=True)


# -- indicators --------------------------------------------------------------------------------
def indicator_status(ds: Dataset, year: int, upto: dt.date) -> pd.DataFrame:
    """Realised value up to a date: sum of Metingen ('som') or the latest value ('laatste')."""
    ind = ds.indicators[ds.indicators["year"] == year].copy()
    m = ds.measurements[ds.measurements["date"] <= pd.Timestamp(upto)]
    m = m.sort_values(["date", "row"], kind="stable")
    sums = m.groupby("indicator")["value"].sum()
    last = m.groupby("indicator")["value"].last()
    counts = m.groupby("indicator").size()
    ind["realised"] = np.where(ind["aggregation"] == "som", ind["id"].map(sums),
                               ind["id"].map(last))
    ind["measurements"] = ind["id"].map(counts).fillna(0).astype("int64")
    ind["realised"] = ind["realised"].where(ind["measurements"] > 0, np.nan)
    ind["share"] = ind["realised"] / ind["target"].where(ind["target"] != 0)
    return ind.reset_index(drop=True)


def indicator_history(ds: Dataset, year: int) -> pd.DataFrame:
    """Every measurement of the year's indicators with the realised value after it: the running
    sum ('som') or the value itself ('laatste'), so the last row of an indicator up to a date is
    what indicator_status gives for that date."""
    ind = ds.indicators[ds.indicators["year"] == year][["id", "aggregation", "target"]]
    m = ds.measurements.merge(ind, left_on="indicator", right_on="id", how="inner")
    m = m.sort_values(["indicator", "date", "row"], kind="stable").reset_index(drop=True)
    running = m.groupby("indicator")["value"].cumsum()
    m["realised"] = running.where(m["aggregation"] == "som", m["value"])
    return m.drop(columns=["id"])


# -- the summary the CLI prints ----------------------------------------------------------------
def _pct(value) -> float | None:
    return None if value is None or pd.isna(value) else round(float(value), 1)


def _hours(units) -> float:
    return round(int(units) / HOUR_UNITS, 4)


def _euros(cents) -> str:
    cents = int(cents)
    sign = "-" if cents < 0 else ""
    return f"{sign}{abs(cents) // 100}.{abs(cents) % 100:02d}"


def _statement_json(ds: Dataset, year: int, quarter: int | None) -> list[dict]:
    """The statement lines (statements.statement: frozen lines of closed quarters, corrections
    with ``corrects``) of the year, or of the quarter."""
    from .closing import line_label, year_statement

    lines = year_statement(ds, year)
    if quarter is not None:
        lines = lines[lines["quarter"] == quarter]
    return [{"quarter": int(r.quarter), "partner": r.partner, "subproject": r.subproject,
             "line": line_label(r.quarter, r.corrects, r.state), "corrects": r.corrects,
             "state": r.state, "hours": _hours(r.units), "compensated_hours": _hours(r.comp_units),
             "uncompensated_hours": _hours(r.uncomp_units), "amount": _euros(r.amount)}
            for r in lines.itertuples()]


def _closes_json(ds: Dataset, year: int) -> list[dict]:
    if ds.closes is None:
        return []
    return [{"quarter": int(c["quarter"]), "closed_at": c["closed_at"].isoformat(),
             "closed_by": c["closed_by"]} for c in ds.closes.active(year).to_dict("records")]


def summary(ds: Dataset, year: int, quarter: int | None = None,
            peildatum: dt.date | None = None) -> dict:
    """The figures of every rule, JSON-ready. Hours and money for the year (or the quarter);
    progress as the sheets stand; overdue at the peildatum — for a past quarter its last day
    (quarter_peildatum), as on Kwartaaloverzicht and in its downloads."""
    peildatum = peildatum or default_peildatum(year)
    if quarter is not None:
        peildatum = quarter_peildatum(year, quarter, peildatum)
    allocated = allocate_hours(ds, year)
    subs = subproject_progress(ds, year, peildatum)
    sub_hours = subproject_hours(ds, year, quarter, allocated).set_index("code")["units"]
    goals = goal_progress(ds, year, peildatum)
    partners = partner_hours(ds, year, quarter, allocated)
    errors = ds.problems["severity"] == "error"
    return {
        "year": year, "quarter": quarter, "peildatum": peildatum.isoformat(),
        "source": {"kind": ds.info.kind, "label": ds.info.label},
        "subprojects": [
            {"code": r.code, "name": r.name, "progress": _pct(r.progress), "actions": int(r.actions),
             "done": int(r.done), "overdue": int(r.overdue),
             "hours": _hours(sub_hours.get(r.code, 0))}
            for r in subs.itertuples()],
        "goals": [
            {"code": r.code, "subproject": r.subproject, "progress": _pct(r.progress),
             "actions": int(r.actions), "overdue": int(r.overdue)}
            for r in goals.itertuples()],
        "partners": [
            {"code": r.code, "hours": _hours(r.units), "compensated_hours": _hours(r.comp_units),
             "compensated_amount": _euros(r.amount), "uncompensated_hours": _hours(r.uncomp_units),
             "budget_hours": _hours(r.budget_units), "budget_amount": _euros(r.budget_amount)}
            for r in partners.itertuples()],
        "statement": _statement_json(ds, year, quarter),
        "closes": _closes_json(ds, year),
        "overdue_actions": list(overdue_actions(ds, year, peildatum)["id"]),
        "excluded_rows": dict(ds.excluded),
        "problems": {"errors": int(errors.sum()), "warnings": int((~errors).sum())},
    }
