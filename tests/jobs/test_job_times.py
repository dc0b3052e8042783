"""The page « Tâches de fond » gives its times in Paris time, as the audit journal does: the
instants are stored in UTC and the deploy's containers run in UTC, so a run started at 12:26
UTC read « 12:26 » beside an audit entry « 13 h 26 » for the same minute."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from procrastinate.jobs import Job

from casefile.labels import moment_fr, paris
from casefile.services.job_admin import _period


def test_an_instant_is_shown_in_paris_time() -> None:
    assert (
        moment_fr(datetime(2026, 11, 30, 12, 26, tzinfo=UTC)) == "30/11/2026 à 13\u00a0h\u00a026"
    )  # CET
    assert (
        moment_fr(datetime(2026, 7, 14, 23, 30, tzinfo=UTC)) == "15/07/2026 à 1\u00a0h\u00a030"
    )  # CEST
    assert (
        moment_fr(datetime(2026, 11, 30, 12, 26)) == "30/11/2026 à 13\u00a0h\u00a026"
    )  # naive = UTC
    assert moment_fr(None) == "—"


def test_a_periodic_job_names_its_period_in_paris_time() -> None:
    # The nightly recomputation of 30 November 2026 is deferred for 01:30 UTC = 02:30 in Paris.
    nightly = int(datetime(2026, 11, 30, 1, 30, tzinfo=UTC).timestamp())
    job = Job(
        id=1,
        queue="default",
        lock=None,
        queueing_lock=None,
        task_name="recompute_pending",
        task_kwargs={"timestamp": nightly},
    )
    assert _period(job) == "30/11/2026 à 2\u00a0h\u00a030"


def test_paris_converts_whatever_the_server_zone() -> None:
    assert paris(datetime(2026, 12, 31, 23, 30, tzinfo=UTC)) == datetime(
        2027, 1, 1, 0, 30, tzinfo=ZoneInfo("Europe/Paris")
    )
    assert paris(datetime(2026, 12, 31, 23, 30)).date().isoformat() == "2027-01-01"


def test_a_job_works_on_the_day_in_paris_of_its_scheduled_instant() -> None:
    from casefile.jobs.tasks import day_of

    # 23:30 UTC on 31 December is already New Year's Day in Paris (CET, UTC+1): the day's
    # jobs (reminders, dunning) must work on 1 January, not on the eve.
    assert str(day_of(int(datetime(2026, 12, 31, 23, 30, tzinfo=UTC).timestamp()))) == "2027-01-01"
    # 22:30 UTC on 14 July is 00:30 on 15 July in Paris (CEST, UTC+2).
    assert str(day_of(int(datetime(2026, 7, 14, 22, 30, tzinfo=UTC).timestamp()))) == "2026-07-15"
    assert str(day_of(int(datetime(2026, 11, 30, 1, 30, tzinfo=UTC).timestamp()))) == "2026-11-30"
