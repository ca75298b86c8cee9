"""Property-based tests (Hypothesis): hostile workbooks never break the data core, and the
invariants people are paid on hold whatever the sheets hold.

Workbooks start from conftest's valid one; Hypothesis then overwrites cells in every tab and adds
rows, with cells as sources deliver them: random text, numbers of every magnitude, 'NaN'/'inf'
text, NaN/inf floats, dates at and beyond the bounds, percent, time and duration cells, booleans,
empty cells, duplicated and look-alike codes. Invariants:

- load, validate, metrics, reports and exports never raise;
- every non-empty row is counted or reported (rows read = rows in the model + rows excluded,
  and every excluded row has an error on it or its tab is unusable);
- statement lines sum to every total in every view (partners, subprojects, summary, overview,
  partner report), and the quarters sum to the year;
- compensated ≤ budget for every (partner, subproject): hours and money.

Bounded for CI by the "ci" profile (tests/conftest.py); run longer with
``HYPOTHESIS_PROFILE=long python -m pytest tests/test_properties.py``.
"""
from __future__ import annotations

import datetime as dt
import math

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from baz_data import exports, metrics, reports
from baz_data.cells import Percent
from baz_data.problems import ERROR
from tests.conftest import base_tabs, dataset_of

# The profile's budget (tests/conftest.py), shared out by what an example costs.
EXAMPLES = settings().max_examples

CODES = ["ATK", "atk ", "ATKK", "DOMO", "Domo", "DP1", "dp1", "DP2", "DP9", "SD1", "SD5", "A1",
         "a1", "A5", "I1", "I2", "Personeel", "personeel", "som", "laatste", "Lopend", "Afgerond",
         "partner", "stuurgroep"]
NASTY_TEXT = ["NaN", "nan", "inf", "-inf", "sNaN", "Infinity", "1e308", "-1e308", "1E5", "0,00004",
              "45,555", "100%", "150 %", "4:00", "27:30", "PT27H30M00S", "31/02/2021",
              "3/15/2021", "0000-00-00", "=HYPERLINK(\"http://x\",\"y\")", "@SUM(A1)", "+1",
              "-0", "1.234,5", "€ -12,00", "", "   ", "\u202e", "<b>x</b>", "[x](http://e)"]

cell_values = st.one_of(
    st.none(),
    st.sampled_from(CODES),
    st.sampled_from(NASTY_TEXT),
    st.text(max_size=30),
    st.integers(min_value=-10**20, max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.floats(min_value=-50, max_value=50),
    st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)),
    st.dates(min_value=dt.date(2020, 12, 1), max_value=dt.date(2022, 1, 31)),
    st.datetimes(min_value=dt.datetime(1990, 1, 1), max_value=dt.datetime(2110, 1, 1)),
    st.times(),
    st.timedeltas(min_value=dt.timedelta(0), max_value=dt.timedelta(days=5000)),
    st.builds(Percent, st.floats(allow_nan=True, allow_infinity=True)),
    st.booleans(),
)


@st.composite
def hostile_workbooks(draw):
    tabs = base_tabs()
    for name, rows in tabs.items():
        width = len(rows[0])
        for _ in range(draw(st.integers(0, 3))):            # overwrite some cells
            r = draw(st.integers(1, len(rows) - 1)) if len(rows) > 1 else None
            if r is not None:
                row = rows[r] + [None] * (width - len(rows[r]))
                row[draw(st.integers(0, width - 1))] = draw(cell_values)
                rows[r] = row
        for _ in range(draw(st.integers(0, 2))):            # add rows: copies with a twist
            template = list(draw(st.sampled_from(rows[1:]))) if len(rows) > 1 else [None] * width
            template += [None] * (width - len(template))
            template[draw(st.integers(0, width - 1))] = draw(cell_values)
            rows.append(template)
    return tabs


def _counted_or_reported(ds) -> None:
    errors = ds.problems[ds.problems["severity"] == ERROR]
    for tab, read in ds.row_counts.items():
        in_model = len(ds.table(tab))
        assert read == in_model + ds.excluded[tab], tab
        if ds.excluded[tab]:
            here = errors[errors["tab"] == tab]
            whole_tab = here["row"].isna() | (here["row"] == 1)
            assert whole_tab.any() or here["row"].nunique() >= ds.excluded[tab], tab


