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
