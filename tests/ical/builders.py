"""Plain values for the iCalendar tests: real deadlines from the engine, fixed case data."""

from __future__ import annotations

from datetime import date

from casefile.definitions import engine
from casefile.ical.items import CalendarEntry
from casefile.law.schedule import CaseFacts, RecordedEvent

# A debtor whose name needs every escape RFC 5545 has, plus accents and guillemets.
DEBTOR = "Société Dupont & Fils, SARL; « Le Pré » \\ Strasbourg"
STRASBOURG = CaseFacts(court_department="67")
# The installation's identifier the tests' entries carry (a real one is drawn by `casefile init`).
INSTALLATION = "q7kd2mxa4zpw"


def ip_events(
    rendue: date = date(2027, 1, 4),
    signifiee: date | None = date(2027, 1, 29),
    a_personne: bool = True,
) -> list[RecordedEvent]:
    events = [RecordedEvent("ordonnance_rendue", rendue)]
    if signifiee is not None:
        events.append(RecordedEvent("ordonnance_signifiee", signifiee, {"a_personne": a_personne}))
    return events


def entries_for(
    events: list[RecordedEvent],
    *,
    case_id: str = "c-42",
    reference: str = "IP-2027/001",
    debtor: str = DEBTOR,
    procedure: str = "injonction_de_payer",
    facts: CaseFacts = STRASBOURG,
    installation: str = INSTALLATION,
    base_url: str = "https://casefile.example",
) -> list[CalendarEntry]:
    schedule = engine().compute(procedure, events, facts)
    return [
        CalendarEntry(
            case_id=case_id,
            case_reference=reference,
            debtor_name=debtor,
            procedure="Injonction de payer" if procedure == "injonction_de_payer" else procedure,
            deadline=deadline,
            case_url=f"{base_url}/cases/{case_id}",
            installation=installation,
        )
        for deadline in schedule.deadlines
    ]