def _paid_within_budget(ds) -> None:
    alloc = metrics.allocate_hours(ds)
    lines = metrics.statement_lines(alloc)
    budget = metrics.staff_budget(ds).set_index(["year", "subproject", "partner"])
    paid = lines.groupby(["year", "subproject", "partner"])[["amount", "comp_units"]].sum()
    for key, row in paid.iterrows():
        if row["amount"] == 0 and row["comp_units"] == 0:
            continue
        line = budget.loc[key]
        assert row["comp_units"] <= line["hours_units"]
        assert row["amount"] <= line["budget_amount"]
    assert (lines["amount"] >= 0).all()


def _views_agree(ds, year: int) -> None:
    peildatum = dt.date(year, 7, 1)
    alloc = metrics.allocate_hours(ds)
    lines = metrics.period_lines(ds, year, allocated=alloc)
    total = int(lines["amount"].sum())
    partners = metrics.partner_hours(ds, year, allocated=alloc)
    subprojects = metrics.subproject_hours(ds, year, allocated=alloc)
    by_lines = lines.groupby("partner")["amount"].sum()
    assert int(partners["amount"].sum()) == int(by_lines.sum()) == total
    assert int(subprojects["amount"].sum()) == total
    assert sum(int(metrics.partner_hours(ds, year, q, alloc)["amount"].sum())
               for q in range(1, 5)) == total
    assert sum(int(metrics.partner_hours(ds, year, q, alloc)["units"].sum())
               for q in range(1, 5)) == int(partners["units"].sum())
    s = metrics.summary(ds, year, peildatum=peildatum)
    assert sum(round(float(p["compensated_amount"]) * 100) for p in s["partners"]) == total
    view = reports.overview(ds, year, peildatum)
    assert view.totals.amount == int(view.partners["Vergoed"].sum()) == total
    assert int(view.subprojects["Vergoed"].sum()) == total
    for code in ds.partners["code"]:
        assert reports.partner_report(ds, code, year).totals.amount == int(by_lines.get(code, 0))


@settings(max_examples=EXAMPLES * 2 // 3,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(hostile_workbooks())
def test_hostile_workbooks_keep_every_invariant(tabs):
    ds = dataset_of(tabs)
    _counted_or_reported(ds)
    _paid_within_budget(ds)
    for year in ds.years or [2021]:
        _views_agree(ds, year)
        peildatum = dt.date(year, 7, 1)
        reports.week_report(ds, year, 26, peildatum)
        reports.goals_tree(ds, year, peildatum)
        reports.problem_table(ds)


@settings(max_examples=max(4, EXAMPLES // 8), suppress_health_check=[HealthCheck.too_slow,
                                                 HealthCheck.data_too_large])
@given(hostile_workbooks())
def test_hostile_workbooks_export(tabs):
    ds = dataset_of(tabs)
    year = (ds.years or [2021])[0]
    report = reports.quarter_report(ds, year, 2, dt.date(year, 7, 1), generated=dt.date(year, 7, 2))
    assert exports.quarter_report_xlsx(report)[:2] == b"PK"
    assert exports.quarter_report_pdf(report)[:5] == b"%PDF-"
    for code in ds.partners["code"]:
        statement = reports.partner_report(ds, code, year)
        assert exports.partner_statement_xlsx(statement)[:2] == b"PK"
        assert exports.partner_statement_csv(statement, 2).startswith(b"\xef\xbb\xbf")


@settings(max_examples=max(5, EXAMPLES // 4))
@given(st.one_of(cell_values, st.lists(cell_values, max_size=3).map(str)))
def test_no_cell_in_any_column_raises(value):
    """Every column of every tab, one hostile cell at a time: a value or a problem, no raise."""
    from baz_data.schema import TABLES

    for tab, table in TABLES.items():
        tabs = base_tabs()
        if tab not in tabs or len(tabs[tab]) < 2:
            continue
        for c in range(len(table.columns)):
            tabs[tab][1] = (tabs[tab][1] + [None] * len(table.columns))[:len(table.columns)]
            tabs[tab][1][c] = value
        ds = dataset_of(tabs)
        assert ds.row_counts[tab] == len(ds.table(tab)) + ds.excluded[tab]


def test_float_edge_cells_are_problems_not_crashes():
    tabs = base_tabs()
    tabs["Uren"][1][5] = math.inf
    tabs["Begroting"][1][5] = -math.inf
    tabs["Acties"][1][8] = Percent(math.nan)
    ds = dataset_of(tabs)
    assert {("Uren", 2), ("Begroting", 2), ("Acties", 2)} <= set(zip(ds.problems["tab"],
                                                                     ds.problems["row"]))
    assert isinstance(ds.problems, pd.DataFrame)
