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


def test_a_subject_with_accents_reaches_the_debtor_with_every_space(smtp: Smtp) -> None:
    """Python 3.11 folded this subject into two encoded-words with the space between them,
    which a reader drops (RFC 2047 §6.2): « …Générale Parisarrivée à échéance »."""
    subjects = [
        "Rappel : facture Électricité Générale Paris arrivée à échéance",
        "Rappel : facture Distribution Karukera arrivée à échéance",
        "Relance : 12 480,00 € restant dû à Société Alsacienne de Génie Électrique et "
        "Climatique — mise en demeure à suivre",
    ]
    with Mailer(SmtpConfig.from_url(smtp.url)) as mailer:
        for subject in subjects:
            message = EmailMessage()
            message["From"] = "casefile <casefile@localhost>"
            message["To"] = "Électricité Générale Paris <compta@egp.test>"
            message["Subject"] = subject
            message.set_content("Bonjour,\n")
            mailer.send(message)
    assert [str(m["Subject"]) for m in smtp.inbox.messages] == subjects
    assert [str(m["To"]) for m in smtp.inbox.messages] == [
        "Électricité Générale Paris <compta@egp.test>"
    ] * 3
    for raw in smtp.inbox.raw:
        head = raw.split(b"\r\n\r\n", 1)[0]
        assert head.isascii()
        assert max(len(line) for line in head.split(b"\r\n")) <= 78
