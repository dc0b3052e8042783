"""The cyclic garbage collector held off while a bulk computation allocates.

A chunk of the nightly recomputation allocates hundreds of thousands of short-lived objects
(rows, deadlines, history entries) that reference counting frees; the collector, counting
allocations, would still run a young collection every 700 of them and, now and then, a full
one over the whole heap (the engine's memos, the law data): 40 % of a worker's CPU on a chunk.
Inside `paused()` it does not run; what a cycle would hold stays until the next collection,
right after the block (memory bounded by one chunk).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

_holders = 0
_was_enabled = False


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
