"""The Dataset: only valid rows, typed; years from the sheets; counts of problems."""
import datetime as dt

import pandas as pd
import pytest

from baz_data import metrics, reports

from tests.conftest import base_tabs, dataset_of


def test_tables_are_typed(ds):
    assert pd.api.types.is_datetime64_any_dtype(ds.hours["date"])
    assert ds.hours["units"].dtype == "int64"
    assert list(ds.hours["quarter"].unique()) == [2, 1, 3]
    assert ds.budget.set_index("partner").loc["DOMO", "budget_amount"] == 20000


def test_years_come_from_the_sheets():
    tabs = base_tabs()
    tabs["Deelprojecten"].append([2022, "DP1", "BAZ voor iedereen", "ATK", None])
    assert dataset_of(tabs).years == [2021, 2022]


def test_error_and_warning_counts():
    tabs = base_tabs()
    tabs["Uren"].append(["31/02/2021", "ATK", "An", "DP1", None, 1, None])   # error
    tabs["Begroting"][2][6] = 250                                           # warning
    ds = dataset_of(tabs)
    assert (ds.error_count, ds.warning_count) == (1, 1)
    assert ds.excluded["Uren"] == 1 and len(ds.hours) == 8


@pytest.mark.parametrize("tab, row, column", [
    ("Partners", 2, "Naam"),          # ATK without a name
    ("Deelprojecten", 2, "Naam"),     # DP1 without a name
    ("Deelprojecten", 2, "Trekker"),  # DP1 led by an unknown partner
])
def test_a_defined_code_counts_everywhere_even_when_its_row_has_an_error(tab, row, column):
    """Every view agrees: overview totals = subproject cards = partner rows = summary = lines."""
    tabs = base_tabs()
    header = tabs[tab][0]
    tabs[tab][row - 1][header.index(column)] = None if column == "Naam" else "Niemand"
    ds = dataset_of(tabs)
    assert len(ds.problems) == 1 and ds.excluded[tab] == 0
    code = tabs[tab][row - 1][header.index("Code")]
    table = ds.partners if tab == "Partners" else ds.subprojects
    shown = table.set_index("code").loc[code, "name"]
    assert shown == (code if column == "Naam" else tabs[tab][row - 1][header.index("Naam")])
    s = metrics.summary(ds, 2021, peildatum=dt.date(2021, 7, 1))
    lines = metrics.period_lines(ds, 2021)
    by_partner = sum(int(round(float(p["compensated_amount"]) * 100)) for p in s["partners"])
    by_subproject = int(metrics.subproject_hours(ds, 2021)["amount"].sum())
    assert by_partner == by_subproject == int(lines["amount"].sum()) == 34125 + 11375 + 1667 + 1666 + 20000
    assert code in {p["code"] for p in s["partners"]} | {x["code"] for x in s["subprojects"]}
    overview = reports.overview(ds, 2021, dt.date(2021, 7, 1))
    assert int(overview.subprojects["Vergoed"].sum()) == by_partner
    assert int(overview.partners["Vergoed"].sum()) == overview.totals.amount == by_partner
    if tab == "Partners":
        assert reports.partner_report(ds, code, 2021).totals.amount == 34125 + 11375 + 1667 + 1666
