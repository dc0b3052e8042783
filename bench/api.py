"""API benchmark: `GET /api/cases/{id}/deadlines` against a bare Litestar app sending the same
bytes, 50 connections, uvicorn on PostgreSQL (issue 14 item 3: ≥ 40 % of the bare app).

    .venv/bin/python bench/api.py                        # 50 connections, 3 rounds of 5 s
    .venv/bin/python bench/api.py --rounds 5 --seconds 10 --cases 200
    .venv/bin/python bench/api.py --workers 1 2          # one block of figures per size
    .venv/bin/python bench/api.py --in-process 20000 [--profile]   # CPU per request, no HTTP
    CASEFILE_BENCH_POSTGRES=postgresql://postgres@127.0.0.1:5432/postgres  (server to use)

Creates a throw-away database, migrates it, loads cases with their events (through the store's
own services), then for each `--workers` count starts two uvicorn servers with that many
processes: casefile, and the anchor — a bare Litestar app (`bench/bare_api.py`) answering the
same paths with the bytes casefile sent for each case (no database, no authentication). `wrk`
(Debian package `wrk`, one thread: the load generator shares the machine) drives each for
`--seconds`, alternately, `--rounds` times; each round gives throughput and p99 for both and
their ratio. The ratios' minimum and median are the figures (the machine is shared: absolute
numbers swing by 2×, a ratio measured side by side does not). The database is dropped at the end.

`--in-process N` calls both ASGI apps directly in this process instead (no uvicorn, no wrk):
N requests per round, alternately, CPU time per request (`time.process_time`); `--profile`
adds a cProfile of casefile's requests (by cumulative time).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from _support import POSTGRES, admin_sql, with_database

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TARGET_RATIO = 0.40


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


def start_server(
    factory: str, url: str, port: int, var: Path, workers: int, bodies: Path | None = None
) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "CASEFILE_DATABASE_URL": url,
        "CASEFILE_VAR_DIR": str(var),
        "CASEFILE_SECRET_KEY": os.environ.get("CASEFILE_SECRET_KEY", "bench-secret-key"),
        "PYTHONPATH": str(ROOT),
    }
    if bodies is not None:
        env["BENCH_BARE_BODIES"] = str(bodies)
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "--factory",
            factory,
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

    deadline = time.monotonic() + 60
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
    raise SystemExit("uvicorn did not answer /health within 60 s")


WRK_SCRIPT = """
paths = {%s}
counter = 0
request = function()
  counter = counter + 1
  return wrk.format("GET", paths[(counter %% #paths) + 1])
end
"""


def run_wrk(
    base: str, script: Path, token: str, connections: int, seconds: float
) -> dict[str, float]:
    """One wrk run: requests/s and latency percentiles (ms); non-2xx answers counted."""
    out = subprocess.run(
        [
            "wrk",
            "-t1",
            f"-c{connections}",
            f"-d{seconds:g}s",
            "--latency",
            "-s",
            str(script),
            "-H",
            f"Authorization: Bearer {token}",
            base,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    percentiles = {
        name: _ms(value, unit)
        for name, value, unit in re.findall(r"^\s+(50|90|99)%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
    }
    return {
        "rps": rps,
        "p50": percentiles["50"],
        "p99": percentiles["99"],
        "errors": float(errors.group(1)) if errors else 0.0,
    }


def _ms(value: str, unit: str) -> float:
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


async def fetch_bodies(base: str, paths: list[str], token: str) -> dict[str, str]:
    import httpx

    async with httpx.AsyncClient(base_url=base) as client:
        bodies = {}
        for path in paths:
            response = await client.get(path, headers={"Authorization": f"Bearer {token}"})
            response.raise_for_status()
            bodies[path] = response.text
    return bodies


def stop(process: subprocess.Popen[bytes] | None) -> None:
    if process is None:
        return
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


async def measure(
    url: str, workers: int, paths: list[str], token: str, args: argparse.Namespace
) -> dict[str, float]:
    """casefile and the bare app side by side, `args.rounds` alternating rounds."""
    import json
    import tempfile

    servers: list[subprocess.Popen[bytes] | None] = [None, None]
    try:
        with tempfile.TemporaryDirectory() as var:
            work = Path(var)
            script = work / "paths.lua"
            script.write_text(WRK_SCRIPT % ", ".join(f'"{p}"' for p in paths))
            port = free_port()
            casefile = f"http://127.0.0.1:{port}"
            servers[0] = start_server("casefile.api.app:create_app", url, port, work, workers)
            await wait_ready(casefile, servers[0])
            bodies = work / "bodies.json"
            bodies.write_text(json.dumps(await fetch_bodies(casefile, paths, token)))
            port = free_port()
            bare = f"http://127.0.0.1:{port}"
            servers[1] = start_server("bench.bare_api:create_app", url, port, work, workers, bodies)
            await wait_ready(bare, servers[1])
            for base in (casefile, bare):  # warm-up: pools, caches
                run_wrk(base, script, token, args.connections, 2)
            plural = "s" if workers > 1 else ""
            print(
                f"\nuvicorn, {workers} worker{plural} each, PostgreSQL, {args.connections} "
                f"connections, {args.rounds} rounds of {args.seconds:g} s, {os.cpu_count()} "
                "CPU(s) shared with wrk"
            )
            ratios, p99s = [], []
            for number in range(1, args.rounds + 1):
                ours = run_wrk(casefile, script, token, args.connections, args.seconds)
                anchor = run_wrk(bare, script, token, args.connections, args.seconds)
                if ours["errors"] or anchor["errors"]:
                    raise SystemExit(f"non-2xx answers: casefile {ours}, bare {anchor}")
                ratio = ours["rps"] / anchor["rps"]
                ratios.append(ratio)
                p99s.append(ours["p99"])
                print(
                    f"round {number}: casefile {ours['rps']:7.0f} req/s p50 {ours['p50']:6.1f} ms "
                    f"p99 {ours['p99']:6.1f} ms | bare Litestar {anchor['rps']:7.0f} req/s "
                    f"p50 {anchor['p50']:6.1f} ms p99 {anchor['p99']:6.1f} ms | ratio {ratio:.2f}"
                )
            print(
                f"casefile / bare Litestar ({workers} worker{plural}): min {min(ratios):.2f}, "
                f"median {statistics.median(ratios):.2f} (target ≥ {TARGET_RATIO:.2f}); "
                f"casefile p99 median {statistics.median(p99s):.1f} ms"
            )
            return {"min": min(ratios), "median": statistics.median(ratios)}
    finally:
        for process in servers:
            stop(process)


def _request_scope(path: str, token: str) -> dict[str, Any]:
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"127.0.0.1"), (b"authorization", f"Bearer {token}".encode())],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
        "state": {},
    }


async def _call(app: Any, path: str, token: str) -> list[dict[str, Any]]:
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    await app(_request_scope(path, token), receive, send)
    return sent


async def _requests(app: Any, paths: list[str], token: str, count: int) -> float:
    """CPU seconds per request over `count` requests (the paths in turn); each must be a 200."""
    began = time.process_time()
    for number in range(count):
        sent = await _call(app, paths[number % len(paths)], token)
        if sent[0]["status"] != 200:
            raise SystemExit(f"{paths[number % len(paths)]}: status {sent[0]['status']}")
    return (time.process_time() - began) / count


@asynccontextmanager
async def _lifespan(app: Any) -> AsyncIterator[None]:
    events: asyncio.Queue[dict[str, str]] = asyncio.Queue()
    done = {
        "lifespan.startup.complete": asyncio.Event(),
        "lifespan.shutdown.complete": asyncio.Event(),
    }

    async def receive() -> dict[str, str]:
        return await events.get()

    async def send(message: dict[str, Any]) -> None:
        if message["type"] in done:
            done[message["type"]].set()
        elif message["type"].endswith(".failed"):
            raise SystemExit(f"lifespan: {message}")

    task = asyncio.create_task(
        app({"type": "lifespan", "asgi": {"version": "3.0"}, "state": {}}, receive, send)
    )
    await events.put({"type": "lifespan.startup"})
    await done["lifespan.startup.complete"].wait()
    try:
        yield
    finally:
        await events.put({"type": "lifespan.shutdown"})
        await done["lifespan.shutdown.complete"].wait()
        await task


async def in_process(url: str, paths: list[str], token: str, args: argparse.Namespace) -> None:
    """Both apps called directly, alternately: CPU µs per request and their ratio per round."""
    import cProfile
    import json
    import pstats
    import tempfile

    with tempfile.TemporaryDirectory() as var:
        os.environ.update(
            CASEFILE_DATABASE_URL=url,
            CASEFILE_VAR_DIR=var,
            CASEFILE_SECRET_KEY=os.environ.get("CASEFILE_SECRET_KEY", "bench-secret-key"),
        )
        from casefile.api.app import create_app
        from casefile.settings import reset_settings

        reset_settings()
        casefile = create_app()
        async with _lifespan(casefile):
            bodies = {path: (await _call(casefile, path, token))[1]["body"] for path in paths}
            (Path(var) / "bodies.json").write_text(
                json.dumps({path: body.decode() for path, body in bodies.items()})
            )
            os.environ["BENCH_BARE_BODIES"] = str(Path(var) / "bodies.json")
            from bench import bare_api

            bare = bare_api.create_app()
            for app in (casefile, bare):  # warm-up: caches, imports
                await _requests(app, paths, token, min(args.in_process, 2000))
            print(
                f"\nin process, {args.in_process} requests a round, {args.rounds} rounds "
                f"(load average {os.getloadavg()[0]:.1f})"
            )
            ratios = []
            for number in range(1, args.rounds + 1):
                ours = await _requests(casefile, paths, token, args.in_process)
                anchor = await _requests(bare, paths, token, args.in_process)
                ratios.append(anchor / ours)
                print(
                    f"round {number}: casefile {ours * 1e6:6.1f} µs CPU a request | bare "
                    f"Litestar {anchor * 1e6:6.1f} µs | ratio {anchor / ours:.2f}"
                )
            print(
                f"in process, casefile / bare Litestar: min {min(ratios):.2f}, median "
                f"{statistics.median(ratios):.2f} (load average {os.getloadavg()[0]:.1f})"
            )
            if args.profile:
                profile = cProfile.Profile()
                profile.enable()
                await _requests(casefile, paths, token, args.in_process)
                profile.disable()
                pstats.Stats(profile).sort_stats("cumulative").print_stats(40)


async def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--cases", type=int, default=100)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument(
        "--in-process", type=int, default=0, metavar="N", help="ASGI calls, N a round, no HTTP"
    )
    parser.add_argument("--profile", action="store_true", help="with --in-process: cProfile")
    args = parser.parse_args()
    if not args.in_process and shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: apt-get install -y wrk")

    name = f"casefile_bench_api_{uuid.uuid4().hex[:10]}"
    url = with_database(POSTGRES, name)
    await admin_sql(f'CREATE DATABASE "{name}"')
    try:
        began = time.perf_counter()
        token, ids = await load(url, args.cases)
        print(f"loaded {len(ids)} cases with their events in {time.perf_counter() - began:.1f} s")
        paths = [f"/api/cases/{case_id}/deadlines" for case_id in ids]
        if args.in_process:
            await in_process(url, paths, token, args)
            return 0
        for workers in args.workers:
            await measure(url, workers, paths, token, args)
    finally:
        await admin_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    return 0


if __name__ == "__main__":
    raise SystemExit(asyncio.run(main()))
