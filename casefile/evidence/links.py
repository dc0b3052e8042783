"""Time-limited download links: presigned GETs on S3, HMAC-signed tokens for a local folder.

A local token carries its expiry inside the signed payload, so the server needs no state to
refuse it later; the signature is compared in constant time. Nothing outlives 15 minutes.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import quote

from casefile.evidence.errors import LinkExpired
from casefile.evidence.objects import ObjectStore, check_sha256
from casefile.labels import moment_fr

MAX_LIFETIME = timedelta(minutes=15)
DEFAULT_LIFETIME = timedelta(minutes=10)
LOCAL_ROUTE = "/evidence/download/"


@dataclass(frozen=True)
class LinkTarget:
    sha256: str
    filename: str
    expires: datetime


def download_link(
    store: ObjectStore,
    sha256: str,
    filename: str,
    *,
    secret: str,
    base_url: str,
    now: datetime,
    lifetime: timedelta = DEFAULT_LIFETIME,
) -> str:
    """A URL that downloads the object as `filename` until `now + lifetime` (≤ 15 minutes).

    `filename` must already be safe (names.safe_name)."""
    if not timedelta(0) < lifetime <= MAX_LIFETIME:
        raise ValueError(f"a download link lives at most 15 minutes, not {lifetime}")
    direct = store.download_url(sha256, filename, lifetime, now)
    if direct is not None:
        return direct
    token = sign(secret, sha256, filename, expires=now + lifetime)
    return f"{base_url.rstrip('/')}{LOCAL_ROUTE}{quote(token, safe='')}"


def sign(secret: str, sha256: str, filename: str, *, expires: datetime) -> str:
    payload = json.dumps(
        {"h": check_sha256(sha256), "n": filename, "e": int(expires.timestamp())},
        separators=(",", ":"),
        ensure_ascii=False,
    ).encode("utf-8")
    return f"{_b64(payload)}.{_b64(_mac(secret, payload))}"


def read_token(secret: str, token: str, *, now: datetime) -> LinkTarget:
    """The target of a valid, unexpired token; `LinkExpired` otherwise (never says which)."""
    encoded, _, signature = token.partition(".")
    try:
        payload = _unb64(encoded)
        given = _unb64(signature)
    except (binascii.Error, ValueError):
        raise LinkExpired("ce lien de téléchargement n'est pas valide") from None
    if not hmac.compare_digest(given, _mac(secret, payload)):
        raise LinkExpired("ce lien de téléchargement n'est pas valide")
    data = json.loads(payload)
    expires = datetime.fromtimestamp(int(data["e"]), UTC)
    if now >= expires:
        raise LinkExpired(
            f"ce lien de téléchargement a expiré le {moment_fr(expires)} (heure de Paris)"
        )
    return LinkTarget(str(data["h"]), str(data["n"]), expires)


def _mac(secret: str, payload: bytes) -> bytes:
    # The domain prefix keeps these MACs apart from anything else signed with the same key.
    return hmac.new(
        secret.encode("utf-8"), b"casefile-evidence-link\x00" + payload, hashlib.sha256
    ).digest()


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
