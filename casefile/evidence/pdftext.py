"""Plain text pages and stamps in PDF, with the standard Helvetica font (no font file needed).

Helvetica is one of the 14 fonts every PDF reader has; with `/WinAnsiEncoding` it covers
French (é, è, ç, œ, °, —, «, », €). Its widths (from Adobe's AFM) are here so lines can be
measured, wrapped and centred; a character outside Windows-1252 is written as `?`.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

import pikepdf

A4 = (595.276, 841.89)
"""A4 in points (210 × 297 mm)."""

FONT = "/Helv"
FONT_BOLD = "/HelvB"

# Helvetica widths (1/1000 em) of the printable ASCII characters, from 32 (space) to 126 (~).
_ASCII_WIDTHS = (
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278,
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556,
    1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778,
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556,
    333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556,
    556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584,
)  # fmt: skip
_OTHER_WIDTHS = {
    "—": 1000, "–": 556, "…": 1000, "«": 556, "»": 556, "’": 222, "‘": 222, "“": 333,
    "”": 333, "°": 400, "€": 556, "œ": 944, "Œ": 1000, "æ": 889, "Æ": 1000, "\u00a0": 278,
    "\u202f": 278, "·": 278, "•": 350, "§": 556, "ß": 611,
}  # fmt: skip

BOLD_FACTOR = 1.05
"""Helvetica-Bold is about 5 % wider than Helvetica: enough for wrapping titles."""


def char_width(char: str) -> int:
    """The Helvetica width of one character in 1/1000 em."""
    code = ord(char)
    if 32 <= code <= 126:
        return _ASCII_WIDTHS[code - 32]
    if char in _OTHER_WIDTHS:
        return _OTHER_WIDTHS[char]
    base = unicodedata.normalize("NFKD", char)[:1]
    if base and 32 <= ord(base) <= 126:
        return _ASCII_WIDTHS[ord(base) - 32]
    return 556


def text_width(text: str, size: float, *, bold: bool = False) -> float:
    """The width of `text` in points at `size`."""
    width = sum(char_width(c) for c in text) * size / 1000
    return width * BOLD_FACTOR if bold else width


def pdf_string(text: str) -> bytes:
    """`text` as a PDF literal string in WinAnsi (Windows-1252), parentheses escaped."""
    text = text.replace("\u202f", "\u00a0")
    raw = text.encode("cp1252", errors="replace")
    escaped = raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")
    escaped = escaped.replace(b"\r", b"\\r").replace(b"\n", b"\\n")
    return b"(" + escaped + b")"


def wrap(text: str, size: float, width: float, *, bold: bool = False) -> list[str]:
    """`text` cut at spaces into lines no wider than `width` (a longer word is cut)."""
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        paragraph = paragraph.expandtabs(4).rstrip()
        current = ""
        for word in paragraph.split(" "):
            candidate = f"{current} {word}" if current else word
            if text_width(candidate, size, bold=bold) <= width:
                current = candidate
                continue
            if current:
                lines.append(current)
            current = ""
            for char in word:
                if text_width(current + char, size, bold=bold) > width and current:
                    lines.append(current)
                    current = ""
                current += char
        lines.append(current)
    return lines


def fonts(pdf: pikepdf.Pdf) -> pikepdf.Dictionary:
    """The resource dictionary naming Helvetica (`/Helv`) and Helvetica-Bold (`/HelvB`)."""

    def font(base: str) -> pikepdf.Object:
        return pdf.make_indirect(
            pikepdf.Dictionary(
                Type=pikepdf.Name.Font,
                Subtype=pikepdf.Name.Type1,
                BaseFont=pikepdf.Name(base),
                Encoding=pikepdf.Name.WinAnsiEncoding,
            )
        )

    return pikepdf.Dictionary({FONT: font("/Helvetica"), FONT_BOLD: font("/Helvetica-Bold")})


def show(x: float, y: float, text: str, size: float, *, bold: bool = False) -> bytes:
    """The content-stream operators writing `text` with its baseline starting at (x, y)."""
    name = FONT_BOLD if bold else FONT
    return b"BT %s %.2f Tf %.2f %.2f Td %s Tj ET\n" % (
        name.encode(),
        size,
        x,
        y,
        pdf_string(text),
    )


def show_centred(centre: float, y: float, text: str, size: float, *, bold: bool = False) -> bytes:
    return show(centre - text_width(text, size, bold=bold) / 2, y, text, size, bold=bold)


@dataclass(frozen=True)
class Line:
    """One line of a text page: its words, size, weight and the space left above it."""

    text: str
    size: float = 10.0
    bold: bool = False
    space_before: float = 0.0
    indent: float = 0.0


MARGIN = 56.7  # 2 cm
BOTTOM = 70.0  # above the stamp band


def paginate(
    lines: Iterable[Line], *, page_size: tuple[float, float] = A4
) -> Iterator[list[tuple[float, float, Line]]]:
    """`lines` wrapped to the page width and laid out top-down: for each page, the
    (x, baseline y, line) of every line on it."""
    width, height = page_size
    top = height - MARGIN
    placed: list[tuple[float, float, Line]] = []
    y = top
    for line in lines:
        leading = line.size * 1.3
        pieces = wrap(line.text, line.size, width - 2 * MARGIN - line.indent, bold=line.bold)
        for i, piece in enumerate(pieces):
            step = leading + (line.space_before if i == 0 else 0.0)
            if y - step < BOTTOM and placed:
                yield placed
                placed, y = [], top
                step = leading
            y -= step
            placed.append((MARGIN + line.indent, y, Line(piece, line.size, line.bold)))
    if placed:
        yield placed


def add_text_pages(
    pdf: pikepdf.Pdf, lines: Sequence[Line], *, page_size: tuple[float, float] = A4
) -> int:
    """Append pages showing `lines` to `pdf`; returns how many were added."""
    resources = pikepdf.Dictionary(Font=fonts(pdf))
    count = 0
    for placed in paginate(lines, page_size=page_size):
        content = b"".join(
            show(x, y, line.text, line.size, bold=line.bold) for x, y, line in placed
        )
        page = pikepdf.Dictionary(
            Type=pikepdf.Name.Page,
            MediaBox=pikepdf.Array([0, 0, *page_size]),
            Resources=resources,
            Contents=pdf.make_stream(content),
        )
        pdf.pages.append(pikepdf.Page(page))
        count += 1
    return count


def text_document(lines: Sequence[Line], *, title: str = "") -> pikepdf.Pdf:
    """A new PDF of text pages (at least one)."""
    pdf = pikepdf.Pdf.new()
    if not add_text_pages(pdf, lines or [Line("")]):
        add_text_pages(pdf, [Line("")])
    if title:
        pdf.docinfo[pikepdf.Name.Title] = title
    return pdf
