"""Money and company numbers: one parser of amounts, integer cents, SIREN/SIRET check digits.

Pure: text in, exact values out, or an InputError naming the input. Every amount a person types
(CLI flag, API field, form, CSV import, batch line, document context) goes through
`parse_amount`; every amount stored goes through `to_cents` (exact, never rounded); a computed
amount shown to the cent goes through `round_cents` (half up, as a reader checks by hand).

Accepted amounts: "4080.5", "4080.50", "4080,50", "4 080,50", "4 080,50 €", "4.080,50", "4 080.50"
with U+0020, U+00A0 or U+202F between thousands (groups of three), an integer (4080), or a
Decimal. Refused: floats (4080.5 as a JSON number is binary, not decimal), exponents ("1e3"),
NaN and infinities, more than two decimals, ungrouped separators ("4 0 80"), negative amounts
unless the caller allows them, and anything beyond `MAX_AMOUNT`.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

from casefile.errors import InputError
from casefile.law.wording import quoted

CENT = Decimal("0.01")
# The largest amount casefile accepts: 1 000 000 000,00 €. No debt-recovery claim it handles
# approaches a billion euros; a larger figure is a typing error (cents typed as euros, a pasted
# reference number). It also keeps sums of a portfolio far inside the 64-bit integer cents of
# the database (BIGINT: 9.2 × 10^18 cents).
MAX_AMOUNT = Decimal("1000000000.00")

_SPACE = "[ \u00a0\u202f]"  # space, no-break space, narrow no-break space (French typography)
_CURRENCY = re.compile(rf"{_SPACE}*(?:€|EUR|euros?)$", re.IGNORECASE)
_AMOUNT = re.compile(
    r"^(?P<sign>-)?(?:"
    r"(?P<plain>[0-9]+)"  # 4080
    rf"|(?P<spaced>[0-9]{{1,3}}(?:{_SPACE}[0-9]{{3}})+)"  # 4 080
    r"|(?P<dotted>[0-9]{1,3}(?:\.[0-9]{3})+)(?=,)"  # 4.080 (French, only before ",50")
    r")(?:[.,](?P<decimals>[0-9]{1,2}))?$"
)

_TOO_PRECISE = re.compile(r"^-?[0-9][0-9 \u00a0\u202f.]*[.,][0-9]{3,}$")


def _example(what: str, value: object) -> str:
    return (
        f"{what} : {quoted(value)} n'est pas un montant (écrire par exemple 4080.50, 4 080,50 ou "
        "4 080,50 €)"
    )


def parse_amount(value: object, what: str = "montant", *, allow_negative: bool = False) -> Decimal:
    """An amount in euros, exact to the cent (two decimal places), or an InputError."""
    if isinstance(value, bool | float):
        raise InputError(
            f'{what} : {quoted(value)} doit être écrit comme un texte, par exemple "4080.50" '
            "(un nombre à virgule flottante n'est pas exact)"
        )
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise InputError(_example(what, value))
        amount = value
    elif isinstance(value, int):
        amount = Decimal(value)
    elif isinstance(value, str):
        text = _CURRENCY.sub("", value.strip())
        match = _AMOUNT.match(text)
        if match is None:
            if _TOO_PRECISE.match(text):
                raise InputError(f"{what} : {quoted(value)} a plus de deux décimales")
            raise InputError(_example(what, value))
        whole = match["plain"] or match["spaced"] or match["dotted"]
        digits = re.sub(r"[^0-9]", "", whole)
        amount = Decimal(f"{match['sign'] or ''}{digits}.{match['decimals'] or '0'}")
    else:
        raise InputError(_example(what, value))
    # The bound first: quantizing a figure of more than 28 digits raises InvalidOperation.
    if abs(amount) > MAX_AMOUNT:
        raise InputError(
            f"{what} : {quoted(value)} dépasse le maximum accepté (1 000 000 000,00 €)"
        )
    if amount != amount.quantize(CENT, rounding=ROUND_HALF_UP):
        raise InputError(f"{what} : {quoted(value)} a plus de deux décimales")
    if amount < 0 and not allow_negative:
        raise InputError(f"{what} : {quoted(value)} est négatif")
    return amount.quantize(CENT)


def to_cents(amount: Decimal, what: str = "montant") -> int:
    """Decimal euros → integer cents; more than two decimals is an error, never a rounding."""
    if not isinstance(amount, Decimal):
        raise InputError(f"{what} : {quoted(amount)} n'est pas un montant décimal")
    return int(parse_amount(amount, what, allow_negative=True).scaleb(2))


def from_cents(cents: int) -> Decimal:
    return Decimal(int(cents)).scaleb(-2).quantize(CENT)


def cents_text(cents: int) -> str:
    """The JSON form of money: a string with two decimals, "1234.56"."""
    return str(from_cents(cents))


def round_cents(amount: Decimal) -> Decimal:
    """A computed amount (interest) rounded to the cent, half up: what a reader gets by hand."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


# --- SIREN and SIRET ----------------------------------------------------------------------
# SIREN: 9 digits, the last a Luhn check digit; SIRET: the SIREN + a 5-digit establishment
# number, the whole 14 digits closed by a Luhn check digit (INSEE). The one exception INSEE
# documents: La Poste's establishments (SIREN 356 000 000) have SIRETs whose digit sum is a
# multiple of 5 instead of a Luhn key (its head office, 356 000 000 00048, is Luhn-valid too).

LA_POSTE_SIREN = "356000000"
_NUMBER_SEPARATORS = re.compile(r"[\s\u00a0\u202f.-]")


def luhn_valid(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char) * (2 if index % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def _digits(text: object) -> str | None:
    if text is None:
        return None
    cleaned = _NUMBER_SEPARATORS.sub("", str(text))
    return cleaned or None


def check_siren(text: object, what: str = "SIREN") -> str | None:
    """The SIREN's nine digits ("732 829 320" → "732829320"); None when empty."""
    digits = _digits(text)
    if digits is None:
        return None
    if not (digits.isascii() and digits.isdigit() and len(digits) == 9):
        raise InputError(f"{what} : « {text} » doit comporter 9 chiffres")
    if not luhn_valid(digits):
        raise InputError(f"{what} : « {text} » n'est pas un SIREN valide (clé de contrôle fausse)")
    return digits


def check_siret(text: object, what: str = "SIRET") -> str | None:
    """The SIRET's fourteen digits; its first nine are a valid SIREN; None when empty."""
    digits = _digits(text)
    if digits is None:
        return None
    if not (digits.isascii() and digits.isdigit() and len(digits) == 14):
        raise InputError(f"{what} : « {text} » doit comporter 14 chiffres")
    valid = luhn_valid(digits)
    if not valid and digits.startswith(LA_POSTE_SIREN):
        valid = sum(int(c) for c in digits) % 5 == 0
    if not valid or not luhn_valid(digits[:9]):
        raise InputError(f"{what} : « {text} » n'est pas un SIRET valide (clé de contrôle fausse)")
    return digits
