"""The portfolio (issue 12 item 4): search, filters, sorting and paging done by the database,
so that they stay fast at 100 000 cases on PostgreSQL; the CSV export; the deadlines agenda.

One SQL query selects the page's case ids (and one counts them); the page's rows are then
completed with a handful of queries over those ids only. Search is case-insensitive on the
reference, the party names, the SIREN and the invoice numbers (`GET /api/cases?q=TEXT`,
DESIGN §4b). On PostgreSQL, trigram indexes serve the `LIKE '%…%'` (migration
2026-11-30 portfolio indexes).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from casefile.definitions import engine
from casefile.errors import InputError
from casefile.labels import (
    CASE_STATUSES,
    DEADLINE_STATUSES,
    OUR_SIDE,
    actor_fr,
    court_fr,
    label,
    paris_day,
)
from casefile.law.money import cents_text
from casefile.law.suggestions import unknown_procedure
from casefile.store.permissions import User, assigned_only, require
from casefile.store.tables import Case, DeadlineRecord, Party, UserAccount
from casefile.store.tables.deadline import explanation_column

SORTS = {
    "reference": "c.reference",
    "debiteur": "debtor_name",
    "montant": "c.outstanding_cents",
    "echeance": "c.next_due",
    "ouverture": "c.created_at",
}
SORT_LABELS = {
    "reference": "référence",
    "debiteur": "débiteur",
    "montant": "montant restant dû",
    "echeance": "prochaine échéance",
    "ouverture": "date d'ouverture",
}
PER_PAGE = 50
MAX_PER_PAGE = 500
OPEN = ("pending", "uncertain")
LATE = ("pending", "uncertain", "missed")
UNASSIGNED = "aucun"  # the lawyer / commissaire filter for cases with nobody assigned


@dataclass(frozen=True)
class PortfolioQuery:
    q: str = ""
    procedure: str | None = None
    lawyer: str | None = None  # a user name, or UNASSIGNED
    commissaire: str | None = None
    status: str | None = None
    within_days: int | None = None  # an open deadline (any side) due within N days
    overdue: bool = False  # a deadline of ours whose day has passed
    sort: str = "reference"
    descending: bool = False
    page: int = 1
    per_page: int = PER_PAGE

    def checked(self) -> PortfolioQuery:
        if self.sort not in SORTS:
            raise InputError(f"tri « {self.sort} » inconnu (possibles : {', '.join(SORTS)})")
        if self.page < 1:
            raise InputError("la page commence à 1")
        if not 1 <= self.per_page <= MAX_PER_PAGE:
            raise InputError(f"le nombre de dossiers par page va de 1 à {MAX_PER_PAGE}")
        if self.within_days is not None and not 0 <= self.within_days <= 3660:
            raise InputError("échéance sous N jours : N va de 0 à 3660")
        if "\x00" in self.q:
            raise InputError("la recherche contient un caractère nul")
        if self.procedure and self.procedure not in engine().procedures:
            raise unknown_procedure(self.procedure, engine().procedures)
        return self


@dataclass
class Page:
    items: list[dict[str, Any]]
    total: int
    page: int
    per_page: int
    query: PortfolioQuery
    today: date
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


class _Sql:
    """Placeholders in piccolo's `{}` style, whichever the engine."""

    def __init__(self) -> None:
        self.args: list[Any] = []

    def arg(self, value: Any) -> str:
        self.args.append(value)
        return "{}"

    def args_in(self, values: Sequence[Any]) -> str:
        return ", ".join(self.arg(v) for v in values)


async def _user_id(name: str, role: str) -> int:
    row = await (
        UserAccount.select(UserAccount.id)
        .where((UserAccount.name == name) & (UserAccount.role == role))
        .first()
    )
    if row is None:
        what = "avocat" if role == "avocat" else "commissaire de justice"
        raise InputError(f"{what} « {name} » inconnu")
    return int(row["id"])


