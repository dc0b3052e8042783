"""Failed logins per account name and per client address, shared by every process.

One row per key (`account:<name>` or `address:<ip>`); rows idle for longer than the throttle's
memory are deleted, so the table stays as small as the recent attacks."""

from piccolo.columns import Integer, Serial, Timestamptz, Varchar
from piccolo.table import Table


class LoginThrottle(Table, tablename="login_throttle"):
    id = Serial(primary_key=True)
    key = Varchar(length=200, unique=True)
    failures = Integer(default=0)
    last_failure = Timestamptz(index=True)
    locked_until = Timestamptz(null=True, default=None)
