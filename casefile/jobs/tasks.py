"""The tasks (thin: each calls a service, under its natural key so that a run repeated for the
same period changes nothing twice) and their schedule.

Times are UTC (procrastinate's cron): the nightly recomputation at 01:30 (02:30 or 03:30 in
Paris), the e-mail reminders at 05:00 (06:00 or 07:00 in Paris, after the recomputation), the
reminder scenarios' actions for the debtors at 07:00 (08:00 or 09:00 in Paris: the e-mails
leave in office hours, the letters and calls are in the lists when the day starts), the weekly
evidence verification on Sunday at 03:00.
"""

from __future__ import annotations

import contextlib
import os
from datetime import UTC, date, datetime
from typing import Any

from procrastinate import RetryDecision, exceptions
from procrastinate.jobs import Job
from procrastinate.retry import BaseRetryStrategy
from procrastinate.testing import InMemoryConnector

from casefile import clock
from casefile.errors import CasefileError, Unavailable
from casefile.jobs.engine import app
from casefile.services import (
    background,
    dunning,
    evidence_checks,
    job_runs,
    nightly,
    piece_text,
    reminders,
)
from casefile.settings import get_settings
from casefile.store.db import unavailable

MAX_ATTEMPTS = 6


class TransientRetry(BaseRetryStrategy):
    """Retry what may succeed later (a database, an object store or a mail server that does not
    answer), with exponential backoff: base × 2^attempt seconds (1, 2, 4, 8, 16 min with the
    default base of 60 s; `CASEFILE_JOBS_RETRY_SECONDS` sets the base). A failure that would
    fail again (bad data, integrity problems) is not retried: it waits on the admin page."""

    def get_retry_decision(self, *, exception: BaseException, job: Job) -> RetryDecision | None:
        wait = backoff_seconds(job.attempts)
        if wait is None or not transient(exception):
            return None
        return RetryDecision(retry_in={"seconds": wait})


def backoff_seconds(attempts: int) -> int | None:
    """The wait before the next attempt after `attempts` failed ones; None: give up."""
    if attempts + 1 >= MAX_ATTEMPTS:
        return None
    base = float(os.environ.get("CASEFILE_JOBS_RETRY_SECONDS", "60"))
    return int(base * 2**attempts)


def transient(error: BaseException) -> bool:
    if isinstance(error, Unavailable) or unavailable(error) is not None:
        return True
    return isinstance(error, (OSError, TimeoutError)) and not isinstance(error, CasefileError)


RETRY = TransientRetry()


def day_of(timestamp: int) -> date:
    """The day in Paris of a job's scheduled instant (the crons fire in UTC: 01:30 UTC is
    already the same day in Paris; a late run keeps the day it was scheduled for)."""
    return clock.today(datetime.fromtimestamp(timestamp, UTC))


class IntegrityProblems(CasefileError):
    """The weekly verification found missing or altered objects (not retried)."""


@app.periodic(cron="30 1 * * *", periodic_id="nightly")
@app.task(name="recompute_pending", retry=RETRY, queueing_lock="recompute_pending")
async def recompute_pending(timestamp: int) -> dict[str, Any]:
    """The night's recomputation: in this process with the in-memory queue (embedded mode, a
    queue lost on restart must not hold the night's work); otherwise one `recompute_range` job
    per chunk of pending cases, for every worker to take its share."""
    day = day_of(timestamp)
    if isinstance(app.connector, InMemoryConnector):
        outcome = await job_runs.once(
            "recompute_pending", day.isoformat(), lambda: nightly.recompute_pending(day)
        )
        return dict(outcome.result)

    async def fan_out() -> dict[str, Any]:
        await nightly.collect_garbage()
        ranges = await nightly.chunk_ranges()
        for first_id, last_id in ranges:
            with contextlib.suppress(exceptions.AlreadyEnqueued):  # deferred by a previous try
                await recompute_range.configure(
                    queueing_lock=f"recompute_range:{day.isoformat()}:{first_id}-{last_id}"
                ).defer_async(day=day.isoformat(), first_id=first_id, last_id=last_id)
        return {"day": day.isoformat(), "chunks": len(ranges)}

    outcome = await job_runs.once("recompute_pending", day.isoformat(), fan_out)
    return dict(outcome.result)


