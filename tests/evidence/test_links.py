"""Download links: S3 presigned URLs and signed local tokens, both dead after 15 minutes."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlparse

import httpx
import pytest

from casefile.evidence import links
from casefile.evidence.errors import LinkExpired
from casefile.evidence.local import LocalStore
from casefile.evidence.s3 import S3Store
from tests.evidence.conftest import NOW, PART, sha

SECRET = "test-secret"
SHA = sha(b"facture")


def test_a_local_link_works_until_it_expires(tmp_path):
    store = LocalStore(tmp_path)
    url = links.download_link(
        store,
        SHA,
        "Facture F2026-014.pdf",
        secret=SECRET,
        base_url="https://casefile.example/",
        now=NOW,
        lifetime=timedelta(minutes=10),
    )
    assert url.startswith("https://casefile.example/evidence/download/")
    token = url.rsplit("/", 1)[1]
    target = links.read_token(SECRET, token, now=NOW + timedelta(minutes=9, seconds=59))
    assert (target.sha256, target.filename) == (SHA, "Facture F2026-014.pdf")
    assert target.expires == NOW + timedelta(minutes=10)
    with pytest.raises(
        LinkExpired, match=r"a expiré le 24/11/2026 à 11\u00a0h\u00a010 \(heure de Paris\)"
    ):
        links.read_token(SECRET, token, now=NOW + timedelta(minutes=10))


def test_a_tampered_or_foreign_token_is_refused():
    token = links.sign(SECRET, SHA, "a.pdf", expires=NOW + timedelta(minutes=5))
    payload, signature = token.split(".")
    forged = links.sign("other-secret", sha(b"other"), "a.pdf", expires=NOW.replace(year=2099))
    for bad in (
        forged,
        f"{forged.split('.')[0]}.{signature}",
        f"{payload}.{signature[:-2]}AA",
        "garbage",
        f"{payload}.!!",
    ):
        with pytest.raises(LinkExpired, match="pas valide"):
            links.read_token(SECRET, bad, now=NOW)


def test_links_never_live_more_than_15_minutes(tmp_path):
    with pytest.raises(ValueError, match="15 minutes"):
        links.download_link(
            LocalStore(tmp_path),
            SHA,
            "a",
            secret=SECRET,
            base_url="http://x",
            now=NOW,
            lifetime=timedelta(minutes=16),
        )


@pytest.fixture
def s3_store(s3_client) -> S3Store:
    store = S3Store(s3_client, "links-bucket", part_size=PART)
    store.ensure_bucket()
    return store


def test_a_presigned_url_downloads_the_piece_under_its_name(s3_store):
    data = b"%PDF-1.4 facture"
    stored = s3_store.put_stream(io.BytesIO(data))
    now = datetime.now(UTC)
    url = links.download_link(
        s3_store, stored.sha256, "Facture é.pdf", secret=SECRET, base_url="http://x", now=now
    )
    query = parse_qs(urlparse(url).query)
    assert int(query["X-Amz-Expires"][0]) <= 15 * 60
    response = httpx.get(url)
    assert response.status_code == 200
    assert response.content == data
    assert "filename*=UTF-8''Facture%20%C3%A9.pdf" in response.headers["content-disposition"]


def test_an_expired_presigned_url_is_dead(s3_store, s3_endpoint):
    stored = s3_store.put_stream(io.BytesIO(b"x"))
    signed_at = datetime.now(UTC) - timedelta(hours=1)
    url = s3_store.download_url(stored.sha256, "x", timedelta(seconds=1), now=signed_at)
    query = parse_qs(urlparse(url).query)
    issued = datetime.strptime(query["X-Amz-Date"][0], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    assert issued + timedelta(seconds=int(query["X-Amz-Expires"][0])) < datetime.now(UTC)
    status = httpx.get(url).status_code
    if s3_endpoint[1] == "testing":
        # moto does not enforce X-Amz-Expires (real MinIO/S3 answer 403): the URL's own
        # expiry, checked above, is what a real server refuses.
        assert status in (200, 403)
    else:
        assert status == 403
