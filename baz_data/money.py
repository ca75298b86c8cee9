"""Exact money and hours: the units and the one rounding rule everything that is paid uses.

Hours are integer units of 1/10,000 hour; money is integer cents; an hourly rate is a Decimal in
euros exactly as typed (45,555 stays 45,555). A product of hours and a rate is computed exactly
and rounded half-up to the cent once (:func:`cents_of`); nothing in between is rounded.

Error policy: the inputs were bounded by validation (hours, rates, amounts), so nothing here
overflows or loses digits; the Decimal context is wide enough for every bounded product.
"""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Context, Decimal

_UNIT_DIGITS = 4
HOUR_UNITS = 10 ** _UNIT_DIGITS  # hours are kept exactly as integer units of 1/10,000 hour
_EXACT = Context(prec=60)  # bounded inputs give products of < 30 digits: never rounded here


def hour_units(hours: Decimal) -> int:
    """Hours → integer units of 1/10,000 h, rounded half-up (0,00005 h is 1 unit)."""
    return int((hours * HOUR_UNITS).quantize(Decimal(1), rounding=ROUND_HALF_UP, context=_EXACT))


def cents_of(units: int, rate: Decimal | None) -> int:
    """``units`` hour units × ``rate`` euros per hour, in cents, rounded half-up once."""
    if rate is None:
        return 0
    exact = _EXACT.multiply(Decimal(int(units)), rate).scaleb(2 - _UNIT_DIGITS, context=_EXACT)
    return int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP, context=_EXACT))

