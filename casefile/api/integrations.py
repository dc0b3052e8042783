"""Which optional parts the pages offer: only what the installed packages really provide.

Evidence upload, documents and the bundle are served by `casefile/api/evidence.py` and
`casefile/api/documents.py` when those modules exist; the pages hide their links otherwise.
"""

from __future__ import annotations

import importlib.util
from functools import cache


def _has(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except ModuleNotFoundError:
        return False


@cache
def ics_available() -> bool:
    return _has("casefile.ical.export")


@cache
def evidence_available() -> bool:
    return _has("casefile.api.evidence")


@cache
def documents_available() -> bool:
    return _has("casefile.api.documents")


def evidence_kind_labels() -> dict[str, str]:
    """French names of the kinds of pièce ("Bon de commande"), lower-cased for a table cell."""
    if not _has("casefile.evidence.records"):
        return {}
    from casefile.evidence.records import KIND_LABELS

    return {key: label[:1].lower() + label[1:] for key, label in KIND_LABELS.items()}


def evidence_kinds() -> tuple[str, ...]:
    if not _has("casefile.evidence.records"):
        return ()
    from casefile.evidence.records import KINDS

    return KINDS
