"""The text of a stored file (issue 16 item 1), read in a child process as the worker does:
text layers, French OCR by the real Tesseract, and bad files that get a French status instead
of crashing anything. Every file is made here (tests/evidence/pdfs.py)."""

from __future__ import annotations

import asyncio
import io
import struct
import zipfile
import zlib
from pathlib import Path

import pytest

from casefile.evidence import ocr
from casefile.evidence.text_extract import DOCX, Extracted
from casefile.evidence.text_sandbox import extract_isolated
from tests.evidence.pdfs import scanned_image, scanned_pdf, text_pdf

TESSERACT = ocr.find()
needs_tesseract = pytest.mark.skipif(
    not TESSERACT.available, reason=f"Tesseract absent: {TESSERACT.reason}"
)
NO_TESSERACT = ocr.OcrEngine("", "Tesseract n'est pas installé sur le serveur (test)")


def read(tmp_path: Path, data: bytes, mime: str, engine: ocr.OcrEngine = TESSERACT) -> Extracted:
    path = tmp_path / "piece"
    path.write_bytes(data)
    return asyncio.run(extract_isolated(path, mime, engine))


def test_the_text_layer_of_a_pdf_is_read_page_after_page(tmp_path: Path) -> None:
    result = read(
        tmp_path,
        text_pdf("Devis n° D-2026-031 signé le 3 mars 2026\nMontant : 4 080,00 €", "Conditions"),
        "application/pdf",
    )
    assert (result.status, result.method, result.pages, result.ocr_pages) == ("text", "text", 2, 0)
    assert (
        result.text
        == "Devis n° D-2026-031 signé le 3 mars 2026\nMontant : 4 080,00 €\n\nConditions"
    )
    assert result.message == ""


@needs_tesseract
def test_a_scanned_pdf_is_read_by_french_ocr(tmp_path: Path) -> None:
    result = read(
        tmp_path,
        scanned_pdf("Bon de commande signé\nLivraison de fûts de bière", "Deuxième page reçue"),
        "application/pdf",
    )
    assert (result.status, result.method, result.pages, result.ocr_pages) == ("ocr", "ocr", 2, 2)
    words = result.text.split()
    for word in ("Bon", "commande", "signé", "Livraison", "fûts", "bière", "Deuxième", "reçue"):
        assert word in words, result.text


@needs_tesseract
def test_a_photographed_invoice_is_read_by_ocr(tmp_path: Path) -> None:
    result = read(
        tmp_path, scanned_image("Facture F-2024-118 impayée\nÉchéance dépassée"), "image/png"
    )
    assert (result.status, result.pages, result.ocr_pages) == ("ocr", 1, 1)
    assert "F-2024-118" in result.text and "impayée" in result.text and "Échéance" in result.text


@needs_tesseract
def test_every_page_of_a_multipage_tiff_is_read(tmp_path: Path) -> None:
    from tests.evidence.pdfs import page_image

    out = io.BytesIO()
    first, second = page_image("Accusé de réception"), page_image("Lettre recommandée")
    first.save(out, format="TIFF", save_all=True, append_images=[second], dpi=(300, 300))
    result = read(tmp_path, out.getvalue(), "image/tiff")
    assert (result.status, result.pages, result.ocr_pages) == ("ocr", 2, 2)
    assert "réception" in result.text and "recommandée" in result.text


def test_without_tesseract_a_scan_says_so_in_french(tmp_path: Path) -> None:
    result = read(tmp_path, scanned_pdf("Bon de commande"), "application/pdf", NO_TESSERACT)
    assert (result.status, result.text, result.pages) == ("no_ocr", "", 1)
    assert result.message == (
        "OCR indisponible : document numérisé non lu — Tesseract n'est pas installé sur le "
        "serveur (test)"
    )
    image = read(tmp_path, scanned_image("Facture"), "image/png", NO_TESSERACT)
    assert image.status == "no_ocr" and "Tesseract n'est pas installé" in image.message


