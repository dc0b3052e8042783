"""A case opened directly in a court procedure records the mise en demeure sent before it,
through the API and the case page's event form (« Mise en demeure envoyée »)."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from decimal import Decimal

import pytest

from tests.api.conftest import Api
from tests.api.test_cases import new_case
from tests.api.test_pages import HTML, login


@pytest.fixture
def browser(api: Api) -> Iterator[Api]:
    api.client.cookies.clear()
    yield api
    api.client.cookies.clear()


def _shown(page: str, heading: str) -> str:
    start = page.index(f'aria-labelledby="{heading}"')
    part = page[start : page.index("</section>", start)]
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", part)).split())


def _consumer_case(api: Api) -> dict:
    """An injonction de payer against a consumer (tests.api.test_cases.new_case's default
    debtor) for one invoice of 4 080,00 € due on 15 February 2026."""
    case = new_case(api)
    response = api.client.post(
        f"/api/cases/{case['id']}/claims",
        headers=api.headers("avocat"),
        json={
            "invoice_number": f"MED-{case['id']}",
            "issue_date": "2026-01-15",
            "due_date": "2026-02-15",
            "amount": "4080.00",
        },
    )
    assert response.status_code == 201, response.text
    return case


def test_the_api_records_the_earlier_letter_and_counts_interest_from_it(api: Api) -> None:
    case = _consumer_case(api)
    response = api.client.post(
        f"/api/cases/{case['id']}/events",
        headers=api.headers("avocat"),
        json={"key": "mise_en_demeure_envoyee", "date": "2026-03-02", "delai": "8 days"},
    )
    assert response.status_code == 201, response.text
    assert (response.json()["added"], response.json()["removed"]) == ([], [])
    statement = api.client.get(
        f"/api/cases/{case['id']}/statement?as_of=2026-06-30", headers=api.headers("lecteur")
    ).json()
    assert (statement["notice_date"], statement["notice_event"]) == (
        "2026-03-02",
        "mise_en_demeure_envoyee",
    )
    [line] = statement["interest_lines"]
    # 3 March → 30 June 2026: 120 days at 2,62 % (1st semester 2026, professional creditor).
    expected = (Decimal("4080.00") * Decimal("0.0262") * 120 / 365).quantize(Decimal("0.01"))
    assert (line["start"], line["end"], line["days"]) == ("2026-03-03", "2026-06-30", 120)
    assert Decimal(line["amount"]) == expected == Decimal("35.14")
    shown = api.client.get(f"/api/cases/{case['id']}", headers=api.headers("lecteur")).json()
    assert shown["deadlines"] == [] and shown["warnings"] == []


def test_a_letter_dated_after_the_requete_is_kept_with_a_warning(api: Api) -> None:
    case = _consumer_case(api)
    for key, day in (("requete_deposee", "2026-03-01"), ("mise_en_demeure_envoyee", "2026-03-02")):
        response = api.client.post(
            f"/api/cases/{case['id']}/events",
            headers=api.headers("avocat"),
            json={"key": key, "date": day},
        )
        assert response.status_code == 201, response.text
    shown = api.client.get(f"/api/cases/{case['id']}", headers=api.headers("lecteur")).json()
    assert [e["key"] for e in shown["events"]] == ["requete_deposee", "mise_en_demeure_envoyee"]
    assert shown["warnings"] == [
        "date à vérifier : « Mise en demeure envoyée » le 2026-03-02, après « Requête en "
        "injonction de payer déposée au greffe » du 2026-03-01 que ce fait préalable devrait "
        "précéder"
    ]


def test_the_case_page_offers_the_letter_and_keeps_the_requete_to_do(browser: Api) -> None:
    case = _consumer_case(browser)
    token = login(browser, "avocat")
    page = browser.client.get(f"/dossiers/{case['id']}", headers=HTML).text
    form = _shown(page, "h-event")
    # The example is the field's help text, tied to its input; the label is the label alone.
    assert "Mise en demeure envoyée Date Délai laissé pour payer ex. : 8 jours" in form
    fid = "ev-mise_en_demeure_envoyee-delai"
    raw = page[page.index('aria-labelledby="h-event"') :]
    assert f'<label for="{fid}">Délai laissé pour payer</label>' in raw
    assert f'aria-describedby="{fid}-help"' in raw
    assert f'<p class="help" id="{fid}-help">ex. : 8 jours</p>' in raw
    assert "Enregistrer « Mise en demeure envoyée »" in form
    assert "mise_en_demeure_envoyee" not in form  # the key is a hidden value, never shown
    recorded = browser.client.post(
        f"/dossiers/{case['id']}/evenements",
        data={
            "_csrf_token": token,
            "key": "mise_en_demeure_envoyee",
            "date": "2026-03-02",
            "delai": "8 jours",
        },
        follow_redirects=False,
    )
    assert recorded.status_code == 303, recorded.text
    page = browser.client.get(f"/dossiers/{case['id']}", headers=HTML).text
    events = browser.client.get(
        f"/api/cases/{case['id']}", headers=browser.headers("lecteur")
    ).json()["events"]
    assert [(e["key"], e["date"], e["attributes"]) for e in events] == [
        ("mise_en_demeure_envoyee", "2026-03-02", {"delai": "8 jours"})
    ]
    shown = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())
    assert "Mise en demeure envoyée" in shown
    # The history reads the label, never the form's example.
    timeline = _shown(page, "h-timeline")
    assert "Mise en demeure envoyée · Délai laissé pour payer : 8 jours" in timeline
    assert "ex. :" not in timeline
    # the letter is a fact before the procedure: the requête is still the first thing to do
    assert "Déposer la requête en injonction de payer au greffe" in _shown(page, "h-todo")


def test_the_audit_trail_names_the_delay_without_the_forms_example() -> None:
    from casefile.services.audit import describe
    from tests.api.test_audit_trail import _entry

    after = {
        "key": "mise_en_demeure_envoyee",
        "date": "2026-03-02",
        "attributes": {"delai": "8 days"},
    }
    line = describe(_entry("event.add", "case", None, after, "3"), {3: "IP-1"}, {3: "amiable"})
    assert line.sentence.startswith("admin a enregistré « Mise en demeure envoyée »")
    (attributes,) = [c.after for c in line.changes if c.label == "précisions"]
    assert attributes == "Délai laissé pour payer : 8 jours"
