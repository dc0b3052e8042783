"""File names as the user gave them (for the record) and as they may safely be written (ZIP).

A name comes from a browser or a shell: it may hold `../`, NUL, control characters, bytes that
are not UTF-8 or hundreds of characters. The record keeps what was given (readably decoded); every
name written to a ZIP or a Content-Disposition is the safe version.
"""

from __future__ import annotations

import os
import re
import unicodedata

MAX_ORIGINAL_CHARS = 1024
MAX_SAFE_BYTES = 150
"""UTF-8 bytes of a safe name: far under the 255 of common file systems, leaving room for a
number prefix in the bundle."""

_UNSAFE = re.compile(r'[\x00-\x1f\x7f-\x9f<>:"/\\|?*]')
_SPACES = re.compile(r"\s+")
_WINDOWS_RESERVED = re.compile(r"^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$", re.IGNORECASE)


def original_name(raw: str | bytes) -> str:
    """The name as given, as text: undecodable bytes become U+FFFD, NUL too (PostgreSQL text
    cannot hold it), and it is capped at `MAX_ORIGINAL_CHARS`."""
    return _decode(raw).replace("\x00", "\ufffd")[:MAX_ORIGINAL_CHARS]


def _decode(raw: str | bytes) -> str:
    # Names from argv or os.listdir carry undecodable bytes as lone surrogates.
    data = raw if isinstance(raw, bytes) else raw.encode("utf-8", "surrogateescape")
    return data.decode("utf-8", "replace")


def safe_name(
    name: str | bytes, *, fallback: str = "piece", max_bytes: int = MAX_SAFE_BYTES
) -> str:
    """A single path component safe on every file system and in a ZIP: no directory part, no
    control or reserved characters, no leading dot, not a Windows device name, bounded length
    (the extension is kept when the name is cut)."""
    text = _decode(name)[:MAX_ORIGINAL_CHARS]
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\\", "/").rsplit("/", 1)[-1]
    text = _UNSAFE.sub("_", text)
    text = _SPACES.sub(" ", text).strip(" .")
    if not text or set(text) <= {"_", "\ufffd"}:
        text = fallback
    if _WINDOWS_RESERVED.match(text):
        text = "_" + text
    return truncate(text, max_bytes)


def truncate(name: str, max_bytes: int) -> str:
    """`name` cut to at most `max_bytes` UTF-8 bytes, keeping a short extension."""
    if len(name.encode("utf-8")) <= max_bytes:
        return name
    stem, ext = os.path.splitext(name)
    if len(ext.encode("utf-8")) > 16:
        stem, ext = name, ""
    budget = max_bytes - len(ext.encode("utf-8"))
    cut = stem.encode("utf-8")[:budget].decode("utf-8", "ignore").rstrip(" .")
    return (cut or "piece") + ext
