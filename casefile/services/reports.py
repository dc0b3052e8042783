"""Portfolio figures (issue 17 item 4): the aged balance (balance âgée), computed by the
database in one SQL statement so that it stays fast at 100 000 invoices on PostgreSQL
(`GET /api/reports/aged-balance?as_of=…`, DESIGN §4b; page `/rapports/balance-agee`; CSV).

What an invoice still owes on `as_of`, in principal (interest and the 40 € indemnity are the
claim statement's business, not the aged balance's):

    amount − paid_cents (settled before it was recorded)
           − payments dated on or before `as_of` that name it (C. civ. art. 1342-10 al. 1)
           − its share of the case's other payments, imputed to the invoices already due, the
             oldest due first, then to those not yet due in the same order (art. 1342-10 al. 2).

The other payments are those naming no invoice plus whatever a named payment left over beyond
its invoice — the rule of `casefile.law.claims.claim_statement`, which cannot be reused as is:
it is a per-case Python loop (with interest first, C. civ. art. 1343-1), far too slow for
100 000 invoices. Here the imputation is a running sum (SQL window) over the invoices in due
order. Invoices due the same day share a payment proportionally in the statement; they fall in
the same bucket, so the buckets' sums are the same either way. Payments go to principal only,
so a case with accrued interest shows slightly less outstanding here than in its statement.

Disputed invoices (`claims.disputed`, from `disputed_on`) are apart: they take their named
payments but none of the others — the debtor, who contests them, has the most interest in
paying the undisputed debts first (art. 1342-10 al. 2) — and are reported as one `disputed`
amount, outside the buckets and the total. Invoices issued after `as_of` do not count.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from casefile.errors import InputError
from casefile.law.claims import CIVIL_CODE_SOURCE
from casefile.law.money import cents_text
from casefile.services.portfolio import PortfolioQuery, _Sql, _where
from casefile.store.permissions import User, require
from casefile.store.tables import Case

# (key, French label, oldest day past due of the bucket; None: no bound)
BUCKETS: tuple[tuple[str, str, int | None], ...] = (
    ("non_echu", "Non échu", None),
    ("1-30", "1 à 30 jours", 30),
    ("31-60", "31 à 60 jours", 60),
    ("61-90", "61 à 90 jours", 90),
    ("91-120", "91 à 120 jours", 120),
    ("120+", "Plus de 120 jours", None),
)
DISPUTED = "disputed"
DISPUTED_LABEL = "Contesté"
METHOD = (
    "Principal restant dû par facture à la date choisie : montant − déjà payé − paiements "
    "désignant la facture (C. civ. art. 1342-10 al. 1) − part des autres paiements imputée "
    "sur les dettes échues, la plus ancienne d'abord (C. civ. art. 1342-10 al. 2). Les "
    "factures contestées sont à part et ne reçoivent que les paiements qui les désignent."
)


@dataclass(frozen=True)
class AgedBalanceQuery:
    as_of: date
    creditor: str | None = None  # the creditor's name (any case) or SIREN
    debtor: str | None = None
    lawyer: str | None = None  # a user name, or "aucun" (portfolio.UNASSIGNED)


@dataclass(frozen=True)
class Bucket:
    key: str
    label: str
    amount_cents: int
    invoices: int


@dataclass(frozen=True)
class AgedBalance:
    as_of: date
    buckets: tuple[Bucket, ...]
    disputed: Bucket
    query: AgedBalanceQuery

    @property
    def total_cents(self) -> int:
        return sum(b.amount_cents for b in self.buckets)

    def as_json(self) -> dict[str, Any]:
        """The contract shape (DESIGN §4b) plus the disputed amount and the counts."""
        return {
            "as_of": self.as_of.isoformat(),
            "total": cents_text(self.total_cents),
            "buckets": [
                {
                    "key": b.key,
                    "label": b.label,
                    "amount": cents_text(b.amount_cents),
                    "invoices": b.invoices,
                }
                for b in self.buckets
            ],
            "disputed": cents_text(self.disputed.amount_cents),
            "disputed_invoices": self.disputed.invoices,
            "filters": {
                "creditor": self.query.creditor,
                "debtor": self.query.debtor,
                "lawyer": self.query.lawyer,
            },
            "method": METHOD,
            "source": CIVIL_CODE_SOURCE,  # the Code civil (art. 1342-10's own id unconfirmed)
        }


def parse_as_of(raw: str | None, today: date, name: str = "as_of") -> date:
    """The day of the figures (`today` when absent); `name` is the field as the person sees it:
    the API's parameter, or the page's « date d'arrêté »."""
    if raw is None or not raw.strip():
        return today
    try:
        return date.fromisoformat(raw.strip())
    except ValueError:
        raise InputError(
            f"{name} : « {raw} » n'est pas une date (format AAAA-MM-JJ, ex. 2026-11-30)"
        ) from None


