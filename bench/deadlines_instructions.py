"""Benchmark: the deadline engine against the workalendar peer in executed instructions.

`bench/deadlines.py` times both in wall-clock seconds; on a shared 2-core machine its ratios
move by half from one run to the next. This breakdown counts the machine instructions each
executes (valgrind's callgrind), which the load does not change, in one run:

  setup     inputs prepared (typed events, their identities computed, as in the rounds after
            the first), a fresh engine loaded and fresh peer calendars built; nothing computed;
  first     setup + the engine's first pass over the portfolio (nothing memoised);
  memoised  setup + the first pass + the same cases again;
  peer      setup + the peer over the portfolio twice (`bench/deadlines.py` times its two passes
            and takes the mean: so does this script).

Each figure is the difference with `setup`, per deadline; the ratios are the peer's instructions
per deadline over the engine's (what `bench/deadlines.py` reports in deadlines/s, when the
instructions of both cost the same time). Same synthetic portfolio, same peer
(`bench/deadlines.py`'s `Peer`). Needs valgrind; about 3 minutes per 10 000 cases on one core.

    .venv/bin/python bench/deadlines_instructions.py [--cases 30000] [--jobs 2]
"""

from __future__ import annotations

import argparse
import gc
import os
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

MODES = ("setup", "first", "memoised", "peer")


def child(mode: str, cases: int) -> None:
    """What one valgrind run executes (`--child MODE`)."""
    from deadlines import Peer, prepare, synthetic_requests

    from casefile.definitions import data_dir, load_engine, recorded_rates_file

    requests = synthetic_requests(cases)
    prepared = prepare(requests)
    for _, events, _ in prepared:
        for event in events.values():
            event._ident()
    gc.collect()
    gc.freeze()
    engine = load_engine(data_dir(), recorded_rates_file())
    peer = Peer()
    if mode in ("first", "memoised"):
        for procedure, events, facts in prepared:
            engine.compute(procedure, events, facts)
    if mode == "memoised":
        for procedure, events, facts in prepared:
            engine.compute(procedure, events, facts)
    if mode == "peer":
        peer.run(requests)
        peer.run(requests)
    # No teardown: the interpreter's exit would free every memo and prepared input, in the
    # count of the modes that kept more (the first pass's memos: ~2 % of its instructions).
    sys.stdout.flush()
    os._exit(0)


def instructions(mode: str, cases: int) -> int:
    result = subprocess.run(
        [
            "valgrind",
            "--tool=callgrind",
            "--callgrind-out-file=/dev/null",
            sys.executable,
            __file__,
            "--child",
            mode,
            "--cases",
            str(cases),
        ],
        capture_output=True,
        text=True,
        check=True,
        # One hash seed for every run: the dictionaries' layouts, hence the instructions,
        # are then the same from one run to the next (random seeds move them by about 1 %).
        env={**os.environ, "PYTHONHASHSEED": "0"},
    )
    found = re.search(r"Collected : (\d+)", result.stderr)
    if found is None:
        raise RuntimeError(result.stderr[-2000:])
    return int(found.group(1))


def counts(cases: int) -> tuple[int, int]:
    """(engine deadlines, peer deadlines) of the portfolio, computed here (not counted)."""
    from deadlines import Peer, prepare, synthetic_requests

    from casefile.definitions import data_dir, load_engine, recorded_rates_file

    requests = synthetic_requests(cases)
    engine = load_engine(data_dir(), recorded_rates_file())
    total = sum(len(engine.compute(p, e, f).deadlines) for p, e, f in prepare(requests))
    return total, Peer().run(requests)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=30_000)
    parser.add_argument("--jobs", type=int, default=2, help="valgrind runs at once")
    parser.add_argument("--child", choices=MODES)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.cases)
        return
    print(f"load average before: {os.getloadavg()[0]:.2f} (instructions do not depend on it)")
    with ThreadPoolExecutor(args.jobs) as pool:
        measured = dict(
            zip(MODES, pool.map(lambda m: instructions(m, args.cases), MODES), strict=True)
        )
    engine_deadlines, peer_deadlines = counts(args.cases)
    base = measured["setup"]
    first = (measured["first"] - base) / engine_deadlines
    memoised = (measured["memoised"] - measured["first"]) / engine_deadlines
    peer = (measured["peer"] - base) / 2 / peer_deadlines
    print(f"cases: {args.cases}, deadlines: engine {engine_deadlines}, peer {peer_deadlines}")
    print(f"instructions per deadline: engine first pass {first:,.0f}, memoised {memoised:,.0f}")
    print(f"instructions per deadline: peer {peer:,.0f} (mean of its two passes)")
    print(f"first pass / peer: {peer / first:.2f}   (target >= 2)")
    print(f"memoised  / peer: {peer / memoised:.2f}   (target >= 5)")


if __name__ == "__main__":
    main()