@app.task(name="recompute_range", retry=RETRY)
async def recompute_range(day: str, first_id: int, last_id: int) -> dict[str, Any]:
    """One chunk of the night's recomputation (idempotent: recorded under its day and range,
    and only cases whose deadlines differ are written)."""
    outcome = await job_runs.once(
        "recompute_range",
        f"{day}:{first_id}-{last_id}",
        lambda: nightly.recompute_range(date.fromisoformat(day), first_id, last_id),
    )
    return dict(outcome.result)


@app.periodic(cron="0 3 * * 0", periodic_id="weekly")
@app.task(name="verify_evidence", retry=RETRY, queueing_lock="verify_evidence")
async def verify_evidence(timestamp: int) -> dict[str, Any]:
    year, week, _ = day_of(timestamp).isocalendar()

    async def work() -> dict[str, Any]:
        report = await evidence_checks.verify_all()
        if not report.ok:
            raise IntegrityProblems(
                f"vérification des pièces : {len(report.missing)} absente(s), "
                f"{len(report.mismatched)} altérée(s) — lancez `casefile evidence verify`"
            )
        return evidence_checks.summary(report)

    outcome = await job_runs.once("verify_evidence", f"{year}-W{week:02d}", work)
    return dict(outcome.result)


@app.periodic(cron="0 5 * * *", periodic_id="daily")
@app.task(name="send_reminders", retry=RETRY, queueing_lock="send_reminders")
async def send_reminders(timestamp: int) -> dict[str, Any]:
    """The day's digests and alerts; each message is keyed in the mail log, so a retry after a
    refused or dropped connection sends only what had not gone."""
    day = day_of(timestamp)
    if not get_settings().smtp_url:  # nothing recorded: configured later today, it still runs
        return {"day": day.isoformat(), "skipped": "CASEFILE_SMTP_URL absent"}
    outcome = await job_runs.once(
        "send_reminders", day.isoformat(), lambda: reminders.send_due(day)
    )
    return dict(outcome.result)


@app.task(name=background.TASK, retry=RETRY)
async def run_background_task(task_id: int) -> dict[str, Any]:
    """A bundle or an import a user asked for (`services/background.py`): done once, however
    many times its job runs."""
    return await background.run(task_id)


@app.periodic(cron="0 7 * * *", periodic_id="dunning")
@app.task(name="run_dunning", retry=RETRY, queueing_lock="run_dunning")
async def run_dunning(timestamp: int) -> dict[str, Any]:
    """The day's reminder actions (e-mails to debtors, letters to send, calls to make); each
    action is unique, so a retry after the mail server failed creates only what is missing."""
    day = day_of(timestamp)
    outcome = await job_runs.once("run_dunning", day.isoformat(), lambda: dunning.run_due(day))
    return dict(outcome.result)


@app.task(name="extract_text", retry=RETRY)
async def extract_text(version_id: int) -> dict[str, Any]:
    """The text of one uploaded pièce version (idempotent: a version already read is skipped).
    A file that cannot be read is recorded as such, never raised: only an unavailable database
    or object store makes the job fail, and then it is retried."""
    return await piece_text.extract_version(version_id)


@app.periodic(cron="*/10 * * * *", periodic_id="text_sweep")
@app.task(name="extract_pending_texts", retry=RETRY, queueing_lock="extract_pending_texts")
async def extract_pending_texts(timestamp: int) -> dict[str, Any]:
    """Versions whose job was lost (the in-memory queue of a restarted `serve`), or scans to
    read again now that Tesseract is installed."""
    return await piece_text.extract_pending()


@app.periodic(cron="30 4 * * *", periodic_id="purge_exports")
@app.task(name="purge_exports", retry=RETRY, queueing_lock="purge_exports")
async def purge_exports(timestamp: int) -> dict[str, Any]:
    """The results of background tasks older than their keeping time (bundles, imported files)."""
    day = day_of(timestamp)
    outcome = await job_runs.once(
        "purge_exports", day.isoformat(), lambda: background.purge_expired()
    )
    return dict(outcome.result)
