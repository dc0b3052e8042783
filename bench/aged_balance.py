"""Aged balance at 100 000 invoices on PostgreSQL (issue 17 item 4: target p95 < 300 ms).

    .venv/bin/python bench/aged_balance.py                     # 100 000 invoices, 30 runs each
    .venv/bin/python bench/aged_balance.py --invoices 20000 --repeat 50
    CASEFILE_BENCH_POSTGRES=postgresql://postgres@127.0.0.1:5432/postgres  (server to use)

Creates a throw-away database and migrates it (with the aged-balance indexes); fills it in bulk
with SQL (`generate_series`): N/3 cases (creditor and debtor, a lawyer on most, a commissaire
on two in three), three invoices each with due dates spread over 400 days around today (one in
fifty disputed, one in seven partly paid before it was recorded), a payment naming an invoice
in every fifth case and an unassigned one in every third. Then fills the stored ledger (`casefile.store.ledger.refresh_ledger`, what every change and
the nightly recompute keep) and times the service
(`casefile.services.reports.aged_balance`, the statement the API and the page run) `--repeat`
times for the whole portfolio, one commissaire's cases, one lawyer and one creditor, and prints
p50/p95 beside the anchor of the same run: a plain `SELECT SUM(amount_cents - paid_cents) FROM
claims` (one scan of the invoices, the floor of any aggregate over them), with the ratio.
The database is dropped at the end, also on failure.
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
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

POSTGRES = os.environ.get(
    "CASEFILE_BENCH_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres"
)
TARGET_MS = 300.0

FILL = """
INSERT INTO cases (reference, procedure, court, court_department, lawyer, commissaire, status,
                   version, warnings, created_at, updated_at)
SELECT 'BAL-' || lpad(i::text, 6, '0'), 'injonction_de_payer', 'tribunal_de_commerce',
       lpad((1 + i % 95)::text, 2, '0'),
       CASE WHEN i % 7 = 0 THEN NULL ELSE $1::int + i % 5 END,
       CASE WHEN i % 3 = 0 THEN NULL ELSE $2::int + i % 5 END,
       'open', 1, '[]', now(), now()
FROM generate_series(1, $3::int) AS i;

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


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, parts.fragment))


async def admin_sql(statement: str) -> None:
    import asyncpg

    connection = await asyncpg.connect(POSTGRES)
    try:
        await connection.execute(statement)
    finally:
        await connection.close()


async def prepare(url: str, cases: int) -> None:
    import asyncpg

    from casefile.store import db, users

    await db.connect(url)
    try:
        await db.migrate()
        for role, prefix in (("avocat", "me_"), ("commissaire_de_justice", "cj_")):
            for n in range(5):
                await users.create_user(f"{prefix}{n}", role)
    finally:
        await db.close()
    connection = await asyncpg.connect(url)
    try:
        lawyer = await connection.fetchval("SELECT min(id) FROM users WHERE role = 'avocat'")
        commissaire = await connection.fetchval(
            "SELECT min(id) FROM users WHERE role = 'commissaire_de_justice'"
        )
        statements = [s for s in FILL.split(";\n") if s.strip()]
        await connection.execute(statements[0], lawyer, commissaire, cases)
        for statement in statements[1:]:
            await connection.execute(statement)
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


def p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[-1] if len(samples) >= 2 else samples[0]


async def measure(url: str, repeat: int) -> int:
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
            f"{invoices} factures ; balance au {today.isoformat()} : total {everything.total_cents / 100:.2f} €, "
            f"contesté {everything.disputed.amount_cents / 100:.2f} €"
        )

        async def anchor() -> object:
            return await Case.raw("SELECT SUM(amount_cents - paid_cents) AS s FROM claims")

        rows = [
            ("SELECT SUM(…) FROM claims (anchor)", await timed(anchor, repeat), False),
            (
                "balance âgée, tout le portefeuille",
                await timed(lambda: aged_balance(SYSTEM, AgedBalanceQuery(today)), repeat),
                True,
            ),
            (
                "balance âgée, un commissaire de justice",
                await timed(lambda: aged_balance(commissaire, AgedBalanceQuery(today)), repeat),
                True,
            ),
            (
                "balance âgée, un avocat",
                await timed(
                    lambda: aged_balance(SYSTEM, AgedBalanceQuery(today, lawyer="me_2")), repeat
                ),
                True,
            ),
            (
                "balance âgée, un créancier",
                await timed(
                    lambda: aged_balance(
                        SYSTEM, AgedBalanceQuery(today, creditor="Fournisseur 17 SAS")
                    ),
                    repeat,
                ),
                True,
            ),
        ]
    finally:
        await db.close()
    floor = p95(rows[0][1])
    print(f"{'requête':45} {'p50 ms':>8} {'p95 ms':>8} {'× ancre':>8}  cible")
    for name, samples, targeted in rows:
        high = p95(samples)
        verdict = ""
        if targeted:
            ok = high < TARGET_MS
            failures += 0 if ok else 1
            verdict = f"p95 < {TARGET_MS:.0f} ms : {'oui' if ok else 'NON'}"
        print(
            f"{name:45} {statistics.median(samples):8.1f} {high:8.1f} "
            f"{high / floor:8.1f}  {verdict}"
        )
    return failures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--invoices", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    name = f"casefile_bench_{uuid.uuid4().hex[:10]}"
    asyncio.run(admin_sql(f'CREATE DATABASE "{name}"'))
    url = with_database(POSTGRES, name)
    try:
        start = time.perf_counter()
        asyncio.run(prepare(url, max(1, args.invoices // 3)))
        print(f"préparation : {time.perf_counter() - start:.1f} s")
        failures = asyncio.run(measure(url, args.repeat))
    finally:
        asyncio.run(admin_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    raise SystemExit(1 if failures else 0)


if __name__ == "__main__":
    main()
