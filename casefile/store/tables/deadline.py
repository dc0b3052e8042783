"""Materialised deadlines: the engine's results for a case, rewritten on every recompute.

`explanation` is `Deadline.as_dict()` (the CLI/API contract); `status` is the engine's status
without a clock (pending / done / moot / uncertain, or missed when the act came after the due
date) — "missed" for lack of an act is derived when read with a date.
"""

from piccolo.columns import JSON, Date, ForeignKey, Serial, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.table import Table

from casefile.store.tables.case import Case


class DeadlineRecord(Table, tablename="deadlines"):
    # unique (case, key): migration `unique_indexes`; (case, status, due) and (status, due):
    # migration 2026-11-30T03:10 (the one on `due` alone, dropped 2026-11-30T12:05, served no
    # query that these do not)
    id = Serial(primary_key=True)
    case = ForeignKey(references=Case, on_delete=OnDelete.cascade)
    key = Varchar(length=80)
    due = Date()
    status = Varchar(length=12)
    explanation = JSON()
    updated_at = Timestamptz()
