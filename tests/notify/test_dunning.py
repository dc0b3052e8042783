"""Reminder scenarios at work (issue 17 items 1 and 2) against a real SMTP server: e-mails to the
debtor's contact, letters waiting to be sent, calls to make with their outcome; once each; bad
data failing one action with a French message and never the others; everything stopping on
payment, dispute, payment plan or handover; promises suspending the scenario and, broken,
moving it on; every action in the case's history."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from casefile.errors import InvalidFields
from casefile.services import dunning, dunning_actions, promises
from casefile.services.audit import trail
from casefile.services.cases import NewCase, PartyIn, create_case
from casefile.services.claims import add_claim, set_dispute
from casefile.services.payments import add_payment
from casefile.settings import reset_settings
from casefile.store.cases import InvoiceIn, PaymentIn, claim_statement, get_case
from casefile.store.payment_plans import PlanIn, create_plan
from casefile.store.permissions import SYSTEM
from casefile.store.tables import Case, DunningAction, Party
from casefile.store.users import create_user
from tests.notify.conftest import Smtp
from tests.store.conftest import Store

DUE = date(2027, 3, 1)


@pytest.fixture
def mail_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Any, smtp: Smtp) -> Smtp:
    monkeypatch.setenv("CASEFILE_MAIL_FROM", "Fournitures Rhénanes <compta@fournitures.example.fr>")
    monkeypatch.setenv("CASEFILE_VAR_DIR", str(tmp_path))
    monkeypatch.setenv("CASEFILE_EVIDENCE_URL", f"file://{tmp_path}/evidence")
    monkeypatch.setenv("CASEFILE_SMTP_URL", smtp.url)
    reset_settings()
    yield smtp
    reset_settings()


CREDITOR = PartyIn(
    name="Fournitures Rhénanes SAS",
    siren="812345676",
    street="14 rue du Port-du-Rhin",
    postcode="67000",
    city="Strasbourg",
    representative="M. Paul Weber, président",
    email="recouvrement@fournitures.example.fr",
)


def debtor(name: str = "Winstub Muller SARL", **changes: Any) -> PartyIn:
    values: dict[str, Any] = {
        "name": name,
        "email": "compta@winstub.example.fr",
        "phone": "03 88 00 00 00",
        "street": "3 rue du Dôme",
        "postcode": "67000",
        "city": "Strasbourg",
        **changes,
    }
    return PartyIn(**values)


async def amicable(reference: str, party: PartyIn, amounts: tuple[str, ...] = ("1250.00",)) -> int:
    case = await create_case(
        NewCase(reference, "amiable", None, "67", CREDITOR, party), SYSTEM, today=DUE
    )
    for n, amount in enumerate(amounts, start=1):
        await add_claim(
            case["id"],
            InvoiceIn(
                f"{reference}-F{n}", date(2027, 1, 30), DUE, Decimal(amount), supply="services"
            ),
            SYSTEM,
            today=DUE,
        )
    return int(case["id"])


def plain(text: str) -> str:
    """French typography (narrow no-break spaces in amounts) read as plain spaces."""
    return text.replace("\u202f", " ").replace("\xa0", " ").replace("\r\n", "\n")


def run(store: Store, day: date) -> dict[str, Any]:
    return store.run(dunning.run_due(day))


def actions(store: Store, case_id: int) -> list[dict[str, Any]]:
    return store.run(
        DunningAction.select().where(DunningAction.case == case_id).order_by(DunningAction.id)
    )


def test_a_professional_debtor_goes_through_the_whole_scenario_once(
    store: Store, mail_env: Smtp
) -> None:
    smtp = mail_env
    case_id = store.run(amicable("AM-1", debtor()))

    assert run(store, date(2027, 3, 5))["created"] == {}  # the rappel is due 5 days after
    report = run(store, date(2027, 3, 6))
    assert report["created"] == {"envoyee": 1}
    (mail,) = smtp.inbox.messages
    assert smtp.inbox.envelopes == [["compta@winstub.example.fr"]]
    assert mail["Subject"] == "Rappel : facture Fournitures Rhénanes SAS arrivée à échéance"
    assert mail["From"] == "Fournitures Rhénanes <compta@fournitures.example.fr>"
    assert mail["Reply-To"] == "recouvrement@fournitures.example.fr"  # answers go to the creditor
    assert mail["Message-ID"] == f"<relance.{case_id}.professionnel.rappel@fournitures.example.fr>"
    body = plain(mail.get_body(("plain",)).get_content())
    assert (
        "- facture n° AM-1-F1 du 30 janvier 2027, échue le 1er mars 2027 : 1 250,00 € restant dû"
        in body
    )
    assert "Total restant dû : 1 250,00 €." in body
    assert "M. Paul Weber, président" in body and "Référence : AM-1" in body

    # The same day again (a retried job): nothing twice.
    assert run(store, date(2027, 3, 6))["created"] == {}
    assert len(smtp.inbox.messages) == 1

    # Ten days after the rappel, the firm e-mail names the L441-10 penalties (professionals).
    assert run(store, date(2027, 3, 15))["created"] == {}
    assert run(store, date(2027, 3, 16))["created"] == {"envoyee": 1}
    firm = plain(smtp.inbox.messages[1].get_body(("plain",)).get_content())
    assert "article L. 441-10 du code de commerce" in firm and "40 euros" in firm
    assert "Malgré notre précédent rappel, la facture suivante reste impayée :" in firm

    # Seven days later, a call for the credit manager, with its script.
    assert run(store, date(2027, 3, 23))["created"] == {"a_appeler": 1}
    (call,) = store.run(dunning_actions.waiting(SYSTEM, "telephone"))
    assert (call.reference, call.recipient, call.level_label) == (
        "AM-1",
        "03 88 00 00 00",
        "Appel du débiteur",
    )
    heading, script = map(plain, store.run(dunning_actions.call_script(call, date(2027, 3, 23))))
    assert heading == "Appeler Winstub Muller SARL : 1 250,00 € restant dû"
    assert "n° AM-1-F1 (1 250,00 €, échue le 1er mars 2027)" in script
    # Until the call is made, nothing else happens.
    assert run(store, date(2027, 4, 20))["created"] == {}
    with pytest.raises(Exception, match="résultat de l'appel : obligatoire"):
        store.run(dunning_actions.record_call(call.id, SYSTEM, "  ", today=date(2027, 3, 24)))
    done = store.run(
        dunning_actions.record_call(
            call.id, SYSTEM, "Comptable absent, rappeler jeudi", today=date(2027, 3, 24)
        )
    )
    assert (done["status"], done["outcome"]) == ("faite", "Comptable absent, rappeler jeudi")

    # Seven days after the call: the mise en demeure, rendered, waiting in the "À envoyer" list.
    assert run(store, date(2027, 3, 31))["created"] == {"a_envoyer": 1}
    (letter,) = store.run(dunning_actions.waiting(SYSTEM, "courrier"))
    assert letter.registered and letter.document_id is not None
    assert letter.level_label.startswith("Mise en demeure")
    # Sent the day before the date it bears: a typo, refused (it was recorded as sent then).
    with pytest.raises(InvalidFields) as early:
        store.run(
            dunning_actions.mark_sent(letter.id, SYSTEM, date(2027, 3, 30), today=date(2027, 4, 1))
        )
    assert early.value.errors == {
        "sent_on": "date d'envoi : le 30 mars 2027 précède la date du courrier (31 mars 2027) ; "
        "un courrier part le jour de sa date ou après"
    }
    sent = store.run(
        dunning_actions.mark_sent(
            letter.id, SYSTEM, date(2027, 4, 1), "1A 234 567 8901 2", today=date(2027, 4, 1)
        )
    )
    assert (sent["status"], sent["outcome"], sent["done_on"]) == (
        "envoyee",
        "1A 234 567 8901 2",
        "2027-04-01",
    )
    case = store.run(get_case(case_id, SYSTEM, today=date(2027, 4, 1)))
    assert [(e["key"], e["date"]) for e in case["events"]] == [
        ("mise_en_demeure_envoyee", "2027-04-01")
    ]
    # The letter, dated 31 March, gives 8 days: the case's deadline is the one it states.
    (deadline,) = [d for d in case["deadlines"] if d["key"] == "paiement_mise_en_demeure"]
    assert deadline["due"] == "2027-04-08"
    assert store.run(dunning_actions.waiting(SYSTEM, "courrier")) == []
    state = store.run(dunning_actions.case_state(case_id, SYSTEM, date(2027, 4, 2)))
    assert state.state == "termine"
    assert [lv["status"] for lv in state.levels] == ["envoyee", "envoyee", "faite", "envoyee"]

    # The case's history tells every step.
    lines = store.run(trail(SYSTEM, case=case_id, limit=50))
    sentences = [line.sentence for line in lines]
    assert any("a envoyé par e-mail « Rappel courtois par e-mail »" in s for s in sentences)
    first = next(line for line in lines if "« Rappel courtois par e-mail »" in line.sentence)
    shown = {c.label: c.after for c in first.changes}
    assert shown["statut"] == "envoyée" and shown["canal"] == "e-mail"
    assert shown["destinataire"] == "compta@winstub.example.fr"
    assert any("a noté le résultat de l'appel" in s for s in sentences)
    assert any("a marqué envoyé le courrier « Mise en demeure" in s for s in sentences)


def test_a_first_e_mail_never_mentions_a_reminder_that_never_was(
    store: Store, mail_env: Smtp
) -> None:
    """The brewery's short scenario starts with the firm e-mail: no rappel before it, so it
    must not say « malgré notre précédent rappel » (the debtor, then the judge, would read of a
    reminder that never was)."""
    brewery = PartyIn(
        name="Brasserie de l'Ill SAS", street="1 quai", postcode="67000", city="Strasbourg"
    )

    async def build() -> int:
        case = await create_case(
            NewCase("AM-BR", "amiable", None, "67", brewery, debtor()), SYSTEM, today=DUE
        )
        await add_claim(
            case["id"],
            InvoiceIn("AM-BR-F1", date(2027, 1, 30), DUE, Decimal("4080.00"), supply="services"),
            SYSTEM,
            today=DUE,
        )
        return int(case["id"])

    case_id = store.run(build())
    assert run(store, date(2027, 3, 4))["created"] == {"envoyee": 1}
    (mail,) = mail_env.inbox.messages
    assert mail["Message-ID"].startswith(f"<relance.{case_id}.professionnel_court.relance@")
    body = plain(mail.get_body(("plain",)).get_content())
    assert "Sauf erreur de notre part, la facture suivante reste impayée :" in body
    assert "précédent rappel" not in body
    assert "4 080,00 € restant dû" in body


def test_bad_data_fails_one_action_in_french_and_never_the_others(
    store: Store, mail_env: Smtp
) -> None:
    smtp = mail_env
    smtp.inbox.unknown.add("inconnu@winstub.example.fr")

    async def build() -> dict[str, int]:
        return {
            "ok": await amicable("OK-1", debtor()),
            "bounce": await amicable("BOUNCE-1", debtor(email="inconnu@winstub.example.fr")),
            "none": await amicable("NOMAIL-1", debtor(email="")),
            "bad": await amicable("BAD-1", debtor()),
        }

    ids = store.run(build())
    # An address the forms would refuse, left by an older import.
    store.run(
        Party.update({Party.email: "compta@winstub"}).where(
            (Party.case == ids["bad"]) & (Party.role == "debtor")
        )
    )
    report = run(store, date(2027, 3, 6))
    assert report["created"] == {"echec": 3, "envoyee": 1}
    assert report["errors"] == []
    assert smtp.inbox.envelopes == [["compta@winstub.example.fr"]]
    (bounced,) = actions(store, ids["bounce"])
    assert bounced["status"] == "echec"
    assert bounced["message"].startswith("adresse refusée par le serveur de messagerie")
    assert "550" in bounced["message"] and "utilisateur inconnu" in bounced["message"]
    (missing,) = actions(store, ids["none"])
    assert missing["message"].startswith("le débiteur n'a pas d'adresse e-mail")
    (bad,) = actions(store, ids["bad"])
    assert bad["message"] == (
        "adresse e-mail du débiteur « compta@winstub » invalide : corrigez-la dans sa fiche"
    )
    # A failed e-mail is no reminder sent: it holds the scenario (nothing went to the debtor,
    # the next level does not count from the failure); only the case that got its e-mail moves.
    assert run(store, date(2027, 3, 16))["created"] == {"envoyee": 1}
    assert [a["status"] for a in actions(store, ids["bounce"])] == ["echec"]


def test_a_letter_to_a_debtor_without_address_fails_with_what_to_do(
    store: Store, mail_env: Smtp
) -> None:
    consumer = debtor(
        "Élise Martin", category="consommateur", street="", postcode="", city="",
        email="elise@example.fr",
    )  # fmt: skip
    case_id = store.run(amicable("CONSO-1", consumer))
    store.run(create_user("credit", "credit_manager"))
    assert run(store, date(2027, 3, 8))["created"] == {"envoyee": 1}  # the rappel
    report = run(store, date(2027, 3, 23))  # the letter, 15 days later: no postal address
    assert report["created"] == {"echec": 1}
    letter = actions(store, case_id)[1]
    assert (letter["level"], letter["status"]) == ("relance_ecrite", "echec")
    assert letter["message"].startswith("le débiteur n'a pas d'adresse postale")
    assert letter["document"] is None


def test_a_temporarily_refused_e_mail_is_tried_again_and_the_next_level_counts_from_its_send(
    store: Store, mail_env: Smtp
) -> None:
    """The debtor's server answers 451 (greylisting, a full mailbox) twice, then accepts. A
    failed send is no reminder sent: the case shows the failure in French with the server's
    answer, the next daily runs try the e-mail again by themselves, and the firm e-mail counts
    its 10 days from the day the rappel really went (it counted them from the failure)."""
    smtp = mail_env
    smtp.inbox.busy["compta@winstub.example.fr"] = 2
    case_id = store.run(amicable("TEMP-1", debtor()))

    assert run(store, date(2027, 3, 6))["created"] == {"echec": 1}
    assert smtp.inbox.messages == []
    (failed,) = actions(store, case_id)
    assert (failed["status"], failed["attempts"], failed["retry_on"]) == (
        "echec",
        1,
        date(2027, 3, 7),
    )
    assert failed["message"] == (
        "adresse refusée pour l'instant par le serveur de messagerie (compta@winstub.example.fr"
        " : 451 4.7.1 <compta@winstub.example.fr>: essayez plus tard)"
    )
    state = store.run(dunning_actions.case_state(case_id, SYSTEM, date(2027, 3, 6)))
    assert (state.state, state.next_level, state.next_due) == ("prevu", "rappel", "2027-03-07")
    assert state.reason == (
        "e-mail en échec le 6 mars 2027 : " + failed["message"] + " ; nouvel essai automatique "
        "le 7 mars 2027"
    )
    assert state.levels[0]["status_label"] == "échec"
    (line,) = state.actions
    assert (line.status_label, line.message) == ("échec", failed["message"])

    assert run(store, date(2027, 3, 7))["created"] == {"echec": 1}  # refused again
    (failed,) = actions(store, case_id)
    assert (failed["attempts"], failed["retry_on"]) == (2, date(2027, 3, 8))
    assert run(store, date(2027, 3, 8))["created"] == {"envoyee": 1}  # accepted at last
    (sent,) = actions(store, case_id)
    assert (sent["status"], sent["done_on"], sent["attempts"], sent["message"]) == (
        "envoyee",
        date(2027, 3, 8),
        3,
        "",
    )
    assert smtp.inbox.envelopes == [["compta@winstub.example.fr"]]
    assert smtp.inbox.tried == ["compta@winstub.example.fr"] * 3

    # The firm e-mail: 10 days after the rappel went (18 March), not after its failure.
    for day in (date(2027, 3, 16), date(2027, 3, 17)):
        assert run(store, day)["created"] == {}
    assert run(store, date(2027, 3, 18))["created"] == {"envoyee": 1}
    firm = plain(smtp.inbox.messages[1].get_body(("plain",)).get_content())
    assert "Malgré notre précédent rappel" in firm

    sentences = [line.sentence for line in store.run(trail(SYSTEM, case=case_id, limit=50))]
    failures = [s for s in sentences if "n'a pas pu envoyer par e-mail « Rappel courtois" in s]
    assert len(failures) == 2
    *_, first = (
        line
        for line in store.run(trail(SYSTEM, case=case_id, limit=50))
        if line.sentence == failures[-1]
    )  # fmt: skip  (newest first)
    shown = {c.label: c.after for c in first.changes}
    assert shown["statut"] == "échec" and "451 4.7.1" in shown["message"]
    assert shown["nouvel essai automatique le"] == "7 mars 2027"
    assert sum("a envoyé par e-mail « Rappel courtois par e-mail »" in s for s in sentences) == 1


def test_automatic_tries_are_bounded_then_the_e_mail_waits_for_a_person(
    store: Store, mail_env: Smtp
) -> None:
    """Refused for good (550), the e-mail is not tried again by itself: the same message to
    the same address would bounce again. A temporary refusal is tried on three daily runs at
    most. Both then wait for « Réessayer » (case page); sent then, the next level counts from
    that day."""
    smtp = mail_env
    smtp.inbox.unknown.add("inconnu@winstub.example.fr")
    smtp.inbox.busy["compta@schmitt.example.fr"] = 99

    async def build() -> tuple[int, int]:
        bounce = await amicable("BOUNCE-2", debtor(email="inconnu@winstub.example.fr"))
        busy = await amicable(
            "BUSY-2", debtor("Garage Schmitt SARL", email="compta@schmitt.example.fr")
        )
        return bounce, busy

    bounce_id, busy_id = store.run(build())
    assert run(store, date(2027, 3, 6))["created"] == {"echec": 2}
    assert run(store, date(2027, 3, 7))["created"] == {"echec": 1}
    assert run(store, date(2027, 3, 8))["created"] == {"echec": 1}
    for day in (date(2027, 3, 9), date(2027, 3, 20)):
        assert run(store, day)["created"] == {}
    assert smtp.inbox.tried == ["inconnu@winstub.example.fr"] + ["compta@schmitt.example.fr"] * 3

    (bounced,) = actions(store, bounce_id)
    assert (bounced["status"], bounced["attempts"], bounced["retry_on"]) == ("echec", 1, None)
    state = store.run(dunning_actions.case_state(bounce_id, SYSTEM, date(2027, 3, 9)))
    assert (state.state, state.next_level) == ("attente", "rappel")
    assert state.reason == (
        "e-mail en échec le 6 mars 2027 : adresse refusée par le serveur de messagerie "
        "(inconnu@winstub.example.fr : 550 5.1.1 <inconnu@winstub.example.fr>: utilisateur "
        "inconnu) ; « Réessayer » une fois la cause corrigée"
    )
    (busy,) = actions(store, busy_id)
    assert (busy["status"], busy["attempts"], busy["retry_on"]) == ("echec", 3, None)
    state = store.run(dunning_actions.case_state(busy_id, SYSTEM, date(2027, 3, 9)))
    assert state.state == "attente"
    assert state.reason == (
        "e-mail en échec le 8 mars 2027 : adresse refusée pour l'instant par le serveur de "
        "messagerie (compta@schmitt.example.fr : 451 4.7.1 <compta@schmitt.example.fr>: essayez "
        "plus tard) ; 3 essais sans succès, plus de nouvel essai automatique ; « Réessayer » une "
        "fois la cause corrigée"
    )

    # The servers accept now; a person retries from the case page on 10 March.
    smtp.inbox.unknown.clear()
    smtp.inbox.busy.clear()
    for action in (bounced, busy):
        report = store.run(dunning_actions.retry(action["id"], SYSTEM, today=date(2027, 3, 10)))
        assert report["created"] == {"envoyee": 1}
    assert [a["status"] for a in actions(store, bounce_id)] == ["envoyee"]
    assert run(store, date(2027, 3, 19))["created"] == {}
    assert run(store, date(2027, 3, 20))["created"] == {"envoyee": 2}  # 10 days after the send


def test_consumer_messages_claim_no_fee(store: Store, mail_env: Smtp) -> None:
    consumer = debtor("Élise Martin", category="consommateur", email="elise@example.fr")
    store.run(amicable("CONSO-2", consumer))
    assert run(store, date(2027, 3, 8))["created"] == {"envoyee": 1}
    body = plain(mail_env.inbox.messages[0].get_body(("plain",)).get_content())
    assert "40" not in body and "indemnité" not in body
    assert "1 250,00 €" in body


@pytest.mark.parametrize("how", ["paiement", "contestation", "echeancier", "contentieux"])
def test_payment_dispute_plan_or_handover_stops_everything(
    store: Store, mail_env: Smtp, how: str
) -> None:
    case_id = store.run(amicable("STOP-1", debtor()))
    for day in (date(2027, 3, 6), date(2027, 3, 16), date(2027, 3, 23)):
        run(store, day)
    assert [a["status"] for a in actions(store, case_id)] == ["envoyee", "envoyee", "a_appeler"]

    async def stop() -> None:
        if how == "paiement":
            await add_payment(case_id, PaymentIn(date(2027, 3, 24), Decimal("1250")), SYSTEM)
        elif how == "contestation":
            await set_dispute(
                case_id, "STOP-1-F1", SYSTEM, disputed=True, reason="livraison incomplète",
                on=date(2027, 3, 24),
            )  # fmt: skip
        elif how == "echeancier":
            await create_plan(
                case_id,
                PlanIn(Decimal("1250"), 5, date(2027, 4, 5), "conventionnel", 0, date(2027, 3, 24)),
                SYSTEM,
                today=date(2027, 3, 24),
            )
        else:
            await Case.update({Case.phase: "contentieux"}).where(Case.id == case_id)

    store.run(stop())
    report = run(store, date(2027, 3, 25))
    assert report["cancelled"] == 1 and report["created"] == {}
    call = actions(store, case_id)[2]
    assert call["status"] == "annulee"
    expected = {
        "paiement": "plus rien n'est dû",
        "contestation": "toutes les factures impayées sont contestées",
        "echeancier": "un échéancier de paiement est en cours",
        "contentieux": "le dossier est passé au contentieux",
    }[how]
    assert expected in call["message"]
    assert run(store, date(2027, 5, 1))["created"] == {}
    assert len(mail_env.inbox.messages) == 2


def test_a_promise_suspends_the_scenario_and_broken_moves_it_on(
    store: Store, mail_env: Smtp
) -> None:
    case_id = store.run(amicable("PROM-1", debtor()))
    run(store, date(2027, 3, 6))  # rappel
    added = store.run(
        promises.add_promise(
            case_id,
            promises.PromiseIn(
                Decimal("1250"), date(2027, 3, 20), "M. Muller, gérant", "telephone"
            ),
            SYSTEM,
            today=date(2027, 3, 8),
        )
    )
    assert [d["key"] for d in added["added"]] == [f"promesse_{added['id']}"]
    case = store.run(get_case(case_id, SYSTEM, today=date(2027, 3, 8)))
    (deadline,) = [d for d in case["deadlines"] if d["key"].startswith("promesse_")]
    assert (deadline["label"], deadline["due"], deadline["status"]) == (
        "Promesse de paiement de 1\u202f250,00\u00a0€",
        "2027-03-20",
        "pending",
    )
    # The relance (due 16 March) waits for the promise.
    assert run(store, date(2027, 3, 16))["created"] == {}
    state = store.run(dunning_actions.case_state(case_id, SYSTEM, date(2027, 3, 16)))
    assert (state.state, state.next_due) == ("attente", "2027-03-21")
    # Not paid by 20 March: broken; the relance goes out on the 21st.
    report = run(store, date(2027, 3, 21))
    assert report["promises_settled"] == 1 and report["created"] == {"envoyee": 1}
    state = store.run(dunning_actions.case_state(case_id, SYSTEM, date(2027, 3, 21)))
    assert state.promises[0]["status"] == "rompue"
    sentences = [line.sentence for line in store.run(trail(SYSTEM, case=case_id, limit=50))]
    assert any("promesse de paiement" in s and "rompue" in s for s in sentences)


def test_a_kept_promise_is_done_and_stops_the_reminders(store: Store, mail_env: Smtp) -> None:
    case_id = store.run(amicable("PROM-2", debtor()))
    run(store, date(2027, 3, 6))
    store.run(
        promises.add_promise(
            case_id,
            promises.PromiseIn(Decimal("1250"), date(2027, 3, 20), "Mme Muller", "email"),
            SYSTEM,
            today=date(2027, 3, 8),
        )
    )
    store.run(add_payment(case_id, PaymentIn(date(2027, 3, 19), Decimal("1250")), SYSTEM))
    case = store.run(get_case(case_id, SYSTEM, today=date(2027, 3, 21)))
    (deadline,) = [d for d in case["deadlines"] if d["key"].startswith("promesse_")]
    assert deadline["status"] == "done"
    report = run(store, date(2027, 3, 21))
    assert report["promises_settled"] == 1 and report["created"] == {}
    state = store.run(dunning_actions.case_state(case_id, SYSTEM, date(2027, 3, 21)))
    assert (state.state, state.promises[0]["status"]) == ("arrete", "tenue")


def test_promise_input_is_checked_in_french(store: Store, mail_env: Smtp) -> None:
    case_id = store.run(amicable("PROM-3", debtor()))
    with pytest.raises(Exception) as raised:
        store.run(
            promises.add_promise(
                case_id,
                promises.PromiseIn(Decimal("-5"), date(2027, 3, 1), channel="pigeon"),
                SYSTEM,
                today=date(2027, 3, 8),
            )
        )
    errors = raised.value.errors  # type: ignore[attr-defined]
    assert errors == {
        "amount": "promesse de paiement, montant promis : doit être positif",
        "promised_for": "promesse de paiement, date promise : le 1er mars 2027 précède la promesse",
        "channel": (
            "promesse de paiement, reçue : « pigeon » inconnu "
            "(choisir : telephone, email, courrier, rendez_vous, autre)"
        ),
    }


def test_a_disputed_invoice_is_out_of_reminders_statement_and_claim_total(
    store: Store, mail_env: Smtp
) -> None:
    case_id = store.run(amicable("DISP-1", debtor(), ("1000.00", "250.00")))
    store.run(
        set_dispute(
            case_id, "DISP-1-F2", SYSTEM, disputed=True, reason="prestation non réalisée",
            on=date(2027, 3, 2),
        )
    )  # fmt: skip
    run(store, date(2027, 3, 6))
    body = plain(mail_env.inbox.messages[0].get_body(("plain",)).get_content())
    assert "DISP-1-F1" in body and "DISP-1-F2" not in body
    assert "Total restant dû : 1 000,00 €." in body
    statement = store.run(claim_statement(case_id, SYSTEM, date(2027, 3, 6)))
    assert [i["number"] for i in statement["invoices"]] == ["DISP-1-F1"]
    assert statement["principal_outstanding"] == "1000.00"
    assert statement["disputed"] == ["DISP-1-F2"]
    assert statement["notes"][0] == (
        "Facture DISP-1-F2 contestée par le débiteur depuis le 2 mars 2027 (motif : prestation "
        "non réalisée) : exclue du décompte, des relances et des actes jusqu'à la fin de la "
        "contestation."
    )
    case = store.run(get_case(case_id, SYSTEM, today=date(2027, 3, 6)))
    assert case["claim_total"] == "1000.00"
    # Lifted: the invoice is claimed again.
    store.run(set_dispute(case_id, "DISP-1-F2", SYSTEM, disputed=False))
    case = store.run(get_case(case_id, SYSTEM, today=date(2027, 3, 6)))
    assert case["claim_total"] == "1250.00"


def test_a_lifted_dispute_resumes_the_scenario_where_it_stopped(
    store: Store, mail_env: Smtp
) -> None:
    case_id = store.run(amicable("RESUME-1", debtor()))
    for day in (date(2027, 3, 6), date(2027, 3, 16), date(2027, 3, 23)):
        run(store, day)
    store.run(
        set_dispute(case_id, "RESUME-1-F1", SYSTEM, disputed=True, reason="erreur de prix",
                    on=date(2027, 3, 24))
    )  # fmt: skip
    assert run(store, date(2027, 3, 25))["cancelled"] == 1
    store.run(set_dispute(case_id, "RESUME-1-F1", SYSTEM, disputed=False))
    # The call cancelled by the dispute is due again (it was never made).
    assert run(store, date(2027, 4, 2))["created"] == {"a_appeler": 1}
    assert [a["status"] for a in actions(store, case_id)] == ["envoyee", "envoyee", "a_appeler"]
    sentences = [line.sentence for line in store.run(trail(SYSTEM, case=case_id, limit=50))]
    assert any("a annulé « Appel du débiteur »" in s for s in sentences)


def test_a_letter_kept_too_long_is_refused_then_rendered_again(
    store: Store, mail_env: Smtp
) -> None:
    case_id = store.run(amicable("LATE-1", debtor()))
    for day in (date(2027, 3, 6), date(2027, 3, 16), date(2027, 3, 23)):
        run(store, day)
    (call,) = store.run(dunning_actions.waiting(SYSTEM, "telephone"))
    store.run(dunning_actions.record_call(call.id, SYSTEM, "répondeur", today=date(2027, 3, 23)))
    run(store, date(2027, 3, 30))
    (letter,) = store.run(dunning_actions.waiting(SYSTEM, "courrier"))
    with pytest.raises(Exception) as refused:
        store.run(
            dunning_actions.mark_sent(letter.id, SYSTEM, date(2027, 4, 7), today=date(2027, 4, 7))
        )
    assert str(refused.value) == (
        "la lettre datée du 30 mars 2027 fixe le paiement au plus tard le 7 avril 2027 : "
        "envoyée le 7 avril 2027, elle ne laisse aucun délai ; générez une nouvelle lettre "
        "(« Régénérer ») avant de l'envoyer"
    )
    report = store.run(dunning_actions.retry(letter.id, SYSTEM, today=date(2027, 4, 7)))
    assert report["created"] == {"a_envoyer": 1}
    (fresh,) = store.run(dunning_actions.waiting(SYSTEM, "courrier"))
    assert fresh.id != letter.id and fresh.document_id != letter.document_id
    store.run(dunning_actions.mark_sent(fresh.id, SYSTEM, date(2027, 4, 7), today=date(2027, 4, 7)))
    case = store.run(get_case(case_id, SYSTEM, today=date(2027, 4, 7)))
    (deadline,) = [d for d in case["deadlines"] if d["key"] == "paiement_mise_en_demeure"]
    assert deadline["due"] == "2027-04-15"


def test_a_surprise_on_one_case_is_reported_and_the_others_go_on(
    store: Store, mail_env: Smtp, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def build() -> None:
        await amicable("BOOM-1", debtor())
        await amicable("FINE-1", debtor("Garage Schmitt SARL", email="compta@schmitt.example.fr"))

    store.run(build())
    settle = dunning.settle_promises

    async def exploding(state: dunning.CaseDunning) -> int:
        if state.case["reference"] == "BOOM-1":
            raise RuntimeError("unexpected")
        return await settle(state)

    monkeypatch.setattr(dunning, "settle_promises", exploding)
    report = run(store, date(2027, 3, 6))
    assert report["errors"] == [
        "BOOM-1 : erreur inattendue (RuntimeError), voir le journal du serveur"
    ]
    assert report["created"] == {"envoyee": 1}
    assert mail_env.inbox.envelopes == [["compta@schmitt.example.fr"]]


@pytest.fixture
def no_mail_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> None:
    monkeypatch.setenv("CASEFILE_VAR_DIR", str(tmp_path))
    monkeypatch.setenv("CASEFILE_EVIDENCE_URL", f"file://{tmp_path}/evidence")
    monkeypatch.delenv("CASEFILE_SMTP_URL", raising=False)
    reset_settings()
    yield
    reset_settings()


def test_without_a_mail_server_the_due_e_mail_stays_to_do_and_the_page_says_why(
    store: Store, no_mail_env: None
) -> None:
    """No SMTP server configured: the e-mail level creates nothing (no action that would
    pretend it was sent), stays due day after day, and the case's state says in French that it
    was not sent, why, and what to do (configure the server, or send the letter by post)."""
    case_id = store.run(amicable("AM-NOSMTP", debtor()))
    for day in (date(2027, 3, 6), date(2027, 3, 7)):
        report = run(store, day)
        assert report["created"] == {} and report["deferred_emails"] == 1
        assert report["skipped"] == dunning.NO_MAIL_SERVER_RUN
    assert actions(store, case_id) == []  # nothing pretends to be sent, nothing failed
    state = store.run(dunning_actions.case_state(case_id, SYSTEM, date(2027, 3, 7)))
    assert (state.state, state.next_level, state.next_due) == ("du", "rappel", "2027-03-06")
    assert state.notice == (
        "E-mail non envoyé : aucun serveur de messagerie n'est configuré (CASEFILE_SMTP_URL). "
        "La relance reste à faire : rien n'a été envoyé ni noté comme envoyé. Pour la faire, un "
        "administrateur configure CASEFILE_SMTP_URL et CASEFILE_MAIL_FROM (deploy/env.example) "
        "et l'e-mail part au passage quotidien suivant ; ou envoyez une lettre de relance par "
        "courrier (rubrique Documents du dossier : « Lettre de relance »)."
    )
    # Not yet due: nothing to say.
    early = store.run(dunning_actions.case_state(case_id, SYSTEM, date(2027, 3, 2)))
    assert (early.state, early.notice) == ("prevu", "")


def test_with_a_mail_server_the_state_has_no_notice(store: Store, mail_env: Smtp) -> None:
    case_id = store.run(amicable("AM-SMTP", debtor()))
    state = store.run(dunning_actions.case_state(case_id, SYSTEM, date(2027, 3, 6)))
    assert (state.state, state.notice) == ("du", "")
