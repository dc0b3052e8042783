"""Alsace-Moselle (courts seated in 57, 67, 68) has no tribunal de commerce: the chambre
commerciale of the tribunal judiciaire hears commercial cases (`calendars/territories.toml`,
`commercial_court`). A commercial case there read « tribunal de commerce » in its page header
while the advice below it said the chambre commerciale: every place a person reads the court
names the chambre commerciale, as the documents already did."""

from __future__ import annotations

import csv
import html
import io
from collections.abc import Iterator

import pytest

from tests.api.conftest import Api
from tests.api.test_cases import new_case
from tests.api.test_pages import HTML, login

LOCAL = "tribunal judiciaire (chambre commerciale)"


@pytest.fixture
def browser(api: Api) -> Iterator[Api]:
    api.client.cookies.clear()
    yield api
    api.client.cookies.clear()


def commercial_case(api: Api, department: str, reference: str) -> dict:
    case = new_case(
        api,
        reference=reference,
        court="tribunal_de_commerce",
        court_department=department,
        creditor={"name": "Fournitures Rhénanes SAS", "kind": "professionnel"},
        debtor={"name": "Winstub Muller SARL", "kind": "professionnel", "residence": department},
    )
    claim = api.client.post(
        f"/api/cases/{case['id']}/claims",
        headers=api.headers("avocat"),
        json={
            "invoice_number": f"{reference}-F1",
            "issue_date": "2026-09-01",
            "due_date": "2026-10-01",
            "amount": "4080.00",
        },
    )
    assert claim.status_code == 201, claim.text
    return case


def test_a_commercial_case_in_alsace_moselle_names_the_chambre_commerciale(
    browser: Api,
) -> None:
    case = commercial_case(browser, "67", "AM-CHAMBRE-1")
    login(browser, "avocat")
    page = html.unescape(browser.client.get(f"/dossiers/{case['id']}", headers=HTML).text)
    assert f"Injonction de payer — {LOCAL} (département 67) —" in page
    assert "— tribunal de commerce (" not in page
    # The advice and the comparison of procedures name the same court.
    advice = page[page.index('id="h-advice"') : page.index('id="h-compare"')]
    assert f"ouverte — {LOCAL}" in advice and "— tribunal de commerce" not in advice
    compare = page[page.index('id="h-compare"') :]
    compare = compare[: compare.index("</table>")]
    assert f"<td>{LOCAL}</td>" in compare and "<td>tribunal de commerce</td>" not in compare
    hearing = html.unescape(
        browser.client.get(f"/dossiers/{case['id']}/audience", headers=HTML).text
    )
    assert f"<p>{LOCAL} (département 67) — " in hearing

    # The case list's export.
    exported = browser.client.get("/dossiers/export.csv?q=AM-CHAMBRE-1", headers=HTML)
    rows = list(csv.reader(io.StringIO(exported.text.lstrip("\ufeff")), delimiter=";"))
    assert [(r[0], r[2]) for r in rows[1:]] == [("AM-CHAMBRE-1", LOCAL)]


def test_elsewhere_a_commercial_case_keeps_the_tribunal_de_commerce(browser: Api) -> None:
    case = commercial_case(browser, "21", "DIJON-TC-1")
    login(browser, "avocat")
    page = html.unescape(browser.client.get(f"/dossiers/{case['id']}", headers=HTML).text)
    assert "Injonction de payer — tribunal de commerce (département 21) —" in page
    assert "chambre commerciale" not in page


def test_the_case_history_names_the_chambre_commerciale_when_it_knows_the_department() -> None:
    from casefile.services.audit import describe
    from tests.api.test_audit_trail import _entry

    def court(department: str) -> str:
        after = {"court": "tribunal_de_commerce", "court_department": department}
        line = describe(_entry("case.update", "case", {}, after, "3"), {3: "D-3"}, {})
        return next(c.after for c in line.changes if c.label == "juridiction")

    assert court("68") == LOCAL
    assert court("21") == "tribunal de commerce"
