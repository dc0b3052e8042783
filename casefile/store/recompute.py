"""Recompute a case's deadlines from its events and write them, returning what changed.

Called inside the transaction that changed the events, so the materialised deadlines never
disagree with the events that produced them. Deadlines are stored as the engine gives them
without a clock; `with_today` derives "missed" when they are read.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any, NamedTuple

import msgspec

from casefile import metrics
from casefile.definitions import engine
from casefile.law.money import from_cents
from casefile.law.schedule import CaseFacts, RecordedEvent, Schedule
from casefile.store import explanations
from casefile.store.db import among, bulk_insert, postgres, update_columns
from casefile.store.ledger import refresh_ledger_claims
from casefile.store.plan_deadlines import plan_deadlines_many
from casefile.store.recompute_rows import (
    deadline_changes,
    explanation_of,
    fetch,
    ids_clause,
    write_deadlines,
)
from casefile.store.tables import Case, Claim, DeadlineRecord, Event, Party, Payment
from casefile.store.tables.deadline import explanation_column

AMICABLE = "amiable"  # the procedure and the phase of an amicable file


def latest_events(rows: Iterable[Mapping[str, Any]]) -> dict[str, RecordedEvent]:
    """One event per key: the latest by date (then by entry order) when a key repeats."""
    chosen: dict[str, Mapping[str, Any]] = {}
    for row in rows:
        current = chosen.get(row["key"])
        if current is None or (row["date"], row["id"]) >= (current["date"], current["id"]):
            chosen[row["key"]] = row
    return {
        key: RecordedEvent(key, row["date"], dict(row["attributes"] or {}))
        for key, row in chosen.items()
    }


def compute(
    case: Mapping[str, Any],
    events: Mapping[str, RecordedEvent],
    debtor_residence: str | None,
    claim_total: Decimal | None,
) -> Schedule:
    facts = CaseFacts(
        court=case["court"],
        court_department=case["court_department"],
        debtor_residence=debtor_residence,
        claim_total=claim_total,
    )
    eng = engine()
    schedule = eng.compute(case["procedure"], amicable_left_out(case["procedure"], events), facts)
    metrics.deadlines_computed(len(schedule.deadlines))
    return schedule


def amicable_left_out(
    procedure: str, events: Mapping[str, RecordedEvent]
) -> dict[str, RecordedEvent]:
    """A case handed over to litigation keeps its amicable events (mise en demeure, debt
    acknowledged…) in its history; the court procedure's deadlines are computed without those
    its definition does not know. Any other unknown key is still refused by the engine."""
    if procedure == AMICABLE:
        return dict(events)
    known = engine().procedure(procedure).events
    amicable = engine().procedure(AMICABLE).events
    return {k: v for k, v in events.items() if k in known or k not in amicable}


def _amicable_only(procedure: str) -> frozenset[str]:
    """The amicable event keys that `procedure` does not know (`amicable_left_out` leaves them
    out): none for the amicable procedure itself."""
    if procedure == AMICABLE:
        return frozenset()
    known = engine().procedure(procedure).events
    return frozenset(k for k in engine().procedure(AMICABLE).events if k not in known)


def diff(old: Mapping[str, dict[str, Any]], new: Mapping[str, dict[str, Any]]) -> dict[str, Any]:
    """Deadline dicts keyed by deadline key → {"added", "moved", "removed", "changed"}."""
    added = [new[key] for key in new if key not in old]
    removed = [old[key] for key in old if key not in new]
    moved = [
        {
            "key": key,
            "label": new[key]["label"],
            "from": old[key]["due"],
            "to": new[key]["due"],
            "deadline": new[key],
        }
        for key in new
        if key in old and old[key]["due"] != new[key]["due"]
    ]
    changed = [
        {"key": key, "from": old[key]["status"], "to": new[key]["status"]}
        for key in new
        if key in old and old[key]["status"] != new[key]["status"]
    ]
    return {"added": added, "moved": moved, "removed": removed, "changed": changed}


async def case_inputs(case_id: int) -> tuple[dict[str, RecordedEvent], str | None, Decimal | None]:
    events = (
        await Event.select(Event.id, Event.key, Event.date, Event.attributes)
        .where(Event.case == case_id)
        .output(load_json=True)
    )
    debtor = (
        await Party.select(Party.residence)
        .where((Party.case == case_id) & (Party.role == "debtor"))
        .first()
    )
    total = await outstanding_cents([case_id])
    return (
        latest_events(events),
        debtor["residence"] if debtor else None,
        from_cents(total[case_id]) if case_id in total else None,
    )


async def outstanding_cents(case_ids: Sequence[int] | None = None) -> dict[int, int]:
    """Σ(amount − paid) of the claims − Σ payments, per case having claims. An invoice the
    debtor disputes (issue 17 item 2) and the payments that named it are left out: the
    procedures claim only the undisputed debt."""
    if not case_ids and case_ids is not None:
        return {}
    wanted = set(case_ids) if case_ids is not None else None
    totals: dict[int, int] = {}
    disputed: set[int] = set()
    claims, payments = await _money_rows(case_ids)
    for claim_id, case_id, amount, paid, is_disputed in claims:
        if wanted is not None and case_id not in wanted:
            continue
        totals.setdefault(case_id, 0)
        if is_disputed:
            disputed.add(claim_id)
            continue
        totals[case_id] += amount - paid
    for case_id, amount, claim_id in payments:
        if case_id in totals and claim_id not in disputed:
            totals[case_id] -= amount
    return totals


async def _money_rows(case_ids: Sequence[int] | None) -> tuple[list[Any], list[Any]]:
    """(claims: id, case, amount_cents, paid_cents, disputed), (payments: case, amount_cents,
    claim) of `case_ids` (or a superset; all when None)."""
    if postgres():
        where, args = ids_clause('"case"', case_ids) if case_ids else ("TRUE", [])
        return (
            await fetch(
                f'SELECT id, "case", amount_cents, paid_cents, disputed FROM claims WHERE {where}',
                *args,
            ),
            await fetch(f'SELECT "case", amount_cents, claim FROM payments WHERE {where}', *args),
        )
    claims = Claim.select(
        Claim.id, Claim.case, Claim.amount_cents, Claim.paid_cents, Claim.disputed
    )
    payments = Payment.select(Payment.case, Payment.amount_cents, Payment.claim)
    if case_ids is not None:
        claims = claims.where(among(Claim.case, case_ids, superset=True))
        payments = payments.where(among(Payment.case, case_ids, superset=True))
    return (
        [
            (row["id"], row["case"], row["amount_cents"], row["paid_cents"], row["disputed"])
            for row in await claims
        ],
        [(row["case"], row["amount_cents"], row["claim"]) for row in await payments],
    )


async def recompute_case(case: Mapping[str, Any]) -> dict[str, Any]:
    """Recompute and store one case's deadlines; returns the diff (call inside a transaction)."""
    events, residence, total = await case_inputs(case["id"])
    schedule = with_plan(
        compute(case, events, residence, total), case["id"], await plan_deadlines_many([case["id"]])
    )
    old_rows = (
        await DeadlineRecord.select(DeadlineRecord.key, explanation_column())
        .where(DeadlineRecord.case == case["id"])
        .output(load_json=True)
    )
    old = {row["key"]: row["explanation"] for row in old_rows}
    new = {d.key: d.as_dict() for d in schedule.deadlines}
    changes = diff(old, new)
    await store_schedules({case["id"]: schedule}, replace=True)
    return changes


