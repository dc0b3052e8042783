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


@contextmanager
def paused() -> Iterator[None]:
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
