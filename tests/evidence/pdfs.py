"""PDFs and images the text-extraction tests make themselves (issue 16 item 1).

`text_pdf`: a minimal PDF with a real text layer (one page per string, the standard Helvetica
font in WinAnsiEncoding, so French accents are real characters). `scanned_pdf` and
`scanned_image`: the same words drawn as pixels by Pillow, with no text layer: only OCR reads
them.
"""

from __future__ import annotations

import io
import zlib
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

FONTS = (
    "/usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
)


def _escape(text: str) -> bytes:
    raw = text.encode("cp1252")
    return raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


PAD = bytes.fromhex("28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A")


def _rc4(key: bytes, data: bytes) -> bytes:
    box = list(range(256))
    j = 0
    for i in range(256):
        j = (j + box[i] + key[i % len(key)]) % 256
        box[i], box[j] = box[j], box[i]
    out = bytearray()
    i = j = 0
    for byte in data:
        i = (i + 1) % 256
        j = (j + box[i]) % 256
        box[i], box[j] = box[j], box[i]
        out.append(byte ^ box[(box[i] + box[j]) % 256])
    return bytes(out)


class _Rc4Security:
    """The standard security handler, revision 2 (40-bit RC4): a user password is needed to
    open the file (PDF 1.7 §7.6.3, algorithms 2 to 4)."""

    def __init__(self, user: str, owner: str) -> None:
        import hashlib

        def padded(password: str) -> bytes:
            return (password.encode("latin-1") + PAD)[:32]

        self.file_id = hashlib.md5(user.encode() + owner.encode()).digest()
        self.o = _rc4(hashlib.md5(padded(owner)).digest()[:5], padded(user))
        self.p = -4
        self.key = hashlib.md5(
            padded(user) + self.o + self.p.to_bytes(4, "little", signed=True) + self.file_id
        ).digest()[:5]
        self.u = _rc4(self.key, PAD)

    def encrypt(self, number: int, data: bytes) -> bytes:
        import hashlib

        key = hashlib.md5(self.key + number.to_bytes(3, "little") + b"\0\0").digest()[:10]
        return _rc4(key, data)

    def dictionary(self) -> bytes:
        return b"<< /Filter /Standard /V 1 /R 2 /O <%s> /U <%s> /P %d >>" % (
            self.o.hex().encode(),
            self.u.hex().encode(),
            self.p,
        )


def text_pdf(*pages: str, compress: bool = True, password: str | None = None) -> bytes:
    """A PDF whose pages carry `pages` as text (lines split on newlines); with `password`,
    encrypted (RC4) so that it opens only with that password."""
    security = _Rc4Security(password, "proprietaire") if password else None
    objects: list[bytes] = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"",  # pages, filled below
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    kids = []
    for text in pages:
        lines = [b"BT /F1 12 Tf 72 770 Td 14 TL"]
        for line in text.split("\n"):
            lines.append(b"(" + _escape(line) + b") Tj T*")
        lines.append(b"ET")
        stream = b"\n".join(lines)
        if security is not None:
            stream = security.encrypt(len(objects) + 1, zlib.compress(stream))
            objects.append(
                b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream)
                + stream
                + b"\nendstream"
            )
        elif compress:
            data = zlib.compress(stream)
            objects.append(
                b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(data)
                + data
                + b"\nendstream"
            )
        else:
            objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
        content = len(objects)
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
            b"/Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>" % content
        )
        kids.append(len(objects))
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
        b" ".join(b"%d 0 R" % k for k in kids),
        len(kids),
    )
    if security is not None:
        objects.append(security.dictionary())
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    extra = b""
    if security is not None:
        extra = b" /Encrypt %d 0 R /ID [<%s> <%s>]" % (
            len(objects),
            security.file_id.hex().encode(),
            security.file_id.hex().encode(),
        )
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R%s >>\nstartxref\n%d\n%%%%EOF\n"
        % (len(objects) + 1, extra, xref)
    )
    return out.getvalue()


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    for path in FONTS:
        if Path(path).exists():
            return ImageFont.truetype(path, size)
    return ImageFont.load_default(size=size)


def page_image(text: str, *, width: int = 2480, height: int = 3508) -> Image.Image:
    """An A4 page at 300 dpi with `text` drawn in black (40 px ≈ 10 pt)."""
    image = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(image)
    draw.multiline_text((200, 250), text, fill=0, font=_font(56), spacing=24)
    return image


def scanned_image(text: str, fmt: str = "PNG", *, small: bool = False) -> bytes:
    """The page as an image file; `small`: a strip of 1400 × 500 pixels (a few KB, for the
    API tests' upload limit)."""
    out = io.BytesIO()
    image = page_image(text, width=1400, height=500) if small else page_image(text)
    image.save(out, format=fmt, dpi=(300, 300))
    return out.getvalue()


def scanned_pdf(*pages: str, small: bool = False) -> bytes:
    """A PDF of page images only (no text layer), as a scanner makes."""
    size = {"width": 1400, "height": 500} if small else {}
    images = [page_image(text, **size) for text in pages]
    out = io.BytesIO()
    images[0].save(out, format="PDF", resolution=300, save_all=True, append_images=images[1:])
    return out.getvalue()
