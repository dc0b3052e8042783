"""The audit log: append-only (no code path updates or deletes it; triggers refuse it too)."""

from piccolo.columns import JSON, Integer, Serial, Timestamptz, Varchar
from piccolo.table import Table


class AuditEntry(Table, tablename="audit_log"):
    id = Serial(primary_key=True)
    at = Timestamptz(index=True)
    actor_id = Integer()  # 0 = the CLI's system user; no foreign key: users may go
    actor_name = Varchar(length=150)
    action = Varchar(length=60)
    entity = Varchar(length=40, index=True)
    entity_id = Varchar(length=100)
    before = JSON(null=True, default=None)
    after = JSON(null=True, default=None)
