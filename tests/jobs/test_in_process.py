"""The embedded mode (SQLite, `make run`): `casefile serve` runs the jobs in-process, and the
admin page lists them in French. The nightly occurrence of the last 24 hours is always due
when a server starts, so the recomputation runs once at start-up."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from casefile.jobs import app as jobs
from casefile.settings import reset_settings
from tests.api.conftest import PASSWORD, Api
from tests.api.test_pages import HTML, login


@pytest.fixture
def served(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Api]:
    from litestar.testing import TestClient

    from casefile.store import db, users

    url = f"sqlite:///{tmp_path}/casefile.db"
    monkeypatch.setenv("CASEFILE_DATABASE_URL", url)
    monkeypatch.setenv("CASEFILE_VAR_DIR", str(tmp_path))
    monkeypatch.setenv("CASEFILE_EVIDENCE_URL", f"file://{tmp_path}/evidence")
    monkeypatch.setenv("CASEFILE_JOBS", "auto")
    reset_settings()
    jobs.reset()

    async def prepare() -> None:
        await db.connect(url)
        await db.migrate()
        await users.create_user("admin", "admin", password=PASSWORD)
        await users.create_user("lecteur", "lecteur", password=PASSWORD)
        await db.close()

    asyncio.run(prepare())
    from casefile.api.app import create_app

    with TestClient(create_app(), base_url="http://testserver.local") as client:
        yield Api(client, {}, "", tmp_path)
    jobs.reset()
    reset_settings()


def test_serve_runs_the_nightly_job_in_process_and_the_page_lists_it(served: Api) -> None:
    login(served, "admin")
    deadline = time.monotonic() + 20
    while True:
        page = served.client.get("/admin/taches/", headers=HTML)
        assert page.status_code == 200
        if "terminée" in page.text or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert "<h1>Tâches de fond</h1>" in page.text
    assert "Base SQLite intégrée" in page.text
    assert "Recalcul nocturne des dossiers en cours" in page.text
    assert "terminée" in page.text  # our run record
    assert "réussie" in page.text  # procrastinate's job
    assert "Aucun échec enregistré." in page.text
    assert 'href="/admin/taches/"' in page.text


def test_the_page_is_for_administrators(served: Api) -> None:
    login(served, "lecteur")
    page = served.client.get("/admin/taches/", headers=HTML)
    assert page.status_code == 403
    assert 'href="/admin/taches/"' not in served.client.get("/", headers=HTML).text
