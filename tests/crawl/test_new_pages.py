"""French everywhere a person looks, on the pages of the amicable phase and after (issue 17):
the reminder lists, the reports and their CSV, the Factur-X confirmation, the evidence search,
the hearing view, the task pages; a demo portfolio with amicable cases, a promise, reminders
waiting and a Factur-X pièce. Bad ids, dates and choices answer a French 4xx, never a 500."""

from __future__ import annotations

import asyncio
import os
import re
from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest

from tests.crawl.test_french_crawl import HTML, _login, _prepare, problems_of, visible_text
from tests.evidence.facturx_samples import Sample, facturx_pdf

TODAY = date.today()
REPORTS = (
    "/rapports/",
    "/rapports/balance-agee",
    "/rapports/balance-agee/groupes?by=creditor",
    "/rapports/balance-agee/groupes?by=debtor",
    "/rapports/balance-agee/groupes?by=lawyer",
    "/rapports/dso",
    "/rapports/contentieux",
    "/rapports/recouvrement",
)
CSVS = (
    "/rapports/balance-agee.csv",
    "/rapports/balance-agee/groupes.csv?by=debtor",
    "/rapports/dso.csv",
    "/rapports/contentieux.csv",
    "/rapports/recouvrement.csv",
)
ENGLISH_HEADER = re.compile(
    r"[a-z]_[a-z]|\b(?:amount|date|case|count|name|days?|due|debtor|creditor)\b"
)
ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


async def _amicable_data(url: str) -> None:
    """A promise on the first amicable demo case, then the daily run: reminders to work on."""
    from casefile.services import dunning
    from casefile.services.promises import PromiseIn, add_promise
    from casefile.store import db, users

    await db.connect(url)
    try:
        cases = await dunning.amicable_cases()
        assert len(cases) >= 2, cases
        admin = await users.get_user("admin")
        await add_promise(
            cases[0]["reference"],
            PromiseIn(
                amount=Decimal("500.00"),
                promised_for=TODAY + timedelta(days=12),
                made_by="M. Muller, gérant",
            ),
            admin,
        )
        await dunning.run_due(TODAY)
        # A letter to send and a call to make, as the run creates them when their level is due
        # (no mail server here: the first, e-mail level of each demo debtor waits for one).
        report = dunning.RunReport(TODAY)
        for case in cases[1:3]:
            state = await dunning.for_case(case, TODAY)
            for position, level in enumerate(state.scenario.levels):
                if level.channel == "courrier":
                    await dunning._letter(state, level, position, report)
                elif level.channel == "telephone":
                    await dunning._call(state, level, position, report)
        assert report.created.get("a_appeler") == 2, report
    finally:
        await db.close()


@pytest.fixture(scope="module")
def crawl(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Any, dict[str, Any]]]:
    from litestar.testing import TestClient

    from casefile.settings import reset_settings

    var = tmp_path_factory.mktemp("crawl-new")
    keys = ("CASEFILE_DATABASE_URL", "CASEFILE_VAR_DIR", "CASEFILE_EVIDENCE_URL")
    saved = {k: os.environ.get(k) for k in keys}
    os.environ["CASEFILE_VAR_DIR"] = str(var)
    os.environ["CASEFILE_DATABASE_URL"] = f"sqlite:///{var}/crawl.db"
    os.environ["CASEFILE_EVIDENCE_URL"] = f"file://{var}/evidence"
    reset_settings()
    asyncio.run(_prepare(os.environ["CASEFILE_DATABASE_URL"], TODAY))
    asyncio.run(_amicable_data(os.environ["CASEFILE_DATABASE_URL"]))
    from casefile.api.app import create_app

    try:
        with TestClient(create_app(), base_url="http://crawl.local") as client:
            _login(client, "avocat")
            found: dict[str, Any] = {}
            listing = client.get("/dossiers", headers=HTML).text
            found["cases"] = sorted(
                {int(i) for i in re.findall(r'href="/dossiers/(\d+)"', listing)}
            )
            case_id = found["cases"][0]
            form = client.get(f"/dossiers/{case_id}", headers=HTML).text
            token = re.search(r'name="_csrf_token" value="([^"]+)"', form)
            assert token
            pdf = facturx_pdf(Sample(profile="basic", number="F-2026-CRAWL"))
            sent = client.post(
                f"/dossiers/{case_id}/pieces",
                data={"_csrf_token": token.group(1), "kind": "facture"},
                files={"file": ("facture.pdf", pdf, "application/pdf")},
                headers=HTML,
                follow_redirects=False,
            )
            assert sent.status_code == 303, sent.text
            found["facturx_case"] = case_id
            yield client, found
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        reset_settings()


