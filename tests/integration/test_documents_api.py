"""`/api/cases/{id}/documents` and `/api/documents/{id}/content`: roles, versions, audit."""

from __future__ import annotations

import asyncio
import hashlib
import io
import os
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from casefile import clock
from casefile.documents.formatting import date_fr
from tests.api.conftest import Api, _prepare
from tests.integration.conftest import CREDITOR_SIREN, DEBTOR_SIREN

ENV = ("CASEFILE_DATABASE_URL", "CASEFILE_VAR_DIR", "CASEFILE_EVIDENCE_URL")


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    from litestar.testing import TestClient

    from casefile.settings import reset_settings

    var: Path = tmp_path_factory.mktemp("var")
    saved = {key: os.environ.get(key) for key in ENV}
    os.environ["CASEFILE_VAR_DIR"] = str(var)
    os.environ["CASEFILE_DATABASE_URL"] = f"sqlite:///{var}/casefile.db"
    os.environ["CASEFILE_EVIDENCE_URL"] = f"file://{var}/evidence"
    reset_settings()
    try:
        tokens, revoked = asyncio.run(_prepare(os.environ["CASEFILE_DATABASE_URL"]))
        from casefile.api.app import create_app

        with TestClient(create_app(), base_url="http://testserver.local") as client:
            yield Api(client, tokens, revoked, var)
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        reset_settings()


def new_case(api: Api, reference: str, **changes: object) -> dict[str, object]:
    body: dict[str, object] = {
        "reference": reference,
        "procedure": "injonction_de_payer",
        "court": "tribunal_judiciaire",
        "court_department": "75",
        "creditor": {"name": "Fournitures Rhénanes SAS", "siren": CREDITOR_SIREN},
        "debtor": {"name": "Dupont & Fils <SARL>", "siren": DEBTOR_SIREN, "residence": "75"},
        "lawyer": "avocat",
        **changes,
    }
    response = api.client.post("/api/cases", headers=api.headers("avocat"), json=body)
    assert response.status_code == 201, response.text
    case: dict[str, object] = response.json()
    claim = api.client.post(
        f"/api/cases/{case['id']}/claims",
        headers=api.headers("avocat"),
        json={
            "invoice_number": f"{reference}-F1",
            "issue_date": "2026-01-05",
            "due_date": "2026-02-04",
            "amount": "1500.00",
        },
    )
    assert claim.status_code == 201, claim.text
    return case


def test_post_renders_stores_and_versions_a_document(api: Api) -> None:
    case = new_case(api, "API-DOC-1")
    url = f"/api/cases/{case['id']}/documents"
    first = api.client.post(
        url, headers=api.headers("avocat"), json={"template": "decompte_creance"}
    )
    assert first.status_code == 201, first.text
    body = first.json()
    assert {"id", "template", "version", "sha256", "size"} <= set(body)
    assert (body["template"], body["version"]) == ("decompte_creance", 1)
    # The décompte lists no pièces: no note about a bordereau it does not have.
    assert not any("Aucune pièce versée au dossier" in note for note in body["notes"])

    second = api.client.post(
        url, headers=api.headers("credit_manager"), json={"template": "decompte_creance"}
    )
    assert second.status_code == 201, second.text
    assert second.json()["version"] == 2

    listed = api.client.get(url, headers=api.headers("lecteur"))
    assert listed.status_code == 200
    assert [(d["id"], d["version"]) for d in listed.json()] == [
        (body["id"], 1),
        (second.json()["id"], 2),
    ]

    download = api.client.get(
        f"/api/documents/{body['id']}/content", headers=api.headers("lecteur")
    )
    assert download.status_code == 200
    assert hashlib.sha256(download.content).hexdigest() == body["sha256"]
    assert len(download.content) == body["size"]
    assert download.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert "API-DOC-1" in download.headers["content-disposition"]
    with zipfile.ZipFile(io.BytesIO(download.content)) as document:
        xml = document.read("word/document.xml").decode("utf-8")
    assert "API-DOC-1-F1" in xml

    audit = api.client.get(
        "/api/audit", params={"entity": "document"}, headers=api.headers("admin")
    ).json()
    actions = {(e["action"], e["actor"]) for e in audit}
    assert ("document.download", "lecteur") in actions
    assert ("document.create", "avocat") in actions


