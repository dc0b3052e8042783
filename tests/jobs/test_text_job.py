"""Reading the text of an upload as a job (issue 16 item 1): on PostgreSQL the upload defers
`extract_text` and a worker reads it; with SQLite outside `serve` the CLI's process reads it at
once; the periodic `extract_pending_texts` catches a version whose job was lost."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from procrastinate import App

from casefile.services import cases, piece_text, piece_uploads
from casefile.store.permissions import SYSTEM
from casefile.store.tables import PieceText
from tests.evidence.pdfs import text_pdf
from tests.jobs.test_jobs import jobs_of, run_worker
from tests.store.conftest import Store
from tests.store.helpers import new_case


def text_status(store: Store) -> list[tuple[str, str]]:
    rows = store.run(PieceText.select(PieceText.status, PieceText.text).order_by(PieceText.id))
    return [(row["status"], row["text"]) for row in rows]


def test_an_upload_has_its_text_read_by_the_job_engine(
    store: Store, engine_app: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CASEFILE_JOBS", "auto")
    from casefile.settings import reset_settings

    reset_settings()
    case = store.run(cases.create_case(new_case("J-TXT"), SYSTEM))
    receipt = store.run(
        piece_uploads.add_piece(
            case["id"],
            io.BytesIO(text_pdf("Mise en demeure reçue le 2 mars")),
            SYSTEM,
            filename="mise-en-demeure.pdf",
            kind="mise_en_demeure",
        )
    )
    text = receipt["analysis"]["text"]
    if store.engine == "postgres":
        assert (text["queued"], text["status"]) == ("deferred", "pending")
        [job] = jobs_of(store, engine_app, "extract_text")
        assert job.task_kwargs == {"version_id": 1} and job.status == "todo"
        run_worker(store, engine_app)
        [job] = jobs_of(store, engine_app, "extract_text")
        assert job.status == "succeeded"
    else:
        # SQLite without a `serve` worker in this process: read at once.
        assert (text["queued"], text["status"], text["label"]) == ("done", "text", "texte extrait")
    assert text_status(store) == [("text", "Mise en demeure reçue le 2 mars")]


def test_a_lost_job_is_caught_by_the_periodic_sweep(store: Store, engine_app: App) -> None:
    case = store.run(cases.create_case(new_case("J-SWEEP"), SYSTEM))
    # Jobs off (the tests' default): the upload leaves the version pending, queued nowhere.
    receipt = store.run(
        piece_uploads.add_piece(
            case["id"],
            io.BytesIO(text_pdf("Relevé de compte")),
            SYSTEM,
            filename="releve.pdf",
            kind="autre",
        )
    )
    assert receipt["analysis"]["text"]["queued"] == "pending"
    assert text_status(store) == [("pending", "")]
    task = engine_app.tasks["extract_pending_texts"]
    store.run(task.defer_async(timestamp=0))
    run_worker(store, engine_app)
    assert text_status(store) == [("text", "Relevé de compte")]
    # Done is done: the same version is not read twice.
    assert store.run(piece_text.extract_version(1))["skipped"] is True


def test_altered_stored_bytes_are_never_read(store: Store, engine_app: App) -> None:
    from casefile.evidence.backends import open_store
    from casefile.evidence.objects import object_key
    from casefile.settings import get_settings
    from casefile.store.tables import PieceVersion

    case = store.run(cases.create_case(new_case("J-ALT"), SYSTEM))
    receipt = store.run(
        piece_uploads.add_piece(
            case["id"],
            io.BytesIO(text_pdf("Contrat cadre")),
            SYSTEM,
            filename="contrat.pdf",
            kind="contrat",
        )
    )
    assert open_store().exists(receipt["sha256"])
    root = get_settings().evidence_url.split("://", 1)[1]
    stored = next(
        path
        for path in Path(root).rglob("*")
        if path.is_file() and path.name == object_key(receipt["sha256"]).rsplit("/", 1)[-1]
    )
    stored.chmod(0o644)
    stored.write_bytes(text_pdf("Contrat falsifié"))
    outcome = store.run(piece_text.extract_version(1))
    assert outcome["status"] == "failed"
    [row] = store.run(PieceText.select(PieceText.status, PieceText.text, PieceText.message))
    assert row["text"] == "" and row["message"].startswith(
        "le fichier stocké ne correspond plus à son empreinte SHA-256"
    )
    # The record keeps the hash of what was uploaded.
    [version] = store.run(PieceVersion.select(PieceVersion.sha256))
    assert version["sha256"] == receipt["sha256"]


def test_a_reader_killed_by_a_signal_is_a_french_status() -> None:
    from casefile.evidence.text_sandbox import _death

    assert _death(-11, b"") == (
        "le lecteur s'est arrêté sur ce fichier (SIGSEGV) : fichier endommagé ou piégé"
    )
    assert _death(-9, b"").startswith("la lecture du fichier a épuisé le temps de calcul")
    assert _death(1, b"MemoryError").startswith("le fichier demande trop de mémoire")
