"""Pièces over HTTP: streamed upload (raw and multipart), verified download, bundle, limits."""

from __future__ import annotations

import hashlib
import io
import zipfile

from tests.api.conftest import Api
from tests.api.test_cases import new_case

PDF = b"%PDF-1.4\n% facture F-2026-001\n" + b"0" * 5000 + b"\n%%EOF\n"


def upload_raw(api: Api, case_id: int, who: str = "avocat", body: bytes = PDF, **query: str):
    params = {"kind": "facture", "filename": "Facture n°1 — été.pdf", **query}
    return api.client.post(
        f"/api/cases/{case_id}/evidence",
        headers={**api.headers(who), "content-type": "application/octet-stream"},
        params=params,
        content=body,
    )


def test_a_raw_upload_is_numbered_hashed_and_downloads_identical(api: Api) -> None:
    case = new_case(api)
    response = upload_raw(api, case["id"])
    assert response.status_code == 201, response.text
    receipt = response.json()
    assert receipt["piece"] == 1
    assert receipt["size"] == len(PDF)
    assert receipt["sha256"] == hashlib.sha256(PDF).hexdigest()
    assert receipt["kind"] == "facture"

    download = api.client.get(
        f"/api/evidence/{receipt['id']}/content", headers=api.headers("lecteur")
    )
    assert download.status_code == 200
    assert download.content == PDF
    assert download.headers["content-type"].startswith("application/pdf")
    # RFC 6266/5987: a non-ASCII name never breaks the header.
    assert "filename*=UTF-8''Facture%20n%C2%B01" in download.headers["content-disposition"]

    audit = api.client.get(
        "/api/audit", params={"entity": "piece"}, headers=api.headers("admin")
    ).json()
    assert any(e["action"] == "piece.download" and e["actor"] == "lecteur" for e in audit), audit[
        :3
    ]


def test_a_multipart_upload_streams_the_file_after_its_fields(api: Api) -> None:
    case = new_case(api)
    response = api.client.post(
        f"/api/cases/{case['id']}/evidence",
        headers=api.headers("credit_manager"),
        data={"kind": "contrat", "description": "Conditions générales signées"},
        files={"file": ("contrat.pdf", PDF, "application/pdf")},
    )
    assert response.status_code == 201, response.text
    assert response.json()["kind"] == "contrat"
    shown = api.client.get(f"/api/cases/{case['id']}", headers=api.headers("avocat")).json()
    assert [e["kind"] for e in shown["evidence"]] == ["contrat"]


def test_the_bundle_zip_holds_the_index_and_the_numbered_pieces(api: Api) -> None:
    case = new_case(api)
    upload_raw(api, case["id"])
    response = api.client.get(f"/api/cases/{case['id']}/bundle.zip", headers=api.headers("avocat"))
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        names = archive.namelist()
        assert names[0].startswith("00")
        piece = next(n for n in names if n.startswith("01"))
        assert archive.read(piece) == PDF


def test_an_oversize_upload_is_413_and_records_nothing(api: Api) -> None:
    case = new_case(api)
    big = b"x" * (65 * 1024)  # the test app's limit is 64 KiB
    response = upload_raw(api, case["id"], body=big)
    assert response.status_code == 413
    # The limit as a person reads it (not « 65536 octets »), and what to do instead.
    assert response.json()["error"] == (
        "le fichier dépasse la taille maximale acceptée (65\u202f536\u00a0octets) : envoyez "
        "une version plus légère (numérisation moins résolue, PDF compressé) ou scindez-le en "
        "plusieurs pièces"
    )

    def chunks():
        for _ in range(70):
            yield b"y" * 1024

    # Without Content-Length (chunked): rejected while streaming.
    streamed = api.client.post(
        f"/api/cases/{case['id']}/evidence",
        headers={**api.headers("avocat"), "content-type": "application/octet-stream"},
        params={"kind": "facture", "filename": "gros.bin"},
        content=chunks(),
    )
    assert streamed.status_code == 413
    multipart = api.client.post(
        f"/api/cases/{case['id']}/evidence",
        headers=api.headers("avocat"),
        data={"kind": "facture"},
        files={"file": ("gros.pdf", big, "application/pdf")},
    )
    assert multipart.status_code == 413
    shown = api.client.get(f"/api/cases/{case['id']}", headers=api.headers("avocat")).json()
    assert shown["evidence"] == []


