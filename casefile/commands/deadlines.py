"""`casefile deadlines` (single request or JSONL batch) and `casefile procedures`."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from casefile.errors import CasefileError, InputError


def _request_from_flags(args: argparse.Namespace) -> dict[str, Any]:
    from casefile.law.requests import parse_event_spec

    if not args.procedure:
        raise InputError("--procedure is required (or --batch FILE.jsonl)")
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
    return request


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


CHUNK_LINES = 2000


def _process_chunk(job: tuple[int, list[bytes]]) -> bytes:
    """Compute one chunk of batch lines; line numbers in errors count from the file's start."""
    import msgspec

    from casefile.definitions import engine
    from casefile.law.requests import schedule_for

    first_number, lines = job
    eng = engine()
    decode = msgspec.json.decode
    encode = msgspec.json.encode
    out: list[bytes] = []
    for number, line in enumerate(lines, start=first_number):
        try:
            request = decode(line)
            if not isinstance(request, dict):
                raise InputError("each line must be a JSON object")
            out.append(schedule_for(eng, request).json_bytes())
        except msgspec.DecodeError as error:
            out.append(encode({"error": f"line {number}: invalid JSON ({error})"}))
        except CasefileError as error:
            out.append(encode({"error": f"line {number}: {error}"}))
        except Exception as error:  # DESIGN §4: a bad line never sinks the batch
            # Input validation is meant to turn every malformed line into a CasefileError
            # above (tests/cli/test_batch_properties.py feeds it arbitrary JSON); should a case
            # slip through, the line still gets its error and the batch goes on.
            out.append(
                encode(
                    {"error": f"line {number}: invalid request ({type(error).__name__}: {error})"}
                )
            )
    return b"\n".join(out) + b"\n" if out else b""


def _chunks(source: Any) -> Any:
    number = 1
    chunk: list[bytes] = []
    for line in source:
        chunk.append(line)
        if len(chunk) >= CHUNK_LINES:
            yield number, chunk
            number += len(chunk)
            chunk = []
    if chunk:
        yield number, chunk


def _run_batch(args: argparse.Namespace) -> int:
    """One result line per input line, in order; a bad line gives {"error": …} and goes on.

    Large batches are spread over the machine's cores (fork: the loaded definitions are
    shared); the output order is the input order whatever the number of workers.
    """

    from casefile.definitions import engine

    engine()  # load and validate once, before any fork
    jobs = args.jobs or 1
    source = sys.stdin.buffer if args.batch == "-" else open(args.batch, "rb")  # noqa: SIM115
    out = sys.stdout.buffer
    with source:
        chunks = _chunks(source)
        if jobs <= 1:
            for chunk in chunks:
                out.write(_process_chunk(chunk))
            return 0
        import multiprocessing

        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            for result in pool.imap(_process_chunk, chunks, chunksize=1):
                out.write(result)
    return 0


def list_procedures(args: argparse.Namespace) -> int:
    from casefile.definitions import engine

    eng = engine()
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

    table = Table(title="Procédures")
    for column in ("key", "title", "legal_basis", "deadlines"):
        table.add_column(column)
    for row in rows:
        table.add_row(row["key"], row["title"], row["legal_basis"], ", ".join(row["deadlines"]))
    Console().print(table)
    return 0
