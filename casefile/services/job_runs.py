"""Idempotent background work: `once(task, period, work)` runs `work` unless a run of `task`
for that `period` already finished (its natural key, e.g. `recompute_pending:2026-11-30`).

procrastinate's queueing lock keeps a second copy of a job out of the queue while one waits;
this record keeps a job that runs twice anyway (deferred again by hand, replayed after a
crash, one defer per worker in the in-process mode) from changing anything twice. A failed
run keeps its error text for the admin page, and the next attempt (procrastinate's retry)
takes it up again.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from casefile import metrics
from casefile.store.db import atomic
from casefile.store.tables import JobRun


@dataclass(frozen=True)
class Outcome:
    key: str
    ran: bool  # False: already done for that period, nothing changed
    result: Mapping[str, Any]


def run_key(task: str, period: str) -> str:
    return f"{task}:{period}"


async def once(task: str, period: str, work: Callable[[], Awaitable[Mapping[str, Any]]]) -> Outcome:
    key = run_key(task, period)
    now = datetime.now(UTC)
    async with atomic():
        row = await JobRun.select().where(JobRun.key == key).first().output(load_json=True)
        if row is not None and row["status"] == "done":
            metrics.job_run(task, "skipped")
            return Outcome(key, False, row["result"] or {})
        if row is None:
            await JobRun.insert(
                JobRun(key=key, task=task, status="running", attempts=1, started_at=now)
            )
        else:
            await JobRun.update(
                {
                    JobRun.status: "running",
                    JobRun.attempts: JobRun.attempts + 1,
                    JobRun.started_at: now,
                    JobRun.error: "",
                }
            ).where(JobRun.key == key)
    try:
        result = dict(await work())
    except BaseException as error:
        await JobRun.update(
            {
                JobRun.status: "failed",
                JobRun.error: f"{type(error).__name__}: {error}"[:2000],
                JobRun.finished_at: datetime.now(UTC),
            }
        ).where(JobRun.key == key)
        metrics.job_run(task, "failed")
        raise
    await JobRun.update(
        {JobRun.status: "done", JobRun.result: result, JobRun.finished_at: datetime.now(UTC)}
    ).where(JobRun.key == key)
    metrics.job_run(task, "done")
    return Outcome(key, True, result)


async def recent(limit: int = 200) -> list[dict[str, Any]]:
    """The latest runs, newest first (for the admin page)."""
    return list(
        await JobRun.select()
        .order_by(JobRun.started_at, ascending=False)
        .limit(limit)
        .output(load_json=True)
    )
