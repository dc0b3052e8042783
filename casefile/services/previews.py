"""Previews of pièces (issue 16 item 5): first-page thumbnails and the hearing view.

A thumbnail is rendered once per stored content (cached under `var/cache/thumbnails/`, named
by the source's SHA-256) and served only after the source has been re-hashed and found
intact: a pièce whose bytes changed behind casefile's back shows no image (the incident is
recorded, as for a download). `thumbnail_url(piece_id)` is the link pages and the search
results use.

The hearing view (`/dossiers/{id}/audience`) lists the pièces in the bordereau's order with
their descriptions, dates, thumbnails and a link that opens each one, beside the buttons for
the dossier de plaidoirie (PDF) and the ZIP.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from casefile.errors import NotFound
from casefile.evidence.bundle import piece_title
from casefile.evidence.errors import IntegrityError
from casefile.evidence.objects import ObjectStore
from casefile.evidence.records import KIND_LABELS
from casefile.evidence.thumbnails import (
    WIDTH,
    ThumbnailFailed,
    format_card,
    previewable,
    render_thumbnail,
)
from casefile.store.permissions import User, require

CACHE_VERSION = 1
"""Part of each cached name: bump it when thumbnails are drawn differently."""
INLINE_MIMES = frozenset({"application/pdf", "image/png", "image/jpeg", "image/gif"})
"""Opened in the browser's tab by the hearing view's links; anything else is downloaded
(never HTML or SVG inline: they could run script on this origin)."""


def thumbnail_url(piece_id: int) -> str:
    """The thumbnail of a pièce (every pièce has one: its first page, or a format card)."""
    return f"/api/evidence/{piece_id}/thumbnail"


def open_url(piece_id: int, mime: str) -> str:
    """The link that opens a pièce: in the browser for PDF and images, else downloaded."""
    inline = "?inline=1" if mime in INLINE_MIMES else ""
    return f"/api/evidence/{piece_id}/content{inline}"


@dataclass(frozen=True)
class Thumbnail:
    png: bytes
    etag: str


def cache_dir() -> Path:
    from casefile.settings import get_settings

    return get_settings().var_dir / "cache" / "thumbnails"


def _verify(
    store: ObjectStore,
    sha256: str,
    size: int,
    copy: Path | None = None,
    blake3: str | None = None,
) -> None:
    """Re-hash the stored source (raises `IntegrityError` / `ObjectMissing`); with `copy`,
    keep the verified bytes there."""
    if copy is None:
        for _ in store.open_verified(sha256, size, blake3=blake3):
            pass
        return
    with copy.open("wb") as out:
        for chunk in store.open_verified(sha256, size, blake3=blake3):
            out.write(chunk)


def thumbnail_bytes(
    store: ObjectStore,
    sha256: str,
    size: int,
    mime: str,
    cache: Path,
    blake3: str | None = None,
) -> bytes:
    """The PNG thumbnail of a stored object, from the cache or rendered; blocking. The source
    is verified every time, before anything is returned, against its BLAKE3 digest when the
    version recorded one, else its SHA-256."""
    kind = "page" if previewable(mime) else hashlib.sha256(mime.encode()).hexdigest()[:8]
    cached = cache / sha256[:2] / f"{sha256}-{WIDTH}-{kind}-v{CACHE_VERSION}.png"
    if cached.is_file():
        _verify(store, sha256, size, blake3=blake3)
        return cached.read_bytes()
    cached.parent.mkdir(parents=True, exist_ok=True)
    if not previewable(mime):
        _verify(store, sha256, size, blake3=blake3)
        png = format_card(mime)
    else:
        with tempfile.TemporaryDirectory(prefix="thumb-", dir=cache) as tmp:
            source = Path(tmp) / "source"
            _verify(store, sha256, size, copy=source, blake3=blake3)
            try:
                png = render_thumbnail(source, mime)
            except ThumbnailFailed:
                png = format_card(mime)
    part = cached.with_name(f"{cached.name}.{os.getpid()}.part")
    part.write_bytes(png)
    part.replace(cached)
    return png


async def piece_thumbnail(piece_id: int, actor: User) -> Thumbnail:
    """The thumbnail of a pièce the actor may read (404 for a withdrawn one)."""
    from casefile.evidence.backends import open_store
    from casefile.store import audit, pieces
    from casefile.store.cases import resolve_case

    require(actor, "evidence.read")
    piece = await pieces.get_piece(piece_id)
    await resolve_case(piece.case_id, actor)
    if piece.deleted_at is not None:
        raise NotFound(f"la pièce id {piece_id} a été retirée")
    current = piece.current
    try:
        png = await asyncio.to_thread(
            thumbnail_bytes,
            open_store(),
            current.sha256,
            current.size,
            current.mime,
            cache_dir(),
            current.blake3,
        )
    except IntegrityError as error:
        await audit.record_integrity_incident(
            actor, "piece", f"{piece.case_id}:{piece.id}", current.sha256, str(error)
        )
        raise
    return Thumbnail(png, f'"{current.sha256[:32]}-{WIDTH}-v{CACHE_VERSION}"')


@dataclass(frozen=True)
class HearingPiece:
    id: int
    number: int
    title: str
    kind_label: str
    description: str
    date: date | None
    filename: str
    size: int
    mime: str
    thumbnail: str
    link: str
    previewable: bool


@dataclass(frozen=True)
class HearingView:
    case_id: int
    reference: str
    court: str
    court_department: str
    hearing_date: date | None
    hearing_time: str | None
    pieces: list[HearingPiece]
    court_name: str = ""  # the court recorded on the case, when one is (else `court`'s kind)
    court_address: str = ""


async def hearing_view(case: int | str, actor: User) -> HearingView:
    """The pièces of a case in the bordereau's order, for the hearing."""
    from casefile.store import pieces
    from casefile.store.cases import get_case, resolve_case
    from casefile.store.courts import find_court

    require(actor, "evidence.read")
    row = await resolve_case(case, actor)
    full = await get_case(row["id"], actor)
    hearings = [e for e in full.get("events", []) if e["key"] == "audience"]
    hearing = hearings[-1] if hearings else None
    live = [p for p in await pieces.list_pieces(row["id"]) if p.number is not None]
    live.sort(key=lambda p: p.number or 0)
    items = [
        HearingPiece(
            id=p.id,
            number=p.number or 0,
            title=piece_title(p),
            kind_label=KIND_LABELS.get(p.kind, "Pièce"),
            description=p.description,
            date=p.date,
            filename=p.current.original_name or p.current.safe_name,
            size=p.current.size,
            mime=p.current.mime,
            thumbnail=thumbnail_url(p.id),
            link=open_url(p.id, p.current.mime),
            previewable=previewable(p.current.mime),
        )
        for p in live
    ]
    heure: Any = (hearing or {}).get("attributes", {}).get("heure")
    recorded = await find_court(int(full["court_id"])) if full.get("court_id") else None
    return HearingView(
        case_id=row["id"],
        reference=row["reference"],
        court=str(full.get("court") or ""),
        court_department=str(full.get("court_department") or ""),
        hearing_date=date.fromisoformat(hearing["date"]) if hearing else None,
        hearing_time=heure if isinstance(heure, str) and heure else None,
        pieces=items,
        court_name=str((recorded or {}).get("name") or ""),
        court_address=str((recorded or {}).get("postal_address") or ""),
    )
