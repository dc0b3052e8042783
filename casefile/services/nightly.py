"""The nightly recomputation of pending cases: deadlines that depend on the law data in service
(holidays of a new year, new rates, a corrected rule) are brought up to date once a day, with
the same use case as `casefile law apply` (only the cases whose stored deadlines no longer match
are rewritten, each with its before/after in the case's history).

Two ways to run it, same result: `recompute_pending` does every chunk of cases in this process
(the embedded SQLite mode); on PostgreSQL the nightly job asks `chunk_ranges` for the id range
of each chunk of pending cases and defers one `recompute_range` job per range, which the
`casefile worker` processes share. A range run twice changes nothing the second time.

Either way the night starts by removing the stored explanations no deadline refers to any more
(`collect_garbage`: those of the deadlines rewritten or deleted since the night before)."""

from __future__ import annotations

from datetime import date
from typing import Any

from casefile.documents.formatting import date_fr
from casefile.services import law_impact
from casefile.store import explanations
from casefile.store.permissions import SYSTEM


def reason(day: date) -> str:
    return f"recalcul nocturne du {date_fr(day)}"


async def collect_garbage() -> int:
    """The stored explanations no deadline refers to any more, removed; how many."""
    return await explanations.collect_garbage()


async def recompute_pending(day: date) -> dict[str, Any]:
    await collect_garbage()
    report = await law_impact.apply(SYSTEM, reason(day), keep_cases=False)
    return {
        "day": day.isoformat(),
        "cases_examined": report.cases_examined,
        "cases_recomputed": report.cases_recomputed,
    }


async def chunk_ranges(size: int | None = None) -> list[tuple[int, int]]:
    """(first id, last id) of each chunk of `size` pending cases (default `law_impact.CHUNK`:
    500 ranges for a million cases in chunks of 2 000)."""
    return await law_impact.pending_ranges(size or law_impact.CHUNK)


async def recompute_range(day: date, first_id: int, last_id: int) -> dict[str, Any]:
    """The pending cases whose id lies in `first_id`..`last_id` (one job's share)."""
    report = await law_impact.apply(
        SYSTEM,
        reason(day),
        first_id=first_id,
        last_id=last_id,
        keep_cases=False,
        record_summary=False,
    )
    return {
        "day": day.isoformat(),
        "first_id": first_id,
        "last_id": last_id,
        "cases_examined": report.cases_examined,
        "cases_recomputed": report.cases_recomputed,
    }
