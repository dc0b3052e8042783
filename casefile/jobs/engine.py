"""The procrastinate `App` of this process, on which the tasks are declared (procrastinate binds
each task to one app); its connector is chosen from the database URL by `casefile.jobs.app`."""

from __future__ import annotations

import json
from typing import Any

from procrastinate import App, exceptions
from procrastinate.testing import InMemoryConnector
from procrastinate.types import JobToDefer, JSONDict

PERIODIC_MAX_DELAY_SECONDS = 24 * 3600
"""A worker started late (or a serve process restarted) still defers the latest missed
occurrence of each periodic task, once, up to a day after it was due."""


class EmbeddedConnector(InMemoryConnector):
    """procrastinate's in-memory connector, made to behave as its PostgreSQL schema does in two
    places: each job keeps a copy of its arguments (the periodic deferrer reuses one dict for
    every occurrence, which would otherwise rewrite the timestamp of the jobs already queued),
    and an occurrence refused by the queueing lock (the previous one still waiting) is not
    marked as deferred, so the next tick defers it (PostgreSQL rolls the marker back)."""

    async def defer_jobs_all(self, jobs: list[JobToDefer]) -> list[dict[str, Any]]:
        copied = [job._replace(args=json.loads(json.dumps(job.args))) for job in jobs]
        return await super().defer_jobs_all(copied)

    async def defer_periodic_job_one(
        self,
        queue: str,
        task_name: str,
        priority: int,
        args: JSONDict,
        defer_timestamp: int,
        lock: str | None,
        queueing_lock: str | None,
        periodic_id: str,
    ) -> dict[str, Any]:
        key = (task_name, periodic_id)
        before = self.periodic_defers.get(key)
        try:
            return await super().defer_periodic_job_one(
                queue=queue,
                task_name=task_name,
                priority=priority,
                args=args,
                defer_timestamp=defer_timestamp,
                lock=lock,
                queueing_lock=queueing_lock,
                periodic_id=periodic_id,
            )
        except exceptions.UniqueViolation:
            if before is None:
                self.periodic_defers.pop(key, None)
            else:
                self.periodic_defers[key] = before
            raise


app = App(
    connector=EmbeddedConnector(),
    import_paths=["casefile.jobs.tasks"],
    periodic_defaults={"max_delay": PERIODIC_MAX_DELAY_SECONDS},
)
