"""Prometheus metrics (issue 15 item 4), in the text format of `prometheus_client`.

Each process counts what it does itself: a `casefile serve` replica its requests, the evidence
bytes it stores and serves, the deadlines it computes; a `casefile worker` its job runs and the
deadlines of the nightly recomputation (`casefile worker --metrics-port`). Prometheus scrapes
every replica and worker and sums them. The jobs by task and state (`casefile_jobs`) are read
from procrastinate's table at each scrape: one query, the same answer from every replica.

Cost on the request path: one `perf_counter` pair and one histogram observation (a few µs);
the children of the histogram are cached by (method, route template, status), so the route's
template, never the raw path, labels a request (bounded cardinality).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Mapping
from time import perf_counter
from typing import Any

from prometheus_client import REGISTRY, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.metrics import MetricWrapperBase
from prometheus_client.registry import Collector

log = logging.getLogger("casefile.metrics")

CONTENT_TYPE = "text/plain; version=0.0.4"
"""The format `generate_latest` writes (Litestar adds the charset)."""

REQUEST_SECONDS = Histogram(
    "casefile_http_request_duration_seconds",
    "Durée des requêtes HTTP, par méthode, modèle de route et statut",
    ["method", "route", "status"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0),
)
DEADLINES_COMPUTED = Counter(
    "casefile_deadlines_computed",
    "Délais calculés (chaque délai de chaque calcul d'un dossier)",
)
SCHEDULES_COMPUTED = Counter(
    "casefile_schedules_computed",
    "Calculs de l'échéancier d'un dossier",
)
EVIDENCE_STORED_BYTES = Counter(
    "casefile_evidence_stored_bytes",
    "Octets de pièces écrits dans le stockage (objets nouveaux ; un doublon n'écrit rien)",
)
EVIDENCE_STORED_OBJECTS = Counter(
    "casefile_evidence_stored_objects",
    "Objets de pièces écrits dans le stockage",
)
EVIDENCE_SERVED_BYTES = Counter(
    "casefile_evidence_served_bytes",
    "Octets de pièces servis, vérifiés (kind : piece, bundle, export)",
    ["kind"],
)
JOB_RUNS = Counter(
    "casefile_job_runs",
    "Exécutions de tâches de fond dans ce processus (outcome : done, failed, skipped)",
    ["task", "outcome"],
)


class JobsCollector(Collector):
    """`casefile_jobs{task,status}`: procrastinate's jobs by task and state, from the snapshot
    the scrape handler takes just before rendering (collectors must not do I/O: the database
    query is async)."""

    def __init__(self) -> None:
        self.counts: dict[tuple[str, str], int] = {}

    def set(self, counts: Mapping[tuple[str, str], int]) -> None:
        self.counts = dict(counts)

    def collect(self) -> Iterable[GaugeMetricFamily]:
        family = GaugeMetricFamily(
            "casefile_jobs",
            "Tâches de fond connues du moteur, par tâche et état (todo, doing, succeeded, failed…)",
            labels=["task", "status"],
        )
        for (task, status), count in sorted(self.counts.items()):
            family.add_metric([task, status], count)
        yield family


JOBS = JobsCollector()
REGISTRY.register(JOBS)


def render() -> bytes:
    return generate_latest(REGISTRY)


def deadlines_computed(count: int) -> None:
    SCHEDULES_COMPUTED.inc()
    if count:
        DEADLINES_COMPUTED.inc(count)


def deadlines_computed_many(schedules: int, deadlines: int) -> None:
    """`deadlines_computed` for a whole chunk at once (the nightly recomputation)."""
    if schedules:
        SCHEDULES_COMPUTED.inc(schedules)
    if deadlines:
        DEADLINES_COMPUTED.inc(deadlines)


def evidence_stored(size: int, created: bool) -> None:
    if created:
        EVIDENCE_STORED_OBJECTS.inc()
        EVIDENCE_STORED_BYTES.inc(size)


def counting(chunks: Iterator[bytes], kind: str) -> Iterator[bytes]:
    """`chunks` passed through, their bytes added to the served counter as they leave."""
    served = EVIDENCE_SERVED_BYTES.labels(kind)
    for chunk in chunks:
        served.inc(len(chunk))
        yield chunk


def served(size: int, kind: str) -> None:
    EVIDENCE_SERVED_BYTES.labels(kind).inc(size)


def job_run(task: str, outcome: str) -> None:
    JOB_RUNS.labels(task, outcome).inc()


def request_metrics(app: Any) -> Any:
    """ASGI middleware: the latency of every HTTP request, labelled by its route template
    (Litestar sets `path_template` in the scope before the route's middleware run)."""
    children: dict[tuple[str, str, int], MetricWrapperBase] = {}

    async def middleware(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        start = perf_counter()
        status = 0

        async def sending(message: Any) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await app(scope, receive, sending)
        except BaseException as error:
            # Answered by the app-level exception handler, outside this middleware.
            if not status:
                code = getattr(error, "status_code", None) or getattr(error, "http_status", 500)
                status = code if isinstance(code, int) else 500
            raise
        finally:
            key = (scope["method"], scope.get("path_template") or "", status or 500)
            child = children.get(key)
            if child is None:
                child = REQUEST_SECONDS.labels(key[0], key[1] or "(aucune)", str(key[2]))
                children[key] = child
            child.observe(perf_counter() - start)  # type: ignore[attr-defined]

    return middleware