def _party_clause(role: str, value: str, sql: _Sql) -> str:
    text = value.strip().lower()
    digits = text.replace(" ", "")
    clause = f'SELECT p."case" FROM parties p WHERE p.role = {sql.arg(role)} AND (lower(p.name) = {sql.arg(text)}'
    if digits.isdigit() and len(digits) == 9:
        clause += f" OR p.siren = {sql.arg(digits)}"
    return f"c.id IN ({clause}))"


def _bucket_case(as_of: date, sql: _Sql) -> str:
    """The bucket key of an invoice from its due date, bounds as dates (index-friendly and the
    same on both engines): due on or after `as_of` is not yet past due."""
    parts = [
        f"WHEN o.dis = 1 THEN '{DISPUTED}'",
        f"WHEN o.due_date >= {sql.arg(as_of)} THEN 'non_echu'",
    ]
    for key, _, days in BUCKETS[1:-1]:
        assert days is not None
        parts.append(f"WHEN o.due_date >= {sql.arg(as_of - timedelta(days=days))} THEN '{key}'")
    return "CASE " + " ".join(parts) + f" ELSE '{BUCKETS[-1][0]}' END"


def _visible(actor: User, query: AgedBalanceQuery, sql: _Sql) -> Callable[[], Awaitable[str]]:
    """The visibility and filter clause over `cases c`, written where it is awaited (its
    placeholders are numbered in the order of the text)."""
    for what, value in (("créancier", query.creditor), ("débiteur", query.debtor)):
        if value is not None and ("\x00" in value or len(value) > 300):
            raise InputError(f"{what} : filtre trop long ou caractère nul")
    checked = PortfolioQuery(lawyer=query.lawyer).checked()

    async def visible() -> str:
        clause = await _where(actor, checked, query.as_of, sql)
        for role, value in (("creditor", query.creditor), ("debtor", query.debtor)):
            if value and value.strip():
                clause += " AND " + _party_clause(role, value, sql)
        return clause

    return visible


async def ledger_rows(
    as_of: date,
    sql: _Sql,
    visible: Callable[[], Awaitable[str]],
    group_join: str = "",
    group: str = "''",
    per_invoice: bool = False,
    branch: str = "both",
) -> str:
    """The text of a row source `(grp, due_date, dis, amount, invoices)`: the outstanding
    principal on `as_of` of the visible invoices by group (`group`, an expression over
    `group_join`, e.g. the creditor's name), due date and dispute, from two sources:

    - the cases whose stored ledger holds on `as_of` (`ledger_on <= as_of`, nearly all of them
      on today's date): the stored outstanding principal, summed by due date first (a few
      hundred rows for the buckets instead of every invoice) unless `per_invoice` (the caller
      groups by something with many values: one aggregation instead of two);
    - the others (a past date, a payment dated later, never computed): the full imputation —
      the invoices with their named payments, the unassigned payments per case, then two
      window sums per case: the pool to impute (unassigned + what named payments left over)
      and the undisputed principal of the invoices due before this one.

    `branch`: "stored" or "full" gives one source alone (the caller aggregates each one).
    No CTE: PostgreSQL would materialise one used twice, misjudge its size, then spend
    seconds compiling it."""
    if branch == "full":
        return await _full_rows(as_of, sql, visible, group_join, group)
    ledger, issued = sql.arg(as_of), sql.arg(as_of)  # the same value: order-free
    where = await visible()
    if where == "1 = 1" and not group_join:
        # Every case visible: no join to the 33 000 cases, only the few whose ledger does
        # not hold (an index range) left out by a hashed NOT IN.
        source = f"""claims k
  WHERE k.issue_date <= {issued} AND k."case" NOT IN (
    SELECT c.id FROM cases c WHERE c.ledger_on IS NULL OR c.ledger_on > {ledger})"""
    else:
        source = f"""claims k JOIN cases c ON c.id = k."case" {group_join}
  WHERE c.ledger_on <= {ledger} AND k.issue_date <= {issued} AND {where}"""
    if per_invoice:  # the caller aggregates once, over many groups
        stored = f"""
  SELECT {group} AS grp, k.due_date, CASE WHEN k.disputed THEN 1 ELSE 0 END AS dis,
         k.outstanding_cents AS amount,
         CASE WHEN k.outstanding_cents > 0 THEN 1 ELSE 0 END AS invoices
  FROM {source}"""
    else:
        stored = f"""
  SELECT {group} AS grp, k.due_date, CASE WHEN k.disputed THEN 1 ELSE 0 END AS dis,
         CAST(SUM(k.outstanding_cents) AS BIGINT) AS amount,
         SUM(CASE WHEN k.outstanding_cents > 0 THEN 1 ELSE 0 END) AS invoices
  FROM {source}
  GROUP BY {group + ", " if group_join else ""}k.due_date, k.disputed"""
    if branch == "stored":
        return stored
    full = await _full_rows(as_of, sql, visible, group_join, group)
    return f"{stored}\n  UNION ALL{full}"


