"""`casefile claims import --dry-run`: the report is the first line of the output (a transient
progress bar used to leave an empty line before it when the output is not a terminal)."""

from __future__ import annotations

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


def test_the_dry_run_report_starts_on_the_first_line(cli, tmp_path) -> None:
    assert cli("init")[0] == 0
    assert cli("user", "add", "chef", "--role", "admin")[0] == 0
    path = tmp_path / "balance.csv"
    path.write_text(
        "debiteur;facture;date facture;echeance;montant ttc\n"
        "Garage Meyer;F1;2025-01-01;2025-01-31;100,00\n",
        encoding="utf-8",
    )
    code, out, err = cli(
        "--as", "chef", "claims", "import", str(path), "--creditor", "Brasserie", "--dry-run"
    )
    assert code == 0, err
    assert out.startswith("balance.csv : importerait : 1 facture et 0 paiement depuis 1 ligne")
    assert err == ""


def test_a_creditor_warning_is_printed_with_its_line(cli, tmp_path) -> None:
    assert cli("init")[0] == 0
    assert cli("user", "add", "chef", "--role", "admin")[0] == 0
    code, _, err = cli(
        "--as", "chef", "case", "new", "--reference", "B-1", "--procedure",
        "injonction_de_payer", "--court", "tribunal_de_commerce", "--court-department", "67",
        "--creditor", "Brasserie", "--debtor", "Winstub",
    )  # fmt: skip
    assert code == 0, err
    assert cli("--as", "chef", "party", "edit", "B-1", "--role", "creditor", "--siren",
               "552081317")[0] == 0  # fmt: skip
    path = tmp_path / "balance.csv"
    path.write_text(
        "créancier;siren créancier;debiteur;facture;date facture;echeance;montant ttc\n"
        "Brasserie;732829320;Garage Meyer;F1;2025-01-01;2025-01-31;100,00\n",
        encoding="utf-8",
    )
    code, out, err = cli("--as", "chef", "claims", "import", str(path))
    assert code == 0, err
    assert out.splitlines()[0] == (
        "ligne 2 SIREN du créancier : le fichier donne au créancier « Brasserie » le SIREN "
        "732829320, mais le créancier enregistré sous ce nom a le SIREN 552081317 : "
        "l'identité enregistrée est gardée pour cette ligne (vérifiez le SIREN du fichier)"
    )
    assert out.splitlines()[1].endswith(", 1 avertissement")
