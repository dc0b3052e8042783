"""A promise to pay and a payment plan's instalments are deadlines of the case that no
procedure defines: their start is named in French in the .ics, the CLI and the pages, never
by its key (« promesse_de_paiement », « echeancier judiciaire » were shown)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from casefile.definitions import engine
from casefile.ical.items import CalendarEntry, description_for
from casefile.labels import key_labels
from casefile.law.payment_plans import Instalment, PaymentPlan
from casefile.law.schedule import Deadline
from casefile.store.plan_deadlines import instalment_deadlines
from casefile.store.promise_deadlines import promise_deadline
from tests.ical.builders import INSTALLATION


def _entry(deadline: Deadline, procedure: str = "amiable") -> CalendarEntry:
    return CalendarEntry(
        case_id="25",
        case_reference="DEMO-025",
        debtor_name="Chantiers Méditerranée",
        procedure=procedure,
        deadline=deadline,
        case_url="https://casefile.example/dossiers/25",
        installation=INSTALLATION,
    )


PROMISE = {
    "id": 1,
    "amount_cents": 150_000,
    "made_on": date(2026, 12, 2),
    "promised_for": date(2026, 12, 20),
    "made_by": "M. Rossi, gérant",
}
PLAN = PaymentPlan(
    kind="judiciaire",
    granted_on=date(2026, 12, 2),
    total=Decimal("1360.00"),
    instalments=(
        Instalment(1, date(2027, 1, 5), Decimal("680.00")),
        Instalment(2, date(2027, 2, 5), Decimal("680.00")),
    ),
    grace_days=0,
    basis="C. civ. art. 1343-5",
)


def test_a_promise_starts_from_the_promise_to_pay_in_the_ics_description():
    text = description_for(_entry(promise_deadline(PROMISE, [])))
    assert "Point de départ : Promesse de paiement du 2 décembre 2026" in text
    assert "promesse_de_paiement" not in text


def test_the_instalments_of_a_plan_start_from_the_decision_then_the_first_instalment():
    first, second = instalment_deadlines(PLAN, [])
    assert (
        "Point de départ : Délais de grâce accordés par le juge du 2 décembre 2026"
        in description_for(_entry(first, "injonction_de_payer"))
    )
    assert (
        "Point de départ : Première échéance du plan de paiement du 5 janvier 2027"
        in description_for(_entry(second, "injonction_de_payer"))
    )
    agreed = instalment_deadlines(
        PaymentPlan(
            "conventionnel", PLAN.granted_on, PLAN.total, PLAN.instalments, 5, "échéancier"
        ),
        [],
    )[0]
    assert "Point de départ : Échéancier convenu avec le débiteur du 2 décembre 2026" in (
        description_for(_entry(agreed))
    )


def test_the_pages_and_the_cli_name_those_starts_from_the_same_labels():
    names = key_labels(engine().procedures["injonction_de_payer"])
    promise, (first, second) = promise_deadline(PROMISE, []), instalment_deadlines(PLAN, [])
    assert [names[d.start.key] for d in (promise, first, second)] == [
        "Promesse de paiement",
        "Délais de grâce accordés par le juge",
        "Première échéance du plan de paiement",
    ]
    # A procedure's own event keeps its label.
    assert names["ordonnance_signifiee"] == "Ordonnance signifiée au débiteur"


def test_the_day_kept_for_a_service_before_a_sunday_names_its_weekday():
    """CPC art. 856 (tribunal de commerce, Strasbourg): an assignation at least 15 days before
    the hearing of Tuesday 22 December 2026 — last day Sunday 6 December, never moved later:
    the commissaire reads in their calendar the Friday kept and the Saturday still possible."""
    from casefile.law.schedule import CaseFacts, RecordedEvent
    from tests.ical.builders import entries_for

    [entry] = [
        e
        for e in entries_for(
            [RecordedEvent("audience", date(2026, 12, 22))],
            procedure="assignation_paiement",
            facts=CaseFacts(court="tribunal_de_commerce", court_department="67"),
        )
        if e.deadline.key == "signification_assignation"
    ]
    text = description_for(entry)
    assert "Échéance : dimanche 6 décembre 2026" in text
    assert "date retenue le vendredi 4 décembre 2026, dernier jour ouvrable avant" in text
    assert "une signification le samedi 5 décembre 2026 reste possible (CPC art. 664)" in text
