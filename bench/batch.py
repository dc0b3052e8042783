"""Benchmark: `casefile deadlines --batch` end to end against a plain in-process oracle.

The anchor (the "oracle", run in the same process as this script, in the same run): the due
dates of the same cases computed the plain way a Python developer would write it — the
requests already decoded in memory, dateutil for months and days, the `holidays` package's
French tables (one set per territory and year) for the art. 642 roll, nothing else (no trace,
no statuses, no distance extensions, no JSON). The oracle is warmed once before the runs (its
imports and holiday sets, not timed), so that every run times its dates alone: the stricter
anchor (a cold first run took 3x the others and made that run's ratio look 3x better). The batch CLI is timed end to end as a user
runs it: process start, the JSONL file read, every line validated and computed with its full
trace, the JSON lines written (to a pipe this script drains).

Prints, per run, the CLI's time over the oracle's (target: at most 4×), then min and median;
the `--fields key,due,status` compact mode beside the full contract; and, with
`--rss-cases N` (default 1 000 000), the peak memory of the whole batch (the CLI process and
its workers, resident set sizes summed, sampled every 50 ms) on N cases generated streamed to
a temporary file.

    .venv/bin/python bench/batch.py [--cases 100000] [--runs 3] [--rss-cases 1000000]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from deadlines import synthetic_stream  # noqa: E402

EXE = ROOT / ".venv" / "bin" / "casefile"


def write_cases(path: Path, count: int, seed: int = 2026) -> None:
    """One JSON request per line, generated and written one at a time."""
    with path.open("w", encoding="utf-8") as out:
        for request in synthetic_stream(count, seed):
            out.write(json.dumps(request, separators=(",", ":")))
            out.write("\n")


# -- the oracle --------------------------------------------------------------------------------

_SUBDIVISION = {"57": "57", "67": "57", "68": "57"}
_SUBDIVISION.update({code: code for code in ("971", "972", "973", "974", "976")})


_TABLES: dict[tuple[str | None, int], frozenset[date]] = {}
"""The oracle's holiday sets, one per territory and year: built by its warm-up pass, before
the runs, and kept (a long-running program keeps them; the timed runs compute dates only)."""


def oracle(requests: list[dict[str, Any]]) -> int:
    """The plain computation: each procedure's main time limits, rolled over weekends and the
    territory's public holidays (art. 642) where they roll. Returns the deadlines computed."""
    import holidays
    from dateutil.relativedelta import relativedelta

    tables = _TABLES

    def closed(subdivision: str | None, day: date) -> bool:
        if day.weekday() >= 5:
            return True
        table = tables.get((subdivision, day.year))
        if table is None:
            table = frozenset(holidays.France(subdiv=subdivision, years=day.year))
            tables[(subdivision, day.year)] = table
        return day in table

    def rolled(subdivision: str | None, day: date) -> date:
        while closed(subdivision, day):
            day += timedelta(days=1)
        return day

    month, six_months = relativedelta(months=1), relativedelta(months=6)
    fifteen_days, eight_days = timedelta(days=15), timedelta(days=8)
    count = 0
    for request in requests:
        subdivision = _SUBDIVISION.get(request.get("court_department", "75"))
        events = request["events"]

        def day_of(key: str, events: dict[str, Any] = events) -> date:
            return date.fromisoformat(events[key]["date"])

        procedure = request["procedure"]
        if procedure == "injonction_de_payer":
            rolled(subdivision, day_of("ordonnance_rendue") + six_months)
            rolled(subdivision, day_of("ordonnance_signifiee") + month)
            count += 2
        elif procedure == "refere_provision":
            rolled(subdivision, day_of("ordonnance_signifiee") + fifteen_days)
            count += 1
        elif procedure == "assignation_paiement":
            day_of("audience") - timedelta(days=16)  # backward: never moved
            rolled(subdivision, day_of("jugement_signifie") + month)
            count += 2
        elif procedure == "petites_creances":
            rolled(subdivision, day_of("invitation_envoyee") + month)
            count += 1
        else:
            years = 5 if events["exigibilite"].get("debiteur") == "professionnel" else 2
            day_of("exigibilite") + relativedelta(years=years)  # prescription: no roll
            rolled(subdivision, day_of("mise_en_demeure_envoyee") + eight_days)
            count += 2
    return count


def engine_first_pass(requests: list[dict[str, Any]]) -> tuple[int, float]:
    """For reference: the engine in this process on typed events, its memo emptied first."""
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
    eng.clear_memos()
    start = time.perf_counter()
    count = 0
    for procedure_key, events, facts in prepared:
        count += len(eng.compute(procedure_key, events, facts).deadlines)
    return count, time.perf_counter() - start


# -- the CLI, end to end -----------------------------------------------------------------------


