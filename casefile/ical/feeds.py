"""Subscription feeds: secret-token URLs that calendar apps poll, and cheap conditional GETs.

Calendar apps cannot log in, so the feed URL carries the credential: 256 random bits, stored
only as a SHA-256 digest (a leaked database does not leak working URLs), scoped to one feed,
revocable. Polling apps send If-None-Match; an unchanged feed costs a 304 and no body.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass, replace
from datetime import datetime
from urllib.parse import urlsplit, urlunsplit

from casefile.errors import InputError
from casefile.law.wording import quoted

FEED_KINDS = ("case", "lawyer", "commissaire")
TOKEN_BYTES = 32  # 256 bits; the issue asks for at least 128
FEED_PATH = "/feeds/{token}.ics"  # served by the web application
CONTENT_TYPE = "text/calendar; charset=utf-8"


@dataclass(frozen=True, slots=True)
class FeedToken:
    """What the store keeps about one subscription URL: never the token itself."""

    token_hash: str
    kind: str  # case, lawyer, commissaire
    subject_id: str  # the case, the lawyer or the commissaire the feed shows
    created_at: datetime
    revoked_at: datetime | None = None
    last_used_at: datetime | None = None

    def __post_init__(self) -> None:
        if self.kind not in FEED_KINDS:
            raise InputError(
                f"type d'abonnement {quoted(self.kind)} inconnu (attendu : {', '.join(FEED_KINDS)})"
            )
        if not self.subject_id:
            raise InputError("abonnement : l'objet de l'abonnement n'est pas indiqué")

    @property
    def active(self) -> bool:
        return self.revoked_at is None


def new_feed_token() -> tuple[str, str]:
    """(token to show once in the URL, hash to store)."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    return token, hash_token(token)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue(kind: str, subject_id: str, now: datetime) -> tuple[str, FeedToken]:
    """A new feed for one subject: the token (shown once) and the record to store."""
    token, digest = new_feed_token()
    return token, FeedToken(digest, kind, subject_id, created_at=now)


def verify_token(token: str, stored: FeedToken | str) -> bool:
    """Constant-time comparison of the presented token with a stored hash; a revoked feed never
    verifies."""
    if isinstance(stored, FeedToken):
        if not stored.active:
            return False
        stored = stored.token_hash
    if not token or len(token) > 256:
        return False
    return hmac.compare_digest(hash_token(token), stored)


def authorizes(token: str, stored: FeedToken, kind: str, subject_id: str) -> bool:
    """The token opens this feed and only this one (a case token never opens a portfolio)."""
    scope_ok = stored.kind == kind and stored.subject_id == subject_id
    return verify_token(token, stored) and scope_ok


def revoke(stored: FeedToken, now: datetime) -> FeedToken:
    return stored if stored.revoked_at else replace(stored, revoked_at=now)


def record_use(stored: FeedToken, now: datetime) -> FeedToken:
    return replace(stored, last_used_at=now)


def etag_for(body: bytes) -> str:
    """A strong ETag from the bytes: the feed is deterministic, so equal data, equal tag."""
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def not_modified(if_none_match: str | None, etag: str) -> bool:
    """RFC 9110 §13.1.2: weak comparison, a list of tags, or `*`."""
    if not if_none_match:
        return False
    wanted = _opaque(etag)
    for candidate in if_none_match.split(","):
        candidate = candidate.strip()
        if candidate == "*" or (candidate and _opaque(candidate) == wanted):
            return True
    return False


def _opaque(tag: str) -> str:
    tag = tag.strip()
    return tag[2:] if tag.startswith("W/") else tag


def feed_url(base_url: str, token: str) -> str:
    """The https (or http) URL of a feed."""
    parts = urlsplit(base_url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise InputError(f"adresse de base {quoted(base_url)} : ce n'est pas une adresse http(s)")
    path = parts.path.rstrip("/") + FEED_PATH.format(token=token)
    return urlunsplit((parts.scheme, parts.netloc, path, "", ""))


def webcal_url(base_url: str, token: str) -> str:
    """The webcal:// link that opens the subscription dialog of calendar apps."""
    url = feed_url(base_url, token)
    return "webcal://" + url.split("://", 1)[1]
