"""Search of the pièces (issue 16 item 2): `GET /api/search?q=TEXT` (DESIGN §4b) and the page
`/recherche`, across the cases the caller may see (a commissaire de justice: their own; withdrawn
pièces never).

Two ways to match, merged (text matches first, best ranked first):

- **the text of the file** (`piece_texts`, read at upload: `services.piece_text`), with each
  engine's own full-text search: PostgreSQL's `websearch_to_tsquery('french', q)` on the
  generated `tsv` column (GIN index; French stemming: « factures » finds « facture »), ranked by
  `ts_rank`, the passage cut by `ts_headline`; SQLite's FTS5 (`piece_text_fts`, accents ignored,
  each word also as a prefix), ranked by bm25, the passage cut by `snippet()`. The query syntax
  is the web's on both: words (all required), "a phrase", `-word` (excluded), `or`.
- **the metadata**, when every word is found (case-insensitive, anywhere in the word) in one of:
  its kind (key or French label), description, date (typed AAAA-MM-JJ or JJ/MM/AAAA), original
  file name, the invoice numbers it carries, or its case's reference, party names, invoice
  numbers and invoice amounts (an amount typed "4080", "4 080,00" or "4080.00").

Each hit carries a passage with the words in `<mark>`: the text is HTML-escaped first and only
then marked (the engines mark with two private-use characters that the extraction removes from
every text, so a file cannot forge a mark), plus `thumbnail` — the URL of a first-page preview
when `thumbnail_url` knows one.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from casefile import clock
from casefile.errors import InputError
from casefile.evidence.records import KIND_LABELS
from casefile.law.money import from_cents
from casefile.law.wording import amount_fr
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
    matched: str = "métadonnées"  # texte | métadonnées | texte et métadonnées
    text_status: str = ""  # the label of the pièce's text (OCR unavailable, pending…)
    thumbnail: str | None = None  # URL of a first-page preview (`thumbnail_url`)

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
            "matched": self.matched,
            "text_status": self.text_status,
            "thumbnail": self.thumbnail,
            "link": f"/api/evidence/{self.piece_id}/content",
            "case_link": f"/dossiers/{self.case_id}",
        }


@dataclass(frozen=True)
class SearchResult:
    q: str
    items: list[Hit]
    truncated: bool
    ocr_notice: str | None = None
    """Said when Tesseract is absent: scanned pièces are not searchable by their content."""
    unread: int = 0
    """Visible pièces whose text is not (yet) searchable: pending, OCR unavailable, failed."""
    capped: bool = False
    """More text matches than PostgreSQL ranks (RANKED_AT_MOST): the best of the first found."""

    def as_json(self) -> dict[str, Any]:
        return {
            "q": self.q,
            "items": [hit.as_json() for hit in self.items],
            "count": len(self.items),
            "truncated": self.truncated,
            "searched": "texte des pièces et métadonnées",
            "ocr": self.ocr_notice,
            "unread": self.unread,
            "capped": self.capped,
        }


def thumbnail_url(piece_id: int, sha256: str, mime: str) -> str | None:
    """The URL of the first-page preview of a pièce (`services/previews.py`: rendered once per
    content, served after the source's hash is checked); None for a pièce without content."""
    from casefile.services import previews

    return previews.thumbnail_url(piece_id) if sha256 else None


def words_of(q: str) -> list[str]:
    """The words every metadata match needs: the query's words, without the web syntax (quotes,
    `or`, excluded `-words`)."""
    if "\x00" in q:
        raise InputError("la recherche contient un caractère nul")
    if len(q) > MAX_QUERY:
        raise InputError(f"la recherche tient en {MAX_QUERY} caractères au plus")
    words = [w for w in re.split(r"\s+", q.replace('"', " ").strip().lower()) if w]
    if len(words) > MAX_WORDS:
        raise InputError(f"{MAX_WORDS} mots au plus dans une recherche")
    return [w for w in words if w not in ("or", "ou") and not (w.startswith("-") and len(w) > 1)]


_TERM = re.compile(r'"([^"]*)"?|(\S+)')
_OU = re.compile(r'("[^"]*"?)|(?<!\S)ou(?!\S)', re.IGNORECASE)


def either_in_english(q: str) -> str:
    """A French user writes « facture ou devis »: `ou` outside quotes is the `or` of the query
    syntax (PostgreSQL's websearch_to_tsquery and our FTS5 translation know `or`); the word
    « ou » itself is never worth finding."""
    return _OU.sub(lambda m: m.group(1) or "or", q)


_TOKEN = re.compile(r"\w+")


def fts5_query(q: str) -> str | None:
    """The web query syntax (words all required, "a phrase", -excluded, or) as an FTS5 query
    made only of quoted tokens (user text never reaches FTS5's own syntax); None when nothing
    positive is left to find. A single word also matches as a prefix (facture → factures)."""
    groups: list[list[str]] = []
    excluded: list[str] = []
    pending_or = False
    for match in _TERM.finditer(q):
        phrase, word = match.group(1), match.group(2)
        negative = False
        if word is not None:
            if word.lower() == "or":
                pending_or = bool(groups)
                continue
            if word.startswith("-") and len(word) > 1:
                negative, word = True, word[1:]
        tokens = _TOKEN.findall((phrase if phrase is not None else word or "").lower())
        if not tokens:
            continue
        term = '"' + " ".join(tokens) + '"'
        if phrase is None and len(tokens) == 1:
            term += "*"
        elif phrase is None:
            term = '"' + " ".join(tokens) + '"*'
        if negative:
            excluded.append(term)
        elif pending_or:
            groups[-1].append(term)
        else:
            groups.append([term])
        pending_or = False
    if not groups:
        return None
    query = " AND ".join("(" + " OR ".join(g) + ")" if len(g) > 1 else g[0] for g in groups)
    for term in excluded:
        query = f"({query}) NOT {term}"
    return query


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


def _word_set(word: str, sql: _Sql) -> str:
    """`pc.id IN (…)`: the pièces one of whose metadata holds `word`, as a union of lookups
    that each table's own index answers (trigram indexes on PostgreSQL): the set is built once
    per query, never by testing every pièce. For words of 3 characters or more (a trigram)."""
    pattern = _like(word)

    def like(column: str) -> str:
        return f"lower({column}) LIKE {sql.arg(pattern)} ESCAPE '\\'"

    parts = [
        f"SELECT p1.id FROM pieces p1 WHERE {like('p1.description')}",
        f"SELECT p1.id FROM pieces p1 WHERE {like('CAST(p1.invoice_numbers AS TEXT)')}",
        f"SELECT v1.piece FROM piece_versions v1 WHERE {like('v1.original_filename')}",
    ]
    kinds = _kinds(word)
    if kinds:
        parts.append(f"SELECT p1.id FROM pieces p1 WHERE p1.kind IN ({sql.args_in(kinds)})")
    day = _date(word)
    if day is not None:
        parts.append(f"SELECT p1.id FROM pieces p1 WHERE p1.date = {sql.arg(day)}")
    cases = [
        f"SELECT c1.id FROM cases c1 WHERE {like('c1.reference')}",
        f'SELECT p2."case" FROM parties p2 WHERE {like("p2.name")}',
        f'SELECT k."case" FROM claims k WHERE {like("k.invoice_number")}',
    ]
    cents = _amount_cents(word)
    if cents is not None:
        cases.append(f'SELECT k."case" FROM claims k WHERE k.amount_cents = {sql.arg(cents)}')
    parts.append(f'SELECT p3.id FROM pieces p3 WHERE p3."case" IN ({" UNION ".join(cases)})')
    return "pc.id IN (" + " UNION ".join(parts) + ")"


def _word_clause(word: str, sql: _Sql) -> str:
    """The same test, row by row (for a few rows, or a word too short for a trigram index)."""
    pattern = _like(word)

    def like(column: str) -> str:
        return f"lower({column}) LIKE {sql.arg(pattern)} ESCAPE '\\'"

    parts = [
        like("pc.description"),
        like("v.original_filename"),
        like("CAST(pc.invoice_numbers AS TEXT)"),
        like("c.reference"),
        f'EXISTS (SELECT 1 FROM parties p WHERE p."case" = pc."case" AND {like("p.name")})',
    ]
    kinds = _kinds(word)
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


def _kinds(word: str) -> list[str]:
    return [key for key, label in KIND_LABELS.items() if word in label.lower() or word in key]


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


MARK_OPEN, MARK_CLOSE = "\ue000", "\ue001"
"""What the engines put around a match (private-use characters the extraction strips from
every text): the passage is escaped, then these become <mark> and </mark>."""
RANKED_AT_MOST = 500
"""PostgreSQL ranks at most this many text matches (the first the index finds among the
visible pièces): a word found in most of 100 000 pièces would otherwise be ranked 100 000 times.
Past it, the answer says so (`capped`): the best of those, and the query should be refined."""
HEADLINE_CHARS = 50_000
"""ts_headline re-reads the text it is given: only the start of long texts is given; when the
match lies further, the passage is cut around the words themselves."""
HEADLINE_OPTIONS = (
    f"StartSel={MARK_OPEN}, StopSel={MARK_CLOSE}, MaxWords=30, MinWords=12, "
    'MaxFragments=2, FragmentDelimiter=" … "'
)


def marked(engine_passage: str) -> str | None:
    """The engine's passage escaped, its marks made <mark>; None when nothing is marked."""
    if MARK_OPEN not in engine_passage:
        return None
    escaped = html.escape(engine_passage.strip())
    return escaped.replace(MARK_OPEN, "<mark>").replace(MARK_CLOSE, "</mark>")


@dataclass
class _Row:
    data: dict[str, Any]
    rank: float = 0.0
    passage: str | None = None
    text: bool = False
    metadata: bool = False
    capped: bool = False


async def _text_rows(actor: User, q: str, limit: int) -> list[_Row]:
    """The visible pièces whose current version's text matches `q`, best first."""
    from casefile.store.db import postgres

    sql = _Sql()
    if postgres():
        # Placeholders are numbered in the order written: the outer parts first. Innermost:
        # the visible matches (GIN index), at most RANKED_AT_MOST of them; then their rank,
        # the best `limit` + 1; outermost, the passages of those alone.
        statement = (
            f"SELECT r.*, ts_headline('french', left(t.text, {HEADLINE_CHARS}), "
            f"websearch_to_tsquery('french', {sql.arg(q)}), {sql.arg(HEADLINE_OPTIONS)}) "
            "AS headline FROM (SELECT "
            + ", ".join(f"m.{name}" for name in _NAMES)
            + f", count(*) OVER () AS candidates, ts_rank(m.tsv, websearch_to_tsquery('french', "
            f"{sql.arg(q)})) AS rank FROM ("
        )
        statement += (
            f"SELECT {_COLUMNS}, t.tsv {_FROM_TEXTS} "
            f"WHERE t.tsv @@ websearch_to_tsquery('french', {sql.arg(q)}) "
            f"AND pc.deleted = {sql.arg(False)} "
        )
        statement += f"AND {await _where(actor, PortfolioQuery(), clock.today(), sql)} "
        statement += (
            f"LIMIT {RANKED_AT_MOST}) m "
            f"ORDER BY rank DESC, m.reference, m.number LIMIT {int(limit) + 1}"
            ") r JOIN piece_texts t ON t.id = r.tid "
            "ORDER BY r.rank DESC, r.reference, r.number"
        )
        rows = await Case.raw(statement, *sql.args)
        return [
            _Row(
                dict(row),
                float(row["rank"] or 0),
                marked(row["headline"] or ""),
                True,
                capped=int(row["candidates"]) >= RANKED_AT_MOST,
            )
            for row in rows
        ]
    match = fts5_query(q)
    if match is None:
        return []
    statement = (
        f"SELECT {_COLUMNS}, bm25(piece_text_fts) AS rank, snippet(piece_text_fts, 0, "
        f"{sql.arg(MARK_OPEN)}, {sql.arg(MARK_CLOSE)}, '…', 24) AS headline "
        f"FROM piece_text_fts JOIN piece_texts t ON t.id = piece_text_fts.rowid "
        f"{_JOIN_PIECE} WHERE piece_text_fts MATCH {sql.arg(match)} "
        f"AND pc.deleted = {sql.arg(False)} "
    )
    statement += f"AND {await _where(actor, PortfolioQuery(), clock.today(), sql)} "
    statement += f"ORDER BY rank, c.reference, pc.number LIMIT {int(limit) + 1}"
    rows = await Case.raw(statement, *sql.args)
    return [
        _Row(dict(row), -float(row["rank"] or 0), marked(row["headline"] or ""), True)
        for row in rows
    ]


_COLUMNS = (
    'pc.id, pc."case" AS cid, c.reference, pc.number, pc.kind, pc.date, pc.description, '
    "pc.invoice_numbers, v.original_filename, v.sha256, v.mime, t.id AS tid, t.status AS tstatus"
)
_NAMES = [
    "id",
    "cid",
    "reference",
    "number",
    "kind",
    "date",
    "description",
    "invoice_numbers",
    "original_filename",
    "sha256",
    "mime",
    "tid",
    "tstatus",
]
_JOIN_PIECE = (
    "JOIN piece_versions v ON v.id = t.version "
    "JOIN pieces pc ON pc.id = v.piece AND pc.current_version = v.version "
    'JOIN cases c ON c.id = pc."case"'
)
_FROM_TEXTS = f"FROM piece_texts t {_JOIN_PIECE}"


async def _metadata_rows(
    actor: User, words: list[str], limit: int, among: list[int] | None = None
) -> list[_Row]:
    """The visible pièces whose metadata match every word (`among`: only these pièces)."""
    sql = _Sql()  # placeholders are numbered in the order written
    statement = (
        'SELECT pc.id, pc."case" AS cid, c.reference, pc.number, pc.kind, pc.date, '
        "pc.description, pc.invoice_numbers, v.original_filename, v.sha256, v.mime, "
        "t.id AS tid, t.status AS tstatus "
        'FROM pieces pc JOIN cases c ON c.id = pc."case" '
        "LEFT JOIN piece_versions v ON v.piece = pc.id AND v.version = pc.current_version "
        "LEFT JOIN piece_texts t ON t.version = v.id "
        f"WHERE pc.deleted = {sql.arg(False)} "
        f"AND {await _where(actor, PortfolioQuery(), clock.today(), sql)}"
    )
    if among is not None:
        # A few rows: each tested row by row.
        statement += f" AND pc.id IN ({sql.args_in(among or [0])})"
        for word in words:
            statement += " AND " + _word_clause(word, sql)
    else:
        # The sets of the words long enough for an index first, then the short words tested
        # on what is left.
        long_words = [w for w in words if len(w) >= 3]
        for word in long_words:
            statement += " AND " + _word_set(word, sql)
        for word in words:
            if word not in long_words:
                statement += " AND " + _word_clause(word, sql)
    statement += f" ORDER BY c.reference, pc.number, pc.id LIMIT {int(limit) + 1}"
    return [_Row(dict(row), metadata=True) for row in await Case.raw(statement, *sql.args)]


async def search_pieces(actor: User, q: str, limit: int = LIMIT) -> SearchResult:
    """The visible, non-withdrawn pièces whose text matches `q`, or whose metadata match every
    word of `q`: text matches first (best ranked), then metadata matches."""
    from casefile.evidence.text_status import status_label
    from casefile.services.piece_text import ocr_notice

    require(actor, "evidence.read")
    words = words_of(q)
    notice = ocr_notice()
    if not q.strip():
        return SearchResult(q, [], False, notice)
    found: dict[int, _Row] = {}
    capped = False
    for row in await _text_rows(actor, either_in_english(q), limit):
        found[int(row.data["id"])] = row
        capped = capped or row.capped
    if words:
        # Text matches come first: when they fill the page, a metadata-only match could not
        # be shown on it, so the metadata are only checked on the text matches themselves.
        among = list(found) if len(found) > limit else None
        for row in await _metadata_rows(actor, words, limit, among):
            known = found.get(int(row.data["id"]))
            if known is not None:
                known.metadata = True
            else:
                found[int(row.data["id"])] = row
    ordered = sorted(
        found.values(),
        key=lambda r: (not r.text, -r.rank, r.data["reference"], r.data["number"] or 0),
    )
    truncated = len(ordered) > limit
    rows = ordered[:limit]
    context = await _case_context(sorted({int(r.data["cid"]) for r in rows}))
    hits = []
    for row in rows:
        data = row.data
        kind_label = KIND_LABELS.get(data["kind"], data["kind"])
        day = data["date"]
        day_text = day.isoformat() if isinstance(day, date) else (day or None)
        numbers = data["invoice_numbers"]
        if isinstance(numbers, str):
            numbers = re.findall(r'"([^"]*)"', numbers)
        passage = row.passage if row.text else None
        if passage is None:
            candidates = [
                data["description"] or "",
                data["original_filename"] or "",
                " ".join(numbers or []),
                kind_label,
                data["reference"],
                *context.get(int(data["cid"]), []),
            ]
            source = next(
                (text for text in candidates if any(_loose(w) in _loose(text) for w in words)),
                data["description"] or kind_label,
            )
            passage = highlight(source, words)
        matched = (
            "texte et métadonnées"
            if row.text and row.metadata
            else "texte"
            if row.text
            else "métadonnées"
        )
        hits.append(
            Hit(
                int(data["id"]),
                int(data["cid"]),
                data["reference"],
                data["number"],
                data["kind"],
                kind_label,
                data["description"] or "",
                day_text,
                data["original_filename"] or "",
                passage,
                matched,
                status_label(data["tstatus"] or "pending"),
                thumbnail_url(int(data["id"]), data["sha256"] or "", data["mime"] or ""),
            )
        )
    return SearchResult(q, hits, truncated, notice, await _unread(actor), capped)


async def _case_context(case_ids: list[int]) -> dict[int, list[str]]:
    context: dict[int, list[str]] = {}
    ids = case_ids or [0]
    for party in await Party.select(Party.case, Party.name).where(Party.case.is_in(ids)):
        context.setdefault(party["case"], []).append(party["name"])
    for claim in await Claim.select(Claim.case, Claim.invoice_number, Claim.amount_cents).where(
        Claim.case.is_in(ids)
    ):
        context.setdefault(claim["case"], []).append(
            f"facture {claim['invoice_number']} ({amount_fr(from_cents(claim['amount_cents']))})"
        )
    return context


def _loose(text: str) -> str:
    """For choosing the passage shown: « 4080,00 » or « 4080.00 » typed finds the amount
    written « 4 080,00 € »."""
    return re.sub(r"[\s\u202f\u00a0]", "", text.lower()).replace(",", ".")


async def _unread(actor: User) -> int:
    """Visible live pièces whose current text is not searchable (pending, no OCR, failed)."""
    sql = _Sql()
    statement = (
        'SELECT COUNT(*) AS n FROM pieces pc JOIN cases c ON c.id = pc."case" '
        "JOIN piece_versions v ON v.piece = pc.id AND v.version = pc.current_version "
        "JOIN piece_texts t ON t.version = v.id "
        f"WHERE pc.deleted = {sql.arg(False)} AND t.status IN ({sql.args_in(['pending', 'no_ocr', 'failed'])}) "
        f"AND {await _where(actor, PortfolioQuery(), clock.today(), sql)}"
    )
    rows = await Case.raw(statement, *sql.args)
    return int(rows[0]["n"]) if rows else 0
