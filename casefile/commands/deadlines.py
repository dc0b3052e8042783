"""`casefile deadlines` (single request or JSONL batch) and `casefile procedures`."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from casefile.errors import InputError

if TYPE_CHECKING:
    from casefile.law.procedures import Procedure


def _request_from_flags(args: argparse.Namespace) -> dict[str, Any]:
    from casefile.law.requests import parse_event_spec

    if not args.procedure:
        raise InputError("--procedure est obligatoire (ou --batch FILE.jsonl)")
    events: dict[str, dict[str, Any]] = {}
    for spec in args.event:
        key, day, attributes = parse_event_spec(spec)
        events[key] = {"date": day, **attributes}
    request: dict[str, Any] = {
        "procedure": args.procedure,
        "events": events,
        "court_department": args.court_department,
    }
    for name in ("court", "debtor_residence", "claim_total", "today"):
        value = getattr(args, name)
        if value is not None:
            request[name] = value
    _check_values(args)
    return request


def _check_values(args: argparse.Namespace) -> None:
    """The amount and the day given as options, refused under the option's own name
    (« --claim-total : … »): the request's validation names them by their JSON keys, which a
    person at the command line never typed."""
    from casefile.law.money import parse_amount
    from casefile.law.periods import parse_date

    if args.claim_total is not None:
        parse_amount(args.claim_total, "--claim-total")
    if args.today is not None:
        parse_date(args.today, "--today")


def run(args: argparse.Namespace) -> int:
    from casefile.definitions import engine
    from casefile.law.requests import schedule_for

    if args.batch:
        return _run_batch(args)
    schedule = schedule_for(engine(), _request_from_flags(args))
    if args.format in ("json", "jsonl"):
        sys.stdout.buffer.write(schedule.json_bytes() + b"\n")
        return 0
    from casefile.commands.tables import print_schedule

    print_schedule(schedule)
    return 0


def _run_batch(args: argparse.Namespace) -> int:
    """One result line per input line, in order; a bad line gives {"error": …} and goes on
    (`casefile.services.batch`: streamed, every core by default for large batches)."""
    from casefile.services import batch

    if args.jobs < 0:
        raise InputError("--jobs : 0 (tous les cœurs) ou davantage")
    fields = batch.parse_fields(args.fields)
    source = sys.stdin.buffer if args.batch == "-" else open(args.batch, "rb")  # noqa: SIM115
    with source:
        batch.run(source, sys.stdout.buffer, jobs=args.jobs, fields=fields)
    return 0


def list_procedures(args: argparse.Namespace) -> int:
    from casefile.definitions import engine

    eng = engine()
    if args.procedure is not None:
        from casefile.law.suggestions import procedure_of

        return _procedure_events(procedure_of(eng.procedures, args.procedure), args.format)
    rows: list[dict[str, Any]] = [
        {
            "key": p.key,
            "title": p.title,
            "legal_basis": p.legal_basis,
            "courts": list(p.courts),
            "events": list(p.events),
            "deadlines": list(p.deadline_keys),
        }
        for p in eng.procedures.values()
    ]
    if args.format == "json":
        import json

        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    from rich.console import Console
    from rich.table import Table

    table = Table(title="Procédures", show_lines=True)
    for column in ("Clé (--procedure)", "Procédure", "Fondement", "Délais"):
        table.add_column(column)
    for row, procedure in zip(rows, eng.procedures.values(), strict=True):
        labels = [rule.label for rule in procedure.deadlines]
        table.add_row(
            row["key"], row["title"], row["legal_basis"], "\n".join(dict.fromkeys(labels))
        )
    Console().print(table)
    return 0


def _procedure_events(procedure: Procedure, fmt: str) -> int:
    """`casefile procedures KEY`: the events a `--event` takes, with their attributes."""
    rows = [
        {
            "key": event.key,
            "label": event.label,
            "attributes": [
                {"key": a.key, "label": a.label, "type": a.type, "choices": list(a.choices)}
                for a in (event.attributes or {}).values()
            ],
        }
        for event in procedure.events.values()
    ]
    if fmt == "json":
        import json

        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"{procedure.title} ({procedure.key}) : événements", show_lines=True)
    for column in ("Clé (--event)", "Événement", "Attributs"):
        table.add_column(column)
    for event in procedure.events.values():
        attributes = "\n".join(f"{a.key} : {a.label}" for a in (event.attributes or {}).values())
        table.add_row(event.key, event.label, attributes or "—")
    Console().print(table)
    return 0
