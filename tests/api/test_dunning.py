"""Reminder scenarios and promises through the API and the pages (issue 17 items 1-2): the
scenario state of an amicable file, a promise recorded (a deadline of the case, suspending the
reminders), a dispute entered on the case page, the "À envoyer" and "Appels à passer" lists."""

from __future__ import annotations

import html
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from datetime import date, timedelta

import pytest

from casefile.documents.formatting import date_fr
from casefile.settings import reset_settings
from tests.api.conftest import Api
from tests.api.test_case_forms import labels_match_inputs, post
from tests.api.test_cases import new_case
from tests.api.test_pages import HTML, login
from tests.notify.conftest import Smtp, smtp  # noqa: F401 - the fixture

TODAY = date.today()


@pytest.fixture
def browser(api: Api) -> Iterator[Api]:
    api.client.cookies.clear()
    yield api
    api.client.cookies.clear()


def amicable(api: Api) -> dict:
    case = new_case(
        api,
        "credit_manager",
        procedure="amiable",
        court=None,
        court_department="67",
        commissaire=None,
        creditor={"name": "Fournitures Rhénanes SAS", "kind": "professionnel"},
        debtor={"name": "Winstub Muller SARL", "kind": "professionnel", "residence": "67"},
    )
    for number, amount in (("REL-1", "1250.00"), ("REL-2", "300.00")):
        response = api.client.post(
            f"/api/cases/{case['id']}/claims",
            headers=api.headers("credit_manager"),
            json={
                "invoice_number": f"{case['reference']}-{number}",
                "issue_date": (TODAY - timedelta(days=60)).isoformat(),
                "due_date": (TODAY - timedelta(days=30)).isoformat(),
                "amount": amount,
            },
        )
        assert response.status_code == 201, response.text
    return case


def test_the_scenario_state_and_a_promise_through_the_api(api: Api) -> None:
    case = amicable(api)
    state = api.client.get(f"/api/cases/{case['id']}/relances", headers=api.headers("lecteur"))
    assert state.status_code == 200, state.text
    body = state.json()
    assert (body["scenario"], body["phase"], body["state"]) == ("professionnel", "amiable", "du")
    assert body["next_level"] == "rappel" and body["outstanding"] == "1550.00"
    assert [lv["key"] for lv in body["levels"]] == ["rappel", "relance", "appel", "mise_en_demeure"]
    assert body["levels"][0]["from"] == "echeance"

    promised_for = (TODAY + timedelta(days=10)).isoformat()
    made = api.client.post(
        f"/api/cases/{case['id']}/promises",
        headers=api.headers("credit_manager"),
        json={"amount": "1550.00", "promised_for": promised_for, "made_by": "M. Muller, gérant"},
    )
    assert made.status_code == 201, made.text
    assert made.json()["added"] == [f"promesse_{made.json()['id']}"]
    deadlines = api.client.get(
        f"/api/cases/{case['id']}/deadlines", headers=api.headers("lecteur")
    ).json()
    promise = next(d for d in deadlines if d["key"].startswith("promesse_"))
    assert (promise["due"], promise["actor"], promise["status"]) == (
        promised_for,
        "debiteur",
        "pending",
    )
    state = api.client.get(
        f"/api/cases/{case['id']}/relances", headers=api.headers("lecteur")
    ).json()
    assert state["state"] == "attente" and state["reason"].startswith("promesse de paiement")
    assert state["promises"][0]["status_label"] == "en cours"

    bad = api.client.post(
        f"/api/cases/{case['id']}/promises",
        headers=api.headers("credit_manager"),
        json={"amount": "0", "promised_for": promised_for, "channel": "fax"},
    )
    assert bad.status_code == 422
    assert "montant promis : doit être positif" in bad.text and "« fax » inconnu" in bad.text

    cancelled = api.client.delete(
        f"/api/cases/{case['id']}/promises/{made.json()['id']}?reason=erreur",
        headers=api.headers("credit_manager"),
    )
    assert cancelled.status_code == 200 and cancelled.json()["removed"] == [promise["key"]]


