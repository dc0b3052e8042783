"""The pièces' records over piccolo, driven by the evidence service as the CLI and API do:
the service runs in a worker thread, the records hop back to the database's event loop."""

from __future__ import annotations

import asyncio
import io
from hashlib import sha256

from blake3 import blake3

from casefile.evidence import service
from casefile.evidence.local import LocalStore
from casefile.evidence.records import Actor
from casefile.services import cases
from casefile.store.permissions import SYSTEM
from casefile.store.pieces import PiccoloPieceRecords
from tests.store.helpers import new_case

LAWYER = Actor("me_dupont", "avocat")


def test_pieces_are_numbered_versioned_renumbered_and_withdrawn(store, tmp_path):
    case = store.run(cases.create_case(new_case(), SYSTEM))
    objects = LocalStore(tmp_path / "evidence")

    async def scenario():
        records = PiccoloPieceRecords(asyncio.get_running_loop())

        def work():
            first = service.add_piece(
                objects,
                records,
                case["id"],
                io.BytesIO(b"%PDF-1.4 facture"),
                filename="Facture F-1.pdf",
                kind="facture",
                actor=LAWYER,
                invoices=["F-1"],
            )
            second = service.add_piece(
                objects,
                records,
                case["id"],
                io.BytesIO(b"contrat"),
                filename="contrat.txt",
                kind="contrat",
                actor=LAWYER,
            )
            service.add_version(
                objects,
                records,
                first["id"],
                io.BytesIO(b"%PDF-1.4 facture v2"),
                filename="Facture F-1 (2).pdf",
                actor=LAWYER,
            )
            renumbered = service.renumber(
                records, case["id"], [second["id"], first["id"]], actor=LAWYER
            )
            withdrawn = service.delete_piece(
                records, second["id"], actor=LAWYER, reason="pièce produite par erreur"
            )
            return (
                first,
                second,
                renumbered,
                withdrawn,
                records.history(case["id"]),
                list(records.referenced_objects()),
                records.get_piece(first["id"]),
                sorted(records.recorded_blake3()),
            )

        return await asyncio.to_thread(work)

    first, second, renumbered, withdrawn, history, referenced, versioned, blake3s = store.run(
        scenario()
    )
    assert (first["piece"], second["piece"]) == (1, 2)
    assert [(p.id, p.number) for p in renumbered] == [(second["id"], 1), (first["id"], 2)]
    assert withdrawn.number is None and withdrawn.deletion_reason == "pièce produite par erreur"
    assert [e.action for e in history] == ["added", "added", "versioned", "renumbered", "deleted"]
    assert len(referenced) == 3
    # The BLAKE3 digest of each version (migration 2026-11-30T12:12), beside its SHA-256.
    digests = [(v.sha256, v.blake3) for v in versioned.versions]
    assert digests == [
        (sha256(b"%PDF-1.4 facture").hexdigest(), blake3(b"%PDF-1.4 facture").hexdigest()),
        (sha256(b"%PDF-1.4 facture v2").hexdigest(), blake3(b"%PDF-1.4 facture v2").hexdigest()),
    ]
    assert blake3s == sorted(
        [*digests, (sha256(b"contrat").hexdigest(), blake3(b"contrat").hexdigest())]
    )
    shown = store.run(cases.get_case(case["id"], SYSTEM))
    assert [(e["piece"], e["version"], e["filename"]) for e in shown["evidence"]] == [
        (2, 2, "Facture F-1 (2).pdf")
    ]
    assert shown["evidence"][0]["invoice_numbers"] == ["F-1"]


def test_a_case_knows_whether_one_of_its_pieces_or_bundles_failed_its_hash(store):
    """What decides that a case's ZIP is checked whole before it streams: an incident of the
    case (a pièce's download or a bundle refused), open until the same file is repaired."""
    from casefile.store import audit

    first = store.run(cases.create_case(new_case("INC-1"), SYSTEM))["id"]
    other = store.run(cases.create_case(new_case("INC-2"), SYSTEM))["id"]
    assert not store.run(audit.case_has_open_integrity_incident(first))
    store.run(audit.record_integrity_incident(SYSTEM, "piece", f"{other}:7", "ab" * 32, "x"))
    assert not store.run(audit.case_has_open_integrity_incident(first))
    assert store.run(audit.case_has_open_integrity_incident(other))
    store.run(audit.record_integrity_incident(SYSTEM, "case", first, "cd" * 32, "y"))
    assert store.run(audit.case_has_open_integrity_incident(first))


