"""`casefile relances run [--today D] [--case CASE]` (create the day's reminder actions now, as
the daily job does), `casefile relances show CASE`, `casefile relances list --channel
courrier|telephone` and `casefile promise add CASE --amount A --date D [--by WHO]`: thin calls
of `casefile.services.dunning`, `dunning_actions` and `promises`."""

from __future__ import annotations

import argparse
from dataclasses import asdict
from typing import Any

from casefile.commands.cases import _today, print_json, run_store
from casefile.commands.operator import resolve_operator
from casefile.documents.formatting import amount_fr, date_fr
from casefile.errors import Unavailable
from casefile.labels import count_fr
from casefile.law.money import parse_amount
from casefile.law.periods import parse_date
from casefile.services import dunning, dunning_actions, promises
from casefile.store.cases import resolve_case
from casefile.store.permissions import SYSTEM


def run(args: argparse.Namespace) -> int:
    today = _today(args.today)

    async def work() -> dict[str, Any]:
        ids = None
        if args.case:
            ids = [int((await resolve_case(args.case, SYSTEM))["id"])]
        try:
            return await dunning.run_due(today, ids)
        except dunning.MailServerUnavailable as error:
            raise Unavailable(str(error)) from None

    report = run_store(work)
    if args.format == "json":
        print_json(report)
        return 0
    created = dunning.created_fr(report["created"])
    examined = count_fr(report["examined"], "dossier examiné", "dossiers examinés")
    print(f"relances du {date_fr(report['day'])} : {examined}")
    print(f"  actions créées : {created or 'aucune'}")
    print(
        f"  annulées : {report['cancelled']} ; promesses constatées : {report['promises_settled']}"
    )
    for line in report["errors"]:
        print(f"  erreur : {line}")
    if report.get("skipped"):
        waiting = count_fr(report["deferred_emails"], "e-mail non envoyé", "e-mails non envoyés")
        print(f"  {waiting} : {report['skipped']}")
    return 0


def show(args: argparse.Namespace) -> int:
    today = _today(args.today)

    async def work() -> dunning_actions.ScenarioState:
        actor = await resolve_operator(args, mutating=False)
        return await dunning_actions.case_state(args.case, actor, today)

    state = run_store(work)
    if args.format == "json":
        print_json(asdict(state))
        return 0
    print(f"{state.reference} : {state.scenario_title} — {state.state_label}")
    if state.next_label:
        due = f", le {date_fr(state.next_due)}" if state.next_due else ""
        print(f"  prochain niveau : {state.next_label}{due}")
    if state.reason:
        print(f"  {state.reason}")
    if state.notice:
        print(f"  {state.notice}")
    for action in state.actions:
        # As the case page says it: the day it was done, not only the day it was due.
        done = f" le {date_fr(action.done_on)}" if action.done_on else ""
        print(
            f"  {date_fr(action.due_on)} {action.level_label} : "
            f"{action.status_label}{done} {action.message}".rstrip()
        )
    for promise in state.promises:
        print(
            f"  promesse de {amount_fr(promise['amount'])} pour le "
            f"{date_fr(promise['promised_for'])} : {promise['status_label']}"
        )
    return 0


def listing(args: argparse.Namespace) -> int:
    channel = dunning_actions.check_channel(args.channel)

    async def work() -> list[dunning_actions.ActionLine]:
        return await dunning_actions.waiting(await resolve_operator(args, mutating=False), channel)

    found = run_store(work)
    if args.format == "json":
        print_json([asdict(a) for a in found])
        return 0
    if not found:
        # The same words as the pages "À envoyer" and "Appels à passer": silence reads as a failure.
        print("Aucun courrier à envoyer." if channel == "courrier" else "Aucun appel à passer.")
        return 0
    for a in found:
        print(
            f"{date_fr(a.due_on)} {a.reference} ({a.debtor}) : {a.level_label} "
            f"{a.recipient}".rstrip()
        )
    return 0


def promise_add(args: argparse.Namespace) -> int:
    data = promises.PromiseIn(
        amount=parse_amount(args.amount, "--amount"),
        promised_for=parse_date(args.date, "--date"),
        made_by=args.by or "",
        channel=args.channel,
        note=args.note or "",
        made_on=parse_date(args.made_on, "--made-on") if args.made_on else None,
        invoice=args.invoice,
    )

    async def work() -> dict[str, Any]:
        return await promises.add_promise(args.case, data, await resolve_operator(args))

    result = run_store(work)
    if args.format == "json":
        print_json({"id": result["id"], "version": result["version"], **result["promise"]})
        return 0
    promise = result["promise"]
    print(
        f"promesse n° {result['id']} enregistrée : {amount_fr(promise['amount'])} pour le "
        f"{date_fr(promise['promised_for'])}"
    )
    for warning in result["warnings"]:
        print(f"attention : {warning}")
    return 0
