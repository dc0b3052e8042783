"""`GET /api/cases/{id}/calendar.ics`: the case's deadlines as iCalendar (text/calendar).

The export (`casefile.ical.export`) wants the engine's `Deadline` objects, which carry the
explanation; the store keeps their JSON form. So the schedule is recomputed here from the
case's stored inputs, after the store has checked that the caller may read the case.
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, Response, get
from litestar.params import FromPath

from casefile.api.auth import Actor, requires
from casefile.settings import get_settings


async def case_calendar_bytes(case_id: str, actor: Any) -> tuple[bytes, str]:
    from casefile.ical.export import case_calendar
    from casefile.ical.items import CalendarEntry
    from casefile.store import cases, recompute

    row = await cases.resolve_case(case_id, actor)
    events, residence, total = await recompute.case_inputs(row["id"])
    schedule = recompute.compute(row, events, residence, total)
    summary = await cases.get_case(row["id"], actor)
    url = f"{get_settings().base_url.rstrip('/')}/dossiers/{row['id']}"
    entries = [
        CalendarEntry(
            case_id=str(row["id"]),
            case_reference=row["reference"],
            debtor_name=str(summary.get("debtor") or ""),
            procedure=row["procedure"],
            deadline=deadline,
            case_url=url,
        )
        for deadline in schedule.deadlines
    ]
    body = case_calendar(entries, case_id=str(row["id"]), case_reference=row["reference"])
    return body, row["reference"]


class CalendarController(Controller):
    path = "/api/cases"
    tags = ("calendriers",)

    @get(
        "/{case_id:str}/calendar.ics",
        guards=[requires("case.read")],
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
