"""Euros ↔ integer cents: exact on both engines (SQLite would store `Numeric` as a float)."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from casefile.errors import InputError

_CENT = Decimal("0.01")
MAX_EUROS = Decimal("1000000000000")
"""The largest amount accepted (10¹² €): far beyond any claim, far within a 64-bit count of
cents and Decimal's precision."""


def _bounded(value: Decimal, text: object, what: str) -> Decimal:
    if not value.is_finite() or abs(value) > MAX_EUROS:
        raise InputError(f"{what} : {text!r} dépasse le maximum accepté (1 000 000 000 000 €)")
    return value


_SPACES = re.compile(r"[\s\u00a0\u202f']")


def to_cents(amount: Decimal, what: str = "amount") -> int:
    """Decimal euros → integer cents; more than two decimals is an error, never a rounding."""
    if not isinstance(amount, Decimal) or not amount.is_finite():
        raise InputError(f"{what}: {amount!r} must be a decimal amount")
    _bounded(amount, amount, what)
    if amount != amount.quantize(_CENT):
        raise InputError(f"{what}: {amount} has more than two decimals")
    return int(amount.scaleb(2))


def from_cents(cents: int) -> Decimal:
    return Decimal(int(cents)).scaleb(-2).quantize(_CENT)


def cents_text(cents: int) -> str:
    """The JSON form of money: a string with two decimals, "1234.56"."""
    return str(from_cents(cents))


def parse_euros(text: object, what: str = "amount", allow_negative: bool = False) -> Decimal:
    """Accept "1234.56", "1 234,56", "1.234,56", "1234,5 €"; refuse floats and garbage."""
    if isinstance(text, Decimal):
        value = text
    elif isinstance(text, int) and not isinstance(text, bool):
        value = Decimal(text)
    elif isinstance(text, str):
        cleaned = _SPACES.sub("", text.strip().replace("€", "").replace("EUR", ""))
        if "," in cleaned:
            # French: "1.234,56" (dot thousands) or "1234,56"
            cleaned = cleaned.replace(".", "").replace(",", ".")
        if not re.fullmatch(r"[+-]?\d+(\.\d+)?", cleaned):
            raise InputError(f"{what}: {text!r} is not an amount")
        try:
            value = Decimal(cleaned)
        except InvalidOperation:
            raise InputError(f"{what}: {text!r} is not an amount") from None
    else:
        raise InputError(f'{what}: {text!r} must be a decimal string such as "1234.56"')
    _bounded(value, text, what)
    if value != value.quantize(_CENT):
        raise InputError(f"{what}: {text!r} has more than two decimals")
    if value < 0 and not allow_negative:
        raise InputError(f"{what}: {text!r} is negative")
    return value.quantize(_CENT)
