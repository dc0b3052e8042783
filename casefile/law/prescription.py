"""Limitation period (prescription) of each invoice, with its explanation.

- 5 years between traders, or trader and non-trader (C. com. L110-4); 2 years for a
  professional's action against a consumer for goods or services (C. conso. L218-2); 5 years
  (C. civ. 2224) for a creditor who is a private person (kind "civil").
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


@dataclass(frozen=True, slots=True)
class Rule:
    years: int
    basis: str
    source: str
    text: str


RULES: Mapping[str, Rule] = {
    "professionnel": Rule(
        5,
        "C. com. art. L110-4",
        "https://www.legifrance.gouv.fr/codes/article_lc/LEGIARTI000027725867",
        "Les obligations nées à l'occasion de leur commerce entre commerçants ou entre "
        "commerçants et non-commerçants se prescrivent par cinq ans.",
    ),
    "consommateur": Rule(
        2,
        "C. conso. art. L218-2",
        "https://www.legifrance.gouv.fr/codes/texte_lc/LEGITEXT000006069565/",
        "L'action des professionnels, pour les biens ou les services qu'ils fournissent aux "
        "consommateurs, se prescrit par deux ans.",
    ),
    # A creditor who is a private person: neither L110-4 nor L218-2, the civil rule.
    "civil": Rule(
        5,
        "C. civ. art. 2224",
        "https://www.legifrance.gouv.fr/codes/article_lc/LEGIARTI000019017112",
        "Les actions personnelles ou mobilières se prescrivent par cinq ans à compter du jour "
        "où le titulaire d'un droit a connu ou aurait dû connaître les faits lui permettant "
        "de l'exercer.",
    ),
}

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
) -> Prescription:
    """The prescription of one claim due on `due_date`, restarted by each acknowledgment made
    before it ran out (a partial payment is one)."""
    if debtor_kind not in RULES:
        raise InputError(f"debtor_kind {debtor_kind!r} must be one of {', '.join(RULES)}")
    rule = RULES[debtor_kind]
    start, start_kind = due_date, "exigibilite"
    end = same_date_years_later(start, rule.years)
    lines = [
        f"Exigibilité le {due_date.isoformat()}: délai de {rule.years} ans ({rule.basis}).",
    ]
    for day in sorted(set(acknowledgments)):
        if day < due_date:
            raise InputError(
                f"acknowledgment of {day.isoformat()} is before the due date {due_date.isoformat()}"
            )
        if day <= start:
            continue
        if day > end:
            lines.append(
                f"Reconnaissance du {day.isoformat()} postérieure à la prescription acquise le "
                f"{end.isoformat()}: sans effet interruptif (au plus une renonciation, C. civ. "
                "art. 2250-2251, à apprécier)."
            )
            continue
        start, start_kind = day, "reconnaissance_dette"
        end = same_date_years_later(start, rule.years)
        lines.append(
            f"Reconnaissance ou paiement partiel le {day.isoformat()}: la prescription est "
            f"interrompue, un nouveau délai de {rule.years} ans court ({INTERRUPTION})."
        )
    lines.append(
        f"Fin: le {end.isoformat()} à minuit, même quantième {rule.years} ans après le "
        f"{start.isoformat()} ({COUNTING})."
    )
    return Prescription(
        invoice, end, start, start_kind, rule.years, rule.basis, rule.source, tuple(lines)
    )


def invoice_prescriptions(
    statement: Statement,
    acknowledgments: Mapping[str, Sequence[date]] | None = None,
) -> dict[str, Prescription]:
    """Each invoice's prescription; every payment imputed to an invoice in the statement
    (C. civ. 1342-10) acknowledges that debt (2240). `acknowledgments` adds other
    acknowledgments by invoice number (a signed recognition, a request for time to pay)."""
    extra = acknowledgments or {}
    known = {balance.number for balance in statement.invoices}
    for number in extra:
        if number not in known:
            raise InputError(f"acknowledgment for unknown invoice {number!r}")
    result: dict[str, Prescription] = {}
    for balance in statement.invoices:
        days = [i.date for i in statement.imputations if i.invoice == balance.number]
        days.extend(extra.get(balance.number, ()))
        kind = "civil" if statement.creditor_is_individual else statement.debtor_kind
        result[balance.number] = prescription(balance.due_date, kind, days, balance.number)
    return result
