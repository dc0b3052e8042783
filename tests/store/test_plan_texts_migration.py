"""Migration 2026-11-30T19:50: the payment plans recorded before the French amounts keep no
« 680.00 € » in their stored texts — the instalments' labels and notes are rewritten as the
code writes them now, on both engines, and nothing else is touched."""

from __future__ import annotations

import importlib
import re
from datetime import date
from decimal import Decimal
from typing import Any

from casefile.services import cases
from casefile.store import payment_plans
from casefile.store.cases import PaymentIn
from casefile.store.explanations import digest_of
from casefile.store.payment_plans import PlanIn
from casefile.store.tables import DeadlineRecord
from casefile.store.users import SYSTEM
from tests.store.conftest import Store
from tests.store.helpers import new_case

MIGRATION = importlib.import_module(
    "casefile.store.piccolo_migrations.store_2026_11_30t19_50_00_000000"
)


def old_style(body: str) -> str:
    """The text as the code wrote it before 1b90565: « 680.00 € », « 0 € », ISO dates."""
    body = body.replace("payé : 0,00\xa0€", "payé : 0 €")
    body = re.sub(
        r"(\d[\d\u202f]*),(\d\d)\xa0€",
        lambda m: f"{m.group(1).replace(chr(0x202F), '')}.{m.group(2)} €",
        body,
    )
    return body.replace("Soldée le 4 janvier 2027", "Soldée le 2027-01-04")


def bodies(store: Store, case_id: int) -> dict[str, tuple[bytes, str]]:
    rows = store.run(
        DeadlineRecord.raw(
            "SELECT d.key, d.digest, e.body FROM deadlines d "
            'JOIN explanations e ON e.digest = d.digest WHERE d."case" = {}',
            case_id,
        )
    )
    return {r["key"]: (bytes(r["digest"]), str(r["body"])) for r in rows}


def test_old_plan_texts_are_rewritten_in_french_and_nothing_else(store: Store) -> None:
    case = store.run(cases.create_case(new_case(), SYSTEM))
    plan = PlanIn(
        total=Decimal("4080.00"),
        count=6,
        first_due=date(2027, 1, 5),
        granted_on=date(2026, 12, 1),
    )
    store.run(payment_plans.create_plan(case["id"], plan, SYSTEM, today=date(2026, 12, 1)))
    store.run(cases.add_payment(case["id"], PaymentIn(date(2027, 1, 4), Decimal("680.00")), SYSTEM))
    current = bodies(store, case["id"])
    first = current["echeance_1"][1]
    assert "Échéance n° 1/6 du plan de paiement (680,00\xa0€)" in first
    assert "Montant : 680,00\xa0€ ; payé : 680,00\xa0€" in first
    assert "Soldée le 4 janvier 2027" in first
    assert "Montant : 680,00\xa0€ ; payé : 0,00\xa0€" in current["echeance_2"][1]

    # The database as a plan recorded before the French amounts left it.
    old: dict[str, bytes] = {}
    for key, (digest, body) in current.items():
        if not key.startswith("echeance_"):
            continue
        text = old_style(body)
        old[key] = digest_of(text.encode())
        store.run(
            DeadlineRecord.raw(
                "INSERT INTO explanations (digest, body) VALUES ({}, {})", old[key], text
            )
        )
        store.run(
            DeadlineRecord.raw(
                "UPDATE deadlines SET digest = {} WHERE digest = {}", old[key], digest
            )
        )
        store.run(DeadlineRecord.raw("DELETE FROM explanations WHERE digest = {}", digest))
    stale = bodies(store, case["id"])
    assert "Échéance n° 1/6 du plan de paiement (680.00 €)" in stale["echeance_1"][1]
    assert "Montant : 680.00 € ; payé : 680.00 €" in stale["echeance_1"][1]
    assert "Soldée le 2027-01-04" in stale["echeance_1"][1]
    assert "Montant : 680.00 € ; payé : 0 €" in stale["echeance_2"][1]

    async def migrate() -> None:
        manager: Any = await MIGRATION.forwards()
        await manager.run()

    store.run(migrate())
    after = bodies(store, case["id"])
    assert after == current  # the very texts (and digests) the code writes today
    left = store.run(
        DeadlineRecord.raw("SELECT digest FROM explanations WHERE body LIKE {}", "%680.00 €%")
    )
    assert left == []  # the old texts are gone
    shown = store.run(cases.get_case(case["id"], SYSTEM, today=date(2027, 1, 10)))
    labels = [d["label"] for d in shown["deadlines"] if d["key"].startswith("echeance_")]
    assert labels[0] == "Échéance n° 1/6 du plan de paiement (680,00\xa0€)"
    # Run twice: nothing more changes.
    store.run(migrate())
    assert bodies(store, case["id"]) == current


def test_the_frozen_formatting_writes_french_amounts_and_dates() -> None:
    assert MIGRATION.amount_fr("4080.00") == "4\u202f080,00\xa0€"
    assert MIGRATION.amount_fr("0") == "0,00\xa0€"
    assert MIGRATION.amount_fr("1234567.5") == "1\u202f234\u202f567,50\xa0€"
    assert MIGRATION.date_fr("2027", "03", "01") == "1er mars 2027"
    assert MIGRATION.french(
        '{"label":"Échéance n° 2/3 du plan de paiement (1250.00 €)",'
        '"notes":["Montant : 1250.00 € ; payé : 0 €","Soldée le 2027-12-25"]}'
    ) == (
        '{"label":"Échéance n° 2/3 du plan de paiement (1\u202f250,00\xa0€)",'
        '"notes":["Montant : 1\u202f250,00\xa0€ ; payé : 0,00\xa0€","Soldée le 25 décembre 2027"]}'
    )
