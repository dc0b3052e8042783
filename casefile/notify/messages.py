"""The reminder e-mails, in French, as plain text with an HTML alternative: the daily digest
(our side's deadlines in the next days, and the overdue ones) and the alert before one deadline.
Each carries a link to its case, a one-click unsubscribe (RFC 8058 `List-Unsubscribe` and
`List-Unsubscribe-Post`), `Auto-Submitted: auto-generated` (RFC 3834) and a Message-ID derived
from what it reminds of, so a resend after a failure is recognisable as the same message."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from email.message import EmailMessage
from email.utils import formataddr

from jinja2 import Environment, StrictUndefined

from casefile.labels import date_long_fr


@dataclass(frozen=True)
class Item:
    """One deadline in a reminder."""

    case_id: int
    reference: str
    debtor: str
    key: str  # the deadline's key
    label: str
    due: date
    basis: str
    caution: str = ""  # e.g. the day before a non-working last day of a backward period


@dataclass(frozen=True)
class Recipient:
    user_id: int
    name: str  # the user's full name, or "" (never the login name): the salutation and To
    email: str


_ENV = Environment(autoescape=True, undefined=StrictUndefined, trim_blocks=True)

_DIGEST_HTML = _ENV.from_string(
    """<!doctype html><html lang="fr"><body>
<p>Bonjour{% if name %} {{ name }}{% endif %},</p>
{% if overdue %}<h2>Échéances dépassées ({{ overdue|length }})</h2>
<ul>{% for i in overdue %}<li><strong>{{ day(i.due) }}</strong> — {{ i.label }} —
<a href="{{ link(i) }}">{{ i.reference }}</a> ({{ i.debtor }}){% if i.basis %}, {{ i.basis }}{% endif %}{% if i.caution %}<br><em>{{ i.caution }}</em>{% endif %}</li>{% endfor %}</ul>{% endif %}
<h2>Dans les {{ days }} prochains jours ({{ upcoming|length }})</h2>
{% if upcoming %}<ul>{% for i in upcoming %}<li><strong>{{ day(i.due) }}</strong> — {{ i.label }} —
<a href="{{ link(i) }}">{{ i.reference }}</a> ({{ i.debtor }}){% if i.basis %}, {{ i.basis }}{% endif %}{% if i.caution %}<br><em>{{ i.caution }}</em>{% endif %}</li>{% endfor %}</ul>
{% else %}<p>Aucune échéance.</p>{% endif %}
<p style="color:#555;font-size:small">Vous recevez ce récapitulatif quotidien parce que vous l'avez
demandé dans casefile. <a href="{{ preferences }}">Mes préférences</a> ·
<a href="{{ unsubscribe }}">Ne plus recevoir ce récapitulatif</a></p>
</body></html>"""
)

_ALERT_HTML = _ENV.from_string(
    """<!doctype html><html lang="fr"><body>
