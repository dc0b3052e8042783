"""E-mail reminders (issue 15 item 2): each user's choice, what is due for them, and sending it
once.

- Whose deadlines: our side's (creancier, avocat, commissaire de justice) on the open cases a
  user is assigned to: as the case's lawyer, every one of them except those a commissaire de
  justice assigned to the case acts on; as its commissaire de justice, those they act on.
- The digest (daily, when the user chose it and something is due): those deadlines due within
  the next `digest_days` days, and those already overdue (still open).
- The alert (when chosen): one e-mail per deadline, once it is due within `alert_days` days; a
  deadline moved to another day is a new deadline to announce.
- Recipients are users only, at the address of their reminder preferences: never a party's
  address, so never a debtor.
- Nothing twice: every message is keyed in `mail_log` by what it reminds of; the key is
  reserved before sending and kept once the server accepted it. A refused or dropped
  connection releases the reservation and fails the job, which the engine retries: the next
  attempt sends only what is missing. (A process killed between the server's acceptance and
  the record would resend that one message on the next attempt, with the same Message-ID.)
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from email.message import EmailMessage
from email.utils import parseaddr
from functools import partial
from typing import Any

from casefile.errors import Conflict, Forbidden, InputError, NotFound
from casefile.labels import OUR_SIDE, date_long_fr
from casefile.law.schedule import service_saturday
from casefile.notify import unsubscribe
from casefile.notify.messages import Composer, Item, Recipient
from casefile.notify.smtp import Mailer, SmtpConfig
from casefile.settings import get_settings
from casefile.store.cases import CLOSED_STATUSES
from casefile.store.db import atomic
from casefile.store.permissions import User, can
from casefile.store.tables import Case, DeadlineRecord, MailLog, Party, ReminderPrefs, UserAccount
from casefile.store.tables.deadline import explanation_column

OPEN = ("pending", "uncertain")
MAX_DAYS = 60
_EMAIL = re.compile(r"^[^@\s<>,;\"]+@[^@\s<>,;\"]+\.[^@\s<>,;\"]+$")


# -- preferences -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Prefs:
    email: str = ""
    digest: bool = False
    digest_days: int = 7
    alerts: bool = False
    alert_days: int = 3


def _check_days(value: int, field: str, low: int) -> int:
    if not low <= value <= MAX_DAYS:
        raise InputError(f"{field} : un nombre de jours entre {low} et {MAX_DAYS}")
    return value


def validate(prefs: Prefs) -> Prefs:
    email = prefs.email.strip()
    if email and (len(email) > 254 or not _EMAIL.match(email)):
        raise InputError(f"adresse e-mail « {email} » invalide (attendu : nom@domaine.fr)")
    if (prefs.digest or prefs.alerts) and not email:
        raise InputError("indiquez l'adresse e-mail à laquelle envoyer les rappels")
    return Prefs(
        email=email,
        digest=prefs.digest,
        digest_days=_check_days(prefs.digest_days, "récapitulatif", 1),
        alerts=prefs.alerts,
        alert_days=_check_days(prefs.alert_days, "alerte", 0),
    )


async def get_prefs(user_id: int) -> Prefs:
    """The user's choice; the address defaults to the one of their user account."""
    row = await ReminderPrefs.select().where(ReminderPrefs.user == user_id).first()
    if row is None or not row["email"]:
        account = (
            await UserAccount.select(UserAccount.email).where(UserAccount.id == user_id).first()
        )
        email = account["email"] if account else ""
        if row is None:
            return Prefs(email=email)
        row = {**row, "email": email}
    return Prefs(row["email"], row["digest"], row["digest_days"], row["alerts"], row["alert_days"])


async def user_id_of(name: str) -> int:
    row = await UserAccount.select(UserAccount.id).where(UserAccount.name == name).first()
    if row is None:
        raise NotFound(f"utilisateur « {name} » inconnu")
    return int(row["id"])


async def save_prefs(actor: User, user_id: int, prefs: Prefs) -> Prefs:
    """Record a user's choice (the user themself, or an administrator)."""
    if actor.id != user_id and not can(actor.role, "user.admin"):
        raise Forbidden("seul l'utilisateur lui-même ou un administrateur règle ses rappels")
    prefs = validate(prefs)
    now = datetime.now(UTC)
    async with atomic():
        if await ReminderPrefs.exists().where(ReminderPrefs.user == user_id):
            await ReminderPrefs.update(
                {
                    ReminderPrefs.email: prefs.email,
                    ReminderPrefs.digest: prefs.digest,
                    ReminderPrefs.digest_days: prefs.digest_days,
                    ReminderPrefs.alerts: prefs.alerts,
                    ReminderPrefs.alert_days: prefs.alert_days,
                    ReminderPrefs.updated_at: now,
                }
            ).where(ReminderPrefs.user == user_id)
        else:
            await ReminderPrefs.insert(
                ReminderPrefs(
                    user=user_id,
                    email=prefs.email,
                    digest=prefs.digest,
                    digest_days=prefs.digest_days,
                    alerts=prefs.alerts,
                    alert_days=prefs.alert_days,
                    updated_at=now,
                )
            )
    return prefs


