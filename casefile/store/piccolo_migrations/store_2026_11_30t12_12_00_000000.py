"""The BLAKE3 digest of each pièce version (issue 14 item 6): computed at upload in the same
pass as the SHA-256, which stays the pièce's fingerprint; downloads check the BLAKE3 digest (a
fifth of SHA-256's CPU here). Versions recorded before keep NULL and are checked against their
SHA-256. SQLite and PostgreSQL alike."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-30T12:12:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "BLAKE3 digest of each pièce version"


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="store", description=DESCRIPTION)

    async def run() -> None:
        engine = engine_finder()
        assert engine is not None
        await engine.run_ddl("ALTER TABLE piece_versions ADD COLUMN blake3 VARCHAR(64) NULL")

    manager.add_raw(run)
    return manager
