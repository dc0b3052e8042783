"""The role × route matrix (issue 7 §2): 401 without a valid token, 403 for another role's
route or another commissaire's case, success otherwise (STORE_API permissions)."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

import pytest

from tests.api.conftest import Api
from tests.api.test_cases import new_case

USERS = ("admin", "avocat", "credit_manager", "commissaire_de_justice", "commissaire_2", "lecteur")
ALL = frozenset(USERS)
CASE_WORKERS = frozenset({"admin", "avocat", "credit_manager"})
# The case is assigned to "commissaire_de_justice"; "commissaire_2" works for another office.
CASE_READERS = ALL - {"commissaire_2"}
_refs = itertools.count(1)

# (method, path, JSON body, roles allowed, status when allowed)
ROUTES: list[tuple[str, str, object, frozenset[str], int]] = [
    ("GET", "/api/procedures", None, ALL, 200),
    ("GET", "/api/procedures/injonction_de_payer", None, ALL, 200),
    (
        "POST",
        "/api/procedures/injonction_de_payer/simulate",
        {"events": {"ordonnance_rendue": {"date": "2027-01-04"}}},
        ALL,
        200,
    ),
    ("GET", "/api/cases", None, ALL, 200),
    ("POST", "/api/cases", "new-case", CASE_WORKERS, 201),
    ("GET", "/api/cases/{id}", None, CASE_READERS, 200),
    ("GET", "/api/cases/{id}/deadlines", None, CASE_READERS, 200),
    (
        "POST",
        "/api/cases/{id}/events",
        {"key": "ordonnance_rendue", "date": "2027-01-04"},
        CASE_WORKERS,
        201,
    ),
    (
        "POST",
        "/api/cases/{id}/events",
        {"key": "ordonnance_signifiee", "date": "2027-01-29", "a_personne": True},
        CASE_WORKERS | {"commissaire_de_justice"},
        201,
    ),
    (
        "PATCH",
        "/api/cases/{id}/parties/debtor",
        {"street": "3 rue du Dôme", "postcode": "67000", "city": "Strasbourg"},
        CASE_WORKERS,
        200,
    ),
    ("PATCH", "/api/cases/{id}/claims/{claim}", {"description": "Fûts"}, CASE_WORKERS, 200),
    ("DELETE", "/api/cases/{id}/claims/{claim}?reason=avoir", None, CASE_WORKERS, 200),
    ("PATCH", "/api/cases/{id}/payments/{payment}", {"reference": "VIR 2"}, CASE_WORKERS, 200),
    ("DELETE", "/api/cases/{id}/payments/{payment}", None, CASE_WORKERS, 200),
    (
        "PUT",
        "/api/cases/{id}/claims/{claim}/dispute",
        {"disputed": True, "reason": "Livraison incomplète"},
        CASE_WORKERS,
        200,
    ),
    # A Factur-X pièce (issue 16 item 3): each call uploads a new one ({fx} is its number).
    ("GET", "/api/cases/{id}/pieces/{fx}/facturx", None, CASE_READERS, 200),
    (
        "POST",
        "/api/cases/{id}/pieces/{fx}/facturx/accept",
        {"supply": "services"},
        CASE_WORKERS,
        201,
    ),
    # A pièce's nature, date and designation ({piece} is a new pièce's id, deposited by an
    # administrator on the Factur-X routes' case): whoever may add pièces to the case, except
    # its commissaire de justice, who corrects only the pièces they deposited
    # (tests/api/test_commissaire.py).
    (
        "PATCH",
        "/api/evidence/{piece}",
        {"kind": "contrat", "date": "2026-03-01", "description": "Contrat n° 77 signé"},
        CASE_WORKERS,
        200,
    ),
    # Handover to litigation: the matrix's case is already in litigation (409 once allowed).
    ("POST", "/api/cases/{id}/handover", {}, CASE_WORKERS, 409),
    # Reminder scenarios and promises (issue 17 items 1-2): the matrix's case is in litigation;
    # no action n° 999999 exists (404 once allowed).
    ("GET", "/api/cases/{id}/relances", None, CASE_READERS, 200),
    (
        "POST",
        "/api/cases/{id}/promises",
        {
            "amount": "50.00",
            "promised_for": (date.today() + timedelta(days=30)).isoformat(),
            "made_by": "le gérant",
        },
        CASE_WORKERS,
        201,
    ),
    ("GET", "/api/relances/courriers", None, CASE_WORKERS, 200),
    ("GET", "/api/relances/appels", None, CASE_WORKERS, 200),
    ("POST", "/api/relances/999999/sent", {}, CASE_WORKERS, 404),
    ("POST", "/api/relances/999999/call", {"outcome": "répondeur"}, CASE_WORKERS, 404),
    ("POST", "/api/relances/999999/retry", None, CASE_WORKERS, 404),
    # Every reader; a commissaire de justice's figures cover only their own cases.
    ("GET", "/api/reports/aged-balance?as_of=2026-11-30", None, ALL, 200),
    ("GET", "/api/reports/aged-balance/groups?by=lawyer", None, ALL, 200),
    ("GET", "/api/reports/dso?as_of=2026-11-30", None, ALL, 200),
    ("GET", "/api/reports/litigation", None, ALL, 200),
    ("GET", "/api/reports/recovery", None, ALL, 200),
    ("GET", "/api/search?q=facture", None, ALL, 200),
    # Background tasks (issue 15): an unknown bundle format is 422 once the case is readable
    # (whether or not other routes gave it pièces); the JSON body is no CSV (the task reports
    # its errors: 202).
    ("POST", "/api/cases/{id}/bundles", {"format": "rar"}, CASE_READERS, 422),
    ("POST", "/api/imports?filename=balance.csv", {"ligne": 1}, CASE_WORKERS, 202),
    ("GET", "/api/tasks", None, ALL, 200),
    ("GET", "/api/audit", None, frozenset({"admin", "avocat"}), 200),
    ("GET", "/api/audit?case={id}&user=admin", None, frozenset({"admin", "avocat"}), 200),
    # People and assignment (issue 12 item 2): administrators only.
    ("GET", "/api/users", None, frozenset({"admin"}), 200),
    ("POST", "/api/users", "new-user", frozenset({"admin"}), 201),
    ("GET", "/api/users/lecteur", None, frozenset({"admin"}), 200),
    ("PATCH", "/api/users/lecteur", {"phone": "03 88 00 00 00"}, frozenset({"admin"}), 200),
    ("POST", "/api/users/ancien/deactivate", None, frozenset({"admin"}), 200),
    ("POST", "/api/users/ancien/reactivate", None, frozenset({"admin"}), 200),
    (
        "PUT",
        "/api/cases/{id}/assignment",
        {"lawyer": "avocat", "commissaire": "commissaire_de_justice"},
        frozenset({"admin"}),
        200,
    ),
]


@pytest.fixture(scope="module")
def case_id(api: Api) -> int:
    return int(new_case(api, "admin")["id"])


def _call(api: Api, method: str, path: str, body: object, case_id: int, headers: dict[str, str]):
    if body == "new-user":
        body = {"name": f"role-user-{next(_refs):04d}", "role": "lecteur"}
    if body == "new-case":
        body = {
            "reference": f"ROLE-{next(_refs):04d}",
            "procedure": "refere_provision",
            "court": "tribunal_judiciaire",
            "court_department": "67",
            "creditor": {"name": "Créancier SA"},
            "debtor": {"name": "Débiteur SARL"},
        }
    if "{fx}" in path:
        # On a case of their own: the matrix's case keeps no pièce (its bundle answers 422).
        case_id = _facturx_case(api)
        path = path.replace("{fx}", str(_facturx_piece(api, case_id)))
    if "{piece}" in path:
        case_id = _facturx_case(api)
        path = path.replace("{piece}", str(_piece(api, case_id)))
    if "{claim}" in path or "{payment}" in path:
        path = path.replace("{claim}", str(_claim(api, case_id)))
        path = path.replace("{payment}", str(_payment(api, case_id)))
    return api.client.request(
        method, path.replace("{id}", str(case_id)), headers=headers, json=body
    )


def _claim(api: Api, case_id: int) -> int:
    """A fresh invoice for each call, so that a DELETE allowed to one role leaves the next
    role something to be refused or allowed on."""
    response = api.client.post(
        f"/api/cases/{case_id}/claims",
        headers=api.headers("admin"),
        json={
            "invoice_number": f"ROLE-F-{next(_refs):05d}",
            "issue_date": "2026-09-01",
            "due_date": "2026-10-01",
            "amount": "100.00",
        },
    )
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


_FX_CASE: dict[str, int] = {}


def _facturx_case(api: Api) -> int:
    """One case for the Factur-X routes, assigned to the same commissaire as the matrix's."""
    if "id" not in _FX_CASE:
        _FX_CASE["id"] = int(new_case(api, "admin")["id"])
    return _FX_CASE["id"]


