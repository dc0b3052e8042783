"""Calendar subscriptions and payment plans over HTTP (issues 6 and 3).

- `GET /feeds/{token}.ics` needs no login: calendar apps cannot log in, the token in the URL is
  the credential (scoped to one feed, revocable). Unknown or revoked: 404. The body is
  deterministic, so a strong ETag lets polling apps get a 304 without a body.
- `POST/GET /api/feeds`, `DELETE /api/feeds/{id}`: issue, list and revoke one's feeds.
- `POST/GET /api/cases/{id}/payment-plans`: échéanciers whose instalments become deadlines.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any, Literal

import msgspec
from litestar import Controller, Request, Response, delete, get, post
from litestar.params import FromPath, JSONBody

from casefile.api.auth import Actor, allows
from casefile.errors import NotFound
from casefile.ical.feeds import CONTENT_TYPE, not_modified

FEED_SUFFIX = ".ics"
# Litestar appends "; charset=utf-8" to text types itself: the result is CONTENT_TYPE.
MEDIA_TYPE = CONTENT_TYPE.split(";", 1)[0]


class FeedBody(msgspec.Struct, forbid_unknown_fields=True):
    """`subject`: a case id or reference, or the user name of a lawyer or a commissaire."""

    kind: Literal["case", "lawyer", "commissaire"]
    subject: str
    label: str = ""


class PlanBody(msgspec.Struct, forbid_unknown_fields=True):
    """`total` is a decimal string ("1234.56"); instalments fall monthly from `first_due`."""

    total: str
    count: int
    first_due: date
    kind: Literal["judiciaire", "conventionnel"] = "judiciaire"
    grace_days: int = 0
    granted_on: date | None = None


@get(
    "/feeds/{name:str}",
    opt={"exclude_from_auth": True},
    summary="Flux iCalendar d'abonnement (le jeton de l'URL est le secret)",
    media_type=MEDIA_TYPE,
    tags=["calendriers"],
)
async def feed(name: FromPath[str], request: Request[Any, Any, Any]) -> Response[bytes]:
    from casefile.store.calendars import feed_answer

    if not name.endswith(FEED_SUFFIX):
        raise NotFound("abonnement de calendrier introuvable")
    if_none_match = request.headers.get("if-none-match")
    body, etag = await feed_answer(name[: -len(FEED_SUFFIX)], if_none_match, datetime.now(UTC))
    headers = {"ETag": etag, "Cache-Control": "private, max-age=0, must-revalidate"}
    if body is None or not_modified(if_none_match, etag):
        return Response(b"", status_code=304, headers=headers, media_type=MEDIA_TYPE)
    return Response(body, headers=headers, media_type=MEDIA_TYPE)


class FeedController(Controller):
    path = "/api/feeds"
    tags = ("calendriers",)

    @post("/", opt=allows("case.read"), summary="Créer une URL d'abonnement")
    async def create(self, data: JSONBody[FeedBody], actor: Actor) -> dict[str, Any]:
        from casefile.store.calendars import issue_feed

        return await issue_feed(data.kind, data.subject, actor, label=data.label)

    @get("/", opt=allows("case.read"), summary="Mes URL d'abonnement")
    async def list_feeds(self, actor: Actor) -> list[dict[str, Any]]:
        from casefile.store.calendars import list_feeds

        return await list_feeds(actor)

    @delete(
        "/{feed_id:int}",
        opt=allows("case.read"),
        status_code=200,
        summary="Révoquer une URL d'abonnement",
    )
    async def revoke(self, feed_id: FromPath[int], actor: Actor) -> dict[str, Any]:
        from casefile.store.calendars import revoke_feed

        return await revoke_feed(feed_id, actor)


class PaymentPlanController(Controller):
    path = "/api/cases"
    tags = ("échéanciers",)

    @post(
        "/{case_id:str}/payment-plans",
        opt=allows("case.write"),
        summary="Accorder un échéancier (C. civ. art. 1343-5 ou convenu)",
    )
    async def create(
        self, case_id: FromPath[str], data: JSONBody[PlanBody], actor: Actor
    ) -> dict[str, Any]:
        from casefile.law.money import parse_amount
        from casefile.store.payment_plans import PlanIn, create_plan

        plan = PlanIn(
            total=parse_amount(data.total, "total"),
            count=data.count,
            first_due=data.first_due,
            kind=data.kind,
            grace_days=data.grace_days,
            granted_on=data.granted_on,
        )
        return await create_plan(case_id, plan, actor)

    @get(
        "/{case_id:str}/payment-plans",
        opt=allows("case.read"),
        summary="Les échéanciers du dossier et leur état",
    )
    async def list_plans(self, case_id: FromPath[str], actor: Actor) -> list[dict[str, Any]]:
        from casefile.store.payment_plans import list_plans

        return await list_plans(case_id, actor)
