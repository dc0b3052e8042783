"""Reminder scenarios and promises to pay (issue 17 items 1 and 2): the actions of the
scenarios (`dunning_actions`, unique by `case:scenario:level`: the daily job creates each once)
and the debtors' promises to pay (`payment_promises`)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-30T05:50:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "reminder actions and promises to pay"


def _statements(serial: str, timestamp: str) -> tuple[str, ...]:
    return (
        f"""CREATE TABLE IF NOT EXISTS dunning_actions (
            id {serial},
            key VARCHAR(200) NOT NULL UNIQUE,
            "case" INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
            scenario VARCHAR(60) NOT NULL,
            level VARCHAR(60) NOT NULL,
            position INTEGER NOT NULL DEFAULT 0,
            channel VARCHAR(12) NOT NULL,
            due_on DATE NOT NULL,
            status VARCHAR(12) NOT NULL,
            recipient VARCHAR(254) NOT NULL DEFAULT '',
            message TEXT NOT NULL DEFAULT '',
            outcome TEXT NOT NULL DEFAULT '',
            document INTEGER NULL REFERENCES documents (id) ON DELETE SET NULL,
            message_id VARCHAR(250) NOT NULL DEFAULT '',
            created_at {timestamp} NOT NULL DEFAULT CURRENT_TIMESTAMP,
            done_on DATE NULL,
            done_by VARCHAR(150) NOT NULL DEFAULT '')""",
        'CREATE INDEX IF NOT EXISTS dunning_actions_case ON dunning_actions ("case")',
        "CREATE INDEX IF NOT EXISTS dunning_actions_status ON dunning_actions (status)",
        f"""CREATE TABLE IF NOT EXISTS payment_promises (
            id {serial},
            "case" INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
            claim INTEGER NULL REFERENCES claims (id) ON DELETE SET NULL,
            amount_cents BIGINT NOT NULL,
            promised_for DATE NOT NULL,
            made_on DATE NOT NULL,
            made_by VARCHAR(300) NOT NULL DEFAULT '',
            channel VARCHAR(20) NOT NULL,
            note TEXT NOT NULL DEFAULT '',
            recorded_by VARCHAR(150) NOT NULL DEFAULT '',
            status VARCHAR(12) NOT NULL DEFAULT 'en_cours',
            settled_on DATE NULL,
            created_at {timestamp} NOT NULL DEFAULT CURRENT_TIMESTAMP)""",
        'CREATE INDEX IF NOT EXISTS payment_promises_case ON payment_promises ("case")',
    )


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="store", description=DESCRIPTION)

    async def run() -> None:
        engine = engine_finder()
        assert engine is not None
        if engine.engine_type == "postgres":
            statements = _statements("SERIAL PRIMARY KEY", "TIMESTAMPTZ")
        else:
            statements = _statements("INTEGER PRIMARY KEY AUTOINCREMENT", "TIMESTAMPTZ")
        for statement in statements:
            await engine.run_ddl(statement)

    manager.add_raw(run)
    return manager
