"""`casefile deadlines --batch`: a JSONL stream of requests in, one result line per request
out, in order (DESIGN.md §4), at the pace of the machine's cores and in bounded memory.

- Each line decodes straight into a `Request` Struct; a line that does not (wrong types,
  unknown fields, not JSON) goes through the mapping path, which names the faulty input.
- Input is read a block of whole lines at a time (`CHUNK_BYTES`): a batch of more than one
  block is spread over every core by default, one forked process per core (the loaded law data
  is shared); each worker receives raw blocks and writes its results itself, in input order
  (`casefile.services.ordered_fork`). A smaller batch is computed in the process itself. Input
  and output are streamed: memory does not grow with the batch nor with a slow reader.
- The engine's memos are kept under `MEMO_PER_PROCESS` entries in a process, `MEMO_ENTRIES`
  for the whole batch (each process empties its own when over).
- `fields` selects the deadline fields written (`key,due,status`: the compact mode); the
  envelope (`procedure`, `territory`, `deadlines`, `warnings`) stays the contract's.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator, Sequence
from typing import IO, Any

import msgspec

from casefile import gc_pause
from casefile.errors import CasefileError, InputError
from casefile.json_errors import json_error_fr
from casefile.law.requests import Request, RequestMemo, schedule_for, schedule_for_request

CHUNK_BYTES = 1 << 18
"""Input bytes a worker computes at a time (about 1 600 lines of a usual request, 3 MB of full
output): large enough that passing the turn to write costs nothing, small enough that the last
blocks keep every core busy."""
MEMO_ENTRIES = 200_000
MEMO_PER_PROCESS = 100_000
"""Engine memo entries a batch keeps (deadlines by rule, start date, territory and extension;
about 1.4 KB each with their JSON): at most `MEMO_PER_PROCESS` in a process and
`MEMO_ENTRIES` shared out between its workers (100 000 each for two, 50 000 for four), so that
the batch's memory does not grow with the number of cores. Emptied more often, the engine
builds the same deadlines again (200 000 mixed cases in one process: 6.9 s of CPU at 20 000
entries, 4.7 s at 100 000)."""
REQUEST_MEMO = 50_000
"""Validated events and facts kept per process (small: a key of a few dozen bytes each)."""
COMPACT_LIMIT = 20_000
SCHEDULE_MEMO = 1
"""Whole schedules kept by the engine during a batch: none, as a batch's requests rarely
repeat whole (each deadline stays memoised above); keeping 100 000 cost 0.8 s of CPU per
200 000 cases and 35 MiB."""

DEADLINE_FIELDS = (
    "key",
    "label",
    "due",
    "start",
    "period",
    "extension",
    "unadjusted",
    "moved_because",
    "actor",
    "basis",
    "source",
    "status",
    "consequence",
    "counting",
    "notes",
)


def parse_fields(text: str | None) -> tuple[str, ...] | None:
    """`--fields key,due,status` → the deadline fields to write, in the contract's order."""
    if text is None:
        return None
    names = [name.strip() for name in text.split(",") if name.strip()]
    unknown = [name for name in names if name not in DEADLINE_FIELDS]
    if unknown or not names:
        raise InputError(
            f"--fields : champ(s) inconnu(s) {', '.join(unknown) or '(aucun donné)'} "
            f"(autorisés : {', '.join(DEADLINE_FIELDS)})"
        )
    return tuple(name for name in DEADLINE_FIELDS if name in names)


class _Compact:
    """Deadline bytes restricted to some fields: the full contract bytes decoded into a Struct
    holding only those fields and encoded again (once per distinct deadline, kept: at most
    `COMPACT_LIMIT`, as each entry keeps its full bytes alive after the engine's memo let
    them go)."""

    def __init__(self, fields: Sequence[str]) -> None:
        self.type = msgspec.defstruct(
            "CompactDeadline", [(name, Any) for name in fields], omit_defaults=False
        )
        self.decoder = msgspec.json.Decoder(self.type)
        self.encoder = msgspec.json.Encoder()
        self.kept: dict[bytes, bytes] = {}

    def __call__(self, full: bytes) -> bytes:
        found = self.kept.get(full)
        if found is None:
            found = self.encoder.encode(self.decoder.decode(full))
            if len(self.kept) >= COMPACT_LIMIT:
                self.kept.clear()
            self.kept[full] = found
        return found


_NO_WARNINGS = b'],"warnings":[]}\n'
_HEADS: dict[tuple[str, str], bytes] = {}


def _head(procedure: str, territory: str) -> bytes:
    """A result line's bytes up to its first deadline (the same for every case of a procedure
    and territory: kept)."""
    found = _HEADS.get((procedure, territory))
    if found is None:
        encode = msgspec.json.encode
        found = b"".join(
            (
                b'{"procedure":',
                encode(procedure),
                b',"territory":',
                encode(territory),
                b',"deadlines":[',
            )
        )
        _HEADS[(procedure, territory)] = found
    return found


def _tail(warnings: tuple[str, ...]) -> bytes:
    """A result line's bytes after its last deadline, its newline included."""
    if not warnings:
        return _NO_WARNINGS
    return b'],"warnings":' + msgspec.json.encode(warnings) + b"}\n"


_COMPACT: dict[tuple[str, ...], _Compact] = {}
_MEMOS: dict[int, tuple[object, RequestMemo]] = {}


def _memo_for(eng: object) -> RequestMemo:
    """This process's memo of validated request parts for `eng` (kept with the engine itself,
    so that an id reused by another engine never finds it)."""
    found = _MEMOS.get(id(eng))
    if found is None or found[0] is not eng:
        found = (eng, RequestMemo(REQUEST_MEMO))
        _MEMOS.clear()
        _MEMOS[id(eng)] = found
    return found[1]


