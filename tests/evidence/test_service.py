"""Pièces of a case: numbering, versions, withdrawal, verify and failure safety, on both
backends (the records are in memory, the bytes in the real store)."""

from __future__ import annotations

import dataclasses
import io
from datetime import date, timedelta

import pytest
from blake3 import blake3

from casefile.errors import Conflict, Forbidden, InputError, InvalidFields, NotFound
from casefile.evidence import service
from casefile.evidence.bundle import bordereau, text_index
from casefile.evidence.errors import StorageUnavailable
from casefile.evidence.faults import FailingStore
from casefile.evidence.memory import MemoryRecords, RecordsUnavailable
from casefile.evidence.records import PieceDetails, PieceEvent
from tests.evidence.conftest import ASSISTANT, LAWYER, NOW, Backend, pdf, sha

CASE = 7


def add(store, records, data: bytes, kind="facture", filename="f.pdf", **extra):
    return service.add_piece(
        store,
        records,
        CASE,
        io.BytesIO(data),
        filename=filename,
        kind=kind,
        actor=LAWYER,
        now=NOW,
        **extra,
    )


def test_adding_a_piece_stores_the_bytes_and_returns_its_number(store, records):
    data = pdf("F2026-014")
    receipt = add(
        store,
        records,
        data,
        piece_date=date(2026, 3, 12),
        description="Facture de mars",
        invoices=["F2026-014", " "],
    )
    assert receipt == {
        "id": 1,
        "piece": 1,
        "version": 1,
        "sha256": sha(data),
        "size": len(data),
        "kind": "facture",
        "mime": "application/pdf",
        "reused": False,
    }
    piece = records.get_piece(1)
    assert piece.invoices == ("F2026-014",)
    assert piece.date == date(2026, 3, 12)
    assert b"".join(store.open_verified(piece.current.sha256)) == data
    assert [e.action for e in records.history(CASE)] == ["added"]
    assert records.history(CASE)[0].piece_id == 1


def test_pieces_are_numbered_in_order_per_case(store, records):
    assert [add(store, records, pdf(str(i)))["piece"] for i in range(3)] == [1, 2, 3]
    other = service.add_piece(
        store, records, 8, io.BytesIO(b"x"), filename="x", kind="autre", actor=LAWYER
    )
    assert other["piece"] == 1


def test_an_unknown_kind_is_refused_before_anything_is_stored(backend: Backend, records):
    with pytest.raises(InputError, match="type de pièce « facturette » inconnu"):
        add(backend.store, records, b"x", kind="facturette")
    assert backend.raw_names() == []


def test_the_mime_type_comes_from_the_bytes_not_the_name(store, records):
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    receipt = add(store, records, png, kind="accuse_reception", filename="scan")
    assert receipt["mime"] == "image/png"
    # A name that promises another format is refused before anything is stored (issue 11).
    with pytest.raises(InputError, match=r"extension \.pdf mais son contenu est une image PNG"):
        add(store, records, png, kind="accuse_reception", filename="scan.pdf")


def test_a_store_failure_records_nothing(backend: Backend, records):
    for fault in ({"put"}, {"put_midway"}):
        failing = FailingStore(backend.store, fault, fail_after=100)
        with pytest.raises(StorageUnavailable) as raised:
            add(failing, records, pdf("x", size=1000))
        assert raised.value.http_status == 503
    assert records.list_pieces(CASE, include_deleted=True) == []
    assert records.history(CASE) == []
    assert backend.raw_names() == []


def test_a_record_failure_leaves_an_orphan_that_verify_finds_and_removes(store):
    records = MemoryRecords(failing={"create_piece"})
    data = pdf("lost record")
    with pytest.raises(RecordsUnavailable):
        add(store, records, data)
    assert store.exists(sha(data))  # stored and verified before the record was attempted

    # Within the grace period it may be an upload in flight: reported, never removed.
    report = service.verify(store, records, remove_orphans=True, now=NOW)
    assert (report.orphans, report.pending, report.removed) == ([], [sha(data)], [])

    later = NOW.replace(year=2030)
    report = service.verify(store, records, now=later)
    assert report.orphans == [sha(data)] and report.removed == []
    assert store.exists(sha(data))
    report = service.verify(store, records, remove_orphans=True, now=later)
    assert report.removed == [sha(data)]
    assert not store.exists(sha(data))
    assert report.ok


