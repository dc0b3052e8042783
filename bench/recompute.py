"""Benchmark: the nightly recomputation of every pending case on PostgreSQL, spread over
`casefile worker` processes, against the engine alone in process on the same cases.

    .venv/bin/python bench/recompute.py [--cases 100000] [--workers 1 2] [--rounds 2]
                                        [--concurrency 1]
    CASEFILE_BENCH_POSTGRES=postgresql://postgres@127.0.0.1:5432/postgres  (server to use)

What it does, in one run:
  1. creates a database, `casefile init`, and N pending cases (mixed procedures, territories,
     residences; the same generator as bench/deadlines.py) with their events and debtors;
  2. the anchor: the engine in this process computes every case's deadlines from inputs
     already in memory (its memo emptied first): deadlines/s;
  3. for each number of workers: starts that many `casefile worker` processes, lets their
     periodic deferrer run the day's nightly job once (the first computation of every case),
     then per round empties the stored deadlines (every case stale) and defers the nightly job
     of a new day: the job reads the pending cases' id ranges and defers one
     `recompute_range` job per 2 000 cases, which the workers share; timed from the defer to
     the last range done. Deadlines written per second, and its ratio to the anchor
     (target >= 0.5), the workers' CPU and PostgreSQL's backends' CPU for the round (each ÷
     the anchor's CPU); then the same with nothing stale (every case read, computed and
     compared, nothing written). Peak RSS of each worker (VmHWM, target < 300 MiB).
     `--concurrency N`: the workers' option (jobs each runs at once).
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import statistics
import subprocess
import sys
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from _support import POSTGRES, admin_sql  # noqa: E402
from deadlines import synthetic_stream  # noqa: E402

EXE = ROOT / ".venv" / "bin" / "casefile"


admin = admin_sql
"""A statement on the server's maintenance database (CREATE/DROP DATABASE)."""


async def populate(url: str, count: int) -> None:
    """N cases, their debtors and events, copied in (no application code: the set-up)."""
    import asyncpg

    connection = await asyncpg.connect(url)
    now = datetime.now(UTC)
    try:
        cases, parties, events = [], [], []
        for n, request in enumerate(synthetic_stream(count), start=1):
            procedure = request["procedure"]
            cases.append(
                (
                    n,
                    f"B{n:07d}",
                    procedure,
                    request.get("court"),
                    request["court_department"],
                    "amiable" if procedure == "amiable" else "contentieux",
                    now,
                    now,
                )
            )
            residence = request.get("debtor_residence") or request["court_department"]
            parties.append((n, "debtor", f"Débiteur {n}", residence, f"debiteur {n}"))
            for key, body in request["events"].items():
                attributes = {a: v for a, v in body.items() if a != "date"}
                events.append(
                    (n, key, date.fromisoformat(body["date"]), json.dumps(attributes), now)
                )
        await connection.copy_records_to_table(
            "cases",
            records=cases,
            columns=[
                "id",
                "reference",
                "procedure",
                "court",
                "court_department",
                "phase",
                "created_at",
                "updated_at",
            ],
        )
        await connection.copy_records_to_table(
            "parties", records=parties, columns=["case", "role", "name", "residence", "lookup_key"]
        )
        await connection.copy_records_to_table(
            "events", records=events, columns=["case", "key", "date", "attributes", "created_at"]
        )
        await connection.execute("SELECT setval('cases_id_seq', $1)", count)
        await connection.execute("ANALYZE")
    finally:
        await connection.close()


async def anchor(url: str) -> tuple[int, float]:
    """The engine alone: every case's deadlines computed in this process, inputs in memory."""
    from casefile.definitions import engine
    from casefile.services.law_impact import pending_id_chunks
    from casefile.store import db
    from casefile.store.recompute import read_inputs

    await db.connect(url)
    try:
        inputs = []
        async for ids in pending_id_chunks():
            inputs.extend((await read_inputs(ids))[0])
    finally:
        await db.close()
    law = engine()
    law.trim_memo(0)
    start = time.perf_counter()
    cpu = time.process_time()
    count = 0
    for item in inputs:
        count += len(law.compute(item.row["procedure"], item.events, item.facts).deadlines)
    ANCHOR_CPU.append(time.process_time() - cpu)
    return count, time.perf_counter() - start


