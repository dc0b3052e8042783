"""`casefile party edit`, `claim add|edit|delete`, `payment add|edit|delete` (issue 12 item 1).

Thin: flags → the services, acting as the named operator (`--as` / CASEFILE_OPERATOR); the
result is printed as JSON or as the deadlines it moved, with the warnings.
"""

from __future__ import annotations

import argparse
from typing import Any

from casefile.commands.cases import date_cell, print_changes, print_json, run_store
from casefile.commands.operator import as_operator
from casefile.law.money import parse_amount
from casefile.law.periods import parse_date

PARTY_FLAGS = (
    "name",
    "category",
    "kind",
    "person_or_company",
    "legal_form",
    "siren",
    "siret",
    "rcs_city",
    "street",
    "postcode",
    "city",
    "country",
    "address",
    "residence",
    "representative",
    "civility",
    "first_name",
    "email",
    "phone",
)


def _given(args: argparse.Namespace, names: tuple[str, ...]) -> dict[str, Any]:
    return {name: getattr(args, name) for name in names if getattr(args, name, None) is not None}


def _print(args: argparse.Namespace, result: dict[str, Any]) -> int:
    if args.format == "json":
        print_json(result)
        return 0
    print_changes(result)  # with the warnings
    return 0


def party_edit(args: argparse.Namespace) -> int:
    from casefile.services.parties import edit_party

    changes = _given(args, PARTY_FLAGS)
    result = run_store(
        as_operator(
            args,
            lambda actor: edit_party(
                args.case, args.role, changes, actor, expected_version=args.expected_version
            ),
        )
    )
    if args.format == "json":
        print_json(result)
        return 0
    from casefile.commands.tables import console

    party = result["party"]
    out = console()
    out.print(f"{party['name']} — {party['address'] or 'adresse non renseignée'}")
    out.print(f"version du dossier : {result['version']}")
    for moved in result["changes"]["moved"]:
        what = moved.get("label") or moved["key"].replace("_", " ")
        out.print(
            f"[yellow]~[/yellow] {what} {date_cell(moved['from'])} → {date_cell(moved['to'])}"
        )
    return 0


def _invoice_changes(args: argparse.Namespace) -> dict[str, Any]:
    changes: dict[str, Any] = {}
    if args.number is not None:
        changes["invoice_number"] = args.number
    if args.issue_date is not None:
        changes["issue_date"] = parse_date(args.issue_date, "--issue-date")
    if args.due_date is not None:
        changes["due_date"] = parse_date(args.due_date, "--due-date")
    if args.amount is not None:
        changes["amount"] = parse_amount(args.amount, "--amount")
    if args.paid is not None:
        changes["paid"] = parse_amount(args.paid, "--paid")
    for name in ("supply", "description"):
        if getattr(args, name) is not None:
            changes[name] = getattr(args, name)
    return changes


def claim_add(args: argparse.Namespace) -> int:
    from casefile.services.claims import add_claim
    from casefile.store.cases import InvoiceIn

    invoice = InvoiceIn(
        invoice_number=args.number,
        issue_date=parse_date(args.issue_date, "--issue-date"),
        due_date=parse_date(args.due_date, "--due-date"),
        amount=parse_amount(args.amount, "--amount"),
        paid=parse_amount(args.paid or "0", "--paid"),
        supply=args.supply,
        description=args.description or "",
    )
    result = run_store(
        as_operator(
            args,
            lambda actor: add_claim(
                args.case, invoice, actor, expected_version=args.expected_version
            ),
        )
    )
    return _print(args, result)


def claim_edit(args: argparse.Namespace) -> int:
    from casefile.services.claims import edit_claim

    changes = _invoice_changes(args)
    result = run_store(
        as_operator(
            args,
            lambda actor: edit_claim(
                args.case, args.invoice, changes, actor, expected_version=args.expected_version
            ),
        )
    )
    return _print(args, result)


def claim_delete(args: argparse.Namespace) -> int:
    from casefile.services.claims import delete_claim

    result = run_store(
        as_operator(
            args,
            lambda actor: delete_claim(
                args.case,
                args.invoice,
                actor,
                expected_version=args.expected_version,
                reason=args.reason,
            ),
        )
    )
    return _print(args, result)


def payment_add(args: argparse.Namespace) -> int:
    from casefile.services.payments import add_payment
    from casefile.store.cases import PaymentIn

    payment = PaymentIn(
        date=parse_date(args.date, "--date"),
        amount=parse_amount(args.amount, "--amount"),
        invoice_number=args.invoice,
        reference=args.reference or "",
    )
    result = run_store(
        as_operator(
            args,
            lambda actor: add_payment(
                args.case, payment, actor, expected_version=args.expected_version
            ),
        )
    )
    return _print(args, result)


def payment_edit(args: argparse.Namespace) -> int:
    from casefile.services.payments import edit_payment

    changes: dict[str, Any] = {}
    if args.date is not None:
        changes["date"] = parse_date(args.date, "--date")
    if args.amount is not None:
        changes["amount"] = parse_amount(args.amount, "--amount")
    if args.invoice is not None:
        changes["invoice_number"] = args.invoice or None
    if args.reference is not None:
        changes["reference"] = args.reference
    result = run_store(
        as_operator(
            args,
            lambda actor: edit_payment(
                args.case, args.id, changes, actor, expected_version=args.expected_version
            ),
        )
    )
    return _print(args, result)


def payment_delete(args: argparse.Namespace) -> int:
    from casefile.services.payments import delete_payment

    result = run_store(
        as_operator(
            args,
            lambda actor: delete_payment(
                args.case,
                args.id,
                actor,
                expected_version=args.expected_version,
                reason=args.reason,
            ),
        )
    )
    return _print(args, result)
