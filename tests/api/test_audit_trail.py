"""A readable audit trail (issue 12 item 7): who, when, what in a French sentence, the
before/after of each field, filtered by case, user and dates (API and page)."""

from __future__ import annotations

import html
from datetime import date, timedelta

from tests.api.conftest import Api
from tests.api.test_cases import new_case
from tests.api.test_pages import HTML, login


def test_each_change_reads_as_a_french_sentence_with_its_fields(api: Api) -> None:
    case = new_case(api, "avocat")
    headers = api.headers("avocat")
    api.client.patch(
        f"/api/cases/{case['id']}/parties/debtor",
        headers=headers,
        json={"siren": "732829320", "category": "societe", "legal_form": "SARL"},
    )
    api.client.post(
        f"/api/cases/{case['id']}/claims",
        headers=headers,
        json={
            "invoice_number": "F-77",
            "issue_date": "2026-09-01",
            "due_date": "2026-10-01",
            "amount": "4080.00",
        },
    )
    claim_id = api.client.get(f"/api/cases/{case['id']}", headers=headers).json()["claims"][0]["id"]
    api.client.patch(
        f"/api/cases/{case['id']}/claims/{claim_id}", headers=headers, json={"amount": "4100.50"}
    )
    api.client.post(
        f"/api/cases/{case['id']}/events",
        headers=headers,
        json={"key": "ordonnance_rendue", "date": "2026-10-20"},
    )
    api.client.delete(
        f"/api/cases/{case['id']}/events/ordonnance_rendue",
        headers=headers,
        params={"reason": "saisie dans le mauvais dossier"},
    )
    trail = api.client.get(
        "/api/audit", params={"case": case["reference"]}, headers=api.headers("admin")
    ).json()
    sentences = [e["sentence"] for e in trail]
    ref = case["reference"]
    assert sentences == [
        f"avocat a retiré « Ordonnance portant injonction de payer rendue » du dossier {ref} "
        "(motif : saisie dans le mauvais dossier).",
        f"avocat a enregistré « Ordonnance portant injonction de payer rendue » dans le dossier {ref}, "
        "à la date du 20 octobre 2026.",
        f"avocat a corrigé la facture F-77 du dossier {ref}.",
        f"avocat a ajouté la facture F-77 au dossier {ref}.",
        f"avocat a modifié le débiteur du dossier {ref}.",
        f"avocat a ouvert le dossier {ref}.",
    ]
    corrected = trail[2]
    [amount] = corrected["changes"]
    assert amount["label"] == "montant TTC"
    assert (amount["before"], amount["after"]) == ("4\u202f080,00\u00a0€", "4\u202f100,50\u00a0€")
    party = {c["field"]: c for c in trail[4]["changes"]}
    assert party["siren"]["before"] == "—" and party["siren"]["after"] == "732829320"
    assert party["legal_form"]["label"] == "forme juridique"
    assert trail[0]["reason"] == "saisie dans le mauvais dossier"
    assert any(line.startswith("délai ajouté : ") for line in trail[1]["deadlines"])


def test_the_trail_filters_by_user_and_dates(api: Api) -> None:
    case = new_case(api, "credit_manager")
    admin = api.headers("admin")
    mine = api.client.get("/api/audit", params={"user": "credit_manager"}, headers=admin).json()
    assert mine and {e["actor"] for e in mine} == {"credit_manager"}
    assert any(e["case_id"] == case["id"] for e in mine)
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    assert api.client.get("/api/audit", params={"since": tomorrow}, headers=admin).json() == []
    today = date.today().isoformat()
    todays = api.client.get(
        "/api/audit", params={"since": today, "until": today}, headers=admin
    ).json()
    assert any(e["case_id"] == case["id"] for e in todays)
    reversed_ = api.client.get(
        "/api/audit", params={"since": tomorrow, "until": today}, headers=admin
    )
    assert reversed_.status_code == 422 and "inversées" in reversed_.json()["error"]


def test_the_audit_page_is_french_with_filters(api: Api) -> None:
    case = new_case(api, "avocat")
    api.client.cookies.clear()
    try:
        login(api, "admin")
        page = api.client.get("/audit", params={"dossier": case["reference"]}, headers=HTML)
        assert page.status_code == 200
        text = html.unescape(page.text)
        assert f"avocat a ouvert le dossier {case['reference']}." in text
        assert '<label for="audit-user">Utilisateur</label>' in text
        assert "{'" not in text  # no Python dict dump
        bad = api.client.get("/audit", params={"du": "hier"}, headers=HTML)
        assert bad.status_code == 422 and "n'est pas une date" in html.unescape(bad.text)
    finally:
        api.client.cookies.clear()
