"""Reminder scenarios at work (relances amiables, issue 17 item 1): where each amicable case
stands in its scenario, and the daily run that creates the due actions.

- Which scenario: the creditor's own (`[[creditors]]` of `procedures/relances.toml`), else the
  default for the debtor's kind (professionnel | consommateur).
- Which invoices: the unpaid ones the debtor does not dispute (payments named to an invoice go
  to it, the others to the oldest due first, as the aged balance does).
- Everything stops on full payment, when every unpaid invoice is disputed, on an active payment
  plan, on the handover to litigation (`cases.phase` is no longer `amiable`) or when the case is
  closed; the letters and calls still waiting are then cancelled with the reason.
- Each action is created once (`dunning_actions.key` is unique) and audited on its case: the
  case history shows every e-mail, letter and call. Bad data (no e-mail address, an address the
  mail server refuses, no postal address) fails that action with a French message and never
  stops the other cases; a mail server that does not answer leaves the e-mails for the next
  attempt (the job engine retries) after every other action was created.
- A failed action is no reminder carried out: it holds the scenario, and the next level counts
  from the day it succeeds. An e-mail the server refused for a while (a 4xx answer: greylisting,
  a full mailbox) is tried again by the next daily runs, once a day, `EMAIL_ATTEMPTS` sends in
  all; refused for good (5xx), or bad data, it waits for « Réessayer » (the same message to the
  same address would be refused again).

The e-mails are the only messages casefile sends to a debtor (`casefile.notify.debtor_mail`);
the reminders to users (`casefile.services.reminders`) never go to a party.
"""

from __future__ import annotations

import asyncio
import logging
import re
import smtplib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from email.utils import parseaddr
from typing import Any

from casefile.definitions import dunning
from casefile.documents.formatting import amount_fr, date_fr
from casefile.errors import CasefileError, Conflict, Unavailable
from casefile.labels import count_fr
from casefile.law.dunning import (
    Facts,
    Failure,
    LevelSpec,
    Promise,
    ScenarioSpec,
    Step,
    StopReason,
    next_step,
    promise_status,
)
from casefile.law.money import from_cents
from casefile.notify.debtor_mail import compose
from casefile.notify.smtp import Mailer, SmtpConfig
from casefile.settings import get_settings
from casefile.store import audit
from casefile.store.cases import CLOSED_STATUSES
from casefile.store.db import atomic, unavailable
from casefile.store.documents import create_document
from casefile.store.permissions import SYSTEM, User
from casefile.store.tables import (
    Case,
    Claim,
    DunningAction,
    Party,
    Payment,
    PaymentPlan,
    PaymentPromise,
)

log = logging.getLogger(__name__)

AMICABLE = "amiable"
WAITING = ("a_envoyer", "a_appeler")
CARRIED_OUT = ("envoyee", "faite")  # a failure (`echec`) is not: nothing reached the debtor
EMAIL_ATTEMPTS = 3
"""Sends of a temporarily refused e-mail (the first and those of the next daily runs, one a
day) before it waits for a person; the job engine's own retries (`casefile.jobs.tasks`, minutes
apart) are for a mail server that does not answer at all, not for one that refuses a message."""
CONTACTS = ("envoyee", "faite")
SENDING = "envoi"  # an e-mail reserved while the server is asked to take it
STATUS_LABELS: Mapping[str, str] = {
    "a_envoyer": "à envoyer",
    "a_appeler": "appel à passer",
    "envoyee": "envoyée",
    "faite": "faite",
    "echec": "échec",
    "annulee": "annulée",
    SENDING: "en cours d'envoi",
}
# What a run created, counted (the CLI's report and the web's « Réessayer »): a new e-mail is
# sent (or failed), a new letter waits in « À envoyer », a new call in « Appels à passer ».
CREATED_WORDS: Mapping[str, tuple[str, str]] = {
    "envoyee": ("e-mail envoyé", "e-mails envoyés"),
    "a_envoyer": ("courrier à envoyer", "courriers à envoyer"),
    "a_appeler": ("appel à passer", "appels à passer"),
    "echec": ("échec", "échecs"),
}


