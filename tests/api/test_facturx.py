"""Factur-X pièces over HTTP and on the web (issue 16 item 3): an uploaded e-invoice is
recognised, its claim proposed with the real figures, created on confirmation and linked to
the pièce; a bad or non-conforming XML is said in French and the PDF is kept as it is."""

from __future__ import annotations

import hashlib
import html
import itertools
import re

from tests.api.conftest import Api
from tests.api.test_case_forms import browser, labels_match_inputs  # noqa: F401
from tests.api.test_cases import new_case
from tests.api.test_pages import HTML, login
from tests.evidence.facturx_samples import (
    BUYER_SIREN,
    SELLER_SIREN,
    URNS,
    Sample,
    facturx_pdf,
    invoice_xml,
    pdf_with_attachment,
)

_numbers = itertools.count(301)
PARTIES = {
    "creditor": {"name": "Brasserie de l'Ill SAS", "siren": SELLER_SIREN},
    "debtor": {"name": "Café du Dôme SARL", "siren": BUYER_SIREN, "residence": "75"},
}


def fx_case(api: Api, who: str = "avocat") -> dict:
    return new_case(api, who, **PARTIES)


def text(page: str) -> str:
    """The page's text without its tags, entities decoded, every kind of space a plain one."""
    return re.sub(r"[\s\u00a0\u202f]+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page)))


def upload(api: Api, case_id: int, body: bytes, who: str = "avocat", name: str = "facture.pdf"):
    return api.client.post(
        f"/api/cases/{case_id}/evidence",
        headers={**api.headers(who), "content-type": "application/octet-stream"},
        params={"kind": "facture", "filename": name},
        content=body,
    )


def test_an_en16931_invoice_is_proposed_then_created_and_linked(api: Api) -> None:
    case = fx_case(api)
    pdf = facturx_pdf(Sample(profile="en16931", number="F-2026-118"))
    response = upload(api, case["id"], pdf)
    assert response.status_code == 201, response.text
    receipt = response.json()
    assert receipt["sha256"] == hashlib.sha256(pdf).hexdigest()  # stored as uploaded
    assert receipt["facturx"]["status"] == "facturx"
    assert receipt["facturx"]["invoice_number"] == "F-2026-118"

    # The pièce is that invoice from now on: the search finds it by its number.
    found = api.client.get(
        "/api/search", params={"q": "F-2026-118"}, headers=api.headers("avocat")
    ).json()
    items = found["items"] if isinstance(found, dict) else found
    assert (case["reference"], receipt["piece"]) in {(i["reference"], i["number"]) for i in items}

    url = f"/api/cases/{case['id']}/pieces/{receipt['piece']}/facturx"
    proposal = api.client.get(url, headers=api.headers("lecteur"))
    assert proposal.status_code == 200, proposal.text
    body = proposal.json()
    assert body["status"] == "facturx" and body["profile"] == "en16931"
    assert body["profile_label"] == "EN 16931"
    assert body["invoice_number"] == "F-2026-118"
    assert (body["issue_date"], body["due_date"]) == ("2026-09-15", "2026-10-15")
    assert (body["total_without_vat"], body["total_vat"], body["total_with_vat"]) == (
        "1028.80",
        "205.76",
        "1234.56",
    )
    assert body["amount_due"] == "1234.56" and body["currency"] == "EUR"
    assert body["seller"]["siren"] == SELLER_SIREN and body["buyer"]["siren"] == BUYER_SIREN
    assert body["buyer"]["name"] == "Café du Dôme SARL"
    assert body["disagreements"] == [] and body["can_accept"] is True

    # A reader may look, not create.
    refused = api.client.post(f"{url}/accept", headers=api.headers("lecteur"), json={})
    assert refused.status_code == 403
    created = api.client.post(
        f"{url}/accept", headers=api.headers("avocat"), json={"supply": "marchandises"}
    )
    assert created.status_code == 201, created.text
    done = created.json()
    assert done["created"] is True and done["invoice_number"] == "F-2026-118"
    shown = api.client.get(f"/api/cases/{case['id']}", headers=api.headers("avocat")).json()
    [claim] = [c for c in shown["claims"] if c["invoice_number"] == "F-2026-118"]
    assert claim["amount"] == "1234.56" and claim["due_date"] == "2026-10-15"

    again = api.client.get(url, headers=api.headers("avocat")).json()
    assert again["linked_claim_id"] == done["claim_id"] and again["can_accept"] is False
    twice = api.client.post(f"{url}/accept", headers=api.headers("avocat"), json={})
    assert twice.status_code == 409
    assert "déjà rattachée" in twice.json()["error"]


def test_broken_xml_or_a_wrong_profile_keeps_the_pdf_and_says_why(api: Api) -> None:
    case = fx_case(api)
    broken = pdf_with_attachment("factur-x.xml", b"<rsm:CrossIndustryInvoice><oops>")
    response = upload(api, case["id"], broken)
    assert response.status_code == 201, response.text
    receipt = response.json()
    assert receipt["facturx"]["status"] == "invalid"
    assert receipt["facturx"]["notice"].startswith(
        "Le fichier factur-x.xml joint au PDF n'est pas un XML lisible"
    )
    download = api.client.get(
        f"/api/evidence/{receipt['id']}/content", headers=api.headers("avocat")
    )
    assert download.content == broken  # the pièce is the PDF, untouched

    # An EN 16931 invoice declaring the MINIMUM profile: not valid against MINIMUM's XSD.
    wrong = facturx_pdf(
        Sample(profile="minimum"),
        xml=invoice_xml(Sample(profile="en16931", urn=URNS["minimum"])),
    )
    receipt = upload(api, case["id"], wrong).json()
    body = api.client.get(
        f"/api/cases/{case['id']}/pieces/{receipt['piece']}/facturx", headers=api.headers("avocat")
    ).json()
    assert body["status"] == "invalid" and body["profile"] == "minimum"
    assert body["message"].startswith(
        "Le fichier factur-x.xml n'est pas conforme au profil MINIMUM qu'il déclare"
    )
    assert "IncludedSupplyChainTradeLineItem" in body["details"][0]
    assert body["can_accept"] is False
    refused = api.client.post(
        f"/api/cases/{case['id']}/pieces/{receipt['piece']}/facturx/accept",
        headers=api.headers("avocat"),
        json={},
    )
    assert refused.status_code == 422
    assert "n'est pas conforme au profil MINIMUM" in refused.json()["error"]

    # A plain PDF: no e-invoice, nothing said at upload.
    plain = upload(api, case["id"], pdf_with_attachment("notes.txt", b"rien")).json()
    assert "facturx" not in plain
    none = api.client.get(
        f"/api/cases/{case['id']}/pieces/{plain['piece']}/facturx", headers=api.headers("avocat")
    ).json()
    assert none["status"] == "none"
    assert (
        none["message"] == "Cette pièce ne contient pas de facture électronique Factur-X / ZUGFeRD."
    )
    missing = api.client.get(
        f"/api/cases/{case['id']}/pieces/99/facturx", headers=api.headers("avocat")
    )
    assert missing.status_code == 404 and "pas de pièce n° 99" in missing.json()["error"]


def test_the_web_upload_page_and_confirmation_of_a_basic_invoice(browser: Api) -> None:  # noqa: F811
    api = browser
    case = fx_case(api)
    token = login(api, "avocat")
    number = f"F-2026-{next(_numbers)}"
    pdf = facturx_pdf(Sample(profile="basic", number=number))
    response = api.client.post(
        f"/dossiers/{case['id']}/pieces",
        data={"_csrf_token": token, "kind": "facture"},
        files={"file": ("facture.pdf", pdf, "application/pdf")},
        headers=HTML,
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    page = text(api.client.get(f"/dossiers/{case['id']}", headers=HTML).text)
    assert (
        f"Facture électronique Factur-X (profil BASIC) détectée : facture {number} de "
        "1 234,56 € TTC. Vérifiez-la pour créer la créance." in page
    )
    assert f"Factur-X {number} — vérifier et créer la créance" in page

    url = f"/dossiers/{case['id']}/pieces/1/facture-electronique"
    shown = api.client.get(url, headers=HTML)
    assert shown.status_code == 200
    labels_match_inputs(shown.text)
    page = text(shown.text)
    for expected in (
        "profil BASIC",
        f"Numéro {number}",
        "Nature facture commerciale",
        "Date d'émission 15 septembre 2026",
        "Date d'échéance 15 octobre 2026",
        "Total HT 1 028,80 €",
        "TVA 205,76 €",
        "Total TTC 1 234,56 €",
        "Net à payer 1 234,56 €",
        "Vendeur Brasserie de l'Ill SAS — SIREN 552 100 554 — TVA FR40552100554",
        "Acheteur Café du Dôme SARL — SIREN 732 829 320",
        f"Créer la créance {number} de 1 234,56 € TTC",
    ):
        assert expected in page, expected
    assert 'value="2026-10-15"' in shown.text  # the due date, proposed

    done = api.client.post(
        url,
        data={"_csrf_token": token, "due_date": "2026-10-15", "supply": "marchandises"},
        headers=HTML,
        follow_redirects=False,
    )
    assert done.status_code == 303, done.text
    page = text(api.client.get(done.headers["location"], headers=HTML).text)
    assert (
        f"Créance {number} créée d'après la facture électronique de la pièce n° 1, et "
        "rattachée à cette pièce." in page
    )
    assert f"Factur-X {number} — rattachée à la créance" in page
    # The claims table names the pièce that proves each invoice.
    assert (
        f"{number} 15 septembre 2026 15 octobre 2026 1 234,56 € 1 234,56 € fourniture de "
        f"marchandises — Facture électronique Factur-X {number} (pièce n° 1) n° 1 Corriger" in page
    )
    assert f"Cette pièce est rattachée à la créance {number}." in text(
        api.client.get(url, headers=HTML).text
    )


def test_the_web_page_flags_a_disagreement_and_a_minimum_needs_its_due_date(
    browser: Api,  # noqa: F811
) -> None:
    api = browser
    case = fx_case(api)
    number = f"F-2026-{next(_numbers)}"
    recorded = api.client.post(
        f"/api/cases/{case['id']}/claims",
        headers=api.headers("avocat"),
        json={
            "invoice_number": number,
            "issue_date": "2026-09-15",
            "due_date": "2026-10-31",
            "amount": "1200.00",
        },
    )
    assert recorded.status_code == 201, recorded.text
    upload(
        api,
        case["id"],
        facturx_pdf(Sample(number=number, buyer="Café de la Gare SAS", buyer_siren="")),
    )
    other = f"F-2026-{next(_numbers)}"
    upload(api, case["id"], facturx_pdf(Sample(profile="minimum", number=other)))
    token = login(api, "avocat")

    case_page = text(api.client.get(f"/dossiers/{case['id']}", headers=HTML).text)
    assert (
        f"Factur-X {number} — vérifier et créer la créance Ne concorde pas avec le dossier "
        "(3 différences)" in case_page
    )
    url = f"/dossiers/{case['id']}/pieces/1/facture-electronique"
    page = text(api.client.get(url, headers=HTML).text)
    assert "La facture électronique ne concorde pas avec le dossier" in page
    assert (
        "Montant : la créance enregistrée est de 1 200,00 €, la facture électronique indique "
        "1 234,56 € TTC." in page
    )
    assert (
        "Échéance : la créance enregistrée échoit le 31 octobre 2026, la facture électronique "
        "le 15 octobre 2026." in page
    )
    assert (
        "Nom du débiteur : « Café du Dôme SARL » dans le dossier, « Café de la Gare SAS » pour "
        "l'acheteur de la facture électronique." in page
    )
    assert f"Rattacher la pièce à la créance {number}" in page
    linked = api.client.post(url, data={"_csrf_token": token}, headers=HTML, follow_redirects=False)
    assert linked.status_code == 303, linked.text
    page = text(api.client.get(linked.headers["location"], headers=HTML).text)
    assert f"Pièce n° 1 rattachée à la créance {number} déjà enregistrée." in page
    assert "Montant : la créance enregistrée est de 1 200,00 €" in page  # said again, kept

    url = f"/dossiers/{case['id']}/pieces/2/facture-electronique"
    page = text(api.client.get(url, headers=HTML).text)
    assert "profil MINIMUM" in page and "Date d'échéance non indiquée" in page
    assert "La facture (profil MINIMUM) ne porte pas de date d'échéance : indiquez-la." in page
    refused = api.client.post(
        url, data={"_csrf_token": token, "due_date": ""}, headers=HTML, follow_redirects=False
    )
    assert refused.status_code == 422
    assert (
        "date d'échéance : obligatoire (la facture électronique, profil MINIMUM, n'en porte pas)"
        in text(refused.text)
    )
    done = api.client.post(
        url,
        data={"_csrf_token": token, "due_date": "2026-11-15", "supply": "services"},
        headers=HTML,
        follow_redirects=False,
    )
    assert done.status_code == 303, done.text
    shown = api.client.get(f"/api/cases/{case['id']}", headers=api.headers("avocat")).json()
    [claim] = [c for c in shown["claims"] if c["invoice_number"] == other]
    assert (claim["amount"], claim["due_date"]) == ("1234.56", "2026-11-15")


def test_a_foreign_currency_is_said_not_converted(browser: Api) -> None:  # noqa: F811
    api = browser
    case = fx_case(api)
    upload(api, case["id"], facturx_pdf(Sample(number="US-77", currency="USD")))
    login(api, "avocat")
    page = text(
        api.client.get(f"/dossiers/{case['id']}/pieces/1/facture-electronique", headers=HTML).text
    )
    assert "Total TTC 1 234,56 USD" in page
    assert (
        "La facture est libellée en USD : casefile tient les créances en euros et ne convertit "
        "pas ; saisissez la créance en euros vous-même, au cours que vous pouvez justifier." in page
    )
    assert "Créer la créance" not in page
