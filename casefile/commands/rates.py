"""`casefile rate add|list` (issue 13 item 5): record a published semester rate with its source.

Thin: flags → `casefile.services.rates`, acting as the named operator (`--as`).
"""

from __future__ import annotations

import argparse
from datetime import date
from decimal import Decimal

from casefile import clock
from casefile.commands.cases import print_json, run_store
from casefile.commands.operator import as_operator
from casefile.law.wording import date_fr, decimal_fr


def rate_add(args: argparse.Namespace) -> int:
    from casefile.services.rates import RateIn, record_rate, semester_label_fr

    rate = RateIn(args.kind, args.semester, args.value, args.source)
    today = date.fromisoformat(args.today) if args.today else clock.today()
    result = run_store(as_operator(args, lambda actor: record_rate(rate, actor, today)))
    if args.format == "json":
        print_json(result)
        return 0
    semester = semester_label_fr(result["semester"])
    value = decimal_fr(Decimal(str(result["value"])))
    print(f"{result['label']} : {semester} = {value}\u00a0% ({result['source']})")
    if not result["complete"]:
        print(
            "attention : le taux légal d'un semestre a deux valeurs (particulier, autres) ; "
            "les décomptes l'utilisent quand les deux sont enregistrées."
        )
    return 0


def rate_list(args: argparse.Namespace) -> int:
    from casefile.services.rates import rate_overview, semester_label_fr

    overview = rate_overview(clock.today())
    if args.format == "json":
        print_json(overview)
        return 0
    for rate in overview:
        state = "renseigné" if rate["current_semester_known"] else "NON renseigné"
        print(f"{rate['label']} (--kind {rate['kind']}) — semestre en cours : {state}")
        for entry in rate["recorded"]:
            value = decimal_fr(Decimal(str(entry["value"])))
            print(
                f"\t{semester_label_fr(entry['semester'])} = {value}\u00a0% — {entry['source']} "
                f"(enregistré par {entry['recorded_by']} le {date_fr(entry['recorded_on'])})"
            )
    return 0
