"""The aged balance per creditor, debtor or lawyer (issue 17 item 4): one row per group with
its six buckets, its total and its disputed amount, largest total first — one statement over
the same rows as the portfolio's aged balance (`casefile.services.reports.ledger_rows`),
pivoted in SQL by conditional sums (the same text on SQLite and PostgreSQL).

`GET /api/reports/aged-balance/groups?by=creditor&as_of=…`, page `/rapports/balance-agee/groupes`.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from casefile.errors import InputError
from casefile.law.money import cents_text
from casefile.services.portfolio import _Sql
from casefile.services.reports import (
    BUCKETS,
    METHOD,
    AgedBalanceQuery,
    _visible,
    ledger_rows,
)
from casefile.store.permissions import User, require
from casefile.store.tables import Case

# by → (French heading, join giving `g`, group expression, label of a missing value)
DIMENSIONS: dict[str, tuple[str, str, str, str]] = {
    "creditor": (
        "Créancier",
        "LEFT JOIN parties g ON g.\"case\" = c.id AND g.role = 'creditor'",
        "g.name",
        "Créancier non renseigné",
    ),
    "debtor": (
        "Débiteur",
        "LEFT JOIN parties g ON g.\"case\" = c.id AND g.role = 'debtor'",
        "g.name",
        "Débiteur non renseigné",
    ),
    "lawyer": ("Avocat", "LEFT JOIN users g ON g.id = c.lawyer", "g.name", "Sans avocat"),
}
MAX_ROWS = 100_000
PAGE_ROWS = 50


@dataclass(frozen=True)
class GroupRow:
    name: str
    buckets: tuple[int, ...]  # cents, in BUCKETS order
    disputed_cents: int
    invoices: int

    @property
    def total_cents(self) -> int:
        return sum(self.buckets)


@dataclass(frozen=True)
class AgedGroups:
    as_of: date
    by: str
    rows: tuple[GroupRow, ...]
    limit: int
    query: AgedBalanceQuery

    @property
    def heading(self) -> str:
        return DIMENSIONS[self.by][0]

    def as_json(self) -> dict[str, Any]:
        return {
            "as_of": self.as_of.isoformat(),
            "by": self.by,
            "heading": self.heading,
            "limit": self.limit,
            "rows": [
                {
                    "name": row.name,
                    "total": cents_text(row.total_cents),
                    "disputed": cents_text(row.disputed_cents),
                    "invoices": row.invoices,
                    "buckets": [
                        {"key": key, "label": label, "amount": cents_text(cents)}
                        for (key, label, _), cents in zip(BUCKETS, row.buckets, strict=True)
                    ],
                }
                for row in self.rows
            ],
            "method": METHOD,
        }


def check_by(by: str | None) -> str:
    value = (by or "creditor").strip()
    if value not in DIMENSIONS:
        raise InputError(f"regroupement « {value} » inconnu (possibles : {', '.join(DIMENSIONS)})")
    return value


async def aged_groups(
    actor: User, query: AgedBalanceQuery, by: str, limit: int = PAGE_ROWS
) -> AgedGroups:
    """The `limit` groups with the largest outstanding total (then by name)."""
    require(actor, "case.read")
    by = check_by(by)
    if not 1 <= limit <= MAX_ROWS:
        raise InputError(f"nombre de lignes : de 1 à {MAX_ROWS}")
    _, join, group, missing = DIMENSIONS[by]
    sql = _Sql()
    visible = _visible(actor, query, sql)
    as_of = query.as_of
    count = len(BUCKETS)

    async def per_case(source_of: Callable[[], Awaitable[str]]) -> str:
        """The buckets per case (an integer key) of one source: its rank (0 … 5, 6 disputed)
        computed once per row, then integer tests."""
        ranks = [f"WHEN x.dis = 1 THEN {count}", f"WHEN x.due_date >= {sql.arg(as_of)} THEN 0"]
        for number, (_, _, days) in enumerate(BUCKETS[1:-1], start=1):
            assert days is not None
            bound = sql.arg(as_of - timedelta(days=days))
            ranks.append(f"WHEN x.due_date >= {bound} THEN {number}")
        rank = "CASE " + " ".join(ranks) + f" ELSE {count - 1} END"
        sums = ", ".join(
            f"CAST(SUM(CASE WHEN o.b = {i} THEN o.amount ELSE 0 END) AS BIGINT) AS b{i}"
            for i in range(count + 1)
        )
        source = await source_of()  # its placeholders come after the ranks' in the text
        return f"""
    SELECT o.cid, {sums}, SUM(CASE WHEN o.b < {count} THEN o.invoices ELSE 0 END) AS invoices
    FROM (SELECT x.grp AS cid, x.amount, x.invoices, {rank} AS b FROM ({source}) x) o
    GROUP BY o.cid"""

    stored = await per_case(
        lambda: ledger_rows(as_of, sql, visible, "", 'k."case"', per_invoice=True, branch="stored")
    )
    full = await per_case(lambda: ledger_rows(as_of, sql, visible, "", "c.id", branch="full"))
    columns = ", ".join(f"CAST(SUM(t.b{i}) AS BIGINT) AS b{i}" for i in range(count))
    total = " + ".join(f"t.b{i}" for i in range(count))
    # Two levels: the buckets per case, aggregated inside each source (PostgreSQL then knows
    # there are as many rows as cases: a GROUP BY over a UNION is guessed at 200 and planned
    # with nested loops), then the cases' sums per name, joined once per case.
    statement = f"""
SELECT {group} AS name, {columns},
       CAST(SUM(t.b{count}) AS BIGINT) AS disputed,
       CAST(SUM({total}) AS BIGINT) AS total,
       SUM(t.invoices) AS invoices
FROM ({stored}
  UNION ALL{full}) t
JOIN cases c ON c.id = t.cid {join}
GROUP BY {group}
HAVING SUM({total} + t.b{count}) > 0
ORDER BY total DESC, {group}
LIMIT {int(limit)}
"""
    rows = await Case.raw(statement, *sql.args)
    return AgedGroups(
        as_of,
        by,
        tuple(
            GroupRow(
                row["name"] or missing,
                tuple(int(row[f"b{i}"] or 0) for i in range(len(BUCKETS))),
                int(row["disputed"] or 0),
                int(row["invoices"] or 0),
            )
            for row in rows
        ),
        limit,
        query,
    )


def export_groups_csv(groups: AgedGroups) -> str:
    """`;`-separated with a BOM for French Excel, amounts with a decimal comma."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(
        (
            groups.heading,
            *(f"{label} (€)" for _, label, _ in BUCKETS),
            "Total (€)",
            "Contesté, hors total (€)",
            "Factures",
        )
    )

    def amount(cents: int) -> str:
        return cents_text(cents).replace(".", ",")

    for row in groups.rows:
        writer.writerow(
            (
                row.name,
                *(amount(c) for c in row.buckets),
                amount(row.total_cents),
                amount(row.disputed_cents),
                str(row.invoices),
            )
        )
    writer.writerow(("Date d'arrêté", groups.as_of.isoformat()))
    return buffer.getvalue()
