"""The arguments of `casefile user …` and `casefile case assign` (light: no database imports,
so that every other command starts fast; the handlers are in casefile.commands.users)."""

from __future__ import annotations

import argparse
from typing import Any

from casefile.store.permissions import ROLES

# The identity columns of casefile.services.users.PROFILE_FIELDS, with their help.
PROFILE_HELP = {
    "full_name": "full name as documents print it (Jeanne Martin)",
    "title": 'title before the name (default "Maître" for an avocat or a commissaire)',
    "email": "e-mail address",
    "phone": "phone number",
    "barreau": 'avocat: the barreau ("Strasbourg", or "barreau des Hauts-de-Seine")',
    "toque": "avocat: the toque number",
    "etude_name": "commissaire de justice: the étude (SELARL Durand)",
    "etude_address": "commissaire de justice: the étude's address",
}


def _format(p: argparse.ArgumentParser) -> None:
    p.add_argument("--format", choices=("text", "json"), default="text")


def _profile_flags(p: argparse.ArgumentParser) -> None:
    for key in PROFILE_HELP:
        p.add_argument("--" + key.replace("_", "-"), dest=key, help=PROFILE_HELP[key])


def register(user: Any, case: Any) -> None:
    """The subcommands, on the `user` and `case` subparsers of casefile.cli."""
    p = user.add_parser("add", help="add a user")
    p.add_argument("name")
    p.add_argument("--role", required=True, choices=ROLES)
    p.add_argument("--password")
    p.add_argument("--token", action="store_true", help="print a new API token on the last line")
    _profile_flags(p)
    p.set_defaults(handler="casefile.commands.users:add")

    p = user.add_parser("edit", help="change a user's role, identity or password")
    p.add_argument("name")
    p.add_argument("--role", choices=ROLES)
    p.add_argument("--password")
    _profile_flags(p)
    _format(p)
    p.set_defaults(handler="casefile.commands.users:edit")

    for action, helptext in (
        ("deactivate", "deactivate: sessions closed, API tokens and feeds revoked"),
        ("reactivate", "let a deactivated user log in again (tokens and feeds stay revoked)"),
    ):
        p = user.add_parser(action, help=helptext)
        p.add_argument("name")
        _format(p)
        p.set_defaults(handler=f"casefile.commands.users:{action}")

    p = user.add_parser("list", help="list the users and how documents name them")
    _format(p)
    p.set_defaults(handler="casefile.commands.users:list_users")

    p = case.add_parser("assign", help="assign a case's avocat and/or commissaire de justice")
    p.add_argument("case", metavar="CASE")
    lawyer = p.add_mutually_exclusive_group()
    lawyer.add_argument("--lawyer", metavar="NAME", help="user name of the avocat")
    lawyer.add_argument("--no-lawyer", action="store_true", help="remove the avocat")
    officer = p.add_mutually_exclusive_group()
    officer.add_argument("--commissaire", metavar="NAME", help="user name of the commissaire")
    officer.add_argument("--no-commissaire", action="store_true", help="remove the commissaire")
    p.add_argument("--expected-version", type=int)
    _format(p)
    p.set_defaults(handler="casefile.commands.users:assign")