def created_fr(created: Mapping[str, int]) -> str:
    """« 2 e-mails envoyés, 1 courrier à envoyer » (it read « 2 envoyée, 2 appel à passer »)."""
    parts = []
    for status, n in created.items():
        label = STATUS_LABELS.get(status, status)
        parts.append(count_fr(n, *CREATED_WORDS.get(status, (label, label))))
    return ", ".join(parts)


_EMAIL = re.compile(r"^[^@\s<>,;\"]+@[^@\s<>,;\"]+\.[^@\s<>,;\"]+$")


# -- the facts of a case ------------------------------------------------------------------------


@dataclass(frozen=True)
class InvoiceDue:
    claim_id: int
    number: str
    issue_date: date
    due_date: date
    outstanding_cents: int


@dataclass(frozen=True)
class CaseDunning:
    """One amicable case as its scenario sees it on `today`."""

    case: Mapping[str, Any]
    creditor: Mapping[str, Any]
    debtor: Mapping[str, Any]
    scenario: ScenarioSpec
    invoices: tuple[InvoiceDue, ...]  # unpaid, undisputed
    disputed: tuple[str, ...]  # invoice numbers set apart
    actions: tuple[Mapping[str, Any], ...]
    promises: tuple[Mapping[str, Any], ...]  # with their status on `today` ("status_today")
    facts: Facts
    step: Step
    today: date

    @property
    def total_cents(self) -> int:
        return sum(i.outstanding_cents for i in self.invoices)


def outstanding_by_invoice(
    claims: Sequence[Mapping[str, Any]], payments: Sequence[Mapping[str, Any]]
) -> dict[int, int]:
    """Principal left on each invoice: payments named to an invoice go to it, the others to the
    oldest due first (C. civ. art. 1342-10), overpayment of one invoice to the next."""
    left = {c["id"]: c["amount_cents"] - c["paid_cents"] for c in claims}
    pool = 0
    for payment in payments:
        target = payment["claim"]
        if target in left:
            taken = min(max(left[target], 0), payment["amount_cents"])
            left[target] -= taken
            pool += payment["amount_cents"] - taken
        else:
            pool += payment["amount_cents"]
    for claim in sorted(claims, key=lambda c: (c["due_date"], c["id"])):
        taken = min(max(left[claim["id"]], 0), pool)
        left[claim["id"]] -= taken
        pool -= taken
    return left


def _disputed(claim: Mapping[str, Any], today: date) -> bool:
    return bool(claim["disputed"]) and (
        claim["disputed_on"] is None or claim["disputed_on"] <= today
    )


async def _rows_by_case(table: Any, case_ids: Sequence[int]) -> dict[int, list[dict[str, Any]]]:
    out: dict[int, list[dict[str, Any]]] = {}
    for start in range(0, len(case_ids), 500):
        chunk = list(case_ids[start : start + 500])
        for row in await table.select().where(table.case.is_in(chunk)):
            out.setdefault(row["case"], []).append(row)
    return out


