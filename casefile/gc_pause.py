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
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

YOUNG = 10_000
"""Container allocations (net) between two young collections (CPython's default: 700)."""
_PYTHON_DEFAULT = (700, 10, 10)

_holders = 0
_was_enabled = False


def tune() -> None:
    """casefile's thresholds, unless the process already chose its own (idempotent)."""
    if gc.get_threshold() == _PYTHON_DEFAULT:
        gc.set_threshold(YOUNG, *_PYTHON_DEFAULT[1:])


@contextmanager
def paused() -> Iterator[None]:
    """Nested or overlapping blocks (two chunks of one worker run concurrently) hold it off
    together: the collector comes back, if it was on, when the last of them ends."""
    global _holders, _was_enabled
    if _holders == 0:
        _was_enabled = gc.isenabled()
        gc.disable()
    _holders += 1
    try:
        yield
    finally:
        _holders -= 1
        if _holders == 0 and _was_enabled:
            gc.enable()
