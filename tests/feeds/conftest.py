"""The feeds tests reuse the store's two-engine fixture (SQLite, PostgreSQL), the API app and
the Radicale server of the iCalendar tests."""

from tests.api.conftest import api  # noqa: F401
from tests.ical.conftest import radicale  # noqa: F401
from tests.store.conftest import store  # noqa: F401
