"""The content-addressed object interface both backends implement.

An object's key is derived from its SHA-256 (`sha256/ab/cd/<hex>`), so the same bytes are
stored once and a key can never name other bytes: objects are written once, never replaced.

Every upload also computes, in the same pass, the BLAKE3 digest of the bytes. The SHA-256
stays the object's name and the pièce's fingerprint (bordereau, API); the BLAKE3 digest, recorded
beside it, is what a download is checked against when the caller has it: both are
cryptographic and were computed on the same bytes, so bytes that match the recorded BLAKE3
digest are the bytes that hashed to the SHA-256. BLAKE3 runs at ≈ 9 GB/s on one core here
(AVX-512) against 1.9 GB/s for SHA-256 (SHA extensions), and the hash was most of a verified
download's extra work over a raw one (`docs/performance.md`).
"""

from __future__ import annotations

import hashlib
import os
import queue
import re
import socket
import threading
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

import blake3 as _blake3

from casefile.errors import InputError
from casefile.evidence.errors import IntegrityError
from casefile.evidence.sniff import SNIFF_BYTES, sniff
from casefile.law.wording import quoted, too_large_fr

CHUNK = 1024 * 1024
"""Read size when streaming objects: large enough for throughput, small for memory."""

_HEX = re.compile(r"^[0-9a-f]{64}$")
BLAKE3_MAX_THREADS = 1
"""One thread per hash: the other core serves the network (and, here, the S3 server)."""
KEY_PREFIX = "sha256/"


class Digest(Protocol):
    """A running hash: hashlib's or BLAKE3's."""

    def update(self, data: bytes, /) -> object: ...

    def hexdigest(self) -> str: ...


class Readable(Protocol):
    """Anything with `read(size)`: an open file, a socket file, `request.stream()` adapted."""

    def read(self, size: int = -1, /) -> bytes: ...


@dataclass(frozen=True)
class StoredObject:
    """What `put_stream` proved about the bytes it stored."""

    sha256: str
    size: int
    mime: str
    created: bool
    """False when identical bytes were already stored (nothing was written)."""
    blake3: str | None = None
    """The BLAKE3 digest of the bytes received, computed in the same pass as `sha256` (every
    store computes it; None only from a test double)."""
    repaired: bool = False
    """True when the key already held bytes that failed their hash and these bytes, which
    pass it, replaced them (the original of an altered pièce deposited again)."""


@dataclass(frozen=True)
class ObjectInfo:
    sha256: str
    size: int
    modified: datetime


@dataclass(frozen=True)
class TemporaryUpload:
    """A partial upload (a temporary file or key) left by `put_stream`."""

    name: str
    size: int
    modified: datetime
    owner_gone: bool
    """True when the process that wrote it (same host) no longer runs: it crashed."""


def upload_owner_tag() -> str:
    """`host.pid`: put in temporary upload names, so that verify can tell a crashed upload
    (its process is gone) from one in flight."""
    host = re.sub(r"[^A-Za-z0-9-]", "-", socket.gethostname())[:40] or "host"
    return f"{host}.{os.getpid()}"


def owner_gone(name: str) -> bool:
    """Whether the `host.pid` tag in a temporary upload's name names a process of this host
    that no longer runs (never True for another host's upload)."""
    match = re.search(r"upload-([A-Za-z0-9-]+)\.(\d+)-", name)
    if match is None:
        return False
    host, pid = match.group(1), int(match.group(2))
    if host != upload_owner_tag().rsplit(".", 1)[0]:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


