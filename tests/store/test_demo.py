"""The demo portfolio: realistic spread, overdue deadlines, idempotent."""

from __future__ import annotations

from datetime import date

from casefile.store import cases
from casefile.store.demo import load_demo
from casefile.store.permissions import SYSTEM
from casefile.store.users import get_user
from tests.store.test_users import authenticate_password


def test_demo_portfolio_is_spread_overdue_in_part_and_loaded_once(store):
    today = date(2026, 11, 24)
    first = store.run(load_demo(today=today))
    again = store.run(load_demo(today=today))
    assert (first["created"], again["created"], again["existing"]) == (30, 0, 30)
    listed = store.run(cases.list_cases(SYSTEM, today=today))
    assert len(listed) == 30
    assert {c["procedure"] for c in listed} == {
        "injonction_de_payer",
        "refere_provision",
        "assignation_paiement",
        "petites_creances",
        "amiable",
    }
    assert {"67", "971"} <= {c["court_department"] for c in listed}
    missed = [c for c in listed if c["next_deadline"] and c["next_deadline"]["status"] == "missed"]
    assert len(missed) >= 5
    abroad = [store.run(cases.get_case(c["id"], SYSTEM)) for c in listed]
    assert any(c["debtor_party"]["residence"] == "etranger" for c in abroad)
    assert store.run(get_user("commissaire")).role == "commissaire_de_justice"
    assert authenticate_password(store, "avocat", "demo") is not None
