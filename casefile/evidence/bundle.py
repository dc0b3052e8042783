"""The hearing bundle: one ZIP of a case's pièces in order, with the bordereau, streamed.

`zipfile` writes to a sink without seek(): every entry gets a data descriptor, sizes above
4 GiB get ZIP64 records, and each chunk is handed out as soon as it is written, so memory stays
constant whatever the bundle's size. Every pièce is hash-verified while it is copied; a
mismatch aborts the bundle rather than ship altered evidence.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import BinaryIO

from casefile.documents.formatting import date_fr
from casefile.evidence.errors import IntegrityError, PieceAltered
from casefile.evidence.names import safe_name
from casefile.evidence.objects import ObjectStore
from casefile.evidence.records import KIND_LABELS, Piece
from casefile.evidence.sniff import extension

TEXT_INDEX = "00 - Bordereau.txt"
DOCX_INDEX = "00 - Bordereau de communication de pièces.docx"
_COMPRESSIBLE = ("text/", "application/xml", "message/")
_ZIP64_LIMIT = (1 << 31) - 1  # zipfile's own threshold for a member needing ZIP64 sizes
BUNDLE_REFUSED = "Le dossier de pièces n'est pas produit."


@dataclass(frozen=True)
class BordereauLine:
    """One line of the bordereau de communication de pièces."""

    number: int
    title: str
    description: str
    date: date | None
    filename: str
    """The member name in the bundle."""
    sha256: str
    size: int
    blake3: str | None = None
    """What the copy is checked against when the version recorded it (else `sha256`)."""


RenderDocx = Callable[[Sequence[BordereauLine]], bytes]


def piece_title(piece: Piece) -> str:
    """`Facture F2026-014`, `Contrat`, `Mise en demeure du 3 mars`: kind, then what it proves."""
    return title_of(piece.kind, piece.invoices, piece.description)


def title_of(kind: str, invoices: Sequence[str], description: str) -> str:
    """A pièce's title from its kind (its French label), invoice numbers and description."""
    label = KIND_LABELS.get(kind, "Pièce")
    if invoices:
        return f"{label} {', '.join(invoices)}"
    if description:
        if description.casefold().startswith(label.casefold()):
            return description  # « Facture F-118 », not « Facture - Facture F-118 »
        return f"{label} - {description}"
    return label


def designation(title: str, description: str) -> str:
    """What a bordereau writes for a pièce: its title, then its description unless the title
    already says it. The .docx bordereau, the ZIP's text one and a bordereau rendered on its
    own all write this, so the pièce communicated is named the same everywhere."""
    return f"{title} — {description}" if description and description not in title else title


def bordereau(pieces: Sequence[Piece]) -> list[BordereauLine]:
    """The numbered lines, with member names, of the live pièces in their order."""
    live = [p for p in pieces if p.number is not None and p.deleted_at is None]
    live.sort(key=lambda p: p.number or 0)
    width = max(2, len(str(max((p.number or 0 for p in live), default=0))))
    lines = []
    for piece in live:
        number = piece.number or 0
        current = piece.current
        ext = extension(current.mime) or _original_extension(current.safe_name)
        title = piece_title(piece)
        name = f"{number:0{width}d} - {safe_name(title, max_bytes=120)}{ext}"
        lines.append(
            BordereauLine(
                number,
                title,
                piece.description,
                piece.date,
                name,
                current.sha256,
                current.size,
                current.blake3,
            )
        )
    return lines


def _original_extension(name: str) -> str:
    stem, dot, ext = name.rpartition(".")
    return f".{ext}" if stem and dot and 0 < len(ext) <= 5 and ext.isalnum() else ""


def text_index(lines: Sequence[BordereauLine], case_reference: str) -> str:
    """The plain-text bordereau: number, title and description, date."""
    out = [
        "BORDEREAU DE COMMUNICATION DE PIÈCES",
        f"Affaire : {case_reference}",
        "",
    ]
    for line in lines:
        when = f"du {date_fr(line.date)}" if line.date else "sans date"
        out.append(f"Pièce n° {line.number} : {designation(line.title, line.description)} ({when})")
    out.append("")
    return "\r\n".join(out)


class _Sink:
    """A write-only, non-seekable file that hands its bytes to the generator."""

    def __init__(self) -> None:
        self._chunks: list[bytes] = []

    def write(self, data: bytes) -> int:
        self._chunks.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass

    def close(self) -> None:
        pass

    def drain(self) -> Iterator[bytes]:
        chunks, self._chunks = self._chunks, []
        return iter(chunks)


def stream_bundle(
    store: ObjectStore,
    pieces: Sequence[Piece],
    *,
    case_reference: str,
    render_docx: RenderDocx | None = None,
    when: datetime | None = None,
) -> Iterator[bytes]:
    """The ZIP as byte chunks: `00 - Bordereau.txt`, the .docx bordereau when `render_docx`
    is given, then each live pièce as `NN - Title.ext`, in number order."""
    lines = bordereau(pieces)
    stamp = (when or datetime(1980, 1, 1)).timetuple()[:6]
    sink = _Sink()
    with zipfile.ZipFile(sink, "w", allowZip64=True) as archive:
        archive.writestr(
            _member(TEXT_INDEX, stamp, compress=True),
            text_index(lines, case_reference).encode("utf-8"),
        )
        yield from sink.drain()
        if render_docx is not None:
            archive.writestr(_member(DOCX_INDEX, stamp, compress=False), render_docx(lines))
            yield from sink.drain()
        by_sha = {p.current.sha256: p for p in pieces}
        for line in lines:
            mime = by_sha[line.sha256].current.mime
            member = _member(line.filename, stamp, compress=mime.startswith(_COMPRESSIBLE))
            member.file_size = line.size
            with archive.open(member, "w", force_zip64=line.size > _ZIP64_LIMIT) as dest:
                try:
                    for chunk in store.open_verified(line.sha256, line.size, blake3=line.blake3):
                        dest.write(chunk)
                        yield from sink.drain()
                except IntegrityError as error:
                    # Named as the person knows it (a task's error, the CLI), not by its key.
                    current = by_sha[line.sha256].current
                    raise PieceAltered(
                        line.number,
                        case_reference,
                        current.original_name or current.safe_name,
                        str(error),
                        refused=BUNDLE_REFUSED,
                        sha256=line.sha256,
                    ) from error
            yield from sink.drain()
    yield from sink.drain()


def write_bundle(
    out: BinaryIO,
    store: ObjectStore,
    pieces: Sequence[Piece],
    *,
    case_reference: str,
    render_docx: RenderDocx | None = None,
    when: datetime | None = None,
) -> int:
    """Write the bundle to `out`; returns its size in bytes."""
    size = 0
    for chunk in stream_bundle(
        store, pieces, case_reference=case_reference, render_docx=render_docx, when=when
    ):
        out.write(chunk)
        size += len(chunk)
    return size


def _member(name: str, stamp: tuple[int, ...], *, compress: bool) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=stamp)  # type: ignore[arg-type]
    info.compress_type = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
    info.external_attr = 0o644 << 16
    # Bit 11: names are UTF-8 (zipfile sets it for non-ASCII names; explicit for clarity).
    info.flag_bits |= 0x800
    return info
