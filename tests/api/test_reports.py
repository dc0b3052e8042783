"""`GET /api/reports/aged-balance` (DESIGN §4b), the dispute route and the French page
`/rapports/balance-agee` with its CSV export (issue 17 items 2 and 4). The figures themselves
are checked on both engines in tests/services/test_reports.py; here, the HTTP shapes."""

from __future__ import annotations

import csv
import io
import uuid
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


@pytest.fixture(scope="module")
def creditor(api: Api) -> str:
    """A creditor of its own (the package's database is shared): three invoices due 10, 45 and
    200 days before 30 November 2026, one not yet due; the 45-day one disputed."""
    name = f"Brasserie {uuid.uuid4().hex[:8]} SAS"
    case = new_case(api, creditor={"name": name, "kind": "professionnel"})
    for number, due, amount in (
        ("10", "2026-11-20", "1000.00"),
        ("45", "2026-10-16", "2000.00"),
        ("200", "2026-05-14", "4000.00"),
        ("ND", "2026-12-15", "500.00"),
    ):
        response = api.client.post(
            f"/api/cases/{case['id']}/claims",
            headers=api.headers("avocat"),
            json={
                "invoice_number": f"AB-{name[10:18]}-{number}",
                "issue_date": "2026-04-01",
                "due_date": due,
                "amount": amount,
            },
        )
        assert response.status_code == 201, response.text
        if number == "45":
            disputed = api.client.put(
                f"/api/cases/{case['id']}/claims/{response.json()['id']}/dispute",
                headers=api.headers("avocat"),
                json={"disputed": True, "reason": "Livraison incomplète", "on": "2026-11-02"},
            )
            assert disputed.status_code == 200, disputed.text
            assert disputed.json()["disputed_on"] == "2026-11-02"
    response = api.client.post(
        f"/api/cases/{case['id']}/payments",
        headers=api.headers("avocat"),
        json={"date": "2026-11-03", "amount": "1500.00"},  # no invoice named: → the 200-day one
    )
    assert response.status_code == 201, response.text
    return name


