"""Tesseract, called as a program (issue 16 item 1): whether it is installed with its French
model, and the text of one page image.

Why the `tesseract` binary rather than OCRmyPDF or pytesseract (docs/evidence-text.md): casefile
only needs the *text* of a page, never a new PDF — the stored original must stay byte for byte
what was uploaded. OCRmyPDF's purpose is to write a new PDF with a text layer; it pulls in
Ghostscript, pikepdf and a dozen Python packages to do it, and we would throw its output away.
pytesseract is a thin wrapper that writes each image to a temporary file and runs the same
binary; calling the binary ourselves (`tesseract stdin stdout -l fra`, the page sent as an
uncompressed PGM on stdin) avoids the temporary files and one dependency, and keeps the
timeout and the error text in our hands.

`CASEFILE_TESSERACT` names the program (default `tesseract` on the PATH); empty or `off`
disables OCR, which the pièce and the search then say in French.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from functools import cache

LANGUAGE = "fra"
PAGE_TIMEOUT_SECONDS = 120
"""One page of OCR; a page that takes longer is a trap (or a machine far too loaded)."""

INSTALL_HINT = "paquets Debian tesseract-ocr et tesseract-ocr-fra"


@dataclass(frozen=True)
class OcrEngine:
    """Where Tesseract is, or why OCR is unavailable (`path` empty; `reason` in French)."""

    path: str
    reason: str = ""

    @property
    def available(self) -> bool:
        return bool(self.path)


def configured_program() -> str:
    return os.environ.get("CASEFILE_TESSERACT", "tesseract").strip()


def find() -> OcrEngine:
    """The Tesseract of this machine (cached per configured program)."""
    return _find(configured_program())


@cache
def _find(program: str) -> OcrEngine:
    if program.lower() in ("", "off", "none"):
        return OcrEngine("", "OCR désactivé sur ce serveur (CASEFILE_TESSERACT)")
    path = shutil.which(program)
    if path is None:
        return OcrEngine("", f"Tesseract n'est pas installé sur le serveur ({INSTALL_HINT})")
    try:
        listed = subprocess.run(
            [path, "--list-langs"], capture_output=True, timeout=30, check=False, env=_env()
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        return OcrEngine("", f"Tesseract ne répond pas sur le serveur ({error})")
    languages = (listed.stdout + listed.stderr).decode("utf-8", "replace").split()
    if LANGUAGE not in languages:
        return OcrEngine(
            "",
            "le modèle français de Tesseract n'est pas installé sur le serveur "
            "(paquet Debian tesseract-ocr-fra)",
        )
    return OcrEngine(path)


def _env() -> dict[str, str]:
    # One thread per Tesseract: the worker runs several jobs, and OpenMP's default of one
    # thread per core makes each page slower on a shared machine.
    return {**os.environ, "OMP_THREAD_LIMIT": "1"}


class OcrFailed(Exception):
    """Tesseract failed on a page (its message, in French)."""


def recognise(engine: OcrEngine, pgm: bytes, dpi: int = 300) -> str:
    """The French text of one page given as a PGM/PPM image."""
    try:
        done = subprocess.run(
            [engine.path, "stdin", "stdout", "-l", LANGUAGE, "--dpi", str(dpi)],
            input=pgm,
            capture_output=True,
            timeout=PAGE_TIMEOUT_SECONDS,
            check=False,
            env=_env(),
        )
    except subprocess.TimeoutExpired:
        raise OcrFailed(f"l'OCR d'une page a dépassé {PAGE_TIMEOUT_SECONDS} s") from None
    except OSError as error:
        raise OcrFailed(f"Tesseract n'a pas pu être lancé ({error.strerror})") from None
    if done.returncode != 0:
        last = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:]
        raise OcrFailed(f"Tesseract a échoué ({' '.join(last) or done.returncode})")
    return done.stdout.decode("utf-8", "replace")
