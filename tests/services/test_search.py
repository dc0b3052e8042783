"""The pièce search's SQL on both engines (issue 16 item 2): metadata words, the case's
invoices and parties, withdrawn pièces left out, a commissaire limited to their cases."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from casefile.services import cases, claims
from casefile.services.search import highlight, search_pieces
from casefile.store import users
from casefile.store.cases import InvoiceIn
from casefile.store.permissions import SYSTEM
from casefile.store.tables import Piece, PieceVersion
from tests.store.helpers import new_case


def _piece(store, case_id: int, number: int, kind: str, description: str, name: str, **more):
    now = datetime.now(UTC)
    [row] = store.run(
        Piece.insert(
            Piece(
                case=case_id,
                number=number,
                kind=kind,
                description=description,
                date=date(2026, 3, 15),
                created_at=now,
                **more,
            )
        )
    )
    store.run(
        PieceVersion.insert(
            PieceVersion(
                piece=row["id"],
                version=1,
                sha256="0" * 64,
                size=10,
                original_filename=name,
                created_at=now,
            )
        )
    )


def test_search_on_both_engines(store):
    cj, _ = store.run(users.create_user("cj-s", "commissaire_de_justice"))
    mine = store.run(cases.create_case(new_case("S-1", commissaire="cj-s"), SYSTEM))
    other = store.run(cases.create_case(new_case("S-2"), SYSTEM))
    store.run(
        claims.add_claim(
            mine["id"],
            InvoiceIn("F-2024-118", date(2024, 3, 1), date(2024, 3, 31), Decimal("4080.00")),
            SYSTEM,
        )
    )
    _piece(store, mine["id"], 1, "devis", "Devis signé de mars", "devis.pdf")
    _piece(
        store, mine["id"], 2, "facture", "Facture", "F-2024-118.pdf", invoice_numbers=["F-2024-118"]
    )
    _piece(store, other["id"], 1, "devis", "Devis non signé", "autre.pdf")
    _piece(store, mine["id"], None, "devis", "Devis signé retiré", "x.pdf", deleted=True)

    def found(q: str, actor=SYSTEM) -> list[tuple[str, int]]:
        return [(h.reference, h.number) for h in store.run(search_pieces(actor, q)).items]

    assert found("devis signé") == [("S-1", 1), ("S-2", 1)]
    assert found("DEVIS SIGNÉ mars") == [("S-1", 1)]
    assert found("f-2024-118") == [("S-1", 1), ("S-1", 2)]  # every pièce of the invoice's case
    assert found("4080 facture") == [("S-1", 2)]
    assert found("bon de commande") == []
    assert found("15/03/2026 autre.pdf") == [("S-2", 1)]
    assert found("winstub devis") == [("S-1", 1), ("S-2", 1)]  # the debtor's name
    assert found("100%_") == []
    assert found("devis", cj) == [("S-1", 1)]


def test_highlight_escapes_then_marks():
    assert (
        highlight("Devis <signé> & daté", ["signé"])
        == "Devis &lt;<mark>signé</mark>&gt; &amp; daté"
    )
    long = "x" * 300 + " contrat " + "y" * 300
    passage = highlight(long, ["contrat"])
    assert passage.startswith("…") and passage.endswith("…") and "<mark>contrat</mark>" in passage