class ObjectStore(Protocol):
    """A write-once store of byte objects named by their SHA-256."""

    url: str

    def put_stream(self, stream: Readable, *, max_size: int | None = None) -> StoredObject:
        """Store `stream`, hashing while streaming; return once the stored object is verified.

        Raises `StorageUnavailable` when the store fails, `InputError` beyond `max_size`.
        """
        ...

    def open_verified(
        self, sha256: str, size: int | None = None, *, blake3: str | None = None
    ) -> Iterator[bytes]:
        """The object's bytes in chunks; the last chunk is held back until the whole object
        is hashed, and `IntegrityError` is raised in its place when the bytes do not hash to
        `sha256` (or to `blake3`, their BLAKE3 digest recorded at upload, which is then
        checked instead) or do not have `size`. `ObjectMissing` is raised by this call, before
        any chunk."""
        ...

    def exists(self, sha256: str) -> bool: ...

    def check(self) -> None:
        """Raise `StorageUnavailable` unless the store answers and can take objects."""
        ...

    def stat(self, sha256: str) -> ObjectInfo | None: ...

    def delete(self, sha256: str) -> None:
        """Remove an object: only for orphans (verify) and retention, never for a pièce."""
        ...

    def list_objects(self) -> Iterator[ObjectInfo]: ...

    def list_keys(self) -> Iterator[str]:
        """The SHA-256 of every stored object."""
        ...

    def temporary_uploads(self) -> Iterator[TemporaryUpload]:
        """Partial uploads still present (an upload removes its own when it ends, even on
        failure: what remains was left by a process that died)."""
        ...

    def remove_temporary(self, name: str) -> None: ...

    def download_url(
        self, sha256: str, filename: str, expires: timedelta, now: datetime | None = None
    ) -> str | None:
        """A URL the object store itself serves until `expires`, or None when it cannot."""
        ...


def check_sha256(sha256: str) -> str:
    """`sha256` if it is 64 lowercase hex digits; anything else could escape the key space."""
    if not _HEX.match(sha256):
        raise InputError(
            f"{quoted(sha256)} n'est pas une empreinte SHA-256 (64 chiffres hexadécimaux)"
        )
    return sha256


def new_blake3() -> _blake3.blake3:
    return _blake3.blake3(max_threads=BLAKE3_MAX_THREADS)


def check_blake3(digest: str) -> str:
    """`digest` if it is 64 lowercase hex digits (a BLAKE3 digest as recorded)."""
    if not _HEX.match(digest):
        raise InputError(
            f"{quoted(digest)} n'est pas une empreinte BLAKE3 (64 chiffres hexadécimaux)"
        )
    return digest


def object_key(sha256: str) -> str:
    check_sha256(sha256)
    return f"{KEY_PREFIX}{sha256[:2]}/{sha256[2:4]}/{sha256}"


def key_sha256(key: str) -> str | None:
    """The digest a well-formed key names, None for anything else under the prefix."""
    parts = key.split("/")
    if len(parts) != 4 or parts[0] + "/" != KEY_PREFIX or not _HEX.match(parts[3]):
        return None
    digest = parts[3]
    return digest if parts[1] == digest[:2] and parts[2] == digest[2:4] else None


class PartDigests:
    """The MD5 of each `part_size` slice of the bytes fed in, to predict the ETag S3 gives
    their upload. The MD5s run in a second thread while the caller goes on (hashlib releases
    the GIL): beside the SHA-256 of the same chunk, or beside the network while a part is
    uploaded."""

    def __init__(self, part_size: int) -> None:
        self._part_size = part_size
        self.size = 0
        self._md5s: list[bytes] = []
        self._part = hashlib.md5(usedforsecurity=False)
        self._fill = 0
        self._worker: ThreadPoolExecutor | None = None
        self._pending: Future[None] | None = None

    def feed(self, data: bytes) -> None:
        if self._worker is None:
            self._worker = ThreadPoolExecutor(1, thread_name_prefix="evidence-md5")
        if self._pending is not None:
            self._pending.result()
        self.size += len(data)
        self._pending = self._worker.submit(self._hash, data)

    def finish(self) -> None:
        """Wait for the MD5s and stop their thread (idempotent)."""
        pending, self._pending = self._pending, None
        worker, self._worker = self._worker, None
        try:
            if pending is not None:
                pending.result()
        finally:
            if worker is not None:
                worker.shutdown(wait=True)

    def _hash(self, data: bytes) -> None:
        view = memoryview(data)
        while view:
            take = min(len(view), self._part_size - self._fill)
            self._part.update(view[:take])
            self._fill += take
            view = view[take:]
            if self._fill == self._part_size:
                self._md5s.append(self._part.digest())
                self._part = hashlib.md5(usedforsecurity=False)
                self._fill = 0

    def expected_etag(self) -> str:
        """The ETag S3 gives this upload: MD5 for a single PUT, MD5 of the part MD5s + count
        for a multipart one (minio switches to multipart beyond one part)."""
        self.finish()
        md5s = [*self._md5s]
        if self._fill or not md5s:
            md5s.append(self._part.digest())
        if len(md5s) == 1 and self.size <= self._part_size:
            return md5s[0].hex()
        combined = hashlib.md5(b"".join(md5s), usedforsecurity=False).hexdigest()
        return f"{combined}-{len(md5s)}"


