"""Reading what people really type into a cell: Belgian numbers, money, percentages and dates.

Each ``parse_*`` function takes one raw cell and returns a value or raises :class:`CellError`
with a Dutch message. :func:`parse_series` applies one to a whole column, parsing each distinct
value once (columns repeat the same few values, so this is what makes 100,000 rows fast).

A cell's type counts, not only its number (see :mod:`baz_data.cells`): a percent cell is a share
(``Percent(1)`` = 100 %), a time or duration cell in an hours column is hours (``4:00`` = 4 h).

Error policy: a ``parse_*`` function raises only :class:`CellError`; :func:`parse_series` also
turns any other exception into a Dutch message on that cell, so no cell content can raise out of
the data core. Every number is finite and at most :data:`MAX_MAGNITUDE` in size (``NaN``,
``inf``, ``1e308`` typed as text are errors); columns set tighter bounds in validate.py.
"""
from __future__ import annotations

import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Callable

import numpy as np
import pandas as pd
from babel.numbers import NumberFormatError, parse_decimal

from .cells import Percent

LOCALE = "nl_BE"
# Google Sheets and Excel count days from 30/12/1899.
SERIAL_EPOCH = dt.date(1899, 12, 30)
# A date outside these years is a typo (2201, 0202), not a plan; plan years share the bounds.
MIN_YEAR, MAX_YEAR = 2000, 2100
# No number in the workbook is larger than this; beyond it a value is a typo or an attack (1e308).
MAX_MAGNITUDE = Decimal(10) ** 12

_SPACES = re.compile(r"[\s\u00a0\u202f]+")
_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T].*)?$")
_DOT_DECIMAL = re.compile(r"^[+-]?\d*\.\d+$")
_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(\.\d{3})+$")
_CLOCK = re.compile(r"^(\d{1,5}):([0-5]\d)(?::([0-5]\d))?$")          # 4:00, 1:30, 27:30:15
_ISO_DURATION = re.compile(r"^PT(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?$")  # PT27H30M00S


class CellError(ValueError):
    """The cell cannot be read; ``str(exc)`` is the Dutch message for the partner."""


def is_blank(value: object) -> bool:
    if value is None or value is pd.NaT or value is pd.NA:
        return True
    if isinstance(value, float) and value != value:  # NaN
        return True
    return isinstance(value, str) and not value.strip()


def show(value: object) -> str:
    """A cell as the partner would recognise it: 15/03/2021, 4:00, 100%, 1,5. Never raises."""
    try:
        return _show(value)
    except Exception:  # noqa: BLE001 — a problem message must always be writable
        return str(type(value).__name__)


