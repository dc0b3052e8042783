"""Background jobs on procrastinate (issue 15 item 1): the task engine's app (`app.py`) and
its tasks (`tasks.py`, thin: each calls a service and records its run under a natural key).

Where the jobs run:

- **PostgreSQL** (production): procrastinate's own tables in the same database (`casefile init`
  applies its schema); `casefile worker` processes run the jobs, any number of them; the
  periodic deferrer of every worker tries to defer each periodic job, and the database's unique
  key `(task, periodic_id, defer_timestamp)` keeps one job per period.
- **SQLite** (the embedded default, `make run`): procrastinate's `InMemoryConnector` and a real
  procrastinate `Worker` run inside the `casefile serve` process, started and stopped by its
  lifespan. We chose it over a small hand-written scheduler because the same engine code then
  runs in both modes: the same cron expressions and periodic deferrer, the same retry strategy
  with exponential backoff, the same queueing locks, and the same `JobManager` the admin page
  reads. Its limits match the embedded mode's own: one process (a SQLite file serves one
  application process), and a queue that does not survive a restart. That loss is harmless
  because every task is idempotent and derives its work from the database (a run recorded
  under its natural key is never redone; a restart re-defers the latest missed occurrence of
  each periodic task, up to a day late). procrastinate documents the in-memory connector for
  tests: we rely on no more than what its own test suite exercises (defer, fetch, retry,
  periodic defers, listing).
"""
