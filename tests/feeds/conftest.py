"""The feeds tests reuse the store's two-engine fixture (SQLite, PostgreSQL) and the API app."""

from tests.api.conftest import api  # noqa: F401
from tests.store.conftest import store  # noqa: F401
