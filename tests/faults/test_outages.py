"""Issue 11 item 5: outages answer 503 with a French message and Retry-After; /health/live and
/health/ready (DESIGN §4b); a locked SQLite file fails fast."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import httpx
import pytest

from casefile.store.engines import SERVER_BUSY_TIMEOUT_SECONDS
from tests.api.server import free_port, running
from tests.faults.conftest import CASE, Site, installed, local_evidence, s3_evidence

PDF = b"%PDF-1.4\n" + b"x" * 4000 + b"\n%%EOF\n"


def assert_unavailable(response: httpx.Response, *internals: str) -> None:
    assert response.status_code == 503, response.text
    assert int(response.headers["retry-after"]) > 0
    message = response.json()["error"]
    assert "indisponible" in message
    for internal in internals:
        assert internal not in message


def test_live_and_ready_on_a_sound_installation(served: Site) -> None:
    assert httpx.get(f"{served.url}/health/live").json() == {"status": "ok"}
    ready = httpx.get(f"{served.url}/health/ready")
    assert ready.status_code == 200
    assert ready.json() == {
        "status": "ok",
        "checks": {"database": "ok", "object_store": "ok"},
    }
    assert httpx.get(f"{served.url}/health").json()["status"] == "ok"


def test_an_unmigrated_database_is_not_ready(served: Site) -> None:
    database = served.env["CASEFILE_DATABASE_URL"].removeprefix("sqlite:///")
    with sqlite3.connect(database) as connection:
        connection.execute("DELETE FROM migration WHERE id = (SELECT max(id) FROM migration)")
    ready = httpx.get(f"{served.url}/health/ready")
    assert ready.status_code == 503
    assert "casefile init" in ready.json()["checks"]["database"]
    assert ready.json()["checks"]["object_store"] == "ok"


def test_a_stopped_object_store_answers_503(tmp_path: Path, private_s3) -> None:  # type: ignore[no-untyped-def]
    host, port = private_s3.get_host_and_port()
    with installed(tmp_path, s3_evidence((f"{host}:{port}", "testing", "testing"))) as site:
        from casefile.api.app import create_app

        with running(create_app()) as url:
            site.url = url
            case = httpx.post(f"{url}/api/cases", headers=site.headers, json=CASE).json()
            private_s3.stop()
            started = time.monotonic()
            upload = httpx.post(
                f"{url}/api/cases/{case['id']}/evidence",
                params={"kind": "facture", "filename": "f.pdf"},
                headers={**site.headers, "content-type": "application/octet-stream"},
                content=PDF,
                timeout=60,
            )
            assert time.monotonic() - started < 15
            assert_unavailable(upload, str(port), "faults-", "tmp/", "uploadId")
            ready = httpx.get(f"{url}/health/ready", timeout=30)
            assert ready.status_code == 503
            assert ready.json()["checks"]["object_store"] != "ok"
            assert ready.json()["checks"]["database"] == "ok"
            assert httpx.get(f"{url}/health/live").status_code == 200
            # Nothing half-recorded: the case has no pièce.
            shown = httpx.get(f"{url}/api/cases/{case['id']}", headers=site.headers).json()
            assert shown.get("evidence", []) == []


def test_an_unreachable_database_answers_503_and_live_stays_up(tmp_path: Path) -> None:
    from casefile.settings import reset_settings

    with installed(tmp_path, local_evidence(tmp_path)) as site:
        import os

        os.environ["CASEFILE_DATABASE_URL"] = f"postgresql://postgres@127.0.0.1:{free_port()}/x"
        reset_settings()
        from casefile.api.app import create_app

        with running(create_app()) as url:
            assert httpx.get(f"{url}/health/live").status_code == 200
            ready = httpx.get(f"{url}/health/ready", timeout=30)
            assert ready.status_code == 503
            assert ready.json()["checks"]["database"] == "la base de données ne répond pas"
            assert_unavailable(
                httpx.get(f"{url}/api/cases", headers=site.headers, timeout=30), "127.0.0.1"
            )
            assert_unavailable(
                httpx.post(f"{url}/api/cases", headers=site.headers, json=CASE, timeout=30),
                "Connect call",
            )


def test_a_locked_sqlite_file_answers_503_fast(served: Site) -> None:
    database = served.env["CASEFILE_DATABASE_URL"].removeprefix("sqlite:///")
    blocker = sqlite3.connect(database, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    try:
        started = time.monotonic()
        response = httpx.post(
            f"{served.url}/api/cases",
            headers=served.headers,
            json={**CASE, "reference": "IP-LOCKED"},
            timeout=60,
        )
        elapsed = time.monotonic() - started
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    assert_unavailable(response, "locked")
    assert elapsed < SERVER_BUSY_TIMEOUT_SECONDS + 3
    again = httpx.post(
        f"{served.url}/api/cases", headers=served.headers, json={**CASE, "reference": "IP-LOCKED"}
    )
    assert again.status_code == 201


@pytest.mark.postgres
def test_postgres_connections_killed_mid_flight_answer_503_then_recover(pg_site: Site) -> None:
    from casefile.api.app import create_app
    from tests.store.conftest import _admin

    database = pg_site.env["CASEFILE_DATABASE_URL"].rsplit("/", 1)[1]
    with running(create_app()) as url:
        pg_site.url = url
        assert httpx.get(f"{url}/api/cases", headers=pg_site.headers).status_code == 200
        _admin(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            f"WHERE datname = '{database}' AND pid <> pg_backend_pid()"
        )
        statuses = [
            httpx.get(f"{url}/api/cases", headers=pg_site.headers).status_code for _ in range(3)
        ]
        assert set(statuses) <= {200, 503}, statuses
        assert statuses[-1] == 200
        assert httpx.get(f"{url}/health/ready").status_code == 200
