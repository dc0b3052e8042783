"""A credit manager's Monday at the terminal: an aged balance imported into amicable files, one
handed over to litigation, then read with `casefile case show` — the amicable history keeps its
French labels in the litigation case (it showed « exigibilite » and « debiteur : … »)."""

from __future__ import annotations

from pathlib import Path

import pytest

from casefile.cli import main
from tests.integration.conftest import Env

BALANCE = (
    "Client;SIREN;N° facture;Date facture;Échéance;Montant TTC;Déjà payé;Qualité;Code postal\n"
    "Menuiserie Schmitt SARL;387 654 320;FA-2026-0019;22/01/2026;21/02/2026;8 904,00;;"
    "professionnel;68100\n"
    "Menuiserie Schmitt SARL;387 654 320;FA-2026-0075;31/03/2026;30/04/2026;2 652,00;652,00;"
    "professionnel;68100\n"
)


def test_a_handed_over_file_shows_its_amicable_events_in_french(
    env: Env, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    balance = tmp_path / "balance.csv"
    balance.write_text(BALANCE, encoding="utf-8")
    assert (
        main(
            [
                "claims",
                "import",
                str(balance),
                "--creditor",
                "Brasserie de l'Ill SAS",
                "--procedure",
                "amiable",
            ]
        )
        == 0
    )
    assert main(["case", "handover", "1", "--procedure", "injonction_de_payer"]) == 0
    capsys.readouterr()
    assert main(["case", "show", "1"]) == 0
    out = capsys.readouterr().out
    assert "Exigibilité de la créance (échéance de la facture)" in out
    assert "Qualité du débiteur : professionnel" in out
    assert "exigibilite" not in out and "debiteur :" not in out


def test_case_show_says_what_each_invoice_still_owes_after_a_payment(
    env: Env, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A payment naming no invoice goes to the oldest due first (C. civ. art. 1342-10): the
    invoice table showed it still owing everything (« payé 0,00 € », « reste 8 904,00 € »)."""
    balance = tmp_path / "balance.csv"
    balance.write_text(BALANCE, encoding="utf-8")
    assert (
        main(
            [
                "claims",
                "import",
                str(balance),
                "--creditor",
                "Brasserie de l'Ill SAS",
                "--procedure",
                "amiable",
            ]
        )
        == 0
    )
    assert main(["payment", "add", "1", "--date", "2026-12-01", "--amount", "3 000,00"]) == 0
    capsys.readouterr()
    assert main(["case", "show", "1"]) == 0
    out = capsys.readouterr().out.replace("\u202f", " ").replace("\xa0", " ")
    rows = [line for line in out.splitlines() if "FA-2026-00" in line]
    assert [[cell.strip() for cell in row.split("│")[4:7]] for row in rows] == [
        ["8 904,00 €", "3 000,00 €", "5 904,00 €"],
        ["2 652,00 €", "652,00 €", "2 000,00 €"],
    ]


def test_case_list_shows_every_reference_whole(
    env: Env, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The reference is what the other commands take; the list cut it
    (« BRASSERIE-DE-3876543… ») as soon as the other columns needed the room."""
    balance = tmp_path / "balance.csv"
    balance.write_text(
        BALANCE
        + "Boulangerie-Pâtisserie Hoarau et Fils;;FA-2026-0081;09/04/2026;09/05/2026;489,90;;"
        "professionnel;97110\n",
        encoding="utf-8",
    )
    assert (
        main(
            [
                "claims",
                "import",
                str(balance),
                "--creditor",
                "Brasserie de l'Ill SAS",
                "--procedure",
                "amiable",
            ]
        )
        == 0
    )
    capsys.readouterr()
    assert main(["case", "list"]) == 0
    out = capsys.readouterr().out
    assert "│ BRASSERIE-DE-387654320 " in out
    assert "│ BRASSERIE-DE-BOULANGERIE-PATISSERIE-HOARAU-ET-FILS " in out
