"""The input edge: what every request must respect before any handler, decoder or database
sees it (issue 11 item 4).

- no NUL character (U+0000) in the path, the query string, a form or a JSON body (PostgreSQL
  text cannot hold it; nothing legitimate carries it);
- JSON nested at most `MAX_JSON_DEPTH` deep (the decoders recurse);
- JSON bodies within `JSON_BODY_LIMIT` (Litestar's `request_max_body_size`, app.py).

Amounts, versions and identifiers are bounded where they are parsed (law/money.py,
store/cases.bump_version, auth.ids_in_range); a value the database still refuses becomes a
422 (db.data_error). Uploads (multipart, raw bytes) stream past this check: their own limit
applies on the fly.
"""

from __future__ import annotations

import re
from typing import Any

import msgspec
from litestar import Request
from litestar.types import Scope

from casefile.errors import InputError

MAX_JSON_DEPTH = 32
_STRINGS = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")
_BODY_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
NUL_MESSAGE = "le caractère nul (U+0000) n'est accepté dans aucun texte"


def _has_nul(raw: bytes) -> bool:
    return b"\x00" in raw or b"%00" in raw.lower()


def json_depth(body: bytes) -> int:
    """The nesting depth of a JSON document (strings skipped; malformed input measured as
    far as it goes, the decoder reports the rest)."""
    brackets = _STRINGS.sub(b"", body).translate(None, _NOT_BRACKETS)
    if len(brackets) <= MAX_JSON_DEPTH:
        return len(brackets)
    depth = deepest = 0
    for byte in brackets:
        if byte in b"[{":
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    return deepest


def _nul_path(value: Any, where: str) -> str | None:
    """Where in a decoded JSON value a string (or key) holds NUL."""
    if isinstance(value, str):
        return where if "\x00" in value else None
    if isinstance(value, dict):
        for key, item in value.items():
            inner = f"{where}.{key}" if where else str(key)
            if "\x00" in str(key):
                return inner
            found = _nul_path(item, inner)
            if found:
                return found
    if isinstance(value, list):
        for index, item in enumerate(value):
            found = _nul_path(item, f"{where}[{index}]")
            if found:
                return found
    return None


def check_json(body: bytes) -> None:
    """Refuse a JSON body nested too deep or carrying NUL in a string."""
    depth = json_depth(body)
    if depth > MAX_JSON_DEPTH:
        raise InputError(
            f"le JSON est imbriqué sur {depth} niveaux ; au plus {MAX_JSON_DEPTH} sont acceptés"
        )
    if b"\\u0000" in body or b"\x00" in body:
        try:
            decoded = msgspec.json.decode(body)
        except msgspec.DecodeError:
            raise InputError("le corps de la requête n'est pas du JSON valide") from None
        where = _nul_path(decoded, "")
        if where is not None:
            raise InputError(f"{where or 'body'} : {NUL_MESSAGE}")


def nul_in_path(scope: Scope) -> bool:
    raw_path = scope.get("raw_path") or scope["path"].encode("utf-8", "replace")
    return _has_nul(raw_path) or "\x00" in scope["path"]


async def guard_input(request: Request[Any, Any, Any]) -> None:
    """`before_request` hook of the app: runs after authentication and guards, before the
    body is decoded."""
    if _has_nul(request.scope.get("query_string", b"")):
        raise InputError(f"paramètres de la requête : {NUL_MESSAGE}")
    if nul_in_path(request.scope):
        raise InputError(f"chemin : {NUL_MESSAGE}")
    if request.method not in _BODY_METHODS:
        return
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type == "application/json" or content_type.endswith("+json"):
        check_json(await request.body())
    elif content_type == "application/x-www-form-urlencoded" and _has_nul(await request.body()):
        raise InputError(f"formulaire : {NUL_MESSAGE}")
