"""CPC art. 641: counting days, months and years, with real dates."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from casefile.errors import InputError
from casefile.law.periods import (
    Period,
    add_months,
    add_period,
    backward_due,
    days_in_month,
    parse_date,
    same_date_years_later,
)


def test_days_do_not_count_the_starting_day_art_641_al_1():
    """Served on 1 March, 15 days → 16 March."""
    assert add_period(date(2026, 3, 1), Period(days=15)) == date(2026, 3, 16)


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),  # no 31 February: last day
        (date(2024, 1, 31), 1, date(2024, 2, 29)),  # leap year
        (date(2026, 8, 31), 6, date(2027, 2, 28)),  # 31 August + 6 months → end of February
        (date(2027, 8, 29), 6, date(2028, 2, 29)),  # leap February keeps the 29th
        (date(2026, 3, 31), 1, date(2026, 4, 30)),
        (date(2026, 12, 15), 1, date(2027, 1, 15)),  # year change
        (date(2026, 1, 31), 2, date(2026, 3, 31)),  # total period, not chained additions
        (date(2026, 5, 20), -1, date(2026, 4, 20)),
    ],
)
def test_months_end_on_the_same_day_number_or_the_last_day_art_641_al_2(start, months, expected):
    assert add_months(start, months) == expected


def test_chained_additions_drift_but_the_engine_computes_from_the_origin():
    chained = add_months(add_months(date(2026, 1, 31), 1), 1)
    assert chained == date(2026, 3, 28)
    assert add_period(date(2026, 1, 31), Period(months=2)) == date(2026, 3, 31)


def test_months_then_days_art_641_al_3():
    """1 June + 2 months + 15 days: 1 August, then 16 August."""
    assert add_period(date(2026, 6, 1), Period(months=2, days=15)) == date(2026, 8, 16)
    assert add_period(date(2026, 1, 31), Period(months=1, days=1)) == date(2026, 3, 1)


def test_backward_periods_leave_n_full_days_before_the_hearing():
    """Cass. com. 14 March 2018: hearing Wednesday 31 July 2024, 8 days → Monday 22 July."""
    assert backward_due(date(2024, 7, 31), Period(days=8, backward=True)) == date(2024, 7, 22)
    assert backward_due(date(2026, 12, 3), Period(days=15, backward=True)) == date(2026, 11, 17)


def test_limitation_periods_end_on_the_same_calendar_date():
    assert same_date_years_later(date(2000, 4, 1), 10) == date(2010, 4, 1)
    assert same_date_years_later(date(2024, 2, 29), 5) == date(2029, 2, 28)
    assert same_date_years_later(date(2024, 2, 29), 4) == date(2028, 2, 29)


@pytest.mark.parametrize(
    ("text", "period"),
    [
        ("15 days", Period(days=15)),
        ("1 month", Period(months=1)),
        ("6 months", Period(months=6)),
        ("5 years", Period(years=5)),
        ("1 month 15 days", Period(months=1, days=15)),
        ("-15 days", Period(days=15, backward=True)),
        ("2 mois", Period(months=2)),
        ("8 jours", Period(days=8)),
    ],
)
def test_period_strings_parse(text, period):
    assert Period.parse(text) == period


@pytest.mark.parametrize(
    "text", ["", "fifteen days", "15", "1 fortnight", "0 days", "15 days later"]
)
def test_bad_period_strings_are_named_in_the_error(text):
    with pytest.raises(InputError, match=f"^durée « {text} » "):
        Period.parse(text)


@pytest.mark.parametrize(
    "text", ["2026-02-30", "2026-13-01", "20260213", "13/02/2026", "2026-2-3", ""]
)
def test_impossible_or_malformed_dates_are_refused(text):
    with pytest.raises(InputError) as refused:
        parse_date(text)
    assert str(refused.value) in (
        f"date : « {text} » n'est pas une date au format AAAA-MM-JJ",
        f"date : « {text} » : cette date n'existe pas dans le calendrier",
    )


def test_leap_years():
    assert days_in_month(2024, 2) == 29
    assert days_in_month(2100, 2) == 28
    assert days_in_month(2000, 2) == 29


DATES = st.dates(min_value=date(1960, 1, 1), max_value=date(2150, 12, 31))


@given(DATES, st.integers(min_value=1, max_value=120))
def test_property_months_keep_the_day_number_or_clip_to_the_month_end(start, months):
    end = add_months(start, months)
    assert (end.year * 12 + end.month) - (start.year * 12 + start.month) == months
    if start.day <= days_in_month(end.year, end.month):
        assert end.day == start.day
    else:
        assert end.day == days_in_month(end.year, end.month)


@given(DATES, st.integers(min_value=0, max_value=24), st.integers(min_value=0, max_value=60))
def test_property_forward_period_is_after_the_start(start, months, days):
    if months == 0 and days == 0:
        return
    assert add_period(start, Period(months=months, days=days)) > start


@given(DATES, st.integers(min_value=1, max_value=60))
def test_property_backward_due_is_n_plus_one_days_before(hearing, days):
    assert (hearing - backward_due(hearing, Period(days=days, backward=True))).days == days + 1
