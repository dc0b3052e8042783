"""The text of uploaded pièces and the duplicates, over HTTP (issue 16 items 1, 2 and 6): an
upload is read (text layer, French OCR, or a French status for a bad file), found by its words
in `GET /api/search` and on `/recherche`, shown on the case page; a file the case already has
is asked about (409, reuse, force; a confirmation page on the web)."""

from __future__ import annotations

import html
import subprocess
import sys
import uuid
from collections.abc import Iterator

import pytest

from casefile.evidence import ocr
from tests.api.conftest import Api
from tests.api.test_cases import new_case
from tests.api.test_evidence import upload_raw
from tests.api.test_pages import HTML, login
from tests.evidence.pdfs import scanned_image, scanned_pdf, text_pdf

needs_tesseract = pytest.mark.skipif(not ocr.find().available, reason=ocr.find().reason)


@pytest.fixture
def browser(api: Api) -> Iterator[Api]:
    api.client.cookies.clear()
    yield api
    api.client.cookies.clear()


def read_pending_texts() -> None:
    """What the job does (the tests run with CASEFILE_JOBS=off), from another process as a
    worker would (the app keeps its own connection)."""
    done = subprocess.run(
        [sys.executable, "-m", "casefile", "evidence", "extract"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr


def search(api: Api, q: str, who: str = "avocat") -> dict:
    response = api.client.get("/api/search", params={"q": q}, headers=api.headers(who))
    assert response.status_code == 200, response.text
    return response.json()


def evidence_of(api: Api, case_id: int) -> list[dict]:
    shown = api.client.get(f"/api/cases/{case_id}", headers=api.headers("avocat"))
    assert shown.status_code == 200, shown.text
    return shown.json()["evidence"]


def test_an_uploaded_pdf_is_read_and_found_by_its_words(api: Api) -> None:
    mark = uuid.uuid4().hex[:8]
    case = new_case(api)
    body = text_pdf(f"Devis {mark} signé le 3 mars 2026\nLivraison de fûts de bière")
    response = upload_raw(api, case["id"], body=body, kind="devis", filename="devis.pdf")
    assert response.status_code == 201, response.text
    assert response.json()["analysis"]["text"]["status"] == "pending"
    assert evidence_of(api, case["id"])[0]["text"]["label"] == "lecture du texte en attente"

    read_pending_texts()
    [text] = [e["text"] for e in evidence_of(api, case["id"])]
    assert (text["status"], text["label"], text["pages"]) == ("text", "texte extrait", 1)

    found = search(api, f"{mark} fûts")
    [hit] = found["items"]
    assert (hit["reference"], hit["number"], hit["matched"]) == (case["reference"], 1, "texte")
    assert f"<mark>{mark}</mark>" in hit["passage"] and "<mark>fûts</mark>" in hit["passage"]
    assert "thumbnail" in hit and hit["link"] == f"/api/evidence/{hit['id']}/content"
    # The commissaire of another office does not see it; the case's commissaire does.
    assert search(api, f"{mark} fûts", "commissaire_2")["items"] == []
    assert len(search(api, f"{mark} fûts", "commissaire_de_justice")["items"]) == 1


@pytest.mark.slow
@needs_tesseract
def test_a_scanned_order_is_read_by_ocr_and_found(api: Api, browser: Api) -> None:
    case = new_case(api)
    response = upload_raw(
        api,
        case["id"],
        body=scanned_pdf("Bon de commande signé\nMenuiserie Kieffer", small=True),
        kind="bon_de_commande",
        filename="bon-scanne.pdf",
    )
    assert response.status_code == 201, response.text
    photo = upload_raw(
        api,
        case["id"],
        body=scanned_image("Accusé de réception Kieffer", small=True),
        kind="accuse_reception",
        filename="ar.png",
    )
    assert photo.status_code == 201, photo.text
    read_pending_texts()
    texts = [e["text"] for e in evidence_of(api, case["id"])]
    assert [(t["status"], t["ocr_pages"]) for t in texts] == [("ocr", 1), ("ocr", 1)]
    hits = search(api, "Kieffer")["items"]
    assert sorted((h["reference"], h["number"]) for h in hits) == [
        (case["reference"], 1),
        (case["reference"], 2),
    ]
    assert all("<mark>Kieffer</mark>" in h["passage"] for h in hits)

    login(browser, "avocat")
    page = browser.client.get(f"/dossiers/{case['id']}", headers=HTML)
    assert "Texte reconnu par OCR (Tesseract, français) (1 p., dont 1 par OCR)" in page.text
    result = browser.client.get("/recherche", params={"q": "Kieffer"}, headers=HTML)
    assert "<mark>Kieffer</mark>" in result.text and "trouvé dans : texte" in result.text


def test_without_tesseract_the_piece_and_the_search_say_so(
    api: Api, browser: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CASEFILE_TESSERACT", "/nulle/part/tesseract")
    case = new_case(api)
    response = upload_raw(
        api, case["id"], body=scanned_pdf("Contrat Vogel", small=True), filename="scan.pdf"
    )
    assert response.status_code == 201, response.text
    read_pending_texts()
    [text] = [e["text"] for e in evidence_of(api, case["id"])]
    assert (text["status"], text["label"]) == ("no_ocr", "OCR indisponible : texte non lu")
    assert text["message"] == (
        "OCR indisponible : document numérisé non lu — Tesseract n'est pas installé sur le "
        "serveur (paquets Debian tesseract-ocr et tesseract-ocr-fra)"
    )
    answer = search(api, "Vogel")
    assert answer["items"] == [] and answer["unread"] >= 1
    assert answer["ocr"].startswith("OCR indisponible : Tesseract n'est pas installé")

    login(browser, "avocat")
    page = browser.client.get(f"/dossiers/{case['id']}", headers=HTML)
    assert "OCR indisponible : document numérisé non lu" in page.text
    result = browser.client.get("/recherche", params={"q": "Vogel"}, headers=HTML)
    assert "Les documents numérisés (scans, photos) ne sont pas cherchables" in result.text


def test_bad_files_get_a_french_status_and_nothing_half_recorded(api: Api) -> None:
    case = new_case(api)
    locked = upload_raw(
        api, case["id"], body=text_pdf("Secret", password="motdepasse"), filename="verrou.pdf"
    )
    damaged = upload_raw(api, case["id"], body=b"%PDF-1.7\n" + b"\x8f" * 500, filename="abime.pdf")
    assert (locked.status_code, damaged.status_code) == (201, 201)
    empty = upload_raw(api, case["id"], body=b"", filename="vide.pdf")
    assert empty.status_code == 422
    assert "le fichier est vide (0 octet)" in empty.json()["error"]
    disguised = upload_raw(api, case["id"], body=text_pdf("Facture"), filename="photo.png")
    assert disguised.status_code == 422
    assert "extension .png mais son contenu est un PDF" in disguised.json()["error"]

    read_pending_texts()
    texts = [e["text"] for e in evidence_of(api, case["id"])]
    assert [(t["status"], t["label"]) for t in texts] == [
        ("refused", "fichier refusé à la lecture"),
        ("refused", "fichier refusé à la lecture"),
    ]
    assert texts[0]["message"].startswith("PDF protégé par un mot de passe")
    assert texts[1]["message"] == "PDF illisible ou endommagé : son texte ne peut pas être lu"
    # The stored bytes are untouched: the download is verified against the recorded hash.
    download = api.client.get(
        f"/api/evidence/{locked.json()['id']}/content", headers=api.headers("avocat")
    )
    assert download.status_code == 200 and download.content == text_pdf(
        "Secret", password="motdepasse"
    )


def test_a_duplicate_upload_is_asked_about(api: Api) -> None:
    case = new_case(api)
    body = text_pdf(f"Facture {uuid.uuid4().hex}")
    first = upload_raw(api, case["id"], body=body, filename="facture.pdf")
    assert first.status_code == 201, first.text
    again = upload_raw(api, case["id"], body=body, filename="facture (copie).pdf")
    assert again.status_code == 409
    answer = again.json()
    assert answer["code"] == "conflit"
    assert answer["error"].startswith("ce fichier est déjà la pièce n° 1 de ce dossier")
    assert answer["existing"]["number"] == 1 and answer["existing"]["id"] == first.json()["id"]
    assert len(evidence_of(api, case["id"])) == 1  # nothing recorded

    reused = upload_raw(api, case["id"], body=body, filename="facture.pdf", reuse="true")
    assert reused.status_code == 200
    assert (reused.json()["id"], reused.json()["piece"], reused.json()["reused"]) == (
        first.json()["id"],
        1,
        True,
    )
    forced = upload_raw(api, case["id"], body=body, filename="facture.pdf", force="true")
    assert forced.status_code == 201
    assert (forced.json()["piece"], forced.json()["reused"]) == (2, False)
    both = upload_raw(api, case["id"], body=body, filename="f.pdf", reuse="1", force="1")
    assert both.status_code == 422
    # The same file in another case is no duplicate.
    other = new_case(api)
    assert upload_raw(api, other["id"], body=body, filename="facture.pdf").status_code == 201


def test_the_web_form_asks_before_adding_a_duplicate(browser: Api) -> None:
    case = new_case(browser)
    token = login(browser, "avocat")
    url = f"/dossiers/{case['id']}/pieces"
    body = text_pdf(f"Devis {uuid.uuid4().hex}")
    files = {"file": ("devis.pdf", body, "application/pdf")}
    first = browser.client.post(
        url, data={"_csrf_token": token, "kind": "devis"}, files=files, headers=HTML
    )
    assert first.status_code == 200 and "Pièce n° 1 ajoutée (devis)." in first.text
    asked = browser.client.post(
        url,
        data={"_csrf_token": token, "kind": "devis", "description": "Devis signé"},
        files={"file": ("devis-bis.pdf", body, "application/pdf")},
        headers=HTML,
    )
    assert asked.status_code == 409
    assert "Ce fichier est déjà une pièce du dossier" in asked.text
    assert "Réutiliser la pièce n° 1" in asked.text
    assert "Ajouter quand même comme nouvelle pièce" in asked.text
    assert 'value="Devis signé"' in asked.text

    import hashlib

    confirmed = browser.client.post(
        f"{url}/doublon",
        data={
            "_csrf_token": token,
            "sha256": hashlib.sha256(body).hexdigest(),
            "filename": "devis-bis.pdf",
            "kind": "devis",
            "description": "Devis signé",
        },
        headers=HTML,
    )
    assert confirmed.status_code == 200 and "Pièce n° 2 ajoutée (devis)." in confirmed.text
    # Only bytes that are a pièce of this very case can be named.
    stranger = browser.client.post(
        f"{url}/doublon",
        data={"_csrf_token": token, "sha256": "ab" * 32, "filename": "x.pdf", "kind": "devis"},
        headers=HTML,
    )
    assert "ce fichier n'est pas une pièce de ce dossier" in html.unescape(stranger.text)