def test_an_incident_closes_when_the_same_file_is_repaired_after_it(store):
    """`piece.repaired` (the original deposited again) closes the incidents of the case that
    name its SHA-256 and came before it; another file's repair, another case's, or a repair
    before a new incident closes nothing; an incident without a known digest never closes."""
    from casefile.store import audit

    case = store.run(cases.create_case(new_case("INC-3"), SYSTEM))["id"]
    elsewhere = store.run(cases.create_case(new_case("INC-4"), SYSTEM))["id"]
    altered, sound = "ab" * 32, "ef" * 32

    def repaired(case_id: int, digest: str) -> None:
        store.run(
            audit.record(
                SYSTEM, audit.PIECE_REPAIRED, "piece", f"{case_id}:3", None, {"sha256": digest}
            )
        )

    store.run(audit.record_integrity_incident(SYSTEM, "piece", f"{case}:3", altered, "x"))
    store.run(audit.record_integrity_incident(SYSTEM, "case", case, altered, "y"))
    repaired(case, sound)  # another file of the case
    repaired(elsewhere, altered)  # the same file, another case
    assert store.run(audit.case_has_open_integrity_incident(case))
    repaired(case, altered)
    assert not store.run(audit.case_has_open_integrity_incident(case))
    # Altered again after the repair: open again.
    store.run(audit.record_integrity_incident(SYSTEM, "case", case, altered, "z"))
    assert store.run(audit.case_has_open_integrity_incident(case))
    repaired(case, altered)
    assert not store.run(audit.case_has_open_integrity_incident(case))
    # A ZIP refused without knowing which pièce failed: nothing can close it.
    store.run(audit.record_integrity_incident(SYSTEM, "case", case, "", "w"))
    repaired(case, altered)
    assert store.run(audit.case_has_open_integrity_incident(case))


def test_a_piece_s_details_are_corrected_in_one_guarded_write_and_recorded(store, tmp_path):
    """The date and description of a pièce, corrected through the piccolo records on both
    engines: written only if still as read, recorded in the case's pièce history (the audit
    log, entity "piece"), the versions untouched."""
    from datetime import date

    from casefile.errors import Conflict
    from casefile.evidence.records import PieceDetails, PieceEvent

    case = store.run(cases.create_case(new_case(), SYSTEM))
    objects = LocalStore(tmp_path / "evidence")

    async def scenario():
        records = PiccoloPieceRecords(asyncio.get_running_loop())

        def work():
            receipt = service.add_piece(
                objects,
                records,
                case["id"],
                io.BytesIO(b"%PDF-1.4 devis 77"),
                filename="devis.pdf",
                kind="devis",
                actor=LAWYER,
            )
            edit = service.edit_details(
                records,
                receipt["id"],
                actor=LAWYER,
                piece_date=date(2026, 3, 1),
                description="Devis n° 77 accepté",
                reason="date oubliée",
            )
            try:
                records.set_details(  # as read before that correction: refused
                    receipt["id"],
                    PieceDetails(None, "", "devis"),
                    PieceDetails(date(2027, 1, 1), "périmé", "devis"),
                    PieceEvent(
                        case["id"], receipt["id"], "edited", edit.piece.versions[0].added_at, "x"
                    ),
                )
            except Conflict as error:
                stale = str(error)
            else:
                stale = ""
            return (
                edit,
                stale,
                records.get_piece(receipt["id"]),
                records.history(case["id"]),
            )

        return await asyncio.to_thread(work)

    edit, stale, piece, history = store.run(scenario())
    assert edit.changed == ("date", "description")
    assert (piece.date, piece.description) == (date(2026, 3, 1), "Devis n° 77 accepté")
    assert [(v.version, v.sha256) for v in piece.versions] == [
        (1, sha256(b"%PDF-1.4 devis 77").hexdigest())
    ]
    assert stale.startswith(
        "la nature, la date ou la désignation de la pièce n° 1 a été modifiée entre-temps"
    )
    assert [e.action for e in history] == ["added", "edited"]
    assert (history[1].by, history[1].reason, history[1].details) == (
        "me_dupont",
        "date oubliée",
        {
            "number": 1,
            "before": {"date": None, "description": ""},
            "after": {"date": "2026-03-01", "description": "Devis n° 77 accepté"},
        },
    )
    shown = store.run(cases.get_case(case["id"], SYSTEM))
    assert [(e["piece"], e["date"], e["description"]) for e in shown["evidence"]] == [
        (1, "2026-03-01", "Devis n° 77 accepté")
    ]


