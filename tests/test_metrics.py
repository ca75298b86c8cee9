"""The rules, on the hand-computed workbook in conftest.py.

Compensation by hand (Personeel lines: ATK/DP1 10 h at € 45,50; DOMO/DP1 5 h at € 40,00;
ATK/DP2 20 h at € 33,33). ATK/DP1 rows in date order: 30/03 4 h, 31/03 3,5 h (Q1: 7,5 h),
01/04 4 h (crosses 10 h: 2,5 h compensated, 1,5 h not), 02/04 2 h (not compensated).
Q1 line 7,5 x 45,50 = 341,25; Q2 line 2,5 x 45,50 = 113,75.
ATK/DP2: 0,5 h in Q1 and 0,5 h in Q2 at 33,33 (cumulative rounding): Q1 = 16,665 -> 16,67;
through Q2 = 1 h x 33,33 = 33,33, so Q2 = 33,33 - 16,67 = 16,66, and the year is 33,33 (the exact
total rounded once). Totals are sums of statement lines.
"""
import datetime as dt

import pandas as pd
import pytest

from baz_data import metrics
from tests.conftest import base_tabs, dataset_of

D = dt.date


def by_code(rows, key="code"):
    return {r[key]: r for r in rows}


def test_action_progress_rule(ds):
    a = ds.actions.set_index("id")
    progress = metrics.action_progress(ds.actions).set_axis(ds.actions["id"])
    assert progress["A1"] == 50          # Voortgang as typed
    assert progress["A2"] == 100         # Afgerond counts as 100 whatever was typed (40)
    assert pd.isna(progress["A3"])       # Geannuleerd is left out
    assert progress["A4"] == 0           # empty Voortgang is 0
    assert progress["A5"] == 25          # "0,25" is a share: 25%
    assert a.loc["A1", "subproject"] == "DP1"


def test_goal_subproject_and_partner_progress(ds):
    goals = metrics.goal_progress(ds, 2021, D(2021, 7, 1)).set_index("code")
    assert goals.loc["SD1", "progress"] == 75      # mean(50, 100); A3 cancelled
    assert goals.loc["SD2", "progress"] == 0
    assert pd.isna(goals.loc["SD3", "progress"])   # no actions: no progress, not 0
    subs = metrics.subproject_progress(ds, 2021, D(2021, 7, 1)).set_index("code")
    assert subs.loc["DP1", "progress"] == 37.5     # mean(75, 0): SD3 has no progress
    assert subs.loc["DP2", "progress"] == 25
    partners = metrics.partner_progress(ds, 2021, D(2021, 7, 1)).set_index("code")
    assert partners.loc["ATK", "progress"] == 75   # A1 50, A2 100
    assert partners.loc["DOMO", "progress"] == 12.5  # A4 0, A5 25; A3 cancelled


@pytest.mark.parametrize("peildatum, overdue", [
    (D(2021, 6, 30), []),                 # the deadline day itself is not late
    (D(2021, 7, 1), ["A1"]),
    (D(2021, 7, 2), ["A1", "A4"]),        # A3 (Geannuleerd) and A2 (Afgerond) never are
    (D(2022, 1, 1), ["A1", "A4", "A5"]),
])
def test_overdue(ds, peildatum, overdue):
    assert list(metrics.overdue_actions(ds, 2021, peildatum)["id"]) == overdue


def test_allocation_splits_the_row_that_crosses_the_budget(ds):
    alloc = metrics.allocate_hours(ds)
    atk = alloc[(alloc["partner"] == "ATK") & (alloc["subproject"] == "DP1")]
    assert list(atk["date"].dt.day) == [30, 31, 1, 2]          # date order, not sheet order
    assert list(atk["comp_units"] / 10_000) == [4, 3.5, 2.5, 0]
    assert list(atk["uncomp_units"] / 10_000) == [0, 0, 1.5, 2]


def test_statement_lines_quarter_boundary_and_rounding(ds):
    lines = metrics.period_lines(ds, 2021).set_index(["partner", "subproject", "quarter"])
    assert lines.loc[("ATK", "DP1", 1), "comp_hours"] == 7.5      # 30/03 and 31/03
    assert lines.loc[("ATK", "DP1", 1), "amount"] == 34125
    assert lines.loc[("ATK", "DP1", 2), "comp_hours"] == 2.5      # 01/04 is Q2
    assert lines.loc[("ATK", "DP1", 2), "uncomp_hours"] == 3.5
    assert lines.loc[("ATK", "DP1", 2), "amount"] == 11375
    assert lines.loc[("ATK", "DP2", 1), "amount"] == 1667         # 16,665 rounds half-up
    assert lines.loc[("ATK", "DP2", 2), "amount"] == 1666         # 33,33 through Q2 - 16,67


