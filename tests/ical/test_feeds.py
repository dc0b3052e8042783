"""Subscription tokens (≥ 128 bits, stored hashed, scoped, revocable), ETag and webcal links."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from casefile.errors import InputError
from casefile.ical.export import case_calendar
from casefile.ical.feeds import (
    FeedToken,
    authorizes,
    etag_for,
    feed_url,
    hash_token,
    issue,
    new_feed_token,
    not_modified,
    record_use,
    revoke,
    verify_token,
    webcal_url,
)
from tests.ical.builders import entries_for, ip_events

NOW = datetime(2027, 2, 1, 9, 0, tzinfo=UTC)


def test_tokens_carry_at_least_128_bits_and_only_their_hash_is_stored():
    token, digest = new_feed_token()
    assert re.fullmatch(r"[A-Za-z0-9_-]{43}", token)  # 32 random bytes, base64url
    assert digest == hash_token(token)
    assert re.fullmatch(r"[0-9a-f]{64}", digest)
    assert token not in digest
    assert len({new_feed_token()[0] for _ in range(100)}) == 100


def test_verify_accepts_the_token_and_nothing_else():
    token, record = issue("case", "c-42", NOW)
    assert verify_token(token, record)
    assert verify_token(token, record.token_hash)
    assert not verify_token(token[:-1] + ("A" if token[-1] != "A" else "B"), record)
    assert not verify_token("", record)
    assert not verify_token("x" * 10_000, record)
    assert not verify_token(record.token_hash, record)  # the stored hash is not a credential


def test_a_token_opens_only_its_own_feed():
    token, record = issue("case", "c-42", NOW)
    assert authorizes(token, record, "case", "c-42")
    assert not authorizes(token, record, "case", "c-43")
    assert not authorizes(token, record, "lawyer", "c-42")


def test_a_revoked_token_never_verifies_and_last_use_is_recorded():
    token, record = issue("commissaire", "scp-martin", NOW)
    used = record_use(record, datetime(2027, 2, 2, tzinfo=UTC))
    assert used.last_used_at == datetime(2027, 2, 2, tzinfo=UTC)
    assert record.last_used_at is None  # values, not mutation
    revoked = revoke(used, datetime(2027, 2, 3, tzinfo=UTC))
    assert not revoked.active
    assert not verify_token(token, revoked)
    assert not authorizes(token, revoked, "commissaire", "scp-martin")
    assert revoke(revoked, datetime(2030, 1, 1, tzinfo=UTC)).revoked_at == revoked.revoked_at


def test_a_feed_token_names_a_known_kind_and_a_subject():
    with pytest.raises(InputError) as refused:
        FeedToken("0" * 64, "everyone", "x", NOW)
    assert str(refused.value) == (
        "type d'abonnement « everyone » inconnu (attendu : case, lawyer, commissaire)"
    )
    with pytest.raises(InputError) as refused:
        FeedToken("0" * 64, "case", "", NOW)
    assert str(refused.value) == "abonnement : l'objet de l'abonnement n'est pas indiqué"


def test_etag_is_stable_for_equal_feeds_and_answers_if_none_match():
    body = case_calendar(entries_for(ip_events()), case_id="c-42", case_reference="IP-2027/001")
    again = case_calendar(entries_for(ip_events()), case_id="c-42", case_reference="IP-2027/001")
    moved = case_calendar(
        entries_for(ip_events(signifiee=None)), case_id="c-42", case_reference="IP-2027/001"
    )
    tag = etag_for(body)
    assert re.fullmatch(r'"[0-9a-f]{32}"', tag)
    assert etag_for(again) == tag
    assert etag_for(moved) != tag
    assert not_modified(tag, tag)
    assert not_modified(f'"other", W/{tag}', tag)
    assert not_modified("*", tag)
    assert not not_modified(None, tag)
    assert not not_modified("", tag)
    assert not not_modified('"other"', tag)


def test_webcal_link_replaces_the_http_scheme():
    token = "abc_DEF-123"
    assert feed_url("https://casefile.example/", token) == (
        "https://casefile.example/feeds/abc_DEF-123.ics"
    )
    assert webcal_url("https://casefile.example", token) == (
        "webcal://casefile.example/feeds/abc_DEF-123.ics"
    )
    assert webcal_url("http://127.0.0.1:8000/app", token) == (
        "webcal://127.0.0.1:8000/app/feeds/abc_DEF-123.ics"
    )
    with pytest.raises(InputError, match="ftp://x"):
        webcal_url("ftp://x", token)
