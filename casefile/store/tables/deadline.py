"""Materialised deadlines: the engine's results for a case, rewritten on every recompute.

The explanation (`Deadline.as_dict()`, the CLI/API contract) is stored once per distinct text in
`explanations` (migration 2026-11-30T14:45): a row holds its `digest`; read it as
`explanation_column()` (a join, decoded with `output(load_json=True)`) or, in raw SQL, with
`JOIN explanations e ON e.digest = d.digest`. `status` is the engine's status without a clock
(pending / done / moot / uncertain, or missed when the act came after the due date) — "missed"
for lack of an act is derived when read with a date.
"""

from typing import Any

from piccolo.columns import Date, ForeignKey, Serial, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.table import Table

from casefile.store.tables.case import Case
from casefile.store.tables.explanation import ExplanationText


class DeadlineRecord(Table, tablename="deadlines"):
    # unique (case, key): migration `unique_indexes`; (status, due): migration 2026-11-30T03:10
    # (the ones on `due` alone and on (case, status, due), dropped 2026-11-30T12:05 and T14:45:01,
    # served no query that these do not)
    id = Serial(primary_key=True)
    # On PostgreSQL the foreign key is kept by statement-level triggers, not a constraint
    # (migration 2026-11-30T16:55: its check of each row copied in was half of the nightly
    # COPY): a row of a missing case is refused, a case deleted takes its rows. SQLite keeps
    # the constraint.
    case = ForeignKey(references=Case, on_delete=OnDelete.cascade)
    key = Varchar(length=80)
    due = Date()
    status = Varchar(length=12)
    # No foreign key constraint in the database (its check on every row copied in costs the
    # recomputation): a body is written before the rows that refer to it, and removed only when
    # no row does, under a lock the writers share (`explanations`).
    digest = ForeignKey(references=ExplanationText)
    updated_at = Timestamptz()


def explanation_column() -> Any:
    """The deadline's explanation read through its digest, as the column `explanation` (a dict
    with `output(load_json=True)`)."""
    return DeadlineRecord.digest.body.as_alias("explanation")
