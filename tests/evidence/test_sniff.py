"""The MIME type comes from the bytes: each format evidence arrives in, and the traps."""

from __future__ import annotations

import io
import zipfile

import pytest

from casefile.evidence.sniff import DOCX, XLSX, sniff


def zip_of(*entries: tuple[str, bytes], stored_first: bool = False) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for i, (name, data) in enumerate(entries):
            method = zipfile.ZIP_STORED if stored_first and i == 0 else zipfile.ZIP_DEFLATED
            archive.writestr(name, data, compress_type=method)
    return out.getvalue()


def test_a_real_docx_from_python_docx_is_a_docx():
    import docx

    out = io.BytesIO()
    docx.Document().save(out)
    assert sniff(out.getvalue()[:65536]) == DOCX


@pytest.mark.parametrize(
    ("data", "mime"),
    [
        (b"%PDF-1.7\n", "application/pdf"),
        (b"\r\n\r\n%PDF-1.4\n", "application/pdf"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "image/png"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "image/jpeg"),
        (b"II*\x00\x08\x00", "image/tiff"),
        (zip_of(("[Content_Types].xml", b"<x/>"), ("word/document.xml", b"<w/>")), DOCX),
        (zip_of(("[Content_Types].xml", b"<x/>"), ("xl/workbook.xml", b"<w/>")), XLSX),
        (
            zip_of(
                ("mimetype", b"application/vnd.oasis.opendocument.text"),
                ("content.xml", b"<x/>"),
                stored_first=True,
            ),
            "application/vnd.oasis.opendocument.text",
        ),
        (zip_of(("releve.csv", b"a;b")), "application/zip"),
        ("Relevé de compte, échéance dépassée.\n".encode(), "text/plain"),
        ("Relevé de compte".encode("cp1252"), "text/plain"),
        ("é".encode() * 10 + "é".encode()[:1], "text/plain"),  # cut mid-character
        (b"\xef\xbb\xbf<?xml version='1.0'?><facture/>", "application/xml"),
        (
            b"Return-Path: <a@x.fr>\r\nFrom: a@x.fr\r\nSubject: Relance\r\n\r\nBonjour",
            "message/rfc822",
        ),
        (b"Note: this is not a mail\nTotal: 12\n\nbody", "text/plain"),
        (b"\x00\x01\x02binary", "application/octet-stream"),
        (b"", "application/octet-stream"),
    ],
)
def test_sniffed_types(data, mime):
    assert sniff(data) == mime


def test_a_pdf_renamed_docx_and_a_zip_claiming_docx_by_extension_are_told_apart():
    assert sniff(zip_of(("facture.docx", b"not really"))) == "application/zip"