def test_bad_uploads_are_4xx_with_a_message(api: Api) -> None:
    case = new_case(api)
    unknown_kind = upload_raw(api, case["id"], kind="photo_de_vacances")
    assert unknown_kind.status_code == 422
    assert "photo_de_vacances" in unknown_kind.json()["error"]
    no_name = api.client.post(
        f"/api/cases/{case['id']}/evidence?kind=facture",
        headers={**api.headers("avocat"), "content-type": "application/octet-stream"},
        content=PDF,
    )
    assert no_name.status_code == 422
    no_file = api.client.post(
        f"/api/cases/{case['id']}/evidence",
        headers=api.headers("avocat"),
        files={"kind": (None, "facture")},
    )
    assert no_file.status_code == 422
    broken = api.client.post(
        f"/api/cases/{case['id']}/evidence",
        headers={**api.headers("avocat"), "content-type": "multipart/form-data"},
        content=b"--x\r\n",
    )
    assert broken.status_code == 422
    assert upload_raw(api, 999999).status_code == 404
    assert (
        api.client.get("/api/evidence/999999/content", headers=api.headers("avocat")).status_code
        == 404
    )


def test_evidence_access_follows_roles_and_assignment(api: Api) -> None:
    case = new_case(api)  # assigned to the commissaire "commissaire_de_justice"
    assert upload_raw(api, case["id"], who="lecteur").status_code == 403
    assert upload_raw(api, case["id"], who="commissaire_2").status_code == 403
    act = upload_raw(api, case["id"], who="commissaire_de_justice", kind="acte_commissaire")
    assert act.status_code == 201, act.text
    piece = act.json()["id"]
    assert (
        api.client.get(
            f"/api/evidence/{piece}/content", headers=api.headers("commissaire_2")
        ).status_code
        == 403
    )
    assert (
        api.client.get(
            f"/api/cases/{case['id']}/bundle.zip", headers=api.headers("commissaire_2")
        ).status_code
        == 403
    )


def test_a_bad_query_date_is_named_as_the_client_sent_it(api: Api) -> None:
    """The parameter is `date` in the URL (`piece_date` only inside the handler)."""
    case = new_case(api)
    response = upload_raw(api, case["id"], date="2027-13-01")
    assert response.status_code == 400
    assert response.json() == {
        "error": "query.date : date invalide (AAAA-MM-JJ)",
        "code": "requete_invalide",
    }


DEVIS = b"%PDF-1.4\n% devis 77\n" + b"7" * 3000 + b"\n%%EOF\n"


