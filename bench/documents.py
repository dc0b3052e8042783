"""Render every pleading template for a 20-invoice case; print the median time per template.

Target: median < 100 ms per document. Run: .venv/bin/python bench/documents.py [--repeat N]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from casefile.documents.demo import demo_for
from casefile.documents.manifest import load_manifest
from casefile.documents.render import render

TARGET_MS = 100.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=21)
    parser.add_argument("--invoices", type=int, default=20)
    args = parser.parse_args()
    keys = sorted(load_manifest().templates)
    print(f"documents: {len(keys)} templates, {args.invoices} invoices, {args.repeat} runs each")
    print(f"{'template':32} {'median ms':>10} {'min ms':>8} {'max ms':>8} {'size kB':>8}")
    worst = 0.0
    for key in keys:
        data = demo_for(key, invoice_count=args.invoices)
        render(key, data)  # warm-up: template bytes cached, imports done
        timings = []
        size = 0
        for _ in range(args.repeat):
            start = time.perf_counter()
            size = len(render(key, data))
            timings.append((time.perf_counter() - start) * 1000)
        median = statistics.median(timings)
        worst = max(worst, median)
        print(f"{key:32} {median:10.1f} {min(timings):8.1f} {max(timings):8.1f} {size / 1024:8.1f}")
    verdict = "ok" if worst < TARGET_MS else "OVER TARGET"
    print(f"worst median {worst:.1f} ms (target < {TARGET_MS:.0f} ms): {verdict}")
    return 0 if worst < TARGET_MS else 1


if __name__ == "__main__":
    raise SystemExit(main())
