"""Schemathesis over the whole OpenAPI schema: no generated request may get a 5xx (issue 7 §6).

Runs when `schemathesis` is installed (dev dependency); the server is a real uvicorn on a
free loopback port over a temporary SQLite database, called with an admin token.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

schemathesis = pytest.importorskip("schemathesis")

from hypothesis import HealthCheck, settings  # noqa: E402

from tests.api.server import running  # noqa: E402

_TOKEN: dict[str, str] = {}


async def _prepare(url: str) -> str:
    from casefile.services import cases
    from casefile.store import db, users

    await db.connect(url)
    try:
        await db.migrate()
        admin, token = await users.create_user("fuzz-admin", "admin", with_token=True)
        assert token is not None
        # One real case, so generated ids such as 1 also reach the code behind the lookups.
        await cases.create_case(
            cases.NewCase(
                reference="FUZZ-1",
                procedure="injonction_de_payer",
                court="tribunal_judiciaire",
                court_department="75",
                creditor=cases.PartyIn(name="Créancier"),
                debtor=cases.PartyIn(name="Débiteur"),
            ),
            admin,
        )
        return token
    finally:
        await db.close()


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from casefile.settings import reset_settings

    var: Path = tmp_path_factory.mktemp("fuzz")
    from casefile.store import db

    saved = {k: os.environ.get(k) for k in ("CASEFILE_DATABASE_URL", "CASEFILE_VAR_DIR")}
    # The package's shared app (tests/api/conftest.py) uses the same process-wide connection:
    # this module's own database replaces it, so it is given back afterwards.
    shared_url = db._url
    os.environ["CASEFILE_VAR_DIR"] = str(var)
    os.environ["CASEFILE_DATABASE_URL"] = f"sqlite:///{var}/fuzz.db"
    reset_settings()
    _TOKEN["admin"] = asyncio.run(_prepare(os.environ["CASEFILE_DATABASE_URL"]))

    from casefile.api.app import create_app

    try:
        with running(create_app()) as url:
            yield url
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        reset_settings()
        if shared_url is not None:
            asyncio.run(db.connect(shared_url))


def _raw_schema() -> dict[str, object]:
    """The schema straight from the app (no server needed to collect the tests)."""
    from casefile.api.app import create_app

    return create_app().openapi_schema.to_schema()


schema = schemathesis.openapi.from_dict(_raw_schema())


@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_generated_request_gets_a_server_error(case: Any, base_url: str) -> None:
    response = case.call(base_url=base_url, headers={"Authorization": f"Bearer {_TOKEN['admin']}"})
    assert response.status_code < 500, (
        f"{case.method} {case.formatted_path} → {response.status_code}: {response.text[:500]}"
    )


def _poisoned(value: Any, how: str) -> Any:
    """`value` with every string given a NUL, every number made huge, or nested deep."""
    if isinstance(value, dict):
        return {key: _poisoned(item, how) for key, item in value.items()}
    if isinstance(value, list):
        return [_poisoned(item, how) for item in value]
    if how == "nul" and isinstance(value, str):
        return f"{value}\x00"
    if how == "huge" and isinstance(value, bool):
        return value
    if how == "huge" and isinstance(value, int):
        return 10**30
    if how == "huge" and isinstance(value, float):
        return 1e300
    if how == "huge" and isinstance(value, str) and value.replace(".", "", 1).isdigit():
        return "99999999999999999999.99"
    return value


def _deep(depth: int = 10_000) -> str:
    return "[" * depth + '"fond"' + "]" * depth


@schema.parametrize()
@settings(max_examples=2, deadline=None, suppress_health_check=list(HealthCheck))
@pytest.mark.parametrize("how", ["nul", "huge", "deep"])
def test_nul_bytes_huge_numbers_and_deep_json_get_no_server_error(
    case: Any, base_url: str, how: str
) -> None:
    """Issue 11 item 4: the generated requests, poisoned three ways; a NUL anywhere must be
    refused (4xx), and nothing may get a 5xx."""
    import json

    import httpx

    headers = {"Authorization": f"Bearer {_TOKEN['admin']}"}
    poisoned_any = False
    if how == "deep" and case.method.upper() in ("POST", "PUT", "PATCH"):
        headers["content-type"] = "application/json"
        body: Any = _deep()
        poisoned_any = True
    elif isinstance(case.body, (dict, list)):
        body = json.dumps(_poisoned(case.body, how))
        headers["content-type"] = "application/json"
        poisoned_any = how == "nul" and "\\u0000" in body
    else:
        body = None
    query = {key: _poisoned(value, how) for key, value in (case.query or {}).items()}
    poisoned_any = poisoned_any or (
        how == "nul" and any(isinstance(v, str) and "\x00" in v for v in query.values())
    )
    response = httpx.request(
        case.method,
        base_url + case.formatted_path,
        params=query,
        headers=headers,
        content=body,
        timeout=30,
    )
    assert response.status_code < 500, (
        f"{how}: {case.method} {case.formatted_path} → {response.status_code}: "
        f"{response.text[:500]}"
    )
    # schemathesis' coverage phase also sends methods the schema does not list: Litestar's
    # automatic OPTIONS answers 204 without reading any body, so nothing poisoned is accepted.
    if poisoned_any and response.status_code != 404 and case.method.upper() != "OPTIONS":
        assert 400 <= response.status_code < 500, (
            f"{how}: {case.method} {case.formatted_path} accepted: {response.text[:300]}"
        )
