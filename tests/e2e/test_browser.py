"""End to end in a real Chromium (issue 7 §6): log in, open a case, record a signification,
read the opposition deadline with its article, upload a facture, download the .ics; a
screenshot is kept.

Needs the `playwright` package and Debian's chromium at /usr/bin/chromium (installed by
.ci/run); never `playwright install`. The screenshot goes to $CASEFILE_TEST_ARTIFACTS
(default: test-artifacts/ at the repository root).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.site import CHROMIUM, browser_page, served

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "mot de passe de test"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium is not installed"),
]
sync_api = pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with served(tmp_path_factory.mktemp("e2e"), "e2e", "maitre.durand", PASSWORD) as url:
        yield url


@pytest.fixture(scope="module")
def page(base_url: str) -> Iterator[Any]:
    with browser_page(sync_api, base_url) as opened:
        yield opened


def test_a_lawyer_records_a_signification_and_gets_the_opposition_deadline(
    page: Any, tmp_path: Path
) -> None:
    """CPC art. 1416: served à personne Friday 29 January 2027 → opposition until Monday
    1 March 2027 (28 February is a Sunday, art. 642)."""
    p = page  # a playwright Page
    p.goto("/dossiers/nouveau")
    # Not logged in: the login form, then back to where the lawyer was going.
    p.get_by_label("Identifiant").fill("maitre.durand")
    p.get_by_label("Mot de passe").fill(PASSWORD)
    p.get_by_role("button", name="Se connecter").click()
    p.wait_for_url("**/dossiers/nouveau")

    p.get_by_label("Référence").fill("E2E-IP-0001")
    p.get_by_label("Procédure").select_option("injonction_de_payer")
    p.get_by_label("Juridiction").select_option("tribunal_judiciaire")
    p.get_by_label("Département du tribunal").fill("75")
    p.get_by_label("Créancier").fill("Dupont & Fils SARL")
    p.get_by_label("Débiteur", exact=True).fill("Élise Martin")
    p.get_by_role("button", name="Ouvrir le dossier").click()
    sync_api.expect(p.get_by_role("heading", name="Dossier E2E-IP-0001")).to_be_visible()

    p.get_by_text("Ordonnance signifiée au débiteur", exact=True).click()
    form = p.locator("form", has=p.locator('input[value="ordonnance_signifiee"]'))
    form.get_by_label("Date").fill("2027-01-29")
    form.get_by_label("Signification à la personne du débiteur").check()
    form.get_by_role("button").click()

    sync_api.expect(p.get_by_role("status")).to_contain_text("Événement enregistré")
    opposition = p.locator("article", has_text="Délai d'opposition du débiteur")
    sync_api.expect(opposition.first).to_contain_text("1er mars 2027")
    sync_api.expect(opposition.first).to_contain_text("CPC art. 1416")

    invoice = tmp_path / "Facture F-2026-001.pdf"
    invoice.write_bytes(b"%PDF-1.4\n% facture F-2026-001\n%%EOF\n")
    p.get_by_label("Nature de la pièce").select_option("facture")
    p.get_by_label("Fichier").set_input_files(str(invoice))
    p.get_by_role("button", name="Ajouter la pièce").click()
    sync_api.expect(p.get_by_role("status")).to_contain_text("Pièce n° 1 ajoutée")
    sync_api.expect(p.get_by_role("link", name="Facture F-2026-001.pdf")).to_be_visible()

    artefacts = Path(os.environ.get("CASEFILE_TEST_ARTIFACTS", ROOT / "test-artifacts"))
    artefacts.mkdir(parents=True, exist_ok=True)
    p.screenshot(path=str(artefacts / "e2e-case-page.png"), full_page=True)

    with p.expect_download() as download_info:
        p.get_by_role("link", name="Calendrier des échéances (.ics)").click()
    target = tmp_path / "case.ics"
    download_info.value.save_as(target)
    text = target.read_text(encoding="utf-8")
    assert text.startswith("BEGIN:VCALENDAR")
    assert "DTSTART;VALUE=DATE:20270301" in text

    # Calendar subscription, by keyboard: the URL is shown once, with its webcal:// link.
    p.get_by_role("button", name="Créer une adresse d'abonnement pour ce dossier").focus()
    p.keyboard.press("Enter")
    sync_api.expect(p.locator("#new-feed")).to_contain_text("Adresse d'abonnement créée")
    webcal = p.get_by_role("link", name="Ouvrir dans l'application d'agenda (webcal://)")
    assert webcal.get_attribute("href").startswith("webcal://")
    url = p.get_by_label("Adresse https").input_value()
    # The shown URL uses the configured base URL; the test server listens on another port.
    feed = p.request.get("/feeds/" + url.split("/feeds/", 1)[1])
    assert feed.status == 200
    assert "DTSTART;VALUE=DATE:20270301" in feed.text()