def test_verify_reports_missing_and_mismatched_objects_with_progress(backend: Backend, records):
    store = backend.store
    good = add(store, records, pdf("good", size=4000))
    bad = add(store, records, pdf("bad", size=5000))
    gone = add(store, records, pdf("gone", size=6000))
    backend.overwrite(bad["sha256"], b"altered")
    store.delete(gone["sha256"])
    seen: list[tuple[int, int]] = []
    report = service.verify(store, records, progress=lambda d, t: seen.append((d, t)))
    assert report.missing == [gone["sha256"]]
    assert report.mismatched == [bad["sha256"]]
    assert report.orphans == []
    assert report.checked == 2
    assert not report.ok
    assert seen[0] == (0, 4000 + len(b"altered"))  # the bytes actually stored
    assert seen[-1] == (4007, 4007)
    assert good["sha256"] not in report.mismatched


def test_a_piece_records_the_blake3_digest_its_downloads_check(store, records):
    data = pdf("F2026-020")
    receipt = add(store, records, data)
    assert "blake3" not in receipt  # the SHA-256 is the fingerprint people see
    current = records.get_piece(receipt["id"]).current
    assert (current.sha256, current.blake3) == (sha(data), blake3(data).hexdigest())
    copy = service.add_stored_copy(
        store, records, CASE, sha(data), filename="bis.pdf", kind="facture", actor=LAWYER
    )
    assert records.get_piece(copy["id"]).current.blake3 == current.blake3
    second = service.add_version(
        store, records, receipt["id"], io.BytesIO(pdf("v2")), filename="v2.pdf", actor=LAWYER
    )
    assert records.get_piece(second["id"]).current.blake3 == blake3(pdf("v2")).hexdigest()
    assert sorted(records.recorded_blake3()) == sorted(
        [(sha(data), current.blake3)] * 2 + [(sha(pdf("v2")), blake3(pdf("v2")).hexdigest())]
    )


def test_verify_checks_both_digests_and_pieces_recorded_before_by_their_sha256(
    backend: Backend, records
):
    store = backend.store
    before = add(store, records, pdf("recorded before BLAKE3", size=4000))
    after = add(store, records, pdf("recorded with BLAKE3", size=5000))
    # A version recorded before the BLAKE3 digest existed has none.
    piece = records.get_piece(before["id"])
    records._pieces[piece.id] = dataclasses.replace(
        piece, versions=(dataclasses.replace(piece.current, blake3=None),)
    )
    assert [d for d, _ in records.recorded_blake3()] == [after["sha256"]]
    assert service.verify(store, records).ok

    # Both recorded digests must name the stored bytes: a wrong BLAKE3 record is reported
    # even though the SHA-256 of the bytes is right.
    piece = records.get_piece(after["id"])
    wrong = blake3(b"other bytes").hexdigest()
    records._pieces[piece.id] = dataclasses.replace(
        piece, versions=(dataclasses.replace(piece.current, blake3=wrong),)
    )
    report = service.verify(store, records)
    assert (report.mismatched, report.checked, report.bytes) == ([after["sha256"]], 2, 9000)

    backend.overwrite(before["sha256"], pdf("altered", size=4000))
    mismatched = service.verify(store, records).mismatched
    assert sorted(mismatched) == sorted([before["sha256"], after["sha256"]])


def test_a_new_version_keeps_the_old_one(store, records):
    first = add(store, records, pdf("v1"))
    second = service.add_version(
        store,
        records,
        first["id"],
        io.BytesIO(pdf("v2")),
        filename="f-corrigée.pdf",
        actor=LAWYER,
        note="montant TTC corrigé",
        now=NOW,
    )
    assert (second["piece"], second["version"]) == (1, 2)
    piece = records.get_piece(first["id"])
    assert [v.sha256 for v in piece.versions] == [sha(pdf("v1")), sha(pdf("v2"))]
    assert b"".join(store.open_verified(piece.versions[0].sha256)) == pdf("v1")
    assert [e.action for e in records.history(CASE)] == ["added", "versioned"]
    with pytest.raises(Conflict, match="identique à la version 2"):
        service.add_version(
            store, records, first["id"], io.BytesIO(pdf("v2")), filename="x", actor=LAWYER
        )


