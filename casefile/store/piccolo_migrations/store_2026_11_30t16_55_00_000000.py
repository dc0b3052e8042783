"""PostgreSQL: the foreign key `deadlines.case → cases.id` checked once per statement instead
of once per row (issue 14 item 5). SQLite keeps its foreign key: nothing done there.

Why: the nightly recomputation copies in about 1.6 deadline rows per case, and the foreign
key's trigger runs a lookup of the case (`SELECT … FOR KEY SHARE`) for every row copied in:
measured by the lead on 32 770 rows, more than half of the `COPY` (354 ms with it, 163 ms
without). The same guarantees, set-based:

- `deadlines_case_exists` (AFTER INSERT, once per statement, the inserted rows as a transition
  table): the distinct cases of the statement's rows locked `FOR KEY SHARE` in one query, as
  the foreign key's check locks each; one missing and the statement fails with the foreign
  key's error code (`foreign_key_violation`, so `db.atomic` turns it into the same conflict).
  A case deleted by a transaction not yet committed is waited for, then found gone: refused;
  a case locked by this check cannot be deleted before this transaction ends. The transition
  table costs a copy of each row (~0.1 µs), the query ~2 µs per case.
- `deadlines_case_changed` (AFTER UPDATE OF "case", per row, only when it changes: nothing in
  the application does): the foreign key's check of an updated row, as it was.
- `cases_deadlines_cascade` (AFTER DELETE on cases, once per statement): the deleted cases'
  deadlines deleted (ON DELETE CASCADE). In READ COMMITTED (the application's level), the
  deletion runs on a fresh snapshot after waiting for the writers holding the cases' lock, so it
  finds the rows they committed.
- `cases_deadlines_key` (AFTER UPDATE OF id on cases, per row, only when it changes: an id is
  never changed): the deadlines follow (ON UPDATE CASCADE).
- `cases_deadlines_truncate` (AFTER TRUNCATE on cases): the deadlines emptied too (with the
  foreign key, `TRUNCATE cases CASCADE` emptied them).

The piccolo table keeps its `ForeignKey` column (its joins; SQLite's constraint).
"""

from typing import Any

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-30T16:55:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "PostgreSQL: deadlines' case checked once per statement (triggers), not per row"

# The message is a bug guard (the application writes a case's deadlines after its case row).
FUNCTIONS = (
    """
CREATE OR REPLACE FUNCTION deadlines_case_exists() RETURNS trigger AS $$
DECLARE
    wanted integer[];
    locked bigint;
    missing integer;
BEGIN
    SELECT array_agg(DISTINCT "case") INTO wanted FROM new_deadlines WHERE "case" IS NOT NULL;
    IF wanted IS NULL THEN
        RETURN NULL;
    END IF;
    SELECT count(*) INTO locked
        FROM (SELECT 1 FROM cases WHERE id = ANY(wanted) FOR KEY SHARE) AS found;
    IF locked <> cardinality(wanted) THEN
        SELECT min(w) INTO missing FROM unnest(wanted) AS w
            WHERE NOT EXISTS (SELECT 1 FROM cases WHERE id = w);
        RAISE EXCEPTION 'échéances d''un dossier inexistant (dossier %)', missing
            USING ERRCODE = 'foreign_key_violation', TABLE = 'deadlines';
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql
""",
    """
CREATE OR REPLACE FUNCTION deadlines_case_changed() RETURNS trigger AS $$
BEGIN
    PERFORM 1 FROM cases WHERE id = NEW."case" FOR KEY SHARE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'échéances d''un dossier inexistant (dossier %)', NEW."case"
            USING ERRCODE = 'foreign_key_violation', TABLE = 'deadlines';
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql
""",
    """
CREATE OR REPLACE FUNCTION cases_deadlines_cascade() RETURNS trigger AS $$
BEGIN
    DELETE FROM deadlines WHERE "case" IN (SELECT id FROM old_cases);
    RETURN NULL;
END;
$$ LANGUAGE plpgsql
""",
    """
CREATE OR REPLACE FUNCTION cases_deadlines_key() RETURNS trigger AS $$
BEGIN
    UPDATE deadlines SET "case" = NEW.id WHERE "case" = OLD.id;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql
""",
    """
CREATE OR REPLACE FUNCTION cases_deadlines_truncate() RETURNS trigger AS $$
BEGIN
    TRUNCATE deadlines;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql
""",
)

TRIGGERS = (  # (name, table, the rest of CREATE TRIGGER)
    (
        "deadlines_case_exists",
        "deadlines",
        "AFTER INSERT ON deadlines REFERENCING NEW TABLE AS new_deadlines"
        " FOR EACH STATEMENT EXECUTE FUNCTION deadlines_case_exists()",
    ),
    (
        "deadlines_case_changed",
        "deadlines",
        'AFTER UPDATE OF "case" ON deadlines FOR EACH ROW'
        ' WHEN (NEW."case" IS DISTINCT FROM OLD."case" AND NEW."case" IS NOT NULL)'
        " EXECUTE FUNCTION deadlines_case_changed()",
    ),
    (
        "cases_deadlines_cascade",
        "cases",
        "AFTER DELETE ON cases REFERENCING OLD TABLE AS old_cases"
        " FOR EACH STATEMENT EXECUTE FUNCTION cases_deadlines_cascade()",
    ),
    (
        "cases_deadlines_key",
        "cases",
        "AFTER UPDATE OF id ON cases FOR EACH ROW WHEN (NEW.id IS DISTINCT FROM OLD.id)"
        " EXECUTE FUNCTION cases_deadlines_key()",
    ),
    (
        "cases_deadlines_truncate",
        "cases",
        "AFTER TRUNCATE ON cases FOR EACH STATEMENT EXECUTE FUNCTION cases_deadlines_truncate()",
    ),
)


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="store", description=DESCRIPTION)

    async def run() -> None:
        engine: Any = engine_finder()
        assert engine is not None
        if engine.engine_type != "postgres":
            return
        # The constraint piccolo created (named `deadlines_case_fkey` by PostgreSQL), found by
        # what it links rather than by its name.
        found = await engine.run_ddl(
            "SELECT conname FROM pg_constraint WHERE conrelid = 'deadlines'::regclass"
            " AND confrelid = 'cases'::regclass AND contype = 'f'"
        )
        for row in found or []:
            await engine.run_ddl(f'ALTER TABLE deadlines DROP CONSTRAINT "{row["conname"]}"')
        for function in FUNCTIONS:
            await engine.run_ddl(function)
        for name, table, definition in TRIGGERS:
            await engine.run_ddl(f'DROP TRIGGER IF EXISTS "{name}" ON "{table}"')
            await engine.run_ddl(f'CREATE TRIGGER "{name}" {definition}')

    manager.add_raw(run)
    return manager
