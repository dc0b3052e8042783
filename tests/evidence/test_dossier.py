"""The dossier de plaidoirie (PDF): bordereau first, pièces in order, every page stamped in a
band that covers nothing, one bookmark per pièce, sources verified by hash before inclusion."""

from __future__ import annotations

import io
import shutil
from datetime import date
from pathlib import Path

import pikepdf
import pytest

from casefile.evidence import service
from casefile.evidence.dossier import PieceUnusable, build_dossier, prepare_dossier
from tests.evidence.conftest import LAWYER, NOW, Backend
from tests.evidence.pdfmake import (
    docx,
    encrypted_pdf,
    jpeg,
    page_count,
    page_text,
    png,
    require_poppler,
    text_pdf,
    word_boxes,
)

CASE = 7


def add(store, records, data: bytes, filename: str, kind: str = "autre", **kw):
    return service.add_piece(
        store,
        records,
        CASE,
        io.BytesIO(data),
        filename=filename,
        kind=kind,
        actor=LAWYER,
        now=NOW,
        **kw,
    )


@pytest.fixture
def local(tmp_path):
    from casefile.evidence.local import LocalStore
    from casefile.evidence.memory import MemoryRecords

    return LocalStore(tmp_path / "evidence"), MemoryRecords()


def outline(path: Path) -> list[tuple[str, int]]:
    with pikepdf.open(path) as pdf, pdf.open_outline() as tree:
        pages = {page.objgen: i for i, page in enumerate(pdf.pages)}
        return [
            (item.title, pages[item.destination[0].objgen])  # type: ignore[index]
            for item in tree.root
        ]


def test_every_page_is_stamped_with_its_piece_and_page_in_a_band_that_covers_nothing(
    local, tmp_path
) -> None:
    require_poppler()
    store, records = local
    add(
        store,
        records,
        text_pdf(
            ["Facture F-2024-118", "Total 4 080,00 €", "basdepage1"], ["Conditions", "basdepage2"]
        ),
        "facture.pdf",
        "facture",
        invoices=["F-2024-118"],
        piece_date=date(2024, 3, 12),
    )
    add(store, records, text_pdf(["Contrat cadre", "basdepage3"]), "contrat.pdf", "contrat")
    add(store, records, png(), "photo.png", description="Photo du chantier")
    out = tmp_path / "dossier.pdf"
    report = build_dossier(
        store, records.list_pieces(CASE), out, case_reference="DOS-1", use_libreoffice=False
    )

    # bordereau (1 page) + 2 + 1 + 1
    assert report.pages == page_count(out) == 5
    assert report.bordereau == "texte"
    assert "Bordereau — page 1/1" in page_text(out, 1)
    bordereau = page_text(out, 1)
    assert "BORDEREAU DE COMMUNICATION DE PIÈCES" in bordereau
    assert "Affaire : DOS-1" in bordereau
    assert "Facture F-2024-118 (12 mars 2024)" in bordereau
    expected = {2: "Pièce n° 1 — page 1/2", 3: "Pièce n° 1 — page 2/2", 4: "Pièce n° 2 — page 1/1",
                5: "Pièce n° 3 — page 1/1"}  # fmt: skip
    for page, stamp in expected.items():
        assert stamp in page_text(out, page), (page, page_text(out, page))
    assert "Facture F-2024-118" in page_text(out, 2)
    assert "Total 4 080,00 €" in page_text(out, 2)
    # The content's lowest line (4 pt from the original bottom edge) stays above the stamp.
    for page, word in ((2, "basdepage1"), (3, "basdepage2"), (4, "basdepage3")):
        boxes = word_boxes(out, page)
        assert boxes[word][3] <= boxes["Pièce"][1], (page, boxes[word], boxes["Pièce"])
    # A4 stays A4: the page is scaled into its own size, above the band.
    with pikepdf.open(out) as pdf:
        assert [round(float(v)) for v in pdf.pages[1].mediabox] == [0, 0, 595, 842]


def test_one_bookmark_per_piece_after_the_bordereau(local, tmp_path) -> None:
    store, records = local
    add(
        store, records, text_pdf(["Devis signé"]), "devis.pdf", "devis", piece_date=date(2024, 3, 1)
    )
    add(store, records, text_pdf(["a"], ["b"], ["c"]), "bc.pdf", "bon_de_commande")
    add(store, records, jpeg(), "scan.jpg", "facture", invoices=["F-9"])
    out = tmp_path / "dossier.pdf"
    build_dossier(
        store, records.list_pieces(CASE), out, case_reference="DOS-2", use_libreoffice=False
    )
    assert outline(out) == [
        ("Bordereau de communication de pièces", 0),
        ("Pièce n° 1 — Devis (1er mars 2024)", 1),
        ("Pièce n° 2 — Bon de commande", 2),
        ("Pièce n° 3 — Facture F-9", 5),
    ]


