"""DSO, délai moyen de paiement des clients (issue 17 item 4), by the count-back method
(méthode par épuisement du chiffre d'affaires):

    encours = what the visible invoices still owe on `as_of` (principal, disputed ones
              included: they are still receivables), from the aged balance;
    then, month by month going back from `as_of` (rolling months: the month ending on `as_of`,
    the one before…), the amounts invoiced that month (TTC, by issue date) are taken off the
    encours; each month fully absorbed counts its days, the last one in proportion of what is
    left. DSO = the days counted.

Over at most 12 months: an encours larger than 12 months of invoicing gives "plus de N jours".
No invoice issued in those 12 months: "non renseigné" (no figure is invented).

casefile holds the invoices entrusted to it — unpaid ones, mostly — not the creditor's whole
turnover: the DSO measures that portfolio, longer than the company's own DSO. The page says so.
Two statements: the aged balance's, and the amounts invoiced by issue day over the 12 months
(a few hundred rows, put in their months in Python).
"""

from __future__ import annotations

import calendar
import csv
import io
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from casefile.law.money import cents_text
from casefile.services.portfolio import _Sql
from casefile.services.reports import AgedBalanceQuery, _visible, aged_balance
from casefile.store.permissions import User, require
from casefile.store.tables import Case

MONTHS = 12
METHOD = (
    "Méthode par épuisement (count-back) : de l'encours à la date d'arrêté (principal restant "
    "dû, factures contestées comprises), on retranche le montant TTC des factures émises mois "
    "par mois en remontant depuis la date d'arrêté ; chaque mois entièrement absorbé compte "
    "pour son nombre de jours, le dernier au prorata de ce qui reste. Calculé sur les 12 "
    "derniers mois au plus, sur les seules factures confiées à casefile (pas sur tout le "
    "chiffre d'affaires du créancier)."
)
NOT_AVAILABLE = "non renseigné"


def months_back(day: date, months: int) -> date:
    """The same day `months` earlier, clipped to the end of a shorter month."""
    total = day.year * 12 + day.month - 1 - months
    year, month = divmod(total, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class Month:
    start: date  # exclusive: the invoices issued after `start`…
    end: date  # …and on or before `end`
    invoiced_cents: int
    counted_days: Decimal  # the days this month adds to the DSO

    @property
    def days(self) -> int:
        return (self.end - self.start).days


@dataclass(frozen=True)
class Dso:
    as_of: date
    receivables_cents: int
    months: tuple[Month, ...]
    days: Decimal | None  # None: no invoicing in the period (non renseigné)
    exhausted: bool  # the encours is larger than the 12 months of invoicing
    query: AgedBalanceQuery

    @property
    def text(self) -> str:
        if self.days is None:
            return NOT_AVAILABLE
        shown = f"{self.days:.1f}".replace(".", ",")
        return f"plus de {shown} jours" if self.exhausted else f"{shown} jours"

    def as_json(self) -> dict[str, Any]:
        return {
            "as_of": self.as_of.isoformat(),
            "method": "count-back",
            "definition": METHOD,
            "receivables": cents_text(self.receivables_cents),
            "dso_days": str(self.days) if self.days is not None else None,
            "exhausted": self.exhausted,
            "text": self.text,
            "months": [
                {
                    "from": m.start.isoformat(),
                    "to": m.end.isoformat(),
                    "invoiced": cents_text(m.invoiced_cents),
                    "counted_days": str(m.counted_days),
                }
                for m in self.months
            ],
        }


def count_back(
    receivables: int, months: list[tuple[date, date, int]]
) -> tuple[Decimal | None, bool, list[Decimal]]:
    """(DSO in days to 0.1, exhausted, days counted per month) — months newest first."""
    if not any(invoiced > 0 for _, _, invoiced in months):
        return None, False, [Decimal(0)] * len(months)
    left = receivables
    total = Decimal(0)
    counted: list[Decimal] = []
    for start, end, invoiced in months:
        days = Decimal((end - start).days)
        if left <= 0:
            counted.append(Decimal(0))
        elif invoiced >= left:
            part = days * Decimal(left) / Decimal(invoiced)
            counted.append(part)
            total += part
            left = 0
        else:
            counted.append(days)
            total += days
            left -= invoiced
    tenth = Decimal("0.1")
    return (
        total.quantize(tenth, ROUND_HALF_UP),
        left > 0,
        [c.quantize(tenth, ROUND_HALF_UP) for c in counted],
    )


async def dso(actor: User, query: AgedBalanceQuery) -> Dso:
    require(actor, "case.read")
    balance = await aged_balance(actor, query)
    receivables = balance.total_cents + balance.disputed.amount_cents
    bounds = [months_back(query.as_of, i) for i in range(MONTHS + 1)]  # newest first
    sql = _Sql()
    visible = _visible(actor, query, sql)
    # Sums by issue day (a few hundred rows), put in their months here.
    where = await visible()  # placeholders in the order of the text: the join's first
    cases = "" if where == "1 = 1" else f' JOIN cases c ON c.id = k."case" AND {where}'
    first, last = sql.arg(bounds[-1]), sql.arg(query.as_of)
    statement = f"""
SELECT k.issue_date AS day, CAST(SUM(k.amount_cents) AS BIGINT) AS amount
FROM claims k{cases}
WHERE k.issue_date > {first} AND k.issue_date <= {last}
GROUP BY k.issue_date
"""
    invoiced = [0] * MONTHS
    for row in await Case.raw(statement, *sql.args):
        day = row["day"] if isinstance(row["day"], date) else date.fromisoformat(row["day"])
        index = next(i for i in range(MONTHS) if day > bounds[i + 1])
        invoiced[index] += int(row["amount"] or 0)
    periods = [(bounds[i + 1], bounds[i], invoiced[i]) for i in range(MONTHS)]
    days, exhausted, counted = count_back(receivables, periods)
    months = tuple(
        Month(start, end, invoiced, part)
        for (start, end, invoiced), part in zip(periods, counted, strict=True)
    )
    return Dso(query.as_of, receivables, months, days, exhausted, query)


def export_dso_csv(result: Dso) -> str:
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(("Du (exclu)", "Au (inclus)", "Facturé TTC (€)", "Jours comptés"))
    for m in result.months:
        writer.writerow(
            (
                m.start.isoformat(),
                m.end.isoformat(),
                cents_text(m.invoiced_cents).replace(".", ","),
                str(m.counted_days).replace(".", ","),
            )
        )
    writer.writerow(("Encours (€)", "", cents_text(result.receivables_cents).replace(".", ","), ""))
    writer.writerow(("DSO (méthode par épuisement)", "", "", result.text))
    writer.writerow(("Date d'arrêté", "", "", result.as_of.isoformat()))
    return buffer.getvalue()