def test_partner_year_totals_are_sums_of_rounded_lines(ds):
    atk = metrics.partner_hours(ds, 2021).set_index("code").loc["ATK"]
    assert atk["amount"] == 34125 + 11375 + 1667 + 1666 == 48833
    assert atk["hours"] == 14.5 and atk["comp_hours"] == 11 and atk["uncomp_hours"] == 3.5
    assert atk["budget_hours"] == 30
    assert atk["budget_amount"] == 45500 + 66660          # H x r per Personeel line


def test_quarter_figures_are_the_quarter_part_of_the_year_allocation(ds):
    q2 = metrics.partner_hours(ds, 2021, quarter=2).set_index("code")
    assert q2.loc["ATK", "hours"] == 6.5
    assert q2.loc["ATK", "comp_hours"] == 3
    assert q2.loc["ATK", "amount"] == 11375 + 1666
    assert q2.loc["DOMO", "comp_hours"] == 5 and q2.loc["DOMO", "amount"] == 20000
    q3 = metrics.partner_hours(ds, 2021, quarter=3).set_index("code")
    assert q3.loc["DOMO", "comp_hours"] == 0 and q3.loc["DOMO", "uncomp_hours"] == 1


def test_hours_without_budget_line_are_not_compensated():
    tabs = base_tabs()
    tabs["Uren"].append([D(2021, 8, 2), "DOMO", "Cas", "DP2", None, 3, None])
    ds = dataset_of(tabs)
    domo = metrics.partner_hours(ds, 2021, quarter=3).set_index("code").loc["DOMO"]
    assert domo["hours"] == 4 and domo["comp_hours"] == 0 and domo["uncomp_hours"] == 4


def test_budget_use(ds):
    use = metrics.budget_use(ds, 2021, D(2021, 7, 2)).set_index(["subproject", "post"])
    staff = use.loc[("DP1", "Personeel")]
    assert staff["budget"] == 45500 + 20000 and staff["spent"] == 45500 + 20000
    comm = use.loc[("DP1", "Communicatie")]
    assert comm["budget"] == 100000 and comm["spent"] == 25050 and comm["used"] == 0.2505
    assert use.loc[("DP2", "Personeel"), "spent"] == 3333
    assert staff["elapsed"] == pytest.approx(183 / 365)   # 1/1 up to and including 2/7


@pytest.mark.parametrize("peildatum, share", [
    (D(2021, 1, 1), 1 / 365), (D(2021, 12, 31), 1.0), (D(2020, 6, 1), 0.0), (D(2022, 1, 1), 1.0)])
def test_year_elapsed(peildatum, share):
    assert metrics.year_elapsed(2021, peildatum) == pytest.approx(share)


def test_indicators_som_and_laatste(ds):
    ind = metrics.indicator_status(ds, 2021, D(2021, 6, 30)).set_index("id")
    assert ind.loc["I1", "realised"] == 55       # 30 + 25; the August 10 is later
    assert ind.loc["I1", "share"] == 0.55
    assert ind.loc["I2", "realised"] == 7.5      # the latest value, typed as "7,5"
    early = metrics.indicator_status(ds, 2021, D(2021, 1, 15)).set_index("id")
    assert pd.isna(early.loc["I1", "realised"]) and early.loc["I1", "measurements"] == 0


def test_summary_json_shape(ds):
    s = metrics.summary(ds, 2021, peildatum=D(2021, 7, 1))
    atk = by_code(s["partners"])["ATK"]
    assert atk == {"code": "ATK", "hours": 14.5, "compensated_hours": 11.0,
                   "compensated_amount": "488.33", "uncompensated_hours": 3.5,
                   "budget_hours": 30.0, "budget_amount": "1121.60"}
    dp1 = by_code(s["subprojects"])["DP1"]
    assert (dp1["progress"], dp1["actions"], dp1["overdue"], dp1["hours"]) == (37.5, 3, 1, 20.5)
    assert by_code(s["goals"])["SD3"]["progress"] is None
    assert s["overdue_actions"] == ["A1"]
    assert s["problems"] == {"errors": 0, "warnings": 0}
    q1 = metrics.summary(ds, 2021, quarter=1, peildatum=D(2021, 7, 1))
    assert by_code(q1["partners"])["ATK"]["compensated_amount"] == "357.92"   # 341,25 + 16,67
    # Q1 is past on 01/07: counted at 31/03, when A1 (deadline 30/06) was not yet late
    assert q1["peildatum"] == "2021-03-31" and q1["overdue_actions"] == []