def test_the_pieces_follow_the_bordereau_order_after_a_renumbering(local, tmp_path) -> None:
    require_poppler()
    store, records = local
    first = add(store, records, text_pdf(["premierfichier"]), "a.pdf")
    second = add(store, records, text_pdf(["secondfichier"]), "b.pdf")
    service.renumber(records, CASE, [second["id"], first["id"]], actor=LAWYER)
    out = tmp_path / "dossier.pdf"
    build_dossier(
        store, records.list_pieces(CASE), out, case_reference="DOS-3", use_libreoffice=False
    )
    assert "secondfichier" in page_text(out, 2) and "Pièce n° 1" in page_text(out, 2)
    assert "premierfichier" in page_text(out, 3) and "Pièce n° 2" in page_text(out, 3)


def test_images_are_embedded_losslessly(local, tmp_path) -> None:
    store, records = local
    photo = jpeg(400, 300)
    add(store, records, photo, "photo.jpg")
    out = tmp_path / "dossier.pdf"
    build_dossier(
        store, records.list_pieces(CASE), out, case_reference="DOS-4", use_libreoffice=False
    )
    with pikepdf.open(out) as pdf:
        images = [
            obj
            for obj in pdf.objects
            if isinstance(obj, pikepdf.Stream) and obj.get("/Subtype") == pikepdf.Name.Image
        ]
        assert len(images) == 1
        assert images[0].Filter == pikepdf.Name.DCTDecode
        assert images[0].read_raw_bytes() == photo  # the JPEG's own bytes, not re-encoded
        page = pdf.pages[1]
        assert float(page.mediabox[2]) > float(
            page.mediabox[3]
        )  # a landscape photo: landscape page


def test_a_rotated_page_keeps_its_orientation(local, tmp_path) -> None:
    require_poppler()
    store, records = local
    add(store, records, text_pdf(["Tableau paysage"], rotate=90), "tableau.pdf")
    out = tmp_path / "dossier.pdf"
    build_dossier(
        store, records.list_pieces(CASE), out, case_reference="DOS-5", use_libreoffice=False
    )
    with pikepdf.open(out) as pdf:
        box = [round(float(v)) for v in pdf.pages[1].mediabox]
    assert box == [0, 0, 842, 595]
    assert "Pièce n° 1 — page 1/1" in page_text(out, 2)


def test_without_libreoffice_an_office_document_is_a_page_saying_where_the_original_is(
    local, tmp_path
) -> None:
    require_poppler()
    store, records = local
    add(store, records, docx("Contrat de maintenance"), "contrat.docx", "contrat")
    add(store, records, encrypted_pdf(), "protege.pdf", "facture")
    out = tmp_path / "dossier.pdf"
    report = build_dossier(
        store, records.list_pieces(CASE), out, case_reference="DOS-6", use_libreoffice=False
    )
    notice = " ".join(page_text(out, 2).split())
    assert "Pièce n° 1 — Contrat" in notice
    assert "contrat.docx (document Word" in notice
    assert "LibreOffice n'est pas installé" in notice
    assert "dossier DOS-6, pièce n° 1" in notice
    assert "« 01 - Contrat.docx »" in notice
    assert "Pièce n° 1 — page 1/1" in page_text(out, 2)
    protected = " ".join(page_text(out, 3).split())
    assert "protégé par un mot de passe" in protected
    assert report.notices == [
        "pièce n° 1 : LibreOffice n'est pas installé sur le serveur pour convertir les documents "
        "bureautiques en PDF",
        "pièce n° 2 : le PDF est protégé par un mot de passe",
    ]


def test_a_text_or_mail_piece_is_printed(local, tmp_path) -> None:
    require_poppler()
    store, records = local
    mail = "From: a@example.fr\r\nTo: b@example.fr\r\nSubject: Relance\r\n\r\nMerci de régler la facture.\r\n"
    add(store, records, mail.encode(), "relance.eml", "mise_en_demeure")
    out = tmp_path / "dossier.pdf"
    build_dossier(
        store, records.list_pieces(CASE), out, case_reference="DOS-7", use_libreoffice=False
    )
    text = page_text(out, 2)
    assert "Merci de régler la facture." in text
    assert "Pièce n° 1 — page 1/1" in text


