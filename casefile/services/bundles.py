"""The hearing bundle of a case, in either format: the ZIP of the bordereau and the pièces, or
the stamped dossier de plaidoirie (PDF). One use case for the CLI (`casefile bundle CASE
--format pdf|zip -o FILE`), the API and the pages, and the background jobs.

- `bundle_source` reads what a bundle needs (the live pièces, the .docx bordereau renderer
  when the case can fill it) and checks that there is something to bundle.
- `open_bundle` turns it into byte chunks: for the PDF, every pièce is first copied out of the
  store and verified against its SHA-256, so a corrupt pièce stops the bundle *before* any
  byte is sent (`PieceUnusable`, naming the pièce, in French).
- `write_bundle_file` writes a bundle to a path atomically (a `.part` file renamed at the end).
- `make_bundle` does all of it for one case and one actor (what a job calls).
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, Literal

from casefile import clock
from casefile.errors import CasefileError, InputError
from casefile.evidence.bundle import BUNDLE_REFUSED, BordereauLine, RenderDocx, bordereau
from casefile.evidence.errors import IntegrityError, PieceAltered
from casefile.evidence.objects import ObjectStore
from casefile.evidence.records import Piece
from casefile.law.wording import quoted
from casefile.store.permissions import User

Format = Literal["zip", "pdf"]
FORMATS: tuple[Format, ...] = ("zip", "pdf")
MEDIA_TYPES = {"zip": "application/zip", "pdf": "application/pdf"}
AUDIT_ACTIONS = {"zip": "bundle.download", "pdf": "dossier.download"}


@dataclass(frozen=True)
class BundleSource:
    case_id: int
    reference: str
    pieces: list[Piece]
    render_docx: RenderDocx | None
    docx_problem: str | None
    """Why the .docx bordereau cannot be rendered (the text one stands in), in French."""

    def filename(self, fmt: Format) -> str:
        if fmt == "pdf":
            return f"{self.reference} - dossier de plaidoirie.pdf"
        return f"{self.reference} - pièces.zip"


@dataclass
class BundleResult:
    path: Path | None
    format: Format
    size: int
    pieces: int
    pages: int | None = None
    """Pages of the PDF dossier (None for the ZIP)."""
    notices: list[str] = field(default_factory=list)
    """French: pièces represented by a notice page in the PDF, and why."""
    warnings: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "path": str(self.path) if self.path else None,
            "format": self.format,
            "size": self.size,
            "pieces": self.pieces,
            "pages": self.pages,
            "notices": self.notices,
            "warnings": self.warnings,
        }


def check_format(fmt: str) -> Format:
    if fmt not in FORMATS:
        raise InputError(f"format {quoted(fmt)} inconnu : zip ou pdf")
    return "pdf" if fmt == "pdf" else "zip"


async def bundle_source(
    case: int | str, actor: User, today: date | None = None, *, require_pieces: bool = True
) -> BundleSource:
    """The live pièces of a case the actor may read, and its .docx bordereau renderer. A case
    without pièces is refused unless `require_pieces=False` (the ZIP link of the case page
    then gives the bordereau alone, as it always did)."""
    from casefile.store import pieces
    from casefile.store.cases import resolve_case
    from casefile.store.documents import bordereau_renderer, case_document_data
    from casefile.store.permissions import require

    require(actor, "evidence.read")
    row = await resolve_case(case, actor)
    live = await pieces.list_pieces(row["id"])
    if require_pieces and not bordereau(live):
        raise InputError(f"le dossier {row['reference']} n'a aucune pièce à communiquer")
    render: RenderDocx | None = None
    problem: str | None = None
    try:
        source = await case_document_data(row["id"], actor, today or clock.today())
        render = bordereau_renderer(source.data)
    except CasefileError as error:
        problem = str(error)
    return BundleSource(row["id"], row["reference"], live, render, problem)


def open_bundle(
    source: BundleSource,
    fmt: Format,
    store: ObjectStore,
    *,
    use_libreoffice: bool = True,
    when: datetime | None = None,
) -> tuple[Iterator[bytes], BundleResult]:
    """The bundle's bytes, and its result (filled in as the chunks are consumed). Blocking:
    run it in a thread. For the PDF, every pièce is verified before this returns."""
    from casefile.evidence.bundle import stream_bundle
    from casefile.evidence.dossier import prepare_dossier

    result = BundleResult(None, fmt, 0, len(bordereau(source.pieces)))
    if source.docx_problem:
        result.warnings.append(
            f"bordereau .docx impossible ({source.docx_problem}) : le bordereau en texte le "
            "remplace"
        )
    if fmt == "zip":
        chunks = stream_bundle(
            store,
            source.pieces,
            case_reference=source.reference,
            render_docx=source.render_docx,
            when=when,
        )
        return _counted(chunks, result), result
    prepared = prepare_dossier(
        store,
        source.pieces,
        case_reference=source.reference,
        render_docx=source.render_docx,
        use_libreoffice=use_libreoffice,
    )
    result.notices = [*prepared.report.notices]
    if prepared.report.bordereau != "docx" and not source.docx_problem:
        result.warnings.append("LibreOffice absent : le bordereau est imprimé en texte")

    def pdf_chunks() -> Iterator[bytes]:
        try:
            yield from prepared.chunks()
            result.pages = prepared.report.pages
        finally:
            prepared.close()

    return _counted(pdf_chunks(), result), result


def _counted(chunks: Iterator[bytes], result: BundleResult) -> Iterator[bytes]:
    for chunk in chunks:
        result.size += len(chunk)
        yield chunk


def write_bundle_file(
    source: BundleSource,
    fmt: Format,
    out: Path,
    store: ObjectStore | None = None,
    *,
    use_libreoffice: bool = True,
) -> BundleResult:
    """Write the bundle to `out` (via `out.part`, renamed once complete). Blocking."""
    from casefile.evidence.backends import open_store

    part = out.with_name(out.name + ".part")
    try:
        chunks, result = open_bundle(
            source,
            fmt,
            store or open_store(),
            use_libreoffice=use_libreoffice,
            when=datetime.now(),
        )
        with part.open("wb") as sink:
            for chunk in chunks:
                sink.write(chunk)
        part.replace(out)
    finally:
        part.unlink(missing_ok=True)
    result.path = out
    return result


async def record_bundle(actor: User, source: BundleSource, fmt: Format) -> None:
    """The audit entry of a bundle handed out."""
    from casefile.store import audit

    await audit.record(
        actor,
        AUDIT_ACTIONS[fmt],
        "case",
        source.case_id,
        None,
        {"pieces": [p.id for p in source.pieces], "format": fmt},
    )


async def record_unusable(actor: User, source: BundleSource, error: CasefileError) -> None:
    """An integrity incident for the pièce that stopped a dossier (`casefile evidence verify`
    lists them)."""
    from casefile.store import audit

    line = getattr(error, "line", None)
    sha256 = getattr(line, "sha256", "") or getattr(error, "sha256", "")
    await audit.record_integrity_incident(actor, "case", source.case_id, sha256, str(error))


async def make_bundle(
    case: int | str,
    actor: User,
    fmt: str,
    out: Path,
    *,
    today: date | None = None,
    use_libreoffice: bool = True,
) -> BundleResult:
    """The bundle of `case` in `fmt` (zip or pdf) written to `out`, audited: the single entry
    point for the CLI and the background jobs."""
    from casefile.evidence.dossier import PieceUnusable

    checked = check_format(fmt)
    source = await bundle_source(case, actor, today)
    try:
        result = await asyncio.to_thread(
            write_bundle_file, source, checked, out, use_libreoffice=use_libreoffice
        )
    except (PieceUnusable, PieceAltered) as error:
        await record_unusable(actor, source, error)
        raise
    await record_bundle(actor, source, checked)
    return result


async def refuse_known_altered(source: BundleSource, actor: User) -> None:
    """Before a ZIP starts streaming: a case whose pièces already failed their hash has each
    of them checked whole first, so the person gets the message naming the altered pièce (a
    409) instead of a transfer cut halfway (the stream is verified as it goes, one chunk
    behind, and can only abort). A case without such an incident, or whose altered pièces
    have all been repaired since (their original deposited again), streams at once."""
    from casefile.evidence.backends import open_store
    from casefile.store import audit

    if not await audit.case_has_open_integrity_incident(source.case_id):
        return
    store = open_store()
    for line in bordereau(source.pieces):

        def whole(line: BordereauLine = line) -> None:
            for _ in store.open_verified(line.sha256, line.size, blake3=line.blake3):
                pass

        try:
            await asyncio.to_thread(whole)
        except IntegrityError as error:
            current = next(p.current for p in source.pieces if p.current.sha256 == line.sha256)
            altered = PieceAltered(
                line.number,
                source.reference,
                current.original_name or current.safe_name,
                str(error),
                refused=BUNDLE_REFUSED,
                sha256=line.sha256,
            )
            await record_unusable(actor, source, altered)
            raise altered from error
