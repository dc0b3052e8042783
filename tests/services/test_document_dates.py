"""A document that says a deadline has expired is dated after it (manifest `after_deadline`).

The demande de certificat de non-opposition says « le délai d'opposition … est expiré » (CPC
1416): generated the evening before that day (or with no signification recorded) it would be a
false statement to the greffe. Real dates: an ordonnance of 12 March 2027 served in person on
6 April 2027 in Strasbourg leaves the debtor until Friday 7 May 2027 (6 May is Ascension).
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from casefile.documents.formatting import date_fr
from casefile.documents.render import render
from casefile.documents.text import docx_text
from casefile.errors import InputError
from casefile.services import cases, events
from casefile.services.cases import InvoiceIn
from casefile.services.documents import document_readiness
from casefile.store.documents import case_document_data, create_document
from casefile.store.permissions import SYSTEM
from tests.store.helpers import new_case


def _served_case(store, served: bool = True) -> int:
    case = store.run(cases.create_case(new_case(court_department="67"), SYSTEM))
    invoice = InvoiceIn("F-2026-410", date(2026, 6, 15), date(2026, 7, 15), Decimal("4080.00"))
    store.run(cases.add_claim(case["id"], invoice, SYSTEM))
    store.run(events.add_event(case["id"], "ordonnance_rendue", date(2027, 3, 12), {}, SYSTEM))
    if served:
        store.run(
            events.add_event(
                case["id"], "ordonnance_signifiee", date(2027, 4, 6), {"a_personne": True}, SYSTEM
            )
        )
    return int(case["id"])


@pytest.mark.parametrize("day", [date(2027, 4, 20), date(2027, 5, 7)])
def test_the_certificate_request_is_refused_until_the_opposition_period_has_expired(store, day):
    case_id = _served_case(store)
    with pytest.raises(InputError) as refused:
        store.run(create_document(case_id, "certificat_non_opposition", SYSTEM, day))
    assert str(refused.value) == (
        "certificat_non_opposition : le délai « Délai d'opposition du débiteur » court jusqu'au "
        "vendredi 7 mai 2027 inclus ; ce document le dit expiré et ne peut être daté que du "
        "samedi 8 mai 2027 ou après : générez-le à partir de ce jour"
    )
    readiness = store.run(document_readiness(case_id, SYSTEM, day))
    [certificate] = [r for r in readiness if r.template == "certificat_non_opposition"]
    assert certificate.blocked is not None
    assert certificate.blocked.startswith("le délai « Délai d'opposition du débiteur » court ")


def test_the_certificate_request_is_made_the_day_after_the_period(store):
    case_id = _served_case(store)
    made = store.run(
        create_document(case_id, "certificat_non_opposition", SYSTEM, date(2027, 5, 8))
    )
    assert made["version"] == 1


def test_the_certificate_request_gives_the_greffe_the_date_of_the_signification(store):
    """The greffe checks the month of art. 1416 from the signification: the request names it."""
    case_id = _served_case(store)
    source = store.run(case_document_data(case_id, SYSTEM, date(2027, 5, 8)))
    assert source.data.service_date == date(2027, 4, 6)
    text = " ".join(docx_text(render("certificat_non_opposition", source.data)).split())
    assert "a été signifiée au débiteur le 6 avril 2027 par" in text


def test_without_the_signification_the_certificate_request_says_what_to_record(store):
    case_id = _served_case(store, served=False)
    with pytest.raises(InputError) as refused:
        store.run(create_document(case_id, "certificat_non_opposition", SYSTEM, date(2027, 6, 1)))
    assert str(refused.value) == (
        "certificat_non_opposition : le délai « Délai d'opposition du débiteur » n'a pas couru "
        "au 1er juin 2027 (l'acte qui le fait courir n'est pas enregistré, ou une opposition a "
        "été formée) : enregistrez d'abord la signification de l'ordonnance dans la chronologie "
        "du dossier"
    )


def test_the_former_regime_request_follows_the_month_after_any_signification(store):
    """Former art. 1422: one month after the signification « quelles que soient les modalités »;
    served at home on 2 November 2021, the request can be made from Friday 3 December 2021."""
    case = store.run(cases.create_case(new_case(court_department="75"), SYSTEM))
    invoice = InvoiceIn("F-2021-410", date(2021, 6, 15), date(2021, 7, 15), Decimal("4080.00"))
    store.run(cases.add_claim(case["id"], invoice, SYSTEM))
    store.run(events.add_event(case["id"], "ordonnance_rendue", date(2021, 10, 4), {}, SYSTEM))
    store.run(
        events.add_event(
            case["id"], "ordonnance_signifiee", date(2021, 11, 2), {"a_personne": False}, SYSTEM
        )
    )
    with pytest.raises(InputError) as refused:
        store.run(
            create_document(case["id"], "demande_formule_executoire", SYSTEM, date(2021, 12, 2))
        )
    assert str(refused.value) == (
        "demande_formule_executoire : le délai « Mois suivant la signification, quel qu'en soit "
        "le mode (ancien art. 1422) » court jusqu'au jeudi 2 décembre 2021 inclus ; ce document "
        "le dit expiré et ne peut être daté que du vendredi 3 décembre 2021 ou après : "
        "générez-le à partir de ce jour"
    )
    made = store.run(
        create_document(case["id"], "demande_formule_executoire", SYSTEM, date(2021, 12, 3))
    )
    assert made["version"] == 1


def test_a_case_without_its_debtor_is_refused_in_french(store):
    from casefile.store.tables import Party

    case = store.run(cases.create_case(new_case(reference="SANS-DEBITEUR"), SYSTEM))
    store.run(Party.delete().where((Party.case == case["id"]) & (Party.role == "debtor")))
    with pytest.raises(InputError) as refused:
        store.run(create_document(case["id"], "decompte_creance", SYSTEM, date(2026, 12, 1)))
    assert str(refused.value) == (
        "le dossier « SANS-DEBITEUR » n'a pas de créancier ou de débiteur enregistré : "
        "renseignez-le sur la page du dossier (rubrique Données du dossier) avant d'établir un "
        "document"
    )


def _case_with_invoices(store, reference: str, *invoices: tuple[str, date, str]) -> int:
    case = store.run(cases.create_case(new_case(reference=reference), SYSTEM))
    for number, due, amount in invoices:
        invoice = InvoiceIn(number, due - timedelta(days=30), due, Decimal(amount))
        store.run(cases.add_claim(case["id"], invoice, SYSTEM))
    return int(case["id"])


@pytest.mark.parametrize("day", [date(2026, 12, 1), date(2026, 12, 20)])
def test_no_letter_demands_an_invoice_before_its_due_date(store, day):
    """Invoice issued 20 November, due 20 December 2026: a mise en demeure dated 1 December
    (or the due day itself) would say it « demeurée impayée à son échéance » and demand it by
    9 December. Refused, naming the day from which the letter can be made."""
    case_id = _case_with_invoices(store, "NON-ECHUE", ("F-2026-520", date(2026, 12, 20), "1200"))
    with pytest.raises(InputError) as refused:
        store.run(create_document(case_id, "mise_en_demeure", SYSTEM, day))
    assert str(refused.value) == (
        f"mise_en_demeure : aucune somme n'est encore exigible au {date_fr(day)}, ce document "
        "réclamerait 0,00\u00a0€ et n'est pas établi : la première facture enregistrée "
        "n'échoit que le 20 décembre 2026, le débiteur peut payer jusqu'à ce jour inclus. "
        "Établissez-le à partir du 21 décembre 2026 si elle reste impayée"
    )
    made = store.run(create_document(case_id, "mise_en_demeure", SYSTEM, date(2026, 12, 21)))
    assert made["version"] == 1


def test_an_invoice_not_yet_due_is_left_out_of_the_letter_with_a_note(store):
    case_id = _case_with_invoices(
        store,
        "MIXTE",
        ("F-2026-410", date(2026, 7, 15), "4080"),
        ("F-2026-520", date(2026, 12, 20), "1200"),
    )
    source = store.run(case_document_data(case_id, SYSTEM, date(2026, 12, 1)))
    assert [i.number for i in source.data.invoices] == ["F-2026-410"]
    assert source.data.claim.principal == Decimal("4080.00")
    assert (
        "Décompte : Facture F-2026-520 non échue au 1er décembre 2026 (échéance le 20 décembre "
        "2026) : "
        "elle n'est réclamée dans une lettre ou un acte qu'à partir du 21 décembre 2026."
    ) in source.notes
    text = docx_text(render("mise_en_demeure", source.data))
    assert "F-2026-410" in text and "F-2026-520" not in text
    assert "4\u202f080,00\u00a0€" in text and "1\u202f200,00" not in text
