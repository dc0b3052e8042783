"""`GET /api/search?q=` (DESIGN §4b, issue 16 item 2) and the page `/recherche` over pièces
uploaded through the API: metadata matched word by word, the case's invoices and parties, the
highlighted passage escaped, a commissaire de justice limited to their cases."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest

from tests.api.conftest import Api
from tests.api.test_cases import new_case
from tests.api.test_evidence import upload_raw
from tests.api.test_pages import HTML, login


@pytest.fixture
def browser(api: Api) -> Iterator[Api]:
    api.client.cookies.clear()
    yield api
    api.client.cookies.clear()


@pytest.fixture(scope="module")
def marked(api: Api) -> dict[str, object]:
    mark = uuid.uuid4().hex[:8]
    mine = new_case(api, debtor={"name": f"Menuiserie {mark} SARL", "kind": "professionnel"})
    other = new_case(api, commissaire="commissaire_2", reference=f"AUTRE-{mark}")
    response = api.client.post(
        f"/api/cases/{mine['id']}/claims",
        headers=api.headers("avocat"),
        json={
            "invoice_number": f"F-{mark}-118",
            "issue_date": "2026-03-02",
            "due_date": "2026-04-01",
            "amount": "4080.00",
        },
    )
    assert response.status_code == 201, response.text
    uploads = [
        (
            mine,
            "devis",
            f"Devis signé de mars {mark} <b>urgent</b>",
            "devis-mars.pdf",
            "2026-03-15",
        ),
        (mine, "facture", f"Facture F-{mark}-118", "F-118.pdf", "2026-03-02"),
        (other, "contrat", f"Contrat cadre {mark}", "contrat.pdf", "2025-12-01"),
    ]
    for case, kind, description, filename, day in uploads:
        response = upload_raw(
            api,
            case["id"],
            body=b"%PDF-1.4 " + description.encode(),  # each file its own bytes
            kind=kind,
            description=description,
            filename=filename,
            date=day,
        )
        assert response.status_code == 201, response.text
    return {"mark": mark, "mine": mine, "other": other}


def _search(api: Api, q: str, who: str = "avocat") -> dict:
    response = api.client.get("/api/search", params={"q": q}, headers=api.headers(who))
    assert response.status_code == 200, response.text
    return response.json()


def test_metadata_words_find_the_piece_with_its_case_and_number(api: Api, marked: dict) -> None:
    mark = marked["mark"]
    found = _search(api, f"devis signé {mark}")
    [hit] = found["items"]
    assert (hit["reference"], hit["number"], hit["kind"]) == (
        marked["mine"]["reference"],
        1,
        "devis",
    )
    assert hit["date"] == "2026-03-15" and hit["file_name"] == "devis-mars.pdf"
    # The words are marked, the description's markup escaped.
    assert "<mark>Devis</mark> <mark>signé</mark>" in hit["passage"]
    assert "&lt;b&gt;urgent&lt;/b&gt;" in hit["passage"] and "<b>" not in hit["passage"]
    assert hit["link"] == f"/api/evidence/{hit['id']}/content"
    # The case's invoice number and amount, its debtor's name, a date, a file name.
    assert {h["number"] for h in _search(api, f"F-{mark}-118")["items"]} == {1, 2}
    by_amount = _search(api, f"4080,00 {mark}")["items"]
    assert len(by_amount) == 2
    # The passage that shows why it matched writes the amount as a French page does.
    mine = [
        h
        for h in _search(api, "4080,00")["items"]
        if h["reference"] == marked["mine"]["reference"] and h["kind"] == "devis"
    ]
    assert [h["passage"] for h in mine] == [f"facture F-{mark}-118 (4\u202f080,00\u00a0€)"], mine
    assert len(_search(api, f"menuiserie {mark}")["items"]) == 2
    assert [h["kind"] for h in _search(api, f"15/03/2026 {mark}")["items"]] == ["devis"]
    assert [h["kind"] for h in _search(api, f"F-118.pdf {mark}")["items"]] == ["facture"]
    assert _search(api, f"devis {mark} introuvable")["items"] == []


def test_a_commissaire_searches_only_their_cases(api: Api, marked: dict) -> None:
    mark = marked["mark"]
    assert [h["reference"] for h in _search(api, mark, "commissaire_2")["items"]] == [
        f"AUTRE-{mark}"
    ]
    assert {h["kind"] for h in _search(api, mark, "commissaire_de_justice")["items"]} == {
        "devis",
        "facture",
    }
    assert len(_search(api, mark, "lecteur")["items"]) == 3


def test_bad_queries_are_french_4xx(api: Api) -> None:
    response = api.client.get("/api/search", params={"q": "a " * 9}, headers=api.headers("avocat"))
    assert response.status_code == 422 and "8 mots au plus" in response.json()["error"]
    assert _search(api, "   ")["items"] == []


def test_the_search_page(browser: Api, marked: dict) -> None:
    login(browser, "avocat")
    page = browser.client.get("/recherche", params={"q": f"contrat {marked['mark']}"}, headers=HTML)
    assert page.status_code == 200, page.text
    assert '<label for="search-q">' in page.text
    assert f"<mark>Contrat</mark> cadre <mark>{marked['mark']}</mark>" in page.text
    assert "1</strong> pièce trouvée" in page.text
    empty = browser.client.get("/recherche", headers=HTML)
    assert empty.status_code == 200 and "pièce trouvée" not in empty.text
