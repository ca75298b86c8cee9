import datetime as dt
from decimal import Decimal

import pytest

from baz_data.parsing import (CellError, normalize_code, parse_date, parse_money_cents,
                              parse_number, parse_percent, parse_series)
import pandas as pd


@pytest.mark.parametrize("typed, expected", [
    ("1,5", "1.5"), ("1.5", "1.5"), ("1.234,5", "1234.5"), ("€ 1.234,50", "1234.50"),
    ("1.234", "1234"), ("12.345.678,9", "12345678.9"), ("1 234,5", "1234.5"),
    ("-2,25", "-2.25"), (3, "3"), (0.1, "0.1"), (2.75, "2.75"), ("0,25", "0.25"),
])
def test_parse_number(typed, expected):
    assert parse_number(typed) == Decimal(expected)


@pytest.mark.parametrize("typed", ["twee", "1,2,3", "1.23.4", "", True, "€"])
def test_parse_number_rejects(typed):
    with pytest.raises(CellError):
        parse_number(typed)


@pytest.mark.parametrize("typed, expected", [
    ("50%", 50), ("50 %", 50), (50, 50), (0.5, 50), ("0,5", 50), (100, 100), (0, 0), ("12,5%", 12.5),
])
def test_parse_percent(typed, expected):
    assert parse_percent(typed) == Decimal(str(expected))


@pytest.mark.parametrize("typed, cents", [
    ("€ 1.234,50", 123450), ("45,5", 4550), (40, 4000), ("12,345", 1235), ("12,344", 1234),
])
def test_parse_money_cents_rounds_half_up(typed, cents):
    assert parse_money_cents(typed) == cents


@pytest.mark.parametrize("typed, expected", [
    (dt.date(2021, 3, 15), dt.date(2021, 3, 15)),
    (dt.datetime(2021, 3, 15, 14, 30), dt.date(2021, 3, 15)),
    (44270, dt.date(2021, 3, 15)), (44270.75, dt.date(2021, 3, 15)), ("44270", dt.date(2021, 3, 15)),
    ("15/03/2021", dt.date(2021, 3, 15)), ("5/03/2021", dt.date(2021, 3, 5)),
    ("15/3/21", dt.date(2021, 3, 15)), ("2021-03-15", dt.date(2021, 3, 15)),
    (" 15-03-2021 ", dt.date(2021, 3, 15)), ("15.03.2021", dt.date(2021, 3, 15)),
])
def test_parse_date(typed, expected):
    assert parse_date(typed) == expected


@pytest.mark.parametrize("typed, fragment", [
    ("31/02/2021", "geen bestaande datum"), ("3/15/2021", "geen bestaande datum"),
    ("15/03/0202", "buiten"), ("morgen", "geen datum"), ("2021/03/15", "geen datum"),
])
def test_parse_date_rejects_with_dutch_message(typed, fragment):
    with pytest.raises(CellError, match=fragment):
        parse_date(typed)


@pytest.mark.parametrize("typed, key", [("magenta ", "magenta"), ("Magenta", "magenta"),
                                        (" SD1", "sd1"), (2021.0, "2021"), ("Dp  1", "dp 1")])
def test_normalize_code(typed, key):
    assert normalize_code(typed) == key


def test_parse_series_parses_each_distinct_value_once_and_keeps_blanks():
    calls = []

    def parse(value):
        calls.append(value)
        return parse_number(value)

    values, errors = parse_series(pd.Series(["1,5", "1,5", None, "x", 2], dtype=object), parse)
    assert list(values) == [Decimal("1.5"), Decimal("1.5"), None, None, Decimal(2)]
    assert errors[3].startswith("'x' is geen geldig getal")
    assert errors[[0, 1, 2, 4]].isna().all()
    assert sorted(map(str, calls)) == ["1,5", "2", "x"]
