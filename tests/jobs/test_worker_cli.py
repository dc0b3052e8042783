"""`casefile init` applies procrastinate's schema on PostgreSQL (once); `casefile worker` runs
the jobs deferred by another process and stops cleanly on SIGTERM."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from procrastinate import App

from casefile.jobs import app as jobs
from tests.store.conftest import POSTGRES_ADMIN_URL, _admin, _postgres_database

pytestmark = pytest.mark.postgres


@pytest.fixture
def database(tmp_path: Path) -> Iterator[dict[str, str]]:
    name = _postgres_database()
    url = POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    env = {
        **os.environ,
        "CASEFILE_DATABASE_URL": url,
        "CASEFILE_VAR_DIR": str(tmp_path),
        "CASEFILE_EVIDENCE_URL": f"file://{tmp_path}/evidence",
    }
    try:
        yield env
    finally:
        _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "casefile", *args], env=env, capture_output=True, text=True
    )


def test_init_applies_the_schema_and_a_worker_runs_what_another_process_deferred(
    database: dict[str, str],
) -> None:
    first = cli(database, "init")
    assert first.returncode == 0, first.stderr
    assert "tâches : schéma procrastinate appliqué" in first.stdout
    again = cli(database, "init")
    assert "tâches : schéma procrastinate à jour" in again.stdout

    night = int(datetime(2026, 11, 30, 1, 30, tzinfo=UTC).timestamp())
    url = database["CASEFILE_DATABASE_URL"]

    async def defer() -> None:
        other = App(connector=jobs.connector_for(url))
        async with other.open_async():
            await other.configure_task("recompute_pending").defer_async(timestamp=night)

    asyncio.run(defer())
    worker = subprocess.Popen(
        [sys.executable, "-m", "casefile", "worker", "--concurrency", "2"],
        env=database,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        status = None
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:

            async def read() -> str | None:
                other = App(connector=jobs.connector_for(url))
                async with other.open_async():
                    return (await other.job_manager.get_job_status_async(1)).value

            status = asyncio.run(read())
            if status == "succeeded":
                break
            time.sleep(0.3)
        assert status == "succeeded"
    finally:
        worker.send_signal(signal.SIGTERM)
        output, _ = worker.communicate(timeout=30)
    assert worker.returncode == 0, output
    assert "casefile worker : PostgreSQL, 2 tâche(s) à la fois" in output
