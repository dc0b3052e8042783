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

Per case, the stored ledger (`cases.claimed_cents`, `principal_due_cents`, `last_paid_on`,
kept by `casefile.store.ledger`): the figures read the cases, not the invoices. A case not yet
recomputed since the ledger exists is computed from its invoices and payments: due = claimed −
paid (at least 0), the same unless an overpaid invoice's excess could not be imputed.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from casefile import clock
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


async def _case_rows(actor: User, sql: _Sql, extra: str = "") -> str:
    """Per visible case with a principal claimed: `(cid, procedure, base, due, last_paid,
    started)` — from the stored ledger (`cases.claimed_cents`…), else (a case not recomputed
    since the ledger exists) from its invoices and payments (claimed − paid, at least 0).
    `extra`: more conditions on `c`, constants only."""
    started = _start_date()
    stored = f"""
  SELECT c.id AS cid, c.procedure, c.claimed_cents AS base, c.principal_due_cents AS due,
         c.last_paid_on AS last_paid, {started} AS started
  FROM cases c
  WHERE c.ledger_on IS NOT NULL AND c.claimed_cents > 0{extra}
    AND {await _where(actor, PortfolioQuery(), clock.today(), sql)}"""
    computed = f"""
  SELECT c.id AS cid, c.procedure, a.base,
         CASE WHEN a.base > COALESCE(lp.paid, 0) THEN a.base - COALESCE(lp.paid, 0)
              ELSE 0 END AS due,
         lp.last_paid, {started} AS started
  FROM cases c
  JOIN (SELECT k."case" AS cid,
               CAST(SUM(CASE WHEN k.amount_cents > k.paid_cents
                             THEN k.amount_cents - k.paid_cents ELSE 0 END) AS BIGINT) AS base
        FROM claims k JOIN cases c2 ON c2.id = k."case" WHERE c2.ledger_on IS NULL
        GROUP BY k."case") a ON a.cid = c.id AND a.base > 0
  LEFT JOIN (SELECT p."case" AS cid, MAX(p.date) AS last_paid,
                    CAST(SUM(p.amount_cents) AS BIGINT) AS paid
             FROM payments p JOIN cases c3 ON c3.id = p."case" WHERE c3.ledger_on IS NULL
             GROUP BY p."case") lp ON lp.cid = c.id
  WHERE c.ledger_on IS NULL{extra}
    AND {await _where(actor, PortfolioQuery(), clock.today(), sql)}"""
    return f"{stored}\n  UNION ALL{computed}"


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
    closed = ", ".join(f"'{status}'" for status in CLOSED_STATUSES)  # constants, inlined:
    extra = f" AND c.status NOT IN ({closed}) AND c.phase = '{LITIGATION}'"  # real estimates
    statement = f"""
SELECT r.procedure, s.key AS stage, COUNT(*) AS cases, CAST(SUM(r.due) AS BIGINT) AS amount
FROM ({await _case_rows(actor, sql, extra)}) r
LEFT JOIN (
  SELECT e."case" AS cid, e.key,
         ROW_NUMBER() OVER (PARTITION BY e."case" ORDER BY e.date DESC, e.id DESC) AS rn
  FROM events e) s ON s.cid = r.cid AND s.rn = 1
GROUP BY r.procedure, s.key
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
    days = _days_between("r.last_paid", "r.started")
    done = "r.due = 0 AND r.last_paid IS NOT NULL"
    statement = f"""
SELECT r.procedure, COUNT(*) AS cases, CAST(SUM(r.base) AS BIGINT) AS claimed,
       CAST(SUM(CASE WHEN r.base > r.due THEN r.base - r.due ELSE 0 END) AS BIGINT) AS recovered,
       SUM(CASE WHEN {done} THEN 1 ELSE 0 END) AS done,
       SUM(CASE WHEN {done} AND {days} > 0 THEN {days} ELSE 0 END) AS days
FROM ({await _case_rows(actor, sql)}) r
GROUP BY r.procedure
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
