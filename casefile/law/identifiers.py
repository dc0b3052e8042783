"""French company identifiers and name keys: SIREN (9 digits) and SIRET (SIREN + 5-digit establishment number),
both closed by a Luhn check digit (INSEE). Pure: text in, digits out or an InputError naming it.

The one exception INSEE documents: La Poste's establishments (SIREN 356 000 000) have SIRETs
whose digit sum is a multiple of 5 instead of a Luhn key.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from casefile.errors import InputError

_SPACES = re.compile(r"[\s\u00a0\u202f.-]")
LA_POSTE_SIREN = "356000000"


def luhn_valid(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char) * (2 if index % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def _digits(text: object) -> str | None:
    if text is None:
        return None
    cleaned = _SPACES.sub("", str(text))
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


@lru_cache(maxsize=65536)
def normalise_key(text: str) -> str:
    """Lower case, no accents, single spaces: "SARL Dupont  & Fils" ≈ "sarl dupont & fils" —
    how a party without SIREN is recognised. Cached: an import asks for the same names often."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"\s+", " ", folded).strip().lower()
