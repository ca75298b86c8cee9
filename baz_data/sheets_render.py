"""Cell values in the Sheets-API test server: how a stored cell is rendered and a sent one parsed.

A stored cell is None (empty), text, a number, a boolean, a date, datetime or time, or a
:class:`Formula` (stored and returned as its text, never evaluated). :func:`render` gives a cell
as values.get returns it under the value and date-time render options (nl_BE: ``1234,5``,
``3/01/2021``; automatic number format, no grouping); :func:`parse_input` stores what
values.update/append sent (RAW as is; USER_ENTERED parses numbers with the locale's decimal
sign, ``%``, booleans in English and Dutch, ISO and d/m/y dates, ``'`` for text and ``=`` for a
formula), and :func:`parse_typed` adds the number format Google gives what was typed
(sheets_number_formats.py). :func:`trim` drops trailing empty cells and rows, as the API does.
Test equipment, not product.

Error policy: pure functions that never raise; text that is no number or date stays text.
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Any

from .sheets_number_formats import NumberFormat, implied_format, typed_input

SERIAL_EPOCH = dt.datetime(1899, 12, 30)


class Formula(str):
    """A cell that holds a formula (USER_ENTERED text starting with ``=``, or a formulaValue):
    stored and returned as its text, but a test can tell it from text (``type(v) is str``)."""


def to_serial(value: dt.date | dt.datetime | dt.time) -> float | int:
    if isinstance(value, dt.time):
        return (value.hour * 3600 + value.minute * 60 + value.second) / 86400
    if isinstance(value, dt.datetime):
        delta = value - SERIAL_EPOCH
        serial = delta.days + delta.seconds / 86400
        return int(serial) if serial == int(serial) else serial
    return (value - SERIAL_EPOCH.date()).days


def _plain_number(value: int | float) -> int | float:
    return int(value) if isinstance(value, float) and value.is_integer() else value


def format_number(value: int | float, locale: str) -> str:
    """Google's automatic number format: no grouping, the locale's decimal sign."""
    value = _plain_number(value)
    text = repr(value) if isinstance(value, float) else str(value)
    return text.replace(".", decimal_sign(locale))


def decimal_sign(locale: str) -> str:
    return "." if locale.split("_")[0] in ("en", "ja", "zh", "ko", "he", "th") else ","


def format_date(value: dt.date | dt.datetime | dt.time, locale: str) -> str:
    if isinstance(value, dt.time):
        return f"{value.hour}:{value.minute:02d}:{value.second:02d}"
    if locale.startswith("en_US"):
        text = f"{value.month}/{value.day}/{value.year}"
    else:
        text = f"{value.day}/{value.month:02d}/{value.year}"  # nl_BE: d/MM/yyyy
    if isinstance(value, dt.datetime):
        text += f" {value.hour}:{value.minute:02d}:{value.second:02d}"
    return text


def render(value: Any, value_option: str, date_option: str, locale: str) -> Any:
    """One stored cell as values.get returns it."""
    if value is None:
        return ""
    if isinstance(value, (dt.date, dt.time)):
        if value_option == "FORMATTED_VALUE" or date_option == "FORMATTED_STRING":
            return format_date(value, locale)
        return to_serial(value)
    if isinstance(value, bool):
        return value if value_option != "FORMATTED_VALUE" else ("TRUE" if value else "FALSE")
    if isinstance(value, (int, float)):
        if value_option == "FORMATTED_VALUE":
            return format_number(value, locale)
        return _plain_number(value)
    return value


_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$")


def parse_input(value: Any, option: str, locale: str) -> Any:
    """A value sent in values.update/append as Google stores it (USER_ENTERED parses text)."""
    if value is None or isinstance(value, bool) or option == "RAW":
        return value if value != "" else None
    if isinstance(value, (int, float)):
        return value
    text = str(value)
    if text.startswith("'"):
        return text[1:] or None
    stripped = text.strip()
    if not stripped:
        return None
    if text.startswith("="):
        return Formula(text)
    if stripped.upper() in ("TRUE", "WAAR", "FALSE", "ONWAAR"):
        return stripped.upper() in ("TRUE", "WAAR")
    sign = decimal_sign(locale)
    group = "," if sign == "." else "."
    number = stripped.rstrip("%").strip()
    pattern = rf"[+-]?(\d{{1,3}}(\{group}\d{{3}})+|\d+)(\{sign}\d+)?"
    if re.fullmatch(pattern, number):
        parsed = float(number.replace(group, "").replace(sign, "."))
        parsed = parsed / 100 if stripped.endswith("%") else parsed
        return _plain_number(parsed)
    if m := _ISO.match(stripped):
        y, mo, d, h, mi, s = (int(g) if g else 0 for g in m.groups())
        try:
            return dt.datetime(y, mo, d, h, mi, s) if m.group(4) else dt.date(y, mo, d)
        except ValueError:
            return text
    if m := _DMY.match(stripped):
        a, b, y = (int(g) for g in m.groups())
        day, month = (b, a) if locale.startswith("en_US") else (a, b)
        try:
            return dt.date(y, month, day)
        except ValueError:
            return text
    return text


def parse_typed(value: Any, option: str, locale: str) -> tuple[Any, NumberFormat | None]:
    """Like parse_input, with the number format Google gives what was typed."""
    if option == "USER_ENTERED" and isinstance(value, str) and not value.startswith("'"):
        if (timed := typed_input(value)) is not None:
            return timed
        parsed = parse_input(value, option, locale)
        if value.strip().endswith("%") and isinstance(parsed, (int, float)):
            return parsed, {"type": "PERCENT", "pattern": "0%"}
        return parsed, implied_format(parsed)
    parsed = parse_input(value, option, locale)
    return parsed, implied_format(parsed)


def is_empty(value: Any) -> bool:
    return value is None or value == ""


def trim(rows: list[list[Any]]) -> list[list[Any]]:
    """Drop trailing empty cells and rows, as the API does."""
    out = []
    for row in rows:
        end = len(row)
        while end and is_empty(row[end - 1]):
            end -= 1
        out.append(row[:end])
    while out and not out[-1]:
        out.pop()
    return out


def extended(value: Any) -> dict:
    """A stored cell as an ExtendedValue (userEnteredValue, effectiveValue) of spreadsheets.get."""
    if isinstance(value, bool):
        return {"boolValue": value}
    if isinstance(value, (int, float)):
        return {"numberValue": value}
    if isinstance(value, (dt.date, dt.time)):
        return {"numberValue": to_serial(value)}
    return {"stringValue": str(value)}
