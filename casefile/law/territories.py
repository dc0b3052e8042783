"""Which days are non-working where, the art. 643/644 distance extensions, and the courts a
territory names its own way.

The court's department decides the territory (DESIGN.md §3). The `holidays` package computes
the dates; `calendars/territories.toml` decides which of them count for CPC art. 642. Days the
package lists that the data does not count are *doubtful*: the engine never moves a deadline
later because of them, and reports them instead. A territory's `commercial_court` names the
court that hears commercial cases where there is no tribunal de commerce (Alsace-Moselle: the
chambre commerciale of the tribunal judiciaire); the procedure stays the tribunal de commerce's.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Annotated, Any, Literal

import msgspec

from casefile.errors import DefinitionError, InputError
from casefile.law.holiday_table import HolidayTable, package_year
from casefile.law.schema import Department, MonthDay, Slug, Spec, Text, Url, decode, read_toml
from casefile.law.wording import ISO_DATES, iso_date, quoted

_METROPOLITAN = re.compile(r"^(0[1-9]|1[0-9]|2[1-9]|2A|2B|[3-8][0-9]|9[0-5])$")
ABROAD = "etranger"


class NonWorkingDay(msgspec.Struct, frozen=True, gc=False):
    """Why a given day is not a working day (or may not be). A Struct: a year's roll table
    makes about 115 of them (its C `__init__` is a fifth of a frozen dataclass's)."""

    day: date
    reason: str
    doubtful: bool = False


COMMERCIAL_KIND = "tribunal_de_commerce"
"""The court kind a territory's `commercial_court` stands for (`casefile.law.parties.TC`)."""


@dataclass(frozen=True, slots=True)
class CommercialCourt:
    """Who hears commercial cases in a territory without a tribunal de commerce."""

    label: str
    basis: str
    source: str


@dataclass(slots=True)
class Territory:
    """A set of non-working days: weekends plus the counted holidays of one territory.

    Holiday dates are read year by year on first use (from the shipped table, else from the
    `holidays` package) and kept, with each day's art. 642 roll: a year's table maps every day
    to the first working day from it and the reasons of the days skipped, so that a "next
    working day" is one lookup (a deterministic memo; the values depend only on the data and
    the year).
    """

    key: str
    label: str
    subdivision: str
    counted_names: frozenset[str]
    doubtful_names: frozenset[str]
    extra_days: tuple[tuple[int, int, str], ...] = ()
    commercial_court: CommercialCourt | None = None
    table: HolidayTable | None = field(default=None, repr=False, compare=False)
    _counted: dict[date, str] = field(default_factory=dict, repr=False)
    _doubtful: dict[date, str] = field(default_factory=dict, repr=False)
    _years: set[int] = field(default_factory=set, repr=False)
    _rolls: dict[date, tuple[date, tuple[NonWorkingDay, ...]]] = field(
        default_factory=dict, repr=False
    )
    _rolled_years: set[int] = field(default_factory=set, repr=False)
    # Results that depend only on this territory's days and a date (the engine's art. 642
    # expiries by last day of the period): at most one entry a day.
    derived: dict[date, Any] = field(default_factory=dict, repr=False)
    # The note of a backward period whose last day is not worked, by that day (the engine's):
    # for a filing at the greffe, and for an act served by a commissaire de justice.
    filing_notes: dict[date, str] = field(default_factory=dict, repr=False, compare=False)
    service_notes: dict[date, str] = field(default_factory=dict, repr=False, compare=False)

    def _load_year(self, year: int) -> None:
        if year in self._years:
            return
        pairs = self.table.year(self.subdivision, year) if self.table is not None else None
        if pairs is None:
            pairs = package_year(self.subdivision, year)
        for day, name in pairs:
            if name in self.counted_names:
                self._counted[day] = name
            elif day not in self._counted:
                self._doubtful[day] = name
        for month, dom, name in self.extra_days:
            self._counted[date(year, month, dom)] = name
        for day in list(self._doubtful):
            if day in self._counted:
                del self._doubtful[day]
        self._years.add(year)

    def holiday(self, day: date) -> str | None:
        """The name of the counted holiday on `day`, if any."""
        if day.year not in self._years:
            self._load_year(day.year)
        return self._counted.get(day)

    def doubtful_day(self, day: date) -> str | None:
        """The name of a listed day whose status under art. 642 is not established."""
        if day.year not in self._years:
            self._load_year(day.year)
        return self._doubtful.get(day)

    def is_working_day(self, day: date) -> bool:
        return day.weekday() < 5 and self.holiday(day) is None

    def why_not_working(self, day: date) -> str | None:
        name = self.holiday(day)
        weekday = _WEEKDAYS[day.weekday()]
        if name:
            return f"{weekday} {iso_date(day)} ({name})"
        if day.weekday() >= 5:
            return f"{weekday} {iso_date(day)}"
        return None

    def next_working_day(self, day: date) -> tuple[date, tuple[NonWorkingDay, ...]]:
        """Art. 642 roll: the first working day from `day` on, and the days skipped.

        A doubtful day stops the roll: the earlier date is kept (the caller warns).
        """
        found = self._rolls.get(day)
        if found is None:
            if day.year >= date.max.year:
                return self._roll_slowly(day)
            self._roll_year(day.year)
            found = self._rolls[day]
        return found

    def _roll_year(self, year: int) -> None:
        """Fill the roll of every day of `year`, walking back from 31 December."""
        if year in self._rolled_years:
            return
        rolls = self._rolls
        last = date(year, 12, 31)
        after = last + _ONE_DAY
        following = rolls.get(after) or self._roll_slowly(after)
        self._load_year(year)
        counted = self._counted
        weekday = last.weekday()
        fromordinal = date.fromordinal
        # `why_not_working` of each day, inlined (the year's holidays loaded above).
        weekdays, iso_dates, non_working, no_day = _WEEKDAYS, ISO_DATES, NonWorkingDay, ()
        for ordinal in range(last.toordinal(), date(year, 1, 1).toordinal() - 1, -1):
            day = fromordinal(ordinal)
            name = counted.get(day)
            if not name and weekday < 5:
                following = (day, no_day)
            else:
                reason = f"{weekdays[weekday]} {iso_dates.get(day) or iso_date(day)}"
                if name:
                    reason += f" ({name})"
                following = (following[0], (non_working(day, reason), *following[1]))
            rolls[day] = following
            weekday = weekday - 1 if weekday else 6
        self._rolled_years.add(year)

    def _roll_slowly(self, day: date) -> tuple[date, tuple[NonWorkingDay, ...]]:
        skipped: list[NonWorkingDay] = []
        while True:
            reason = self.why_not_working(day)
            if reason is None:
                return day, tuple(skipped)
            skipped.append(NonWorkingDay(day, reason))
            day += _ONE_DAY

    def previous_working_day(self, day: date) -> date:
        while not self.is_working_day(day):
            day -= timedelta(days=1)
        return day

    def holidays_between(self, first: date, last: date) -> list[NonWorkingDay]:
        """Counted and doubtful holidays in [first, last], for display and tests."""
        out: list[NonWorkingDay] = []
        for year in range(first.year, last.year + 1):
            self._load_year(year)
        for day, name in sorted(self._counted.items()):
            if first <= day <= last:
                out.append(NonWorkingDay(day, name))
        for day, name in sorted(self._doubtful.items()):
            if first <= day <= last:
                out.append(NonWorkingDay(day, name, doubtful=True))
        return sorted(out, key=lambda d: d.day)


_ONE_DAY = timedelta(days=1)
_WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")


@dataclass(frozen=True, slots=True)
class DistanceRules:
    """Art. 643 (court in metropolitan France) and art. 644 (court overseas)."""

    overseas: frozenset[str]
    overseas_courts: frozenset[str]
    overseas_months: int
    abroad_months: int
    basis_metropole: str
    source_metropole: str
    basis_overseas: str
    source_overseas: str


@dataclass(frozen=True, slots=True)
class Extension:
    months: int
    basis: str
    source: str
    reason: str


@dataclass(frozen=True)
class Territories:
    """All territories, the department → territory map and the distance rules."""

    by_key: Mapping[str, Territory]
    by_department: Mapping[str, str]
    distance: DistanceRules
    default_key: str = "metropole"

    def normalise_department(self, code: object, what: str = "département") -> str:
        """Validate a department or collectivity code ("75", "2A", "974"…; 67 as a number too)."""
        if isinstance(code, int) and not isinstance(code, bool):
            code = str(code)
        if not isinstance(code, str):
            raise InputError(
                f"{what} : {quoted(code)} n'est pas un code de département tel que 75, 2A ou 974"
            )
        text = code.strip().upper()
        if text.isdigit() and len(text) == 1:
            text = "0" + text
        if _METROPOLITAN.match(text) or text in self.by_department:
            return text
        if text in self.distance.overseas:
            return text
        raise InputError(
            f"{what} : {quoted(code)} n'est pas le code d'un département ou d'une collectivité "
            "d'outre-mer français"
        )

    def for_court(self, department: object) -> Territory:
        """The territory whose days count for a court seated in `department`."""
        code = self.normalise_department(department, "département de la juridiction")
        if code in self.distance.overseas and code not in self.by_department:
            raise InputError(
                f"département de la juridiction : {quoted(code)} est une collectivité dotée de sa "
                "propre procédure civile, que casefile ne traite pas"
            )
        return self.by_key[self.by_department.get(code, self.default_key)]

    def court_label(self, kind: str | None, department: object) -> str | None:
        """The French name of a court of `kind` seated in `department` when its territory names
        it its own way (the tribunal de commerce in Alsace-Moselle: « tribunal judiciaire
        (chambre commerciale) »); None otherwise, or when the department is not one."""
        if kind != COMMERCIAL_KIND or department is None or department == "":
            return None
        try:
            territory = self.for_court(department)
        except InputError:
            return None
        return territory.commercial_court.label if territory.commercial_court else None

    def normalise_residence(self, residence: object) -> str:
        if isinstance(residence, str) and residence.strip().lower() in (ABROAD, "étranger"):
            return ABROAD
        return self.normalise_department(residence, "résidence du débiteur")

    def extension(self, court_department: str, residence: str) -> Extension | None:
        """The art. 643/644 extension for a party residing in `residence` (or None)."""
        rules = self.distance
        court = self.normalise_department(court_department, "département de la juridiction")
        where = self.normalise_residence(residence)
        if court in rules.overseas_courts:
            if where == ABROAD:
                return Extension(
                    rules.abroad_months,
                    rules.basis_overseas,
                    rules.source_overseas,
                    "résidence à l'étranger",
                )
            if where != court:
                return Extension(
                    rules.overseas_months,
                    rules.basis_overseas,
                    rules.source_overseas,
                    f"résidence hors du ressort ultramarin de la juridiction ({where})",
                )
            return None
        if where == ABROAD:
            return Extension(
                rules.abroad_months,
                rules.basis_metropole,
                rules.source_metropole,
                "résidence à l'étranger",
            )
        if where in rules.overseas:
            return Extension(
                rules.overseas_months,
                rules.basis_metropole,
                rules.source_metropole,
                f"résidence outre-mer ({where})",
            )
        return None


class MetaSpec(Spec, frozen=True):
    verified_on: date
    weekend: tuple[Literal["samedi", "dimanche"], ...]
    weekend_basis: Text
    weekend_source: Url


class NationalSpec(Spec, frozen=True):
    basis: Text
    source: Url
    counted: Annotated[tuple[Text, ...], msgspec.Meta(min_length=1)]


class ExtraDaySpec(Spec, frozen=True):
    day: MonthDay
    name: Text


class CommercialCourtSpec(Spec, frozen=True):
    label: Text
    basis: Text
    source: Url
    note: Text | None = None


class TerritorySpec(Spec, frozen=True):
    key: Slug
    label: Text
    holidays_subdivision: str  # "" for the package's national calendar
    departments: tuple[Department, ...]
    counted: tuple[Text, ...] = ()
    doubtful: tuple[Text, ...] = ()
    extra: tuple[ExtraDaySpec, ...] = ()
    basis: Text | None = None
    source: Url | None = None
    note: Text | None = None
    commercial_court: CommercialCourtSpec | None = None


class DistanceSpec(Spec, frozen=True):
    overseas: tuple[Department, ...]
    overseas_courts: tuple[Department, ...]
    overseas_months: Annotated[int, msgspec.Meta(ge=1)]
    abroad_months: Annotated[int, msgspec.Meta(ge=1)]
    basis_metropole: Text
    source_metropole: Url
    basis_overseas: Text
    source_overseas: Url


class CalendarSpec(Spec, frozen=True):
    meta: MetaSpec
    national: NationalSpec
    territories: Annotated[tuple[TerritorySpec, ...], msgspec.Meta(min_length=1)]
    distance: DistanceSpec


def parse_territories(
    data: Mapping[str, Any], origin: str, table: HolidayTable | None = None
) -> Territories:
    """Build the territories from the parsed calendars file; errors name the file and key.
    `table`: the shipped holiday dates (`casefile.law.holiday_table`), else the package."""
    spec = decode(data, CalendarSpec, origin)
    if set(spec.meta.weekend) != {"samedi", "dimanche"} or len(spec.meta.weekend) != 2:
        raise DefinitionError(
            origin, "meta.weekend", 'le moteur compte ["samedi", "dimanche"] (CPC art. 642)'
        )
    national_names = frozenset(spec.national.counted)
    by_key: dict[str, Territory] = {}
    by_department: dict[str, str] = {}
    for index, entry in enumerate(spec.territories):
        where = f"territories[{index}]"
        if entry.key in by_key:
            raise DefinitionError(
                origin, f"{where}.key", f"{quoted(entry.key)} est défini deux fois"
            )
        counted = frozenset(entry.counted)
        doubtful = frozenset(entry.doubtful)
        if (counted or doubtful or entry.extra) and not (entry.basis and entry.source):
            missing = "basis" if not entry.basis else "source"
            raise DefinitionError(
                origin,
                f"{where}.{missing}",
                f"les jours locaux demandent un `basis` et une `source` (dans {quoted(entry.key)})",
            )
        if counted & doubtful:
            raise DefinitionError(
                origin,
                f"{where}.doubtful",
                f"jours à la fois comptés et douteux : {sorted(counted & doubtful)}",
            )
        extra: list[tuple[int, int, str]] = []
        for position, item in enumerate(entry.extra):
            month, dom = (int(x) for x in item.day.split("-"))
            try:
                date(2000, month, dom)
            except ValueError:
                raise DefinitionError(
                    origin,
                    f"{where}.extra[{position}].day",
                    f"{quoted(item.day)} n'est pas un jour de l'année",
                ) from None
            extra.append((month, dom, item.name))
        by_key[entry.key] = Territory(
            key=entry.key,
            label=entry.label,
            subdivision=entry.holidays_subdivision,
            counted_names=national_names | counted,
            doubtful_names=doubtful,
            extra_days=tuple(extra),
            commercial_court=(
                CommercialCourt(
                    entry.commercial_court.label,
                    entry.commercial_court.basis,
                    entry.commercial_court.source,
                )
                if entry.commercial_court
                else None
            ),
            table=table,
        )
        for position, code in enumerate(entry.departments):
            if code in by_department:
                raise DefinitionError(
                    origin,
                    f"{where}.departments[{position}]",
                    f"{code} figure dans deux territoires",
                )
            by_department[code] = entry.key
    if "metropole" not in by_key:
        raise DefinitionError(origin, "territories", "le territoire 'metropole' est obligatoire")
    dist = spec.distance
    for position, code in enumerate(dist.overseas_courts):
        if code not in by_department:
            raise DefinitionError(
                origin, f"distance.overseas_courts[{position}]", f"{code} n'a pas de territoire"
            )
    distance = DistanceRules(
        overseas=frozenset(dist.overseas),
        overseas_courts=frozenset(dist.overseas_courts),
        overseas_months=dist.overseas_months,
        abroad_months=dist.abroad_months,
        basis_metropole=dist.basis_metropole,
        source_metropole=dist.source_metropole,
        basis_overseas=dist.basis_overseas,
        source_overseas=dist.source_overseas,
    )
    return Territories(by_key=by_key, by_department=by_department, distance=distance)


HOLIDAY_TABLE = "holidays.json"


def load_territories(path: Path) -> Territories:
    """The calendars file, with the holiday table beside it when there is one."""
    table_path = path.with_name(HOLIDAY_TABLE)
    table = HolidayTable(table_path.read_bytes()) if table_path.is_file() else None
    return parse_territories(read_toml(path), str(path), table)


def check_names_exist(territories: Territories, years: Iterable[int]) -> list[str]:
    """Counted names that the `holidays` package never produces: a rename would silently
    drop a holiday, so `casefile check` reports it."""
    from holidays.countries.france import France

    problems: list[str] = []
    for territory in territories.by_key.values():
        seen: set[str] = set()
        for year in years:
            cal = France(subdiv=territory.subdivision or None, years=[year], language="fr")  # type: ignore[no-untyped-call]
            for names in cal.values():
                seen.update(str(names).split("; "))
        for name in sorted(territory.counted_names | territory.doubtful_names):
            if name not in seen:
                problems.append(
                    f"{territory.key}: « {name} » is not a day the holidays package knows"
                )
    return problems
