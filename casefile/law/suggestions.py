"""Short refusals of an unknown key: the few choices closest in spelling, and where the full
list is (pure; difflib).

A procedure has eight events or more, and a refusal that listed them all ran to a paragraph
the person had to read through for the one they meant. The refusal now names at most
`LIMIT` choices, the closest by spelling of their key or of their French label (« ordonnance
rendue », « ordonnance_rendu » and « Ordonnance rendue » all find `ordonnance_rendue`), and
says where every choice is listed: `casefile procedures` (and `casefile procedures KEY` for the
events of one procedure) on the command line, `GET /api/procedures` (`/api/procedures/KEY`)
over HTTP.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from difflib import SequenceMatcher
from typing import TYPE_CHECKING

from casefile.errors import UnknownChoice
from casefile.law.wording import in_guillemets, labelled, quoted

if TYPE_CHECKING:
    from casefile.law.procedures import Procedure

LIMIT = 3
"""Choices a refusal names at most."""
CUTOFF = 0.6
"""Similarity (difflib's ratio, 0–1) below which a choice is not offered as a likely one."""
MARGIN = 0.15
"""A choice this much less similar than the best is not offered beside it."""
ALL_PROCEDURES = "casefile procedures, ou GET /api/procedures"


PAGE_PROCEDURES = "toutes sont proposées dans la liste « Procédure » de la page"
PAGE_EVENTS = "tous sont proposés dans le formulaire de la page"


def _plain(text: str) -> str:
    """Lower case, without accents, words joined by "_": how keys are spelt."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    letters = "".join(c for c in decomposed if not unicodedata.combining(c))
    return "_".join("".join(c if c.isalnum() else " " for c in letters).split())


def _score(typed: str, key: str, label: str) -> float:
    """The best of: the whole key or label against what was typed; a key or label that
    begins with it (« refere » for refere_provision); one word of it against one word typed
    (« signification » for « Ordonnance signifiée au débiteur »; with several words typed,
    their mean), a little below a whole."""
    best = 0.0
    typed_words = [w for w in typed.split("_") if len(w) >= 4]
    for candidate in (_plain(key), _plain(label)):
        if not candidate:
            continue
        ratio = SequenceMatcher(None, typed, candidate).ratio()
        if len(typed) >= 4 and (candidate.startswith(typed) or typed.startswith(candidate)):
            ratio = max(ratio, CUTOFF)
        words = [w for w in candidate.split("_") if len(w) >= 4]
        if typed_words and words:
            each = [
                max(SequenceMatcher(None, typed_word, word).ratio() for word in words)
                for typed_word in typed_words
            ]
            ratio = max(ratio, 0.95 * sum(each) / len(each))
        best = max(best, ratio)
    return best


def closest(typed: object, choices: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """The (label, key) pairs closest to `typed` in spelling, best first, at most `LIMIT`;
    none when nothing comes near."""
    if not isinstance(typed, str) or not _plain(typed):
        return []
    plain = _plain(typed)
    scored = [
        (_score(plain, key, label), index, (label, key))
        for index, (label, key) in enumerate(choices)
    ]
    likely = sorted((s for s in scored if s[0] >= CUTOFF), key=lambda s: (-s[0], s[1]))
    if not likely:
        return []
    near = likely[0][0] - MARGIN  # a clear best is offered alone
    return [pair for score, _, pair in likely[:LIMIT] if score >= near]


def suggestion(
    typed: object,
    choices: Iterable[tuple[str, str]],
    feminine: bool = False,
    keys: bool = True,
) -> str:
    """« ; la plus proche : « Injonction de payer » (injonction_de_payer) », « ; les plus
    proches : … », or « ; aucune ne s'en approche » (« aucun » for a masculine noun).
    `keys=False`: the labels alone, as a page whose list shows no keys names them."""
    found = closest(typed, choices)
    if not found:
        return f" ; {'aucune' if feminine else 'aucun'} ne s'en approche"
    name = labelled if keys else (lambda label, key: in_guillemets(label))
    named = ", ".join(name(label, key) for label, key in found)
    if len(found) == 1:
        return f" ; {'la' if feminine else 'le'} plus proche : {named}"
    return f" ; les plus proches : {named}"


def unknown_procedure(typed: object, procedures: Mapping[str, Procedure]) -> UnknownChoice:
    """The refusal of a procedure key no definition has (a page names the procedures by their
    titles alone, as its list does)."""
    choices = [(procedures[key].title, key) for key in sorted(procedures)]
    head = f"procédure inconnue {quoted(typed)}"
    return UnknownChoice(
        f"{head}{suggestion(typed, choices, feminine=True)} ; liste complète : {ALL_PROCEDURES}",
        f"{head}{suggestion(typed, choices, feminine=True, keys=False)} ; {PAGE_PROCEDURES}",
    )


def procedure_of(procedures: Mapping[str, Procedure], typed: object) -> Procedure:
    """The procedure `typed` names, or the short refusal of `unknown_procedure`."""
    found = procedures.get(typed) if isinstance(typed, str) else None
    if found is None:
        raise unknown_procedure(typed, procedures)
    return found


def unknown_event(typed: object, procedure: Procedure) -> UnknownChoice:
    """The refusal of an event key `procedure` does not define."""
    choices = [(event.label, event.key) for event in procedure.events.values()]
    key = procedure.key
    head = (
        f"événement inconnu {quoted(typed)} pour la procédure « {procedure.title} »"
        f"{suggestion(typed, choices)}"
    )
    return UnknownChoice(
        f"{head} ; liste complète : casefile procedures {key}, ou GET /api/procedures/{key}",
        f"{head} ; {PAGE_EVENTS}",
    )


__all__ = [
    "ALL_PROCEDURES",
    "CUTOFF",
    "LIMIT",
    "MARGIN",
    "PAGE_EVENTS",
    "PAGE_PROCEDURES",
    "closest",
    "procedure_of",
    "suggestion",
    "unknown_event",
    "unknown_procedure",
]
