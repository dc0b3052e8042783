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


def test_each_invoice_shows_what_it_still_owes_after_the_payments(api: Api) -> None:
    """The case page's « Restant dû » of an invoice was its amount less what was paid before it
    was recorded: a payment naming it, or one naming none (the oldest due first, C. civ. art.
    1342-10), left it unchanged while the case's total went down."""
    from tests.api.test_pages import HTML, login

    case = new_case(api)
    for number, issued, due, amount, paid in (
        ("RD-1", "2026-01-22", "2026-02-21", "8904.00", "0"),
        ("RD-2", "2026-03-31", "2026-04-30", "2652.00", "652.00"),
        ("RD-3", "2026-06-05", "2026-07-05", "1404.00", "0"),
    ):
        response = api.client.post(
            f"/api/cases/{case['id']}/claims",
            headers=api.headers("credit_manager"),
            json={
                "invoice_number": f"{case['reference']}-{number}",
                "issue_date": issued,
                "due_date": due,
                "amount": amount,
                "paid": paid,
            },
        )
        assert response.status_code == 201, response.text
    for amount, invoice in (("3000.00", None), ("404.00", f"{case['reference']}-RD-3")):
        payment = api.client.post(
            f"/api/cases/{case['id']}/payments",
            headers=api.headers("credit_manager"),
            json={"date": "2026-12-01", "amount": amount, "invoice_number": invoice},
        )
        assert payment.status_code == 201, payment.text
    shown = api.client.get(f"/api/cases/{case['id']}", headers=api.headers("lecteur")).json()
    assert [(c["amount"], c["paid"], c["outstanding"]) for c in shown["claims"]] == [
        ("8904.00", "0.00", "5904.00"),
        ("2652.00", "652.00", "2000.00"),
        ("1404.00", "0.00", "1000.00"),
    ]
    assert shown["claim_total"] == "8904.00"
    login(api, "lecteur")
    try:
        page = api.client.get(f"/dossiers/{case['id']}", headers=HTML).text.replace("\u202f", " ")
    finally:
        api.client.cookies.clear()
    rows = page[page.index("Factures du dossier") :]
    assert "<td>8 904,00\xa0€</td><td>5 904,00\xa0€</td>" in rows
    assert "<td>1 404,00\xa0€</td><td>1 000,00\xa0€</td>" in rows
