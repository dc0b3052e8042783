"""Who acts when the CLI changes something (issue 12 item 7): a named user, never an anonymous
`system`. `--as NAME` (on any command) wins over `CASEFILE_OPERATOR`; without either, a mutating
command is refused as soon as users exist. A fresh installation (no user yet) may still run
`casefile init`, `demo` and the first `user add` (an administrator); an installation left
without an active administrator, only `user add NOM --role admin` (casefile.commands.users).
"""

from __future__ import annotations

import argparse
from collections.abc import Awaitable, Callable
from typing import TypeVar

from casefile.errors import InputError
from casefile.settings import get_settings
from casefile.store.permissions import SYSTEM, User
from casefile.store.tables import UserAccount

T = TypeVar("T")

NO_OPERATOR = (
    "aucun opérateur : cette commande modifie des données et doit être attribuée à un "
    "utilisateur. Indiquez qui agit avec `casefile --as NOM …` ou la variable "
    "d'environnement CASEFILE_OPERATOR=NOM (un utilisateur existant : voir `casefile user add`)."
)


def operator_name(args: argparse.Namespace) -> str | None:
    name = getattr(args, "operator", None) or get_settings().operator
    return name.strip() if name and name.strip() else None


async def resolve_operator(args: argparse.Namespace, mutating: bool = True) -> User:
    """The user named by `--as`/CASEFILE_OPERATOR; SYSTEM only where no one can be named."""
    name = operator_name(args)
    if name is None:
        if not mutating or not await UserAccount.exists().where(UserAccount.id > 0):
            return SYSTEM
        raise InputError(NO_OPERATOR)
    row = (
        await UserAccount.select(
            UserAccount.id, UserAccount.name, UserAccount.role, UserAccount.active
        )
        .where(UserAccount.name == name)
        .first()
    )
    if row is None:
        raise InputError(
            f"opérateur « {name} » inconnu : --as et CASEFILE_OPERATOR nomment un utilisateur "
            "existant (voir `casefile user add`)"
        )
    if not row["active"]:
        raise InputError(f"opérateur « {name} » désactivé : il ne peut plus agir")
    return User(int(row["id"]), str(row["name"]), str(row["role"]))


def as_operator(
    args: argparse.Namespace, work: Callable[[User], Awaitable[T]], mutating: bool = True
) -> Callable[[], Awaitable[T]]:
    """`work(actor)` once the operator is known, for `run_store` (same event loop)."""

    async def run() -> T:
        return await work(await resolve_operator(args, mutating))

    return run
