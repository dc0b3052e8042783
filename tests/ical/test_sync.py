"""Re-exporting after an event changes: same UIDs, SEQUENCE + 1 only for what changed, removed
deadlines published as CANCELLED (RFC 5545 §3.8.7.4, §3.8.1.11)."""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime

import pytest

from casefile.errors import InputError
from casefile.ical.export import calendar_bytes
from casefile.ical.sync import sync
from tests.ical.builders import entries_for, ip_events
from tests.ical.checks import events, parse

T0 = datetime(2022, 3, 10, 9, 0, tzinfo=UTC)
T1 = datetime(2022, 3, 11, 14, 30, tzinfo=UTC)
T2 = datetime(2022, 3, 12, 8, 0, tzinfo=UTC)
OPPOSITION = "c-42-opposition@q7kd2mxa4zpw.casefile"
SIGNIFICATION = "c-42-signification_ordonnance@q7kd2mxa4zpw.casefile"
FORMULE = "c-42-formule_executoire@q7kd2mxa4zpw.casefile"


def _first_export():
    """An ordonnance of 1 February 2022 (old regime: the formule exécutoire must be requested,
    former art. 1423), served in person on 10 March 2022."""
    entries = entries_for(ip_events(rendue=date(2022, 2, 1), signifiee=date(2022, 3, 10)))
    return sync({}, entries, T0)


def test_first_export_starts_every_sequence_at_zero():
    result = _first_export()
    assert {i.uid: i.sequence for i in result.items} == {
        OPPOSITION: 0,
        FORMULE: 0,
        SIGNIFICATION: 0,
    }
    assert sorted(result.added) == sorted([OPPOSITION, FORMULE, SIGNIFICATION])
    assert result.changed == () and result.cancelled == ()
    assert all(i.stamp == T0 for i in result.items)


def test_correcting_the_ordonnance_date_moves_one_deadline_and_removes_another():
    """The ordonnance was in fact rendered on 1 March 2022: the new regime applies (no
    formule exécutoire request) and the 6-month art. 1411 deadline moves; the opposition period,
    counted from the signification, does not change."""
    first = _first_export()
    state = json.loads(json.dumps(first.state))  # what the store persists and reads back
    corrected = entries_for(ip_events(rendue=date(2022, 3, 1), signifiee=date(2022, 3, 10)))
    second = sync(state, corrected, T1)
    body = calendar_bytes("IP", second.items)
    before = events(parse(calendar_bytes("IP", first.items)))
    after = events(parse(body))

    assert set(after) == set(before) == {OPPOSITION, FORMULE, SIGNIFICATION}
    assert second.changed == (SIGNIFICATION,)
    assert second.cancelled == (FORMULE,)
    assert second.added == ()

    assert after[SIGNIFICATION]["start"] == date(2022, 9, 1)
    assert before[SIGNIFICATION]["start"] == date(2022, 8, 1)
    assert after[SIGNIFICATION]["sequence"] == 1
    assert after[OPPOSITION] == before[OPPOSITION]  # unchanged, sequence 0, same DTSTAMP
    assert after[FORMULE]["status"] == "CANCELLED"
    assert after[FORMULE]["sequence"] == 1
    assert after[FORMULE]["start"] == before[FORMULE]["start"]
    assert after[FORMULE]["alarms"] == []
    stamps = {str(e["UID"]): e["DTSTAMP"].dt for e in parse(body).walk("VEVENT")}
    assert stamps == {OPPOSITION: T0, SIGNIFICATION: T1, FORMULE: T1}


def test_exporting_again_without_change_gives_the_same_bytes():
    first = _first_export()
    corrected = entries_for(ip_events(rendue=date(2022, 3, 1), signifiee=date(2022, 3, 10)))
    second = sync(first.state, corrected, T1)
    third = sync(second.state, corrected, T2)
    assert third.changed == () and third.cancelled == () and third.added == ()
    assert calendar_bytes("IP", third.items) == calendar_bytes("IP", second.items)
    assert third.state == second.state


def test_a_removed_deadline_that_comes_back_is_confirmed_with_a_higher_sequence():
    first = _first_export()
    new_regime = entries_for(ip_events(rendue=date(2022, 3, 1), signifiee=date(2022, 3, 10)))
    second = sync(first.state, new_regime, T1)
    old_regime = entries_for(ip_events(rendue=date(2022, 2, 1), signifiee=date(2022, 3, 10)))
    third = sync(second.state, old_regime, T2)
    items = {i.uid: i for i in third.items}
    assert items[FORMULE].status == "CONFIRMED"
    assert items[FORMULE].sequence == 2
    assert items[SIGNIFICATION].sequence == 2
    assert items[OPPOSITION].sequence == 0


def test_a_text_change_alone_increases_the_sequence():
    first = _first_export()
    renamed = entries_for(
        ip_events(rendue=date(2022, 2, 1), signifiee=date(2022, 3, 10)), debtor="Nouveau nom"
    )
    second = sync(first.state, renamed, T1)
    assert sorted(second.changed) == sorted([OPPOSITION, FORMULE, SIGNIFICATION])
    assert {i.sequence for i in second.items} == {1}


def test_sync_refuses_a_naive_clock_and_duplicate_deadlines():
    entries = entries_for(ip_events())
    with pytest.raises(InputError, match="timezone"):
        sync({}, entries, datetime(2027, 1, 1))
    with pytest.raises(InputError, match="twice"):
        sync({}, entries + entries[:1], T0)


def test_a_corrupt_state_is_an_input_error_naming_the_uid():
    uid = "c-42-x@q7kd2mxa4zpw.casefile"
    with pytest.raises(InputError, match=re.escape(uid)):
        sync({uid: {"sequence": 0, "item": {"uid": uid}}}, [], T0)
