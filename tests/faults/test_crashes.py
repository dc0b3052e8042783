"""Issue 11 item 8: the fault suite. A server killed with SIGKILL during an upload and during
a bundle, the object store stopped mid-request, the database connection lost mid-transaction,
a full evidence disk: each ends with `casefile evidence verify` clean and nothing
half-recorded."""

from __future__ import annotations

import asyncio
import contextlib
import errno
import json
import os
import signal
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.api.server import running
from tests.faults.conftest import CASE, Site, installed, local_evidence, s3_evidence, spawned

MIB = 1024 * 1024


def pdf_chunks(total_mib: int, pause_after: int, gate: threading.Event) -> Iterator[bytes]:
    """A PDF sent 1 MiB at a time; after `pause_after` chunks it waits for `gate`."""
    yield b"%PDF-1.4\n" + b"a" * (MIB - 9)
    for n in range(1, total_mib):
        if n == pause_after:
            gate.wait(timeout=30)
        yield bytes([97 + n % 26]) * MIB


def clean_and_empty(site: Site, pieces: int = 0) -> dict[str, Any]:
    """`evidence verify` is clean, and the case holds exactly `pieces` pièces."""
    result = site.cli("evidence", "verify", "--format", "json")
    report: dict[str, Any] = json.loads(result.stdout)
    assert result.returncode == 0, result.stdout + result.stderr
    assert report["ok"] and not report["mismatched"] and not report["missing"]
    assert report["uploads_in_progress"] == []
    listed = site.cli("case", "show", str(site.case_id), "--format", "json")
    assert listed.returncode == 0, listed.stderr
    assert len(json.loads(listed.stdout)["evidence"]) == pieces
    return report


def create_case(site: Site) -> None:
    response = httpx.post(f"{site.url}/api/cases", headers=site.headers, json=CASE, timeout=30)
    assert response.status_code == 201, response.text
    site.case_id = int(response.json()["id"])


def temp_files(site: Site) -> list[str]:
    return [upload.name for upload in site.store().temporary_uploads()]


def test_kill_9_during_an_upload(site: Site) -> None:
    gate = threading.Event()
    with spawned(site) as server:
        create_case(site)
        outcome: list[object] = []

        def send() -> None:
            try:
                outcome.append(
                    httpx.post(
                        f"{site.url}/api/cases/{site.case_id}/evidence",
                        params={"kind": "facture", "filename": "gros.pdf"},
                        headers={**site.headers, "content-type": "application/octet-stream"},
                        content=pdf_chunks(8, 3, gate),
                        timeout=30,
                    )
                )
            except httpx.HTTPError as error:
                outcome.append(error)

        sender = threading.Thread(target=send)
        sender.start()
        deadline = time.monotonic() + 20
        if site.backend == "local":
            while not temp_files(site) and time.monotonic() < deadline:
                time.sleep(0.02)
            assert temp_files(site), "the upload never reached the store"
        else:
            time.sleep(1.0)
        server.send_signal(signal.SIGKILL)
        server.wait(timeout=10)
        gate.set()
        sender.join(timeout=30)
        assert isinstance(outcome[0], httpx.HTTPError), outcome
    report = clean_and_empty(site)
    if site.backend == "local":
        assert len(report["interrupted_uploads"]) == 1
    assert temp_files(site) == []
    assert list(site.store().list_keys()) == []


def test_kill_9_during_a_bundle(site: Site) -> None:
    with spawned(site) as server:
        create_case(site)
        for n in range(2):
            body = b"%PDF-1.4\n" + os.urandom(3 * MIB) + f"\n%%EOF {n}\n".encode()
            response = httpx.post(
                f"{site.url}/api/cases/{site.case_id}/evidence",
                params={"kind": "facture", "filename": f"f{n}.pdf"},
                headers={**site.headers, "content-type": "application/octet-stream"},
                content=body,
                timeout=60,
            )
            assert response.status_code == 201, response.text
        received = 0
        with (
            pytest.raises(httpx.HTTPError),
            httpx.stream(
                "GET",
                f"{site.url}/api/cases/{site.case_id}/bundle.zip",
                headers=site.headers,
                timeout=30,
            ) as response,
        ):
            for chunk in response.iter_raw(64 * 1024):
                received += len(chunk)
                if received >= 256 * 1024 and server.poll() is None:
                    server.send_signal(signal.SIGKILL)
        assert 0 < received < 6 * MIB
    clean_and_empty(site, pieces=2)


def test_object_store_stopped_mid_upload(tmp_path: Path, private_s3: Any) -> None:
    from moto.server import ThreadedMotoServer

    host, port = private_s3.get_host_and_port()
    gate = threading.Event()
    with installed(tmp_path, s3_evidence((f"{host}:{port}", "testing", "testing"))) as site:
        from casefile.api.app import create_app

        with running(create_app()) as url:
            site.url = url
            create_case(site)
            outcome: list[object] = []

            def send() -> None:
                try:
                    outcome.append(
                        httpx.post(
                            f"{url}/api/cases/{site.case_id}/evidence",
                            params={"kind": "facture", "filename": "gros.pdf"},
                            headers={**site.headers, "content-type": "application/octet-stream"},
                            content=pdf_chunks(20, 2, gate),
                            timeout=60,
                        )
                    )
                except httpx.HTTPError as error:
                    outcome.append(error)

            sender = threading.Thread(target=send)
            sender.start()
            time.sleep(0.5)
            private_s3.stop()
            gate.set()
            sender.join(timeout=60)
            result = outcome[0]
            if isinstance(result, httpx.Response):
                assert result.status_code == 503, result.text
                assert f"{port}" not in result.text and "tmp/" not in result.text
            # The object store comes back (moto keeps its state in this process).
            restarted = ThreadedMotoServer(ip_address=host, port=port, verbose=False)
            restarted.start()
            try:
                clean_and_empty(site)
                assert list(site.store().list_keys()) == []
            finally:
                restarted.stop()