def _facturx_piece(api: Api, case_id: int) -> int:
    """A new Factur-X pièce with an invoice number of its own; returns its pièce number."""
    from tests.evidence.facturx_samples import Sample, facturx_pdf

    response = api.client.post(
        f"/api/cases/{case_id}/evidence",
        headers={**api.headers("admin"), "content-type": "application/octet-stream"},
        params={"kind": "facture", "filename": "facture.pdf"},
        content=facturx_pdf(Sample(number=f"ROLE-FX-{next(_refs):05d}")),
    )
    assert response.status_code == 201, response.text
    return int(response.json()["piece"])


def _piece(api: Api, case_id: int) -> int:
    """A new pièce (bytes of its own: no duplicate); returns its id."""
    response = api.client.post(
        f"/api/cases/{case_id}/evidence",
        headers={**api.headers("admin"), "content-type": "application/octet-stream"},
        params={"kind": "devis", "filename": "devis.pdf"},
        content=b"%PDF-1.4\n% devis " + str(next(_refs)).encode() + b"\n%%EOF\n",
    )
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


def _payment(api: Api, case_id: int) -> int:
    response = api.client.post(
        f"/api/cases/{case_id}/payments",
        headers=api.headers("admin"),
        json={"date": "2026-11-02", "amount": "10.00"},
    )
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


