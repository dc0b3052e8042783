"""The text of the pièces (issue 16 item 1), once per version: read the stored bytes (verified
against their hash), extract in a child process (`casefile.evidence.text_sandbox`), and record
the result in `piece_texts` in one statement — a version's text is pending, or complete, never
half-written. The stored bytes and their hash are never touched.

Where it runs: `schedule` after each upload — a procrastinate job on PostgreSQL (`casefile
worker`); with SQLite the in-process worker of `casefile serve`, or at once in the CLI's own
process. The periodic `extract_pending_texts` job (every 10 minutes) catches what a restart lost
and, once Tesseract is installed, re-reads the scans it could not read before.
"""

from __future__ import annotations

import asyncio
import logging
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from casefile.errors import NotFound, Unavailable
from casefile.evidence import ocr
from casefile.evidence.errors import IntegrityError, ObjectMissing
from casefile.evidence.text_extract import Extracted
from casefile.evidence.text_sandbox import extract_isolated
from casefile.evidence.text_status import FAILED, NO_OCR, PENDING, describe
from casefile.settings import get_settings
from casefile.store.db import atomic, unavailable
from casefile.store.tables import PieceText, PieceVersion

log = logging.getLogger(__name__)

SWEEP_BATCH = 20
"""Versions read by one run of the periodic job (the next run takes the rest)."""


def ocr_engine() -> ocr.OcrEngine:
    return ocr.find()


async def version_id(piece_id: int, version: int) -> int:
    row = await (
        PieceVersion.select(PieceVersion.id)
        .where((PieceVersion.piece == piece_id) & (PieceVersion.version == version))
        .first()
    )
    if row is None:
        raise NotFound(f"version {version} de la pièce (id {piece_id}) introuvable")
    return int(row["id"])


async def mark_pending(version: int) -> None:
    """A `pending` row for the version, unless it has one (a new upload's first step)."""
    async with atomic(f"text of version {version}"):
        if not await PieceText.exists().where(PieceText.version == version):
            await PieceText.insert(
                PieceText(version=version, status=PENDING, updated_at=datetime.now(UTC))
            )


async def schedule(version: int) -> str:
    """Mark the version pending and have its text read: 'deferred' (a job), 'done' (read here
    and now: SQLite outside `serve`) or 'pending' (jobs off, or the queue unreachable: the
    periodic job will take it)."""
    await mark_pending(version)
    if get_settings().jobs == "off":
        return PENDING
    from casefile.jobs import app as jobs
    from casefile.store.db import postgres

    if not postgres() and not jobs.worker_here():
        await extract_version(version)
        return "done"
    try:
        await jobs.defer("extract_text", f"extract_text:{version}", version_id=version)
    except Exception as error:  # the queue is an optimisation: the sweep is the guarantee
        log.warning(
            "text of version %s not queued (the periodic job will read it): %s", version, error
        )
        return PENDING
    return "deferred"


async def extract_version(version: int, *, redo: bool = False) -> dict[str, Any]:
    """Read and record the text of one version (nothing when it is already done, unless
    `redo`). Raises only what a retry may cure (database or object store unavailable)."""
    row = (
        await PieceVersion.select(
            PieceVersion.sha256, PieceVersion.size, PieceVersion.mime, PieceVersion.blake3
        )
        .where(PieceVersion.id == version)
        .first()
    )
    if row is None:
        return {"version": version, "status": "absent"}
    current = await PieceText.select(PieceText.status).where(PieceText.version == version).first()
    if current is not None and current["status"] != PENDING and not redo:
        return {"version": version, "status": current["status"], "skipped": True}
    result = await _extract(row["sha256"], int(row["size"]), row["mime"] or "", row["blake3"])
    await _save(version, result)
    return {"version": version, "status": result.status, "pages": result.pages}


async def _extract(sha256: str, size: int, mime: str, blake3: str | None = None) -> Extracted:
    from casefile.evidence.backends import open_store

    store = open_store()
    with tempfile.TemporaryDirectory(prefix="casefile-text-") as folder:
        path = Path(folder) / "piece"
        try:
            await asyncio.to_thread(_download, store, sha256, size, path, blake3)
        except IntegrityError:
            return Extracted(
                FAILED,
                message="le fichier stocké ne correspond plus à son empreinte SHA-256 : "
                "texte non lu (lancez `casefile evidence verify`)",
            )
        except ObjectMissing:
            return Extracted(FAILED, message="le fichier est absent du stockage : texte non lu")
        return await extract_isolated(path, mime, ocr_engine())


