"""People, not logins (issue 12 item 2) and access that follows rights (issue 11 item 2), on
SQLite and PostgreSQL: profiles, identity for the documents, deactivation and reassignment
taking away sessions, tokens and feeds at once, every change audited before/after."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from casefile.errors import Forbidden, InputError, NotFound
from casefile.services import assignments, events, sessions
from casefile.services import cases as case_service
from casefile.services import users as people
from casefile.services.users import ProfileChanges, barreau_phrase
from casefile.store import calendars, cases, users
from casefile.store.permissions import SYSTEM, User
from casefile.store.tables import ApiToken, AuditEntry, FeedToken, WebSession
from tests.store.helpers import new_case

NOW = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)


def _audit(store: Any, action: str) -> list[dict[str, Any]]:
    rows = store.run(
        AuditEntry.select()
        .where(AuditEntry.action == action)
        .order_by(AuditEntry.id)
        .output(load_json=True)
    )
    return [dict(r) for r in rows]


def _case(store: Any, commissaire: str | None = None) -> dict[str, Any]:
    return dict(store.run(case_service.create_case(new_case(commissaire=commissaire), SYSTEM)))


def _add(store: Any, name: str, role: str, **profile: str) -> people.UserProfile:
    person, _ = store.run(
        people.add_user(name, role, password="s3cret", profile=ProfileChanges(**profile))
    )
    return person


@pytest.fixture(autouse=True)
def _first_admin(request: pytest.FixtureRequest) -> None:
    """The first user of an installation is an administrator (services.users.add_user)."""
    if "store" in request.fixturenames:
        _add(request.getfixturevalue("store"), "admin", "admin")


def test_an_avocat_and_a_commissaire_are_designated_by_name_barreau_and_etude(store):
    _add(
        store,
        "jmartin",
        "avocat",
        full_name="Jeanne Martin",
        barreau="Strasbourg",
        toque="123",
        email="j.martin@avocats.example",
        phone="+33 3 88 00 00 00",
    )
    _add(
        store,
        "pdurand",
        "commissaire_de_justice",
        full_name="Paul Durand",
        etude_name="SELARL Durand & Associés",
        etude_address="3 rue des Juifs\n67000 Strasbourg",
    )
    lawyer = store.run(people.identity("jmartin"))
    assert lawyer.display == "Maître Jeanne Martin, avocat au barreau de Strasbourg"
    assert lawyer.person == "Maître Jeanne Martin"
    assert lawyer.profession == "avocat au barreau de Strasbourg"
    assert lawyer.lines == (
        "Maître Jeanne Martin, avocat au barreau de Strasbourg",
        "Toque 123",
        "j.martin@avocats.example",
        "Tél. +33 3 88 00 00 00",
    )
    assert lawyer.missing == ()
    officer = store.run(people.identity("pdurand"))
    assert officer.display == (
        "Maître Paul Durand, commissaire de justice, SELARL Durand & Associés"
    )
    assert officer.lines[1:] == ("3 rue des Juifs", "67000 Strasbourg")
    # By id too, and a login without a profile says what is missing.
    bare = _add(store, "avocat2", "avocat")
    shown = store.run(people.identity(bare.id))
    assert shown.display == "Maître avocat2, avocat"
    assert shown.missing == ("nom complet", "barreau")
    with pytest.raises(NotFound):
        store.run(people.identity("nobody"))


def test_the_barreau_reads_as_french_does():
    assert barreau_phrase("Strasbourg") == "barreau de Strasbourg"
    assert barreau_phrase("Évry") == "barreau d'Évry"
    assert barreau_phrase("Aix-en-Provence") == "barreau d'Aix-en-Provence"
    assert barreau_phrase("barreau des Hauts-de-Seine") == "barreau des Hauts-de-Seine"
    assert barreau_phrase("Barreau du Havre") == "barreau du Havre"


def test_an_admin_edits_a_user_and_the_audit_keeps_before_and_after(store):
    _add(store, "jmartin", "avocat", full_name="Jeanne Martin")
    edited = store.run(
        people.edit_user(
            "jmartin",
            ProfileChanges(barreau="Colmar", toque="C12", phone="03 89 00 00 00"),
            SYSTEM,
        )
    )
    assert (edited.barreau, edited.toque, edited.full_name) == ("Colmar", "C12", "Jeanne Martin")
    assert edited.display == "Maître Jeanne Martin, avocat au barreau de Colmar"
    [entry] = _audit(store, "user.edit")
    assert entry["before"] == {"barreau": "", "phone": "", "toque": ""}
    assert entry["after"] == {"barreau": "Colmar", "phone": "03 89 00 00 00", "toque": "C12"}
    assert entry["actor_name"] == "system"
    # A password change is audited without the password.
    store.run(people.edit_user("jmartin", ProfileChanges(password="n0uveau"), SYSTEM))
    assert _audit(store, "user.edit")[-1]["after"] == {"password": "changé"}
    user, _ = store.run(sessions.login("jmartin", "n0uveau", "192.0.2.1", NOW))
    assert user.name == "jmartin"


def test_bad_profiles_are_refused_in_french_and_nothing_changes(store):
    _add(store, "gestion", "credit_manager", full_name="Luc Petit")
    with pytest.raises(InputError, match="adresse électronique « luc@ » invalide"):
        store.run(people.edit_user("gestion", ProfileChanges(email="luc@"), SYSTEM))
    with pytest.raises(InputError, match="barreau : réservé"):
        store.run(people.edit_user("gestion", ProfileChanges(barreau="Paris"), SYSTEM))
    with pytest.raises(InputError, match="caractères de contrôle"):
        store.run(people.edit_user("gestion", ProfileChanges(full_name="Luc\x00"), SYSTEM))
    with pytest.raises(InputError, match="200 caractères au plus"):
        store.run(people.edit_user("gestion", ProfileChanges(full_name="x" * 201), SYSTEM))
    with pytest.raises(InputError, match="rôle « huissier » inconnu"):
        store.run(people.edit_user("gestion", ProfileChanges(role="huissier"), SYSTEM))
    with pytest.raises(Forbidden):
        store.run(
            people.edit_user("gestion", ProfileChanges(phone="0102"), User(99, "x", "avocat"))
        )
    assert store.run(people.get_profile("gestion", SYSTEM)).full_name == "Luc Petit"
    assert _audit(store, "user.edit") == []


def _feed(store: Any, kind: str, subject: str, actor: User) -> str:
    return str(store.run(calendars.issue_feed(kind, subject, actor, now=NOW))["token"])


def test_deactivation_ends_sessions_and_revokes_tokens_and_feeds_at_once(store):
    person, token = store.run(
        people.add_user("pdurand", "commissaire_de_justice", "s3cret", with_token=True)
    )
    bailiff = User(person.id, person.name, person.role)
    case = _case(store, commissaire="pdurand")
    case_feed = _feed(store, "case", str(case["id"]), bailiff)
    own_feed = _feed(store, "commissaire", "pdurand", bailiff)
    admin_feed = _feed(store, "commissaire", "pdurand", SYSTEM)  # published for them
    _, session = store.run(sessions.login("pdurand", "s3cret", "192.0.2.1", NOW))
    assert store.run(sessions.session_user(session, NOW)) == bailiff
    assert store.run(users.authenticate_token(str(token))) == bailiff
    assert b"BEGIN:VCALENDAR" in store.run(calendars.feed_body(case_feed, NOW))

    store.run(people.deactivate_user("pdurand", SYSTEM, NOW))
    assert store.run(sessions.session_user(session, NOW)) is None
    assert store.run(WebSession.count()) == 0
    assert store.run(users.authenticate_token(str(token))) is None
    assert store.run(ApiToken.select(ApiToken.revoked))[0]["revoked"]
    for feed in (case_feed, own_feed, admin_feed):
        with pytest.raises(NotFound):
            store.run(calendars.feed_body(feed, NOW))
    with pytest.raises(sessions.LoginFailed, match="Identifiant ou mot de passe incorrect"):
        store.run(sessions.login("pdurand", "s3cret", "192.0.2.1", NOW))
    [entry] = _audit(store, "user.deactivate")
    assert entry["before"] == {"active": True}
    assert entry["after"] == {
        "active": False,
        "sessions_closed": 1,
        "tokens_revoked": 1,
        "feeds_revoked": 3,
    }
    chief = _add(store, "chef", "admin")
    with pytest.raises(InputError, match="votre propre compte"):
        store.run(people.deactivate_user("chef", User(chief.id, chief.name, chief.role)))

    # Reactivated: they log in again, but what was revoked stays revoked.
    store.run(people.reactivate_user("pdurand", SYSTEM))
    store.run(sessions.login("pdurand", "s3cret", "192.0.2.1", NOW))
    assert store.run(users.authenticate_token(str(token))) is None
    with pytest.raises(NotFound):
        store.run(calendars.feed_body(case_feed, NOW))


def test_a_logged_out_session_is_dead_even_for_a_copied_cookie(store):
    _add(store, "jmartin", "avocat")
    _, session = store.run(sessions.login("jmartin", "s3cret", "192.0.2.1", NOW))
    assert store.run(sessions.session_user(session, NOW)) is not None
    store.run(sessions.logout(session))
    assert store.run(sessions.session_user(session, NOW)) is None
    # And a session expires on the server after its lifetime, whatever the cookie says.
    _, session = store.run(sessions.login("jmartin", "s3cret", "192.0.2.1", NOW))
    later = NOW + sessions.SESSION_LIFETIME
    assert store.run(sessions.session_user(session, later)) is None


def test_reassignment_takes_the_case_out_of_the_old_commissaire_feeds_at_once(store):
    first = _add(store, "pdurand", "commissaire_de_justice", full_name="Paul Durand")
    _add(store, "mklein", "commissaire_de_justice", full_name="Marie Klein")
    _add(store, "jmartin", "avocat", full_name="Jeanne Martin")
    bailiff = User(first.id, first.name, first.role)
    case = _case(store, commissaire="pdurand")
    # The ordonnance calls for the commissaire's signification: it is in their feed.
    store.run(events.add_event(case["id"], "ordonnance_rendue", "2027-02-15", {}, SYSTEM))
    case = store.run(cases.get_case(case["id"], SYSTEM))
    case_feed = _feed(store, "case", str(case["id"]), bailiff)
    portfolio = _feed(store, "commissaire", "pdurand", bailiff)
    reference = case["reference"].encode()
    assert reference in store.run(calendars.feed_body(portfolio, NOW))

    changed = store.run(
        assignments.assign_case(
            case["id"],
            assignments.Assignment(commissaire="mklein", lawyer="jmartin"),
            SYSTEM,
            NOW,
        )
    )
    assert (changed["commissaire"], changed["lawyer"]) == ("mklein", "jmartin")
    assert changed["version"] == case["version"] + 1
    with pytest.raises(NotFound):
        store.run(calendars.feed_body(case_feed, NOW))
    assert reference not in store.run(calendars.feed_body(portfolio, NOW))
    with pytest.raises(Forbidden):
        store.run(cases.get_case(case["id"], bailiff))
    [entry] = _audit(store, "case.assign")
    assert entry["before"] == {"lawyer": None, "commissaire": "pdurand"}
    assert entry["after"] == {
        "lawyer": "jmartin",
        "commissaire": "mklein",
        "version": case["version"] + 1,
        "feeds_revoked": 1,
    }
    # Assigning it back does not revive the revoked URL.
    store.run(
        assignments.assign_case(
            case["id"], assignments.Assignment(commissaire="pdurand"), SYSTEM, NOW
        )
    )
    with pytest.raises(NotFound):
        store.run(calendars.feed_body(case_feed, NOW))
    # `null` removes the holder.
    cleared = store.run(
        assignments.assign_case(case["id"], assignments.Assignment(lawyer=None), SYSTEM, NOW)
    )
    assert cleared["lawyer"] is None and cleared["commissaire"] == "pdurand"


def test_a_case_feed_is_checked_against_its_publisher_rights_on_every_use(store):
    """Even when the assignment changes by another path than the service, the next poll of a
    commissaire's case feed finds they no longer hold the case."""
    from casefile.store.tables import Case

    first = _add(store, "pdurand", "commissaire_de_justice")
    _add(store, "mklein", "commissaire_de_justice")
    case = _case(store, commissaire="pdurand")
    feed = _feed(store, "case", str(case["id"]), User(first.id, first.name, first.role))
    store.run(Case.update({Case.commissaire: None}).where(Case.id == case["id"]))
    with pytest.raises(NotFound, match="abonnement de calendrier introuvable"):
        store.run(calendars.feed_body(feed, NOW))
    assert store.run(FeedToken.select(FeedToken.revoked_at))[0]["revoked_at"] is None


