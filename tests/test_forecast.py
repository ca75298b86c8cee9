"""The forecast rule (baz_data/forecast.py), by hand on one Personeel line: ATK / DP1 at € 45,50.

Peildatum 30/09/2021 (2021 has 365 days). The 8-week window is 06/08–30/09 (56 days); its blocks
are 06/08–02/09 (earlier) and 03/09–30/09 (recent), 28 days each. Days left after the
peildatum: 31 + 30 + 31 = 92. Rows are written on Fridays: 06, 13, 20, 27/08 (earlier block)
and 03, 10, 17, 24/09 (recent block); a row on 01/10 lies after the peildatum and never counts.

* steady: 14 h every Friday = 112 h; pace 112/56 = 2 h/day; forecast 112 + 2 × 92 = 296 h; both
  blocks 56/28 = 2 h/day, so no band (296–296). Budget 200 h: the 88 h left take 44 days →
  30/09 + 44 = 13/11/2021 (runs out). Compensated so far 112 × 45,50 = € 5.096,00; forecast
  min(296, 200) × 45,50 = € 9.100,00; forecast above budget 96 h.
* pause: 14 h on the four earlier Fridays only = 56 h; pace 1 h/day; forecast 56 + 92 = 148 h;
  band: recent block 0 → 56 h, earlier 2 h/day → 56 + 184 = 240 h. Budget 200 h: 144 h at
  1 h/day is after 31/12, and 148 < 80 % of 200 = 160: more than 20 % unused (26 %).
* burst: 5 × 20 h in March (outside the window) + 21 h on the four recent Fridays = 184 h; pace
  84/56 = 1,5 h/day; forecast 184 + 138 = 322 h; band 184 (earlier block empty) – 184 + 3 × 92 =
  460 h. Budget 200 h: 16 h at 1,5 h/day = 10,67 → 11 days → 11/10/2021.
* over: 5 × 20 h on 01–05/03 fill the 100 h budget exactly on 05/03; then 14 h on 10/09:
  114 h, 14 h above budget (not compensated); pace 14/56 = 0,25 h/day → 114 + 23 = 137 h; band
  114 (earlier block empty) – 114 + 0,5 × 92 = 160 h.
  Compensated stays 100 × 45,50 = € 4.550,00, and so does the forecast compensation.
"""
import datetime as dt

import pytest

from baz_data import forecast, metrics
from baz_data.money import HOUR_UNITS
from tests.conftest import base_tabs, dataset_of

D = dt.date
PEIL = D(2021, 9, 30)
EARLIER = [D(2021, 8, 6), D(2021, 8, 13), D(2021, 8, 20), D(2021, 8, 27)]
RECENT = [D(2021, 9, 3), D(2021, 9, 10), D(2021, 9, 17), D(2021, 9, 24)]
MARCH = [D(2021, 3, d) for d in range(1, 6)]
AFTER = [(D(2021, 10, 1), 24)]      # after the peildatum: never counts


def line_dataset(rows: list[tuple[dt.date, float]], budget_hours: int):
    tabs = base_tabs()
    tabs["Uren"] = tabs["Uren"][:1] + [[d, "ATK", "An", "DP1", None, h, None] for d, h in rows]
    tabs["Begroting"] = [tabs["Begroting"][0], [2021, "DP1", "ATK", "Personeel", budget_hours,
                                                "€ 45,50", None],
                         [2021, "DP1", None, "Communicatie", None, None, "1.000,00"]]
    return dataset_of(tabs)


CASES = [
    # id, rows, budget h, so far h, forecast h, low h, high h, reached, status, comp € cents, forecast € cents
    ("steady", [(d, 14) for d in EARLIER + RECENT] + AFTER, 200,
     112, 296, 296, 296, D(2021, 11, 13), forecast.RUNS_OUT, 509600, 910000),
    ("pause", [(d, 14) for d in EARLIER] + AFTER, 200,
     56, 148, 56, 240, None, forecast.UNUSED, 254800, 673400),
    ("burst", [(d, 20) for d in MARCH] + [(d, 21) for d in RECENT], 200,
     184, 322, 184, 460, D(2021, 10, 11), forecast.RUNS_OUT, 837200, 910000),
    ("already over", [(d, 20) for d in MARCH] + [(D(2021, 9, 10), 14)], 100,
     114, 137, 114, 160, D(2021, 3, 5), forecast.OVER, 455000, 455000),
]