def test_a_lecteur_may_not_generate_a_document(api: Api) -> None:
    case = new_case(api, "API-DOC-2")
    url = f"/api/cases/{case['id']}/documents"
    refused = api.client.post(
        url, headers=api.headers("lecteur"), json={"template": "decompte_creance"}
    )
    assert refused.status_code == 403
    assert api.client.get(url, headers=api.headers("lecteur")).json() == []


def test_a_commissaire_sees_only_the_documents_of_assigned_cases(api: Api) -> None:
    case = new_case(api, "API-DOC-3", commissaire="commissaire_de_justice")
    created = api.client.post(
        f"/api/cases/{case['id']}/documents",
        headers=api.headers("avocat"),
        json={"template": "bordereau_pieces"},
    )
    assert created.status_code == 201, created.text
    content = f"/api/documents/{created.json()['id']}/content"
    assert api.client.get(content, headers=api.headers("commissaire_de_justice")).status_code == 200
    assert api.client.get(content, headers=api.headers("commissaire_2")).status_code == 403


def test_errors_name_the_problem(api: Api) -> None:
    case = new_case(api, "API-DOC-4", procedure="assignation_paiement")
    url = f"/api/cases/{case['id']}/documents"
    unknown = api.client.post(url, headers=api.headers("avocat"), json={"template": "plaidoirie"})
    assert unknown.status_code == 404
    assert "plaidoirie" in unknown.text
    extra = api.client.post(
        url, headers=api.headers("avocat"), json={"template": "decompte_creance", "x": 1}
    )
    assert extra.status_code == 400
    missing = api.client.get("/api/documents/999999/content", headers=api.headers("avocat"))
    assert missing.status_code == 404
    # 1 500,00 € before the tribunal judiciaire: without the prior amicable attempt of CPC
    # art. 750-1 the assignation is refused first, under its own code.
    attempt = api.client.post(
        url, headers=api.headers("avocat"), json={"template": "assignation_paiement_tj"}
    )
    assert attempt.status_code == 422
    assert attempt.json()["code"] == "tentative_amiable_absente"
    recorded = api.client.post(
        f"/api/cases/{case['id']}/events",
        headers=api.headers("avocat"),
        json={"key": "tentative_amiable", "date": "2026-03-02", "dispense": "urgence_manifeste"},
    )
    assert recorded.status_code == 201, recorded.text
    # A hearing document needs the hearing: recorded nowhere yet, it is a 422 naming it.
    hearing = api.client.post(
        url, headers=api.headers("avocat"), json={"template": "assignation_paiement_tj"}
    )
    assert hearing.status_code == 422
    assert hearing.json() == {
        "error": "assignation_paiement_tj_sans_avocat : il manque la date d'audience pour ce "
        "document",
        "code": "donnees_invalides",
        "field": "hearing_date",
    }


def test_a_company_without_siren_renders_with_a_placeholder_and_says_where_to_enter_it(
    api: Api,
) -> None:
    case = new_case(api, "API-DOC-5", debtor={"name": "Sans Siren SARL"})
    response = api.client.post(
        f"/api/cases/{case['id']}/documents",
        headers=api.headers("avocat"),
        json={"template": "decompte_creance"},
    )
    assert response.status_code == 201, response.text
    assert any(
        note.startswith("SIREN du débiteur : à saisir — fiche du débiteur")
        for note in response.json()["notes"]
    )


def test_the_bundle_route_carries_the_docx_bordereau(api: Api) -> None:
    case = new_case(api, "API-DOC-6")
    upload = api.client.post(
        f"/api/cases/{case['id']}/evidence",
        headers={**api.headers("avocat"), "content-type": "application/octet-stream"},
        params={"kind": "facture", "filename": "f.pdf"},
        content=b"%PDF-1.4\n%%EOF\n",
    )
    assert upload.status_code == 201, upload.text
    bundle = api.client.get(f"/api/cases/{case['id']}/bundle.zip", headers=api.headers("lecteur"))
    assert bundle.status_code == 200
    with zipfile.ZipFile(io.BytesIO(bundle.content)) as archive:
        names = archive.namelist()
    assert names[:2] == ["00 - Bordereau.txt", "00 - Bordereau de communication de pièces.docx"]
    assert names[2].startswith("01 - Facture")


