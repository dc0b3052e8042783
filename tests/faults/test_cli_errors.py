"""Issue 11 items 4 and 7: the command line answers bad input and outages in one line, exit 2,
never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.api.server import free_port

HEADER = "Débiteur;SIREN;N° facture;Date facture;Échéance;Montant TTC;Payé;Code postal\n"


def run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "casefile", *args],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_an_import_with_huge_amounts_is_refused_line_by_line(tmp_path: Path) -> None:
    env = {
        "CASEFILE_VAR_DIR": str(tmp_path),
        "CASEFILE_DATABASE_URL": f"sqlite:///{tmp_path}/c.db",
        "CASEFILE_EVIDENCE_URL": f"file://{tmp_path}/evidence",
    }
    assert run(env, "init").returncode == 0
    csv = tmp_path / "huge.csv"
    csv.write_text(
        HEADER
        + "Winstub Muller SARL;732 829 320;F-1;15/01/2025;14/02/2025;99999999999999999999,99;0;67000\n"
        + "Winstub Muller SARL;732 829 320;F-2;15/01/2025;14/02/2025;1e30;0;67000\n",
        encoding="utf-8",
    )
    result = run(env, "claims", "import", str(csv), "--creditor", "Acme SAS")
    output = result.stderr + result.stdout
    assert "Traceback" not in output
    assert "ligne 2" in output and "dépasse le maximum accepté" in output
    assert "rien n'a été importé" in output


def test_an_unreachable_or_missing_database_is_one_line(tmp_path: Path) -> None:
    for url in (
        f"postgresql://postgres@127.0.0.1:{free_port()}/casefile",
        "postgresql://postgres@127.0.0.1:5432/casefile_no_such_database",
    ):
        result = run(
            {"CASEFILE_DATABASE_URL": url, "CASEFILE_VAR_DIR": str(tmp_path)}, "case", "list"
        )
        assert result.returncode == 2, result.stderr
        lines = [line for line in result.stderr.splitlines() if line.strip()]
        assert len(lines) == 1 and lines[0].startswith(
            "casefile : erreur : base de données indisponible : "
        )
