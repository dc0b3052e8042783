"""The collector held off during a chunk of the recomputation, and back after the last of
overlapping chunks (two jobs of one worker)."""

from __future__ import annotations

import gc
from typing import Any

from casefile import gc_pause


def test_overlapping_blocks_give_the_collector_back_after_the_last() -> None:
    assert gc.isenabled()
    first = gc_pause.paused()
    second = gc_pause.paused()
    first.__enter__()
    assert not gc.isenabled()
    second.__enter__()
    first.__exit__(None, None, None)
    assert not gc.isenabled()  # the second chunk still runs
    second.__exit__(None, None, None)
    assert gc.isenabled()


def test_a_collector_turned_off_by_the_process_stays_off() -> None:
    gc.disable()
    try:
        with gc_pause.paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_tune_sets_casefile_young_generation_once_and_respects_a_process_choice() -> None:
    saved = gc.get_threshold()
    try:
        gc.set_threshold(700, 10, 10)
        gc_pause.tune()
        assert gc.get_threshold() == (10_000, 10, 10)
        gc_pause.tune()  # idempotent
        assert gc.get_threshold() == (10_000, 10, 10)
        gc.set_threshold(5_000, 20, 20)  # a process that chose its own keeps it
        gc_pause.tune()
        assert gc.get_threshold() == (5_000, 20, 20)
    finally:
        gc.set_threshold(*saved)


def test_every_casefile_command_runs_with_the_tuned_collector() -> None:
    import subprocess
    import sys

    code = (
        "import contextlib, gc, io, casefile.cli as c\n"
        "with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):\n"
        "    c.main(['--help'])\n"
        "print(gc.get_threshold())"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "(10000, 10, 10)"


def test_a_freezing_block_moves_what_it_leaves_alive_out_of_the_collector_passes() -> None:
    frozen = gc.get_freeze_count()
    try:
        with gc_pause.paused(freeze=True):
            kept = [[n] for n in range(5_000)]  # e.g. the engine's memo entries of a chunk
            assert not gc.isenabled()
        assert gc.isenabled()
        assert gc.get_freeze_count() >= frozen + 5_000
        assert all(gc.is_tracked(item) for item in kept[:10])
        young = {id(o) for o in gc.get_objects(generation=0)}
        assert id(kept) not in young and id(kept[0]) not in young
    finally:
        gc.unfreeze()


def test_a_cycle_left_by_freezing_blocks_is_freed_at_the_next_full_collection(
    monkeypatch: Any,
) -> None:
    import weakref

    class Node:
        other: Any = None

    monkeypatch.setattr(gc_pause, "FULL_EVERY", 3)
    monkeypatch.setattr(gc_pause, "_frozen_blocks", 0)
    try:
        with gc_pause.paused(freeze=True):
            first, second = Node(), Node()
            first.other, second.other = second, first
            gone = weakref.ref(first)
            del first, second
        assert gone() is not None  # frozen: no pass sees it
        with gc_pause.paused(freeze=True):
            pass
        gc.collect()  # not even a full collection reaches the frozen objects
        assert gone() is not None
        with gc_pause.paused(freeze=True):  # the third: a full collection, then frozen again
            pass
        assert gone() is None
    finally:
        gc.unfreeze()


def test_overlapping_blocks_freeze_once_when_any_of_them_asked() -> None:
    frozen = gc.get_freeze_count()
    try:
        first = gc_pause.paused(freeze=True)
        second = gc_pause.paused()
        first.__enter__()
        second.__enter__()
        first.__exit__(None, None, None)
        assert gc.get_freeze_count() == frozen and not gc.isenabled()
        kept = [[n] for n in range(1_000)]
        second.__exit__(None, None, None)
        assert gc.isenabled()
        assert gc.get_freeze_count() >= frozen + 1_000
        assert kept
    finally:
        gc.unfreeze()
