"""Fixtures: the same store tests run on a local folder and on a real S3 HTTP server.

The S3 server is moto's, started once per session on a free loopback port; set
CASEFILE_TEST_S3_ENDPOINT (host:port, with CASEFILE_TEST_S3_ACCESS_KEY/SECRET_KEY) to run the
suite against a real MinIO instead.
"""

from __future__ import annotations

import hashlib
import io
import logging
import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
from minio import Minio

from casefile.evidence.local import LocalStore
from casefile.evidence.memory import MemoryRecords
from casefile.evidence.objects import ObjectStore, Readable, StoredObject, object_key
from casefile.evidence.records import Actor
from casefile.evidence.s3 import S3Store

PART = 5 * 1024 * 1024  # S3's minimum part size: small files still go multipart in tests
LAWYER = Actor("Me Durand", "avocat")
ASSISTANT = Actor("Léa", "assistant")
NOW = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)


@pytest.fixture(scope="session")
def s3_endpoint() -> Iterator[tuple[str, str, str]]:
    endpoint = os.environ.get("CASEFILE_TEST_S3_ENDPOINT")
    if endpoint:
        yield (
            endpoint,
            os.environ.get("CASEFILE_TEST_S3_ACCESS_KEY", "minioadmin"),
            os.environ.get("CASEFILE_TEST_S3_SECRET_KEY", "minioadmin"),
        )
        return
    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield f"{host}:{port}", "testing", "testing"
    finally:
        server.stop()


@pytest.fixture
def s3_client(s3_endpoint: tuple[str, str, str]) -> Minio:
    endpoint, access, secret = s3_endpoint
    return Minio(endpoint, access_key=access, secret_key=secret, secure=False, region="us-east-1")


@dataclass
class Backend:
    """A store plus the back door tests use to damage it."""

    name: str
    """local, s3-file or s3-stream."""
    store: LocalStore | S3Store

    def overwrite(self, sha256: str, data: bytes) -> None:
        """Replace the stored bytes behind the store's back."""
        if isinstance(self.store, LocalStore):
            path = self.store.root / object_key(sha256)
            path.chmod(0o644)
            path.write_bytes(data)
        else:
            self.store.client.put_object(
                self.store.bucket, object_key(sha256), io.BytesIO(data), len(data)
            )

    def raw_names(self) -> list[str]:
        """Every stored name, temporary uploads included."""
        if isinstance(self.store, LocalStore):
            return sorted(
                p.relative_to(self.store.root).as_posix()
                for p in self.store.root.rglob("*")
                if p.is_file()
            )
        objects = self.store.client.list_objects(self.store.bucket, recursive=True)
        return sorted(o.object_name or "" for o in objects)


class _Unseekable:
    def __init__(self, source: Readable) -> None:
        self.read = source.read


class StreamedS3Store(S3Store):
    """Hands every upload over as a non-seekable stream (an HTTP body), so the spooling path
    runs; files take the hash-first path."""

    def put_stream(self, stream: Readable, *, max_size: int | None = None) -> StoredObject:
        return super().put_stream(_Unseekable(stream), max_size=max_size)


@pytest.fixture(params=["local", "s3-file", "s3-stream"])
def backend(request: pytest.FixtureRequest, tmp_path) -> Backend:
    return make_backend(request, tmp_path)


@pytest.fixture(params=["s3-file", "s3-stream"])
def s3_backend(request: pytest.FixtureRequest, tmp_path) -> Backend:
    return make_backend(request, tmp_path)


def make_backend(request: pytest.FixtureRequest, tmp_path) -> Backend:
    if request.param == "local":
        return Backend("local", LocalStore(tmp_path / "evidence"))
    client = request.getfixturevalue("s3_client")
    kind = S3Store if request.param == "s3-file" else StreamedS3Store
    store = kind(client, f"evidence-{uuid.uuid4().hex[:16]}", part_size=PART)
    store.ensure_bucket()
    return Backend(request.param, store)


@pytest.fixture
def store(backend: Backend) -> ObjectStore:
    return backend.store


@pytest.fixture
def records() -> MemoryRecords:
    return MemoryRecords()


def pdf(text: str, size: int = 0) -> bytes:
    """A small PDF-looking file, padded to `size` bytes."""
    head = f"%PDF-1.7\n% {text}\n".encode()
    return head + b"x" * max(0, size - len(head))


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