<p>Bonjour{% if name %} {{ name }}{% endif %},</p>
<p>Échéance {{ when }} : <strong>{{ item.label }}</strong>, le <strong>{{ day(item.due) }}</strong>,
dossier <a href="{{ link(item) }}">{{ item.reference }}</a> ({{ item.debtor }}){% if item.basis %}
— {{ item.basis }}{% endif %}.</p>{% if item.caution %}
<p><em>Attention : {{ item.caution }}.</em></p>{% endif %}
<p style="color:#555;font-size:small">Vous recevez cette alerte parce que vous l'avez demandée dans
casefile. <a href="{{ preferences }}">Mes préférences</a> ·
<a href="{{ unsubscribe }}">Ne plus recevoir ces alertes</a></p>
</body></html>"""
)


def _in_days(item: Item, today: date) -> str:
    n = (item.due - today).days
    if n == 0:
        return "aujourd'hui"
    if n == 1:
        return "demain"
    return f"dans {n} jours"


def _hello(name: str) -> str:
    return f"Bonjour {name}," if name else "Bonjour,"


def _line(item: Item, link: str) -> str:
    basis = f", {item.basis}" if item.basis else ""
    caution = f"  {item.caution}\n" if item.caution else ""
    return (
        f"- {date_long_fr(item.due)} — {item.label} — {item.reference} ({item.debtor}){basis}\n"
        f"{caution}  {link}"
    )


class Composer:
    """Builds the messages of one installation (its sender, base URL and unsubscribe URLs)."""

    def __init__(self, base_url: str, sender: str, domain: str) -> None:
        self.base_url = base_url.rstrip("/")
        self.sender = sender
        self.domain = domain

    def case_link(self, item: Item) -> str:
        return f"{self.base_url}/dossiers/{item.case_id}"

    def _envelope(
        self, recipient: Recipient, subject: str, message_key: str, unsubscribe: str
    ) -> EmailMessage:
        message = EmailMessage()
        message["From"] = self.sender
        message["To"] = formataddr((recipient.name, recipient.email))
        message["Subject"] = subject
        message["Message-ID"] = f"<{message_key}@{self.domain}>"
        message["Auto-Submitted"] = "auto-generated"
        message["List-Unsubscribe"] = f"<{unsubscribe}>"
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
        return message

    def digest(
        self,
        recipient: Recipient,
        today: date,
        days: int,
        upcoming: Sequence[Item],
        overdue: Sequence[Item],
        unsubscribe: str,
    ) -> EmailMessage:
        count = len(upcoming) + len(overdue)
        subject = f"casefile — vos échéances au {date_long_fr(today)}"
        if overdue:
            subject += f" ({len(overdue)} dépassée{'s' if len(overdue) > 1 else ''})"
        message = self._envelope(
            recipient,
            subject,
            f"digest.{today.isoformat()}.u{recipient.user_id}",
            unsubscribe,
        )
        text = [_hello(recipient.name), ""]
        if overdue:
            text += [f"Échéances dépassées ({len(overdue)}) :"]
            text += [_line(i, self.case_link(i)) for i in overdue] + [""]
        text += [f"Dans les {days} prochains jours ({len(upcoming)}) :"]
        text += [_line(i, self.case_link(i)) for i in upcoming] or ["Aucune échéance."]
        text += [
            "",
            "-- ",
            f"Récapitulatif quotidien ({count} échéance{'s' if count > 1 else ''}).",
            f"Mes préférences : {self.base_url}/preferences",
            f"Ne plus recevoir ce récapitulatif : {unsubscribe}",
        ]
        message.set_content("\n".join(text) + "\n")
        message.add_alternative(
            _DIGEST_HTML.render(
                name=recipient.name,
                days=days,
                upcoming=upcoming,
                overdue=overdue,
                day=date_long_fr,
                link=self.case_link,
                preferences=f"{self.base_url}/preferences",
                unsubscribe=unsubscribe,
            ),
            subtype="html",
        )
        return message

    def alert(
        self, recipient: Recipient, today: date, item: Item, unsubscribe: str
    ) -> EmailMessage:
        when = _in_days(item, today)
        message = self._envelope(
            recipient,
            f"casefile — échéance {when} : {item.label} ({item.reference})",
            # Short enough never to be folded: the deadline and its day, hashed.
            "alert.{}.{}.u{}".format(
                item.case_id,
                hashlib.sha256(f"{item.key}:{item.due.isoformat()}".encode()).hexdigest()[:12],
                recipient.user_id,
            ),
            unsubscribe,
        )
        basis = f" — {item.basis}" if item.basis else ""
        text = [
            _hello(recipient.name),
            "",
            f"Échéance {when} : {item.label}, le {date_long_fr(item.due)},",
            f"dossier {item.reference} ({item.debtor}){basis}.",
            *([f"Attention : {item.caution}."] if item.caution else []),
            self.case_link(item),
            "",
            "-- ",
            f"Mes préférences : {self.base_url}/preferences",
            f"Ne plus recevoir ces alertes : {unsubscribe}",
        ]
        message.set_content("\n".join(text) + "\n")
        message.add_alternative(
            _ALERT_HTML.render(
                name=recipient.name,
                when=when,
                item=item,
                day=date_long_fr,
                link=self.case_link,
                preferences=f"{self.base_url}/preferences",
                unsubscribe=unsubscribe,
            ),
            subtype="html",
        )
        return message
