"""How a party without SIREN is recognised: a name key (`normalise_key`, stored), and how two
written names are compared (`name_key`: an import's creditor against the recorded ones).
(SIREN and SIRET check digits live in `casefile.law.money` with the other checked numbers.)"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from casefile.law.parties import split_legal_form


@lru_cache(maxsize=65536)
def normalise_key(text: str) -> str:
    """Lower case, no accents, single spaces: "SARL Dupont  & Fils" ≈ "sarl dupont & fils" —
    how a party without SIREN is recognised. Cached: an import asks for the same names often."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"\s+", " ", folded).strip().lower()


@dataclass(frozen=True, slots=True)
class NameKey:
    """A company name as two people write it alike: « BRASSERIE DE L’ILL S.A.S. » and
    « Brasserie de l'Ill » have the same `bare` words; `form` is the legal form written in
    the name (or recorded beside it), None when there is none."""

    bare: str
    form: str | None

    def same_as(self, other: NameKey) -> bool:
        """The same words, and no two different legal forms: « Dupont » is « Dupont SAS »,
        but « Dupont SA » is not « Dupont SARL » (two companies may well exist)."""
        if self.bare != other.bare or not self.bare:
            return False
        return self.form is None or other.form is None or self.form == other.form


@lru_cache(maxsize=4096)
def name_key(name: str, legal_form: str | None = None) -> NameKey:
    """The comparison key of a party's name: case, accents, spaces and punctuation ignored
    (typographic apostrophes, « S.A.S. »), the legal form apart — one of LEGAL_FORMS at the
    end or the start of the name, or the `legal_form` recorded beside it.

    Safe side: a form is read in the name only as written in the list (« SAS », « GmbH ») or
    in a name all in capitals, so « Boucherie Sam » keeps its « Sam »; a name whose written
    form contradicts the recorded one keeps every word, and so matches only itself."""
    text = " ".join(name.replace(".", "").split())
    recorded = " ".join((legal_form or "").replace(".", "").split()) or None
    bare, written = split_legal_form(text)
    if written is not None and text != text.upper() and not _written_as(text, written):
        bare, written = text, None
    if recorded is None:
        form = written
    elif written is None or _form_key(written) == _form_key(recorded):
        form = recorded
    else:
        return NameKey(_words(text), _form_key(recorded))
    return NameKey(_words(bare), _form_key(form) if form else None)


def _written_as(text: str, form: str) -> bool:
    return re.search(rf"(?:^|[\s(,]){re.escape(form)}(?:$|[\s)])", text) is not None


def _words(text: str) -> str:
    # A typographic apostrophe or dash separates words, like a plain one (ASCII folding
    # would drop it and glue « L’Ill » into « lill »).
    folded = normalise_key(re.sub(r"[^\w&]+", " ", text))
    return " ".join(re.sub(r"[^a-z0-9&]+", " ", folded).split())


def _form_key(form: str) -> str:
    return re.sub(r"[^a-z0-9]", "", normalise_key(form))
