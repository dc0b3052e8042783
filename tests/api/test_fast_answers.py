"""The authentication middleware checks an API route's role and answers its fast GET in the
route's place (`auth.allows`, `auth.fast_get`): the same answers, headers and errors as the
route handler, and a bearer request never touches the session cookie."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from litestar.handlers import HTTPRouteHandler

from casefile.api import auth
from tests.api.conftest import Api
from tests.api.test_cases import new_case
from tests.api.test_pages import login

WHO = ("admin", "avocat", "credit_manager", "commissaire_de_justice", "commissaire_2", "lecteur")


@pytest.fixture(scope="module")
def case(api: Api) -> dict:
    case = new_case(api, "admin")
    assigned = api.client.put(
        f"/api/cases/{case['id']}/assignment",
        headers=api.headers("admin"),
        json={"lawyer": "avocat", "commissaire": "commissaire_de_justice"},
    )
    assert assigned.status_code == 200, assigned.text
    event = api.client.post(
        f"/api/cases/{case['id']}/events",
        headers=api.headers("avocat"),
        json={"key": "ordonnance_rendue", "date": "2027-01-04"},
    )
    assert event.status_code == 201, event.text
    return case


def _both(api: Api, path: str, headers: dict[str, str]) -> tuple[object, object]:
    """The fast answer (no query string) and the route handler's (an ignored parameter)."""
    fast = api.client.get(path, headers=headers)
    slow = api.client.get(f"{path}?par=le-gestionnaire", headers=headers)
    return (
        (fast.status_code, dict(fast.headers), fast.content),
        (slow.status_code, dict(slow.headers), slow.content),
    )


@pytest.mark.parametrize("who", WHO)
def test_the_fast_deadlines_are_the_route_handlers_to_the_byte(
    api: Api, case: dict, who: str
) -> None:
    fast, slow = _both(api, f"/api/cases/{case['id']}/deadlines", api.headers(who))
    assert fast == slow
    status, headers, body = fast  # type: ignore[misc]
    if who == "commissaire_2":  # another office's case
        assert status in (403, 404)
        return
    assert status == 200
    assert headers["content-type"] == "application/json"
    assert headers["x-frame-options"] == "DENY"
    assert body.startswith(b'[{"key":')


@pytest.mark.parametrize("case_ref", ["424242", "2147483648", "NO-SUCH-CASE", "ref%20with%20space"])
def test_a_missing_case_is_the_same_404_either_way(api: Api, case_ref: str) -> None:
    fast, slow = _both(api, f"/api/cases/{case_ref}/deadlines", api.headers("avocat"))
    assert fast == slow
    status, headers, body = fast  # type: ignore[misc]
    assert status == 404
    assert headers["content-security-policy"].startswith("default-src 'self'")
    assert b'"code":"introuvable"' in body


def test_by_reference_the_fast_answer_is_the_same(api: Api, case: dict) -> None:
    by_id = api.client.get(f"/api/cases/{case['id']}/deadlines", headers=api.headers("avocat"))
    fast, slow = _both(api, f"/api/cases/{case['reference']}/deadlines", api.headers("avocat"))
    assert fast == slow
    assert fast[2] == by_id.content  # type: ignore[index]


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer not-a-token"}, "revoked"])
def test_without_a_valid_token_the_fast_route_is_401(api: Api, case: dict, headers: object) -> None:
    if headers == "revoked":
        headers = {"Authorization": f"Bearer {api.revoked_token}"}
    response = api.client.get(f"/api/cases/{case['id']}/deadlines", headers=headers)  # type: ignore[arg-type]
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == 'Bearer realm="casefile"'


def test_a_nul_in_the_path_goes_to_the_route_and_is_refused(api: Api) -> None:
    response = api.client.get("/api/cases/A%00B/deadlines", headers=api.headers("avocat"))
    assert response.status_code == 422
    assert "caractère nul" in response.json()["error"]


def test_a_role_refused_by_allows_gets_the_guards_403_with_the_security_headers(
    api: Api,
) -> None:
    response = api.client.post(
        "/api/cases", headers=api.headers("lecteur"), json={"reference": "X"}
    )
    assert response.status_code == 403
    assert response.json() == {
        "error": "le rôle « lecteur » ne permet pas de créer ou modifier un dossier",
        "code": "acces_refuse",
    }
    assert response.headers["x-content-type-options"] == "nosniff"


def _routes(api: Api) -> Iterator[tuple[str, HTTPRouteHandler]]:
    app = api.client.app
    for route in app.routes:
        for handler in getattr(route, "route_handlers", ()):
            if isinstance(handler, HTTPRouteHandler):
                yield route.path, handler


def test_every_route_checked_by_allows_is_behind_authentication(api: Api) -> None:
    """`allows` is checked by the authentication middleware: a route it guards must not be
    excluded from it (a public path or `exclude_from_auth`)."""
    checked = [(p, h) for p, h in _routes(api) if auth.ALLOWS in h.opt]
    assert len(checked) >= 40
    for path, handler in checked:
        assert path.startswith("/api/"), path
        assert not handler.opt.get("exclude_from_auth"), path
        assert not any(re.match(pattern, path) for pattern in auth.PUBLIC_PATHS), path
    deadlines = next(
        h
        for p, h in _routes(api)
        if p == "/api/cases/{case_id:str}/deadlines" and "GET" in h.http_methods
    )
    assert deadlines.opt[auth.ALLOWS] == "case.read"
    assert not deadlines.resolve_guards()


def test_allows_refuses_an_unknown_action_when_the_route_is_declared() -> None:
    with pytest.raises(ValueError, match="unknown action"):
        auth.allows("case.raed")


def test_a_bearer_api_request_leaves_the_session_cookie_alone(api: Api, case: dict) -> None:
    api.client.cookies.clear()
    login(api, "avocat")
    try:
        path = f"/api/cases/{case['id']}/deadlines"
        by_cookie = api.client.get(path)
        by_token = api.client.get(path, headers=api.headers("avocat"))
        assert (by_cookie.status_code, by_token.status_code) == (200, 200)
        assert by_cookie.content == by_token.content
        assert "casefile_session" in by_cookie.headers.get("set-cookie", "")
        assert "set-cookie" not in by_token.headers
        # A page keeps its session whatever else the browser sends.
        page = api.client.get("/", headers={"accept": "text/html", **api.headers("avocat")})
        assert page.status_code == 200
        assert "casefile_session" in page.headers.get("set-cookie", "")
    finally:
        api.client.cookies.clear()
