"""Chunks of bytes computed by forked worker processes, their results written in the chunks'
order, each once, by the worker that computed it.

- The parent only reads and dispatches: chunk k goes down worker `k % n`'s pipe as raw bytes
  (a 12-byte header, then the payload: nothing pickled).
- Each worker writes its result itself, straight to the output's file descriptor, when it holds
  the token: a ring of pipes hands the token from the worker of chunk k to the worker of chunk
  k + 1, so the output is in input order without passing through the parent.
- Memory stays bounded: a pipe holds 64 KiB, the parent blocks until a worker takes its next
  chunk, and a worker takes it only once it has written the previous one. A slow reader of the
  output holds the whole batch back.
- A worker that fails stops the batch: the others are ended (by pid) and the parent raises
  (`BrokenPipeError` when the reader of the output went away).

Fork keeps what the parent loaded (the law data) shared between the processes; the parent
freezes its objects out of the garbage collector first, so that no collection in a worker
touches (and copies) those pages.
"""

from __future__ import annotations

import contextlib
import gc
import os
import select
import signal
import struct
import sys
import threading
import traceback
from collections.abc import Callable, Iterable
from typing import IO

from casefile.errors import CasefileError

_HEADER = struct.Struct("<QI")  # the chunk's number (its first line), the payload's length
_TOKEN = b"t"
_BROKEN_PIPE = 3  # a worker's exit status when the reader of the output went away
_POLL_SECONDS = 0.05

Compute = Callable[[int, bytes], bytes]


class WorkerFailed(CasefileError):
    """A worker process stopped before its chunks were done (its traceback is on stderr)."""


def run_in_order(
    chunks: Iterable[tuple[int, bytes]], compute: Compute, out: IO[bytes], workers: int
) -> None:
    """`compute(number, payload)` of each chunk in `workers` forked processes, the results
    written to `out` in the chunks' order. `out` without a file descriptor (a BytesIO) is fed
    through a pipe the parent drains."""
    out.flush()
    try:
        out_fd: int | None = out.fileno()
    except (AttributeError, OSError, ValueError):  # io.UnsupportedOperation is an OSError
        out_fd = None
    drain_fds = os.pipe() if out_fd is None else None
    target_fd = drain_fds[1] if drain_fds is not None else out_fd
    assert target_fd is not None
    data = [os.pipe() for _ in range(workers)]
    tokens = [os.pipe() for _ in range(workers)]
    gc.freeze()  # the loaded law data stays shared with the workers, never scanned there
    pids: list[int] = []
    try:
        for index in range(workers):
            pid = os.fork()
            if pid == 0:  # pragma: no cover - runs in the child (its exit status is checked)
                _child(index, data, tokens, drain_fds, target_fd, compute)
            pids.append(pid)
    except BaseException:
        _end(pids)
        raise
    finally:
        gc.unfreeze()
    for read_end, _ in data:
        os.close(read_end)
    drain: threading.Thread | None = None
    if drain_fds is not None:
        os.close(drain_fds[1])
        drain = threading.Thread(target=_drain, args=(drain_fds[0], out), daemon=True)
        drain.start()
    workers_left = _Workers(pids)
    try:
        try:
            os.write(tokens[0][1], _TOKEN)
            for _, write_end in data:
                os.set_blocking(write_end, False)
            for count, (number, payload) in enumerate(chunks):
                write_end = data[count % workers][1]
                _send(write_end, _HEADER.pack(number, len(payload)), workers_left)
                _send(write_end, payload, workers_left)
        except BrokenPipeError:
            pass  # a worker ended early: its status (kept by `check`) tells why, below
        finally:
            for _, write_end in data:
                os.close(write_end)
        workers_left.wait()
    except BaseException:
        _end(workers_left.running)
        raise
    finally:
        for read_end, write_end in tokens:
            os.close(read_end)
            os.close(write_end)
        if drain is not None:
            drain.join()


def _child(
    index: int,
    data: list[tuple[int, int]],
    tokens: list[tuple[int, int]],
    drain_fds: tuple[int, int] | None,
    out_fd: int,
    compute: Compute,
) -> None:  # pragma: no cover - runs in the child
    """The worker's whole life: close what it does not use, serve its chunks, exit."""
    status = 1
    try:
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        count = len(data)
        for position, (read_end, write_end) in enumerate(data):
            os.close(write_end)
            if position != index:
                os.close(read_end)
        token_in = tokens[index][0]
        token_out = tokens[(index + 1) % count][1]
        for read_end, write_end in tokens:
            if read_end != token_in:
                os.close(read_end)
            if write_end != token_out:
                os.close(write_end)
        if drain_fds is not None:
            os.close(drain_fds[0])
        status = _serve(data[index][0], token_in, token_out, out_fd, compute)
    except BrokenPipeError:
        status = _BROKEN_PIPE
    except BaseException:
        traceback.print_exc()
        sys.stderr.flush()
    finally:
        os._exit(status)


def _serve(data_fd: int, token_in: int, token_out: int, out_fd: int, compute: Compute) -> int:
    with open(data_fd, "rb") as chunks:
        while header := chunks.read(_HEADER.size):
            number, size = _HEADER.unpack(header)
            result = compute(number, chunks.read(size))
            if os.read(token_in, 1) != _TOKEN:
                return 1
            _write_all(out_fd, result)
            os.write(token_out, _TOKEN)
    return 0


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _send(fd: int, data: bytes, workers: _Workers) -> None:
    """Write all of `data` to a worker's (non-blocking) pipe, checking meanwhile that no worker
    has failed (a worker waiting for a dead one's token would never read again)."""
    view = memoryview(data)
    while view:
        try:
            view = view[os.write(fd, view) :]
        except BlockingIOError:
            select.select([], [fd], [], _POLL_SECONDS)
            workers.check()


def _drain(fd: int, out: IO[bytes]) -> None:
    with open(fd, "rb", buffering=0) as results:
        while block := results.read(1 << 20):
            out.write(block)


class _Workers:
    """The workers still running; the first failure among them is kept (and raised again on
    every check), so that no caller can lose it."""

    def __init__(self, pids: list[int]) -> None:
        self.running = list(pids)
        self.failure: Exception | None = None

    def check(self) -> None:
        """Reap the workers that have ended; raise if one of them failed."""
        for pid in list(self.running):
            done, status = os.waitpid(pid, os.WNOHANG)
            if not done:
                continue
            self.running.remove(pid)
            code = os.waitstatus_to_exitcode(status)
            if code != 0 and self.failure is None:
                self.failure = (
                    BrokenPipeError("the reader of the batch output went away")
                    if code == _BROKEN_PIPE
                    else WorkerFailed(
                        f"un processus de calcul du lot s'est arrêté (statut {code}) ; "
                        "le résultat est incomplet"
                    )
                )
        if self.failure is not None:
            raise self.failure

    def wait(self) -> None:
        while self.running:
            self.check()
            if self.running:
                select.select([], [], [], _POLL_SECONDS / 10)
        self.check()


def _end(pids: list[int]) -> None:
    """End the workers still running (ours, by pid) and reap them."""
    for pid in pids:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGTERM)
    for pid in pids:
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, 0)
