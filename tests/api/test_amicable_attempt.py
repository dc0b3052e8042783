"""The prior amicable attempt of CPC art. 750-1 through the API and the case page: recorded like
any event (labels from the definition, in French), it lets the TJ assignation of a 3 000,00 €
claim be generated; without it the assignation is refused with the rule and what to record."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator

import pytest

from casefile.documents.text import docx_text
from tests.api.conftest import Api
from tests.api.test_cases import new_case
from tests.api.test_pages import HTML, login

EVENT = "Tentative préalable de résolution amiable ou dispense (CPC art. 750-1)"


@pytest.fixture
def browser(api: Api) -> Iterator[Api]:
    api.client.cookies.clear()
    yield api
    api.client.cookies.clear()


def _shown(page: str, heading: str) -> str:
    start = page.index(f'aria-labelledby="{heading}"')
    part = page[start : page.index("</section>", start)]
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", part)).split())


def _case(api: Api, amount: str = "3000.00") -> dict:
    """An assignation en paiement before the tribunal judiciaire of Paris against a consumer,
    one invoice of `amount` due on 15 February 2026, its hearing on 3 February 2027."""
    case = new_case(api, procedure="assignation_paiement")
    posted = api.client.post(
        f"/api/cases/{case['id']}/claims",
        headers=api.headers("avocat"),
        json={
            "invoice_number": f"AM-{case['id']}",
            "issue_date": "2026-01-15",
            "due_date": "2026-02-15",
            "amount": amount,
        },
    )
    assert posted.status_code == 201, posted.text
    hearing = api.client.post(
        f"/api/cases/{case['id']}/events",
        headers=api.headers("avocat"),
        json={"key": "audience", "date": "2027-02-03", "heure": "09:30"},
    )
    assert hearing.status_code == 201, hearing.text
    return case


def _assignation(api: Api, case: dict):  # type: ignore[no-untyped-def]
    return api.client.post(
        f"/api/cases/{case['id']}/documents",
        headers=api.headers("avocat"),
        json={"template": "assignation_paiement_tj"},
    )


def test_the_definition_offers_the_modes_and_dispenses_with_their_labels(api: Api) -> None:
    detail = api.client.get(
        "/api/procedures/assignation_paiement", headers=api.headers("lecteur")
    ).json()
    event = next(e for e in detail["events"] if e["key"] == "tentative_amiable")
    assert event["label"] == EVENT
    mode, dispense = event["attributes"]
    assert [(o["value"], o["label"]) for o in mode["options"]] == [
        ("conciliation", "Conciliation par un conciliateur de justice"),
        ("mediation", "Médiation"),
        ("procedure_participative", "Procédure participative"),
    ]
    assert mode["choices"] == ["conciliation", "mediation", "procedure_participative"]
    uncertain = [o["value"] for o in dispense["options"] if o["uncertain"]]
    assert uncertain == ["petites_creances"]
    urgence = next(o for o in dispense["options"] if o["value"] == "urgence_manifeste")
    assert urgence == {
        "value": "urgence_manifeste",
        "label": "Motif légitime : urgence manifeste",
        "basis": "CPC art. 750-1, 3° (rédaction du décret n° 2023-357)",
        "source": "https://venezia-commissairesdejustice.com/?p=8832",
        "note": "",
        "uncertain": False,
    }


def test_the_api_refuses_the_assignation_until_the_attempt_is_recorded(api: Api) -> None:
    case = _case(api)
    refused = _assignation(api, case)
    assert refused.status_code == 422, refused.text
    message = refused.json()["error"]
    assert refused.json()["code"] == "tentative_amiable_absente"
    assert "l'article 750-1 du code de procédure civile impose" in message
    assert "à peine d'irrecevabilité que le juge peut relever d'office" in message
    assert f"l'événement « {EVENT} »" in message
    bad = api.client.post(
        f"/api/cases/{case['id']}/events",
        headers=api.headers("avocat"),
        json={"key": "tentative_amiable", "date": "2026-03-02", "mode": "arbitrage"},
    )
    assert bad.status_code == 422
    assert "« Mode de la tentative » (mode) : reçu « arbitrage »" in bad.json()["error"]
    before = api.client.get(f"/api/cases/{case['id']}/deadlines", headers=api.headers("lecteur"))
    recorded = api.client.post(
        f"/api/cases/{case['id']}/events",
        headers=api.headers("avocat"),
        json={"key": "tentative_amiable", "date": "2026-03-02", "mode": "conciliation"},
    )
    assert recorded.status_code == 201, recorded.text
    assert (recorded.json()["added"], recorded.json()["moved"], recorded.json()["removed"]) == (
        [],
        [],
        [],
    )
    after = api.client.get(f"/api/cases/{case['id']}/deadlines", headers=api.headers("lecteur"))
    assert after.json() == before.json()
    made = _assignation(api, case)
    assert made.status_code == 201, made.text
    assert made.json()["template"] == "assignation_paiement_tj_sans_avocat"
    content = api.client.get(
        f"/api/documents/{made.json()['id']}/content", headers=api.headers("avocat")
    )
    [paragraph] = [line for line in docx_text(content.content).splitlines() if "750-1" in line]
    assert paragraph == (
        "Conformément à l'article 750-1 du code de procédure civile, la demande, qui tend au "
        "paiement d'une somme n'excédant pas 5\u202f000,00\u00a0€, a été précédée d'une "
        "tentative de résolution amiable : conciliation par un conciliateur de justice, le "
        "2 mars 2026."
    )


def test_a_6000_euro_claim_gets_its_assignation_without_it(api: Api) -> None:
    case = _case(api, "6000.00")
    made = _assignation(api, case)
    assert made.status_code == 201, made.text
    content = api.client.get(
        f"/api/documents/{made.json()['id']}/content", headers=api.headers("avocat")
    )
    assert "750-1" not in docx_text(content.content)


def test_the_case_page_refuses_the_assignation_in_words_without_a_template_key(
    browser: Api,
) -> None:
    """Asked for the assignation with avocat, the case gets the variant below 10 000 €, which
    750-1 refuses: the message names the document asked for, never a key."""
    case = _case(browser)
    token = login(browser, "avocat")
    page = browser.client.post(
        f"/dossiers/{case['id']}/documents",
        data={"_csrf_token": token, "template": "assignation_paiement_tj"},
        headers=HTML,
    )
    assert page.status_code == 200
    found = re.search(r'<div class="flash[^"]*" role="status">(.*?)</div>', page.text, re.S)
    assert found, page.text
    message = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", found.group(1))).split())
    assert message.startswith(
        "Le document « Assignation en paiement (tribunal judiciaire) » ne peut pas être généré "
        ": la demande en paiement de 3 000,00 € en principal devant le tribunal judiciaire "
        "n'excède pas 5 000,00 € au "
    )
    assert "assignation_paiement_tj" not in message
    assert message.endswith(
        f"Enregistrez dans la chronologie du dossier l'événement « {EVENT} » : le mode et la "
        "date de la tentative, ou la dispense invoquée"
    )


def test_the_case_page_says_what_blocks_the_assignation_and_records_the_dispense(
    browser: Api,
) -> None:
    case = _case(browser)
    token = login(browser, "avocat")
    page = browser.client.get(f"/dossiers/{case['id']}", headers=HTML).text
    docs = _shown(page, "h-docs")
    assert "l'article 750-1 du code de procédure civile impose" in docs
    form = _shown(page, "h-event")
    assert (
        f"{EVENT} Date Mode de la tentative — Conciliation par un conciliateur de justice" in form
    )
    assert "Dispense invoquée — Demande d'homologation d'un accord" in form
    assert (
        "vainement engagée (non confirmé) Procédure simplifiée de recouvrement des petites "
        "créances de l'article L. 125-1 du code des procédures civiles d'exécution vainement "
        "engagée : Dispense de la rédaction annulée en 2022 ; son maintien dans la rédaction du "
        "décret n° 2023-357 n'est pas confirmé"
    ) in form
    assert "urgence_manifeste" not in form  # the value is the option's, never shown
    recorded = browser.client.post(
        f"/dossiers/{case['id']}/evenements",
        data={
            "_csrf_token": token,
            "key": "tentative_amiable",
            "date": "2026-11-30",
            "dispense": "urgence_manifeste",
        },
        follow_redirects=False,
    )
    assert recorded.status_code == 303, recorded.text
    page = browser.client.get(f"/dossiers/{case['id']}", headers=HTML).text
    timeline = _shown(page, "h-timeline")
    assert f"{EVENT} · Dispense invoquée : Motif légitime : urgence manifeste" in timeline
    assert "l'article 750-1 du code de procédure civile impose" not in _shown(page, "h-docs")
