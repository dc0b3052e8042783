"""iCalendar export of deadlines: per case, per lawyer, per commissaire de justice (issue 6)."""

from casefile.ical.export import (
    DEFAULT_REMINDERS,
    calendar_bytes,
    case_calendar,
    commissaire_calendar,
    lawyer_calendar,
    to_icalendar,
)
from casefile.ical.feeds import (
    CONTENT_TYPE,
    FeedToken,
    etag_for,
    feed_url,
    new_feed_token,
    not_modified,
    verify_token,
    webcal_url,
)
from casefile.ical.items import CalendarEntry, FeedItem, feed_item
from casefile.ical.sync import FeedState, SyncResult, sync

__all__ = [
    "CONTENT_TYPE",
    "DEFAULT_REMINDERS",
    "CalendarEntry",
    "FeedItem",
    "FeedState",
    "FeedToken",
    "SyncResult",
    "calendar_bytes",
    "case_calendar",
    "commissaire_calendar",
    "etag_for",
    "feed_item",
    "feed_url",
    "lawyer_calendar",
    "new_feed_token",
    "not_modified",
    "sync",
    "to_icalendar",
    "verify_token",
    "webcal_url",
]
