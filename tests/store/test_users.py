"""Users: argon2 passwords, API tokens stored as SHA-256, revocation."""

from __future__ import annotations

import pytest

from casefile.errors import Conflict, InputError
from casefile.store import users
from casefile.store.tables import ApiToken, UserAccount


def test_passwords_and_tokens_authenticate_until_revoked(store):
    user, token = store.run(users.create_user("alice", "avocat", "s3cret", with_token=True))
    assert token is not None and len(token) >= 40
    row = store.run(UserAccount.select().where(UserAccount.name == "alice").first())
    assert row["password_hash"].startswith("$argon2id$")
    stored = store.run(ApiToken.select(ApiToken.token_hash))
    assert [r["token_hash"] for r in stored] == [users.token_hash(token)]
    assert token not in str(stored)
    assert store.run(users.authenticate_password("alice", "s3cret")) == user
    assert store.run(users.authenticate_password("alice", "wrong")) is None
    assert store.run(users.authenticate_token(token)) == user
    assert store.run(users.authenticate_token(token + "x")) is None
    [entry] = store.run(users.list_tokens("alice", users.SYSTEM))
    assert entry["last_used"] is not None
    store.run(users.revoke_token(entry["id"], users.SYSTEM))
    assert store.run(users.authenticate_token(token)) is None


def test_user_names_are_unique_and_roles_known(store):
    store.run(users.create_user("bob", "lecteur"))
    with pytest.raises(Conflict, match="bob"):
        store.run(users.create_user("bob", "admin"))
    with pytest.raises(InputError, match="huissier"):
        store.run(users.create_user("carol", "huissier"))
