"""The forecast to year end: at the pace of the last weeks, when a budget runs out and what will
be spent by 31 December. A separate, labelled estimate: it never changes what is compensated.

The rule (README, "Prognose"):

* Only rows dated on or before the peildatum (and in the chosen year) count.
* **Pace of the hours** of a (partner, subproject): the hours of the last 8 weeks (the 56 days
  ending on the peildatum, never before 1 January) divided by those days. The **band** comes from
  the two 4-week blocks of that window (the 28 days ending on the peildatum and the 28 before):
  the slower block gives the low, the faster the high estimate. With less than 28 days of the year
  elapsed there is one block and no band.
* **Forecast hours at year end** = hours so far + pace × the days left after the peildatum,
  rounded half-up to the unit of 1/10.000 hour (integer arithmetic, nothing in between rounded).
* **Budget reached**: the date the hours so far crossed the Personeel line's hours H (the
  allocation's crossing row), or else the peildatum + the days the pace needs for what is left,
  rounded up to a whole day; only when that date is on or before 31 December.
* **Forecast compensation** = min(forecast hours, H) × the rate, rounded once to the cent (the
  rule of metrics.allocate_hours applied to the estimate); the rest is forecast *boven budget*.
* **Other posts** (Uitgaven are few and lumpy): spent so far + the pace since 1 January × the days
  left, rounded half-up to the cent; no band.
* **Warnings**: a line that reached or will reach its hours before year end (``OVER``,
  ``RUNS_OUT``), and a line expected to leave more than :data:`UNUSED_PERCENT` % of its hours
  unused (``UNUSED``): the two things the stuurgroep can still act on.

Every function is pure (Dataset in, frame out); hours are integer units, money integer cents.
Error policy: the Dataset holds only valid rows, so nothing here raises on data; an empty year
gives frames with the declared columns and no rows.
"""
from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from . import metrics
from .model import Dataset
from .money import cents_of
from .schema import STAFF_POST

WINDOW_DAYS = 56          # 8 weeks: long enough to smooth a week off, short enough to follow a turn
BLOCK_DAYS = 28           # 4 weeks: the slow and fast block of the band
UNUSED_PERCENT = 20       # "more than a fifth of the hours left unused" is worth a word

# status of a (partner, subproject) line
OVER, RUNS_OUT, UNUSED, ON_TRACK, NO_BUDGET = "over", "runs_out", "unused", "on_track", "no_budget"

LINE_COLUMNS = [
    "subproject", "partner", "budget_units", "rate_exact", "budget_amount", "units",
    "comp_units", "uncomp_units", "amount", "pace_units", "pace_days", "forecast_units",
    "low_units", "high_units", "forecast_comp_units", "forecast_uncomp_units",
    "forecast_amount", "low_amount", "high_amount", "reached", "reached_actual", "status",
]
POST_COLUMNS = ["subproject", "post", "budget", "spent", "forecast", "low", "high"]


# -- the arithmetic ------------------------------------------------------------------------------
def div_half_up(numerator: int, denominator: int) -> int:
    """numerator / denominator rounded half-up (towards +∞ on a tie), exactly, in integers."""
    return (2 * int(numerator) + int(denominator)) // (2 * int(denominator))


