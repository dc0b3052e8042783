"""Limitation period (prescription) of each invoice, with its explanation.

- The rules are law data: the `prescription` deadlines of `procedures/amiable.toml`, chosen by
  the parties' qualities as the engine chooses them — 5 years for a debt born of a trader's
  commerce (C. com. L110-4), 5 years when neither party is a trader (C. civ. 2224: a
  profession libérale, an association, a private creditor), 2 years for a professional's
  action against a consumer for goods or services (C. conso. L218-2).
- Starts at exigibility (the due date): the creditor knows from then that he is unpaid.
- An acknowledgment by the debtor, a partial payment included, interrupts it (C. civ. 2240) and
  a new period of the same length starts (2231). An acknowledgment made after the period ran
  out does not revive it (at most a renunciation, 2250–2251, which casefile does not infer).
- Counted as the Code civil does (2228–2229), not the CPC: the starting day is not counted, the
  end is the same calendar date N years later, never moved to a working day (Cass. 2e civ.
  7 April 2016, n° 15-12.960). Same arithmetic as the engine's `amiable` procedure
  (`periods.same_date_years_later`); a test checks both agree.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from casefile.errors import InputError
from casefile.law.claims import Statement
from casefile.law.periods import same_date_years_later
from casefile.law.procedures import AttributeValue, Procedure
from casefile.law.wording import choices_fr, date_fr


@dataclass(frozen=True, slots=True)
class Rule:
    years: int
    basis: str
    source: str
    text: str


DEBTOR_KINDS = ("professionnel", "consommateur")
CREDITOR_KINDS = ("commercant", "non_commercant", "particulier")
_CREDITOR_WORDS = {"commercant": "commerçant", "non_commercant": "non commerçant"}
PRESCRIPTION = "prescription"  # the deadline key of the `amiable` procedure
START_EVENT = "exigibilite"


def rule_for(
    definitions: Procedure,
    debtor_kind: str,
    creditor: str | None = None,
    debtor_trader: bool | None = None,
) -> Rule:
    """The limitation rule the law data (`amiable`, deadline `prescription`) gives for a claim
    between these parties: the first rule one of whose certain `exigibilite` starts matches the
    attributes, exactly as the engine chooses (C. com. L110-4, C. civ. 2224, C. conso. L218-2)."""
    if debtor_kind not in DEBTOR_KINDS:
        raise InputError(
            f"Qualité du débiteur « {debtor_kind} » inconnue : attendu {choices_fr(DEBTOR_KINDS)}."
        )
    if creditor is not None and creditor not in CREDITOR_KINDS:
        raise InputError(
            f"Qualité du créancier « {creditor} » inconnue : attendu {choices_fr(CREDITOR_KINDS)}."
        )
    attributes: dict[str, AttributeValue] = {"debiteur": debtor_kind}
    if creditor is not None:
        attributes["creancier"] = creditor
    if debtor_trader is not None:
        attributes["debiteur_commercant"] = debtor_trader
    for deadline in definitions.deadlines:
        if deadline.key != PRESCRIPTION:
            continue
        for start in deadline.starts:
            if (
                start.event == START_EVENT
                and not start.uncertain
                and all(attributes.get(name) == value for name, value in start.when)
            ):
                return Rule(deadline.period.years, deadline.basis, deadline.source, deadline.text)
    raise InputError(
        f"Aucune règle de prescription de la procédure « {definitions.title} » ne s'applique à "
        f"un débiteur {debtor_kind} (créancier : "
        f"{_CREDITOR_WORDS.get(creditor or '', creditor) or 'qualité non renseignée'})."
    )


_Day = date  # the field `Prescription.date` shadows the type inside the class body

INTERRUPTION = "C. civ. art. 2240 et 2231"
COUNTING = "C. civ. art. 2228-2229, sans report (Cass. 2e civ. 7 avril 2016, n° 15-12.960)"


@dataclass(frozen=True, slots=True)
class Prescription:
    invoice: str
    date: _Day  # last day to act (the action is barred from the next day)
    start: _Day
    start_kind: str  # "exigibilite" or "reconnaissance_dette"
    years: int
    basis: str
    source: str
    explanation: tuple[str, ...]

    def is_acquired(self, as_of: _Day) -> bool:
        return as_of > self.date


def prescription(
    due_date: date,
    debtor_kind: str,
    acknowledgments: Iterable[date] = (),
    invoice: str = "",
    *,
    definitions: Procedure,
    creditor: str | None = None,
    debtor_trader: bool | None = None,
) -> Prescription:
    """The prescription of one claim due on `due_date`, restarted by each acknowledgment made
    before it ran out (a partial payment is one). `definitions` is the `amiable` procedure:
    the periods and their articles are law data, not code."""
    rule = rule_for(definitions, debtor_kind, creditor, debtor_trader)
    start, start_kind = due_date, "exigibilite"
    end = same_date_years_later(start, rule.years)
    lines = [
        f"Exigibilité le {date_fr(due_date)} : délai de {rule.years} ans ({rule.basis}).",
    ]
    for day in sorted(set(acknowledgments)):
        if day < due_date:
            raise InputError(
                f"Reconnaissance de dette du {date_fr(day)} : elle précède l'exigibilité "
                f"({date_fr(due_date)})."
            )
        if day <= start:
            continue
        if day > end:
            lines.append(
                f"Reconnaissance du {date_fr(day)} postérieure à la prescription acquise le "
                f"{date_fr(end)} : sans effet interruptif (au plus une renonciation, C. civ. "
                "art. 2250-2251, à apprécier)."
            )
            continue
        start, start_kind = day, "reconnaissance_dette"
        end = same_date_years_later(start, rule.years)
        lines.append(
            f"Reconnaissance ou paiement partiel le {date_fr(day)} : la prescription est "
            f"interrompue, un nouveau délai de {rule.years} ans court ({INTERRUPTION})."
        )
    lines.append(
        f"Fin : le {date_fr(end)} à minuit, même quantième {rule.years} ans après le "
        f"{date_fr(start)} ({COUNTING})."
    )
    return Prescription(
        invoice, end, start, start_kind, rule.years, rule.basis, rule.source, tuple(lines)
    )


def invoice_prescriptions(
    statement: Statement,
    acknowledgments: Mapping[str, Sequence[date]] | None = None,
    *,
    definitions: Procedure,
    debtor_trader: bool | None = None,
) -> dict[str, Prescription]:
    """Each invoice's prescription; every payment imputed to an invoice in the statement
    (C. civ. 1342-10) acknowledges that debt (2240). `acknowledgments` adds other
    acknowledgments by invoice number (a signed recognition, a request for time to pay)."""
    extra = acknowledgments or {}
    known = {balance.number for balance in statement.invoices}
    for number in extra:
        if number not in known:
            raise InputError(
                f"Reconnaissance de dette pour la facture « {number} » : cette facture ne figure "
                "pas dans le décompte."
            )
    result: dict[str, Prescription] = {}
    for balance in statement.invoices:
        days = [i.date for i in statement.imputations if i.invoice == balance.number]
        days.extend(extra.get(balance.number, ()))
        result[balance.number] = prescription(
            balance.due_date,
            statement.debtor_kind,
            days,
            balance.number,
            definitions=definitions,
            creditor="particulier" if statement.creditor_is_individual else None,
            debtor_trader=debtor_trader,
        )
    return result
