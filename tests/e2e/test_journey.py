"""From first contact to filing in a real Chromium (issue 12 item 8), from an empty database:
open a case, enter the creditor and the debtor with SIREN and address, two invoices and a
partial payment, render the mise en demeure, record the injonction de payer events and watch
the "À faire" list move, then download the bundle and the .ics. Every field is found by its
label; the forms are sent with the keyboard. Screenshots go to $CASEFILE_TEST_ARTIFACTS
(default: test-artifacts/ at the repository root).

Needs the `playwright` package and Debian's chromium at /usr/bin/chromium (installed by
.ci/run); never `playwright install`.
"""

from __future__ import annotations

import io
import os
import zipfile
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.site import CHROMIUM, browser_page, served

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "mot de passe du parcours"
LAWYER = "maitre.lefort"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium is not installed"),
]
sync_api = pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with served(tmp_path_factory.mktemp("journey"), "journey", LAWYER, PASSWORD) as url:
        yield url


@pytest.fixture(scope="module")
def page(base_url: str) -> Iterator[Any]:
    with browser_page(sync_api, base_url) as opened:
        yield opened


def artefacts() -> Path:
    folder = Path(os.environ.get("CASEFILE_TEST_ARTIFACTS", ROOT / "test-artifacts"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def shot(p: Any, name: str) -> None:
    p.screenshot(path=str(artefacts() / f"e2e-journey-{name}.png"), full_page=True)


def submit_with_keyboard(field: Any) -> None:
    """Send the form the way a keyboard user does: Enter in a text field."""
    field.focus()
    field.press("Enter")


def party(p: Any, who: str, values: dict[str, str]) -> None:
    """The party's identity fields, inside their disclosure, found by their labels."""
    p.get_by_text(f"Identité, adresse et coordonnées du {who}", exact=True).click()
    fieldset = p.get_by_role("group", name=who.capitalize(), exact=True)
    for label, value in values.items():
        field = fieldset.get_by_label(label, exact=True)
        if field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(label=value)
        else:
            field.fill(value)


def record_event(p: Any, label: str, day: date, **checks: bool) -> None:
    p.locator("summary", has_text=label).first.click()
    form = p.locator("form", has=p.get_by_role("button", name=f"Enregistrer « {label} »"))
    form.get_by_label("Date", exact=True).fill(day.isoformat())
    for check_label, on in checks.items():
        if on:
            form.get_by_label(check_label).check()
    submit_with_keyboard(form.get_by_label("Date", exact=True))
    sync_api.expect(p.get_by_role("status")).to_contain_text("Événement enregistré")


def todo(p: Any) -> Any:
    return p.locator("#a-faire")


def test_a_lawyer_runs_a_case_from_intake_to_the_certificate(page: Any, tmp_path: Path) -> None:
    p = page
    today = date.today()
    p.goto("/dossiers/nouveau")
    p.get_by_label("Identifiant").fill(LAWYER)
    p.get_by_label("Mot de passe").fill(PASSWORD)
    submit_with_keyboard(p.get_by_label("Mot de passe"))
    p.wait_for_url("**/dossiers/nouveau")

    # 1. The case, with both parties identified (SIREN with its check digit, postal address).
    p.get_by_label("Référence", exact=True).fill("PARCOURS-0001")
    p.get_by_label("Procédure").select_option("injonction_de_payer")
    p.get_by_label("Juridiction").select_option("tribunal_de_commerce")
    p.get_by_label("Département du tribunal").fill("69")
    p.get_by_label("Créancier", exact=True).fill("Tissages Lyonnais")
    party(
        p,
        "créancier",
        {
            "Forme juridique (SAS, SARL…)": "SAS",
            "SIREN (9 chiffres)": "732829320",
            "Ville du RCS": "Lyon",
            "Adresse (numéro et voie)": "12 rue de la Soie",
            "Code postal": "69001",
            "Ville": "Lyon",
        },
    )
    p.get_by_label("Débiteur", exact=True).fill("Boutique Écrue")
    party(
        p,
        "débiteur",
        {
            "Forme juridique (SAS, SARL…)": "SARL",
            "SIREN (9 chiffres)": "552100554",
            "Ville du RCS": "Villeurbanne",
            "Adresse (numéro et voie)": "3 cours Émile-Zola",
            "Code postal": "69100",
            "Ville": "Villeurbanne",
        },
    )
    shot(p, "1-new-case")
    p.get_by_role("button", name="Ouvrir le dossier").click()
    sync_api.expect(p.get_by_role("heading", name="Dossier PARCOURS-0001")).to_be_visible()
    data = p.locator("#case-data")
    sync_api.expect(data).to_contain_text("732\u00a0829\u00a0320")  # grouped for a reader
    sync_api.expect(data).to_contain_text("69100")
    case_url = p.url

    # 2. Two invoices and a partial payment.
    for number, issued, amount in (
        ("F-2026-101", 150, "2 480,00"),
        ("F-2026-102", 120, "1 600,00"),
    ):
        p.get_by_role("link", name="Ajouter une facture").click()
        p.get_by_label("Numéro de facture").fill(number)
        p.get_by_label("Date d'émission").fill((today - timedelta(days=issued)).isoformat())
        p.get_by_label("Date d'échéance").fill((today - timedelta(days=issued - 30)).isoformat())
        p.get_by_label("Montant TTC (€)").fill(amount)
        submit_with_keyboard(p.get_by_label("Numéro de facture"))
        p.wait_for_url(case_url + "*")
        sync_api.expect(data).to_contain_text(number)
    p.get_by_role("link", name="Enregistrer un paiement").click()
    p.get_by_label("Date du paiement").fill((today - timedelta(days=40)).isoformat())
    p.get_by_label("Montant (€)").fill("1 000,00")
    p.get_by_label("Facture réglée").select_option(label="F-2026-101")
    p.get_by_label("Référence (virement, chèque…)").fill("VIR-778")
    submit_with_keyboard(p.get_by_label("Référence (virement, chèque…)"))
    p.wait_for_url(case_url + "*")
    sync_api.expect(data).to_contain_text("VIR-778")
    sync_api.expect(data).to_contain_text("1 000,00")
    sync_api.expect(p.locator("#comparaison")).to_contain_text("non renseigné")

    # 3. The mise en demeure, rendered from the case.
    p.get_by_label("Modèle").select_option(label="Mise en demeure de payer")
    p.get_by_role("button", name="Générer le document").click()
    sync_api.expect(p.get_by_role("status")).to_contain_text(
        "Document « Mise en demeure de payer »"
    )
    sync_api.expect(p.get_by_role("link", name="Mise en demeure de payer")).to_be_visible()
    shot(p, "2-case-data")
    # Nothing runs past the window (the statement's interest lines once did, cut off).
    assert p.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    # 4. The injonction de payer, event by event; "À faire" follows.
    sync_api.expect(todo(p)).to_contain_text("Déposer la requête en injonction de payer au greffe")
    record_event(p, "Requête en injonction de payer déposée au greffe", today - timedelta(days=110))
    record_event(p, "Ordonnance portant injonction de payer rendue", today - timedelta(days=100))
    sync_api.expect(todo(p)).to_contain_text(
        "Faire signifier l'ordonnance par commissaire de justice"
    )
    shot(p, "3-a-faire-signification")
    record_event(
        p,
        "Ordonnance signifiée au débiteur",
        today - timedelta(days=60),
        **{"Signification à la personne du débiteur (CPC art. 654)": True},
    )
    sync_api.expect(todo(p)).not_to_contain_text("Faire signifier l'ordonnance")
    sync_api.expect(todo(p)).to_contain_text("Demander au greffe le certificat de non-opposition")
    sync_api.expect(todo(p)).to_contain_text("Délai d'opposition du débiteur expiré le")
    shot(p, "4-a-faire-certificat")
    todo(p).get_by_role(
        "button", name="Générer « Demande de certificat de non-opposition »"
    ).click()
    sync_api.expect(p.get_by_role("status")).to_contain_text(
        "Document « Demande de certificat de non-opposition »"
    )
    record_event(p, "Certificat de non-opposition demandé au greffe", today - timedelta(days=1))
    sync_api.expect(todo(p)).to_contain_text("Rien à faire de notre côté pour l'instant.")
    shot(p, "5-a-faire-vide")

    # 5. The bundle and the calendar.
    with p.expect_download() as download_info:
        p.get_by_role("link", name="Bordereau et pièces (.zip)").click()
    bundle = tmp_path / "bundle.zip"
    download_info.value.save_as(bundle)
    with zipfile.ZipFile(io.BytesIO(bundle.read_bytes())) as archive:
        assert archive.namelist(), "the bundle is empty"
    with p.expect_download() as download_info:
        p.get_by_role("link", name="Calendrier des échéances (.ics)").click()
    ics = tmp_path / "case.ics"
    download_info.value.save_as(ics)
    text = ics.read_text(encoding="utf-8")
    assert text.startswith("BEGIN:VCALENDAR")
    assert "Délai d'opposition du débiteur" in text.replace("\r\n ", "")


def test_the_portfolio_finds_the_case_by_siren_and_invoice(page: Any) -> None:
    p = page
    p.goto("/dossiers")
    search = p.get_by_label("Recherche (référence, partie, SIREN, n° de facture)")
    search.fill("552100554")
    submit_with_keyboard(search)
    sync_api.expect(p.get_by_role("link", name="PARCOURS-0001")).to_be_visible()
    search = p.get_by_label("Recherche (référence, partie, SIREN, n° de facture)")
    search.fill("F-2026-102")
    submit_with_keyboard(search)
    sync_api.expect(p.get_by_role("link", name="PARCOURS-0001")).to_be_visible()
    shot(p, "6-portefeuille")
