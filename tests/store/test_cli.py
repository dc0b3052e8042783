"""The store commands through `casefile.cli.main`, on a temporary SQLite database."""

from __future__ import annotations

import json
import re

import pytest

from casefile.cli import main


@pytest.fixture
def cli(tmp_path, monkeypatch, capsys):
    from casefile.settings import reset_settings

    monkeypatch.setenv("CASEFILE_DATABASE_URL", f"sqlite:///{tmp_path}/cli.db")
    monkeypatch.setenv("CASEFILE_VAR_DIR", str(tmp_path / "var"))
    reset_settings()

    def run(*argv: str) -> tuple[int, str, str]:
        code = main(list(argv))
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    yield run
    reset_settings()


def test_case_and_event_commands_print_the_contract_json(cli):
    code, _, err = cli("case", "list", "--format", "json")
    assert code == 2 and "casefile init" in err and len(err.strip().splitlines()) == 1
    assert cli("init")[0] == 0
    code, out, _ = cli(
        "case",
        "new",
        "--reference",
        "2026-042",
        "--procedure",
        "injonction_de_payer",
        "--court",
        "tribunal_de_commerce",
        "--court-department",
        "971",
        "--creditor",
        "Rhum Vieux SA",
        "--debtor",
        "Épicerie Jabrun",
        "--debtor-residence",
        "etranger",
        "--format",
        "json",
    )
    assert code == 0
    case = json.loads(out)
    assert case["id"] == 1 and case["reference"] == "2026-042"
    assert case["debtor_party"]["residence"] == "etranger"

    code, out, _ = cli(
        "event", "add", "2026-042", "ordonnance_rendue=2026-03-02", "--format", "json"
    )
    assert code == 0 and set(json.loads(out)) >= {"added", "moved", "removed"}
    code, out, _ = cli(
        "event", "add", "1", "ordonnance_signifiee=2026-03-10:a_personne=true", "--format", "json"
    )
    added = json.loads(out)["added"]
    # Pointe-à-Pitre court, debtor abroad: one month + two months (CPC 643), from 10 March
    assert [(d["key"], d["due"], d["extension"]) for d in added] == [
        ("opposition", "2026-06-10", "2 months")
    ]
    code, out, _ = cli(
        "event",
        "edit",
        "2026-042",
        "ordonnance_signifiee=2026-03-11:a_personne=true",
        "--expected-version",
        "3",
        "--format",
        "json",
    )
    assert [(m["key"], m["to"]) for m in json.loads(out)["moved"]] == [("opposition", "2026-06-11")]
    code, _, err = cli(
        "event", "edit", "2026-042", "ordonnance_signifiee=2026-03-12", "--expected-version", "3"
    )
    assert code == 2 and "a changé depuis la version 3" in err

    code, out, _ = cli("case", "list", "--format", "json")
    [listed] = json.loads(out)
    assert {
        "id",
        "reference",
        "procedure",
        "court",
        "court_department",
        "debtor",
        "claim_total",
        "next_deadline",
    } <= set(listed)
    assert listed["next_deadline"]["key"] in ("opposition", "signification_ordonnance")
    code, out, _ = cli("case", "show", "2026-042", "--today", "2026-12-01", "--format", "json")
    shown = json.loads(out)
    assert [e["key"] for e in shown["events"]] == ["ordonnance_rendue", "ordonnance_signifiee"]
    assert {d["key"]: d["status"] for d in shown["deadlines"]} == {
        "signification_ordonnance": "done",
        "opposition": "missed",
    }
    assert shown["evidence"] == []
    code, out, _ = cli("event", "delete", "2026-042", "ordonnance_signifiee", "--format", "json")
    assert [d["key"] for d in json.loads(out)["removed"]] == ["opposition"]
    code, out, _ = cli("case", "show", "2026-042")
    assert code == 0  # the rich table, in French: labels, not keys
    assert "Injonction de payer, tribunal de commerce (971)" in out
    assert "Ordonnance portant injonction de payer rendue" in out
    assert "qui agit : commissaire de justice" in out
    assert not re.search(r"\b[a-z]+_[a-z_]+\b", out), out
    code, out, _ = cli("case", "list")
    assert code == 0 and "Injonction de payer" in out and "tribunal de commerce (971)" in out
    assert not re.search(r"\b[a-z]+_[a-z_]+\b", out), out
    code, out, _ = cli(
        "event", "add", "2026-042", "ordonnance_signifiee=2026-03-11:a_personne=true"
    )
    assert code == 0 and "+ Délai d'opposition du débiteur 11 juin 2026" in out, out
    code, _, err = cli("event", "add", "2026-042", "audience=2026-05-01")
    assert code == 2 and "audience" in err


