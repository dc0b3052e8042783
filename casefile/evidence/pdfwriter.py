"""A PDF written front to back, one source document at a time, in bounded memory.

Why not let qpdf (pikepdf) write the merged file: pikepdf copies the stream data of a page
taken from another document into memory at once (qpdf's "immediate copy", which pikepdf turns
on so that a closed source cannot leave dangling streams). A 300 MB dossier would then sit in
memory whole before it is saved. pypdf holds every page in memory too, and PDFium's page
import copies into the destination document.

So pikepdf only *reads* here (qpdf's parser: repair of damaged files, object streams,
decryption), one pièce at a time, and this writer serialises what each page needs as new
numbered objects straight into the output (a file or a non-seekable sink: offsets are
counted, never sought). Each page of a source becomes a form XObject placed, scaled, above a
band that carries the stamp. Memory holds one stream at a time (the largest image of the
dossier) plus the cross-reference offsets.
"""

from __future__ import annotations

import os
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Protocol

import pikepdf

from casefile.evidence.pdftext import FONT, FONT_BOLD, show_centred

BAND = 22.0
"""Height in points of the stamp band at the bottom of every page (about 8 mm)."""
STAMP_SIZE = 9.0


class Sink(Protocol):
    def write(self, data: bytes, /) -> Any: ...


@dataclass(frozen=True)
class Bookmark:
    title: str
    page: int
    """Index of its first page in the output."""


def pdf_text_string(text: str) -> bytes:
    """A PDF text string: PDFDocEncoding-compatible ASCII as a literal, anything else in
    UTF-16BE with its byte order mark (how outlines and /Info carry French titles)."""
    if text.isascii():
        escaped = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        return f"({escaped})".encode("ascii")
    return b"<feff" + text.encode("utf-16-be").hex().encode("ascii") + b">"


def _number(value: int | float | Decimal) -> bytes:
    if isinstance(value, bool):
        return b"true" if value else b"false"
    if isinstance(value, int):
        return str(value).encode("ascii")
    text = f"{Decimal(value):f}" if isinstance(value, Decimal) else f"{value:.6f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".") or "0"
    return text.encode("ascii")


def _visible_box(formx: pikepdf.Object) -> tuple[float, float, float, float]:
    """(x0, y0, width, height) of a form XObject's BBox once its /Matrix applies."""
    x0, y0, x1, y1 = (float(v) for v in formx.BBox)
    matrix = pikepdf.Matrix(*(float(v) for v in formx.get("/Matrix", [1, 0, 0, 1, 0, 0])))
    points = [matrix.transform((x, y)) for x in (x0, x1) for y in (y0, y1)]
    xs = [p[0] for p in points]
    ys = [p[1] for p in points]
    return min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys)