ANCHOR_CPU: list[float] = []


async def query(url: str, sql: str, *args: Any) -> Any:
    import asyncpg

    connection = await asyncpg.connect(url)
    try:
        return await connection.fetchval(sql, *args)
    finally:
        await connection.close()


def night(day: date) -> int:
    return int(datetime(day.year, day.month, day.day, 1, 30, tzinfo=UTC).timestamp())


async def defer_nightly(url: str, day: date) -> None:
    from casefile.jobs import app as jobs

    app = jobs.bind(url)
    async with app.open_async():
        await app.tasks["recompute_pending"].defer_async(timestamp=night(day))


async def wait_done(url: str, day: date, chunks: int, timeout: float = 3600) -> None:
    """Until the nightly job of `day` and its `chunks` ranges are recorded done."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        done = await query(
            url,
            "SELECT count(*) FROM job_runs WHERE status = 'done' AND (key = $1 OR key LIKE $2)",
            f"recompute_pending:{day.isoformat()}",
            f"recompute_range:{day.isoformat()}:%",
        )
        failed = await query(url, "SELECT count(*) FROM job_runs WHERE status = 'failed'")
        if failed:
            raise RuntimeError(f"{failed} job(s) failed: see the job_runs table")
        if done == chunks + 1:
            return
        await asyncio.sleep(0.1)
    raise TimeoutError(day)


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (the worker's own work, whatever the load)."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def backend_pids(url: str) -> list[int]:
    import asyncpg

    connection = await asyncpg.connect(url)
    try:
        rows = await connection.fetch(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid()"
        )
    finally:
        await connection.close()
    return [row["pid"] for row in rows]


def backends_cpu(url: str) -> dict[int, float]:
    """CPU seconds so far of each PostgreSQL backend connected to the database (the workers'
    pools and queue connections, which live through a round)."""
    out = {}
    for pid in asyncio.run(backend_pids(url)):
        try:
            out[pid] = cpu_seconds(pid)
        except OSError:  # gone meanwhile
            continue
    return out


def peak_rss_mib(pid: int) -> float:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return 0.0


def main() -> None:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument(
        "--concurrency", type=int, default=1, help="jobs each worker runs at once (its option)"
    )
    parser.add_argument("--keep", action="store_true", help="keep the database (its URL printed)")
    args = parser.parse_args()
    print(
        f"load average: {os.getloadavg()[0]:.1f}; cores: {os.cpu_count()}; "
        f"jobs at once per worker: {args.concurrency}"
    )
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # still drop the database
    database = f"casefile_bench_{uuid.uuid4().hex[:10]}"
    asyncio.run(admin(f'CREATE DATABASE "{database}"'))
    url = POSTGRES.rsplit("/", 1)[0] + f"/{database}"
    env = {**os.environ, "CASEFILE_DATABASE_URL": url, "CASEFILE_JOBS_RETRY_SECONDS": "1"}
    try:
        subprocess.run([str(EXE), "init"], env=env, check=True, capture_output=True)
        t0 = time.perf_counter()
        asyncio.run(populate(url, args.cases))
        print(f"{args.cases} cases copied in {time.perf_counter() - t0:.1f} s")
        chunks = -(-args.cases // 2000)
        count, seconds = asyncio.run(anchor(url))
        engine_rate = count / seconds
        print(
            f"anchor, the engine in process: {count} deadlines in {seconds:.2f} s = "
            f"{engine_rate:,.0f} deadlines/s"
        )
        day = date(2030, 1, 1)
        summary: dict[int, list[float]] = {}
        for workers in args.workers:
            processes: list[subprocess.Popen[bytes]] = []
            processes += [
                subprocess.Popen(
                    [
                        str(EXE),
                        "worker",
                        "--name",
                        f"bench-{workers}-{n}",
                        "--concurrency",
                        str(args.concurrency),
                    ],
                    env=env,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
                for n in range(workers)
            ]
            try:
                # Today's nightly occurrence, deferred by the workers' periodic deferrer once
                # (first set of workers only): the first computation of every case.
                now = datetime.now(UTC)
                today = now.date() - timedelta(days=1 if (now.hour, now.minute) < (1, 30) else 0)
                if workers == args.workers[0]:
                    t0 = time.perf_counter()
                    asyncio.run(wait_done(url, today, chunks))
                    written = asyncio.run(query(url, "SELECT count(*) FROM deadlines"))
                    print(
                        f"{workers} worker(s), first computation by the periodic job (with the "
                        f"workers' start): {written} deadlines in {time.perf_counter() - t0:.1f} s"
                    )
                else:
                    time.sleep(3)  # the workers connected
                ratios = summary.setdefault(workers, [])
                for _ in range(args.rounds):
                    asyncio.run(admin_on(url, "TRUNCATE deadlines"))
                    day += timedelta(days=1)
                    t0 = time.perf_counter()
                    cpu0 = sum(cpu_seconds(p.pid) for p in processes)
                    pg0 = backends_cpu(url)
                    asyncio.run(defer_nightly(url, day))
                    asyncio.run(wait_done(url, day, chunks))
                    elapsed = time.perf_counter() - t0
                    cpu = sum(cpu_seconds(p.pid) for p in processes) - cpu0
                    pg = sum(t - pg0.get(pid, 0.0) for pid, t in backends_cpu(url).items())
                    written = asyncio.run(query(url, "SELECT count(*) FROM deadlines"))
                    ratios.append(written / elapsed / engine_rate)
                    print(
                        f"{workers} worker(s): the workers' own CPU {cpu:.1f} s for the round, "
                        f"{cpu / ANCHOR_CPU[0]:.1f}x the anchor's CPU ({ANCHOR_CPU[0]:.1f} s); "
                        f"PostgreSQL's backends {pg:.1f} s, {pg / ANCHOR_CPU[0]:.1f}x"
                    )
                    print(
                        f"{workers} worker(s), every case stale: {written} deadlines written in "
                        f"{elapsed:.2f} s = {written / elapsed:,.0f} deadlines/s = "
                        f"{ratios[-1]:.2f} of the engine in process"
                    )
                day += timedelta(days=1)
                t0 = time.perf_counter()
                asyncio.run(defer_nightly(url, day))
                asyncio.run(wait_done(url, day, chunks))
                elapsed = time.perf_counter() - t0
                print(
                    f"{workers} worker(s), nothing stale (read, computed, compared): "
                    f"{written / elapsed:,.0f} deadlines/s = "
                    f"{written / elapsed / engine_rate:.2f} of the engine"
                )
                print(
                    f"{workers} worker(s), peak RSS per worker: "
                    + ", ".join(f"{peak_rss_mib(p.pid):.0f} MiB" for p in processes)
                )
            finally:
                for process in processes:
                    process.send_signal(signal.SIGTERM)
                for process in processes:
                    try:
                        process.wait(timeout=30)
                    except subprocess.TimeoutExpired:
                        process.kill()
        for workers, ratios in summary.items():
            print(
                f"{workers} worker(s): ratio to the engine in process min {min(ratios):.2f}, "
                f"median {statistics.median(ratios):.2f} (target >= 0.5)"
            )
    finally:
        if args.keep:
            print(f"database kept: {url}")
        else:
            asyncio.run(admin(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
    print(f"load average: {os.getloadavg()[0]:.1f}")


async def admin_on(url: str, sql: str) -> None:
    await admin_sql(sql, url)


if __name__ == "__main__":
    main()
