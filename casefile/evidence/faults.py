"""A store that fails on demand, to prove the service never records what was not stored."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

from casefile.evidence.errors import StorageUnavailable
from casefile.evidence.objects import (
    ObjectInfo,
    ObjectStore,
    Readable,
    StoredObject,
    TemporaryUpload,
)

OPERATIONS = frozenset(
    {"put", "put_midway", "read", "exists", "stat", "delete", "list", "download_url"}
)


class FailingStore:
    """Wraps a real store; each operation named in `failing` raises `StorageUnavailable`.

    `put_midway` lets the upload start and breaks the source stream after `fail_after` bytes,
    like a connection dropped during an upload.
    """

    def __init__(
        self, inner: ObjectStore, failing: set[str] | frozenset[str], fail_after: int = 1
    ) -> None:
        unknown = set(failing) - OPERATIONS
        if unknown:
            raise ValueError(f"unknown operations {sorted(unknown)}; known: {sorted(OPERATIONS)}")
        self.inner = inner
        self.failing = set(failing)
        self.fail_after = fail_after
        self.url = inner.url

    def _check(self, operation: str) -> None:
        if operation in self.failing:
            raise StorageUnavailable(f"{self.url}: {operation} failed (injected fault)")

    def put_stream(self, stream: Readable, *, max_size: int | None = None) -> StoredObject:
        self._check("put")
        if "put_midway" in self.failing:
            stream = _BreakingReader(stream, self.fail_after)
        stored = self.inner.put_stream(stream, max_size=max_size)
        return stored

    def open_verified(
        self, sha256: str, size: int | None = None, *, blake3: str | None = None
    ) -> Iterator[bytes]:
        self._check("read")
        return self.inner.open_verified(sha256, size, blake3=blake3)

    def check(self) -> None:
        self._check("stat")
        self.inner.check()

    def exists(self, sha256: str) -> bool:
        self._check("exists")
        return self.inner.exists(sha256)

    def stat(self, sha256: str) -> ObjectInfo | None:
        self._check("stat")
        return self.inner.stat(sha256)

    def delete(self, sha256: str) -> None:
        self._check("delete")
        self.inner.delete(sha256)

    def list_objects(self) -> Iterator[ObjectInfo]:
        self._check("list")
        return self.inner.list_objects()

    def list_keys(self) -> Iterator[str]:
        self._check("list")
        return self.inner.list_keys()

    def temporary_uploads(self) -> Iterator[TemporaryUpload]:
        self._check("list")
        return self.inner.temporary_uploads()

    def remove_temporary(self, name: str) -> None:
        self._check("delete")
        self.inner.remove_temporary(name)

    def download_url(
        self, sha256: str, filename: str, expires: timedelta, now: datetime | None = None
    ) -> str | None:
        self._check("download_url")
        return self.inner.download_url(sha256, filename, expires, now)


class _BreakingReader:
    def __init__(self, source: Readable, fail_after: int) -> None:
        self._source = source
        self._left = fail_after

    def read(self, size: int = -1, /) -> bytes:
        if self._left <= 0:
            raise StorageUnavailable("connection to the object store dropped (injected fault)")
        data = self._source.read(min(size, self._left) if size >= 0 else self._left)
        self._left -= len(data)
        return data
