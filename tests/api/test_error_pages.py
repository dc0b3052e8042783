"""Error pages: a logged-in user keeps the navigation (even where no route matched the
address, so no middleware read the session); a visitor without a session gets the plain page;
French words, the right status code, and the API keeps its JSON errors."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator

import pytest

from tests.api.conftest import Api
from tests.api.test_pages import HTML, login


@pytest.fixture
def browser(api: Api) -> Iterator[Api]:
    api.client.cookies.clear()
    yield api
    api.client.cookies.clear()


NAV = '<nav aria-label="Navigation principale">'


def nav_links(page: str) -> list[str]:
    nav = page[page.index(NAV) : page.index("</nav>")]
    return re.findall(r'<a href="([^"]+)"', nav)


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/nimporte-quoi", "page ou ressource introuvable"),
        ("/dossiers/987654", "dossier « 987654 » introuvable"),
        ("/static/absent.css", "aucun fichier « absent.css » parmi les fichiers statiques"),
    ],
)
def test_a_404_keeps_the_navigation_of_a_logged_in_user(
    browser: Api, path: str, message: str
) -> None:
    login(browser, "avocat")
    page = browser.client.get(path, headers=HTML)
    assert page.status_code == 404
    assert page.headers["content-type"].startswith("text/html")
    assert "<title>Page introuvable (erreur 404) — casefile</title>" in page.text
    assert f'<p role="alert">{message}</p>' in page.text
    links = nav_links(page.text)
    assert links[:5] == ["/", "/", "/dossiers", "/agenda", "/rapports"]
    assert "/dossiers/nouveau" in links and "/mes-taches" in links
    assert re.search(r'<span class="who">[^<]+ \(avocat\)</span>', page.text)
    assert "Retour au tableau de bord" in page.text and "Se connecter" not in page.text


def test_the_logout_form_of_an_unrouted_404_carries_the_session_s_token(browser: Api) -> None:
    login(browser, "avocat")
    page = browser.client.get("/nimporte-quoi", headers=HTML)
    token = re.search(r'name="_csrf_token" value="([^"]+)"', page.text)
    assert token, page.text
    out = browser.client.post(
        "/logout", data={"_csrf_token": token.group(1)}, follow_redirects=False
    )
    assert out.status_code == 303
    after = browser.client.get("/nimporte-quoi", headers=HTML)
    assert nav_links(after.text) == ["/"]  # the session is gone: the plain page


def test_a_405_page_of_a_logged_in_user_has_the_navigation(browser: Api) -> None:
    login(browser, "lecteur")
    page = browser.client.delete("/login", headers=HTML)
    assert page.status_code == 405
    assert "Méthode non autorisée (erreur 405)" in page.text
    assert "méthode HTTP non autorisée pour cette adresse" in page.text
    assert "/agenda" in nav_links(page.text)
    assert "/dossiers/nouveau" not in nav_links(page.text)  # a reader creates no case


def test_a_404_without_a_session_is_the_plain_page(browser: Api) -> None:
    page = browser.client.get("/nimporte-quoi", headers=HTML)
    assert page.status_code == 404
    assert nav_links(page.text) == ["/"]  # the brand alone
    assert '<a href="/login">Se connecter</a>' in page.text
    assert "Se connecter" in page.text and "Se déconnecter" not in page.text
    assert "Page introuvable (erreur 404)" in page.text


def test_a_forged_session_cookie_is_a_visitor_without_session(browser: Api) -> None:
    browser.client.cookies.set("casefile_session", "bm9uc2Vuc2U=")
    page = browser.client.get("/nimporte-quoi", headers=HTML)
    assert page.status_code == 404
    assert "Se déconnecter" not in page.text and "Se connecter" in page.text


def test_the_api_answers_its_json_error_whatever_the_session(browser: Api) -> None:
    login(browser, "avocat")
    response = browser.client.get("/api/nimporte-quoi")
    assert response.status_code == 404
    assert response.json() == {"error": "page ou ressource introuvable", "code": "introuvable"}
    plain = browser.client.get("/nimporte-quoi")  # no Accept: text/html
    assert plain.json() == {"error": "page ou ressource introuvable", "code": "introuvable"}


def test_an_altered_piece_opened_from_the_case_page_is_a_french_page_not_raw_json(
    browser: Api,
) -> None:
    """The case page links a pièce to /api/evidence/{id}/content: a person who follows it
    with their session gets the page (the navigation, what happened, what was recorded, what
    to do), status 409; a bearer client keeps the JSON answer of the same 409."""
    from casefile.evidence.objects import object_key
    from tests.api.test_cases import new_case
    from tests.api.test_evidence import upload_raw

    case = new_case(browser)
    receipt = upload_raw(browser, case["id"], body=b"%PDF-1.4\n% facture alteree\n%%EOF\n").json()
    path = browser.var / "evidence" / object_key(receipt["sha256"])
    path.chmod(0o644)
    data = bytearray(path.read_bytes())
    data[12] ^= 0x01
    path.write_bytes(bytes(data))
    url = f"/api/evidence/{receipt['id']}/content"

    api = browser.client.get(url, headers=browser.headers("avocat"))
    assert api.status_code == 409
    assert (api.json()["code"], api.json()["piece"], api.json()["case"]) == (
        "piece_alteree",
        receipt["piece"],
        case["reference"],
    )

    login(browser, "avocat")
    page = browser.client.get(url, headers=HTML)
    assert page.status_code == 409
    assert page.headers["content-type"].startswith("text/html")
    assert "<title>Pièce altérée, non servie (erreur 409) — casefile</title>" in page.text
    assert "/dossiers/nouveau" in nav_links(page.text)
    text = html.unescape(page.text)
    assert (
        f"La pièce n° {receipt['piece']} du dossier {case['reference']} (« Facture n°1 — été.pdf »)"
        " est altérée" in text
    )
    assert "Elle n'a pas été servie." in text
    assert "L'incident est enregistré dans le journal d'audit" in text
    assert "déposez à nouveau l'original de la pièce depuis la page du dossier" in text
    assert "%PDF" not in page.text
    # A mutation through the API with a session stays refused in JSON (no page for it).
    refused = browser.client.post(url, headers=HTML)
    assert refused.headers["content-type"].startswith("application/json")
