"""First-page thumbnails: rendered once per content, served only after the source's hash."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from casefile.evidence.errors import IntegrityError
from casefile.evidence.thumbnails import WIDTH, render_thumbnail
from casefile.services.previews import thumbnail_bytes
from tests.evidence.conftest import Backend, sha
from tests.evidence.pdfmake import docx, jpeg, png, text_pdf

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def picture(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    assert image.format == "PNG"
    return image


def stored(store, data: bytes) -> str:
    return store.put_stream(io.BytesIO(data)).sha256


def test_a_pdf_thumbnail_is_its_first_page(local_store, tmp_path) -> None:
    data = text_pdf(["Facture"], ["Seconde page"])
    digest = stored(local_store, data)
    image = picture(thumbnail_bytes(local_store, digest, len(data), "application/pdf", tmp_path))
    assert image.width == WIDTH
    assert image.height == round(WIDTH * 842 / 595)
    # White page with dark text: not a blank image.
    assert image.convert("L").getextrema()[0] < 200


def test_an_image_thumbnail_keeps_its_proportions_and_colours(local_store, tmp_path) -> None:
    data = png(600, 300, (200, 40, 40))
    digest = stored(local_store, data)
    image = picture(thumbnail_bytes(local_store, digest, len(data), "image/png", tmp_path))
    assert image.size == (WIDTH, WIDTH // 2)
    assert image.convert("RGB").getpixel((10, 10)) == (200, 40, 40)
    photo = jpeg(200, 300)
    assert picture(render_thumbnail_of(photo, "image/jpeg", tmp_path)).size[1] <= 360


def render_thumbnail_of(data: bytes, mime: str, tmp_path) -> bytes:
    path = tmp_path / "source"
    path.write_bytes(data)
    return render_thumbnail(path, mime)


def test_other_formats_and_damaged_files_get_a_format_card(local_store, tmp_path) -> None:
    data = docx("Contrat")
    digest = stored(local_store, data)
    card = picture(thumbnail_bytes(local_store, digest, len(data), DOCX, tmp_path))
    assert card.width == WIDTH
    broken = b"%PDF-1.4\n% pas vraiment un PDF\n"
    digest = stored(local_store, broken)
    assert picture(thumbnail_bytes(local_store, digest, len(broken), "application/pdf", tmp_path))


def test_the_thumbnail_is_cached_by_hash_and_refused_once_the_source_is_altered(
    backend: Backend, tmp_path
) -> None:
    data = text_pdf(["Original"])
    digest = stored(backend.store, data)
    first = thumbnail_bytes(backend.store, digest, len(data), "application/pdf", tmp_path)
    cached = list(tmp_path.rglob(f"{digest}-*.png"))
    assert len(cached) == 1 and cached[0].read_bytes() == first
    assert thumbnail_bytes(backend.store, digest, len(data), "application/pdf", tmp_path) == first
    backend.overwrite(digest, text_pdf(["Falsifié"]))
    with pytest.raises(IntegrityError):
        thumbnail_bytes(backend.store, digest, len(data), "application/pdf", tmp_path)
    assert sha(data) == digest


@pytest.fixture
def local_store(tmp_path):
    from casefile.evidence.local import LocalStore

    return LocalStore(tmp_path / "evidence")
