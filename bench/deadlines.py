"""Benchmark: the deadline engine against a workalendar peer, process start, batch CLI.

Reports, in one run (issue 14 item 1):
  1. the engine in one process on a synthetic portfolio (typed events, as the store holds
     them; the prepared inputs frozen out of the garbage collector, as a streamed batch never
     holds them all): a first pass on a freshly loaded engine (nothing memoised, holiday and
     working-day tables built on first use), then the same cases again (memoised);
  2. the same portfolio through a straightforward implementation on workalendar's France
     calendar (the peer a Python developer would write), fresh calendars each round;
     within a round the cases go in slices, each computed by the engine then by the peer,
     so both see the same load; each round gives the two ratios (engine deadlines/s over
     peer deadlines/s); min and median over the rounds are printed;
  3. process start: `casefile deadlines …` for one case (and `casefile --help`), wall time of
     whole processes, min and median;
  4. end to end through `casefile deadlines --batch` (process start, JSON in and out).
Targets (issue 14): first pass >= 2x the peer, memoised >= 5x, start < 0.2 s.

The collector runs with casefile's thresholds (`casefile.gc_pause.tune()`, what every
`casefile …` process sets at start); `--default-gc` keeps CPython's (700, 10, 10) instead.
The peer allocates nothing that lives: its figure does not depend on them.

    .venv/bin/python bench/deadlines.py [--cases 100000] [--rounds 5] [--starts 15]
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import random
import statistics
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


Prepared = list[tuple[str, dict, object]]


def prepare(requests: list[dict]) -> Prepared:
    """Events already typed, as the store holds them (validation is not timed here)."""
    from casefile.definitions import engine
    from casefile.law.requests import facts_from

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
    return prepared


SLICES = 20


def bench_round(prepared: Prepared, requests: list[dict]) -> tuple[int, int, float, float, float]:
    """One round: a freshly loaded engine (its load not timed) and fresh peer calendars; the
    cases in `SLICES` slices, each computed by the engine then by the peer, so that both see
    the same load; then the same again (the engine memoised, the peer as before).
    Returns (engine deadlines, peer deadlines, engine first pass, engine memoised, peer) in
    seconds; the peer's time is the mean of its two passes."""
    from casefile.definitions import data_dir, load_engine, recorded_rates_file

    eng = load_engine(data_dir(), recorded_rates_file())
    compute = eng.compute
    peer = Peer()
    size = max(1, len(prepared) // SLICES)
    bounds = [(i, min(i + size, len(prepared))) for i in range(0, len(prepared), size)]
    count = peer_count = 0
    first = memoised = peer_time = 0.0
    for phase in ("first", "memoised"):
        for lo, hi in bounds:
            start = time.perf_counter()
            for procedure_key, events, facts in prepared[lo:hi]:
                n = len(compute(procedure_key, events, facts).deadlines)
                if phase == "first":
                    count += n
            elapsed = time.perf_counter() - start
            if phase == "first":
                first += elapsed
            else:
                memoised += elapsed
            start = time.perf_counter()
            n = peer.run(requests[lo:hi])
            peer_time += time.perf_counter() - start
            if phase == "first":
                peer_count += n
    return count, peer_count, first, memoised, peer_time / 2


def bench_validation(requests: list[dict]) -> tuple[int, float]:
    """`schedule_for` on the raw requests (validation included), on the warm engine."""
    from casefile.definitions import engine
    from casefile.law.requests import schedule_for

    eng = engine()
    start = time.perf_counter()
    count = 0
    for request in requests:
        count += len(schedule_for(eng, request).deadlines)
    return count, time.perf_counter() - start


class Peer:
    """The peer: workalendar's France calendar, dateutil months, one rule per procedure."""

    def __init__(self) -> None:
        from dateutil.relativedelta import relativedelta
        from workalendar.europe import France, FranceAlsaceMoselle

        self.calendars = {"metropole": France(), "alsace-moselle": FranceAlsaceMoselle()}
        self.rules = {
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

    def run(self, requests: list[dict]) -> int:
        calendars, rules = self.calendars, self.rules
        count = 0
        for request in requests:
            cal = calendars[
                "alsace-moselle"
                if request["court_department"] in ("57", "67", "68")
                else "metropole"
            ]
            for event, delta in rules[request["procedure"]]:
                day = date.fromisoformat(request["events"][event]["date"]) + delta
                while not cal.is_working_day(day):
                    day += timedelta(days=1)
                count += 1
        return count


def bench_workalendar(requests: list[dict]) -> tuple[int, float]:
    """The peer alone over `requests` (fresh calendars): (deadlines, seconds)."""
    peer = Peer()
    start = time.perf_counter()
    count = peer.run(requests)
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


def bench_start(repeat: int) -> dict[str, list[float]]:
    """Wall time of whole processes: one case computed, the help text, a bare interpreter."""
    exe = str(ROOT / ".venv" / "bin" / "casefile")
    commands = {
        "casefile deadlines (one case)": [
            exe,
            "deadlines",
            "--procedure",
            "injonction_de_payer",
            "--event",
            "ordonnance_rendue=2026-03-02",
            "--event",
            "ordonnance_signifiee=2026-04-30:a_personne=true",
            "--format",
            "json",
        ],
        "casefile --help": [exe, "--help"],
        "python -c pass (anchor)": [sys.executable, "-c", "pass"],
    }
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(repeat):
        for name, command in commands.items():
            start = time.perf_counter()
            subprocess.run(command, capture_output=True, check=True)
            times[name].append(time.perf_counter() - start)
    return times


def _spread(values: list[float]) -> str:
    return f"min {min(values):.2f} / median {statistics.median(values):.2f}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--starts", type=int, default=15, help="process starts timed")
    parser.add_argument("--skip-cli", action="store_true", help="no --batch end-to-end run")
    parser.add_argument(
        "--default-gc", action="store_true", help="CPython's collector thresholds, not casefile's"
    )
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()[0]:.2f}")
    if not args.default_gc:
        from casefile import gc_pause

        gc_pause.tune()
    print(f"collector thresholds: {gc.get_threshold()}")
    requests = synthetic_requests(args.cases)
    prepared = prepare(requests)
    # The prepared inputs (hundreds of thousands of objects a streamed batch never holds at
    # once) are moved out of the collector's sight: the engine's own objects are collected as
    # usual. The peer allocates nothing that lives, so this changes nothing for it.
    gc.collect()
    gc.freeze()
    first_ratios: list[float] = []
    memo_ratios: list[float] = []
    for round_ in range(args.rounds):
        count, peer_count, first, memoised, peer_time = bench_round(prepared, requests)
        peer_rate = peer_count / peer_time
        first_ratios.append(count / first / peer_rate)
        memo_ratios.append(count / memoised / peer_rate)
        print(
            f"round {round_ + 1}: engine first pass {count / first:10,.0f} deadlines/s, "
            f"memoised {count / memoised:10,.0f}/s; peer {peer_rate:10,.0f}/s "
            f"({count} vs {peer_count} deadlines); ratios "
            f"{first_ratios[-1]:.2f}x / {memo_ratios[-1]:.2f}x "
            f"(load {os.getloadavg()[0]:.2f})"
        )
    print(f"cases: {args.cases}, deadlines: {count}")
    print(f"first pass / peer: {_spread(first_ratios)}   (target >= 2)")
    print(f"memoised  / peer: {_spread(memo_ratios)}   (target >= 5)")
    raw_count, raw = bench_validation(requests)
    print(f"schedule_for, raw requests (validation, warm): {raw_count / raw:12,.0f} deadlines/s")
    for name, values in bench_start(args.starts).items():
        print(f"start, {name}: {_spread(values)} s over {len(values)} runs")
    if not args.skip_cli:
        cli_count, cli_time = bench_cli(requests)
        print(
            f"CLI --batch end to end: {cli_count / cli_time:12,.0f} deadlines/s "
            f"({cli_time:.2f} s, {cli_count} deadlines)"
        )
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