def test_withdrawal_is_a_reasoned_act_of_an_authorised_role_and_keeps_the_bytes(store, records):
    a = add(store, records, pdf("a"))
    b = add(store, records, pdf("b"))
    with pytest.raises(Forbidden, match="le rôle « assistant » ne permet pas de retirer une pièce"):
        service.delete_piece(records, a["id"], actor=ASSISTANT, reason="doublon")
    with pytest.raises(InputError, match="demande un motif"):
        service.delete_piece(records, a["id"], actor=LAWYER, reason="  ")
    deleted = service.delete_piece(records, a["id"], actor=LAWYER, reason="doublon", now=NOW)
    assert (deleted.number, deleted.deletion_reason, deleted.deleted_by) == (
        None,
        "doublon",
        "Me Durand",
    )
    assert [p.id for p in records.list_pieces(CASE)] == [b["id"]]
    assert store.exists(a["sha256"])
    assert service.verify(store, records).orphans == []  # still referenced
    event = records.history(CASE)[-1]
    assert (event.action, event.details) == ("deleted", {"number": 1})
    with pytest.raises(Conflict, match="a déjà été retirée le "):
        service.delete_piece(records, a["id"], actor=LAWYER, reason="encore")
    with pytest.raises(Conflict, match="a été retirée : ajoutez plutôt une nouvelle pièce"):
        service.add_version(store, records, a["id"], io.BytesIO(b"z"), filename="z", actor=LAWYER)


def test_renumbering_follows_the_lawyers_order_and_is_recorded(store, records):
    ids = [add(store, records, pdf(str(i)))["id"] for i in range(3)]
    pieces = service.renumber(records, CASE, [ids[2], ids[0], ids[1]], actor=LAWYER, now=NOW)
    assert [(p.id, p.number) for p in pieces] == [(ids[2], 1), (ids[0], 2), (ids[1], 3)]
    event = records.history(CASE)[-1]
    assert event.action == "renumbered"
    assert event.details == {
        "before": {ids[2]: 3, ids[0]: 1, ids[1]: 2},
        "after": {ids[2]: 1, ids[0]: 2, ids[1]: 3},
    }
    with pytest.raises(InputError, match="doit citer une fois chaque pièce du dossier"):
        service.renumber(records, CASE, [ids[0], ids[1]], actor=LAWYER)
    with pytest.raises(InputError):
        service.renumber(records, CASE, [ids[0], ids[0], ids[1]], actor=LAWYER)
    # The same order again changes nothing and records nothing.
    before = len(records.history(CASE))
    service.renumber(records, CASE, [ids[2], ids[0], ids[1]], actor=LAWYER)
    assert len(records.history(CASE)) == before
    # A new pièce comes after the last one.
    assert add(store, records, pdf("next"))["piece"] == 4


def test_a_piece_s_date_and_designation_are_corrected_never_its_file(store, records):
    """A devis uploaded without its date or designation: both are corrected afterwards, as a
    recorded act (who, when, why, the values before and after); its bytes, versions and
    hashes stay as uploaded, and the bordereau reads the corrected pièce."""
    receipt = add(store, records, pdf("D-77"), kind="devis", filename="scan 12.pdf")
    uploaded = records.get_piece(receipt["id"])
    edit = service.edit_details(
        records,
        receipt["id"],
        actor=LAWYER,
        piece_date=date(2026, 3, 1),
        description="  Devis n° 77 accepté  ",
        reason="date oubliée au dépôt",
        now=NOW,
    )
    assert (edit.before, edit.changed) == (
        PieceDetails(None, "", "devis"),
        ("date", "description"),
    )
    piece = records.get_piece(receipt["id"])
    assert (piece.date, piece.description) == (date(2026, 3, 1), "Devis n° 77 accepté")
    assert piece.versions == uploaded.versions  # same bytes, SHA-256, BLAKE3, names
    assert piece.current.sha256 == receipt["sha256"] == sha(pdf("D-77"))
    assert records.history(CASE)[-1] == PieceEvent(
        CASE,
        receipt["id"],
        "edited",
        NOW,
        "Me Durand",
        reason="date oubliée au dépôt",
        details={
            "number": 1,
            "before": {"date": None, "description": ""},
            "after": {"date": "2026-03-01", "description": "Devis n° 77 accepté"},
        },
    )
    [line] = bordereau(records.list_pieces(CASE))
    assert (line.title, line.date, line.filename, line.sha256) == (
        "Devis n° 77 accepté",
        date(2026, 3, 1),
        "01 - Devis n° 77 accepté.pdf",
        receipt["sha256"],
    )
    assert text_index([line], "2026/0042").splitlines()[-1] == (
        "Pièce n° 1 : Devis n° 77 accepté (du 1er mars 2026)"
    )
    # One field alone; the other keeps its value.
    edit = service.edit_details(
        records, receipt["id"], actor=LAWYER, piece_date=date(2026, 3, 2), now=NOW
    )
    assert edit.changed == ("date",)
    assert records.get_piece(receipt["id"]).description == "Devis n° 77 accepté"
    assert records.history(CASE)[-1].details == {
        "number": 1,
        "before": {"date": "2026-03-01"},
        "after": {"date": "2026-03-02"},
    }
    # The same values again change nothing and record nothing.
    count = len(records.history(CASE))
    same = service.edit_details(
        records,
        receipt["id"],
        actor=LAWYER,
        piece_date=date(2026, 3, 2),
        description="Devis n° 77 accepté",
    )
    assert same.changed == () and len(records.history(CASE)) == count
    # A date removed: the pièce is undated again (« sans date » on the bordereau).
    assert service.edit_details(records, receipt["id"], actor=LAWYER, piece_date=None).changed == (
        "date",
    )
    assert records.get_piece(receipt["id"]).date is None


