"""What a legal director looks at (issue 17 item 4), computed by the database:

- the amounts in litigation by procedure and stage: the open cases in the `contentieux`
  phase, their outstanding principal today, grouped by procedure and by the last act recorded
  (the case's latest event of its procedure; none yet: "aucun acte enregistré");
- the recovery rate and the average time to recovery per procedure (the case's current
  procedure; `amiable` for the files still in the amicable phase):
    rate = principal recovered / principal claimed, where principal claimed is Σ (amount −
           already paid when recorded) and principal recovered is what the payments imputed
           to it (the stored ledger, C. civ. 1342-10), i.e. claimed − still outstanding;
    time = average, over the cases whose principal is fully recovered, of the days from the
           case's opening (or its handover to litigation) to its last payment.
  A procedure without a claimed principal, or without a fully recovered case, shows
  "non renseigné": no figure is invented.

Outstanding per case: Σ `claims.outstanding_cents` (the stored ledger); a case not yet
recomputed since the ledger exists takes `cases.outstanding_cents` (claims − payments) instead.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from casefile.definitions import engine
from casefile.labels import PROCEDURES
from casefile.law.money import cents_text
from casefile.services.portfolio import PortfolioQuery, _Sql, _where
from casefile.store.cases import CLOSED_STATUSES, LITIGATION
from casefile.store.db import postgres
from casefile.store.permissions import User, require
from casefile.store.tables import Case

NO_ACT = "Aucun acte de la procédure enregistré"
NOT_AVAILABLE = "non renseigné"
LITIGATION_METHOD = (
    "Dossiers en cours au contentieux (phase contentieuse, ni clos ni soldés) : principal "
    "restant dû à ce jour (après imputation des paiements, C. civ. art. 1342-10), factures "
    "contestées comprises, par procédure et par dernier acte enregistré."
)
RECOVERY_METHOD = (
    "Taux de recouvrement : principal recouvré / principal réclamé (montant des factures moins "
    "ce qui était déjà payé à leur enregistrement), par procédure actuelle du dossier ; un "
    "dossier transmis au contentieux compte pour sa procédure judiciaire, paiements amiables "
    "compris. Délai moyen : sur les dossiers dont le principal est entièrement recouvré, jours "
    "entre l'ouverture du dossier (ou sa transmission au contentieux) et le dernier paiement."
)


def _case_outstanding() -> str:
    """Per visible case: its outstanding principal today (see the module's docstring)."""
    return """
  SELECT k."case" AS cid,
         CAST(SUM(CASE WHEN k.amount_cents > k.paid_cents THEN k.amount_cents - k.paid_cents
                       ELSE 0 END) AS BIGINT) AS base,
         CAST(SUM(COALESCE(k.outstanding_cents, 0)) AS BIGINT) AS stored
  FROM claims k GROUP BY k."case\""""


def _outstanding_expr() -> str:
    return (
        "CASE WHEN c.ledger_on IS NOT NULL THEN a.stored "
        "WHEN c.outstanding_cents > 0 THEN c.outstanding_cents ELSE 0 END"
    )


@dataclass(frozen=True)
class StageRow:
    procedure: str
    procedure_label: str
    stage: str | None
    stage_label: str
    cases: int
    amount_cents: int


def _stage_label(procedure: str, stage: str | None) -> str:
    definition = engine().procedures.get(procedure)
    if stage is None or definition is None or stage not in definition.events:
        return NO_ACT
    return definition.events[stage].label


async def litigation_by_stage(actor: User) -> tuple[StageRow, ...]:
    require(actor, "case.read")
    sql = _Sql()
    where = await _where(actor, PortfolioQuery(), date.today(), sql)
    closed = sql.args_in(CLOSED_STATUSES)
    phase = sql.arg(LITIGATION)
    statement = f"""
SELECT c.procedure, s.key AS stage, COUNT(*) AS cases,
       CAST(SUM({_outstanding_expr()}) AS BIGINT) AS amount
FROM cases c
JOIN ({_case_outstanding()}) a ON a.cid = c.id
LEFT JOIN (
  SELECT e."case" AS cid, e.key,
         ROW_NUMBER() OVER (PARTITION BY e."case" ORDER BY e.date DESC, e.id DESC) AS rn
  FROM events e) s ON s.cid = c.id AND s.rn = 1
WHERE {where} AND c.status NOT IN ({closed}) AND c.phase = {phase}
GROUP BY c.procedure, s.key
"""
    merged: dict[tuple[str, str], list[Any]] = {}
    for row in await Case.raw(statement, *sql.args):
        procedure = row["procedure"]
        label = _stage_label(procedure, row["stage"])
        key = (procedure, label)
        item = merged.setdefault(key, [row["stage"] if label != NO_ACT else None, 0, 0])
        item[1] += int(row["cases"] or 0)
        item[2] += int(row["amount"] or 0)
    rows = [
        StageRow(procedure, PROCEDURES.get(procedure, procedure), stage, label, n, cents)
        for (procedure, label), (stage, n, cents) in merged.items()
    ]
    order = {key: i for i, key in enumerate(PROCEDURES)}
    rows.sort(key=lambda r: (order.get(r.procedure, 99), -r.amount_cents, r.stage_label))
    return tuple(rows)


@dataclass(frozen=True)
class RecoveryRow:
    procedure: str
    procedure_label: str
    cases: int
    claimed_cents: int
    recovered_cents: int
    recovered_cases: int  # cases whose principal is fully recovered
    total_days: int  # Σ days to recovery over those cases

    @property
    def rate(self) -> Decimal | None:
        if self.claimed_cents <= 0:
            return None
        return (Decimal(100) * self.recovered_cents / self.claimed_cents).quantize(
            Decimal("0.1"), ROUND_HALF_UP
        )

    @property
    def average_days(self) -> Decimal | None:
        if self.recovered_cases == 0:
            return None
        return (Decimal(self.total_days) / self.recovered_cases).quantize(
            Decimal("0.1"), ROUND_HALF_UP
        )

    @property
    def rate_text(self) -> str:
        rate = self.rate
        return NOT_AVAILABLE if rate is None else f"{rate} %".replace(".", ",")

    @property
    def days_text(self) -> str:
        days = self.average_days
        return NOT_AVAILABLE if days is None else f"{days} jours".replace(".", ",")


def _days_between(later: str, earlier: str) -> str:
    if postgres():
        return f"({later} - {earlier})"
    return f"CAST(julianday({later}) - julianday({earlier}) AS INTEGER)"


def _start_date() -> str:
    """The day a case started: its handover to litigation, else its opening."""
    opened = "CAST(c.created_at AS DATE)" if postgres() else "date(c.created_at)"
    return f"COALESCE(c.handed_over_on, {opened})"


async def recovery_by_procedure(actor: User) -> tuple[RecoveryRow, ...]:
    require(actor, "case.read")
    sql = _Sql()
    where = await _where(actor, PortfolioQuery(), date.today(), sql)
    outstanding = _outstanding_expr()
    days = _days_between("lp.last_paid", _start_date())
    statement = f"""
SELECT c.procedure, COUNT(*) AS cases,
       CAST(SUM(a.base) AS BIGINT) AS claimed,
       CAST(SUM(CASE WHEN a.base > {outstanding} THEN a.base - {outstanding} ELSE 0 END)
            AS BIGINT) AS recovered,
       SUM(CASE WHEN a.base > 0 AND {outstanding} = 0 AND lp.last_paid IS NOT NULL
                THEN 1 ELSE 0 END) AS done,
       SUM(CASE WHEN a.base > 0 AND {outstanding} = 0 AND lp.last_paid IS NOT NULL
                THEN CASE WHEN {days} > 0 THEN {days} ELSE 0 END ELSE 0 END) AS days
FROM cases c
JOIN ({_case_outstanding()}) a ON a.cid = c.id
LEFT JOIN (SELECT p."case" AS cid, MAX(p.date) AS last_paid FROM payments p
           GROUP BY p."case") lp ON lp.cid = c.id
WHERE {where}
GROUP BY c.procedure
"""
    rows = [
        RecoveryRow(
            row["procedure"],
            PROCEDURES.get(row["procedure"], row["procedure"]),
            int(row["cases"] or 0),
            int(row["claimed"] or 0),
            int(row["recovered"] or 0),
            int(row["done"] or 0),
            int(row["days"] or 0),
        )
        for row in await Case.raw(statement, *sql.args)
    ]
    order = {key: i for i, key in enumerate(PROCEDURES)}
    rows.sort(key=lambda r: order.get(r.procedure, 99))
    return tuple(rows)


def _csv(header: Sequence[str], lines: Sequence[Sequence[str]], notes: Sequence[str]) -> str:
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(lines)
    for note in notes:
        writer.writerow((note,))
    return buffer.getvalue()


def _amount(cents: int) -> str:
    return cents_text(cents).replace(".", ",")


def export_stages_csv(rows: Sequence[StageRow]) -> str:
    return _csv(
        ("Procédure", "Dernier acte", "Dossiers", "Restant dû (€)"),
        [(r.procedure_label, r.stage_label, str(r.cases), _amount(r.amount_cents)) for r in rows],
        (),
    )


def export_recovery_csv(rows: Sequence[RecoveryRow]) -> str:
    def value(number: Decimal | None) -> str:
        return NOT_AVAILABLE if number is None else str(number).replace(".", ",")

    return _csv(
        (
            "Procédure",
            "Dossiers",
            "Principal réclamé (€)",
            "Principal recouvré (€)",
            "Taux de recouvrement (%)",
            "Dossiers entièrement recouvrés",
            "Délai moyen de recouvrement (jours)",
        ),
        [
            (
                r.procedure_label,
                str(r.cases),
                _amount(r.claimed_cents),
                _amount(r.recovered_cents),
                value(r.rate),
                str(r.recovered_cases),
                value(r.average_days),
            )
            for r in rows
        ],
        (),
    )
