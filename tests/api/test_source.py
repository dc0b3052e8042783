"""AGPL-3.0 §13: every network user is offered the running program's source."""

from __future__ import annotations

import io
import tarfile

from litestar.testing import TestClient

from casefile.api.source import source_archive
from tests.api.conftest import Api


def test_the_source_archive_holds_the_package_the_law_data_and_the_licence() -> None:
    with tarfile.open(fileobj=io.BytesIO(source_archive()), mode="r:gz") as archive:
        names = archive.getnames()
    assert "casefile-0.1.0/LICENSE" in names
    assert "casefile-0.1.0/casefile/api/source.py" in names
    assert "casefile-0.1.0/procedures/injonction_de_payer.toml" in names
    assert not [name for name in names if "__pycache__" in name]


def test_the_footer_links_to_the_source_which_needs_no_login(api: Api) -> None:
    client: TestClient = api.client  # type: ignore[assignment]
    login = client.get("/login")
    assert '<a href="/source">télécharger son code source</a>' in login.text
    answer = client.get("/source")
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/gzip"
    assert answer.content[:2] == b"\x1f\x8b"
