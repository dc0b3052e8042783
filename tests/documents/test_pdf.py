"""Every rendered template converts to PDF with LibreOffice headless and reads back right.

Needs `soffice` and `pdftotext` (Debian: libreoffice-writer-nogui, poppler-utils,
fonts-liberation2, fonts-crosextra-carlito; `.ci/run` installs them). In CI (CI set) a missing
tool is a failure, never a skip.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from casefile.documents.demo import demo_for
from casefile.documents.manifest import load_manifest
from casefile.documents.render import build_context, render

pytestmark = pytest.mark.slow

TOOLS = ("soffice", "pdftotext", "pdfinfo")


def _require_tools() -> None:
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    if not missing:
        return
    if os.environ.get("CI"):
        pytest.fail(f"CI is set but {', '.join(missing)} is missing (see .ci/run)")
    pytest.skip(f"{', '.join(missing)} not installed (apt-get install libreoffice-writer-nogui "
                "poppler-utils); this test is mandatory in CI")  # fmt: skip


def _words(text: str) -> str:
    """Whitespace-insensitive, hyphen-insensitive (pdftotext joins "vingt-/huit" at a line end)."""
    return " ".join(re.sub(r"[\s\u00a0\u202f]+", " ", text).replace("-", "").split())


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    _require_tools()
    work = tmp_path_factory.mktemp("pdf")
    profile = work / "profile"
    keys = sorted(load_manifest().templates)
    sources = []
    for key in keys:
        path = work / f"{key}.docx"
        path.write_bytes(render(key, demo_for(key)))
        sources.append(str(path))
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
         "--convert-to", "pdf", "--outdir", str(work), *sources],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    return {key: work / f"{key}.pdf" for key in keys}


@pytest.mark.parametrize("key", sorted(load_manifest().templates))
def test_the_pdf_is_a4_and_carries_the_names_amounts_and_mentions(pdfs, key):
    pdf = pdfs[key]
    assert pdf.exists(), f"LibreOffice did not convert {key}.docx"
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    assert "(A4)" in info.stdout
    text = _words(
        subprocess.run(
            ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout
    )
    context = build_context(key, demo_for(key))
    assert "Dupont & Fils <SARL>" in text
    assert _words(str(context["date_document"])) in text
    for field in ("montant_total", "montant_total_lettres", "date_audience", "date_ordonnance"):
        if field in context:
            assert _words(str(context[field])) in text, field
    for mention in load_manifest().templates[key].mentions:
        assert _words(mention) in text, mention
    assert "{{" not in text and "{%" not in text
