"""Real PDF, image and office files made by the tests themselves, and poppler read-backs."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pikepdf
import pytest

from casefile.evidence.pdftext import Line, fonts, show, text_document


def require_poppler() -> None:
    if not (shutil.which("pdftotext") and shutil.which("pdfinfo")):
        pytest.skip("poppler-utils (pdftotext, pdfinfo) not installed")


def text_pdf(
    *pages: list[str], rotate: int = 0, size: tuple[float, float] = (595.0, 842.0)
) -> bytes:
    """One page per list of lines, Helvetica; the last line of each page sits 4 pt from the
    bottom edge (where a careless stamp would cover it)."""
    pdf = pikepdf.Pdf.new()
    width, height = size
    for lines in pages:
        with text_document([Line(line, 12) for line in lines[:-1]]) as page_pdf:
            content = page_pdf.pages[0].obj.Contents.read_bytes()
        if lines:
            content += show(40, 4, lines[-1], 10)
        page = pikepdf.Dictionary(
            Type=pikepdf.Name.Page,
            MediaBox=[0, 0, width, height],
            Resources=pikepdf.Dictionary(Font=fonts(pdf)),
            Contents=pdf.make_stream(content),
        )
        if rotate:
            page.Rotate = rotate
        pdf.pages.append(pikepdf.Page(page))
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def encrypted_pdf() -> bytes:
    with pikepdf.open(io.BytesIO(text_pdf(["Secret"]))) as pdf:
        out = io.BytesIO()
        pdf.save(out, encryption=pikepdf.Encryption(user="utilisateur", owner="proprietaire"))
    return out.getvalue()


def png(width: int = 300, height: int = 200, colour: tuple[int, int, int] = (200, 40, 40)) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(out, "PNG")
    return out.getvalue()


def jpeg(width: int = 200, height: int = 300) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (width, height), (30, 60, 200)).save(out, "JPEG", quality=90)
    return out.getvalue()


def docx(*paragraphs: str) -> bytes:
    from docx import Document

    document = Document()
    for text in paragraphs:
        document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def page_text(path: Path, page: int) -> str:
    return subprocess.run(
        ["pdftotext", "-f", str(page), "-l", str(page), "-layout", str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def page_count(path: Path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    for line in info.stdout.splitlines():
        if line.startswith("Pages:"):
            return int(line.split()[1])
    raise AssertionError(info.stdout)


def word_boxes(path: Path, page: int) -> dict[str, tuple[float, float, float, float]]:
    """word → (xMin, yMin, xMax, yMax) on `page` (y grows downwards), last occurrence."""
    import re

    out = subprocess.run(
        ["pdftotext", "-f", str(page), "-l", str(page), "-bbox", str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    boxes = {}
    for match in re.finditer(
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>',
        out,
    ):
        x0, y0, x1, y1, word = match.groups()
        boxes[word] = (float(x0), float(y0), float(x1), float(y1))
    return boxes