def test_a_letter_gets_no_note_about_a_bordereau_it_does_not_have(api: Api) -> None:
    """« Aucune pièce versée au dossier : le bordereau liste les factures… » was said of the
    lettre de relance and the mise en demeure, which list no pièces."""
    case = new_case(api, "API-DOC-NOTE")
    url = f"/api/cases/{case['id']}/documents"
    for template, said in (("lettre_relance", False), ("bordereau_pieces", True)):
        made = api.client.post(url, headers=api.headers("avocat"), json={"template": template})
        assert made.status_code == 201, made.text
        noted = [n for n in made.json()["notes"] if n.startswith("Aucune pièce versée")]
        assert noted == (
            [
                "Aucune pièce versée au dossier : le bordereau liste les factures enregistrées ; "
                "joindre leurs copies (rubrique Pièces)."
            ]
            if said
            else []
        )


def test_a_case_without_unpaid_invoice_is_refused_its_letters_and_pleadings(api: Api) -> None:
    """No mise en demeure « de la somme de 0,00 € »: 422 in French, saying what to do instead,
    and nothing stored; the décompte stays available (it is what shows that all was paid)."""
    body = {
        "reference": "API-DOC-EMPTY",
        "procedure": "injonction_de_payer",
        "court": "tribunal_judiciaire",
        "court_department": "75",
        "creditor": {"name": "Fournitures Rhénanes SAS", "siren": CREDITOR_SIREN},
        "debtor": {"name": "Sans Facture SARL", "residence": "75"},
    }
    created = api.client.post("/api/cases", headers=api.headers("avocat"), json=body)
    assert created.status_code == 201, created.text
    case_id = created.json()["id"]
    today = date_fr(clock.today())
    for template in ("mise_en_demeure", "requete_injonction_tj", "lettre_relance"):
        response = api.client.post(
            f"/api/cases/{case_id}/documents",
            headers=api.headers("avocat"),
            json={"template": template},
        )
        assert response.status_code == 422, response.text
        assert response.json()["code"] == "rien_a_reclamer"
        assert response.json()["error"] == (
            f"{template} : aucune somme n'est due au {today}, ce document réclamerait "
            "0,00\u00a0€ et n'est pas établi. Enregistrez d'abord la facture impayée (rubrique "
            "Factures du dossier : numéro, dates, montant) ; si tout a été payé, il n'y a rien à "
            "réclamer et le « Décompte de créance » en garde la trace"
        )
    listed = api.client.get(f"/api/cases/{case_id}", headers=api.headers("avocat")).json()
    assert listed["documents"] == []
    statement = api.client.post(
        f"/api/cases/{case_id}/documents",
        headers=api.headers("avocat"),
        json={"template": "decompte_creance"},
    )
    assert statement.status_code == 201, statement.text
    assert any(
        note.startswith(f"Aucune somme due au {today} : ") for note in statement.json()["notes"]
    ), statement.json()["notes"]


def _bordereau_rows(docx_bytes: bytes) -> list[list[str]]:
    import docx

    table = docx.Document(io.BytesIO(docx_bytes)).tables[0]
    return [[cell.text for cell in row.cells] for row in table.rows[1:]]


