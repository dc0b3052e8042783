"""`casefile evidence add | verify` and `casefile bundle` against a real database and folder."""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import os
import re
import time
import zipfile
from pathlib import Path

import pytest

from casefile.cli import main
from tests.integration.conftest import Env, create_case

PDF = b"%PDF-1.4\n% facture F-2026-001\n" + b"0" * 3000 + b"\n%%EOF\n"
CONTRACT = b"%PDF-1.4\n% contrat cadre\n" + b"1" * 2000 + b"\n%%EOF\n"


def add(
    capsys: pytest.CaptureFixture[str], case: str, path: Path, kind: str, *extra: str
) -> dict[str, object]:
    assert (
        main(["evidence", "add", case, str(path), "--kind", kind, *extra, "--format", "json"]) == 0
    )
    result: dict[str, object] = json.loads(capsys.readouterr().out)
    return result


def test_evidence_add_prints_the_contract_fields(
    env: Env, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    create_case("IP-ADD")
    invoice = tmp_path / "facture F-2026-001.pdf"
    invoice.write_bytes(PDF)
    first = add(capsys, "IP-ADD", invoice, "facture", "--date", "2026-01-05")
    assert set(first) == {"id", "piece", "sha256", "size", "kind"}
    assert first["piece"] == 1
    assert first["kind"] == "facture"
    assert first["size"] == len(PDF)
    assert first["sha256"] == hashlib.sha256(PDF).hexdigest()
    assert env.object_path(str(first["sha256"])).read_bytes() == PDF

    contract = tmp_path / "contrat.pdf"
    contract.write_bytes(CONTRACT)
    second = add(capsys, "IP-ADD", contract, "contrat", "--description", "Contrat cadre")
    assert second["piece"] == 2


def test_evidence_add_says_what_it_stored_in_french(
    env: Env, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """It printed the kind's key and bytes: '(bon_de_commande) … 3046 octets, sha256 …'."""
    create_case("IP-TEXT")
    order = tmp_path / "bon.pdf"
    order.write_bytes(PDF)
    assert main(["evidence", "add", "IP-TEXT", str(order), "--kind", "bon_de_commande"]) == 0
    first = capsys.readouterr().out.splitlines()[0]
    assert first.startswith("pièce n° 1 (Bon de commande) id ")
    assert first.endswith(f" : 3,0\u00a0Ko, empreinte SHA-256 {hashlib.sha256(PDF).hexdigest()}")


def test_evidence_add_refuses_an_unknown_kind(
    env: Env, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    create_case("IP-KIND")
    path = tmp_path / "x.pdf"
    path.write_bytes(PDF)
    assert main(["evidence", "add", "IP-KIND", str(path), "--kind", "photo"]) == 2
    assert "type de pièce « photo » inconnu (attendu : " in capsys.readouterr().err
    stored = [p for p in env.evidence.rglob("*") if p.is_file() and ".tmp" not in p.parts]
    assert stored == []


def _age(path: Path, seconds: int = 7200) -> None:
    past = time.time() - seconds
    os.utime(path, (past, past))


def test_verify_reports_a_corrupted_object_and_an_orphan_and_fix_removes_the_orphan(
    env: Env, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from casefile.commands.evidence import verify
    from casefile.evidence.backends import open_store

    create_case("IP-VERIFY")
    good, bad = tmp_path / "good.pdf", tmp_path / "bad.pdf"
    good.write_bytes(PDF)
    bad.write_bytes(CONTRACT)
    add(capsys, "IP-VERIFY", good, "facture")
    corrupted = add(capsys, "IP-VERIFY", bad, "contrat")
    # A generated document shares the store: it must not be taken for an orphan.
    assert main(["render", "IP-VERIFY", "bordereau_pieces", "-o", str(tmp_path / "b.docx")]) == 0
    capsys.readouterr()

    target = env.object_path(str(corrupted["sha256"]))
    target.chmod(0o644)
    target.write_bytes(CONTRACT.replace(b"1", b"2", 1))  # same size, one byte changed
    orphan = open_store().put_stream(io.BytesIO(b"left behind by a failed commit"))
    for path in env.evidence.rglob("*"):
        if path.is_file():
            _age(path)

    assert main(["evidence", "verify", "--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] is False
    assert report["mismatched"] == [corrupted["sha256"]]
    assert report["orphans"] == [orphan.sha256]
    assert report["missing"] == []
    assert report["checked"] == 3  # two pièces and the rendered document

    # `--fix` is read with getattr until cli.py declares it.
    assert verify(argparse.Namespace(format="json", fix=True)) == 1
    fixed = json.loads(capsys.readouterr().out)
    assert fixed["removed"] == [orphan.sha256]
    assert not env.object_path(orphan.sha256).exists()
    assert env.object_path(str(corrupted["sha256"])).exists()  # evidence is never deleted


def test_verify_of_a_sound_store_is_ok(
    env: Env, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    create_case("IP-SOUND")
    path = tmp_path / "f.pdf"
    path.write_bytes(PDF)
    add(capsys, "IP-SOUND", path, "facture")
    assert main(["evidence", "verify", "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report == {
        "ok": True,
        "checked": 1,
        "bytes": len(PDF),
        "missing": [],
        "mismatched": [],
        "orphans": [],
        "pending": [],
        "removed": [],
        "interrupted_uploads": [],
        "uploads_in_progress": [],
        "incidents": [],
    }


def test_bundle_zips_the_pieces_in_order_with_both_bordereaux(
    env: Env, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    create_case("IP-BUNDLE")
    invoice, contract = tmp_path / "facture.pdf", tmp_path / "contrat.pdf"
    invoice.write_bytes(PDF)
    contract.write_bytes(CONTRACT)
    add(capsys, "IP-BUNDLE", contract, "contrat", "--description", "Contrat cadre")
    add(capsys, "IP-BUNDLE", invoice, "facture", "--date", "2026-01-05")
    out = tmp_path / "bundle.zip"
    assert main(["bundle", "IP-BUNDLE", "-o", str(out)]) == 0
    # « 2 pièces », never « pièce(s) »; the size as a person reads it.
    printed = capsys.readouterr().out
    assert re.fullmatch(rf"{re.escape(str(out))} : 2 pièces, \d+,\d\xa0Ko\n", printed), printed

    with zipfile.ZipFile(out) as archive:
        assert archive.testzip() is None
        assert archive.namelist() == [
            "00 - Bordereau.txt",
            "00 - Bordereau de communication de pièces.docx",
            "01 - Contrat cadre.pdf",
            "02 - Facture.pdf",
        ]
        assert archive.read("01 - Contrat cadre.pdf") == CONTRACT
        assert archive.read("02 - Facture.pdf") == PDF
        index = archive.read("00 - Bordereau.txt").decode("utf-8")
        assert "Pièce n° 2 : Facture (du 5 janvier 2026)" in index
        docx = archive.read("00 - Bordereau de communication de pièces.docx")
    with zipfile.ZipFile(io.BytesIO(docx)) as document:
        xml = document.read("word/document.xml").decode("utf-8")
    assert "Dupont &amp; Fils &lt;SARL&gt;" in xml
    assert "Contrat cadre" in xml
    assert not (tmp_path / "bundle.zip.part").exists()


def test_bundle_of_a_case_without_pieces_is_an_error(
    env: Env, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    create_case("IP-EMPTY")
    out = tmp_path / "empty.zip"
    assert main(["bundle", "IP-EMPTY", "-o", str(out)]) == 2
    assert "le dossier IP-EMPTY n'a aucune pièce à communiquer" in capsys.readouterr().err
    assert not out.exists()


@pytest.mark.slow
def test_bundle_format_pdf_writes_the_stamped_dossier_with_the_docx_bordereau(
    env: Env, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import shutil

    from tests.evidence.pdfmake import page_count, page_text, require_poppler, text_pdf

    require_poppler()
    if not shutil.which("soffice"):
        pytest.skip("LibreOffice (soffice) not installed")
    create_case("IP-DOSSIER")
    invoice, contract = tmp_path / "facture.pdf", tmp_path / "contrat.pdf"
    invoice.write_bytes(text_pdf(["Facture F-2026-001"], ["Conditions de vente"]))
    contract.write_bytes(text_pdf(["Contrat cadre signé"]))
    add(capsys, "IP-DOSSIER", contract, "contrat", "--description", "Contrat cadre")
    add(capsys, "IP-DOSSIER", invoice, "facture", "--date", "2026-01-05")
    out = tmp_path / "dossier.pdf"
    assert main(["bundle", "IP-DOSSIER", "--format", "pdf", "-o", str(out)]) == 0
    printed = capsys.readouterr()
    assert re.fullmatch(
        rf"{re.escape(str(out))} : 2 pièces, \d+ pages, \d+,\d\xa0Ko\n", printed.out
    ), printed
    assert not (tmp_path / "dossier.pdf.part").exists()
    pages = page_count(out)
    bordereau = " ".join(page_text(out, 1).split())
    # The bordereau_pieces template, converted by LibreOffice, lists both pièces.
    assert "Dupont" in bordereau and "Contrat cadre" in bordereau, bordereau
    assert "Bordereau — page 1/" in bordereau
    assert "Contrat cadre signé" in page_text(out, pages - 2)
    assert "Pièce n° 1 — page 1/1" in page_text(out, pages - 2)
    assert "Pièce n° 2 — page 1/2" in page_text(out, pages - 1)
    assert "Pièce n° 2 — page 2/2" in page_text(out, pages)
    # The ZIP stays the default.
    zipped = tmp_path / "pieces.zip"
    assert main(["bundle", "IP-DOSSIER", "-o", str(zipped)]) == 0
    assert zipfile.is_zipfile(zipped)


def test_evidence_add_asks_before_adding_a_file_the_case_has(
    env: Env, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    create_case("IP-DUP")
    invoice = tmp_path / "facture.pdf"
    invoice.write_bytes(PDF)
    first = add(capsys, "IP-DUP", invoice, "facture")
    copy = tmp_path / "facture (copie).pdf"
    copy.write_bytes(PDF)
    assert main(["evidence", "add", "IP-DUP", str(copy), "--kind", "facture"]) == 2
    assert "ce fichier est déjà la pièce n° 1 de ce dossier (« facture.pdf »)" in (
        capsys.readouterr().err
    )
    reused = add(capsys, "IP-DUP", copy, "facture", "--reuse")
    assert (reused["id"], reused["piece"]) == (first["id"], 1)
    forced = add(capsys, "IP-DUP", copy, "facture", "--force")
    assert forced["piece"] == 2


def test_extract_counts_the_statuses_in_french(
    env: Env, capsys: pytest.CaptureFixture[str]
) -> None:
    """It printed « 1 version(s) lue(s) (text: 1) »: the status key, in English."""
    create_case("IP-TXT")
    sample = Path(__file__).resolve().parents[2] / "docs" / "examples" / "facture.pdf"
    add(capsys, "IP-TXT", sample, "facture")
    assert main(["evidence", "extract", "--all"]) == 0
    assert capsys.readouterr().out == "1 version(s) lue(s) (texte extrait : 1)\n"
