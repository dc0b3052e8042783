"""The daily reminder job: a server that drops the connection makes the job fail and the engine
retry it; the retry sends what had not gone, and nothing twice."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from procrastinate import App

from casefile.store.tables import JobRun, MailLog
from tests.jobs.conftest import engine_app  # noqa: F401 - the fixture
from tests.notify.conftest import Smtp
from tests.notify.test_reminders import TODAY, mail_env, portfolio, use_smtp  # noqa: F401
from tests.store.conftest import Store

MORNING = int(datetime(2026, 12, 1, 5, 0, tzinfo=UTC).timestamp())


def test_the_job_retries_after_a_dropped_connection_and_sends_each_reminder_once(
    store: Store,
    engine_app: App,  # noqa: F811
    smtp: Smtp,
    mail_env: None,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    portfolio(store)
    use_smtp(monkeypatch, smtp.url)
    smtp.inbox.drop_after = 1  # first attempt: the digest goes, then the line is cut
    task = engine_app.tasks["send_reminders"]
    store.run(task.defer_async(timestamp=MORNING))
    store.run(
        engine_app.run_worker_async(wait=False, install_signal_handlers=False, listen_notify=False)
    )
    [job] = list(store.run(engine_app.job_manager.list_jobs_async(task="send_reminders")))
    assert (job.status, job.attempts) == ("succeeded", 2)
    assert [m["Message-ID"].strip().split(".")[0] for m in smtp.inbox.messages] == [
        "<digest",
        "<alert",
    ]
    run = store.run(
        JobRun.select()
        .where(JobRun.key == "send_reminders:2026-12-01")
        .first()
        .output(load_json=True)
    )
    assert (run["status"], run["attempts"]) == ("done", 2)
    assert run["result"]["sent"] == 1 and run["result"]["already_sent"] == 1
    assert store.run(MailLog.count().where(MailLog.status == "sent")) == 2

    # Deferred again for the same morning (by hand, or by another worker): nothing more.
    store.run(task.defer_async(timestamp=MORNING))
    store.run(
        engine_app.run_worker_async(wait=False, install_signal_handlers=False, listen_notify=False)
    )
    assert len(smtp.inbox.messages) == 2
