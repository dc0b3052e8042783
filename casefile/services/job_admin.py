"""What the admin page shows of the background jobs: procrastinate's jobs (read through its
`JobManager`, the same on PostgreSQL and in memory) and our runs' records, which keep the error
text of a failure."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from procrastinate import App
from procrastinate.jobs import Job
from procrastinate.testing import InMemoryConnector

from casefile.documents.formatting import date_fr
from casefile.labels import moment_fr
from casefile.services import job_runs

TASK_LABELS = {
    "recompute_pending": "Recalcul nocturne des dossiers en cours",
    "verify_evidence": "Vérification hebdomadaire des pièces",
    "send_reminders": "Rappels par e-mail",
    "run_background_task": "Import ou dossier de pièces demandé",
    "purge_exports": "Effacement des résultats de tâches expirés",
    "run_dunning": "Relances des débiteurs (e-mails, courriers, appels)",
    "extract_text": "Lecture du texte d'une pièce (OCR si besoin)",
    "extract_pending_texts": "Lecture des textes de pièces en attente",
}
STATUS_LABELS = {
    "todo": "en attente",
    "doing": "en cours",
    "succeeded": "réussie",
    "failed": "échouée",
    "cancelled": "annulée",
    "aborting": "interruption demandée",
    "aborted": "interrompue",
    "running": "en cours",
    "done": "terminée",
}


def task_label(name: str) -> str:
    short = name.split(":", 1)[-1]
    return TASK_LABELS.get(short, short)


WEEK = re.compile(r"(\d{4})-W(\d{2})")


def period_label(key: str) -> str:
    """The period of a run key (`task:2026-11-30`, `task:2026-W48`) as a person reads it:
    "30 novembre 2026", "semaine 48 de 2026"; anything else as it is."""
    period = key.split(":", 1)[-1]
    week = WEEK.fullmatch(period)
    if week:
        return f"semaine {int(week.group(2))} de {week.group(1)}"
    try:
        return date_fr(date.fromisoformat(period))
    except ValueError:
        return period


@dataclass(frozen=True)
class JobLine:
    id: int
    task: str
    status: str
    failed: bool
    attempts: int
    scheduled_at: datetime | None
    period: str


@dataclass(frozen=True)
class Overview:
    jobs: list[JobLine]
    counts: dict[str, int]
    failures: list[dict[str, Any]]
    runs: list[dict[str, Any]]


def _period(job: Job) -> str:
    timestamp = job.task_kwargs.get("timestamp")
    if isinstance(timestamp, int):
        return moment_fr(datetime.fromtimestamp(timestamp, UTC))
    return ""


async def overview(jobs: Iterable[Job], limit: int = 200) -> Overview:
    listed = sorted(jobs, key=lambda job: job.id or 0, reverse=True)
    counts: dict[str, int] = {}
    for job in listed:
        label = STATUS_LABELS.get(job.status or "", job.status or "")
        counts[label] = counts.get(label, 0) + 1
    runs = await job_runs.recent(limit)
    return Overview(
        jobs=[
            JobLine(
                id=job.id or 0,
                task=task_label(job.task_name),
                status=STATUS_LABELS.get(job.status or "", job.status or ""),
                failed=job.status == "failed",
                attempts=job.attempts,
                scheduled_at=job.scheduled_at,
                period=_period(job),
            )
            for job in listed[:limit]
        ],
        counts=counts,
        failures=[run for run in runs if run["error"]],
        runs=runs,
    )


async def counts(engine: App) -> dict[tuple[str, str], int]:
    """The jobs by (task, state): one grouped query on PostgreSQL, the queue itself in memory
    (the metrics' `casefile_jobs`)."""
    connector = engine.connector
    if isinstance(connector, InMemoryConnector):
        tally: dict[tuple[str, str], int] = {}
        for job in connector.jobs.values():
            key = (str(job["task_name"]), str(job["status"]))
            tally[key] = tally.get(key, 0) + 1
        return tally
    rows = await connector.execute_query_all_async(
        "SELECT task_name, status::text AS status, count(*) AS n "
        "FROM procrastinate_jobs GROUP BY task_name, status"
    )
    return {(row["task_name"], row["status"]): int(row["n"]) for row in rows}
