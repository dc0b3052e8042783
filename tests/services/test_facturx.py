"""Factur-X pièces on both engines (issue 16 item 3): the reading stored per version, the
proposed claim, its creation and link to the pièce, disagreements with a recorded claim."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from casefile.errors import Conflict, InputError, InvalidFields
from casefile.evidence.local import LocalStore
from casefile.services import cases, claims
from casefile.services import facturx as service
from casefile.services.cases import NewCase, PartyIn
from casefile.store.cases import InvoiceIn
from casefile.store.permissions import SYSTEM
from casefile.store.tables import Claim, InvoiceReading, Piece, PieceVersion
from tests.evidence.facturx_samples import BUYER_SIREN, SELLER_SIREN, Sample, facturx_pdf


def _case(store, reference: str = "FX-1") -> dict:
    return store.run(
        cases.create_case(
            NewCase(
                reference=reference,
                procedure="injonction_de_payer",
                court=None,
                court_department="67",
                creditor=PartyIn(name="Brasserie de l'Ill SAS", siren=SELLER_SIREN),
                debtor=PartyIn(name="Café du Dôme SARL", siren=BUYER_SIREN),
            ),
            SYSTEM,
        )
    )


def _piece(store, objects: LocalStore, case_id: int, number: int, data: bytes) -> int:
    stored = objects.put_stream(io.BytesIO(data))
    now = datetime.now(UTC)
    [row] = store.run(
        Piece.insert(
            Piece(case=case_id, number=number, kind="facture", description="", created_at=now)
        )
    )
    store.run(
        PieceVersion.insert(
            PieceVersion(
                piece=row["id"],
                version=1,
                sha256=stored.sha256,
                size=stored.size,
                mime=stored.mime,
                original_filename="facture.pdf",
                created_at=now,
            )
        )
    )
    return int(row["id"])


def test_proposal_accept_and_link_on_both_engines(store, tmp_path):
    objects = LocalStore(tmp_path / "evidence")
    case = _case(store)
    piece_id = _piece(store, objects, case["id"], 1, facturx_pdf(Sample(profile="en16931")))

    proposal = store.run(service.proposal(case["id"], 1, SYSTEM, objects))
    assert proposal.status == "facturx"
    assert proposal.profile_label == "EN 16931"
    assert proposal.invoice_number == "F-2026-118"
    assert (proposal.issue_date, proposal.due_date) == (date(2026, 9, 15), date(2026, 10, 15))
    assert (proposal.total_without_vat, proposal.total_vat, proposal.total_with_vat) == (
        Decimal("1028.80"),
        Decimal("205.76"),
        Decimal("1234.56"),
    )
    assert proposal.amount_due == Decimal("1234.56")
    assert proposal.currency == "EUR"
    assert proposal.seller and proposal.seller.siren == SELLER_SIREN
    assert proposal.buyer and proposal.buyer.siren == BUYER_SIREN
    assert proposal.buyer.name == "Café du Dôme SARL"
    assert proposal.disagreements == []
    assert proposal.can_accept and proposal.existing_claim is None
    # Read once: the reading is stored for the version, keyed by the bytes' hash.
    [reading] = store.run(InvoiceReading.select())
    assert (reading["piece"], reading["version"], reading["status"]) == (piece_id, 1, "facturx")
    assert reading["sha256"] == proposal.sha256
    [piece] = store.run(Piece.select().where(Piece.id == piece_id).output(load_json=True))
    assert piece["invoice_numbers"] == ["F-2026-118"]  # known before any confirmation
    assert piece["date"] == date(2026, 9, 15)  # the undated pièce takes the invoice's date

    done = store.run(service.accept(case["id"], 1, SYSTEM, supply="marchandises", store=objects))
    assert done.created and done.invoice_number == "F-2026-118"
    [claim] = store.run(Claim.select().where(Claim.case == case["id"]))
    assert claim["amount_cents"] == 123456 and claim["paid_cents"] == 0
    assert (claim["issue_date"], claim["due_date"]) == (date(2026, 9, 15), date(2026, 10, 15))
    assert claim["supply"] == "marchandises"
    assert claim["description"] == "Facture électronique Factur-X F-2026-118 (pièce n° 1)"
    [reading] = store.run(InvoiceReading.select())
    assert reading["claim"] == claim["id"] == done.claim_id
    [piece] = store.run(Piece.select().where(Piece.id == piece_id).output(load_json=True))
    assert piece["invoice_numbers"] == ["F-2026-118"]

    again = store.run(service.proposal(case["id"], 1, SYSTEM, objects))
    assert again.linked_claim_id == claim["id"] and not again.can_accept
    with pytest.raises(Conflict, match="déjà rattachée"):
        store.run(service.accept(case["id"], 1, SYSTEM, store=objects))

    # The claim withdrawn, the pièce is free again (the link is cleared by the database).
    store.run(claims.delete_claim(case["id"], "F-2026-118", SYSTEM, reason="saisie en double"))
    freed = store.run(service.proposal(case["id"], 1, SYSTEM, objects))
    assert freed.linked_claim_id is None and freed.can_accept


def test_corrupt_stored_bytes_are_never_read_and_the_incident_is_recorded(store, tmp_path):
    from casefile.evidence.errors import IntegrityError
    from casefile.store.tables import AuditEntry

    objects = LocalStore(tmp_path / "evidence")
    case = _case(store, "FX-4")
    pdf = facturx_pdf(Sample())
    _piece(store, objects, case["id"], 1, pdf)
    [path] = [
        p
        for p in (tmp_path / "evidence").rglob("*")
        if p.is_file() and p.stat().st_size == len(pdf)
    ]
    corrupt = bytearray(pdf)
    corrupt[len(pdf) // 2] ^= 0xFF
    path.write_bytes(bytes(corrupt))
    with pytest.raises(IntegrityError):
        store.run(service.proposal(case["id"], 1, SYSTEM, objects))
    assert store.run(InvoiceReading.count()) == 0  # nothing recorded from bad bytes
    incidents = store.run(AuditEntry.select(AuditEntry.action).where(AuditEntry.entity == "piece"))
    assert [i["action"] for i in incidents] == ["evidence.integrity_failure"]


def test_disagreement_with_a_recorded_claim_then_link(store, tmp_path):
    objects = LocalStore(tmp_path / "evidence")
    case = _case(store, "FX-2")
    store.run(
        claims.add_claim(
            case["id"],
            InvoiceIn("F-2026-118", date(2026, 9, 15), date(2026, 10, 31), Decimal("1200.00")),
            SYSTEM,
        )
    )
    other = Sample(profile="basic", buyer="Café de la Gare SAS", buyer_siren="443061841")
    _piece(store, objects, case["id"], 1, facturx_pdf(other))
    proposal = store.run(service.proposal(case["id"], 1, SYSTEM, objects))
    assert proposal.existing_claim and proposal.existing_claim.amount == Decimal("1200.00")
    assert proposal.disagreements == [
        "Montant : la créance enregistrée est de 1\u202f200,00\u00a0€, la facture électronique "
        "indique 1\u202f234,56\u00a0€ TTC.",
        "Échéance : la créance enregistrée échoit le 31 octobre 2026, la facture électronique "
        "le 15 octobre 2026.",
        "SIREN du débiteur : 732\u00a0829\u00a0320 dans le dossier, 443\u00a0061\u00a0841 pour "
        "l'acheteur de la facture électronique.",
    ]
    # Confirming links the pièce to the recorded claim; the claim itself is left as it was.
    done = store.run(service.accept(case["id"], 1, SYSTEM, store=objects))
    assert not done.created and len(done.disagreements) == 3
    [claim] = store.run(Claim.select().where(Claim.case == case["id"]))
    assert claim["amount_cents"] == 120000 and claim["id"] == done.claim_id


def test_minimum_needs_a_due_date_and_foreign_currency_is_not_converted(store, tmp_path):
    objects = LocalStore(tmp_path / "evidence")
    case = _case(store, "FX-3")
    _piece(store, objects, case["id"], 1, facturx_pdf(Sample(profile="minimum")))
    _piece(
        store,
        objects,
        case["id"],
        2,
        facturx_pdf(Sample(number="F-2026-119", currency="USD")),
    )
    minimum = store.run(service.proposal(case["id"], 1, SYSTEM, objects))
    assert minimum.profile_label == "MINIMUM" and minimum.due_date is None
    assert minimum.warnings == [
        "La facture (profil MINIMUM) ne porte pas de date d'échéance : indiquez-la."
    ]
    with pytest.raises(InvalidFields) as error:
        store.run(service.accept(case["id"], 1, SYSTEM, store=objects))
    assert "date d'échéance : obligatoire" in error.value.errors["due_date"]
    done = store.run(
        service.accept(case["id"], 1, SYSTEM, due_date=date(2026, 10, 30), store=objects)
    )
    [claim] = store.run(Claim.select().where(Claim.id == done.claim_id))
    assert claim["due_date"] == date(2026, 10, 30) and claim["amount_cents"] == 123456

    usd = store.run(service.proposal(case["id"], 2, SYSTEM, objects))
    assert usd.currency == "USD" and usd.total_with_vat == Decimal("1234.56")
    assert not usd.can_accept
    assert usd.refusal.startswith("La facture est libellée en USD : casefile tient les créances")
    with pytest.raises(InputError, match="libellée en USD"):
        store.run(service.accept(case["id"], 2, SYSTEM, store=objects))

    # Three decimals on the total: no claim can be made of it as it is (euros and cents).
    odd = Sample(number="F-2026-120", ttc=Decimal("1234.565"), vat=Decimal("205.765"))
    _piece(store, objects, case["id"], 3, facturx_pdf(odd))
    three = store.run(service.proposal(case["id"], 3, SYSTEM, objects))
    assert not three.can_accept
    assert three.refusal == (
        "Le total TTC de la facture (1234.565) a plus de deux décimales : la créance, en euros "
        "et centimes, ne peut pas en être créée telle quelle."
    )
