"""Run `text_extract` on a file in a child process (issue 16 item 1): a PDF that crashes
PDFium, an image that exhausts memory or a file that never ends costs that child, never the
worker. The child limits its own memory and CPU time; the parent adds a wall-clock timeout and
turns every way the child can die into a French `failed` result."""

from __future__ import annotations

import asyncio
import contextlib
import json
import signal
import sys
from pathlib import Path

from casefile.evidence import ocr
from casefile.evidence.text_extract import Extracted
from casefile.evidence.text_status import FAILED

TIMEOUT_SECONDS = 900.0


async def extract_isolated(
    path: Path, mime: str, engine: ocr.OcrEngine, timeout: float | None = None
) -> Extracted:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "casefile.evidence.text_extract",
        str(path),
        mime,
        engine.path,
        engine.reason,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    limit = TIMEOUT_SECONDS if timeout is None else timeout
    try:
        out, err = await asyncio.wait_for(process.communicate(), limit)
    except TimeoutError:
        with contextlib.suppress(ProcessLookupError):
            process.kill()
        await process.wait()
        return Extracted(
            FAILED,
            message=f"la lecture du fichier a dépassé {int(limit)} s et a été arrêtée "
            "(fichier trop lourd ou piégé)",
        )
    except asyncio.CancelledError:
        with contextlib.suppress(ProcessLookupError):
            process.kill()
        raise
    if process.returncode != 0:
        return Extracted(FAILED, message=_death(process.returncode or 0, err))
    try:
        data = json.loads(out)
        return Extracted(**{k: data[k] for k in Extracted.__dataclass_fields__ if k in data})
    except (ValueError, TypeError):
        return Extracted(FAILED, message="le lecteur de texte a rendu une réponse illisible")


def _death(code: int, err: bytes) -> str:
    if code < 0:
        name = signal.Signals(-code).name if -code in signal.Signals._value2member_map_ else code
        if -code in (signal.SIGXCPU, signal.SIGKILL):
            return "la lecture du fichier a épuisé le temps de calcul permis (fichier piégé ?)"
        return f"le lecteur s'est arrêté sur ce fichier ({name}) : fichier endommagé ou piégé"
    if b"MemoryError" in err:
        return "le fichier demande trop de mémoire pour être lu (fichier piégé ?)"
    return "la lecture du texte a échoué sur ce fichier (fichier endommagé ?)"
