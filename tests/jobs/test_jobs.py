"""Background jobs (issue 15 item 1) on PostgreSQL and in memory (SQLite): one periodic job per
period however many workers defer it, transient failures retried with exponential backoff,
and a job run twice for the same period changing nothing twice."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from procrastinate import App
from procrastinate.periodic import PeriodicDeferrer

from casefile.jobs import tasks
from casefile.services.cases import create_case
from casefile.store.permissions import SYSTEM
from casefile.store.tables import AuditEntry, DeadlineRecord, Event, JobRun
from tests.store.conftest import Store
from tests.store.helpers import new_case

NIGHT = int(datetime(2026, 11, 30, 1, 30, tzinfo=UTC).timestamp())  # the nightly occurrence


def run_worker(store: Store, app: App) -> None:
    store.run(app.run_worker_async(wait=False, install_signal_handlers=False, listen_notify=False))


def jobs_of(store: Store, app: App, task: str) -> list[Any]:
    return list(store.run(app.job_manager.list_jobs_async(task=task)))


def test_two_workers_defer_the_nightly_recomputation_once(store: Store, engine_app: App) -> None:
    # Each worker's periodic deferrer, started after 01:30 UTC, defers the occurrence it missed.
    at = NIGHT + 120
    for _ in range(2):
        deferrer = PeriodicDeferrer(engine_app.periodic_registry, max_delay=24 * 3600)
        store.run(deferrer.defer_jobs(deferrer.get_previous_tasks(at=at)))
    nightly = jobs_of(store, engine_app, "recompute_pending")
    assert [job.task_kwargs["timestamp"] for job in nightly] == [NIGHT]
    # The weekly verification was due on Sunday 29 November at 03:00 UTC, less than a day
    # before: deferred once too, for that Sunday.
    weekly = jobs_of(store, engine_app, "verify_evidence")
    sunday = int(datetime(2026, 11, 29, 3, 0, tzinfo=UTC).timestamp())
    assert [job.task_kwargs["timestamp"] for job in weekly] == [sunday]

    # While last night's job still waits, the next night's is not queued beside it (the
    # queueing lock); once the worker has run it, the next night's is deferred, once.
    def next_night() -> None:
        for _ in range(2):
            deferrer = PeriodicDeferrer(engine_app.periodic_registry, max_delay=24 * 3600)
            store.run(deferrer.defer_jobs(deferrer.get_previous_tasks(at=at + 24 * 3600)))

    next_night()
    nightly = jobs_of(store, engine_app, "recompute_pending")
    assert [job.task_kwargs["timestamp"] for job in nightly] == [NIGHT]
    run_worker(store, engine_app)
    next_night()
    nightly = jobs_of(store, engine_app, "recompute_pending")
    assert [(j.task_kwargs["timestamp"], j.status) for j in nightly] == [
        (NIGHT, "succeeded"),
        (NIGHT + 24 * 3600, "todo"),
    ]


def test_the_nightly_job_recomputes_stale_cases_once_per_day(store: Store, engine_app: App) -> None:
    case = store.run(create_case(new_case(), SYSTEM, today=date(2026, 11, 2)))
    store.run(
        Event.insert(
            Event(
                case=case["id"],
                key="ordonnance_signifiee",
                date=date(2026, 11, 2),
                attributes={"a_personne": True},
                created_at=datetime.now(UTC),
            )
        )
    )
    # The event was written behind the store's back: the stored deadlines are stale.
    stored_before = store.run(DeadlineRecord.count().where(DeadlineRecord.case == case["id"]))
    task = engine_app.tasks["recompute_pending"]
    store.run(task.defer_async(timestamp=NIGHT))
    run_worker(store, engine_app)
    [job] = jobs_of(store, engine_app, "recompute_pending")
    assert job.status == "succeeded"
    opposition = store.run(
        DeadlineRecord.select(DeadlineRecord.due)
        .where((DeadlineRecord.case == case["id"]) & (DeadlineRecord.key == "opposition"))
        .first()
    )
    # CPC art. 1416: one month from the signification à personne (2 Nov.) → Wed. 2 Dec. 2026.
    assert opposition == {"due": date(2026, 12, 2)}
    assert store.run(DeadlineRecord.count().where(DeadlineRecord.case == case["id"])) > (
        stored_before
    )
    run = store.run(JobRun.select().where(JobRun.key == "recompute_pending:2026-11-30").first())
    assert run["status"] == "done" and run["attempts"] == 1
    audit_rows = store.run(AuditEntry.count())

    # The same night's job deferred and run again (by hand, or replayed): nothing changes.
    store.run(task.defer_async(timestamp=NIGHT))
    run_worker(store, engine_app)
    assert [j.status for j in jobs_of(store, engine_app, "recompute_pending")] == [
        "succeeded",
        "succeeded",
    ]
    assert store.run(AuditEntry.count()) == audit_rows
    again = store.run(JobRun.select().where(JobRun.key == "recompute_pending:2026-11-30").first())
    assert again["attempts"] == 1 and again["finished_at"] == run["finished_at"]


def test_a_transient_failure_is_retried_and_a_lasting_one_is_not(
    store: Store, engine_app: App
) -> None:
    calls: list[str] = []
    # A task of its own, on an app sharing the engine's connector (the same queue tables).
    own = App(connector=engine_app.connector)

    @own.task(name="flaky", retry=tasks.RETRY)
    async def flaky(kind: str) -> None:
        calls.append(kind)
        if kind == "smtp-down" and calls.count(kind) < 3:
            raise ConnectionRefusedError(111, "Connection refused")
        if kind == "bad-data":
            raise ValueError("une donnée du dossier est invalide")

    store.run(flaky.defer_async(kind="smtp-down"))
    store.run(flaky.defer_async(kind="bad-data"))
    run_worker(store, own)
    by_kind = {j.task_kwargs["kind"]: j for j in jobs_of(store, own, "flaky")}
    assert by_kind["smtp-down"].status == "succeeded"
    assert by_kind["smtp-down"].attempts == 3
    assert calls.count("smtp-down") == 3
    assert by_kind["bad-data"].status == "failed"
    assert calls.count("bad-data") == 1


def test_the_backoff_is_exponential(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CASEFILE_JOBS_RETRY_SECONDS", "60")
    waits = [tasks.backoff_seconds(attempts) for attempts in range(tasks.MAX_ATTEMPTS)]
    assert waits == [60, 120, 240, 480, 960, None]  # then it waits on the admin page


def test_the_nightly_job_shares_its_cases_among_workers_in_chunks(
    store: Store, engine_app: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On PostgreSQL the nightly job defers one `recompute_range` job per chunk of pending
    cases (any worker takes any of them); in memory (SQLite) it does every chunk itself. Either
    way each stale case is recomputed once, and the night replayed changes nothing."""
    from casefile.services import law_impact

    monkeypatch.setattr(law_impact, "CHUNK", 2)
    ids = []
    for n in range(5):
        case = store.run(create_case(new_case(f"NIGHT-{n}"), SYSTEM, today=date(2026, 11, 2)))
        ids.append(case["id"])
        store.run(
            Event.insert(
                Event(
                    case=case["id"],
                    key="ordonnance_signifiee",
                    date=date(2026, 11, 2 + n),
                    attributes={"a_personne": True},
                    created_at=datetime.now(UTC),
                )
            )
        )
    task = engine_app.tasks["recompute_pending"]
    store.run(task.defer_async(timestamp=NIGHT))
    run_worker(store, engine_app)
    ranges = jobs_of(store, engine_app, "recompute_range")
    if store.engine == "postgres":
        assert sorted((j.task_kwargs["first_id"], j.task_kwargs["last_id"]) for j in ranges) == [
            (ids[0], ids[1]),
            (ids[2], ids[3]),
            (ids[4], ids[4]),
        ]
        assert {j.status for j in ranges} == {"succeeded"}
        [parent] = jobs_of(store, engine_app, "recompute_pending")
        assert parent.status == "succeeded"
    else:
        assert ranges == []
    dues = store.run(
        DeadlineRecord.select(DeadlineRecord.case, DeadlineRecord.due).where(
            DeadlineRecord.case.is_in(ids) & (DeadlineRecord.key == "opposition")
        )
    )
    # CPC art. 1416: one month from each signification à personne (2 to 6 Nov. 2026); 6 Dec.
    # is a Sunday: Monday 7 Dec. (art. 642).
    assert sorted((row["case"], row["due"]) for row in dues) == [
        (ids[0], date(2026, 12, 2)),
        (ids[1], date(2026, 12, 3)),
        (ids[2], date(2026, 12, 4)),
        (ids[3], date(2026, 12, 7)),
        (ids[4], date(2026, 12, 7)),
    ]
    history = store.run(
        AuditEntry.count().where((AuditEntry.action == "law.apply") & (AuditEntry.entity == "case"))
    )
    assert history == 5

    # The same chunks run again (deferred by hand, or replayed): nothing is written twice.
    if store.engine == "postgres":
        for job in ranges:
            store.run(engine_app.tasks["recompute_range"].defer_async(**job.task_kwargs))
        run_worker(store, engine_app)
        assert store.run(AuditEntry.count()) >= history
        assert (
            store.run(
                AuditEntry.count().where(
                    (AuditEntry.action == "law.apply") & (AuditEntry.entity == "case")
                )
            )
            == 5
        )
