"""Which days count where (CPC art. 642), and the art. 643/644 distance extensions."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from casefile.errors import InputError
from casefile.law.periods import Period, add_period
from casefile.law.schedule import expiry


@pytest.fixture(scope="module")
def territories(engine):
    return engine.territories


@pytest.mark.parametrize(
    ("department", "territory"),
    [
        ("75", "metropole"),
        ("69", "metropole"),
        ("2A", "metropole"),
        ("2b", "metropole"),
        ("1", "metropole"),
        ("67", "alsace-moselle"),
        ("68", "alsace-moselle"),
        ("57", "alsace-moselle"),
        ("971", "guadeloupe"),
        ("972", "martinique"),
        ("973", "guyane"),
        ("974", "la-reunion"),
        ("976", "mayotte"),
        ("978", "saint-martin"),
    ],
)
def test_the_court_department_decides_the_territory(territories, department, territory):
    assert territories.for_court(department).key == territory


@pytest.mark.parametrize("department", ["20", "96", "00", "999", "ZZ", "", "750"])
def test_unknown_departments_are_refused_by_name(territories, department):
    with pytest.raises(InputError, match=r"^département de la juridiction : "):
        territories.for_court(department)


def test_numeric_department_codes_are_read_as_codes(territories):
    assert territories.for_court(67).key == "alsace-moselle"
    assert territories.for_court(1).key == "metropole"  # "01", Ain
    assert territories.extension(75, 972).months == 1


def test_new_caledonia_courts_are_refused_clearly(territories):
    with pytest.raises(InputError) as refused:
        territories.for_court("988")
    assert str(refused.value) == (
        "département de la juridiction : « 988 » est une collectivité dotée de sa propre "
        "procédure civile, que casefile ne traite pas"
    )


@pytest.mark.parametrize(
    ("territory", "day", "holiday"),
    [
        ("metropole", date(2026, 5, 25), "Lundi de Pentecôte"),
        ("metropole", date(2026, 11, 11), "Armistice"),
        ("metropole", date(2027, 5, 6), "Ascension"),
        ("alsace-moselle", date(2027, 3, 26), "Vendredi saint"),
        ("alsace-moselle", date(2026, 12, 26), "Saint-Étienne"),
        ("guadeloupe", date(2026, 5, 27), "Abolition de l'esclavage"),
        ("martinique", date(2026, 5, 22), "Abolition de l'esclavage"),
        ("guyane", date(2026, 6, 10), "Abolition de l'esclavage"),
        ("la-reunion", date(2026, 12, 20), "Abolition de l'esclavage"),
        ("mayotte", date(2026, 4, 27), "Abolition de l'esclavage"),
        ("saint-barthelemy", date(2026, 10, 9), "Abolition de l'esclavage"),
    ],
)
def test_counted_holidays(territories, territory, day, holiday):
    assert territories.by_key[territory].holiday(day) == holiday


@pytest.mark.parametrize(
    ("territory", "day"),
    [
        ("metropole", date(2027, 3, 26)),  # Good Friday is not a holiday outside Alsace-Moselle
        ("metropole", date(2026, 12, 26)),
        ("metropole", date(2026, 5, 27)),
        ("la-reunion", date(2026, 5, 27)),
    ],
)
def test_days_that_do_not_count_there(territories, territory, day):
    assert territories.by_key[territory].holiday(day) is None


def test_guadeloupe_customary_days_are_doubtful_not_counted(territories):
    guadeloupe = territories.by_key["guadeloupe"]
    assert guadeloupe.holiday(date(2026, 4, 3)) is None  # Good Friday
    assert guadeloupe.doubtful_day(date(2026, 4, 3)) == "Vendredi saint"
    assert guadeloupe.doubtful_day(date(2026, 7, 21)) == "Fête de Victor Schoelcher"
    assert guadeloupe.doubtful_day(date(2026, 3, 12)) == "Mi-Carême"


def test_saint_martin_counts_27_may_and_doubts_28_may(territories):
    saint_martin = territories.by_key["saint-martin"]
    assert saint_martin.holiday(date(2026, 5, 27)) is not None
    assert saint_martin.holiday(date(2026, 5, 28)) is None
    assert saint_martin.doubtful_day(date(2026, 5, 28)) == "Abolition de l'esclavage"


def test_a_deadline_on_a_doubtful_day_keeps_the_earlier_date_and_warns(territories):
    """Guadeloupe, 3 March 2026 + 1 month = Friday 3 April 2026 (Good Friday, customary)."""
    result = expiry("cpc", Period(months=1), date(2026, 3, 3), territories.by_key["guadeloupe"])
    assert result.due == date(2026, 4, 3)
    assert result.warnings and "2026-04-07" in result.warnings[0]  # Easter Monday 6 → Tue 7


def test_roll_over_sunday_then_whit_monday():
    """Cass. 3e civ. 21 Jan 2021: Sunday 20 May 2018 → Whit Monday → Tuesday 22 May 2018."""
    from casefile.definitions import engine

    result = expiry(
        "cpc", Period(days=10), date(2018, 5, 10), engine().territories.by_key["metropole"]
    )
    assert result.unadjusted == date(2018, 5, 20)
    assert result.due == date(2018, 5, 22)
    assert "Lundi de Pentecôte" in (result.moved_because or "")


def test_service_public_example_26_december_only_in_alsace_moselle(territories):
    """F31111: 10 days from 15 Dec 2014 → Thu 25 Dec → Fri 26 Dec, or Mon 29 in Alsace-Moselle."""
    start = date(2014, 12, 15)
    assert expiry("cpc", Period(days=10), start, territories.by_key["metropole"]).due == date(
        2014, 12, 26
    )
    assert expiry("cpc", Period(days=10), start, territories.by_key["alsace-moselle"]).due == date(
        2014, 12, 29
    )


def test_backward_deadline_on_a_sunday_is_not_moved_but_warns(territories):
    """Hearing Tuesday 17 November 2026, 15 days → Sunday 1 November 2026 (also Toussaint)."""
    result = expiry(
        "backward",
        Period(days=15, backward=True),
        date(2026, 11, 17),
        territories.by_key["metropole"],
    )
    assert result.due == date(2026, 11, 1)
    assert "2026-10-30" in result.warnings[0]  # Friday 30 October, the previous working day


def test_limitation_period_is_never_rolled(territories):
    result = expiry("civil", Period(years=5), date(2011, 4, 23), territories.by_key["metropole"])
    assert result.due == date(2016, 4, 23)  # a Saturday
    assert result.moved_because is None


@pytest.mark.parametrize(
    ("court", "residence", "months", "basis"),
    [
        ("75", "75", 0, None),
        ("75", "13", 0, None),
        ("75", "971", 1, "CPC art. 643"),
        ("67", "988", 1, "CPC art. 643"),
        ("75", "etranger", 2, "CPC art. 643"),
        ("974", "974", 0, None),
        ("974", "75", 1, "CPC art. 644"),
        ("971", "972", 1, "CPC art. 644"),
        ("971", "etranger", 2, "CPC art. 644"),
    ],
)
def test_distance_extensions_art_643_644(territories, court, residence, months, basis):
    extension = territories.extension(court, residence)
    if months == 0:
        assert extension is None
    else:
        assert extension is not None
        assert (extension.months, extension.basis) == (months, basis)


TERRITORY_KEYS = [
    "metropole",
    "alsace-moselle",
    "guadeloupe",
    "martinique",
    "la-reunion",
    "mayotte",
]


@given(
    st.dates(min_value=date(2000, 1, 1), max_value=date(2060, 12, 31)),
    st.sampled_from(TERRITORY_KEYS),
    st.integers(0, 3),
    st.integers(0, 30),
)
def test_property_forward_deadline_is_a_working_day_never_before_its_raw_date(
    start, key, months, days
):
    from casefile.definitions import engine

    if months == 0 and days == 0:
        days = 1
    territory = engine().territories.by_key[key]
    result = expiry("cpc", Period(months=months, days=days), start, territory)
    assert result.unadjusted == add_period(start, Period(months=months, days=days))
    assert result.due >= result.unadjusted
    if not result.warnings:  # a doubtful day is kept (earlier date), with a warning
        assert territory.is_working_day(result.due)
    # every day skipped was a non-working day
    day = result.unadjusted
    while day < result.due:
        assert not territory.is_working_day(day)
        day += timedelta(days=1)


@given(
    st.dates(min_value=date(2000, 1, 1), max_value=date(2060, 12, 31)),
    st.sampled_from(TERRITORY_KEYS),
    st.integers(1, 30),
)
def test_property_backward_deadline_is_never_later_than_its_raw_date(hearing, key, days):
    from casefile.definitions import engine

    result = expiry(
        "backward", Period(days=days, backward=True), hearing, engine().territories.by_key[key]
    )
    assert result.due == result.unadjusted == hearing - timedelta(days=days + 1)


def test_alsace_moselle_names_its_commercial_court_from_the_data(territories):
    """No tribunal de commerce in 57, 67, 68: the data names the chambre commerciale of the
    tribunal judiciaire, with its basis and source; the pure core's court rule
    (`casefile.law.parties`, which the advice and the documents use) says the same."""
    from casefile.law.parties import ALSACE_MOSELLE, court_label

    local = territories.by_key["alsace-moselle"].commercial_court
    assert local is not None and local.label == "tribunal judiciaire (chambre commerciale)"
    assert local.basis and local.source.startswith("https://")
    named = {
        code
        for code, key in territories.by_department.items()
        if territories.by_key[key].commercial_court is not None
    }
    assert named == ALSACE_MOSELLE
    for department in ("57", "67", "68", "75", "21", "971", "2A"):
        assert territories.court_label("tribunal_de_commerce", department) == (
            court_label("tribunal_de_commerce", department)
            if department in ALSACE_MOSELLE
            else None
        )
        assert territories.court_label("tribunal_judiciaire", department) is None
    assert territories.court_label("tribunal_de_commerce", "99x") is None  # not a department


def test_a_commercial_court_entry_is_decoded_strictly():
    from casefile.definitions import calendars_file
    from casefile.errors import DefinitionError
    from casefile.law.schema import read_toml
    from casefile.law.territories import parse_territories

    data = read_toml(calendars_file())
    alsace = next(t for t in data["territories"] if t["key"] == "alsace-moselle")
    alsace["commercial_court"]["tribunal"] = "Strasbourg"
    with pytest.raises(DefinitionError, match="tribunal"):
        parse_territories(data, "territories.toml")
    del alsace["commercial_court"]["tribunal"]
    del alsace["commercial_court"]["source"]
    with pytest.raises(DefinitionError, match="source"):
        parse_territories(data, "territories.toml")