def test_a_correction_is_refused_with_its_reason_and_changes_nothing(store, records):
    a = add(store, records, pdf("a"), description="Facture de mars")
    b = add(store, records, pdf("b"))
    with pytest.raises(InvalidFields) as too_long:
        service.edit_details(
            records, a["id"], actor=LAWYER, description="x" * 1001, reason="y" * 501
        )
    assert too_long.value.errors == {
        "description": "désignation : 1001 caractères, au plus 1000 sont admis",
        "reason": "motif : 501 caractères, au plus 500 sont admis",
    }
    with pytest.raises(NotFound, match="la pièce id 1 n'est pas une pièce de ce dossier"):
        service.edit_details(records, a["id"], actor=LAWYER, description="x", case_id=CASE + 1)
    with pytest.raises(NotFound, match="la pièce id 99 n'existe pas"):
        service.edit_details(records, 99, actor=LAWYER, description="x")
    # Corrected meanwhile by someone else: the stale correction is not written over it.
    piece = records.get_piece(a["id"])
    with pytest.raises(Conflict, match="la pièce n° 1 a été modifiée entre-temps"):
        records.set_details(
            a["id"],
            PieceDetails(date(2026, 1, 1), piece.description, piece.kind),
            PieceDetails(date(2026, 2, 2), "autre", piece.kind),
            PieceEvent(CASE, a["id"], "edited", NOW, "Me Durand"),
        )
    service.delete_piece(records, b["id"], actor=LAWYER, reason="doublon", now=NOW)
    with pytest.raises(Conflict, match="a été retirée le 24 novembre 2026 : elle ne figure plus"):
        service.edit_details(records, b["id"], actor=LAWYER, piece_date=date(2026, 3, 1))
    assert records.get_piece(a["id"]).details == PieceDetails(None, "Facture de mars", "facture")
    assert [e.action for e in records.history(CASE)] == ["added", "added", "deleted"]


def test_a_piece_s_nature_is_corrected_and_the_bordereau_names_it_so(store, records):
    """A devis uploaded as a facture: its nature is corrected (alone, then with its words), as
    a recorded act; the bordereau's title and member name follow, its bytes stay, and the same
    file deposited again is still the duplicate of that pièce, now a devis."""
    receipt = add(store, records, pdf("D-77"), description="Facture n° F-1")
    uploaded = records.get_piece(receipt["id"])
    assert [line.title for line in bordereau(records.list_pieces(CASE))] == ["Facture n° F-1"]
    edit = service.edit_details(
        records, receipt["id"], actor=LAWYER, kind="devis", reason="un devis, pas une facture"
    )
    assert (edit.before, edit.changed) == (
        PieceDetails(None, "Facture n° F-1", "facture"),
        ("kind",),
    )
    assert records.get_piece(receipt["id"]).details == PieceDetails(None, "Facture n° F-1", "devis")
    assert records.history(CASE)[-1].details == {
        "number": 1,
        "before": {"kind": "facture"},
        "after": {"kind": "devis"},
    }
    assert records.history(CASE)[-1].reason == "un devis, pas une facture"
    [line] = bordereau(records.list_pieces(CASE))
    assert (line.title, line.filename) == (
        "Devis - Facture n° F-1",
        "01 - Devis - Facture n° F-1.pdf",
    )
    # Nature, date and words at once: the fields changed in the bordereau's order.
    edit = service.edit_details(
        records,
        receipt["id"],
        actor=LAWYER,
        kind="bon_de_commande",
        piece_date=date(2026, 3, 1),
        description="",
        now=NOW,
    )
    assert edit.changed == ("kind", "date", "description")
    assert records.history(CASE)[-1].details == {
        "number": 1,
        "before": {"kind": "devis", "date": None, "description": "Facture n° F-1"},
        "after": {"kind": "bon_de_commande", "date": "2026-03-01", "description": ""},
    }
    edit = service.edit_details(records, receipt["id"], actor=LAWYER, kind="devis")
    [line] = bordereau(records.list_pieces(CASE))
    assert (line.title, line.filename, line.sha256) == (
        "Devis",
        "01 - Devis.pdf",
        receipt["sha256"],
    )
    assert (
        text_index([line], "2026/0042").splitlines()[-1] == "Pièce n° 1 : Devis (du 1er mars 2026)"
    )
    assert records.get_piece(receipt["id"]).versions == uploaded.versions  # the same bytes
    assert service.edit_details(records, receipt["id"], actor=LAWYER, kind="devis").changed == ()
    with pytest.raises(service.DuplicatePiece) as again:
        add(store, records, pdf("D-77"), on_duplicate="ask")
    assert again.value.extra is not None
    assert (again.value.extra["existing"]["number"], again.value.extra["existing"]["kind"]) == (
        1,
        "devis",
    )