def test_a_piece_s_nature_is_corrected_in_the_same_guarded_write(store, tmp_path):
    """A devis uploaded as a facture, on both engines: its kind is written only if the pièce
    is still as read (a stale correction of another nature is refused), recorded with its
    before and after, and the case and the search read the new nature."""
    from casefile.errors import Conflict
    from casefile.evidence.records import PieceDetails, PieceEvent
    from casefile.services import search

    case = store.run(cases.create_case(new_case(), SYSTEM))
    objects = LocalStore(tmp_path / "evidence")

    async def scenario():
        records = PiccoloPieceRecords(asyncio.get_running_loop())

        def work():
            receipt = service.add_piece(
                objects,
                records,
                case["id"],
                io.BytesIO(b"%PDF-1.4 devis 78"),
                filename="scan.pdf",
                kind="facture",
                description="n° D-78",
                actor=LAWYER,
            )
            edit = service.edit_details(
                records, receipt["id"], actor=LAWYER, kind="devis", reason="un devis"
            )
            try:
                records.set_details(  # as read before that correction: refused
                    receipt["id"],
                    PieceDetails(None, "n° D-78", "facture"),
                    PieceDetails(None, "n° D-78", "contrat"),
                    PieceEvent(
                        case["id"], receipt["id"], "edited", edit.piece.versions[0].added_at, "x"
                    ),
                )
            except Conflict as error:
                stale = str(error)
            else:
                stale = ""
            return edit, stale, records.get_piece(receipt["id"]), records.history(case["id"])

        return await asyncio.to_thread(work)

    edit, stale, piece, history = store.run(scenario())
    assert (edit.changed, edit.before.kind) == (("kind",), "facture")
    assert (piece.kind, piece.description, piece.date) == ("devis", "n° D-78", None)
    assert [(v.version, v.sha256) for v in piece.versions] == [
        (1, sha256(b"%PDF-1.4 devis 78").hexdigest())
    ]
    assert stale.startswith(
        "la nature, la date ou la désignation de la pièce n° 1 a été modifiée entre-temps"
    )
    assert [e.action for e in history] == ["added", "edited"]
    assert (history[1].reason, history[1].details) == (
        "un devis",
        {"number": 1, "before": {"kind": "facture"}, "after": {"kind": "devis"}},
    )
    shown = store.run(cases.get_case(case["id"], SYSTEM))
    assert [(e["piece"], e["kind"], e["description"]) for e in shown["evidence"]] == [
        (1, "devis", "n° D-78")
    ]
    # The search finds it by its new nature, no longer by the old one.
    found = store.run(search.search_pieces(SYSTEM, "devis D-78"))
    assert [(h.piece_id, h.kind, h.kind_label) for h in found.items] == [
        (piece.id, "devis", "Devis")
    ]
    assert store.run(search.search_pieces(SYSTEM, "facture D-78")).items == []


def test_a_commissaire_corrects_only_the_pieces_they_deposited(store, tmp_path):
    """Their own acts, yes; the lawyer's pièce — even after they deposited a new version of
    it — no: its nature and designation at the bordereau are the lawyer's."""
    from casefile.errors import Forbidden
    from casefile.services import piece_details
    from casefile.store.users import create_user

    bailiff, _ = store.run(create_user("me_kleber", "commissaire_de_justice"))
    lawyer, _ = store.run(create_user("me_dupont", "avocat"))
    case = store.run(cases.create_case(new_case(commissaire="me_kleber"), SYSTEM))
    objects = LocalStore(tmp_path / "evidence")

    async def deposit():
        records = PiccoloPieceRecords(asyncio.get_running_loop())

        def work():
            theirs = service.add_piece(
                objects,
                records,
                case["id"],
                io.BytesIO(b"%PDF-1.4 facture"),
                filename="facture.pdf",
                kind="facture",
                actor=LAWYER,
            )
            service.add_version(
                objects,
                records,
                theirs["id"],
                io.BytesIO(b"%PDF-1.4 facture scannee"),
                filename="facture.pdf",
                actor=Actor("me_kleber", "commissaire_de_justice"),
            )
            own = service.add_piece(
                objects,
                records,
                case["id"],
                io.BytesIO(b"%PDF-1.4 proces-verbal"),
                filename="pv.pdf",
                kind="acte_commissaire",
                actor=Actor("me_kleber", "commissaire_de_justice"),
            )
            return theirs["id"], own["id"]

        return await asyncio.to_thread(work)

    theirs, own = store.run(deposit())
    assert store.run(piece_details.correctable_pieces(case["id"], bailiff)) == {own}
    assert store.run(piece_details.correctable_pieces(case["id"], lawyer)) is None
    try:
        store.run(piece_details.edit_details(theirs, bailiff, kind="devis"))
    except Forbidden as refused:
        assert str(refused).startswith("la pièce n° 1 (Facture) n'a pas été déposée par vous")
    else:
        raise AssertionError("the lawyer's pièce was corrected by the commissaire")
    done = store.run(piece_details.edit_details(own, bailiff, description="PV de signification"))
    assert done.changed == ["description"]
    assert store.run(piece_details.edit_details(own, lawyer, kind="autre")).changed == ["kind"]
