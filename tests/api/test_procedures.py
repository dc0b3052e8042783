"""The what-if simulator over HTTP: the same figures as the CLI (DESIGN.md §4), 4xx on bad input."""

from __future__ import annotations

import pytest

from tests.api.conftest import Api

SIMULATE = "/api/procedures/injonction_de_payer/simulate"


def test_opposition_runs_one_month_from_a_signification_a_personne_and_rolls_past_sunday(
    api: Api,
) -> None:
    """CPC art. 1416 + 641-642: served Fri 29 Jan 2027 → 28 Feb (Sunday) → Monday 1 March."""
    response = api.client.post(
        SIMULATE,
        headers=api.headers("lecteur"),
        json={
            "events": {"ordonnance_signifiee": {"date": "2027-01-29", "a_personne": True}},
            "court_department": "75",
        },
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["procedure"] == "injonction_de_payer"
    assert body["territory"] == "metropole"
    opposition = next(d for d in body["deadlines"] if d["key"] == "opposition")
    assert opposition["due"] == "2027-03-01"
    assert opposition["unadjusted"] == "2027-02-28"
    assert opposition["start"] == {
        "kind": "event",
        "key": "ordonnance_signifiee",
        "date": "2027-01-29",
    }
    assert opposition["period"] == "1 month"
    assert opposition["basis"] == "CPC art. 1416"
    assert "642" in opposition["moved_because"]


def test_simulator_adds_the_two_month_extension_for_a_debtor_abroad(api: Api) -> None:
    """CPC art. 643: +2 months abroad, added to the period itself (1 + 2 = 3 months)."""
    response = api.client.post(
        SIMULATE,
        headers=api.headers("lecteur"),
        json={
            "events": {"ordonnance_signifiee": {"date": "2027-01-15", "a_personne": "true"}},
            "debtor_residence": "etranger",
        },
    )
    assert response.status_code == 200, response.text
    opposition = next(d for d in response.json()["deadlines"] if d["key"] == "opposition")
    assert opposition["extension"] == "2 months"
    assert opposition["due"] == "2027-04-15"


def test_procedures_are_listed_and_described(api: Api) -> None:
    listed = api.client.get("/api/procedures", headers=api.headers("lecteur"))
    assert listed.status_code == 200
    keys = {p["key"] for p in listed.json()}
    assert {"injonction_de_payer", "refere_provision", "petites_creances"} <= keys
    detail = api.client.get("/api/procedures/refere_provision", headers=api.headers("lecteur"))
    assert detail.status_code == 200
    rules = {rule["key"]: rule for rule in detail.json()["rules"]}
    assert rules["appel"]["period"] == "15 days"
    assert rules["appel"]["source"].startswith("https://www.legifrance.gouv.fr/")


@pytest.mark.parametrize(
    ("body", "status", "fragment"),
    [
        (b"{not json", 400, "JSON illisible : clé d'objet sans guillemets (octet 1)"),
        (b"[1, 2]", 400, "object"),
        (b'{"events": 3}', 422, "events doit être un objet"),
        (
            b'{"events": {"ordonnance_signifiee": {"date": "2027-02-30"}}}',
            422,
            "(ordonnance_signifiee) : « 2027-02-30 » : cette date n'existe pas dans le calendrier",
        ),
        (
            b'{"events": {"ordonnance_signifiee": {"date": 20270201}}}',
            422,
            "événement « Ordonnance signifiée au débiteur » (ordonnance_signifiee) : « 20270201 » "
            "n'est pas une date au format AAAA-MM-JJ",
        ),
        (
            b'{"events": {"pas_un_evenement": {"date": "2027-02-01"}}}',
            422,
            "événement inconnu « pas_un_evenement » pour la procédure « Injonction de payer »",
        ),
        (b'{"events": {}, "court_department": 100}', 422, "juridiction : « 100 » n'est pas"),
        (b'{"events": {}, "claim_total": 12.5}', 422, "claim_total"),
        (b'{"events": {}, "couleur": "bleu"}', 422, "champ(s) inconnu(s) « couleur »"),
        (b'{"events": {}, "procedure": "refere_provision"}', 422, "refere_provision"),
    ],
)
def test_bad_simulator_input_is_a_4xx_naming_the_input(
    api: Api, body: bytes, status: int, fragment: str
) -> None:
    response = api.client.post(
        SIMULATE,
        headers={**api.headers("lecteur"), "content-type": "application/json"},
        content=body,
    )
    assert response.status_code == status, response.text
    assert fragment in response.json()["error"]


def test_unknown_procedure_is_404(api: Api) -> None:
    response = api.client.post(
        "/api/procedures/faillite/simulate", headers=api.headers("avocat"), json={"events": {}}
    )
    assert response.status_code == 404
    assert response.json() == {
        "error": "procédure inconnue « faillite » ; aucune ne s'en approche ; liste complète : "
        "casefile procedures, ou GET /api/procedures",
        "code": "introuvable",
    }


def test_a_misspelt_procedure_or_event_names_the_closest_choice_not_every_one(api: Api) -> None:
    """The refusal stays one short line in the API's usual shape {"error", "code"}."""
    response = api.client.get("/api/procedures/injonction", headers=api.headers("avocat"))
    assert response.status_code == 404
    assert response.json()["error"] == (
        "procédure inconnue « injonction » ; la plus proche : « Injonction de payer » "
        "(injonction_de_payer) ; liste complète : casefile procedures, ou GET /api/procedures"
    )
    response = api.client.post(
        "/api/procedures/injonction_de_payer/simulate",
        headers=api.headers("avocat"),
        json={"events": {"ordonnance_rendu": {"date": "2026-01-05"}}},
    )
    assert response.status_code == 422
    body = response.json()
    assert set(body) == {"error", "code"}
    assert body["error"] == (
        "événement inconnu « ordonnance_rendu » pour la procédure « Injonction de payer » ; le "
        "plus proche : « Ordonnance portant injonction de payer rendue » (ordonnance_rendue) ; "
        "liste complète : casefile procedures injonction_de_payer, ou "
        "GET /api/procedures/injonction_de_payer"
    )


def test_oversize_json_body_is_413_not_500(api: Api) -> None:
    response = api.client.post(
        SIMULATE,
        headers={**api.headers("avocat"), "content-type": "application/json"},
        content=b'{"events": {}, "x": "' + b"a" * (2 * 1024 * 1024) + b'"}',
    )
    assert response.status_code == 413
    assert "error" in response.json()
