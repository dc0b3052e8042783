"""Signed one-click unsubscribe tokens (RFC 8058): `user id + kind`, signed with the
installation's secret (HMAC-SHA-256), so the link works without a session and cannot be
forged for another user."""

from __future__ import annotations

import base64
import hashlib
import hmac

KINDS = ("digest", "alert")


def _signature(secret: str, payload: str) -> str:
    key = hashlib.sha256(b"casefile-unsubscribe:" + secret.encode()).digest()
    mac = hmac.new(key, payload.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac[:18]).decode().rstrip("=")


def token(secret: str, user_id: int, kind: str) -> str:
    payload = f"{user_id}.{kind}"
    return f"{payload}.{_signature(secret, payload)}"


def read(secret: str, text: str) -> tuple[int, str] | None:
    """(user id, kind) of a valid token; None for anything else."""
    user, _, rest = text.partition(".")
    kind, _, signature = rest.partition(".")
    if not (user.isascii() and user.isdigit()) or kind not in KINDS or not signature:
        return None
    expected = _signature(secret, f"{user}.{kind}")
    if not hmac.compare_digest(expected, signature):
        return None
    return int(user), kind
