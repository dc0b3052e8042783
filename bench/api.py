"""API benchmark: `GET /api/cases/{id}/deadlines` at 50 concurrent clients, uvicorn on PostgreSQL.

    .venv/bin/python bench/api.py                       # 50 clients, 10 s, target p99 < 50 ms
    .venv/bin/python bench/api.py --clients 100 --seconds 20 --cases 200
    .venv/bin/python bench/api.py --workers 1 2 4        # one line of figures per server size
    CASEFILE_BENCH_POSTGRES=postgresql://postgres@127.0.0.1:5432/postgres  (server to use)

Creates a throw-away database, migrates it, loads cases with events (through the store's own
services), starts `uvicorn` in its own process on a free loopback port, and drives it with
httpx.AsyncClient workers (each a keep-alive connection). Prints p50/p90/p99/max latency and
throughput, beside the same figures for `GET /health` (no database, no token lookup) from the
same run, so the cost of the framework and of the database read show apart; then again for
each `--workers` count (uvicorn processes, default 1 then 2). The clients run on the same
machine: with 50 of them in a closed loop, mean latency = 50 / throughput (Little's law), so
the p99 target needs well over 1 000 req/s. The database is dropped at the end, also on failure.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

POSTGRES = os.environ.get(
    "CASEFILE_BENCH_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres"
)
TARGET_P99_MS = 50.0


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, parts.fragment))


async def admin_sql(statement: str) -> None:
    import asyncpg

    connection = await asyncpg.connect(POSTGRES)
    try:
        await connection.execute(statement)
    finally:
        await connection.close()


async def load(url: str, cases: int) -> tuple[str, list[int]]:
    """Schema, one avocat with a token, `cases` injonction de payer cases with their events."""
    from casefile.services import cases as store_cases
    from casefile.store import db, users

    await db.connect(url)
    try:
        await db.migrate()
        lawyer, token = await users.create_user("bench-avocat", "avocat", with_token=True)
        assert token is not None
        ids = []
        for number in range(cases):
            case = await store_cases.create_case(
                store_cases.NewCase(
                    reference=f"BENCH-{number:05d}",
                    procedure="injonction_de_payer",
                    court="tribunal_judiciaire",
                    court_department=("75", "67", "971", "13")[number % 4],
                    creditor=store_cases.PartyIn(name="Créancier SA"),
                    debtor=store_cases.PartyIn(
                        name=f"Débiteur {number}", residence="etranger" if number % 5 == 0 else None
                    ),
                ),
                lawyer,
            )
            ids.append(case["id"])
            await store_cases.add_event(case["id"], "ordonnance_rendue", "2027-01-04", {}, lawyer)
            await store_cases.add_event(
                case["id"], "ordonnance_signifiee", "2027-01-29", {"a_personne": True}, lawyer
            )
        return token, ids
    finally:
        await db.close()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(url: str, port: int, var: Path, workers: int = 1) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "CASEFILE_DATABASE_URL": url,
        "CASEFILE_VAR_DIR": str(var),
        "CASEFILE_SECRET_KEY": os.environ.get("CASEFILE_SECRET_KEY", "bench-secret-key"),
    }
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "--factory",
            "casefile.api.app:create_app",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--log-level",
            "warning",
            "--no-access-log",
            "--workers",
            str(workers),
        ],
        cwd=ROOT,
        env=env,
    )


async def wait_ready(base: str, process: subprocess.Popen[bytes]) -> None:
    import httpx

    deadline = time.monotonic() + 30
    async with httpx.AsyncClient() as client:
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise SystemExit(f"uvicorn exited with status {process.returncode}")
            try:
                if (await client.get(f"{base}/health")).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.1)
    raise SystemExit("uvicorn did not answer /health within 30 s")


async def drive(
    base: str, paths: list[str], headers: dict[str, str], clients: int, seconds: float
) -> dict[str, float]:
    """`clients` workers, each on its own keep-alive connection, for `seconds`."""
    import httpx

    latencies: list[float] = []
    errors = 0
    stop = time.perf_counter() + seconds

    async def worker(offset: int) -> None:
        nonlocal errors
        limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
        async with httpx.AsyncClient(base_url=base, headers=headers, limits=limits) as client:
            i = offset
            while time.perf_counter() < stop:
                path = paths[i % len(paths)]
                i += 1
                began = time.perf_counter()
                response = await client.get(path)
                elapsed = time.perf_counter() - began
                if response.status_code != 200:
                    errors += 1
                else:
                    latencies.append(elapsed)

    began = time.perf_counter()
    await asyncio.gather(*(worker(n) for n in range(clients)))
    wall = time.perf_counter() - began
    latencies.sort()

    def pct(p: float) -> float:
        return latencies[min(len(latencies) - 1, int(p / 100 * len(latencies)))] * 1000

    return {
        "requests": len(latencies),
        "errors": errors,
        "rps": len(latencies) / wall,
        "p50": pct(50),
        "p90": pct(90),
        "p99": pct(99),
        "max": latencies[-1] * 1000,
        "mean": statistics.fmean(latencies) * 1000,
    }


def show(name: str, result: dict[str, float]) -> None:
    print(
        f"{name:<34} {int(result['requests']):>7} req  {result['rps']:>7.0f} req/s  "
        f"p50 {result['p50']:6.1f} ms  p90 {result['p90']:6.1f} ms  "
        f"p99 {result['p99']:6.1f} ms  max {result['max']:6.1f} ms  errors {int(result['errors'])}"
    )


async def measure(
    url: str, workers: int, paths: list[str], auth: dict[str, str], args: argparse.Namespace
) -> None:
    """One server of `workers` uvicorn processes: /health, then the deadlines read."""
    import tempfile

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    process: subprocess.Popen[bytes] | None = None
    try:
        with tempfile.TemporaryDirectory() as var:
            process = start_server(url, port, Path(var), workers)
            await wait_ready(base, process)
            await drive(base, paths, auth, args.clients, 2.0)  # warm-up: pools, caches
            plural = "s" if workers > 1 else ""
            print(
                f"uvicorn ({workers} worker{plural}) on PostgreSQL, {args.clients} concurrent "
                f"clients, {args.seconds:g} s each, {os.cpu_count()} CPU(s) shared with the clients"
            )
            health = await drive(base, ["/health"], {}, args.clients, args.seconds)
            show("GET /health (no db, no token)", health)
            deadlines = await drive(base, paths, auth, args.clients, args.seconds)
            show("GET /api/cases/{id}/deadlines", deadlines)
            verdict = "met" if deadlines["p99"] < TARGET_P99_MS else "NOT met"
            print(f"target p99 < {TARGET_P99_MS:g} ms: {verdict}")
    finally:
        if process is not None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


async def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--cases", type=int, default=100)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()

    name = f"casefile_bench_api_{uuid.uuid4().hex[:10]}"
    url = with_database(POSTGRES, name)
    await admin_sql(f'CREATE DATABASE "{name}"')
    try:
        began = time.perf_counter()
        token, ids = await load(url, args.cases)
        print(f"loaded {len(ids)} cases with their events in {time.perf_counter() - began:.1f} s")
        auth = {"Authorization": f"Bearer {token}"}
        paths = [f"/api/cases/{case_id}/deadlines" for case_id in ids]
        for workers in args.workers:
            await measure(url, workers, paths, auth, args)
    finally:
        await admin_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    return 0


if __name__ == "__main__":
    raise SystemExit(asyncio.run(main()))
