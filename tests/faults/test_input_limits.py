"""Issue 11 items 4 and 6 against a real server on PostgreSQL (which refuses NUL in text and
checks its columns) and on SQLite: every bad input is a French 4xx, never a 500; concurrent
writes that conflict with nothing all succeed."""

from __future__ import annotations

import asyncio
from decimal import Decimal

import httpx
import pytest

from tests.api.server import running
from tests.faults.conftest import CASE, Site

CLAIM = {
    "invoice_number": "F-2026-001",
    "issue_date": "2026-01-05",
    "due_date": "2026-02-04",
    "amount": "1200.00",
}


def bad_inputs(site: Site, case_id: int) -> list[tuple[str, httpx.Response]]:
    url, headers = site.url, site.headers
    long_text = "x" * 100_000
    return [
        (
            "NUL in a JSON text",
            httpx.post(
                f"{url}/api/cases", headers=headers, json={**CASE, "reference": "IP-\x00-1"}
            ),
        ),
        (
            "NUL in a party name",
            httpx.post(
                f"{url}/api/cases",
                headers=headers,
                json={
                    **CASE,
                    "reference": "IP-NUL-2",
                    "debtor": {**CASE["debtor"], "name": "A\x00B"},
                },
            ),
        ),
        ("NUL in a query", httpx.get(f"{url}/api/cases", headers=headers, params={"q": "a\x00"})),
        (
            "NUL in the login form",
            httpx.post(f"{url}/login", data={"name": "a\x00", "password": "x"}),
        ),
        (
            "a very long reference",
            httpx.post(f"{url}/api/cases", headers=headers, json={**CASE, "reference": long_text}),
        ),
        (
            "an overflowing amount",
            httpx.post(
                f"{url}/api/cases/{case_id}/claims",
                headers=headers,
                json={**CLAIM, "amount": "99999999999999999999.99"},
            ),
        ),
        (
            "1e30 as an amount",
            httpx.post(
                f"{url}/api/cases/{case_id}/claims",
                headers=headers,
                json={**CLAIM, "amount": "1e30"},
            ),
        ),
        (
            "a payment beyond the maximum",
            httpx.post(
                f"{url}/api/cases/{case_id}/payments",
                headers=headers,
                json={"date": "2026-03-01", "amount": "1000000000000.01"},
            ),
        ),
        (
            "expected_version beyond 32 bits",
            httpx.post(
                f"{url}/api/cases/{case_id}/payments",
                headers=headers,
                params={"expected_version": str(2**40)},
                json={"date": "2026-03-01", "amount": "10.00"},
            ),
        ),
        (
            "JSON 10 000 deep",
            httpx.post(
                f"{url}/api/cases",
                headers={**headers, "content-type": "application/json"},
                content="[" * 10_000 + "]" * 10_000,
            ),
        ),
        (
            "a body over 1 MiB",
            httpx.post(
                f"{url}/api/cases",
                headers={**headers, "content-type": "application/json"},
                content=b'{"reference": "' + b"x" * (2 * 1024 * 1024) + b'"}',
            ),
        ),
        (
            "an id beyond 64 bits",
            httpx.get(f"{url}/api/evidence/{10**30}/content", headers=headers),
        ),
    ]


def the_case(site: Site) -> dict[str, object]:
    if not site.case_id:
        created = httpx.post(f"{site.url}/api/cases", headers=site.headers, json=CASE)
        assert created.status_code == 201, created.text
        site.case_id = created.json()["id"]
    case: dict[str, object] = httpx.get(
        f"{site.url}/api/cases/{site.case_id}", headers=site.headers
    ).json()
    return case


def check_refusals(site: Site) -> None:
    case = the_case(site)
    for label, response in bad_inputs(site, case["id"]):
        assert 400 <= response.status_code < 500, (
            f"{label}: {response.status_code} {response.text[:300]}"
        )
        text = response.text
        for internal in ("asyncpg", "sqlite", "Traceback", "psycopg", "SQLSTATE"):
            assert internal not in text, f"{label}: {text[:300]}"
    # Nothing half-recorded: only the first case exists, with no invoice and no payment.
    listed = httpx.get(f"{site.url}/api/cases", headers=site.headers).json()
    rows = listed["items"] if isinstance(listed, dict) else listed
    assert [row["reference"] for row in rows] == [CASE["reference"]]
    shown = httpx.get(f"{site.url}/api/cases/{case['id']}", headers=site.headers).json()
    assert shown["version"] == case["version"]


def test_bad_input_is_a_4xx_on_sqlite(served: Site) -> None:
    check_refusals(served)


@pytest.mark.postgres
def test_bad_input_is_a_4xx_on_postgres(pg_site: Site) -> None:
    from casefile.api.app import create_app

    with running(create_app()) as url:
        pg_site.url = url
        check_refusals(pg_site)


async def _pay_concurrently(site: Site, case_id: int, count: int) -> list[httpx.Response]:
    async with httpx.AsyncClient(base_url=site.url, headers=site.headers, timeout=60) as client:
        return list(
            await asyncio.gather(
                *(
                    client.post(
                        f"/api/cases/{case_id}/payments",
                        json={"date": "2026-03-01", "amount": f"{n + 1}.00"},
                    )
                    for n in range(count)
                )
            )
        )


def check_concurrent_payments(site: Site) -> None:
    case = the_case(site)
    claim = httpx.post(
        f"{site.url}/api/cases/{case['id']}/claims", headers=site.headers, json=CLAIM
    )
    assert claim.status_code == 201, claim.text
    before = httpx.get(f"{site.url}/api/cases/{case['id']}", headers=site.headers).json()
    responses = asyncio.run(_pay_concurrently(site, case["id"], 10))
    assert [r.status_code for r in responses] == [201] * 10, [r.text for r in responses]
    after = httpx.get(f"{site.url}/api/cases/{case['id']}", headers=site.headers).json()
    assert after["version"] == before["version"] + 10
    paid = sum(Decimal(p["amount"]) for p in after["payments"])
    assert paid == sum(Decimal(n + 1) for n in range(10))
    # A stale expected_version still conflicts, naming the current version.
    stale = httpx.post(
        f"{site.url}/api/cases/{case['id']}/payments",
        headers=site.headers,
        params={"expected_version": str(before["version"])},
        json={"date": "2026-03-02", "amount": "1.00"},
    )
    assert stale.status_code == 409
    assert str(after["version"]) in stale.json()["error"]


def test_concurrent_payments_without_version_all_succeed_on_sqlite(served: Site) -> None:
    check_concurrent_payments(served)


@pytest.mark.postgres
def test_concurrent_payments_without_version_all_succeed_on_postgres(pg_site: Site) -> None:
    from casefile.api.app import create_app

    with running(create_app()) as url:
        pg_site.url = url
        check_concurrent_payments(pg_site)
