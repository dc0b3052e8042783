"""On PostgreSQL the fast deadlines answer reads the token and the deadlines from the read
caches: a revocation, a deactivation or a reassignment still bites at once (made by this
server) or as soon as the notification arrives (made by another process)."""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Iterator

import asyncpg
import pytest

from tests.api.conftest import Api, _prepare
from tests.store.conftest import POSTGRES_ADMIN_URL, _admin, _postgres_database

pytestmark = pytest.mark.postgres

ENV = ("CASEFILE_DATABASE_URL", "CASEFILE_VAR_DIR", "CASEFILE_EVIDENCE_URL")


@pytest.fixture(scope="module")
def pg(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Api, str]]:
    from litestar.testing import TestClient

    from casefile.settings import reset_settings

    database = _postgres_database()
    url = POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + f"/{database}"
    var = tmp_path_factory.mktemp("var-pg")
    saved = {key: os.environ.get(key) for key in ENV}
    os.environ.update(
        CASEFILE_DATABASE_URL=url,
        CASEFILE_VAR_DIR=str(var),
        CASEFILE_EVIDENCE_URL=f"file://{var}/evidence",
    )
    reset_settings()
    try:
        tokens, revoked = asyncio.run(_prepare(url))
        from casefile.api.app import create_app

        with TestClient(create_app(), base_url="http://testserver.local") as client:
            yield Api(client, tokens, revoked, var), url
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        reset_settings()
        _admin(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


def _case(api: Api) -> str:
    response = api.client.post(
        "/api/cases",
        headers=api.headers("admin"),
        json={
            "reference": f"PG-{time.monotonic_ns()}",
            "procedure": "injonction_de_payer",
            "court": "tribunal_judiciaire",
            "court_department": "75",
            "creditor": {"name": "Créancier SA"},
            "debtor": {"name": "Débiteur SARL"},
        },
    )
    assert response.status_code == 201, response.text
    path = f"/api/cases/{response.json()['id']}"
    assigned = api.client.put(
        f"{path}/assignment",
        headers=api.headers("admin"),
        json={"lawyer": "avocat", "commissaire": "commissaire_de_justice"},
    )
    assert assigned.status_code == 200, assigned.text
    return f"{path}/deadlines"


def _elsewhere(url: str, statement: str) -> None:
    async def run() -> None:
        connection = await asyncpg.connect(url)
        try:
            await connection.execute(statement)
        finally:
            await connection.close()

    asyncio.run(run())


def _status_becomes(api: Api, path: str, who: str, status: int) -> float:
    began = time.monotonic()
    while time.monotonic() - began < 2:
        if api.client.get(path, headers=api.headers(who)).status_code == status:
            return time.monotonic() - began
        time.sleep(0.01)
    raise AssertionError(f"{who} on {path}: still not {status} after 2 s")


def test_a_reassignment_shuts_the_former_commissaire_out_at_once(pg: tuple[Api, str]) -> None:
    api, _ = pg
    path = _case(api)
    for _ in range(2):  # the second read comes from the cache
        assert (
            api.client.get(path, headers=api.headers("commissaire_de_justice")).status_code == 200
        )
    moved = api.client.put(
        path.removesuffix("/deadlines") + "/assignment",
        headers=api.headers("admin"),
        json={"lawyer": "avocat", "commissaire": "commissaire_2"},
    )
    assert moved.status_code == 200, moved.text
    refused = api.client.get(path, headers=api.headers("commissaire_de_justice"))
    assert refused.status_code in (403, 404), refused.text
    assert api.client.get(path, headers=api.headers("commissaire_2")).status_code == 200


def test_a_revocation_by_another_process_bites_on_the_fast_path(pg: tuple[Api, str]) -> None:
    api, url = pg
    path = _case(api)
    for _ in range(2):
        assert api.client.get(path, headers=api.headers("lecteur")).status_code == 200
    _elsewhere(
        url,
        "UPDATE api_tokens SET revoked = true WHERE \"user\" = (SELECT id FROM users WHERE name = 'lecteur')",
    )
    assert _status_becomes(api, path, "lecteur", 401) < 2


def test_a_role_change_elsewhere_is_checked_by_allows_at_once(pg: tuple[Api, str]) -> None:
    """`allows` reads the role of the cached user: the notification empties it."""
    api, url = pg
    create = {"reference": "X"}
    assert api.client.get("/api/cases", headers=api.headers("credit_manager")).status_code == 200
    _elsewhere(url, "UPDATE users SET role = 'lecteur' WHERE name = 'credit_manager'")
    began = time.monotonic()
    while time.monotonic() - began < 2:
        response = api.client.post("/api/cases", headers=api.headers("credit_manager"), json=create)
        if response.status_code == 403:
            assert "lecteur" in response.json()["error"]
            return
        time.sleep(0.01)
    raise AssertionError("the role change never reached the permission check")
