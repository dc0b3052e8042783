"""Download headers that survive any file name (RFC 6266 / RFC 5987), and verified downloads.

A non-ASCII name ("Décompte.docx") in a raw header is a 500 in the server; the ASCII fallback
goes in `filename=`, the exact name percent-encoded in `filename*=`.

A download never completes with bytes that fail their hash (the pièce's BLAKE3 digest recorded
at upload beside its SHA-256, or the SHA-256 for versions recorded before): an object that fits
in memory is read and verified before the answer starts (a corrupt one gets an error answer, no
bytes); a larger one is streamed one chunk behind its hash (`verified_chunks`), and on a mismatch
the exception escapes after the headers are sent, so the server aborts the connection short of
the announced length: curl and httpx report a failed transfer, never a 200 with the whole body.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import unicodedata
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from urllib.parse import quote

from litestar import Response
from litestar.response import Stream

from casefile import metrics
from casefile.evidence.errors import IntegrityError
from casefile.evidence.objects import ObjectStore, read_verified

INLINE_VERIFY_BYTES = 8 * 1024 * 1024
"""Objects up to this size are verified whole before the first byte leaves."""

Incident = Callable[[IntegrityError], Awaitable[None]]
"""Records an integrity failure (audit log) before the error answer or the abort."""


def content_disposition(filename: str, disposition: str = "attachment") -> str:
    ascii_name = unicodedata.normalize("NFKD", filename).encode("ascii", "ignore").decode("ascii")
    ascii_name = "".join(c if c.isprintable() and c not in '"\\;' else "_" for c in ascii_name)
    ascii_name = ascii_name.strip() or "fichier"
    encoded = quote(filename, safe="")
    return f"{disposition}; filename=\"{ascii_name}\"; filename*=UTF-8''{encoded}"


def _headers(filename: str, size: int | None, disposition: str = "attachment") -> dict[str, str]:
    headers = {
        "Content-Disposition": content_disposition(filename, disposition),
        "X-Content-Type-Options": "nosniff",
        "Cache-Control": "private, no-store",
    }
    if size is not None:
        headers["Content-Length"] = str(size)
    return headers


def verify_whole(store: ObjectStore, sha256: str, size: int, blake3: str | None) -> None:
    """Read the whole stored object against its hash, keeping nothing (`IntegrityError`)."""
    for _ in store.open_verified(sha256, size, blake3=blake3):
        pass


async def verified_download(
    store: ObjectStore,
    sha256: str,
    size: int,
    *,
    media_type: str,
    filename: str,
    incident: Incident,
    kind: str = "piece",
    disposition: str = "attachment",
    blake3: str | None = None,
) -> Response[bytes] | Stream:
    """The stored object as a download answer, never completed with bytes that fail their hash
    (`blake3` when recorded, else `sha256`; `disposition="inline"` to open it in the browser:
    only for types that run no script)."""
    if size <= INLINE_VERIFY_BYTES:
        try:
            data = await asyncio.to_thread(read_verified, store, sha256, size, blake3=blake3)
        except IntegrityError as error:
            await incident(error)
            raise
        metrics.served(len(data), kind)
        return Response(
            content=data, media_type=media_type, headers=_headers(filename, size, disposition)
        )
    chunks = await asyncio.to_thread(
        functools.partial(store.open_verified, sha256, size, blake3=blake3)
    )
    return Stream(
        guarded_stream(metrics.counting(chunks, kind), incident, chunks),
        media_type=media_type,
        headers=_headers(filename, size, disposition),
    )


def streamed_download(
    chunks: Iterator[bytes],
    *,
    media_type: str,
    filename: str,
    incident: Incident,
    kind: str = "bundle",
) -> Stream:
    """A download of unknown length (the bundle): aborted, never ended well-formed, when a
    pièce fails its hash or the object store fails midway."""
    return Stream(
        guarded_stream(metrics.counting(chunks, kind), incident, chunks),
        media_type=media_type,
        headers=_headers(filename, None),
    )


async def guarded_stream(
    chunks: Iterator[bytes], incident: Incident, source: Iterator[bytes] | None = None
) -> AsyncIterator[bytes]:
    """`chunks` pulled in a worker thread (they come from disk or the network); an
    `IntegrityError` is recorded, then re-raised so that the server aborts the answer.
    `source`: the iterator to close at the end when `chunks` wraps it."""
    try:
        while True:
            chunk = await asyncio.to_thread(next, chunks, None)
            if chunk is None:
                return
            yield chunk
    except IntegrityError as error:
        await incident(error)
        raise
    finally:
        close = getattr(source if source is not None else chunks, "close", None)
        if close is not None:
            with contextlib.suppress(Exception):
                await asyncio.to_thread(close)
