"""The product as a commissaire de justice walks it: what they may record on the cases assigned
to them, and what a refusal tells them (in French: the role, the event and what they may do
instead, never `commissaire_de_justice`, `jugement_rendu` or `event.write`)."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator

import pytest

from tests.api.conftest import Api
from tests.api.test_cases import new_case
from tests.api.test_pages import HTML, login


@pytest.fixture
def browser(api: Api) -> Iterator[Api]:
    api.client.cookies.clear()
    yield api
    api.client.cookies.clear()


def _assignation_case(api: Api) -> dict:
    return new_case(api, procedure="assignation_paiement")


def test_the_api_refuses_the_lawyers_event_in_french(api: Api) -> None:
    case = _assignation_case(api)
    refused = api.client.post(
        f"/api/cases/{case['id']}/events",
        headers=api.headers("commissaire_de_justice"),
        json={"key": "jugement_rendu", "date": "2026-09-01"},
    )
    assert refused.status_code == 403
    body = refused.json()
    assert body["code"] == "acces_refuse"
    assert body["error"] == (
        "le rôle « commissaire de justice » ne permet pas d'enregistrer l'événement "
        "« Jugement rendu » : un commissaire de justice enregistre les significations et "
        "les actes de son ministère"
    )


def test_withdrawing_the_lawyers_event_says_retirer(api: Api) -> None:
    case = _assignation_case(api)
    recorded = api.client.post(
        f"/api/cases/{case['id']}/events",
        headers=api.headers("avocat"),
        json={"key": "audience", "date": "2026-12-22"},
    )
    assert recorded.status_code == 201, recorded.text
    refused = api.client.delete(
        f"/api/cases/{case['id']}/events/audience",
        headers=api.headers("commissaire_de_justice"),
    )
    assert refused.status_code == 403
    assert refused.json()["error"].startswith(
        "le rôle « commissaire de justice » ne permet pas de retirer l'événement « Audience »"
    )


def test_the_page_refuses_the_lawyers_event_in_french(browser: Api) -> None:
    case = _assignation_case(browser)
    recorded = browser.client.post(
        f"/api/cases/{case['id']}/events",
        headers=browser.headers("avocat"),
        json={"key": "audience", "date": "2026-12-22"},
    )
    event_id = recorded.json()["id"]
    login(browser, "commissaire_de_justice")
    page = browser.client.get(f"/dossiers/{case['id']}/evenements/{event_id}", headers=HTML)
    assert page.status_code == 403
    text = html.unescape(page.text)
    assert (
        "le rôle « commissaire de justice » ne permet pas de corriger l'événement "
        "« Audience »" in text
    )
    assert "le rôle commissaire_de_justice" not in text  # (the test user's login is the key)
    assert "event.write" not in text


def test_the_cli_service_refuses_in_french() -> None:
    import asyncio

    from casefile.errors import Forbidden
    from casefile.services.events import add_event
    from casefile.store.permissions import User

    bailiff = User(99, "klein", "commissaire_de_justice")
    with pytest.raises(Forbidden) as refused:
        asyncio.run(add_event("DOSSIER", "jugement_rendu", "2026-09-01", {}, bailiff))
    message = str(refused.value)
    assert message == (
        "action refusée pour « klein » : le rôle « commissaire de justice » ne permet pas "
        "d'enregistrer l'événement « Jugement rendu » : un commissaire de justice enregistre "
        "les significations et les actes de son ministère"
    )


def _small_claim_case(api: Api) -> dict:
    return new_case(
        api, procedure="petites_creances", court="commissaire_de_justice", court_department="67"
    )


@pytest.mark.parametrize(
    ("procedure", "key", "attributes"),
    [
        # CPC art. 1416 al. 2: the first act served on the debtor in person (a signification).
        ("injonction_de_payer", "premier_acte_a_personne", {}),
        # … or the first measure of execution making the debtor's assets unavailable (a saisie).
        ("injonction_de_payer", "premiere_mesure_execution", {}),
        # CPCE L125-1: the commissaire sends the invitation, records the answer, issues the title.
        ("petites_creances", "invitation_envoyee", {}),
        ("petites_creances", "refus_debiteur", {}),
    ],
)
def test_the_commissaire_records_the_acts_of_their_office(
    api: Api, procedure: str, key: str, attributes: dict
) -> None:
    case = _small_claim_case(api) if procedure == "petites_creances" else new_case(api)
    if key == "refus_debiteur":
        api.client.post(
            f"/api/cases/{case['id']}/events",
            headers=api.headers("commissaire_de_justice"),
            json={"key": "invitation_envoyee", "date": "2026-10-19"},
        )
    recorded = api.client.post(
        f"/api/cases/{case['id']}/events",
        headers=api.headers("commissaire_de_justice"),
        json={"key": key, "date": "2026-11-20", **attributes},
    )
    assert recorded.status_code == 201, recorded.text


def test_the_mandate_stays_the_creditors(api: Api) -> None:
    case = _small_claim_case(api)
    refused = api.client.post(
        f"/api/cases/{case['id']}/events",
        headers=api.headers("commissaire_de_justice"),
        json={"key": "mandat_commissaire", "date": "2026-10-13"},
    )
    assert refused.status_code == 403
    assert "« Mandat donné au commissaire de justice »" in refused.json()["error"]


def test_the_small_claim_page_offers_the_commissaire_their_acts(browser: Api) -> None:
    case = _small_claim_case(browser)
    login(browser, "commissaire_de_justice")
    page = html.unescape(browser.client.get(f"/dossiers/{case['id']}", headers=HTML).text)
    offered = re.findall(r"<button type=\"submit\">Enregistrer « ([^»]+) »</button>", page)
    assert offered == [
        "Invitation envoyée au débiteur (LRAR ou message électronique)",
        "Accord du débiteur sur le montant et les modalités",
        "Refus du débiteur",
        "Titre exécutoire délivré par le commissaire de justice",
    ]


def _piece(api: Api, case_id: int, who: str, kind: str = "facture") -> dict:
    from tests.api.test_evidence import upload_raw

    body = f"%PDF-1.4\n% {who} {case_id} {kind}\n%%EOF\n".encode()
    response = upload_raw(api, case_id, who, body, kind=kind, filename=f"{kind}.pdf")
    assert response.status_code == 201, response.text
    return response.json()


def test_the_commissaire_corrects_their_own_piece_not_the_lawyers(api: Api) -> None:
    case = new_case(api)
    lawyers = _piece(api, case["id"], "avocat")
    own = _piece(api, case["id"], "commissaire_de_justice", "acte_commissaire")
    bailiff = api.headers("commissaire_de_justice")
    refused = api.client.patch(
        f"/api/evidence/{lawyers['id']}", headers=bailiff, json={"kind": "devis"}
    )
    assert refused.status_code == 403
    assert refused.json()["error"] == (
        "la pièce n° 1 (Facture) n'a pas été déposée par vous : un commissaire de justice "
        "corrige la nature, la date et la désignation des seules pièces qu'il a déposées "
        "(demandez la correction à l'avocat ou au créancier)"
    )
    shown = api.client.get(f"/api/cases/{case['id']}", headers=bailiff).json()["evidence"]
    assert [e["kind"] for e in shown] == ["facture", "acte_commissaire"]  # nothing changed
    corrected = api.client.patch(
        f"/api/evidence/{own['id']}",
        headers=bailiff,
        json={"description": "Procès-verbal de signification", "date": "2026-11-30"},
    )
    assert corrected.status_code == 200, corrected.text
    assert corrected.json()["changed"] == ["date", "description"]
    # The lawyer still corrects any pièce of the case, the commissaire's included.
    assert (
        api.client.patch(
            f"/api/evidence/{own['id']}", headers=api.headers("avocat"), json={"kind": "autre"}
        ).status_code
        == 200
    )


def test_the_case_page_offers_the_commissaire_to_correct_their_pieces_only(browser: Api) -> None:
    case = new_case(browser)
    lawyers = _piece(browser, case["id"], "avocat")
    own = _piece(browser, case["id"], "commissaire_de_justice", "acte_commissaire")
    login(browser, "commissaire_de_justice")
    page = browser.client.get(f"/dossiers/{case['id']}", headers=HTML).text
    assert f'action="/dossiers/{case["id"]}/pieces/{own["id"]}"' in page
    assert f'action="/dossiers/{case["id"]}/pieces/{lawyers["id"]}"' not in page
    form = browser.client.get(f"/dossiers/{case['id']}/pieces/{lawyers['id']}", headers=HTML)
    assert form.status_code == 403
    assert "n'a pas été déposée par vous" in html.unescape(form.text)


def test_the_e_invoice_link_does_not_ask_the_commissaire_to_create_the_claim(
    browser: Api,
) -> None:
    """Creating the claim from a Factur-X pièce is the lawyer's or the creditor's (claim.write):
    the commissaire's link reads the e-invoice, it does not send them to a form they lack."""
    from tests.evidence.facturx_samples import Sample, facturx_pdf

    case = new_case(browser)
    response = browser.client.post(
        f"/api/cases/{case['id']}/evidence",
        headers={**browser.headers("avocat"), "content-type": "application/octet-stream"},
        params={"kind": "facture", "filename": "facture.pdf"},
        content=facturx_pdf(Sample(number="CJ-FX-0001")),
    )
    assert response.status_code == 201, response.text
    login(browser, "commissaire_de_justice")
    page = html.unescape(browser.client.get(f"/dossiers/{case['id']}", headers=HTML).text)
    assert "Factur-X CJ-FX-0001 — voir la facture électronique" in page
    assert "créer la créance" not in page
    browser.client.cookies.clear()
    login(browser, "avocat")
    page = html.unescape(browser.client.get(f"/dossiers/{case['id']}", headers=HTML).text)
    assert "Factur-X CJ-FX-0001 — vérifier et créer la créance" in page


