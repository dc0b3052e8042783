"""`GET /api/cases/{id}/calendar.ics`: the case's deadlines as iCalendar (text/calendar).

Served through `casefile.store.calendars.case_feed`, which syncs against the case's persisted
feed state: a re-download keeps its UIDs, and SEQUENCE grows only for deadlines that changed.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from litestar import Controller, Response, get
from litestar.params import FromPath

from casefile.api.auth import Actor, allows


async def case_calendar_bytes(case_id: str, actor: Any) -> tuple[bytes, str]:
    from casefile.store import calendars, cases

    row = await cases.resolve_case(case_id, actor)
    body = await calendars.case_feed(row["id"], actor, datetime.now(UTC))
    return body, row["reference"]


class CalendarController(Controller):
    path = "/api/cases"
    tags = ("calendriers",)

    @get(
        "/{case_id:str}/calendar.ics",
        opt=allows("case.read"),
        summary="Les échéances du dossier au format iCalendar",
        media_type="text/calendar",
    )
    async def case_calendar(self, case_id: FromPath[str], actor: Actor) -> Response[bytes]:
        from casefile.api.downloads import content_disposition

        body, reference = await case_calendar_bytes(case_id, actor)
        return Response(
            body,
            media_type="text/calendar",
            headers={"Content-Disposition": content_disposition(f"{reference}.ics")},
        )
