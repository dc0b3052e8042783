"""Cases, events and the recompute of deadlines, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest

from casefile.errors import Conflict, Forbidden, InputError, NotFound
from casefile.services import cases
from casefile.store import audit
from casefile.store.cases import InvoiceIn, PaymentIn
from casefile.store.permissions import SYSTEM
from casefile.store.tables import AuditEntry, Claim, Event
from casefile.store.users import create_user
from tests.store.helpers import new_case


def test_money_is_exact_cents_on_both_engines(store):
    """0.10 + 0.20 stored and summed is 0.30, not 0.30000000000000004."""
    case = store.run(cases.create_case(new_case(), SYSTEM))
    for number, amount in (("F-1", "0.10"), ("F-2", "0.20")):
        store.run(
            cases.add_claim(
                case["id"],
                InvoiceIn(number, date(2026, 1, 5), date(2026, 2, 4), Decimal(amount)),
                SYSTEM,
            )
        )
    stored = store.run(Claim.select(Claim.amount_cents).order_by(Claim.invoice_number))
    assert [row["amount_cents"] for row in stored] == [10, 20]
    assert all(type(row["amount_cents"]) is int for row in stored)
    shown = store.run(cases.get_case(case["id"], SYSTEM))
    assert shown["claim_total"] == "0.30"
    assert [c["amount"] for c in shown["claims"]] == ["0.10", "0.20"]
    store.run(cases.add_payment(case["id"], PaymentIn(date(2026, 3, 1), Decimal("0.05")), SYSTEM))
    assert store.run(cases.list_cases(SYSTEM))[0]["claim_total"] == "0.25"


def test_created_case_is_listed_and_shown(store):
    created = store.run(cases.create_case(new_case(debtor_residence="971"), SYSTEM))
    assert created["id"] > 0 and created["reference"] == "2026-001"
    assert created["court"] == "tribunal_judiciaire"
    assert created["version"] == 1
    listed = store.run(cases.list_cases(SYSTEM))
    assert [(c["id"], c["reference"], c["debtor"], c["court_department"]) for c in listed] == [
        (created["id"], "2026-001", "Winstub Muller SARL", "67")
    ]
    assert listed[0]["next_deadline"] is None and listed[0]["claim_total"] is None
    by_reference = store.run(cases.get_case("2026-001", SYSTEM))
    by_digits = store.run(cases.get_case(str(created["id"]), SYSTEM))
    assert by_reference == by_digits
    assert by_reference["debtor_party"]["residence"] == "971"
    assert by_reference["creditor"]["siren"] == "732829320"
    assert {"events", "deadlines", "evidence"} <= set(by_reference)
    with pytest.raises(NotFound, match="« nope »"):
        store.run(cases.get_case("nope", SYSTEM))


def test_events_recompute_deadlines_and_return_the_diff(store):
    """Ordonnance signified in person on Friday 13 February 2026 in Strasbourg: opposition
    within one month (CPC 1416) → Friday 13 March 2026."""
    case = store.run(cases.create_case(new_case(), SYSTEM))
    first = store.run(cases.add_event(case["id"], "ordonnance_rendue", "2026-02-02", {}, SYSTEM))
    assert [d["key"] for d in first["added"]] == ["signification_ordonnance"]
    assert first["added"][0]["due"] == "2026-08-03"  # 2 August 2026 is a Sunday
    assert first["moved"] == [] and first["removed"] == [] and first["version"] == 2

    served = store.run(
        cases.add_event(
            case["id"], "ordonnance_signifiee", "2026-02-13", {"a_personne": "true"}, SYSTEM, 2
        )
    )
    assert [(d["key"], d["due"]) for d in served["added"]] == [("opposition", "2026-03-13")]
    assert served["changed"] == [
        {"key": "signification_ordonnance", "from": "pending", "to": "done"}
    ]

    edited = store.run(
        cases.edit_event(
            case["id"], "ordonnance_signifiee", "2026-02-20", {"a_personne": True}, SYSTEM
        )
    )
    assert [(m["key"], m["from"], m["to"]) for m in edited["moved"]] == [
        ("opposition", "2026-03-13", "2026-03-20")
    ]
    assert edited["added"] == [] and edited["removed"] == []

    deleted = store.run(cases.delete_event(case["id"], "ordonnance_signifiee", SYSTEM))
    assert [d["key"] for d in deleted["removed"]] == ["opposition"]
    assert deleted["version"] == 5
    shown = store.run(cases.get_case(case["id"], SYSTEM, today=date(2026, 9, 1)))
    assert [(e["key"], e["date"]) for e in shown["events"]] == [("ordonnance_rendue", "2026-02-02")]
    assert [(d["key"], d["status"]) for d in shown["deadlines"]] == [
        ("signification_ordonnance", "missed")
    ]
    assert shown["next_deadline"]["key"] == "signification_ordonnance"


def test_a_stale_version_is_refused_and_nothing_changes(store):
    case = store.run(cases.create_case(new_case(), SYSTEM))
    store.run(cases.add_event(case["id"], "ordonnance_rendue", "2026-02-02", {}, SYSTEM, 1))
    # a second user still holds version 1
    with pytest.raises(Conflict, match="a changé depuis la version 1"):
        store.run(
            cases.add_event(
                case["id"],
                "ordonnance_signifiee",
                "2026-02-13",
                {"a_personne": "true"},
                SYSTEM,
                expected_version=1,
            )
        )
    events = store.run(Event.select(Event.key).where(Event.case == case["id"]))
    assert [e["key"] for e in events] == ["ordonnance_rendue"]
    shown = store.run(cases.get_case(case["id"], SYSTEM))
    assert shown["version"] == 2
    assert [d["key"] for d in shown["deadlines"]] == ["signification_ordonnance"]


def test_a_duplicate_reference_is_a_conflict(store):
    store.run(cases.create_case(new_case("2026-007"), SYSTEM))
    with pytest.raises(Conflict, match="2026-007"):
        store.run(cases.create_case(new_case("2026-007"), SYSTEM))
    assert len(store.run(cases.list_cases(SYSTEM))) == 1


def test_an_event_the_procedure_does_not_have_is_refused(store):
    case = store.run(cases.create_case(new_case(), SYSTEM))
    with pytest.raises(InputError, match="audience"):
        store.run(cases.add_event(case["id"], "audience", "2026-02-02", {}, SYSTEM))
    with pytest.raises(InputError, match="2026-02-30"):
        store.run(cases.add_event(case["id"], "ordonnance_rendue", "2026-02-30", {}, SYSTEM))
    assert store.run(cases.get_case(case["id"], SYSTEM))["version"] == 1


def test_a_commissaire_sees_and_serves_only_assigned_cases(store):
    bailiff, _ = store.run(create_user("me_kleber", "commissaire_de_justice"))
    other, _ = store.run(create_user("me_autre", "commissaire_de_justice"))
    mine = store.run(cases.create_case(new_case("A-1", commissaire="me_kleber"), SYSTEM))
    store.run(cases.create_case(new_case("B-2"), SYSTEM))
    assert [c["reference"] for c in store.run(cases.list_cases(bailiff))] == ["A-1"]
    assert store.run(cases.list_cases(other)) == []
    with pytest.raises(Forbidden):
        store.run(cases.get_case("B-2", bailiff))
    store.run(cases.add_event(mine["id"], "ordonnance_rendue", "2026-02-02", {}, SYSTEM))
    served = store.run(
        cases.add_event(
            mine["id"], "ordonnance_signifiee", "2026-02-13", {"a_personne": True}, bailiff
        )
    )
    assert [d["key"] for d in served["added"]] == ["opposition"]
    with pytest.raises(Forbidden):
        store.run(cases.add_event(mine["id"], "opposition_formee", "2026-02-20", {}, bailiff))
    with pytest.raises(Forbidden):
        store.run(cases.add_event("B-2", "ordonnance_signifiee", "2026-02-13", {}, bailiff))
    reader, _ = store.run(create_user("lecteur", "lecteur"))
    with pytest.raises(Forbidden):
        store.run(cases.create_case(new_case("C-3"), reader))


def test_changes_write_audit_entries_that_cannot_be_altered(store):
    lawyer, _ = store.run(create_user("me_dupont", "avocat"))
    case = store.run(cases.create_case(new_case(), lawyer))
    store.run(cases.add_event(case["id"], "ordonnance_rendue", "2026-02-02", {}, lawyer))
    entries = store.run(audit.list_entries(lawyer, entity="case"))
    assert [(e["action"], e["actor"], e["entity_id"]) for e in entries] == [
        ("event.add", "me_dupont", str(case["id"])),
        ("case.create", "me_dupont", str(case["id"])),
    ]
    assert entries[0]["after"]["date"] == "2026-02-02"
    assert entries[0]["after"]["changes"]["added"] == ["signification_ordonnance"]
    assert entries[1]["before"] is None and entries[1]["after"]["reference"] == "2026-001"
    with pytest.raises(Exception, match="append-only"):
        store.run(AuditEntry.update({AuditEntry.action: "forged"}).where(AuditEntry.id > 0))
    with pytest.raises(Exception, match="append-only"):
        store.run(AuditEntry.delete().where(AuditEntry.id > 0))
    reader, _ = store.run(create_user("lecteur", "lecteur"))
    with pytest.raises(Forbidden):
        store.run(audit.list_entries(reader))


def test_two_concurrent_edits_of_one_version_one_wins_one_conflicts(store):
    """Two users submit against version 1 at the same moment: never a lost update."""
    import asyncio

    case = store.run(cases.create_case(new_case(), SYSTEM))

    async def both():
        return await asyncio.gather(
            cases.add_event(case["id"], "requete_deposee", "2026-01-20", {}, SYSTEM, 1),
            cases.add_event(case["id"], "ordonnance_rendue", "2026-02-02", {}, SYSTEM, 1),
            return_exceptions=True,
        )

    results = store.run(both())
    assert sorted(type(r).__name__ for r in results) == ["Conflict", "dict"]
    shown = store.run(cases.get_case(case["id"], SYSTEM))
    assert shown["version"] == 2 and len(shown["events"]) == 1


@pytest.mark.parametrize(
    "text",
    ["99999999999999999999", "2147483648", "9223372036854775808", "0", "²", "٣", "-1"],
)
def test_a_case_text_that_is_no_database_id_is_looked_up_as_a_reference(store, text):
    """Digits out of the `integer` range and non-ASCII digits (int("²") fails) are never ids:
    unknown, they are NotFound naming the input; stored as a reference, they find that case."""
    with pytest.raises(NotFound, match=f"dossier « {text} » introuvable"):
        store.run(cases.resolve_case(text, SYSTEM))
    created = store.run(cases.create_case(new_case(reference=text), SYSTEM))
    assert store.run(cases.resolve_case(f" {text} ", SYSTEM))["id"] == created["id"]
    with pytest.raises(NotFound, match="2147483648"):
        store.run(cases.resolve_case(2**31, SYSTEM))


def test_the_largest_integer_id_is_still_an_id(store):
    created = store.run(cases.create_case(new_case(), SYSTEM))
    assert store.run(cases.resolve_case(str(created["id"]), SYSTEM))["reference"] == "2026-001"
    with pytest.raises(NotFound, match="2147483647"):
        store.run(cases.resolve_case(str(2**31 - 1), SYSTEM))


def test_the_deadlines_read_by_id_match_the_full_case_and_keep_its_checks(store):
    """The one-query read of `case_deadlines` returns what `get_case` shows, sorted by due
    date, with "missed" as of `today`, and refuses a commissaire the case is not assigned to."""
    case = store.run(cases.create_case(new_case(), SYSTEM))
    assert store.run(cases.case_deadlines(case["id"], SYSTEM)) == []
    store.run(cases.add_event(case["id"], "ordonnance_rendue", "2026-02-02", {}, SYSTEM))
    store.run(
        cases.add_event(
            case["id"], "ordonnance_signifiee", "2026-02-13", {"a_personne": True}, SYSTEM
        )
    )
    today = date(2026, 4, 1)
    shown = store.run(cases.get_case(case["id"], SYSTEM, today=today))["deadlines"]
    for key in (case["id"], str(case["id"]), "2026-001"):
        assert store.run(cases.case_deadlines(key, SYSTEM, today=today)) == shown
    assert [(d["key"], d["due"], d["status"]) for d in shown] == [
        ("opposition", "2026-03-13", "missed"),
        ("signification_ordonnance", "2026-08-03", "done"),
    ]
    bailiff, _ = store.run(create_user("me_kleber", "commissaire_de_justice"))
    with pytest.raises(Forbidden, match="pas attribué"):
        store.run(cases.case_deadlines(case["id"], bailiff))
    with pytest.raises(NotFound, match="999999"):
        store.run(cases.case_deadlines(999999, SYSTEM))


def test_the_deadlines_sent_as_stored_bytes_are_the_deadlines_read(store):
    """The API's byte path (stored texts joined, order by the database) says what
    `case_deadlines` says, with and without `today`, by id and by reference."""
    case = store.run(cases.create_case(new_case(), SYSTEM))
    assert store.run(cases.case_deadlines_json(case["id"], SYSTEM)) == b"[]"
    store.run(cases.add_event(case["id"], "ordonnance_rendue", "2026-02-02", {}, SYSTEM))
    store.run(
        cases.add_event(
            case["id"], "ordonnance_signifiee", "2026-02-13", {"a_personne": True}, SYSTEM
        )
    )
    for today in (None, date(2026, 4, 1), date(2026, 3, 13), date(2030, 1, 1)):
        expected = store.run(cases.case_deadlines(case["id"], SYSTEM, today=today))
        for key in (case["id"], str(case["id"]), "2026-001"):
            body = store.run(cases.case_deadlines_json(key, SYSTEM, today=today))
            assert json.loads(body) == expected
    statuses = json.loads(
        store.run(cases.case_deadlines_json("2026-001", SYSTEM, date(2026, 4, 1)))
    )
    assert [(d["key"], d["status"]) for d in statuses] == [
        ("opposition", "missed"),
        ("signification_ordonnance", "done"),
    ]
    bailiff, _ = store.run(create_user("me_kleber", "commissaire_de_justice"))
    with pytest.raises(Forbidden, match="pas attribué"):
        store.run(cases.case_deadlines_json(case["id"], bailiff))
    for missing in (999999, "999999", "NO-SUCH-REF"):
        with pytest.raises(NotFound):
            store.run(cases.case_deadlines_json(missing, SYSTEM))
