"""Full-text search of the pièces' text on both engines (issue 16 item 2): PostgreSQL's French
configuration (tsvector, websearch_to_tsquery, ts_headline) and SQLite's FTS5 (snippet), merged
with the metadata search; only the current version of live pièces of visible cases."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from casefile.services import cases
from casefile.services.search import either_in_english, fts5_query, search_pieces
from casefile.store import users
from casefile.store.permissions import SYSTEM
from casefile.store.tables import Piece, PieceText, PieceVersion
from tests.store.helpers import new_case


def _piece(store, case_id: int, number: int | None, texts: list[str], **more) -> int:
    """A pièce whose versions 1, 2… carry these texts (the last is current)."""
    now = datetime.now(UTC)
    [row] = store.run(
        Piece.insert(
            Piece(
                case=case_id,
                number=number,
                kind=more.pop("kind", "autre"),
                description=more.pop("description", ""),
                date=date(2026, 3, 15),
                current_version=len(texts),
                created_at=now,
                **more,
            )
        )
    )
    for version, text in enumerate(texts, start=1):
        [v] = store.run(
            PieceVersion.insert(
                PieceVersion(
                    piece=row["id"],
                    version=version,
                    sha256=f"{row['id']:032d}{version:032d}",
                    size=10,
                    original_filename=f"piece-{row['id']}-v{version}.pdf",
                    created_at=now,
                )
            )
        )
        store.run(
            PieceText.insert(
                PieceText(version=v["id"], status="text", method="text", text=text, updated_at=now)
            )
        )
    return int(row["id"])


@pytest.fixture
def texts(store):
    cj, _ = store.run(users.create_user("cj-t", "commissaire_de_justice"))
    mine = store.run(cases.create_case(new_case("T-1", commissaire="cj-t"), SYSTEM))
    other = store.run(cases.create_case(new_case("T-2"), SYSTEM))
    _piece(
        store,
        mine["id"],
        1,
        [
            "Bon de commande n° 77 : livraison de fûts de bière, signé le 3 mars 2026 par "
            "le gérant <script>alert(1)</script> & associés."
        ],
        kind="bon_de_commande",
    )
    _piece(store, mine["id"], 2, ["Relevé des factures impayées au 31 mars 2026."])
    _piece(store, other["id"], 1, ["Contrat de fourniture : livraison hebdomadaire de fûts."])
    # Version 1 said "tonneaux"; the current version 2 no longer does.
    _piece(store, other["id"], 2, ["Devis : tonneaux de chêne", "Devis corrigé : barriques"])
    _piece(store, mine["id"], None, ["Pièce retirée : livraison de fûts"], deleted=True)
    return {"cj": cj, "store": store}


def found(store, q: str, actor=SYSTEM) -> list[tuple[str, int]]:
    return [(h.reference, h.number) for h in store.run(search_pieces(actor, q)).items]


def test_the_text_of_the_pieces_is_searched_on_both_engines(texts) -> None:
    store = texts["store"]
    assert sorted(found(store, "livraison fûts")) == [("T-1", 1), ("T-2", 1)]
    assert found(store, "livraison fûts", texts["cj"]) == [("T-1", 1)]  # a commissaire: own cases
    assert found(store, "tonneaux") == []  # an earlier version's text
    assert found(store, "barriques") == [("T-2", 2)]
    assert found(store, '"fûts de bière"') == [("T-1", 1)]  # a phrase
    assert found(store, "livraison -bière") == [("T-2", 1)]  # an excluded word
    assert sorted(found(store, "barriques or bière")) == [("T-1", 1), ("T-2", 2)]
    # As a French user writes it: « ou » is the same operator, quoted it is a word.
    assert sorted(found(store, "barriques ou bière")) == [("T-1", 1), ("T-2", 2)]
    assert sorted(found(store, "barriques OU bière")) == [("T-1", 1), ("T-2", 2)]
    # French stemming (PostgreSQL) or prefixes (SQLite): the singular finds the plural.
    assert found(store, "facture impayée") == [("T-1", 2)]
    assert found(store, "retirée") == []  # a withdrawn pièce


def test_the_passage_is_escaped_then_marked(texts) -> None:
    store = texts["store"]
    [hit] = store.run(search_pieces(SYSTEM, "gérant")).items
    assert hit.matched == "texte"
    assert "<mark>gérant</mark>" in hit.passage
    # Escaped, never raw (PostgreSQL's headline also drops what looks like a tag).
    assert "<script>" not in hit.passage and "&amp; associés" in hit.passage
    if store.engine == "sqlite":
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in hit.passage
    assert hit.as_json()["thumbnail"] == f"/api/evidence/{hit.piece_id}/thumbnail"
    assert hit.text_status == "texte extrait"


def test_text_and_metadata_matches_are_merged(texts) -> None:
    store = texts["store"]
    result = store.run(search_pieces(SYSTEM, "commande"))
    [hit] = result.items
    assert (hit.reference, hit.number, hit.matched) == ("T-1", 1, "texte et métadonnées")
    # A metadata-only match (the debtor's name) comes after the text matches.
    hits = store.run(search_pieces(SYSTEM, "winstub")).items
    assert {h.matched for h in hits} == {"métadonnées"}


def test_fts5_queries_are_built_from_quoted_tokens_only() -> None:
    assert fts5_query("facture impayée") == '"facture"* AND "impayée"*'
    assert fts5_query('"fûts de bière" -devis') == '("fûts de bière") NOT "devis"*'
    assert fts5_query("a or b c") == '("a"* OR "b"*) AND "c"*'
    assert either_in_english('facture ou devis "pain ou vin" Ou x') == (
        'facture or devis "pain ou vin" or x'
    )
    assert either_in_english("ouvrage bijou") == "ouvrage bijou"
    assert fts5_query("F-2024-118") == '"f 2024 118"*'
    assert fts5_query('NEAR( " * ^ -') is None or '"near"*' in fts5_query('NEAR( " * ^ -')
    assert fts5_query("-seul") is None