def with_plan(schedule: Schedule, case_id: int, plans: Mapping[int, Sequence[Any]]) -> Schedule:
    """The engine's deadlines plus the instalments of the case's payment plan (`echeance_N`)."""
    extra = plans.get(case_id)
    if not extra:
        return schedule
    return msgspec.structs.replace(schedule, deadlines=schedule.deadlines + tuple(extra))


async def store_schedules(
    schedules: Mapping[int, Schedule],
    replace: bool = True,
    totals: Mapping[int, int] | None = None,
    bump_version_at: datetime | None = None,
) -> None:
    """Write the deadlines of many cases at once (bulk, for imports and the portfolio; the
    nightly recomputation writes only what differs, `store_changed`): the old rows deleted, the
    new ones copied in, each case's summary
    (warnings, next due, overdue since, outstanding) set in one statement sent for all.
    `totals`: the cases' outstanding cents when the caller has just read them;
    `bump_version_at`: also increment each case's version and set its `updated_at`."""
    if not schedules:
        return
    now = datetime.now(UTC)
    ids = list(schedules)
    if replace:
        for start in range(0, len(ids), 500):
            await DeadlineRecord.delete().where(
                among(DeadlineRecord.case, ids[start : start + 500])
            )
    bodies: dict[bytes, bytes] = {}
    rows = []
    for case_id, schedule in schedules.items():
        for d in schedule.deadlines:
            digest, text = explanation_of(d)
            bodies[digest] = text
            rows.append(
                {
                    "case": case_id,
                    "key": d.key,
                    "due": d.due,
                    "status": d.status,
                    "digest": digest,
                    "updated_at": now,
                }
            )
    await explanations.store(bodies)
    del bodies
    for start in range(0, len(rows), 5000):
        await bulk_insert(DeadlineRecord, rows[start : start + 5000])
    del rows
    await write_summaries(schedules, totals, bump_version_at)


