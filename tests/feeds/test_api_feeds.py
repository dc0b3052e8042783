"""Subscription feeds and payment plans over HTTP (issue 6 §3, issue 3 §5)."""

from __future__ import annotations

from tests.api.conftest import Api
from tests.api.test_cases import new_case
from tests.ical.checks import events, parse


def _feed(api: Api, who: str = "avocat", **body: object) -> dict:
    response = api.client.post("/api/feeds", headers=api.headers(who), json=body)
    assert response.status_code == 201, response.text
    return response.json()


def test_a_feed_url_needs_no_login_and_answers_304_to_its_etag(api: Api) -> None:
    case = new_case(api)
    api.client.post(
        f"/api/cases/{case['id']}/events",
        headers=api.headers("avocat"),
        json={"key": "ordonnance_signifiee", "date": "2027-01-29", "a_personne": True},
    )
    feed = _feed(api, kind="case", subject=case["reference"])
    path = f"/feeds/{feed['token']}.ics"
    assert feed["url"].endswith(path) and feed["webcal"].startswith("webcal://")

    first = api.client.get(path)  # no Authorization header, no session
    assert first.status_code == 200, first.text
    assert first.headers["content-type"] == "text/calendar; charset=utf-8"
    etag = first.headers["etag"]
    assert etag.startswith('"')
    assert api.uid(case["id"], "opposition") in events(parse(first.content))

    cached = api.client.get(path, headers={"If-None-Match": etag})
    assert cached.status_code == 304
    assert cached.content == b""
    assert cached.headers["etag"] == etag

    [listed] = [
        f
        for f in api.client.get("/api/feeds", headers=api.headers("avocat")).json()
        if f["id"] == feed["id"]
    ]
    assert listed["last_used"] is not None
    assert "token" not in listed


def test_a_revoked_or_unknown_feed_is_404(api: Api) -> None:
    case = new_case(api)
    feed = _feed(api, kind="case", subject=str(case["id"]))
    path = f"/feeds/{feed['token']}.ics"
    assert api.client.get(path).status_code == 200
    gone = api.client.delete(f"/api/feeds/{feed['id']}", headers=api.headers("avocat"))
    assert gone.status_code == 200 and gone.json()["revoked"] is True
    assert api.client.get(path).status_code == 404
    assert api.client.get("/feeds/not-a-token.ics").status_code == 404
    assert api.client.get(f"/feeds/{feed['token']}").status_code == 404
    # Someone else cannot revoke (nor see) my feed.
    other = _feed(api, kind="case", subject=str(case["id"]))
    response = api.client.delete(f"/api/feeds/{other['id']}", headers=api.headers("lecteur"))
    assert response.status_code == 404


def test_a_commissaire_feed_shows_only_signification_acts(api: Api) -> None:
    case = new_case(api)
    api.client.post(
        f"/api/cases/{case['id']}/events",
        headers=api.headers("avocat"),
        json={"key": "ordonnance_rendue", "date": "2027-01-12"},
    )
    feed = _feed(
        api, "commissaire_de_justice", kind="commissaire", subject="commissaire_de_justice"
    )
    got = events(parse(api.client.get(f"/feeds/{feed['token']}.ics").content))
    assert api.uid(case["id"], "signification_ordonnance") in got
    assert all("signification_ordonnance" in uid for uid in got)
    refused = api.client.post(
        "/api/feeds",
        headers=api.headers("commissaire_2"),
        json={"kind": "commissaire", "subject": "commissaire_de_justice"},
    )
    assert refused.status_code == 403


def test_payment_plan_routes(api: Api) -> None:
    case = new_case(api)
    url = f"/api/cases/{case['id']}/payment-plans"
    body = {
        "total": "1200.00",
        "count": 4,
        "first_due": "2027-02-15",
        "granted_on": "2027-01-20",
        "kind": "judiciaire",
        "grace_days": 8,
    }
    created = api.client.post(url, headers=api.headers("avocat"), json=body)
    assert created.status_code == 201, created.text
    plan = created.json()
    assert [i["amount"] for i in plan["instalments"]] == ["300.00"] * 4
    deadlines = api.client.get(
        f"/api/cases/{case['id']}/deadlines", headers=api.headers("lecteur")
    ).json()
    assert {"echeance_1", "echeance_4"} <= {d["key"] for d in deadlines}
    listed = api.client.get(url, headers=api.headers("lecteur")).json()
    assert [p["id"] for p in listed] == [plan["id"]]

    too_long = {**body, "count": 25}
    refused = api.client.post(url, headers=api.headers("avocat"), json=too_long)
    assert refused.status_code == 422
    # The law core's refusal reaches the API's 4xx body as it is: French, dates in words.
    assert refused.json() == {
        "error": "Un échéancier judiciaire est limité à 24 mois (C. civ. art. 1343-5) : la "
        "dernière échéance, le 15 février 2029, tombe après le 20 janvier 2029.",
        "code": "donnees_invalides",
    }
    reader = api.client.post(url, headers=api.headers("lecteur"), json=body)
    assert reader.status_code == 403


def test_a_poll_of_an_unchanged_feed_gets_its_304_without_computing_it(
    api: Api, monkeypatch
) -> None:
    """The 304 comes from the feed's inputs (cases, versions, deadline and state writes, day),
    not from computing the feed again; any change to the case gives a new body and ETag."""
    from casefile.store import calendars

    case = new_case(api)
    feed = _feed(api, kind="case", subject=str(case["id"]))
    path = f"/feeds/{feed['token']}.ics"
    first = api.client.get(path)
    assert first.status_code == 200
    again = api.client.get(path)  # the first poll may have written the feed state
    etag = again.headers["etag"]
    real_body = calendars._feed_body

    async def no_computing(*args: object) -> bytes:
        raise AssertionError("an unchanged feed was computed again for its 304")

    monkeypatch.setattr(calendars, "_feed_body", no_computing)
    cached = api.client.get(path, headers={"If-None-Match": etag})
    assert cached.status_code == 304 and cached.headers["etag"] == etag
    monkeypatch.setattr(calendars, "_feed_body", real_body)

    assert api.client.get(path, headers={"If-None-Match": '"other"'}).status_code == 200
    recorded = api.client.post(
        f"/api/cases/{case['id']}/events",
        headers=api.headers("avocat"),
        json={"key": "ordonnance_signifiee", "date": "2027-01-29", "a_personne": True},
    )
    assert recorded.status_code == 201, recorded.text
    changed = api.client.get(path, headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["etag"] != etag
    assert api.uid(case["id"], "opposition") in events(parse(changed.content))
