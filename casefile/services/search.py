"""Search of the pièces (issue 16 item 2, metadata part): `GET /api/search?q=TEXT` (DESIGN §4b)
and the page `/recherche`.

A pièce matches when every word of the query is found (case-insensitive, anywhere in the
word) in one of its metadata: its kind (key or French label), description, date (typed
AAAA-MM-JJ or JJ/MM/AAAA), original file name, the invoice numbers it carries, or its case's
reference, party names, invoice numbers and invoice amounts (an amount typed "4080", "4 080,00"
or "4080.00"). Only the cases the caller may see (a commissaire de justice: their own);
withdrawn pièces never. The text inside the files is not searched: no PDF text extractor is
installed (neither pypdf nor pdfminer is a dependency), so nothing is extracted at upload.

The result carries, per pièce, a passage of the metadata that matched with the words in
`<mark>` — the text is HTML-escaped first, so a description holding markup stays inert.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from casefile.errors import InputError
from casefile.evidence.records import KIND_LABELS
from casefile.law.money import cents_text
from casefile.services.portfolio import PortfolioQuery, _Sql, _where
from casefile.store.permissions import User, require
from casefile.store.tables import Case, Claim, Party

MAX_QUERY = 200
MAX_WORDS = 8
LIMIT = 50
PASSAGE = 160  # characters of context around the first match


@dataclass(frozen=True)
class Hit:
    piece_id: int
    case_id: int
    reference: str
    number: int | None
    kind: str
    kind_label: str
    description: str
    date: str | None
    file_name: str
    passage: str  # HTML: escaped text with <mark>…</mark>

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.piece_id,
            "case_id": self.case_id,
            "reference": self.reference,
            "number": self.number,
            "kind": self.kind,
            "kind_label": self.kind_label,
            "description": self.description,
            "date": self.date,
            "file_name": self.file_name,
            "passage": self.passage,
            "link": f"/api/evidence/{self.piece_id}/content",
            "thumbnail": f"/api/evidence/{self.piece_id}/thumbnail",
            "case_link": f"/dossiers/{self.case_id}",
        }


@dataclass(frozen=True)
class SearchResult:
    q: str
    items: list[Hit]
    truncated: bool

    def as_json(self) -> dict[str, Any]:
        return {
            "q": self.q,
            "items": [hit.as_json() for hit in self.items],
            "count": len(self.items),
            "truncated": self.truncated,
            "searched": "métadonnées (texte des fichiers non extrait)",
        }


def words_of(q: str) -> list[str]:
    if "\x00" in q:
        raise InputError("la recherche contient un caractère nul")
    if len(q) > MAX_QUERY:
        raise InputError(f"la recherche tient en {MAX_QUERY} caractères au plus")
    words = [w for w in re.split(r"\s+", q.strip().lower()) if w]
    if len(words) > MAX_WORDS:
        raise InputError(f"{MAX_WORDS} mots au plus dans une recherche")
    return words


def _amount_cents(word: str) -> int | None:
    """'4080', '4080,00', '4080.5' → cents; anything else None."""
    text = word.replace("\u202f", "").replace("\xa0", "").replace("€", "").replace(",", ".")
    if not re.fullmatch(r"\d{1,12}(\.\d{1,2})?", text):
        return None
    try:
        return int(Decimal(text) * 100)
    except InvalidOperation:
        return None


def _date(word: str) -> date | None:
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(word, pattern).date()
        except ValueError:
            continue
    return None


def _like(word: str) -> str:
    return "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _word_clause(word: str, sql: _Sql) -> str:
    pattern = _like(word)

    def like(column: str) -> str:
        return f"lower({column}) LIKE {sql.arg(pattern)} ESCAPE '\\'"

    kinds = [key for key, label in KIND_LABELS.items() if word in label.lower()]
    parts = [
        like("pc.kind"),
        like("pc.description"),
        like("v.original_filename"),
        like("CAST(pc.invoice_numbers AS TEXT)"),
        like("c.reference"),
        f'EXISTS (SELECT 1 FROM parties p WHERE p."case" = pc."case" AND {like("p.name")})',
    ]
    if kinds:
        parts.append(f"pc.kind IN ({sql.args_in(kinds)})")
    claim = like("k.invoice_number")
    cents = _amount_cents(word)
    if cents is not None:
        claim = f"({claim} OR k.amount_cents = {sql.arg(cents)})"
    parts.append(f'EXISTS (SELECT 1 FROM claims k WHERE k."case" = pc."case" AND {claim})')
    day = _date(word)
    if day is not None:
        parts.append(f"pc.date = {sql.arg(day)}")
    return "(" + " OR ".join(parts) + ")"


def highlight(text: str, words: list[str]) -> str:
    """An escaped passage of `text` around its first match, every word in <mark>."""
    lowered = text.lower()
    first = min((i for i in (lowered.find(w) for w in words) if i >= 0), default=-1)
    start = 0 if first < PASSAGE // 2 else first - PASSAGE // 2
    end = min(len(text), start + PASSAGE)
    segment = text[start:end]
    pattern = re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)), re.I)
    out, last = [], 0
    for match in pattern.finditer(segment):
        out.append(html.escape(segment[last : match.start()]))
        out.append(f"<mark>{html.escape(match.group(0))}</mark>")
        last = match.end()
    out.append(html.escape(segment[last:]))
    return ("…" if start > 0 else "") + "".join(out) + ("…" if end < len(text) else "")


async def search_pieces(actor: User, q: str, limit: int = LIMIT) -> SearchResult:
    """The visible, non-withdrawn pièces whose metadata match every word of `q`."""
    require(actor, "evidence.read")
    words = words_of(q)
    if not words:
        return SearchResult(q, [], False)
    sql = _Sql()  # placeholders are numbered in the order written
    statement = (
        'SELECT pc.id, pc."case" AS cid, c.reference, pc.number, pc.kind, pc.date, '
        "pc.description, pc.invoice_numbers, v.original_filename "
        'FROM pieces pc JOIN cases c ON c.id = pc."case" '
        "LEFT JOIN piece_versions v ON v.piece = pc.id AND v.version = pc.current_version "
        f"WHERE pc.deleted = {sql.arg(False)} "
        f"AND {await _where(actor, PortfolioQuery(), date.today(), sql)}"
    )
    for word in words:
        statement += " AND " + _word_clause(word, sql)
    statement += f" ORDER BY c.reference, pc.number, pc.id LIMIT {int(limit) + 1}"
    rows = await Case.raw(statement, *sql.args)
    truncated = len(rows) > limit
    rows = rows[:limit]
    case_ids = sorted({int(row["cid"]) for row in rows}) or [0]
    context: dict[int, list[str]] = {}
    for party in await Party.select(Party.case, Party.name).where(Party.case.is_in(case_ids)):
        context.setdefault(party["case"], []).append(party["name"])
    for claim in await Claim.select(Claim.case, Claim.invoice_number, Claim.amount_cents).where(
        Claim.case.is_in(case_ids)
    ):
        context.setdefault(claim["case"], []).append(
            f"facture {claim['invoice_number']} ({cents_text(claim['amount_cents'])} €)"
        )
    hits = []
    for row in rows:
        kind_label = KIND_LABELS.get(row["kind"], row["kind"])
        day = row["date"]
        day_text = day.isoformat() if isinstance(day, date) else (day or None)
        numbers = row["invoice_numbers"]
        if isinstance(numbers, str):
            numbers = re.findall(r'"([^"]*)"', numbers)
        candidates = [
            row["description"] or "",
            row["original_filename"] or "",
            " ".join(numbers or []),
            kind_label,
            row["reference"],
            *context.get(int(row["cid"]), []),
        ]
        passage_source = next(
            (text for text in candidates if any(w in text.lower() for w in words)),
            row["description"] or kind_label,
        )
        hits.append(
            Hit(
                int(row["id"]),
                int(row["cid"]),
                row["reference"],
                row["number"],
                row["kind"],
                kind_label,
                row["description"] or "",
                day_text,
                row["original_filename"] or "",
                highlight(passage_source, words),
            )
        )
    return SearchResult(q, hits, truncated)
