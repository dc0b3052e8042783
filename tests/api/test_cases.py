"""The HTTP contract of DESIGN.md §4b: cases, events with their diff, deadlines."""

from __future__ import annotations

import itertools

import pytest

from tests.api.conftest import Api

_refs = itertools.count(1)
DEADLINE_FIELDS = {
    "key",
    "label",
    "due",
    "start",
    "period",
    "extension",
    "unadjusted",
    "moved_because",
    "actor",
    "basis",
    "source",
    "status",
}


def new_case(api: Api, who: str = "avocat", **changes: object) -> dict:
    body: dict[str, object] = {
        "reference": f"IP-{next(_refs):04d}",
        "procedure": "injonction_de_payer",
        "court": "tribunal_judiciaire",
        "court_department": "75",
        "creditor": {"name": "Dupont & Fils SARL", "kind": "professionnel"},
        "debtor": {"name": "Martin Élise", "kind": "consommateur", "residence": "75"},
        "commissaire": "commissaire_de_justice",
        **changes,
    }
    response = api.client.post("/api/cases", headers=api.headers(who), json=body)
    assert response.status_code == 201, response.text
    return response.json()


def test_a_new_case_is_201_with_its_id_and_reads_back(api: Api) -> None:
    case = new_case(api)
    assert isinstance(case["id"], int)
    assert case["procedure"] == "injonction_de_payer"
    shown = api.client.get(f"/api/cases/{case['id']}", headers=api.headers("lecteur"))
    assert shown.status_code == 200
    assert shown.json()["reference"] == case["reference"]
    by_reference = api.client.get(f"/api/cases/{case['reference']}", headers=api.headers("lecteur"))
    assert by_reference.json()["id"] == case["id"]
    listed = api.client.get("/api/cases", headers=api.headers("lecteur")).json()
    assert case["id"] in {row["id"] for row in listed}


def test_recording_the_signification_adds_the_opposition_deadline(api: Api) -> None:
    """CPC art. 1416: one month from a signification à personne, rolled to Monday (art. 642)."""
    case = new_case(api)
    response = api.client.post(
        f"/api/cases/{case['id']}/events",
        headers=api.headers("avocat"),
        json={"key": "ordonnance_signifiee", "date": "2027-01-29", "a_personne": True},
    )
    assert response.status_code == 201, response.text
    changes = response.json()
    assert set(changes) >= {"added", "moved", "removed"}
    opposition = next(d for d in changes["added"] if d["key"] == "opposition")
    assert opposition["due"] == "2027-03-01"

    deadlines = api.client.get(f"/api/cases/{case['id']}/deadlines", headers=api.headers("lecteur"))
    assert deadlines.status_code == 200
    rows = deadlines.json()
    assert isinstance(rows, list)
    opposition = next(d for d in rows if d["key"] == "opposition")
    assert set(opposition) >= DEADLINE_FIELDS
    assert opposition["basis"] == "CPC art. 1416"
    assert opposition["unadjusted"] == "2027-02-28"


def test_editing_and_deleting_an_event_move_and_remove_its_deadline(api: Api) -> None:
    case = new_case(api)
    url = f"/api/cases/{case['id']}/events"
    api.client.post(
        url,
        headers=api.headers("avocat"),
        json={"key": "ordonnance_signifiee", "date": "2027-01-29", "a_personne": True},
    )
    edited = api.client.put(
        f"{url}/ordonnance_signifiee",
        headers=api.headers("avocat"),
        json={"date": "2027-02-03", "a_personne": True},
    )
    assert edited.status_code == 200, edited.text
    moved = {m["key"]: m for m in edited.json()["moved"]}
    assert (moved["opposition"]["from"], moved["opposition"]["to"]) == ("2027-03-01", "2027-03-03")
    deleted = api.client.delete(f"{url}/ordonnance_signifiee", headers=api.headers("avocat"))
    assert deleted.status_code == 200, deleted.text
    assert "opposition" in {d["key"] for d in deleted.json()["removed"]}