@dataclass(frozen=True, slots=True)
class DeadlineWrites:
    """What `store_changed` writes of a chunk's deadlines (`prepare_changes`)."""

    deleted: list[tuple[int, str]]  # (case id, key) of the stored rows to delete
    rows: list[tuple[Any, ...]]  # the rows to copy in
    bodies: dict[bytes, bytes]  # the explanations they refer to, digest → JSON text
    epoch: int | None  # the bodies were written ahead (`explanations.store_ahead`)


async def prepare_changes(
    schedules: Mapping[int, Schedule], stored: Mapping[int, Mapping[str, tuple[bytes, str]]]
) -> DeadlineWrites:
    """The deadline rows that differ from `stored` (case id → {key: (explanation digest, JSON
    text)}, see `recompute_rows.stored_texts`), and their explanations written ahead on
    PostgreSQL (call outside the chunk's transaction: see `explanations.store_ahead`)."""
    deleted, rows, bodies = deadline_changes(
        {case_id: schedule.deadlines for case_id, schedule in schedules.items()},
        stored,
        datetime.now(UTC),
    )
    return DeadlineWrites(deleted, rows, bodies, await explanations.store_ahead(bodies))


async def store_changed(
    schedules: Mapping[int, Schedule],
    changes: DeadlineWrites,
    totals: Mapping[int, int] | None,
    bump_version_at: datetime,
    ledger: Collection[int] | None = None,
) -> None:
    """Like `store_schedules`, for cases whose changed rows are known (`prepare_changes`): only
    the rows that differ are deleted and copied in (the nightly recomputation and `law
    apply`). `ledger`: the cases whose ledger to refresh too (default: all)."""
    if not schedules:
        return
    # The cases' rows first: the deadline rows copied in after them find each case row
    # already updated by this transaction, and their foreign key's check takes no lock on it
    # (written first, every case row was locked, a WAL record and a dirtied page each, then
    # updated).
    await write_summaries(schedules, totals, bump_version_at, ledger)
    await write_deadlines(changes.deleted, changes.rows, changes.bodies, changes.epoch)


