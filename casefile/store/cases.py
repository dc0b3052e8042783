"""Case files as stored: find, list and show a case (with its parties, invoices, payments,
events, deadlines and pièces), and the optimistic lock every change takes.

The changes themselves live in `casefile.services` (cases, parties, claims, payments, events):
each runs in one transaction that bumps the case's `version` with `UPDATE … WHERE id = ? AND
version = ?` (`bump_version`: a stale `expected_version` is a Conflict, never a lost update)
and writes its audit entry.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import msgspec

from casefile.errors import Conflict, Forbidden, InputError, NotFound
from casefile.evidence.text_status import describe as describe_text
from casefile.law.money import cents_text, from_cents
from casefile.law.periods import parse_date
from casefile.law.wording import quoted
from casefile.store import audit, read_cache
from casefile.store.db import atomic, postgres
from casefile.store.ledger import outstanding_by_claim
from casefile.store.permissions import User, assigned_only, can, require
from casefile.store.recompute import AMICABLE, outstanding_cents, with_today
from casefile.store.tables import (
    Case,
    Claim,
    DeadlineRecord,
    Event,
    InvoiceReading,
    Party,
    Payment,
    Piece,
    PieceText,
    PieceVersion,
    UserAccount,
)
from casefile.store.tables.deadline import explanation_column

CLOSED_STATUSES = ("closed", "paid")
LITIGATION = "contentieux"
PHASES = (AMICABLE, LITIGATION)


def phase_of(procedure: str) -> str:
    """The phase a case opened with `procedure` starts in."""
    return AMICABLE if procedure == AMICABLE else LITIGATION


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day is not None else None


@dataclass(frozen=True)
class InvoiceIn:
    invoice_number: str
    issue_date: date
    due_date: date
    amount: Decimal  # incl. VAT
    paid: Decimal = Decimal("0")
    nature: str = "contractuelle"
    supply: str | None = (
        None  # marchandises | services | travaux  # marchandises | services | travaux
    )
    description: str = ""


@dataclass(frozen=True)
class PaymentIn:
    date: date
    amount: Decimal
    invoice_number: str | None = None
    reference: str = ""


async def user_id(name: str | None, what: str, role: str | None = None) -> int | None:
    if not name:
        return None
    row = (
        await UserAccount.select(UserAccount.id, UserAccount.role)
        .where(UserAccount.name == name)
        .first()
    )
    if row is None:
        raise InputError(f"{what} : l'utilisateur « {name} » n'existe pas")
    if role is not None and row["role"] != role:
        raise InputError(f"{what} : l'utilisateur « {name} » a le rôle {row['role']}, pas {role}")
    return int(row["id"])


# -- reading ----------------------------------------------------------------------------------


MAX_CASE_ID = 2**31 - 1  # PostgreSQL `integer`: a larger number can only be a reference


def _case_id(case: int | str) -> int | None:
    """The id `case` names, or None. `str.isdigit()` alone accepts "²" and "٣" (int() refuses
    them) and digit strings the database cannot represent: those can only be references."""
    if isinstance(case, str):
        text = case.strip()
        if not (text.isascii() and text.isdigit()):
            return None
        case = int(text)
    return case if 0 < case <= MAX_CASE_ID else None


async def find_case(case: int | str) -> dict[str, Any]:
    row = None
    case_id = _case_id(case)
    if case_id is not None:
        row = await Case.select().where(Case.id == case_id).output(load_json=True).first()
    if row is None and isinstance(case, str):
        row = (
            await Case.select().where(Case.reference == case.strip()).output(load_json=True).first()
        )
    if row is None:
        raise NotFound(f"dossier « {case} » introuvable")
    return dict(row)


def _check_read(row: dict[str, Any], actor: User) -> None:
    require(actor, "case.read")
    if assigned_only(actor.role) and row["commissaire"] != actor.id:
        # Names nothing: a refusal must not reveal which reference an id belongs to.
        raise Forbidden("ce dossier ne vous est pas attribué")


async def resolve_case(case: int | str, actor: User) -> dict[str, Any]:
    """The case row for a reader allowed to see it (id, digit string or reference)."""
    row = await find_case(case)
    _check_read(row, actor)
    return row


async def _user_names(ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    rows = await UserAccount.select(UserAccount.id, UserAccount.name).where(
        UserAccount.id.is_in(list(ids))
    )
    return {row["id"]: row["name"] for row in rows}


def _next_deadline(deadlines: list[dict[str, Any]], today: date | None) -> dict[str, Any] | None:
    """The earliest deadline still to meet (pending or uncertain); "missed" if already past."""
    open_ = [d for d in deadlines if d["status"] in ("pending", "uncertain")]
    if not open_:
        return None
    return with_today(min(open_, key=lambda d: (d["due"], d["key"])), today)


def _summary(
    row: dict[str, Any],
    debtor: str | None,
    total: int | None,
    deadlines: list[dict[str, Any]],
    names: dict[int, str],
    today: date | None,
) -> dict[str, Any]:
    return {
        "id": row["id"],
        "reference": row["reference"],
        "procedure": row["procedure"],
        "court": row["court"],
        "court_department": row["court_department"],
        "court_id": row.get("court_id"),
        "debtor": debtor,
        "claim_total": cents_text(total) if total is not None else None,
        "next_deadline": _next_deadline(deadlines, today),
        "lawyer": names.get(row["lawyer"]) if row["lawyer"] else None,
        "commissaire": names.get(row["commissaire"]) if row["commissaire"] else None,
        "status": row["status"],
        "phase": row.get("phase") or phase_of(row["procedure"]),
        "handed_over_on": _iso(row.get("handed_over_on")),
        "version": row["version"],
    }


async def list_cases(actor: User, today: date | None = None) -> list[dict[str, Any]]:
    """Every case the actor may read, by reference, with its next deadline."""
    require(actor, "case.read")
    query = Case.select().order_by(Case.reference)
    if assigned_only(actor.role):
        query = query.where(Case.commissaire == actor.id)
    rows = await query.output(load_json=True)
    ids = [row["id"] for row in rows]
    if not ids:
        return []
    scoped = None if not assigned_only(actor.role) else ids
    debtors_q = Party.select(Party.case, Party.name).where(Party.role == "debtor")
    deadlines_q = DeadlineRecord.select(DeadlineRecord.case, explanation_column()).where(
        DeadlineRecord.status.is_in(["pending", "uncertain"])
    )
    if scoped is not None:
        debtors_q = debtors_q.where(Party.case.is_in(scoped))
        deadlines_q = deadlines_q.where(DeadlineRecord.case.is_in(scoped))
    debtors = {r["case"]: r["name"] for r in await debtors_q}
    pending: dict[int, list[dict[str, Any]]] = {}
    for r in await deadlines_q.output(load_json=True):
        pending.setdefault(r["case"], []).append(r["explanation"])
    totals = await outstanding_cents(scoped)
    names = await _user_names({row[c] for row in rows for c in ("lawyer", "commissaire") if row[c]})
    return [
        _summary(
            row,
            debtors.get(row["id"]),
            totals.get(row["id"]),
            pending.get(row["id"], []),
            names,
            today,
        )
        for row in rows
    ]


PARTY_FIELDS = (
    "id",
    "name",
    "kind",
    "person_or_company",
    "siren",
    "address",
    "residence",
    "category",
    "legal_form",
    "siret",
    "rcs_city",
    "street",
    "postcode",
    "city",
    "country",
    "representative",
    "civility",
    "first_name",
    "email",
    "phone",
)


def _party_dict(row: dict[str, Any] | None) -> dict[str, Any] | None:
    if row is None:
        return None
    return {key: row[key] for key in PARTY_FIELDS}


async def case_deadlines(
    case: int | str, actor: User, today: date | None = None
) -> list[dict[str, Any]]:
    """The API's hottest read: by id, one query for the case and its stored deadlines."""
    case_id = _case_id(case)
    if case_id is not None:
        # Raw SQL: piccolo's query building costs more CPU than the database's answer.
        rows = await Case.raw(
            "SELECT c.id, c.reference, c.commissaire, e.body AS explanation"
            ' FROM cases c LEFT JOIN deadlines d ON d."case" = c.id'
            " LEFT JOIN explanations e ON e.digest = d.digest WHERE c.id = {}",
            case_id,
        )
        if rows:
            _check_read(rows[0], actor)
            return _sorted_deadlines(
                [_json(r["explanation"]) for r in rows if r["explanation"] is not None], today
            )
    row = await resolve_case(case, actor)
    return await _deadlines(row["id"], today)


