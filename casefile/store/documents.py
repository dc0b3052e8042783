"""Generated documents of a case: the typed data a pleading is built from, and their storage.

`case_document_data` turns a stored case into a `casefile.documents.context.CaseDocumentData`;
`create_document` renders a template, stores the .docx in the object store (content-addressed
by SHA-256) and records it in the `documents` table, version n + 1 for the same template.

What the database does not know is never invented: a court's address, a seat city outside the
small table below, a missing lawyer are written as bracketed "à compléter" placeholders that the
lawyer fills in Word, and each one is listed in the returned notes.
"""

from __future__ import annotations

import asyncio
import io
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any, Literal

from casefile.documents.context import (
    COURT_KINDS,
    CaseDocumentData,
    ClaimSummary,
    Company,
    Court,
    CourtKind,
    DeadlineLine,
    InterestPeriod,
    InvoiceLine,
    Party,
    Person,
    Piece,
)
from casefile.errors import InputError, NotFound
from casefile.evidence.bundle import BordereauLine
from casefile.evidence.objects import ObjectStore
from casefile.store.permissions import User, require

TJ_SEATS: dict[str, str] = {
    "75": "Paris",
    "78": "Versailles",
    "92": "Nanterre",
    "93": "Bobigny",
    "94": "Créteil",
    "95": "Pontoise",
    "2A": "Ajaccio",
    "2B": "Bastia",
    "972": "Fort-de-France",
    "973": "Cayenne",
    "976": "Mamoudzou",
}
"""Departments with a single tribunal judiciaire, so the department names the court. Elsewhere
(67: Strasbourg and Saverne; 971: Pointe-à-Pitre and Basse-Terre…) the seat depends on the
debtor's commune, which the case does not record: the court is left to complete."""

LOCAL_LAW = frozenset({"57", "67", "68"})
"""Alsace-Moselle: no tribunal de commerce; commercial cases go to the chambre commerciale of
the tribunal judiciaire (local law)."""

ADDRESS_PLACEHOLDER = "[adresse du greffe à compléter]"
PLACE_PLACEHOLDER = "[lieu à compléter]"
LAWYER_PLACEHOLDER = "[avocat à compléter]"
COMMISSAIRE_PLACEHOLDER = "[commissaire de justice à compléter]"
RATE_MISSING = "no rate known"
MAX_RATE_FALLBACK = 2  # semesters stepped back at most when a rate is not yet published

_CIVILITIES: dict[str, Literal["Monsieur", "Madame"]] = {
    "m.": "Monsieur",
    "m": "Monsieur",
    "mr": "Monsieur",
    "mr.": "Monsieur",
    "monsieur": "Monsieur",
    "mme": "Madame",
    "mme.": "Madame",
    "madame": "Madame",
}
_LEGAL_FORMS = (
    "SASU",
    "SAS",
    "SARL",
    "EURL",
    "SA",
    "SNC",
    "SCI",
    "SCS",
    "SCA",
    "SCP",
    "SELARL",
    "SELAS",
    "SCOP",
    "GIE",
)
_WORD = re.compile(r"[\w.]+", re.UNICODE)


@dataclass(frozen=True)
class DocumentSource:
    """The data for the templates, and what the lawyer must know about how it was built."""

    data: CaseDocumentData
    notes: tuple[str, ...]


# -- building the data -------------------------------------------------------------------------


def court_for(kind: str | None, department: str) -> tuple[Court, str, list[str]]:
    """The court, the place documents are written from, and notes on what is left to fill."""
    notes = [f"Adresse du tribunal non enregistrée : {ADDRESS_PLACEHOLDER} à remplir."]
    court_kind: CourtKind = "tribunal_judiciaire"
    if kind in COURT_KINDS:
        court_kind = "tribunal_de_commerce" if kind == "tribunal_de_commerce" else court_kind
    elif kind is not None:
        notes.append(
            f"La procédure se déroule devant un {kind.replace('_', ' ')} : le tribunal "
            "judiciaire n'est nommé qu'à titre de juridiction compétente en cas de contestation."
        )
    seat = TJ_SEATS.get(department)
    if court_kind == "tribunal_de_commerce":
        if department in LOCAL_LAW:
            name = (
                "Tribunal judiciaire compétent, chambre commerciale "
                f"(département {department}, droit local)"
            )
        else:
            name = f"Tribunal de commerce compétent (département {department})"
        notes.append(f"Tribunal à préciser : « {name} ».")
    elif seat is not None:
        name = f"Tribunal judiciaire {_of(seat)}"
    else:
        name = f"Tribunal judiciaire compétent (département {department})"
        notes.append(
            f"Le département {department} compte plusieurs tribunaux judiciaires ou n'est pas "
            f"dans la table des sièges : tribunal à préciser (« {name} »)."
        )
    place = seat or PLACE_PLACEHOLDER
    if seat is None:
        notes.append(f"Lieu de rédaction inconnu : {PLACE_PLACEHOLDER} à remplir.")
    return Court(court_kind, name, ADDRESS_PLACEHOLDER), place, notes


