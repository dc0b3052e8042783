"""The anchor of bench/api.py: a bare Litestar app that answers the deadlines paths with the
bytes casefile sent (read from the file named by BENCH_BARE_BODIES), and /health."""

from __future__ import annotations

import json
import os
from pathlib import Path

from litestar import Litestar, MediaType, Response, get


def create_app() -> Litestar:
    bodies = {
        path: body.encode()
        for path, body in json.loads(Path(os.environ["BENCH_BARE_BODIES"]).read_text()).items()
    }

    @get("/api/cases/{case_id:str}/deadlines")
    async def deadlines(case_id: str) -> Response[bytes]:
        return Response(bodies[f"/api/cases/{case_id}/deadlines"], media_type=MediaType.JSON)

    @get("/health", media_type=MediaType.TEXT)
    async def health() -> str:
        return "ok"

    return Litestar([deadlines, health])