async def case_deadlines_json(case: int | str, actor: User, today: date | None = None) -> bytes:
    """`case_deadlines` as the JSON array the API sends, built from the stored texts without
    decoding them (only a deadline that `today` turns "missed" is decoded and re-encoded);
    the order (due, key) is done by the database, keys compared byte by byte as Python does.
    The rows are kept a few seconds in `read_cache.DEADLINES` (PostgreSQL; emptied on any
    change to the case's deadlines or assignment)."""
    case_id = _case_id(case)
    if case_id is None:
        case_id = (await resolve_case(case, actor))["id"]
    stored = read_cache.DEADLINES.lookup(case_id)
    if stored is None:
        await read_cache.listen()
        seen = read_cache.generation()
        stored = await _stored_deadlines(case_id)
        if stored is None:
            await resolve_case(case, actor)  # NotFound, in the store's words
            raise NotFound(f"dossier « {case} » introuvable")
        read_cache.DEADLINES.keep(case_id, stored, seen)
    _check_read(stored.case, actor)
    late = today.isoformat() if today is not None else None
    parts = [
        text
        if late is None or status not in ("pending", "uncertain") or due >= late
        else msgspec.json.encode(with_today(msgspec.json.decode(text), today))
        for status, due, text in stored.deadlines
    ]
    return b"[" + b",".join(parts) + b"]"