def _of(city: str) -> str:
    """French elision: "de Paris", "d'Ajaccio"."""
    return f"d'{city}" if city[0] in "AEIOUÉÈÊ" else f"de {city}"


def _legal_form(name: str) -> str | None:
    words = {w.strip(".").upper() for w in _WORD.findall(name)}
    return next((form for form in _LEGAL_FORMS if form in words), None)


def party_for(row: dict[str, Any], role: str) -> Party:
    """A stored party as the documents' `Company` or `Person`; InputError names what is missing."""
    who = "creditor" if role == "creditor" else "debtor"
    name = row["name"].strip()
    address = row["address"].strip() or "[adresse à compléter]"
    if row["person_or_company"] == "societe":
        siren = row["siren"]
        if not siren:
            raise InputError(
                f"{who} {name!r} is a company without a SIREN: a pleading identifies a company "
                "by its SIREN (record it on the party)"
            )
        return Company(
            name=name,
            legal_form=_legal_form(name) or "[forme sociale à compléter]",
            share_capital=None,
            rcs_city=None,
            siren=siren,
            address=address,
        )
    first, _, rest = name.partition(" ")
    civility = _CIVILITIES.get(first.lower())
    if civility is None or not rest.strip():
        raise InputError(
            f"{who} {name!r} is a natural person: write the name with its civility, "
            "e.g. 'Madame Élise Martin' or 'M. Jean Dupont', so the pleading can designate them"
        )
    given, _, family = rest.strip().partition(" ")
    return Person(
        civility=civility,
        first_name=given if family else "",
        last_name=family or given,
        address=address,
        professional=row["kind"] == "professionnel",
    )


def _decimal(text: str) -> Decimal:
    return Decimal(text)


async def _statement(case_row: dict[str, Any], as_of: date) -> tuple[dict[str, Any], list[str]]:
    """The claim statement as of `as_of`, or as of the last day whose rates are published.

    Rates are published per half-year; a document dated in a semester whose rate is not yet in
    procedures/parameters.toml is computed up to the end of the previous semester, and says so
    (the décompte states its own "arrêté au" date), rather than refusing the whole document.
    """
    from casefile.law.claims import semester_of
    from casefile.store.statement import statement_for

    notes: list[str] = []
    day = as_of
    for _ in range(MAX_RATE_FALLBACK + 1):
        try:
            return await statement_for(case_row, day), notes
        except InputError as error:
            if not str(error).startswith(RATE_MISSING):
                raise
            previous = semester_of(day)[0] - timedelta(days=1)
            notes.append(
                f"Intérêts arrêtés au {previous.isoformat()} au lieu du {day.isoformat()} : "
                f"{error}."
            )
            day = previous
    raise InputError(
        f"case {case_row['reference']}: no published interest rate for the "
        f"{MAX_RATE_FALLBACK + 1} semesters up to {as_of.isoformat()}; update parameters.toml"
    )


def _claim(statement: dict[str, Any]) -> ClaimSummary:
    principal = _decimal(statement["principal_outstanding"])
    interest = _decimal(statement["interest_outstanding"])
    indemnities = _decimal(statement["indemnities"])
    return ClaimSummary(
        principal=principal,
        interest=interest,
        indemnities=indemnities,
        costs=Decimal("0.00"),
        total=principal + interest + indemnities,
        as_of=date.fromisoformat(statement["as_of"]),
        interest_periods=tuple(
            InterestPeriod(
                invoice_number=line["invoice"],
                start=date.fromisoformat(line["start"]),
                end=date.fromisoformat(line["end"]),
                base=_decimal(line["base"]),
                rate_percent=_decimal(line["rate"]),
                days=int(line["days"]),
                amount=_decimal(line["amount"]),
            )
            for line in statement["interest_lines"]
        ),
    )


