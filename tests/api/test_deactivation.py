"""A deactivated user is shut out at once: 401 by bearer token and by session cookie alike."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator

import pytest

from tests.api.conftest import Api
from tests.api.test_pages import login

WHO = "credit_manager"


def _set_active(api: Api, active: bool) -> None:
    with sqlite3.connect(api.var / "casefile.db") as connection:
        connection.execute("UPDATE users SET active = ? WHERE name = ?", (active, WHO))


@pytest.fixture
def session(api: Api) -> Iterator[Api]:
    """Logged in as WHO by the form; the account is reactivated and logged out afterwards."""
    api.client.cookies.clear()
    login(api, WHO)
    try:
        yield api
    finally:
        _set_active(api, True)
        api.client.cookies.clear()


def test_deactivating_a_user_revokes_their_token_and_their_open_session(session: Api) -> None:
    bearer = session.client.get("/api/cases", headers=session.headers(WHO))
    cookie = session.client.get("/api/cases")
    assert (bearer.status_code, cookie.status_code) == (200, 200)

    _set_active(session, False)
    bearer = session.client.get("/api/cases", headers=session.headers(WHO))
    assert bearer.status_code == 401, bearer.text
    assert bearer.headers["www-authenticate"].startswith("Bearer")
    cookie = session.client.get("/api/cases")
    assert cookie.status_code == 401, cookie.text
    page = session.client.get("/", headers={"accept": "text/html"}, follow_redirects=False)
    assert page.status_code in (302, 303) and page.headers["location"].startswith("/login")

    _set_active(session, True)
    assert session.client.get("/api/cases").status_code == 200
