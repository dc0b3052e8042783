"""The dossier de plaidoirie, thumbnails and the hearing view over HTTP (issue 16 items 4–5)."""

from __future__ import annotations

import io
import itertools
import re
import zipfile

import pikepdf
import pytest
from PIL import Image

from casefile.evidence.objects import object_key
from tests.api.conftest import Api
from tests.api.test_cases import new_case
from tests.api.test_evidence import upload_raw
from tests.api.test_pages import HTML, login
from tests.evidence.pdfmake import png, text_pdf


@pytest.fixture(autouse=True)
def no_libreoffice(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fast: the bordereau is printed as text (LibreOffice's path is tested in the CLI)."""
    monkeypatch.setattr("casefile.evidence.dossier.libreoffice", lambda: None)


_shades = itertools.count(1)


@pytest.fixture
def case_with_pieces(api: Api) -> dict:
    case = new_case(api)
    ids = []
    unique = next(_shades)  # content-addressed store: each case its own bytes
    for body, name, kind in (
        (
            text_pdf(["Facture F-2026-7", f"{case['reference']}"], ["Page deux"]),
            "facture.pdf",
            "facture",
        ),
        (png(colour=(unique % 256, unique // 256 % 256, 7)), "photo.png", "autre"),
    ):
        response = upload_raw(api, case["id"], body=body, filename=name, kind=kind)
        assert response.status_code == 201, response.text
        ids.append(response.json())
    return {**case, "pieces": ids}


def corrupt(api: Api, sha256: str) -> None:
    path = api.var / "evidence" / object_key(sha256)
    path.chmod(0o644)
    path.write_bytes(text_pdf(["falsifiée"]))


def test_the_dossier_pdf_is_streamed_with_its_bookmarks(api: Api, case_with_pieces) -> None:
    case = case_with_pieces
    response = api.client.get(
        f"/api/cases/{case['id']}/dossier.pdf", headers=api.headers("lecteur")
    )
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf"
    assert "dossier%20de%20plaidoirie.pdf" in response.headers["content-disposition"]
    with pikepdf.open(io.BytesIO(response.content)) as pdf:
        assert len(pdf.pages) == 4  # bordereau, 2 pages, 1 photo
        with pdf.open_outline() as outline:
            assert [item.title for item in outline.root] == [
                "Bordereau de communication de pièces",
                "Pièce n° 1 — Facture",
                "Pièce n° 2 — Pièce",
            ]
    audit = api.client.get("/api/audit", params={"entity": "case"}, headers=api.headers("admin"))
    assert any(e["action"] == "dossier.download" and e["actor"] == "lecteur" for e in audit.json())


def test_a_corrupt_piece_is_a_409_naming_it_and_nothing_is_sent(api: Api, case_with_pieces) -> None:
    case = case_with_pieces
    corrupt(api, case["pieces"][1]["sha256"])
    response = api.client.get(f"/api/cases/{case['id']}/dossier.pdf", headers=api.headers("avocat"))
    assert response.status_code == 409
    assert response.headers["content-type"].startswith("application/json")
    message = response.text
    assert "la pièce n° 2 (Pièce) ne correspond plus à son empreinte SHA-256" in message
    assert "sha256/" not in message  # nothing internal
    thumbnail = api.client.get(
        f"/api/evidence/{case['pieces'][1]['id']}/thumbnail", headers=api.headers("avocat")
    )
    assert thumbnail.status_code >= 400
    assert not thumbnail.content.startswith(b"\x89PNG")


def test_a_thumbnail_is_a_png_of_the_first_page(api: Api, case_with_pieces) -> None:
    piece = case_with_pieces["pieces"][0]
    response = api.client.get(
        f"/api/evidence/{piece['id']}/thumbnail", headers=api.headers("lecteur")
    )
    assert response.status_code == 200
    assert response.headers["content-type"] == "image/png"
    assert response.headers["etag"].startswith(f'"{piece["sha256"][:32]}')
    assert Image.open(io.BytesIO(response.content)).width == 240
    other = api.client.get(
        f"/api/evidence/{piece['id']}/thumbnail", headers=api.headers("commissaire_2")
    )
    assert other.status_code == 403


def test_a_pdf_opens_inline_but_never_html(api: Api, case_with_pieces) -> None:
    piece = case_with_pieces["pieces"][0]
    shown = api.client.get(
        f"/api/evidence/{piece['id']}/content",
        params={"inline": "1"},
        headers=api.headers("avocat"),
    )
    assert shown.headers["content-disposition"].startswith("inline;")
    page = upload_raw(
        api,
        case_with_pieces["id"],
        body=b"<html><script>x</script></html>",
        filename="p.html",
        kind="autre",
    )
    assert page.status_code == 201, page.text
    served = api.client.get(
        f"/api/evidence/{page.json()['id']}/content",
        params={"inline": "1"},
        headers=api.headers("avocat"),
    )
    assert served.headers["content-disposition"].startswith("attachment;")


def test_an_empty_case_has_no_dossier(api: Api) -> None:
    case = new_case(api)
    response = api.client.get(f"/api/cases/{case['id']}/dossier.pdf", headers=api.headers("avocat"))
    assert response.status_code == 422
    assert "n'a aucune pièce à communiquer" in response.text
    # The ZIP of the case page still answers: the bordereau alone.
    zipped = api.client.get(f"/api/cases/{case['id']}/bundle.zip", headers=api.headers("avocat"))
    assert zipped.status_code == 200
    with zipfile.ZipFile(io.BytesIO(zipped.content)) as archive:
        assert archive.namelist()[0] == "00 - Bordereau.txt"


def test_the_hearing_view_lists_the_pieces_in_order_with_thumbnails(
    api: Api, case_with_pieces
) -> None:
    case = case_with_pieces
    api.client.cookies.clear()
    try:
        login(api, "avocat")
        page = api.client.get(f"/dossiers/{case['id']}/audience", headers=HTML)
        assert page.status_code == 200, page.text
        text = page.text
        assert f"Audience — pièces du dossier {case['reference']}" in text
        assert text.index("Pièce n° 1 — Facture") < text.index("Pièce n° 2 — Pièce")
        first, second = (p["id"] for p in case["pieces"])
        assert f'src="/api/evidence/{first}/thumbnail"' in text
        assert f'href="/api/evidence/{first}/content?inline=1"' in text
        assert f'href="/api/cases/{case["id"]}/dossier.pdf"' in text
        assert "aucune audience enregistrée" in text
        # An undated pièce is « sans date »: « non datée » read against « Contrat » or
        # « Devis » (masculine) was wrong.
        assert "Facture — sans date — " in text and "non datée" not in text
        # No court recorded on the case: the page names the kind of court its procedure goes to.
        assert re.search(r"<p>(tribunal judiciaire|tribunal de commerce)[^<]* — ", text)
        case_page = api.client.get(f"/dossiers/{case['id']}", headers=HTML).text
        assert f'href="/dossiers/{case["id"]}/audience"' in case_page
        assert f'src="/api/evidence/{second}/thumbnail"' in case_page
        assert re.search(r"Dossier de plaidoirie \(PDF\)", case_page)
    finally:
        api.client.cookies.clear()


def test_an_undated_piece_is_sans_date_in_the_text_bordereau(api: Api, case_with_pieces) -> None:
    case = case_with_pieces
    zipped = api.client.get(f"/api/cases/{case['id']}/bundle.zip", headers=api.headers("avocat"))
    assert zipped.status_code == 200
    with zipfile.ZipFile(io.BytesIO(zipped.content)) as archive:
        index = archive.read("00 - Bordereau.txt").decode("utf-8")
    assert "Pièce n° 2 : Pièce (sans date)" in index, index
    assert "non datée" not in index
