"""Who holds a case: reassigning its avocat or its commissaire de justice (administrators).

The change applies at once to everything that reads the assignment on each use: the old
commissaire de justice no longer sees the case, and neither their portfolio feed nor a case
feed they published serves it any more — the latter are also revoked here, so that assigning
the case back later does not revive an old URL. Audited with the names before and after.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import msgspec
from msgspec import UNSET, UnsetType

from casefile.errors import InputError
from casefile.store import audit
from casefile.store.cases import bump_version, get_case, resolve_case
from casefile.store.db import atomic
from casefile.store.permissions import User, assigned_only, require
from casefile.store.tables import Case, FeedToken, UserAccount

ROLE_FOR = {"lawyer": "avocat", "commissaire": "commissaire_de_justice"}
LABEL_FOR = {"lawyer": "avocat", "commissaire": "commissaire de justice"}


class Assignment(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """User names; `null` removes the holder; an absent field is left as is."""

    lawyer: str | UnsetType | None = UNSET
    commissaire: str | UnsetType | None = UNSET
    expected_version: int | None = None


async def _holder(slot: str, name: str | None) -> dict[str, Any] | None:
    if name is None or not name.strip():
        return None
    label = LABEL_FOR[slot]
    if "\x00" in name or len(name) > 150:
        raise InputError(f"{label} : utilisateur « {name} » inconnu")
    row = (
        await UserAccount.select(
            UserAccount.id, UserAccount.name, UserAccount.role, UserAccount.active
        )
        .where(UserAccount.name == name.strip())
        .first()
    )
    if row is None:
        raise InputError(f"{label} : utilisateur « {name} » inconnu")
    if row["role"] != ROLE_FOR[slot]:
        raise InputError(f"{label} : « {name} » n'est pas {label}")
    if not row["active"]:
        raise InputError(f"{label} : le compte de « {name} » est désactivé")
    return dict(row)


async def _names(ids: list[int | None]) -> dict[int, dict[str, Any]]:
    wanted = [i for i in ids if i]
    if not wanted:
        return {}
    rows = await UserAccount.select(UserAccount.id, UserAccount.name, UserAccount.role).where(
        UserAccount.id.is_in(wanted)
    )
    return {row["id"]: dict(row) for row in rows}


async def assign_case(
    case: int | str, change: Assignment, actor: User, now: datetime | None = None
) -> dict[str, Any]:
    """Set the case's avocat and/or commissaire de justice; returns the case."""
    require(actor, "case.assign")
    now = now or datetime.now(UTC)
    async with atomic():
        row = await resolve_case(case, actor)
        values: dict[Any, Any] = {}
        for slot, column in (("lawyer", Case.lawyer), ("commissaire", Case.commissaire)):
            wanted = getattr(change, slot)
            if wanted is UNSET:
                continue
            holder = await _holder(slot, wanted)
            values[column] = holder["id"] if holder else None
        if not values:
            raise InputError("rien à changer : indiquez l'avocat ou le commissaire de justice")
        old = {"lawyer": row["lawyer"], "commissaire": row["commissaire"]}
        new = {
            "lawyer": values.get(Case.lawyer, row["lawyer"]),
            "commissaire": values.get(Case.commissaire, row["commissaire"]),
        }
        version = await bump_version(row, change.expected_version)
        await Case.update(values).where(Case.id == row["id"])
        people = await _names([*old.values(), *new.values()])
        revoked = []
        for slot, before in old.items():
            holder = people.get(before) if before else None
            if before == new[slot] or holder is None or not assigned_only(holder["role"]):
                continue
            revoked += await (
                FeedToken.update({FeedToken.revoked_at: now})
                .where(
                    (FeedToken.kind == "case")
                    & (FeedToken.subject == str(row["id"]))
                    & (FeedToken.created_by == before)
                    & FeedToken.revoked_at.is_null()
                )
                .returning(FeedToken.id)
            )

        def name(user_id: int | None) -> str | None:
            return people[user_id]["name"] if user_id in people else None

        after: dict[str, Any] = {slot: name(user_id) for slot, user_id in new.items()}
        after["version"] = version
        if revoked:
            after["feeds_revoked"] = len(revoked)
        await audit.record(
            actor,
            "case.assign",
            "case",
            row["id"],
            {slot: name(user_id) for slot, user_id in old.items()},
            after,
        )
    return await get_case(row["id"], actor)
