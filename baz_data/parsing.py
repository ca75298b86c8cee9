"""Reading what people really type into a cell: Belgian numbers, money, percentages and dates.

Each ``parse_*`` function takes one raw cell and returns a value or raises :class:`CellError`
with a Dutch message. :func:`parse_series` applies one to a whole column, parsing each distinct
value once (columns repeat the same few values, so this is what makes 100,000 rows fast).
"""
from __future__ import annotations

import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Callable

import numpy as np
import pandas as pd
from babel.numbers import NumberFormatError, parse_decimal

LOCALE = "nl_BE"
# Google Sheets and Excel count days from 30/12/1899.
SERIAL_EPOCH = dt.date(1899, 12, 30)
# A date outside these years is a typo (2201, 0202), not a plan.
MIN_YEAR, MAX_YEAR = 1990, 2100

_SPACES = re.compile(r"[\s\u00a0\u202f]+")
_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T].*)?$")
_DOT_DECIMAL = re.compile(r"^[+-]?\d*\.\d+$")
_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(\.\d{3})+$")


class CellError(ValueError):
    """The cell cannot be read; ``str(exc)`` is the Dutch message for the partner."""


def is_blank(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and value != value:  # NaN
        return True
    return isinstance(value, str) and not value.strip()


def normalize_code(value: object) -> str:
    """Codes compare without regard to case and surrounding spaces: 'magenta ' is 'Magenta'."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return _SPACES.sub(" ", str(value)).strip().casefold()


def parse_number(value: object) -> Decimal:
    """1,5 · 1.5 · 1.234,5 · € 1.234,50 · real numbers. Exact: returns a Decimal."""
    if isinstance(value, bool):
        raise CellError(f"'{value}' is geen getal.")
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        # repr gives the shortest decimal that round-trips, so 0.1 stays 0.1 (not 0.1000000000000000055…)
        return Decimal(repr(value))
    text = _SPACES.sub("", str(value)).replace("€", "").replace("EUR", "")
    if not text:
        raise CellError("Leeg, een getal verwacht.")
    # "1.5" is a decimal point, but "1.234" is a Belgian thousands separator.
    if "," not in text and _DOT_DECIMAL.match(text) and not _THOUSANDS.match(text):
        return Decimal(text)
    try:
        return parse_decimal(text, locale=LOCALE, strict=True)
    except (NumberFormatError, InvalidOperation):
        raise CellError(f"'{value}' is geen geldig getal (schrijf bv. 1,5 of 1.234,50).") from None


def parse_percent(value: object) -> Decimal:
    """50 · 50% · '50 %' · 0.5 (a fraction strictly between 0 and 1 means a share: 0,5 is 50%)."""
    text = str(value).strip() if isinstance(value, str) else None
    if text is not None and text.endswith("%"):
        return parse_number(text[:-1])
    number = parse_number(value)
    return number * 100 if 0 < number < 1 else number


def parse_money_cents(value: object) -> int:
    """Euros to integer cents, rounded half-up (a typed € 12,345 becomes € 12,35)."""
    return int((parse_number(value) * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def parse_int(value: object) -> int:
    number = parse_number(value)
    if number != number.to_integral_value():
        raise CellError(f"'{value}' is geen geheel getal.")
    return int(number)


def _checked_date(year: int, month: int, day: int, raw: object) -> dt.date:
    if year < 100:
        year += 2000
    try:
        result = dt.date(year, month, day)
    except ValueError:
        raise CellError(f"'{raw}' is geen bestaande datum.") from None
    if not MIN_YEAR <= result.year <= MAX_YEAR:
        raise CellError(f"'{raw}' ligt buiten {MIN_YEAR}–{MAX_YEAR}; tikfout in het jaar?")
    return result


def _from_serial(serial: float, raw: object) -> dt.date:
    if serial != int(serial):
        serial = int(serial)  # a time of day after the date; the date is what counts
    try:
        result = SERIAL_EPOCH + dt.timedelta(days=int(serial))
    except OverflowError:
        raise CellError(f"'{raw}' is geen datum.") from None
    return _checked_date(result.year, result.month, result.day, raw)


def parse_date(value: object) -> dt.date:
    """Date cells, serial day numbers (also as text), 15/03/2021, 5/03/2021, 15/3/21, 2021-03-15.

    Day-month-year is read strictly: Babel's lenient parser silently swaps day and month
    when the month is above 12 (3/15/2021), which would hide a typo in a paid hour.
    """
    if isinstance(value, dt.datetime):
        return _checked_date(value.year, value.month, value.day, value)
    if isinstance(value, dt.date):
        return _checked_date(value.year, value.month, value.day, value)
    if isinstance(value, bool):
        raise CellError(f"'{value}' is geen datum.")
    if isinstance(value, (int, float)):
        return _from_serial(value, value)
    text = str(value).strip()
    if re.fullmatch(r"\d+(?:[.,]\d+)?", text):
        return _from_serial(float(text.replace(",", ".")), value)
    if match := _DMY.match(text):
        day, month, year = (int(g) for g in match.groups())
        return _checked_date(year, month, day, value)
    if match := _ISO.match(text):
        year, month, day = (int(g) for g in match.groups())
        return _checked_date(year, month, day, value)
    raise CellError(f"'{value}' is geen datum (schrijf dd/mm/jjjj).")


def map_distinct(raw: pd.Series, fn: Callable[[object], object]) -> pd.Series:
    """``raw.map(fn)``, calling ``fn`` once per distinct value (blanks get ``fn(None)``).

    Sheet columns repeat a few values thousands of times; this keeps 100,000 rows fast.
    """
    # astype(object) also turns numpy scalars of typed columns into Python values.
    codes, uniques = pd.factorize(raw.astype(object), use_na_sentinel=True)
    results = np.empty(len(uniques) + 1, dtype=object)
    for i, value in enumerate(uniques):
        results[i] = fn(None if is_blank(value) else value)
    results[-1] = fn(None)  # code -1: a missing value
    return pd.Series(results[codes], index=raw.index, dtype=object)


def parse_series(raw: pd.Series, parse: Callable[[object], object]) -> tuple[pd.Series, pd.Series]:
    """Parse every non-blank cell of a column.

    Returns (values, errors): values hold the parsed value or None; errors hold the Dutch
    message for cells that could not be read, else None. Blank cells are None in both.
    """
    def attempt(value: object) -> tuple[object, str | None]:
        if value is None:
            return None, None
        try:
            return parse(value), None
        except CellError as exc:
            return None, str(exc)

    pairs = map_distinct(raw, attempt)
    return pairs.map(lambda p: p[0]).astype(object), pairs.map(lambda p: p[1]).astype(object)
