"""The daily reminder run (issue 17 item 1) over a portfolio on PostgreSQL.

    .venv/bin/python bench/dunning.py                 # 20 000 cases (5 000 amicable), 5 runs
    .venv/bin/python bench/dunning.py --cases 4000 --repeat 9
    CASEFILE_BENCH_POSTGRES=postgresql://postgres@127.0.0.1:5432/postgres  (server to use)

Fills a throw-away database as `bench/aged_balance.py` does (one case in four amicable, three
invoices each, some paid, some disputed; debtors without an e-mail address). Then times, in
turn so that both see the same load:

- the anchor: reading the same rows with plain SQL (the amicable cases, their parties, claims,
  payments, actions, promises and active plans) — the floor of any scenario computation;
- `casefile.services.dunning.gather`: the same rows read through the store plus the scenario
  state of every amicable case (outstanding per invoice, stops, promises, next step).

Printed: min and median of each, the ratio of the medians, the time per case, the load average.
Then one real `run_due` (the job: each due action created, audited; the e-mails fail for want of
an address, which exercises the write path of every case) is timed once, and a second run of the
same day (nothing new: what every retry costs). The database is dropped at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import time
import uuid
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from _support import create_database, drop_database  # noqa: E402
from aged_balance import prepare  # noqa: E402

ANCHOR = """
SELECT c.*, p.*, k.*, y.*
FROM cases c
JOIN parties p ON p."case" = c.id
LEFT JOIN claims k ON k."case" = c.id AND p.role = 'debtor'
LEFT JOIN payments y ON y."case" = c.id AND p.role = 'creditor'
WHERE c.phase = 'amiable' AND c.status NOT IN ('closed', 'paid')
"""
EXTRA = (
    'SELECT * FROM dunning_actions WHERE "case" IN '
    "(SELECT id FROM cases WHERE phase = 'amiable')",
    'SELECT * FROM payment_promises WHERE "case" IN '
    "(SELECT id FROM cases WHERE phase = 'amiable')",
    'SELECT "case" FROM payment_plans WHERE active AND "case" IN '
    "(SELECT id FROM cases WHERE phase = 'amiable')",
)


async def measure(url: str, repeat: int) -> None:
    from casefile.services import dunning
    from casefile.store import db

    await db.connect(url)
    try:
        from piccolo.engine import engine_finder

        engine = engine_finder()
        assert engine is not None
        today = date.today()

        async def anchor() -> None:
            await engine.run_ddl(ANCHOR)  # type: ignore[union-attr]
            for sql in EXTRA:
                await engine.run_ddl(sql)  # type: ignore[union-attr]

        async def subject() -> int:
            cases = await dunning.amicable_cases()
            states = []
            for start in range(0, len(cases), dunning.CHUNK):
                states += await dunning.gather(cases[start : start + dunning.CHUNK], today)
            return len(states)

        count = await subject()  # warm both once
        await anchor()
        anchors, subjects = [], []
        for _ in range(repeat):
            started = time.perf_counter()
            await anchor()
            anchors.append(time.perf_counter() - started)
            started = time.perf_counter()
            await subject()
            subjects.append(time.perf_counter() - started)
        load = os.getloadavg()[0]
        a_med, s_med = statistics.median(anchors), statistics.median(subjects)
        print(f"amicable cases: {count}; load average {load:.1f}")
        print(
            f"anchor (plain SQL, same rows): min {min(anchors) * 1000:.0f} ms, "
            f"median {a_med * 1000:.0f} ms"
        )
        print(
            f"gather (scenario state of every case): min {min(subjects) * 1000:.0f} ms, "
            f"median {s_med * 1000:.0f} ms, {s_med / count * 1e6:.0f} µs a case"
        )
        print(
            f"ratio gather / anchor: min {min(subjects) / min(anchors):.1f}×, median {s_med / a_med:.1f}×"
        )
        os.environ.pop("CASEFILE_SMTP_URL", None)
        started = time.perf_counter()
        report = await dunning.run_due(today)
        first = time.perf_counter() - started
        started = time.perf_counter()
        again = await dunning.run_due(today)
        second = time.perf_counter() - started
        print(
            f"run_due, first run of the day: {first:.1f} s ({first / count * 1000:.1f} ms a case), "
            f"created {report['created']}"
        )
        print(
            f"run_due, same day again: {second:.1f} s ({second / count * 1000:.1f} ms a case), "
            f"created {again['created']}"
        )
    finally:
        await db.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    name = f"casefile_bench_dunning_{uuid.uuid4().hex[:8]}"
    url = asyncio.run(create_database(name))
    os.environ["CASEFILE_DATABASE_URL"] = url
    try:
        asyncio.run(prepare(url, args.cases))
        asyncio.run(measure(url, args.repeat))
    finally:
        asyncio.run(drop_database(name))


if __name__ == "__main__":
    main()
