"""Adding a pièce, once for the API, the web form and the CLI: the bytes are hashed and stored,
a file the case already has is noticed (issue 16 item 6), the pièce is recorded, and then each
post-upload analyser looks at the new version.

Analysers (`ANALYSERS`): `(name, coroutine)` pairs called in order with the `Uploaded` version
once its record is committed; what one returns (a small JSON-able dict, or None) is reported
under `analysis[name]` in the upload's answer. An analyser must be quick (long work is a job
it defers) and must not fail the upload: the pièce is already recorded, so its exception is
logged and reported as `{"error": …}`. The text analyser (`text`) queues the reading of the
text (`services.piece_text`); other analysers (Factur-X…) are appended to the list.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from casefile.errors import CasefileError, InputError
from casefile.evidence import records, service
from casefile.evidence.objects import Readable
from casefile.services import piece_text
from casefile.settings import get_settings
from casefile.store import audit
from casefile.store.permissions import User

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Uploaded:
    """A version just recorded: what analysers are given."""

    case_id: int
    piece_id: int
    number: int | None
    version: int
    """The version's number within its pièce (1 for a new pièce)."""
    version_id: int
    """The `piece_versions` row (the key of its text)."""
    sha256: str
    size: int
    mime: str
    kind: str
    filename: str
    actor: User


Analyser = Callable[[Uploaded], Awaitable[dict[str, Any] | None]]


async def text_analyser(uploaded: Uploaded) -> dict[str, Any]:
    """Queue the reading of the version's text (or read it now: SQLite outside `serve`)."""
    outcome = await piece_text.schedule(uploaded.version_id)
    texts = await piece_text.texts_of([uploaded.version_id])
    described = texts.get(uploaded.version_id, {})
    return {"queued": outcome, **described}


async def facturx_analyser(uploaded: Uploaded) -> dict[str, Any] | None:
    """The e-invoice a PDF carries (Factur-X, issue 16 item 3), or None."""
    if uploaded.mime != "application/pdf":
        return None
    from casefile.services.facturx import examine_upload

    return await examine_upload(uploaded.piece_id)


ANALYSERS: list[tuple[str, Analyser]] = [("text", text_analyser), ("facturx", facturx_analyser)]


async def after_upload(uploaded: Uploaded) -> dict[str, Any]:
    results: dict[str, Any] = {}
    for name, analyse in ANALYSERS:
        try:
            outcome = await analyse(uploaded)
        except CasefileError as error:
            outcome = {"error": str(error)}
        except Exception:
            log.exception("analyser %s failed on pièce id %s", name, uploaded.piece_id)
            outcome = {"error": "analyse impossible (voir le journal du serveur)"}
        if outcome is not None:
            results[name] = outcome
    return results


def duplicate_choice(reuse: object = None, force: object = None) -> str:
    """'ask', 'reuse' or 'force' from the API's `reuse` / `force` flags (query or form)."""
    wants_reuse, wants_force = _flag(reuse), _flag(force)
    if wants_reuse and wants_force:
        raise InputError("reuse et force s'excluent : choisissez l'un ou l'autre")
    return "reuse" if wants_reuse else "force" if wants_force else "ask"


def _flag(value: object) -> bool:
    if isinstance(value, bool):
        return value
    if value is None:
        return False
    return str(value).strip().lower() in ("1", "true", "yes", "on", "oui")


async def add_piece(
    case_id: int,
    stream: Readable,
    actor: User,
    *,
    filename: str | bytes,
    kind: str,
    piece_date: date | None = None,
    description: str = "",
    invoices: Sequence[str] = (),
    on_duplicate: str = "ask",
) -> dict[str, Any]:
    """Store the bytes of `stream` (read in a worker thread: it may pull them from the
    network) and record the case's next pièce; `DuplicatePiece` (409) when the case has the
    file already and `on_duplicate` is "ask". The original of an altered pièce deposited
    again replaces its stored copy (`DuplicatePiece.repaired`): recorded in the case's audit."""
    try:
        return await _stored(
            service.add_piece,
            case_id,
            stream,
            actor,
            filename=filename,
            kind=kind,
            piece_date=piece_date,
            description=description,
            invoices=invoices,
            max_size=get_settings().max_upload_bytes,
            on_duplicate=on_duplicate,
        )
    except service.DuplicatePiece as duplicate:
        if duplicate.repaired:
            await audit.record(
                actor,
                audit.PIECE_REPAIRED,
                "piece",
                f"{case_id}:{duplicate.piece.id}",
                None,
                {"sha256": duplicate.piece.versions[duplicate.version - 1].sha256},
            )
        raise


async def add_stored_copy(
    case_id: int,
    sha256: str,
    actor: User,
    *,
    filename: str,
    kind: str,
    piece_date: date | None = None,
    description: str = "",
) -> dict[str, Any]:
    """A second pièce from bytes the case already has (confirmed after a duplicate)."""
    return await _stored(
        service.add_stored_copy,
        case_id,
        sha256,
        actor,
        filename=filename,
        kind=kind,
        piece_date=piece_date,
        description=description,
    )


async def _stored(
    call: Callable[..., Any],
    case_id: int,
    source: Readable | str,
    actor: User,
    *,
    filename: str | bytes,
    **options: Any,
) -> dict[str, Any]:
    """Run the evidence service's `call` (blocking: object store I/O) in a worker thread on
    the configured store and this loop's piece records, then analyse the new pièce."""
    from casefile.evidence.backends import open_store
    from casefile.store.pieces import PiccoloPieceRecords

    loop = asyncio.get_running_loop()
    receipt = await asyncio.to_thread(
        call,
        open_store(),
        PiccoloPieceRecords(loop),
        case_id,
        source,
        filename=filename,
        actor=records.Actor(actor.name, actor.role),
        **options,
    )
    return await _analysed(case_id, receipt, filename, actor)


async def _analysed(
    case_id: int, receipt: service.PieceReceipt, filename: str | bytes, actor: User
) -> dict[str, Any]:
    answer: dict[str, Any] = dict(receipt)
    if receipt["reused"]:
        answer["analysis"] = {}
        return answer
    uploaded = Uploaded(
        case_id=case_id,
        piece_id=receipt["id"],
        number=receipt["piece"],
        version=receipt["version"],
        version_id=await piece_text.version_id(receipt["id"], receipt["version"]),
        sha256=receipt["sha256"],
        size=receipt["size"],
        mime=receipt["mime"],
        kind=receipt["kind"],
        filename=filename if isinstance(filename, str) else filename.decode("utf-8", "replace"),
        actor=actor,
    )
    answer["analysis"] = await after_upload(uploaded)
    return answer