def test_a_dispute_and_a_promise_on_the_case_page_in_french(browser: Api) -> None:
    case = amicable(browser)
    token = login(browser, "credit_manager")
    page = browser.client.get(f"/dossiers/{case['id']}", headers=HTML).text
    assert "Relances amiables" in page and "Relances d&#39;un débiteur professionnel" in page
    assert "Rappel courtois par e-mail" in page and "1 550,00" in html.unescape(page).replace(
        "\u202f", " "
    )
    labels_match_inputs(page)

    done = post(
        browser,
        token,
        f"/dossiers/{case['id']}/contestations",
        invoice=f"{case['reference']}-REL-2",
        disputed="1",
        reason="livraison incomplète",
    )
    assert done.status_code == 303
    page = browser.client.get(done.headers["location"], headers=HTML).text
    text = html.unescape(page)
    assert f"Facture {case['reference']}-REL-2 contestée : exclue des relances" in text
    assert f"factures contestées, hors relances : {case['reference']}-REL-2" in text

    refused = post(
        browser,
        token,
        f"/dossiers/{case['id']}/promesses",
        amount="abc",
        promised_for=TODAY.isoformat(),
        made_by="M. Rossi, gérant",
        channel="courrier",
        note="rappeler lundi",
    )
    text = html.unescape(browser.client.get(refused.headers["location"], headers=HTML).text)
    assert "Promesse non enregistrée : montant promis : « abc » n'est pas un montant" in text
    # What was typed is back in the form, for a correction instead of a second typing.
    assert (
        'id="pr-amount" name="amount" type="text" inputmode="decimal" required value="abc"' in text
    )
    assert f'name="promised_for" type="date" required value="{TODAY.isoformat()}"' in text
    assert 'maxlength="300" value="M. Rossi, gérant"' in text
    assert '<option value="courrier" selected>par courrier</option>' in text
    assert 'maxlength="2000" value="rappeler lundi"' in text
    # Shown once: the next visit has an empty form again.
    again = html.unescape(browser.client.get(f"/dossiers/{case['id']}", headers=HTML).text)
    assert 'value="M. Rossi, gérant"' not in again and 'value="abc"' not in again

    # Read as every amount of casefile is (it took « 1e3 » for 1 000 €).
    exponent = post(
        browser,
        token,
        f"/dossiers/{case['id']}/promesses",
        amount="1e3",
        promised_for=TODAY.isoformat(),
    )
    text = html.unescape(browser.client.get(exponent.headers["location"], headers=HTML).text)
    assert "Promesse non enregistrée : montant promis : « 1e3 » n'est pas un montant" in text
    ok = post(
        browser,
        token,
        f"/dossiers/{case['id']}/promesses",
        amount="1 250,00",
        promised_for=(TODAY + timedelta(days=7)).isoformat(),
        made_by="Mme Muller",
        channel="telephone",
    )
    text = html.unescape(browser.client.get(ok.headers["location"], headers=HTML).text)
    assert "Promesse de paiement enregistrée" in text
    assert "promis par Mme Muller, le " in text  # « Mme Muller le … » read as one name


def test_the_lists_to_work_on_are_in_french(browser: Api) -> None:
    login(browser, "credit_manager")
    letters = browser.client.get("/relances/a-envoyer", headers=HTML)
    calls = browser.client.get("/relances/appels", headers=HTML)
    assert letters.status_code == calls.status_code == 200
    assert "<h1>Courriers à envoyer</h1>" in letters.text
    assert "<h1>Appels à passer</h1>" in calls.text
    browser.client.cookies.clear()
    login(browser, "lecteur")
    assert browser.client.get("/relances/a-envoyer", headers=HTML).status_code == 403


def test_without_a_mail_server_the_page_says_the_e_mail_was_not_sent(browser: Api) -> None:
    """The API's app has no CASEFILE_SMTP_URL: the due e-mail level is shown as not sent, why,
    and what to do; the API gives the same notice; nothing is recorded as sent."""
    case = amicable(browser)
    state = browser.client.get(
        f"/api/cases/{case['id']}/relances", headers=browser.headers("lecteur")
    ).json()
    assert state["state"] == "du" and state["next_level"] == "rappel"
    assert state["notice"].startswith(
        "E-mail non envoyé : aucun serveur de messagerie n'est configuré (CASEFILE_SMTP_URL). "
        "La relance reste à faire"
    )
    assert state["actions"] == []
    login(browser, "credit_manager")
    page = html.unescape(browser.client.get(f"/dossiers/{case['id']}", headers=HTML).text)
    assert f'<p class="flash warning" role="status">{state["notice"]}</p>' in page
    assert "ou envoyez une lettre de relance par courrier" in page


