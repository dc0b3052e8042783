"""UIDs unique across installations (RFC 5545 §3.8.4.7), stable across exports and domain moves.

Two casefile installations both have case 12 with an `opposition` deadline: a commissaire de
justice who subscribes to both feeds, or whose one CalDAV calendar holds both, must see two
events. The UID carries the installation's identifier, drawn once and stored in its database
(`casefile.store.installation`), never the base URL.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from casefile.errors import InputError
from casefile.ical.export import lawyer_calendar, to_icalendar
from casefile.ical.items import feed_item, todo_uid_for, uid_for
from casefile.ical.sync import adopt_legacy, sync
from tests.ical.builders import INSTALLATION, entries_for, ip_events
from tests.ical.checks import events, parse

OTHER = "m3xk7r2pq4za"  # a second installation
NOW = datetime(2027, 1, 5, 8, tzinfo=UTC)


def test_the_uid_names_the_case_the_deadline_and_the_installation():
    assert uid_for(INSTALLATION, "12", "opposition") == "12-opposition@q7kd2mxa4zpw.casefile"
    assert todo_uid_for("12-opposition@q7kd2mxa4zpw.casefile") == (
        "12-opposition-todo@q7kd2mxa4zpw.casefile"
    )


@pytest.mark.parametrize("installation", ["", "casefile", "Q7KD2MXA4ZPW", "q7kd2mxa4zp1", "a.b"])
def test_an_installation_identifier_not_drawn_by_casefile_is_refused(installation):
    with pytest.raises(InputError, match="identifiant d'installation"):
        uid_for(installation, "12", "opposition")


def test_two_installations_case_12_are_two_events_in_one_calendar():
    ours = entries_for(ip_events(), case_id="12", reference="IP-12")
    theirs = entries_for(ip_events(), case_id="12", reference="IP-12", installation=OTHER)
    body = lawyer_calendar(ours + theirs, lawyer_name="Me Commune", todos=True)
    got = events(parse(body))
    assert set(got) == {
        "12-opposition@q7kd2mxa4zpw.casefile",
        "12-signification_ordonnance@q7kd2mxa4zpw.casefile",
        "12-opposition@m3xk7r2pq4za.casefile",
        "12-signification_ordonnance@m3xk7r2pq4za.casefile",
    }
    todos = {str(t["UID"]) for t in parse(body).walk("VTODO")}
    assert todos == {
        "12-signification_ordonnance-todo@q7kd2mxa4zpw.casefile",
        "12-signification_ordonnance-todo@m3xk7r2pq4za.casefile",
    }
    # The fast writer and the icalendar library agree on the UIDs too.
    library = to_icalendar("Échéances — Me Commune", ours + theirs, todos=True).to_ical()
    assert set(events(parse(library))) == set(got)


def test_the_rendered_item_is_never_another_installations():
    """The render cache is keyed by the whole entry, the installation included."""
    [ours, *_] = entries_for(ip_events(), case_id="12")
    [theirs, *_] = entries_for(ip_events(), case_id="12", installation=OTHER)
    assert feed_item(ours).uid == "12-opposition@q7kd2mxa4zpw.casefile"
    assert feed_item(theirs).uid == "12-opposition@m3xk7r2pq4za.casefile"
    assert feed_item(ours).uid == "12-opposition@q7kd2mxa4zpw.casefile"


def test_a_domain_move_keeps_every_uid_and_bumps_sequence_for_the_new_link():
    first = sync({}, entries_for(ip_events(), case_id="12"), NOW)
    moved = entries_for(ip_events(), case_id="12", base_url="https://recouvrement.example.fr")
    second = sync(first.state, moved, NOW)
    assert [i.uid for i in second.items] == [i.uid for i in first.items]
    assert second.added == () and second.cancelled == ()
    # The link (URL, DESCRIPTION) changed: the event is updated in place, not duplicated.
    assert {i.sequence for i in second.items} == {1}
    assert all(i.url.startswith("https://recouvrement.example.fr/") for i in second.items)
    third = sync(second.state, moved, NOW)
    assert third.state == second.state and third.items == second.items


def _legacy(state):
    """A state as the code before the installation's identifier wrote it."""
    out = {}
    for record in state.values():
        item = record["item"]
        old = f"{item['case_id']}-{item['deadline_key']}@casefile"
        out[old] = {**record, "item": {**item, "uid": old}}
    return out


def test_a_state_of_before_is_adopted_without_a_duplicate_or_a_cancelled_copy():
    entries = entries_for(ip_events(), case_id="12")
    first = sync({}, entries, NOW)
    old = _legacy(first.state)
    assert set(old) == {"12-opposition@casefile", "12-signification_ordonnance@casefile"}
    adopted = adopt_legacy(old, INSTALLATION)
    assert adopted == first.state
    later = sync(adopted, entries, datetime(2027, 2, 1, tzinfo=UTC))
    assert (later.added, later.changed, later.cancelled) == ((), (), ())
    assert later.items == first.items  # same UIDs, SEQUENCE and DTSTAMP: the same bytes
    # Without it, every deadline would be published twice: new, and CANCELLED under the old UID.
    naive = sync(old, entries, NOW)
    assert len(naive.added) == len(naive.cancelled) == 2


def test_a_deadline_under_both_uids_keeps_its_new_record():
    entries = entries_for(ip_events(), case_id="12")
    state = sync({}, entries, NOW).state
    both = {**_legacy(state), **state}
    assert adopt_legacy(both, INSTALLATION) == state
    assert adopt_legacy(state, INSTALLATION) is state  # nothing of before: untouched