def test_a_piece_s_date_and_designation_are_corrected_and_the_bordereau_follows(api: Api) -> None:
    """A devis uploaded without its date nor its designation: corrected afterwards, its file
    and SHA-256 untouched; the bordereau of the ZIP (text and .docx) and the bordereau
    document then give the corrected date and designation, and the audit trail says who
    changed what."""
    from casefile.documents.text import docx_text

    case = new_case(api)
    uploaded = upload_raw(api, case["id"], body=DEVIS, kind="devis", filename="scan 12.pdf")
    assert uploaded.status_code == 201, uploaded.text
    piece = uploaded.json()
    response = api.client.patch(
        f"/api/evidence/{piece['id']}",
        headers=api.headers("credit_manager"),
        json={
            "date": "2026-03-01",
            "description": "Devis n° 77 accepté",
            "reason": "date oubliée au dépôt",
        },
    )
    assert response.status_code == 200, response.text
    assert response.json() == {
        "id": piece["id"],
        "case_id": case["id"],
        "number": 1,
        "kind": "devis",
        "date": "2026-03-01",
        "description": "Devis n° 77 accepté",
        "designation": "Devis n° 77 accepté",
        "sha256": hashlib.sha256(DEVIS).hexdigest(),
        "changed": ["date", "description"],
    }
    [shown] = api.client.get(f"/api/cases/{case['id']}", headers=api.headers("lecteur")).json()[
        "evidence"
    ]
    assert (shown["date"], shown["description"], shown["sha256"], shown["version"]) == (
        "2026-03-01",
        "Devis n° 77 accepté",
        hashlib.sha256(DEVIS).hexdigest(),
        1,
    )
    bundle = api.client.get(f"/api/cases/{case['id']}/bundle.zip", headers=api.headers("avocat"))
    assert bundle.status_code == 200
    with zipfile.ZipFile(io.BytesIO(bundle.content)) as archive:
        assert archive.namelist()[2:] == ["01 - Devis n° 77 accepté.pdf"]
        assert archive.read("01 - Devis n° 77 accepté.pdf") == DEVIS
        index = archive.read("00 - Bordereau.txt").decode("utf-8").splitlines()
        docx = docx_text(archive.read("00 - Bordereau de communication de pièces.docx"))
    assert index[-1] == "Pièce n° 1 : Devis n° 77 accepté (du 1er mars 2026)"
    assert "Devis n° 77 accepté" in docx and "1er mars 2026" in docx
    document = api.client.post(
        f"/api/cases/{case['id']}/documents",
        headers=api.headers("avocat"),
        json={"template": "bordereau_pieces"},
    )
    assert document.status_code == 201, document.text
    content = api.client.get(
        f"/api/documents/{document.json()['id']}/content", headers=api.headers("avocat")
    )
    text = docx_text(content.content)
    assert "Devis n° 77 accepté" in text and "1er mars 2026" in text
    [entry] = [
        e
        for e in api.client.get(
            "/api/audit", params={"case": case["reference"]}, headers=api.headers("admin")
        ).json()
        if e["action"] == "piece.edited"
    ]
    assert entry["actor"] == "credit_manager"
    assert entry["sentence"] == (
        f"credit_manager a corrigé la pièce n° 1 du dossier {case['reference']} "
        "(motif : date oubliée au dépôt)."
    )
    assert [(c["label"], c["before"], c["after"]) for c in entry["changes"]] == [
        ("date de la pièce", "—", "1er mars 2026"),
        ("désignation", "—", "Devis n° 77 accepté"),
    ]
    # A field left out keeps its value; `null` makes the pièce undated again.
    undated = api.client.patch(
        f"/api/evidence/{piece['id']}", headers=api.headers("avocat"), json={"date": None}
    )
    assert undated.status_code == 200, undated.text
    assert (undated.json()["date"], undated.json()["description"]) == (None, "Devis n° 77 accepté")
    assert undated.json()["changed"] == ["date"]
    same = api.client.patch(
        f"/api/evidence/{piece['id']}", headers=api.headers("avocat"), json={"date": None}
    )
    assert same.status_code == 200 and same.json()["changed"] == []


def test_a_piece_correction_is_refused_in_french_with_a_4xx_and_changes_nothing(api: Api) -> None:
    case = new_case(api)
    piece = upload_raw(api, case["id"], body=DEVIS, kind="devis").json()
    url = f"/api/evidence/{piece['id']}"
    avocat = api.headers("avocat")
    refusals = [
        (
            api.client.patch(url, headers=avocat, json={"date": "2026-02-31"}),
            400,
            "body.date : date invalide (AAAA-MM-JJ)",
        ),
        (
            api.client.patch(url, headers=avocat, json={"sha256": "0" * 64}),
            400,
            "champ inconnu : sha256",
        ),
        (
            api.client.patch(url, headers=avocat, json={"description": "x" * 1001}),
            422,
            "désignation : 1001 caractères, au plus 1000 sont admis",
        ),
        (
            api.client.patch(url, headers=api.headers("lecteur"), json={}),
            403,
            "le rôle « lecteur » ne permet pas d'ajouter une pièce ou corriger sa nature, sa date",
        ),
        (
            api.client.patch(url, headers=api.headers("commissaire_2"), json={}),
            403,
            "ce dossier ne vous est pas attribué",
        ),
        (api.client.patch("/api/evidence/999999", headers=avocat, json={}), 404, "999999"),
        (
            # The case's commissaire de justice: not a pièce they deposited (the lawyer's).
            api.client.patch(
                url, headers=api.headers("commissaire_de_justice"), json={"description": "?"}
            ),
            403,
            "la pièce n° 1 (Devis) n'a pas été déposée par vous",
        ),
    ]
    for response, status, words in refusals:
        assert response.status_code == status, response.text
        assert words in response.json()["error"], response.json()
    [shown] = api.client.get(f"/api/cases/{case['id']}", headers=avocat).json()["evidence"]
    assert (shown["date"], shown["description"]) == (None, "")
    # The commissaire de justice of the case adds pièces to it, and corrects those.
    own = upload_raw(
        api, case["id"], "commissaire_de_justice", body=DEVIS + b"%2", kind="acte_commissaire"
    ).json()
    mine = api.client.patch(
        f"/api/evidence/{own['id']}",
        headers=api.headers("commissaire_de_justice"),
        json={"description": "Signification du devis"},
    )
    assert mine.status_code == 200, mine.text
    shown = api.client.get(f"/api/cases/{case['id']}", headers=avocat).json()["evidence"]
    assert [(e["date"], e["description"]) for e in shown] == [
        (None, ""),
        (None, "Signification du devis"),
    ]


