"""The shipped holiday table (calendars/holidays.json) equals the `holidays` package, entry by
entry, and the engine reads it without importing the package's every country."""

from __future__ import annotations

import subprocess
import sys
from datetime import date, timedelta

import pytest

from casefile.definitions import calendars_file, data_dir
from casefile.law.holiday_table import HolidayTable, package_year
from casefile.law.schema import read_toml
from casefile.law.territories import HOLIDAY_TABLE, Territory, load_territories


@pytest.fixture(scope="module")
def table() -> HolidayTable:
    return HolidayTable((data_dir() / "calendars" / HOLIDAY_TABLE).read_bytes())


def test_the_table_holds_every_subdivision_the_territories_name(table: HolidayTable) -> None:
    named = {t["holidays_subdivision"] for t in read_toml(calendars_file())["territories"]}
    assert named == set(table.subdivisions)
    assert (table.first_year, table.last_year) == (1990, 2100)


def test_every_year_of_the_table_equals_the_package(table: HolidayTable) -> None:
    """Regenerate with `make holiday-table` when the package changes (then review the diff)."""
    for subdivision in table.subdivisions:
        for year in range(table.first_year, table.last_year + 1):
            assert table.year(subdivision, year) == package_year(subdivision, year), (
                subdivision,
                year,
            )


def test_outside_the_table_the_package_answers(table: HolidayTable) -> None:
    assert table.year("", 2101) is None
    assert table.year("", 1989) is None
    assert table.year("XX", 2026) is None
    territories = load_territories(calendars_file())
    metropole = territories.by_key["metropole"]
    after = date(2150, 7, 14)  # the package itself stops listing days after 2099
    assert metropole.holiday(after) == dict(package_year("", 2150)).get(after)
    assert metropole.holiday(date(1960, 11, 11)) == "Armistice"


def _without_table(territory: Territory) -> Territory:
    return Territory(
        territory.key,
        territory.label,
        territory.subdivision,
        territory.counted_names,
        territory.doubtful_names,
        territory.extra_days,
    )


def test_the_working_day_tables_equal_a_day_by_day_roll() -> None:
    """The per-year roll (one lookup) gives what stepping day by day over the package's
    dates gives, across year ends, for every territory."""
    for territory in load_territories(calendars_file()).by_key.values():
        reference = _without_table(territory)
        day = date(2025, 12, 1)
        while day < date(2027, 1, 10):
            assert territory.next_working_day(day) == reference._roll_slowly(day), (
                territory.key,
                day,
            )
            assert territory.doubtful_day(day) == reference.doubtful_day(day)
            day += timedelta(days=1)


def test_a_deadlines_command_does_not_import_every_country() -> None:
    code = (
        "import sys\n"
        "from casefile.cli import main\n"
        "main(['deadlines', '--procedure', 'injonction_de_payer', '--event',"
        " 'ordonnance_signifiee=2026-04-30:a_personne=true', '--format', 'json'])\n"
        "assert 'holidays' not in sys.modules, 'holidays imported'\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert '"due":"2026-06-01"' in result.stdout  # 30 May is a Saturday, 31 May a Sunday