def test_user_add_prints_the_token_alone_on_the_last_line(cli):
    cli("init")
    assert cli("user", "add", "chef", "--role", "admin")[0] == 0  # the first user: no operator
    code, out, _ = cli(
        "--as", "chef", "user", "add", "me_weiss", "--role", "commissaire_de_justice", "--token"
    )
    assert code == 0
    token = out.strip().splitlines()[-1]
    assert " " not in token and len(token) >= 40
    code, _, err = cli("user", "add", "me_weiss", "--role", "avocat", "--as", "chef")
    assert code == 2 and "me_weiss" in err and "existe déjà" in err


def test_claims_import_reports_and_refuses_a_bad_file(cli, tmp_path):
    cli("init")
    path = tmp_path / "balance.csv"
    path.write_text(
        "debiteur;facture;date facture;echeance;montant ttc\n"
        "Garage Meyer;F1;2025-01-01;2025-01-31;100,00\n"
        "Garage Meyer;F2;2025-01-01;2024-12-31;100,00\n",
        encoding="utf-8",
    )
    code, _, err = cli("claims", "import", str(path), "--creditor", "Brasserie")
    assert code == 2
    assert "ligne 3 échéance : l'échéance (31 décembre 2024) précède la date de facture " in err
    assert "rien n'a été importé (corrigez le fichier, ou utilisez --skip-bad)" in err
    code, out, _ = cli("claims", "import", str(path), "--creditor", "Brasserie", "--skip-bad")
    assert code == 0 and "importé : 1 facture et 0 paiement" in out
    code, out, _ = cli("case", "list", "--format", "json")
    assert [c["claim_total"] for c in json.loads(out)] == ["100.00"]


def test_case_handover_moves_an_amicable_file_to_litigation(cli):
    assert cli("init")[0] == 0
    assert cli("user", "add", "chef", "--role", "admin")[0] == 0  # the first user: an admin
    assert cli("--as", "chef", "user", "add", "gestion", "--role", "credit_manager")[0] == 0
    code, out, err = cli(
        "--as", "gestion", "case", "new", "--reference", "AM-CLI", "--procedure", "amiable",
        "--court", "tribunal_judiciaire", "--court-department", "67",
        "--creditor", "Brasserie de l'Ill SAS",
        "--debtor", "Winstub Muller SARL", "--format", "json",
    )  # fmt: skip
    assert code == 0, err
    assert json.loads(out)["phase"] == "amiable"
    code, _, err = cli(
        "--as", "gestion", "claim", "add", "AM-CLI", "--number", "F-1", "--issue-date",
        "2026-06-01", "--due-date", "2026-07-01", "--amount", "12000",
    )  # fmt: skip
    assert code == 0, err
    code, out, err = cli(
        "--as", "gestion", "case", "handover", "AM-CLI", "--today", "2026-11-30", "--format", "json"
    )  # fmt: skip
    assert code == 0, err
    result = json.loads(out)
    assert (result["phase"], result["procedure"], result["handed_over_on"]) == (
        "contentieux",
        "injonction_de_payer",
        "2026-11-30",
    )
    code, _, err = cli("--as", "gestion", "case", "handover", "AM-CLI")
    assert code == 2 and "déjà au contentieux" in err


