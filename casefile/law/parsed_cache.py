"""Parsed TOML kept between processes, keyed by the file's bytes: a command's start without the
TOML parser.

`tomllib` is pure Python: parsing the law data (eight files, ~100 KB) is about 40 ms of a
40–130 ms process start. The parsed value of a file is kept in a cache folder under the
BLAKE2b digest of its exact bytes (and of this module's format and Python's minor version), so
a cached value can never be another text's: an edited file has another digest and is parsed
again. Only the *parsing* is skipped; the typed decoding that refuses unknown keys runs on the
cached value exactly as on a fresh parse.

The entries are MessagePack (msgspec), never pickle: a planted file cannot run code, and one
that fails to decode is ignored and rewritten. TOML's dates, date-times and times travel as
MessagePack extensions holding their ISO text. Any failure of the cache (unreadable folder,
disk full, truncated entry) falls back to parsing: the cache can make a start slower, never
wrong.

    CASEFILE_CACHE_DIR   the folder (default `$XDG_CACHE_HOME/casefile`, else
                         `~/.cache/casefile`); `off` disables the cache.
"""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import msgspec

try:  # CPython's own BLAKE2 (`hashlib` would load OpenSSL at start: ~2 ms for nothing)
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - another interpreter
    from hashlib import blake2b

FORMAT = b"casefile-parsed-toml-1"
_DATE, _DATETIME, _TIME = 1, 2, 3
MAX_ENTRIES = 256  # a few dozen law files, each in a few versions
_SALT = FORMAT + f"|{sys.version_info[0]}.{sys.version_info[1]}|".encode()


def cache_dir() -> Path | None:
    """The folder of the entries, or None when the cache is off."""
    configured = os.environ.get("CASEFILE_CACHE_DIR")
    if configured is not None:
        configured = configured.strip()
        if configured.lower() == "off":
            return None
        if configured:
            return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or ""
    if base and Path(base).is_absolute():  # the XDG spec ignores a relative one
        return Path(base) / "casefile"
    try:
        home = Path.home()
    except (RuntimeError, KeyError):  # no HOME and no passwd entry (a container's user)
        return None
    # `expanduser` leaves "~" as it is when it finds no home: never a folder under the current
    # directory.
    return home / ".cache" / "casefile" if home.is_absolute() else None


def entry_name(raw: bytes) -> str:
    """The entry's file name: the digest of the format, Python's version and the file's bytes."""
    return blake2b(_SALT + raw, digest_size=20).hexdigest() + ".msgpack"


class InvalidToml(ValueError):
    """The bytes are not a TOML document (the parser's message), or not UTF-8."""


def parse(raw: bytes) -> dict[str, Any]:
    """`tomllib.loads` of `raw`, its errors as `InvalidToml` (the parser imported on first use:
    a start that finds every file cached never loads it)."""
    import tomllib

    try:
        return tomllib.loads(raw.decode())
    except UnicodeDecodeError as error:
        raise InvalidToml(f"le fichier n'est pas en UTF-8 (octet {error.start})") from None
    except tomllib.TOMLDecodeError as error:
        raise InvalidToml(str(error)) from None


def loads(raw: bytes) -> dict[str, Any]:
    """The parsed value of `raw` (UTF-8 TOML), through the cache when it holds the same bytes.
    Raises `InvalidToml` (an invalid file is never cached)."""
    folder = cache_dir()
    if folder is None:
        return parse(raw)
    path = folder / entry_name(raw)
    try:
        blob = path.read_bytes()
    except OSError:
        blob = None
    if blob is not None:
        try:
            value = _DECODER.decode(blob)
        except (msgspec.DecodeError, ValueError):
            value = None  # a damaged entry: parsed again and rewritten below
        if isinstance(value, dict):
            return value
    value = parse(raw)
    _write(folder, path, value)
    return value


def _write(folder: Path, path: Path, value: dict[str, Any]) -> None:
    """The entry written whole or not at all (a temporary file renamed over it)."""
    try:
        blob = _ENCODER.encode(_tagged(value))
        folder.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=".entry-")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(blob)
            os.replace(temporary, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise
    except (OSError, TypeError, ValueError, OverflowError):
        return  # no cache this time: the next start parses again
    _evict(folder)


def _evict(folder: Path) -> None:
    """Past `MAX_ENTRIES`, the entries least recently written removed down to half of it:
    each edited law file leaves its earlier entry behind. Only after a write (a miss)."""
    try:
        entries = [entry for entry in os.scandir(folder) if entry.name.endswith(".msgpack")]
        if len(entries) <= MAX_ENTRIES:
            return
        entries.sort(key=lambda entry: entry.stat().st_mtime)
        for entry in entries[: len(entries) - MAX_ENTRIES // 2]:
            with contextlib.suppress(OSError):
                os.unlink(entry.path)
    except OSError:
        return


def _tagged(value: Any) -> Any:
    """`value` with TOML's temporal values wrapped as extensions (their ISO text)."""
    if isinstance(value, dict):
        return {key: _tagged(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_tagged(item) for item in value]
    if isinstance(value, datetime):  # before `date`: a datetime is a date
        return msgspec.msgpack.Ext(_DATETIME, value.isoformat().encode())
    if isinstance(value, date):
        return msgspec.msgpack.Ext(_DATE, value.isoformat().encode())
    if isinstance(value, time):
        return msgspec.msgpack.Ext(_TIME, value.isoformat().encode())
    return value


def _untagged(code: int, data: memoryview) -> Any:
    text = bytes(data).decode()
    if code == _DATE:
        return date.fromisoformat(text)
    if code == _DATETIME:
        return datetime.fromisoformat(text)
    if code == _TIME:
        return time.fromisoformat(text)
    raise ValueError(f"unknown extension {code}")


_ENCODER = msgspec.msgpack.Encoder()
_DECODER = msgspec.msgpack.Decoder(ext_hook=_untagged)