class HashingReader:
    """Wraps an upload: sniffs the head, hashes and counts every byte handed on, enforces a
    maximum size. `read(n)` returns exactly `n` bytes until the end, because minio's part
    reader concatenates whatever it gets (many short reads would copy quadratically). Every
    byte gets both digests, SHA-256 and BLAKE3, in the same pass. With a `part_size`, also the
    MD5 of each part (`PartDigests`)."""

    def __init__(
        self, source: Readable, *, max_size: int | None = None, part_size: int = 0
    ) -> None:
        self._source = source
        self._max_size = max_size
        self._buffer = _read_full(source, SNIFF_BYTES)
        self.mime = sniff(self._buffer)
        self.size = 0
        self.sha256 = hashlib.sha256()
        self.blake3 = new_blake3()
        self.parts = PartDigests(part_size) if part_size else None

    def read(self, size: int = -1, /) -> bytes:
        if size is None or size < 0:
            size = CHUNK
        if self._buffer:
            data = self._buffer[:size]
            self._buffer = self._buffer[size:]
            if len(data) < size:
                data += _read_full(self._source, size - len(data))
        else:
            data = _read_full(self._source, size)
        self._account(data)
        return data

    def _account(self, data: bytes) -> None:
        self.size += len(data)
        if self._max_size is not None and self.size > self._max_size:
            raise InputError(too_large_fr(self._max_size))
        if self.parts is not None:
            self.parts.feed(data)
        self.sha256.update(data)
        self.blake3.update(data)

    def finish(self) -> None:
        """Wait for the part MD5s and stop their thread (idempotent)."""
        if self.parts is not None:
            self.parts.finish()


class PartHashingReader:
    """Hands `source` on to minio's uploader in reads of exactly `n` bytes while the MD5 of
    each part is computed (`PartDigests`) on exactly the bytes handed on, so the ETag the
    server returns can be checked against them."""

    def __init__(self, source: Readable, part_size: int) -> None:
        self._source = source
        self.parts = PartDigests(part_size)

    def read(self, size: int = -1, /) -> bytes:
        data = _read_full(self._source, CHUNK if size is None or size < 0 else size)
        if data:
            self.parts.feed(data)
        return data


def _read_full(source: Readable, size: int) -> bytes:
    """Up to `size` bytes, fewer only at end of stream."""
    first = source.read(size)
    if len(first) == size or not first:
        return first
    chunks = [first]
    missing = size - len(first)
    while missing and (data := source.read(missing)):
        chunks.append(data)
        missing -= len(data)
    return b"".join(chunks)


class PrefixedReader:
    """`head` (already read) followed by the rest of `source`."""

    def __init__(self, head: bytes, source: Readable) -> None:
        self._head = head
        self._source = source

    def read(self, size: int = -1, /) -> bytes:
        if size is None or size < 0:
            data, self._head = self._head + self._source.read(), b""
            return data
        if self._head:
            data, self._head = self._head[:size], self._head[size:]
            return data
        return self._source.read(size)


