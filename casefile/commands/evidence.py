"""`casefile evidence add | verify` and `casefile bundle` (issue 4).

The evidence service is synchronous (it streams bytes); its `PiccoloPieceRecords` runs each
query on the event loop that owns the database, so the service runs in a worker thread
(`asyncio.to_thread`) while that loop waits.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from pathlib import Path
from typing import Any

from casefile.commands.cases import print_json, run_store
from casefile.errors import InputError


def add(args: argparse.Namespace) -> int:
    from casefile.commands.operator import resolve_operator
    from casefile.evidence import records, service
    from casefile.evidence.backends import open_store
    from casefile.law.periods import parse_date
    from casefile.settings import get_settings
    from casefile.store.cases import resolve_case
    from casefile.store.pieces import PiccoloPieceRecords

    path = Path(args.file)
    if not path.is_file():
        raise InputError(f"FILE {args.file!r} is not a readable file")
    day = parse_date(args.date, "--date") if args.date else None
    store = open_store()

    async def work() -> dict[str, Any]:
        actor = await resolve_operator(args)
        row = await resolve_case(args.case, actor)
        loop = asyncio.get_running_loop()
        with path.open("rb") as stream:
            receipt = await asyncio.to_thread(
                service.add_piece,
                store,
                PiccoloPieceRecords(loop),
                row["id"],
                stream,
                filename=os.fsencode(path.name),
                kind=args.kind,
                actor=records.Actor(actor.name, actor.role),
                piece_date=day,
                description=args.description or "",
                max_size=get_settings().max_upload_bytes,
            )
        return {
            "id": receipt["id"],
            "piece": receipt["piece"],
            "sha256": receipt["sha256"],
            "size": receipt["size"],
            "kind": receipt["kind"],
        }

    result = run_store(work)
    if args.format == "json":
        print_json(result)
    else:
        print(
            f"pièce n° {result['piece']} ({result['kind']}) id {result['id']}: "
            f"{result['size']} bytes, sha256 {result['sha256']}"
        )
    return 0


def verify(args: argparse.Namespace) -> int:
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        DownloadColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
        TransferSpeedColumn,
    )

    from casefile.evidence import service
    from casefile.services.evidence_checks import verify_all

    fix = bool(getattr(args, "fix", False))
    console = Console(stderr=True)
    bar = Progress(
        TextColumn("vérification"),
        BarColumn(),
        DownloadColumn(),
        TransferSpeedColumn(),
        TimeRemainingColumn(),
        console=console,
        transient=not console.is_terminal,
    )
    task = bar.add_task("verify", total=None)

    def progress(done: int, total: int) -> None:
        bar.update(task, completed=done, total=total)

    async def work() -> service.Report:
        with bar:
            return await verify_all(progress, remove_orphans=fix)

    report = run_store(work)
    result = {
        "ok": report.ok,
        "checked": report.checked,
        "bytes": report.bytes,
        "missing": report.missing,
        "mismatched": report.mismatched,
        "orphans": report.orphans,
        "pending": report.pending,
        "removed": report.removed,
        "interrupted_uploads": report.interrupted,
        "uploads_in_progress": report.uploading,
        "incidents": report.incidents,
    }
    if args.format == "json":
        print_json(result)
    else:
        _print_report(result, fix)
    return 0 if report.ok else 1


def _print_report(result: dict[str, Any], fix: bool) -> None:
    print(f"{result['checked']} object(s) checked, {result['bytes']} bytes re-hashed")
    for label, key in (
        ("MISSING", "missing"),
        ("MISMATCHED", "mismatched"),
        ("orphan", "orphans"),
        ("pending upload (younger than one hour, kept)", "pending"),
        ("removed orphan", "removed"),
    ):
        for sha256 in result[key]:
            print(f"{label}: {sha256}")
    for name in result["interrupted_uploads"]:
        print(f"removed interrupted upload: {name}")
    for name in result["uploads_in_progress"]:
        print(f"upload in progress (kept): {name}")
    for incident in result["incidents"]:
        print(
            f"INCIDENT {incident['at']}: {incident['entity']} {incident['entity_id']} "
            f"served to {incident['actor']} failed its hash ({incident['sha256']}): not delivered"
        )
    if result["orphans"] and not fix:
        print(
            "orphans are objects no record refers to: `casefile evidence verify --fix` removes them"
        )
    print("OK" if result["ok"] else "INTEGRITY PROBLEMS FOUND")


def bundle(args: argparse.Namespace) -> int:
    """`casefile bundle CASE [--format zip|pdf] -o FILE`: the ZIP of the bordereau and the
    pièces, or the stamped dossier de plaidoirie (PDF)."""
    from casefile.commands.operator import resolve_operator
    from casefile.services.bundles import check_format, make_bundle

    fmt = check_format(getattr(args, "format", None) or "zip")
    out = Path(args.output)

    async def work() -> Any:
        actor = await resolve_operator(args, mutating=False)
        return await make_bundle(args.case, actor, fmt, out)

    result = run_store(work)
    for warning in result.warnings:
        print(f"casefile: attention : {warning}", file=sys.stderr)
    for notice in result.notices:
        print(f"casefile: {notice} (page de renvoi à l'original)", file=sys.stderr)
    pages = f", {result.pages} pages" if result.pages is not None else ""
    print(f"{out}: {result.pieces} pièce(s){pages}, {result.size} bytes")
    return 0