async def _where(actor: User, query: PortfolioQuery, today: date, sql: _Sql) -> str:
    clauses: list[str] = []
    if assigned_only(actor.role):
        clauses.append(f"c.commissaire = {sql.arg(actor.id)}")
    text = query.q.strip().lower()
    if text:
        pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        digits = "".join(ch for ch in text if ch.isdigit())
        # Placeholders are numbered in the order they are written: build the text in order.
        union = f"SELECT c2.id FROM cases c2 WHERE lower(c2.reference) LIKE {sql.arg(pattern)} "
        union += "ESCAPE '\\' "
        union += (
            f'UNION SELECT p."case" FROM parties p WHERE lower(p.name) LIKE {sql.arg(pattern)} '
        )
        union += "ESCAPE '\\'"
        if len(digits) >= 9 and len(digits) == len(text.replace(" ", "")):
            union += f" OR p.siren = {sql.arg(digits[:9])}"
        union += ' UNION SELECT k."case" FROM claims k WHERE lower(k.invoice_number) LIKE '
        union += f"{sql.arg(pattern)} ESCAPE '\\'"
        clauses.append(f"c.id IN ({union})")
    if query.procedure:
        clauses.append(f"c.procedure = {sql.arg(query.procedure)}")
    if query.status:
        clauses.append(f"c.status = {sql.arg(query.status)}")
    for column, name, role in (
        ("lawyer", query.lawyer, "avocat"),
        ("commissaire", query.commissaire, "commissaire_de_justice"),
    ):
        if name == UNASSIGNED:
            clauses.append(f"c.{column} IS NULL")
        elif name:
            clauses.append(f"c.{column} = {sql.arg(await _user_id(name, role))}")
    if query.within_days is not None:
        clauses.append(
            'c.id IN (SELECT d."case" FROM deadlines d '
            f"WHERE d.status IN ({sql.args_in(OPEN)}) "
            f"AND d.due >= {sql.arg(today)} "
            f"AND d.due <= {sql.arg(today + timedelta(days=query.within_days))})"
        )
    if query.overdue:
        # `overdue_since`: the earliest open deadline of ours, kept by the recompute.
        clauses.append(f"c.overdue_since < {sql.arg(today)}")
    return " AND ".join(clauses) or "1 = 1"


def _order(query: PortfolioQuery) -> tuple[str, str]:
    """(extra select columns + joins, ORDER BY) for the sort; joins only when sorted on."""
    direction = "DESC" if query.descending else "ASC"
    if query.sort == "debiteur":
        return (
            ", dp.name AS debtor_name FROM cases c LEFT JOIN parties dp "
            "ON dp.\"case\" = c.id AND dp.role = 'debtor'",
            f"lower(dp.name) {direction}, c.reference",
        )
    if query.sort in ("montant", "echeance"):
        column = "c.outstanding_cents" if query.sort == "montant" else "c.next_due"
        # Cases without a value (no claim, no open deadline) come last either way.
        return " FROM cases c", f"{column} IS NULL, {column} {direction}, c.reference"
    return " FROM cases c", f"{SORTS[query.sort]} {direction}, c.id"


async def search(actor: User, query: PortfolioQuery, today: date) -> Page:
    """The page of cases matching `query`, visible to `actor`, with the total count."""
    require(actor, "case.read")
    query = query.checked()
    sql = _Sql()
    where = await _where(actor, query, today, sql)
    count_rows = await Case.raw(f"SELECT COUNT(*) AS n FROM cases c WHERE {where}", *sql.args)
    total = int(count_rows[0]["n"]) if count_rows else 0
    select_from, order = _order(query)
    offset = (query.page - 1) * query.per_page
    id_rows = await Case.raw(
        f"SELECT c.id{select_from} WHERE {where} ORDER BY {order} "
        f"LIMIT {int(query.per_page)} OFFSET {int(offset)}",
        *sql.args,
    )
    ids = [int(row["id"]) for row in id_rows]
    return Page(await rows_for(ids, today), total, query.page, query.per_page, query, today)


