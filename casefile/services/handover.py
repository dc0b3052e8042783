"""Handover to litigation (issue 17 item 3): one action turns an amicable file (phase
`amiable`) into a litigation case (phase `contentieux`) in the procedure chosen from the advice.

The file stays the same case: its invoices, payments, pièces, mise en demeure and reminder
history are carried as they are — the requête and the assignation cite them (document fields
`date_mise_en_demeure`, `relances`, `date_transmission_contentieux`). The amicable events
(`mise_en_demeure_envoyee`, `reconnaissance_dette`…) stay in the case's history; the deadlines
of the new procedure are computed without those it does not define
(`casefile.store.recompute.compute`), while the claim statement still reads the mise en demeure
(interest from its date, C. civ. art. 1344-1). Every court procedure defines
`mise_en_demeure_envoyee` too, as a fact that starts none of its deadlines: a case opened
directly in court records its earlier letter under the same key.

The procedure is the first one the advice says is open (`casefile.law.advice`), or the one the
person chose among those the advice does not close. Reminder scenarios run only on `amiable`
cases: the handover stops them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from casefile import clock
from casefile.definitions import engine
from casefile.errors import Conflict, InputError
from casefile.labels import PROCEDURES as PROCEDURE_LABELS
from casefile.services.courts import court_fits
from casefile.store import audit
from casefile.store.advice import advice_from_case
from casefile.store.cases import LITIGATION, bump_version, full_case, resolve_case
from casefile.store.db import atomic
from casefile.store.permissions import User, require
from casefile.store.recompute import AMICABLE, recompute_case
from casefile.store.tables import Case, Claim, Court, Event, Piece


@dataclass(frozen=True)
class Choice:
    procedure: str
    court: str | None
    uncertain: bool  # the advice could not say whether it is open (its reasons say why)
    reasons: tuple[str, ...]


def _label(procedure: str) -> str:
    return PROCEDURE_LABELS.get(procedure, procedure)


def choose(advice: dict[str, Any], wanted: str | None) -> Choice:
    """The procedure to hand over to: `wanted` if the advice does not close it, else the first
    one the advice opens. A clear French refusal otherwise."""
    offered = [p for p in advice["procedures"] if p["procedure"] != AMICABLE]
    if not offered:
        raise InputError(
            "aucune facture impayée enregistrée : rien à transmettre au contentieux "
            "(ajouter les factures d'abord)"
        )
    if wanted:
        found = next((p for p in offered if p["procedure"] == wanted), None)
        if found is None:
            known = ", ".join(p["procedure"] for p in offered)
            raise InputError(f"procédure « {wanted} » inconnue (choisir parmi : {known})")
        if found["open"] is False:
            why = " ; ".join(r["text"] for r in found["reasons"])
            raise InputError(f"{_label(wanted)} : procédure fermée selon le conseil — {why}")
    else:
        found = next((p for p in offered if p["open"] is True), None)
        if found is None:
            raise InputError(
                "aucune procédure n'est ouverte avec certitude selon le conseil : choisir la "
                "procédure (voir le conseil du dossier)"
            )
    return Choice(
        found["procedure"],
        found["court"],
        found["open"] is None,
        tuple(f"{r['text']} ({r['basis']})" for r in found["reasons"]),
    )


async def hand_over(
    case: int | str,
    actor: User,
    procedure: str | None = None,
    today: date | None = None,
    expected_version: int | None = None,
) -> dict[str, Any]:
    """Hand the amicable file over to litigation; returns what was carried and the new
    procedure. Refused (409) when the case is already in litigation."""
    require(actor, "case.write")
    today = today or clock.today()
    async with atomic("transmission au contentieux"):
        row = await resolve_case(case, actor)
        if (row.get("phase") or LITIGATION) != AMICABLE:
            raise Conflict(f"le dossier {row['reference']} est déjà au contentieux")
        full = await full_case(row, today)
        choice = choose(advice_from_case(full, today), procedure)
        definition = engine().procedure(choice.procedure)
        court = choice.court if choice.court in definition.courts else definition.default_court
        court_id = row.get("court_id")
        notes: list[str] = []
        if court_id is not None:
            recorded = await Court.select(Court.kind).where(Court.id == court_id).first()
            if recorded is None or not court_fits(court, recorded["kind"]):
                court_id = None
                notes.append(
                    "La juridiction enregistrée ne convient pas à la procédure : à choisir."
                )
        if choice.uncertain:
            notes.append(
                f"{_label(choice.procedure)} : ouverture incertaine selon le conseil, à vérifier."
            )
        disputed = [
            r["invoice_number"]
            for r in await Claim.select(Claim.invoice_number).where(
                (Claim.case == row["id"]) & (Claim.disputed == True)  # noqa: E712
            )
        ]
        if disputed:
            notes.append(
                "Factures contestées, à régler ou à écarter avant d'agir : " + ", ".join(disputed)
            )
        version = await bump_version(row, expected_version)
        await Case.update(
            {
                Case.procedure: choice.procedure,
                Case.court: court,
                Case.court_id: court_id,
                Case.phase: LITIGATION,
                Case.handed_over_on: today,
                Case.updated_at: datetime.now(UTC),
            }
        ).where(Case.id == row["id"])
        moved = {**row, "procedure": choice.procedure, "court": court}
        changes = await recompute_case(moved)
        carried = {
            "invoices": len(full["claims"]),
            "payments": len(full["payments"]),
            "pieces": await Piece.count().where(
                (Piece.case == row["id"]) & Piece.number.is_not_null()
            ),
            "mise_en_demeure": await _notice(row["id"]),
            "amicable_events": len(full["events"]),
        }
        result = {
            "case": row["reference"],
            "phase": LITIGATION,
            "handed_over_on": today.isoformat(),
            "procedure": choice.procedure,
            "procedure_label": _label(choice.procedure),
            "court": court,
            "reasons": list(choice.reasons),
            "carried": carried,
            "disputed_invoices": disputed,
            "notes": notes,
            "deadlines_added": [d["key"] for d in changes["added"]],
            "version": version,
        }
        await audit.record(
            actor,
            "case.handover",
            "case",
            row["id"],
            # The department on both sides (unchanged, so not shown as a change) names the
            # court as the territory does (Alsace-Moselle: the chambre commerciale du TJ).
            {
                "phase": AMICABLE,
                "procedure": row["procedure"],
                "court": row["court"],
                "court_department": row["court_department"],
            },
            {
                **{k: result[k] for k in ("phase", "procedure", "court", "handed_over_on")},
                "court_department": row["court_department"],
                "carried": result["carried"],
            },
        )
    return result


async def _notice(case_id: int) -> str | None:
    row = await (
        Event.select(Event.date)
        .where((Event.case == case_id) & (Event.key == "mise_en_demeure_envoyee"))
        .order_by(Event.date)
        .first()
    )
    return row["date"].isoformat() if row else None
