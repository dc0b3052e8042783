"""People, not logins, on the pages: the case page's avocat and commissaire de justice, the
"À faire" owners and the audit journal's sentences name the person as recorded ("Maître Jeanne
Essai"); the login only when no full name is recorded. The names are fictitious test values."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from casefile.services import audit, cases
from casefile.services.case_page import owners
from casefile.services.users import ProfileChanges, add_user, people_names, person_name
from casefile.store.permissions import SYSTEM
from tests.store.helpers import new_case


def test_a_person_is_named_by_title_and_full_name_the_login_only_without_one() -> None:
    assert person_name({"name": "jmartin", "role": "avocat", "full_name": "Jeanne Essai"}) == (
        "Maître Jeanne Essai"
    )
    assert person_name({"name": "tkeller", "role": "gestion", "full_name": "Thomas Essai"}) == (
        "Thomas Essai"
    )
    assert person_name({"name": "avocat", "role": "avocat", "full_name": ""}) == "avocat"


def test_the_owners_of_the_to_do_list_are_people() -> None:
    case = {"creditor": {"name": "Brasserie"}, "lawyer": "jmartin", "commissaire": None}
    assert owners(case, {"jmartin": "Maître Jeanne Essai"}) == {
        "creancier": "Brasserie",
        "avocat": "Maître Jeanne Essai",
        "commissaire_de_justice": "commissaire de justice non désigné",
    }
    assert owners(case)["avocat"] == "jmartin"


def test_the_audit_sentence_names_the_person() -> None:
    entry = {
        "id": 1,
        "at": datetime(2026, 11, 30, 9, 5, tzinfo=UTC),
        "actor": "jmartin",
        "action": "case.create",
        "entity": "case",
        "entity_id": "3",
        "before": None,
        "after": {"status": "open"},
    }
    line = audit.describe(entry, {3: "D-3"}, {}, {"jmartin": "Maître Jeanne Essai"})
    assert line.sentence == "Maître Jeanne Essai a ouvert le dossier D-3."
    assert line.actor == "jmartin"  # the JSON field keeps the login


def test_people_names_reads_the_accounts(store) -> None:
    store.run(add_user("chef", "admin"))  # the first user is an administrator
    store.run(add_user("jmartin", "avocat", profile=ProfileChanges(full_name="Jeanne Essai")))
    store.run(add_user("sansnom", "commissaire_de_justice"))
    case = store.run(
        cases.create_case(replace(new_case(), lawyer="jmartin", commissaire="sansnom"), SYSTEM)
    )
    assert store.run(people_names([case["lawyer"], case["commissaire"], "system", None])) == {
        "jmartin": "Maître Jeanne Essai",
        "sansnom": "sansnom",
        "system": "casefile (traitement automatique)",
    }
    [line] = [
        e for e in store.run(audit.trail(SYSTEM, case=case["id"])) if e.action == "case.create"
    ]
    assert line.sentence.startswith("casefile (traitement automatique) a ouvert le dossier")