async def write_summaries(
    schedules: Mapping[int, Schedule],
    totals: Mapping[int, int] | None,
    bump_version_at: datetime | None,
    ledger: Collection[int] | None = None,
) -> None:
    """Each case's summary (warnings, next due, overdue since, outstanding) and ledger columns
    in one statement for all (open transaction). `ledger`: the cases whose ledger to refresh
    (default: all); the others keep their stored ledger columns.

    The nightly recomputation (`law_impact.apply`) refreshes only the ledgers never computed
    (`ledger_on` NULL): a ledger depends on the case's claims and payments alone, and every
    write of those refreshes it in its own transaction (the recompute after a claim, a
    payment, an import; the dispute flag); the law data and the day do not change it. That was
    a twentieth of a worker's CPU on a chunk and four columns of each case row written."""
    ids = list(schedules)
    refreshed = ids if ledger is None else [case_id for case_id in ids if case_id in ledger]
    ledgers = {row["id"]: row for row in await refresh_ledger_claims(refreshed)}
    if totals is None:
        totals = await outstanding_cents(ids)
    same: dict[str, object] = {}
    also = ""
    if bump_version_at is not None:
        same["updated_at"] = bump_version_at
        also = '"version" = "version" + 1'
    # Rows of one statement have the same columns: those with a refreshed ledger, the others.
    # Column by column, no dict per case (a chunk's 2 000 cases).
    for group in (
        [case_id for case_id in ids if case_id in ledgers],
        [case_id for case_id in ids if case_id not in ledgers] if ledgers else ids,
    ):
        if not group:
            continue
        warnings: list[object] = []
        next_dues: list[date | None] = []
        overdues: list[date | None] = []
        for case_id in group:
            schedule = schedules[case_id]
            warnings.append(list(schedule.warnings) if schedule.warnings else "[]")
            next_due, overdue_since = summary(schedule)
            next_dues.append(next_due)
            overdues.append(overdue_since)
        columns: dict[str, list[Any]] = {
            "warnings": warnings,
            "next_due": next_dues,
            "overdue_since": overdues,
            "outstanding_cents": [totals.get(case_id) for case_id in group],
        }
        if group[0] in ledgers:
            for column in LEDGER_COLUMNS:
                columns[column] = [ledgers[case_id][column] for case_id in group]
        await update_columns(Case, group, columns, same=same, also=also)


LEDGER_COLUMNS = ("ledger_on", "claimed_cents", "principal_due_cents", "last_paid_on")
"""The case's columns `refresh_ledger_claims` gives besides its id."""


OUR_SIDE = frozenset({"creancier", "avocat", "commissaire_de_justice"})


def summary(schedule: Schedule) -> tuple[date | None, date | None]:
    """(earliest open deadline, earliest open deadline of ours): the portfolio sorts and
    filters on them (`cases.next_due`, `cases.overdue_since`). One pass over the deadlines."""
    next_due: date | None = None
    overdue_since: date | None = None
    for d in schedule.deadlines:
        status = d.status
        if status == "pending" or status == "uncertain":
            if next_due is None or d.due < next_due:
                next_due = d.due
        elif status != "missed":
            continue
        if d.actor in OUR_SIDE and (overdue_since is None or d.due < overdue_since):
            overdue_since = d.due
    return next_due, overdue_since


def with_today(deadline: dict[str, Any], today: date | None) -> dict[str, Any]:
    """A stored pending (or uncertain) deadline whose day has passed is reported "missed" as of
    `today` (DESIGN §4: an uncertain deadline becomes missed once past, like any other)."""
    if (
        today is not None
        and deadline["status"] in ("pending", "uncertain")
        and deadline["due"] < today.isoformat()
    ):
        return {**deadline, "status": "missed"}
    return deadline


class CaseInput(NamedTuple):
    """What the engine needs to recompute one case, read in bulk with its chunk (a named
    tuple: made 2 000 times a chunk, a frozen dataclass cost five times as much)."""

    row: Mapping[str, Any]  # id, reference, procedure, court, court_department, ledger_on
    events: dict[str, RecordedEvent]
    facts: CaseFacts


