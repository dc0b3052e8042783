"""The deployed topology with real processes (DESIGN §6; Docker images cannot be pulled here):
two `casefile serve` and two `casefile worker` against one fresh PostgreSQL database and the
suite's S3 server, driven by a proxy-less client.

- a case edited through one replica reads back through the other, including what the other had
  just cached (the read caches are emptied by PostgreSQL NOTIFY, well within their 5 s TTL);
- a token revoked on one replica is refused by the other at once;
- the .ics feed is the same bytes with the same ETag from both replicas (304 across them) and
  changes on both after an edit;
- a pièce uploaded through one replica downloads verified through the other; a bundle and an
  import asked for through one replica run on a worker, and their results read through the other;
- each periodic job is deferred once per period however many workers start, each job runs
  exactly once (procrastinate's table and `job_runs`), and a replayed job changes nothing;
- /metrics of each process (loopback, no token) counts what that process did.
"""

from __future__ import annotations

import asyncio
import hashlib
import io
import os
import signal
import subprocess
import sys
import time
import uuid
import zipfile
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.api.server import free_port
from tests.api.test_tasks import CSV
from tests.evidence.conftest import s3_endpoint as s3_endpoint  # the session's moto server
from tests.store.conftest import POSTGRES_ADMIN_URL, _admin, _postgres_database

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

T = TypeVar("T")
PDF = b"%PDF-1.7\n% facture F-2026-117\n" + bytes(range(256)) * 4096 + b"\n%%EOF\n"  # 1 MiB
CASE = {
    "reference": "IP-TOPO-001",
    "procedure": "injonction_de_payer",
    "court": "tribunal_judiciaire",
    "court_department": "75",
    "creditor": {"name": "Fournitures Rhénanes SAS", "kind": "professionnel"},
    "debtor": {"name": "Martin Bâtiment SARL", "kind": "professionnel"},
}


@dataclass
class Stack:
    env: dict[str, str]
    url: str
    replicas: list[str]
    workers: list[str]  # their metrics URLs
    token: str
    admin: str
    logs: Path

    def headers(self, token: str | None = None) -> dict[str, str]:
        return {"Authorization": f"Bearer {token or self.token}"}

    def sql(self, query: str) -> list[dict[str, Any]]:
        import asyncpg

        async def run() -> list[dict[str, Any]]:
            connection = await asyncpg.connect(self.url)
            try:
                return [dict(row) for row in await connection.fetch(query)]
            finally:
                await connection.close()

        return asyncio.run(run())


