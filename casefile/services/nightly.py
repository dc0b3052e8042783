"""The nightly recomputation of pending cases: deadlines that depend on the law data in service
(holidays of a new year, new rates, a corrected rule) are brought up to date once a day, with
the same use case as `casefile law apply` (only the cases whose stored deadlines no longer match
are rewritten, each with its before/after in the case's history)."""

from __future__ import annotations

from datetime import date
from typing import Any

from casefile.documents.formatting import date_fr
from casefile.services import law_impact
from casefile.store.permissions import SYSTEM


async def recompute_pending(day: date) -> dict[str, Any]:
    report = await law_impact.apply(SYSTEM, f"recalcul nocturne du {date_fr(day)}")
    return {
        "day": day.isoformat(),
        "cases_examined": report.cases_examined,
        "cases_recomputed": report.cases_recomputed,
    }