CASE_COLUMNS = "id, reference, procedure, court, court_department, ledger_on"
"""The columns of a case row that `read_inputs` reads (PostgreSQL), in this order."""


async def read_inputs(
    ids: Sequence[int], cases: Sequence[Any] | None = None
) -> tuple[list[CaseInput], dict[int, int]]:
    """The inputs of the cases of `ids` (in id order) and their outstanding cents, in four
    queries whatever the number of cases (three when the caller read the case rows already:
    `cases`, records of `CASE_COLUMNS`, or a superset of them)."""
    wanted = set(ids)
    cases, event_rows, debtor_rows = await _input_rows(ids, cases)
    # Each case's latest event per key (by date, then entry order), as rows for now.
    chosen: dict[int, dict[str, tuple[int, int, str, date, Any]]] = {}
    for row in event_rows:
        case_id = row[1]
        if case_id not in wanted:
            continue
        latest = chosen.get(case_id)
        if latest is None:
            chosen[case_id] = {row[2]: row}
            continue
        current = latest.get(row[2])
        if current is None or (row[3], row[0]) >= (current[3], current[0]):
            latest[row[2]] = row
    residences = {case_id: residence for case_id, residence in debtor_rows if case_id in wanted}
    cases = [row for row in cases if row["id"] in wanted]
    totals = await outstanding_cents(ids)
    left_out: dict[str, frozenset[str]] = {}  # procedure → the amicable keys it leaves out

    def court_events(procedure: str, latest: dict[str, RecordedEvent]) -> dict[str, RecordedEvent]:
        """`amicable_left_out(procedure, latest)`, the keys to leave out found once a chunk."""
        keys = left_out.get(procedure)
        if keys is None:
            keys = left_out[procedure] = _amicable_only(procedure)
        if keys and not keys.isdisjoint(latest):
            return {k: v for k, v in latest.items() if k not in keys}
        return latest

    inputs = []
    for row in sorted(cases, key=lambda r: r["id"]):
        case_id = row["id"]
        rows = chosen.get(case_id)
        inputs.append(
            CaseInput(
                row,
                court_events(row["procedure"], _events_of(rows) if rows else {}),
                _facts(
                    row["court"],
                    row["court_department"],
                    residences.get(case_id),
                    totals.get(case_id),
                ),
            )
        )
    return inputs, totals


_facts_seen: dict[tuple[str | None, str, str | None, int | None], CaseFacts] = {}


def _facts(
    court: str | None, department: str, residence: str | None, cents: int | None
) -> CaseFacts:
    """The case's facts, the same (immutable) object for the same values within the process:
    a portfolio has few courts, departments and residences, and a frozen dataclass costs
    more to make than to find (kept at most `EVENTS_SEEN_LIMIT`, like the events)."""
    key = (court, department, residence, cents)
    facts = _facts_seen.get(key)
    if facts is None:
        if len(_facts_seen) >= EVENTS_SEEN_LIMIT:
            _facts_seen.clear()
        facts = _facts_seen[key] = CaseFacts(
            court=court,
            court_department=department,
            debtor_residence=residence,
            claim_total=None if cents is None else from_cents(cents),
        )
    return facts


EVENTS_SEEN_LIMIT = 30_000
"""Distinct stored events kept decoded between chunks (`_events_of`), at most."""

_events_seen: dict[tuple[str, date, str], RecordedEvent] = {}


