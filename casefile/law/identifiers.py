"""How a party without SIREN is recognised: a name key. (SIREN and SIRET check digits live
in `casefile.law.money` with the other checked numbers.)"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache


@lru_cache(maxsize=65536)
def normalise_key(text: str) -> str:
    """Lower case, no accents, single spaces: "SARL Dupont  & Fils" ≈ "sarl dupont & fils" —
    how a party without SIREN is recognised. Cached: an import asks for the same names often."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"\s+", " ", folded).strip().lower()
