"""`casefile evidence add` recognises a Factur-X invoice; `casefile evidence facturx` shows the
claim it proposes and, with --accept, records it (issue 16 item 3)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from casefile.cli import main
from casefile.documents.formatting import siren_fr
from tests.evidence.facturx_samples import Sample, facturx_pdf
from tests.integration.conftest import CREDITOR_SIREN, DEBTOR_SIREN, Env, create_case


def test_add_then_accept_from_the_command_line(
    env: Env, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    create_case("IP-FX")
    path = tmp_path / "F-2026-003.pdf"
    sample = Sample(
        profile="en16931",
        number="F-2026-003",
        seller="Fournitures Rhénanes SAS",
        seller_siren=CREDITOR_SIREN,
        buyer="Dupont & Fils <SARL>",
        buyer_siren=DEBTOR_SIREN,
    )
    path.write_bytes(facturx_pdf(sample))
    assert main(["evidence", "add", "IP-FX", str(path), "--kind", "facture"]) == 0
    out = capsys.readouterr().out
    assert (
        "Facture électronique Factur-X (profil EN 16931) détectée : facture F-2026-003 de "
        "1\u202f234,56\u00a0€ TTC." in out
    )

    code = main(
        [
            "evidence",
            "facturx",
            "IP-FX",
            "1",
            "--accept",
            "--supply",
            "services",
            "--format",
            "json",
        ]
    )
    assert code == 0, capsys.readouterr().err
    answer = json.loads(capsys.readouterr().out)
    assert answer["accepted"]["created"] is True
    assert answer["invoice_number"] == "F-2026-003" and answer["total_with_vat"] == "1234.56"
    assert answer["buyer"]["siren"] == DEBTOR_SIREN and answer["disagreements"] == []
    assert answer["linked_claim_id"] == answer["accepted"]["claim_id"]

    assert main(["evidence", "facturx", "IP-FX", "1"]) == 0
    text = capsys.readouterr().out
    assert "facture F-2026-003 du 15 septembre 2026, échéance 15 octobre 2026" in text
    assert f"acheteur : Dupont & Fils <SARL> (SIREN {siren_fr(DEBTOR_SIREN)})" in text