def _download(store: Any, sha256: str, size: int, path: Path, blake3: str | None = None) -> None:
    """The verified bytes into `path` (the last chunk is written only once the hash matched)."""
    with path.open("wb") as out:
        for chunk in store.open_verified(sha256, size, blake3=blake3):
            out.write(chunk)


async def _save(version: int, result: Extracted) -> None:
    values = {
        PieceText.status: result.status,
        PieceText.method: result.method,
        PieceText.pages: result.pages,
        PieceText.ocr_pages: result.ocr_pages,
        PieceText.text: result.text,
        PieceText.message: result.message,
        PieceText.updated_at: datetime.now(UTC),
    }
    try:
        await _write(version, values)
    except Exception as error:
        if unavailable(error) is not None or isinstance(error, Unavailable):
            raise
        # The database refused the text itself (the PostgreSQL index of a pathological text):
        # the version says so rather than staying pending for ever.
        log.warning("text of version %s refused by the database: %s", version, error)
        values[PieceText.status] = FAILED
        values[PieceText.text] = ""
        values[PieceText.message] = (
            "texte lu mais refusé par l'index de recherche (trop volumineux)"
        )
        await _write(version, values)


async def _write(version: int, values: dict[Any, Any]) -> None:
    async with atomic(f"text of version {version}"):
        row = await PieceText.select(PieceText.attempts).where(PieceText.version == version).first()
        if row is None:
            await PieceText.insert(
                PieceText(
                    version=version, attempts=1, **{c._meta.name: v for c, v in values.items()}
                )
            )
        else:
            values[PieceText.attempts] = int(row["attempts"]) + 1
            await PieceText.update(values).where(PieceText.version == version)


async def extract_pending(limit: int = SWEEP_BATCH) -> dict[str, Any]:
    """Versions with no text yet (pending, or never marked), and — when Tesseract is here now —
    those it could not read before; at most `limit` per run."""
    statuses = [PENDING]
    if ocr_engine().available:
        statuses.append(NO_OCR)
    placeholders = ", ".join("{}" for _ in statuses)
    rows = await PieceVersion.raw(
        "SELECT v.id FROM piece_versions v LEFT JOIN piece_texts t ON t.version = v.id "
        f"WHERE t.id IS NULL OR t.status IN ({placeholders}) ORDER BY v.id LIMIT {int(limit)}",
        *statuses,
    )
    done: dict[str, int] = {}
    for row in rows:
        outcome = await extract_version(int(row["id"]), redo=True)
        done[outcome["status"]] = done.get(outcome["status"], 0) + 1
    return {"read": len(rows), "statuses": done}


async def extract_all(limit: int) -> dict[str, Any]:
    """Every version's text read again (after an upgrade of the reader, say)."""
    rows = await PieceVersion.select(PieceVersion.id).order_by(PieceVersion.id).limit(int(limit))
    done: dict[str, int] = {}
    for row in rows:
        outcome = await extract_version(int(row["id"]), redo=True)
        done[outcome["status"]] = done.get(outcome["status"], 0) + 1
    return {"read": len(rows), "statuses": done}


async def texts_of(version_ids: list[int]) -> dict[int, dict[str, Any]]:
    """Status, label, message and size of the text of these versions (for pages and the API)."""
    if not version_ids:
        return {}
    rows = await PieceText.select(
        PieceText.version,
        PieceText.status,
        PieceText.method,
        PieceText.pages,
        PieceText.ocr_pages,
        PieceText.message,
        PieceText.updated_at,
    ).where(PieceText.version.is_in(version_ids))
    return {int(row["version"]): describe(row) for row in rows}


async def text_of_version(version: int) -> str:
    row = await PieceText.select(PieceText.text).where(PieceText.version == version).first()
    return str(row["text"]) if row else ""


def ocr_notice() -> str | None:
    """The French sentence pages show when scanned documents cannot be read here."""
    engine = ocr_engine()
    if engine.available:
        return None
    return (
        f"OCR indisponible : {engine.reason}. Les documents numérisés (scans, photos) ne sont "
        "pas cherchables par leur contenu."
    )
