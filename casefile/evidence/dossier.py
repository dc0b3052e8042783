"""The dossier de plaidoirie: one PDF for the hearing (issue 16 item 4).

The bordereau first (the `bordereau_pieces` .docx converted by LibreOffice when it is
installed, otherwise text pages listing the pièces), then every pièce in the bordereau's
order. Each page keeps its size; its content is scaled down a little so that a band at the
bottom, outside the content, carries the stamp « Pièce n° N — page p/P »: the stamp never
covers anything. One bookmark per pièce.

Safety: every pièce is copied out of the object store and verified against its SHA-256 before
anything is assembled (`open_verified`); a corrupt or missing pièce stops the dossier with a
French error naming it (`PieceUnusable`), nothing is written.

Memory: the pièces are spooled to a temporary folder (verified on the way), then written
one at a time by `pdfwriter.StreamingPdfWriter`, which holds one stream in memory at a time:
peak memory depends on the largest image, not on the dossier's size (`bench/dossier.py`
measures it). The price is disk: the pièces sit in the temporary folder while the dossier is
produced, and `chunks()` can stream the output without writing it anywhere.
"""

from __future__ import annotations

import contextlib
import tempfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

import pikepdf

from casefile.documents.formatting import date_fr
from casefile.errors import Conflict
from casefile.evidence.bundle import BordereauLine, RenderDocx, bordereau
from casefile.evidence.errors import IntegrityError, ObjectMissing
from casefile.evidence.objects import ObjectStore
from casefile.evidence.pdftext import Line, text_document
from casefile.evidence.pdfwriter import StreamingPdfWriter
from casefile.evidence.records import Piece
from casefile.evidence.topdf import (
    IMAGE_MIMES,
    OFFICE_EXTENSIONS,
    OFFICE_MIMES,
    TEXT_MIMES,
    ConversionFailed,
    format_label,
    image_to_pdf,
    libreoffice,
    office_to_pdf,
    text_to_pdf,
)
from casefile.labels import count_fr, size_fr

BORDEREAU_TITLE = "Bordereau de communication de pièces"


class PieceUnusable(Conflict):
    """A pièce whose stored bytes fail their SHA-256, or are missing: the dossier is not made."""

    def __init__(self, line: BordereauLine, problem: str) -> None:
        message = (
            f"la pièce n° {line.number} ({line.title}) {problem} : le dossier de plaidoirie "
            "n'est pas produit ; l'incident est enregistré (casefile evidence verify le signale)"
        )
        super().__init__(message)
        self.public_message = message
        self.line = line


@dataclass
class DossierReport:
    """What went into the dossier."""

    pages: int = 0
    pieces: int = 0
    bordereau: str = "texte"
    """`docx` (the .docx bordereau converted by LibreOffice) or `texte` (generated pages)."""
    notices: list[str] = field(default_factory=list)
    """French sentences: the pièces represented by a notice page, and why."""
    outline: list[tuple[str, int]] = field(default_factory=list)
    """(bookmark title, first page index) of the bordereau and of each pièce."""
    size: int = 0


@dataclass
class _Part:
    title: str
    stamp: str
    """The stamp's text before « — page p/P »."""
    pdf: Path | None = None
    notice: str | None = None


def piece_bookmark(line: BordereauLine) -> str:
    when = f" ({date_fr(line.date)})" if line.date else ""
    return f"Pièce n° {line.number} — {line.title}{when}"


def bordereau_lines(lines: Sequence[BordereauLine], case_reference: str) -> list[Line]:
    """The bordereau as text lines (when the .docx cannot be converted)."""
    out = [
        Line(BORDEREAU_TITLE.upper(), 14, bold=True),
        Line(f"Affaire : {case_reference}", 11, space_before=8),
        Line(count_fr(len(lines), "pièce communiquée", "pièces communiquées"), 10, space_before=2),
    ]
    for line in lines:
        text = line.title
        if line.description and line.description not in text:
            text = f"{text} — {line.description}"
        when = date_fr(line.date) if line.date else "sans date"
        out.append(Line(f"Pièce n° {line.number}", 10, bold=True, space_before=10))
        out.append(Line(f"{text} ({when})", 10, indent=14))
    return out


def notice_lines(
    line: BordereauLine, mime: str, original_name: str, case_reference: str, reason: str
) -> list[Line]:
    """The page standing for a pièce that cannot be reproduced: what it is, why it is not
    printed here, and where its original is."""
    return [
        Line(f"Pièce n° {line.number} — {line.title}", 13, bold=True),
        Line(
            f"Fichier d'origine : {original_name or line.filename} ({format_label(mime)}, "
            f"{size_fr(line.size)})",
            10,
            space_before=14,
        ),
        Line(f"Empreinte SHA-256 : {line.sha256}", 8, space_before=4),
        Line(
            f"Cette pièce n'est pas reproduite dans ce dossier : {reason}.",
            10,
            space_before=14,
        ),
        Line(
            "L'original, intact et vérifié par son empreinte, est conservé dans casefile : "
            f"dossier {case_reference}, pièce n° {line.number}. Il figure sous le nom "
            f"« {line.filename} » dans l'archive ZIP du bordereau et des pièces, et il est "
            "communiqué sous cette forme.",
            10,
            space_before=8,
        ),
    ]


