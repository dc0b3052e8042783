"""Sessions, CSRF, throttling and people over HTTP (issue 11 items 2, 3, 7; issue 12 item 2).

- Logout ends the session on the server: a copied cookie opens nothing afterwards.
- The CSRF token is bound to the session: the login form's token, or another session's, is
  refused.
- Wrong passwords are throttled with a French message and Retry-After; a burst of bad logins
  does not slow an unrelated API call (argon2 runs off the event loop).
- The administrator edits, deactivates and reactivates users and reassigns cases, by the API
  and by labelled French forms.
"""

from __future__ import annotations

import re
import sqlite3
import statistics
import threading
import time
from collections.abc import Iterator

import pytest

from tests.api.conftest import PASSWORD, Api
from tests.api.test_cases import new_case
from tests.api.test_pages import HTML, csrf, login


def _forget_failures(api: Api) -> None:
    """The suite shares one client address: leave no throttling behind for other tests."""
    with sqlite3.connect(api.var / "casefile.db") as connection:
        connection.execute("DELETE FROM login_throttle")


@pytest.fixture
def browser(api: Api) -> Iterator[Api]:
    api.client.cookies.clear()
    _forget_failures(api)
    yield api
    api.client.cookies.clear()
    _forget_failures(api)


def test_logout_kills_the_session_even_for_a_copied_cookie(browser: Api) -> None:
    token = login(browser, "lecteur")
    copied = dict(browser.client.cookies)
    assert browser.client.get("/api/cases").status_code == 200
    out = browser.client.post("/logout", data={"_csrf_token": token}, follow_redirects=False)
    assert out.status_code == 303
    browser.client.cookies.clear()
    browser.client.cookies.update(copied)
    assert browser.client.get("/api/cases").status_code == 401
    page = browser.client.get("/", headers=HTML, follow_redirects=False)
    assert page.status_code in (302, 303) and page.headers["location"].startswith("/login")


def test_the_csrf_token_is_bound_to_the_session(browser: Api) -> None:
    before = csrf(browser)  # the anonymous session's token
    login(browser, "lecteur")
    refused = browser.client.post("/logout", data={"_csrf_token": before}, headers=HTML)
    assert refused.status_code == 403
    assert "Jeton CSRF absent ou invalide" in refused.text
    # Another session's token does not open this one either.
    mine = csrf(browser)
    other = dict(browser.client.cookies)
    browser.client.cookies.clear()
    theirs = login(browser, "avocat")
    assert theirs != mine
    browser.client.cookies.clear()
    browser.client.cookies.update(other)
    refused = browser.client.post("/logout", data={"_csrf_token": theirs}, headers=HTML)
    assert refused.status_code == 403
    ok = browser.client.post("/logout", data={"_csrf_token": mine}, follow_redirects=False)
    assert ok.status_code == 303


def _bad_login(api: Api, token: str, name: str, password: str = "faux") -> object:
    return api.client.post(
        "/login",
        data={"name": name, "password": password, "_csrf_token": token},
        headers=HTML,
    )