def test_a_stale_expected_version_is_409(api: Api) -> None:
    case = new_case(api)
    response = api.client.post(
        f"/api/cases/{case['id']}/events?expected_version=999",
        headers=api.headers("avocat"),
        json={"key": "ordonnance_rendue", "date": "2027-01-04"},
    )
    assert response.status_code == 409
    assert "999" in response.json()["error"]


def test_a_duplicate_reference_is_409_not_500(api: Api) -> None:
    case = new_case(api)
    again = api.client.post(
        "/api/cases",
        headers=api.headers("avocat"),
        json={
            "reference": case["reference"],
            "procedure": "injonction_de_payer",
            "court": "tribunal_judiciaire",
            "court_department": "75",
            "creditor": {"name": "A"},
            "debtor": {"name": "B"},
        },
    )
    assert again.status_code == 409
    assert case["reference"] in again.json()["error"]


@pytest.fixture(scope="module")
def case_id(api: Api) -> int:
    return int(new_case(api)["id"])


@pytest.mark.parametrize(
    ("method", "path", "body", "status", "fragment"),
    [
        (
            "POST",
            "/api/cases",
            b"{oops",
            400,
            "JSON illisible : clé d'objet sans guillemets (octet 1)",
        ),
        ("POST", "/api/cases", b'{"reference": 12}', 400, "reference"),
        (
            "POST",
            "/api/cases",
            b'{"reference": "X", "procedure": "injonction_de_payer", '
            b'"court": "tribunal_judiciaire", "court_department": "75", "creditor": {"name": "A"}, '
            b'"debtor": {"name": "B", "kind": "martien"}}',
            400,
            "kind",
        ),
        (
            "POST",
            "/api/cases",
            b'{"reference": "X2", "procedure": "faillite", '
            b'"court": null, "court_department": "75", "creditor": {"name": "A"}, '
            b'"debtor": {"name": "B"}}',
            422,
            "faillite",
        ),
        (
            "POST",
            "/api/cases",
            b'{"reference": "X3", "procedure": "injonction_de_payer", '
            b'"court": "tribunal_judiciaire", "court_department": "99", "creditor": {"name": "A"}, '
            b'"debtor": {"name": "B"}}',
            422,
            "99",
        ),
        ("GET", "/api/cases/999999", None, 404, "999999"),
        ("GET", "/api/cases/999999/deadlines", None, 404, "999999"),
        ("GET", "/api/cases/99999999999999999999", None, 404, "99999999999999999999"),
        ("GET", "/api/cases/%C2%B2/calendar.ics", None, 404, "²"),
        ("GET", "/api/evidence/9223372036854775808/content", None, 404, "9223372036854775808"),
        (
            "POST",
            "/api/cases/999999/events",
            b'{"key": "ordonnance_rendue", "date": "2027-01-04"}',
            404,
            "999999",
        ),
        (
            "POST",
            "/api/cases/{id}/events",
            b'{"key": "pas_un_evenement", "date": "2027-01-04"}',
            422,
            "pas_un_evenement",
        ),
        (
            "POST",
            "/api/cases/{id}/events",
            b'{"key": "ordonnance_rendue", "date": "2027-02-30"}',
            422,
            "2027-02-30",
        ),
        (
            "POST",
            "/api/cases/{id}/events",
            b'{"key": "ordonnance_rendue", "date": 20270104}',
            422,
            "date",
        ),
        ("POST", "/api/cases/{id}/events", b'{"date": "2027-01-04"}', 422, "key"),
        (
            "POST",
            "/api/cases/{id}/events",
            b'{"key": "ordonnance_signifiee", "date": "2027-01-04", "a_personne": "peut-etre"}',
            422,
            "a_personne",
        ),
        (
            "POST",
            "/api/cases/{id}/events",
            b'{"key": "ordonnance_rendue", "date": "2027-01-04", "note": [1]}',
            422,
            "note",
        ),
        (
            "POST",
            "/api/cases/{id}/events",
            b"[]",
            400,
            "body : type attendu : object, reçu : array",
        ),
        (
            "POST",
            "/api/cases/{id}/claims",
            b'{"invoice_number": "F-1", "issue_date": "2027-01-01", "due_date": "2027-01-31", '
            b'"amount": "10.00", "montant": "10.00"}',
            400,
            "body : champ inconnu : montant",
        ),
        (
            "POST",
            "/api/cases/{id}/claims",
            b'{"invoice_number": "F-1", "issue_date": "2027-01-01", "due_date": "2027-01-31", '
            b'"amount": 1e400}',
            400,
            "JSON illisible : nombre hors limites",
        ),
        (
            "POST",
            "/api/cases/{id}/events",
            b'{"key": "ordonnance_rendue", "date": "2027-01-04", "note": -1e999}',
            400,
            "JSON illisible : nombre hors limites",
        ),
        (
            "POST",
            "/api/cases/{id}/events?expected_version=abc",
            b'{"key": "ordonnance_rendue", "date": "2027-01-04"}',
            400,
            "expected_version",
        ),
        (
            "PUT",
            "/api/cases/{id}/events/opposition_formee",
            b'{"date": "2027-01-04"}',
            404,
            "opposition_formee",
        ),
        ("DELETE", "/api/cases/{id}/events/ordonnance_rendue_x", None, 404, "ordonnance_rendue_x"),
        ("GET", "/api/cases/{id}/deadlines?today=2027-13-01", None, 400, "today"),
    ],
)
def test_bad_input_is_a_4xx_with_a_message_never_a_500(
    api: Api, case_id: int, method: str, path: str, body: bytes | None, status: int, fragment: str
) -> None:
    response = api.client.request(
        method,
        path.replace("{id}", str(case_id)),
        headers={**api.headers("avocat"), "content-type": "application/json"},
        content=body,
    )
    assert response.status_code == status, response.text
    assert fragment in response.json()["error"]


