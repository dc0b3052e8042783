"""`casefile render`: each render is stored, hashed and versioned, and listed on the case."""

from __future__ import annotations

import asyncio
import hashlib
import io
import zipfile
from datetime import date
from pathlib import Path

import pytest

from casefile.cli import main
from tests.integration.conftest import Env, create_case


def _documents(case: str) -> list[dict[str, object]]:
    from casefile.settings import get_settings
    from casefile.store import db
    from casefile.store.documents import list_documents
    from casefile.store.users import SYSTEM

    async def work() -> list[dict[str, object]]:
        await db.connect(get_settings().database_url)
        try:
            return await list_documents(case, SYSTEM)
        finally:
            await db.close()

    return asyncio.run(work())


def test_render_stores_a_new_version_each_time_and_lists_it(
    env: Env, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    case_id = create_case("IP-RENDER")
    first_out, second_out = tmp_path / "requete-1.docx", tmp_path / "requete-2.docx"
    assert main(["render", "IP-RENDER", "requete_injonction_tj", "-o", str(first_out)]) == 0
    out = capsys.readouterr()
    assert "requete_injonction_tj version 1" in out.out
    assert "note : Juridiction (nom, adresse du greffe, ville) : à saisir" in out.err
    assert "note : Nature des fournitures (marchandises, services, travaux) : à saisir" in out.err
    assert main(["render", str(case_id), "requete_injonction_tj", "-o", str(second_out)]) == 0
    assert "version 2" in capsys.readouterr().out
    assert main(["render", "IP-RENDER", "decompte_creance", "-o", str(tmp_path / "d.docx")]) == 0

    listed = _documents("IP-RENDER")
    assert [(d["template"], d["version"]) for d in listed] == [
        ("requete_injonction_tj", 1),
        ("requete_injonction_tj", 2),
        ("decompte_creance", 1),
    ]
    first = first_out.read_bytes()
    assert listed[0]["sha256"] == hashlib.sha256(first).hexdigest()
    assert listed[0]["size"] == len(first)
    assert env.object_path(str(listed[0]["sha256"])).read_bytes() == first
    assert listed[0]["filename"] == (
        "IP-RENDER - Requête en injonction de payer (tribunal judiciaire) v1.docx"
    )

    with zipfile.ZipFile(io.BytesIO(first)) as document:
        xml = document.read("word/document.xml").decode("utf-8")
    assert "Tribunal judiciaire de Paris" in xml
    assert "Dupont &amp; Fils &lt;SARL&gt;" in xml
    assert "F-2026-001" in xml


def test_render_without_output_writes_the_stored_name_in_the_current_folder(
    env: Env, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    create_case("IP-CWD")
    monkeypatch.chdir(tmp_path)
    assert main(["render", "IP-CWD", "bordereau_pieces"]) == 0
    assert (tmp_path / "IP-CWD - Bordereau de communication de pièces v1.docx").is_file()


def test_render_of_an_unknown_template_names_the_known_ones(
    env: Env, capsys: pytest.CaptureFixture[str]
) -> None:
    create_case("IP-UNKNOWN")
    assert main(["render", "IP-UNKNOWN", "plaidoirie", "-o", "/nonexistent/x.docx"]) == 2
    err = capsys.readouterr().err
    assert "modèle de document inconnu « plaidoirie » ; modèles connus : " in err
    assert "requete_injonction_tj" in err
    assert _documents("IP-UNKNOWN") == []


def test_a_template_for_the_other_court_is_refused(
    env: Env, capsys: pytest.CaptureFixture[str]
) -> None:
    create_case("IP-COURT")
    assert main(["render", "IP-COURT", "requete_injonction_tc", "-o", "x.docx"]) == 2
    assert "est rédigé pour un tribunal de commerce, pas pour « " in capsys.readouterr().err


def test_the_court_is_named_only_where_the_department_has_a_single_seat() -> None:
    from casefile.store.documents import court_for

    court, place, missing, _ = court_for("tribunal_judiciaire", "67")
    assert court.name == "[tribunal judiciaire compétent (département 67) à compléter]"
    assert court.address == "[adresse du greffe à compléter]"
    assert place == "[lieu à compléter]"
    [court_missing] = missing
    assert court_missing.what == "Juridiction (nom, adresse du greffe, ville)"
    assert court_missing.fields == ("tribunal_nom", "tribunal_titre", "tribunal_adresse", "lieu")
    assert "choisir la juridiction du dossier" in court_missing.text()
    court, _, _, _ = court_for("tribunal_de_commerce", "67")
    assert court.kind == "tribunal_de_commerce"
    assert court.name == (
        "[tribunal judiciaire (chambre commerciale) compétent (département 67) à compléter]"
    )
    court, place, _, _ = court_for("tribunal_judiciaire", "2A")
    assert (court.name, place) == ("Tribunal judiciaire d'Ajaccio", "Ajaccio")
    court, place, missing, _ = court_for("tribunal_judiciaire", "75")
    assert (court.name, place) == ("Tribunal judiciaire de Paris", "Paris")
    assert [m.fields for m in missing] == [("tribunal_adresse",)]


def test_a_recorded_court_gives_its_name_greffe_address_and_city() -> None:
    from casefile.store.documents import court_for

    recorded = {  # fictitious test values
        "name": "Tribunal judiciaire d'Essai (chambre commerciale)",
        "postal_address": "1 rue de l'Exemple, 67000 Essai",
        "city": "Essai",
        "greffe_email": "greffe@example.test",
    }
    court, place, missing, _ = court_for("tribunal_de_commerce", "67", recorded)
    assert court.name == "Tribunal judiciaire d'Essai (chambre commerciale)"
    assert court.address == "1 rue de l'Exemple, 67000 Essai"
    assert court.email == "greffe@example.test"
    assert (court.kind, place, missing) == ("tribunal_de_commerce", "Essai", [])


def test_a_missing_rate_makes_the_statement_provisional_never_a_silent_zero(env: Env) -> None:
    """Rates are published per half-year: a document dated in a semester whose rate is not yet
    recorded counts the interest up to the last known semester and says it is provisional."""
    from casefile.settings import get_settings
    from casefile.store import db
    from casefile.store.documents import DocumentSource, case_document_data
    from casefile.store.users import SYSTEM

    create_case("IP-RATES")

    async def work(day: date) -> DocumentSource:
        await db.connect(get_settings().database_url)
        try:
            return await case_document_data("IP-RATES", SYSTEM, day)
        finally:
            await db.close()

    within = asyncio.run(work(date(2026, 5, 15)))
    assert within.data.claim.as_of == date(2026, 5, 15)
    assert within.data.provisional_note is None
    beyond = asyncio.run(work(date(2026, 8, 1)))
    assert beyond.data.claim.as_of == date(2026, 8, 1)
    assert beyond.data.provisional_note is not None
    # In the letter: a bracketed gap for the lawyer, never the software's instructions to its
    # administrator (those are in the list of what to complete).
    assert beyond.data.provisional_note == (
        "[intérêts de retard pour le second semestre 2026 à compléter : taux non encore "
        "enregistré, non comptés dans ce décompte provisoire]"
    )
    assert "administrateur" not in beyond.data.provisional_note
    assert [m.text() for m in beyond.missing if "Taux" in m.what] == [
        "Taux des intérêts de retard pour le second semestre 2026 (décompte provisoire) : à "
        "saisir — un administrateur enregistre le taux publié, avec sa source (page Taux ou "
        "« casefile rate add »)."
    ]
    assert beyond.data.claim.interest > within.data.claim.interest


def test_render_check_lists_in_french_what_each_document_lacks(
    env: Env, capsys: pytest.CaptureFixture[str]
) -> None:
    create_case("IP-CHECK")
    assert main(["render", "--check", "IP-CHECK", "--today", "2026-05-15"]) == 0
    out = capsys.readouterr().out
    assert (
        "Requête en injonction de payer (tribunal judiciaire) (requete_injonction_tj) : à compléter"
        in out
    )
    assert "  - Nature des fournitures (marchandises, services, travaux) : à saisir" in out
    assert "Décompte de créance (decompte_creance)" in out
    assert "requete_injonction_tc" not in out  # not this court's
    assert "demande_formule_executoire" not in out  # no ordonnance of the former regime
    assert _documents("IP-CHECK") == []  # nothing rendered


def test_a_recorded_court_with_a_bracketed_address_is_still_to_complete() -> None:
    """The demo's example courts: their address is a bracketed placeholder, printed as such,
    and the document check says where to enter the real one."""
    from casefile.store.documents import court_for

    recorded = {
        "name": "Tribunal judiciaire de Strasbourg (exemple)",
        "address": "[adresse d'exemple : saisir l'adresse réelle du greffe]",
        "postal_address": "[adresse d'exemple : saisir l'adresse réelle du greffe], 67000 Strasbourg",
        "city": "Strasbourg",
        "greffe_email": "",
    }
    court, place, missing, _ = court_for("tribunal_judiciaire", "67", recorded)
    assert court.name == "Tribunal judiciaire de Strasbourg (exemple)"
    assert court.address == (
        "[adresse d'exemple : saisir l'adresse réelle du greffe], 67000 Strasbourg"
    )
    assert place == "Strasbourg"
    [address] = missing
    assert address.fields == ("tribunal_adresse",)
    assert address.text() == (
        "Adresse du greffe de la juridiction « Tribunal judiciaire de Strasbourg (exemple) » : "
        "à saisir — page Juridictions (ou « casefile court edit »), d'après l'annuaire officiel "
        "des juridictions."
    )


def test_render_refuses_a_letter_demanding_nothing_and_stores_nothing(
    env: Env, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Both invoices paid: `casefile render … mise_en_demeure` exits 2 with the French reason
    and what to do instead, writes no file and records no document."""
    create_case("IP-PAID")
    for number, amount in (("F-2026-001", "1200.00"), ("F-2026-002", "830.50")):
        paid = ("--date", "2026-02-01", "--amount", amount, "--invoice", number)
        assert main(["payment", "add", "IP-PAID", *paid]) == 0
    capsys.readouterr()
    out = tmp_path / "mise-en-demeure.docx"
    assert main(["render", "IP-PAID", "mise_en_demeure", "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert "mise_en_demeure : aucune somme n'est due au " in err
    assert "ce document réclamerait 0,00\u00a0€ et n'est pas établi. Enregistrez d'abord " in err
    assert "Traceback" not in err
    assert not out.exists()
    assert _documents("IP-PAID") == []