def _check(client: Any, url: str, failures: list[str], status: int = 200) -> str:
    response = client.get(url, headers=HTML)
    if response.status_code != status:
        text = visible_text(response.text)
        failures.append(f"{url}: {response.status_code} {text[text.find('déconnecter') :][:300]}")
        return ""
    if "text/html" in response.headers.get("content-type", ""):
        text = visible_text(response.text)
        failures += [f"{url}: {p}" for p in problems_of(text)]
        failures += [f"{url}: ISO date {m.group(0)!r}" for m in ISO_DATE.finditer(text)]
    return response.text


def _pieces_of(client: Any, case_id: int) -> list[str]:
    page = client.get(f"/dossiers/{case_id}", headers=HTML).text
    return sorted(set(re.findall(rf'href="(/dossiers/{case_id}/pieces/\d+[^"]*)"', page)))


@pytest.mark.parametrize("name", ["admin", "credit_manager", "avocat", "lecteur"])
def test_the_new_pages_are_french(crawl: tuple[Any, dict[str, Any]], name: str) -> None:
    client, found = crawl
    _login(client, name)
    failures: list[str] = []
    writer = name in ("admin", "credit_manager", "avocat")
    for url in ("/relances/a-envoyer", "/relances/appels"):
        _check(client, url, failures, 200 if writer else 403)
    for url in (*REPORTS, "/recherche?q=facture", "/mes-taches", "/preferences/"):
        _check(client, url, failures)
    if name == "admin":
        _check(client, "/admin/taches/", failures)
    case_id = found["facturx_case"]
    _check(client, f"/dossiers/{case_id}/audience", failures)
    _check(client, f"/dossiers/{case_id}/pieces/1/facture-electronique", failures)
    for case in found["cases"]:
        _check(client, f"/dossiers/{case}", failures)
    assert failures == [], "\n".join(failures[:40])


def test_the_reminder_lists_and_an_amicable_case_show_data(
    crawl: tuple[Any, dict[str, Any]],
) -> None:
    client, found = crawl
    _login(client, "credit_manager")
    letters = visible_text(client.get("/relances/a-envoyer", headers=HTML).text)
    calls = visible_text(client.get("/relances/appels", headers=HTML).text)
    assert "Courriers à envoyer" in letters and "Appels à passer" in calls
    assert "Aucun appel à passer" not in calls
    assert "Aucun courrier à envoyer" not in letters, letters
    assert re.search(r"\d[\d ]*,\d\d €", calls), calls
    pages = [visible_text(client.get(f"/dossiers/{c}", headers=HTML).text) for c in found["cases"]]
    promised = [p for p in pages if "Promesse de paiement de 500,00 €" in p]
    assert len(promised) == 1
    assert "Relances amiables" in promised[0]
    assert re.search(r"promesse de paiement jusqu'au \d{1,2}(?:er)? \w+ \d{4}", promised[0])


def test_the_csv_headers_are_french(crawl: tuple[Any, dict[str, Any]]) -> None:
    client, _found = crawl
    _login(client, "credit_manager")
    failures = []
    for url in CSVS:
        response = client.get(url)
        assert response.status_code == 200, (url, response.text[:300])
        header = response.text.lstrip("\ufeff").splitlines()[0]
        if ENGLISH_HEADER.search(header) or problems_of(header):
            failures.append(f"{url}: {header}")
    assert failures == [], "\n".join(failures)