async def unsubscribe_by_token(token: str) -> str:
    """One-click unsubscribe: turns off the kind the signed token names; returns that kind."""
    found = unsubscribe.read(get_settings().secret_key, token)
    if found is None:
        raise NotFound("lien de désabonnement invalide ou incomplet")
    user_id, kind = found
    column = ReminderPrefs.digest if kind == "digest" else ReminderPrefs.alerts
    await ReminderPrefs.update({column: False, ReminderPrefs.updated_at: datetime.now(UTC)}).where(
        ReminderPrefs.user == user_id
    )
    return kind


# -- what is due -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Outgoing:
    """One reminder due; its message is rendered only when it is about to be sent (a retry
    renders nothing of what already went)."""

    key: str
    user_id: int
    kind: str
    render: Callable[[], EmailMessage]


@dataclass(frozen=True)
class _Subscriber:
    recipient: Recipient
    prefs: Prefs


async def _subscribers() -> list[_Subscriber]:
    rows = await ReminderPrefs.select(
        ReminderPrefs.user,
        ReminderPrefs.email,
        ReminderPrefs.digest,
        ReminderPrefs.digest_days,
        ReminderPrefs.alerts,
        ReminderPrefs.alert_days,
        ReminderPrefs.user.name.as_alias("name"),
        ReminderPrefs.user.full_name.as_alias("full_name"),
        ReminderPrefs.user.email.as_alias("account_email"),
        ReminderPrefs.user.active.as_alias("active"),
    ).where((ReminderPrefs.digest == True) | (ReminderPrefs.alerts == True))  # noqa: E712
    found = []
    for row in rows:
        email = row["email"] or row["account_email"]
        if not (row["active"] and email):
            continue
        found.append(
            _Subscriber(
                # The full name, or none: a login name ("roth") is not how a person is greeted.
                Recipient(row["user"], row["full_name"] or "", email),
                Prefs(email, row["digest"], row["digest_days"], row["alerts"], row["alert_days"]),
            )
        )
    return found


def _backward_caution(explanation: Mapping[str, Any], due: date, department: object) -> str:
    """A backward period (« au moins 15 jours avant l'audience ») is never moved later: when
    its last day is not worked at the court, the reminder says by when to act, as the
    deadline's own note does (DESIGN §3): a paper filing at the greffe the working day before;
    an act a commissaire de justice serves, that day too, naming the Saturday on which a
    signification remains possible (CPC art. 664; `law.schedule._service_note`)."""
    if explanation.get("counting") != "backward" or not department:
        return ""
    from casefile.definitions import engine

    try:
        _, territory, _ = engine().place(department, None)
    except InputError:
        return ""
    if territory.is_working_day(due):
        return ""
    previous = territory.previous_working_day(due)
    if explanation.get("actor") == "commissaire_de_justice":
        saturday = service_saturday(due, territory)
        possible = (
            f" ; une signification le {date_long_fr(saturday)} reste possible (CPC art. 664), "
            "mais la date la plus précoce est retenue par prudence"
            if saturday is not None
            else ""
        )
        return (
            f"le {date_long_fr(due)} n'est pas un jour ouvrable : pour la signification, date "
            f"retenue le {date_long_fr(previous)}{possible}"
        )
    return (
        f"le {date_long_fr(due)} n'est pas un jour ouvrable : pour un dépôt papier au greffe, "
        f"agir au plus tard le {date_long_fr(previous)}"
    )


def _owners(case: Mapping[str, Any], actor: str) -> tuple[int, ...]:
    if actor not in OUR_SIDE:
        return ()
    if actor == "commissaire_de_justice" and case["commissaire"] is not None:
        return (case["commissaire"],)
    return (case["lawyer"],) if case["lawyer"] is not None else ()


async def _items_by_user(user_ids: Iterable[int], horizon: date) -> dict[int, list[Item]]:
    """The open deadlines of our side due on or before `horizon`, per owning user."""
    ids = list(user_ids)
    if not ids:
        return {}
    cases = {
        row["id"]: row
        for row in await Case.select(
            Case.id, Case.reference, Case.lawyer, Case.commissaire, Case.court_department
        ).where(
            (Case.lawyer.is_in(ids) | Case.commissaire.is_in(ids))
            & Case.status.not_in(list(CLOSED_STATUSES))
        )
    }
    if not cases:
        return {}
    case_ids = list(cases)
    debtors: dict[int, str] = {}
    deadlines: list[dict[str, Any]] = []
    for start in range(0, len(case_ids), 1000):
        chunk = case_ids[start : start + 1000]
        for row in await Party.select(Party.case, Party.name).where(
            Party.case.is_in(chunk) & (Party.role == "debtor")
        ):
            debtors[row["case"]] = row["name"]
        deadlines += (
            await DeadlineRecord.select(
                DeadlineRecord.case,
                DeadlineRecord.key,
                DeadlineRecord.due,
                explanation_column(),
            )
            .where(
                DeadlineRecord.case.is_in(chunk)
                & DeadlineRecord.status.is_in(list(OPEN))
                & (DeadlineRecord.due <= horizon)
            )
            .output(load_json=True)
        )
    wanted = set(ids)
    found: dict[int, list[Item]] = {}
    for row in deadlines:
        case = cases[row["case"]]
        explanation = row["explanation"] or {}
        item = Item(
            case_id=row["case"],
            reference=case["reference"],
            debtor=debtors.get(row["case"], "—"),
            key=row["key"],
            label=str(explanation.get("label") or row["key"]),
            due=row["due"],
            basis=str(explanation.get("basis") or ""),
            caution=_backward_caution(explanation, row["due"], case["court_department"]),
        )
        for owner in _owners(case, str(explanation.get("actor") or "")):
            if owner in wanted:
                found.setdefault(owner, []).append(item)
    for items in found.values():
        items.sort(key=lambda i: (i.due, i.reference, i.key))
    return found