async def gather(cases: Sequence[Mapping[str, Any]], today: date) -> list[CaseDunning]:
    """The scenario state of each case (read in a few queries for all of them)."""
    ids = [c["id"] for c in cases]
    parties = await _rows_by_case(Party, ids)
    claims = await _rows_by_case(Claim, ids)
    payments = await _rows_by_case(Payment, ids)
    actions = await _rows_by_case(DunningAction, ids)
    promises = await _rows_by_case(PaymentPromise, ids)
    plans: set[int] = set()
    for start in range(0, len(ids), 500):
        rows = await PaymentPlan.select(PaymentPlan.case).where(
            PaymentPlan.case.is_in(ids[start : start + 500]) & (PaymentPlan.active == True)  # noqa: E712
        )
        plans |= {r["case"] for r in rows}
    definitions = dunning()
    out = []
    for case in cases:
        case_id = case["id"]
        by_role = {p["role"]: p for p in parties.get(case_id, [])}
        creditor, debtor = by_role.get("creditor", {}), by_role.get("debtor", {})
        scenario = definitions.scenario_for(
            str(debtor.get("kind") or "professionnel"),
            creditor.get("siren"),
            str(creditor.get("name") or ""),
        )
        every_claim = claims.get(case_id, [])
        apart = [c for c in every_claim if _disputed(c, today)]
        kept = [c for c in every_claim if not _disputed(c, today)]
        apart_ids = {c["id"] for c in apart}
        paid = [p for p in payments.get(case_id, []) if p["date"] <= today]
        left = outstanding_by_invoice(kept, [p for p in paid if p["claim"] not in apart_ids])
        invoices = tuple(
            InvoiceDue(c["id"], c["invoice_number"], c["issue_date"], c["due_date"], left[c["id"]])
            for c in sorted(kept, key=lambda c: (c["due_date"], c["id"]))
            if left[c["id"]] > 0
        )
        left_apart = outstanding_by_invoice(apart, [p for p in paid if p["claim"] in apart_ids])
        stop: StopReason | None = None
        if case.get("status") in CLOSED_STATUSES:
            stop = "clos"
        elif (case.get("phase") or AMICABLE) != AMICABLE:
            stop = "contentieux"
        elif case_id in plans:
            stop = "echeancier"
        elif every_claim and not invoices:
            stop = "contestation" if any(v > 0 for v in left_apart.values()) else "solde"
        mine = [a for a in actions.get(case_id, []) if a["scenario"] == scenario.key]
        carried = {
            a["level"]: a["done_on"]
            for a in mine
            if a["status"] in CARRIED_OUT and a["done_on"] is not None
        }
        waiting = frozenset(a["level"] for a in mine if a["status"] in (*WAITING, SENDING))
        failed = {
            a["level"]: Failure(a["done_on"] or today, a["message"], a["retry_on"])
            for a in mine
            if a["status"] == "echec"
        }
        contacts = [
            a["done_on"]
            for a in actions.get(case_id, [])
            if a["status"] in CONTACTS and a["done_on"]
        ]
        pay_days = [(p["date"], p["amount_cents"]) for p in payments.get(case_id, [])]
        dated = []
        for row in sorted(promises.get(case_id, []), key=lambda r: r["id"]):
            status = promise_status(
                row["status"],
                row["amount_cents"],
                row["made_on"],
                row["promised_for"],
                pay_days,
                today,
            )
            dated.append({**row, "status_today": status})
        live = [p for p in dated if p["status_today"] != "annulee"]
        promise = Promise(live[-1]["promised_for"], live[-1]["status_today"]) if live else None
        facts = Facts(
            due_dates=tuple(i.due_date for i in invoices),
            carried_out=carried,
            waiting=waiting,
            last_contact=max(contacts) if contacts else None,
            stop=stop,
            promise=promise,
            failed=failed,
        )
        out.append(
            CaseDunning(
                case=case,
                creditor=creditor,
                debtor=debtor,
                scenario=scenario,
                invoices=invoices,
                disputed=tuple(c["invoice_number"] for c in apart),
                actions=tuple(sorted(actions.get(case_id, []), key=lambda a: a["id"])),
                promises=tuple(dated),
                facts=facts,
                step=next_step(scenario, facts, today),
                today=today,
            )
        )
    return out


async def for_case(case: Mapping[str, Any], today: date) -> CaseDunning:
    return (await gather([case], today))[0]


# -- what the messages say ----------------------------------------------------------------------


def _address(party: Mapping[str, Any]) -> str:
    street, postcode, city = (party.get(k) or "" for k in ("street", "postcode", "city"))
    composed = ", ".join(x for x in (street, f"{postcode} {city}".strip()) if x)
    return composed or str(party.get("address") or "")


