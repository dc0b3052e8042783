"""`casefile check`: validate the law's data (and the templates) before anyone relies on it."""

from __future__ import annotations

import argparse
import importlib.util
import sys

from casefile import clock
from casefile.errors import DefinitionError


def run(args: argparse.Namespace) -> int:
    from casefile import definitions
    from casefile.law.territories import check_names_exist

    engine = definitions.engine()  # raises DefinitionError naming file and key
    problems = [
        f"{definitions.calendars_file()}: {p}"
        for p in check_names_exist(engine.territories, (2024, 2025, 2026, 2027))
    ]
    for procedure in engine.procedures.values():
        for rule in procedure.deadlines:
            if not rule.source.startswith("https://www.legifrance.gouv.fr/"):
                problems.append(
                    f"{procedure.origin}: {rule.key}: la source n'est pas une adresse Légifrance"
                )
    if importlib.util.find_spec("casefile.documents") is not None:
        from casefile.documents.checks import check_templates

        problems.extend(check_templates())
        from casefile.services.dunning_checks import dunning_problems

        problems.extend(dunning_problems())
    if problems:
        for problem in problems:
            print(f"casefile check : {problem}", file=sys.stderr)
        raise DefinitionError(
            problems[0].split(":")[0],
            "check",
            f"{len(problems)} problème(s), le premier : {problems[0]}",
        )
    count = sum(len(p.deadlines) for p in engine.procedures.values())
    from casefile.law.claims import missing_semester_rates

    for warning in missing_semester_rates(engine.parameters, clock.today()):
        print(f"casefile check : avertissement : {warning}", file=sys.stderr)
    print(
        f"ok : {len(engine.procedures)} procédures, {count} règles de délai, "
        f"{len(engine.territories.by_key)} territoires, {len(engine.parameters)} paramètres, "
        f"{len(definitions.dunning().scenarios)} scénarios de relance"
    )
    return 0