def test_a_retried_e_mail_is_reported_in_words_on_the_case_page(
    browser: Api,
    smtp: Smtp,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """« Réessayer » once the debtor's address is entered: the flash read « Action réessayée :
    1 envoyee. » (the status key); it says what was done, as `casefile relances run` does."""
    case = amicable(browser)
    with closing(sqlite3.connect(browser.var / "casefile.db")) as connection, connection:
        cursor = connection.execute(
            'INSERT INTO dunning_actions (key, "case", scenario, level, position, channel, '
            "due_on, status, recipient, message, outcome, letter_on, message_id, created_at, "
            "done_on, done_by) VALUES (?, ?, 'professionnel', 'rappel', 1, 'email', ?, 'echec', "
            "'', 'le débiteur n''a pas d''adresse e-mail', '', NULL, '', ?, ?, '')",
            (
                f"{case['id']}:professionnel:rappel",
                case["id"],
                (TODAY - timedelta(days=25)).isoformat(),
                f"{TODAY.isoformat()} 07:00:00+00:00",
                TODAY.isoformat(),
            ),
        )
        action_id = cursor.lastrowid
    edited = browser.client.patch(
        f"/api/cases/{case['id']}/parties/debtor",
        headers=browser.headers("credit_manager"),
        json={"email": "compta@winstub.example.fr"},
    )
    assert edited.status_code == 200, edited.text
    monkeypatch.setenv("CASEFILE_SMTP_URL", smtp.url)
    reset_settings()
    try:
        token = login(browser, "credit_manager")
        # The failure holds the scenario: the page says so, with why, and offers « Réessayer ».
        before = html.unescape(browser.client.get(f"/dossiers/{case['id']}", headers=HTML).text)
        assert (
            "en attente : Rappel courtois par e-mail (e-mail en échec le "
            f"{date_fr(TODAY)} : le débiteur n'a pas d'adresse e-mail ; « Réessayer » une fois "
            "la cause corrigée)."
        ) in before
        assert ">Réessayer</button>" in before
        done = post(browser, token, f"/relances/{action_id}/reessayer", case=str(case["id"]))
        assert done.status_code == 303
        text = html.unescape(browser.client.get(done.headers["location"], headers=HTML).text)
    finally:
        monkeypatch.delenv("CASEFILE_SMTP_URL")
        reset_settings()
    assert "Action réessayée : 1 e-mail envoyé." in text
    assert [m["To"] for m in smtp.inbox.messages] == [
        "Winstub Muller SARL <compta@winstub.example.fr>"
    ]


def test_a_promise_above_what_is_owed_is_recorded_with_a_warning(browser: Api) -> None:
    """12 000 € promised on 1 550 € owed (a typo for 1 200): it could never be kept by paying
    the debt, and was recorded without a word. It is recorded (interest and indemnities may
    make a promise larger), and the answer and the page say to check the amount."""
    case = amicable(browser)
    promised_for = (TODAY + timedelta(days=10)).isoformat()
    made = browser.client.post(
        f"/api/cases/{case['id']}/promises",
        headers=browser.headers("credit_manager"),
        json={"amount": "12000.00", "promised_for": promised_for},
    )
    assert made.status_code == 201, made.text
    assert [w.replace("\u202f", " ") for w in made.json()["warnings"]] == [
        "La promesse de 12 000,00\xa0€ dépasse le principal restant dû du dossier "
        "(1 550,00\xa0€) : vérifiez le montant (elle n'est tenue que si les paiements "
        "l'atteignent ; intérêts et indemnités compris, elle peut être plus élevée)."
    ]
    on_invoice = browser.client.post(
        f"/api/cases/{case['id']}/promises",
        headers=browser.headers("credit_manager"),
        json={
            "amount": "300.01",
            "promised_for": promised_for,
            "invoice": f"{case['reference']}-REL-2",
        },
    )
    assert on_invoice.status_code == 201, on_invoice.text
    assert "dépasse le principal restant dû de la facture" in on_invoice.json()["warnings"][0]
    assert "(300,00\xa0€)" in on_invoice.json()["warnings"][0]
    within = browser.client.post(
        f"/api/cases/{case['id']}/promises",
        headers=browser.headers("credit_manager"),
        json={"amount": "1550.00", "promised_for": promised_for},
    )
    assert within.status_code == 201 and within.json()["warnings"] == []

    token = login(browser, "credit_manager")
    done = post(
        browser,
        token,
        f"/dossiers/{case['id']}/promesses",
        amount="12 000,00",
        promised_for=promised_for,
        made_by="M. Muller, gérant",
        channel="telephone",
    )
    assert done.status_code == 303
    text = html.unescape(browser.client.get(done.headers["location"], headers=HTML).text)
    assert "Promesse de paiement enregistrée" in text
    assert (
        "dépasse le principal restant dû du dossier (1\u202f550,00\xa0€) : vérifiez le montant"
        in text
    )
