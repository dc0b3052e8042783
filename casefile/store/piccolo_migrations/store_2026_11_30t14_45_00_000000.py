"""Each distinct deadline explanation stored once (issue 14 item 5): the table `explanations`
(digest → JSON text) and `deadlines.digest` instead of `deadlines.explanation`. The stored rows
move: each row's digest is the first 16 bytes of the SHA-256 of its JSON text (as
`explanations.digest_of` computes it), each distinct text kept once. SQLite and PostgreSQL
(PostgreSQL computes the digests in SQL; SQLite, which has no SHA-256, here in Python).

The body is `text`, not `json`: written once by the application, never queried inside.
"""

import hashlib
from typing import Any

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-30T14:45:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "deadline explanations stored once each, rows keep their digest"

POSTGRES = (
    "CREATE TABLE explanations (digest BYTEA PRIMARY KEY, body TEXT NOT NULL)",
    "ALTER TABLE deadlines ADD COLUMN digest BYTEA",
    "UPDATE deadlines SET digest = substring(sha256(convert_to(explanation::text, 'UTF8'))"
    " FROM 1 FOR 16)",
    "INSERT INTO explanations (digest, body) SELECT DISTINCT ON (digest) digest,"
    " explanation::text FROM deadlines",
    "ALTER TABLE deadlines ALTER COLUMN digest SET NOT NULL",
    "ALTER TABLE deadlines DROP COLUMN explanation",
    # The collector's pass count (`explanations.ensure`), one row.
    "CREATE TABLE explanation_epoch (n BIGINT NOT NULL)",
    "INSERT INTO explanation_epoch (n) VALUES (0)",
)


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="store", description=DESCRIPTION)

    async def run() -> None:
        engine: Any = engine_finder()
        assert engine is not None
        if engine.engine_type == "postgres":
            for statement in POSTGRES:
                await engine.run_ddl(statement)
            return
        await engine.run_ddl(
            "CREATE TABLE explanations (digest BLOB PRIMARY KEY, body TEXT NOT NULL)"
        )
        await engine.run_ddl("ALTER TABLE deadlines ADD COLUMN digest BLOB NOT NULL DEFAULT x''")
        transaction = engine.current_transaction.get()
        if transaction is None:
            async with engine.transaction():
                await _move_sqlite(engine.current_transaction.get().connection)
        else:
            await _move_sqlite(transaction.connection)
        await engine.run_ddl("ALTER TABLE deadlines DROP COLUMN explanation")

    manager.add_raw(run)
    return manager


async def _move_sqlite(connection: Any) -> None:
    cursor = await connection.execute("SELECT id, explanation FROM deadlines")
    rows = await cursor.fetchall()
    moved, bodies = [], {}
    for row in rows:
        ident, text = (row["id"], row["explanation"]) if isinstance(row, dict) else row
        text = text if isinstance(text, str) else str(text)
        digest = hashlib.sha256(text.encode()).digest()[:16]
        bodies[digest] = text
        moved.append((digest, ident))
    await connection.executemany("UPDATE deadlines SET digest = ? WHERE id = ?", moved)
    await connection.executemany(
        "INSERT OR IGNORE INTO explanations (digest, body) VALUES (?, ?)", list(bodies.items())
    )
