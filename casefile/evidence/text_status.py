"""The states of a pièce version's text and their French labels (issue 16 item 1): one place
for the store, the services and the pages."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

PENDING = "pending"
FAILED = "failed"
NO_OCR = "no_ocr"

STATUS_LABELS: Mapping[str, str] = {
    PENDING: "lecture du texte en attente",
    "text": "texte extrait",
    "ocr": "texte reconnu par OCR (Tesseract, français)",
    "empty": "aucun texte dans le fichier",
    NO_OCR: "OCR indisponible : texte non lu",
    "unsupported": "format sans texte à lire",
    "refused": "fichier refusé à la lecture",
    FAILED: "échec de la lecture du texte",
}
SEARCHABLE = frozenset({"text", "ocr"})


def status_label(status: str) -> str:
    return STATUS_LABELS.get(status, status)


def describe(row: Mapping[str, Any] | None) -> dict[str, Any]:
    """What the API and the pages show of a version's text (no row yet: pending)."""
    if row is None:
        row = {"status": PENDING}
    status = str(row["status"])
    return {
        "status": status,
        "label": status_label(status),
        "method": row.get("method", ""),
        "pages": row.get("pages", 0),
        "ocr_pages": row.get("ocr_pages", 0),
        "message": row.get("message", ""),
        "searchable": status in SEARCHABLE,
    }