def div_up(numerator: int, denominator: int) -> int:
    """Ceiling of a positive quotient, exactly."""
    return -(-int(numerator) // int(denominator))


def windows(year: int, peildatum: dt.date) -> dict[str, tuple[dt.date, dt.date] | None]:
    """The pace window and its two blocks as inclusive (first, last) days, cut at 1 January;
    ``earlier`` is None when the year is younger than one block."""
    first_day = dt.date(year, 1, 1)
    peil = min(max(peildatum, first_day), dt.date(year, 12, 31))
    recent = (max(first_day, peil - dt.timedelta(BLOCK_DAYS - 1)), peil)
    earlier_last = peil - dt.timedelta(BLOCK_DAYS)
    earlier = (max(first_day, peil - dt.timedelta(WINDOW_DAYS - 1)), earlier_last) \
        if earlier_last >= first_day else None
    return {"window": (earlier or recent)[0:1] + (peil,), "recent": recent, "earlier": earlier}


def _days(span: tuple[dt.date, dt.date] | None) -> int:
    return 0 if span is None else (span[1] - span[0]).days + 1


def days_left(year: int, peildatum: dt.date) -> int:
    """Days after the peildatum up to and including 31 December."""
    return max((dt.date(year, 12, 31) - peildatum).days, 0)


def project(units: int, pace_units: int, pace_days: int, left: int) -> int:
    """Hours (or cents) so far + pace × days left, rounded half-up once."""
    return int(units) + (div_half_up(pace_units * left, pace_days) if pace_days else 0)


def reach_date(units: int, cap: int, pace_units: int, pace_days: int,
               peildatum: dt.date, year: int) -> dt.date | None:
    """The day the pace reaches ``cap`` (rounded up to a whole day), if on or before 31/12."""
    if cap <= 0 or pace_units <= 0 or units >= cap:
        return None
    day = peildatum + dt.timedelta(days=div_up((cap - units) * pace_days, pace_units))
    return day if day <= dt.date(year, 12, 31) else None


# -- per (partner, subproject) -------------------------------------------------------------------
def _in(dates: pd.Series, span: tuple[dt.date, dt.date] | None) -> pd.Series:
    if span is None:
        return pd.Series(False, index=dates.index)
    return (dates >= pd.Timestamp(span[0])) & (dates <= pd.Timestamp(span[1]))


def _crossing_dates(allocated: pd.DataFrame) -> pd.Series:
    """(subproject, partner) -> date of the row whose hours reached the budget (the first row
    with uncompensated hours, or the one that filled it exactly)."""
    a = allocated[allocated["hours_units"] > 0] if "hours_units" in allocated else allocated
    if a.empty:
        return pd.Series(dtype=object)
    through = a.groupby(["subproject", "partner"])["comp_units"].cumsum()
    full = a[through >= a["hours_units"]]
    return full.groupby(["subproject", "partner"])["date"].first()


def staff_lines(ds: Dataset, year: int, peildatum: dt.date) -> pd.DataFrame:
    """One row per (subproject, partner) with a Personeel line or hours in the year, in
    :data:`LINE_COLUMNS` order (see the module docstring for each figure)."""
    spans = windows(year, peildatum)
    peil = spans["window"][1]
    h = ds.hours[(ds.hours["year"] == year) & (ds.hours["date"] <= pd.Timestamp(peil))]
    h = h.sort_values(["date", "row"], kind="stable")
    key = ["subproject", "partner"]
    budget = metrics.staff_budget(ds)
    budget = budget[budget["year"] == year].set_index(key)
    grouped = pd.DataFrame({
        "units": h.groupby(key)["units"].sum(),
        "recent": h[_in(h["date"], spans["recent"])].groupby(key)["units"].sum(),
        "earlier": h[_in(h["date"], spans["earlier"])].groupby(key)["units"].sum(),
    })
    index = budget.index.union(grouped.index)
    out = grouped.reindex(index).fillna(0).astype("int64")
    out["budget_units"] = budget["hours_units"].reindex(index).fillna(0).astype("int64")
    out["rate_exact"] = budget["rate_exact"].reindex(index).astype(object)
    out["budget_amount"] = budget["budget_amount"].reindex(index).fillna(0).astype("int64")

    d_recent, d_earlier = _days(spans["recent"]), _days(spans["earlier"])
    left = days_left(year, peil)
    out["pace_units"] = out["recent"] + out["earlier"]
    out["pace_days"] = d_recent + d_earlier
    out["forecast_units"] = [project(u, p, d_recent + d_earlier, left)
                             for u, p in zip(out["units"], out["pace_units"])]
    # the band: each block's pace over the days left (one block: no band)
    by_recent = [project(u, r, d_recent, left) for u, r in zip(out["units"], out["recent"])]
    by_earlier = ([project(u, e, d_earlier, left) for u, e in zip(out["units"], out["earlier"])]
                  if d_earlier else by_recent)
    out["low_units"] = np.minimum(by_recent, by_earlier).astype("int64")
    out["high_units"] = np.maximum(by_recent, by_earlier).astype("int64")

    cap = out["budget_units"]
    out["comp_units"] = np.minimum(out["units"], cap).astype("int64")
    out["uncomp_units"] = (out["units"] - out["comp_units"]).astype("int64")
    out["forecast_comp_units"] = np.minimum(out["forecast_units"], cap).astype("int64")
    out["forecast_uncomp_units"] = (out["forecast_units"] - out["forecast_comp_units"]).astype("int64")
    rates = list(out["rate_exact"].where(out["rate_exact"].notna(), None))
    for money, units in (("amount", "comp_units"), ("forecast_amount", "forecast_comp_units"),
                         ("low_amount", "low_units"), ("high_amount", "high_units")):
        capped = np.minimum(out[units], cap)
        out[money] = pd.Series([cents_of(u, r) for u, r in zip(capped, rates)], index=out.index,
                               dtype="int64")

    crossed = _crossing_dates(metrics.allocate_hours(ds, year).pipe(
        lambda a: a[a["date"] <= pd.Timestamp(peil)]).merge(
        budget[["hours_units"]].reset_index(), on=key, how="inner"))
    actual = [crossed.get(k) if u >= c > 0 else None
              for k, u, c in zip(out.index, out["units"], cap)]
    out["reached_actual"] = [None if d is None or pd.isna(d) else pd.Timestamp(d).date()
                             for d in actual]
    projected = [reach_date(u, c, p, d_recent + d_earlier, peil, year)
                 for u, c, p in zip(out["units"], cap, out["pace_units"])]
    out["reached"] = [a if a is not None else p for a, p in zip(out["reached_actual"], projected)]
    out["status"] = [_status(a, r, f, c) for a, r, f, c in
                     zip(out["reached_actual"], out["reached"], out["forecast_units"], cap)]
    out = out.reset_index()
    return out[LINE_COLUMNS].sort_values(key).reset_index(drop=True)


def _status(actual, reached, forecast: int, cap: int) -> str:
    if cap <= 0:
        return NO_BUDGET
    if actual is not None:
        return OVER
    if reached is not None:
        return RUNS_OUT
    if forecast * 100 < cap * (100 - UNUSED_PERCENT):
        return UNUSED
    return ON_TRACK


def unused_percent(line) -> float:
    """The share of a line's hours the forecast leaves unused (0–100), for the warning."""
    cap = int(line["budget_units"])
    return 0.0 if cap <= 0 else max(cap - int(line["forecast_units"]), 0) * 100.0 / cap


# -- per subproject and post ---------------------------------------------------------------------
def post_lines(ds: Dataset, year: int, peildatum: dt.date,
               lines: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per (subproject, post), in :data:`POST_COLUMNS` order: budget, spent at the peildatum
    (compensated amount for Personeel, Uitgaven otherwise), and the year-end forecast with its
    band (Personeel: the sum of its partner lines; other posts: pace since 1 January)."""
    lines = staff_lines(ds, year, peildatum) if lines is None else lines
    peil = windows(year, peildatum)["window"][1]
    staff = lines.groupby("subproject").agg(
        budget=("budget_amount", "sum"), spent=("amount", "sum"),
        forecast=("forecast_amount", "sum"), low=("low_amount", "sum"),
        high=("high_amount", "sum")).reset_index()
    staff["post"] = STAFF_POST
    b = ds.budget[(ds.budget["year"] == year) & ~ds.budget["staff"]].copy()
    b["post_key"] = b["post"].str.casefold()
    e = ds.expenses[(ds.expenses["year"] == year) & (ds.expenses["date"] <= pd.Timestamp(peil))]
    e = e[e["post"].str.casefold() != STAFF_POST.casefold()].copy()
    e["post_key"] = e["post"].str.casefold()
    budget = b.groupby(["subproject", "post_key"]).agg(post=("post", "first"),
                                                       budget=("budget_amount", "sum"))
    spent = e.groupby(["subproject", "post_key"]).agg(spent_post=("post", "first"),
                                                      spent=("amount", "sum"))
    other = budget.join(spent, how="outer").reset_index()
    other["post"] = other["post"].fillna(other["spent_post"])
    other["budget"] = other["budget"].fillna(0).astype("int64")
    other["spent"] = other["spent"].fillna(0).astype("int64")
    elapsed, left = (peil - dt.date(year, 1, 1)).days + 1, days_left(year, peil)
    other["forecast"] = [project(s, s, elapsed, left) for s in other["spent"]]
    other["low"] = other["high"] = other["forecast"]
    out = pd.concat([staff[POST_COLUMNS], other[POST_COLUMNS]], ignore_index=True)
    for col in POST_COLUMNS[2:]:
        out[col] = out[col].astype("int64")
    order = out["post"].str.casefold() != STAFF_POST.casefold()  # Personeel first
    return out.assign(_o=order).sort_values(["subproject", "_o", "post"]).drop(columns="_o") \
        .reset_index(drop=True)


# -- the cumulative curve ------------------------------------------------------------------------
CURVE_COLUMNS = ["date", "kind", "units"]
WRITTEN, FORECAST, LOW, HIGH = "written", "forecast", "low", "high"


def cumulative_curve(ds: Dataset, year: int, peildatum: dt.date, subproject: str | None = None,
                     partner: str | None = None) -> tuple[pd.DataFrame, int]:
    """The cumulative hours of a selection (every line, one subproject, one partner, or one
    (partner, subproject)) as one point per Sunday up to the peildatum and the peildatum itself
    (``written``), and the forecast lines from the peildatum to 31 December (``forecast``,
    ``low``, ``high``); with the selection's budgeted hours. Frame in :data:`CURVE_COLUMNS`."""
    peil = windows(year, peildatum)["window"][1]
    h = ds.hours[(ds.hours["year"] == year) & (ds.hours["date"] <= pd.Timestamp(peil))]
    lines = staff_lines(ds, year, peildatum)
    if subproject is not None:
        h, lines = h[h["subproject"] == subproject], lines[lines["subproject"] == subproject]
    if partner is not None:
        h, lines = h[h["partner"] == partner], lines[lines["partner"] == partner]
    daily = h.groupby("date")["units"].sum().sort_index().cumsum()
    first = dt.date(year, 1, 1)
    sundays = [d for d in pd.date_range(first, peil, freq="W-SUN").date] + [peil]
    stamps = pd.to_datetime(sorted(set(sundays)))
    written = daily.reindex(daily.index.union(stamps)).ffill().fillna(0).reindex(stamps)
    rows = [(first, WRITTEN, 0)] + [(d.date(), WRITTEN, int(u)) for d, u in written.items()]
    so_far = int(lines["units"].sum())
    end = dt.date(year, 12, 31)
    for kind, column in ((FORECAST, "forecast_units"), (LOW, "low_units"), (HIGH, "high_units")):
        rows += [(peil, kind, so_far), (end, kind, int(lines[column].sum()))]
    return pd.DataFrame(rows, columns=CURVE_COLUMNS), int(lines["budget_units"].sum())
