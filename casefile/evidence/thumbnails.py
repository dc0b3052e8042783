"""First-page thumbnails of pièces (issue 16 item 5): PNG images a few hundred pixels wide.

PDFs are rendered by PDFium (pypdfium2: a wheel, no system package); images are reduced by
Pillow (EXIF orientation applied). Any other format gets a card naming the format, so every
pièce has an image to show. Rendering is CPU work on bytes already verified by the caller.

PDFium is not thread-safe: one lock serialises its calls within the process.
"""

from __future__ import annotations

import io
import threading
from pathlib import Path

from casefile.evidence.topdf import IMAGE_MIMES, format_label

WIDTH = 240
"""Thumbnail width in pixels (a card of the case page or the search results)."""
MAX_HEIGHT = 360
MAX_PIXELS = 120_000_000
"""Pillow refuses larger images (decompression bombs): the format card stands in."""

_PDFIUM = threading.Lock()


class ThumbnailFailed(Exception):
    """The file could not be rendered (damaged, encrypted, too large); French message."""


def previewable(mime: str) -> bool:
    """Whether a thumbnail shows the content (else it is a card naming the format)."""
    return mime == "application/pdf" or mime in IMAGE_MIMES


def render_thumbnail(path: Path, mime: str) -> bytes:
    """The PNG thumbnail of the file at `path` (whose type is `mime`)."""
    if mime == "application/pdf":
        image = _pdf_first_page(path)
    elif mime in IMAGE_MIMES:
        image = _image(path)
    else:
        return format_card(mime)
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()


def _pdf_first_page(path: Path):  # type: ignore[no-untyped-def]
    import pypdfium2 as pdfium

    with _PDFIUM:
        try:
            document = pdfium.PdfDocument(str(path))
        except pdfium.PdfiumError as error:
            raise ThumbnailFailed(
                "le PDF n'a pas pu être ouvert (endommagé ou protégé par un mot de passe)"
            ) from error
        try:
            if len(document) == 0:
                raise ThumbnailFailed("le PDF ne contient aucune page")
            page = document[0]
            width, height = page.get_size()
            scale = min(WIDTH / max(width, 1.0), MAX_HEIGHT / max(height, 1.0))
            bitmap = page.render(scale=scale, may_draw_forms=True)
            image = bitmap.to_pil().convert("RGB")
            page.close()
            return image
        finally:
            document.close()


def _image(path: Path):  # type: ignore[no-untyped-def]
    from PIL import Image, ImageOps

    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        with Image.open(path) as source:
            source.draft("RGB", (WIDTH * 2, MAX_HEIGHT * 2))  # JPEG: decode at reduced size
            image = ImageOps.exif_transpose(source)
            image.thumbnail((WIDTH, MAX_HEIGHT))
            if image.mode not in ("RGB", "L"):
                background = Image.new("RGB", image.size, "white")
                rgba = image.convert("RGBA")
                background.paste(rgba, mask=rgba.getchannel("A"))
                image = background
            return image
    except (OSError, ValueError, Image.DecompressionBombError) as error:
        raise ThumbnailFailed("l'image n'a pas pu être lue (endommagée ou trop grande)") from error


def format_card(mime: str) -> bytes:
    """A grey card with the format's name: the thumbnail of a file that is not shown."""
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("RGB", (WIDTH, int(WIDTH * 1.414)), (236, 238, 241))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, WIDTH - 1, image.height - 1), outline=(160, 166, 173), width=2)
    font = ImageFont.load_default(size=22)
    label = format_label(mime)
    words = label.split()
    lines: list[str] = []
    for word in words:
        if lines and draw.textlength(f"{lines[-1]} {word}", font=font) < WIDTH - 30:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    y = image.height / 2 - 14 * len(lines)
    for line in lines:
        width = draw.textlength(line, font=font)
        draw.text(((WIDTH - width) / 2, y), line, fill=(60, 64, 70), font=font)
        y += 28
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()
