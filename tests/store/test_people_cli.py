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


def _audit_actions(cli) -> list[tuple[str, str, str]]:  # noqa: F811
    import sqlite3
    from contextlib import closing

    from casefile.settings import get_settings

    path = get_settings().database_url.removeprefix("sqlite:///")
    with closing(sqlite3.connect(path)) as connection:
        rows = connection.execute(
            'SELECT actor_name, action, entity_id, "after" FROM audit_log'
            " WHERE action LIKE 'user.%' ORDER BY id"
        ).fetchall()
    return [
        (actor, action, json.loads(after).get("name", key)) for actor, action, key, after in rows
    ]


def test_the_first_user_of_an_installation_must_be_an_administrator(cli):  # noqa: F811
    """The user walk: `casefile user add marie --role avocat` right after `casefile init` left
    an installation where nobody could ever add an administrator."""
    assert cli("init")[0] == 0
    code, out, err = cli("user", "add", "marie", "--role", "avocat")
    assert (code, out) == (2, "")
    assert err.strip().splitlines() == [
        "casefile : erreur : le premier utilisateur doit être administrateur : casefile user add NOM "
        "--role admin (puis ajoutez les autres avec --as NOM)"
    ]
    code, out, _ = cli("user", "list", "--format", "json")
    assert (code, json.loads(out)) == (0, [])
    # An operator named before anyone exists does not stand in the way of the first admin.
    code, out, err = cli("--as", "chef", "user", "add", "chef", "--role", "admin")
    assert (code, out) == (0, "utilisateur chef (administrateur) créé, id 1\n"), err
    assert cli("--as", "chef", "user", "add", "marie", "--role", "avocat")[0] == 0
    # The only administrator can neither deactivate nor demote themself; nobody else can.
    code, _, err = cli("--as", "chef", "user", "deactivate", "chef")
    assert code == 2 and "vous ne pouvez pas désactiver votre propre compte" in err
    code, _, err = cli("--as", "chef", "user", "edit", "chef", "--role", "avocat")
    assert code == 2 and "vous ne pouvez pas retirer votre propre rôle d'administrateur" in err
    code, _, err = cli("--as", "marie", "user", "deactivate", "chef")
    assert code == 2 and "le rôle « avocat » ne permet pas de gérer les utilisateurs" in err
    assert _audit_actions(cli) == [
        ("system", "user.create", "chef"),
        ("chef", "user.create", "marie"),
    ]


def test_a_locked_out_installation_gets_an_administrator_back_from_the_cli(
    cli,  # noqa: F811
    monkeypatch,
):
    """An installation created before the rule: marie (avocat) alone, CASEFILE_OPERATOR=marie.
    `casefile user add NOM --role admin` works without an administrator, once, audited."""
    from casefile.settings import reset_settings
    from casefile.store import db, users

    assert cli("init")[0] == 0

    async def locked() -> None:
        from casefile.settings import get_settings

        await db.connect(get_settings().database_url)
        try:
            await users.create_user("marie", "avocat")  # what the old CLI allowed
        finally:
            await db.close()

    import asyncio

    asyncio.run(locked())
    monkeypatch.setenv("CASEFILE_OPERATOR", "marie")
    reset_settings()
    code, _, err = cli("user", "edit", "marie", "--role", "admin")
    assert code == 2
    assert "aucun administrateur actif : rétablissez l'accès avec casefile user add NOM " in err
    code, _, err = cli("user", "add", "paul", "--role", "lecteur")
    assert code == 2 and "aucun administrateur actif" in err

    code, out, err = cli("user", "add", "direction", "--role", "admin", "--token")
    assert code == 0, err
    lines = out.strip().splitlines()
    assert lines[:2] == [
        "aucun administrateur actif : reprise de l'accès, sans opérateur, inscrite au journal "
        "d'audit (action user.recover)",
        "utilisateur direction (administrateur) créé, id 2",
    ]
    assert len(lines) == 3 and len(lines[-1]) >= 40  # the token, alone on the last line
    # Once done, the usual rules again: no second recovery, the new admin acts by name.
    code, _, err = cli("user", "add", "autre", "--role", "admin")
    assert code == 2 and "le rôle « avocat » ne permet pas" in err
    assert cli("--as", "direction", "user", "edit", "marie", "--role", "admin")[0] == 0
    assert _audit_actions(cli) == [
        ("system", "user.create", "marie"),
        ("system", "user.recover", "direction"),
        ("direction", "user.edit", "1"),
    ]
