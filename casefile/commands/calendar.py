"""`casefile ics | feed new|list|revoke | plan new|show` (DESIGN.md §4; issues 6 and 3).

Thin: parse, call `casefile.store.calendars` / `casefile.store.payment_plans` as the CLI's
system user, print. Every export goes through the persisted feed state, so the file written
by `casefile ics` keeps its UIDs and SEQUENCEs across runs, like the subscribed feeds.
"""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from casefile import clock
from casefile.commands.cases import print_json, run_store
from casefile.commands.operator import as_operator
from casefile.errors import InputError
from casefile.labels import FEED_KINDS, INSTALMENT_STATUSES, date_long_fr, label, paris_day
from casefile.law.wording import amount_fr, date_fr


def case_ics(args: argparse.Namespace) -> int:
    from casefile.store.calendars import case_feed

    body = run_store(
        as_operator(args, lambda actor: case_feed(args.case, actor, datetime.now(UTC)), False)
    )
    if args.output and args.output != "-":
        Path(args.output).write_bytes(body)
    else:
        sys.stdout.buffer.write(body)
        sys.stdout.flush()
    return 0


def _feed_subject(args: argparse.Namespace) -> tuple[str, str]:
    chosen = [
        (kind, value)
        for kind, value in (
            ("case", args.case),
            ("lawyer", args.lawyer),
            ("commissaire", args.commissaire),
        )
        if value
    ]
    if len(chosen) != 1:
        raise InputError(
            "feed new : indiquez une et une seule des options --case, --lawyer ou --commissaire"
        )
    return chosen[0]


def feed_new(args: argparse.Namespace) -> int:
    from casefile.store.calendars import issue_feed

    kind, subject = _feed_subject(args)
    feed = run_store(
        as_operator(args, lambda actor: issue_feed(kind, subject, actor, label=args.label or ""))
    )
    if getattr(args, "format", "table") == "json":
        print_json(feed)
    else:
        print(
            f"abonnement {feed['id']} — {label(FEED_KINDS, feed['kind'])} : "
            f"{args.case if kind == 'case' else feed['subject']} — "
            "adresse affichée une seule fois, gardez-la secrète :"
        )
        print(feed["url"])
        print(feed["webcal"])
    return 0


def feed_list(args: argparse.Namespace) -> int:
    from casefile.store.calendars import list_feeds

    feeds = run_store(as_operator(args, list_feeds, mutating=False))
    if getattr(args, "format", "table") == "json":
        print_json(feeds)
        return 0
    for f in feeds:
        state = "révoqué" if f["revoked"] else "actif"
        used = date_long_fr(paris_day(f["last_used"])) if f["last_used"] else "jamais"
        print(
            f"{f['id']:>5}  {label(FEED_KINDS, f['kind']):<34} {f['subject']:<24} {state:<8} "
            f"dernière utilisation : {used}"
        )
    return 0


def feed_revoke(args: argparse.Namespace) -> int:
    from casefile.store.calendars import revoke_feed

    feed = run_store(as_operator(args, lambda actor: revoke_feed(int(args.id), actor)))
    print(f"abonnement {feed['id']} révoqué")
    return 0


def plan_new(args: argparse.Namespace) -> int:
    from casefile.law.money import parse_amount
    from casefile.law.periods import parse_date
    from casefile.store.payment_plans import PlanIn, create_plan

    data = PlanIn(
        total=parse_amount(args.total, "--total"),
        count=args.count,
        first_due=parse_date(args.first_due, "--first-due"),
        kind=args.kind,
        grace_days=args.grace_days,
        granted_on=parse_date(args.granted_on, "--granted-on") if args.granted_on else None,
    )
    plan = run_store(
        as_operator(args, lambda actor: create_plan(args.case, data, actor, today=clock.today()))
    )
    if getattr(args, "format", "table") == "json":
        print_json(plan)
    else:
        _print_plan(plan)
        for warning in plan.get("warnings", []):
            print(f"Attention : {warning}")
    return 0


def plan_show(args: argparse.Namespace) -> int:
    from casefile.law.periods import parse_date
    from casefile.store.payment_plans import list_plans

    today = parse_date(args.today, "--today") if args.today else clock.today()
    plans = run_store(
        as_operator(args, lambda actor: list_plans(args.case, actor, today=today), False)
    )
    if getattr(args, "format", "table") == "json":
        print_json(plans)
        return 0
    if not plans:
        print("aucun échéancier")
    for plan in plans:
        _print_plan(plan)
    return 0


def _print_plan(plan: dict[str, Any]) -> None:
    state = "DÉCHÉANCE DU TERME" if plan["broken"] else "en cours"
    active = "" if plan["active"] else " (remplacé)"
    print(
        f"échéancier {plan['id']}{active} : {plan['kind']} ({plan['basis']}), "
        f"{amount_fr(plan['total'])}, grâce {plan['grace_days']} j — {state} au "
        f"{date_fr(plan['as_of'])}"
    )
    for i in plan["instalments"]:
        print(
            f"  n° {i['number']:>2}  {date_fr(i['due']):<18}  {amount_fr(i['amount']):>14}  "
            f"{label(INSTALMENT_STATUSES, i['status'])}"
        )
    for line in plan["explanation"]:
        print(f"  {line}")
