"""An app over a fresh SQLite database, with one user (and bearer token) per role.

The environment is set before the app is created (settings are read then); the database is
migrated and filled through the store's own services, like `casefile init` and `user add`.
"""

from __future__ import annotations

import asyncio
import os
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

import pytest

ROLES = ("admin", "avocat", "credit_manager", "commissaire_de_justice", "lecteur")
PASSWORD = "correct horse battery staple"


@dataclass
class Api:
    client: object
    tokens: dict[str, str]
    revoked_token: str
    var: Path

    def headers(self, who: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[who]}"}

    def uid(self, case_id: object, deadline_key: str) -> str:
        """A deadline's iCalendar UID, with the installation's identifier as stored."""
        from casefile.ical.items import uid_for

        with closing(sqlite3.connect(self.var / "casefile.db")) as connection:
            [(installation,)] = connection.execute("SELECT token FROM installation").fetchall()
        return uid_for(installation, str(case_id), deadline_key)


async def _prepare(url: str) -> tuple[dict[str, str], str]:
    from casefile.store import db, users

    await db.connect(url)
    try:
        await db.migrate()
        tokens: dict[str, str] = {}
        for role in ROLES:
            _, token = await users.create_user(role, role, password=PASSWORD, with_token=True)
            assert token is not None
            tokens[role] = token
        # A second commissaire, to check that one office never sees another's cases.
        _, token = await users.create_user(
            "commissaire_2", "commissaire_de_justice", password=PASSWORD, with_token=True
        )
        assert token is not None
        tokens["commissaire_2"] = token
        _, revoked = await users.create_user("ancien", "avocat", with_token=True)
        assert revoked is not None
        [entry] = await users.list_tokens("ancien", users.SYSTEM)
        await users.revoke_token(int(entry["id"]), users.SYSTEM)  # type: ignore[call-overload]
        return tokens, revoked
    finally:
        await db.close()


@pytest.fixture(scope="package")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    from litestar.testing import TestClient

    from casefile.settings import reset_settings

    var = tmp_path_factory.mktemp("var")
    saved = {
        k: os.environ.get(k)
        for k in (
            "CASEFILE_DATABASE_URL",
            "CASEFILE_VAR_DIR",
            "CASEFILE_EVIDENCE_URL",
            "CASEFILE_MAX_UPLOAD_BYTES",
        )
    }
    os.environ["CASEFILE_VAR_DIR"] = str(var)
    os.environ["CASEFILE_DATABASE_URL"] = f"sqlite:///{var}/casefile.db"
    os.environ["CASEFILE_EVIDENCE_URL"] = f"file://{var}/evidence"
    os.environ["CASEFILE_MAX_UPLOAD_BYTES"] = str(64 * 1024)
    reset_settings()
    tokens, revoked = asyncio.run(_prepare(os.environ["CASEFILE_DATABASE_URL"]))

    from casefile.api.app import create_app

    with TestClient(create_app(), base_url="http://testserver.local") as client:
        yield Api(client, tokens, revoked, var)
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value
    reset_settings()
