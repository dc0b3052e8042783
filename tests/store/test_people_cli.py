"""`casefile user add|edit|deactivate|reactivate|list` and `casefile case assign` (issue 12
item 2), through `casefile.cli.main` on a temporary SQLite database."""

from __future__ import annotations

import json

from casefile.commands.user_args import PROFILE_HELP
from casefile.services.users import PROFILE_FIELDS
from tests.store.test_cli import cli  # noqa: F401 (the fixture)


def test_every_identity_field_has_its_flag():
    assert list(PROFILE_HELP) == [key for key, _, _ in PROFILE_FIELDS]


def test_users_are_added_edited_deactivated_and_cases_reassigned(cli, monkeypatch):  # noqa: F811
    from casefile.settings import reset_settings

    assert cli("init")[0] == 0
    # The first user needs no operator; every later change is made "--as" an administrator.
    assert cli("user", "add", "chef", "--role", "admin")[0] == 0
    code, _, err = cli("user", "add", "x", "--role", "lecteur")
    assert code == 2 and "aucun opérateur" in err
    monkeypatch.setenv("CASEFILE_OPERATOR", "chef")
    reset_settings()
    code, out, _ = cli(
        "user",
        "add",
        "jmartin",
        "--role",
        "avocat",
        "--full-name",
        "Jeanne Martin",
        "--barreau",
        "Strasbourg",
        "--toque",
        "42",
        "--token",
    )
    assert code == 0
    lines = out.strip().splitlines()
    assert lines[0] == "utilisateur jmartin (avocat) créé, id 2"
    assert len(lines) == 2 and len(lines[-1]) >= 40  # the token alone on the last line
    code, out, _ = cli("user", "add", "pdurand", "--role", "commissaire_de_justice")
    assert (code, out) == (0, "utilisateur pdurand (commissaire de justice) créé, id 3\n")
    assert cli("user", "add", "mklein", "--role", "commissaire_de_justice")[0] == 0

    code, out, _ = cli(
        "user",
        "edit",
        "pdurand",
        "--full-name",
        "Paul Durand",
        "--etude-name",
        "SELARL Durand",
        "--format",
        "json",
    )
    assert code == 0
    shown = json.loads(out)
    assert shown["display"] == "Maître Paul Durand, commissaire de justice, SELARL Durand"
    code, _, err = cli("user", "edit", "pdurand", "--barreau", "Paris")
    assert code == 2 and err.count("\n") == 1 and "réservé(s) au rôle avocat" in err

    code, out, _ = cli(
        "case",
        "new",
        "--reference",
        "2027-001",
        "--procedure",
        "injonction_de_payer",
        "--court",
        "tribunal_judiciaire",
        "--court-department",
        "67",
        "--creditor",
        "A SAS",
        "--debtor",
        "B SARL",
        "--commissaire",
        "pdurand",
        "--format",
        "json",
    )
    assert code == 0
    code, out, _ = cli(
        "case",
        "assign",
        "2027-001",
        "--lawyer",
        "jmartin",
        "--commissaire",
        "mklein",
        "--format",
        "json",
    )
    assert code == 0
    assert json.loads(out) == {
        "id": 1,
        "reference": "2027-001",
        "lawyer": "jmartin",
        "commissaire": "mklein",
        "version": 2,
    }
    code, out, _ = cli("case", "assign", "2027-001", "--no-lawyer")
    assert code == 0
    assert out.strip() == (
        "dossier 2027-001 : avocat aucun, commissaire de justice mklein (version 3)"
    )
    code, _, err = cli("case", "assign", "2027-001", "--lawyer", "pdurand")
    assert code == 2 and "n'est pas avocat" in err

    code, out, _ = cli("user", "deactivate", "mklein")
    assert code == 0 and "désactivé" in out
    code, out, _ = cli("user", "list", "--format", "json")
    states = {u["name"]: u["active"] for u in json.loads(out)}
    assert states == {"chef": True, "jmartin": True, "mklein": False, "pdurand": True}
    assert cli("user", "reactivate", "mklein")[0] == 0
