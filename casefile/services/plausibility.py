"""Warnings for input that is valid but unlikely (issue 12 item 1): recorded, and said in French
rather than kept silent — an event years ahead, a hearing on a Sunday or a public holiday, a
payment larger than what is still owed, a payment plan on a case
without any invoice (`casefile.store.payment_plans.NO_CLAIM`).

Pure functions over plain values; `today` is a parameter (the services pass the real date).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

from casefile.documents.formatting import amount_fr, date_fr
from casefile.law.money import from_cents
from casefile.law.territories import Territory

FAR_FUTURE = timedelta(days=366)
FAR_PAST_YEARS = 30
HEARINGS = frozenset({"audience"})
# Saint-Barthélemy and Saint-Martin share Guadeloupe's 971 postcode range.
COLLECTIVITY_POSTCODES = {"97133": "977", "97150": "978"}


def event_warnings(key: str, label: str, day: date, today: date, territory: Territory) -> list[str]:
    warnings: list[str] = []
    if day - today > FAR_FUTURE:
        warnings.append(
            f"« {label} » est daté du {date_fr(day)}, plus d'un an après aujourd'hui : "
            "vérifiez l'année."
        )
    if today.year - day.year > FAR_PAST_YEARS:
        warnings.append(
            f"« {label} » est daté du {date_fr(day)}, il y a plus de {FAR_PAST_YEARS} ans : "
            "vérifiez l'année."
        )
    if key in HEARINGS:
        closed = territory.holiday(day)
        if closed:
            warnings.append(
                f"L'audience est fixée au {date_fr(day)}, jour férié ({closed}) : vérifiez la date."
            )
        elif day.weekday() >= 5:
            weekday = "un samedi" if day.weekday() == 5 else "un dimanche"
            warnings.append(
                f"L'audience est fixée au {date_fr(day)}, {weekday} : vérifiez la date."
            )
    return warnings


def payment_warnings(
    amount_cents: int, outstanding_cents: int, claims: int, day: date, today: date
) -> list[str]:
    warnings: list[str] = []
    if claims == 0:
        warnings.append(
            "Aucune facture n'est enregistrée sur ce dossier : le paiement ne peut être imputé "
            "sur rien."
        )
    elif amount_cents > outstanding_cents:
        warnings.append(
            f"Le paiement de {amount_fr(from_cents(amount_cents))} dépasse le principal restant "
            f"dû ({amount_fr(from_cents(max(outstanding_cents, 0)))}) : vérifiez le montant."
        )
    if day > today:
        warnings.append(f"Le paiement est daté du {date_fr(day)}, dans le futur.")
    return warnings


def promise_warnings(amount_cents: int, outstanding_cents: int, invoice: str | None) -> list[str]:
    """A promise above what is owed can never be kept by paying the debt (a typo: 12 000 for
    1 200); interest and indemnities may make it legitimately larger, hence a warning."""
    if amount_cents <= max(outstanding_cents, 0):
        return []
    owed = f"de la facture {invoice}" if invoice else "du dossier"
    return [
        f"La promesse de {amount_fr(from_cents(amount_cents))} dépasse le principal restant dû "
        f"{owed} ({amount_fr(from_cents(max(outstanding_cents, 0)))}) : vérifiez le montant "
        "(elle n'est tenue que si les paiements l'atteignent ; intérêts et indemnités compris, "
        "elle peut être plus élevée)."
    ]


def invoice_warnings(issue: date, due: date, today: date) -> list[str]:
    warnings: list[str] = []
    if issue > today:
        warnings.append(f"La facture est émise le {date_fr(issue)}, dans le futur.")
    if due - issue > FAR_FUTURE:
        warnings.append(
            f"L'échéance du {date_fr(due)} est à plus d'un an de l'émission "
            f"({date_fr(issue)}) : vérifiez les dates."
        )
    return warnings


def department_of_postcode(postcode: str) -> str | None:
    """The department a French postcode points to: "67000" → "67", "20090" → "2A",
    "20200" → "2B", "97110" → "971"; None when it cannot say (CEDEX ranges excepted)."""
    if len(postcode) != 5 or not postcode.isdigit():
        return None
    if postcode.startswith("20"):
        return "2A" if postcode[2] in "01" else "2B"
    if postcode in COLLECTIVITY_POSTCODES:
        return COLLECTIVITY_POSTCODES[postcode]
    if postcode.startswith(("97", "98")):
        return postcode[:3]
    return postcode[:2]


def residence_warnings(
    role: str, values: Mapping[str, Any], court_department: str | None = None
) -> list[str]:
    """The residence decides the art. 643/644 extension: say when the address disagrees, and,
    when the residence is the court's department, that an empty field gave it (the person
    never typed it)."""
    residence = values.get("residence")
    given = (
        " (un champ « Département de résidence » laissé vide prend celui du tribunal)"
        if residence and residence == court_department
        else ""
    )
    country = str(values.get("country") or "France")
    foreign = country.strip().lower() not in ("france", "")
    who = "du débiteur" if role == "debtor" else "du créancier"
    if foreign and residence != "etranger":
        return [
            f"L'adresse {who} est à l'étranger ({country}) mais sa résidence enregistrée est le "
            f"département {residence}{given} : l'allongement des délais pour distance (CPC art. 643) "
            "suit la résidence — vérifiez-la."
        ]
    department = department_of_postcode(str(values.get("postcode") or ""))
    if not foreign and department and residence and department != residence:
        return [
            f"Le code postal {values.get('postcode')} {who} indique le département {department}, "
            f"mais sa résidence enregistrée est le département {residence}{given} : l'allongement "
            "des délais pour distance (CPC art. 643 et 644) suit la résidence — vérifiez-la."
        ]
    return []
