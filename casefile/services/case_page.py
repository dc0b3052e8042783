"""What the case page reads beyond the case itself (issue 12 items 3 and 5): the "À faire"
list with each task's owner, the claim statement (or a French warning naming the missing rate
and how to add it), the advice and each invoice's prescription, and the four procedures side
by side. One home for the web page and the API; the law is in `casefile.law`.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from decimal import Decimal
from typing import Any

from casefile.definitions import engine, parameters
from casefile.errors import CasefileError
from casefile.law.advice import advise
from casefile.law.claims import MissingMargin, MissingRate
from casefile.law.comparison import Column, compare
from casefile.law.procedures import Procedure
from casefile.law.todo import ToDo, to_do
from casefile.law.wording import date_fr
from casefile.services.dunning_actions import case_state
from casefile.store import cases
from casefile.store.advice import advice_from_case, advice_inputs
from casefile.store.permissions import User


def owners(case: dict[str, Any], people: dict[str, str] | None = None) -> dict[str, str]:
    """Who acts for each of our actors on this case, by name: the person's name
    (`users.people_names`, login → "Maître Jeanne Martin") when given, else the login."""
    people = people or {}
    creditor = (case.get("creditor") or {}).get("name")
    lawyer, commissaire = case.get("lawyer"), case.get("commissaire")
    return {
        "creancier": creditor or "le créancier",
        "avocat": people.get(lawyer, lawyer) if lawyer else "avocat non désigné",
        "commissaire_de_justice": people.get(commissaire, commissaire)
        if commissaire
        else "commissaire de justice non désigné",
    }


def case_to_do(case: dict[str, Any], procedure: Procedure, today: date) -> ToDo:
    return to_do(
        procedure,
        case.get("deadlines") or [],
        [event["key"] for event in case.get("events") or []],
        today,
    )


def missing_rate_warning(error: CasefileError) -> str | None:
    """The claim statement refuses a semester without its rate: say which and how to add it."""
    if isinstance(error, MissingRate):
        year, half = error.semester.split(" H")
        key = error.parameter
        semester = f"{'1er' if half == '1' else '2nd'} semestre {year}"
        parameter = parameters().get(key)
        name = parameter.label if parameter else key
        return (
            f"Décompte incomplet : le taux « {name} » n'est pas renseigné pour le {semester}. "
            "Un administrateur enregistre la valeur publiée et l'adresse de sa publication "
            f"(page Taux, ou « casefile rate add --semester {year}-S{half} … »). Les "
            "intérêts ne sont pas calculés d'ici là."
        )
    if isinstance(error, MissingMargin):
        return (
            "Décompte incomplet : la majoration du taux BCE des pénalités de retard "
            f"(C. com. art. L441-10) n'est pas renseignée au {date_fr(error.day)}. Ajoutez une "
            "valeur datée à la section penalites_retard_majoration de "
            "procedures/parameters.toml, puis lancez « casefile check »."
        )
    return None


async def statement_or_warning(
    case: dict[str, Any], actor: User, today: date
) -> tuple[dict[str, Any] | None, str | None]:
    """(statement, None), or (None, a French warning) when it cannot be computed."""
    try:
        return await cases.claim_statement(case["id"], actor, as_of=today), None
    except CasefileError as error:
        warning = missing_rate_warning(error)
        if warning is None:
            warning = f"Décompte impossible au {date_fr(today)} : {error}"
        return None, warning


def comparison(case: dict[str, Any], today: date) -> list[Column]:
    """The four procedures for the case's claim (empty when nothing is owed)."""
    total, nature, debtor_kind, creditor_kind = advice_inputs(case)
    if total <= Decimal(0):
        return []
    advice = advise(total, nature, debtor_kind, creditor_kind, today, parameters())
    return compare(advice, engine().procedures, parameters(), today)


async def case_page(
    case: dict[str, Any], procedure: Procedure, actor: User, today: date
) -> dict[str, Any]:
    """The context the case page adds to the case: `todo`, `owners`, `statement`,
    `statement_warning`, `advice`, `comparison`, `relances` (the reminder scenario of an
    amicable file, or of one that has a reminder history; None otherwise), `people` (the
    lawyer's and the commissaire's logins → their names)."""
    from casefile.services.users import people_names

    people = await people_names((case.get("lawyer"), case.get("commissaire")))
    statement, warning = await statement_or_warning(case, actor, today)
    relances = await case_state(case["id"], actor, today)
    shown = case.get("phase", "amiable") == "amiable" or relances.actions or relances.promises
    return {
        "todo": case_to_do(case, procedure, today),
        "owners": owners(case, people),
        "people": people,
        "statement": statement,
        "statement_warning": warning,
        "advice": advice_from_case(case, today),
        "comparison": comparison(case, today),
        "relances": relances if shown else None,
    }


def comparison_json(columns: list[Column]) -> list[dict[str, Any]]:
    def plain(value: Any) -> Any:
        if isinstance(value, Decimal):
            return str(value)
        if isinstance(value, dict):
            return {k: plain(v) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return [plain(v) for v in value]
        return value

    return [plain(asdict(column)) for column in columns]
