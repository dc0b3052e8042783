"""Issue 11 item 7, each lesser item with its test, against a real server."""

from __future__ import annotations

import asyncio
import json
import sqlite3
import subprocess

import httpx
import pytest

from casefile.evidence.objects import upload_owner_tag
from tests.api.server import running
from tests.faults.conftest import Site

PDF = b"%PDF-1.4\n" + b"p" * 3000 + b"\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 200
ELF = b"\x7fELF\x02\x01\x01" + b"\x00" * 500


def upload(site: Site, body: bytes, filename: str) -> httpx.Response:
    return httpx.post(
        f"{site.url}/api/cases/{site.case_id}/evidence",
        params={"kind": "facture", "filename": filename},
        headers={**site.headers, "content-type": "application/octet-stream"},
        content=body,
        timeout=60,
    )


def test_empty_programs_and_disguised_files_are_refused(served: Site) -> None:
    for body, name, words in (
        (b"", "vide.pdf", "vide (0 octet)"),
        (ELF, "facture.pdf", "exécutable"),
        (b"MZ\x90\x00" + b"\x00" * 300, "facture.pdf", "programme Windows"),
        (PNG, "facture.pdf", "extension .pdf mais son contenu est une image PNG"),
    ):
        response = upload(served, body, name)
        assert response.status_code == 422, response.text
        assert words in response.json()["error"]
    # Nothing stored, nothing recorded.
    shown = httpx.get(f"{served.url}/api/cases/{served.case_id}", headers=served.headers).json()
    assert shown["evidence"] == []
    assert list(served.store().list_keys()) == []
    assert upload(served, PNG, "scan.png").status_code == 201
    assert upload(served, PDF, "sans extension").status_code == 201


def test_downloads_are_named_safely(served: Site) -> None:
    receipt = upload(served, PDF, "../../../etc/passwd.pdf").json()
    response = httpx.get(
        f"{served.url}/api/evidence/{receipt['id']}/content", headers=served.headers
    )
    disposition = response.headers["content-disposition"]
    assert disposition.startswith('attachment; filename="passwd.pdf"')
    assert ".." not in disposition and "etc" not in disposition
    assert response.headers["x-content-type-options"] == "nosniff"


def test_pages_and_answers_carry_the_security_headers(served: Site) -> None:
    for path in ("/login", "/health/live", "/api/cases"):
        response = httpx.get(f"{served.url}{path}", headers=served.headers)
        csp = response.headers["content-security-policy"]
        assert "frame-ancestors 'none'" in csp and "script-src 'self'" in csp
        assert "unsafe-inline" not in csp
        assert response.headers["x-frame-options"] == "DENY"
        assert response.headers["referrer-policy"] == "no-referrer"
        assert response.headers["x-content-type-options"] == "nosniff"
    page = httpx.get(f"{served.url}/login").text
    assert "<script>" not in page and "style=" not in page and "<style" not in page


def test_a_refusal_names_no_case(served: Site) -> None:
    token = served.commissaire_token
    response = httpx.get(
        f"{served.url}/api/cases/{served.case_id}", headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 403
    assert "IP-FAULT" not in response.text and "Dupont" not in response.text


def test_verify_removes_the_uploads_of_crashed_processes(served: Site) -> None:
    from casefile.evidence.local import TEMP_DIR, LocalStore
    from casefile.evidence.s3 import TEMP_PREFIX

    dead = subprocess.Popen(["true"])
    dead.wait()
    crashed = f"upload-{upload_owner_tag().rsplit('.', 1)[0]}.{dead.pid}-abc123"
    running_now = f"upload-{upload_owner_tag()}-def456"
    store = served.store()
    for name in (crashed, running_now):
        if isinstance(store, LocalStore):
            (store.root / TEMP_DIR).mkdir(parents=True, exist_ok=True)
            (store.root / TEMP_DIR / name).write_bytes(b"partial")
        else:
            import io

            store.client.put_object(store.bucket, f"{TEMP_PREFIX}{name}", io.BytesIO(b"x"), 1)
    result = served.cli("evidence", "verify", "--format", "json")
    report = json.loads(result.stdout)
    assert result.returncode == 0, result.stderr
    assert report["interrupted_uploads"] == [crashed]
    assert report["uploads_in_progress"] == [running_now]
    assert [u.name for u in store.temporary_uploads()] == [running_now]
    text = served.cli("evidence", "verify").stdout
    assert f"envoi en cours (conservé) : {running_now}" in text


def test_init_created_the_bucket(site: Site) -> None:
    store = site.store()
    store.check()
    if site.backend == "s3":
        assert store.client.bucket_exists(store.bucket)


def _tamper_sqlite(site: Site) -> None:
    path = site.env["CASEFILE_DATABASE_URL"].removeprefix("sqlite:///")
    with sqlite3.connect(path) as connection:
        for statement in (
            "UPDATE piece_versions SET sha256 = 'f' || substr(sha256, 2)",
            "UPDATE piece_versions SET size = size + 1",
            "DELETE FROM audit_log",
            "UPDATE audit_log SET actor_name = 'x'",
        ):
            with pytest.raises(sqlite3.DatabaseError):
                connection.execute(statement)
        # What does not touch the hash still works.
        connection.execute("UPDATE piece_versions SET note = note")


def test_recorded_hashes_and_the_audit_log_are_kept_by_sqlite(served: Site) -> None:
    upload(served, PDF, "f.pdf")
    _tamper_sqlite(served)


@pytest.mark.postgres
def test_recorded_hashes_and_the_audit_log_are_kept_by_postgres(pg_site: Site) -> None:
    import asyncpg

    from casefile.api.app import create_app
    from tests.faults.conftest import CASE

    with running(create_app()) as url:
        pg_site.url = url
        pg_site.case_id = httpx.post(f"{url}/api/cases", headers=pg_site.headers, json=CASE).json()[
            "id"
        ]
        assert upload(pg_site, PDF, "f.pdf").status_code == 201

    async def tamper() -> None:
        connection = await asyncpg.connect(pg_site.env["CASEFILE_DATABASE_URL"])
        try:
            for statement in (
                "UPDATE piece_versions SET sha256 = 'f' || substr(sha256, 2)",
                "UPDATE piece_versions SET size = size + 1",
                "TRUNCATE audit_log",
                "DELETE FROM audit_log",
            ):
                with pytest.raises(asyncpg.PostgresError, match=r"never change|append-only"):
                    await connection.execute(statement)
            await connection.execute("UPDATE piece_versions SET note = note")
        finally:
            await connection.close()

    asyncio.run(tamper())
