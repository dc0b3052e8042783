"""Handover to litigation through the API and the case page (issue 17 item 3); the use case
itself is checked on both engines in tests/services/test_handover.py."""

from __future__ import annotations

import html
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from datetime import date, timedelta

import pytest

from tests.api.conftest import Api
from tests.api.test_cases import new_case
from tests.api.test_pages import HTML, login


@pytest.fixture
def browser(api: Api) -> Iterator[Api]:
    api.client.cookies.clear()
    yield api
    api.client.cookies.clear()


def _amicable(api: Api) -> dict:
    case = new_case(
        api,
        procedure="amiable",
        court=None,
        creditor={"name": "Brasserie de l'Ill SAS", "kind": "professionnel"},
        debtor={"name": "Winstub Muller SARL", "kind": "professionnel", "residence": "75"},
    )
    response = api.client.post(
        f"/api/cases/{case['id']}/claims",
        headers=api.headers("avocat"),
        json={
            "invoice_number": f"HO-{case['id']}",
            "issue_date": "2026-06-01",
            "due_date": "2026-07-01",
            "amount": "12000.00",
        },
    )
    assert response.status_code == 201, response.text
    event = api.client.post(
        f"/api/cases/{case['id']}/events",
        headers=api.headers("avocat"),
        json={"key": "mise_en_demeure_envoyee", "date": "2026-09-01", "delai": "8 days"},
    )
    assert event.status_code == 201, event.text
    return case


def test_the_api_hands_an_amicable_file_over_once(api: Api) -> None:
    case = _amicable(api)
    assert case["phase"] == "amiable"
    url = f"/api/cases/{case['id']}/handover"
    closed = api.client.post(
        url, headers=api.headers("avocat"), json={"procedure": "petites_creances"}
    )
    assert closed.status_code == 422
    assert "fermée selon le conseil" in closed.json()["error"]
    done = api.client.post(url, headers=api.headers("avocat"), json={})
    assert done.status_code == 200, done.text
    body = done.json()
    assert (body["phase"], body["procedure"]) == ("contentieux", "injonction_de_payer")
    assert body["carried"]["invoices"] == 1
    again = api.client.post(url, headers=api.headers("avocat"), json={})
    assert again.status_code == 409
    assert "déjà au contentieux" in again.json()["error"]
    shown = api.client.get(f"/api/cases/{case['id']}", headers=api.headers("lecteur")).json()
    assert (shown["phase"], shown["procedure"]) == ("contentieux", "injonction_de_payer")


def test_the_case_page_offers_the_handover_and_reports_it(browser: Api) -> None:
    case = _amicable(browser)
    token = login(browser, "avocat")
    page = browser.client.get(f"/dossiers/{case['id']}", headers=HTML)
    assert "Transmettre au contentieux" in page.text
    assert '<label for="handover-procedure">Procédure</label>' in page.text
    response = browser.client.post(
        f"/dossiers/{case['id']}/contentieux",
        data={"_csrf_token": token, "procedure": ""},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    after = browser.client.get(f"/dossiers/{case['id']}", headers=HTML)
    assert "Dossier transmis au contentieux : Injonction de payer." in after.text
    assert "Contentieux depuis le" in after.text
    assert 'action="/dossiers/' + str(case["id"]) + '/contentieux"' not in after.text
    # The amicable history keeps its French labels on the litigation case's page.
    assert "<strong>Mise en demeure envoyée</strong>" in after.text
    assert "8 jours" in after.text and "mise_en_demeure_envoyee</strong>" not in after.text


def test_the_amicable_events_keep_their_labels_in_the_events_table(browser: Api) -> None:
    """After the handover the events table showed « exigibilite » (the key): the court
    procedure does not define it, the amicable one does."""
    case = _amicable(browser)
    event = browser.client.post(
        f"/api/cases/{case['id']}/events",
        headers=browser.headers("avocat"),
        json={"key": "exigibilite", "date": "2026-07-01", "debiteur": "professionnel"},
    )
    assert event.status_code == 201, event.text
    done = browser.client.post(
        f"/api/cases/{case['id']}/handover", headers=browser.headers("avocat"), json={}
    )
    assert done.status_code == 200, done.text
    login(browser, "avocat")
    page = browser.client.get(f"/dossiers/{case['id']}", headers=HTML).text
    table = page[
        page.index("Événements de la procédure") : page.index(
            "</table>", page.index("Événements de la procédure")
        )
    ]
    assert "<td>Exigibilité de la créance (échéance de la facture)</td>" in table
    assert "<td>exigibilite</td>" not in table
    assert "<td>Mise en demeure envoyée</td>" in table


def test_after_the_handover_the_reminders_say_once_why_they_stopped(browser: Api) -> None:
    """It read « relances arrêtées (arrêtées : le dossier est passé au contentieux) », and a
    failed e-mail still offered « Réessayer », which the handover refuses."""
    case = _amicable(browser)
    with closing(sqlite3.connect(browser.var / "casefile.db")) as connection, connection:
        connection.execute(
            'INSERT INTO dunning_actions (key, "case", scenario, level, position, channel, '
            "due_on, status, recipient, message, outcome, letter_on, message_id, created_at, "
            "done_on, done_by) VALUES (?, ?, 'professionnel', 'rappel', 1, 'email', "
            "'2026-07-06', 'echec', '', 'le débiteur n''a pas d''adresse e-mail', '', NULL, '', "
            "'2026-07-06 07:00:00+00:00', '2026-07-06', '')",
            (f"{case['id']}:professionnel:rappel", case["id"]),
        )
    promised_for = (date.today() + timedelta(days=10)).isoformat()
    promise = browser.client.post(
        f"/api/cases/{case['id']}/promises",
        headers=browser.headers("avocat"),
        json={"amount": "1000.00", "promised_for": promised_for},
    )
    assert promise.status_code == 201, promise.text
    login(browser, "avocat")
    before = html.unescape(browser.client.get(f"/dossiers/{case['id']}", headers=HTML).text)
    assert 'action="/relances/' in before and ">Réessayer</button>" in before
    done = browser.client.post(
        f"/api/cases/{case['id']}/handover", headers=browser.headers("avocat"), json={}
    )
    assert done.status_code == 200, done.text
    page = html.unescape(browser.client.get(f"/dossiers/{case['id']}", headers=HTML).text)
    assert "— relances arrêtées : le dossier est passé au contentieux." in page
    assert "(arrêtées :" not in page
    assert ">Réessayer</button>" not in page
    # The promise stays a deadline of the case; what its breach means holds in both phases.
    assert (
        "Pour nous : promesse rompue : en phase amiable, les relances passent au niveau suivant"
    ) in page