FACTURE_F1 = b"%PDF-1.4\n% devis 91 uploaded as a facture\n" + b"9" * 3000 + b"\n%%EOF\n"


def test_a_piece_s_nature_is_corrected_and_the_bordereau_calls_it_a_devis(api: Api) -> None:
    """A devis uploaded as « Facture n° F-1 »: its nature and words are corrected, and the
    ZIP's bordereau (text and .docx), its member name, the bordereau document, the audit
    trail and the search then call it a devis; its file and SHA-256 stay."""
    from casefile.documents.text import docx_text

    case = new_case(api)
    uploaded = upload_raw(
        api, case["id"], body=FACTURE_F1, kind="facture", description="Facture n° F-1"
    )
    assert uploaded.status_code == 201, uploaded.text
    piece = uploaded.json()
    response = api.client.patch(
        f"/api/evidence/{piece['id']}",
        headers=api.headers("avocat"),
        json={"kind": "devis", "description": "", "reason": "c'est le devis, pas la facture"},
    )
    assert response.status_code == 200, response.text
    assert response.json() == {
        "id": piece["id"],
        "case_id": case["id"],
        "number": 1,
        "kind": "devis",
        "date": None,
        "description": "",
        "designation": "Devis",
        "sha256": hashlib.sha256(FACTURE_F1).hexdigest(),
        "changed": ["kind", "description"],
    }
    [shown] = api.client.get(f"/api/cases/{case['id']}", headers=api.headers("lecteur")).json()[
        "evidence"
    ]
    assert (shown["kind"], shown["description"], shown["version"]) == ("devis", "", 1)
    bundle = api.client.get(f"/api/cases/{case['id']}/bundle.zip", headers=api.headers("avocat"))
    assert bundle.status_code == 200
    with zipfile.ZipFile(io.BytesIO(bundle.content)) as archive:
        assert archive.namelist()[2:] == ["01 - Devis.pdf"]
        assert archive.read("01 - Devis.pdf") == FACTURE_F1
        index = archive.read("00 - Bordereau.txt").decode("utf-8")
        docx = docx_text(archive.read("00 - Bordereau de communication de pièces.docx"))
    assert index.splitlines()[-1] == "Pièce n° 1 : Devis (sans date)"
    assert "Facture" not in index and "F-1" not in index
    assert "\n1 | Devis | [date à compléter]\n" in docx and "F-1" not in docx
    document = api.client.post(
        f"/api/cases/{case['id']}/documents",
        headers=api.headers("avocat"),
        json={"template": "bordereau_pieces"},
    )
    assert document.status_code == 201, document.text
    content = api.client.get(
        f"/api/documents/{document.json()['id']}/content", headers=api.headers("avocat")
    )
    text = docx_text(content.content)
    assert "\n1 | Devis | [date à compléter]\n" in text and "F-1" not in text
    [entry] = [
        e
        for e in api.client.get(
            "/api/audit", params={"case": case["reference"]}, headers=api.headers("admin")
        ).json()
        if e["action"] == "piece.edited"
    ]
    assert entry["actor"] == "avocat"  # named in the sentence by their display name
    assert entry["sentence"].endswith(
        f" a corrigé la pièce n° 1 du dossier {case['reference']} "
        "(motif : c'est le devis, pas la facture)."
    )
    assert [(c["label"], c["before"], c["after"]) for c in entry["changes"]] == [
        ("nature", "Facture", "Devis"),
        ("désignation", "Facture n° F-1", "—"),
    ]
    found = api.client.get(
        "/api/search", params={"q": f"devis {case['reference']}"}, headers=api.headers("avocat")
    ).json()
    assert [(i["number"], i["kind"], i["kind_label"]) for i in found["items"]] == [
        (1, "devis", "Devis")
    ]
    # The same file deposited again is still that pièce, now a devis.
    again = upload_raw(api, case["id"], body=FACTURE_F1, kind="facture")
    assert again.status_code == 409, again.text
    existing = again.json()["existing"]
    assert (existing["id"], existing["number"], existing["kind"]) == (piece["id"], 1, "devis")


