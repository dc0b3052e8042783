"""Portfolio figures at 100 000 invoices on PostgreSQL (issue 17 item 4: target p95 < 300 ms):
the aged balance (whole portfolio, one commissaire, one lawyer, one creditor), the aged balance
per debtor, the DSO, the amounts in litigation by procedure and stage, the recovery per
procedure.

    .venv/bin/python bench/aged_balance.py                     # 100 000 invoices, 30 runs each
    .venv/bin/python bench/aged_balance.py --invoices 20000 --repeat 50
    CASEFILE_BENCH_POSTGRES=postgresql://postgres@127.0.0.1:5432/postgres  (server to use)

Creates a throw-away database and migrates it; fills it in bulk with SQL (`generate_series`):
N/3 cases (creditor and debtor, a lawyer on most, a commissaire on two in three; one in four
still amicable, the others in injonction de payer with one to three acts recorded), three
invoices each with due dates spread over 400 days around today (one in fifty disputed, one in
seven partly paid before it was recorded), a payment naming an invoice in every fifth case and
an unassigned one in every third. Then fills the stored ledger
(`casefile.store.ledger.refresh_ledger`, what every change and the nightly recompute keep) and
VACUUM ANALYZE (what autovacuum does after such a bulk write).

Each figure is timed through its service (the statement the API and the page run) `--repeat`
times, beside a plain-SQL anchor timed in the same run, interleaved (one run of each in turn,
so that both see the same load): the floor of an aggregate over the same rows (a SUM over the
invoices, or the same GROUP BY without the figure's logic). Printed: min, p50, p95 of each, the
ratio of the medians to the anchor's, and whether p95 is under the target. The load average is
printed too: the machine's speed varies 2× with it. The database is dropped at the end, also on
failure.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import time
import uuid
from collections.abc import Awaitable, Callable
from datetime import date
from pathlib import Path

from _support import create_database, drop_database, migrate_with_users, run_fill

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TARGET_MS = 300.0

FILL = """
INSERT INTO cases (reference, procedure, court, court_department, lawyer, commissaire, status,
                   version, warnings, created_at, updated_at)
SELECT 'BAL-' || lpad(i::text, 6, '0'),
       CASE WHEN i % 4 = 0 THEN 'amiable' ELSE 'injonction_de_payer' END,
       CASE WHEN i % 4 = 0 THEN NULL ELSE 'tribunal_de_commerce' END,
       lpad((1 + i % 95)::text, 2, '0'),
       CASE WHEN i % 7 = 0 THEN NULL ELSE $1::int + i % 5 END,
       CASE WHEN i % 3 = 0 THEN NULL ELSE $2::int + i % 5 END,
       'open', 1, '[]', now() - (i % 700) * interval '1 day', now()
FROM generate_series(1, $3::int) AS i;

UPDATE cases SET phase = CASE WHEN procedure = 'amiable' THEN 'amiable' ELSE 'contentieux' END;

INSERT INTO events ("case", key, date, attributes, created_by, created_at)
SELECT c.id, e.key, current_date - 200 + e.n * 30 - (c.id % 90), '{}', 'bench', now()
FROM cases c CROSS JOIN (VALUES (1, 'requete_deposee'), (2, 'ordonnance_rendue'),
                               (3, 'ordonnance_signifiee')) AS e(n, key)
WHERE c.procedure = 'injonction_de_payer' AND e.n <= 1 + c.id % 3;

INSERT INTO parties ("case", role, name, kind, person_or_company, siren, address, residence,
                     lookup_key)
SELECT c.id, r.role,
       CASE WHEN r.role = 'creditor' THEN 'Fournisseur ' || (c.id % 400) || ' SAS'
            ELSE 'Client ' || c.id || ' SARL' END,
       'professionnel', 'societe', NULL, '', '75', 'k' || c.id || r.role
FROM cases c CROSS JOIN (VALUES ('creditor'), ('debtor')) AS r(role);

