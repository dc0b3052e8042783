"""`GET /metrics`: the Prometheus text format of this process (`casefile/metrics.py`).

Who may read it: with `CASEFILE_METRICS_TOKEN` set, a scraper that sends
`Authorization: Bearer <token>` (from any address); without it, loopback clients only (a
scraper on the same host, or through a sidecar). The reverse proxy of `deploy/` answers 404 for
`/metrics` from outside whatever the setting: Prometheus scrapes each replica directly.
"""

from __future__ import annotations

import hmac
import logging
from typing import Any

from litestar import Request, Response, get

from casefile import metrics
from casefile.errors import Forbidden
from casefile.settings import get_settings

log = logging.getLogger("casefile.api")

LOOPBACK = frozenset({"127.0.0.1", "::1", "localhost"})


def _allowed(request: Request[Any, Any, Any]) -> None:
    token = get_settings().metrics_token
    if token:
        sent = request.headers.get("authorization", "")
        scheme, _, value = sent.partition(" ")
        if scheme.lower() == "bearer" and hmac.compare_digest(value.strip(), token):
            return
        raise Forbidden("métriques : jeton CASEFILE_METRICS_TOKEN requis (Authorization: Bearer)")
    host = request.client.host if request.client else ""
    if host not in LOOPBACK:
        raise Forbidden(
            "métriques réservées aux clients locaux : définissez CASEFILE_METRICS_TOKEN "
            "pour les lire depuis une autre adresse"
        )


async def _refresh_jobs() -> None:
    from casefile.jobs import app as jobs
    from casefile.services import job_admin

    if get_settings().jobs == "off":
        return
    try:
        metrics.JOBS.set(await job_admin.counts(jobs.current()))
    except Exception as error:  # a scrape never fails for the jobs' sake: the last figures stay
        log.warning("metrics: jobs: %s", error)


@get(
    "/metrics",
    summary="Métriques Prometheus",
    opt={"exclude_from_auth": True},
    include_in_schema=False,
)
async def metrics_page(request: Request[Any, Any, Any]) -> Response[bytes]:
    _allowed(request)
    await _refresh_jobs()
    return Response(
        metrics.render(),
        media_type=metrics.CONTENT_TYPE,
        headers={"Cache-Control": "no-store"},
    )
