"""The reminder e-mail to a debtor (relance amiable, issue 17 item 1) and the call scripts: the
messages of `procedures/relances.toml` rendered with the case's fields.

This is the only message casefile addresses to a party. It is built here, apart from the
reminders to users (`casefile.notify.messages`), and sent only by `casefile.services.dunning`.
Plain text in French; Message-ID derived from the action, so a resend is recognisable.
"""

from __future__ import annotations

from collections.abc import Mapping
from email.message import EmailMessage
from email.utils import formataddr
from functools import lru_cache
from typing import Any

from jinja2 import Environment, StrictUndefined, Template, TemplateSyntaxError, meta

from casefile.law.dunning import MESSAGE_FIELDS, Dunning, MessageSpec

# Plain text: no HTML escaping (the body is never read as HTML).
_ENV = Environment(autoescape=False, undefined=StrictUndefined, keep_trailing_newline=False)


@lru_cache(maxsize=64)
def _compiled(text: str) -> Template:
    return _ENV.from_string(text)


def render_text(message: MessageSpec, fields: Mapping[str, Any]) -> tuple[str, str]:
    """(subject on one line, body) of `message` with `fields`."""
    subject = " ".join(_compiled(message.subject).render(**fields).split())
    body = _compiled(message.body).render(**fields).strip() + "\n"
    return subject, body


def compose(
    message: MessageSpec,
    fields: Mapping[str, Any],
    *,
    sender: str,
    reply_to: str | None,
    to_name: str,
    to_address: str,
    message_id: str,
) -> EmailMessage:
    subject, body = render_text(message, fields)
    mail = EmailMessage()
    mail["From"] = sender
    if reply_to:
        mail["Reply-To"] = reply_to
    mail["To"] = formataddr((to_name, to_address))
    mail["Subject"] = subject
    mail["Message-ID"] = message_id
    mail["Auto-Submitted"] = "auto-generated"
    mail.set_content(body)
    return mail


def template_problems(dunning: Dunning) -> list[str]:
    """Messages that do not parse or use a field they do not get (`casefile check`)."""
    problems = []
    for key, message in sorted(dunning.messages.items()):
        for part, text in (("subject", message.subject), ("body", message.body)):
            try:
                names = meta.find_undeclared_variables(_ENV.parse(text))
            except TemplateSyntaxError as error:
                problems.append(f"{dunning.origin}: messages.{key}.{part}: {error}")
                continue
            unknown = sorted(names - MESSAGE_FIELDS)
            if unknown:
                problems.append(
                    f"{dunning.origin}: messages.{key}.{part}: unknown field(s) "
                    f"{', '.join(unknown)} (known: {', '.join(sorted(MESSAGE_FIELDS))})"
                )
    return problems
