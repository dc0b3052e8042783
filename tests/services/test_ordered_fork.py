"""Forked workers whose results come out in the chunks' order, and a batch that stops (never
hangs) when a worker fails or the reader of the output goes away."""

from __future__ import annotations

import io
import os

import pytest

from casefile.services.ordered_fork import WorkerFailed, run_in_order


def _children() -> set[int]:
    with open(f"/proc/{os.getpid()}/task/{os.getpid()}/children") as listing:
        return {int(pid) for pid in listing.read().split()}


def _chunks(count: int) -> list[tuple[int, bytes]]:
    return [(number, f"chunk {number}\n".encode() * (number % 5 + 1)) for number in range(count)]


def _upper(number: int, payload: bytes) -> bytes:
    return payload.upper()


def test_results_in_the_chunks_order_whatever_the_workers():
    chunks = _chunks(23)
    expected = b"".join(payload.upper() for _, payload in chunks)
    for workers in (2, 3, 5):
        out = io.BytesIO()
        run_in_order(iter(chunks), _upper, out, workers)
        assert out.getvalue() == expected


def test_more_workers_than_chunks():
    out = io.BytesIO()
    run_in_order(iter(_chunks(2)), _upper, out, 4)
    assert out.getvalue() == b"CHUNK 0\nCHUNK 1\nCHUNK 1\n"


def test_a_failing_worker_stops_the_batch_and_the_others_are_ended():
    before = _children()

    def fails_on_seven(number: int, payload: bytes) -> bytes:
        if number == 7:
            raise ValueError("boom")
        return payload

    with pytest.raises(WorkerFailed, match="processus de calcul"):
        run_in_order(iter(_chunks(40)), fails_on_seven, io.BytesIO(), 3)
    assert _children() == before


def test_the_reader_going_away_stops_the_batch(tmp_path):
    before = _children()
    read_end, write_end = os.pipe()
    os.close(read_end)
    with open(write_end, "wb") as out, pytest.raises(BrokenPipeError):
        run_in_order(iter(_chunks(40)), _upper, out, 2)
    assert _children() == before
