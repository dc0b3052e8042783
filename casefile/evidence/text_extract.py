"""The text of one stored file (issue 16 item 1): what a PDF's text layer says, what Tesseract
reads on scanned pages and images, what an office document or an e-mail contains — or, in
French, why there is none.

This module reads untrusted files with native code (PDFium, Pillow, Tesseract): it runs in a
child process with memory and time limits (`text_sandbox`), never in the worker itself. The
PDF reader is pypdfium2 (PDFium, Chrome's PDF engine): it reads damaged files as browsers do,
extracts the text layer and renders a page to pixels for OCR with no system package — and the
dossier's thumbnails use the same library.

Statuses (`Extracted.status`): `text` (a text layer or a document's own text), `ocr` (at
least one page read by Tesseract), `empty` (a file with no text at all), `no_ocr` (scanned
pages and no Tesseract: said in French on the pièce and in the search), `unsupported` (a format
with no text), `refused` (an encrypted, damaged or booby-trapped file). `failed` and `pending`
are set by the caller (a crash or a timeout; not yet done).
"""

from __future__ import annotations

import io
import json
import re
import sys
import unicodedata
import warnings
import zipfile
from dataclasses import asdict, dataclass
from pathlib import Path

from casefile.evidence import ocr
from casefile.labels import count_fr

MAX_TEXT_CHARS = 2_000_000
MAX_PAGES = 2000
"""Text-layer pages read; a longer PDF keeps the text of its first pages (said)."""
MAX_OCR_PAGES = 100
"""Scanned pages (or image frames) read by OCR, per file."""
MIN_PAGE_CHARS = 20
"""A PDF page that draws an image and has fewer visible characters than this in its text
layer is taken as scanned (OCR)."""
OCR_DPI = 300
MAX_RENDER_PIXELS = 40_000_000
"""A page is rendered at 300 dpi unless that makes more pixels than this (A4 ≈ 8.7 M)."""
MAX_IMAGE_PIXELS = 80_000_000
"""An image with more pixels is refused unread (a decompression bomb declares a huge size)."""
MAX_PLAIN_BYTES = 20 * 1024 * 1024
"""Bytes read from a text, HTML, XML or e-mail file, and from each part of an office file."""
MAX_ZIP_TOTAL = 100 * 1024 * 1024
MAX_ZIP_RATIO = 200
"""An office file (a ZIP) whose parts inflate beyond these is refused as a zip bomb."""

TEXT, OCR, EMPTY, NO_OCR, UNSUPPORTED, REFUSED = (
    "text",
    "ocr",
    "empty",
    "no_ocr",
    "unsupported",
    "refused",
)

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ODT = "application/vnd.oasis.opendocument.text"
PLAIN = frozenset({"text/plain", "message/rfc822", "text/html", "application/xml"})

# Characters never kept: NUL and controls (but tab and newline), the private-use pair the
# search uses to mark its passages, non-characters.
_DROP = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ue000\ue001\ufffe\uffff]")


@dataclass(frozen=True)
class Extracted:
    status: str
    method: str = ""
    text: str = ""
    pages: int = 0
    ocr_pages: int = 0
    message: str = ""

    def as_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False)


class Refused(Exception):
    """The file cannot be read safely (its French reason)."""


