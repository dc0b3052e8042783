"""What both browser tests need: a server on a fresh SQLite database with one avocat, and a
Debian Chromium page (never `playwright install`)."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
ENVIRONMENT = ("CASEFILE_DATABASE_URL", "CASEFILE_VAR_DIR", "CASEFILE_EVIDENCE_URL")


async def _prepare(url: str, lawyer: str, password: str) -> None:
    from casefile.store import db, users

    await db.connect(url)
    try:
        await db.migrate()
        await users.create_user(lawyer, "avocat", password=password)
    finally:
        await db.close()


@contextmanager
def served(var: Path, name: str, lawyer: str, password: str) -> Iterator[str]:
    """The app over `var/NAME.db` with the avocat `lawyer`; yields its base URL."""
    from casefile.settings import reset_settings
    from tests.api.server import running

    saved = {k: os.environ.get(k) for k in ENVIRONMENT}
    os.environ["CASEFILE_VAR_DIR"] = str(var)
    os.environ["CASEFILE_DATABASE_URL"] = f"sqlite:///{var}/{name}.db"
    os.environ["CASEFILE_EVIDENCE_URL"] = f"file://{var}/evidence"
    reset_settings()
    asyncio.run(_prepare(os.environ["CASEFILE_DATABASE_URL"], lawyer, password))
    from casefile.api.app import create_app

    try:
        with running(create_app()) as url:
            yield url
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        reset_settings()


@contextmanager
def browser_page(sync_api: Any, base_url: str) -> Iterator[Any]:
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        context = browser.new_context(base_url=base_url, accept_downloads=True, locale="fr-FR")
        try:
            yield context.new_page()
        finally:
            context.close()
            browser.close()
