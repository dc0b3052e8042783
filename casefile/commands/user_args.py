"""The arguments of `casefile user …` and `casefile case assign` (light: no database imports,
so that every other command starts fast; the handlers are in casefile.commands.users)."""

from __future__ import annotations

import argparse
from typing import Any

from casefile.store.permissions import ROLES

# The identity columns of casefile.services.users.PROFILE_FIELDS, with their help.
PROFILE_HELP = {
    "full_name": "nom complet tel que les documents l'impriment (Jeanne Martin)",
    "title": "titre devant le nom (« Maître » par défaut pour un avocat ou un commissaire)",
    "email": "adresse e-mail",
    "phone": "numéro de téléphone",
    "barreau": "avocat : le barreau (« Strasbourg », ou « barreau des Hauts-de-Seine »)",
    "toque": "avocat : le numéro de toque",
    "etude_name": "commissaire de justice : l'étude (SELARL Durand)",
    "etude_address": "commissaire de justice : l'adresse de l'étude",
}


def _format(p: argparse.ArgumentParser) -> None:
    p.add_argument("--format", choices=("text", "json"), default="text", help="format de sortie")


def _profile_flags(p: argparse.ArgumentParser) -> None:
    for key in PROFILE_HELP:
        p.add_argument("--" + key.replace("_", "-"), dest=key, help=PROFILE_HELP[key])


def register(user: Any, case: Any) -> None:
    """The subcommands, on the `user` and `case` subparsers of casefile.cli."""
    p = user.add_parser("add", help="ajouter un utilisateur")
    p.add_argument("name", help="identifiant de connexion")
    p.add_argument("--role", required=True, choices=ROLES, help="rôle, qui décide des droits")
    p.add_argument(
        "--password", help="mot de passe de connexion au site (sans lui : jeton API seulement)"
    )
    p.add_argument(
        "--token", action="store_true", help="afficher un nouveau jeton API sur la dernière ligne"
    )
    _profile_flags(p)
    p.set_defaults(handler="casefile.commands.users:add")

    p = user.add_parser(
        "edit", help="modifier le rôle, l'identité ou le mot de passe d'un utilisateur"
    )
    p.add_argument("name")
    p.add_argument("--role", choices=ROLES, help="nouveau rôle, qui décide des droits")
    p.add_argument("--password", help="nouveau mot de passe de connexion au site")
    _profile_flags(p)
    _format(p)
    p.set_defaults(handler="casefile.commands.users:edit")

    for action, helptext in (
        ("deactivate", "désactiver : sessions fermées, jetons API et abonnements révoqués"),
        (
            "reactivate",
            (
                "permettre à un utilisateur désactivé de se reconnecter (jetons et abonnements "
                "restent révoqués)"
            ),
        ),
    ):
        p = user.add_parser(action, help=helptext)
        p.add_argument("name")
        _format(p)
        p.set_defaults(handler=f"casefile.commands.users:{action}")

    p = user.add_parser("list", help="lister les utilisateurs et leur nom dans les documents")
    _format(p)
    p.set_defaults(handler="casefile.commands.users:list_users")

    p = case.add_parser(
        "assign", help="désigner l'avocat et/ou le commissaire de justice d'un dossier"
    )
    p.add_argument("case", metavar="CASE")
    lawyer = p.add_mutually_exclusive_group()
    lawyer.add_argument("--lawyer", metavar="NAME", help="nom d'utilisateur de l'avocat")
    lawyer.add_argument("--no-lawyer", action="store_true", help="retirer l'avocat")
    officer = p.add_mutually_exclusive_group()
    officer.add_argument(
        "--commissaire", metavar="NAME", help="nom d'utilisateur du commissaire de justice"
    )
    officer.add_argument(
        "--no-commissaire", action="store_true", help="retirer le commissaire de justice"
    )
    p.add_argument("--expected-version", type=int, help="refuser si le dossier a changé depuis")
    _format(p)
    p.set_defaults(handler="casefile.commands.users:assign")
