"""Calendar subscription tokens (issue 6): the secret is the URL, so only its SHA-256 is kept.

`kind` and `subject` scope a token to one feed (a case id, a lawyer's or a commissaire's user
name); `created_by` has no foreign key, like the audit log, so the CLI's system user can own one.
"""

from piccolo.columns import Integer, Serial, Timestamptz, Varchar
from piccolo.table import Table


class FeedToken(Table, tablename="feed_tokens"):
    id = Serial(primary_key=True)
    token_hash = Varchar(length=64, unique=True)
    kind = Varchar(length=20)  # case | lawyer | commissaire
    subject = Varchar(length=150, index=True)
    label = Varchar(length=100, default="")
    created_by = Integer()
    created_by_name = Varchar(length=150)
    created_at = Timestamptz()
    last_used = Timestamptz(null=True, default=None)
    revoked_at = Timestamptz(null=True, default=None)