async def rows_for(ids: list[int], today: date) -> list[dict[str, Any]]:
    """The list rows of these cases, in this order: parties, amounts, deadlines, people."""
    if not ids:
        return []
    cases = {row["id"]: row for row in await Case.select().where(Case.id.is_in(ids))}
    parties: dict[int, dict[str, dict[str, Any]]] = {}
    for row in await Party.select(Party.case, Party.role, Party.name, Party.siren).where(
        Party.case.is_in(ids)
    ):
        parties.setdefault(row["case"], {})[row["role"]] = row
    sql = _Sql()
    placeholders = sql.args_in(ids)
    invoices: dict[int, int] = {}
    for row in await Case.raw(
        f'SELECT "case" AS cid, COUNT(*) AS n FROM claims WHERE "case" IN ({placeholders}) '
        'GROUP BY "case"',
        *sql.args,
    ):
        invoices[int(row["cid"])] = int(row["n"])
    deadlines: dict[int, list[dict[str, Any]]] = {}
    for row in (
        await DeadlineRecord.select(DeadlineRecord.case, explanation_column())
        .where(DeadlineRecord.case.is_in(ids) & DeadlineRecord.status.is_in(list(LATE)))
        .output(load_json=True)
    ):
        deadlines.setdefault(row["case"], []).append(row["explanation"])
    user_ids = {cases[i][c] for i in ids if i in cases for c in ("lawyer", "commissaire")}
    names = {
        row["id"]: row["name"]
        for row in await UserAccount.select(UserAccount.id, UserAccount.name).where(
            UserAccount.id.is_in([u for u in user_ids if u] or [0])
        )
    }
    titles = {key: p.title for key, p in engine().procedures.items()}
    out = []
    for case_id in ids:
        case = cases.get(case_id)
        if case is None:
            continue
        own = parties.get(case_id, {})
        debtor, creditor = own.get("debtor") or {}, own.get("creditor") or {}
        open_ = sorted(deadlines.get(case_id, []), key=lambda d: (d["due"], d["key"]))
        upcoming = [d for d in open_ if d["due"] >= today.isoformat()]
        late = [d for d in open_ if d["due"] < today.isoformat() and d.get("actor") in OUR_SIDE]
        out.append(
            {
                "id": case_id,
                "reference": case["reference"],
                "procedure": case["procedure"],
                "procedure_title": titles.get(case["procedure"], case["procedure"]),
                "court": case["court"],
                "court_department": case["court_department"],
                "status": case["status"],
                "creditor": creditor.get("name"),
                "debtor": debtor.get("name"),
                "debtor_siren": debtor.get("siren"),
                "invoices": invoices.get(case_id, 0),
                "outstanding": cents_text(case["outstanding_cents"])
                if case["outstanding_cents"] is not None
                else None,
                "next_deadline": upcoming[0] if upcoming else None,
                "overdue": len(late),
                "lawyer": names.get(case["lawyer"]) if case["lawyer"] else None,
                "commissaire": names.get(case["commissaire"]) if case["commissaire"] else None,
                "created_at": paris_day(case["created_at"]).isoformat(),
            }
        )
    return out


CSV_COLUMNS = (
    "Référence",
    "Procédure",
    "Juridiction",
    "État",
    "Créancier",
    "Débiteur",
    "SIREN du débiteur",
    "Factures",
    "Restant dû (€)",
    "Prochaine échéance",
    "Délai",
    "Qui agit",
    "Nos échéances dépassées",
    "Avocat",
    "Commissaire de justice",
    "Ouvert le",
)
EXPORT_BATCH = 500


def _csv_line(row: dict[str, Any]) -> list[str]:
    deadline = row["next_deadline"] or {}
    amount = row["outstanding"]
    return [
        row["reference"],
        row["procedure_title"],
        court_fr(row["court"], row.get("court_department"), engine().territories),
        label(CASE_STATUSES, row["status"]),
        row["creditor"] or "",
        row["debtor"] or "",
        row["debtor_siren"] or "",
        str(row["invoices"]),
        amount.replace(".", ",") if amount else "",
        deadline.get("due", ""),
        deadline.get("label", ""),
        actor_fr(deadline.get("actor")) if deadline else "",
        str(row["overdue"]),
        row["lawyer"] or "",
        row["commissaire"] or "",
        row["created_at"],
    ]


async def export_csv(actor: User, query: PortfolioQuery, today: date) -> str:
    """Every matching case (not only one page), `;`-separated with a BOM for French Excel;
    amounts with a decimal comma, dates YYYY-MM-DD so a spreadsheet sorts them."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    page = 1
    while True:
        batch = await search(
            actor,
            PortfolioQuery(**{**query.__dict__, "page": page, "per_page": EXPORT_BATCH}),
            today,
        )
        for row in batch.items:
            writer.writerow(_csv_line(row))
        if page >= batch.pages:
            break
        page += 1
    return buffer.getvalue()


async def people(role: str, actor: User | None = None) -> list[str]:
    """The names of the active users of a role, for the filters. For a commissaire de justice
    (`actor`), only the people of the cases assigned to them — themselves and those cases'
    lawyers: the installation's other users (another office, the creditor's other lawyers)
    are none of their business."""
    query = UserAccount.select(UserAccount.name).where(
        (UserAccount.role == role) & (UserAccount.active == True)  # noqa: E712
    )
    if actor is not None and assigned_only(actor.role):
        column = Case.lawyer if role == "avocat" else Case.commissaire
        rows = await Case.select(column).where(Case.commissaire == actor.id).distinct()
        ids = [row[column._meta.name] for row in rows if row[column._meta.name] is not None]
        if not ids:
            return []
        query = query.where(UserAccount.id.is_in(ids))
    return [row["name"] for row in await query.order_by(UserAccount.name)]


def status_label(status: str) -> str:
    return label(DEADLINE_STATUSES, status)
