"""MIME type from the first bytes of a file: the client's Content-Type is never trusted.

A pièce's type decides how it is shown and named in the bundle, so it must come from the bytes
themselves. Only the formats evidence arrives in are recognised; anything else is
`application/octet-stream`.
"""

from __future__ import annotations

import codecs
import re
import struct

SNIFF_BYTES = 64 * 1024
"""How many leading bytes `sniff` looks at (enough to see the entry names of an OOXML zip)."""

OCTET_STREAM = "application/octet-stream"

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
    (b"II*\x00", "image/tiff"),
    (b"MM\x00*", "image/tiff"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "application/x-ole-storage"),
    (b"{\\rtf", "application/rtf"),
)

EXTENSIONS: dict[str, str] = {
    "application/pdf": ".pdf",
    "image/png": ".png",
    "image/jpeg": ".jpg",
    "image/gif": ".gif",
    "image/tiff": ".tif",
    "application/zip": ".zip",
    DOCX: ".docx",
    XLSX: ".xlsx",
    PPTX: ".pptx",
    "application/vnd.oasis.opendocument.text": ".odt",
    "application/vnd.oasis.opendocument.spreadsheet": ".ods",
    "application/vnd.oasis.opendocument.presentation": ".odp",
    "application/rtf": ".rtf",
    "text/plain": ".txt",
    "text/html": ".html",
    "application/xml": ".xml",
    "message/rfc822": ".eml",
}

# Headers that, together, make a text an e-mail (RFC 5322) rather than any "key: value" file.
_MAIL_HEADERS = frozenset(
    {
        "from",
        "to",
        "cc",
        "date",
        "subject",
        "message-id",
        "mime-version",
        "received",
        "return-path",
        "delivered-to",
        "reply-to",
        "content-type",
    }
)
_HEADER_LINE = re.compile(r"^([A-Za-z0-9][A-Za-z0-9-]*):[ \t]?")
_ZIP_LOCAL = b"PK\x03\x04"
_OOXML_PREFIXES = (("word/", DOCX), ("xl/", XLSX), ("ppt/", PPTX))


def sniff(head: bytes) -> str:
    """The MIME type of a file whose first bytes (up to `SNIFF_BYTES`) are `head`."""
    if not head:
        return OCTET_STREAM
    # Acrobat accepts up to 1 KiB of junk before the header; so do we.
    if b"%PDF-" in head[:1024]:
        return "application/pdf"
    for magic, mime in _MAGIC:
        if head.startswith(magic):
            return mime
    if head.startswith(_ZIP_LOCAL):
        return _sniff_zip(head)
    return _sniff_text(head)


def extension(mime: str) -> str:
    """The usual file extension for a sniffed MIME type, '' when unknown."""
    return EXTENSIONS.get(mime, "")


def _zip_entries(head: bytes) -> list[tuple[str, bytes]]:
    """(name, stored data or b'') of each local header visible in `head`.

    Scans for signatures rather than walking sizes, because entries written with a data
    descriptor carry zero sizes in their local header.
    """
    entries = []
    start = 0
    while (at := head.find(_ZIP_LOCAL, start)) != -1 and at + 30 <= len(head):
        method, _, _, _, csize, _, nlen, xlen = struct.unpack_from("<HHHIIIHH", head, at + 8)
        name = head[at + 30 : at + 30 + nlen].decode("utf-8", "replace")
        body = at + 30 + nlen + xlen
        data = head[body : body + csize] if method == 0 else b""
        entries.append((name, data))
        start = at + 4
    return entries


def _sniff_zip(head: bytes) -> str:
    entries = _zip_entries(head)
    if entries and entries[0][0] == "mimetype":
        declared = entries[0][1].decode("ascii", "replace").strip()
        if declared.startswith("application/vnd.oasis.opendocument."):
            return declared
    for name, _ in entries:
        for prefix, mime in _OOXML_PREFIXES:
            if name.startswith(prefix):
                return mime
    return "application/zip"


def _sniff_text(head: bytes) -> str:
    text = _decode_text(head)
    if text is None:
        return OCTET_STREAM
    stripped = text.lstrip("\ufeff \t\r\n")
    lowered = stripped[:512].lower()
    if lowered.startswith("<?xml"):
        return "application/xml"
    if lowered.startswith(("<!doctype html", "<html")):
        return "text/html"
    if _looks_like_mail(stripped):
        return "message/rfc822"
    return "text/plain"


