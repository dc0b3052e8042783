"""This installation's identifier (`tables.Installation`).

Drawn once by `casefile init` (migration 2026-12-01T14:45:01) and never changed: it is part of
every iCalendar UID (`casefile.ical.items.uid_for`), so changing it would duplicate every event
in every subscribed calendar. Read with each calendar computed (one indexed row, next to the
engine's and the sync's work it is nothing); a poll answered 304 does not read it.
"""

from __future__ import annotations

from casefile.errors import CasefileError
from casefile.ical.items import INSTALLATION
from casefile.store.tables import Installation


async def installation_id() -> str:
    """The identifier, 12 lowercase base32 characters; a database without one was not
    initialised by this version."""
    row = await Installation.select(Installation.token).order_by(Installation.id).first()
    token = str(row["token"]) if row is not None else ""
    if not INSTALLATION.fullmatch(token):
        raise CasefileError(
            "identifiant d'installation absent ou invalide : lancez « casefile init »"
        )
    return token