def _spool(store: ObjectStore, line: BordereauLine, dest: Path) -> None:
    """Copy the pièce out of the store, verified against its size and its BLAKE3 digest (the
    SHA-256 for versions recorded before it)."""
    try:
        with dest.open("wb") as out:
            for chunk in store.open_verified(line.sha256, line.size, blake3=line.blake3):
                out.write(chunk)
    except IntegrityError as error:
        raise PieceUnusable(line, "ne correspond plus à son empreinte SHA-256") from error
    except ObjectMissing as error:
        raise PieceUnusable(line, "est absente du stockage") from error


def _check_readable(path: Path) -> str | None:
    """Why qpdf cannot use this PDF (French), or None: opened, has pages, and its page
    contents decode (they are re-read when the pages are wrapped)."""
    try:
        with pikepdf.open(path, access_mode=pikepdf.AccessMode.stream) as pdf:
            if not len(pdf.pages):
                return "le PDF ne contient aucune page"
            for page in pdf.pages:
                contents = page.obj.get("/Contents")
                if isinstance(contents, pikepdf.Array):
                    for part in contents:
                        part.read_bytes()
                elif isinstance(contents, pikepdf.Stream):
                    contents.read_bytes()
    except pikepdf.PasswordError:
        return "le PDF est protégé par un mot de passe"
    except (pikepdf.PdfError, OSError, ValueError, RuntimeError):
        return "le PDF est endommagé et n'a pas pu être lu"
    return None


class PreparedDossier:
    """The verified, converted parts of a dossier in a temporary folder, ready to be written
    (`chunks` for a streamed answer, `write` for a file). Close it (or use `with`) to remove
    the folder."""

    def __init__(
        self,
        work: tempfile.TemporaryDirectory[str],
        parts: list[_Part],
        report: DossierReport,
        case_reference: str,
    ) -> None:
        self._work = work
        self.parts = parts
        self.report = report
        self.case_reference = case_reference

    def __enter__(self) -> PreparedDossier:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._work.cleanup()

    def chunks(self) -> Iterator[bytes]:
        """The PDF's bytes, produced as each source is read (one pièce open at a time)."""
        sink = _Sink()
        writer = StreamingPdfWriter(sink)
        self.report.outline = []
        for part in self.parts:
            assert part.pdf is not None
            self.report.outline.append((part.title, writer.pages))
            with pikepdf.open(part.pdf, access_mode=pikepdf.AccessMode.stream) as source:
                with contextlib.suppress(Exception):
                    # Visible form fields and stamps become page content (their positions
                    # would be lost once the page is scaled).
                    source.flatten_annotations("print")
                writer.add_document(source, _stamp(part.stamp), part.title)
            yield from sink.drain()
        self.report.size = writer.close(title=f"Dossier de plaidoirie — {self.case_reference}")
        self.report.pages = writer.pages
        yield from sink.drain()

    def write(self, out: BinaryIO) -> DossierReport:
        for chunk in self.chunks():
            out.write(chunk)
        return self.report


def _stamp(prefix: str) -> Callable[[int, int], str]:
    def stamp(page: int, total: int) -> str:
        return f"{prefix} — page {page}/{total}"

    return stamp


class _Sink:
    """Collects the writer's output between two yields of `chunks`."""

    def __init__(self) -> None:
        self._chunks: list[bytes] = []

    def write(self, data: bytes) -> int:
        self._chunks.append(data)
        return len(data)

    def drain(self) -> Iterator[bytes]:
        """What was written since the last drain: small objects joined, large streams as
        they are (not copied again)."""
        chunks, self._chunks = self._chunks, []
        small: list[bytes] = []
        for chunk in chunks:
            if len(chunk) >= JOIN_BELOW:
                if small:
                    yield b"".join(small)
                    small = []
                yield chunk
            else:
                small.append(chunk)
        if small:
            yield b"".join(small)


JOIN_BELOW = 64 * 1024


def prepare_dossier(
    store: ObjectStore,
    pieces: Sequence[Piece],
    *,
    case_reference: str,
    render_docx: RenderDocx | None = None,
    soffice: str | None = None,
    use_libreoffice: bool = True,
    workdir: Path | None = None,
) -> PreparedDossier:
    """Copy every live pièce out of the store verified against its SHA-256, and convert each
    to PDF (the bordereau first). Raises `PieceUnusable` (and keeps nothing) when a pièce
    fails its hash or is missing; `use_libreoffice=False` behaves as on a server without
    LibreOffice."""
    lines = bordereau(pieces)
    by_sha = {p.current.sha256: p for p in pieces if p.deleted_at is None}
    report = DossierReport(pieces=len(lines))
    command = (soffice or libreoffice()) if use_libreoffice else None
    work = tempfile.TemporaryDirectory(prefix="casefile-dossier-", dir=workdir)
    try:
        folder = Path(work.name)
        sources: list[Path] = []
        for line in lines:
            path = folder / f"{line.number:05d}.src"
            _spool(store, line, path)
            sources.append(path)
        parts = _convert(
            lines, sources, by_sha, folder, case_reference, render_docx, command, report
        )
    except BaseException:
        work.cleanup()
        raise
    return PreparedDossier(work, parts, report, case_reference)


