"""`casefile evidence add | verify` and `casefile bundle` (issue 4).

The evidence service is synchronous (it streams bytes); its `PiccoloPieceRecords` runs each
query on the event loop that owns the database, so the service runs in a worker thread
(`asyncio.to_thread`) while that loop waits.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from casefile.commands.cases import print_json, run_store
from casefile.errors import InputError
from casefile.evidence.records import KIND_LABELS
from casefile.labels import count_fr, size_fr


def add(args: argparse.Namespace) -> int:
    from casefile.commands.operator import resolve_operator
    from casefile.law.periods import parse_date
    from casefile.services import piece_uploads
    from casefile.store.cases import resolve_case

    path = Path(args.file)
    if not path.is_file():
        raise InputError(f"FILE : « {args.file} » n'est pas un fichier lisible")
    day = parse_date(args.date, "--date") if args.date else None
    choice = "reuse" if args.reuse else "force" if args.force else "ask"

    async def work() -> dict[str, Any]:
        actor = await resolve_operator(args)
        row = await resolve_case(args.case, actor)
        with path.open("rb") as stream:
            receipt = await piece_uploads.add_piece(
                row["id"],
                stream,
                actor,
                filename=os.fsencode(path.name),
                kind=args.kind,
                piece_date=day,
                description=args.description or "",
                on_duplicate=choice,
            )
        return {
            "id": receipt["id"],
            "piece": receipt["piece"],
            "sha256": receipt["sha256"],
            "size": receipt["size"],
            "kind": receipt["kind"],
            "reused": receipt["reused"],
            "text": receipt.get("analysis", {}).get("text"),
            "facturx": receipt.get("analysis", {}).get("facturx"),
        }

    result = run_store(work)
    if args.format == "json":
        # The contract (DESIGN §4b): these five keys, nothing more.
        print_json({key: result[key] for key in ("id", "piece", "sha256", "size", "kind")})
    else:
        verb = "pièce déjà présente" if result["reused"] else "pièce"
        kind = KIND_LABELS.get(result["kind"]) or result["kind"].replace("_", " ")
        print(
            f"{verb} n° {result['piece']} ({kind}) id {result['id']} : "
            f"{size_fr(result['size'])}, empreinte SHA-256 {result['sha256']}"
        )
        text = result.get("text") or {}
        if text.get("label"):
            print(
                f"texte : {text['label']}"
                + (f" ({text['message']})" if text.get("message") else "")
            )
        invoice = result.get("facturx") or {}
        if invoice.get("notice"):
            print(invoice["notice"])
    return 0


def facturx(args: argparse.Namespace) -> int:
    """`casefile evidence facturx CASE PIECE [--accept …]`: the e-invoice of a pièce and the
    claim it proposes; with --accept, create that claim (or link the pièce to the one
    recorded)."""
    import msgspec

    from casefile.commands.operator import resolve_operator
    from casefile.documents.formatting import date_fr, siren_fr
    from casefile.evidence.facturx import money_fr
    from casefile.law.periods import parse_date
    from casefile.services import facturx as service

    due = parse_date(args.due_date, "--due-date") if args.due_date else None

    async def work() -> tuple[Any, Any]:
        actor = await resolve_operator(args)
        done = None
        if args.accept:
            done = await service.accept(
                args.case,
                args.piece,
                actor,
                due_date=due,
                supply=args.supply,
                description=args.description,
                expected_version=args.expected_version,
            )
        return await service.proposal(args.case, args.piece, actor), done

    proposal, done = run_store(work)
    if args.format == "json":
        out = msgspec.to_builtins(proposal)
        if done is not None:
            out["accepted"] = msgspec.to_builtins(done)
        print_json(out)
        return 0
    p = proposal
    print(f"pièce n° {p.piece} du dossier {p.case} : {p.message or 'facture électronique lue'}")
    for line in p.details:
        print(f"  détail : {line}")
    if p.status == "facturx":
        print(
            f"  Factur-X {p.profile_label} — facture {p.invoice_number} du "
            f"{date_fr(p.issue_date)}, échéance "
            f"{date_fr(p.due_date) if p.due_date else 'non indiquée'}, TTC "
            f"{money_fr(p.total_with_vat, p.currency)}, net à payer "
            f"{money_fr(p.amount_due, p.currency)}"
        )
        for role, party in (("vendeur", p.seller), ("acheteur", p.buyer)):
            if party is not None:
                print(
                    f"  {role} : {party.name} (SIREN {siren_fr(party.siren) if party.siren else 'non indiqué'})"
                )
        for line in [*p.warnings, *p.disagreements]:
            print(f"  ! {line}")
        if done is not None:
            what = "créée" if done.created else "déjà enregistrée, pièce rattachée"
            print(f"créance {done.invoice_number} {what} (id {done.claim_id})")
        elif p.refusal:
            print(f"  {p.refusal}")
    return 0


def extract(args: argparse.Namespace) -> int:
    """`casefile evidence extract`: the text of the versions still pending (a lost job, OCR
    installed since), or of every version with --all."""
    from casefile.services import piece_text

    async def work() -> dict[str, Any]:
        if args.all:
            return await piece_text.extract_all(args.limit)
        return await piece_text.extract_pending(args.limit)

    result = run_store(work)
    if args.format == "json":
        print_json(result)
    else:
        from casefile.evidence.text_status import status_label

        statuses = ", ".join(
            f"{status_label(k)} : {v}" for k, v in sorted(result["statuses"].items())
        )
        print(f"{result['read']} version(s) lue(s)" + (f" ({statuses})" if statuses else ""))
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
    print(
        f"{result['checked']} objet(s) vérifié(s), {result['bytes']} octets relus "
        "(empreinte recalculée)"
    )
    for label, key in (
        ("MANQUANT", "missing"),
        ("ALTÉRÉ", "mismatched"),
        ("orphelin", "orphans"),
        ("envoi en attente (moins d'une heure, conservé)", "pending"),
        ("orphelin supprimé", "removed"),
    ):
        for sha256 in result[key]:
            print(f"{label} : {sha256}")
    for name in result["interrupted_uploads"]:
        print(f"envoi interrompu supprimé : {name}")
    for name in result["uploads_in_progress"]:
        print(f"envoi en cours (conservé) : {name}")
    for incident in result["incidents"]:
        print(
            f"INCIDENT {incident['at']} : {incident['entity']} {incident['entity_id']} "
            f"servi à {incident['actor']} ne correspondait pas à son empreinte "
            f"({incident['sha256']}) : non délivré"
        )
    if result["orphans"] and not fix:
        print(
            "orphelins : objets qu'aucun enregistrement ne désigne ; "
            "`casefile evidence verify --fix` les supprime"
        )
    print("OK" if result["ok"] else "PROBLÈMES D'INTÉGRITÉ")


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
        print(f"casefile : attention : {warning}", file=sys.stderr)
    for notice in result.notices:
        print(f"casefile : {notice} (page de renvoi à l'original)", file=sys.stderr)
    pages = f", {count_fr(result.pages, 'page', 'pages')}" if result.pages is not None else ""
    print(f"{out} : {count_fr(result.pieces, 'pièce', 'pièces')}{pages}, {size_fr(result.size)}")
    return 0


def mirror(args: argparse.Namespace) -> int:
    """Copy the configured store's objects to `--to`, or `--from` another store into it; the
    database is not needed (objects are named by their hash)."""
    from casefile.evidence.backends import open_store
    from casefile.evidence.mirror import mirror as copy

    configured = open_store()
    if args.target:
        source, target = configured, open_store(args.target)
    else:
        source, target = open_store(args.source), configured
    report = copy(source, target)
    result = {
        "from": source.url,
        "to": target.url,
        "copied": report.copied,
        "present": report.present,
        "bytes": report.bytes,
        "failed": report.failed,
        "ok": report.ok,
    }
    if args.format == "json":
        print_json(result)
    else:
        print(
            f"{source.url} → {target.url} : {report.copied} objet(s) copié(s) "
            f"({report.bytes} octets), {report.present} déjà présent(s)"
        )
        for sha256 in report.failed:
            print(f"NON COPIÉ (empreinte fausse ou objet disparu) : {sha256}")
    return 0 if report.ok else 1
