"""What the last export of a case's calendar published (`casefile.ical.sync.FeedState`): per UID
its SEQUENCE, fingerprint and rendered item, so the next export keeps UIDs, bumps SEQUENCE only
for changed deadlines and still publishes removed ones as CANCELLED."""

from piccolo.columns import JSON, ForeignKey, Serial, Timestamptz
from piccolo.columns.base import OnDelete
from piccolo.table import Table

from casefile.store.tables.case import Case


class FeedState(Table, tablename="feed_states"):
    id = Serial(primary_key=True)
    case = ForeignKey(references=Case, on_delete=OnDelete.cascade, unique=True)
    state = JSON(default={})
    updated_at = Timestamptz()