def _decode_text(head: bytes) -> str | None:
    """The text of `head` if it is UTF-8 (possibly cut mid-character) or Windows-1252 prose."""
    try:
        text = codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError:
        try:
            text = head.decode("cp1252")
        except UnicodeDecodeError:
            return None
    if any((ord(c) < 32 and c not in "\t\n\r\f") or ord(c) == 127 for c in text):
        return None
    return text


def _looks_like_mail(text: str) -> bool:
    names: set[str] = set()
    for line in text.splitlines():
        if not line:
            break
        if line[0] in " \t":
            if not names:
                return False
            continue
        match = _HEADER_LINE.match(line)
        if match is None:
            return False
        names.add(match.group(1).lower())
    return len(names & _MAIL_HEADERS) >= 2


# --- What an upload may not be -----------------------------------------------------------

_EXECUTABLE_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"MZ", "programme Windows"),
    (b"\x7fELF", "programme Linux (ELF)"),
    (b"\xfe\xed\xfa\xce", "programme macOS"),
    (b"\xfe\xed\xfa\xcf", "programme macOS"),
    (b"\xce\xfa\xed\xfe", "programme macOS"),
    (b"\xcf\xfa\xed\xfe", "programme macOS"),
    (b"\xca\xfe\xba\xbe", "programme macOS"),
    (b"#!", "script exécutable"),
)

# Extensions that promise one format: the bytes must be that format.
_EXPECTED: dict[str, frozenset[str]] = {
    ".pdf": frozenset({"application/pdf"}),
    ".png": frozenset({"image/png"}),
    ".jpg": frozenset({"image/jpeg"}),
    ".jpeg": frozenset({"image/jpeg"}),
    ".gif": frozenset({"image/gif"}),
    ".tif": frozenset({"image/tiff"}),
    ".tiff": frozenset({"image/tiff"}),
    ".docx": frozenset({DOCX}),
    ".xlsx": frozenset({XLSX}),
    ".pptx": frozenset({PPTX}),
    ".odt": frozenset({"application/vnd.oasis.opendocument.text"}),
    ".ods": frozenset({"application/vnd.oasis.opendocument.spreadsheet"}),
    ".odp": frozenset({"application/vnd.oasis.opendocument.presentation"}),
    ".rtf": frozenset({"application/rtf"}),
    ".doc": frozenset({"application/x-ole-storage"}),
    ".xls": frozenset({"application/x-ole-storage"}),
    ".zip": frozenset({"application/zip", DOCX, XLSX, PPTX}),
}

_LABELS = {
    "application/pdf": "un PDF",
    "image/png": "une image PNG",
    "image/jpeg": "une image JPEG",
    "image/gif": "une image GIF",
    "image/tiff": "une image TIFF",
    "application/zip": "une archive ZIP",
    DOCX: "un document Word (.docx)",
    XLSX: "un classeur Excel (.xlsx)",
    PPTX: "une présentation PowerPoint (.pptx)",
    "application/rtf": "un document RTF",
    "application/x-ole-storage": "un document Office ancien (.doc/.xls)",
    "text/plain": "du texte",
    "text/html": "une page HTML",
    "application/xml": "du XML",
    "message/rfc822": "un e-mail",
    OCTET_STREAM: "un format non reconnu",
}


def upload_problem(head: bytes, filename: str) -> str | None:
    """Why a file whose first bytes are `head`, named `filename`, may not become a pièce (in
    French), or None: empty, a program, or not the format its extension promises."""
    if not head:
        return "le fichier est vide (0 octet) : une pièce doit avoir un contenu"
    for magic, label in _EXECUTABLE_MAGIC:
        if head.startswith(magic):
            return f"le fichier est un {label} : un exécutable n'est pas accepté comme pièce"
    stem, dot, ext = filename.rpartition(".")
    expected = _EXPECTED.get(f".{ext.lower()}") if stem and dot else None
    if expected is None:
        return None
    actual = sniff(head)
    if actual in expected:
        return None
    return (
        f"le fichier porte l'extension .{ext.lower()} mais son contenu est "
        f"{_LABELS.get(actual, actual)} : renommez-le ou envoyez le bon fichier"
    )
