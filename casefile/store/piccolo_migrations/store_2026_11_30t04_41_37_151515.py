"""E-mail reminders (issue 15 item 2): each user's choice (`reminder_prefs`) and the log of
what was sent (`mail_log`, unique by what each message reminds of: nothing is sent twice)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-30T04:41:37:151515"
VERSION = "1.38.0"
DESCRIPTION = "reminder preferences and the log of sent reminders"


def _statements(serial: str, timestamp: str) -> tuple[str, ...]:
    return (
        f"""CREATE TABLE IF NOT EXISTS reminder_prefs (
            id {serial},
            "user" INTEGER NOT NULL UNIQUE REFERENCES users (id) ON DELETE CASCADE,
            email VARCHAR(254) NOT NULL DEFAULT '',
            digest BOOLEAN NOT NULL DEFAULT FALSE,
            digest_days INTEGER NOT NULL DEFAULT 7,
            alerts BOOLEAN NOT NULL DEFAULT FALSE,
            alert_days INTEGER NOT NULL DEFAULT 3,
            updated_at {timestamp} NOT NULL DEFAULT CURRENT_TIMESTAMP)""",
        f"""CREATE TABLE IF NOT EXISTS mail_log (
            id {serial},
            key VARCHAR(200) NOT NULL UNIQUE,
            "user" INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
            kind VARCHAR(12) NOT NULL,
            status VARCHAR(10) NOT NULL,
            message_id VARCHAR(250) NOT NULL,
            sent_at {timestamp} NULL)""",
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