BAD_GETS = (
    ("/rapports/balance-agee?as_of=2026-13-40", 400),
    ("/rapports/dso?as_of=hier", 400),
    ("/rapports/balance-agee/groupes?as_of=2026-02-30", 400),
    ("/rapports/balance-agee/groupes.csv?by=x", 400),
    ("/rapports/balance-agee/groupes?by=nope", 400),
    ("/rapports/balance-agee.csv?as_of=2026-13-40", 400),
    ("/rapports/dso.csv?as_of=x", 400),
    ("/dossiers/999999/audience", 404),
    ("/dossiers/abc/audience", 404),
    ("/dossiers/999999/pieces/1/facture-electronique", 404),
    ("/mes-taches/999999", 404),
    ("/mes-taches/abc", 404),
    ("/metrics", 403),
    ("/api/reports/dso?as_of=2026-13-40", 400),
    ("/api/reports/aged-balance?as_of=2026-02-30", 400),
    ("/api/reports/aged-balance/groups?by=nope", 400),
    ("/api/cases/999999/relances", 404),
    ("/api/tasks/999999", 404),
)


def test_bad_input_on_the_new_routes_answers_in_french(
    crawl: tuple[Any, dict[str, Any]],
) -> None:
    client, found = crawl
    _login(client, "admin")
    failures: list[str] = []
    case_id = found["facturx_case"]
    gets = (
        *BAD_GETS,
        (f"/dossiers/{case_id}/pieces/999/facture-electronique", 404),
        (f"/dossiers/{case_id}/pieces/abc/facture-electronique", 404),
        ("/recherche?q=" + "x" * 2000, 422),
    )
    for url, status in gets:
        response = client.get(url, headers=HTML)
        json = "json" in response.headers.get("content-type", "")
        text = response.json().get("error", "") if json else visible_text(response.text)
        english = re.search(r"\b(?:invalid|Validation|Bad Request|error|exist|not found)\b", text)
        wrong_status = response.status_code // 100 != status // 100
        if wrong_status or (status >= 400 and (problems_of(text) or english)):
            failures.append(f"{url[:80]}: {response.status_code} {text[-300:]}")
    assert failures == [], "\n".join(failures)


def _token(client: Any, url: str) -> str:
    found = re.search(r'name="_csrf_token" value="([^"]+)"', client.get(url, headers=HTML).text)
    assert found, url
    return found.group(1)


def test_bad_forms_and_downloads_on_the_new_routes_never_fail(
    crawl: tuple[Any, dict[str, Any]],
) -> None:
    client, found = crawl
    _login(client, "admin")
    case_id = found["facturx_case"]
    token = _token(client, f"/dossiers/{case_id}")
    bad_dates = {"_csrf_token": token, "amount": "abc", "promised_for": "2026-13-40"}
    posts = (
        (f"/dossiers/{case_id}/promesses", bad_dates),
        ("/dossiers/999999/promesses", {"_csrf_token": token, "amount": "10"}),
        (f"/dossiers/{case_id}/promesses/999999/annuler", {"_csrf_token": token}),
        (f"/dossiers/{case_id}/contestations", {"_csrf_token": token, "claim": "x"}),
        ("/dossiers/999999/contentieux", {"_csrf_token": token}),
        ("/relances/999999/envoye", {"_csrf_token": token, "sent_on": "2026-13-40"}),
        ("/relances/999999/appel", {"_csrf_token": token, "outcome": ""}),
        ("/relances/999999/reessayer", {"_csrf_token": token}),
        (
            f"/dossiers/{case_id}/pieces/1/facture-electronique",
            {"_csrf_token": token, "due_date": "2026-13-40", "supply": "nope"},
        ),
        ("/import", {"_csrf_token": token}),
    )
    failures: list[str] = []
    for url, data in posts:
        response = client.post(url, data=data, headers=HTML, follow_redirects=True)
        text = visible_text(response.text)
        if response.status_code >= 500 or problems_of(text):
            failures.append(f"{url}: {response.status_code} {text[-300:]}")
    for url in (
        "/api/evidence/999999/thumbnail",
        "/api/cases/999999/dossier.pdf",
    ):
        response = client.get(url, headers=HTML)
        if (
            response.status_code >= 500
            or response.status_code < 400
            or problems_of(visible_text(response.text))
        ):
            failures.append(f"{url}: {response.status_code} {response.text[-300:]}")
    assert failures == [], "\n".join(failures)
