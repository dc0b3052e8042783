"""Every template, for each situation, converts to PDF with LibreOffice headless and reads back
right: A4, the names and amounts, the manifest's mentions (the L441-10 / D441-5 ones exactly
between professionals), no raw key, no `None`, no doubled word. The PDFs and their page images
(pdftoppm) are kept in $CASEFILE_TEST_ARTIFACTS/documents for review.

Needs `soffice`, `pdftotext`, `pdfinfo`, `pdftoppm` (Debian: libreoffice-writer-nogui,
poppler-utils, fonts-liberation2, fonts-crosextra-carlito; `.ci/run` installs them). In CI (CI
set) a missing tool is a failure, never a skip.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from docxtpl import DocxTemplate

from casefile.documents.demo import SITUATIONS, demo_for
from casefile.documents.manifest import load_manifest
from casefile.documents.render import build_context, make_environment, render

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
TOOLS = ("soffice", "pdftotext", "pdfinfo", "pdftoppm")
KEYS = sorted(load_manifest().templates)
CASES = [
    (situation, key)
    for situation in SITUATIONS
    for key in KEYS
    if not (situation == "consommateur" and key.endswith("_tc"))
]
DOUBLED = re.compile(r"\b(\w+),? \1\b", re.IGNORECASE)
REFLEXIVE = {"vous", "nous"}


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


@functools.cache
def _used_fields(key: str) -> frozenset[str]:
    manifest = load_manifest()
    template = DocxTemplate(str(manifest.template_path(key)))
    return frozenset(template.get_undeclared_template_variables(make_environment()))


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], Path]:
    _require_tools()
    work = tmp_path_factory.mktemp("pdf")
    artefacts = Path(os.environ.get("CASEFILE_TEST_ARTIFACTS", ROOT / "test-artifacts"))
    out = artefacts / "documents"
    out.mkdir(parents=True, exist_ok=True)
    sources = []
    for situation, key in CASES:
        path = work / f"{situation}--{key}.docx"
        path.write_bytes(render(key, demo_for(key, situation=situation)))
        sources.append(str(path))
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{work / 'profile'}", "--headless",
         "--norestore", "--convert-to", "pdf", "--outdir", str(out), *sources],
        check=True, capture_output=True, timeout=900,
    )  # fmt: skip
    result = {}
    for situation, key in CASES:
        pdf = out / f"{situation}--{key}.pdf"
        if pdf.exists():
            subprocess.run(
                ["pdftoppm", "-r", "50", "-png", str(pdf), str(out / f"{situation}--{key}")],
                check=True,
                capture_output=True,
            )
        result[(situation, key)] = pdf
    return result


@pytest.mark.parametrize(("situation", "key"), CASES)
def test_the_pdf_is_a4_complete_and_says_what_the_law_requires(pdfs, situation, key):
    pdf = pdfs[(situation, key)]
    assert pdf.exists(), f"LibreOffice did not convert {situation}--{key}.docx"
    assert pdf.with_name(f"{pdf.stem}-1.png").exists()  # the first page image, for review
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    assert "(A4)" in info.stdout
    raw = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    text = _words(raw)
    data = demo_for(key, situation=situation)
    context = build_context(key, data)
    assert "Dupont & Fils <SARL>" in text or "Élise Martin" in text
    used = _used_fields(key)
    for field in ("date_document", "montant_total", "montant_total_lettres", "date_audience",
                  "heure_audience", "date_ordonnance", "tribunal_nom"):  # fmt: skip
        if field in used and context[field]:
            assert _words(str(context[field])) in text, field
    spec = load_manifest().templates[key]
    for mention in spec.mentions:
        assert _words(mention) in text, mention
    professional = situation != "consommateur"
    for mention in spec.professional_mentions:
        assert (_words(mention) in text) is professional, mention
    assert "{{" not in text and "{%" not in text and "None" not in text
    assert "à compléter]" not in text
    for line in raw.splitlines():
        doubled = DOUBLED.search(line)
        assert doubled is None or doubled.group(1).lower() in REFLEXIVE, line
