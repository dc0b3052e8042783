"""Use cases on pièces, over an `ObjectStore` and a `PieceRecords`; the CLI and API call these.

The order of effects is the safety argument: bytes are stored and verified first, the record
commits second. A store failure therefore records nothing; a record failure leaves at most an
orphan object, which `verify` finds and can remove.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from enum import Enum
from typing import Literal, TypedDict

from casefile import metrics
from casefile.errors import Conflict, Forbidden, InputError, InvalidFields, NotFound
from casefile.evidence.errors import IntegrityError, ObjectMissing
from casefile.evidence.names import original_name, safe_name
from casefile.evidence.objects import ObjectStore, Readable, new_blake3, peek
from casefile.evidence.records import (
    KIND_LABELS,
    KINDS,
    Actor,
    CaseId,
    NewPiece,
    NewVersion,
    Piece,
    PieceDetails,
    PieceEvent,
    PieceId,
    PieceRecords,
)
from casefile.evidence.sniff import upload_problem
from casefile.labels import ROLES, label, paris_day
from casefile.law.wording import date_fr, labelled_list, quoted

DELETE_ROLES = frozenset({"admin", "avocat"})
"""Roles allowed to withdraw a pièce (the store layer's role names)."""

ORPHAN_GRACE = timedelta(hours=1)
"""An unreferenced object younger than this may belong to an upload whose record is being
committed right now: verify reports it as pending and never removes it."""

UPLOAD_GRACE = timedelta(hours=24)
"""A partial upload whose process cannot be checked (another host) is taken as crashed, and
removed by verify, after this long."""

Progress = Callable[[int, int], None]
"""Called with (bytes checked, total bytes) while verify reads the store."""

log = logging.getLogger("casefile.evidence")


class PieceReceipt(TypedDict):
    id: PieceId
    piece: int | None
    version: int
    sha256: str
    size: int
    kind: str
    mime: str
    reused: bool
    """True when the upload was a duplicate and the existing pièce was kept (`reuse`)."""


def _receipt(piece: Piece, reused: bool = False) -> PieceReceipt:
    current = piece.current
    return PieceReceipt(
        id=piece.id,
        piece=piece.number,
        version=current.version,
        sha256=current.sha256,
        size=current.size,
        kind=piece.kind,
        mime=current.mime,
        reused=reused,
    )


ON_DUPLICATE = ("ask", "reuse", "force")
"""What an upload does with a file that is already a pièce of the case: refuse and ask
(`DuplicatePiece`, HTTP 409), keep the existing pièce, or add a second pièce all the same."""


class DuplicatePiece(Conflict):
    """The uploaded file is already a live pièce of the case (same SHA-256); nothing was
    recorded. `extra` names the existing pièce for the API's 409 answer."""

    def __init__(self, piece: Piece, version: int) -> None:
        self.piece = piece
        self.version = version
        which = f"pièce n° {piece.number}"
        if version != piece.current.version:
            which += f" (sa version {version})"
        name = piece.versions[version - 1].original_name
        super().__init__(
            f"ce fichier est déjà la {which} de ce dossier"
            + (f" (« {name} »)" if name else "")
            + " : réutilisez-la (reuse) ou ajoutez-le quand même comme nouvelle pièce (force)"
        )
        self.extra = {
            "existing": {
                "id": piece.id,
                "number": piece.number,
                "version": version,
                "sha256": piece.versions[version - 1].sha256,
                "kind": piece.kind,
                "original_name": name,
            }
        }

    def mark_repaired(self) -> None:
        """The stored copy of that pièce had been altered, and this upload (the same bytes as
        recorded) replaced it: said in the message and in `extra`."""
        self.repaired = True
        self.args = (
            f"{self.args[0]} ; la copie stockée de la pièce n° {self.piece.number}, altérée, "
            "a été remplacée par ce fichier identique à l'original : elle est de nouveau servie",
        )
        if self.extra is not None:
            self.extra["repaired"] = True

    repaired = False


def find_duplicate(records: PieceRecords, case_id: CaseId, sha256: str) -> DuplicatePiece | None:
    """The live pièce of the case one of whose versions has these bytes (the current version
    first), as the error an upload raises."""
    for piece in records.list_pieces(case_id):
        for version in reversed(piece.versions):
            if version.sha256 == sha256:
                return DuplicatePiece(piece, version.version)
    return None


def _now(now: datetime | None) -> datetime:
    return now if now is not None else datetime.now(UTC)


def add_piece(
    store: ObjectStore,
    records: PieceRecords,
    case_id: CaseId,
    stream: Readable,
    *,
    filename: str | bytes,
    kind: str,
    actor: Actor,
    piece_date: date | None = None,
    description: str = "",
    invoices: Sequence[str] = (),
    max_size: int | None = None,
    now: datetime | None = None,
    on_duplicate: str = "force",
) -> PieceReceipt:
    """Store a file and record it as the case's next pièce. A file that is already a live
    pièce of the case (same SHA-256): `on_duplicate` "ask" raises `DuplicatePiece`, "reuse"
    returns the existing pièce (`reused`), "force" records a second pièce."""
    if kind not in KINDS:
        raise InputError(f"type de pièce « {kind} » inconnu (attendu : {', '.join(KINDS)})")
    if on_duplicate not in ON_DUPLICATE:
        raise InputError(
            f"on_duplicate {quoted(on_duplicate)} inconnu (attendu : {', '.join(ON_DUPLICATE)})"
        )
    clean_invoices = tuple(i.strip() for i in invoices if i.strip())
    at = _now(now)
    stream = _checked(stream, filename)
    stored = store.put_stream(stream, max_size=max_size)
    metrics.evidence_stored(stored.size, stored.created)
    if on_duplicate != "force":
        # The bytes were already stored (content-addressed): nothing new is left behind.
        duplicate = find_duplicate(records, case_id, stored.sha256)
        if duplicate is not None:
            if stored.repaired:
                log.warning(
                    "case %s: altered object %s replaced by the same bytes deposited again",
                    case_id,
                    stored.sha256,
                )
                duplicate.mark_repaired()
            if on_duplicate == "reuse":
                return _receipt(duplicate.piece, reused=True)
            raise duplicate
    version = _new_version(
        stored.sha256, stored.size, stored.mime, filename, actor, at, blake3=stored.blake3
    )
    piece = records.create_piece(
        NewPiece(case_id, kind, piece_date, description.strip(), clean_invoices),
        version,
        PieceEvent(
            case_id,
            None,
            "added",
            at,
            actor.name,
            details={"sha256": stored.sha256, "original_name": version.original_name},
        ),
    )
    return _receipt(piece)


def add_stored_copy(
    store: ObjectStore,
    records: PieceRecords,
    case_id: CaseId,
    sha256: str,
    *,
    filename: str | bytes,
    kind: str,
    actor: Actor,
    piece_date: date | None = None,
    description: str = "",
    invoices: Sequence[str] = (),
    now: datetime | None = None,
) -> PieceReceipt:
    """A second pièce with the bytes of one the case already has (the web form's "add it all
    the same" after a duplicate was noticed: the file is not sent twice). Only bytes that are
    a live pièce of this very case may be named."""
    if kind not in KINDS:
        raise InputError(f"type de pièce « {kind} » inconnu (attendu : {', '.join(KINDS)})")
    duplicate = find_duplicate(records, case_id, sha256)
    if duplicate is None:
        raise InputError("ce fichier n'est pas une pièce de ce dossier : envoyez-le de nouveau")
    source = duplicate.piece.versions[duplicate.version - 1]
    if not store.exists(sha256):
        raise ObjectMissing(
            f"le fichier {sha256} de la pièce id {duplicate.piece.id} est introuvable dans le stockage"
        )
    at = _now(now)
    version = _new_version(
        sha256, source.size, source.mime, filename, actor, at, blake3=source.blake3
    )
    piece = records.create_piece(
        NewPiece(
            case_id,
            kind,
            piece_date,
            description.strip(),
            tuple(i.strip() for i in invoices if i.strip()),
        ),
        version,
        PieceEvent(
            case_id,
            None,
            "added",
            at,
            actor.name,
            details={
                "sha256": sha256,
                "original_name": version.original_name,
                "duplicate_of": duplicate.piece.number,
            },
        ),
    )
    return _receipt(piece)


def add_version(
    store: ObjectStore,
    records: PieceRecords,
    piece_id: PieceId,
    stream: Readable,
    *,
    filename: str | bytes,
    actor: Actor,
    note: str = "",
    max_size: int | None = None,
    now: datetime | None = None,
) -> PieceReceipt:
    """A corrected file for a numbered pièce: a new version; every earlier one is kept."""
    piece = records.get_piece(piece_id)
    if piece.deleted_at is not None:
        raise Conflict(f"la pièce id {piece_id} a été retirée : ajoutez plutôt une nouvelle pièce")
    at = _now(now)
    stream = _checked(stream, filename)
    stored = store.put_stream(stream, max_size=max_size)
    metrics.evidence_stored(stored.size, stored.created)
    if stored.sha256 == piece.current.sha256:
        raise Conflict(
            f"le fichier est identique à la version {piece.current.version} de la pièce n° {piece.number}"
        )
    version = _new_version(
        stored.sha256, stored.size, stored.mime, filename, actor, at, note, blake3=stored.blake3
    )
    updated = records.add_version(
        piece_id,
        version,
        PieceEvent(
            piece.case_id,
            piece_id,
            "versioned",
            at,
            actor.name,
            reason=note,
            details={
                "from_sha256": piece.current.sha256,
                "sha256": stored.sha256,
                "version": len(piece.versions) + 1,
            },
        ),
    )
    return _receipt(updated)


def _checked(stream: Readable, filename: str | bytes) -> Readable:
    """Refuse, before a byte is stored, an empty file, a program, or a file whose content is
    not the format its name promises; returns the stream, still at its start."""
    head, stream = peek(stream)
    problem = upload_problem(head, original_name(filename))
    if problem is not None:
        raise InputError(problem)
    return stream


def _new_version(
    sha256: str,
    size: int,
    mime: str,
    filename: str | bytes,
    actor: Actor,
    at: datetime,
    note: str = "",
    *,
    blake3: str | None = None,
) -> NewVersion:
    return NewVersion(
        sha256=sha256,
        size=size,
        mime=mime,
        original_name=original_name(filename),
        safe_name=safe_name(filename),
        added_at=at,
        added_by=actor.name,
        note=note,
        blake3=blake3,
    )


def renumber(
    records: PieceRecords,
    case_id: CaseId,
    order: Sequence[PieceId],
    *,
    actor: Actor,
    reason: str = "",
    now: datetime | None = None,
) -> list[Piece]:
    """Number the case's live pièces 1, 2, … in `order` (every live pièce exactly once)."""
    pieces = records.list_pieces(case_id)
    live = {p.id: p for p in pieces}
    if len(set(order)) != len(order) or set(order) != set(live):
        raise InputError(
            f"le nouvel ordre {list(order)} doit citer une fois chaque pièce du dossier n° "
            f"{case_id} : {sorted(live)}"
        )
    numbers = {piece_id: n for n, piece_id in enumerate(order, start=1)}
    before = {piece_id: live[piece_id].number for piece_id in order}
    if all(before[i] == numbers[i] for i in order):
        return pieces
    event = PieceEvent(
        case_id,
        None,
        "renumbered",
        _now(now),
        actor.name,
        reason=reason,
        details={"before": before, "after": numbers},
    )
    return records.set_numbers(case_id, numbers, event)


def delete_piece(
    records: PieceRecords,
    piece_id: PieceId,
    *,
    actor: Actor,
    reason: str,
    now: datetime | None = None,
    allowed_roles: frozenset[str] = DELETE_ROLES,
) -> Piece:
    """Withdraw a pièce as a recorded, reasoned act. Its bytes stay in the store."""
    if actor.role not in allowed_roles:
        raise Forbidden(
            f"le rôle « {label(ROLES, actor.role)} » ne permet pas de retirer une pièce (rôles "
            f"autorisés : {', '.join(label(ROLES, r) for r in sorted(allowed_roles))})"
        )
    if not reason.strip():
        raise InputError("retirer une pièce demande un motif")
    piece = records.get_piece(piece_id)
    if piece.deleted_at is not None:
        raise Conflict(
            f"la pièce id {piece_id} a déjà été retirée le {date_fr(paris_day(piece.deleted_at))}"
        )
    event = PieceEvent(
        piece.case_id,
        piece_id,
        "deleted",
        _now(now),
        actor.name,
        reason=reason.strip(),
        details={"number": piece.number},
    )
    return records.mark_deleted(piece_id, event)


DESCRIPTION_MAX = 1000
"""The longest description (designation au bordereau) a pièce takes, in characters."""
REASON_MAX = 500
KIND_CHOICES = labelled_list((label, key) for key, label in KIND_LABELS.items())
"""« Devis » (devis), « Bon de commande » (bon_de_commande)…: what a refused kind lists."""


class Keep(Enum):
    """`edit_details`' "leave this field as it is" (a date may be set to None: undated)."""

    KEEP = "keep"


KEEP = Keep.KEEP


DetailsField = Literal["kind", "date", "description"]
"""The fields of a pièce a correction changes, in the bordereau's order (nature, date, words)."""


@dataclass(frozen=True)
class DetailsEdit:
    """What `edit_details` did: the pièce as it now is, what it said before, and the fields
    changed (`kind`, `date`, `description`; none when the correction changed nothing)."""

    piece: Piece
    before: PieceDetails
    changed: tuple[DetailsField, ...]


def edit_details(
    records: PieceRecords,
    piece_id: PieceId,
    *,
    actor: Actor,
    piece_date: date | Keep | None = KEEP,
    description: str | Keep = KEEP,
    kind: str | Keep = KEEP,
    reason: str = "",
    case_id: CaseId | None = None,
    now: datetime | None = None,
) -> DetailsEdit:
    """Correct what the bordereau says of a pièce — its nature (`kind`, one of `KINDS`), its
    date (None: undated) and its description — as a recorded act (`edited`, with the values
    before and after). Its file, versions and hashes are never touched: a new file is a new
    version (`add_version`); nor are its invoice numbers and its e-invoice reading, which are
    what its file holds. With `case_id`, the pièce must be one of that case's. A correction
    that changes nothing records nothing."""
    piece = records.get_piece(piece_id)
    if case_id is not None and piece.case_id != case_id:
        raise NotFound(f"la pièce id {piece_id} n'est pas une pièce de ce dossier")
    if piece.deleted_at is not None:
        raise Conflict(
            f"la pièce id {piece_id} a été retirée le {date_fr(paris_day(piece.deleted_at))} : "
            "elle ne figure plus au bordereau et ne se corrige plus"
        )
    text = piece.description if isinstance(description, Keep) else description.strip()
    why = reason.strip()
    nature = piece.kind if isinstance(kind, Keep) else kind
    problems: dict[str, str] = {}
    if nature != piece.kind and nature not in KINDS:  # (a kind recorded earlier may stay)
        problems["kind"] = (
            "nature de la pièce : "
            + (f"{quoted(nature)} inconnue" if nature.strip() else "obligatoire")
            + f" (choisir : {KIND_CHOICES})"
        )
    if len(text) > DESCRIPTION_MAX:
        problems["description"] = (
            f"désignation : {len(text)} caractères, au plus {DESCRIPTION_MAX} sont admis"
        )
    if len(why) > REASON_MAX:
        problems["reason"] = f"motif : {len(why)} caractères, au plus {REASON_MAX} sont admis"
    for name, value in (("description", text), ("reason", why)):
        if "\x00" in value:  # the API's edge refuses it first; PostgreSQL cannot store it
            problems[name] = f"{'désignation' if name == 'description' else 'motif'} : " + (
                "le caractère nul (U+0000) n'est accepté dans aucun texte"
            )
    if problems:
        raise InvalidFields(problems)
    before = piece.details
    after = PieceDetails(piece.date if isinstance(piece_date, Keep) else piece_date, text, nature)
    changed: tuple[DetailsField, ...] = (
        *(("kind",) if after.kind != before.kind else ()),
        *(("date",) if after.date != before.date else ()),
        *(("description",) if after.description != before.description else ()),
    )
    if not changed:
        return DetailsEdit(piece, before, ())
    event = PieceEvent(
        piece.case_id,
        piece_id,
        "edited",
        _now(now),
        actor.name,
        reason=why,
        details={
            "number": piece.number,
            "before": {name: _detail(before, name) for name in changed},
            "after": {name: _detail(after, name) for name in changed},
        },
    )
    return DetailsEdit(records.set_details(piece_id, before, after, event), before, changed)


def _detail(details: PieceDetails, name: DetailsField) -> str | None:
    """A field of `details` as the audit trail keeps it (a date as AAAA-MM-JJ, a kind as its
    key: the trail words it)."""
    if name == "date":
        return details.date.isoformat() if details.date is not None else None
    return details.kind if name == "kind" else details.description


@dataclass
class Report:
    """What `verify` found; `ok` when nothing is missing or mismatched."""

    checked: int = 0
    bytes: int = 0
    missing: list[str] = field(default_factory=list)
    mismatched: list[str] = field(default_factory=list)
    orphans: list[str] = field(default_factory=list)
    pending: list[str] = field(default_factory=list)
    """Unreferenced objects younger than the grace period (uploads in flight)."""
    removed: list[str] = field(default_factory=list)
    interrupted: list[str] = field(default_factory=list)
    """Partial uploads left by a crashed process, removed by this verify."""
    uploading: list[str] = field(default_factory=list)
    """Partial uploads of running processes (kept)."""
    incidents: Sequence[Mapping[str, object]] = field(default_factory=list)
    """Downloads refused or aborted because stored bytes failed their hash (from the audit
    log, filled by the caller that reads it)."""

    @property
    def ok(self) -> bool:
        return not self.missing and not self.mismatched


def verify(
    store: ObjectStore,
    records: PieceRecords,
    *,
    progress: Progress | None = None,
    remove_orphans: bool = False,
    orphan_grace: timedelta = ORPHAN_GRACE,
    now: datetime | None = None,
) -> Report:
    """Re-hash every referenced object; list missing ones, mismatches and orphans; remove the
    partial uploads of crashed processes (they are never evidence). An object is checked
    against its SHA-256 and, when versions recorded its BLAKE3 digest (what downloads check),
    against that too, in the same pass: the two recorded digests must name the same bytes."""
    expected: dict[str, int] = {}
    report = Report()
    for sha256, size in records.referenced_objects():
        if expected.setdefault(sha256, size) != size:
            report.mismatched.append(sha256)
    blake3s: dict[str, set[str]] = {}
    for sha256, blake3 in records.recorded_blake3():
        blake3s.setdefault(sha256, set()).add(blake3)
    objects = list(store.list_objects())
    total = sum(info.size for info in objects if info.sha256 in expected)
    done = 0
    if progress:
        progress(0, total)
    cutoff = _now(now) - orphan_grace
    for info in objects:
        recorded = expected.get(info.sha256)
        if recorded is None:
            if info.modified <= cutoff:
                report.orphans.append(info.sha256)
            else:
                report.pending.append(info.sha256)
            continue
        report.checked += 1
        start = done
        second = new_blake3() if info.sha256 in blake3s else None
        try:
            for chunk in store.open_verified(info.sha256, recorded):
                if second is not None:
                    second.update(chunk)
                done += len(chunk)
                report.bytes += len(chunk)
                if progress:
                    progress(done, total)
            if second is not None and blake3s[info.sha256] != {second.hexdigest()}:
                raise IntegrityError(f"{info.sha256} : empreinte BLAKE3 enregistrée différente")
        except (IntegrityError, ObjectMissing):
            if info.sha256 not in report.mismatched:
                report.mismatched.append(info.sha256)
            # The failing object's last chunk is withheld: it was read all the same.
            report.bytes += start + info.size - done
            done = start + info.size
            if progress:
                progress(done, total)
    present = {info.sha256 for info in objects}
    report.missing = sorted(set(expected) - present)
    upload_cutoff = _now(now) - UPLOAD_GRACE
    for upload in store.temporary_uploads():
        if upload.owner_gone or upload.modified <= upload_cutoff:
            store.remove_temporary(upload.name)
            report.interrupted.append(upload.name)
        else:
            report.uploading.append(upload.name)
    if remove_orphans:
        for sha256 in report.orphans:
            store.delete(sha256)
            report.removed.append(sha256)
    return report


def history_json(events: Sequence[PieceEvent]) -> list[Mapping[str, object]]:
    """The audit trail as JSON-ready dicts (for `case show` and the API)."""
    return [
        {
            "piece_id": e.piece_id,
            "action": e.action,
            "at": e.at.isoformat(),
            "by": e.by,
            "reason": e.reason,
            "details": dict(e.details),
        }
        for e in events
    ]
