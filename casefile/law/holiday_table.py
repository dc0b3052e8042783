"""The dates of France's holidays, computed once by the `holidays` package and shipped as data.

Importing `holidays.countries.france` runs `holidays/__init__`, which imports every country the
package knows (0.1–0.3 s, most of a command's start). `calendars/holidays.json` holds what the
package answers for each subdivision that `calendars/territories.toml` names, year by year, over
a range of years; the engine reads it and asks the package only for a year or a subdivision the
table lacks. The table holds dates and names only: which of them count for CPC art. 642 (and
their legal sources) stays in `territories.toml`.

The table is written by `make holiday-table` (`python -m casefile.law.holiday_table FILE`) and
`tests/law/test_holiday_table.py` compares every entry with the installed package, so the two
cannot drift apart: upgrade the package, regenerate, review the diff.

Format: `names` lists each holiday name once; `subdivisions[code][year - first_year]` is that
year's days in the package's order, "MMDD:i" for the date and the index of its name, separated by
spaces (a day with two names appears twice).
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

import msgspec

FIRST_YEAR, LAST_YEAR = 1990, 2100

Pairs = tuple[tuple[date, str], ...]


def package_year(subdivision: str, year: int) -> Pairs:
    """(day, name) for each holiday of `year`, straight from the `holidays` package, in its
    order (two names on one day give two pairs)."""
    from holidays.countries.france import France  # imports every country: only as a fallback

    calendar = France(subdiv=subdivision or None, years=[year], language="fr")  # type: ignore[no-untyped-call]
    return tuple((day, name) for day, names in calendar.items() for name in str(names).split("; "))


class HolidayTable:
    """The decoded file; each year's days decoded on first use."""

    def __init__(self, raw: bytes) -> None:
        self._raw: bytes | None = raw
        self.first_year = 0
        self.last_year = -1
        self._names: list[str] = []
        self._years: dict[str, list[str]] = {}
        self._decoded: dict[tuple[str, int], Pairs] = {}

    def _decode(self) -> None:
        raw, self._raw = self._raw, None
        if raw is None:
            return
        data: Mapping[str, Any] = msgspec.json.decode(raw)
        self.first_year = int(data["first_year"])
        self.last_year = int(data["last_year"])
        self._names = list(data["names"])
        self._years = {str(k): list(v) for k, v in data["subdivisions"].items()}

    def year(self, subdivision: str, year: int) -> Pairs | None:
        """The holidays of `year` for `subdivision` ("" for the national calendar), or None
        when the table does not hold them (ask the package)."""
        found = self._decoded.get((subdivision, year))
        if found is not None:
            return found
        if self._raw is not None:
            self._decode()
        years = self._years.get(subdivision)
        if years is None or not self.first_year <= year <= self.last_year:
            return None
        names = self._names
        pairs: list[tuple[date, str]] = []
        for token in years[year - self.first_year].split():
            md, _, index = token.partition(":")
            pairs.append((date(year, int(md[:2]), int(md[2:])), names[int(index)]))
        result = tuple(pairs)
        self._decoded[(subdivision, year)] = result
        return result

    @property
    def subdivisions(self) -> tuple[str, ...]:
        if self._raw is not None:
            self._decode()
        return tuple(self._years)


def build(subdivisions: Iterable[str], first: int = FIRST_YEAR, last: int = LAST_YEAR) -> bytes:
    """The table's file for `subdivisions` over [first, last], from the installed package."""
    from importlib.metadata import version

    names: dict[str, int] = {}
    table: dict[str, list[str]] = {}
    for subdivision in dict.fromkeys(subdivisions):
        years: list[str] = []
        for year in range(first, last + 1):
            tokens = []
            for day, name in package_year(subdivision, year):
                index = names.setdefault(name, len(names))
                tokens.append(f"{day.month:02d}{day.day:02d}:{index}")
            years.append(" ".join(tokens))
        table[subdivision] = years
    document = {
        "about": (
            "Dates computed by the `holidays` package (France, language fr), written by "
            "`make holiday-table` and checked against the package by "
            "tests/law/test_holiday_table.py. Which days count for CPC art. 642, and why, is "
            "decided by calendars/territories.toml."
        ),
        "package": f"holidays {version('holidays')}",
        "first_year": first,
        "last_year": last,
        "names": list(names),
        "subdivisions": table,
    }
    return msgspec.json.format(msgspec.json.encode(document), indent=1) + b"\n"


def main(argv: Sequence[str]) -> int:
    """`python -m casefile.law.holiday_table calendars/holidays.json` (subdivisions read from
    the territories file beside it)."""
    from pathlib import Path

    from casefile.law.schema import read_toml

    target = Path(argv[0])
    calendars = read_toml(target.with_name("territories.toml"))
    subdivisions = [entry["holidays_subdivision"] for entry in calendars["territories"]]
    target.write_bytes(build(subdivisions))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
