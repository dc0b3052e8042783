"""Render every pleading template for a 20-invoice case; time per document against an anchor.

For each template, in the same run: `casefile.documents.render.render` (context built from the
case data, then docxtpl) and the anchor, a plain docxtpl render of the same template bytes with
the context precomputed once (what docxtpl itself costs). Printed: min and median of each, and
the ratio of the medians (render / anchor); the difference is the cost of building the context.

Target: median < 100 ms per document. Run: .venv/bin/python bench/documents.py [--repeat N]
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from docxtpl import DocxTemplate

from casefile.documents.demo import demo_for
from casefile.documents.manifest import load_manifest
from casefile.documents.render import build_context, make_environment, render

TARGET_MS = 100.0


def _timings(work: Callable[[], object], repeat: int) -> list[float]:
    work()  # warm-up: template bytes cached, imports done
    out = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        out.append((time.perf_counter() - start) * 1000)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=21)
    parser.add_argument("--invoices", type=int, default=20)
    args = parser.parse_args()
    manifest = load_manifest()
    keys = sorted(manifest.templates)
    print(f"documents: {len(keys)} templates, {args.invoices} invoices, {args.repeat} runs each")
    print(
        f"{'template':32} {'render min':>10} {'median':>8} {'anchor min':>10} {'median':>8} "
        f"{'ratio':>6} {'size kB':>8}"
    )
    worst = 0.0
    for key in keys:
        data = demo_for(key, invoice_count=args.invoices)
        source = manifest.template_path(key).read_bytes()
        context = build_context(key, data, manifest)

        def anchor(source: bytes = source, context: dict[str, object] = context) -> bytes:
            template = DocxTemplate(io.BytesIO(source))
            template.render(context, jinja_env=make_environment(), autoescape=True)
            out = io.BytesIO()
            template.save(out)
            return out.getvalue()

        size = len(render(key, data))
        ours = _timings(lambda key=key, data=data: render(key, data), args.repeat)
        plain = _timings(anchor, args.repeat)
        median, base = statistics.median(ours), statistics.median(plain)
        worst = max(worst, median)
        print(
            f"{key:32} {min(ours):10.1f} {median:8.1f} {min(plain):10.1f} {base:8.1f} "
            f"{median / base:6.2f} {size / 1024:8.1f}"
        )
    verdict = "ok" if worst < TARGET_MS else "OVER TARGET"
    print(f"worst median {worst:.1f} ms (target < {TARGET_MS:.0f} ms): {verdict}")
    return 0 if worst < TARGET_MS else 1


if __name__ == "__main__":
    raise SystemExit(main())
