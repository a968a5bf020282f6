"""Amounts and ratios as exact decimals (spec section 1).

Every amount is a ``Decimal`` with exactly two decimals (分); every product of an
amount and a ratio is rounded half-up to 0.01 the moment it is computed. Nothing
here ever goes through a binary float.
"""
from __future__ import annotations

import math
import re
from decimal import ROUND_HALF_UP, Context, Decimal, InvalidOperation

CENT = Decimal("0.01")
RATIO_STEP = Decimal("0.0001")
ZERO = Decimal("0.00")
ONE = Decimal("1")
MAX_AMOUNT = Decimal("99999999.99")

# Wide enough that no sum or product of valid inputs is ever rounded by the
# context itself; the only rounding is the explicit quantize below. Settling
# runs under this context so a caller's changed global context cannot leak in.
CONTEXT = Context(prec=60, rounding=ROUND_HALF_UP)

# What a text amount may look like: plain digits with an optional fraction.
# No exponents, separators or full-width digits: the form sends plain text.
_AMOUNT_TEXT = re.compile(r"[+-]?[0-9]+(\.[0-9]+)?")


class Unquoted(str):
    """A number an editor wrote without quotes in a YAML file, kept as the text written.

    YAML 1.1 reads such a scalar its own way (``010`` is 8, ``0x10`` is 16, ``20:00`` is 1200, ``1e3`` a
    float), so the profile loader refuses it wherever an amount or a ratio is expected and asks for quotes.
    """


def round_money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP, context=CONTEXT)


def times(amount: Decimal, ratio: Decimal) -> Decimal:
    """amount × ratio, rounded half-up to 0.01 (the only rounding the spec allows)."""
    return round_money(CONTEXT.multiply(amount, ratio))


def fmt(amount: Decimal) -> str:
    """'1234.50': the two-decimal text used in the JSON and the explanations.

    Every amount the engine holds already has at most two decimals, so formatting never rounds
    (format() is about twice as fast as quantize + str, and this runs ~90 times per visit; a cache
    measured slower, as each figure is a new Decimal to hash). A negative zero is written 0.00.
    """
    return "0.00" if not amount else format(amount, ".2f")


def fmt_ratio(ratio: Decimal) -> str:
    """A ratio as the editor wrote it, e.g. '0.85' (never exponent notation)."""
    return format(ratio, "f")


def as_decimal(value: object) -> Decimal | None:
    """The exact decimal a JSON-like value stands for, or None if it is not a number.

    Accepted: Decimal, int, plain decimal text ('1234.50'), and float through its
    shortest repr (for any amount up to 99,999,999.99 that is exactly the text
    that was typed; a float such as 0.1 + 0.2 shows up as too many decimals).
    Booleans are not numbers here.
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, Decimal):
        return value if value.is_finite() else None
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            return None
        return Decimal(repr(value))
    if isinstance(value, str):
        text = value.strip()
        if not _AMOUNT_TEXT.fullmatch(text):
            return None
        try:
            return Decimal(text)
        except InvalidOperation:  # pragma: no cover - the pattern only lets valid text through
            return None
    return None


def decimal_places_beyond(value: Decimal, places: int) -> bool:
    """True when ``value`` has a non-zero digit after ``places`` decimals ('1.230' is fine for 2).

    Reads the digits themselves: no power of ten is built, so a hostile exponent such as
    1e-99999999 or a coefficient of thousands of digits costs nothing.
    """
    sign, digits, exponent = value.as_tuple()
    if not isinstance(exponent, int) or exponent >= -places:
        return False
    extra = -exponent - places
    if not any(digits):
        return False
    if extra >= len(digits):
        return True
    return any(digits[-extra:])


def amount_problem(value: Decimal) -> str | None:
    """The spec's error code for a number that is not a valid amount, or None."""
    if value < 0:
        return "negative"
    if value > MAX_AMOUNT:
        return "too_large"
    if decimal_places_beyond(value, 2):
        return "too_many_decimals"
    return None


def to_amount(value: Decimal) -> Decimal:
    """A checked amount as its canonical two-decimal Decimal (and never '-0.00')."""
    return round_money(value).copy_abs()
