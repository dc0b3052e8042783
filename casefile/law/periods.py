"""Durations and the CPC art. 640–642 arithmetic, over plain dates.

- Art. 641 al. 1: a period in days does not count the starting day.
- Art. 641 al. 2: months and years end on the same day number, or the last day of the month.
- Art. 641 al. 3: months first, then days.
- Backward periods (délais à rebours, "au moins 15 jours avant l'audience") end on the
  hearing date − (N + 1) days (Cass. com. 14 March 2018, n° 16-26.996).

Always compute from the origin with the total period: chaining additions drifts
(31 January + 1 month + 1 month is 28 March, but 31 January + 2 months is 31 March).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from casefile.errors import InputError
from casefile.law.wording import quoted

_DAYS_IN_MONTH = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)

_PART = re.compile(r"(\d+)\s*(day|days|jour|jours|month|months|mois|year|years|an|ans)\b")
_WHOLE = re.compile(
    r"^\s*(-)?\s*(\d+\s*(?:days?|jours?|months?|mois|years?|ans?)\b"
    r"(?:\s*(?:\+|and|et|,)?\s*\d+\s*(?:days?|jours?|months?|mois|years?|ans?)\b)*)\s*$"
)
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def is_leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def days_in_month(year: int, month: int) -> int:
    if month == 2 and is_leap(year):
        return 29
    return _DAYS_IN_MONTH[month - 1]


def parse_date(text: object, what: str = "date") -> date:
    """Parse an ISO calendar date strictly (YYYY-MM-DD); name the input when it is wrong."""
    if isinstance(text, date):
        return text
    if not isinstance(text, str) or not _DATE.match(text):
        raise InputError(f"{what} : {quoted(text)} n'est pas une date au format AAAA-MM-JJ")
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InputError(
            f"{what} : {quoted(text)} : cette date n'existe pas dans le calendrier"
        ) from None


@dataclass(frozen=True, slots=True)
class Period:
    """A legal period: years, months and days, forward or backward (à rebours)."""

    years: int = 0
    months: int = 0
    days: int = 0
    backward: bool = False

    @classmethod
    def parse(cls, text: str) -> Period:
        """Read "15 days", "1 month", "6 months", "5 years", "1 month 15 days", "-15 days"."""
        if not isinstance(text, str):
            raise InputError(
                f"durée {quoted(text)} : attendu un texte tel que « 15 jours » ou « 1 mois »"
            )
        match = _WHOLE.match(text.lower())
        if not match:
            raise InputError(
                f"durée {quoted(text)} illisible : écrire par exemple « 15 jours », « 1 mois », "
                "« 2 ans », « 1 mois 15 jours », ou « -15 jours » pour un délai à rebours"
            )
        years = months = days = 0
        for amount_text, unit in _PART.findall(match.group(2)):
            amount = int(amount_text)
            if unit.startswith(("day", "jour")):
                days += amount
            elif unit.startswith(("month", "mois")):
                months += amount
            else:
                years += amount
        period = cls(years, months, days, backward=match.group(1) == "-")
        if period.is_zero() and not period.backward:
            # "-0 days" is a backward limit with no full day to leave: the eve of the hearing.
            raise InputError(f"durée {quoted(text)} nulle")
        return period

    def is_zero(self) -> bool:
        return self.years == 0 and self.months == 0 and self.days == 0

    @property
    def total_months(self) -> int:
        return self.years * 12 + self.months

    def with_extra_months(self, months: int) -> Period:
        """The period lengthened by a distance extension (art. 643/644): one single period."""
        if months == 0:
            return self
        return Period(self.years, self.months + months, self.days, self.backward)

    def __str__(self) -> str:
        parts = []
        for amount, singular, plural in (
            (self.years, "year", "years"),
            (self.months, "month", "months"),
            (self.days, "day", "days"),
        ):
            if amount:
                parts.append(f"{amount} {singular if amount == 1 else plural}")
        return ("-" if self.backward else "") + (" ".join(parts) or "0 days")


def add_months(start: date, months: int) -> date:
    """Art. 641 al. 2: same day number `months` later, else the last day of that month."""
    years, month0 = divmod(start.month - 1 + months, 12)
    year = start.year + years
    month = month0 + 1
    day = start.day
    if day > 28:  # every month has 28 days: only a later day may not exist
        last = days_in_month(year, month)
        if day > last:
            day = last
    return date(year, month, day)


def add_period(start: date, period: Period) -> date:
    """Forward expiry without the art. 642 roll: months (and years) first, then days."""
    end = add_months(start, period.total_months) if period.total_months else start
    return end + timedelta(days=period.days) if period.days else end


def backward_due(hearing: date, period: Period) -> date:
    """Last useful day for an act due "at least N days before" the hearing.

    The hearing day is excluded and N full days must remain: hearing − (N + 1) days. A period
    with months (a distance extension added to a comparution time) subtracts the months first.
    """
    end = add_months(hearing, -period.total_months) if period.total_months else hearing
    return end - timedelta(days=period.days + 1)


def same_date_years_later(start: date, years: int) -> date:
    """Code civil rule for limitation periods (C. civ. 2228–2229): the same calendar date N
    years later, never rolled. A 29 February start ends on 28 February (unconfirmed)."""
    return add_months(start, 12 * years)
