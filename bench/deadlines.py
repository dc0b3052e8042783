"""Benchmark: recompute the deadlines of a synthetic portfolio of 100 000 cases.

Reports, in one run:
  1. deadlines per second through the engine in one process (cold cache, then warm);
  2. the same portfolio through a straightforward implementation on workalendar's France
     calendar (the peer a Python developer would write);
  3. end to end through `casefile deadlines --batch` (process start, JSON in and out).
Targets (issue 2): >= 500 000 deadlines/s in process, >= 100 000 deadlines/s end to end.

    .venv/bin/python bench/deadlines.py [--cases 100000]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEPARTMENTS = ["75", "69", "13", "67", "57", "68", "33", "971", "972", "974", "2A", "59"]
RESIDENCES = [None, None, None, None, "etranger", "972", "75"]


def synthetic_requests(count: int, seed: int = 2026) -> list[dict]:
    """Mixed procedures, territories and residences with realistic event chains."""
    return list(synthetic_stream(count, seed))


def synthetic_stream(count: int, seed: int = 2026) -> Iterator[dict]:
    """The same requests one at a time (a million of them never held in memory at once)."""
    rng = random.Random(seed)
    base = date(2024, 1, 1)
    for _ in range(count):
        d0 = base + timedelta(days=rng.randrange(0, 3 * 365))
        kind = rng.randrange(5)
        dept = rng.choice(DEPARTMENTS)
        request: dict = {"court_department": dept, "debtor_residence": rng.choice(RESIDENCES)}
        if kind == 0:
            request["procedure"] = "injonction_de_payer"
            request["events"] = {
                "ordonnance_rendue": {"date": d0.isoformat()},
                "ordonnance_signifiee": {
                    "date": (d0 + timedelta(days=rng.randrange(5, 60))).isoformat(),
                    "a_personne": rng.random() < 0.7,
                },
            }
        elif kind == 1:
            request["procedure"] = "refere_provision"
            request["events"] = {"ordonnance_signifiee": {"date": d0.isoformat()}}
        elif kind == 2:
            request["procedure"] = "assignation_paiement"
            request["court"] = rng.choice(["tribunal_judiciaire", "tribunal_de_commerce"])
            request["events"] = {
                "audience": {"date": (d0 + timedelta(days=60)).isoformat()},
                "jugement_signifie": {"date": (d0 + timedelta(days=150)).isoformat()},
            }
        elif kind == 3:
            request["procedure"] = "petites_creances"
            request["events"] = {"invitation_envoyee": {"date": d0.isoformat()}}
        else:
            request["procedure"] = "amiable"
            request["events"] = {
                "exigibilite": {
                    "date": d0.isoformat(),
                    "debiteur": rng.choice(["professionnel", "consommateur"]),
                },
                "mise_en_demeure_envoyee": {"date": (d0 + timedelta(days=30)).isoformat()},
            }
        if request["debtor_residence"] is None:
            del request["debtor_residence"]
        yield request


def bench_engine(requests: list[dict]) -> tuple[int, float, float, float]:
    """Recompute in one process: events already typed (as the store holds them), then the
    same from raw JSON-like requests (validation included)."""
    from casefile.definitions import engine
    from casefile.law.requests import facts_from, schedule_for

    eng = engine()
    prepared = []
    for request in requests:
        procedure = eng.procedure(request["procedure"])
        events = {
            key: eng.parse_event(
                procedure, key, body["date"], {a: v for a, v in body.items() if a != "date"}
            )
            for key, body in request["events"].items()
        }
        prepared.append((procedure.key, events, facts_from(eng, request)))
    eng._expiries.clear()
    eng._deadlines.clear()
    start = time.perf_counter()
    count = 0
    for procedure_key, events, facts in prepared:
        count += len(eng.compute(procedure_key, events, facts).deadlines)
    cold = time.perf_counter() - start
    start = time.perf_counter()
    for procedure_key, events, facts in prepared:
        eng.compute(procedure_key, events, facts)
    warm = time.perf_counter() - start
    start = time.perf_counter()
    for request in requests:
        schedule_for(eng, request)
    raw = time.perf_counter() - start
    return count, cold, warm, raw


def bench_workalendar(requests: list[dict]) -> tuple[int, float]:
    """The peer: workalendar's France calendar, dateutil months, one rule per procedure."""
    from dateutil.relativedelta import relativedelta
    from workalendar.europe import France, FranceAlsaceMoselle

    calendars = {"metropole": France(), "alsace-moselle": FranceAlsaceMoselle()}
    rules = {
        "injonction_de_payer": [
            ("ordonnance_rendue", relativedelta(months=6)),
            ("ordonnance_signifiee", relativedelta(months=1)),
        ],
        "refere_provision": [("ordonnance_signifiee", relativedelta(days=15))],
        "assignation_paiement": [
            ("jugement_signifie", relativedelta(months=1)),
            ("audience", relativedelta(days=-16)),
        ],
        "petites_creances": [("invitation_envoyee", relativedelta(months=1))],
        "amiable": [
            ("exigibilite", relativedelta(years=5)),
            ("mise_en_demeure_envoyee", relativedelta(days=8)),
        ],
    }
    start = time.perf_counter()
    count = 0
    for request in requests:
        cal = calendars[
            "alsace-moselle" if request["court_department"] in ("57", "67", "68") else "metropole"
        ]
        for event, delta in rules[request["procedure"]]:
            day = date.fromisoformat(request["events"][event]["date"]) + delta
            while not cal.is_working_day(day):
                day += timedelta(days=1)
            count += 1
    return count, time.perf_counter() - start


def bench_cli(requests: list[dict]) -> tuple[int, float]:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "batch.jsonl"
        path.write_text("\n".join(json.dumps(r) for r in requests) + "\n")
        exe = ROOT / ".venv" / "bin" / "casefile"
        start = time.perf_counter()
        result = subprocess.run(
            [str(exe), "deadlines", "--batch", str(path), "--format", "jsonl"],
            capture_output=True,
            check=True,
            env=os.environ,
        )
        elapsed = time.perf_counter() - start
    lines = result.stdout.splitlines()
    assert len(lines) == len(requests), (len(lines), len(requests))
    errors = sum(1 for line in lines if line.startswith(b'{"error"'))
    assert errors == 0, f"{errors} error lines"
    count = sum(line.count(b'"due":') for line in lines)
    return count, elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--skip-peer", action="store_true")
    args = parser.parse_args()
    requests = synthetic_requests(args.cases)
    count, cold, warm, raw = bench_engine(requests)
    print(f"cases: {args.cases}, deadlines: {count}")
    print(
        f"engine.compute, typed events, first pass:  {count / cold:12,.0f} deadlines/s ({cold:.2f} s)"
    )
    print(
        f"engine.compute, typed events, recompute:   {count / warm:12,.0f} deadlines/s ({warm:.2f} s)"
    )
    print(
        f"schedule_for, raw requests (validation):   {count / raw:12,.0f} deadlines/s ({raw:.2f} s)"
    )
    if not args.skip_peer:
        peer_count, peer_time = bench_workalendar(requests)
        print(
            f"workalendar peer (fewer rules):             {peer_count / peer_time:12,.0f} deadlines/s ({peer_time:.2f} s)"
        )
        print(
            f"ratio engine (first pass) / peer:           {(count / cold) / (peer_count / peer_time):12.2f}x"
        )
    cli_count, cli_time = bench_cli(requests)
    print(
        f"CLI --batch end to end:                     {cli_count / cli_time:12,.0f} deadlines/s ({cli_time:.2f} s, {cli_count} deadlines)"
    )


if __name__ == "__main__":
    main()