def cli(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "casefile", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def until(check: Callable[[], T | None], seconds: float, what: str) -> T:
    deadline = time.monotonic() + seconds
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {seconds} s: {what}")
        time.sleep(0.05)


def ready(base: str) -> bool:
    try:
        return httpx.get(f"{base}/health/ready", timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


def samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


@pytest.fixture(scope="module")
def stack(
    tmp_path_factory: pytest.TempPathFactory, s3_endpoint: tuple[str, str, str]
) -> Iterator[Stack]:
    endpoint, access, secret = s3_endpoint
    name = _postgres_database()
    url = POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    root = tmp_path_factory.mktemp("topology")
    env = {
        **os.environ,
        "CASEFILE_DATABASE_URL": url,
        "CASEFILE_EVIDENCE_URL": f"s3://topology-{uuid.uuid4().hex[:12]}",
        "CASEFILE_EXPORTS_URL": f"s3://exports-{uuid.uuid4().hex[:12]}",
        "CASEFILE_S3_ENDPOINT": endpoint,
        "CASEFILE_S3_ACCESS_KEY": access,
        "CASEFILE_S3_SECRET_KEY": secret,
        "CASEFILE_S3_SECURE": "false",
        "CASEFILE_SECRET_KEY": "topology-secret-shared-by-every-process",
        "CASEFILE_VAR_DIR": str(root / "var"),
        "CASEFILE_JOBS": "auto",  # the suite turns them off in its own process
        "CASEFILE_JOBS_RETRY_SECONDS": "1",
        "CASEFILE_DB_POOL_SIZE": "4",
        # Behind the proxy every replica answers for one public address (deploy/compose.yaml
        # requires it): without it each would write links to its own port in the feeds, and
        # the two replicas would keep bumping each event's SEQUENCE.
        "CASEFILE_BASE_URL": "https://casefile.topology.test",
    }
    env.pop("CASEFILE_METRICS_TOKEN", None)
    env.pop("CASEFILE_OPERATOR", None)
    with ExitStack() as stop:
        stop.callback(_admin, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        init = cli(env, "init")  # migrations, procrastinate's schema, the bucket
        assert "tâches : schéma procrastinate appliqué" in init
        admin = cli(env, "user", "add", "admin", "--role", "admin", "--token").split()[-1]
        processes: list[subprocess.Popen[bytes]] = []

        def start(*args: str, log: str) -> None:
            handle = (root / log).open("wb")
            stop.callback(handle.close)
            process = subprocess.Popen(
                [sys.executable, "-m", "casefile", *args],
                env=env,
                stdout=handle,
                stderr=subprocess.STDOUT,
            )
            processes.append(process)

        def terminate() -> None:
            for process in processes:
                process.send_signal(signal.SIGTERM)
            for process in processes:
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    process.kill()

        stop.callback(terminate)
        replicas, workers = [], []
        for number in (1, 2):
            port = free_port()
            start("serve", "--port", str(port), log=f"serve{number}.log")
            replicas.append(f"http://127.0.0.1:{port}")
        for number in (1, 2):
            port = free_port()
            start(
                *("worker", "--concurrency", "2", "--name", f"worker{number}"),
                *("--metrics-port", str(port)),
                log=f"worker{number}.log",
            )
            workers.append(f"http://127.0.0.1:{port}/metrics")
        for base in replicas:
            until(lambda base=base: ready(base), 40, f"{base} ready")
        created = httpx.post(
            f"{replicas[0]}/api/users",
            headers={"Authorization": f"Bearer {admin}"},
            json={"name": "me_durand", "role": "avocat", "token": True},
            timeout=10,
        )
        assert created.status_code == 201, created.text
        yield Stack(env, url, replicas, workers, created.json()["token"], admin, root)


def test_a_case_edited_through_one_replica_reads_back_through_the_other(stack: Stack) -> None:
    one, two = (
        httpx.Client(base_url=b, headers=stack.headers(), timeout=10) for b in stack.replicas
    )
    case = one.post("/api/cases", json=CASE)
    assert case.status_code == 201, case.text
    case_id = case.json()["id"]
    assert two.get(f"/api/cases/{case_id}").json()["reference"] == "IP-TOPO-001"
    added = one.post(
        f"/api/cases/{case_id}/events",
        json={"key": "ordonnance_signifiee", "date": "2026-11-02", "a_personne": True},
    )
    assert added.status_code == 201, added.text
    opposition = {d["key"]: d["due"] for d in added.json()["added"]}["opposition"]
    assert opposition == "2026-12-02"  # CPC art. 1416: one month

    # The second replica caches the deadlines it serves...
    first = two.get(f"/api/cases/{case_id}/deadlines").json()
    assert {d["key"]: d["due"] for d in first}["opposition"] == opposition
    # ...and the first replica moves the event: NOTIFY empties the second's cache.
    edited = one.post(
        f"/api/cases/{case_id}/events",
        json={"key": "ordonnance_signifiee", "date": "2026-11-09", "a_personne": True},
    )
    assert edited.status_code == 201, edited.text
    started = time.monotonic()

    def moved() -> bool:
        rows = two.get(f"/api/cases/{case_id}/deadlines").json()
        return {d["key"]: d["due"] for d in rows}["opposition"] == "2026-12-09"

    until(moved, 3, "the second replica sees the moved deadline")
    assert time.monotonic() - started < 3  # the TTL alone would take up to 5 s


def test_a_token_revoked_on_one_replica_is_refused_by_the_other_at_once(stack: Stack) -> None:
    admin = {"Authorization": f"Bearer {stack.admin}"}
    made = httpx.post(
        f"{stack.replicas[1]}/api/users",
        headers=admin,
        json={"name": "stagiaire", "role": "lecteur", "token": True},
        timeout=10,
    )
    assert made.status_code == 201, made.text
    token = made.json()["token"]
    # The first replica authenticates it (and caches the token's user).
    assert (
        httpx.get(f"{stack.replicas[0]}/api/cases", headers=stack.headers(token)).status_code == 200
    )
    gone = httpx.post(f"{stack.replicas[1]}/api/users/stagiaire/deactivate", headers=admin)
    assert gone.status_code == 200, gone.text
    until(
        lambda: (
            httpx.get(f"{stack.replicas[0]}/api/cases", headers=stack.headers(token)).status_code
            == 401
        ),
        3,
        "the first replica refuses the revoked token",
    )


def test_the_feed_is_the_same_from_both_replicas_and_304_across_them(stack: Stack) -> None:
    one, two = (
        httpx.Client(base_url=b, headers=stack.headers(), timeout=10) for b in stack.replicas
    )
    case_id = one.get("/api/cases", params={"q": "IP-TOPO-001"}).json()
    case_id = (case_id["items"] if isinstance(case_id, dict) else case_id)[0]["id"]
    feed = one.post("/api/feeds", json={"kind": "case", "subject": str(case_id)})
    assert feed.status_code == 201, feed.text
    path = httpx.URL(feed.json()["url"]).path
    answers = [httpx.get(f"{base}{path}", timeout=10) for base in stack.replicas]
    assert [a.status_code for a in answers] == [200, 200]
    assert answers[0].content == answers[1].content
    assert b"BEGIN:VCALENDAR" in answers[0].content
    etag = answers[0].headers["etag"]
    assert answers[1].headers["etag"] == etag
    for base in reversed(stack.replicas):
        again = httpx.get(f"{base}{path}", headers={"If-None-Match": etag}, timeout=10)
        assert again.status_code == 304 and again.content == b""

    added = two.post(
        f"/api/cases/{case_id}/events", json={"key": "ordonnance_rendue", "date": "2026-10-20"}
    )
    assert added.status_code == 201, added.text

    def changed(base: str) -> httpx.Response | None:
        answer = httpx.get(f"{base}{path}", headers={"If-None-Match": etag}, timeout=10)
        return answer if answer.status_code == 200 else None

    fresh = [until(lambda b=b: changed(b), 3, f"new feed from {b}") for b in stack.replicas]
    assert fresh[0].content == fresh[1].content
    assert fresh[0].headers["etag"] == fresh[1].headers["etag"] != etag


def test_a_piece_uploaded_on_one_replica_downloads_verified_on_the_other(stack: Stack) -> None:
    one, two = (
        httpx.Client(base_url=b, headers=stack.headers(), timeout=30) for b in stack.replicas
    )
    case_id = one.get("/api/cases/IP-TOPO-001").json()["id"]
    receipt = one.post(
        f"/api/cases/{case_id}/evidence",
        params={"kind": "facture", "filename": "Facture F-2026-117.pdf"},
        headers={"content-type": "application/octet-stream"},
        content=PDF,
    )
    assert receipt.status_code == 201, receipt.text
    assert receipt.json()["sha256"] == hashlib.sha256(PDF).hexdigest()
    download = two.get(f"/api/evidence/{receipt.json()['id']}/content")
    assert download.status_code == 200
    assert download.content == PDF
    metrics = [samples(httpx.get(f"{b}/metrics", timeout=10).text) for b in stack.replicas]
    stored = ("casefile_evidence_stored_bytes_total", ())
    served = ("casefile_evidence_served_bytes_total", (("kind", "piece"),))
    assert (metrics[0][stored], metrics[1][stored]) == (len(PDF), 0)
    assert (metrics[0].get(served, 0), metrics[1][served]) == (0, len(PDF))


def test_a_bundle_and_an_import_asked_on_one_replica_run_on_a_worker(stack: Stack) -> None:
    one, two = (
        httpx.Client(base_url=b, headers=stack.headers(), timeout=30) for b in stack.replicas
    )
    case_id = one.get("/api/cases/IP-TOPO-001").json()["id"]
    asked = one.post(f"/api/cases/{case_id}/bundles", json={"format": "zip"})
    assert asked.status_code == 202, asked.text
    assert asked.json()["status"] == "todo"  # deferred: a worker builds it
    url = asked.json()["url"]
    done = until(lambda: (t := two.get(url).json())["status"] == "done" and t, 20, "bundle built")
    bundle = two.get(done["download"])
    assert bundle.status_code == 200 and len(bundle.content) == done["result"]["size"]
    with zipfile.ZipFile(io.BytesIO(bundle.content)) as archive:
        assert PDF in (archive.read(name) for name in archive.namelist())
    # Asked again through the other replica: the same task.
    assert two.post(f"/api/cases/{case_id}/bundles").json()["id"] == asked.json()["id"]

    sent = two.post(
        "/api/imports",
        params={"filename": "balance.csv", "creditor": "Fournitures Rhénanes SAS"},
        headers={"content-type": "text/csv"},
        content=CSV,
    )
    assert sent.status_code == 202, sent.text
    task_url = sent.json()["url"]
    report = until(
        lambda: (t := one.get(task_url).json())["status"] == "done" and t, 20, "import done"
    )
    assert (report["result"]["claims"], report["result"]["written"]) == (3, True)


def test_each_job_runs_exactly_once_across_workers(stack: Stack) -> None:
    now = datetime.now(UTC)
    # Each worker's periodic deferrer defers the occurrences it missed (up to a day late):
    # one job per (task, period) in the table whichever worker got there first.
    periodic = until(
        lambda: stack.sql(
            "SELECT task_name, periodic_id, defer_timestamp, count(*) AS n "
            "FROM procrastinate_periodic_defers GROUP BY 1, 2, 3"
        ),
        10,
        "the workers deferred the missed periodic jobs",
    )
    assert all(row["n"] == 1 for row in periodic), periodic
    night = int(datetime(now.year, now.month, now.day, 1, 30, tzinfo=UTC).timestamp())
    if night > now.timestamp():
        night -= 24 * 3600
    assert {
        "task_name": "recompute_pending",
        "periodic_id": "nightly",
        "defer_timestamp": night,
        "n": 1,
    } in periodic

    # The same night's recomputation deferred again by hand (another queueing lock: a replay).
    replay = asyncio.run(_defer_replay(stack.url, night))
    assert replay > 0

    def finished() -> list[dict[str, Any]] | None:
        rows = stack.sql("SELECT id, task_name, status::text AS status FROM procrastinate_jobs")
        return rows if rows and all(r["status"] in ("succeeded", "failed") for r in rows) else None

    jobs = until(finished, 30, "every job finished")
    assert {r["status"] for r in jobs} == {"succeeded"}, jobs
    tasks = [r for r in jobs if r["task_name"] == "run_background_task"]
    assert len(tasks) == 2  # the bundle and the import, once each
    nightly = [r for r in jobs if r["task_name"] == "recompute_pending"]
    assert len(nightly) == 2  # the periodic one and the replay
    # Each job ran once: one start event per job, whichever of the two workers took it.
    starts = stack.sql(
        "SELECT job_id, count(*) AS n FROM procrastinate_events WHERE type = 'started' GROUP BY 1"
    )
    assert sorted(r["job_id"] for r in starts) == sorted(r["id"] for r in jobs)
    assert all(r["n"] == 1 for r in starts), starts
    # The two runs of the same night did the work once (job_runs: one key, one attempt).
    day = datetime.fromtimestamp(night, UTC).date().isoformat()
    runs = stack.sql("SELECT key, status, attempts FROM job_runs WHERE task = 'recompute_pending'")
    assert runs == [{"key": f"recompute_pending:{day}", "status": "done", "attempts": 1}]
    outcomes: dict[str, float] = {}
    for url in stack.workers:
        for (name, labels), value in samples(httpx.get(url, timeout=10).text).items():
            if name == "casefile_job_runs_total" and dict(labels)["task"] == "recompute_pending":
                outcome = dict(labels)["outcome"]
                outcomes[outcome] = outcomes.get(outcome, 0) + value
    assert outcomes == {"done": 1.0, "skipped": 1.0}
    # Both replicas report the same queue (read from PostgreSQL at each scrape).
    scraped = [samples(httpx.get(f"{b}/metrics", timeout=10).text) for b in stack.replicas]
    key = ("casefile_jobs", (("status", "succeeded"), ("task", "recompute_pending")))
    assert scraped[0][key] == scraped[1][key] == 2


async def _defer_replay(url: str, night: int) -> int:
    from procrastinate import App

    from casefile.jobs import app as jobs

    other = App(connector=jobs.connector_for(url))
    async with other.open_async():
        return await other.configure_task("recompute_pending", queueing_lock="replay").defer_async(
            timestamp=night
        )
