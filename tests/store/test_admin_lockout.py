"""Never an installation without an active administrator, on SQLite and PostgreSQL: the first
user is an administrator, the last active administrator can be neither deactivated nor
demoted (even by two administrators acting at once), and an installation already locked out
gets its administrator back by `casefile user add NOM --role admin`, recorded as such."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from casefile.errors import Conflict, InputError
from casefile.services import audit as audit_service
from casefile.services import users as people
from casefile.services.users import ProfileChanges
from casefile.store import users
from casefile.store.permissions import SYSTEM, User
from casefile.store.tables import AuditEntry, UserAccount

FIRST_ADMIN = (
    "le premier utilisateur doit être administrateur : "
    "casefile user add NOM --role admin (puis ajoutez les autres avec --as NOM)"
)


def _audit(store: Any, action: str) -> list[dict[str, Any]]:
    rows = store.run(
        AuditEntry.select()
        .where(AuditEntry.action == action)
        .order_by(AuditEntry.id)
        .output(load_json=True)
    )
    return [dict(r) for r in rows]


def _user(profile: people.UserProfile) -> User:
    return User(profile.id, profile.name, profile.role)


def _accounts(store: Any) -> dict[str, tuple[str, bool]]:
    rows = store.run(UserAccount.select(UserAccount.name, UserAccount.role, UserAccount.active))
    return {str(r["name"]): (str(r["role"]), bool(r["active"])) for r in rows}


@pytest.mark.parametrize("role", ["avocat", "credit_manager", "commissaire_de_justice", "lecteur"])
def test_the_first_user_must_be_an_administrator(store, role):
    with pytest.raises(InputError) as refused:
        store.run(people.add_user("marie", role, "s3cret"))
    assert str(refused.value) == FIRST_ADMIN
    assert _accounts(store) == {}
    assert store.run(AuditEntry.count()) == 0
    assert store.run(people.admin_state()) == "fresh"

    store.run(people.add_user("chef", "admin", "s3cret"))
    assert store.run(people.admin_state()) == "ok"
    store.run(people.add_user("marie", role, "s3cret"))
    assert [e["after"]["name"] for e in _audit(store, "user.create")] == ["chef", "marie"]


def test_the_last_active_administrator_is_neither_deactivated_nor_demoted(store):
    chef, _ = store.run(people.add_user("chef", "admin"))
    store.run(people.add_user("marie", "avocat"))
    with pytest.raises(Conflict, match="« chef » est le dernier administrateur actif"):
        store.run(people.deactivate_user("chef", SYSTEM))
    with pytest.raises(Conflict, match="« chef » est le dernier administrateur actif"):
        store.run(people.edit_user("chef", ProfileChanges(role="avocat"), SYSTEM))
    # By themself: the older, personal refusals still come first.
    with pytest.raises(InputError, match="votre propre compte"):
        store.run(people.deactivate_user("chef", _user(chef)))
    with pytest.raises(InputError, match="votre propre rôle d'administrateur"):
        store.run(people.edit_user("chef", ProfileChanges(role="lecteur"), _user(chef)))
    assert _accounts(store) == {"chef": ("admin", True), "marie": ("avocat", True)}
    assert _audit(store, "user.edit") == [] and _audit(store, "user.deactivate") == []
    # Other changes of the last administrator's account are still allowed.
    store.run(people.edit_user("chef", ProfileChanges(full_name="Sophie Roth"), SYSTEM))

    # With a second active administrator, either may go; a deactivated one does not count.
    store.run(people.add_user("second", "admin"))
    store.run(people.deactivate_user("second", _user(chef)))
    with pytest.raises(Conflict, match="dernier administrateur actif"):
        store.run(people.edit_user("chef", ProfileChanges(role="avocat"), SYSTEM))
    store.run(people.reactivate_user("second", _user(chef)))
    demoted = store.run(people.edit_user("chef", ProfileChanges(role="avocat"), SYSTEM))
    assert demoted.role == "avocat"
    assert _accounts(store)["second"] == ("admin", True)


def test_two_administrators_removing_each_other_at_once_leave_one(store, monkeypatch):
    one, _ = store.run(people.add_user("un", "admin"))
    two, _ = store.run(people.add_user("deux", "admin"))
    read = people._active_admins

    async def slow(lock: bool = False) -> list[int]:
        admins = await read(lock)
        await asyncio.sleep(0.3)  # both would read two administrators, were they not locked
        return admins

    monkeypatch.setattr(people, "_active_admins", slow)

    async def both() -> list[Any]:
        return await asyncio.gather(
            people.deactivate_user("deux", _user(one)),
            people.edit_user("un", ProfileChanges(role="lecteur"), _user(two)),
            return_exceptions=True,
        )

    results = store.run(both())
    assert sorted(type(r).__name__ for r in results) == ["Conflict", "UserProfile"], results
    active_admins = [
        n for n, (role, active) in _accounts(store).items() if role == "admin" and active
    ]
    assert len(active_admins) == 1


def test_a_locked_out_installation_gets_its_administrator_back(store):
    # Created before the first user had to be an administrator: nobody could add one.
    store.run(users.create_user("marie", "avocat", "s3cret"))
    assert store.run(people.admin_state()) == "locked"
    with pytest.raises(InputError, match="aucun administrateur actif") as refused:
        store.run(people.add_user("paul", "lecteur"))
    assert "casefile user add NOM --role admin" in str(refused.value)

    boss, _ = store.run(people.add_user("direction", "admin", "s3cret"))
    assert store.run(people.admin_state()) == "ok"
    [entry] = _audit(store, "user.recover")
    assert (entry["actor_name"], entry["entity_id"]) == ("system", str(boss.id))
    assert entry["after"]["name"] == "direction" and entry["after"]["role"] == "admin"
    assert entry["after"]["reason"] == people.RECOVERY_REASON
    assert _audit(store, "user.create") == [_audit(store, "user.create")[0]]  # marie's only
    [line] = [e for e in store.run(audit_service.trail(SYSTEM)) if e.action == "user.recover"]
    assert line.sentence == (
        "casefile (traitement automatique) a créé l'administrateur direction (motif : reprise "
        "de l'accès, aucun administrateur actif : casefile user add sans opérateur)."
    )
    # From now on, the usual rules: the new administrator promotes marie.
    store.run(people.edit_user("marie", ProfileChanges(role="admin"), _user(boss)))
    store.run(people.add_user("paul", "lecteur", actor=_user(boss)))
    assert _audit(store, "user.recover") == [entry]


def test_an_installation_whose_administrators_are_all_deactivated_is_locked_out(store):
    store.run(users.create_user("chef", "admin"))
    store.run(users.create_user("marie", "avocat"))
    store.run(UserAccount.update({UserAccount.active: False}).where(UserAccount.name == "chef"))
    assert store.run(people.admin_state()) == "locked"
    store.run(people.add_user("reprise", "admin"))
    assert len(_audit(store, "user.recover")) == 1
