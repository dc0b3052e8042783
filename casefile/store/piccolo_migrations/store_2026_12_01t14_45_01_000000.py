"""The installation's identifier drawn (once: a database that has one keeps it), and the stored
feed states moved from the UIDs of before (`{case}-{deadline}@casefile`, the same in every
installation) to this installation's (`{case}-{deadline}@{installation}.casefile`).

Each state keeps, per deadline, its SEQUENCE, its fingerprint and its rendered item: only the
UID (the key and the item's `uid`) changes, so the next export finds every deadline as it left
it — nothing added twice under the new UID, nothing published CANCELLED under the old one. A
subscribed calendar sees every event's UID change once (the feed's ETag changes once); a CalDAV
collection replaced by the next push holds each deadline once. `updated_at` is set to the
migration's time so that no process keeps a feed's ETag computed before it.

The UID form is frozen here (as `casefile.ical.items.uid_for` wrote it on that day) so that this
migration does the same thing whenever it runs. SQLite and PostgreSQL alike; run twice, it
changes nothing more.
"""

import json
import secrets
from datetime import UTC, datetime
from typing import Any

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-12-01T14:45:01:000000"
VERSION = "1.38.0"
DESCRIPTION = "installation identifier drawn; feed states moved to the installation's UIDs"

ALPHABET = "abcdefghijklmnopqrstuvwxyz234567"  # RFC 4648 base32, lowercase
LENGTH = 12  # 60 random bits


def new_token() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def legacy_uid(case_id: str, deadline_key: str) -> str:
    return f"{case_id}-{deadline_key}@casefile"


def uid(installation: str, case_id: str, deadline_key: str) -> str:
    return f"{case_id}-{deadline_key}@{installation}.casefile"


def moved(state: dict[str, Any], installation: str) -> dict[str, Any]:
    """The state with every UID of before renamed; other entries kept as they are. A deadline
    found under both UIDs (impossible unless a state was half moved) keeps the new one."""
    out: dict[str, Any] = {}
    for key, record in state.items():
        item = record.get("item") if isinstance(record, dict) else None
        if isinstance(item, dict):
            case_id, deadline_key = str(item.get("case_id")), str(item.get("deadline_key"))
            if key == legacy_uid(case_id, deadline_key) and item.get("uid") == key:
                new = uid(installation, case_id, deadline_key)
                if new not in state:
                    out[new] = {**record, "item": {**item, "uid": new}}
                continue
        out[key] = record
    return out


def _loaded(value: Any) -> dict[str, Any]:
    loaded = json.loads(value) if isinstance(value, str | bytes) else value
    return loaded if isinstance(loaded, dict) else {}


def _dumped(state: dict[str, Any]) -> str:
    return json.dumps(state, ensure_ascii=False)


async def _sqlite(connection: Any) -> None:
    cursor = await connection.execute("SELECT token FROM installation ORDER BY id LIMIT 1")
    row = await cursor.fetchone()
    now = datetime.now(UTC)
    if row is None:
        installation = new_token()
        await connection.execute(
            "INSERT INTO installation (token, created_at) VALUES (?, ?)", (installation, now)
        )
    else:
        installation = str(row["token"] if isinstance(row, dict) else row[0])
    cursor = await connection.execute("SELECT id, state FROM feed_states")
    for found in await cursor.fetchall():
        row_id, value = (found["id"], found["state"]) if isinstance(found, dict) else found
        state = _loaded(value)
        new = moved(state, installation)
        if new != state:
            await connection.execute(
                "UPDATE feed_states SET state = ?, updated_at = ? WHERE id = ?",
                (_dumped(new), now, row_id),
            )


async def _postgres(connection: Any) -> None:
    installation = await connection.fetchval("SELECT token FROM installation ORDER BY id LIMIT 1")
    now = datetime.now(UTC)
    if installation is None:
        installation = new_token()
        await connection.execute(
            "INSERT INTO installation (token, created_at) VALUES ($1, $2)", installation, now
        )
    updates = []
    for found in await connection.fetch("SELECT id, state FROM feed_states"):
        state = _loaded(found["state"])
        new = moved(state, installation)
        if new != state:
            updates.append((_dumped(new), now, found["id"]))
    if updates:
        await connection.executemany(
            "UPDATE feed_states SET state = $1, updated_at = $2 WHERE id = $3", updates
        )


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="store", description=DESCRIPTION)

    async def run() -> None:
        engine: Any = engine_finder()
        assert engine is not None
        rewrite = _postgres if engine.engine_type == "postgres" else _sqlite
        transaction = engine.current_transaction.get()
        if transaction is None:
            async with engine.transaction():
                await rewrite(engine.current_transaction.get().connection)
        else:
            await rewrite(transaction.connection)

    manager.add_raw(run)
    return manager
