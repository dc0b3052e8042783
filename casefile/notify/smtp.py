"""One SMTP connection for a batch of messages, from `CASEFILE_SMTP_URL`:
`smtp://user:pass@host:587?starttls=1` (STARTTLS), `smtps://user:pass@host:465` (TLS from
the start), `smtp://host:25` (no authentication). smtplib is synchronous: the caller runs a
batch in a worker thread. Every failure (refused, dropped, rejected) is an `OSError`
(smtplib's exceptions are), which the job engine retries."""

from __future__ import annotations

import copy
import smtplib
import ssl
from dataclasses import dataclass
from email.header import Header
from email.message import EmailMessage
from email.policy import EmailPolicy
from email.utils import formatdate
from types import TracebackType
from urllib.parse import parse_qs, unquote, urlsplit

from casefile.errors import InputError
from casefile.law.wording import quoted
from casefile.settings import shown_url

TIMEOUT_SECONDS = 30


class _MailPolicy(EmailPolicy):
    """The default policy, except for a Subject with accents. Python 3.11's folder can put
    the space between two words outside the encoded-words it folds into, and a reader drops
    whitespace between encoded-words (RFC 2047 §6.2): « …Générale Paris arrivée à échéance »
    reached the debtor as « …Générale Parisarrivée à échéance » (CPython issue 92081, fixed
    only in later versions). `email.header.Header` encodes the whole text, spaces included."""

    def _subject(self, name: str, value: object) -> str | None:
        text = str(value)
        if self.utf8 or name.lower() != "subject" or text.isascii():
            return None
        encoded = Header(text, "utf-8", self.max_line_length or 78, header_name=name)
        return f"{name}: {encoded.encode(linesep=self.linesep)}{self.linesep}"

    def fold(self, name: str, value: str) -> str:
        return self._subject(name, value) or super().fold(name, value)

    def fold_binary(self, name: str, value: str) -> bytes:
        folded = self._subject(name, value)
        return folded.encode("ascii") if folded else super().fold_binary(name, value)


MAIL_POLICY = _MailPolicy()


@dataclass(frozen=True)
class SmtpConfig:
    host: str
    port: int
    user: str | None
    password: str | None
    tls: bool  # TLS from the first byte (smtps)
    starttls: bool

    @classmethod
    def from_url(cls, url: str) -> SmtpConfig:
        parts = urlsplit(url)
        if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
            raise InputError(
                f"CASEFILE_SMTP_URL {quoted(shown_url(url))} : attendu smtp://utilisateur:mot-de-passe@hôte:587"
                "?starttls=1 ou smtps://…@hôte:465"
            )
        query = parse_qs(parts.query)
        starttls = query.get("starttls", ["0"])[0].lower() in ("1", "true", "yes", "oui")
        try:
            port = parts.port or (465 if parts.scheme == "smtps" else 25)
        except ValueError:
            raise InputError(
                f"CASEFILE_SMTP_URL {quoted(shown_url(url))} : port invalide"
            ) from None
        return cls(
            host=parts.hostname,
            port=port,
            user=unquote(parts.username) if parts.username else None,
            password=unquote(parts.password) if parts.password else None,
            tls=parts.scheme == "smtps",
            starttls=starttls,
        )


class Mailer:
    """`with Mailer(config) as mailer: mailer.send(message)`; QUIT errors after the last
    message are ignored (the server already accepted everything)."""

    def __init__(self, config: SmtpConfig) -> None:
        self.config = config
        self._client: smtplib.SMTP | None = None

    def __enter__(self) -> Mailer:
        config = self.config
        context = ssl.create_default_context()
        client: smtplib.SMTP
        if config.tls:
            client = smtplib.SMTP_SSL(
                config.host, config.port, timeout=TIMEOUT_SECONDS, context=context
            )
        else:
            client = smtplib.SMTP(config.host, config.port, timeout=TIMEOUT_SECONDS)
        try:
            client.ehlo()
            if config.starttls:
                client.starttls(context=context)
                client.ehlo()
            if config.user:
                client.login(config.user, config.password or "")
        except BaseException:
            client.close()
            raise
        self._client = client
        return self

    def send(self, message: EmailMessage) -> None:
        if self._client is None:
            raise RuntimeError("Mailer used outside its `with` block")
        if message["Date"] is None:
            # RFC 5322 §3.6: the origination date is required (the time it leaves, not the
            # day the reminder is about).
            message["Date"] = formatdate(localtime=True)
        outgoing = copy.copy(message)  # the caller's message keeps its own policy
        outgoing.policy = MAIL_POLICY
        self._client.send_message(outgoing)

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        client, self._client = self._client, None
        if client is None:
            return
        try:
            client.quit()
        except (OSError, smtplib.SMTPException):
            client.close()
