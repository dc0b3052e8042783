"""Fill and index the portfolio's per-case summary added by the previous migration, from the
stored deadlines and amounts, in SQL for either engine (the recompute keeps it afterwards)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-30T04:40:01:000000"
VERSION = "1.38.0"
DESCRIPTION = "backfill and index the case summary (next_due, overdue_since, outstanding_cents)"

COLUMNS = ("next_due", "overdue_since", "outstanding_cents")
OUR_ACTORS = "('creancier', 'avocat', 'commissaire_de_justice')"


def backfill(actor_sql: str) -> tuple[str, ...]:
    """The summary of every case from what is stored; `actor_sql` reads the deadline's actor
    out of its JSON explanation (the syntax differs between the engines)."""
    return (
        'UPDATE cases SET next_due = (SELECT MIN(d.due) FROM deadlines d WHERE d."case" = '
        "cases.id AND d.status IN ('pending', 'uncertain'))",
        'UPDATE cases SET overdue_since = (SELECT MIN(d.due) FROM deadlines d WHERE d."case" = '
        f"cases.id AND d.status IN ('pending', 'uncertain', 'missed') AND {actor_sql} IN "
        f"{OUR_ACTORS})",
        "UPDATE cases SET outstanding_cents = (SELECT SUM(k.amount_cents - k.paid_cents) FROM "
        'claims k WHERE k."case" = cases.id) - COALESCE((SELECT SUM(p.amount_cents) FROM '
        'payments p WHERE p."case" = cases.id), 0)',
    )


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="store", description=DESCRIPTION)

    async def run() -> None:
        engine = engine_finder()
        assert engine is not None
        if engine.engine_type == "postgres":
            actor = "(d.explanation->>'actor')"
        else:
            actor = "json_extract(d.explanation, '$.actor')"
        for statement in backfill(actor):
            await engine.run_ddl(statement)
        for column in COLUMNS:
            await engine.run_ddl(
                f'CREATE INDEX IF NOT EXISTS "cases_{column}" ON "cases" ("{column}")'
            )

    manager.add_raw(run)
    return manager