async def _full_rows(
    as_of: date,
    sql: _Sql,
    visible: Callable[[], Awaitable[str]],
    group_join: str,
    group: str,
) -> str:
    """`ledger_rows`' second source: the full imputation of the cases whose stored ledger
    does not hold on `as_of`."""
    full = f"""
  SELECT f.grp, f.due_date, f.dis, f.outstanding AS amount,
         CASE WHEN f.outstanding > 0 THEN 1 ELSE 0 END AS invoices
  FROM (
  SELECT o.grp, o.due_date, o.dis,
         CASE WHEN o.dis = 1 THEN o.rest
              WHEN o.pool - o.before <= 0 THEN o.rest
              WHEN o.pool - o.before >= o.rest THEN 0
              ELSE o.rest - (o.pool - o.before) END AS outstanding
  FROM (
    SELECT r.grp, r.due_date, r.dis, r.rest,
           COALESCE(u.amount, 0)
             + CAST(SUM(r.excess) OVER (PARTITION BY r.cid) AS BIGINT) AS pool,
           COALESCE(CAST(SUM(CASE WHEN r.dis = 0 THEN r.rest ELSE 0 END) OVER (
             PARTITION BY r.cid ORDER BY r.due_date, r.id
             ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS BIGINT), 0) AS before
    FROM (
      SELECT k.id, k.cid, k.grp, k.due_date, k.dis,
             CASE WHEN COALESCE(n.paid, 0) < k.base THEN k.base - COALESCE(n.paid, 0)
                  ELSE 0 END AS rest,
             CASE WHEN COALESCE(n.paid, 0) > k.base THEN COALESCE(n.paid, 0) - k.base
                  ELSE 0 END AS excess
      FROM (
        SELECT k.id, k."case" AS cid, {group} AS grp, k.due_date,
               CASE WHEN k.amount_cents > k.paid_cents THEN k.amount_cents - k.paid_cents
                    ELSE 0 END AS base,
               CASE WHEN k.disputed AND (k.disputed_on IS NULL
                                         OR k.disputed_on <= {sql.arg(as_of)})
                    THEN 1 ELSE 0 END AS dis
        FROM claims k JOIN cases c ON c.id = k."case" {group_join}
        WHERE (c.ledger_on IS NULL OR c.ledger_on > {sql.arg(as_of)})
          AND k.issue_date <= {sql.arg(as_of)} AND {await visible()}) k
      LEFT JOIN (
        SELECT p.claim AS kid, CAST(SUM(p.amount_cents) AS BIGINT) AS paid FROM payments p
        WHERE p.claim IS NOT NULL AND p.date <= {sql.arg(as_of)} GROUP BY p.claim) n
        ON n.kid = k.id) r
    LEFT JOIN (
      SELECT p."case" AS cid, CAST(SUM(p.amount_cents) AS BIGINT) AS amount FROM payments p
      WHERE p.claim IS NULL AND p.date <= {sql.arg(as_of)} GROUP BY p."case") u
      ON u.cid = r.cid) o) f"""
    return full


async def aged_balance(actor: User, query: AgedBalanceQuery) -> AgedBalance:
    """The aged balance of the cases `actor` may see (a commissaire de justice: their own),
    optionally of one creditor, debtor or lawyer: one statement, one GROUP BY over the CASE
    buckets of `ledger_rows`."""
    require(actor, "case.read")
    sql = _Sql()  # placeholders are numbered in the order written: build the text in order
    visible = _visible(actor, query, sql)
    bucket = _bucket_case(query.as_of, sql)
    statement = f"""
SELECT {bucket} AS bucket, CAST(SUM(o.amount) AS BIGINT) AS amount,
       SUM(o.invoices) AS invoices
FROM ({await ledger_rows(query.as_of, sql, visible)}) o
GROUP BY 1
"""
    rows = await Case.raw(statement, *sql.args)
    found = {row["bucket"]: (int(row["amount"] or 0), int(row["invoices"] or 0)) for row in rows}
    buckets = tuple(Bucket(key, label, *found.get(key, (0, 0))) for key, label, _ in BUCKETS)
    disputed = Bucket(DISPUTED, DISPUTED_LABEL, *found.get(DISPUTED, (0, 0)))
    return AgedBalance(query.as_of, buckets, disputed, query)


def export_csv(balance: AgedBalance) -> str:
    """`;`-separated with a BOM for French Excel, amounts with a decimal comma."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(("Tranche", "Factures", "Restant dû (€)"))

    def amount(cents: int) -> str:
        return cents_text(cents).replace(".", ",")

    for bucket in balance.buckets:
        writer.writerow((bucket.label, str(bucket.invoices), amount(bucket.amount_cents)))
    writer.writerow(
        ("Total", str(sum(b.invoices for b in balance.buckets)), amount(balance.total_cents))
    )
    writer.writerow(
        (
            "Contesté (hors total)",
            str(balance.disputed.invoices),
            amount(balance.disputed.amount_cents),
        )
    )
    writer.writerow(("Date d'arrêté", "", balance.as_of.isoformat()))
    return buffer.getvalue()