@dataclass(frozen=True)
class StoredDeadlines:
    case: dict[str, Any]  # what the read check needs: reference, commissaire
    deadlines: tuple[tuple[str, str, bytes], ...]  # (status, due ISO, stored JSON), in order


async def _stored_deadlines(case_id: int) -> StoredDeadlines | None:
    order = 'd.due, d.key COLLATE "C"' if postgres() else "d.due, d.key"
    rows = await Case.raw(
        "SELECT c.reference, c.commissaire, d.status, d.due, e.body AS explanation"
        ' FROM cases c LEFT JOIN deadlines d ON d."case" = c.id'
        " LEFT JOIN explanations e ON e.digest = d.digest WHERE c.id = {}"
        f" ORDER BY {order}",
        case_id,
    )
    if not rows:
        return None
    head = {"reference": rows[0]["reference"], "commissaire": rows[0]["commissaire"]}
    return StoredDeadlines(
        head,
        tuple(
            (
                row["status"],
                str(row["due"]),
                text.encode() if isinstance(text, str) else msgspec.json.encode(text),
            )
            for row in rows
            if (text := row["explanation"]) is not None
        ),
    )


def _json(value: str | dict[str, Any]) -> dict[str, Any]:
    return json.loads(value) if isinstance(value, str) else value


async def _deadlines(case_id: int, today: date | None) -> list[dict[str, Any]]:
    rows = (
        await DeadlineRecord.select(explanation_column())
        .where(DeadlineRecord.case == case_id)
        .output(load_json=True)
    )
    return _sorted_deadlines([r["explanation"] for r in rows], today)


def _sorted_deadlines(stored: list[dict[str, Any]], today: date | None) -> list[dict[str, Any]]:
    deadlines = [with_today(d, today) for d in stored]
    return sorted(deadlines, key=lambda d: (d["due"], d["key"]))


async def get_case(case: int | str, actor: User, today: date | None = None) -> dict[str, Any]:
    from casefile.store.documents import list_documents

    row = await resolve_case(case, actor)
    result = await full_case(row, today)
    result["documents"] = [
        {k: d[k] for k in ("id", "template", "version", "sha256", "size", "created_at")}
        for d in (
            await list_documents(row["id"], actor) if can(actor.role, "document.read") else []
        )
    ]
    return result