def _invoices(case: dict[str, Any], statement: dict[str, Any]) -> tuple[InvoiceLine, ...]:
    balances = {b["number"]: b for b in statement["invoices"]}
    lines = []
    for claim in case["claims"]:
        amount = _decimal(claim["amount"])
        balance = balances.get(claim["invoice_number"])
        outstanding = (
            _decimal(balance["principal_outstanding"])
            if balance
            else _decimal(claim["outstanding"])
        )
        lines.append(
            InvoiceLine(
                number=claim["invoice_number"],
                issue_date=date.fromisoformat(claim["issue_date"]),
                due_date=date.fromisoformat(claim["due_date"]),
                amount=amount,
                paid=amount - outstanding,
            )
        )
    return tuple(lines)


def _latest_event(case: dict[str, Any], key: str) -> dict[str, Any] | None:
    matching = [e for e in case["events"] if e["key"] == key]
    return matching[-1] if matching else None


def _hearing_time(event: dict[str, Any] | None) -> time | None:
    value = (event or {}).get("attributes", {}).get("heure")
    if not isinstance(value, str):
        return None
    try:
        return time.fromisoformat(value)
    except ValueError:
        return None


def _payment_deadline(case: dict[str, Any], today: date) -> tuple[date, list[str]]:
    """The recorded end of the mise en demeure's delay, else today + the procedure's default."""
    from casefile.definitions import engine
    from casefile.law.periods import add_period

    for deadline in case["deadlines"]:
        if deadline["key"] == "paiement_mise_en_demeure":
            return date.fromisoformat(deadline["due"]), []
    rule = next(
        r for r in engine().procedure("amiable").deadlines if r.key == "paiement_mise_en_demeure"
    )
    due = add_period(today, rule.period)
    return due, [
        f"Délai de paiement : {rule.period} à compter du {today.isoformat()} (délai par défaut "
        "de procedures/amiable.toml, la mise en demeure n'étant pas encore enregistrée)."
    ]


async def case_document_data(case: int | str, actor: User, today: date) -> DocumentSource:
    """Everything a template may need, read from the stored case as of `today`."""
    from casefile.store.cases import get_case, resolve_case
    from casefile.store.tables import Party as PartyRow

    require(actor, "document.read")
    row = await resolve_case(case, actor)
    full = await get_case(row["id"], actor, today=today)
    parties = {p["role"]: p for p in await PartyRow.select().where(PartyRow.case == row["id"])}
    if "creditor" not in parties or "debtor" not in parties:
        raise InputError(f"case {row['reference']} lacks its creditor or its debtor")
    court, place, notes = court_for(row["court"], row["court_department"])
    statement, rate_notes = await _statement(row, today)
    notes.extend(rate_notes)
    notes.extend(f"Décompte : {note}" for note in statement["notes"])
    payment_deadline, payment_notes = _payment_deadline(full, today)
    notes.extend(payment_notes)
    lawyer = full.get("lawyer") or LAWYER_PLACEHOLDER
    commissaire = full.get("commissaire") or COMMISSAIRE_PLACEHOLDER
    if lawyer == LAWYER_PLACEHOLDER:
        notes.append(f"Aucun avocat assigné : {LAWYER_PLACEHOLDER} à remplir.")
    if commissaire == COMMISSAIRE_PLACEHOLDER:
        notes.append(f"Aucun commissaire de justice assigné : {COMMISSAIRE_PLACEHOLDER} à remplir.")
    hearing = _latest_event(full, "audience")
    ordonnance = _latest_event(full, "ordonnance_rendue")
    data = CaseDocumentData(
        reference=row["reference"],
        procedure=row["procedure"],
        creditor=party_for(parties["creditor"], "creditor"),
        debtor=party_for(parties["debtor"], "debtor"),
        court=court,
        lawyer_name=lawyer,
        commissaire_name=commissaire,
        claim=_claim(statement),
        place=place,
        document_date=today,
        invoices=_invoices(full, statement),
        pieces=tuple(
            Piece(
                number=p["piece"],
                kind=p["kind"],
                description=p["description"] or p["kind"],
                date=date.fromisoformat(p["date"]) if p["date"] else None,
            )
            for p in full["evidence"]
            if p["piece"] is not None
        ),
        deadlines=tuple(
            DeadlineLine(d["label"], date.fromisoformat(d["due"]), d["basis"])
            for d in full["deadlines"]
            if d["status"] in ("pending", "uncertain", "missed")
        ),
        hearing_date=date.fromisoformat(hearing["date"]) if hearing else None,
        hearing_time=_hearing_time(hearing),
        ordonnance_date=date.fromisoformat(ordonnance["date"]) if ordonnance else None,
        payment_deadline=payment_deadline,
    )
    return DocumentSource(data, tuple(notes))


