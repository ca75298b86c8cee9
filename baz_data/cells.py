"""What a cell *is*, not only what number it holds: the typed values every source delivers.

Google Sheets and Excel store what people type as a number plus a number format: ``100%`` is
the number 1 with a percent format, ``4:00`` is 1/6 of a day with a time format, ``27:30`` is
1,1458 days with a duration format. A source turns such a cell into the Python value that says
what was meant, the same from every source, so parsing never guesses from the number alone:

- a percent format becomes :class:`Percent` (``Percent(1.0)`` is 100 %);
- a time format becomes ``datetime.time``, a duration format ``datetime.timedelta``;
- a date format ``datetime.date`` (with a time: ``datetime.datetime``).

calamine already returns time, duration and date cells of .xlsx/.ods files like this; the
percent format it does not report, so :mod:`baz_data.sources` reads it from the file itself.

Error policy: :func:`typed_cell` never raises; a number that does not fit its format (a
duration of 10^300 days) is returned unchanged and left to parsing to report.
"""
from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

SERIAL_EPOCH = dt.datetime(1899, 12, 30)  # day 0 of Google Sheets and Excel serial numbers

# Google's NumberFormat.type values (Sheets API v4).
PERCENT, TIME, DURATION, DATE, DATE_TIME = "PERCENT", "TIME", "DURATION", "DATE", "DATE_TIME"


@dataclass(frozen=True)
class Percent:
    """A number shown with a percent format: ``Percent(1.0)`` is what a partner typed as 100%."""

    value: float

    def __str__(self) -> str:  # how the partner sees it, for problem messages
        shown = self.value * 100
        text = repr(float(shown)) if math.isfinite(shown) else str(shown)
        return f"{text.removesuffix('.0').replace('.', ',')}%"


def typed_cell(value: object, format_type: str | None) -> object:
    """A raw number with its Google/Excel number-format type → the value it stands for."""
    if format_type is None or isinstance(value, bool) or not isinstance(value, (int, float)):
        return value
    if not math.isfinite(value):
        return value
    try:
        if format_type == PERCENT:
            return Percent(float(value))
        if format_type == TIME and 0 <= value < 1:
            seconds = round(value * 86400)
            if seconds < 86400:
                return dt.time(seconds // 3600, seconds // 60 % 60, seconds % 60)
            return dt.timedelta(seconds=seconds)
        if format_type in (TIME, DURATION):
            return dt.timedelta(seconds=round(value * 86400))
        if format_type == DATE:
            return (SERIAL_EPOCH + dt.timedelta(days=math.floor(value))).date()
        if format_type == DATE_TIME:
            return SERIAL_EPOCH + dt.timedelta(seconds=round(value * 86400))
    except (OverflowError, ValueError):
        return value  # beyond what a date or duration can hold: parsing reports it
    return value