def _composer() -> Composer:
    settings = get_settings()
    sender = settings.mail_from or "casefile <casefile@localhost>"
    domain = parseaddr(sender)[1].rpartition("@")[2] or "localhost"
    return Composer(settings.base_url, sender, domain)


async def due_messages(today: date) -> list[Outgoing]:
    """Every reminder due on `today`, already sent or not."""
    subscribers = await _subscribers()
    if not subscribers:
        return []
    horizon = today + timedelta(
        days=max(max(s.prefs.digest_days, s.prefs.alert_days) for s in subscribers)
    )
    items = await _items_by_user([s.recipient.user_id for s in subscribers], horizon)
    composer = _composer()
    secret = get_settings().secret_key
    base = composer.base_url
    out: list[Outgoing] = []
    for subscriber in subscribers:
        who, prefs = subscriber.recipient, subscriber.prefs
        mine = items.get(who.user_id, [])
        if prefs.digest:
            overdue = [i for i in mine if i.due < today]
            upcoming = [i for i in mine if today <= i.due <= today + timedelta(prefs.digest_days)]
            if overdue or upcoming:
                link = f"{base}/desabonnement/{unsubscribe.token(secret, who.user_id, 'digest')}"
                out.append(
                    Outgoing(
                        f"{who.user_id}:digest:{today.isoformat()}",
                        who.user_id,
                        "digest",
                        partial(
                            composer.digest, who, today, prefs.digest_days, upcoming, overdue, link
                        ),
                    )
                )
        if prefs.alerts:
            link = f"{base}/desabonnement/{unsubscribe.token(secret, who.user_id, 'alert')}"
            for item in mine:
                if today <= item.due <= today + timedelta(prefs.alert_days):
                    out.append(
                        Outgoing(
                            f"{who.user_id}:alert:{item.case_id}:{item.key}:{item.due.isoformat()}",
                            who.user_id,
                            "alert",
                            partial(composer.alert, who, today, item, link),
                        )
                    )
    return out


# -- sending once ------------------------------------------------------------------------------


async def _reserve(outgoing: Outgoing, message: EmailMessage) -> bool:
    try:
        async with atomic():
            await MailLog.insert(
                MailLog(
                    key=outgoing.key,
                    user=outgoing.user_id,
                    kind=outgoing.kind,
                    status="sending",
                    message_id=str(message["Message-ID"]).strip(),
                )
            )
    except Conflict:
        return False  # sent already, or being sent by another worker
    return True


async def send_due(today: date) -> dict[str, Any]:
    """Send the reminders due on `today` that were not sent yet; raises what the mail server
    raised (after recording what it accepted), for the job engine to retry."""
    settings = get_settings()
    if not settings.smtp_url:
        return {"day": today.isoformat(), "sent": 0, "skipped": "CASEFILE_SMTP_URL absent"}
    config = SmtpConfig.from_url(settings.smtp_url)
    # Reservations left by a process that died mid-send: their message may not have gone.
    await MailLog.delete().where(MailLog.status == "sending")
    outgoing = await due_messages(today)
    done = {
        row["key"]
        for row in await MailLog.select(MailLog.key).where(
            MailLog.key.is_in([o.key for o in outgoing] or [""])
        )
    }
    pending = [o for o in outgoing if o.key not in done]
    sent = 0
    if pending:
        mailer = Mailer(config)
        await asyncio.to_thread(mailer.__enter__)
        try:
            for item in pending:
                message = item.render()
                if not await _reserve(item, message):
                    continue
                try:
                    await asyncio.to_thread(mailer.send, message)
                except BaseException:
                    await MailLog.delete().where(MailLog.key == item.key)
                    raise
                await MailLog.update(
                    {MailLog.status: "sent", MailLog.sent_at: datetime.now(UTC)}
                ).where(MailLog.key == item.key)
                sent += 1
        finally:
            await asyncio.to_thread(mailer.__exit__, None, None, None)
    return {
        "day": today.isoformat(),
        "due": len(outgoing),
        "already_sent": len(outgoing) - len(pending),
        "sent": sent,
    }