def message_fields(state: CaseDunning) -> dict[str, Any]:
    """The fields of the e-mails and call scripts (`casefile.law.dunning.MESSAGE_FIELDS`)."""
    creditor, debtor = state.creditor, state.debtor
    due = [i for i in state.invoices if i.due_date < state.today] or list(state.invoices)
    return {
        "creancier": creditor.get("name") or "le créancier",
        "creancier_adresse": _address(creditor),
        "signataire": creditor.get("representative") or creditor.get("name") or "",
        "debiteur": debtor.get("name") or "le débiteur",
        "reference": state.case["reference"],
        "factures": [
            {
                "numero": i.number,
                "date_emission": date_fr(i.issue_date),
                "echeance": date_fr(i.due_date),
                "reste_du": amount_fr(from_cents(i.outstanding_cents)),
            }
            for i in due
        ],
        "total_du": amount_fr(from_cents(sum(i.outstanding_cents for i in due))),
        "date_du_jour": date_fr(state.today),
        # a reminder was carried out before (e-mail sent, letter sent, call made): only then may
        # a message say « malgré notre précédent rappel »
        "relance_precedente": any(a["status"] in ("envoyee", "faite") for a in state.actions),
        "entre_professionnels": debtor.get("kind") == "professionnel",
    }


def action_key(state: CaseDunning, level: LevelSpec) -> str:
    return f"{state.case['id']}:{state.scenario.key}:{level.key}"


# -- the daily run ------------------------------------------------------------------------------


@dataclass
class RunReport:
    day: date
    examined: int = 0
    created: dict[str, int] = field(default_factory=dict)  # by status
    cancelled: int = 0
    promises_settled: int = 0
    errors: list[str] = field(default_factory=list)  # a case that could not be handled
    deferred: int = 0  # e-mails left for the next attempt (mail server unavailable)
    skipped: str = ""

    def count(self, status: str) -> None:
        self.created[status] = self.created.get(status, 0) + 1

    def as_dict(self) -> dict[str, Any]:
        return {
            "day": self.day.isoformat(),
            "examined": self.examined,
            "created": dict(sorted(self.created.items())),
            "cancelled": self.cancelled,
            "promises_settled": self.promises_settled,
            "errors": list(self.errors),
            "deferred_emails": self.deferred,
            **({"skipped": self.skipped} if self.skipped else {}),
        }


NO_MAIL_SERVER = (
    "E-mail non envoyé : aucun serveur de messagerie n'est configuré (CASEFILE_SMTP_URL). "
    "La relance reste à faire : rien n'a été envoyé ni noté comme envoyé. Pour la faire, un "
    "administrateur configure CASEFILE_SMTP_URL et CASEFILE_MAIL_FROM (deploy/env.example) et "
    "l'e-mail part au passage quotidien suivant ; ou envoyez une lettre de relance par courrier "
    "(rubrique Documents du dossier : « Lettre de relance »)."
)
"""What the case page says of an e-mail level that is due while no mail server is set."""
NO_MAIL_SERVER_RUN = (
    "aucun serveur de messagerie configuré (CASEFILE_SMTP_URL) : les e-mails de relance dus ne "
    "sont pas envoyés et restent à faire ; configurez CASEFILE_SMTP_URL et CASEFILE_MAIL_FROM, "
    "ou envoyez une lettre de relance par courrier (rubrique Documents du dossier)"
)


def mail_server_missing() -> bool:
    """No SMTP server in the settings: e-mail levels wait, nothing pretends to be sent."""
    return not get_settings().smtp_url


class MailServerUnavailable(OSError):
    """The mail server did not take the debtors' e-mails: the job is retried."""


class _Outbox:
    """One SMTP connection for the run, opened at the first e-mail; a connection failure
    closes it for the rest of the run (the e-mails wait for the next attempt)."""

    def __init__(self, url: str) -> None:
        self.config = SmtpConfig.from_url(url) if url else None
        self.mailer: Mailer | None = None
        self.failure: BaseException | None = None

    @property
    def usable(self) -> bool:
        return self.config is not None and self.failure is None

    async def send(self, message: Any) -> None:
        assert self.config is not None
        if self.mailer is None:
            mailer = Mailer(self.config)
            await asyncio.to_thread(mailer.__enter__)
            self.mailer = mailer
        await asyncio.to_thread(self.mailer.send, message)

    async def close(self) -> None:
        if self.mailer is not None:
            mailer, self.mailer = self.mailer, None
            await asyncio.to_thread(mailer.__exit__, None, None, None)