def test_an_unknown_nature_is_refused_with_the_choices_in_french(store, records):
    a = add(store, records, pdf("a"), kind="contrat")
    choices = (
        "« Devis » (devis), « Bon de commande » (bon_de_commande), « Facture » (facture), "
        "« Contrat » (contrat), « Mise en demeure » (mise_en_demeure), « Accusé de réception » "
        "(accuse_reception), « Acte de commissaire de justice » (acte_commissaire), « Pièce » "
        "(autre)"
    )
    with pytest.raises(InvalidFields) as unknown:
        service.edit_details(records, a["id"], actor=LAWYER, kind="Devis", piece_date=None)
    assert unknown.value.errors == {
        "kind": f"nature de la pièce : « Devis » inconnue (choisir : {choices})"
    }
    with pytest.raises(InvalidFields) as empty:
        service.edit_details(records, a["id"], actor=LAWYER, kind=" ")
    assert empty.value.errors == {"kind": f"nature de la pièce : obligatoire (choisir : {choices})"}
    # Corrected meanwhile to another nature: the stale correction is not written over it.
    piece = records.get_piece(a["id"])
    with pytest.raises(Conflict, match="la nature, la date ou la désignation de la pièce n° 1"):
        records.set_details(
            a["id"],
            PieceDetails(None, "", "facture"),
            PieceDetails(None, "", "devis"),
            PieceEvent(CASE, a["id"], "edited", NOW, "Me Durand"),
        )
    assert records.get_piece(a["id"]) == piece
    assert [e.action for e in records.history(CASE)] == ["added"]


@pytest.mark.parametrize(
    ("given", "original", "safe"),
    [
        ("../../etc/passwd", "../../etc/passwd", "passwd"),
        ("..\\..\\boot.ini", "..\\..\\boot.ini", "boot.ini"),
        ("facture\x00.pdf", "facture\ufffd.pdf", "facture_.pdf"),
        (b"relev\xe9 mars.pdf", "relev\ufffd mars.pdf", "relev\ufffd mars.pdf"),
        ("relev\udce9.pdf", "relev\ufffd.pdf", "relev\ufffd.pdf"),
        ("..", "..", "piece"),
        ("CON.txt", "CON.txt", "_CON.txt"),
    ],
)
def test_filenames_are_kept_as_given_and_stored_safely(store, records, given, original, safe):
    receipt = add(store, records, pdf("data"), filename=given)
    version = records.get_piece(receipt["id"]).current
    assert (version.original_name, version.safe_name) == (original, safe)


def test_a_300_character_name_is_cut_keeping_its_extension(store, records):
    given = "é" * 300 + ".pdf"
    receipt = add(store, records, pdf("data"), filename=given)
    version = records.get_piece(receipt["id"]).current
    assert version.original_name == given
    assert version.safe_name.endswith(".pdf")
    assert len(version.safe_name.encode()) <= 150
    assert version.safe_name == "é" * 73 + ".pdf"


def test_verify_on_an_empty_store_is_ok(store, records):
    report = service.verify(store, records, orphan_grace=timedelta(0))
    assert report.ok and report.checked == 0 and report.orphans == []
