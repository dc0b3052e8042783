"""The portfolio (issue 12 item 4): `GET /api/cases?q=` (DESIGN §4b) and the /dossiers page —
search on reference, party names, SIREN and invoice numbers, filters, sorting, paging, CSV
export and the month agenda; French errors with a machine code (item 6)."""

from __future__ import annotations

import csv
import io
import uuid
from collections.abc import Iterator
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


def luhn_siren(seed: int) -> str:
    """A SIREN with a valid check digit (Luhn), unique to this run."""
    body = f"{seed:08d}"
    for check in "0123456789":
        digits = [int(d) for d in body + check]
        total = sum(
            d if i % 2 == 0 else (d * 2 - 9 if d * 2 > 9 else d * 2) for i, d in enumerate(digits)
        )
        if total % 10 == 0:
            return body + check
    raise AssertionError("unreachable")


@pytest.fixture(scope="module")
def marked(api: Api) -> dict[str, object]:
    """Three cases with a unique marker in their names and invoices."""
    mark = uuid.uuid4().hex[:8]
    siren = luhn_siren(int(mark, 16) % 10**8)
    first = new_case(
        api,
        reference=f"PF-{mark}-A",
        debtor={"name": f"Quincaillerie {mark} SARL", "kind": "professionnel", "siren": siren},
        lawyer="avocat",
    )
    second = new_case(
        api,
        reference=f"PF-{mark}-B",
        debtor={"name": f"Boulangerie {mark}", "kind": "consommateur", "residence": "75"},
        procedure="assignation_paiement",
        commissaire=None,
    )
    third = new_case(api, reference=f"PF-{mark}-C")
    for case, number, amount in ((first, "A1", "900.00"), (second, "B1", "4080.00")):
        response = api.client.post(
            f"/api/cases/{case['id']}/claims",
            headers=api.headers("avocat"),
            json={
                "invoice_number": f"FAC-{mark}-{number}",
                "issue_date": "2026-01-05",
                "due_date": "2026-02-04",
                "amount": amount,
            },
        )
        assert response.status_code == 201, response.text
    # An overdue deadline of ours on the first case: the ordonnance was never served.
    old = (date.today() - timedelta(days=400)).isoformat()
    response = api.client.post(
        f"/api/cases/{first['id']}/events",
        headers=api.headers("avocat"),
        json={"key": "ordonnance_rendue", "date": old},
    )
    assert response.status_code == 201, response.text
    return {"mark": mark, "siren": siren, "ids": [first["id"], second["id"], third["id"]]}


def refs(api: Api, query: str, who: str = "lecteur") -> list[str]:
    response = api.client.get(f"/api/cases?{query}", headers=api.headers(who))
    assert response.status_code == 200, response.text
    return [row["reference"] for row in response.json()]


def test_search_matches_reference_party_siren_and_invoice(api: Api, marked: dict) -> None:
    mark = marked["mark"]
    assert refs(api, f"q=pf-{mark}") == [f"PF-{mark}-A", f"PF-{mark}-B", f"PF-{mark}-C"]
    assert refs(api, f"q=QUINCAILLERIE {mark}") == [f"PF-{mark}-A"]
    assert refs(api, f"q={marked['siren']}") == [f"PF-{mark}-A"]
    assert refs(api, f"q=fac-{mark}-b1") == [f"PF-{mark}-B"]
    assert refs(api, f"q={mark}%25") == []  # a literal %, not a wildcard
    assert refs(api, f"q=nothing-{mark}") == []


def test_filters_sorting_and_paging(api: Api, marked: dict) -> None:
    mark = marked["mark"]
    q = f"q=PF-{mark}"
    assert refs(api, f"{q}&procedure=assignation_paiement") == [f"PF-{mark}-B"]
    assert refs(api, f"{q}&lawyer=avocat") == [f"PF-{mark}-A"]
    assert refs(api, f"{q}&commissaire=aucun") == [f"PF-{mark}-B"]
    assert refs(api, f"{q}&overdue=1") == [f"PF-{mark}-A"]
    assert refs(api, f"{q}&sort=montant&desc=1") == [
        f"PF-{mark}-B",
        f"PF-{mark}-A",
        f"PF-{mark}-C",
    ]
    response = api.client.get(f"/api/cases?{q}&per_page=2&page=2", headers=api.headers("avocat"))
    assert response.headers["x-total-count"] == "3"
    assert [row["reference"] for row in response.json()] == [f"PF-{mark}-C"]
    # A commissaire sees only the cases assigned to them.
    assert f"PF-{mark}-B" not in refs(api, q, who="commissaire_de_justice")
    assert refs(api, q, who="commissaire_2") == []