INSERT INTO claims ("case", creditor_key, invoice_number, issue_date, due_date, amount_cents,
                    paid_cents, nature, description, disputed, dispute_reason, disputed_on,
                    created_at)
SELECT c.id, 'k' || c.id, 'F' || c.id || '-' || n,
       current_date - ((c.id * 7 + n * 131) % 400) + 60 - 30,
       current_date - ((c.id * 7 + n * 131) % 400) + 60,
       10000 + (c.id * 37 + n * 101) % 900000,
       CASE WHEN (c.id + n) % 7 = 0 THEN 5000 ELSE 0 END,
       'contractuelle', '',
       (c.id + n) % 50 = 0, CASE WHEN (c.id + n) % 50 = 0 THEN 'Contesté' ELSE '' END,
       CASE WHEN (c.id + n) % 50 = 0 THEN current_date - 10 ELSE NULL END,
       now()
FROM cases c CROSS JOIN generate_series(1, 3) AS n;

INSERT INTO payments ("case", claim, date, amount_cents, reference, created_at)
SELECT k."case", k.id, current_date - 5, 20000, 'VIR-N-' || k.id, now()
FROM claims k WHERE k."case" % 5 = 0 AND k.invoice_number LIKE '%-2';

INSERT INTO payments ("case", claim, date, amount_cents, reference, created_at)
SELECT c.id, NULL, current_date - 5, 150000, 'VIR-' || c.id, now()
FROM cases c WHERE c.id % 3 = 0;
ANALYZE;
"""


async def prepare(url: str, cases: int) -> None:
    import asyncpg

    from casefile.store import db

    await migrate_with_users(url)
    connection = await asyncpg.connect(url)
    try:
        await run_fill(connection, FILL, cases)
    finally:
        await connection.close()
    # The stored ledger, as the recompute keeps it (casefile.store.ledger), then statistics.
    from casefile.store.ledger import refresh_ledger
    from casefile.store.tables import Case

    await db.connect(url)
    try:
        async with db.atomic():
            ids = [row["id"] for row in await Case.select(Case.id)]
            await refresh_ledger(ids)
    finally:
        await db.close()
    connection = await asyncpg.connect(url)
    try:  # a bulk rewrite of every row leaves dead index entries: what autovacuum clears
        await connection.execute("VACUUM ANALYZE")
    finally:
        await connection.close()


async def timed(call: Callable[[], Awaitable[object]], repeat: int) -> list[float]:
    await call()  # warm-up (plans, pool)
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        await call()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


async def paired(
    call: Callable[[], Awaitable[object]], anchor: Callable[[], Awaitable[object]], repeat: int
) -> tuple[list[float], list[float]]:
    """`repeat` runs of the figure and of its anchor, one of each in turn."""
    await call()
    await anchor()
    figure: list[float] = []
    floor: list[float] = []
    for _ in range(repeat):
        for run, samples in ((call, figure), (anchor, floor)):
            start = time.perf_counter()
            await run()
            samples.append((time.perf_counter() - start) * 1000)
    return figure, floor


def p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[-1] if len(samples) >= 2 else samples[0]


SUM_ANCHOR = "SELECT SUM(amount_cents - paid_cents) AS s FROM claims"
ANCHORS = {
    "sum": SUM_ANCHOR,
    "debtor": (
        "SELECT p.name, SUM(k.amount_cents) AS s FROM claims k JOIN parties p "
        'ON p."case" = k."case" AND p.role = \'debtor\' GROUP BY p.name '
        "ORDER BY s DESC LIMIT 50"
    ),
    "litigation": (
        "SELECT c.procedure, COUNT(*) AS n, SUM(k.amount_cents) AS s FROM claims k "
        "JOIN cases c ON c.id = k.\"case\" WHERE c.phase = 'contentieux' GROUP BY c.procedure"
    ),
    "recovery": (
        "SELECT c.procedure, SUM(k.amount_cents) AS s FROM claims k "
        'JOIN cases c ON c.id = k."case" GROUP BY c.procedure'
    ),
}


async def measure(url: str, repeat: int) -> int:
    from casefile.services.aged_groups import aged_groups
    from casefile.services.dso import dso
    from casefile.services.litigation_figures import litigation_by_stage, recovery_by_procedure
    from casefile.services.reports import AgedBalanceQuery, aged_balance
    from casefile.store import db
    from casefile.store.permissions import SYSTEM, User
    from casefile.store.tables import Case, Claim, UserAccount

    await db.connect(url)
    failures = 0
    try:
        today = date.today()
        cj = await UserAccount.select(UserAccount.id).where(UserAccount.name == "cj_1").first()
        assert cj is not None
        commissaire = User(int(cj["id"]), "cj_1", "commissaire_de_justice")
        invoices = await Claim.count()
        everything = await aged_balance(SYSTEM, AgedBalanceQuery(today))
        print(
            f"{invoices} factures ; balance au {today.isoformat()} : total "
            f"{everything.total_cents / 100:.2f} €, contesté "
            f"{everything.disputed.amount_cents / 100:.2f} €"
        )

        def anchor(key: str) -> Callable[[], Awaitable[object]]:
            return lambda: Case.raw(ANCHORS[key])

        figures: list[tuple[str, Callable[[], Awaitable[object]], str]] = [
            (
                "balance âgée, tout le portefeuille",
                lambda: aged_balance(SYSTEM, AgedBalanceQuery(today)),
                "sum",
            ),
            (
                "balance âgée, un commissaire de justice",
                lambda: aged_balance(commissaire, AgedBalanceQuery(today)),
                "sum",
            ),
            (
                "balance âgée, un avocat",
                lambda: aged_balance(SYSTEM, AgedBalanceQuery(today, lawyer="me_2")),
                "sum",
            ),
            (
                "balance âgée, un créancier",
                lambda: aged_balance(
                    SYSTEM, AgedBalanceQuery(today, creditor="Fournisseur 17 SAS")
                ),
                "sum",
            ),
            (
                "balance âgée par débiteur (50 premiers)",
                lambda: aged_groups(SYSTEM, AgedBalanceQuery(today), "debtor"),
                "debtor",
            ),
            (
                "DSO (count-back), tout le portefeuille",
                lambda: dso(SYSTEM, AgedBalanceQuery(today)),
                "sum",
            ),
            (
                "contentieux par procédure et acte",
                lambda: litigation_by_stage(SYSTEM),
                "litigation",
            ),
            ("recouvrement par procédure", lambda: recovery_by_procedure(SYSTEM), "recovery"),
        ]
        rows = []
        for name, call, key in figures:
            figure, floor = await paired(call, anchor(key), repeat)
            rows.append((name, key, figure, floor))
    finally:
        await db.close()
    print(f"charge : {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(
        f"{'figure':42} {'min':>7} {'p50':>7} {'p95':>7} │ {'ancre':9} {'min':>6} {'p50':>6} "
        f"{'p95':>6} │ {'×p50':>5}  cible p95 < {TARGET_MS:.0f} ms"
    )
    for name, key, figure, floor in rows:
        high = p95(figure)
        ok = high < TARGET_MS
        failures += 0 if ok else 1
        print(
            f"{name:42} {min(figure):7.1f} {statistics.median(figure):7.1f} {high:7.1f} │ "
            f"{key:9} {min(floor):6.1f} {statistics.median(floor):6.1f} {p95(floor):6.1f} │ "
            f"{statistics.median(figure) / statistics.median(floor):5.1f}  "
            f"{'oui' if ok else 'NON'}"
        )
    return failures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--invoices", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    name = f"casefile_bench_{uuid.uuid4().hex[:10]}"
    url = asyncio.run(create_database(name))
    try:
        start = time.perf_counter()
        asyncio.run(prepare(url, max(1, args.invoices // 3)))
        print(f"préparation : {time.perf_counter() - start:.1f} s")
        failures = asyncio.run(measure(url, args.repeat))
    finally:
        asyncio.run(drop_database(name))
    raise SystemExit(1 if failures else 0)


if __name__ == "__main__":
    main()