def test_without_tesseract_the_scanned_pages_of_a_pdf_are_counted_in_french(
    tmp_path: Path,
) -> None:
    """« 2 pages numérisées non lues », never « 2 page(s) numérisée(s) non lue(s) »."""
    import pypdfium2

    merged = pypdfium2.PdfDocument.new()
    for part in (text_pdf("Conditions générales de vente"), scanned_pdf("Annexe", "Tarifs")):
        source = pypdfium2.PdfDocument(part)
        merged.import_pages(source)
        source.close()
    out = io.BytesIO()
    merged.save(out)
    merged.close()
    result = read(tmp_path, out.getvalue(), "application/pdf", NO_TESSERACT)
    assert (result.status, result.pages) == ("text", 3)
    assert result.message == (
        "OCR indisponible : 2 pages numérisées non lues — Tesseract n'est pas installé sur le "
        "serveur (test)"
    )


def test_an_encrypted_pdf_gets_a_french_status(tmp_path: Path) -> None:
    result = read(tmp_path, text_pdf("Contrat confidentiel", password="secret"), "application/pdf")
    assert result.status == "refused" and result.text == ""
    assert result.message.startswith("PDF protégé par un mot de passe")


def test_a_damaged_pdf_gets_a_french_status(tmp_path: Path) -> None:
    damaged = text_pdf("Facture")[:200] + b"\x00garbage" * 50
    result = read(tmp_path, b"%PDF-1.7\n" + b"\x8f" * 300, "application/pdf")
    assert (result.status, result.message) == (
        "refused",
        "PDF illisible ou endommagé : son texte ne peut pas être lu",
    )
    assert read(tmp_path, damaged, "application/pdf").status in ("refused", "empty")


def test_a_truncated_image_gets_a_french_status(tmp_path: Path) -> None:
    png = scanned_image("Facture")
    result = read(tmp_path, png[:400], "image/png")
    assert result.status == "refused"
    assert result.message.startswith("image illisible")


def _png_claiming(width: int, height: int) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


def test_an_image_bomb_is_refused_unread(tmp_path: Path) -> None:
    result = read(tmp_path, _png_claiming(100_000, 100_000), "image/png")
    assert result.status == "refused"
    assert "dimensions démesurées" in result.message and "piégée" in result.message


def _docx(document_xml: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", document_xml)
    return out.getvalue()


def test_the_text_of_a_word_document_is_read(tmp_path: Path) -> None:
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    xml = (
        f'<w:document xmlns:w="{w}"><w:body>'
        "<w:p><w:r><w:t>Mise en demeure de payer</w:t></w:r></w:p>"
        "<w:p><w:r><w:t>la somme de 4 080,00 </w:t></w:r><w:r><w:t>€</w:t></w:r></w:p>"
        "</w:body></w:document>"
    ).encode()
    result = read(tmp_path, _docx(xml), DOCX)
    assert (result.status, result.text) == (
        "text",
        "Mise en demeure de payer\nla somme de 4 080,00 €",
    )


def test_a_zip_bomb_disguised_as_a_word_document_is_refused(tmp_path: Path) -> None:
    out = io.BytesIO()
    with (
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive,
        archive.open("word/document.xml", "w") as part,
    ):
        block = b"\0" * (1024 * 1024)
        for _ in range(120):
            part.write(block)
    bomb = out.getvalue()
    assert len(bomb) < 1024 * 1024
    result = read(tmp_path, bomb, DOCX)
    assert result.status == "refused"
    assert "bombe de décompression" in result.message


def test_a_reader_that_takes_too_long_is_stopped_with_a_french_status(tmp_path: Path) -> None:
    path = tmp_path / "piece"
    path.write_bytes(text_pdf("Facture"))
    result = asyncio.run(extract_isolated(path, "application/pdf", TESSERACT, timeout=0.001))
    assert result.status == "failed"
    assert result.message.startswith("la lecture du fichier a dépassé 0 s")
