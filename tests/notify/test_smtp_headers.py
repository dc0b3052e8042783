"""What every message leaving casefile carries, whoever composed it (RFC 5322 §3.6: the
origination date is required; without it some servers add one, others rank it as spam)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.utils import parsedate_to_datetime

from casefile.notify.smtp import Mailer, SmtpConfig
from tests.notify.conftest import Smtp


def test_a_message_sent_without_a_date_leaves_with_the_sending_time(smtp: Smtp) -> None:
    message = EmailMessage()
    message["From"] = "casefile <casefile@localhost>"
    message["To"] = "Menuiserie Schmitt SARL <compta@schmitt.test>"
    message["Subject"] = "Relance : 4 080,00 € restant dû"
    message.set_content("Bonjour,\n")
    before = datetime.now(UTC).replace(microsecond=0)
    with Mailer(SmtpConfig.from_url(smtp.url)) as mailer:
        mailer.send(message)
    received = smtp.inbox.messages[0]
    assert received["Date"] is not None
    sent = parsedate_to_datetime(str(received["Date"]))
    assert before <= sent <= datetime.now(UTC) + timedelta(seconds=1)


def test_a_date_already_set_is_kept(smtp: Smtp) -> None:
    message = EmailMessage()
    message["From"] = "casefile <casefile@localhost>"
    message["To"] = "compta@schmitt.test"
    message["Subject"] = "Rappel"
    message["Date"] = "Fri, 07 May 2027 09:00:00 +0200"
    message.set_content("Bonjour,\n")
    with Mailer(SmtpConfig.from_url(smtp.url)) as mailer:
        mailer.send(message)
    assert [str(m["Date"]) for m in smtp.inbox.messages] == ["Fri, 07 May 2027 09:00:00 +0200"]
