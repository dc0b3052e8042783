"""`PieceRecords` in memory: the reference behaviour the piccolo implementation must match,
and a fault-injecting double for tests."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Mapping

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


class RecordsUnavailable(ConnectionError):
    """The injected database failure (what a dropped connection looks like to the service)."""


class MemoryRecords:
    def __init__(self, failing: set[str] | None = None) -> None:
        self.failing = failing or set()
        self._pieces: dict[PieceId, Piece] = {}
        self._events: list[PieceEvent] = []
        self._next_id = 1

    def _check(self, operation: str) -> None:
        if operation in self.failing:
            raise RecordsUnavailable(f"database unavailable during {operation} (injected)")

    def create_piece(self, piece: NewPiece, version: NewVersion, event: PieceEvent) -> Piece:
        self._check("create_piece")
        live = [p.number for p in self._pieces.values() if p.case_id == piece.case_id]
        number = max((n for n in live if n is not None), default=0) + 1
        created = Piece(
            id=self._next_id,
            case_id=piece.case_id,
            number=number,
            kind=piece.kind,
            date=piece.date,
            description=piece.description,
            invoices=piece.invoices,
            versions=(_versioned(version, 1),),
        )
        self._next_id += 1
        self._pieces[created.id] = created
        self._events.append(dataclasses.replace(event, piece_id=created.id))
        return created

    def add_version(self, piece_id: PieceId, version: NewVersion, event: PieceEvent) -> Piece:
        self._check("add_version")
        piece = self.get_piece(piece_id)
        versions = (*piece.versions, _versioned(version, len(piece.versions) + 1))
        updated = dataclasses.replace(piece, versions=versions)
        self._pieces[piece_id] = updated
        self._events.append(event)
        return updated

    def get_piece(self, piece_id: PieceId) -> Piece:
        self._check("get_piece")
        try:
            return self._pieces[piece_id]
        except KeyError:
            raise NotFound(f"la pièce id {piece_id} n'existe pas") from None

    def list_pieces(self, case_id: CaseId, *, include_deleted: bool = False) -> list[Piece]:
        self._check("list_pieces")
        pieces = [
            p
            for p in self._pieces.values()
            if p.case_id == case_id and (include_deleted or p.deleted_at is None)
        ]
        return sorted(pieces, key=lambda p: (p.number is None, p.number or 0, p.id))

    def set_numbers(
        self, case_id: CaseId, numbers: Mapping[PieceId, int], event: PieceEvent
    ) -> list[Piece]:
        self._check("set_numbers")
        for piece_id, number in numbers.items():
            self._pieces[piece_id] = dataclasses.replace(self._pieces[piece_id], number=number)
        self._events.append(event)
        return self.list_pieces(case_id)

    def mark_deleted(self, piece_id: PieceId, event: PieceEvent) -> Piece:
        self._check("mark_deleted")
        piece = dataclasses.replace(
            self.get_piece(piece_id),
            number=None,
            deleted_at=event.at,
            deleted_by=event.by,
            deletion_reason=event.reason,
        )
        self._pieces[piece_id] = piece
        self._events.append(event)
        return piece

    def set_details(
        self, piece_id: PieceId, before: PieceDetails, after: PieceDetails, event: PieceEvent
    ) -> Piece:
        self._check("set_details")
        piece = self.get_piece(piece_id)
        if piece.details != before:
            raise Conflict(DETAILS_CHANGED.format(number=piece.number))
        piece = dataclasses.replace(
            piece, date=after.date, description=after.description, kind=after.kind
        )
        self._pieces[piece_id] = piece
        self._events.append(event)
        return piece

    def referenced_objects(self) -> Iterator[tuple[str, int]]:
        self._check("referenced_objects")
        for piece in list(self._pieces.values()):
            for version in piece.versions:
                yield version.sha256, version.size

    def recorded_blake3(self) -> Iterator[tuple[str, str]]:
        self._check("referenced_objects")
        for piece in list(self._pieces.values()):
            for version in piece.versions:
                if version.blake3 is not None:
                    yield version.sha256, version.blake3

    def history(self, case_id: CaseId) -> list[PieceEvent]:
        return [e for e in self._events if e.case_id == case_id]


def _versioned(version: NewVersion, number: int) -> PieceVersion:
    return PieceVersion(**dataclasses.asdict(version), version=number)