def _show(value: object) -> str:
    if is_blank(value):
        return ""
    if isinstance(value, dt.datetime):
        return value.strftime("%d/%m/%Y %H:%M") if value.time() != dt.time() else \
            value.strftime("%d/%m/%Y")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, dt.time):
        return f"{value.hour}:{value.minute:02d}" + (f":{value.second:02d}" if value.second else "")
    if isinstance(value, dt.timedelta):
        seconds = value.days * 86400 + value.seconds
        text = f"{seconds // 3600}:{seconds // 60 % 60:02d}"
        return text + (f":{seconds % 60:02d}" if seconds % 60 else "")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def normalize_code(value: object) -> str:
    """Codes compare without regard to case and surrounding spaces: 'magenta ' is 'Magenta'."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return _SPACES.sub(" ", str(value)).strip().casefold()


def _not_a_number(value: object) -> CellError:
    if isinstance(value, Percent):
        return CellError(f"'{value}' is een percentage, geen getal.")
    if isinstance(value, (dt.date, dt.time, dt.timedelta)):
        return CellError(f"'{show(value)}' is een datum of tijd, geen getal.")
    return CellError(f"'{value}' is geen getal.")


def _finite(number: Decimal, raw: object) -> Decimal:
    if not number.is_finite():
        raise CellError(f"'{show(raw)}' is geen getal (schrijf bv. 1,5).")
    if abs(number) > MAX_MAGNITUDE:
        raise CellError(f"'{show(raw)}' is veel te groot; tikfout?")
    return number


def parse_number(value: object) -> Decimal:
    """1,5 · 1.5 · 1.234,5 · € 1.234,50 · real numbers. Exact: returns a finite Decimal."""
    if isinstance(value, (bool, Percent, dt.date, dt.time, dt.timedelta)):
        raise _not_a_number(value)
    if isinstance(value, int):
        return _finite(Decimal(value), value)
    if isinstance(value, float):
        # repr gives the shortest decimal that round-trips, so 0.1 stays 0.1 (not 0.1000000000000000055…)
        return _finite(Decimal(repr(value)), value)
    text = _SPACES.sub("", str(value)).replace("€", "").replace("EUR", "")
    if not text:
        raise CellError("Leeg, een getal verwacht.")
    # "1.5" is a decimal point, but "1.234" is a Belgian thousands separator.
    if "," not in text and _DOT_DECIMAL.match(text) and not _THOUSANDS.match(text):
        return _finite(Decimal(text), value)
    try:
        number = parse_decimal(text, locale=LOCALE, strict=True)
    except (NumberFormatError, InvalidOperation, ValueError):
        raise CellError(f"'{value}' is geen geldig getal (schrijf bv. 1,5 of 1.234,50).") from None
    return _finite(number, value)


def parse_hours(value: object) -> Decimal:
    """Hours: 1,5 · 1.5 · a time or duration cell (4:00 = 4 h, 1:30 = 1,5 h) · '27:30' as text."""
    if isinstance(value, dt.datetime):
        raise CellError(f"'{show(value)}' is een datum, geen aantal uren.")
    if isinstance(value, dt.time):
        return Decimal(value.hour) + Decimal(value.minute) / 60 + Decimal(value.second) / 3600
    if isinstance(value, dt.timedelta):
        return _finite(Decimal(value.days * 86400 + value.seconds) / 3600, value)
    if isinstance(value, dt.date):
        raise CellError(f"'{show(value)}' is een datum, geen aantal uren.")
    if isinstance(value, Percent):
        raise CellError(f"'{value}' is een percentage, geen aantal uren.")
    if isinstance(value, str):
        text = value.strip()
        if match := _CLOCK.match(text):
            h, m, sec = (int(g) if g else 0 for g in match.groups())
            return Decimal(h) + Decimal(m) / 60 + Decimal(sec) / 3600
        if match := _ISO_DURATION.match(text.upper()):
            h, m, sec = (Decimal(g) if g else Decimal(0) for g in match.groups())
            return _finite(h + m / 60 + sec / 3600, value)
    return parse_number(value)


def parse_percent(value: object) -> Decimal:
    """50 · 50% · '50 %' · a percent cell (1 with a percent format is 100%) · 0.5 (a plain
    fraction strictly between 0 and 1 means a share: 0,5 is 50%)."""
    if isinstance(value, Percent):
        return parse_number(value.value) * 100
    text = str(value).strip() if isinstance(value, str) else None
    if text is not None and text.endswith("%"):
        return parse_number(text[:-1])
    number = parse_number(value)
    return number * 100 if 0 < number < 1 else number


def parse_money_cents(value: object) -> int:
    """Euros to integer cents, rounded half-up (a typed € 12,345 becomes € 12,35)."""
    return int((parse_number(value) * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def parse_int(value: object) -> int:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
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
    try:
        # a time of day after the date is dropped: the date is what counts
        result = SERIAL_EPOCH + dt.timedelta(days=int(serial))
    except (OverflowError, ValueError):
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
    if isinstance(value, (bool, Percent, dt.time, dt.timedelta)):
        raise CellError(f"'{show(value)}' is geen datum.")
    if isinstance(value, (int, float)):
        return _from_serial(value, value)
    text = str(value).strip()
    if re.fullmatch(r"\d{1,9}(?:[.,]\d+)?", text):
        return _from_serial(float(text.replace(",", ".")), value)
    if match := _DMY.match(text):
        day, month, year = (int(g) for g in match.groups())
        return _checked_date(year, month, day, value)
    if match := _ISO.match(text):
        year, month, day = (int(g) for g in match.groups())
        return _checked_date(year, month, day, value)
    raise CellError(f"'{value}' is geen datum (schrijf dd/mm/jjjj).")


def distinct(raw: pd.Series) -> tuple[np.ndarray, list]:
    """(codes, distinct values) of a column; blanks (None, NaN, NaT, "", spaces) share code -1."""
    # astype(object) also turns numpy scalars of typed columns into Python values.
    codes, uniques = pd.factorize(raw.astype(object), use_na_sentinel=True)
    values = list(uniques)
    blank = [i for i, v in enumerate(values) if is_blank(v)]
    if blank:
        codes = codes.copy()
        codes[np.isin(codes, blank)] = -1
    return codes, values


def map_distinct(raw: pd.Series, fn: Callable[[object], object],
                 known: tuple[np.ndarray, list] | None = None) -> pd.Series:
    """``raw.map(fn)``, calling ``fn`` once per distinct value (blanks get ``fn(None)``).

    Sheet columns repeat a few values thousands of times; this keeps 100,000 rows fast.
    ``known`` is ``distinct(raw)`` when the caller already has it.
    """
    codes, values = known if known is not None else distinct(raw)
    results = np.empty(len(values) + 1, dtype=object)
    for i, value in enumerate(values):
        results[i] = fn(None if is_blank(value) else value)
    results[-1] = fn(None)  # code -1: a missing value
    return pd.Series(results[codes], index=raw.index, dtype=object)


def parse_series(raw: pd.Series, parse: Callable[[object], object],
                 known: tuple[np.ndarray, list] | None = None) -> tuple[pd.Series, pd.Series]:
    """Parse every non-blank cell of a column.

    Returns (values, errors): values hold the parsed value or None; errors hold the Dutch
    message for cells that could not be read, else None. Blank cells are None in both.
    Each distinct value is parsed once and the results are spread by code, not per row.
    """
    codes, uniques = known if known is not None else distinct(raw)
    values = np.full(len(uniques) + 1, None, dtype=object)
    errors = np.full(len(uniques) + 1, None, dtype=object)
    for i, value in enumerate(uniques):
        if is_blank(value):
            continue
        try:
            values[i] = parse(value)
        except CellError as exc:
            errors[i] = str(exc)
        except Exception:  # noqa: BLE001 — no cell may crash the dashboard for every viewer
            errors[i] = f"'{show(value)[:80]}' kan niet gelezen worden."
    return (pd.Series(values[codes], index=raw.index, dtype=object),
            pd.Series(errors[codes], index=raw.index, dtype=object))
