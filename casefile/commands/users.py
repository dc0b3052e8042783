"""`casefile user add NAME --role ROLE [--password P] [--token]`: the token alone on the last line."""

from __future__ import annotations

import argparse


def add(args: argparse.Namespace) -> int:
    from casefile.commands.cases import run_store
    from casefile.commands.operator import as_operator
    from casefile.store.users import create_user

    user, token = run_store(
        as_operator(
            args,
            lambda actor: create_user(
                args.name, args.role, args.password, with_token=args.token, actor=actor
            ),
        )
    )
    print(f"user {user.name} ({user.role}) created, id {user.id}")
    if token is not None:
        print(token)
    return 0