def process_chunk(
    first_number: int,
    lines: Sequence[bytes],
    fields: tuple[str, ...] | None,
    memo_limit: int = MEMO_PER_PROCESS,
) -> bytes:
    """Compute one chunk of batch lines; line numbers in errors count from the file's start;
    the engine's memos are emptied past `memo_limit` entries.

    A result line is `Schedule.json_bytes()` (the contract, byte for byte) written as the
    concatenation of its kept parts: the envelope's head, each deadline's kept bytes, the
    warnings — one join for the whole chunk. The cyclic garbage collector is held off meanwhile
    (`casefile.gc_pause`): the chunk's objects are freed by reference counting, and its
    collections, over the engine's memos, took 4–8 % of the CPU."""
    with gc_pause.paused():
        return _results(first_number, lines, fields, memo_limit)


def _results(
    first_number: int, lines: Sequence[bytes], fields: tuple[str, ...] | None, memo_limit: int
) -> bytes:
    from casefile.definitions import engine

    eng = engine()
    memo = _memo_for(eng)
    compact = None
    if fields is not None:
        compact = _COMPACT.get(fields)
        if compact is None:
            compact = _COMPACT[fields] = _Compact(fields)
    decode_request = _REQUEST_DECODER.decode
    decode = msgspec.json.decode
    encode = msgspec.json.encode
    heads = _HEADS
    out: list[bytes] = []
    append = out.append
    for number, line in enumerate(lines, start=first_number):
        try:
            try:
                request: Request | None = decode_request(line)
            except msgspec.ValidationError:
                request = None
            if request is not None:
                schedule = schedule_for_request(eng, request, memo)
            else:
                raw = decode(line)
                if not isinstance(raw, dict):
                    raise InputError("chaque ligne doit être un objet JSON")
                schedule = schedule_for(eng, raw)
            if compact is None:
                body = b",".join([d.json_bytes() for d in schedule.deadlines])
            else:
                body = b",".join([compact(d.json_bytes()) for d in schedule.deadlines])
            head = heads.get((schedule.procedure, schedule.territory))
            append(head or _head(schedule.procedure, schedule.territory))
            append(body)
            append(_tail(schedule.warnings))
            continue
        except msgspec.DecodeError as error:
            if not line.strip():
                message = f"ligne {number} : ligne vide (un objet JSON attendu)"
            else:
                message = f"ligne {number} : JSON invalide : {json_error_fr(str(error))}"
        except CasefileError as error:
            message = f"ligne {number} : {error}"
        except Exception as error:  # DESIGN §4: a bad line never sinks the batch
            # Input validation is meant to turn every malformed line into a CasefileError
            # above (tests/cli/test_batch_properties.py feeds it arbitrary JSON); should a case
            # slip through, the line still gets its error and the batch goes on.
            message = f"ligne {number} : requête invalide ({type(error).__name__} : {error})"
        append(encode({"error": message}))
        append(b"\n")
    eng.trim_memo(memo_limit)
    return b"".join(out)


_REQUEST_DECODER = msgspec.json.Decoder(Request)


def process_block(
    first_number: int,
    block: bytes,
    fields: tuple[str, ...] | None,
    memo_limit: int = MEMO_PER_PROCESS,
) -> bytes:
    """`process_chunk` of a block of whole lines (each ends with a newline, the file's last
    one apart): what a worker receives."""
    lines = block.split(b"\n")
    if block.endswith(b"\n"):
        lines.pop()
    return process_chunk(first_number, lines, fields, memo_limit)


def blocks(source: IO[bytes], size: int = CHUNK_BYTES) -> Iterator[tuple[int, bytes]]:
    """(number of the first line, whole lines) of about `size` bytes at a time. Blank lines are
    lines too (each gets its error line: the contract asks one result line per input line)."""
    number = 1
    rest = b""
    while data := source.read(size):
        if rest:
            data = rest + data
        cut = data.rfind(b"\n") + 1
        if cut == 0:  # one line longer than `size`: read on
            rest = data
            continue
        block, rest = data[:cut], data[cut:]
        yield number, block
        number += block.count(b"\n")
    if rest:
        yield number, rest


def default_workers() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def run(
    source: IO[bytes], out: IO[bytes], jobs: int = 0, fields: tuple[str, ...] | None = None
) -> None:
    """The whole batch: `jobs` worker processes (0: every core when the batch has more than
    one block, none otherwise)."""
    from casefile.definitions import engine

    eng = engine()  # load and validate once, before any fork
    kept = eng.schedule_memo_size
    eng.schedule_memo_size = SCHEDULE_MEMO
    try:
        _run(source, out, jobs, fields)
    finally:
        eng.schedule_memo_size = kept


def _run(source: IO[bytes], out: IO[bytes], jobs: int, fields: tuple[str, ...] | None) -> None:
    pending = blocks(source, CHUNK_BYTES)
    first = next(pending, None)
    if first is None:
        return
    second = next(pending, None)
    workers = jobs or (default_workers() if second is not None else 1)
    if workers <= 1 or second is None:
        out.write(process_block(*first, fields))
        if second is not None:
            out.write(process_block(*second, fields))
        for number, block in pending:
            out.write(process_block(number, block, fields))
        return
    from casefile.services.ordered_fork import run_in_order

    memo_limit = min(MEMO_PER_PROCESS, MEMO_ENTRIES // workers)

    def compute(number: int, block: bytes) -> bytes:
        return process_block(number, block, fields, memo_limit)

    run_in_order(itertools.chain((first, second), pending), compute, out, workers)