def test_an_unknown_nature_is_a_422_listing_the_natures_and_changes_nothing(api: Api) -> None:
    case = new_case(api)
    piece = upload_raw(api, case["id"], body=FACTURE_F1 + b"\n% 2", kind="facture").json()
    url = f"/api/evidence/{piece['id']}"
    avocat = api.headers("avocat")
    unknown = api.client.patch(url, headers=avocat, json={"kind": "avoir", "date": "2026-03-01"})
    assert unknown.status_code == 422, unknown.text
    assert unknown.json()["fields"] == {
        "kind": "nature de la pièce : « avoir » inconnue (choisir : « Devis » (devis), « Bon de "
        "commande » (bon_de_commande), « Facture » (facture), « Contrat » (contrat), « Mise en "
        "demeure » (mise_en_demeure), « Accusé de réception » (accuse_reception), « Acte de "
        "commissaire de justice » (acte_commissaire), « Pièce » (autre))"
    }
    for body in ({"kind": None}, {"kind": 3}):
        refused = api.client.patch(url, headers=avocat, json=body)
        assert refused.status_code == 400, refused.text
        assert refused.json()["error"].startswith("body.kind : "), refused.json()
    [shown] = api.client.get(f"/api/cases/{case['id']}", headers=avocat).json()["evidence"]
    assert (shown["kind"], shown["date"]) == ("facture", None)  # the date was not written either


def test_a_factur_x_piece_keeps_its_e_invoice_and_claim_when_its_nature_is_corrected(
    api: Api,
) -> None:
    """The e-invoice is looked for in every PDF pièce, whatever its nature: a pièce confirmed
    as a claim and then re-labelled keeps its reading, its claim and its invoice number (the
    bordereau names it by its new nature and that number)."""
    from tests.api.test_facturx import PARTIES
    from tests.evidence.facturx_samples import Sample, facturx_pdf

    case = new_case(api, **PARTIES)
    pdf = facturx_pdf(Sample(profile="en16931", number="F-2026-977"))
    piece = upload_raw(api, case["id"], body=pdf, kind="facture").json()
    url = f"/api/cases/{case['id']}/pieces/{piece['piece']}/facturx"
    created = api.client.post(
        f"{url}/accept", headers=api.headers("avocat"), json={"supply": "marchandises"}
    )
    assert created.status_code == 201, created.text
    corrected = api.client.patch(
        f"/api/evidence/{piece['id']}", headers=api.headers("avocat"), json={"kind": "autre"}
    )
    assert corrected.status_code == 200, corrected.text
    assert (corrected.json()["designation"], corrected.json()["changed"]) == (
        "Pièce F-2026-977",
        ["kind"],
    )
    proposal = api.client.get(url, headers=api.headers("avocat")).json()
    assert (proposal["status"], proposal["invoice_number"], proposal["linked_claim_id"]) == (
        "facturx",
        "F-2026-977",
        created.json()["claim_id"],
    )
    [shown] = api.client.get(f"/api/cases/{case['id']}", headers=api.headers("avocat")).json()[
        "evidence"
    ]
    assert (shown["kind"], shown["invoice_numbers"]) == ("autre", ["F-2026-977"])
    assert shown["facturx"]["claim"] == created.json()["claim_id"]