@dataclass(frozen=True)
class Refusal:
    """The mail server answered about this message: `reason` in French; `temporary` for a 4xx
    answer (RFC 5321 §4.2.1: the same message may be accepted later)."""

    reason: str
    temporary: bool


def _temporary(code: int) -> bool:
    return 400 <= code < 500


def refused(error: BaseException) -> Refusal | None:
    """What the server answered about this message (the recipient, the sender or the data);
    None for a failure of the server itself, which the job engine's retry is for: no answer,
    the line cut, 421 (the server closes the connection)."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in error.recipients.values()]
        if 421 in codes:
            return None
        answers = "; ".join(
            f"{address} : {code} {text.decode(errors='replace') if isinstance(text, bytes) else text}"
            for address, (code, text) in error.recipients.items()
        )
        if codes and all(_temporary(code) for code in codes):
            return Refusal(
                f"adresse refusée pour l'instant par le serveur de messagerie ({answers})", True
            )
        return Refusal(f"adresse refusée par le serveur de messagerie ({answers})", False)
    if isinstance(error, (smtplib.SMTPDataError, smtplib.SMTPSenderRefused)):
        text = error.smtp_error
        shown = text.decode(errors="replace") if isinstance(text, bytes) else str(text)
        code = error.smtp_code
        if 500 <= code < 600:
            return Refusal(f"message refusé par le serveur de messagerie ({code} {shown})", False)
        if _temporary(code) and code != 421:
            return Refusal(
                f"message refusé pour l'instant par le serveur de messagerie ({code} {shown})",
                True,
            )
    return None


async def _insert_action(
    state: CaseDunning, level: LevelSpec, position: int, status: str, **values: Any
) -> int | None:
    """The action's row, or None when it exists already (created by an earlier run)."""
    try:
        async with atomic():
            rows = await DunningAction.insert(
                DunningAction(
                    key=action_key(state, level),
                    case=state.case["id"],
                    scenario=state.scenario.key,
                    level=level.key,
                    position=position,
                    channel=level.channel,
                    due_on=state.step.due or state.today,
                    status=status,
                    created_at=datetime.now(UTC),
                    **values,
                )
            )
    except Conflict:
        return None
    return int(rows[0]["id"])


async def record_action(
    actor: User, action: str, state: CaseDunning, level: LevelSpec, after: Mapping[str, Any]
) -> None:
    await audit.record(
        actor,
        action,
        "case",
        state.case["id"],
        None,
        {
            "level": level.key,
            "level_label": level.label,
            "channel": level.channel,
            "scenario": state.scenario.key,
            **after,
        },
    )


async def _finish(
    action_id: int,
    state: CaseDunning,
    level: LevelSpec,
    status: str,
    audit_action: str,
    **values: Any,
) -> None:
    async with atomic():
        await DunningAction.update(
            {
                **{getattr(DunningAction, k): v for k, v in values.items()},
                DunningAction.status: status,
                DunningAction.done_on: state.today,
                DunningAction.done_by: SYSTEM.name,
            }
        ).where(DunningAction.id == action_id)
        await record_action(
            SYSTEM,
            audit_action,
            state,
            level,
            {
                "status": status,
                **{k: v for k, v in values.items() if k in ("recipient", "message") and v != ""},
                **({"retry_on": values["retry_on"].isoformat()} if values.get("retry_on") else {}),
            },
        )


async def _exists(state: CaseDunning, level: LevelSpec) -> bool:
    """Whether the level's action exists already. One cancelled when the scenario stopped (a
    dispute since lifted, a plan since ended) is withdrawn, so that the level is done anew; its
    cancellation stays in the audit trail."""
    key = action_key(state, level)
    await DunningAction.delete().where(
        (DunningAction.key == key) & (DunningAction.status == "annulee")
    )
    return bool(await DunningAction.exists().where(DunningAction.key == key))


