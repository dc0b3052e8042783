"""The case calendar (.ics) and the claims/payments routes."""

from __future__ import annotations

from tests.api.conftest import Api
from tests.api.test_cases import new_case


def test_the_case_calendar_is_text_calendar_with_the_opposition_date(api: Api) -> None:
    case = new_case(api)
    api.client.post(
        f"/api/cases/{case['id']}/events",
        headers=api.headers("avocat"),
        json={"key": "ordonnance_signifiee", "date": "2027-01-29", "a_personne": True},
    )
    response = api.client.get(
        f"/api/cases/{case['id']}/calendar.ics", headers=api.headers("lecteur")
    )
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/calendar; charset=utf-8"
    assert response.text.startswith("BEGIN:VCALENDAR")
    assert f"UID:{api.uid(case['id'], 'opposition')}" in response.text
    assert "DTSTART;VALUE=DATE:20270301" in response.text
    assert "filename*=UTF-8''" in response.headers["content-disposition"]


def test_another_commissaires_calendar_is_forbidden(api: Api) -> None:
    case = new_case(api)
    response = api.client.get(
        f"/api/cases/{case['id']}/calendar.ics", headers=api.headers("commissaire_2")
    )
    assert response.status_code in (403, 404)


def test_a_claim_and_a_payment_are_recorded_with_exact_amounts(api: Api) -> None:
    case = new_case(api)
    claim = api.client.post(
        f"/api/cases/{case['id']}/claims",
        headers=api.headers("credit_manager"),
        json={
            "invoice_number": "F-2026-001",
            "issue_date": "2026-09-01",
            "due_date": "2026-10-01",
            "amount": "1234.56",
        },
    )
    assert claim.status_code == 201, claim.text
    payment = api.client.post(
        f"/api/cases/{case['id']}/payments",
        headers=api.headers("credit_manager"),
        json={"date": "2026-11-02", "amount": "234.56", "invoice_number": "F-2026-001"},
    )
    assert payment.status_code == 201, payment.text
    shown = api.client.get(f"/api/cases/{case['id']}", headers=api.headers("lecteur")).json()
    assert shown["claim_total"] == "1000.00"


def test_a_float_amount_is_refused(api: Api) -> None:
    case = new_case(api)
    response = api.client.post(
        f"/api/cases/{case['id']}/claims",
        headers=api.headers("credit_manager"),
        json={
            "invoice_number": "F-2",
            "issue_date": "2026-09-01",
            "due_date": "2026-10-01",
            "amount": 12.5,
        },
    )
    assert response.status_code == 400
    assert "amount" in response.json()["error"]


def test_a_reader_cannot_add_a_claim(api: Api) -> None:
    case = new_case(api)
    response = api.client.post(
        f"/api/cases/{case['id']}/claims",
        headers=api.headers("lecteur"),
        json={
            "invoice_number": "F-3",
            "issue_date": "2026-09-01",
            "due_date": "2026-10-01",
            "amount": "10.00",
        },
    )
    assert response.status_code == 403