def peek(stream: Readable, size: int = SNIFF_BYTES) -> tuple[bytes, Readable]:
    """The first `size` bytes of `stream`, and a stream that still yields them: the same
    stream rewound when it can seek (a file), else a `PrefixedReader`."""
    try:
        seekable = bool(stream.seekable())  # type: ignore[attr-defined]
    except (AttributeError, OSError, ValueError):
        seekable = False
    if seekable:
        start = stream.tell()  # type: ignore[attr-defined]
        head = _read_full(stream, size)
        stream.seek(start)  # type: ignore[attr-defined]
        return head, stream
    head = _read_full(stream, size)
    return head, PrefixedReader(head, stream)


class IterReader:
    """A `Readable` over an iterable of byte chunks (an HTTP request body, a generator)."""

    def __init__(self, chunks: Iterable[bytes]) -> None:
        self._chunks = iter(chunks)
        self._rest = b""

    def read(self, size: int = -1, /) -> bytes:
        if size is None or size < 0:
            return self._rest + b"".join(self._chunks)
        while not self._rest:
            chunk = next(self._chunks, None)
            if chunk is None:
                return b""
            self._rest = chunk
        data, self._rest = self._rest[:size], self._rest[size:]
        return data


class _End:
    pass


@dataclass(frozen=True)
class _Failed:
    error: BaseException


def prefetched(chunks: Iterator[bytes], depth: int = 4) -> Iterator[bytes]:
    """`chunks` read ahead by a thread (at most `depth` chunks buffered), so the network read
    of the next chunk overlaps the hashing of this one (both release the GIL)."""
    buffer: queue.Queue[bytes | _End | _Failed] = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def offer(item: bytes | _End | _Failed) -> bool:
        while not stop.is_set():
            try:
                buffer.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def pump() -> None:
        try:
            for chunk in chunks:
                if not offer(chunk):
                    return
        except BaseException as error:  # handed to the consumer, raised there
            offer(_Failed(error))
            return
        offer(_End())

    thread = threading.Thread(target=pump, name="evidence-prefetch", daemon=True)
    thread.start()
    try:
        while True:
            item = buffer.get()
            if isinstance(item, _End):
                return
            if isinstance(item, _Failed):
                raise item.error
            yield item
    finally:
        stop.set()
        thread.join(timeout=5)


def verified_chunks(
    chunks: Iterable[bytes],
    sha256: str,
    size: int | None,
    where: str,
    *,
    blake3: str | None = None,
) -> Iterator[bytes]:
    """Pass `chunks` on while hashing them, one chunk behind: the last chunk is only handed
    on once every byte has been hashed and found right, so a consumer never receives the
    complete bytes of an object that fails its hash. On a mismatch `IntegrityError` is raised
    in place of the last chunk. With `blake3` (the digest recorded at upload beside `sha256`),
    the bytes are checked against it instead: the same proof at a fifth of the CPU."""
    if blake3 is not None:
        check_blake3(blake3)
        expected, name = blake3, "BLAKE3"
        digest: Digest = new_blake3()
    else:
        expected, name = sha256, "SHA-256"
        digest = hashlib.sha256()
    total = 0
    held: bytes | None = None
    for chunk in chunks:
        if not chunk:
            continue
        digest.update(chunk)
        total += len(chunk)
        if size is not None and total > size:
            raise IntegrityError(f"{where} : plus que les {size} octets enregistrés sont stockés")
        if held is not None:
            yield held
        held = chunk
    if size is not None and total != size:
        raise IntegrityError(f"{where} : {total} octets stockés, {size} enregistrés")
    if digest.hexdigest() != expected:
        raise IntegrityError(
            f"{where} : l'empreinte {name} des octets stockés est {digest.hexdigest()}, "
            f"non {expected}"
        )
    if held is not None:
        yield held


def read_verified(
    store: ObjectStore, sha256: str, size: int | None = None, *, blake3: str | None = None
) -> bytes:
    """The whole object, verified before anything is returned (for objects that fit in
    memory: nothing of a corrupt object ever leaves)."""
    return b"".join(store.open_verified(sha256, size, blake3=blake3))
