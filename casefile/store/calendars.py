"""Deadline calendars kept in step (issue 6): per case, per lawyer, per commissaire de justice,
and the secret-token subscription URLs that calendar apps poll.

Each export runs `casefile.ical.sync` against the case's persisted feed state, so a re-export
keeps every UID, bumps SEQUENCE only for the deadlines that changed and publishes removed ones
as CANCELLED. Unchanged data gives byte-identical feeds (same ETag): the state is written only
when it changed. The caller owns the clock (`now`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import msgspec

from casefile.definitions import engine
from casefile.errors import Forbidden, InputError, NotFound
from casefile.ical.export import case_calendar, commissaire_calendar, lawyer_calendar
from casefile.ical.feeds import (
    FEED_KINDS,
    FeedToken,
    etag_for,
    feed_url,
    hash_token,
    issue,
    not_modified,
    verify_token,
)
from casefile.ical.feeds import webcal_url as webcal_link
from casefile.ical.items import CalendarEntry, FeedItem
from casefile.ical.sync import adopt_legacy, sync
from casefile.labels import ROLES, paris_day
from casefile.law.money import from_cents
from casefile.law.schedule import Deadline
from casefile.law.wording import quoted
from casefile.services.users import person_name
from casefile.settings import get_settings
from casefile.store import audit, db, read_cache
from casefile.store.cases import resolve_case
from casefile.store.db import atomic
from casefile.store.installation import installation_id
from casefile.store.permissions import SYSTEM, User, can
from casefile.store.plan_deadlines import plan_deadlines_many
from casefile.store.recompute import compute, latest_events, outstanding_cents, with_plan
from casefile.store.tables import Case, Event, FeedState, Party, UserAccount
from casefile.store.tables import FeedToken as FeedTokenRow

COMMISSAIRE_ROLE = "commissaire_de_justice"
# `last_used` tells a person whether a subscription is still polled: hourly is precise enough.
LAST_USED_EVERY = timedelta(hours=1)
MAX_ID = 2_147_483_647  # PostgreSQL `integer`


def _aware(now: datetime | None) -> datetime:
    now = now or datetime.now(UTC)
    if now.tzinfo is None:
        raise InputError("calendar export: `now` must be timezone-aware")
    return now


def case_url(case_id: int) -> str:
    return f"{get_settings().base_url.rstrip('/')}/dossiers/{case_id}"


def _as_of(deadline: Deadline, now: datetime) -> Deadline:
    """A pending or uncertain deadline whose day has passed shows as missed (the store keeps no
    clock)."""
    if deadline.status in ("pending", "uncertain") and deadline.due < paris_day(now):
        return msgspec.structs.replace(deadline, status="missed", _json=None)
    return deadline


async def _entries_many(
    rows: Sequence[dict[str, Any]], debtors: dict[int, str], now: datetime, installation: str
) -> dict[int, list[CalendarEntry]]:
    """Each case's engine deadlines (with their full explanation) and plan instalments, read
    with a handful of queries for the whole portfolio (as `recompute_many` does)."""
    ids = [r["id"] for r in rows]
    events: dict[int, list[dict[str, Any]]] = {}
    for event in (
        await Event.select(Event.id, Event.case, Event.key, Event.date, Event.attributes)
        .where(Event.case.is_in(ids))
        .output(load_json=True)
    ):
        events.setdefault(event["case"], []).append(event)
    residences = {
        r["case"]: r["residence"]
        for r in await Party.select(Party.case, Party.residence).where(
            Party.case.is_in(ids) & (Party.role == "debtor")
        )
    }
    totals = await outstanding_cents(ids)
    plans = await plan_deadlines_many(ids)
    out: dict[int, list[CalendarEntry]] = {}
    for row in rows:
        case_id = row["id"]
        total = from_cents(totals[case_id]) if case_id in totals else None
        schedule = compute(
            row, latest_events(events.get(case_id, [])), residences.get(case_id), total
        )
        url = case_url(case_id)
        out[case_id] = [
            CalendarEntry(
                case_id=str(case_id),
                case_reference=row["reference"],
                debtor_name=debtors.get(case_id, ""),
                procedure=row["procedure"],
                deadline=_as_of(deadline, now),
                case_url=url,
                installation=installation,
            )
            for deadline in with_plan(schedule, case_id, plans).deadlines
        ]
    return out


async def _debtors(case_ids: Sequence[int]) -> dict[int, str]:
    if not case_ids:
        return {}
    rows = await Party.select(Party.case, Party.name).where(
        Party.case.is_in(list(case_ids)) & (Party.role == "debtor")
    )
    return {r["case"]: r["name"] for r in rows}


async def synced_items(rows: Sequence[dict[str, Any]], now: datetime) -> list[FeedItem]:
    """Sync each case against its stored state, persist what changed, return every item.

    Reads first, then one short write transaction, and only for states that changed: polling
    an unchanged feed writes nothing (and never holds SQLite's write lock while computing)."""
    debtors = await _debtors([r["id"] for r in rows])
    ids = [r["id"] for r in rows]
    stored = {
        r["case"]: r["state"] or {}
        for r in await FeedState.select(FeedState.case, FeedState.state)
        .where(FeedState.case.is_in(ids or [0]))
        .output(load_json=True)
    }
    items: list[FeedItem] = []
    changed: dict[int, dict[str, Any]] = {}
    installation = await installation_id()
    entries_by_case = await _entries_many(rows, debtors, now, installation) if rows else {}
    for row in rows:
        entries = entries_by_case[row["id"]]
        previous = stored.get(row["id"], {})
        result = sync(adopt_legacy(previous, installation), entries, now)
        if result.state != previous:
            changed[row["id"]] = result.state
        items.extend(result.items)
    if changed:
        async with atomic():
            for case_id, state in changed.items():
                await FeedState.insert(
                    FeedState(case=case_id, state=state, updated_at=now)
                ).on_conflict(
                    target=FeedState.case,
                    action="DO UPDATE",
                    values=[FeedState.state, FeedState.updated_at],
                )
    return items


async def case_feed(case: int | str, actor: User, now: datetime | None = None) -> bytes:
    """One case's calendar (`casefile ics`, GET /api/cases/{id}/calendar.ics)."""
    now = _aware(now)
    row = await resolve_case(case, actor)
    items = await synced_items([row], now)
    return case_calendar(items, case_id=str(row["id"]), case_reference=row["reference"])


async def _user(name: str, what: str) -> dict[str, Any]:
    user = (
        await UserAccount.select(
            UserAccount.id,
            UserAccount.name,
            UserAccount.role,
            UserAccount.active,
            UserAccount.title,
            UserAccount.full_name,
        )
        .where(UserAccount.name == name)
        .first()
    )
    if user is None:
        raise NotFound(f"{what} « {name} » introuvable")
    return dict(user)


async def _case_rows(column: Any, user_id: int) -> list[dict[str, Any]]:
    rows = await Case.select().where(column == user_id).order_by(Case.reference)
    return [dict(r) for r in rows]


async def lawyer_feed(lawyer_name: str, now: datetime | None = None) -> bytes:
    """Every deadline of the cases assigned to this lawyer."""
    now = _aware(now)
    user = await _user(lawyer_name, "avocat")
    items = await synced_items(await _case_rows(Case.lawyer, user["id"]), now)
    # The calendar's name as the subscriber's calendar shows it: « Échéances — Maître Jeanne
    # Martin », not the login (« Échéances — avocat »).
    return lawyer_calendar(items, lawyer_name=person_name(user))


async def commissaire_feed(name: str, now: datetime | None = None) -> bytes:
    """Only the acts this commissaire de justice performs, on the cases assigned to them."""
    now = _aware(now)
    user = await _user(name, "commissaire de justice")
    if user["role"] != COMMISSAIRE_ROLE:
        raise NotFound(f"« {name} » n'est pas un commissaire de justice")
    rows = await _case_rows(Case.commissaire, user["id"])
    items = await synced_items(rows, now)
    return commissaire_calendar(
        items, commissaire_name=person_name(user), assigned_case_ids=[str(r["id"]) for r in rows]
    )


# -- subscription tokens ----------------------------------------------------------------------


def _feed_dict(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": row["id"],
        "kind": row["kind"],
        "subject": row["subject"],
        "label": row["label"],
        "created_by": row["created_by_name"],
        "created_at": row["created_at"].isoformat(),
        "last_used": row["last_used"].isoformat() if row["last_used"] else None,
        "revoked": row["revoked_at"] is not None,
    }


async def _subject(kind: str, subject: str, actor: User) -> str:
    """The canonical subject of a new feed, once the actor is found allowed to publish it."""
    if kind == "case":
        return str((await resolve_case(subject, actor))["id"])
    if kind not in FEED_KINDS:
        raise InputError(
            f"type d'abonnement {quoted(kind)} inconnu (attendu : {', '.join(FEED_KINDS)})"
        )
    user = await _user(subject.strip(), "avocat" if kind == "lawyer" else "commissaire de justice")
    if kind == "commissaire" and user["role"] != COMMISSAIRE_ROLE:
        role = ROLES.get(user["role"], user["role"])
        raise InputError(
            f"commissaire : l'utilisateur « {subject} » est {role}, pas commissaire de justice"
        )
    if user["name"] != actor.name and not can(actor.role, "user.admin"):
        raise Forbidden(f"seul « {user['name']} » ou un administrateur peut publier cet agenda")
    return str(user["name"])


async def issue_feed(
    kind: str, subject: str, actor: User, label: str = "", now: datetime | None = None
) -> dict[str, Any]:
    """A new subscription URL; the token appears here once and is never stored in clear."""
    now = _aware(now)
    subject_id = await _subject(kind, subject, actor)
    token, record = issue(kind, subject_id, now)
    async with atomic("feed token collision"):
        inserted = await FeedTokenRow.insert(
            FeedTokenRow(
                token_hash=record.token_hash,
                kind=kind,
                subject=subject_id,
                label=label[:100],
                created_by=actor.id,
                created_by_name=actor.name,
                created_at=now,
            )
        )
        feed_id = inserted[0]["id"]
        await audit.record(
            actor, "feed.issue", "feed", feed_id, None, {"kind": kind, "subject": subject_id}
        )
    row = await FeedTokenRow.select().where(FeedTokenRow.id == feed_id).first()
    assert row is not None
    base = get_settings().base_url
    return {
        **_feed_dict(row),
        "token": token,
        "url": feed_url(base, token),
        "webcal": webcal_link(base, token),
    }


async def list_feeds(actor: User) -> list[dict[str, Any]]:
    """The actor's feeds (an administrator sees everyone's); never the tokens."""
    query = FeedTokenRow.select().order_by(FeedTokenRow.id)
    if not can(actor.role, "user.admin"):
        query = query.where(FeedTokenRow.created_by == actor.id)
    return [_feed_dict(r) for r in await query]


async def revoke_feed(feed_id: int, actor: User, now: datetime | None = None) -> dict[str, Any]:
    now = _aware(now)
    if not 0 < feed_id <= MAX_ID:  # beyond the column: cannot exist (and would overflow SQLite)
        raise NotFound(f"abonnement {feed_id} introuvable")
    async with atomic():
        row = await FeedTokenRow.select().where(FeedTokenRow.id == feed_id).first()
        if row is None or (row["created_by"] != actor.id and not can(actor.role, "user.admin")):
            raise NotFound(f"abonnement {feed_id} introuvable")
        if row["revoked_at"] is None:
            await FeedTokenRow.update({FeedTokenRow.revoked_at: now}).where(
                FeedTokenRow.id == feed_id
            )
            await audit.record(actor, "feed.revoke", "feed", feed_id, _feed_dict(row), None)
        row = await FeedTokenRow.select().where(FeedTokenRow.id == feed_id).first()
    assert row is not None
    return _feed_dict(row)


# The token's row with, in the same round trip, its publisher and (portfolio feeds) its subject
# as they are now: a poll's checks cost one query, not three.
_TOKEN_SQL = (
    "SELECT f.id, f.kind, f.subject, f.label, f.created_by, f.created_by_name, f.created_at,"
    " f.last_used, f.revoked_at, f.token_hash, h.name AS holder_name, h.role AS holder_role,"
    " h.active AS holder_active, s.name AS subject_name, s.role AS subject_role,"
    " s.active AS subject_active"
    " FROM feed_tokens f LEFT JOIN users h ON h.id = f.created_by"
    " LEFT JOIN users s ON f.kind <> 'case' AND s.name = f.subject"
    " WHERE f.token_hash = {}"
)


def _moment(value: Any) -> datetime | None:
    """A timestamp as read by a raw query: SQLite gives text, sometimes without its zone."""
    if value is None:
        return None
    moment: datetime = datetime.fromisoformat(value) if isinstance(value, str) else value
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


async def resolve_feed(token: str, now: datetime | None = None) -> dict[str, Any]:
    """The feed a presented token opens; unknown or revoked: NotFound. Its last use is
    recorded at most once per LAST_USED_EVERY: polling does not write on every request."""
    feed, _ = await _resolve(token, _aware(now), with_inputs=False)
    return feed


async def _resolve(
    token: str, now: datetime, *, with_inputs: bool
) -> tuple[dict[str, Any], str | None]:
    """`resolve_feed`, and with `with_inputs` on PostgreSQL the feed's input rows read in the
    same statement (`_TOKEN_AND_INPUTS_SQL`), as the JSON text of their array; None when they
    were not read."""
    if not token or len(token) > 256:
        raise NotFound("abonnement de calendrier introuvable")
    together = with_inputs and db.postgres()
    sql = _TOKEN_AND_INPUTS_SQL if together else _TOKEN_SQL
    rows = await FeedTokenRow.raw(sql, hash_token(token))
    if not rows:
        raise NotFound("abonnement de calendrier introuvable")
    row = dict(rows[0])
    row["created_at"] = _moment(row["created_at"])
    row["revoked_at"] = _moment(row["revoked_at"])
    stored = FeedToken(
        row["token_hash"], row["kind"], row["subject"], row["created_at"], row["revoked_at"]
    )
    if not verify_token(token, stored):
        raise NotFound("abonnement de calendrier introuvable")
    last_used = _moment(row["last_used"])
    if last_used is None or not timedelta(0) <= now - last_used < LAST_USED_EVERY:
        await FeedTokenRow.update({FeedTokenRow.last_used: now}).where(FeedTokenRow.id == row["id"])
        last_used = now
    row["last_used"] = last_used
    feed = {
        **_feed_dict(row),
        "created_by_id": row["created_by"],
        "holder": (row["holder_name"], row["holder_role"], bool(row["holder_active"])),
        "subject_user": (row["subject_name"], row["subject_role"], bool(row["subject_active"])),
    }
    return feed, ((row["inputs"] or "[]") if together else None)


def _holder(feed: dict[str, Any]) -> User:
    """The feed's publisher as they are now (read with the token): a deactivated or deleted
    publisher's feeds are dead. Feeds made by the command line (`created_by` 0) belong to the
    system user."""
    if feed["created_by_id"] == SYSTEM.id:
        return SYSTEM
    name, role, active = feed["holder"]
    if name is None or not active:
        raise NotFound("abonnement de calendrier introuvable")
    return User(feed["created_by_id"], name, role)


async def feed_body(token: str, now: datetime | None = None) -> bytes:
    """What `GET /feeds/{token}.ics` serves: the token is the credential, scoped to one feed.

    Each use is checked against the publisher's rights of the moment (`_authorized`)."""
    now = _aware(now)
    feed = await resolve_feed(token, now)
    return await _feed_body(feed, await _authorized(feed), now)


# feed id -> (inputs, ETag of the body they gave): what lets a poll of an unchanged feed get its
# 304 without computing the feed. Bounded (emptied when full).
_ETAGS: dict[int, tuple[tuple[Any, ...], str]] = {}
MAX_ETAGS = 10_000


async def feed_answer(
    token: str, if_none_match: str | None, now: datetime | None = None
) -> tuple[bytes | None, str]:
    """`GET /feeds/{token}.ics`: (body, ETag), the body None when `if_none_match` names the
    feed as it stands (a 304).

    A feed's bytes depend only on its inputs (`_feed_inputs`: its cases and their `version`,
    the last write of their deadlines and feed states, the subject's name, the day, the law
    loaded, the base URL): when they are what they were when this process last computed the
    feed, its ETag is the one computed then, and a poll that presents it gets its 304 after
    the checks instead of the engine, the sync and the rendering of every deadline: on
    PostgreSQL one statement reads the token, its publisher, its subject and the inputs
    (`_TOKEN_AND_INPUTS_SQL`; a case feed adds the case's read), on SQLite two. On PostgreSQL the check's result is kept a few seconds (`read_cache.FEEDS`,
    forgotten on any revocation, rights, case, deadline or feed state change, from any
    process): a poll of an unchanged feed within that time costs no query at all."""
    now = _aware(now)
    kept = _kept_etag(token, now)
    if kept is not None and not_modified(if_none_match, kept):
        return None, kept
    await read_cache.listen()
    seen = read_cache.generation()
    feed, rows = await _resolve(token, now, with_inputs=True)
    holder = await _authorized(feed)
    inputs = await _feed_inputs(feed, now, rows)
    known = _ETAGS.get(feed["id"])
    if known is not None and known[0] == inputs:
        _keep_etag(token, now, known[1], seen)
        if not_modified(if_none_match, known[1]):
            return None, known[1]
    body = await _feed_body(feed, holder, now)
    etag = etag_for(body)
    if len(_ETAGS) >= MAX_ETAGS:
        _ETAGS.clear()
    _ETAGS[feed["id"]] = (inputs, etag)
    _keep_etag(token, now, etag, seen)
    return body, etag


def _kept_etag(token: str, now: datetime) -> str | None:
    """The ETag this token's feed had when checked a few seconds ago, if nothing it depends on
    changed since (`read_cache`: PostgreSQL only) and it is still the same day, law and URL."""
    if not token or len(token) > 256:
        return None
    kept = read_cache.FEEDS.lookup(hash_token(token))
    if kept is None or kept[:3] != (paris_day(now), id(engine()), get_settings().base_url):
        return None
    return str(kept[3])


def _keep_etag(token: str, now: datetime, etag: str, seen: int) -> None:
    key = (paris_day(now), id(engine()), get_settings().base_url, etag)
    read_cache.FEEDS.keep(hash_token(token), key, seen)


_INPUTS_SQL = (
    "SELECT c.id, c.version, f.updated_at AS synced, max(d.updated_at) AS written,"
    " count(d.id) AS deadlines FROM cases c"
    ' LEFT JOIN feed_states f ON f."case" = c.id LEFT JOIN deadlines d ON d."case" = c.id'
    " WHERE {where} GROUP BY c.id, c.version, f.updated_at ORDER BY c.id"
)
_SUBJECTS = {
    "case": "c.id = {}",
    "lawyer": "c.lawyer = (SELECT u.id FROM users u WHERE u.name = {})",
    "commissaire": (
        "c.commissaire = (SELECT u.id FROM users u WHERE u.name = {}"
        f" AND u.role = '{COMMISSAIRE_ROLE}')"
    ),
}


# PostgreSQL: a checked 304 in one round trip. The token's row (`_TOKEN_SQL`) and, aggregated
# in one JSON value, the inputs of the feed it names: one branch per kind, each active only for
# the token's kind and filtered by a scalar subquery (so each keeps its index on `cases`).
_INPUTS_BRANCH = (
    "SELECT c.id, c.version, fs.updated_at AS synced, max(d.updated_at) AS written,"
    " count(d.id) AS deadlines FROM cases c"
    ' LEFT JOIN feed_states fs ON fs."case" = c.id LEFT JOIN deadlines d ON d."case" = c.id'
    " WHERE {where} GROUP BY c.id, c.version, fs.updated_at"
)
_TOKEN_AND_INPUTS_SQL = (
    "WITH t AS (" + _TOKEN_SQL + ")"
    " SELECT t.*, (SELECT json_agg(json_build_array(i.id, i.version, i.synced, i.written,"
    " i.deadlines) ORDER BY i.id) FROM ("
    + " UNION ALL ".join(
        _INPUTS_BRANCH.replace("{where}", where)
        for where in (
            "c.id = (SELECT CASE WHEN k.subject ~ '^[0-9]+$' AND length(k.subject) <= 18"
            " THEN k.subject::bigint ELSE 0 END FROM t k WHERE k.kind = 'case')",
            "c.lawyer = (SELECT u.id FROM users u, t k WHERE k.kind = 'lawyer'"
            " AND u.name = k.subject)",
            "c.commissaire = (SELECT u.id FROM users u, t k WHERE k.kind = 'commissaire'"
            f" AND u.name = k.subject AND u.role = '{COMMISSAIRE_ROLE}')",
        )
    )
    + ") i) AS inputs FROM t"
)


async def _feed_inputs(
    feed: dict[str, Any], now: datetime, read: str | None = None
) -> tuple[Any, ...]:
    """Everything the feed's bytes depend on: its cases with their `version` (bumped by every
    change to a case, its parties, invoices, payments, events and plans), the last write and
    the number of their stored deadlines, their feed states' last write; then the day (pending
    deadlines turn missed), the law loaded and the base URL. The case rows are `read` when
    read with the token (PostgreSQL, `_TOKEN_AND_INPUTS_SQL`: kept as the JSON text the server
    gives, ordered by case, equal exactly when the rows are), else read here in one query."""
    rows: Any = read
    if rows is None:
        subject: Any = feed["subject"]
        if feed["kind"] == "case":
            subject = int(subject) if str(subject).isdigit() else 0
        sql = _INPUTS_SQL.replace("{where}", _SUBJECTS[feed["kind"]])
        rows = tuple(
            (r["id"], r["version"], str(r["synced"]), str(r["written"]), r["deadlines"])
            for r in await Case.raw(sql, subject)
        )
    return (
        feed["kind"],
        feed["subject"],
        paris_day(now),
        id(engine()),
        get_settings().base_url,
        rows,
    )


async def _authorized(feed: dict[str, Any]) -> User:
    """The feed's publisher, once found still allowed to publish it (NotFound otherwise): a
    case feed serves only while its publisher may still read the case (a commissaire de
    justice's feed stops when the case is reassigned); a portfolio feed only while its subject
    is active and its publisher is that person or an administrator. Checked on every use, the
    304 included (the publisher and the subject as read with the token, `resolve_feed`)."""
    holder = _holder(feed)
    if feed["kind"] == "case":
        try:
            await resolve_case(feed["subject"], holder)
        except (Forbidden, NotFound):
            raise NotFound("abonnement de calendrier introuvable") from None
        return holder
    name, _, active = feed["subject_user"]
    if name is None:
        raise NotFound("abonnement de calendrier introuvable")
    allowed = holder.name == name or can(holder.role, "user.admin")
    if not (active and allowed and can(holder.role, "case.read")):
        raise NotFound("abonnement de calendrier introuvable")
    return holder


async def _feed_body(feed: dict[str, Any], holder: User, now: datetime) -> bytes:
    try:
        if feed["kind"] == "case":
            return await case_feed(feed["subject"], holder, now)
        if feed["kind"] == "lawyer":
            return await lawyer_feed(feed["subject"], now)
        return await commissaire_feed(feed["subject"], now)
    except (Forbidden, NotFound):
        raise NotFound("abonnement de calendrier introuvable") from None