@pytest.mark.parametrize("year, today, expected", [
    (2021, D(2021, 5, 4), D(2021, 5, 4)), (2021, D(2026, 1, 1), D(2021, 12, 31)),
    (2027, D(2026, 11, 27), D(2027, 1, 1))])
def test_default_peildatum(year, today, expected):
    assert metrics.default_peildatum(year, today) == expected


@pytest.mark.parametrize("chosen, as_of, expected", [
    (None, None, (D(2026, 12, 2), D(2026, 12, 31))),          # today, up to the year's end
    (D(2026, 3, 1), None, (D(2026, 3, 1), D(2026, 12, 31))),  # the user's day stays
    (None, D(2026, 5, 10), (D(2026, 5, 10), D(2026, 5, 10))),  # "zoals op" stands for today
    (D(2026, 3, 1), D(2026, 5, 10), (D(2026, 3, 1), D(2026, 5, 10))),  # an earlier choice stays
    (D(2026, 11, 1), D(2026, 5, 10), (D(2026, 5, 10), D(2026, 5, 10))),  # a later one waits
    (None, D(2025, 11, 30), (D(2026, 1, 1), D(2026, 1, 1))),   # "zoals op" before the year
    (None, D(2027, 2, 1), (D(2026, 12, 31), D(2026, 12, 31))),  # after it: its last day
], ids=["default", "chosen", "as-of", "earlier-choice", "later-choice", "as-of-before-year",
        "as-of-after-year"])
def test_peildatum_for(chosen, as_of, expected):
    """Year 2026, today 02/12/2026: the peildatum and the latest day the input allows."""
    assert metrics.peildatum_for(2026, chosen, as_of, D(2026, 12, 2)) == expected


@pytest.mark.parametrize("quarter, peildatum, expected", [
    (2, D(2021, 12, 1), D(2021, 6, 30)),   # a past quarter: its last day
    (2, D(2021, 7, 1), D(2021, 6, 30)),    # the day after it closed
    (2, D(2021, 6, 30), D(2021, 6, 30)),   # its last day is still the running quarter
    (2, D(2021, 5, 4), D(2021, 5, 4)),     # the running quarter keeps the chosen peildatum
    (4, D(2021, 5, 4), D(2021, 5, 4)),     # a quarter yet to start keeps it too
    (4, D(2021, 12, 31), D(2021, 12, 31)),
], ids=["past", "day-after", "last-day", "running", "future", "year-end"])
def test_quarter_peildatum(quarter, peildatum, expected):
    assert metrics.quarter_peildatum(2021, quarter, peildatum) == expected


@pytest.mark.parametrize("quarter, peildatum, share", [
    (2, D(2021, 12, 1), 1.0), (2, D(2021, 6, 30), 1.0), (2, D(2021, 4, 1), 1 / 91),
    (2, D(2021, 5, 15), 45 / 91), (3, D(2021, 5, 15), 0.0)],
    ids=["past", "last-day", "first-day", "halfway", "not-started"])
def test_quarter_elapsed(quarter, peildatum, share):
    """Q2 2021 has 30 + 31 + 30 = 91 days; 15/05 is its 30 + 15 = 45th."""
    assert metrics.quarter_elapsed(2021, quarter, peildatum) == pytest.approx(share)


def test_default_year_week_and_quarter():
    assert metrics.default_year([2021, 2022], today=D(2021, 5, 4)) == 2021
    assert metrics.default_year([2021, 2022], today=D(2026, 5, 4)) == 2022
    assert metrics.default_week(2021, D(2021, 5, 4)) == 18
    assert metrics.default_week(2021, D(2021, 1, 1)) == 1        # ISO week 53 of 2020
    assert metrics.default_week(2020, D(2020, 12, 31)) == 53
    assert metrics.default_week(2019, D(2019, 12, 31)) == 52     # ISO week 1 of 2020
    assert [metrics.default_quarter(D(2021, m, 1)) for m in (1, 3, 4, 9, 10, 12)] == \
        [1, 1, 2, 3, 4, 4]


