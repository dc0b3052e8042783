"""The stored ledger of each invoice and case (issue 17 item 4): `claims.outstanding_cents`, the
principal it still owes after every recorded payment, and `cases.ledger_on`, the latest day
that can change it: a payment's date, a dispute's date, the issue date of an invoice that takes
part of the unassigned payments or gives its overpayment to the others (before it was issued,
the aged balance leaves it out and the imputation goes elsewhere). With it, per case:
`claimed_cents` (Σ principal claimed), `principal_due_cents` (Σ still due) and `last_paid_on`. Kept in the transaction of every change that touches them:
the recompute (`store_schedules`: claims and payments added, edited or deleted, imports, the
nightly recompute) and the dispute flag.

On any `as_of` on or after `ledger_on`, the stored figure is exactly what the aged balance's
full statement computes (`casefile.services.reports`): the portfolio's figures then read one
column instead of re-imputing every payment. `ledger_on` NULL means "not computed yet"
(created by raw SQL, or before this column): the reports take the full statement for that case.

The imputation is the aged balance's, C. civ. art. 1342-10:

    base     = amount − paid_cents (settled before it was recorded), at least 0
    rest     = base − payments naming the invoice, at least 0            (al. 1)
    excess   = what those payments paid beyond the base
    pool     = the case's payments naming no invoice + every excess
    the pool goes to the undisputed invoices in due-date order (then id), the oldest due
    first (al. 2); a disputed invoice keeps its rest.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from casefile.store.db import among, bulk_update, update_rows
from casefile.store.tables import Case, Claim, Payment

NOTHING_DATED = date(1900, 1, 1)  # `ledger_on` of a case with nothing dated that matters


@dataclass(frozen=True)
class InvoiceRow:
    id: int
    due_date: date
    issue_date: date
    amount_cents: int
    paid_cents: int
    disputed: bool
    disputed_on: date | None


@dataclass(frozen=True)
class PaymentRow:
    claim: int | None
    date: date
    amount_cents: int


def impute(
    invoices: Sequence[InvoiceRow], payments: Iterable[PaymentRow]
) -> tuple[dict[int, int], date]:
    """({invoice id: outstanding cents}, ledger_on) of one case."""
    ids = {i.id for i in invoices}
    named: dict[int, int] = {}
    pool = 0
    dates = [i.disputed_on for i in invoices if i.disputed and i.disputed_on is not None]
    for payment in payments:
        dates.append(payment.date)
        if payment.claim is not None and payment.claim in ids:
            named[payment.claim] = named.get(payment.claim, 0) + payment.amount_cents
        else:
            pool += payment.amount_cents
    rests: dict[int, int] = {}
    for invoice in invoices:
        base = max(invoice.amount_cents - invoice.paid_cents, 0)
        paid = named.get(invoice.id, 0)
        rests[invoice.id] = max(base - paid, 0)
        if paid > base:
            pool += paid - base
            dates.append(invoice.issue_date)  # its excess feeds the pool once it is issued
    outstanding: dict[int, int] = {}
    for invoice in sorted(invoices, key=lambda i: (i.due_date, i.id)):
        rest = rests[invoice.id]
        if invoice.disputed:
            outstanding[invoice.id] = rest
            continue
        taken = min(rest, pool)
        if taken:
            pool -= taken
            # Before its issue date, what it takes would go to the invoices due after it.
            dates.append(invoice.issue_date)
        outstanding[invoice.id] = rest - taken
    return outstanding, max(dates, default=NOTHING_DATED)


def outstanding_by_claim(
    claims: Iterable[Mapping[str, Any]], payments: Iterable[Mapping[str, Any]]
) -> dict[int, int]:
    """{claim id: principal outstanding cents} of one case's `claims` and `payments` rows, as
    the aged balance imputes them (what a case page shows beside each invoice)."""
    rows = [PaymentRow(p["claim"], p["date"], int(p["amount_cents"])) for p in payments]
    return impute([_invoice(c) for c in claims], rows)[0]


async def refresh_ledger(case_ids: Sequence[int]) -> None:
    """Recompute and store the ledger of these cases (call inside the changing transaction)."""
    await update_rows(Case, await refresh_ledger_claims(case_ids))


async def refresh_ledger_claims(case_ids: Sequence[int]) -> list[dict[str, object]]:
    """Recompute the ledger of these cases, store each invoice's outstanding cents and return
    each case's ledger columns (`id`, `ledger_on`, `claimed_cents`, `principal_due_cents`,
    `last_paid_on`) for the caller to write with the case's other columns (the recompute: one
    new row version per case instead of two)."""
    cases: list[dict[str, object]] = []
    for start in range(0, len(case_ids), 1000):
        chunk = list(case_ids[start : start + 1000])
        invoices: dict[int, list[InvoiceRow]] = {case_id: [] for case_id in chunk}
        stored: dict[int, int | None] = {}  # invoice id → its stored outstanding cents
        for row in await Claim.select(
            Claim.id,
            Claim.case,
            Claim.due_date,
            Claim.issue_date,
            Claim.amount_cents,
            Claim.paid_cents,
            Claim.disputed,
            Claim.disputed_on,
            Claim.outstanding_cents,
        ).where(among(Claim.case, chunk, superset=True)):
            if row["case"] in invoices:
                invoices[row["case"]].append(_invoice(row))
                stored[row["id"]] = row["outstanding_cents"]
        payments: dict[int, list[PaymentRow]] = {}
        for row in await Payment.select(
            Payment.case, Payment.claim, Payment.date, Payment.amount_cents
        ).where(among(Payment.case, chunk, superset=True)):
            if row["case"] not in invoices:
                continue
            payments.setdefault(row["case"], []).append(
                PaymentRow(row["claim"], row["date"], int(row["amount_cents"]))
            )
        claim_values: list[tuple[int, object]] = []
        for case_id in chunk:
            paid = payments.get(case_id, [])
            outstanding, ledger_on = impute(invoices[case_id], paid)
            # Only the invoices whose figure changed are written (a night changes none).
            claim_values.extend(
                (claim_id, cents)
                for claim_id, cents in outstanding.items()
                if stored.get(claim_id) != cents
            )
            cases.append(
                {
                    "id": case_id,
                    "ledger_on": ledger_on,
                    "claimed_cents": sum(
                        max(i.amount_cents - i.paid_cents, 0) for i in invoices[case_id]
                    ),
                    "principal_due_cents": sum(outstanding.values()),
                    "last_paid_on": max((p.date for p in paid), default=None),
                }
            )
        await bulk_update(Claim, "outstanding_cents", claim_values, "BIGINT")
    return cases


def _invoice(row: Mapping[str, Any]) -> InvoiceRow:
    return InvoiceRow(
        row["id"],
        row["due_date"],
        row["issue_date"],
        int(row["amount_cents"]),
        int(row["paid_cents"]),
        bool(row["disputed"]),
        row["disputed_on"],
    )
