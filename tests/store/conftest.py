"""The store on both engines: a fresh SQLite file, and a fresh PostgreSQL database per test
(unique name, dropped afterwards) on the server at 127.0.0.1:5432 (DESIGN.md §6).

With `CASEFILE_TEST_POSTGRES` set (CI) an unreachable server FAILS the PostgreSQL tests;
otherwise they are skipped with the reason.
"""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import Awaitable, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

import pytest

T = TypeVar("T")

POSTGRES_ADMIN_URL = os.environ.get(
    "CASEFILE_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)
_postgres_problem: list[str] = []


def _admin(statement: str) -> None:
    import asyncpg

    async def run() -> None:
        connection = await asyncpg.connect(POSTGRES_ADMIN_URL, timeout=5)
        try:
            await connection.execute(statement)
        finally:
            await connection.close()

    asyncio.run(run())


def _postgres_database() -> str:
    """Create a uniquely named database; fail or skip when the server is unreachable."""
    if not _postgres_problem:
        try:
            _admin("SELECT 1")
            _postgres_problem.append("")
        except (TimeoutError, OSError, Exception) as error:
            _postgres_problem.append(f"PostgreSQL unreachable at {POSTGRES_ADMIN_URL}: {error}")
    problem = _postgres_problem[0]
    if problem:
        if os.environ.get("CASEFILE_TEST_POSTGRES"):
            pytest.fail(f"CASEFILE_TEST_POSTGRES is set but {problem}")
        pytest.skip(problem)
    name = f"casefile_test_{os.getpid()}_{uuid.uuid4().hex[:10]}"
    _admin(f'CREATE DATABASE "{name}"')
    return name


@dataclass
class Store:
    """One event loop for the whole test: the PostgreSQL pool lives on it."""

    runner: asyncio.Runner
    url: str
    engine: str

    def run(self, awaitable: Awaitable[T]) -> T:
        async def wrapped() -> T:
            return await awaitable  # piccolo queries are awaitables, not coroutines

        return self.runner.run(wrapped())


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store(request: pytest.FixtureRequest, tmp_path: Any) -> Iterator[Store]:
    from casefile.store import db

    database = None
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path}/casefile.db"
    else:
        database = _postgres_database()
        url = POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + f"/{database}"
    runner = asyncio.Runner()
    try:
        runner.run(db.connect(url))
        runner.run(db.migrate())
        yield Store(runner, url, request.param)
    finally:
        runner.run(db.close())
        runner.close()
        if database is not None:
            _admin(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
