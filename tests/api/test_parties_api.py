"""Parties through the API: the full identity on `POST /api/cases`, `PATCH
/api/cases/{id}/parties/{role}`, French messages naming the field, nothing half-recorded."""

from __future__ import annotations

from tests.api.conftest import Api
from tests.api.test_cases import new_case

CREDITOR = {
    "name": "Fournitures Rhénanes",
    "category": "societe",
    "legal_form": "SAS",
    "siren": "732 829 320",
    "siret": "73282932000074",
    "rcs_city": "Strasbourg",
    "street": "12 rue des Tanneurs",
    "postcode": "67000",
    "city": "Strasbourg",
    "representative": "Mme Anne Weber, présidente",
    "email": "compta@rhenanes.example",
    "phone": "03 88 00 00 00",
}


def test_a_case_opens_with_the_parties_full_identity(api: Api) -> None:
    case = new_case(
        api,
        creditor=CREDITOR,
        debtor={
            "name": "Martin",
            "category": "consommateur",
            "civility": "Mme",
            "first_name": "Élise",
            "street": "4 place Kléber",
            "postcode": "67000",
            "city": "Strasbourg",
            "residence": "67",
        },
    )
    creditor = case["creditor"]
    assert creditor["siren"] == "732829320"
    assert creditor["kind"] == "professionnel" and creditor["person_or_company"] == "societe"
    assert creditor["address"] == "12 rue des Tanneurs, 67000 Strasbourg"
    assert creditor["country"] == "France"
    debtor = case["debtor_party"]
    assert (debtor["kind"], debtor["civility"], debtor["first_name"]) == (
        "consommateur",
        "Mme",
        "Élise",
    )


def test_a_bad_siren_is_a_french_422_and_no_case(api: Api) -> None:
    body = {
        "reference": "SIREN-FAUX",
        "procedure": "injonction_de_payer",
        "court": "tribunal_judiciaire",
        "court_department": "75",
        "creditor": {**CREDITOR, "siren": "732829321", "siret": None},
        "debtor": {"name": "Débiteur SARL"},
    }
    response = api.client.post("/api/cases", headers=api.headers("avocat"), json=body)
    assert response.status_code == 422
    assert "créancier, SIREN" in response.json()["error"]
    assert "clé de contrôle" in response.json()["error"]
    shown = api.client.get("/api/cases/SIREN-FAUX", headers=api.headers("avocat"))
    assert shown.status_code == 404


def test_patch_changes_only_the_fields_given_and_is_audited(api: Api) -> None:
    case = new_case(api)
    response = api.client.patch(
        f"/api/cases/{case['id']}/parties/debtor",
        headers=api.headers("avocat"),
        json={"category": "entrepreneur_individuel", "civility": "M.", "first_name": "Paul"},
    )
    assert response.status_code == 200, response.text
    debtor = response.json()["party"]
    assert debtor["kind"] == "professionnel"  # an entrepreneur is a professional
    assert debtor["name"] == "Martin Élise"  # untouched
    assert response.json()["version"] == case["version"] + 1
    audit = api.client.get("/api/audit", headers=api.headers("admin")).json()
    entry = next(
        e for e in audit if e["action"] == "party.edit" and e["entity_id"] == str(case["id"])
    )
    assert entry["before"]["kind"] == "consommateur" and entry["after"]["kind"] == "professionnel"


def test_patch_refuses_an_unknown_role_or_field(api: Api) -> None:
    case = new_case(api)
    wrong_role = api.client.patch(
        f"/api/cases/{case['id']}/parties/lawyer", headers=api.headers("avocat"), json={}
    )
    assert wrong_role.status_code == 422
    unknown = api.client.patch(
        f"/api/cases/{case['id']}/parties/debtor",
        headers=api.headers("avocat"),
        json={"nickname": "x"},
    )
    assert unknown.status_code == 400
