"""Numbers, money and dates the Belgian way, whatever the viewer's browser says (Babel, nl_BE).

Money arrives as integer cents and hours as exact Decimals or floats; nothing here rounds money
for a total, it only writes figures that were computed elsewhere.
"""
from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from babel.dates import format_date
from babel.numbers import format_currency, format_decimal

LOCALE = "nl_BE"


def fmt_number(value: float | Decimal | int | None, decimals: int = 2, fixed: bool = False) -> str:
    """1234.5 -> '1.234,5' (at most ``decimals`` decimals, trailing zeros dropped; with
    ``fixed`` always ``decimals``: '1.234,50')."""
    if value is None:
        return "–"
    pattern = "#,##0" + ("." + ("0" if fixed else "#") * decimals if decimals else "")
    return format_decimal(value, format=pattern, locale=LOCALE)


def fmt_hours(value: float | Decimal | None) -> str:
    """'1.234,5 uur'."""
    return "–" if value is None else f"{fmt_number(value)} uur"


def fmt_money(cents: int | None) -> str:
    """Integer cents -> '€ 12.345,00'; a negative amount '−€ 194,00' (the sign before the euro,
    as people write it and as the correction lines say it, not CLDR's '€ -194,00')."""
    if cents is None:
        return "–"
    # Babel puts a no-break space after the euro sign; a plain one is what people type and search.
    text = format_currency(Decimal(abs(int(cents))) / 100, "EUR", locale=LOCALE)
    return ("−" if int(cents) < 0 else "") + text.replace("\xa0", " ")


def fmt_percent(value: float | None, decimals: int = 0) -> str:
    """62.5 -> '63%' (the value is already a percentage)."""
    if value is None or value != value:
        return "–"
    exact = Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP)
    return f"{fmt_number(exact, decimals)}%"


def fmt_date(value: dt.date | None) -> str:
    """dd/mm/jjjj."""
    return "–" if value is None else value.strftime("%d/%m/%Y")


def fmt_long_date(value: dt.date) -> str:
    """'27 november 2026', for titles."""
    return format_date(value, format="long", locale=LOCALE)


def fmt_month(value: dt.date) -> str:
    """'januari 2026', for a month in a table."""
    return format_date(value, format="LLLL y", locale=LOCALE)


def fmt_plain_number(value: float | Decimal | int, decimals: int = 2, fixed: bool = False) -> str:
    """A number for a file another program reads: decimal comma, no thousands separator
    ('1234,5'; with ``fixed`` always ``decimals`` decimals: '1234,50')."""
    pattern = "0" + ("." + ("0" if fixed else "#") * decimals if decimals else "")
    return format_decimal(value, format=pattern, locale=LOCALE)


def fmt_datetime(value: dt.datetime) -> str:
    return value.strftime("%d/%m/%Y %H:%M")
