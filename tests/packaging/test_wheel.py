"""The wheel carries the law data and works outside the repository (issue 15 item 3)."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(out), str(ROOT)],
        check=True,
        capture_output=True,
        cwd=out,
    )
    (built,) = out.glob("casefile-*.whl")
    return built


@pytest.mark.slow
def test_the_wheel_holds_the_procedures_calendars_templates_and_licence(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for expected in (
        "casefile/_data/procedures/injonction_de_payer.toml",
        "casefile/_data/procedures/parameters.toml",
        "casefile/_data/calendars/territories.toml",
        "casefile/_data/calendars/holidays.json",
        "casefile/_data/document_templates/manifest.toml",
        "casefile/_data/document_templates/mise_en_demeure.docx",
        "casefile/_data/LICENSE",
    ):
        assert expected in names
    assert any(name.endswith(".dist-info/licenses/LICENSE") for name in names)
    metadata = next(n for n in names if n.endswith(".dist-info/METADATA"))
    assert "License-Expression: AGPL-3.0-or-later" in zipfile.ZipFile(wheel).read(metadata).decode()


@pytest.mark.slow
def test_an_installed_wheel_loads_its_law_data_away_from_the_repository(
    wheel: Path, tmp_path: Path
) -> None:
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    env = {k: v for k, v in os.environ.items() if k != "CASEFILE_DATA_DIR"}
    env["PYTHONPATH"] = str(site)
    code = (
        "import casefile.definitions as d; "
        "print(d.data_dir()); print(sorted(d.engine().procedures))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    data_dir, procedures = result.stdout.splitlines()
    assert data_dir == str(site / "casefile" / "_data")
    assert "injonction_de_payer" in procedures
