"""The three views: one case, one lawyer's portfolio, one commissaire de justice's acts."""

from __future__ import annotations

from datetime import UTC, date, datetime

from casefile.ical.export import case_calendar, commissaire_calendar, lawyer_calendar
from casefile.ical.sync import sync
from casefile.law.schedule import CaseFacts, RecordedEvent
from tests.ical.builders import entries_for, ip_events
from tests.ical.checks import events, parse


def _portfolio():
    ip_served = entries_for(ip_events(), case_id="c-1", reference="IP-1")
    ip_unserved = entries_for(ip_events(signifiee=None), case_id="c-2", reference="IP-2")
    assignation = entries_for(
        [
            RecordedEvent("date_audience_obtenue", date(2027, 2, 1)),
            RecordedEvent("audience", date(2027, 4, 14)),
        ],
        case_id="c-3",
        reference="AP-3",
        procedure="assignation_paiement",
        facts=CaseFacts(court="tribunal_de_commerce", court_department="75"),
    )
    return ip_served + ip_unserved + assignation


def _uids(body: bytes) -> set[str]:
    return set(events(parse(body)))


def test_case_view_holds_only_that_case():
    body = case_calendar(_portfolio(), case_id="c-2", case_reference="IP-2")
    assert _uids(body) == {"c-2-signification_ordonnance@q7kd2mxa4zpw.casefile"}
    assert parse(body)["X-WR-CALNAME"].to_ical().decode() == "Échéances — dossier IP-2"


def test_lawyer_view_holds_every_deadline_of_the_portfolio():
    entries = _portfolio()
    body = lawyer_calendar(entries, lawyer_name="Me Anne Lefèvre, avocate")
    assert _uids(body) == {e.uid for e in entries}
    assert len(entries) >= 5
    name = parse(body)["X-WR-CALNAME"].to_ical().decode()
    assert name == "Échéances — Me Anne Lefèvre, avocate"


def test_commissaire_view_holds_only_their_acts_on_assigned_cases():
    entries = _portfolio()
    acts = {e.uid for e in entries if e.deadline.actor == "commissaire_de_justice"}
    assert len(acts) >= 3  # two significations of ordonnance, one of the assignation
    body = commissaire_calendar(
        entries, commissaire_name="SCP Martin", assigned_case_ids=["c-1", "c-2"]
    )
    assert _uids(body) == {
        "c-1-signification_ordonnance@q7kd2mxa4zpw.casefile",
        "c-2-signification_ordonnance@q7kd2mxa4zpw.casefile",
    }
    for event in events(parse(body)).values():
        assert "Commissaire de justice" in event["categories"]
    nothing = commissaire_calendar(entries, commissaire_name="SCP Autre", assigned_case_ids=[])
    assert _uids(nothing) == set()


def test_views_accept_synced_items_including_cancelled_ones():
    now = datetime(2027, 2, 1, tzinfo=UTC)
    first = sync({}, entries_for(ip_events(), case_id="c-1"), now)
    second = sync(first.state, [], now)  # the case's deadlines all vanished
    body = commissaire_calendar(
        second.items, commissaire_name="SCP Martin", assigned_case_ids=["c-1"]
    )
    (only,) = events(parse(body)).values()
    assert only["status"] == "CANCELLED"
    assert only["sequence"] == 1