def test_wrong_passwords_are_throttled_with_a_french_message(
    browser: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    from datetime import timedelta

    from casefile.services import throttle

    # A longer first delay than the real one (1 s): a slow machine must not let it run out.
    monkeypatch.setattr(throttle, "FIRST_DELAY", timedelta(minutes=1))
    token = csrf(browser)
    statuses = [_bad_login(browser, token, "credit_manager").status_code for _ in range(6)]
    assert statuses == [401] * 5 + [429]
    right = _bad_login(browser, token, "credit_manager", PASSWORD)
    assert right.status_code == 429  # the right password too, while the delay runs
    assert 1 <= int(right.headers["retry-after"]) <= 60
    assert "Trop de tentatives de connexion infructueuses" in right.text
    assert 'role="alert"' in right.text
    # An unknown name is throttled the same way: nothing tells it apart.
    statuses = [_bad_login(browser, token, "personne").status_code for _ in range(6)]
    assert statuses == [401] * 5 + [429]


def test_a_burst_of_bad_logins_does_not_slow_an_unrelated_api_call(
    browser: Api, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """60 concurrent bad logins for 60 names (a spread attack the throttle lets through)
    while an API call is timed: argon2 runs on its own thread pool, not on the event loop."""
    from casefile.services import throttle

    monkeypatch.setattr(throttle, "FREE_PER_ADDRESS", 1000)
    headers = browser.headers("lecteur")

    def call() -> float:
        start = time.perf_counter()
        assert browser.client.get("/api/procedures", headers=headers).status_code == 200
        return time.perf_counter() - start

    quiet = [call() for _ in range(10)]
    token = csrf(browser)
    statuses: list[int] = []
    burst = [
        threading.Thread(
            target=lambda n=n: statuses.append(
                _bad_login(browser, token, f"inconnu{n}").status_code
            )
        )
        for n in range(60)
    ]
    started = time.perf_counter()
    for thread in burst:
        thread.start()
    time.sleep(0.5)  # the checks are queued and running
    loaded = []
    while any(thread.is_alive() for thread in burst) and len(loaded) < 40:
        loaded.append(call())
        time.sleep(0.05)
    for thread in burst:
        thread.join()
    elapsed = time.perf_counter() - started
    assert statuses == [401] * 60
    with capsys.disabled():
        print(
            f"\nunrelated GET /api/procedures: quiet median {statistics.median(quiet) * 1000:.1f} ms;"
            f" during 60 bad logins ({elapsed:.1f} s) median "
            f"{statistics.median(loaded) * 1000:.1f} ms, max {max(loaded) * 1000:.1f} ms"
            f" over {len(loaded)} calls"
        )
    assert len(loaded) >= 5
    assert max(loaded) < 1.0  # was 6.5 s with argon2 on the event loop


def test_an_admin_edits_a_user_by_the_api_with_typed_answers(api: Api) -> None:
    admin = api.headers("admin")
    edited = api.client.patch(
        "/api/users/avocat",
        headers=admin,
        json={"full_name": "Jeanne Martin", "barreau": "Strasbourg", "toque": "42"},
    )
    assert edited.status_code == 200, edited.text
    body = edited.json()
    assert body["display"] == "Maître Jeanne Martin, avocat au barreau de Strasbourg"
    assert (body["role"], body["role_label"], body["active"]) == ("avocat", "avocat", True)
    assert "password_hash" not in body
    bad = api.client.patch("/api/users/avocat", headers=admin, json={"email": "jeanne@"})
    assert bad.status_code == 422
    assert "adresse électronique « jeanne@ » invalide" in bad.json()["error"]
    unknown = api.client.patch("/api/users/avocat", headers=admin, json={"surnom": "J"})
    assert unknown.status_code == 400
    missing = api.client.get("/api/users/personne", headers=admin)
    assert missing.status_code == 404
    created = api.client.post(
        "/api/users",
        headers=admin,
        json={
            "name": "kmuller",
            "role": "commissaire_de_justice",
            "token": True,
            "full_name": "Karl Muller",
            "etude_name": "Étude Muller",
        },
    )
    assert created.status_code == 201, created.text
    assert created.json()["user"]["display"] == (
        "Maître Karl Muller, commissaire de justice, Étude Muller"
    )
    token = created.json()["token"]
    assert (
        api.client.get("/api/cases", headers={"Authorization": f"Bearer {token}"}).status_code
        == 200
    )


def test_the_administrator_cannot_remove_their_own_rights_by_the_api(api: Api) -> None:
    """The last active administrator stays one (casefile.services.users): by the API, the
    refusal is a French 422 and nothing changes."""
    admin = api.headers("admin")
    demoted = api.client.patch("/api/users/admin", headers=admin, json={"role": "avocat"})
    assert demoted.status_code == 422
    assert (
        demoted.json()["error"] == "vous ne pouvez pas retirer votre propre rôle d'administrateur"
    )
    gone = api.client.post("/api/users/admin/deactivate", headers=admin)
    assert gone.status_code == 422
    assert gone.json()["error"] == "vous ne pouvez pas désactiver votre propre compte"
    shown = api.client.get("/api/users/admin", headers=admin).json()
    assert (shown["role"], shown["active"]) == ("admin", True)


def test_the_openapi_document_describes_the_user_routes(api: Api) -> None:
    schema = api.client.get("/schema/openapi.json").json()
    assert "/api/users/{name}" in schema["paths"]
    assert "/api/cases/{case_id}/assignment" in schema["paths"]
    profile = schema["components"]["schemas"]["UserProfile"]
    assert {"full_name", "barreau", "toque", "etude_name", "display"} <= set(profile["properties"])


def test_deactivation_by_the_api_shuts_out_token_session_and_feeds(browser: Api) -> None:
    admin = browser.headers("admin")
    created = browser.client.post(
        "/api/users",
        headers=admin,
        json={"name": "partant", "role": "credit_manager", "password": PASSWORD, "token": True},
    ).json()
    bearer = {"Authorization": f"Bearer {created['token']}"}
    case = new_case(browser, "admin")
    feed = browser.client.post(
        "/api/feeds", headers=bearer, json={"kind": "case", "subject": str(case["id"])}
    ).json()
    path = feed["url"].split("testserver.local", 1)[-1].split("://", 1)[-1]
    path = path[path.index("/feeds/") :]
    assert browser.client.get(path).status_code == 200
    login(browser, "partant")
    assert browser.client.get("/api/cases").status_code == 200

    done = browser.client.post("/api/users/partant/deactivate", headers=admin)
    assert done.status_code == 200 and done.json()["active"] is False
    assert browser.client.get("/api/cases").status_code == 401  # the session
    assert browser.client.get("/api/cases", headers=bearer).status_code == 401
    assert browser.client.get(path).status_code == 404
    browser.client.cookies.clear()
    back = browser.client.post("/api/users/partant/reactivate", headers=admin)
    assert back.json()["active"] is True
    assert browser.client.get("/api/cases", headers=bearer).status_code == 401


def test_reassigning_by_the_api_takes_the_case_from_the_old_commissaire(api: Api) -> None:
    case = new_case(api, "admin")
    old = api.headers("commissaire_de_justice")
    assert api.client.get(f"/api/cases/{case['id']}", headers=old).status_code == 200
    moved = api.client.put(
        f"/api/cases/{case['id']}/assignment",
        headers=api.headers("admin"),
        json={"commissaire": "commissaire_2"},
    )
    assert moved.status_code == 200, moved.text
    assert moved.json()["commissaire"] == "commissaire_2"
    assert api.client.get(f"/api/cases/{case['id']}", headers=old).status_code == 403
    new = api.headers("commissaire_2")
    assert api.client.get(f"/api/cases/{case['id']}", headers=new).status_code == 200
    wrong = api.client.put(
        f"/api/cases/{case['id']}/assignment",
        headers=api.headers("admin"),
        json={"lawyer": "lecteur"},
    )
    assert wrong.status_code == 422 and "n'est pas avocat" in wrong.json()["error"]


def test_the_admin_pages_edit_a_user_and_assign_a_case_with_labelled_french_forms(
    browser: Api,
) -> None:
    token = login(browser, "admin")
    listing = browser.client.get("/utilisateurs", headers=HTML)
    assert listing.status_code == 200
    assert '<a href="/utilisateurs/lecteur"><code>lecteur</code></a>' in listing.text
    form = browser.client.get("/utilisateurs/commissaire_de_justice", headers=HTML)
    assert '<label for="u-etude_name">Étude</label>' in form.text
    assert '<label for="u-full_name">Nom complet</label>' in form.text
    saved = browser.client.post(
        "/utilisateurs/commissaire_de_justice",
        headers=HTML,
        data={
            "_csrf_token": token,
            "role": "commissaire_de_justice",
            "full_name": "Paul Durand",
            "etude_name": "SELARL Durand",
            "etude_address": "3 rue des Juifs\r\n67000 Strasbourg",
        },
    )
    assert saved.status_code == 200
    assert "Maître Paul Durand, commissaire de justice, SELARL Durand" in saved.text
    bad = browser.client.post(
        "/utilisateurs/lecteur",
        headers=HTML,
        data={"_csrf_token": token, "role": "lecteur", "barreau": "Paris"},
    )
    assert bad.status_code == 422
    assert "réservé(s) au rôle avocat" in bad.text
    assert 'value="Paris"' in bad.text  # what was typed is kept

    case = new_case(browser, "admin")
    page = browser.client.get(f"/dossiers/{case['id']}/attribution", headers=HTML)
    assert '<label for="a-commissaire">Commissaire de justice</label>' in page.text
    assigned = browser.client.post(
        f"/dossiers/{case['id']}/attribution",
        headers=HTML,
        data={
            "_csrf_token": token,
            "lawyer": "avocat",
            "commissaire": "commissaire_2",
            "version": str(case["version"]),
        },
    )
    assert assigned.status_code == 200
    assert "avocat avocat, commissaire de justice commissaire_2" in assigned.text


@pytest.mark.parametrize("who", ["avocat", "credit_manager", "commissaire_de_justice", "lecteur"])
def test_the_admin_pages_are_closed_to_other_roles(browser: Api, who: str) -> None:
    token = login(browser, who)
    case = new_case(browser, "admin")
    for path in ("/utilisateurs", "/utilisateurs/lecteur", f"/dossiers/{case['id']}/attribution"):
        assert browser.client.get(path, headers=HTML).status_code == 403, path
    posted = browser.client.post(
        "/utilisateurs/lecteur/desactiver", headers=HTML, data={"_csrf_token": token}
    )
    assert posted.status_code == 403
    nav = browser.client.get("/simulateur", headers=HTML).text
    assert 'href="/utilisateurs"' not in nav
    assert re.search(r"Attribuer l'avocat", nav) is None