def _retry_due(state: CaseDunning, level: LevelSpec) -> Mapping[str, Any] | None:
    """The level's e-mail refused for a while whose automatic retry day has come."""
    key = action_key(state, level)
    return next(
        (
            a
            for a in state.actions
            if a["key"] == key
            and a["status"] == "echec"
            and a["retry_on"] is not None
            and a["retry_on"] <= state.today
        ),
        None,
    )


def _reply_to(creditor: Mapping[str, Any]) -> str | None:
    """The creditor's own address, when recorded: the debtor's answer goes to the creditor."""
    address = str(creditor.get("email") or "").strip()
    return address if address and _EMAIL.match(address) else None


async def _failed(
    state: CaseDunning,
    level: LevelSpec,
    position: int,
    recipient: str,
    problem: str,
    report: RunReport,
    attempts: int = 0,
) -> None:
    """The action could not be carried out (bad data): recorded as failed, with why."""
    async with atomic():
        action_id = await _insert_action(
            state,
            level,
            position,
            "echec",
            recipient=recipient[:254],
            message=problem,
            done_on=state.today,
            done_by=SYSTEM.name,
            attempts=attempts,
        )
        if action_id is None:
            return
        await record_action(
            SYSTEM, "dunning.email_failed", state, level, {"status": "echec", "message": problem}
        )
    report.count("echec")


async def _email(
    state: CaseDunning, level: LevelSpec, position: int, outbox: _Outbox, report: RunReport
) -> None:
    previous = _retry_due(state, level)
    if previous is None and await _exists(state, level):
        return
    address = str(state.debtor.get("email") or "").strip()
    problem = None
    if not address:
        problem = (
            "le débiteur n'a pas d'adresse e-mail : renseignez-la dans sa fiche (ou envoyez un "
            "courrier), puis « Réessayer »"
        )
    elif len(address) > 254 or not _EMAIL.match(address):
        problem = f"adresse e-mail du débiteur « {address} » invalide : corrigez-la dans sa fiche"
    if problem is None and not outbox.usable:
        if outbox.config is None:
            report.skipped = NO_MAIL_SERVER_RUN
        report.deferred += 1
        return
    attempts = 1
    if previous is not None:
        # Withdrawn, and created anew by this attempt; a run that withdrew it first sends it.
        taken = (
            await DunningAction.delete()
            .where((DunningAction.id == previous["id"]) & (DunningAction.status == "echec"))
            .returning(DunningAction.id)
        )
        if not taken:
            return
        attempts = int(previous["attempts"]) + 1
    if problem is not None:
        await _failed(state, level, position, address, problem, report, attempts - 1)
        return
    settings = get_settings()
    sender = settings.mail_from or "casefile <casefile@localhost>"
    domain = parseaddr(sender)[1].rpartition("@")[2] or "localhost"
    message_id = f"<relance.{action_key(state, level).replace(':', '.')}@{domain}>"
    spec = dunning().messages[level.template]
    try:
        mail = compose(
            spec,
            message_fields(state),
            sender=sender,
            reply_to=_reply_to(state.creditor),
            to_name=str(state.debtor.get("name") or ""),
            to_address=address,
            message_id=message_id,
        )
    except Exception as error:  # a template error reads as the action's failure, not a crash
        log.warning("relance %s: message not rendered: %s", action_key(state, level), error)
        problem = f"message « {level.template} » impossible à composer : {error}"
        await _failed(state, level, position, address, problem, report, attempts - 1)
        return
    action_id = await _insert_action(
        state,
        level,
        position,
        SENDING,
        recipient=address,
        message_id=message_id,
        attempts=attempts,
    )
    if action_id is None:
        return
    try:
        await outbox.send(mail)
    except (OSError, smtplib.SMTPException) as error:
        refusal = refused(error)
        if refusal is None:
            outbox.failure = error
            if previous is None:
                await DunningAction.delete().where(DunningAction.id == action_id)
            else:  # the failure as it was: tried again at the next attempt
                await DunningAction.update(
                    {
                        DunningAction.status: "echec",
                        DunningAction.message: previous["message"],
                        DunningAction.attempts: previous["attempts"],
                        DunningAction.retry_on: previous["retry_on"],
                        DunningAction.done_on: previous["done_on"],
                        DunningAction.done_by: previous["done_by"],
                    }
                ).where(DunningAction.id == action_id)
            report.deferred += 1
            return
        message, retry_on = refusal.reason, None
        if refusal.temporary and attempts < EMAIL_ATTEMPTS:
            retry_on = state.today + timedelta(days=1)
        elif refusal.temporary:
            message += f" ; {attempts} essais sans succès, plus de nouvel essai automatique"
        await _finish(
            action_id,
            state,
            level,
            "echec",
            "dunning.email_failed",
            message=message,
            recipient=address,
            retry_on=retry_on,
        )
        report.count("echec")
        return
    await _finish(
        action_id,
        state,
        level,
        "envoyee",
        "dunning.email",
        recipient=address,
        message="",
        retry_on=None,
    )
    report.count("envoyee")


