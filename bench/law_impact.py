"""`casefile law impact` on a large portfolio (issue 10 item 6): 100 000 pending cases on
PostgreSQL (or SQLite), compared with a proposed law data in which CPC 857 says ten days,
Good Friday no longer counts in Alsace-Moselle and the L441-10 margin is 12 points.

    .venv/bin/python bench/law_impact.py                        # PostgreSQL, 100 000 cases
    .venv/bin/python bench/law_impact.py --engine sqlite --cases 10000
    CASEFILE_BENCH_POSTGRES=postgresql://postgres@127.0.0.1:5432/postgres  (server to use)

The portfolio is created as bench/portfolio.py does (an aged balance imported through the real
path, one case per debtor, injonction de payer, departments from Paris to Metz and La Réunion),
then every case gets its ordonnance and its signification. Anchor, measured in the same run:
`recompute_many` of every case (the existing bulk recompute, which reads the same inputs and
writes the deadlines). Figures: `law impact` with deadline changes only (calendar + rule), the
same with a parameter change (every case's claim statement computed twice), and `law apply`
once the calendar change is in service.

Measured on 30 November 2026 on the shared 2-core machine, PostgreSQL at 127.0.0.1 (other
sessions running): import 57.0 s; anchor `recompute_many` of the 100 000 cases (179 813
deadlines) 86.7 s; `law impact` with the calendar and rule changes 50.0 s (0.58 × the anchor,
165 cases affected); with the L441-10 margin changed too 147.5 s (1.70 ×, 80 029 claim totals
move); `law apply` 111.2 s (1.28 ×, 165 cases recomputed); peak RSS 389 MiB.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import shutil
import sys
import tempfile
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from _support import create_database, drop_database  # noqa: E402
from portfolio import peak_rss_mib, write_csv  # noqa: E402

TODAY = date(2026, 6, 30)  # the last semester whose rates parameters.toml knows


def proposed_copy(target: Path, parameters: bool) -> Path:
    for folder in ("procedures", "calendars", "document_templates"):
        shutil.copytree(ROOT / folder, target / folder)

    def edit(path: Path, old: str, new: str) -> None:
        text = path.read_text(encoding="utf-8")
        assert old in text, (path, old)
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    edit(
        target / "procedures/assignation_paiement.toml", 'period = "-8 days"', 'period = "-10 days"'
    )
    edit(
        target / "calendars/territories.toml",
        'counted = ["Vendredi saint", "Saint-Étienne"]',
        'counted = ["Saint-Étienne"]',
    )
    if parameters:
        edit(target / "procedures/parameters.toml", 'value = "10.00"', 'value = "12.00"')
    return target


async def run(url: str, cases: int, tmp: Path) -> dict[str, object]:
    from casefile import definitions
    from casefile.services import law_impact
    from casefile.store import db
    from casefile.store.imports import ImportOptions, import_file
    from casefile.store.permissions import SYSTEM
    from casefile.store.recompute import recompute_many
    from casefile.store.tables import Case, Event

    figures: dict[str, object] = {"cases": cases}
    csv_path = tmp / "balance.csv"
    write_csv(csv_path, cases, cases)
    await db.connect(url)
    try:
        await db.migrate()
        t0 = time.perf_counter()
        report = await import_file(
            csv_path,
            ImportOptions(creditor="Grossiste National SA", procedure="injonction_de_payer"),
            SYSTEM,
        )
        figures["import_s"] = round(time.perf_counter() - t0, 1)
        assert not report.errors, report.errors[:3]
        ids = [row["id"] for row in await Case.select(Case.id).order_by(Case.id)]
        rng = random.Random(20261130)
        now = datetime.now(UTC)
        rows = []
        for case_id in ids:
            rendered = date(2026, 9, 1) + timedelta(days=rng.randrange(0, 300))
            rows.append(
                Event(
                    case=case_id,
                    key="ordonnance_rendue",
                    date=rendered,
                    attributes={},
                    created_by="bench",
                    created_at=now,
                )
            )
            rows.append(
                Event(
                    case=case_id,
                    key="ordonnance_signifiee",
                    date=rendered + timedelta(days=rng.randrange(5, 40)),
                    attributes={"a_personne": rng.random() < 0.8},
                    created_by="bench",
                    created_at=now,
                )
            )
        async with db.atomic():
            for i in range(0, len(rows), 2000):
                await Event.insert(*rows[i : i + 2000])
        t0 = time.perf_counter()
        async with db.atomic():
            figures["deadlines"] = await recompute_many(None)
        anchor = time.perf_counter() - t0
        figures["anchor_recompute_all_s"] = round(anchor, 1)

        for name, with_parameters in (("deadlines_only", False), ("with_parameters", True)):
            proposed = law_impact.proposed_law(str(proposed_copy(tmp / name, with_parameters)))
            t0 = time.perf_counter()
            result = await law_impact.impact(SYSTEM, proposed, TODAY)
            took = time.perf_counter() - t0
            figures[f"impact_{name}_s"] = round(took, 1)
            figures[f"impact_{name}_ratio"] = round(took / anchor, 2)
            figures[f"impact_{name}_affected"] = result.cases_affected
            figures[f"impact_{name}_examined"] = result.cases_examined

        os.environ["CASEFILE_DATA_DIR"] = str(tmp / "deadlines_only")
        definitions.engine.cache_clear()
        definitions.parameters.cache_clear()
        t0 = time.perf_counter()
        applied = await law_impact.apply(SYSTEM, "bench: art. 857 à dix jours, Vendredi saint")
        took = time.perf_counter() - t0
        figures["apply_s"] = round(took, 1)
        figures["apply_ratio"] = round(took / anchor, 2)
        figures["apply_recomputed"] = applied.cases_recomputed
    finally:
        await db.close()
    figures["peak_rss_mib"] = round(peak_rss_mib(), 1)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", choices=("sqlite", "postgres"), default="postgres")
    parser.add_argument("--cases", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        database = None
        if args.engine == "sqlite":
            url = f"sqlite:///{tmp}/bench.db"
        else:
            database = f"casefile_bench_{uuid.uuid4().hex[:10]}"
            url = asyncio.run(create_database(database))
        try:
            figures = asyncio.run(run(url, args.cases, tmp))
        finally:
            if database is not None:
                asyncio.run(drop_database(database))
    print(json.dumps({"engine": args.engine, **figures}, ensure_ascii=False))


if __name__ == "__main__":
    main()