def bordereau_renderer(data: CaseDocumentData) -> Callable[[Sequence[BordereauLine]], bytes]:
    """The bundle's `render_docx`: the `bordereau_pieces` template over the bundle's own lines."""
    from casefile.documents.render import render

    def render_docx(lines: Sequence[BordereauLine]) -> bytes:
        pieces = [
            Piece(
                number=line.number,
                kind="",
                description=(
                    f"{line.title} — {line.description}"
                    if line.description and line.description not in line.title
                    else line.title
                ),
                date=line.date,
            )
            for line in lines
        ]
        return render("bordereau_pieces", replace(data, pieces=tuple(pieces)))

    return render_docx


# -- storing generated documents ---------------------------------------------------------------


def _document_dict(row: dict[str, Any], reference: str) -> dict[str, Any]:
    from casefile.evidence.names import safe_name

    return {
        "id": row["id"],
        "case": row["case"],
        "template": row["template"],
        "version": row["version"],
        "sha256": row["sha256"],
        "size": row["size"],
        "created_by": row["created_by"],
        "created_at": row["created_at"].isoformat(),
        "filename": safe_name(f"{reference} - {row['template']} v{row['version']}.docx"),
    }


async def create_document(
    case: int | str,
    template: str,
    actor: User,
    today: date,
    store: ObjectStore | None = None,
) -> dict[str, Any]:
    """Render `template` for the case, store the bytes, record version n + 1; with `notes`.

    When the case calls for another variant of `template` (manifest `otherwise`), that variant
    is rendered and stored under its own key, and the first note says why."""
    from casefile.documents.render import render
    from casefile.documents.selection import select_template
    from casefile.evidence.backends import open_store
    from casefile.store import audit
    from casefile.store.db import atomic
    from casefile.store.tables import Document

    require(actor, "document.write")
    source = await case_document_data(case, actor, today)
    # The variant that fits the claim (e.g. the art. 753 assignation below the avocat
    # threshold) replaces the one asked for; the returned notes say so.
    template, swapped = select_template(template, source.data)
    if swapped:
        source = replace(source, notes=(swapped, *source.notes))
    content = await asyncio.to_thread(render, template, source.data)
    target = store or open_store()
    stored = await asyncio.to_thread(target.put_stream, io.BytesIO(content))
    case_id = (await _case_row(case, actor))["id"]
    async with atomic(f"document {template} of case {case_id}"):
        count = await Document.count().where(
            (Document.case == case_id) & (Document.template == template)
        )
        rows = await Document.insert(
            Document(
                case=case_id,
                template=template,
                sha256=stored.sha256,
                size=stored.size,
                version=count + 1,
                created_by=actor.name,
                created_at=datetime.now(UTC),
            )
        )
        document_id = rows[0]["id"]
        await audit.record(
            actor,
            "document.create",
            "document",
            document_id,
            None,
            {"case": case_id, "template": template, "version": count + 1, "sha256": stored.sha256},
        )
    result = await get_document(document_id, actor)
    result["notes"] = list(source.notes)
    return result


async def _case_row(case: int | str, actor: User) -> dict[str, Any]:
    from casefile.store.cases import resolve_case

    return await resolve_case(case, actor)


async def list_documents(case: int | str, actor: User) -> list[dict[str, Any]]:
    """The case's generated documents, oldest first."""
    from casefile.store.tables import Document

    require(actor, "document.read")
    row = await _case_row(case, actor)
    rows = await Document.select().where(Document.case == row["id"]).order_by(Document.id)
    return [_document_dict(r, row["reference"]) for r in rows]


async def get_document(document_id: int, actor: User) -> dict[str, Any]:
    """One generated document, after the read check on its case."""
    from casefile.store.tables import Document

    require(actor, "document.read")
    row = await Document.select().where(Document.id == document_id).first()
    if row is None:
        raise NotFound(f"document id {document_id} does not exist")
    case_row = await _case_row(row["case"], actor)
    return _document_dict(row, case_row["reference"])


async def referenced_documents() -> list[tuple[str, int]]:
    """(sha256, size) of every generated document: objects `evidence verify` must not call
    orphans (documents share the object store with the pièces)."""
    from casefile.store.tables import Document

    rows = await Document.select(Document.sha256, Document.size)
    return [(r["sha256"], r["size"]) for r in rows]


__all__ = [
    "DocumentSource",
    "bordereau_renderer",
    "case_document_data",
    "court_for",
    "create_document",
    "get_document",
    "list_documents",
    "party_for",
    "referenced_documents",
]
