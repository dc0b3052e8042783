"""Ids no database can hold: 404 naming the input, never a driver error (500).

Case ids are text (an id or a reference): the store reads anything that is not an ASCII id
within PostgreSQL's `integer` as a reference. Integer path ids are checked by an app guard.
"""

from __future__ import annotations

import pytest

from tests.api.conftest import Api


@pytest.mark.parametrize(
    ("path", "fragment"),
    [
        ("/api/cases/2147483648/deadlines", "2147483648"),
        ("/api/cases/%D9%A3", "٣"),
        ("/dossiers/99999999999999999999", "99999999999999999999"),
        ("/api/evidence/%C2%B2/content", ""),
        ("/api/evidence/9223372036854775808/content", "pièce (id 9223372036854775808) introuvable"),
        ("/api/evidence/2147483648/content", "pièce (id 2147483648) introuvable"),
    ],
)
def test_ids_no_database_can_hold_are_404(api: Api, path: str, fragment: str) -> None:
    response = api.client.get(path, headers=api.headers("avocat"))
    assert response.status_code == 404, response.text
    assert fragment in response.text
