"""Login throttling (issue 11 item 3), on SQLite and PostgreSQL: per account and per address,
a growing delay, kept in the database (so every process sees it), and the same work and the
same answer for unknown and known names."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from casefile import passwords
from casefile.services import sessions, throttle
from casefile.services.throttle import Throttled, delay
from casefile.store import users
from casefile.store.tables import LoginThrottle

T0 = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
HERE = "192.0.2.10"


def _try(store: Any, name: str, password: str, at: datetime, address: str = HERE) -> str:
    """ "ok", "refused" (wrong password) or "throttled"."""
    try:
        store.run(sessions.login(name, password, address, at))
    except sessions.LoginFailed:
        return "refused"
    except Throttled:
        return "throttled"
    return "ok"


def test_the_delay_doubles_after_the_free_failures_up_to_a_ceiling():
    assert [delay(n, 5) for n in (1, 4)] == [None, None]
    assert [delay(n, 5) for n in (5, 6, 7, 10)] == [
        timedelta(seconds=1),
        timedelta(seconds=2),
        timedelta(seconds=4),
        timedelta(seconds=32),
    ]
    assert delay(15, 5) == delay(10_000, 5) == timedelta(minutes=15)


def test_thirty_wrong_passwords_then_the_right_one_is_refused(store):
    """The attack of the issue: 30 wrong passwords then the right one was accepted."""
    store.run(users.create_user("jmartin", "avocat", "s3cret"))
    answers = [_try(store, "jmartin", f"guess{n}", T0) for n in range(30)]
    assert answers[:5] == ["refused"] * 5
    assert answers[5:] == ["throttled"] * 25  # not even checked: no work spent
    with pytest.raises(Throttled) as refused:
        store.run(sessions.login("jmartin", "s3cret", HERE, T0))
    assert str(refused.value) == (
        "Trop de tentatives de connexion infructueuses pour ce compte ou depuis cette adresse : "
        "réessayez dans 1 seconde."
    )
    assert refused.value.http_status == 429 and refused.value.retry_after == 1
    # Once the delay has run, the right password opens and the account starts afresh.
    assert _try(store, "jmartin", "s3cret", T0 + timedelta(seconds=1)) == "ok"
    keys = {r["key"] for r in store.run(LoginThrottle.select(LoginThrottle.key))}
    assert keys == {f"address:{HERE}"}


def test_each_further_failure_doubles_the_wait(store):
    store.run(users.create_user("jmartin", "avocat", "s3cret"))
    at = T0
    for _ in range(5):
        assert _try(store, "jmartin", "faux", at) == "refused"
    waits = []
    for _ in range(4):
        at += timedelta(seconds=waits[-1] if waits else 1)
        assert _try(store, "jmartin", "faux", at) == "refused"
        with pytest.raises(Throttled) as refused:
            store.run(sessions.login("jmartin", "faux", HERE, at))
        waits.append(refused.value.retry_after)
    assert waits == [2, 4, 8, 16]


def test_the_account_is_throttled_from_any_address_and_an_address_for_any_account(store):
    store.run(users.create_user("jmartin", "avocat", "s3cret"))
    for n in range(5):
        assert _try(store, "jmartin", "faux", T0, address=f"198.51.100.{n}") == "refused"
    assert _try(store, "jmartin", "s3cret", T0, address="203.0.113.9") == "throttled"
    # One address trying many names (unknown ones too) is stopped after its free failures.
    at = T0 + timedelta(hours=2)  # the account's failures are forgotten by then
    free = throttle.FREE_PER_ADDRESS
    answers = [_try(store, f"user{n}", "faux", at, address="203.0.113.7") for n in range(free + 1)]
    assert answers == ["refused"] * free + ["throttled"]
    assert _try(store, "jmartin", "s3cret", at, address="203.0.113.7") == "throttled"
    assert _try(store, "jmartin", "s3cret", at, address="203.0.113.8") == "ok"


def test_unknown_and_known_names_cost_the_same_check_and_get_the_same_answer(store, monkeypatch):
    store.run(users.create_user("jmartin", "avocat", "s3cret"))
    store.run(users.create_user("tokenonly", "avocat"))  # no password
    checks: list[str] = []
    real = passwords._verify

    def counting(stored: str, password: str) -> bool:
        checks.append(stored[:9])
        return real(stored, password)

    monkeypatch.setattr(passwords, "_verify", counting)
    for name in ("jmartin", "nobody", "tokenonly"):
        with pytest.raises(sessions.LoginFailed) as refused:
            store.run(sessions.login(name, "faux", f"192.0.2.{len(checks) + 50}", T0))
        assert str(refused.value) == "Identifiant ou mot de passe incorrect."
    assert checks == ["$argon2id"] * 3


def test_old_failures_are_forgotten_and_their_rows_deleted(store):
    for n in range(3):
        _try(store, f"nobody{n}", "faux", T0, address=f"198.51.100.{n}")
    assert store.run(LoginThrottle.count()) == 6
    _try(store, "someone", "faux", T0 + throttle.MEMORY + timedelta(seconds=1))
    assert store.run(LoginThrottle.count()) == 2  # only the last attempt's two keys


def test_a_burst_of_concurrent_attempts_is_throttled_too(store):
    """Counted before the password check, in one transaction: thirty attempts at once on one
    account get at most its free failures checked."""
    store.run(users.create_user("jmartin", "avocat", "s3cret"))

    async def burst() -> list[str]:
        async def one(n: int) -> str:
            try:
                await sessions.login("jmartin", f"guess{n}", f"198.51.100.{n}", T0)
            except sessions.LoginFailed:
                return "refused"
            except Throttled:
                return "throttled"
            return "ok"

        return list(await asyncio.gather(*(one(n) for n in range(30))))

    answers = store.run(burst())
    assert answers.count("refused") == throttle.FREE_PER_ACCOUNT
    assert answers.count("throttled") == 30 - throttle.FREE_PER_ACCOUNT
