"""E-mail reminders (issue 15 item 2) against a real SMTP server: the digest and the alerts of
the deadlines a user owns, in French, plain text and HTML, with a link to the case and a
one-click unsubscribe; never to a debtor; nothing sent twice, even when the server drops the
connection in the middle of a batch."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from casefile.notify import unsubscribe
from casefile.services import reminders
from casefile.services.cases import NewCase, PartyIn, create_case
from casefile.services.events import add_event
from casefile.settings import get_settings, reset_settings
from casefile.store.permissions import SYSTEM
from casefile.store.tables import MailLog
from casefile.store.users import create_user
from tests.notify.conftest import Smtp
from tests.store.conftest import Store

TODAY = date(2026, 12, 1)  # a Tuesday


@pytest.fixture
def mail_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> None:
    monkeypatch.setenv("CASEFILE_BASE_URL", "https://casefile.example.fr")
    monkeypatch.setenv("CASEFILE_MAIL_FROM", "casefile <rappels@cabinet.example.fr>")
    monkeypatch.setenv("CASEFILE_VAR_DIR", str(tmp_path))
    reset_settings()
    yield
    reset_settings()


def use_smtp(monkeypatch: pytest.MonkeyPatch, url: str) -> None:
    monkeypatch.setenv("CASEFILE_SMTP_URL", url)
    reset_settings()


def portfolio(store: Store) -> dict[str, int]:
    """Maître Roth (avocat) has two cases and wants the digest (7 days) and alerts (3 days);
    the commissaire de justice of a third case wants nothing."""

    async def build() -> dict[str, int]:
        roth, _ = await create_user("roth", "avocat")
        await create_user("huissier", "commissaire_de_justice")
        await reminders.save_prefs(
            SYSTEM,
            roth.id,
            reminders.Prefs("roth@cabinet.example.fr", True, 7, True, 3),
        )
        debtor = PartyIn(name="Winstub Muller SARL", email="debiteur@winstub.example.fr")
        creditor = PartyIn(name="Brasserie de l'Ill SAS", siren="732829320")
        ip = await create_case(
            NewCase("IP-1", "injonction_de_payer", None, "67", creditor, debtor, lawyer="roth"),
            SYSTEM,
            today=TODAY,
        )
        # CPC art. 1411: the ordonnance of 3 June 2026 must be served within 6 months → 3 Dec.
        await add_event(ip["id"], "ordonnance_rendue", "2026-06-03", {}, SYSTEM, today=TODAY)
        ap = await create_case(
            NewCase(
                "AP-1",
                "assignation_paiement",
                "tribunal_judiciaire",
                "67",
                creditor,
                debtor,
                lawyer="roth",
            ),
            SYSTEM,
            today=TODAY,
        )
        # CPC art. 754: the assignation reaches the greffe 15 days before the hearing of
        # 15 December → Sunday 29 November, already past on 1 December.
        await add_event(ap["id"], "audience", "2026-12-15", {"heure": "09:30"}, SYSTEM, today=TODAY)
        other = await create_case(
            NewCase(
                "IP-2",
                "injonction_de_payer",
                None,
                "67",
                creditor,
                debtor,
                lawyer="roth",
                commissaire="huissier",
            ),
            SYSTEM,
            today=TODAY,
        )
        await add_event(other["id"], "ordonnance_rendue", "2026-06-03", {}, SYSTEM, today=TODAY)
        return {"roth": roth.id, "ip": ip["id"], "ap": ap["id"], "other": other["id"]}

    return store.run(build())


def test_the_digest_and_the_alert_reach_the_lawyer_once_in_french(
    store: Store, smtp: Smtp, mail_env: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = portfolio(store)
    use_smtp(monkeypatch, smtp.url)
    report = store.run(reminders.send_due(TODAY))
    assert report == {"day": "2026-12-01", "due": 2, "already_sent": 0, "sent": 2}
    assert smtp.inbox.envelopes == [["roth@cabinet.example.fr"], ["roth@cabinet.example.fr"]]
    digest, alert = smtp.inbox.messages

    assert digest["Subject"] == "casefile — vos échéances au mardi 1er décembre 2026 (1 dépassée)"
    assert digest["From"] == "casefile <rappels@cabinet.example.fr>"
    assert digest["Message-ID"] == f"<digest.2026-12-01.u{ids['roth']}@cabinet.example.fr>"
    assert digest["Auto-Submitted"] == "auto-generated"
    token = unsubscribe.token(get_settings().secret_key, ids["roth"], "digest")
    link = f"https://casefile.example.fr/desabonnement/{token}"
    assert digest["List-Unsubscribe"].strip() == f"<{link}>"  # folded: a long line
    assert digest["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    text = digest.get_body(("plain",)).get_content()
    html = digest.get_body(("html",)).get_content()
    # roth has no full name: greeted without his login name, which appears nowhere
    assert text.splitlines()[0] == "Bonjour,"
    assert html.count("Bonjour,") == 1
    assert digest["To"] == "roth@cabinet.example.fr"
    assert "roth" not in text.replace("roth@", "")
    assert "Échéances dépassées (1) :" in text
    assert "dimanche 29 novembre 2026" in text and "AP-1" in text
    # a backward period is never moved later: its Sunday stays, and the paper filing's day
    # is given (CPC art. 754; DESIGN §3), once, under that deadline only
    caution = (
        "le dimanche 29 novembre 2026 n'est pas un jour ouvrable : pour un dépôt papier au "
        "greffe, agir au plus tard le vendredi 27 novembre 2026"
    )
    assert text.count(caution) == 1
    assert text.index("AP-1") < text.index(caution) < text.index("IP-1")
    assert f"<em>{caution}</em>".replace("'", "&#39;") in html
    assert "Dans les 7 prochains jours (1) :" in text
    assert "jeudi 3 décembre 2026" in text and "IP-1 (Winstub Muller SARL)" in text
    assert f"https://casefile.example.fr/dossiers/{ids['ip']}" in text
    assert f"Ne plus recevoir ce récapitulatif : {link}" in text
    assert "IP-2" not in text  # the commissaire de justice of IP-2 owns that signification
    assert f'<a href="https://casefile.example.fr/dossiers/{ids["ap"]}">AP-1</a>' in html

    assert alert["Subject"].startswith("casefile — échéance dans 2 jours : ")
    assert alert["Subject"].endswith(" (IP-1)")
    alert_text = alert.get_body(("plain",)).get_content()
    assert alert_text.splitlines()[0] == "Bonjour,"
    assert "le jeudi 3 décembre 2026" in alert_text and "CPC art. 1411" in alert_text

    # Never a debtor: the debtor's address appears nowhere, as recipient or in a header.
    everything = [r for rcpts in smtp.inbox.envelopes for r in rcpts]
    assert "debiteur@winstub.example.fr" not in everything
    assert all("winstub.example.fr" not in str(m["To"]) for m in smtp.inbox.messages)

    # The job runs again the same day (or the next attempt of a retried job): nothing twice.
    again = store.run(reminders.send_due(TODAY))
    assert again == {"day": "2026-12-01", "due": 2, "already_sent": 2, "sent": 0}
    assert len(smtp.inbox.messages) == 2


def test_a_dropped_connection_loses_nothing_and_duplicates_nothing(
    store: Store, smtp: Smtp, mail_env: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    portfolio(store)
    use_smtp(monkeypatch, smtp.url)
    smtp.inbox.drop_after = 1  # the server takes the digest, then cuts the line
    with pytest.raises(OSError):
        store.run(reminders.send_due(TODAY))
    assert len(smtp.inbox.messages) == 1
    logged = store.run(MailLog.select(MailLog.kind, MailLog.status))
    assert logged == [{"kind": "digest", "status": "sent"}]  # the alert's reservation released
    report = store.run(reminders.send_due(TODAY))
    assert report["sent"] == 1 and report["already_sent"] == 1
    assert [m["Message-ID"].strip().split(".")[0] for m in smtp.inbox.messages] == [
        "<digest",
        "<alert",
    ]


def test_a_refused_connection_sends_nothing_and_records_nothing(
    store: Store, refused_url: str, mail_env: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    portfolio(store)
    use_smtp(monkeypatch, refused_url)
    with pytest.raises(ConnectionRefusedError):
        store.run(reminders.send_due(TODAY))
    assert store.run(MailLog.count()) == 0


def test_unsubscribing_by_the_signed_link_turns_that_kind_off(store: Store, mail_env: None) -> None:
    ids = portfolio(store)
    secret = get_settings().secret_key
    assert (
        store.run(reminders.unsubscribe_by_token(unsubscribe.token(secret, ids["roth"], "alert")))
        == "alert"
    )
    prefs = store.run(reminders.get_prefs(ids["roth"]))
    assert prefs.digest is True and prefs.alerts is False
    forged = unsubscribe.token("another secret", ids["roth"], "digest")
    with pytest.raises(Exception, match="lien de désabonnement invalide"):
        store.run(reminders.unsubscribe_by_token(forged))
    assert store.run(reminders.get_prefs(ids["roth"])).digest is True


def test_preferences_are_checked_in_french(store: Store) -> None:
    with pytest.raises(Exception, match="adresse e-mail « pas-une-adresse » invalide"):
        reminders.validate(reminders.Prefs("pas-une-adresse", True))
    with pytest.raises(Exception, match="indiquez l'adresse e-mail"):
        reminders.validate(reminders.Prefs("", digest=True))
    with pytest.raises(Exception, match="récapitulatif : un nombre de jours entre 1 et 60"):
        reminders.validate(reminders.Prefs("a@b.fr", True, digest_days=0))


def test_a_user_with_a_full_name_is_greeted_by_it(
    store: Store, smtp: Smtp, mail_env: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    portfolio(store)

    async def name_him() -> None:
        from casefile.store.tables import UserAccount

        await UserAccount.update({UserAccount.full_name: "Maître Thomas Roth"}).where(
            UserAccount.name == "roth"
        )

    store.run(name_him())
    use_smtp(monkeypatch, smtp.url)
    store.run(reminders.send_due(TODAY))
    digest = smtp.inbox.messages[0]
    assert digest["To"] == "Maître Thomas Roth <roth@cabinet.example.fr>"
    assert (
        digest.get_body(("plain",)).get_content().splitlines()[0] == "Bonjour Maître Thomas Roth,"
    )
    assert "<p>Bonjour Maître Thomas Roth,</p>" in digest.get_body(("html",)).get_content()


def test_an_alert_carries_the_paper_filing_caution() -> None:
    from casefile.notify.messages import Composer, Item, Recipient

    item = Item(
        case_id=13,
        reference="DEMO-013",
        debtor="Logistique Hanau",
        key="remise_au_greffe",
        label="Remettre la copie de l'assignation au greffe (placement)",
        due=date(2026, 12, 12),
        basis="CPC art. 857",
        caution=(
            "le samedi 12 décembre 2026 n'est pas un jour ouvrable : pour un dépôt papier au "
            "greffe, agir au plus tard le vendredi 11 décembre 2026"
        ),
    )
    composer = Composer("https://casefile.example.fr", "casefile <r@x.fr>", "x.fr")
    message = composer.alert(Recipient(1, "", "a@x.fr"), TODAY, item, "https://u")
    lines = message.get_body(("plain",)).get_content().splitlines()
    assert lines[2:5] == [
        "Échéance dans 11 jours : Remettre la copie de l'assignation au greffe (placement), "
        "le samedi 12 décembre 2026,",
        "dossier DEMO-013 (Logistique Hanau) — CPC art. 857.",
        "Attention : le samedi 12 décembre 2026 n'est pas un jour ouvrable : pour un dépôt "
        "papier au greffe, agir au plus tard le vendredi 11 décembre 2026.",
    ]
    assert "vendredi 11 décembre 2026.</em>" in message.get_body(("html",)).get_content()


def test_a_served_act_s_caution_names_the_saturday_a_signification_remains_possible() -> None:
    """CPC art. 856 (tribunal de commerce): the assignation, served by a commissaire de
    justice, at least 15 days before the hearing of Monday 18 January 2027 → Saturday
    2 January 2027, never moved. 1 January is a holiday: the date kept is Thursday
    31 December 2026, and a signification on the Saturday remains possible (CPC art. 664)."""
    served = {"counting": "backward", "actor": "commissaire_de_justice"}
    assert reminders._backward_caution(served, date(2027, 1, 2), "75") == (
        "le samedi 2 janvier 2027 n'est pas un jour ouvrable : pour la signification, date "
        "retenue le jeudi 31 décembre 2026 ; une signification le samedi 2 janvier 2027 reste "
        "possible (CPC art. 664), mais la date la plus précoce est retenue par prudence"
    )
    # A holiday in the week (Wednesday 14 July 2027): no Saturday to name.
    assert reminders._backward_caution(served, date(2027, 7, 14), "75") == (
        "le mercredi 14 juillet 2027 n'est pas un jour ouvrable : pour la signification, date "
        "retenue le mardi 13 juillet 2027"
    )
    # The copy filed at the greffe (art. 857, the avocat's act) keeps the paper filing's words.
    filed = {"counting": "backward", "actor": "avocat"}
    assert reminders._backward_caution(filed, date(2027, 1, 9), "75") == (
        "le samedi 9 janvier 2027 n'est pas un jour ouvrable : pour un dépôt papier au greffe, "
        "agir au plus tard le vendredi 8 janvier 2027"
    )
    assert reminders._backward_caution(served, date(2027, 1, 8), "75") == ""  # a Friday