@pytest.mark.postgres
def test_database_connection_lost_mid_transaction(pg_site: Site) -> None:
    import asyncpg

    from casefile.api.app import create_app

    database = pg_site.env["CASEFILE_DATABASE_URL"]
    with running(create_app()) as url:
        pg_site.url = url
        create_case(pg_site)
        before = httpx.get(f"{url}/api/cases/{pg_site.case_id}", headers=pg_site.headers).json()

        async def scenario() -> httpx.Response:
            holder = await asyncpg.connect(database)
            try:
                # Hold the case row: the server's transaction inserts the payment, then waits
                # on this lock to bump the version — mid-transaction.
                await holder.execute("BEGIN")
                await holder.execute(f"SELECT 1 FROM cases WHERE id = {pg_site.case_id} FOR UPDATE")
                async with httpx.AsyncClient(headers=pg_site.headers, timeout=30) as client:
                    request = asyncio.create_task(
                        client.post(
                            f"{url}/api/cases/{pg_site.case_id}/payments",
                            json={"date": "2026-03-01", "amount": "100.00"},
                        )
                    )
                    waiting: list[Any] = []
                    for _ in range(200):
                        waiting = await holder.fetch(
                            "SELECT pid FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                            "AND datname = current_database()"
                        )
                        if waiting:
                            break
                        await asyncio.sleep(0.02)
                    assert waiting, "the server's transaction never waited on the lock"
                    for row in waiting:
                        await holder.execute(f"SELECT pg_terminate_backend({row['pid']})")
                    response = await request
                await holder.execute("ROLLBACK")
                return response
            finally:
                await holder.close()

        response = asyncio.run(scenario())
        assert response.status_code == 503, response.text
        assert "asyncpg" not in response.text and "terminat" not in response.text
        after = httpx.get(f"{url}/api/cases/{pg_site.case_id}", headers=pg_site.headers).json()
        assert after["payments"] == before["payments"] == []
        assert after["version"] == before["version"]
        # The pool recovers: the same payment goes through now.
        again = httpx.post(
            f"{url}/api/cases/{pg_site.case_id}/payments",
            headers=pg_site.headers,
            json={"date": "2026-03-01", "amount": "100.00"},
        )
        assert again.status_code == 201, again.text
    clean_and_empty(pg_site)


@contextlib.contextmanager
def small_disk(folder: Path, size: str = "2m") -> Iterator[bool]:
    """`folder` on a tmpfs of `size` when this machine lets us mount (root); else False."""
    folder.mkdir(parents=True, exist_ok=True)
    mounted = (
        subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)],
            capture_output=True,
        ).returncode
        == 0
    )
    try:
        yield mounted
    finally:
        if mounted:
            subprocess.run(["umount", "-l", str(folder)], capture_output=True)


class _QuotaFile:
    """A test double for a full disk: writes beyond `room` bytes fail with ENOSPC."""

    def __init__(self, inner: Any, room: int) -> None:
        self._inner = inner
        self._room = room

    def write(self, data: bytes) -> int:
        if len(data) > self._room:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        self._room -= len(data)
        return int(self._inner.write(data))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)

    def __enter__(self) -> _QuotaFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self._inner.close()


def test_a_full_evidence_disk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    evidence = tmp_path / "var" / "evidence"
    with small_disk(evidence) as mounted:
        if not mounted:
            from casefile.evidence import local

            real_fdopen = os.fdopen
            monkeypatch.setattr(
                local.os, "fdopen", lambda fd, mode: _QuotaFile(real_fdopen(fd, mode), 2 * MIB)
            )
        with installed(tmp_path, local_evidence(tmp_path)) as site:
            from casefile.api.app import create_app

            with running(create_app()) as url:
                site.url = url
                create_case(site)
                small = httpx.post(
                    f"{url}/api/cases/{site.case_id}/evidence",
                    params={"kind": "facture", "filename": "petit.pdf"},
                    headers={**site.headers, "content-type": "application/octet-stream"},
                    content=b"%PDF-1.4\n" + b"s" * 1000 + b"\n%%EOF\n",
                )
                assert small.status_code == 201, small.text
                big = httpx.post(
                    f"{url}/api/cases/{site.case_id}/evidence",
                    params={"kind": "facture", "filename": "gros.pdf"},
                    headers={**site.headers, "content-type": "application/octet-stream"},
                    content=b"%PDF-1.4\n" + os.urandom(4 * MIB),
                    timeout=60,
                )
                assert big.status_code == 503, big.text
                assert str(evidence) not in big.text
            clean_and_empty(site, pieces=1)
            assert temp_files(site) == []
