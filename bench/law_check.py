"""`casefile check` on the whole law data, against the hand-written validator it replaced.

    .venv/bin/python bench/law_check.py                 # anchor: main before issue 10 item 1
    .venv/bin/python bench/law_check.py --before REV --rounds 9

Anchor, measured in the same run: the code of revision `--before` (exported with `git archive`,
run by the same interpreter). Two figures, each as a median over alternating rounds:

- the whole `casefile check` command (a fresh process: imports, law data, templates), each
  version on its own data;
- loading the law data alone in-process (procedures, calendars, parameters), both versions
  on the *current* data files (the old loader ignores the keys it does not know, which is the
  point of the change; the template manifest is left out: its old parser refuses the keys
  added since).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# main just before the strict loader landed: the hand-written validator, with every key the
# definitions used then (issue 10 items 2, 3, 7, 8 included).
ANCHOR = "b3035ad9089b9417936791b3fec891ecddad4bfe"

LOAD = """
import statistics, sys, time
from pathlib import Path
from casefile.law.parameters import load_parameters
from casefile.law.procedures import load_procedures
from casefile.law.territories import load_territories
data = Path(sys.argv[1])
def once():
    load_procedures(data / "procedures")
    load_territories(data / "calendars" / "territories.toml")
    load_parameters(data / "procedures" / "parameters.toml")
once()
times = []
for _ in range(int(sys.argv[2])):
    start = time.perf_counter()
    once()
    times.append(time.perf_counter() - start)
print(statistics.median(times))
"""


def export(revision: str, target: Path) -> None:
    archive = subprocess.run(
        ["git", "archive", revision], cwd=ROOT, check=True, capture_output=True
    ).stdout
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(target, filter="data")


def check_time(code: Path) -> float:
    env = {**os.environ, "PYTHONPATH": str(code)}
    env.pop("CASEFILE_DATA_DIR", None)
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "casefile.cli", "check"],
        cwd=code,
        env=env,
        check=True,
        capture_output=True,
    )
    return time.perf_counter() - start


def load_time(code: Path, repeat: int) -> float:
    env = {**os.environ, "PYTHONPATH": str(code)}
    result = subprocess.run(
        [sys.executable, "-c", LOAD, str(ROOT), str(repeat)],
        cwd=code,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return float(result.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--before", default=ANCHOR, help="anchor revision (the old loader)")
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=30, help="in-process loads per round")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        before = Path(tmp)
        export(args.before, before)
        checks: dict[str, list[float]] = {"before": [], "after": []}
        loads: dict[str, list[float]] = {"before": [], "after": []}
        for _ in range(args.rounds):
            for name, code in (("before", before), ("after", ROOT)):
                checks[name].append(check_time(code))
                loads[name].append(load_time(code, args.repeat))
    check = {name: statistics.median(values) for name, values in checks.items()}
    load = {name: statistics.median(values) for name, values in loads.items()}
    print(
        f"casefile check (whole command)   before {check['before']:.3f} s   "
        f"after {check['after']:.3f} s   ratio {check['after'] / check['before']:.2f}"
    )
    print(
        f"law data load (current files)    before {load['before'] * 1000:.1f} ms  "
        f"after {load['after'] * 1000:.1f} ms  ratio {load['after'] / load['before']:.2f}"
    )


if __name__ == "__main__":
    main()
