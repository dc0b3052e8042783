"""Portfolio benchmark: import 100 000 invoices into 10 000 cases, then recompute every deadline,
on SQLite and on PostgreSQL. Prints the time of each phase and the peak memory (max RSS).

    .venv/bin/python bench/portfolio.py                  # both engines, 100 000 invoices
    .venv/bin/python bench/portfolio.py --engine sqlite --invoices 20000
    CASEFILE_BENCH_POSTGRES=postgresql://postgres@127.0.0.1:5432/postgres  (server to use)

Each engine runs in its own process, so its peak RSS is its own. The import goes through the
real path (`casefile claims import`: CSV parsing, checks, bulk inserts, the recompute of the
cases' deadlines, audit entries) in one transaction. The portfolio is in the amicable phase
(`--procedure amiable`: the import records `exigibilite`); the second phase records a mise en
demeure in every case and recomputes all the deadlines.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from _support import create_database, drop_database

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEPARTMENTS = ("75", "67", "68", "57", "69", "13", "33", "59", "971", "974", "2A", "44")


def write_csv(path: Path, invoices: int, cases: int) -> None:
    rng = random.Random(20261124)
    start = date(2024, 1, 1)
    with path.open("w", encoding="utf-8") as out:
        out.write("debiteur;facture;date facture;echeance;montant ttc;paye;departement;qualite\n")
        for n in range(invoices):
            debtor = n % cases
            issued = start + timedelta(days=rng.randrange(0, 600))
            cents = rng.randrange(1_000, 2_500_000)
            paid = cents // 3 if n % 7 == 0 else 0
            kind = "consommateur" if debtor % 5 == 0 else "professionnel"
            out.write(
                f"Débiteur {debtor:05d} SARL;F{n:07d};{issued.isoformat()};"
                f"{(issued + timedelta(days=30)).isoformat()};"
                f"{cents // 100},{cents % 100:02d};{paid // 100},{paid % 100:02d};"
                f"{DEPARTMENTS[debtor % len(DEPARTMENTS)]};{kind}\n"
            )


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


async def run_engine(url: str, csv_path: Path) -> dict[str, object]:
    from casefile.store import db
    from casefile.store.imports import ImportOptions, import_file
    from casefile.store.permissions import SYSTEM
    from casefile.store.recompute import recompute_many
    from casefile.store.tables import Case, DeadlineRecord, Event

    figures: dict[str, object] = {}
    await db.connect(url)
    try:
        await db.migrate()
        t0 = time.perf_counter()
        report = await import_file(
            csv_path,
            ImportOptions(creditor="Grossiste National SA", procedure="amiable"),
            SYSTEM,
        )
        figures["import_s"] = round(time.perf_counter() - t0, 2)
        assert not report.errors, report.errors[:3]
        figures["import"] = report.summary()

        ids = [row["id"] for row in await Case.select(Case.id)]
        now = datetime.now(UTC)
        t0 = time.perf_counter()
        async with db.atomic():
            rows = [
                Event(
                    case=case_id,
                    key="mise_en_demeure_envoyee",
                    date=date(2026, 1, 15),
                    attributes={"delai": "8 days"},
                    created_by="bench",
                    created_at=now,
                )
                for case_id in ids
            ]
            for i in range(0, len(rows), 1000):
                await Event.insert(*rows[i : i + 1000])
            written = await recompute_many(None)
        figures["recompute_all_s"] = round(time.perf_counter() - t0, 2)
        figures["cases"] = len(ids)
        figures["deadlines"] = written
        figures["deadlines_in_db"] = await DeadlineRecord.count()
    finally:
        await db.close()
    figures["peak_rss_mib"] = round(peak_rss_mib(), 1)
    return figures


def child(engine: str, invoices: int, cases: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        csv_path = Path(tmp) / "balance.csv"
        write_csv(csv_path, invoices, cases)
        database = None
        if engine == "sqlite":
            url = f"sqlite:///{tmp}/bench.db"
        else:
            database = f"casefile_bench_{uuid.uuid4().hex[:10]}"
            url = asyncio.run(create_database(database))
        try:
            figures = asyncio.run(run_engine(url, csv_path))
        finally:
            if database is not None:
                asyncio.run(drop_database(database))
    print(json.dumps({"engine": engine, "invoices": invoices, **figures}, ensure_ascii=False))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--invoices", type=int, default=100_000)
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.engine, args.invoices, args.cases)
        return
    engines = ("sqlite", "postgres") if args.engine == "both" else (args.engine,)
    for engine in engines:
        started = time.perf_counter()
        result = subprocess.run(
            [
                sys.executable,
                __file__,
                "--child",
                "--engine",
                engine,
                "--invoices",
                str(args.invoices),
                "--cases",
                str(args.cases),
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            print(f"{engine}: failed\n{result.stderr[-2000:]}")
            continue
        figures = json.loads(result.stdout.strip().splitlines()[-1])
        print(
            f"{engine:>8}: {figures['invoices']} invoices → {figures['cases']} cases | "
            f"import {figures['import_s']} s | mise en demeure + recompute all "
            f"{figures['recompute_all_s']} s ({figures['deadlines']} deadlines) | "
            f"peak RSS {figures['peak_rss_mib']} MiB | process {time.perf_counter() - started:.1f} s"
        )
        print(f"          {figures['import']}")


if __name__ == "__main__":
    main()
