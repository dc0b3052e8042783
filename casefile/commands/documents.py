"""`casefile render CASE TEMPLATE [-o FILE]` (issue 5).

The document is stored first (object store + `documents` table, a new version per render),
then copied out of the store, hash-verified, to FILE (default: its name in the current folder).
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path
from typing import Any

from casefile import clock
from casefile.commands.cases import run_store
from casefile.errors import InputError


def check(args: argparse.Namespace, today: date) -> int:
    """`casefile render --check CASE`: per document, what is missing and where to enter it."""
    from casefile.services.documents import document_readiness
    from casefile.store.users import SYSTEM

    async def work() -> list[Any]:
        return await document_readiness(args.case, SYSTEM, today)

    for item in run_store(work):
        if item.blocked:
            print(f"{item.title} ({item.template}) : impossible pour l'instant — {item.blocked}.")
            if item.missing:
                print("  il y manque aussi :")
        elif item.ready:
            print(f"{item.title} ({item.template}) : complet.")
        else:
            print(f"{item.title} ({item.template}) : à compléter")
        if not item.ready:
            for line in item.missing:
                print(f"  - {line}")
    return 0


def render(args: argparse.Namespace) -> int:
    from casefile.commands.operator import resolve_operator
    from casefile.evidence.backends import open_store
    from casefile.law.periods import parse_date
    from casefile.store.documents import create_document

    today_text = getattr(args, "today", None)
    today = parse_date(today_text, "--today") if today_text else clock.today()
    if getattr(args, "check", False):
        return check(args, today)
    if not args.template:
        raise InputError(
            "render : indiquez un TEMPLATE, ou --check pour voir ce qui manque à chaque document"
        )
    store = open_store()

    async def work() -> dict[str, Any]:
        actor = await resolve_operator(args)
        return await create_document(args.case, args.template, actor, today, store=store)

    document = run_store(work)
    out = Path(args.output or document["filename"])
    part = out.with_name(out.name + ".part")
    try:
        with part.open("wb") as sink:
            for chunk in store.open_verified(document["sha256"], document["size"]):
                sink.write(chunk)
        part.replace(out)
    finally:
        part.unlink(missing_ok=True)
    for note in document["notes"]:
        print(f"note : {note}", file=sys.stderr)
    print(
        f"{out} : document id {document['id']}, {document['template']} "
        f"version {document['version']}, {document['size']} octets, sha256 {document['sha256']}"
    )
    return 0
