"""Liveness and readiness: `GET /health` answers without authentication."""

from __future__ import annotations

from typing import Any

from litestar import get


@get("/health", summary="État du service", opt={"exclude_from_auth": True}, tags=["système"])
async def health() -> dict[str, Any]:
    from casefile import __version__
    from casefile.definitions import engine

    return {"status": "ok", "version": __version__, "procedures": len(engine().procedures)}