def postal_problem(debtor: Mapping[str, Any]) -> str | None:
    if not _address(debtor).strip():
        return (
            "le débiteur n'a pas d'adresse postale : renseignez-la dans sa fiche, puis "
            "« Réessayer » pour générer le courrier"
        )
    return None


async def _letter(state: CaseDunning, level: LevelSpec, position: int, report: RunReport) -> None:
    if await _exists(state, level):
        return
    problem = postal_problem(state.debtor)
    document_id = None
    if problem is None:
        try:
            document = await create_document(state.case["id"], level.template, SYSTEM, state.today)
            document_id = int(document["id"])
        except CasefileError as error:
            problem = f"courrier « {level.template} » impossible à générer : {error}"
    status = "echec" if problem else "a_envoyer"
    async with atomic():
        action_id = await _insert_action(
            state,
            level,
            position,
            status,
            recipient=_address(state.debtor)[:254],
            message=problem or "",
            document=document_id,
            letter_on=None if problem else state.today,
            done_on=state.today if problem else None,
            done_by=SYSTEM.name if problem else "",
        )
        if action_id is None:
            return
        await record_action(
            SYSTEM,
            "dunning.letter_failed" if problem else "dunning.letter",
            state,
            level,
            {
                "status": status,
                "registered": level.registered,
                **({"message": problem} if problem else {}),
            },
        )
    report.count(status)


async def _call(state: CaseDunning, level: LevelSpec, position: int, report: RunReport) -> None:
    if await _exists(state, level):
        return
    phone = str(state.debtor.get("phone") or "").strip()
    note = "" if phone else "numéro de téléphone du débiteur non renseigné : à rechercher"
    async with atomic():
        action_id = await _insert_action(
            state, level, position, "a_appeler", recipient=phone[:254], message=note
        )
        if action_id is None:
            return
        await record_action(SYSTEM, "dunning.call_task", state, level, {"status": "a_appeler"})
    report.count("a_appeler")


async def cancel_waiting(state: CaseDunning, actor: User) -> int:
    """Cancel the letters and calls still waiting when the scenario stopped; returns how many."""
    reason = state.step.reason
    cancelled = 0
    for action in state.actions:
        if action["status"] not in WAITING:
            continue
        level = next((lv for lv in state.scenario.levels if lv.key == action["level"]), None)
        async with atomic():
            await DunningAction.update(
                {
                    DunningAction.status: "annulee",
                    DunningAction.message: f"annulée : relances {reason}",
                    DunningAction.done_on: state.today,
                    DunningAction.done_by: actor.name,
                }
            ).where((DunningAction.id == action["id"]) & DunningAction.status.is_in(list(WAITING)))
            if level is not None:
                await record_action(
                    actor, "dunning.cancel", state, level, {"status": "annulee", "reason": reason}
                )
        cancelled += 1
    return cancelled


