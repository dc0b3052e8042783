"""The collector held off during a chunk of the recomputation, and back after the last of
overlapping chunks (two jobs of one worker)."""

from __future__ import annotations

import gc

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
