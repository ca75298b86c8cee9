import datetime as dt
from decimal import Decimal

import pytest

from baz_data.formatting import fmt_date, fmt_hours, fmt_long_date, fmt_money, fmt_number, fmt_percent


@pytest.mark.parametrize("value, text", [(1234.5, "1.234,5"), (Decimal("0.25"), "0,25"),
                                         (1000000, "1.000.000"), (None, "–")])
def test_fmt_number(value, text):
    assert fmt_number(value) == text


def test_fmt_hours_money_percent_dates():
    assert fmt_hours(1234.5) == "1.234,5 uur"
    assert fmt_money(1234550) == "€ 12.345,50"
    assert fmt_money(0) == "€ 0,00"
    assert fmt_money(-1667) == "−€ 16,67"          # the sign before the euro, as people write it
    assert fmt_money(-142888) == "−€ 1.428,88"
    assert fmt_percent(62.5) == "63%"
    assert fmt_percent(None) == "–"
    assert fmt_date(dt.date(2021, 3, 5)) == "05/03/2021"
    assert fmt_long_date(dt.date(2026, 1, 3)) == "3 januari 2026"