def build_dossier(
    store: ObjectStore,
    pieces: Sequence[Piece],
    out: Path | BinaryIO,
    *,
    case_reference: str,
    render_docx: RenderDocx | None = None,
    soffice: str | None = None,
    use_libreoffice: bool = True,
    workdir: Path | None = None,
) -> DossierReport:
    """Write the dossier de plaidoirie of the case's live `pieces` to `out` (nothing is
    written when a pièce fails its hash: `PieceUnusable`)."""
    with prepare_dossier(
        store,
        pieces,
        case_reference=case_reference,
        render_docx=render_docx,
        soffice=soffice,
        use_libreoffice=use_libreoffice,
        workdir=workdir,
    ) as prepared:
        if isinstance(out, Path):
            with out.open("wb") as sink:
                return prepared.write(sink)
        return prepared.write(out)


def _convert(
    lines: Sequence[BordereauLine],
    sources: Sequence[Path],
    by_sha: dict[str, Piece],
    work: Path,
    case_reference: str,
    render_docx: RenderDocx | None,
    command: str | None,
    report: DossierReport,
) -> list[_Part]:
    """Each pièce (and the bordereau) as a PDF file in `work`, in order."""
    parts: list[_Part] = [_Part(BORDEREAU_TITLE, "Bordereau")]
    office: dict[Path, Path] = {}
    bordereau_docx: Path | None = None
    if render_docx is not None and command is not None:
        bordereau_docx = work / "bordereau.docx"
        bordereau_docx.write_bytes(render_docx(lines))
        office[bordereau_docx] = bordereau_docx
    for line, source in zip(lines, sources, strict=True):
        piece = by_sha[line.sha256]
        mime = piece.current.mime
        part = _Part(piece_bookmark(line), f"Pièce n° {line.number}")
        parts.append(part)
        if mime == "application/pdf":
            problem = _check_readable(source)
            if problem is None:
                part.pdf = source
            else:
                part.notice = problem
        elif mime in IMAGE_MIMES:
            try:
                image_to_pdf(source, work / f"{line.number:05d}.pdf")
                part.pdf = work / f"{line.number:05d}.pdf"
            except ConversionFailed as error:
                part.notice = str(error)
        elif mime in TEXT_MIMES:
            try:
                text_to_pdf(source, work / f"{line.number:05d}.pdf", line.title)
                part.pdf = work / f"{line.number:05d}.pdf"
            except ConversionFailed as error:
                part.notice = str(error)
        elif mime in OFFICE_MIMES:
            if command is None:
                part.notice = (
                    "LibreOffice n'est pas installé sur le serveur pour convertir les documents "
                    "bureautiques en PDF"
                )
            else:
                named = work / "office" / f"{line.number:05d}{OFFICE_EXTENSIONS.get(mime, '.doc')}"
                named.parent.mkdir(exist_ok=True)
                source.rename(named)
                office[named] = named
        else:
            part.notice = f"son format ({format_label(mime)}) ne s'imprime pas"
    converted: dict[Path, Path] = {}
    failure = "LibreOffice n'a pas pu le convertir en PDF"
    if office:
        try:
            converted = office_to_pdf(list(office), work / "converted", command=command)
        except ConversionFailed as error:
            failure = str(error)
    for line, part in zip(lines, parts[1:], strict=True):
        mime = by_sha[line.sha256].current.mime
        if part.pdf is None and part.notice is None:
            named = next(p for p in office if p.stem == f"{line.number:05d}")
            pdf = converted.get(named)
            if pdf is not None and _check_readable(pdf) is None:
                part.pdf = pdf
            else:
                part.notice = failure
        if part.notice is not None:
            piece = by_sha[line.sha256]
            path = work / f"{line.number:05d}-notice.pdf"
            lines_ = notice_lines(
                line, mime, piece.current.original_name, case_reference, part.notice
            )
            with text_document(lines_, title=part.title) as notice:
                notice.save(path)
            part.pdf = path
            report.notices.append(f"pièce n° {line.number} : {part.notice}")
    head = parts[0]
    converted_bordereau = converted.get(bordereau_docx) if bordereau_docx else None
    if converted_bordereau is not None and _check_readable(converted_bordereau) is None:
        head.pdf = converted_bordereau
        report.bordereau = "docx"
    else:
        head.pdf = work / "bordereau.pdf"
        with text_document(
            bordereau_lines(lines, case_reference), title=BORDEREAU_TITLE
        ) as generated:
            generated.save(head.pdf)
    return parts