def test_wrong_content_type_is_4xx(api: Api, case_id: int) -> None:
    response = api.client.post(
        f"/api/cases/{case_id}/events",
        headers={**api.headers("avocat"), "content-type": "text/plain"},
        content=b"ordonnance_rendue=2027-01-04",
    )
    assert 400 <= response.status_code < 500
    assert "error" in response.json()


def test_a_bad_query_parameter_is_named_without_internals(api: Api, case_id: int) -> None:
    """Litestar names a parameter's place with an enum: « ParamType.QUERY.as_of » read like a
    stack trace; the message says « query.as_of »."""
    response = api.client.get(
        f"/api/cases/{case_id}/statement?as_of=2026-02-31", headers=api.headers("lecteur")
    )
    assert response.status_code == 400
    assert response.json() == {
        "error": "query.as_of : date invalide (AAAA-MM-JJ)",
        "code": "requete_invalide",
    }


def test_a_recorded_event_answers_with_its_id(api: Api) -> None:
    """`id` of the answer is the event recorded (it was always null): the id a later edit or
    delete names when the key repeats (`?event_id=`)."""
    case = new_case(api)
    url = f"/api/cases/{case['id']}/events"
    first = api.client.post(
        url,
        headers=api.headers("avocat"),
        json={"key": "ordonnance_signifiee", "date": "2027-02-10", "a_personne": True},
    )
    second = api.client.post(
        url,
        headers=api.headers("avocat"),
        json={"key": "ordonnance_signifiee", "date": "2027-02-11", "a_personne": True},
    )
    assert first.status_code == second.status_code == 201
    ids = [first.json()["id"], second.json()["id"]]
    shown = api.client.get(f"/api/cases/{case['id']}", headers=api.headers("avocat")).json()
    assert [e["id"] for e in shown["events"] if e["key"] == "ordonnance_signifiee"] == ids
    # the earlier one, named by its id, is withdrawn; the answer names it too
    gone = api.client.delete(
        f"{url}/ordonnance_signifiee",
        params={"event_id": ids[0]},
        headers=api.headers("avocat"),
    )
    assert gone.status_code == 200, gone.text
    assert gone.json()["id"] == ids[0]
    shown = api.client.get(f"/api/cases/{case['id']}", headers=api.headers("avocat")).json()
    assert [(e["id"], e["date"]) for e in shown["events"]] == [(ids[1], "2027-02-11")]