async def settle_promises(state: CaseDunning) -> int:
    """Record the promises found kept or broken on `today` (audited); returns how many."""
    settled = 0
    for promise in state.promises:
        found = promise["status_today"]
        if promise["status"] != "en_cours" or found == "en_cours":
            continue
        async with atomic():
            await PaymentPromise.update(
                {PaymentPromise.status: found, PaymentPromise.settled_on: state.today}
            ).where((PaymentPromise.id == promise["id"]) & (PaymentPromise.status == "en_cours"))
            await audit.record(
                SYSTEM,
                "promise.kept" if found == "tenue" else "promise.broken",
                "case",
                state.case["id"],
                {"status": "en_cours"},
                {
                    "status": found,
                    "amount": str(from_cents(promise["amount_cents"])),
                    "promised_for": promise["promised_for"].isoformat(),
                },
            )
        settled += 1
    return settled


async def _advance(state: CaseDunning, outbox: _Outbox, report: RunReport) -> None:
    report.promises_settled += await settle_promises(state)
    step = state.step
    if step.state == "arrete":
        report.cancelled += await cancel_waiting(state, SYSTEM)
        return
    if step.state != "du" or step.level is None:
        return
    level = step.level
    position = state.scenario.levels.index(level) + 1
    if level.channel == "email":
        await _email(state, level, position, outbox, report)
    elif level.channel == "courrier":
        await _letter(state, level, position, report)
    else:
        await _call(state, level, position, report)


async def amicable_cases(case_ids: Sequence[int] | None = None) -> list[dict[str, Any]]:
    """The open amicable cases, and any case with a letter or a call still waiting (handed over
    or closed meanwhile: its waiting actions are to be cancelled)."""
    waiting = [
        row["case"]
        for row in await DunningAction.select(DunningAction.case)
        .where(DunningAction.status.is_in(list(WAITING)))
        .distinct()
    ]
    amicable = (Case.phase == AMICABLE) & Case.status.not_in(list(CLOSED_STATUSES))
    query = Case.select().where(amicable | Case.id.is_in(waiting) if waiting else amicable)
    if case_ids is not None:
        query = query.where(Case.id.is_in(list(case_ids) or [0]))
    return list(await query.order_by(Case.id))


CHUNK = 200


async def run_due(today: date, case_ids: Sequence[int] | None = None) -> dict[str, Any]:
    """Create the actions due on `today` for every amicable case (or those of `case_ids`), once.
    Raises MailServerUnavailable at the end when e-mails had to wait for the mail server."""
    report = RunReport(today)
    # Reservations left by a process that died while sending: the message may not have gone.
    stale = DunningAction.delete().where(DunningAction.status == SENDING)
    if case_ids is not None:
        stale = stale.where(DunningAction.case.is_in(list(case_ids) or [0]))
    await stale
    outbox = _Outbox(get_settings().smtp_url or "")
    cases = await amicable_cases(case_ids)
    try:
        for start in range(0, len(cases), CHUNK):
            # Cancelled or carried out meanwhile: each chunk reads the cases afresh.
            for state in await gather(cases[start : start + CHUNK], today):
                report.examined += 1
                try:
                    await _advance(state, outbox, report)
                except Unavailable:
                    raise  # the database or the object store: the whole run is retried
                except CasefileError as error:
                    report.errors.append(f"{state.case['reference']} : {error}")
                except Exception as error:  # one case's surprise never stops the others
                    if isinstance(error, OSError) or unavailable(error) is not None:
                        raise
                    log.exception("relances: case %s failed", state.case["reference"])
                    report.errors.append(
                        f"{state.case['reference']} : erreur inattendue ({type(error).__name__}), "
                        "voir le journal du serveur"
                    )
    finally:
        await outbox.close()
    result = report.as_dict()
    if outbox.failure is not None:
        raise MailServerUnavailable(
            f"serveur de messagerie indisponible ({outbox.failure}) : {report.deferred} e-mail(s) "
            "de relance en attente ; le reste a été fait"
        )
    return result
