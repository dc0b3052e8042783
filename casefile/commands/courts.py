"""`casefile court add|edit|list` and `casefile case set-court CASE COURT_ID` (issue 13 item 3).

Thin: flags → `casefile.services.courts`, acting as the named operator (`--as`).
"""

from __future__ import annotations

import argparse
from typing import Any

from casefile.commands.cases import print_json, run_store
from casefile.commands.operator import as_operator

COURT_FLAGS = ("name", "kind", "department", "address", "postcode", "city", "greffe_email", "phone")


def _given(args: argparse.Namespace) -> dict[str, Any]:
    return {n: getattr(args, n) for n in COURT_FLAGS if getattr(args, n, None) is not None}


def _print_court(court: dict[str, Any]) -> None:
    print(
        f"{court['id']}\t{court['name']} ({court['kind_label']}, département {court['department']})"
    )
    print(f"\t{court['postal_address']}")
    if court["greffe_email"] or court["phone"]:
        print(f"\t{' — '.join(p for p in (court['greffe_email'], court['phone']) if p)}")


def court_add(args: argparse.Namespace) -> int:
    from casefile.services.courts import CourtIn, add_court

    court = CourtIn(**_given(args))
    result = run_store(as_operator(args, lambda actor: add_court(court, actor)))
    if args.format == "json":
        print_json(result)
    else:
        _print_court(result)
    return 0


def court_edit(args: argparse.Namespace) -> int:
    from casefile.services.courts import edit_court

    changes = _given(args)
    result = run_store(as_operator(args, lambda actor: edit_court(args.id, changes, actor)))
    if args.format == "json":
        print_json(result)
    else:
        _print_court(result)
    return 0


def court_list(args: argparse.Namespace) -> int:
    from casefile.services.courts import list_courts

    result = run_store(as_operator(args, list_courts, mutating=False))
    if args.format == "json":
        print_json(result)
        return 0
    if not result:
        print("Aucune juridiction enregistrée (casefile court add).")
    for court in result:
        _print_court(court)
    return 0


def case_set_court(args: argparse.Namespace) -> int:
    from casefile.services.courts import set_case_court

    court = None if args.court in ("none", "aucune") else args.court
    result = run_store(
        as_operator(
            args,
            lambda actor: set_case_court(
                args.case, court, actor, expected_version=args.expected_version
            ),
        )
    )
    if args.format == "json":
        print_json(result)
        return 0
    name = result["court"]["name"] if result["court"] else "aucune juridiction"
    print(f"{args.case} : {name} (version {result['version']})")
    for warning in result["warnings"]:
        print(f"attention : {warning}")
    return 0
