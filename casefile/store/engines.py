"""`CASEFILE_DATABASE_URL` → a piccolo engine (SQLite file or PostgreSQL pool).

Kept apart from `db.py` so that `piccolo_conf.py` (read by the `piccolo` command line when
generating migrations) can build the same engine without importing the rest of the store.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from piccolo.engine.base import Engine
from piccolo.engine.postgres import PostgresEngine
from piccolo.engine.sqlite import SQLiteEngine

from casefile.errors import InputError
from casefile.law.wording import quoted

SQLITE_BUSY_TIMEOUT_SECONDS = 30
"""How long the command line waits for another writer's lock on a SQLite file."""
SERVER_BUSY_TIMEOUT_SECONDS = 2.0
"""The server's wait: a request against a locked file answers 503 quickly instead of hanging."""
POSTGRES_CONNECT_TIMEOUT_SECONDS = 5


def sqlite_path(url: str) -> Path | None:
    """`sqlite:///var/casefile.db` → var/casefile.db; `sqlite:////abs/x.db` → /abs/x.db."""
    if not url.startswith("sqlite://"):
        return None
    rest = url[len("sqlite://") :]
    if rest.startswith("/"):
        rest = rest[1:]
    if not rest:
        raise InputError(f"CASEFILE_DATABASE_URL {quoted(url)} ne nomme aucun fichier SQLite")
    return Path(rest)


def engine_from_url(url: str, busy_timeout: float = SQLITE_BUSY_TIMEOUT_SECONDS) -> Engine[Any]:
    path = sqlite_path(url)
    if path is not None:
        return SQLiteEngine(path=str(path), timeout=busy_timeout)
    scheme = urlsplit(url).scheme
    if scheme in ("postgresql", "postgres"):
        return PostgresEngine(config={"dsn": url, "timeout": POSTGRES_CONNECT_TIMEOUT_SECONDS})
    raise InputError(
        f"CASEFILE_DATABASE_URL {url!r}: use sqlite:///path/to/file.db or "
        "postgresql://user@host:port/database"
    )


def is_postgres(engine: Engine[Any]) -> bool:
    return engine.engine_type == "postgres"
