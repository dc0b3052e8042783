"""The one place that reads the wall clock for a person's "today": the day in Europe/Paris,
whatever the server's time zone (the deploy's containers run in UTC, so `date.today()` there is
the previous day between midnight and 01:00/02:00 Paris time). Light to import (the CLI's
commands import it at start-up); the conversion itself is `labels.paris`."""

from __future__ import annotations

from datetime import UTC, date, datetime


def today(now: datetime | None = None) -> date:
    """Today in Paris (at `now`, an aware instant, when given)."""
    from casefile.labels import today_paris

    return today_paris(now or datetime.now(UTC))