def _options(page: str, select_id: str) -> set[str]:
    found = re.search(rf'<select id="{select_id}"[^>]*>(.*?)</select>', page, re.S)
    assert found, select_id
    return set(re.findall(r"<option value=\"([^\"]*)\"", found.group(1))) - {"", "aucun"}


def test_the_commissaire_s_filters_name_only_the_people_of_their_cases(browser: Api) -> None:
    """Another office's commissaire, a lawyer who never worked with them: not in their lists
    (the cases are filtered already; the names of the creditor's other contacts are not theirs
    to read either)."""
    created = browser.client.post(
        "/api/users",
        headers=browser.headers("admin"),
        json={"name": "me_tiers", "role": "avocat", "full_name": "Jean Tiers"},
    )
    assert created.status_code == 201, created.text
    new_case(browser, lawyer="avocat")  # assigned to commissaire_de_justice, with avocat
    new_case(browser, lawyer="me_tiers", commissaire="commissaire_2")
    login(browser, "commissaire_de_justice")
    portfolio = browser.client.get("/dossiers", headers=HTML).text
    assert _options(portfolio, "pf-commissaire") == {"commissaire_de_justice"}
    assert "avocat" in _options(portfolio, "pf-lawyer")
    assert "me_tiers" not in _options(portfolio, "pf-lawyer")
    agenda = browser.client.get("/agenda", headers=HTML).text
    assert "commissaire_2" not in _options(agenda, "ag-who")
    assert "me_tiers" not in _options(agenda, "ag-who")
    assert {"commissaire_de_justice", "avocat"} <= _options(agenda, "ag-who")
    assert "Jean Tiers" not in portfolio + agenda
    report = browser.client.get("/rapports/balance-agee", headers=HTML).text
    assert "Jean Tiers" not in report
    browser.client.cookies.clear()
    login(browser, "avocat")
    portfolio = browser.client.get("/dossiers", headers=HTML).text
    assert {"commissaire_de_justice", "commissaire_2"} <= _options(portfolio, "pf-commissaire")
    assert "me_tiers" in _options(portfolio, "pf-lawyer")


def test_no_empty_event_section_when_the_commissaire_can_record_nothing(browser: Api) -> None:
    """An amicable case assigned to a commissaire: none of its events is theirs to record, so
    the page has no « Enregistrer un événement » heading over nothing."""
    case = new_case(browser, procedure="amiable", court=None)
    login(browser, "commissaire_de_justice")
    page = browser.client.get(f"/dossiers/{case['id']}", headers=HTML)
    assert page.status_code == 200, page.text
    assert "Enregistrer un événement" not in page.text
    browser.client.cookies.clear()
    login(browser, "avocat")
    page = browser.client.get(f"/dossiers/{case['id']}", headers=HTML)
    assert "Enregistrer un événement" in page.text
