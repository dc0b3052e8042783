"""A person's day is the Paris day: between midnight and 01:00 (winter) or 02:00 (summer) Paris
time, the UTC date is still the previous day and must not be shown."""

from datetime import UTC, date, datetime

from casefile import clock
from casefile.labels import day_fr, paris_day

LATE_NOVEMBER_UTC = datetime(2026, 11, 30, 23, 30, tzinfo=UTC)  # 00:30 on 1 December in Paris


def test_a_stored_instant_is_shown_on_its_paris_day() -> None:
    assert paris_day(LATE_NOVEMBER_UTC) == date(2026, 12, 1)
    assert day_fr(LATE_NOVEMBER_UTC) == "1er décembre 2026"
    # the ISO text the store hands to the pages (documents' and feeds' `created_at`)
    assert day_fr(LATE_NOVEMBER_UTC.isoformat()) == "1er décembre 2026"
    assert day_fr("2026-11-30T23:30:00") == "1er décembre 2026"  # naive: taken as UTC
    # summer time: 22:30 UTC is already 00:30 the next day
    assert day_fr(datetime(2027, 6, 30, 22, 30, tzinfo=UTC)) == "1er juillet 2027"
    assert day_fr(datetime(2026, 11, 30, 22, 59, tzinfo=UTC)) == "30 novembre 2026"
    assert day_fr(None) == ""


def test_today_is_the_paris_day() -> None:
    assert clock.today(LATE_NOVEMBER_UTC) == date(2026, 12, 1)
    assert clock.today(datetime(2026, 12, 1, 22, 59, tzinfo=UTC)) == date(2026, 12, 1)


def test_the_pages_filter_shows_the_paris_day() -> None:
    from jinja2 import Environment

    from casefile.api.web.filters import register

    environment = Environment(autoescape=True)
    register(environment)
    page = environment.from_string("créé le {{ at | day_fr }}")
    assert page.render(at=LATE_NOVEMBER_UTC.isoformat()) == "créé le 1er décembre 2026"
