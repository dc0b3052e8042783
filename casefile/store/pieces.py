"""`casefile.evidence.records.PieceRecords` over piccolo: the database side of the pièces.

The protocol is synchronous because the evidence service streams bytes in a worker thread.
Each call here runs its coroutine on the event loop that owns the database connection (`loop`)
and waits for the result, so call it from a worker thread (`asyncio.to_thread`), never from
the loop's own thread. Each mutating call is one transaction that also writes its `PieceEvent`
to the audit log (entity "piece", entity_id "CASE:PIECE"), which `history` reads back.
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine, Iterator, Mapping
from datetime import UTC, date, datetime
from typing import Any, TypeVar

from casefile.errors import Conflict, NotFound
from casefile.evidence.records import (
    DETAILS_CHANGED,
    CaseId,
    NewPiece,
    NewVersion,
    Piece,
    PieceDetails,
    PieceEvent,
    PieceId,
    PieceVersion,
)
from casefile.store.db import atomic, postgres
from casefile.store.tables import AuditEntry, Case, UserAccount
from casefile.store.tables import Piece as PieceRow
from casefile.store.tables import PieceVersion as VersionRow

T = TypeVar("T")


class PiccoloPieceRecords:
    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop

    def _run(self, coroutine: Coroutine[Any, Any, T]) -> T:
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is self.loop:
            coroutine.close()
            raise RuntimeError(
                "PiccoloPieceRecords is synchronous: call it from a worker thread "
                "(asyncio.to_thread), not from the event loop's own thread"
            )
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result()

    # -- the protocol -------------------------------------------------------------------------

    def create_piece(self, piece: NewPiece, version: NewVersion, event: PieceEvent) -> Piece:
        return self._run(create_piece(piece, version, event))

    def add_version(self, piece_id: PieceId, version: NewVersion, event: PieceEvent) -> Piece:
        return self._run(add_version(piece_id, version, event))

    def get_piece(self, piece_id: PieceId) -> Piece:
        return self._run(get_piece(piece_id))

    def list_pieces(self, case_id: CaseId, *, include_deleted: bool = False) -> list[Piece]:
        return self._run(list_pieces(case_id, include_deleted=include_deleted))

    def set_numbers(
        self, case_id: CaseId, numbers: Mapping[PieceId, int], event: PieceEvent
    ) -> list[Piece]:
        return self._run(set_numbers(case_id, numbers, event))

    def mark_deleted(self, piece_id: PieceId, event: PieceEvent) -> Piece:
        return self._run(mark_deleted(piece_id, event))

    def set_details(
        self, piece_id: PieceId, before: PieceDetails, after: PieceDetails, event: PieceEvent
    ) -> Piece:
        return self._run(set_details(piece_id, before, after, event))

    def referenced_objects(self) -> Iterator[tuple[str, int]]:
        yield from self._run(referenced_objects())

    def recorded_blake3(self) -> Iterator[tuple[str, str]]:
        yield from self._run(recorded_blake3())

    def history(self, case_id: CaseId) -> list[PieceEvent]:
        return self._run(history(case_id))


# -- the same, async (for callers already on the loop) ------------------------------------------


async def _record(event: PieceEvent, piece_id: PieceId) -> None:
    user = await UserAccount.select(UserAccount.id).where(UserAccount.name == event.by).first()
    await AuditEntry.insert(
        AuditEntry(
            at=datetime.now(UTC),
            actor_id=user["id"] if user else 0,
            actor_name=event.by,
            action=f"piece.{event.action}",
            entity="piece",
            entity_id=f"{event.case_id}:{piece_id}",
            before=None,
            after={
                "case_id": event.case_id,
                "piece_id": piece_id,
                "action": event.action,
                "at": event.at.isoformat(),
                "by": event.by,
                "reason": event.reason,
                "details": _jsonable(event.details),
            },
        )
    )


def _jsonable(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return str(value)


def _version_row(piece_id: PieceId, number: int, version: NewVersion) -> VersionRow:
    return VersionRow(
        piece=piece_id,
        version=number,
        sha256=version.sha256,
        blake3=version.blake3,
        size=version.size,
        mime=version.mime,
        original_filename=version.original_name,
        safe_name=version.safe_name,
        note=version.note,
        created_by=version.added_by,
        created_at=version.added_at,
    )


async def create_piece(piece: NewPiece, version: NewVersion, event: PieceEvent) -> Piece:
    async with atomic(f"pièce of case {piece.case_id}"):
        if postgres():  # serialise numbering per case; SQLite transactions are IMMEDIATE
            await Case.raw("SELECT id FROM cases WHERE id = {} FOR UPDATE", piece.case_id)
        if not await Case.exists().where(Case.id == piece.case_id):
            raise NotFound(f"dossier (id {piece.case_id}) introuvable")
        numbers = await PieceRow.select(PieceRow.number).where(
            (PieceRow.case == piece.case_id) & PieceRow.number.is_not_null()
        )
        number = max((row["number"] for row in numbers), default=0) + 1
        rows = await PieceRow.insert(
            PieceRow(
                case=piece.case_id,
                number=number,
                kind=piece.kind,
                date=piece.date,
                description=piece.description,
                invoice_numbers=list(piece.invoices),
                current_version=1,
                deleted=False,
                created_at=version.added_at,
            )
        )
        piece_id = rows[0]["id"]
        await VersionRow.insert(_version_row(piece_id, 1, version))
        await _record(event, piece_id)
        return await get_piece(piece_id)


async def add_version(piece_id: PieceId, version: NewVersion, event: PieceEvent) -> Piece:
    async with atomic(f"pièce {piece_id}"):
        current = await get_piece(piece_id)
        number = len(current.versions) + 1
        await VersionRow.insert(_version_row(piece_id, number, version))
        await PieceRow.update({PieceRow.current_version: number}).where(PieceRow.id == piece_id)
        await _record(event, piece_id)
        return await get_piece(piece_id)


def _piece(row: Mapping[str, Any], versions: list[Mapping[str, Any]]) -> Piece:
    return Piece(
        id=row["id"],
        case_id=row["case"],
        number=row["number"],
        kind=row["kind"],
        date=row["date"],
        description=row["description"],
        invoices=tuple(row["invoice_numbers"] or ()),
        versions=tuple(
            PieceVersion(
                sha256=v["sha256"],
                size=v["size"],
                mime=v["mime"],
                original_name=v["original_filename"],
                safe_name=v["safe_name"],
                added_at=v["created_at"],
                added_by=v["created_by"],
                note=v["note"],
                blake3=v["blake3"],
                version=v["version"],
            )
            for v in sorted(versions, key=lambda v: v["version"])
        ),
        deleted_at=row["deleted_at"],
        deleted_by=row["deleted_by"],
        deletion_reason=row["deletion_reason"],
    )


async def _pieces(rows: list[dict[str, Any]]) -> list[Piece]:
    if not rows:
        return []
    versions: dict[int, list[Mapping[str, Any]]] = {}
    for v in await VersionRow.select().where(VersionRow.piece.is_in([r["id"] for r in rows])):
        versions.setdefault(v["piece"], []).append(v)
    return [_piece(row, versions.get(row["id"], [])) for row in rows]


async def get_piece(piece_id: PieceId) -> Piece:
    row = await PieceRow.select().where(PieceRow.id == piece_id).output(load_json=True).first()
    if row is None:
        raise NotFound(f"pièce (id {piece_id}) introuvable")
    [piece] = await _pieces([row])
    return piece


async def list_pieces(case_id: CaseId, *, include_deleted: bool = False) -> list[Piece]:
    query = PieceRow.select().where(PieceRow.case == case_id)
    if not include_deleted:
        query = query.where(PieceRow.deleted == False)  # noqa: E712
    pieces = await _pieces(list(await query.output(load_json=True)))
    return sorted(pieces, key=lambda p: (p.number is None, p.number or 0, p.id))


async def set_numbers(
    case_id: CaseId, numbers: Mapping[PieceId, int], event: PieceEvent
) -> list[Piece]:
    async with atomic(f"numbering of the pièces of case {case_id}"):
        ids = list(numbers)
        found = await PieceRow.select(PieceRow.id).where(
            (PieceRow.case == case_id) & PieceRow.id.is_in(ids or [0])
        )
        missing = set(ids) - {row["id"] for row in found}
        if missing:
            raise NotFound(
                f"pièce(s) id {sorted(missing)} : pas des pièces du dossier n° {case_id}"
            )
        # Clear first, so the unique (case, number) index never sees two equal numbers.
        if ids:
            await PieceRow.update({PieceRow.number: None}).where(PieceRow.id.is_in(ids))
        for piece_id, number in numbers.items():
            await PieceRow.update({PieceRow.number: number}).where(PieceRow.id == piece_id)
        await _record(event, event.piece_id or 0)
        return await list_pieces(case_id)


async def mark_deleted(piece_id: PieceId, event: PieceEvent) -> Piece:
    async with atomic(f"pièce {piece_id}"):
        await get_piece(piece_id)
        await PieceRow.update(
            {
                PieceRow.number: None,
                PieceRow.deleted: True,
                PieceRow.deleted_at: event.at,
                PieceRow.deleted_by: event.by,
                PieceRow.deletion_reason: event.reason,
            }
        ).where(PieceRow.id == piece_id)
        await _record(event, piece_id)
        return await get_piece(piece_id)


async def set_details(
    piece_id: PieceId, before: PieceDetails, after: PieceDetails, event: PieceEvent
) -> Piece:
    async with atomic(f"pièce {piece_id}"):
        piece = await get_piece(piece_id)
        # Written only if still as read (one statement: no other correction slips between).
        unchanged = PieceRow.date.is_null() if before.date is None else PieceRow.date == before.date
        written = (
            await PieceRow.update(
                {
                    PieceRow.date: after.date,
                    PieceRow.description: after.description,
                    PieceRow.kind: after.kind,
                }
            )
            .where(
                (PieceRow.id == piece_id)
                & unchanged
                & (PieceRow.description == before.description)
                & (PieceRow.kind == before.kind)
            )
            .returning(PieceRow.id)
        )
        if not written:
            raise Conflict(DETAILS_CHANGED.format(number=piece.number))
        await _record(event, piece_id)
        return await get_piece(piece_id)


async def referenced_objects() -> list[tuple[str, int]]:
    rows = await VersionRow.select(VersionRow.sha256, VersionRow.size)
    return [(row["sha256"], row["size"]) for row in rows]


async def recorded_blake3() -> list[tuple[str, str]]:
    rows = await VersionRow.select(VersionRow.sha256, VersionRow.blake3).where(
        VersionRow.blake3.is_not_null()
    )
    return [(row["sha256"], row["blake3"]) for row in rows]


async def history(case_id: CaseId) -> list[PieceEvent]:
    rows = await (
        AuditEntry.select(AuditEntry.after)
        .where((AuditEntry.entity == "piece") & AuditEntry.entity_id.like(f"{case_id}:%"))
        .order_by(AuditEntry.id)
        .output(load_json=True)
    )
    return [
        PieceEvent(
            case_id=case_id,
            piece_id=after["piece_id"] or None,
            action=after["action"],
            at=datetime.fromisoformat(after["at"]),
            by=after["by"],
            reason=after["reason"],
            details=after["details"],
        )
        for after in (row["after"] for row in rows)
    ]
