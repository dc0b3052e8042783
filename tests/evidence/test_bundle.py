"""The hearing bundle: pièces in order, the bordereau, every byte verified, streamed."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from datetime import date

import pytest

from casefile.evidence import service
from casefile.evidence.bundle import BordereauLine, stream_bundle, write_bundle
from casefile.evidence.errors import IntegrityError
from tests.evidence.conftest import LAWYER, NOW, Backend, pdf

CASE = 3


def add(store, records, data, **kw):
    return service.add_piece(store, records, CASE, io.BytesIO(data), actor=LAWYER, now=NOW, **kw)


@pytest.fixture
def case_pieces(store, records):
    """A facture, a mise en demeure (.eml) and a withdrawn duplicate, renumbered by the lawyer."""
    facture = add(
        store,
        records,
        pdf("F2026-014", size=70_000),
        filename="scan 14.pdf",
        kind="facture",
        invoices=["F2026-014"],
        piece_date=date(2026, 2, 3),
        description="Facture du 3 février",
    )
    mail = b"From: a@example.fr\r\nTo: b@example.fr\r\nSubject: Mise en demeure\r\n\r\nPayez."
    med = add(
        store,
        records,
        mail,
        filename="../med.eml",
        kind="mise_en_demeure",
        piece_date=date(2026, 4, 1),
        description="Mise en demeure par courriel",
    )
    dup = add(store, records, b"duplicate", filename="dup.txt", kind="autre")
    service.delete_piece(records, dup["id"], actor=LAWYER, reason="doublon")
    service.renumber(records, CASE, [med["id"], facture["id"]], actor=LAWYER)
    return records.list_pieces(CASE, include_deleted=True)


def test_the_bundle_holds_the_bordereau_then_the_pieces_in_the_lawyers_order(store, case_pieces):
    rendered: list[Sequence[BordereauLine]] = []

    def render_docx(lines: Sequence[BordereauLine]) -> bytes:
        rendered.append(lines)
        return b"PK fake docx"

    out = io.BytesIO()
    size = write_bundle(
        out, store, case_pieces, case_reference="2026/0042", render_docx=render_docx
    )
    assert size == len(out.getvalue())
    with zipfile.ZipFile(out) as archive:
        assert archive.namelist() == [
            "00 - Bordereau.txt",
            "00 - Bordereau de communication de pièces.docx",
            "01 - Mise en demeure par courriel.eml",
            "02 - Facture F2026-014.pdf",
        ]
        assert archive.testzip() is None
        assert archive.read("02 - Facture F2026-014.pdf") == pdf("F2026-014", size=70_000)
        assert archive.read("01 - Mise en demeure par courriel.eml").startswith(
            b"From: a@example.fr"
        )
        assert archive.read("00 - Bordereau de communication de pièces.docx") == b"PK fake docx"
        index = archive.read("00 - Bordereau.txt").decode("utf-8").splitlines()
    assert index == [
        "BORDEREAU DE COMMUNICATION DE PIÈCES",
        "Affaire : 2026/0042",
        "",
        "Pièce n° 1 : Mise en demeure par courriel (du 1er avril 2026)",
        "Pièce n° 2 : Facture F2026-014 — Facture du 3 février (du 3 février 2026)",
    ]
    assert [(line.number, line.date) for line in rendered[0]] == [
        (1, date(2026, 4, 1)),
        (2, date(2026, 2, 3)),
    ]


def test_the_bundle_is_streamed_in_pieces(store, case_pieces):
    chunks = list(stream_bundle(store, case_pieces, case_reference="R"))
    assert len(chunks) > 3
    assert max(len(c) for c in chunks) <= 1024 * 1024 + 4096


def test_a_corrupted_piece_aborts_the_bundle(backend: Backend, records, case_pieces):
    facture = next(p for p in case_pieces if p.kind == "facture")
    backend.overwrite(facture.current.sha256, pdf("F2026-014", size=70_000).replace(b"x", b"y"))
    with pytest.raises(IntegrityError):
        write_bundle(io.BytesIO(), backend.store, case_pieces, case_reference="R")


class _Zeros:
    """A store whose one object is `size` zero bytes, for sizes no test folder should hold."""

    def __init__(self, size: int) -> None:
        self.size = size

    def open_verified(self, sha256, size=None, *, blake3=None):
        chunk = bytes(8 * 1024 * 1024)
        left = self.size
        while left:
            yield chunk[: min(left, len(chunk))]
            left -= min(left, len(chunk))


class _Tail:
    """Keeps the count and the last bytes of what is written."""

    def __init__(self) -> None:
        self.size = 0
        self.tail = b""

    def write(self, data: bytes) -> int:
        self.size += len(data)
        self.tail = (self.tail + data)[-4096:]
        return len(data)


@pytest.mark.slow
def test_a_bundle_over_4_gib_uses_zip64_in_constant_memory():
    import resource

    from casefile.evidence.records import Piece, PieceVersion

    big = (1 << 32) + 1_000_000
    version = PieceVersion("0" * 64, big, "application/pdf", "a.pdf", "a.pdf", NOW, "x")
    piece = Piece(1, CASE, 1, "facture", None, "", (), (version,))
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    sink = _Tail()
    write_bundle(sink, _Zeros(big), [piece], case_reference="R")  # type: ignore[arg-type]
    grown_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    assert sink.size > big
    assert b"PK\x06\x06" in sink.tail  # ZIP64 end of central directory record
    assert b"PK\x06\x07" in sink.tail  # and its locator
    assert grown_kib < 64 * 1024


@pytest.mark.parametrize(
    ("kind", "description", "invoices", "title"),
    [
        ("facture", "Facture F-2026-118", (), "Facture F-2026-118"),
        ("facture", "facture de septembre", (), "facture de septembre"),
        ("contrat", "Conditions générales", (), "Contrat - Conditions générales"),
        ("facture", "", ("F-1", "F-2"), "Facture F-1, F-2"),
        ("contrat", "", (), "Contrat"),
    ],
)
def test_a_piece_title_never_repeats_its_kind(kind, description, invoices, title) -> None:
    """The hearing view read « Pièce n° 1 — Facture - Facture F-2026-118 »."""
    from casefile.evidence.bundle import piece_title
    from casefile.evidence.records import Piece

    piece = Piece(1, 1, 1, kind, None, description, invoices, ())
    assert piece_title(piece) == title