def test_the_aged_balance_contract(api: Api, creditor: str) -> None:
    response = api.client.get(
        "/api/reports/aged-balance",
        params={"as_of": "2026-11-30", "creditor": creditor},
        headers=api.headers("lecteur"),
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["as_of"] == "2026-11-30"
    assert body["total"] == "4000.00"
    assert [(b["key"], b["label"], b["amount"]) for b in body["buckets"]] == [
        ("non_echu", "Non échu", "500.00"),
        ("1-30", "1 à 30 jours", "1000.00"),
        ("31-60", "31 à 60 jours", "0.00"),
        ("61-90", "61 à 90 jours", "0.00"),
        ("91-120", "91 à 120 jours", "0.00"),
        ("120+", "Plus de 120 jours", "2500.00"),
    ]
    assert body["disputed"] == "2000.00"
    # The commissaire de justice assigned to it sees it; another office does not.
    own = api.client.get(
        "/api/reports/aged-balance",
        params={"as_of": "2026-11-30", "creditor": creditor},
        headers=api.headers("commissaire_de_justice"),
    )
    assert own.json()["total"] == "4000.00"
    other = api.client.get(
        "/api/reports/aged-balance",
        params={"as_of": "2026-11-30", "creditor": creditor},
        headers=api.headers("commissaire_2"),
    )
    assert other.status_code == 200 and other.json()["total"] == "0.00"


def test_bad_input_is_a_french_4xx(api: Api, creditor: str) -> None:
    response = api.client.get(
        "/api/reports/aged-balance?as_of=2026-02-30", headers=api.headers("avocat")
    )
    assert response.status_code == 422
    assert response.json()["error"] == (
        "as_of : « 2026-02-30 » n'est pas une date (format AAAA-MM-JJ, ex. 2026-11-30)"
    )
    unknown = api.client.get(
        "/api/reports/aged-balance?lawyer=personne", headers=api.headers("avocat")
    )
    assert unknown.status_code == 422 and "inconnu" in unknown.json()["error"]
    case = api.client.get(
        "/api/cases", params={"q": creditor}, headers=api.headers("avocat")
    ).json()
    case_id = (case["items"] if isinstance(case, dict) else case)[0]["id"]
    claim_id = api.client.get(f"/api/cases/{case_id}", headers=api.headers("avocat")).json()[
        "claims"
    ][0]["id"]
    no_reason = api.client.put(
        f"/api/cases/{case_id}/claims/{claim_id}/dispute",
        headers=api.headers("avocat"),
        json={"disputed": True},
    )
    assert no_reason.status_code == 422, no_reason.text
    assert "motif" in no_reason.text


def test_the_aged_balance_page_and_its_csv(browser: Api, creditor: str) -> None:
    login(browser, "credit_manager")
    page = browser.client.get(
        "/rapports/balance-agee",
        params={"as_of": "2026-11-30", "creditor": creditor},
        headers=HTML,
    )
    assert page.status_code == 200, page.text
    assert "Balance âgée au 30 novembre 2026" in page.text
    assert "Plus de 120 jours" in page.text
    assert "2\u202f500,00\xa0€" in page.text and "4\u202f000,00\xa0€" in page.text
    exported = browser.client.get(
        "/rapports/balance-agee.csv",
        params={"as_of": "2026-11-30", "creditor": creditor},
        headers=HTML,
    )
    assert exported.status_code == 200
    assert exported.headers["content-type"].startswith("text/csv")
    assert "balance-agee-2026-11-30.csv" in exported.headers["content-disposition"]
    rows = list(csv.reader(io.StringIO(exported.text.lstrip("\ufeff")), delimiter=";"))
    assert rows[0] == ["Tranche", "Factures", "Restant dû (€)"]
    assert ["Plus de 120 jours", "1", "2500,00"] in rows
    assert ["Total", "3", "4000,00"] in rows
    assert ["Contesté (hors total)", "1", "2000,00"] in rows
    # On the page the field is the « Date d'arrêté », not the API's as_of.
    bad = browser.client.get("/rapports/balance-agee", params={"as_of": "hier"}, headers=HTML)
    assert bad.status_code == 422
    assert "date d&#39;arrêté : « hier » n&#39;est pas une date" in bad.text
    assert "as_of" not in bad.text.split("<main", 1)[1]


def test_the_figures_through_the_api(api: Api, creditor: str) -> None:
    groups = api.client.get(
        "/api/reports/aged-balance/groups",
        params={"as_of": "2026-11-30", "creditor": creditor, "by": "debtor"},
        headers=api.headers("lecteur"),
    )
    assert groups.status_code == 200, groups.text
    body = groups.json()
    assert (body["by"], body["heading"]) == ("debtor", "Débiteur")
    assert [(r["name"], r["total"], r["disputed"]) for r in body["rows"]] == [
        ("Martin Élise", "4000.00", "2000.00")
    ]
    assert [b["amount"] for b in body["rows"][0]["buckets"]] == [
        "500.00",
        "1000.00",
        "0.00",
        "0.00",
        "0.00",
        "2500.00",
    ]
    wrong = api.client.get(
        "/api/reports/aged-balance/groups?by=juge", headers=api.headers("lecteur")
    )
    assert wrong.status_code == 422 and "regroupement" in wrong.json()["error"]
    # Encours 6 000 (4 000 + 2 000 disputed) against 7 500 invoiced on 1 April 2026.
    dso = api.client.get(
        "/api/reports/dso",
        params={"as_of": "2026-11-30", "creditor": creditor},
        headers=api.headers("lecteur"),
    ).json()
    assert (dso["method"], dso["receivables"], dso["exhausted"]) == ("count-back", "6000.00", False)
    assert dso["months"][7] == {
        "from": "2026-03-30",
        "to": "2026-04-30",
        "invoiced": "7500.00",
        "counted_days": "24.8",
    }
    assert dso["dso_days"] == "238.8"  # 214 days (30 Apr → 30 Nov) + 31 × 6 000 / 7 500
    litigation = api.client.get("/api/reports/litigation", headers=api.headers("lecteur"))
    assert litigation.status_code == 200 and "principal" in litigation.json()["method"]
    recovery = api.client.get("/api/reports/recovery", headers=api.headers("lecteur")).json()
    assert {r["procedure"] for r in recovery["rows"]} >= {"injonction_de_payer"}


def test_the_report_pages_and_their_csv(browser: Api, creditor: str) -> None:
    login(browser, "credit_manager")
    index = browser.client.get("/rapports", headers=HTML)
    assert index.status_code == 200 and "DSO" in index.text
    pages = {
        "/rapports/balance-agee": "<svg",
        "/rapports/balance-agee/groupes?by=lawyer": "Balance âgée par avocat",
        "/rapports/dso": "méthode par épuisement",
        "/rapports/contentieux": "Encours au contentieux",
        "/rapports/recouvrement": "Taux de recouvrement",
    }
    for path, words in pages.items():
        page = browser.client.get(path, headers=HTML)
        assert page.status_code == 200, (path, page.text)
        assert words in page.text, path
        assert '<svg class="chart" role="img"' in page.text, path
    dso = browser.client.get(
        "/rapports/dso", params={"as_of": "2026-11-30", "creditor": creditor}, headers=HTML
    )
    assert "238,8 jours" in dso.text
    exported = {
        "/rapports/balance-agee/groupes.csv?by=debtor": "Débiteur;Non échu (€)",
        "/rapports/dso.csv": "Du (exclu);Au (inclus);Facturé TTC (€);Jours comptés",
        "/rapports/contentieux.csv": "Procédure;Dernier acte;Dossiers;Restant dû (€)",
        "/rapports/recouvrement.csv": "Procédure;Dossiers;Principal réclamé (€)",
    }
    for path, header in exported.items():
        response = browser.client.get(path, headers=HTML)
        assert response.status_code == 200, path
        assert response.headers["content-type"].startswith("text/csv"), path
        assert response.text.lstrip("\ufeff").startswith(header), path