class StreamingPdfWriter:
    """Writes a PDF to `sink` as pages are added; `close()` writes the page tree, the
    outline, the cross-reference table and the trailer."""

    def __init__(self, sink: Sink) -> None:
        self._sink = sink
        self._offset = 0
        self._offsets: dict[int, int] = {}
        self._next = 1
        self._kids: list[int] = []
        self._bookmarks: list[Bookmark] = []
        self._write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
        self._catalog = self._reserve()
        self._pages = self._reserve()
        self._fonts = {}
        for name, base in ((FONT, "Helvetica"), (FONT_BOLD, "Helvetica-Bold")):
            number = self._reserve()
            self._object(
                number,
                b"<< /Type /Font /Subtype /Type1 /BaseFont /%s /Encoding /WinAnsiEncoding >>"
                % base.encode(),
            )
            self._fonts[name] = number

    @property
    def pages(self) -> int:
        return len(self._kids)

    def _write(self, data: bytes) -> None:
        self._sink.write(data)
        self._offset += len(data)

    def _reserve(self) -> int:
        number = self._next
        self._next += 1
        return number

    def _object(self, number: int, body: bytes) -> None:
        self._offsets[number] = self._offset
        self._write(b"%d 0 obj\n" % number + body + b"\nendobj\n")

    def _stream(self, number: int, entries: bytes, data: bytes) -> None:
        self._offsets[number] = self._offset
        self._write(b"%d 0 obj\n<< %s /Length %d >>\nstream\n" % (number, entries, len(data)))
        self._write(data)
        self._write(b"\nendstream\nendobj\n")

    def add_document(
        self,
        source: pikepdf.Pdf,
        stamp: Callable[[int, int], str],
        bookmark: str | None = None,
    ) -> int:
        """Append every page of `source`, each stamped with `stamp(page, total)`; returns
        the number of pages added."""
        copier = _Copier(self, source)
        total = len(source.pages)
        if bookmark is not None:
            self._bookmarks.append(Bookmark(bookmark, len(self._kids)))
        for index, page in enumerate(source.pages, start=1):
            self._add_page(copier, page, stamp(index, total))
        return total

    def _add_page(self, copier: _Copier, page: pikepdf.Page, stamp: str) -> None:
        formx = page.as_form_xobject(handle_transformations=True)
        x0, y0, width, height = _visible_box(formx)
        band = min(BAND, height / 5)
        scale = (height - band) / height
        dx = (width - width * scale) / 2 - x0 * scale
        dy = band - y0 * scale
        form_number = self._reserve()
        entries = [b"/Type /XObject /Subtype /Form"]
        for key in ("/BBox", "/Matrix", "/Resources", "/Group"):
            if key in formx.stream_dict:
                entries.append(pikepdf.Name(key).unparse() + b" " + copier.value(formx[key]))
        content = zlib.compress(formx.read_bytes(), 6)
        entries.append(b"/Filter /FlateDecode")
        self._stream(form_number, b" ".join(entries), content)
        copier.drain()
        stamp_size = min(STAMP_SIZE, band * 0.5)
        placement = b"q %s 0 0 %s %s %s cm /P Do Q\n" % (
            _number(scale),
            _number(scale),
            _number(dx),
            _number(dy),
        )
        drawing = placement + show_centred(width / 2, band * 0.3, stamp, stamp_size)
        contents = self._reserve()
        self._stream(contents, b"", drawing)
        number = self._reserve()
        fonts = b" ".join(b"%s %d 0 R" % (name.encode(), n) for name, n in self._fonts.items())
        self._object(
            number,
            b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 %s %s] "
            b"/Resources << /XObject << /P %d 0 R >> /Font << %s >> >> /Contents %d 0 R >>"
            % (self._pages, _number(width), _number(height), form_number, fonts, contents),
        )
        self._kids.append(number)

    def close(self, *, title: str = "", creator: str = "casefile") -> int:
        """Finish the file; returns its size in bytes."""
        kids = b" ".join(b"%d 0 R" % k for k in self._kids)
        self._object(
            self._pages, b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, len(self._kids))
        )
        outlines = self._write_outline()
        catalog = b"<< /Type /Catalog /Pages %d 0 R" % self._pages
        if outlines is not None:
            catalog += b" /Outlines %d 0 R /PageMode /UseOutlines" % outlines
        self._object(self._catalog, catalog + b" >>")
        info = self._reserve()
        self._object(
            info,
            b"<< /Title %s /Creator %s /Producer %s >>"
            % (pdf_text_string(title), pdf_text_string(creator), pdf_text_string("casefile")),
        )
        xref = self._offset
        size = self._next
        rows = [b"xref\n0 %d\n" % size, b"0000000000 65535 f \n"]
        for number in range(1, size):
            offset = self._offsets.get(number)
            rows.append(
                b"%010d 00000 n \n" % offset if offset is not None else b"0000000000 65535 f \n"
            )
        self._write(b"".join(rows))
        ident = os.urandom(16).hex().encode("ascii")
        self._write(
            b"trailer\n<< /Size %d /Root %d 0 R /Info %d 0 R /ID [<%s> <%s>] >>\n"
            b"startxref\n%d\n%%%%EOF\n" % (size, self._catalog, info, ident, ident, xref)
        )
        return self._offset

    def _write_outline(self) -> int | None:
        if not self._bookmarks:
            return None
        root = self._reserve()
        items = [self._reserve() for _ in self._bookmarks]
        for i, (number, mark) in enumerate(zip(items, self._bookmarks, strict=True)):
            links = b""
            if i > 0:
                links += b" /Prev %d 0 R" % items[i - 1]
            if i + 1 < len(items):
                links += b" /Next %d 0 R" % items[i + 1]
            page = self._kids[min(mark.page, len(self._kids) - 1)]
            self._object(
                number,
                b"<< /Title %s /Parent %d 0 R%s /Dest [%d 0 R /Fit] >>"
                % (pdf_text_string(mark.title), root, links, page),
            )
        self._object(
            root,
            b"<< /Type /Outlines /First %d 0 R /Last %d 0 R /Count %d >>"
            % (items[0], items[-1], len(items)),
        )
        return root


class _Copier:
    """Copies the objects one source's pages refer to, each once, renumbered."""

    def __init__(self, writer: StreamingPdfWriter, source: pikepdf.Pdf) -> None:
        self._writer = writer
        self._source = source
        self._numbers: dict[tuple[int, int], int] = {}
        self._pending: list[tuple[int, pikepdf.Object]] = []

    def drain(self) -> None:
        """Write every object referred to so far (and what they refer to)."""
        while self._pending:
            number, obj = self._pending.pop()
            if isinstance(obj, pikepdf.Stream):
                entries = b" ".join(
                    pikepdf.Name(key).unparse() + b" " + self.value(value)
                    for key, value in obj.stream_dict.items()
                    if key != "/Length"
                )
                self._writer._stream(number, entries, obj.read_raw_bytes())
            else:
                self._writer._object(number, self.value(obj, top=True))

    def value(self, obj: Any, *, top: bool = False) -> bytes:
        """The PDF syntax of `obj`, its indirect references renumbered (and queued)."""
        if isinstance(obj, pikepdf.Object) and obj.is_indirect and not top:
            return self._reference(obj)
        if isinstance(obj, bool | int | float | Decimal):
            return _number(obj)
        if obj is None:
            return b"null"
        if isinstance(obj, pikepdf.Dictionary):
            inner = b" ".join(
                pikepdf.Name(key).unparse() + b" " + self.value(value) for key, value in obj.items()
            )
            return b"<< " + inner + b" >>"
        if isinstance(obj, pikepdf.Array):
            return b"[" + b" ".join(self.value(item) for item in obj) + b"]"
        if isinstance(obj, pikepdf.Stream):
            return b"null"  # a direct stream cannot exist in a valid file
        return bytes(obj.unparse())

    def _reference(self, obj: pikepdf.Object) -> bytes:
        key = obj.objgen
        number = self._numbers.get(key)
        if number is None:
            if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") in (
                pikepdf.Name.Page,
                pikepdf.Name.Pages,
            ):
                return b"null"  # a link back into the source's page tree: not carried over
            number = self._writer._reserve()
            self._numbers[key] = number
            self._pending.append((number, obj))
        return b"%d 0 R" % number
