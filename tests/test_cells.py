"""Cells read as people typed them, from .xlsx, .ods and Google Sheets alike (issue: real sheets).

By hand: Voortgang typed 100% is stored as 1 with a percent format and means 100, 150% means 150
(an error: above 100), 75% means 75. Uren typed 4:00 is 1/6 of a day with a time format and means
4 h; 1:30 means 1,5 h; a duration of 27:30 in Begroting.Uren means 27,5 budget hours.
"""
from __future__ import annotations

import datetime as dt

import pytest

from baz_data.cells import Percent, typed_cell
from tests.conftest import base_tabs
from tests.typed_workbooks import SOURCES, hostile_real_sheet, read_dataset


@pytest.mark.parametrize("value, fmt, expected", [
    (1, "PERCENT", Percent(1.0)),
    (1.5, "PERCENT", Percent(1.5)),
    (1 / 6, "TIME", dt.time(4, 0)),
    (0.0625, "TIME", dt.time(1, 30)),
    (1.1458333333333333, "DURATION", dt.timedelta(hours=27, minutes=30)),
    (1.25, "TIME", dt.timedelta(hours=30)),            # a 'time' past midnight is a duration
    (44270, "DATE", dt.date(2021, 3, 15)),
    (44270.5, "DATE_TIME", dt.datetime(2021, 3, 15, 12)),
    (1e300, "DATE", 1e300),                            # beyond a date: left for parsing to report
    (float("inf"), "PERCENT", float("inf")),
    ("100%", "PERCENT", "100%"),                       # text stays text
    (True, "PERCENT", True),
    (7, None, 7),
], ids=repr)
def test_typed_cell(value, fmt, expected):
    assert typed_cell(value, fmt) == expected


def test_percent_shows_as_typed():
    assert str(Percent(1.0)) == "100%" and str(Percent(0.755)) == "75,5%"


@pytest.fixture(params=SOURCES)
def via(request):
    return request.param


def _read(tabs, via, tmp_path, request):
    server = request.getfixturevalue("sheets_server") if via == "gsheets" else None
    return read_dataset(tabs, via, tmp_path, server)


def test_percent_cells_are_shares(via, tmp_path, request):
    tabs = base_tabs()
    tabs["Acties"][1][8] = Percent(1.0)    # A1: 100%
    tabs["Acties"][4][8] = Percent(0.75)   # A4: 75%
    tabs["Acties"][5][8] = Percent(1.5)    # A5: 150%
    ds = _read(tabs, via, tmp_path, request)
    progress = ds.actions.set_index("id")["progress"]
    assert progress["A1"] == 100 and progress["A4"] == 75
    assert "A5" not in progress.index
    problem = ds.problems[ds.problems["column"] == "Voortgang"].iloc[0]
    assert (problem["tab"], problem["row"], problem["value"]) == ("Acties", 6, "150%")
    assert "tussen 0 en 100" in problem["message"]


def test_time_and_duration_cells_are_hours(via, tmp_path, request):
    tabs = base_tabs()
    tabs["Uren"][1][5] = dt.time(4, 0)                          # row 2: 4:00
    tabs["Uren"][3][5] = dt.time(1, 30)                         # row 4: 1:30 (was 3,5)
    tabs["Begroting"][1][4] = dt.timedelta(hours=27, minutes=30)  # ATK/DP1: 27:30 budget hours
    ds = _read(tabs, via, tmp_path, request)
    assert ds.problems.empty, ds.problems.to_dict("records")
    hours = ds.hours.set_index("row")["hours"]
    assert hours[2] == 4 and hours[4] == 1.5
    staff = ds.budget[ds.budget["staff"]].set_index(["subproject", "partner"])
    assert staff.loc[("DP1", "ATK"), "hours_units"] == 275_000


def test_a_percent_in_an_hours_column_is_an_error(via, tmp_path, request):
    tabs = base_tabs()
    tabs["Uren"][1][5] = Percent(0.5)
    ds = _read(tabs, via, tmp_path, request)
    problem = ds.problems.iloc[0]
    assert (problem["tab"], problem["row"], problem["column"]) == ("Uren", 2, "Uren")
    assert "percentage" in problem["message"] and problem["value"] == "50%"
    assert ds.excluded["Uren"] == 1


def test_real_sheet_cases_read_alike_from_every_source(via, tmp_path, request):
    from baz_data import metrics
    from tests.conftest import dataset_of

    tabs = hostile_real_sheet()
    direct = dataset_of(tabs)
    ds = _read(tabs, via, tmp_path, request)
    where = lambda d: sorted(zip(d.problems["tab"], d.problems["row"], d.problems["column"]))  # noqa: E731
    assert where(ds) == where(direct) == sorted([
        ("Acties", 3, "Voortgang"), ("Indicatoren", 3, "Jaar"), ("Metingen", 5, "Indicator"),
        ("Metingen", 6, "Indicator"), ("Partners", 3, "Naam"), ("Uitgaven", 2, "Bedrag"),
        ("Uren", 12, "Uren"), ("Uren", 13, "Uren")])
    lines = metrics.period_lines(ds, 2021).set_index(["partner", "subproject", "quarter"])
    # ATK/DP2, 3 h at € 33,33 as 0,5 + 0,5 + 0,5 + 1,5 h: cumulative rounding pays 99,99.
    assert [lines.loc[("ATK", "DP2", q), "amount"] for q in (1, 2, 3, 4)] == [1667, 1666, 1667, 4999]
    staff = ds.budget[ds.budget["staff"]].set_index(["subproject", "partner"])
    assert staff.loc[("DP2", "DOMO"), "budget_amount"] == 4_555_500   # 1.000 h × € 45,555
    s = metrics.summary(ds, 2021, peildatum=dt.date(2021, 12, 31))
    assert s == metrics.summary(direct, 2021, peildatum=dt.date(2021, 12, 31)) | {
        "source": s["source"]}
    assert "DOMO" in {p["code"] for p in s["partners"]}
