"""Promises to pay as deadlines of their case (`promesse_N`, issue 17 item 2), materialised
with the engine's deadlines and the plan's instalments at every recompute: they appear in the
case's deadlines, its "À faire", the agenda and the .ics. Clock-free like the others: "done"
once the payments reach the promised amount by its date, "pending" otherwise ("missed" is
derived on read with a date: the promise is broken)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from casefile.documents.formatting import amount_fr, date_fr
from casefile.law.dunning import promise_kept_on
from casefile.law.money import cents_text
from casefile.law.periods import Period
from casefile.law.schedule import Deadline, StartPoint
from casefile.store.db import among
from casefile.store.tables import Payment, PaymentPromise

KEY_PREFIX = "promesse_"
BASIS = "Promesse de paiement du débiteur"
# An acknowledgment of the debt by the debtor interrupts prescription (C. civ. art. 2240).
SOURCE = "https://www.legifrance.gouv.fr/codes/article_lc/LEGIARTI000019017366"  # C. civ. art. 2240


def promise_key(promise_id: int) -> str:
    return f"{KEY_PREFIX}{promise_id}"


def promise_deadline(row: dict[str, Any], payments: Sequence[tuple[Any, int]]) -> Deadline:
    kept = promise_kept_on(row["amount_cents"], row["made_on"], row["promised_for"], payments)
    who = f" ({row['made_by']})" if row.get("made_by") else ""
    notes = [f"Promesse faite le {date_fr(row['made_on'])}{who}"]
    if kept is not None:
        notes.append(f"Tenue le {date_fr(kept)}")
    notes.append(
        "Une promesse de paiement prouvée peut valoir reconnaissance de dette et interrompre la "
        "prescription (C. civ. art. 2240) : l'enregistrer alors comme « reconnaissance de dette »."
    )
    return Deadline(
        key=promise_key(row["id"]),
        label=f"Promesse de paiement de {amount_fr(cents_text(row['amount_cents']))}",
        due=row["promised_for"],
        start=StartPoint("event", "promesse_de_paiement", row["made_on"]),
        period=Period(days=max((row["promised_for"] - row["made_on"]).days, 0)),
        extension=None,
        unadjusted=row["promised_for"],
        moved_because=None,
        actor="debiteur",
        basis=BASIS,
        source=SOURCE,
        status="done" if kept is not None else "pending",
        # Said in both phases: after the handover there are no reminders any more.
        consequence="promesse rompue : en phase amiable, les relances passent au niveau suivant",
        counting="calendar",
        notes=tuple(notes),
    )


async def promise_deadlines_many(case_ids: Sequence[int]) -> dict[int, list[Deadline]]:
    """The deadlines of the promises (not cancelled) of these cases."""
    if not case_ids:
        return {}
    wanted = set(case_ids)
    rows = [
        row
        for row in await PaymentPromise.select().where(
            among(PaymentPromise.case, case_ids, superset=True)
            & (PaymentPromise.status != "annulee")
        )
        if row["case"] in wanted
    ]
    if not rows:
        return {}
    payments: dict[int, list[tuple[Any, int]]] = {}
    for row in await Payment.select(Payment.case, Payment.date, Payment.amount_cents).where(
        Payment.case.is_in(sorted({r["case"] for r in rows}))
    ):
        payments.setdefault(row["case"], []).append((row["date"], row["amount_cents"]))
    out: dict[int, list[Deadline]] = {}
    for row in sorted(rows, key=lambda r: r["id"]):
        out.setdefault(row["case"], []).append(promise_deadline(row, payments.get(row["case"], [])))
    return out
