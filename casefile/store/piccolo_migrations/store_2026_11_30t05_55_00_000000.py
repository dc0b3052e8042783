"""The text of the pièces and its full-text index (issue 16 items 1 and 2).

`piece_texts`: one row per pièce version (status, method, pages, text, French message). Every
version already stored gets a `pending` row, which the extraction job then fills.

The index differs by engine, each engine's own full-text search:
- PostgreSQL: a generated column `tsv` = `to_tsvector('french', …)` of the first 300 000
  characters (a tsvector holds at most 1 MB; 300 000 characters is about a hundred dense pages)
  and a GIN index on it; queries use `websearch_to_tsquery('french', …)` and `ts_headline`.
- SQLite: an FTS5 table `piece_text_fts` over `piece_texts.text` (external content, kept by
  three triggers), tokenizer unicode61 without diacritics; queries use `snippet()`.

Raw DDL with IF NOT EXISTS: it runs on SQLite and PostgreSQL.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-30T05:55:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "text of the pièce versions and its full-text index"

INDEXED_CHARS = 300_000


def _table(serial: str) -> str:
    return f"""CREATE TABLE IF NOT EXISTS piece_texts (
        id {serial},
        version INTEGER NOT NULL UNIQUE REFERENCES piece_versions (id) ON DELETE CASCADE,
        status VARCHAR(20) NOT NULL,
        method VARCHAR(20) NOT NULL DEFAULT '',
        pages INTEGER NOT NULL DEFAULT 0,
        ocr_pages INTEGER NOT NULL DEFAULT 0,
        "text" TEXT NOT NULL DEFAULT '',
        message TEXT NOT NULL DEFAULT '',
        attempts INTEGER NOT NULL DEFAULT 0,
        updated_at TIMESTAMPTZ NOT NULL DEFAULT CURRENT_TIMESTAMP)"""


POSTGRES = (
    _table("SERIAL PRIMARY KEY"),
    "ALTER TABLE piece_texts ADD COLUMN IF NOT EXISTS tsv tsvector GENERATED ALWAYS AS "
    f"(to_tsvector('french'::regconfig, left(\"text\", {INDEXED_CHARS}))) STORED",
    'CREATE INDEX IF NOT EXISTS "piece_texts_tsv" ON piece_texts USING gin (tsv)',
    'CREATE INDEX IF NOT EXISTS "piece_texts_status" ON piece_texts (status)',
)

SQLITE = (
    _table("INTEGER PRIMARY KEY AUTOINCREMENT"),
    'CREATE INDEX IF NOT EXISTS "piece_texts_status" ON piece_texts (status)',
    "CREATE VIRTUAL TABLE IF NOT EXISTS piece_text_fts USING fts5(text, content='piece_texts', "
    "content_rowid='id', tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER IF NOT EXISTS piece_texts_fts_insert AFTER INSERT ON piece_texts BEGIN "
    "INSERT INTO piece_text_fts (rowid, text) VALUES (new.id, new.text); END",
    "CREATE TRIGGER IF NOT EXISTS piece_texts_fts_delete AFTER DELETE ON piece_texts BEGIN "
    "INSERT INTO piece_text_fts (piece_text_fts, rowid, text) VALUES ('delete', old.id, old.text); "
    "END",
    "CREATE TRIGGER IF NOT EXISTS piece_texts_fts_update AFTER UPDATE OF text ON piece_texts BEGIN "
    "INSERT INTO piece_text_fts (piece_text_fts, rowid, text) VALUES ('delete', old.id, old.text); "
    "INSERT INTO piece_text_fts (rowid, text) VALUES (new.id, new.text); END",
)

BACKFILL = (
    "INSERT INTO piece_texts (version, status, updated_at) "
    "SELECT v.id, 'pending', CURRENT_TIMESTAMP FROM piece_versions v "
    "WHERE NOT EXISTS (SELECT 1 FROM piece_texts t WHERE t.version = v.id)"
)


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="store", description=DESCRIPTION)

    async def run() -> None:
        engine = engine_finder()
        assert engine is not None
        statements = POSTGRES if engine.engine_type == "postgres" else SQLITE
        for statement in (*statements, BACKFILL):
            await engine.run_ddl(statement)

    manager.add_raw(run)
    return manager