async def full_case(row: dict[str, Any], today: date | None) -> dict[str, Any]:
    case_id = row["id"]
    parties = {p["role"]: p for p in await Party.select().where(Party.case == case_id)}
    claims = await Claim.select().where(Claim.case == case_id).order_by(Claim.due_date)
    claim_numbers = {c["id"]: c["invoice_number"] for c in claims}
    payments = await Payment.select().where(Payment.case == case_id).order_by(Payment.date)
    events = (
        await Event.select()
        .where(Event.case == case_id)
        .order_by(Event.date)
        .order_by(Event.id)
        .output(load_json=True)
    )
    deadlines = await _deadlines(case_id, today)
    totals = await outstanding_cents([case_id])
    # Each invoice's principal still owed after every payment (named ones to their invoice,
    # the others to the oldest due first: C. civ. art. 1342-10), as the aged balance has it.
    owed = outstanding_by_claim(claims, payments)
    names = await _user_names({row[c] for c in ("lawyer", "commissaire") if row[c]})
    debtor = parties.get("debtor")
    result = _summary(
        row,
        debtor["name"] if debtor else None,
        totals.get(case_id),
        [d for d in deadlines if d["status"] in ("pending", "uncertain", "missed")],
        names,
        today,
    )
    if result["next_deadline"] is None:
        missed = [d for d in deadlines if d["status"] == "missed"]
        result["next_deadline"] = missed[0] if missed else None
    result.update(
        {
            "creditor": _party_dict(parties.get("creditor")),
            "debtor_party": _party_dict(debtor),
            "claims": [
                {
                    "id": c["id"],
                    "invoice_number": c["invoice_number"],
                    "issue_date": c["issue_date"].isoformat(),
                    "due_date": c["due_date"].isoformat(),
                    "amount": cents_text(c["amount_cents"]),
                    "paid": cents_text(c["paid_cents"]),
                    "outstanding": cents_text(owed.get(c["id"], 0)),
                    "nature": c["nature"],
                    "supply": c["supply"],
                    "description": c["description"],
                }
                for c in claims
            ],
            "payments": [
                {
                    "id": p["id"],
                    "date": p["date"].isoformat(),
                    "amount": cents_text(p["amount_cents"]),
                    "invoice_number": claim_numbers.get(p["claim"]),
                    "reference": p["reference"],
                }
                for p in payments
            ],
            "events": [
                {
                    "id": e["id"],
                    "key": e["key"],
                    "date": e["date"].isoformat(),
                    "attributes": e["attributes"] or {},
                }
                for e in events
            ],
            "deadlines": deadlines,
            "evidence": await _evidence(case_id, claims, parties),
            "warnings": row["warnings"] or [],
            "created_at": row["created_at"].isoformat(),
            "updated_at": row["updated_at"].isoformat(),
        }
    )
    return result


def _facturx_disagreements(
    data: dict[str, Any] | None, claims: list[dict[str, Any]], parties: dict[str, dict[str, Any]]
) -> list[str]:
    """Where a pièce's e-invoice differs from the case (claim of the same number, parties)."""
    from casefile.evidence import facturx

    invoice = facturx.invoice_from_json(data)
    if invoice is None:
        return []
    claim = next((c for c in claims if c["invoice_number"] == invoice.number), None)

    def party(role: str) -> facturx.RecordedParty | None:
        row = parties.get(role)
        return facturx.RecordedParty(row["name"], row["siren"]) if row else None

    recorded = (
        facturx.RecordedClaim(
            claim["invoice_number"],
            claim["issue_date"],
            claim["due_date"],
            from_cents(claim["amount_cents"]),
            from_cents(claim["paid_cents"]),
        )
        if claim
        else None
    )
    return facturx.disagreements(invoice, recorded, party("debtor"), party("creditor"))


async def _evidence(
    case_id: int,
    claims: list[dict[str, Any]] | None = None,
    parties: dict[str, dict[str, Any]] | None = None,
) -> list[dict[str, Any]]:
    pieces = (
        await Piece.select()
        .where(
            (Piece.case == case_id) & (Piece.deleted == False)  # noqa: E712
        )
        .order_by(Piece.number)
        .output(load_json=True)
    )
    if not pieces:
        return []
    versions = {
        (v["piece"], v["version"]): v
        for v in await PieceVersion.select().where(
            PieceVersion.piece.is_in([p["id"] for p in pieces])
        )
    }
    texts = {
        row["version"]: row
        for row in await PieceText.select(
            PieceText.version,
            PieceText.status,
            PieceText.method,
            PieceText.pages,
            PieceText.ocr_pages,
            PieceText.message,
        ).where(PieceText.version.is_in([v["id"] for v in versions.values()] or [0]))
    }
    readings = {
        (r["piece"], r["version"]): r
        for r in await InvoiceReading.select(
            InvoiceReading.piece,
            InvoiceReading.version,
            InvoiceReading.status,
            InvoiceReading.invoice,
            InvoiceReading.claim,
        )
        .where(InvoiceReading.piece.is_in([p["id"] for p in pieces]))
        .output(load_json=True)
    }
    out = []
    for p in pieces:
        current = versions.get((p["id"], p["current_version"]))
        reading = readings.get((p["id"], p["current_version"]))
        out.append(
            {
                "id": p["id"],
                "piece": p["number"],
                "kind": p["kind"],
                "date": p["date"].isoformat() if p["date"] else None,
                "description": p["description"],
                "invoice_numbers": p["invoice_numbers"] or [],
                "version": p["current_version"],
                "sha256": current["sha256"] if current else None,
                "size": current["size"] if current else None,
                "mime": current["mime"] if current else None,
                "filename": current["original_filename"] if current else None,
                "text": describe_text(texts.get(current["id"]) if current else None),
                # The e-invoice read in it (Factur-X), if any: issue 16 item 3.
                "facturx": None
                if reading is None
                else {
                    "status": reading["status"],
                    "invoice_number": (reading["invoice"] or {}).get("number"),
                    "claim": reading["claim"],
                    "disagreements": _facturx_disagreements(
                        reading["invoice"], claims or [], parties or {}
                    ),
                },
            }
        )
    return out


