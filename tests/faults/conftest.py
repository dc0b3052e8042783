"""A served installation per test — fresh SQLite database, evidence on a local folder or on
moto's S3 server — with an avocat's token and one case, and the back doors the fault tests use
(damage a stored object, stop the object store, kill the server).

`served` runs uvicorn in a thread of the test process; `spawned` runs `casefile serve` as a
child process, for the tests that kill it with SIGKILL.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.api.server import free_port, running
from tests.evidence.conftest import s3_endpoint as s3_endpoint  # the session's moto server

ENV = (
    "CASEFILE_DATABASE_URL",
    "CASEFILE_VAR_DIR",
    "CASEFILE_EVIDENCE_URL",
    "CASEFILE_S3_ENDPOINT",
    "CASEFILE_S3_ACCESS_KEY",
    "CASEFILE_S3_SECRET_KEY",
    "CASEFILE_S3_SECURE",
    "CASEFILE_MAX_UPLOAD_BYTES",
)
CASE = {
    "reference": "IP-FAULT-001",
    "procedure": "injonction_de_payer",
    "court": "tribunal_judiciaire",
    "court_department": "75",
    "creditor": {
        "name": "Dupont & Fils SARL",
        "kind": "professionnel",
        "siren": "812345676",
        "address": "14 rue du Port-du-Rhin, 67000 Strasbourg",
    },
    "debtor": {
        "name": "Martin Bâtiment SARL",
        "kind": "professionnel",
        "siren": "798654323",
        "address": "3 rue des Tanneurs, 75004 Paris",
    },
}


@dataclass
class Site:
    backend: str
    var: Path
    env: dict[str, str]
    token: str
    commissaire_token: str
    case_id: int = 0
    url: str = ""

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    def store(self) -> Any:
        from casefile.evidence.backends import open_store

        return open_store()

    def flip_byte(self, sha256: str, offset: int = 0) -> None:
        """Change one byte of a stored object behind the store's back."""
        from casefile.evidence.local import LocalStore
        from casefile.evidence.objects import object_key

        store = self.store()
        if isinstance(store, LocalStore):
            path = store.root / object_key(sha256)
            path.chmod(0o644)
            data = bytearray(path.read_bytes())
            data[offset] ^= 0x01
            path.write_bytes(bytes(data))
        else:
            key = object_key(sha256)
            data = bytearray(store.client.get_object(store.bucket, key).read())
            data[offset] ^= 0x01
            store.client.put_object(store.bucket, key, io.BytesIO(bytes(data)), len(data))

    def upload(self, body: bytes, filename: str = "facture.pdf", kind: str = "facture") -> Any:
        response = httpx.post(
            f"{self.url}/api/cases/{self.case_id}/evidence",
            params={"kind": kind, "filename": filename},
            headers={**self.headers, "content-type": "application/octet-stream"},
            content=body,
            timeout=60,
        )
        assert response.status_code == 201, response.text
        return response.json()

    def cli(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "casefile", *args],
            env={**os.environ, **self.env},
            capture_output=True,
            text=True,
            timeout=120,
        )


async def _prepare(url: str) -> tuple[str, str]:
    """Tokens of an avocat and of a commissaire de justice assigned to nothing."""
    from casefile.store import db, users

    await db.connect(url)
    try:
        _, token = await users.create_user("avocat", "avocat", with_token=True)
        _, other = await users.create_user("cj", "commissaire_de_justice", with_token=True)
        assert token is not None and other is not None
        return token, other
    finally:
        await db.close()


@contextmanager
def installed(
    tmp_path: Path, evidence: dict[str, str], database_url: str | None = None
) -> Iterator[Site]:
    """A fresh installation (database migrated, bucket created) with these settings."""
    from casefile.cli import main
    from casefile.settings import reset_settings

    var = tmp_path / "var"
    env = {
        "CASEFILE_VAR_DIR": str(var),
        "CASEFILE_DATABASE_URL": database_url or f"sqlite:///{var}/casefile.db",
        "CASEFILE_MAX_UPLOAD_BYTES": str(64 * 1024 * 1024),
        **evidence,
    }
    backend = "s3" if evidence["CASEFILE_EVIDENCE_URL"].startswith("s3:") else "local"
    saved = {key: os.environ.get(key) for key in ENV}
    for key in ENV:
        os.environ.pop(key, None)
    os.environ.update(env)
    reset_settings()
    try:
        assert main(["init"]) == 0
        token, commissaire = asyncio.run(_prepare(env["CASEFILE_DATABASE_URL"]))
        yield Site(backend, var, env, token, commissaire)
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        reset_settings()


def local_evidence(tmp_path: Path) -> dict[str, str]:
    return {"CASEFILE_EVIDENCE_URL": f"file://{tmp_path}/var/evidence"}


def s3_evidence(endpoint: tuple[str, str, str]) -> dict[str, str]:
    host, access, secret = endpoint
    return {
        "CASEFILE_EVIDENCE_URL": f"s3://faults-{uuid.uuid4().hex[:12]}",
        "CASEFILE_S3_ENDPOINT": host,
        "CASEFILE_S3_ACCESS_KEY": access,
        "CASEFILE_S3_SECRET_KEY": secret,
        "CASEFILE_S3_SECURE": "false",
    }


@pytest.fixture(params=["local", "s3"])
def site(
    request: pytest.FixtureRequest, tmp_path: Path, s3_endpoint: tuple[str, str, str]
) -> Iterator[Site]:
    """A fresh installation on SQLite, evidence on a local folder or on moto's S3 server."""
    evidence = local_evidence(tmp_path) if request.param == "local" else s3_evidence(s3_endpoint)
    with installed(tmp_path, evidence) as result:
        yield result


@pytest.fixture
def pg_site(tmp_path: Path) -> Iterator[Site]:
    """A fresh installation on its own PostgreSQL database, evidence on a local folder."""
    from tests.store.conftest import POSTGRES_ADMIN_URL, _admin, _postgres_database

    database = _postgres_database()
    url = POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + f"/{database}"
    try:
        with installed(tmp_path, local_evidence(tmp_path), url) as result:
            yield result
    finally:
        _admin(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


@pytest.fixture
def private_s3() -> Iterator[Any]:
    """A moto S3 server of its own, that a test may stop."""
    import logging

    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    try:
        yield server
    finally:
        with contextlib.suppress(Exception):
            server.stop()


def _new_case(site: Site) -> None:
    response = httpx.post(f"{site.url}/api/cases", headers=site.headers, json=CASE, timeout=30)
    assert response.status_code == 201, response.text
    site.case_id = int(response.json()["id"])


@pytest.fixture
def served(site: Site) -> Iterator[Site]:
    """`site` served by uvicorn in a thread, with one case."""
    from casefile.api.app import create_app

    with running(create_app()) as url:
        site.url = url
        _new_case(site)
        yield site


@contextmanager
def spawned(site: Site) -> Iterator[subprocess.Popen[bytes]]:
    """`casefile serve` as a child process on a free port (site.url points at it)."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "casefile", "serve", "--host", "127.0.0.1", "--port", str(port)],
        env={**os.environ, **site.env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    site.url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    try:
        while True:
            try:
                if httpx.get(f"{site.url}/health/live", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("casefile serve did not start")
            time.sleep(0.05)
        yield process
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)