@pytest.mark.parametrize("year, peildatum, periods", [
    (2021, D(2021, 5, 4), [0, *range(18, 0, -1)]),           # Tuesday of week 18: newest first
    (2021, D(2021, 1, 1), [0, 1]),                           # ISO week 53 of 2020: week 1 stays
    (2020, D(2020, 12, 31), [0, *range(53, 0, -1)]),
], ids=["may", "new year's day", "53 weeks"])
def test_week_periods_start_with_the_last_seven_days(year, peildatum, periods):
    assert metrics.week_periods(year, peildatum) == periods
    assert metrics.week_period_bounds(year, metrics.LAST_SEVEN_DAYS, peildatum) == (
        peildatum - dt.timedelta(days=6), peildatum)


def test_weekly_helpers(ds):
    due = metrics.due_between(ds, D(2021, 6, 28), D(2021, 7, 11))
    assert list(due["id"]) == ["A1", "A4"]
    assert list(metrics.updated_between(ds, D(2021, 6, 28), D(2021, 7, 4))["id"]) == ["A1"]
    week = metrics.hours_between(ds, D(2021, 3, 29), D(2021, 4, 4))
    assert week.set_index("person")["hours"].to_dict() == {"An": 7.5, "Bo": 6.0}


def test_hours_by_month(ds):
    months = metrics.hours_by_month(ds, 2021).set_index(["month", "subproject"])["hours"]
    assert months[(3, "DP1")] == 7.5 and months[(4, "DP1")] == 6 and months[(6, "DP1")] == 6


def _one_staff_line(rate, budget_hours, rows):
    tabs = base_tabs()
    tabs["Begroting"] = [tabs["Begroting"][0], [2021, "DP2", "ATK", "Personeel", budget_hours,
                                                 rate, None]]
    tabs["Uren"] = [tabs["Uren"][0]] + [[day, "ATK", "An", "DP2", None, h, None]
                                        for day, h in rows]
    return dataset_of(tabs)


def test_rates_are_used_exactly_as_typed():
    """1.000 h at € 45,555 = € 45.555,00 (not 1.000 × 45,56 = € 45.560,00)."""
    ds = _one_staff_line("45,555", 1000, [(D(2021, m, 1), 20) for m in range(1, 13)] * 5)
    assert ds.budget["budget_amount"].iloc[0] == 4_555_500
    atk = metrics.partner_hours(ds, 2021).set_index("code").loc["ATK"]
    assert atk["comp_hours"] == 1000 and atk["amount"] == 4_555_500


def test_cumulative_rounding_never_pays_more_than_the_budget():
    """3 h at € 33,33 (budget 99,99) as 0,5 + 0,5 + 0,5 + 1,5 h over four quarters.
    Through Q1 16,665 → 16,67; Q2 33,33 → 33,33; Q3 49,995 → 50,00; Q4 99,99.
    Lines: 16,67 + 16,66 + 16,67 + 49,99 = 99,99 (rounding each line: 100,01)."""
    ds = _one_staff_line("33,33", 3, [(D(2021, 2, 1), "0,5"), (D(2021, 5, 1), "0,5"),
                                      (D(2021, 8, 1), "0,5"), (D(2021, 11, 1), "1,5")])
    lines = metrics.period_lines(ds, 2021)
    assert list(lines["amount"]) == [1667, 1666, 1667, 4999]
    assert lines["amount"].sum() == ds.budget["budget_amount"].iloc[0] == 9999


def test_the_readme_example():
    """0,5 h in Q1 and Q2 at € 33,33 → 16,67 + 16,66 = 33,33."""
    ds = _one_staff_line("33,33", 10, [(D(2021, 3, 1), "0,5"), (D(2021, 4, 1), "0,5")])
    assert list(metrics.period_lines(ds, 2021)["amount"]) == [1667, 1666]


def test_demo_never_pays_more_than_a_budget():
    """Seen before: EKC/DP2 Vergoed € 79.275,01 against a budget of € 79.275,00."""
    from baz_data.model import load_dataset
    from baz_data.sources import demo_source

    ds = load_dataset(demo_source())
    lines = metrics.period_lines(ds, ds.years[-1])
    paid = lines.groupby(["partner", "subproject"])["amount"].sum()
    budget = metrics.staff_budget(ds)
    budget = budget[budget["year"] == ds.years[-1]].set_index(["partner", "subproject"])
    joined = budget.join(paid.rename("paid"), how="inner")
    assert len(joined) > 5
    assert (joined["paid"] <= joined["budget_amount"]).all()