def test_the_bordereau_names_each_piece_as_the_bundle_does_in_french(api: Api) -> None:
    """The bordereau rendered on its own wrote « Accuse reception » (the key, capitalised) and
    « Facture » where the bundle's wrote « Accusé de réception » and « Facture F-118 »: the
    bordereau filed must name the pièces as the bundle handed over with it does."""
    case = new_case(api, "API-DOC-BORD")
    pieces = [
        ({"kind": "accuse_reception"}, "ar.pdf"),
        ({"kind": "devis", "description": "Devis accepté", "date": "2026-03-01"}, "d.pdf"),
        ({"kind": "acte_commissaire", "date": "2026-04-02"}, "acte.pdf"),
        ({"kind": "autre", "description": "Attestation de livraison"}, "att.pdf"),
    ]
    for n, (params, filename) in enumerate(pieces):
        upload = api.client.post(
            f"/api/cases/{case['id']}/evidence",
            headers={**api.headers("avocat"), "content-type": "application/octet-stream"},
            params={**params, "filename": filename},
            content=b"%PDF-1.4\n%" + str(n).encode() + b"\n%%EOF\n",
        )
        assert upload.status_code == 201, upload.text
    made = api.client.post(
        f"/api/cases/{case['id']}/documents",
        headers=api.headers("avocat"),
        json={"template": "bordereau_pieces"},
    )
    assert made.status_code == 201, made.text
    alone = api.client.get(
        f"/api/documents/{made.json()['id']}/content", headers=api.headers("avocat")
    )
    expected = [
        ["1", "Accusé de réception", "[date à compléter]"],
        ["2", "Devis accepté", "1er mars 2026"],
        ["3", "Acte de commissaire de justice", "2 avril 2026"],
        ["4", "Pièce - Attestation de livraison", "[date à compléter]"],
    ]
    assert _bordereau_rows(alone.content) == expected
    bundle = api.client.get(f"/api/cases/{case['id']}/bundle.zip", headers=api.headers("avocat"))
    assert bundle.status_code == 200
    with zipfile.ZipFile(io.BytesIO(bundle.content)) as archive:
        inside = archive.read("00 - Bordereau de communication de pièces.docx")
    assert _bordereau_rows(inside) == expected


def test_a_settled_invoice_is_claimed_by_no_letter_but_kept_by_the_decompte(api: Api) -> None:
    """An aged balance often carries invoices already paid: the mise en demeure listed one among
    the invoices « demeurées impayées » with « 0,00 € » due, and the requête's bordereau made it
    a pièce. Only the décompte, which keeps the trace of what was paid, still lists it."""
    import docx

    case = new_case(api, "API-DOC-SOLDE")
    for number, amount, paid in (("F2", "1404.00", "1404.00"), ("F3", "600.00", "0")):
        claim = api.client.post(
            f"/api/cases/{case['id']}/claims",
            headers=api.headers("avocat"),
            json={
                "invoice_number": f"API-DOC-SOLDE-{number}",
                "issue_date": "2026-01-05",
                "due_date": "2026-02-04",
                "amount": amount,
                "paid": paid,
            },
        )
        assert claim.status_code == 201, claim.text
    payment = api.client.post(
        f"/api/cases/{case['id']}/payments",
        headers=api.headers("avocat"),
        json={"date": "2026-02-04", "amount": "600.00", "invoice_number": "API-DOC-SOLDE-F3"},
    )
    assert payment.status_code == 201, payment.text

    def rendered(template: str) -> docx.document.Document:
        made = api.client.post(
            f"/api/cases/{case['id']}/documents",
            headers=api.headers("avocat"),
            json={"template": template},
        )
        assert made.status_code == 201, made.text
        content = api.client.get(
            f"/api/documents/{made.json()['id']}/content", headers=api.headers("avocat")
        ).content
        return docx.Document(io.BytesIO(content))

    def invoices(document: docx.document.Document) -> list[str]:
        return [row.cells[0].text for row in document.tables[0].rows[1:]]

    assert invoices(rendered("mise_en_demeure")) == ["API-DOC-SOLDE-F1"]
    requete = rendered("requete_injonction_tj")
    assert invoices(requete) == ["API-DOC-SOLDE-F1"]
    text = "\n".join(p.text for p in requete.paragraphs)
    assert "Pièce n° 1 : Facture n° API-DOC-SOLDE-F1" in text
    assert "API-DOC-SOLDE-F2" not in text and "API-DOC-SOLDE-F3" not in text
    assert invoices(rendered("decompte_creance")) == [
        "API-DOC-SOLDE-F1",
        "API-DOC-SOLDE-F2",
        "API-DOC-SOLDE-F3",
        "Total",
    ]
