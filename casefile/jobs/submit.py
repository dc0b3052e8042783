"""Handing a background task the user asked for (`services/background.py`) to the job engine:
its job deferred (PostgreSQL: a `casefile worker` runs it; SQLite: the in-process worker of
`casefile serve`), or, in a process that runs no job engine (`CASEFILE_JOBS=off`, the CLI), run
at once. Deferring again a task whose job waits already does nothing (queueing lock); a task
left `todo` by a lost in-memory queue (embedded mode, restarted) or `running` by a worker that
died is deferred anew when it is asked for again: jobs of one task run one at a time (`lock`)
and a done task is never redone, so a spare job only finds the work done."""

from __future__ import annotations

import contextlib

from procrastinate.exceptions import AlreadyEnqueued

from casefile.errors import CasefileError
from casefile.jobs import app as jobs
from casefile.services import background
from casefile.settings import get_settings
from casefile.store.permissions import User


async def submitted(task: background.TaskView, actor: User) -> background.TaskView:
    """`task` once handed over; its fresh state."""
    if task.status not in ("todo", "running"):
        return task
    if get_settings().jobs == "off":
        if task.status != "todo":
            return task
        with contextlib.suppress(CasefileError):  # recorded on the task: the user reads it there
            await background.run(task.id)
        return await background.get(task.id, actor)
    engine = jobs.current()
    with contextlib.suppress(AlreadyEnqueued):
        # lock: two jobs of one task (a replay) never run at the same time.
        key = f"task:{task.id}"
        await engine.configure_task(background.TASK, queueing_lock=key, lock=key).defer_async(
            task_id=task.id
        )
    return task
