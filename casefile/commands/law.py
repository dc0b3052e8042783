"""`casefile law impact | apply`: the impact of a change of the law data on pending cases.

Thin: parse, call `casefile.services.law_impact`, print (French text, or `--format json`).
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from casefile.commands.cases import _today, run_store
from casefile.commands.operator import as_operator

if TYPE_CHECKING:
    from casefile.services.law_impact import CaseImpact, ImpactReport


def _day(text: str | None) -> str:
    from casefile.labels import date_long_fr

    return date_long_fr(text) if text else "absent"


def _case_lines(case: CaseImpact) -> list[str]:
    from casefile.labels import DEADLINE_STATUSES, PROCEDURES, label
    from casefile.services.law_impact import amount_words

    lines = [f"{case.reference} — {label(PROCEDURES, case.procedure)} (dossier {case.id})"]
    for move in case.deadlines:
        status = (
            f" [{label(DEADLINE_STATUSES, move.status_before)} → "
            f"{label(DEADLINE_STATUSES, move.status_after)}]"
            if move.status_before != move.status_after
            else ""
        )
        lines.append(f"  {move.label} : {_day(move.before)} → {_day(move.after)}{status}")
        lines.append(f"    règle : {move.rule}")
        lines.append(f"    cause : {move.cause}")
    if case.amount is not None:
        lines.append(
            f"  montant réclamé : {amount_words(case.amount.before)} → "
            f"{amount_words(case.amount.after)}"
            f" (paramètres : {', '.join(case.amount.parameters)})"
        )
    return lines


def _impact_text(report: ImpactReport) -> str:
    from casefile.labels import date_long_fr

    lines = [
        f"Impact d'un changement des données juridiques au {date_long_fr(report.today)}",
        f"  actuelles : {report.current}",
        f"  proposées : {report.proposed}",
        "",
    ]
    if report.data_changes:
        lines.append(f"Changements dans les données ({len(report.data_changes)}) :")
        lines.extend(f"  {c.file} — {c.where} : {c.change}" for c in report.data_changes)
    else:
        lines.append("Aucun changement dans les données.")
    lines.append("")
    lines.append(
        f"Dossiers en cours examinés : {report.cases_examined} ; "
        f"dossiers touchés : {report.cases_affected}"
    )
    for case in report.cases:
        lines.append("")
        lines.extend(_case_lines(case))
    return "\n".join(lines) + "\n"


def impact(args: argparse.Namespace) -> int:
    import msgspec

    from casefile.errors import InputError
    from casefile.services import law_impact

    if args.apply:
        if args.proposed:
            proposed = law_impact.proposed_law(args.proposed)
            if proposed.fingerprint != law_impact.law_in_service().fingerprint:
                raise InputError(
                    "--apply recalcule les dossiers avec les données en service : mettez d'abord "
                    f"en service les données proposées ({proposed.label}), puis relancez "
                    "`casefile law apply --reason …`"
                )
        return apply(args)
    if not args.proposed:
        raise InputError("--proposed : indiquez un dossier ou une révision git à comparer")
    proposed = law_impact.proposed_law(args.proposed)
    today = _today(args.today)
    report = run_store(
        as_operator(args, lambda actor: law_impact.impact(actor, proposed, today), False)
    )
    if args.format == "json":
        sys.stdout.write(msgspec.json.encode(report).decode() + "\n")
    else:
        sys.stdout.write(_impact_text(report))
    return 0


def apply(args: argparse.Namespace) -> int:
    import msgspec

    from casefile.services import law_impact

    report = run_store(as_operator(args, lambda actor: law_impact.apply(actor, args.reason or "")))
    if args.format == "json":
        sys.stdout.write(msgspec.json.encode(report).decode() + "\n")
        return 0
    lines = [
        f"Données en service {report.law_data[:12]} — raison : {report.reason}",
        f"Dossiers en cours examinés : {report.cases_examined} ; "
        f"recalculés : {report.cases_recomputed}",
    ]
    for case in report.cases:
        lines.append("")
        lines.extend(_case_lines(case))
    sys.stdout.write("\n".join(lines) + "\n")
    return 0
