"""Building a case's bundle in a given format, for whoever asks (the background task of
`services/background.py`; the CLI and the API stream the ZIP themselves): what goes in
(`BundleSource`: the case, its live pièces, the .docx bordereau when the case can fill it) and
the formats, by key. A new format (the stamped PDF dossier) registers a `BundleFormat` here and
every caller of `build` offers it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, BinaryIO

from casefile.errors import CasefileError, InputError
from casefile.evidence.bundle import bordereau, write_bundle
from casefile.evidence.objects import ObjectStore
from casefile.evidence.records import Piece
from casefile.store import pieces as piece_store
from casefile.store.cases import resolve_case
from casefile.store.documents import bordereau_renderer, case_document_data
from casefile.store.permissions import User, require


@dataclass(frozen=True)
class BundleSource:
    case_id: int
    reference: str
    pieces: list[Piece]
    render_docx: Any  # the .docx bordereau's renderer, or None (the text bordereau alone)
    problem: str | None  # why there is no .docx bordereau
    when: datetime


@dataclass(frozen=True)
class BundleFormat:
    key: str
    label: str  # French, for the pages
    media_type: str
    suffix: str
    write: Callable[[BundleSource, ObjectStore, BinaryIO], int]
    """Write the bundle to the sink (in a worker thread); returns its size in bytes."""


def _write_zip(source: BundleSource, store: ObjectStore, sink: BinaryIO) -> int:
    return write_bundle(
        sink,
        store,
        source.pieces,
        case_reference=source.reference,
        render_docx=source.render_docx,
        when=source.when,
    )


FORMATS: dict[str, BundleFormat] = {}


def register(bundle_format: BundleFormat) -> None:
    FORMATS[bundle_format.key] = bundle_format


register(
    BundleFormat(
        "zip", "bordereau et pièces numérotées (ZIP)", "application/zip", "zip", _write_zip
    )
)


def bundle_format(key: str) -> BundleFormat:
    try:
        return FORMATS[key]
    except KeyError:
        raise InputError(f"format {key!r} inconnu : {', '.join(sorted(FORMATS))} attendu") from None


async def source(case: int | str, actor: User, today: date | None = None) -> BundleSource:
    """What the bundle of `case` holds now; InputError when the case has no pièce."""
    require(actor, "evidence.read")
    row = await resolve_case(case, actor)
    live = await piece_store.list_pieces(row["id"])
    if not bordereau(live):
        raise InputError(f"le dossier {row['reference']} n'a aucune pièce à assembler")
    render_docx, problem = None, None
    try:
        data = await case_document_data(row["id"], actor, today or date.today())
        render_docx = bordereau_renderer(data.data)
    except CasefileError as error:
        problem = str(error)
    return BundleSource(row["id"], row["reference"], live, render_docx, problem, datetime.now(UTC))


def filename(source: BundleSource, bundle_format: BundleFormat) -> str:
    return f"{source.reference} - pièces.{bundle_format.suffix}"


def fingerprint(source: BundleSource) -> str:
    """What makes two bundles of a case the same: its live pièces (number, bytes, what the
    bordereau says of them) and the day (the bordereau is dated)."""
    text = "\n".join(
        f"{p.number}|{p.id}|{p.current.sha256}|{p.kind}|{p.date}|{p.description}"
        for p in sorted(source.pieces, key=lambda p: (p.number or 0, p.id))
    )
    return hashlib.sha256(f"{source.when.date()}\n{text}".encode()).hexdigest()[:32]
