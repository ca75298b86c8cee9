"""Number formats in the Sheets test server: what Google stores next to a typed value.

Typing ``100%`` in Google Sheets stores the number 1 with a PERCENT number format; ``4:00`` stores
1/6 of a day with a TIME format; ``27:30`` a DURATION; a date a DATE. values.get with
UNFORMATTED_VALUE then returns only the number — the format is visible through spreadsheets.get
(``effectiveFormat.numberFormat``). sheets_model.py keeps the format per cell with these helpers,
so the dashboard's tests see what production sees.

Error policy: pure functions; text that is not a percent or a time is left to parse_input.
"""
from __future__ import annotations

import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from .cells import DATE, DATE_TIME, DURATION, PERCENT, TIME, Percent

NumberFormat = dict[str, str]  # {"type": "PERCENT", "pattern": "0%"}, as the API returns it

_CLOCK = re.compile(r"^(\d{1,5}):([0-5]\d)(?::([0-5]\d))?$")
_PATTERNS = {PERCENT: "0%", TIME: "h:mm", DURATION: "[h]:mm:ss", DATE: "d/mm/yyyy",
             DATE_TIME: "d/mm/yyyy h:mm:ss"}


def number_format(kind: str) -> NumberFormat:
    return {"type": kind, "pattern": _PATTERNS[kind]}


def implied_format(value: Any) -> NumberFormat | None:
    """The format Google gives a value that is stored as a date or time."""
    if isinstance(value, dt.datetime):
        return number_format(DATE_TIME)
    if isinstance(value, dt.date):
        return number_format(DATE)
    if isinstance(value, dt.time):
        return number_format(TIME)
    return None


def typed_input(text: str) -> tuple[Any, NumberFormat] | None:
    """USER_ENTERED text that Sheets turns into a time or duration (the percent sign is parsed
    by sheets_render.parse_input, which knows the locale's number syntax)."""
    match = _CLOCK.match(text.strip())
    if not match:
        return None
    h, m, s = (int(g) if g else 0 for g in match.groups())
    if h < 24:
        return dt.time(h, m, s), number_format(TIME)
    return (h * 3600 + m * 60 + s) / 86400, number_format(DURATION)


def python_cell(value: Any) -> tuple[Any, NumberFormat | None]:
    """A Python value a test hands to the server → (stored value, its number format)."""
    if isinstance(value, Percent):
        return value.value, number_format(PERCENT)
    if isinstance(value, dt.timedelta):
        return value.total_seconds() / 86400, number_format(DURATION)
    return value, implied_format(value)


# A NUMBER or CURRENCY pattern of the simple kind: literals ("€ "), #,##0, decimals 0…0#…#.
_PATTERN = re.compile(r'((?:"[^"]*"|[^#0.,"\\;])*)([#,]*0[0,]*)(?:\.(0*)(#*))?'
                      r'((?:"[^"]*"|[^#0.,"\\;])*)')


def _literal(text: str) -> str:
    return re.sub(r'"([^"]*)"', r"\1", text)


def pattern_value(value: float, pattern: str, decimal: str = ",") -> str | None:
    """A number under a simple pattern, with the locale's decimal sign (Sheets patterns always
    write ``,`` for grouping and ``.`` for decimals; the locale decides what is shown):
    ``"€ "#,##0.00`` → ``€ 1.234,50`` in nl_BE. None for a pattern this server does not
    know."""
    match = _PATTERN.fullmatch(pattern.split(";")[0])
    if match is None:
        return None
    prefix, integer, fixed, optional, suffix = (g or "" for g in match.groups())
    places = len(fixed) + len(optional)
    exact = Decimal(repr(abs(float(value)))).quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)
    text = f"{exact:,.{places}f}" if "," in integer else f"{exact:.{places}f}"
    if optional:
        whole, _, part = text.partition(".")
        part = part[:len(fixed)] + part[len(fixed):].rstrip("0")
        text = whole + ("." + part if part else "")
    group = "." if decimal == "," else ","
    text = text.translate(str.maketrans({",": group, ".": decimal}))
    sign = "-" if value < 0 and exact != 0 else ""
    return f"{sign}{_literal(prefix)}{text}{_literal(suffix)}"


def formatted_value(value: Any, fmt: NumberFormat | None, plain: str, decimal: str = ",") -> str:
    """FORMATTED_VALUE of a number under its format (``plain`` is the automatic rendering)."""
    if fmt is None or not isinstance(value, (int, float)) or isinstance(value, bool):
        return plain
    if fmt["type"] in ("NUMBER", "CURRENCY") and fmt.get("pattern"):
        return pattern_value(value, fmt["pattern"], decimal) or plain
    if fmt["type"] == PERCENT:
        return f"{round(value * 100, 10):g}%".replace(".", ",")
    if fmt["type"] in (TIME, DURATION):
        seconds = round(value * 86400)
        return f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"
    return plain