def test_only_active_holders_of_the_right_role_can_be_assigned(store):
    _add(store, "gestion", "credit_manager")
    _add(store, "jmartin", "avocat")
    case = _case(store)
    with pytest.raises(InputError, match="avocat : « gestion » n'est pas avocat"):
        store.run(
            assignments.assign_case(case["id"], assignments.Assignment(lawyer="gestion"), SYSTEM)
        )
    store.run(people.deactivate_user("jmartin", SYSTEM))
    with pytest.raises(InputError, match="désactivé"):
        store.run(
            assignments.assign_case(case["id"], assignments.Assignment(lawyer="jmartin"), SYSTEM)
        )
    with pytest.raises(InputError, match="rien à changer"):
        store.run(assignments.assign_case(case["id"], assignments.Assignment(), SYSTEM))
    with pytest.raises(Forbidden):
        store.run(
            assignments.assign_case(
                case["id"], assignments.Assignment(lawyer=None), User(5, "a", "avocat")
            )
        )
    assert _audit(store, "case.assign") == []


def test_a_commissaire_s_filters_list_only_the_people_of_their_cases(store: Any) -> None:
    """`portfolio.people`, what the lists' filters offer: everyone to a lawyer, to a commissaire
    de justice themselves and the lawyers of their cases (never another office's name)."""
    from casefile.services.portfolio import people as filter_people

    for name, role in (
        ("me_kleber", "commissaire_de_justice"),
        ("me_autre", "commissaire_de_justice"),
        ("me_dupont", "avocat"),
        ("me_tiers", "avocat"),
    ):
        store.run(users.create_user(name, role))

    def _case(store: Any, commissaire: str, reference: str) -> dict[str, Any]:
        made = case_service.create_case(new_case(reference, commissaire=commissaire), SYSTEM)
        return dict(store.run(made))

    mine = _case(store, "me_kleber", "F-1")
    store.run(
        assignments.assign_case(
            mine["id"], assignments.Assignment(commissaire="me_kleber", lawyer="me_dupont"), SYSTEM
        )
    )
    _case(store, "me_kleber", "F-2")  # without a lawyer
    theirs = _case(store, "me_autre", "F-3")
    store.run(
        assignments.assign_case(
            theirs["id"], assignments.Assignment(commissaire="me_autre", lawyer="me_tiers"), SYSTEM
        )
    )
    bailiff = store.run(users.get_user("me_kleber"))
    lawyer = store.run(users.get_user("me_dupont"))
    assert store.run(filter_people("avocat", bailiff)) == ["me_dupont"]
    assert store.run(filter_people("commissaire_de_justice", bailiff)) == ["me_kleber"]
    assert store.run(filter_people("avocat", lawyer)) == ["me_dupont", "me_tiers"]
    assert store.run(filter_people("commissaire_de_justice")) == ["me_autre", "me_kleber"]
    stranger, _ = store.run(users.create_user("me_neuf", "commissaire_de_justice"))
    assert store.run(filter_people("avocat", stranger)) == []
