"""The job engine on both databases: procrastinate's PostgreSQL connector on a fresh database
(its schema applied as `casefile init` does), and the in-memory connector with SQLite."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from procrastinate import App

from casefile.jobs import app as jobs
from casefile.settings import reset_settings
from tests.store.conftest import Store, store  # noqa: F401 - the fixture


@pytest.fixture
def engine_app(
    store: Store,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> Iterator[App]:
    monkeypatch.setenv("CASEFILE_JOBS_RETRY_SECONDS", "0")
    monkeypatch.setenv("CASEFILE_VAR_DIR", str(tmp_path / "var"))
    monkeypatch.setenv("CASEFILE_EVIDENCE_URL", f"file://{tmp_path}/var/evidence")
    reset_settings()
    if store.engine == "postgres":
        assert store.run(jobs.apply_schema(store.url)) is True
        assert store.run(jobs.apply_schema(store.url)) is False  # a second init: nothing
    app = jobs.bind(store.url)
    # The workers the tests run defer no periodic job by the real clock (each test defers
    # what it means to, at the dates it names).
    saved = app.periodic_defaults
    app.periodic_defaults = {"max_delay": 0}
    store.run(app.open_async())
    try:
        yield app
    finally:
        store.run(app.close_async())
        app.periodic_defaults = saved
        reset_settings()
