"""`casefile_jobs{task,status}` of /metrics: the jobs by task and state, read from
procrastinate's table on PostgreSQL and from the in-memory queue with SQLite; the job runs of
this process counted by outcome."""

from __future__ import annotations

from datetime import UTC, datetime

from procrastinate import App

from casefile import metrics
from casefile.services import job_admin
from tests.store.conftest import Store

NIGHT = int(datetime(2026, 11, 30, 1, 30, tzinfo=UTC).timestamp())


def runs(task: str, outcome: str) -> float:
    value = metrics.REGISTRY.get_sample_value(
        "casefile_job_runs_total", {"task": task, "outcome": outcome}
    )
    return value or 0.0


def test_job_counts_by_task_and_state(store: Store, engine_app: App) -> None:
    assert store.run(job_admin.counts(engine_app)) == {}
    task = engine_app.tasks["recompute_pending"]
    store.run(task.defer_async(timestamp=NIGHT))
    store.run(task.configure(queueing_lock="replay").defer_async(timestamp=NIGHT))  # replayed
    store.run(engine_app.tasks["verify_evidence"].defer_async(timestamp=NIGHT))
    assert store.run(job_admin.counts(engine_app)) == {
        ("recompute_pending", "todo"): 2,
        ("verify_evidence", "todo"): 1,
    }
    done, skipped = runs("recompute_pending", "done"), runs("recompute_pending", "skipped")
    store.run(
        engine_app.run_worker_async(
            wait=False, install_signal_handlers=False, listen_notify=False, delete_jobs="never"
        )
    )
    assert store.run(job_admin.counts(engine_app)) == {
        ("recompute_pending", "succeeded"): 2,
        ("verify_evidence", "succeeded"): 1,
    }
    # The replay changed nothing (job_runs): one run done, one skipped.
    assert runs("recompute_pending", "done") - done == 1
    assert runs("recompute_pending", "skipped") - skipped == 1

    metrics.JOBS.set(store.run(job_admin.counts(engine_app)))
    text = metrics.render().decode()
    assert 'casefile_jobs{status="succeeded",task="recompute_pending"} 2.0' in text
