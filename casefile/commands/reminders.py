"""`casefile user prefs NAME [--email E] [--digest|--no-digest] [--digest-days N]
[--alerts|--no-alerts] [--alert-days N]`: a user's e-mail reminders (as on "Mes préférences");
without a flag, prints them."""

from __future__ import annotations

import argparse
from dataclasses import asdict, replace

from casefile.commands.cases import print_json, run_store
from casefile.commands.operator import resolve_operator
from casefile.labels import count_fr
from casefile.services import reminders


def prefs(args: argparse.Namespace) -> int:
    changes = {
        field: getattr(args, field)
        for field in ("email", "digest", "digest_days", "alerts", "alert_days")
        if getattr(args, field) is not None
    }

    async def work() -> reminders.Prefs:
        user_id = await reminders.user_id_of(args.name)
        current = await reminders.get_prefs(user_id)
        if not changes:
            return current
        actor = await resolve_operator(args)
        return await reminders.save_prefs(actor, user_id, replace(current, **changes))

    result = run_store(work)
    if args.format == "json":
        print_json(asdict(result))
        return 0
    print(f"{args.name}: adresse {result.email or '(aucune)'}")
    print(
        "  récapitulatif quotidien : "
        + (f"oui, {count_fr(result.digest_days, 'jour', 'jours')}" if result.digest else "non")
    )
    alerts = f"oui, {count_fr(result.alert_days, 'jour', 'jours')} avant"
    print("  alertes : " + (alerts if result.alerts else "non"))
    return 0
