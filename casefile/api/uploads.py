"""Streaming request bodies: raw bytes or multipart/form-data, never buffered whole.

Litestar's `UploadFile` spools the whole upload to a temporary file before the handler runs;
evidence can be hundreds of megabytes, so the body is parsed chunk by chunk here
(python-multipart's push parser) and handed on as it arrives, with the size limit enforced
on the bytes actually received (HTTP 413 as soon as it is crossed).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from typing import Any

from litestar import Request
from litestar.exceptions import HTTPException
from litestar.status_codes import HTTP_413_REQUEST_ENTITY_TOO_LARGE

from casefile.errors import InputError
from casefile.law.wording import quoted, too_large_fr

MAX_FIELD_BYTES = 64 * 1024


class TooLarge(HTTPException):
    status_code = HTTP_413_REQUEST_ENTITY_TOO_LARGE


def too_large(limit: int) -> TooLarge:
    return TooLarge(detail=too_large_fr(limit))


@dataclass
class Upload:
    """The form fields sent before the file, the file's name, and its bytes (an async stream)."""

    fields: dict[str, str]
    filename: str
    chunks: AsyncIterator[bytes]
    _rest: list[Any] = field(default_factory=list)


async def raw_upload(request: Request[Any, Any, Any], filename: str, limit: int) -> Upload:
    announced = request.headers.get("content-length")
    if announced and announced.isdigit() and int(announced) > limit:
        raise too_large(limit)

    async def chunks() -> AsyncIterator[bytes]:
        received = 0
        async for chunk in request.stream():
            received += len(chunk)
            if received > limit:
                raise too_large(limit)
            if chunk:
                yield chunk

    return Upload({}, filename, chunks())


async def multipart_upload(request: Request[Any, Any, Any], limit: int) -> Upload:
    """Parse up to the first file part; the fields must come before it (as browsers send a
    form in document order). The file's bytes are then read lazily from the network."""
    from python_multipart.multipart import MultipartParser, parse_options_header

    _, options = parse_options_header(request.headers.get("content-type", ""))
    boundary = options.get(b"boundary")
    if not boundary:
        raise InputError("envoi multipart/form-data sans délimiteur (boundary)")
    events: list[tuple[str, Any]] = []
    part: dict[str, Any] = {}
    header: dict[str, bytes] = {"field": b"", "value": b""}

    def on_part_begin() -> None:
        part.clear()
        part.update(headers={}, data=bytearray(), file=False)

    def on_header_field(data: bytes, start: int, end: int) -> None:
        header["field"] += data[start:end]

    def on_header_value(data: bytes, start: int, end: int) -> None:
        header["value"] += data[start:end]

    def on_header_end() -> None:
        part["headers"][header["field"].decode("latin-1").lower()] = header["value"]
        header["field"] = header["value"] = b""

    def on_headers_finished() -> None:
        _, disposition = parse_options_header(part["headers"].get("content-disposition", b""))
        part["name"] = disposition.get(b"name", b"").decode("utf-8", "replace")
        raw_name = disposition.get(b"filename")
        if raw_name is not None:
            part["file"] = True
            events.append(("file", raw_name.decode("utf-8", "replace")))

    def on_part_data(data: bytes, start: int, end: int) -> None:
        if part["file"]:
            events.append(("data", bytes(data[start:end])))
            return
        part["data"] += data[start:end]
        if len(part["data"]) > MAX_FIELD_BYTES:
            raise InputError(
                f"champ de formulaire {quoted(part.get('name'))} : plus de {MAX_FIELD_BYTES} octets"
            )

    def on_part_end() -> None:
        if part["file"]:
            events.append(("end", None))
        else:
            events.append(("field", (part["name"], part["data"].decode("utf-8", "replace"))))

    parser = MultipartParser(
        boundary,
        {
            "on_part_begin": on_part_begin,
            "on_header_field": on_header_field,
            "on_header_value": on_header_value,
            "on_header_end": on_header_end,
            "on_headers_finished": on_headers_finished,
            "on_part_data": on_part_data,
            "on_part_end": on_part_end,
        },
    )
    body = request.stream()

    async def next_events() -> bool:
        """Feed the parser one network chunk; False at the end of the body."""
        try:
            chunk = await body.__anext__()
        except StopAsyncIteration:
            parser.finalize()
            return False
        try:
            parser.write(chunk)
        except InputError:
            raise
        except Exception as error:  # python-multipart's parse errors
            raise InputError(f"malformed multipart body: {error}") from None
        return True

    fields: dict[str, str] = {}
    filename: str | None = None
    while filename is None:
        more = await next_events()
        while events and filename is None:
            kind, value = events.pop(0)
            if kind == "field":
                fields[value[0]] = value[1]
            elif kind == "file":
                filename = value
        if not more and filename is None:
            raise InputError("le formulaire ne contient aucun fichier (champ « file »)")

    async def chunks() -> AsyncIterator[bytes]:
        received = 0
        more = True
        while True:
            while events:
                kind, value = events.pop(0)
                if kind == "end":
                    return
                if kind == "data" and value:
                    received += len(value)
                    if received > limit:
                        raise too_large(limit)
                    yield value
            if not more:
                raise InputError("envoi interrompu : le fichier est incomplet")
            more = await next_events()

    return Upload(fields, filename, chunks())


def blocking_chunks(
    chunks: AsyncIterator[bytes], loop: asyncio.AbstractEventLoop
) -> Iterator[bytes]:
    """The async stream as a plain iterator for a worker thread: each chunk is awaited on the
    loop that owns the connection, so the bytes flow without being collected first."""
    while True:
        future = asyncio.run_coroutine_threadsafe(_next(chunks), loop)
        chunk = future.result()
        if chunk is None:
            return
        yield chunk


async def _next(chunks: AsyncIterator[bytes]) -> bytes | None:
    try:
        return await chunks.__anext__()
    except StopAsyncIteration:
        return None