def _events_of(rows: Mapping[str, tuple[int, int, str, date, Any]]) -> dict[str, RecordedEvent]:
    """The `RecordedEvent` of each (id, case, key, date, attributes) row, by key. An event
    stored with the same key, date and attributes' JSON text as one already decoded in this
    process is that same (immutable) event: a portfolio repeats its events from case to case
    (the same notices served the same days), and the engine keys its memo on each event's
    identity, kept on the event once computed. Attributes already decoded (SQLite) are
    copied as before."""
    out: dict[str, RecordedEvent] = {}
    seen = _events_seen
    for key, (_, _, _, day, text) in rows.items():
        if type(text) is str:
            memo_key = (key, day, text)
            event = seen.get(memo_key)
            if event is None:
                if len(seen) >= EVENTS_SEEN_LIMIT:
                    seen.clear()
                event = seen[memo_key] = RecordedEvent(key, day, msgspec.json.decode(text) or {})
            out[event.key] = event
        else:
            out[key] = RecordedEvent(key, day, dict(text or {}))
    return out


async def _input_rows(
    ids: Sequence[int], cases: Sequence[Any] | None = None
) -> tuple[Sequence[Any], list[Any], list[Any]]:
    """(cases: id, reference, procedure, court, court_department, ledger_on), (events: id, case, key,
    date, attributes JSON text), (debtors: case, residence) of `ids` or a superset of them: raw
    records on PostgreSQL, piccolo rows on SQLite. `cases`: already read (not read again)."""
    if postgres():
        if cases is None:
            where, args = ids_clause("id", ids)
            cases = await fetch(f"SELECT {CASE_COLUMNS} FROM cases WHERE {where}", *args)
        where, args = ids_clause('"case"', ids)
        events = await fetch(
            f'SELECT id, "case", key, date, attributes::text FROM events WHERE {where}', *args
        )
        debtors = await fetch(
            f"SELECT \"case\", residence FROM parties WHERE {where} AND role = 'debtor'", *args
        )
        return cases, events, debtors
    if cases is None:
        cases = await Case.select(
            Case.id,
            Case.reference,
            Case.procedure,
            Case.court,
            Case.court_department,
            Case.ledger_on,
        ).where(among(Case.id, ids, superset=True))
    events = [
        (row["id"], row["case"], row["key"], row["date"], row["attributes"])
        for row in await Event.select(
            Event.id, Event.case, Event.key, Event.date, Event.attributes
        ).where(among(Event.case, ids, superset=True))
    ]
    debtors = [
        (row["case"], row["residence"])
        for row in await Party.select(Party.case, Party.residence).where(
            among(Party.case, ids, superset=True) & (Party.role == "debtor")
        )
    ]
    return cases, events, debtors


MEMO_LIMIT = 100_000
"""Engine memo entries kept between chunks (bounded memory whatever the number of cases): a
memo holding more is emptied (`Engine.trim_memo`). 100 000 schedules and plan steps are
~50 MiB (100 000 bench cases fill 52 079 schedules and 113 119 plan steps: +27 MiB against
memos emptied after every chunk); at 20 000 the plan steps were emptied every ten chunks of a
100 000-case night and most cases computed again from nothing (eleventh round in
docs/performance.md)."""


async def recompute_many(
    case_ids: Sequence[int] | None = None,
    chunk: int = 2000,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Recompute and store the deadlines of many cases (all when `case_ids` is None), a chunk
    at a time; returns the number of deadlines written. Call inside a transaction."""
    if case_ids is None:
        case_ids = [row["id"] for row in await Case.select(Case.id).order_by(Case.id)]
    written = 0
    law = engine()
    for start in range(0, len(case_ids), chunk):
        ids = list(case_ids[start : start + chunk])
        inputs, totals = await read_inputs(ids)
        plans = await plan_deadlines_many(ids)
        schedules = {}
        for item in inputs:
            schedule = law.compute(item.row["procedure"], item.events, item.facts)
            metrics.deadlines_computed(len(schedule.deadlines))
            schedules[item.row["id"]] = with_plan(schedule, item.row["id"], plans)
        await store_schedules(schedules, replace=True, totals=totals)
        written += sum(len(s.deadlines) for s in schedules.values())
        law.trim_memo(MEMO_LIMIT)
        if progress is not None:
            progress(min(start + chunk, len(case_ids)), len(case_ids))
    return written