# -- writing ----------------------------------------------------------------------------------


VERSION_MAX = 2**31 - 1
"""The version column is a 32-bit integer on PostgreSQL."""


async def bump_version(row: dict[str, Any], expected_version: int | None) -> int:
    """The case's next version, taking the case row's lock for the rest of the transaction.

    With `expected_version`: `… WHERE id = ? AND version = ?`, 0 rows → Conflict. Without
    it nothing can conflict: the increment is unconditional, so concurrent writers queue on
    the row lock (PostgreSQL) or the write lock (SQLite) and each gets its own version."""
    if expected_version is not None and not 0 <= expected_version <= VERSION_MAX:
        raise InputError(
            f"expected_version {expected_version} est hors limites (0 à {VERSION_MAX})"
        )
    condition = Case.id == row["id"]
    if expected_version is not None:
        condition = condition & (Case.version == expected_version)
    updated = (
        await Case.update({Case.version: Case.version + 1, Case.updated_at: datetime.now(UTC)})
        .where(condition)
        .returning(Case.version)
    )
    if not updated:
        current = await Case.select(Case.version).where(Case.id == row["id"]).first()
        now = current["version"] if current else row["version"]
        raise Conflict(
            f"le dossier {quoted(row['reference'])} a changé depuis la version {expected_version} "
            f"(version actuelle : {now}) : rechargez-le et recommencez"
        )
    return int(updated[0]["version"])


async def assign(
    case: int | str,
    actor: User,
    lawyer: str | None = None,
    commissaire: str | None = None,
    expected_version: int | None = None,
) -> dict[str, Any]:
    """Assign the lawyer and/or the commissaire de justice of a case."""
    require(actor, "case.write")
    async with atomic():
        row = await resolve_case(case, actor)
        values: dict[Any, Any] = {}
        if lawyer is not None:
            values[Case.lawyer] = await user_id(lawyer, "lawyer")
        if commissaire is not None:
            values[Case.commissaire] = await user_id(
                commissaire, "commissaire", "commissaire_de_justice"
            )
        version = await bump_version(row, expected_version)
        if values:
            await Case.update(values).where(Case.id == row["id"])
        await audit.record(
            actor,
            "case.assign",
            "case",
            row["id"],
            {"lawyer": row["lawyer"], "commissaire": row["commissaire"]},
            {"lawyer": lawyer, "commissaire": commissaire, "version": version},
        )
    return await get_case(row["id"], actor)


async def claim_statement(case: int | str, actor: User, as_of: date) -> dict[str, Any]:
    """The claim statement (principal, interest, indemnities) computed by casefile.law.claims."""
    from casefile.store.statement import statement_for

    row = await resolve_case(case, actor)
    statement: dict[str, Any] = await statement_for(row, as_of)
    return statement


def parse_day(text: object, what: str) -> date:
    return parse_date(text, what)


__all__ = [
    "InvoiceIn",
    "PaymentIn",
    "assign",
    "bump_version",
    "case_deadlines",
    "claim_statement",
    "find_case",
    "from_cents",
    "full_case",
    "get_case",
    "list_cases",
    "resolve_case",
    "user_id",
]