def _tree_rss_kib(root: int) -> tuple[int, int, int]:
    """(sum, max) of the resident set sizes of `root` and its descendants, and the sum of
    their proportional set sizes, in KiB."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/status") as status:
                text = status.read()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in text.splitlines() if ":" in line)
        pid = int(entry)
        children.setdefault(int(fields["PPid"]), []).append(pid)
        rss[pid] = int(fields.get("VmRSS", "0 kB").split()[0])
    total, largest, proportional, todo = 0, 0, 0, [root]
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        largest = max(largest, rss.get(pid, 0))
        proportional += _pss_kib(pid)
        todo.extend(children.get(pid, []))
    return total, largest, proportional


def _pss_kib(pid: int) -> int:
    """Proportional set size: the pages a forked worker shares with its parent (the loaded
    law data) counted once across them, not once per process."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as rollup:
            for line in rollup:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def run_cli(path: Path, extra: list[str], sample_rss: bool = False) -> dict[str, Any]:
    """Run the batch, drain its output; returns time, lines, deadlines, error lines, peak RSS."""
    command = [str(EXE), "deadlines", "--batch", str(path), "--format", "jsonl", *extra]
    peak = {"sum": 0, "max": 0, "pss": 0}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE)
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            total, largest, proportional = _tree_rss_kib(process.pid)
            peak["sum"] = max(peak["sum"], total)
            peak["max"] = max(peak["max"], largest)
            peak["pss"] = max(peak["pss"], proportional)
            done.wait(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    if sample_rss:
        sampler.start()
    assert process.stdout is not None
    lines = deadlines = errors = 0
    tail = b""
    while block := process.stdout.read(1 << 20):
        lines += block.count(b"\n")
        # patterns cut across two reads: the previous read's end (shorter than the pattern)
        deadlines += (tail[-5:] + block).count(b'"due":')
        errors += (tail[-7:] + block).count(b'{"error"')
        tail = block[-200:]
    code = process.wait()
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)  # the CLI and its reaped workers
    done.set()
    if sample_rss:
        sampler.join()
    assert code == 0, (code, tail)
    return {
        "seconds": elapsed,
        "cpu": (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime),
        "lines": lines,
        "deadlines": deadlines,
        "errors": errors,
        "peak_rss_mib": peak["sum"] / 1024,
        "largest_process_mib": peak["max"] / 1024,
        "peak_pss_mib": peak["pss"] / 1024,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--rss-cases", type=int, default=1_000_000, help="0: skip the memory measure"
    )
    parser.add_argument("--jobs", type=int, default=0, help="--jobs for the CLI (0: its default)")
    args = parser.parse_args()
    extra = ["--jobs", str(args.jobs)] if args.jobs else []
    print(f"load average: {os.getloadavg()[0]:.1f}; cores: {os.cpu_count()}")
    with tempfile.TemporaryDirectory(prefix="casefile-batch-") as tmp:
        path = Path(tmp) / "cases.jsonl"
        write_cases(path, args.cases)
        with path.open("rb") as source:
            requests = [json.loads(line) for line in source]
        count, seconds = engine_first_pass(requests)
        print(
            f"{args.cases} cases; engine in process, first pass: {count / seconds:,.0f} deadlines/s"
        )
        # The oracle's warm-up, not timed: `import holidays`, dateutil and its holiday sets
        # built. Timed cold, its first run took 3x the next ones (0.70 s, then 0.22 s): a ratio
        # over a cold anchor flatters the CLI. Warmed, every run times the dates alone, as
        # the CLI is timed whole each run (its start, its law data loaded, every line).
        oracle(requests)
        ratios: dict[str, list[float]] = {
            "full": [],
            "fields": [],
            "full, CPU": [],
            "fields, CPU": [],
        }
        for run in range(1, args.runs + 1):
            start = time.perf_counter()
            cpu = time.process_time()
            oracle_count = oracle(requests)
            anchor = time.perf_counter() - start
            anchor_cpu = time.process_time() - cpu
            full = run_cli(path, extra)
            compact = run_cli(path, [*extra, "--fields", "key,due,status"])
            assert full["lines"] == compact["lines"] == args.cases
            assert full["errors"] == compact["errors"] == 0
            assert full["deadlines"] == compact["deadlines"]
            ratios["full"].append(full["seconds"] / anchor)
            ratios["fields"].append(compact["seconds"] / anchor)
            # CPU time: what each side consumed, whatever share of the cores the load left it
            ratios["full, CPU"].append(full["cpu"] / anchor_cpu)
            ratios["fields, CPU"].append(compact["cpu"] / anchor_cpu)
            print(
                f"run {run}: oracle {anchor:.2f} s ({oracle_count} deadlines); "
                f"CLI full {full['seconds']:.2f} s ({full['deadlines']} deadlines) = "
                f"{ratios['full'][-1]:.2f}x; --fields key,due,status {compact['seconds']:.2f} s = "
                f"{ratios['fields'][-1]:.2f}x; CPU: oracle {anchor_cpu:.2f} s, CLI full "
                f"{full['cpu']:.2f} s (all processes) = {ratios['full, CPU'][-1]:.2f}x, "
                f"--fields {compact['cpu']:.2f} s = {ratios['fields, CPU'][-1]:.2f}x; "
                f"load {os.getloadavg()[0]:.1f}"
            )
        for name, values in ratios.items():
            print(
                f"CLI {name} / oracle: min {min(values):.2f}x, median "
                f"{statistics.median(values):.2f}x (target <= 4x)"
            )
        del requests
        if args.rss_cases:
            big = Path(tmp) / "many.jsonl"
            write_cases(big, args.rss_cases, seed=1)
            result = run_cli(big, extra, sample_rss=True)
            assert result["lines"] == args.rss_cases and result["errors"] == 0
            print(
                f"{args.rss_cases} cases, full output: {result['seconds']:.1f} s "
                f"(CPU {result['cpu']:.1f} s, all processes), "
                f"{result['deadlines']} deadlines; peak memory of the batch (target < 300 MiB): "
                f"PSS {result['peak_pss_mib']:.0f} MiB, RSS {result['peak_rss_mib']:.0f} MiB "
                f"(all processes summed, shared pages counted in each; largest process "
                f"{result['largest_process_mib']:.0f} MiB)"
            )
    print(f"load average: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
