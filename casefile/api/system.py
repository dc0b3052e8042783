"""Liveness and readiness, without authentication (DESIGN §4b).

`GET /health/live`: 200 while the process runs (nothing else is checked).
`GET /health/ready`: 200 when the database answers with every committed migration applied and
the object store answers; 503 with `Retry-After` and the failing check otherwise.
`GET /health`: the readiness with the version and the number of procedures.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from litestar import Response, get

log = logging.getLogger("casefile.api")

CHECK_TIMEOUT_SECONDS = 5.0
RETRY_AFTER_SECONDS = 5


async def _database() -> str | None:
    """None when the database answers and is migrated, else what is wrong (in French)."""
    from casefile.store import db

    try:
        pending = await asyncio.wait_for(db.pending_migrations(), CHECK_TIMEOUT_SECONDS)
    except Exception as error:  # any failure of the check is unreadiness, never a 500
        log.warning("readiness: database: %s", error)
        return "la base de données ne répond pas"
    if pending:
        return f"{len(pending)} migration(s) non appliquée(s) : lancez « casefile init »"
    return None


async def _object_store() -> str | None:
    from casefile.evidence.backends import open_store

    try:
        store = open_store()
        await asyncio.wait_for(asyncio.to_thread(store.check), CHECK_TIMEOUT_SECONDS)
    except Exception as error:  # any failure of the check is unreadiness, never a 500
        log.warning("readiness: object store: %s", error)
        return "le stockage des pièces ne répond pas"
    return None


async def readiness() -> tuple[bool, dict[str, str]]:
    database, evidence = await asyncio.gather(_database(), _object_store())
    checks = {"database": database or "ok", "object_store": evidence or "ok"}
    return database is None and evidence is None, checks


def _answer(ready: bool, body: dict[str, Any]) -> Response[dict[str, Any]]:
    if ready:
        return Response(body, status_code=200, headers={"Cache-Control": "no-store"})
    return Response(
        body,
        status_code=503,
        headers={"Retry-After": str(RETRY_AFTER_SECONDS), "Cache-Control": "no-store"},
    )


@get(
    "/health/live", summary="Le processus répond", opt={"exclude_from_auth": True}, tags=["système"]
)
async def live() -> dict[str, str]:
    return {"status": "ok"}


@get(
    "/health/ready",
    summary="Prêt à servir : base de données migrée et stockage des pièces joignables",
    opt={"exclude_from_auth": True},
    tags=["système"],
)
async def ready() -> Response[dict[str, Any]]:
    ok, checks = await readiness()
    return _answer(ok, {"status": "ok" if ok else "indisponible", "checks": checks})


@get("/health", summary="État du service", opt={"exclude_from_auth": True}, tags=["système"])
async def health() -> Response[dict[str, Any]]:
    from casefile import __version__
    from casefile.definitions import engine

    ok, checks = await readiness()
    return _answer(
        ok,
        {
            "status": "ok" if ok else "indisponible",
            "version": __version__,
            "procedures": len(engine().procedures),
            "checks": checks,
        },
    )