def clean(text: str) -> str:
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = _DROP.sub("", text)
    text = re.sub(r"[ \t]+\n", "\n", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def extract(path: Path, mime: str, engine: ocr.OcrEngine) -> Extracted:
    """The text of the file at `path`, whose sniffed type is `mime`."""
    try:
        if mime == "application/pdf":
            return _pdf(path, engine)
        if mime.startswith("image/"):
            return _image(path, engine)
        if mime in (DOCX, ODT):
            return _finish(_office(path, mime), TEXT, "document")
        if mime == "application/zip":
            _zip_check(path)
            return Extracted(
                UNSUPPORTED,
                message="archive ZIP : le texte des fichiers qu'elle contient n'est pas extrait",
            )
        if mime in PLAIN:
            return _finish(_plain(path, mime), TEXT, "plain")
    except Refused as refusal:
        return Extracted(REFUSED, message=str(refusal))
    except MemoryError:
        return Extracted(
            REFUSED, message="le fichier demande trop de mémoire pour être lu (fichier piégé ?)"
        )
    return Extracted(
        UNSUPPORTED, message=f"format sans texte extractible ({mime or 'non reconnu'})"
    )


def _finish(text: str, status: str, method: str, **fields: object) -> Extracted:
    text = clean(text)
    message = str(fields.pop("message", ""))
    if len(text) > MAX_TEXT_CHARS:
        text = text[:MAX_TEXT_CHARS]
        message = _join(message, f"texte limité aux {_n(MAX_TEXT_CHARS)} premiers caractères")
    if not text:
        return Extracted(EMPTY, method, "", message=_join(message, "aucun texte trouvé"), **fields)  # type: ignore[arg-type]
    return Extracted(status, method, text, message=message, **fields)  # type: ignore[arg-type]


def _join(*parts: str) -> str:
    return " ; ".join(p for p in parts if p)


def _n(number: int) -> str:
    """4080000 → '4 080 000' (narrow no-break spaces, as French typography writes it)."""
    return f"{number:,}".replace(",", "\u202f")


# -- PDF ---------------------------------------------------------------------------------------


def _pdf(path: Path, engine: ocr.OcrEngine) -> Extracted:
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as error:
        detail = str(error).lower()
        if "password" in detail:
            raise Refused(
                "PDF protégé par un mot de passe : son texte ne peut pas être lu "
                "(la pièce reste conservée telle quelle)"
            ) from None
        if "security" in detail:
            raise Refused("PDF chiffré par un procédé non reconnu : texte non lu") from None
        raise Refused("PDF illisible ou endommagé : son texte ne peut pas être lu") from None
    try:
        count = len(pdf)
        if count == 0:
            raise Refused("PDF sans aucune page")
        texts: list[str] = []
        scanned: list[int] = []
        for index in range(min(count, MAX_PAGES)):
            page = pdf[index]
            textpage = page.get_textpage()
            text = textpage.get_text_bounded()
            textpage.close()
            if len(re.sub(r"\s", "", text)) < MIN_PAGE_CHARS and _has_image(page):
                scanned.append(index)
            page.close()
            texts.append(text)
        notes = []
        if count > MAX_PAGES:
            notes.append(f"texte limité aux {MAX_PAGES} premières pages sur {count}")
        ocr_pages = 0
        if scanned and engine.available:
            for index in scanned[:MAX_OCR_PAGES]:
                read = _ocr_pdf_page(pdf, index, engine)
                if read.strip():
                    texts[index] = (texts[index] + "\n" + read).strip()
                ocr_pages += 1
            if len(scanned) > MAX_OCR_PAGES:
                notes.append(f"OCR limité à {MAX_OCR_PAGES} pages numérisées sur {len(scanned)}")
        elif scanned:
            has_text = len(scanned) < min(count, MAX_PAGES)
            which = (
                count_fr(len(scanned), "page numérisée non lue", "pages numérisées non lues")
                if has_text
                else "document numérisé non lu"
            )
            notes.append(f"OCR indisponible : {which} — {engine.reason}")
    finally:
        pdf.close()
    body = "\n\n".join(t.strip() for t in texts)
    if scanned and not engine.available and not clean(body):
        return Extracted(NO_OCR, "", "", pages=count, message=_join(*notes))
    method = "ocr" if ocr_pages and len(scanned) == count else "text+ocr" if ocr_pages else "text"
    status = OCR if ocr_pages else TEXT
    return _finish(body, status, method, pages=count, ocr_pages=ocr_pages, message=_join(*notes))


def _has_image(page: object) -> bool:
    """Whether the page draws an image (a scan is one): a short page of text is not OCR'd."""
    import pypdfium2.raw as raw

    objects = page.get_objects(filter=(raw.FPDF_PAGEOBJ_IMAGE,), max_depth=3)  # type: ignore[attr-defined]
    return any(True for _ in objects)


def _ocr_pdf_page(pdf: object, index: int, engine: ocr.OcrEngine) -> str:
    page = pdf[index]  # type: ignore[index]
    try:
        width, height = page.get_size()
        scale = OCR_DPI / 72
        pixels = width * scale * height * scale
        if pixels > MAX_RENDER_PIXELS:
            scale *= (MAX_RENDER_PIXELS / pixels) ** 0.5
        bitmap = page.render(scale=scale, grayscale=True)
        image = bitmap.to_pil()
        bitmap.close()
    finally:
        page.close()
    return _recognise(image, engine, round(72 * scale))


def _recognise(image: object, engine: ocr.OcrEngine, dpi: int) -> str:
    out = io.BytesIO()
    image.convert("L").save(out, format="PPM")  # type: ignore[attr-defined]
    try:
        return ocr.recognise(engine, out.getvalue(), dpi)
    except ocr.OcrFailed as error:
        raise Refused(str(error)) from None


# -- images ------------------------------------------------------------------------------------


def _image(path: Path, engine: ocr.OcrEngine) -> Extracted:
    from PIL import Image, ImageSequence

    Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(path)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise Refused(
                "image aux dimensions démesurées (plus de 80 millions de pixels) : "
                "refusée comme piégée, texte non lu"
            ) from None
        except (OSError, SyntaxError, ValueError):
            raise Refused("image illisible ou endommagée : son texte ne peut pas être lu") from None
        with image:
            width, height = image.size
            if width * height > MAX_IMAGE_PIXELS:
                raise Refused(
                    f"image aux dimensions démesurées ({width} × {height} pixels) : "
                    "refusée comme piégée, texte non lu"
                )
            frames = getattr(image, "n_frames", 1)
            if not engine.available:
                return Extracted(
                    NO_OCR, pages=frames, message=f"OCR indisponible : {engine.reason}"
                )
            dpi = _dpi(image.info.get("dpi"))
            texts = []
            try:
                for number, frame in enumerate(ImageSequence.Iterator(image)):
                    if number >= MAX_OCR_PAGES:
                        break
                    frame.load()
                    texts.append(_recognise(frame, engine, dpi))
            except (OSError, SyntaxError, ValueError):
                raise Refused(
                    "image illisible, tronquée ou endommagée : son texte ne peut pas être lu"
                ) from None
    note = (
        f"OCR limité aux {MAX_OCR_PAGES} premières images sur {frames}"
        if frames > len(texts)
        else ""
    )
    return _finish("\n\n".join(texts), OCR, "ocr", pages=frames, ocr_pages=len(texts), message=note)


def _dpi(value: object) -> int:
    if isinstance(value, tuple) and value and isinstance(value[0], (int, float)):
        dpi = round(value[0])
        if 70 <= dpi <= 1200:
            return dpi
    return OCR_DPI


# -- office documents, text files --------------------------------------------------------------


def _zip_check(path: Path) -> zipfile.ZipFile:
    """The archive, refused when it is damaged or inflates like a zip bomb."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError):
        raise Refused("archive endommagée : son contenu ne peut pas être lu") from None
    declared = sum(info.file_size for info in archive.infolist())
    packed = sum(info.compress_size for info in archive.infolist()) or 1
    if declared > MAX_ZIP_TOTAL or declared / packed > MAX_ZIP_RATIO:
        archive.close()
        raise Refused(
            f"archive qui se décompresse en {_n(declared)} octets pour {_n(packed)} "
            "(bombe de décompression) : refusée, texte non lu"
        )
    return archive


def _read_part(archive: zipfile.ZipFile, name: str) -> bytes:
    try:
        with archive.open(name) as part:
            data = part.read(MAX_PLAIN_BYTES + 1)
    except KeyError:
        return b""
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise Refused("document endommagé : son texte ne peut pas être lu") from None
    if len(data) > MAX_PLAIN_BYTES:
        raise Refused("document dont une partie dépasse 20 Mo une fois décompressée : refusé")
    return data


def _xml(data: bytes) -> object:
    from lxml import etree

    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False
    )
    try:
        return etree.fromstring(data, parser=parser)
    except etree.XMLSyntaxError:
        raise Refused("document dont le XML est endommagé : texte non lu") from None


def _office(path: Path, mime: str) -> str:
    with _zip_check(path) as archive:
        if mime == DOCX:
            root = _xml(_read_part(archive, "word/document.xml") or b"<x/>")
            w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
            paragraphs = root.iter(f"{w}p")  # type: ignore[attr-defined]
            return "\n".join(
                "".join(node.text or "" for node in p.iter(f"{w}t")) for p in paragraphs
            )
        root = _xml(_read_part(archive, "content.xml") or b"<x/>")
        t = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
        return "\n".join(
            "".join(node.itertext())
            for node in root.iter(f"{t}p", f"{t}h")  # type: ignore[attr-defined]
        )


def _plain(path: Path, mime: str) -> str:
    with path.open("rb") as stream:
        data = stream.read(MAX_PLAIN_BYTES)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = data.decode("cp1252", "replace")
    if mime == "text/html":
        text = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", text)
        text = re.sub(r"(?s)<[^>]*>", " ", text)
        import html

        text = html.unescape(text)
    elif mime == "application/xml":
        text = re.sub(r"(?s)<[^>]*>", " ", text)
    return text


# -- the child process -------------------------------------------------------------------------


def main(argv: list[str]) -> int:
    """`python -m casefile.evidence.text_extract PATH MIME TESSERACT`: the result as one JSON
    object on stdout (TESSERACT empty: no OCR; the French reason follows as a 4th argument)."""
    path, mime, tesseract, reason = (*argv, "", "")[:4]
    _limit_self()
    engine = ocr.OcrEngine(tesseract, reason)
    try:
        result = extract(Path(path), mime, engine)
    except MemoryError:
        result = Extracted(REFUSED, message="le fichier demande trop de mémoire pour être lu")
    sys.stdout.write(result.as_json())
    return 0


MEMORY_LIMIT_BYTES = 2 * 1024**3
CPU_LIMIT_SECONDS = 900


def _limit_self() -> None:
    """Address space and CPU time of this process (and of the Tesseract it starts): a file
    built to exhaust memory fails here with MemoryError, not in the worker."""
    import resource

    for limit, value in (
        (resource.RLIMIT_AS, MEMORY_LIMIT_BYTES),
        (resource.RLIMIT_CPU, CPU_LIMIT_SECONDS),
    ):
        soft, hard = resource.getrlimit(limit)
        if hard != resource.RLIM_INFINITY:
            value = min(value, hard)
        if soft == resource.RLIM_INFINITY or soft > value:
            resource.setrlimit(limit, (value, hard))


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
