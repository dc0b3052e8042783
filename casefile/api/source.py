"""`GET /source`: the Corresponding Source of the running program (AGPL-3.0 §13).

Every user who interacts with casefile over the network is offered the source of the very
version that serves them: this route answers a .tar.gz of the installed package, its law data
and its licence, built once per process from the files actually loaded. An operator who
publishes the source elsewhere sets `CASEFILE_SOURCE_URL` and the route redirects there.
"""

from __future__ import annotations

import io
import os
import tarfile
from functools import lru_cache
from pathlib import Path

from litestar import get
from litestar.response import Redirect, Response

from casefile import __version__
from casefile.definitions import data_dir

PACKAGE = Path(__file__).resolve().parent.parent
LAW_DATA = ("procedures", "calendars", "document_templates")
SKIPPED_PARTS = {"__pycache__", "_data"}
PROJECT_FILES = ("LICENSE", "README.md", "pyproject.toml", "setup.py", "MANIFEST.in")


def _add_tree(archive: tarfile.TarFile, root: Path, name: str) -> None:
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if path.is_file() and not SKIPPED_PARTS.intersection(relative.parts):
            archive.add(path, arcname=f"{name}/{relative}", recursive=False)


@lru_cache(maxsize=1)
def source_archive() -> bytes:
    prefix = f"casefile-{__version__}"
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        _add_tree(archive, PACKAGE, f"{prefix}/casefile")
        for name in LAW_DATA:
            if (data_dir() / name).is_dir():
                _add_tree(archive, data_dir() / name, f"{prefix}/{name}")
        for name in PROJECT_FILES:
            for folder in (PACKAGE / "_data", PACKAGE.parent):
                if (folder / name).is_file():
                    archive.add(folder / name, arcname=f"{prefix}/{name}", recursive=False)
                    break
    return buffer.getvalue()


@get(
    "/source",
    summary="Code source du logiciel (AGPL-3.0-or-later, article 13)",
    opt={"exclude_from_auth": True},
    tags=["système"],
)
async def source() -> Response[bytes] | Redirect:
    published = os.environ.get("CASEFILE_SOURCE_URL", "").strip()
    if published:
        return Redirect(path=published, status_code=302)
    return Response(
        content=source_archive(),
        media_type="application/gzip",
        headers={
            "Content-Disposition": f'attachment; filename="casefile-{__version__}.tar.gz"',
            "Cache-Control": "public, max-age=3600",
        },
    )
