"""Turning a pièce's file into PDF pages for the dossier de plaidoirie.

- PDF: used as it is (opened lazily by qpdf, see `dossier`).
- Images (PNG, JPEG, GIF, TIFF): img2pdf, which embeds JPEG bytes unchanged and PNG data
  without re-encoding (lossless), one A4 page per image frame, the image fitted inside.
- Office documents (.docx, .odt, .xlsx, .rtf, .doc…, HTML): LibreOffice headless, all of a
  dossier's documents in one call (one start-up), when `soffice` is installed.
- Text, e-mails and XML: printed as text pages.

What cannot be converted is represented by a notice page that says why and where the
original is (`notice_lines`).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path

from casefile.evidence.pdftext import A4, Line, text_document
from casefile.evidence.sniff import DOCX, PPTX, XLSX

IMAGE_MIMES = frozenset({"image/png", "image/jpeg", "image/gif", "image/tiff"})
OFFICE_MIMES = frozenset(
    {
        DOCX,
        XLSX,
        PPTX,
        "application/vnd.oasis.opendocument.text",
        "application/vnd.oasis.opendocument.spreadsheet",
        "application/vnd.oasis.opendocument.presentation",
        "application/rtf",
        "application/x-ole-storage",
        "text/html",
    }
)
TEXT_MIMES = frozenset({"text/plain", "message/rfc822", "application/xml"})

OFFICE_EXTENSIONS = {
    DOCX: ".docx",
    XLSX: ".xlsx",
    PPTX: ".pptx",
    "application/vnd.oasis.opendocument.text": ".odt",
    "application/vnd.oasis.opendocument.spreadsheet": ".ods",
    "application/vnd.oasis.opendocument.presentation": ".odp",
    "application/rtf": ".rtf",
    "text/html": ".html",
}
"""LibreOffice picks its import filter from the extension; an OLE file keeps its own."""

TEXT_LIMIT = 2 * 1024 * 1024
"""A text pièce longer than this is not printed (a notice page stands for it)."""

LIBREOFFICE_TIMEOUT = 300.0
IMAGE_BORDER = 28.35  # 1 cm around an image on its A4 page

FORMAT_LABELS = {
    "application/pdf": "PDF",
    "image/png": "image PNG",
    "image/jpeg": "image JPEG",
    "image/gif": "image GIF",
    "image/tiff": "image TIFF",
    DOCX: "document Word",
    XLSX: "classeur Excel",
    PPTX: "présentation PowerPoint",
    "application/vnd.oasis.opendocument.text": "document OpenDocument",
    "application/vnd.oasis.opendocument.spreadsheet": "classeur OpenDocument",
    "application/vnd.oasis.opendocument.presentation": "présentation OpenDocument",
    "application/rtf": "document RTF",
    "application/x-ole-storage": "document Office ancien (.doc, .xls)",
    "text/html": "page HTML",
    "text/plain": "texte",
    "message/rfc822": "e-mail",
    "application/xml": "XML",
    "application/zip": "archive ZIP",
}


class ConversionFailed(Exception):
    """A file could not be turned into PDF; the message (French) says why."""


def libreoffice() -> str | None:
    """The LibreOffice command, or None when it is not installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def image_to_pdf(source: Path, dest: Path) -> None:
    """The image as A4 pages (one per frame), embedded losslessly by img2pdf."""
    import img2pdf

    layout = img2pdf.get_layout_fun(
        pagesize=A4,
        border=(IMAGE_BORDER, IMAGE_BORDER),
        fit=img2pdf.FitMode.into,
        auto_orient=True,
    )
    try:
        with dest.open("wb") as out:
            img2pdf.convert(
                str(source), layout_fun=layout, outputstream=out, rotation=img2pdf.Rotation.ifvalid
            )
    except Exception as error:  # img2pdf raises many kinds (PIL, its own, ValueError)
        raise ConversionFailed(f"l'image n'a pas pu être lue ({type(error).__name__})") from error


def text_to_pdf(source: Path, dest: Path, title: str) -> None:
    """A text file (or an e-mail, or XML) printed as text pages."""
    size = source.stat().st_size
    if size > TEXT_LIMIT:
        raise ConversionFailed(
            f"le texte est trop long pour être imprimé ici ({size} octets, limite {TEXT_LIMIT})"
        )
    raw = source.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
    lines = [Line(title, 11, bold=True), Line("", 6)]
    lines += [Line(row, 9) for row in text.splitlines()]
    with text_document(lines, title=title) as pdf:
        pdf.save(dest)


def office_to_pdf(
    sources: Sequence[Path], outdir: Path, *, command: str | None = None
) -> dict[Path, Path]:
    """Each source converted by LibreOffice into `outdir` (one run for all of them); returns
    source → PDF for those it converted. Raises `ConversionFailed` when LibreOffice is absent
    or does not run."""
    command = command or libreoffice()
    if command is None:
        raise ConversionFailed("LibreOffice n'est pas installé sur le serveur")
    if not sources:
        return {}
    outdir.mkdir(parents=True, exist_ok=True)
    profile = outdir / ".profile"
    env = {**os.environ, "HOME": str(outdir)}
    try:
        subprocess.run(
            [
                command,
                f"-env:UserInstallation=file://{profile}",
                "--headless",
                "--norestore",
                "--nolockcheck",
                "--convert-to",
                "pdf",
                "--outdir",
                str(outdir),
                *[str(s) for s in sources],
            ],
            check=True,
            capture_output=True,
            timeout=LIBREOFFICE_TIMEOUT,
            env=env,
        )
    except (OSError, subprocess.SubprocessError) as error:
        raise ConversionFailed(
            f"LibreOffice n'a pas pu convertir les documents ({type(error).__name__})"
        ) from error
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    converted = {}
    for source in sources:
        pdf = outdir / f"{source.stem}.pdf"
        if pdf.is_file() and pdf.stat().st_size > 0:
            converted[source] = pdf
    return converted


def format_label(mime: str) -> str:
    return FORMAT_LABELS.get(mime, "format non reconnu")
