"""What the benchmarks share: the PostgreSQL server they use and their throwaway databases.

    CASEFILE_BENCH_POSTGRES=postgresql://postgres@127.0.0.1:5432/postgres  (server to use)

A script in bench/ imports it as `from _support import …` (Python puts the script's folder
first on its path).
"""

from __future__ import annotations

import os
from typing import Any
from urllib.parse import urlsplit, urlunsplit

POSTGRES = os.environ.get(
    "CASEFILE_BENCH_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres"
)
"""The maintenance database of the server: where databases are created and dropped."""


def with_database(url: str, name: str) -> str:
    """`url` naming the database `name` instead of its own."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, parts.fragment))


async def admin_sql(statement: str, url: str = POSTGRES) -> None:
    """Run one statement on its own connection (CREATE/DROP DATABASE cannot run in a
    transaction)."""
    import asyncpg

    connection = await asyncpg.connect(url)
    try:
        await connection.execute(statement)
    finally:
        await connection.close()


async def create_database(name: str) -> str:
    """Create the database `name` on the server; its URL."""
    await admin_sql(f'CREATE DATABASE "{name}"')
    return with_database(POSTGRES, name)


async def drop_database(name: str) -> None:
    """Drop the database `name`, closing the connections still open on it."""
    await admin_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


async def run_fill(connection: Any, script: str, cases: int) -> None:
    """Run `script` on an asyncpg connection, statement by statement (separated by `;` at
    the end of a line): the first takes $1 the first avocat's id, $2 the first commissaire de
    justice's and $3 `cases`; the others take nothing."""
    lawyer = await connection.fetchval("SELECT min(id) FROM users WHERE role = 'avocat'")
    commissaire = await connection.fetchval(
        "SELECT min(id) FROM users WHERE role = 'commissaire_de_justice'"
    )
    statements = [s for s in script.split(";\n") if s.strip()]
    await connection.execute(statements[0], lawyer, commissaire, cases)
    for statement in statements[1:]:
        await connection.execute(statement)


async def migrate_with_users(
    url: str, *, avocats: int = 5, commissaires: int = 5, admin_password: str | None = None
) -> None:
    """Migrate the database as `casefile init` does, then create its users in this order:
    `banc_admin` (with `admin_password`), the avocats `me_0`… and the commissaires de
    justice `cj_0`…"""
    from casefile.store import db, users

    await db.connect(url)
    try:
        await db.migrate()
        if admin_password is not None:
            await users.create_user("banc_admin", "admin", password=admin_password)
        for role, prefix, count in (
            ("avocat", "me_", avocats),
            ("commissaire_de_justice", "cj_", commissaires),
        ):
            for n in range(count):
                await users.create_user(f"{prefix}{n}", role)
    finally:
        await db.close()