def test_a_corrupt_piece_stops_the_dossier_naming_it(backend: Backend, records, tmp_path) -> None:
    store = backend.store
    add(store, records, text_pdf(["bonne"]), "a.pdf", "facture", invoices=["F-1"])
    bad = add(store, records, text_pdf(["altérée"]), "b.pdf", "contrat")
    backend.overwrite(bad["sha256"], text_pdf(["falsifiée"]))
    out = tmp_path / "dossier.pdf"
    with pytest.raises(PieceUnusable) as raised:
        build_dossier(
            store, records.list_pieces(CASE), out, case_reference="DOS-8", use_libreoffice=False
        )
    message = str(raised.value)
    assert message.startswith("la pièce n° 2 (Contrat) ne correspond plus à son empreinte SHA-256")
    assert "le dossier de plaidoirie n'est pas produit" in message
    assert raised.value.public_message == message
    assert raised.value.http_status == 409
    assert not out.exists()


def test_a_missing_piece_stops_the_dossier_too(local, tmp_path) -> None:
    store, records = local
    piece = add(store, records, text_pdf(["x"]), "a.pdf")
    from casefile.evidence.objects import object_key

    (store.root / object_key(piece["sha256"])).unlink()
    with pytest.raises(PieceUnusable, match=r"la pièce n° 1 .* est absente du stockage"):
        prepare_dossier(
            store, records.list_pieces(CASE), case_reference="DOS-9", use_libreoffice=False
        )


def test_the_dossier_streams_as_chunks_and_cleans_up(local, tmp_path) -> None:
    store, records = local
    add(store, records, text_pdf(["x"]), "a.pdf")
    prepared = prepare_dossier(
        store, records.list_pieces(CASE), case_reference="DOS-10", use_libreoffice=False,
        workdir=tmp_path,
    )  # fmt: skip
    work = [p for p in tmp_path.iterdir() if p.name.startswith("casefile-dossier-")]
    assert len(work) == 1
    with prepared:
        data = b"".join(prepared.chunks())
    assert data.startswith(b"%PDF-1.7") and data.rstrip().endswith(b"%%EOF")
    assert prepared.report.size == len(data)
    assert not work[0].exists()
    with pikepdf.open(io.BytesIO(data)) as pdf:
        assert len(pdf.pages) == 2


@pytest.mark.slow
def test_with_libreoffice_office_pieces_and_the_docx_bordereau_are_converted(
    local, tmp_path
) -> None:
    require_poppler()
    if not shutil.which("soffice"):
        pytest.skip("LibreOffice (soffice) not installed")
    store, records = local
    add(store, records, docx("Contrat de maintenance annuelle"), "contrat.docx", "contrat")
    add(store, records, text_pdf(["Facture"]), "f.pdf", "facture")

    def render_docx(lines) -> bytes:
        return docx("BORDEREAU RENDU", *[f"Pièce {line.number} {line.title}" for line in lines])

    out = tmp_path / "dossier.pdf"
    report = build_dossier(
        store, records.list_pieces(CASE), out, case_reference="DOS-11", render_docx=render_docx
    )
    assert report.bordereau == "docx"
    assert report.notices == []
    assert "BORDEREAU RENDU" in page_text(out, 1)
    assert "Bordereau — page 1/1" in page_text(out, 1)
    assert "Contrat de maintenance annuelle" in page_text(out, 2)
    assert "Pièce n° 1 — page 1/1" in page_text(out, 2)
    assert "Pièce n° 2 — page 1/1" in page_text(out, 3)


def test_the_text_bordereau_counts_its_pieces_in_french() -> None:
    """« 1 pièce communiquée », « 2 pièces communiquées »: never « pièce(s) communiquée(s) »."""
    from casefile.evidence.bundle import BordereauLine
    from casefile.evidence.dossier import bordereau_lines
    from casefile.labels import count_fr

    line = BordereauLine(1, "Facture F-1", "", date(2026, 3, 1), "01.pdf", "0" * 64, 10)
    one = [entry.text for entry in bordereau_lines([line], "IP-1")]
    assert one[:3] == [
        "BORDEREAU DE COMMUNICATION DE PIÈCES",
        "Affaire : IP-1",
        "1 pièce communiquée",
    ]
    two = [entry.text for entry in bordereau_lines([line, line], "IP-1")]
    assert two[2] == "2 pièces communiquées"
    assert count_fr(0, "dossier créé", "dossiers créés") == "0 dossier créé"
    assert count_fr(30, "dossier créé", "dossiers créés") == "30 dossiers créés"
