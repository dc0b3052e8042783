"""The cyclic garbage collector's policy in casefile's processes.

`tune()`, once at the start of every `casefile …` command (`serve` and `worker` included): CPython runs a young collection every
700 container allocations and, every hundred of those, a full one over every tracked object
once the survivors have grown by a quarter. The engine's memos (schedules, deadlines, expiries:
long-lived, acyclic, freed with the engine) are most of what survives; on a first pass over
100 000 cases the collector was a quarter of the time (0.25 s of 0.93 s), three full passes
over a growing memo most of it. With a young generation of 10 000 the same pass makes about
fifteen times fewer collections; what a cycle holds waits a little longer (a few megabytes at
most). Nothing else changes: reference counting frees everything else as before.

`paused()`: a chunk of the nightly recomputation allocates hundreds of thousands of
short-lived objects (rows, deadlines, history entries) that reference counting frees; the
collector, counting allocations, would still run a young collection every 700 of them and, now
and then, a full one over the whole heap (the engine's memos, the law data): 40 % of a worker's
CPU on a chunk. Inside `paused()` it does not run; what a cycle would hold stays until the next
collection, right after the block (memory bounded by one chunk).

`paused(freeze=True)` (the nightly chunks): what the block leaves alive is moved out of the
collector's passes (`gc.freeze()`, a constant-time move) instead of being scanned by the next
young and middle passes: after a chunk, that is the engine's memo entries, acyclic and freed by
reference counting when the memos are trimmed. The young pass after each chunk was a tenth of a
worker's CPU (0.5 s of 5 s a round of 100 000 cases, counted with `gc.callbacks`) and, over
three rounds, found no cycle to collect. Every `FULL_EVERY` such blocks one full collection
runs over every object (the frozen ones included, frozen again after it): a cycle left by a
chunk or between chunks is freed then, so memory stays bounded.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

YOUNG = 10_000
"""Container allocations (net) between two young collections (CPython's default: 700)."""
_PYTHON_DEFAULT = (700, 10, 10)

FULL_EVERY = 100
"""Freezing blocks between two full collections over every object, frozen ones included."""

_holders = 0
_was_enabled = False
_freeze = False
_frozen_blocks = 0


def tune() -> None:
    """casefile's thresholds, unless the process already chose its own (idempotent)."""
    if gc.get_threshold() == _PYTHON_DEFAULT:
        gc.set_threshold(YOUNG, *_PYTHON_DEFAULT[1:])


@contextmanager
def paused(freeze: bool = False) -> Iterator[None]:
    """Nested or overlapping blocks (two chunks of one worker run concurrently) hold it off
    together: the collector comes back, if it was on, when the last of them ends. `freeze`:
    what is alive then is frozen first when any of the blocks asked for it (see above)."""
    global _holders, _was_enabled, _freeze
    if _holders == 0:
        _was_enabled = gc.isenabled()
        gc.disable()
    _holders += 1
    _freeze = _freeze or freeze
    try:
        yield
    finally:
        _holders -= 1
        if _holders == 0:
            if _freeze and _was_enabled:
                _freeze_survivors()
            _freeze = False
            if _was_enabled:
                gc.enable()


def _freeze_survivors() -> None:
    """Move every tracked object out of the collector's passes; every `FULL_EVERY` calls, a
    full collection over all of them first (what a cycle holds is freed then)."""
    global _frozen_blocks
    _frozen_blocks += 1
    if _frozen_blocks >= FULL_EVERY:
        _frozen_blocks = 0
        gc.unfreeze()
        gc.collect()
    gc.freeze()
