"""`forward_reading` (the forward reading of a backward period lengthened by a distance
extension) worked out, against the day-by-day search it replaced, on every hearing day."""

from datetime import date, timedelta

import pytest

from casefile.law.periods import Period, add_months, backward_due
from casefile.law.schedule import forward_reading


def walked(hearing: date, period: Period) -> date:
    """The search `forward_reading` used to run: from the backward reading, day by day, to
    the latest act day whose forward period has run by the eve of the hearing."""
    months, days = period.total_months, timedelta(days=period.days)
    one = timedelta(days=1)
    eve = hearing - one
    day = backward_due(hearing, period)
    while (add_months(day + one, months) if months else day + one) + days <= eve:
        day += one
    while (add_months(day, months) if months else day) + days > eve:
        day -= one
    return day


@pytest.mark.parametrize(
    "period",
    [
        Period(0, 1, 15, True),  # 15 days + 1 month (art. 643, overseas residence)
        Period(0, 2, 15, True),  # 15 days + 2 months (abroad)
        Period(0, 1, 8, True),
        Period(0, 2, 0, True),
        Period(0, 1, 30, True),
        Period(0, 13, 0, True),
        Period(0, 0, 15, True),
    ],
    ids=str,
)
def test_every_hearing_from_1990_to_2070_gives_the_searched_day(period: Period) -> None:
    day, last = date(1990, 1, 1), date(2070, 12, 31)
    one = timedelta(days=1)
    while day <= last:
        assert forward_reading(day, period) == walked(day, period), (day, period)
        day += one


def test_real_dates() -> None:
    # Hearing Tuesday 3 March 2026, 15 days + 1 month: counted forward from the act, months
    # first then days, the period must have run by Monday 2 March (the eve):
    # 15 January + 1 month = 15 February, + 15 days = 2 March.
    assert forward_reading(date(2026, 3, 3), Period(0, 1, 15, True)) == date(2026, 1, 15)
    # Eve Saturday 28 February 2026 less 15 days is Friday 13 February; a month earlier the
    # 13 January, the act's last day (13 Jan + 1 month = 13 Feb, + 15 days = 28 Feb).
    assert forward_reading(date(2026, 3, 1), Period(0, 1, 15, True)) == date(2026, 1, 13)
    # Target the last day of February (no 15 days): every January day up to the 31st lands
    # on 28 February at the latest.
    assert forward_reading(date(2026, 3, 1), Period(0, 1, 0, True)) == date(2026, 1, 31)
