"""The Dataset: only valid rows, typed; years from the sheets; counts of problems."""
import pandas as pd

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
