"""`casefile user add|edit|deactivate|reactivate|list` and `casefile case assign`: thin over
`casefile.services.users` and `casefile.services.assignments`.

`user add NAME --role ROLE [--password P] [--token]` prints the API token alone on its last
line (DESIGN §4); the identity flags (`--full-name`, `--barreau`…) are optional.

While no active administrator exists, `user add` acts without an operator: on a fresh
installation it creates the first user (who must be an administrator), on an installation
left without one ("locked", casefile.services.users.admin_state) it is the recovery path,
`casefile user add NOM --role admin`, audited as `user.recover`.
"""

from __future__ import annotations

import argparse
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from msgspec import UNSET, to_builtins

from casefile.commands.cases import print_json, run_store
from casefile.commands.operator import as_operator, resolve_operator
from casefile.errors import InputError
from casefile.labels import ROLES, label
from casefile.services import assignments
from casefile.services import users as service
from casefile.store.permissions import SYSTEM, User

T = TypeVar("T")
RECOVERING = (
    "aucun administrateur actif : reprise de l'accès, sans opérateur, inscrite au journal "
    "d'audit (action user.recover)"
)


def _changes(args: argparse.Namespace) -> service.ProfileChanges:
    values: dict[str, Any] = {
        key: getattr(args, key) for key, _, _ in service.PROFILE_FIELDS if getattr(args, key)
    }
    for key in ("role", "password"):
        if getattr(args, key, None) is not None:
            values[key] = getattr(args, key)
    return service.ProfileChanges(**values)


def _show(profile: service.UserProfile, args: argparse.Namespace, what: str) -> None:
    if args.format == "json":
        print_json(to_builtins(profile))
        return
    state = "" if profile.active else " — désactivé"
    print(f"{what} {profile.name} ({profile.role_label}) : {profile.display}{state}")


def _unlocked(
    args: argparse.Namespace, work: Callable[[User], Awaitable[T]]
) -> Callable[[], Awaitable[T]]:
    """`as_operator`, but on a locked installation the way out rather than a refusal."""

    async def run() -> T:
        if await service.admin_state() == "locked":
            raise InputError(service.LOCKED_OUT)
        return await work(await resolve_operator(args))

    return run


def add(args: argparse.Namespace) -> int:
    profile = service.ProfileChanges(
        **{key: getattr(args, key) or "" for key, _, _ in service.PROFILE_FIELDS}
    )

    async def run() -> tuple[str, tuple[service.UserProfile, str | None]]:
        # Without an active administrator nobody could act: the first user of a fresh
        # installation, or the recovery of a locked one, is created by casefile itself (and
        # must be an administrator: service.add_user); else the operator acts.
        state = await service.admin_state()
        actor = SYSTEM if state != "ok" else await resolve_operator(args)
        created = await service.add_user(
            args.name, args.role, args.password, args.token, profile, actor=actor
        )
        return state, created

    state, (user, token) = run_store(run)
    if state == "locked":
        print(RECOVERING)
    print(f"utilisateur {user.name} ({label(ROLES, user.role)}) créé, id {user.id}")
    if token is not None:
        print(token)
    return 0


def edit(args: argparse.Namespace) -> int:
    profile = run_store(
        _unlocked(args, lambda actor: service.edit_user(args.name, _changes(args), actor))
    )
    _show(profile, args, "utilisateur modifié :")
    return 0


def deactivate(args: argparse.Namespace) -> int:
    profile = run_store(_unlocked(args, lambda actor: service.deactivate_user(args.name, actor)))
    _show(profile, args, "utilisateur désactivé (sessions fermées, jetons et flux révoqués) :")
    return 0


def reactivate(args: argparse.Namespace) -> int:
    profile = run_store(_unlocked(args, lambda actor: service.reactivate_user(args.name, actor)))
    _show(profile, args, "utilisateur réactivé :")
    return 0


def list_users(args: argparse.Namespace) -> int:
    profiles = run_store(as_operator(args, service.list_profiles, mutating=False))
    if args.format == "json":
        print_json(to_builtins(profiles))
        return 0
    for profile in profiles:
        state = "" if profile.active else " — désactivé"
        print(f"{profile.name}\t{profile.role_label}\t{profile.display}{state}")
    return 0


def assign(args: argparse.Namespace) -> int:
    change = assignments.Assignment(
        lawyer=None if args.no_lawyer else (args.lawyer if args.lawyer is not None else UNSET),
        commissaire=None
        if args.no_commissaire
        else (args.commissaire if args.commissaire is not None else UNSET),
        expected_version=args.expected_version,
    )
    case = run_store(
        as_operator(args, lambda actor: assignments.assign_case(args.case, change, actor))
    )
    if args.format == "json":
        print_json(
            {key: case[key] for key in ("id", "reference", "lawyer", "commissaire", "version")}
        )
        return 0
    print(
        f"dossier {case['reference']} : avocat {case['lawyer'] or 'aucun'}, "
        f"commissaire de justice {case['commissaire'] or 'aucun'} (version {case['version']})"
    )
    return 0
