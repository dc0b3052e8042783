"""The daily reminder-scenario job: a mail server that cuts the line fails the job after every
other action was created; the engine's retry sends the e-mails that had not gone, and nothing
twice."""

from __future__ import annotations

from datetime import UTC, date, datetime

from procrastinate import App

from casefile.store.tables import DunningAction, JobRun
from tests.jobs.conftest import engine_app  # noqa: F401 - the fixture
from tests.notify.conftest import Smtp
from tests.notify.test_dunning import amicable, debtor, mail_env  # noqa: F401
from tests.store.conftest import Store

MORNING = int(datetime(2027, 3, 6, 7, 0, tzinfo=UTC).timestamp())


def test_the_job_retries_after_a_cut_line_and_sends_each_reminder_once(
    store: Store,
    engine_app: App,  # noqa: F811
    mail_env: Smtp,  # noqa: F811
) -> None:
    async def build() -> None:
        await amicable("JOB-1", debtor())
        await amicable("JOB-2", debtor("Garage Schmitt SARL", email="compta@schmitt.example.fr"))

    store.run(build())
    mail_env.inbox.drop_after = 1  # the first e-mail goes, then the line is cut
    task = engine_app.tasks["run_dunning"]
    store.run(task.defer_async(timestamp=MORNING))
    store.run(
        engine_app.run_worker_async(wait=False, install_signal_handlers=False, listen_notify=False)
    )
    [job] = list(store.run(engine_app.job_manager.list_jobs_async(task="run_dunning")))
    assert (job.status, job.attempts) == ("succeeded", 2)
    assert mail_env.inbox.envelopes == [
        ["compta@winstub.example.fr"],
        ["compta@schmitt.example.fr"],
    ]
    run = store.run(
        JobRun.select().where(JobRun.key == "run_dunning:2027-03-06").first().output(load_json=True)
    )
    assert (run["status"], run["attempts"]) == ("done", 2)
    assert run["result"]["created"] == {"envoyee": 1}
    assert run["result"]["day"] == date(2027, 3, 6).isoformat()
    rows = store.run(DunningAction.select(DunningAction.status))
    assert [r["status"] for r in rows] == ["envoyee", "envoyee"]

    store.run(task.defer_async(timestamp=MORNING))  # deferred again: nothing more
    store.run(
        engine_app.run_worker_async(wait=False, install_signal_handlers=False, listen_notify=False)
    )
    assert len(mail_env.inbox.messages) == 2
