"""Courts on the web (issue 13 item 3): the administrator lists, adds and corrects courts on a
labelled French page; the case page chooses the case's court among those that fit it. The
court values are fictitious test values."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator

import pytest

from tests.api.conftest import Api
from tests.api.test_case_forms import labels_match_inputs, post
from tests.api.test_cases import new_case
from tests.api.test_pages import HTML, login

ESSAI = {
    "name": "Tribunal judiciaire d'Essai",
    "kind": "tribunal_judiciaire",
    "department": "75",
    "address": "1 rue de l'Exemple",
    "postcode": "75001",
    "city": "Essai",
    "greffe_email": "greffe@example.test",
}


@pytest.fixture
def browser(api: Api) -> Iterator[Api]:
    api.client.cookies.clear()
    yield api
    api.client.cookies.clear()


def test_the_administrator_adds_and_corrects_a_court(browser: Api) -> None:
    token = login(browser, "admin")
    form = browser.client.get("/admin/juridictions/", headers=HTML)
    assert form.status_code == 200
    labels_match_inputs(form.text)
    assert "Ajouter une juridiction" in form.text
    refused = post(browser, token, "/admin/juridictions/", **{**ESSAI, "postcode": "750"})
    assert refused.status_code == 422
    page = html.unescape(refused.text)
    assert "juridiction, code postal : « 750 » : un code postal a 5 chiffres" in page
    assert 'value="1 rue de l\'Exemple"' in page or "1 rue de l'Exemple</textarea>" in page
    added = post(browser, token, "/admin/juridictions/", **ESSAI)
    assert added.status_code == 303, added.text
    listing = html.unescape(browser.client.get("/admin/juridictions/", headers=HTML).text)
    assert "Juridiction « Tribunal judiciaire d'Essai » enregistrée." in listing
    assert "1 rue de l'Exemple, 75001 Essai" in listing


def test_only_an_administrator_sees_the_court_page(browser: Api) -> None:
    login(browser, "avocat")
    response = browser.client.get("/admin/juridictions/", headers=HTML, follow_redirects=False)
    assert response.status_code == 403


def test_the_case_page_chooses_the_case_court(browser: Api) -> None:
    token = login(browser, "admin")
    assert post(browser, token, "/admin/juridictions/", **ESSAI).status_code == 303
    courts = browser.client.get("/admin/juridictions/", headers=HTML).text
    court_id = re.findall(r'href="/admin/juridictions/(\d+)"', courts)[-1]
    case = new_case(browser, "avocat")
    browser.client.cookies.clear()
    token = login(browser, "avocat")
    page = browser.client.get(f"/dossiers/{case['id']}", headers=HTML).text
    assert "Aucune juridiction choisie" in page
    docs = html.unescape(page.split('id="h-docs"')[1])
    assert "État des documents" in docs  # what each document lacks, and where to enter it
    assert "à compléter (" in docs
    assert "Juridiction (nom, adresse du greffe, ville) : à saisir — choisir la juridiction" in docs
    assert "Tribunal judiciaire d&#39;Essai (75)</option>" in page
    response = post(
        browser,
        token,
        f"/dossiers/{case['id']}/juridiction",
        court_id=court_id,
        expected_version=str(case["version"]),
    )
    assert response.status_code == 303, response.text
    page = html.unescape(browser.client.get(response.headers["location"], headers=HTML).text)
    assert "Juridiction du dossier : Tribunal judiciaire d'Essai." in page
    assert "Tribunal judiciaire d'Essai — 1 rue de l'Exemple, 75001 Essai" in page
    assert "Juridiction (nom, adresse du greffe, ville)" not in page.split('id="h-docs"')[1]
    hearing = html.unescape(
        browser.client.get(f"/dossiers/{case['id']}/audience", headers=HTML).text
    )
    assert (
        "Tribunal judiciaire d'Essai, 1 rue de l'Exemple, 75001 Essai — aucune audience "
        "enregistrée" in " ".join(hearing.split())
    )
    browser.client.cookies.clear()
    login(browser, "admin")
    trail = browser.client.get("/audit", params={"dossier": case["reference"]}, headers=HTML)
    text = html.unescape(trail.text)
    assert f"a choisi la juridiction du dossier {case['reference']}" in text
    assert (
        '<th scope="row">juridiction</th><td>—</td><td>« Tribunal judiciaire d\'Essai »</td>'
        in text
    )
