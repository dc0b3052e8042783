"""Users: argon2 passwords, API tokens stored as SHA-256, revocation."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from typing import Any, cast

import pytest

from casefile import passwords
from casefile.errors import Conflict, InputError, NotFound
from casefile.services import sessions
from casefile.store import read_cache, users
from casefile.store.tables import ApiToken, UserAccount


def authenticate_password(store: Any, name: str, password: str) -> users.User | None:
    """The user a login form accepts (sessions.login), or None."""
    try:
        user, _ = store.run(sessions.login(name, password, "192.0.2.1"))
    except sessions.LoginFailed:
        return None
    return cast(users.User, user)


def test_passwords_and_tokens_authenticate_until_revoked(store):
    user, token = store.run(users.create_user("alice", "avocat", "s3cret", with_token=True))
    assert token is not None and len(token) >= 40
    row = store.run(UserAccount.select().where(UserAccount.name == "alice").first())
    assert row["password_hash"].startswith("$argon2id$")
    stored = store.run(ApiToken.select(ApiToken.token_hash))
    assert [r["token_hash"] for r in stored] == [users.token_hash(token)]
    assert token not in str(stored)
    assert authenticate_password(store, "alice", "s3cret") == user
    assert authenticate_password(store, "alice", "wrong") is None
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


def _last_used(store, token: str):
    row = store.run(
        ApiToken.select(ApiToken.last_used)
        .where(ApiToken.token_hash == users.token_hash(token))
        .first()
    )
    value = row["last_used"]
    return value if value is None or value.tzinfo else value.replace(tzinfo=UTC)


def test_a_token_records_its_last_use_at_most_once_a_minute(store, monkeypatch):
    """A read costs one SELECT: `last_used` is rewritten only when it is a minute old."""
    _, token = store.run(users.create_user("dora", "avocat", with_token=True))
    assert token is not None and _last_used(store, token) is None
    store.run(users.authenticate_token(token))
    first = _last_used(store, token)
    assert first is not None and datetime.now(UTC) - first < timedelta(seconds=30)

    writes: list[object] = []
    real_update = ApiToken.update

    def counted_update(cls: object, *args: Any, **kwargs: Any) -> Any:
        writes.append(args)
        return real_update(*args, **kwargs)

    monkeypatch.setattr(ApiToken, "update", classmethod(counted_update))
    for _ in range(5):
        assert store.run(users.authenticate_token(token)) is not None
    assert writes == [] and _last_used(store, token) == first

    recent = datetime.now(UTC) - timedelta(seconds=50)
    store.run(real_update({ApiToken.last_used: recent}).where(ApiToken.id > 0))
    store.run(users.authenticate_token(token))
    assert writes == [] and _last_used(store, token) == recent

    stale = datetime.now(UTC) - timedelta(minutes=2)
    store.run(real_update({ApiToken.last_used: stale}).where(ApiToken.id > 0))
    read_cache.forget()  # on PostgreSQL the token is in the cache: read it from the database
    store.run(users.authenticate_token(token))
    assert len(writes) == 1 and _last_used(store, token) > recent


def test_password_verification_runs_off_the_event_loop(store, monkeypatch):
    """argon2 costs tens of milliseconds of CPU: on the loop it would stall every request."""
    store.run(users.create_user("erin", "avocat", "s3cret"))
    threads: list[int] = []
    real = passwords._hasher

    class Spy:
        def verify(self, stored: str, password: str) -> bool:
            threads.append(threading.get_ident())
            return real.verify(stored, password)

        def hash(self, password: str) -> str:
            return real.hash(password)

    monkeypatch.setattr(passwords, "_hasher", Spy())
    assert authenticate_password(store, "erin", "s3cret") is not None
    assert authenticate_password(store, "erin", "wrong") is None
    assert len(threads) == 2 and threading.get_ident() not in threads


def test_a_deactivated_user_authenticates_by_no_means(store):
    user, token = store.run(users.create_user("fred", "avocat", "s3cret", with_token=True))
    assert token is not None
    assert store.run(users.get_user("fred", active_only=True)) == user
    store.run(UserAccount.update({UserAccount.active: False}).where(UserAccount.name == "fred"))
    assert store.run(users.authenticate_token(token)) is None
    assert authenticate_password(store, "fred", "s3cret") is None
    with pytest.raises(NotFound, match="« fred » désactivé"):
        store.run(users.get_user("fred", active_only=True))
    with pytest.raises(NotFound, match="« fred » désactivé"):
        store.run(users.create_token("fred"))
    assert store.run(users.get_user("fred")) == user  # admins still see the account


def test_the_pool_size_comes_from_the_environment(store, monkeypatch):
    from casefile.settings import Settings

    monkeypatch.setenv("CASEFILE_SECRET_KEY", "k")
    monkeypatch.delenv("CASEFILE_DB_POOL_SIZE", raising=False)
    assert Settings.from_env().db_pool_size == 10
    monkeypatch.setenv("CASEFILE_DB_POOL_SIZE", "3")
    assert Settings.from_env().db_pool_size == 3
    for bad in ("0", "x", "²"):
        monkeypatch.setenv("CASEFILE_DB_POOL_SIZE", bad)
        with pytest.raises(InputError, match="CASEFILE_DB_POOL_SIZE"):
            Settings.from_env()
    if store.engine == "postgres":
        from piccolo.engine.postgres import PostgresEngine

        from casefile.settings import reset_settings
        from casefile.store import db

        monkeypatch.setenv("CASEFILE_DB_POOL_SIZE", "3")
        reset_settings()
        try:
            store.run(db.close())
            store.run(db.connect(store.url))
            pool = cast(PostgresEngine, db.engine()).pool
            assert pool is not None and pool.get_max_size() == 3
        finally:
            monkeypatch.delenv("CASEFILE_DB_POOL_SIZE")
            reset_settings()
