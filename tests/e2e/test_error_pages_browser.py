"""Error pages in a real Chromium: a 404 keeps the header navigation of the logged-in lawyer
(and its logout works), and an altered pièce opened from the case page is a French page
saying it was not served, not raw JSON."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.site import CHROMIUM, browser_page, served

PASSWORD = "mot de passe de test"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium is not installed"),
]
sync_api = pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    var = tmp_path_factory.mktemp("e2e-errors")
    with served(var, "errors", "maitre.roth", PASSWORD) as url:
        yield url, var


@pytest.fixture(scope="module")
def page(site: tuple[str, Path]) -> Iterator[Any]:
    with browser_page(sync_api, site[0]) as opened:
        yield opened


def login(p: Any) -> None:
    p.goto("/login")
    p.get_by_label("Identifiant").fill("maitre.roth")
    p.get_by_label("Mot de passe").fill(PASSWORD)
    p.get_by_role("button", name="Se connecter").click()
    p.wait_for_url("**/")


def test_a_404_keeps_the_navigation_and_its_logout_works(page: Any) -> None:
    p = page
    login(p)
    response = p.goto("/une-adresse-qui-n-existe-pas")
    assert response is not None and response.status == 404
    sync_api.expect(p.get_by_role("heading", level=1)).to_have_text("Page introuvable (erreur 404)")
    nav = p.get_by_role("navigation", name="Navigation principale")
    sync_api.expect(nav.get_by_role("link", name="Dossiers", exact=True)).to_be_visible()
    sync_api.expect(nav.get_by_role("link", name="Nouveau dossier")).to_be_visible()
    nav.get_by_role("button", name="Se déconnecter").click()
    p.wait_for_url("**/login**")
    response = p.goto("/une-adresse-qui-n-existe-pas")
    assert response is not None and response.status == 404
    sync_api.expect(p.get_by_role("link", name="Se connecter")).to_be_visible()
    sync_api.expect(p.get_by_role("button", name="Se déconnecter")).to_have_count(0)


def test_an_altered_piece_opened_from_the_case_page_is_a_french_page(
    page: Any, site: tuple[str, Path], tmp_path: Path
) -> None:
    from casefile.evidence.objects import object_key

    p = page
    login(p)
    p.goto("/dossiers/nouveau")
    p.get_by_label("Référence").fill("E2E-ALT-0001")
    p.get_by_label("Procédure").select_option("injonction_de_payer")
    p.get_by_label("Juridiction").select_option("tribunal_judiciaire")
    p.get_by_label("Département du tribunal").fill("67")
    p.get_by_label("Créancier").fill("Fournitures Rhénanes SAS")
    p.get_by_label("Débiteur", exact=True).fill("Boulangerie Koenig SARL")
    p.get_by_role("button", name="Ouvrir le dossier").click()
    sync_api.expect(p.get_by_role("heading", name="Dossier E2E-ALT-0001")).to_be_visible()
    invoice = tmp_path / "Facture F-2026-118.pdf"
    data = b"%PDF-1.4\n% facture F-2026-118\n%%EOF\n"
    invoice.write_bytes(data)
    p.get_by_label("Nature de la pièce").select_option("facture")
    p.get_by_label("Fichier").set_input_files(str(invoice))
    p.get_by_role("button", name="Ajouter la pièce").click()
    link = p.get_by_role("link", name="Facture F-2026-118.pdf")
    sync_api.expect(link).to_be_visible()

    import hashlib

    stored = site[1] / "evidence" / object_key(hashlib.sha256(data).hexdigest())
    stored.chmod(0o644)
    altered = bytearray(stored.read_bytes())
    altered[12] ^= 0x01
    stored.write_bytes(bytes(altered))

    response = p.goto(link.get_attribute("href"))
    assert response is not None and response.status == 409
    sync_api.expect(p.get_by_role("heading", level=1)).to_have_text(
        "Pièce altérée, non servie (erreur 409)"
    )
    alert = p.get_by_role("alert")
    sync_api.expect(alert).to_contain_text(
        "La pièce n° 1 du dossier E2E-ALT-0001 (« Facture F-2026-118.pdf ») est altérée"
    )
    sync_api.expect(alert).to_contain_text("Elle n'a pas été servie.")
    sync_api.expect(alert).to_contain_text("déposez à nouveau l'original de la pièce")
    nav = p.get_by_role("navigation", name="Navigation principale")
    sync_api.expect(nav.get_by_role("link", name="Dossiers", exact=True)).to_be_visible()
