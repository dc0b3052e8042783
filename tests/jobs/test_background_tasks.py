"""Bundles and imports asked for by a user run as procrastinate jobs (PostgreSQL, and the
in-memory engine with SQLite): deferred once however often they are asked for, done once
however often their job runs, their result kept in the exports store."""

from __future__ import annotations

import asyncio
import io
from typing import Any

import pytest
from procrastinate import App

from casefile import metrics
from casefile.evidence import records, service
from casefile.jobs.submit import submitted
from casefile.services import background
from casefile.services.cases import create_case
from casefile.settings import reset_settings
from casefile.store.imports import ImportOptions
from casefile.store.permissions import SYSTEM
from casefile.store.pieces import PiccoloPieceRecords
from casefile.store.tables import BackgroundTask, Claim
from tests.api.test_tasks import CSV
from tests.store.conftest import Store
from tests.store.helpers import new_case

PDF = b"%PDF-1.4\n% piece\n" + b"7" * 3000


@pytest.fixture
def jobs_on(monkeypatch: pytest.MonkeyPatch, engine_app: App) -> App:
    monkeypatch.setenv("CASEFILE_JOBS", "auto")
    reset_settings()
    return engine_app


def jobs(store: Store, app: App) -> list[Any]:
    return list(store.run(app.job_manager.list_jobs_async(task=background.TASK)))


def run_worker(store: Store, app: App) -> None:
    store.run(
        app.run_worker_async(
            wait=False, install_signal_handlers=False, listen_notify=False, delete_jobs="never"
        )
    )


def runs(outcome: str) -> float:
    value = metrics.REGISTRY.get_sample_value(
        "casefile_job_runs_total", {"task": background.TASK, "outcome": outcome}
    )
    return value or 0.0


async def case_with_piece() -> int:
    from casefile.evidence.backends import open_store

    case = await create_case(new_case(), SYSTEM)
    loop = asyncio.get_running_loop()
    await asyncio.to_thread(
        service.add_piece,
        open_store(),
        PiccoloPieceRecords(loop),
        case["id"],
        io.BytesIO(PDF),
        filename="facture.pdf",
        kind="facture",
        actor=records.Actor("system", "admin"),
    )
    return int(case["id"])


def test_a_bundle_asked_twice_is_one_job_and_a_replay_builds_nothing(
    store: Store, jobs_on: App
) -> None:
    case_id = store.run(case_with_piece())
    first = store.run(background.request_bundle(case_id, SYSTEM))
    assert first.status == "todo"
    assert store.run(submitted(first, SYSTEM)).status == "todo"
    again = store.run(submitted(store.run(background.request_bundle(case_id, SYSTEM)), SYSTEM))
    assert again.id == first.id
    [job] = jobs(store, jobs_on)
    assert job.task_kwargs == {"task_id": first.id} and job.status == "todo"

    # A replay of the job (deferred by hand under another queueing lock).
    store.run(
        jobs_on.configure_task(background.TASK, queueing_lock="replay").defer_async(
            task_id=first.id
        )
    )
    done, skipped = runs("done"), runs("skipped")
    run_worker(store, jobs_on)
    assert [j.status for j in jobs(store, jobs_on)] == ["succeeded", "succeeded"]
    assert (runs("done") - done, runs("skipped") - skipped) == (1, 1)
    task = store.run(background.get(first.id, SYSTEM))
    assert task.status == "done" and task.result["pieces"] == 1
    row = store.run(BackgroundTask.select().where(BackgroundTask.id == first.id).first())
    assert row["attempts"] == 1
    data = b"".join(background.exports_store().open_verified(row["output_sha256"]))
    assert data[:2] == b"PK" and len(data) == task.result["size"]
    # Asked for once more once done: the same task, no new job.
    later = store.run(submitted(store.run(background.request_bundle(case_id, SYSTEM)), SYSTEM))
    assert later.id == first.id and len(jobs(store, jobs_on)) == 2


def test_an_import_job_writes_the_claims_once(store: Store, jobs_on: App) -> None:
    options = ImportOptions(creditor="Brasserie de l'Ill SAS")
    task = store.run(background.request_import(io.BytesIO(CSV), "balance.csv", options, SYSTEM))
    store.run(submitted(task, SYSTEM))
    store.run(
        jobs_on.configure_task(background.TASK, queueing_lock="replay").defer_async(task_id=task.id)
    )
    run_worker(store, jobs_on)
    assert [j.status for j in jobs(store, jobs_on)] == ["succeeded", "succeeded"]
    done = store.run(background.get(task.id, SYSTEM))
    assert done.status == "done"
    assert (done.result["claims"], done.result["cases_created"]) == (3, 2)
    assert store.run(Claim.count()) == 3
    # The same file sent again: the same task, still three claims.
    same = store.run(background.request_import(io.BytesIO(CSV), "balance.csv", options, SYSTEM))
    assert same.id == task.id and same.status == "done"
    assert store.run(Claim.count()) == 3


def test_results_older_than_their_keeping_time_are_removed(store: Store, jobs_on: App) -> None:
    from datetime import UTC, datetime, timedelta

    from casefile.errors import NotFound

    case_id = store.run(case_with_piece())
    bundle = store.run(submitted(store.run(background.request_bundle(case_id, SYSTEM)), SYSTEM))
    options = ImportOptions(creditor="Brasserie de l'Ill SAS")
    imported = store.run(
        submitted(
            store.run(background.request_import(io.BytesIO(CSV), "b.csv", options, SYSTEM)),
            SYSTEM,
        )
    )
    run_worker(store, jobs_on)
    row = store.run(BackgroundTask.select().where(BackgroundTask.id == bundle.id).first())
    sha256 = row["output_sha256"]
    exports = background.exports_store()
    assert exports.exists(sha256)
    assert store.run(background.purge_expired()) == {"tasks": 0, "objects_removed": 0}

    # A week later: the bundle and the imported file are removed, the tasks stay listed.
    week = datetime.now(UTC) + timedelta(days=background.KEPT_DAYS, hours=1)
    assert store.run(background.purge_expired(week)) == {"tasks": 2, "objects_removed": 2}
    assert not exports.exists(sha256)
    params = store.run(
        BackgroundTask.select(BackgroundTask.params)
        .where(BackgroundTask.id == imported.id)
        .first()
        .output(load_json=True)
    )["params"]
    input_sha256 = params["sha256"]
    assert not exports.exists(input_sha256)
    view = store.run(background.get(bundle.id, SYSTEM))
    assert view.status == "done" and view.download is None
    with pytest.raises(NotFound, match="redemandez le dossier"):
        store.run(background.output(bundle.id, SYSTEM))


def test_a_task_left_running_by_a_dead_worker_is_taken_up_when_asked_again(
    store: Store, jobs_on: App
) -> None:
    case_id = store.run(case_with_piece())
    task = store.run(background.request_bundle(case_id, SYSTEM))
    # Its worker died mid-run: the row says running, no job is queued any more.
    store.run(
        BackgroundTask.update({BackgroundTask.status: "running"}).where(
            BackgroundTask.id == task.id
        )
    )
    assert jobs(store, jobs_on) == []
    again = store.run(submitted(store.run(background.request_bundle(case_id, SYSTEM)), SYSTEM))
    assert again.id == task.id
    [job] = jobs(store, jobs_on)
    assert job.task_kwargs == {"task_id": task.id}
    run_worker(store, jobs_on)
    assert store.run(background.get(task.id, SYSTEM)).status == "done"
