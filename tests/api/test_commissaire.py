"""The product as a commissaire de justice walks it: what they may record on the cases assigned
to them, and what a refusal tells them (in French: the role, the event and what they may do
instead, never `commissaire_de_justice`, `jugement_rendu` or `event.write`)."""

from __future__ import annotations

import html
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
