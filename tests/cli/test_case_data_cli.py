"""`casefile party edit`, `claim …`, `payment …`, `event edit|delete --reason` and the named
operator (issue 12 items 1 and 7): every CLI change is attributed to a user, never `system`."""

from __future__ import annotations

import json

import pytest

from casefile.cli import main
from casefile.settings import reset_settings


@pytest.fixture
def cli(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("CASEFILE_DATABASE_URL", f"sqlite:///{tmp_path}/cli.db")
    monkeypatch.setenv("CASEFILE_VAR_DIR", str(tmp_path / "var"))
    monkeypatch.delenv("CASEFILE_OPERATOR", raising=False)
    reset_settings()

    def run(*argv: str) -> tuple[int, str, str]:
        code = main(list(argv))
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    yield run
    reset_settings()


NEW_CASE = (
    "case",
    "new",
    "--reference",
    "2026-900",
    "--procedure",
    "injonction_de_payer",
    "--court",
    "tribunal_de_commerce",
    "--court-department",
    "67",
    "--creditor",
    "Brasserie de l'Ill",
    "--debtor",
    "Winstub Muller",
)


def test_a_fresh_machine_works_then_a_change_needs_a_named_operator(cli, monkeypatch):
    assert cli("init")[0] == 0
    assert cli(*NEW_CASE)[0] == 0  # no user yet: nobody to name
    assert cli("user", "add", "chef", "--role", "admin")[0] == 0  # the first user: an admin
    assert cli("--as", "chef", "user", "add", "maitre_klein", "--role", "avocat")[0] == 0
    code, _, err = cli("event", "add", "2026-900", "ordonnance_rendue=2026-11-02")
    assert code == 2 and "aucun opérateur" in err and "CASEFILE_OPERATOR" in err
    assert cli("case", "show", "2026-900", "--format", "json")[0] == 0  # reading is fine
    code, _, err = cli(
        "--as", "inconnu", "event", "add", "2026-900", "ordonnance_rendue=2026-11-02"
    )
    assert code == 2 and "opérateur « inconnu » inconnu" in err
    code, _, _ = cli(
        "--as", "maitre_klein", "event", "add", "2026-900", "ordonnance_rendue=2026-11-02"
    )
    assert code == 0
    monkeypatch.setenv("CASEFILE_OPERATOR", "maitre_klein")
    reset_settings()
    code, out, _ = cli(
        "event",
        "edit",
        "2026-900",
        "ordonnance_rendue=2026-11-05",
        "--reason",
        "date recopiée de travers",
        "--format",
        "json",
    )
    # CPC art. 1411 (décret 2026-96: three months for an ordonnance rendered from 1 September
    # 2026): 2 November 2026 → Tuesday 2 February 2027; 5 November → Friday 5 February 2027.
    [moved] = json.loads(out)["moved"]
    assert (moved["key"], moved["from"], moved["to"]) == (
        "signification_ordonnance",
        "2027-02-02",
        "2027-02-05",
    )
    from casefile.commands.cases import run_store
    from casefile.store import audit
    from casefile.store.permissions import SYSTEM

    entries = run_store(lambda: audit.list_entries(SYSTEM))
    by_action = {e["action"]: e for e in entries}
    assert by_action["case.create"]["actor"] == "system"  # before any user existed
    assert by_action["event.add"]["actor"] == "maitre_klein"
    assert by_action["event.edit"]["actor"] == "maitre_klein"
    assert by_action["event.edit"]["after"]["reason"] == "date recopiée de travers"


def test_parties_invoices_and_payments_from_the_command_line(cli, monkeypatch):
    cli("init")
    cli("user", "add", "chef", "--role", "admin")  # the first user is an administrator
    cli("--as", "chef", "user", "add", "gestion", "--role", "credit_manager")
    monkeypatch.setenv("CASEFILE_OPERATOR", "gestion")
    reset_settings()
    assert cli(*NEW_CASE)[0] == 0
    code, out, _ = cli(
        "party",
        "edit",
        "2026-900",
        "--role",
        "debtor",
        "--category",
        "societe",
        "--legal-form",
        "SARL",
        "--siren",
        "732 829 320",
        "--street",
        "3 rue du Dôme",
        "--postcode",
        "67000",
        "--city",
        "Strasbourg",
        "--format",
        "json",
    )
    assert code == 0, out
    party = json.loads(out)["party"]
    assert party["siren"] == "732829320" and party["address"] == "3 rue du Dôme, 67000 Strasbourg"
    code, _, err = cli("party", "edit", "2026-900", "--role", "debtor", "--siret", "73282932000075")
    assert code == 2 and "clé de contrôle" in err
    code, out, _ = cli(
        "claim",
        "add",
        "2026-900",
        "--number",
        "F-118",
        "--issue-date",
        "2026-09-01",
        "--due-date",
        "2026-10-01",
        "--amount",
        "4 080,00",
        "--supply",
        "marchandises",
        "--format",
        "json",
    )
    assert code == 0, out
    assert cli("claim", "edit", "2026-900", "F-118", "--amount", "4100.50")[0] == 0
    code, out, _ = cli(
        "payment",
        "add",
        "2026-900",
        "--date",
        "2026-11-02",
        "--amount",
        "5000",
        "--invoice",
        "F-118",
    )
    assert code == 0 and "dépasse le principal restant dû" in out
    shown = json.loads(cli("case", "show", "2026-900", "--format", "json")[1])
    assert shown["claims"][0]["amount"] == "4100.50"
    payment_id = shown["payments"][0]["id"]
    code, _, _ = cli("payment", "delete", "2026-900", str(payment_id), "--reason", "doublon")
    assert code == 0
    assert cli("claim", "delete", "2026-900", "F-118", "--reason", "avoir")[0] == 0
    shown = json.loads(cli("case", "show", "2026-900", "--format", "json")[1])
    assert shown["claims"] == [] and shown["payments"] == []