@pytest.mark.parametrize("who", USERS)
@pytest.mark.parametrize(
    ("method", "path", "body", "allowed", "ok"),
    ROUTES,
    ids=[
        f"{m} {p} {b['key'] if isinstance(b, dict) and 'key' in b else ''}"
        for m, p, b, _, _ in ROUTES
    ],
)
def test_each_role_gets_exactly_its_routes(
    api: Api,
    case_id: int,
    who: str,
    method: str,
    path: str,
    body: object,
    allowed: frozenset[str],
    ok: int,
) -> None:
    response = _call(api, method, path, body, case_id, api.headers(who))
    expected = ok if who in allowed else 403
    assert response.status_code == expected, (who, response.text)
    if expected == 403:
        assert response.json()["error"]


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer "},
        {"Authorization": "Basic YWRtaW46YWRtaW4="},
        {"Authorization": "Bearer not-a-token"},
        "revoked",
    ],
    ids=["none", "empty", "basic", "unknown", "revoked"],
)
@pytest.mark.parametrize(
    ("method", "path", "body"),
    [(m, p, b) for m, p, b, _, _ in ROUTES],
    ids=[f"{m} {p}" for m, p, *_ in ROUTES],
)
def test_no_valid_token_is_401_everywhere(
    api: Api, case_id: int, headers: object, method: str, path: str, body: object
) -> None:
    if headers == "revoked":
        headers = {"Authorization": f"Bearer {api.revoked_token}"}
    response = _call(api, method, path, body, case_id, headers)  # type: ignore[arg-type]
    assert response.status_code == 401, response.text
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert response.json()["error"]


def test_a_commissaire_lists_only_the_cases_assigned_to_them(api: Api, case_id: int) -> None:
    mine = api.client.get("/api/cases", headers=api.headers("commissaire_de_justice")).json()
    theirs = api.client.get("/api/cases", headers=api.headers("commissaire_2")).json()
    assert case_id in {row["id"] for row in mine}
    assert case_id not in {row["id"] for row in theirs}


def test_options_without_a_token_is_401_not_500(api: Api) -> None:
    """Litestar's automatic OPTIONS handlers run the route guards: they need the user too."""
    response = api.client.options("/api/audit")
    assert response.status_code == 401
