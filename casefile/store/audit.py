"""The append-only audit log: who did what, when, with the state before and after.

`record` is called inside the transaction of the change it describes, so a rolled-back change
leaves no entry and a committed one always has its entry.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from casefile.store.db import insert_records, sql_value
from casefile.store.permissions import User, require
from casefile.store.tables import AuditEntry, Document


async def record(
    actor: User,
    action: str,
    entity: str,
    entity_id: str | int,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
) -> None:
    await AuditEntry.insert(
        AuditEntry(
            at=datetime.now(UTC),
            actor_id=actor.id,
            actor_name=actor.name,
            action=action,
            entity=entity,
            entity_id=str(entity_id),
            before=before,
            after=after,
        )
    )


async def record_many(
    actor: User,
    action: str,
    entity: str,
    entries: Sequence[tuple[str | int, dict[str, Any] | str | None, dict[str, Any] | str | None]],
) -> None:
    """Many entries of one action at once (entity id, before, after), in one bulk insert (a
    recomputation of thousands of cases); call inside a transaction. The rows go as tuples,
    their JSON encoded as `bulk_insert` encodes it (`db.sql_value`); a before or after given
    as a string is that JSON text already (the nightly job's entries repeat)."""
    at = datetime.now(UTC)
    name = actor.name
    actor_id = actor.id
    await insert_records(
        AuditEntry,
        _ENTRY_COLUMNS,
        [
            (
                at,
                actor_id,
                name,
                action,
                entity,
                str(entity_id),
                sql_value(before),
                sql_value(after),
            )
            for entity_id, before, after in entries
        ],
    )


_ENTRY_COLUMNS = (
    "at",
    "actor_id",
    "actor_name",
    "action",
    "entity",
    "entity_id",
    "before",
    "after",
)


INTEGRITY_INCIDENT = "evidence.integrity_failure"
"""The action of an entry recording that stored bytes failed their hash when served."""


async def record_integrity_incident(
    actor: User, entity: str, entity_id: str | int, sha256: str, detail: str
) -> None:
    """A download refused or aborted because the stored bytes failed their hash (BLAKE3 or
    SHA-256, `detail` says which); `casefile evidence verify` lists these entries."""
    await record(
        actor, INTEGRITY_INCIDENT, entity, entity_id, None, {"sha256": sha256, "detail": detail}
    )


async def has_integrity_incident(entity: str, entity_id: str) -> bool:
    """Whether a download of this entity was ever refused for an altered file."""
    return bool(
        await AuditEntry.exists()
        .where(AuditEntry.action == INTEGRITY_INCIDENT)
        .where(AuditEntry.entity == entity)
        .where(AuditEntry.entity_id == entity_id)
    )


PIECE_REPAIRED = "piece.repaired"
"""The action of an entry recording that an altered pièce's original was deposited again."""


async def case_has_open_integrity_incident(case_id: int) -> bool:
    """Whether a bundle of this case or a download of one of its pièces was refused for an
    altered file that has not been repaired since: an incident stays open until a later
    `piece.repaired` entry of the case names the same SHA-256 (the original deposited again).
    An incident whose file is not known (no digest) never closes. Two small queries: the case's
    incidents and repairs (a handful of rows), whatever the number of pièces."""
    pieces = (AuditEntry.entity == "piece") & AuditEntry.entity_id.like(f"{case_id}:%")
    incidents = await (
        AuditEntry.select(AuditEntry.id, AuditEntry.after)
        .where(AuditEntry.action == INTEGRITY_INCIDENT)
        .where(((AuditEntry.entity == "case") & (AuditEntry.entity_id == str(case_id))) | pieces)
        .output(load_json=True)
    )
    if not incidents:
        return False
    repairs = await (
        AuditEntry.select(AuditEntry.id, AuditEntry.after)
        .where(AuditEntry.action == PIECE_REPAIRED)
        .where(pieces)
        .output(load_json=True)
    )
    repaired: dict[str, int] = {}
    for row in repairs:
        digest = (row["after"] or {}).get("sha256")
        if digest:
            repaired[digest] = max(repaired.get(digest, 0), row["id"])
    return any(
        repaired.get((row["after"] or {}).get("sha256") or "", -1) < row["id"] for row in incidents
    )


async def integrity_incidents(limit: int = 100) -> list[dict[str, Any]]:
    """The recorded integrity incidents, newest first (no permission check: for `verify`)."""
    rows = await (
        AuditEntry.select()
        .where(AuditEntry.action == INTEGRITY_INCIDENT)
        .order_by(AuditEntry.id, ascending=False)
        .limit(limit)
        .output(load_json=True)
    )
    return [
        {
            "at": row["at"].isoformat(),
            "actor": row["actor_name"],
            "entity": row["entity"],
            "entity_id": row["entity_id"],
            "sha256": (row["after"] or {}).get("sha256"),
        }
        for row in rows
    ]


async def list_entries(
    actor: User,
    limit: int = 100,
    entity: str | None = None,
    case_id: int | None = None,
    actor_name: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    before_id: int | None = None,
) -> list[dict[str, Any]]:
    """Newest first. `case_id`: what was done to that case, its pièces and its documents;
    `since` inclusive, `until` exclusive; `before_id` pages back from an entry."""
    require(actor, "audit.read")
    query = AuditEntry.select().order_by(AuditEntry.id, ascending=False).limit(limit)
    if entity is not None:
        query = query.where(AuditEntry.entity == entity)
    if case_id is not None:
        documents = [
            str(row["id"])
            for row in await Document.select(Document.id).where(Document.case == case_id)
        ]
        about_case = ((AuditEntry.entity == "case") & (AuditEntry.entity_id == str(case_id))) | (
            (AuditEntry.entity == "piece") & AuditEntry.entity_id.like(f"{case_id}:%")
        )
        if documents:
            about_case = about_case | (
                (AuditEntry.entity == "document") & AuditEntry.entity_id.is_in(documents)
            )
        query = query.where(about_case)
    if actor_name is not None:
        query = query.where(AuditEntry.actor_name == actor_name)
    if since is not None:
        query = query.where(AuditEntry.at >= since)
    if until is not None:
        query = query.where(AuditEntry.at < until)
    if before_id is not None:
        query = query.where(AuditEntry.id < before_id)
    rows = await query.output(load_json=True)
    return [
        {
            "id": row["id"],
            "at": row["at"].isoformat(),
            "actor": row["actor_name"],
            "actor_id": row["actor_id"],
            "action": row["action"],
            "entity": row["entity"],
            "entity_id": row["entity_id"],
            "before": row["before"],
            "after": row["after"],
        }
        for row in rows
    ]