@pytest.mark.parametrize("rows, budget, so_far, expected, low, high, reached, status, comp, "
                         "forecast_amount", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_the_forecast_rule_per_partner_and_subproject(rows, budget, so_far, expected, low, high,
                                                      reached, status, comp, forecast_amount):
    lines = forecast.staff_lines(line_dataset(rows, budget), 2021, PEIL)
    assert list(lines.columns) == forecast.LINE_COLUMNS
    line = lines.set_index(["subproject", "partner"]).loc[("DP1", "ATK")]
    assert line["units"] == so_far * HOUR_UNITS
    assert line["forecast_units"] == expected * HOUR_UNITS
    assert (line["low_units"], line["high_units"]) == (low * HOUR_UNITS, high * HOUR_UNITS)
    assert line["reached"] == reached
    assert line["status"] == status
    assert line["amount"] == comp
    assert line["forecast_amount"] == forecast_amount
    assert line["forecast_uncomp_units"] == max(expected - budget, 0) * HOUR_UNITS


def test_the_forecast_never_changes_what_is_compensated():
    """'already over': the allocation still compensates exactly 100 h (€ 4.550,00) and leaves 14 h
    above budget, with or without a forecast; the forecast sits beside it."""
    ds = line_dataset([(d, 20) for d in MARCH] + [(D(2021, 9, 10), 14)], 100)
    before = metrics.partner_hours(ds, 2021).set_index("code").loc["ATK"].copy()
    line = forecast.staff_lines(ds, 2021, PEIL).iloc[0]
    after = metrics.partner_hours(ds, 2021).set_index("code").loc["ATK"]
    assert (before == after).all()
    assert after["amount"] == line["amount"] == 455000
    assert after["uncomp_units"] == line["uncomp_units"] == 14 * HOUR_UNITS
    assert line["reached_actual"] == D(2021, 3, 5)


def test_only_rows_up_to_the_peildatum_count():
    """A row on 01/10 changes nothing at peildatum 30/09, and counts from 01/10 on."""
    rows = [(d, 14) for d in EARLIER + RECENT]
    without = forecast.staff_lines(line_dataset(rows, 200), 2021, PEIL).iloc[0]
    with_after = forecast.staff_lines(line_dataset(rows + AFTER, 200), 2021, PEIL).iloc[0]
    assert without.drop("rate_exact").equals(with_after.drop("rate_exact"))
    later = forecast.staff_lines(line_dataset(rows + AFTER, 200), 2021, D(2021, 10, 1)).iloc[0]
    assert later["units"] == 136 * HOUR_UNITS


def test_rounding_is_half_up_on_the_hour_unit_once():
    """1 h on 24/09: pace 1/56 h/day; × 92 days = 1,642857… h = 16.428,57 units → 16.429."""
    line = forecast.staff_lines(line_dataset([(D(2021, 9, 24), 1)], 200), 2021, PEIL).iloc[0]
    assert line["forecast_units"] == HOUR_UNITS + 16_429


@pytest.mark.parametrize("numerator, denominator, expected", [
    (5, 2, 3), (4, 2, 2), (7, 3, 2), (-5, 2, -2), (164_285_714, 10_000, 16_429)],
    ids=["tie up", "exact", "down", "negative tie towards +inf", "units"])
def test_div_half_up(numerator, denominator, expected):
    assert forecast.div_half_up(numerator, denominator) == expected


@pytest.mark.parametrize("peildatum, recent, earlier", [
    (PEIL, (D(2021, 9, 3), PEIL), (D(2021, 8, 6), D(2021, 9, 2))),
    (D(2021, 2, 10), (D(2021, 1, 14), D(2021, 2, 10)), (D(2021, 1, 1), D(2021, 1, 13))),
    (D(2021, 1, 20), (D(2021, 1, 1), D(2021, 1, 20)), None),
], ids=["autumn", "window cut at 1 January", "one block only"])
def test_windows(peildatum, recent, earlier):
    spans = forecast.windows(2021, peildatum)
    assert spans["recent"] == recent and spans["earlier"] == earlier
    assert spans["window"] == ((earlier or recent)[0], peildatum)


def test_early_in_the_year_there_is_no_band():
    """Peildatum 20/01: one block of 20 days; 10 h on 15/01 → pace 0,5 h/day × 345 days left =
    172,5 h + 10 = 182,5 h, low = high = forecast."""
    line = forecast.staff_lines(line_dataset([(D(2021, 1, 15), 10)], 400), 2021,
                                D(2021, 1, 20)).iloc[0]
    assert line["forecast_units"] == line["low_units"] == line["high_units"] == 1_825_000


def test_posts_personeel_sums_its_lines_and_other_posts_use_the_pace_since_january():
    """Communicatie: € 250,50 spent on 10/05; 273 days elapsed, 92 left:
    25.050 + 25.050 × 92 / 273 = 25.050 + 8.441,76 → 8.442 cents = € 334,92 (no band)."""
    ds = line_dataset([(d, 14) for d in EARLIER + RECENT], 200)
    posts = forecast.post_lines(ds, 2021, PEIL)
    assert list(posts.columns) == forecast.POST_COLUMNS
    assert list(posts["post"]) == ["Personeel", "Communicatie"]
    staff, comm = posts.iloc[0], posts.iloc[1]
    assert (staff["budget"], staff["spent"], staff["forecast"]) == (910000, 509600, 910000)
    assert (comm["budget"], comm["spent"], comm["forecast"]) == (100000, 25050, 33492)
    assert comm["low"] == comm["high"] == comm["forecast"]


def test_hours_without_a_personeel_line_are_forecast_above_budget():
    """DOMO writes 14 h on 10/09 on DP2 without a line: pace 14/56 = 0,25 h/day → 14 + 23 = 37 h,
    all above budget, € 0; no 'runs out' warning (Datakwaliteit already warns)."""
    tabs = base_tabs()
    tabs["Uren"] = tabs["Uren"][:1] + [[D(2021, 9, 10), "DOMO", "Cas", "DP2", None, 14, None]]
    tabs["Begroting"] = tabs["Begroting"][:1]
    line = forecast.staff_lines(dataset_of(tabs), 2021, PEIL).iloc[0]
    assert (line["partner"], line["subproject"], line["status"]) == ("DOMO", "DP2",
                                                                     forecast.NO_BUDGET)
    assert line["forecast_uncomp_units"] == line["forecast_units"] == 37 * HOUR_UNITS
    assert line["forecast_amount"] == 0 and line["reached"] is None


def test_the_cumulative_curve():
    """steady: 0 on 01/01, 56 h on Sunday 29/08, 112 h at the peildatum, forecast 296 h on 31/12;
    the budget of the selection is 200 h."""
    ds = line_dataset([(d, 14) for d in EARLIER + RECENT], 200)
    curve, budget = forecast.cumulative_curve(ds, 2021, PEIL)
    assert list(curve.columns) == forecast.CURVE_COLUMNS
    written = curve[curve["kind"] == forecast.WRITTEN].set_index("date")["units"]
    assert written[D(2021, 1, 1)] == 0
    assert written[D(2021, 8, 29)] == 56 * HOUR_UNITS
    assert written[PEIL] == 112 * HOUR_UNITS
    ahead = curve[curve["kind"] == forecast.FORECAST]
    assert list(ahead["date"]) == [PEIL, D(2021, 12, 31)]
    assert list(ahead["units"]) == [112 * HOUR_UNITS, 296 * HOUR_UNITS]
    assert budget == 200 * HOUR_UNITS
    _, none = forecast.cumulative_curve(ds, 2021, PEIL, subproject="DP2")
    assert none == 0