def test_a_new_case_without_events_says_what_to_record_not_an_empty_table(cli):
    assert cli("init")[0] == 0
    assert cli("user", "add", "chef", "--role", "admin")[0] == 0  # the first user: an admin
    assert cli("--as", "chef", "user", "add", "gestion", "--role", "credit_manager")[0] == 0
    code, out, err = cli(
        "--as", "gestion", "case", "new", "--reference", "IP-VIDE", "--procedure",
        "injonction_de_payer", "--court", "tribunal_judiciaire", "--court-department", "69",
        "--creditor", "Brasserie Lyonnaise SAS", "--debtor", "Traiteur Dupont",
    )  # fmt: skip
    assert code == 0, err
    text = " ".join(out.split())
    assert "Aucun événement enregistré." in text
    assert (
        "Aucune échéance : elles sont calculées à partir des événements enregistrés "
        "(« casefile event add IP-VIDE ÉVÉNEMENT=AAAA-MM-JJ » ; les événements de chaque "
        "procédure : « casefile procedures »)."
    ) in text
    assert "┏" not in out  # no empty table


def test_case_handover_names_the_mise_en_demeure_day_in_french(cli):
    """The handover's line printed « mise en demeure : 2026-11-10 » (README tour, DEMO-022)."""
    assert cli("init")[0] == 0
    assert cli("user", "add", "chef", "--role", "admin")[0] == 0  # the first user: an admin
    assert cli("--as", "chef", "user", "add", "gestion", "--role", "credit_manager")[0] == 0
    code, _, err = cli(
        "--as", "gestion", "case", "new", "--reference", "AM-MED", "--procedure", "amiable",
        "--court", "tribunal_judiciaire", "--court-department", "67",
        "--creditor", "Brasserie de l'Ill SAS", "--debtor", "Winstub Muller SARL",
    )  # fmt: skip
    assert code == 0, err
    code, _, err = cli(
        "--as", "gestion", "claim", "add", "AM-MED", "--number", "F-1", "--issue-date",
        "2026-06-01", "--due-date", "2026-07-01", "--amount", "3000",
    )  # fmt: skip
    assert code == 0, err
    code, _, err = cli(
        "--as", "gestion", "event", "add", "AM-MED", "mise_en_demeure_envoyee=2026-11-10"
    )
    assert code == 0, err
    code, out, err = cli("--as", "gestion", "case", "handover", "AM-MED", "--today", "2026-11-30")
    assert code == 0, err
    assert out.startswith("AM-MED : transmis au contentieux le 30 novembre 2026 — ")
    assert out.rstrip("\n").endswith("mise en demeure : 10 novembre 2026")


def test_a_commercial_case_in_alsace_moselle_names_the_chambre_commerciale(cli):
    """No tribunal de commerce in 57, 67, 68: the case and the list name the chambre
    commerciale of the tribunal judiciaire (`calendars/territories.toml`), as the advice does."""
    assert cli("init")[0] == 0
    assert cli("user", "add", "chef", "--role", "admin")[0] == 0  # the first user: an admin
    assert cli("--as", "chef", "user", "add", "gestion", "--role", "credit_manager")[0] == 0
    code, out, err = cli(
        "--as", "gestion", "case", "new", "--reference", "IP-STRAS", "--procedure",
        "injonction_de_payer", "--court", "tribunal_de_commerce", "--court-department", "67",
        "--creditor", "Fournitures Rhénanes SAS", "--debtor", "Winstub Muller SARL",
    )  # fmt: skip
    assert code == 0, err
    shown = " ".join(out.split())
    assert "Injonction de payer, tribunal judiciaire (chambre commerciale) (67)" in shown
    code, out, _ = cli("case", "list")
    listed = " ".join(out.split())
    assert code == 0 and "tribunal de commerce" not in listed
    assert "chambre" in listed  # the table wraps the cell's words over lines
