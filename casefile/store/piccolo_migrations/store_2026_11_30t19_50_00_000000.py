"""The stored explanations of payment-plan instalments written before the French amounts and
dates (commit 1b90565, 30 November 2026): « Échéance n° 1/6 du plan de paiement (680.00 €) »,
« Montant : 680.00 € ; payé : 0 € », « Soldée le 2027-01-05 » are rewritten as the code writes
them now (« 680,00 € », « 0,00 € », « 5 janvier 2027 »), without waiting for each case to be
recomputed (the nightly recomputation rewrites only the cases whose dates or statuses moved).

An explanation is stored once under its digest (`casefile.store.explanations`): the new text
is stored under its own digest, the deadline rows move to it, and the old text is removed once
no row refers to it. The formatting is frozen here (as `casefile.law.wording.amount_fr` and
`date_fr` wrote it on that day), so that this migration does the same thing whenever it runs.
Only plan instalments' texts are touched; the history (audit trail) keeps what was recorded.
SQLite and PostgreSQL alike.
"""

import hashlib
import re
from decimal import Decimal
from typing import Any

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-30T19:50:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "payment-plan instalments' stored texts in French amounts and dates"

NNBSP, NBSP = "\u202f", "\u00a0"
MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)
NUMBER = r"(-?\d+(?:\.\d+)?)"
LABEL = re.compile(r"du plan de paiement \(" + NUMBER + r" €\)")
AMOUNTS = re.compile(r"Montant : " + NUMBER + r" € ; payé : " + NUMBER + r" €")
PAID_ON = re.compile(r"Soldée le (\d{4})-(\d{2})-(\d{2})")
CANDIDATES = "%du plan de paiement (%"


def amount_fr(text: str) -> str:
    """'4080.00' → '4 080,00 €' (U+202F thousands, U+00A0 before the sign)."""
    value = Decimal(text).quantize(Decimal("0.01"))
    units, cents = f"{abs(value):.2f}".split(".")
    grouped = f"{int(units):,}".replace(",", NNBSP)
    return f"{'-' if value < 0 else ''}{grouped},{cents}{NBSP}€"


def date_fr(year: str, month: str, day: str) -> str:
    """'2027-03-01' → '1er mars 2027'."""
    number = int(day)
    return f"{'1er' if number == 1 else number} {MONTHS[int(month) - 1]} {year}"


def french(body: str) -> str:
    """The explanation's JSON text with the old amounts and dates of a plan in French."""
    body = LABEL.sub(lambda m: f"du plan de paiement ({amount_fr(m.group(1))})", body)
    body = AMOUNTS.sub(
        lambda m: f"Montant : {amount_fr(m.group(1))} ; payé : {amount_fr(m.group(2))}", body
    )
    return PAID_ON.sub(lambda m: f"Soldée le {date_fr(*m.groups())}", body)


def digest_of(text: str) -> bytes:
    """As `casefile.store.explanations.digest_of`: the first 16 bytes of the SHA-256."""
    return hashlib.sha256(text.encode()).digest()[:16]


async def _sqlite(connection: Any) -> None:
    cursor = await connection.execute(
        "SELECT digest, body FROM explanations WHERE body LIKE ?", (CANDIDATES,)
    )
    for row in await cursor.fetchall():
        old, body = (row["digest"], row["body"]) if isinstance(row, dict) else row
        new_body = french(str(body))
        if new_body == body:
            continue
        new = digest_of(new_body)
        await connection.execute(
            "INSERT OR IGNORE INTO explanations (digest, body) VALUES (?, ?)", (new, new_body)
        )
        await connection.execute("UPDATE deadlines SET digest = ? WHERE digest = ?", (new, old))
        await connection.execute(
            "DELETE FROM explanations WHERE digest = ? "
            "AND NOT EXISTS (SELECT 1 FROM deadlines WHERE digest = ?)",
            (old, old),
        )


async def _postgres(connection: Any) -> None:
    rows = await connection.fetch(
        "SELECT digest, body FROM explanations WHERE body LIKE $1", CANDIDATES
    )
    for row in rows:
        old, body = bytes(row["digest"]), row["body"]
        new_body = french(body)
        if new_body == body:
            continue
        new = digest_of(new_body)
        await connection.execute(
            "INSERT INTO explanations (digest, body) VALUES ($1, $2) ON CONFLICT DO NOTHING",
            new,
            new_body,
        )
        await connection.execute("UPDATE deadlines SET digest = $1 WHERE digest = $2", new, old)
        await connection.execute(
            "DELETE FROM explanations WHERE digest = $1 "
            "AND NOT EXISTS (SELECT 1 FROM deadlines WHERE digest = $1)",
            old,
        )


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="store", description=DESCRIPTION)

    async def run() -> None:
        engine: Any = engine_finder()
        assert engine is not None
        rewrite = _postgres if engine.engine_type == "postgres" else _sqlite
        transaction = engine.current_transaction.get()
        if transaction is None:
            async with engine.transaction():
                await rewrite(engine.current_transaction.get().connection)
        else:
            await rewrite(transaction.connection)

    manager.add_raw(run)
    return manager
