"""Advice for a stored case: which procedures are open and why, and each invoice's
prescription date (issue 3 item 4). The law is in `casefile.law.advice` and
`casefile.law.prescription`; this module only gathers the case's facts."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from decimal import Decimal
from typing import Any

from casefile.store.cases import get_case
from casefile.store.permissions import User
from casefile.store.statement import party_standing

ACKNOWLEDGMENT_EVENTS = ("reconnaissance_dette",)


def advice_inputs(full: dict[str, Any]) -> tuple[Decimal, str, str, str]:
    """(claim total, claim nature, debtor kind, creditor kind) as `law.advice.advise` takes them."""
    total = Decimal(full["claim_total"]) if full.get("claim_total") else Decimal("0")
    claims = full.get("claims") or []
    nature = next((c.get("nature") for c in claims if c.get("nature")), None) or "contractuelle"
    return (
        total,
        nature,
        party_standing(full.get("debtor_party")).advice_kind,
        party_standing(full.get("creditor")).advice_kind,
    )


async def case_advice(case: int | str, actor: User, as_of: date) -> dict[str, Any]:
    """{"as_of", "claim_total", "procedures": [...], "prescriptions": [...], "notes": [...]}."""
    return advice_from_case(await get_case(case, actor, today=as_of), as_of)


def advice_from_case(full: dict[str, Any], as_of: date) -> dict[str, Any]:
    """The advice for a case already read with `get_case` (the case page reads it once)."""
    from casefile.definitions import engine, parameters
    from casefile.law.advice import advise
    from casefile.law.prescription import prescription

    notes: list[str] = []
    total, nature, debtor_kind, creditor_kind = advice_inputs(full)
    # The parties' qualities as the law data's prescription rules name them (amiable.toml):
    # a company is presumed a trader, another professional is not (C. civ. 2224 then).
    creditor_quality = {"commercant": "commercant", "professionnel": "non_commercant"}.get(
        creditor_kind, "particulier"
    )
    debtor_trader = None if debtor_kind == "consommateur" else debtor_kind == "commercant"
    debtor = full.get("debtor_party")
    claims = full.get("claims") or []
    procedures: list[dict[str, Any]] = []
    if total > 0:
        for item in advise(
            total,
            nature,
            debtor_kind,
            creditor_kind,
            as_of,
            parameters(),
            department=full.get("court_department"),
        ):
            data = asdict(item)
            data["reasons"] = [asdict(reason) for reason in item.reasons]
            procedures.append(data)
        notes.append(
            "Montant retenu : principal restant dû ; le plafond des petites créances s'apprécie "
            "principal et intérêts compris (CPCE R125-1) : vérifier avec le décompte."
        )
    else:
        notes.append("Aucune créance impayée enregistrée : pas de procédure à conseiller.")
    debtor_kind = party_standing(debtor).kind
    acknowledgments = [
        date.fromisoformat(e["date"])
        for e in full.get("events", [])
        if e["key"] in ACKNOWLEDGMENT_EVENTS
    ]
    prescriptions = []
    for claim in claims:
        if Decimal(str(claim.get("outstanding") or "0")) <= 0:
            continue
        due = date.fromisoformat(claim["due_date"])
        result = prescription(
            due,
            debtor_kind,
            [d for d in acknowledgments if d >= due],
            invoice=claim["invoice_number"],
            definitions=engine().procedure("amiable"),
            creditor=creditor_quality,
            debtor_trader=debtor_trader,
        )
        prescriptions.append(
            {
                "invoice": result.invoice,
                "date": result.date.isoformat(),
                "start": result.start.isoformat(),
                "years": result.years,
                "acquired": result.is_acquired(as_of),
                "basis": result.basis,
                "source": result.source,
                "explanation": list(result.explanation),
            }
        )
    return {
        "case": full["reference"],
        "court_department": full.get("court_department"),  # how its courts are named there
        "as_of": as_of.isoformat(),
        "claim_total": str(total),
        "procedures": procedures,
        "prescriptions": prescriptions,
        "notes": notes,
    }
