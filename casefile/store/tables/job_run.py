"""One run of a background job, keyed by its natural key (`task:period`, e.g.
`recompute_pending:2026-11-30`): the record that makes a job run twice change nothing twice,
and what the admin page shows of a failure (procrastinate keeps no error text)."""

from piccolo.columns import JSON, Integer, Serial, Text, Timestamptz, Varchar
from piccolo.table import Table


class JobRun(Table, tablename="job_runs"):
    id = Serial(primary_key=True)
    key = Varchar(length=200, unique=True)  # "<task>:<period>"
    task = Varchar(length=80)
    status = Varchar(length=12)  # running | done | failed
    attempts = Integer(default=0)
    error = Text(default="")
    result = JSON(default={})
    started_at = Timestamptz()
    finished_at = Timestamptz(null=True, default=None)