def test_bad_parameters_are_french_422_with_a_code(api: Api) -> None:
    response = api.client.get("/api/cases?sort=prix", headers=api.headers("lecteur"))
    assert response.status_code == 422
    assert response.json() == {
        "error": "tri « prix » inconnu (possibles : reference, debiteur, montant, echeance, "
        "ouverture)",
        "code": "donnees_invalides",
    }
    response = api.client.get("/api/cases?page=x", headers=api.headers("lecteur"))
    assert response.json()["error"] == "page : « x » n'est pas un nombre entier"


def test_unknown_routes_and_methods_answer_in_french(api: Api) -> None:
    response = api.client.get("/api/nulle-part", headers=api.headers("lecteur"))
    assert response.status_code == 404
    assert response.json() == {"error": "page ou ressource introuvable", "code": "introuvable"}
    response = api.client.put("/login", headers={"accept": "application/json"})
    assert response.status_code == 405
    assert response.json()["error"] == "méthode HTTP non autorisée pour cette adresse"


def test_the_portfolio_page_filters_and_exports(browser: Api, marked: dict) -> None:
    mark = marked["mark"]
    login(browser, "avocat")
    page = browser.client.get(f"/dossiers?q=PF-{mark}&sort=reference", headers=HTML).text
    assert '<label for="pf-q">Recherche (référence, partie, SIREN, n° de facture)</label>' in page
    assert "<strong>3</strong> dossiers — page 1 sur 1" in page
    assert f"Quincaillerie {mark} SARL" in page
    assert "900,00\u00a0€" in page
    exported = browser.client.get(f"/dossiers/export.csv?q=PF-{mark}", headers=HTML)
    assert exported.status_code == 200
    assert exported.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(exported.text.lstrip("\ufeff")), delimiter=";"))
    assert rows[0][:4] == ["Référence", "Procédure", "Juridiction", "État"]
    assert [r[0] for r in rows[1:]] == [f"PF-{mark}-A", f"PF-{mark}-B", f"PF-{mark}-C"]
    assert rows[2][8] == "4080,00"
    assert rows[1][2] == "tribunal judiciaire"


def test_the_agenda_shows_the_month(browser: Api, marked: dict) -> None:
    mark = marked["mark"]
    login(browser, "credit_manager")
    old = date.today() - timedelta(days=400)
    due = old.replace(day=1)
    page = browser.client.get(f"/agenda?mois={due.isoformat()[:7]}&qui=", headers=HTML).text
    assert "Agenda des échéances" in page
    page = browser.client.get("/agenda?mois=2027-13", headers=HTML)
    assert page.status_code == 422
    assert "mois « 2027-13 » : écrivez-le AAAA-MM" in page.text
    assert mark  # the month view lists deadlines of visible cases only (see the crawl test)


def test_the_portfolio_and_the_agenda_name_people(browser: Api, marked: dict) -> None:
    mark = marked["mark"]
    renamed = browser.client.patch(
        "/api/users/avocat", headers=browser.headers("admin"), json={"full_name": "Jeanne Martin"}
    )
    assert renamed.status_code == 200, renamed.text
    login(browser, "avocat")
    page = browser.client.get(f"/dossiers?q=PF-{mark}-A", headers=HTML).text
    assert "<td>Maître Jeanne Martin</td>" in page
    assert '<option value="avocat" >Maître Jeanne Martin</option>' in page
    page = browser.client.get("/agenda?qui=avocat", headers=HTML).text
    assert " — Maître Jeanne Martin</caption>" in page
