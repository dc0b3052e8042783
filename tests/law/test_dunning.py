"""Reminder scenarios (procedures/relances.toml) and the next step of a case: pure core."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from casefile.definitions import dunning_file
from casefile.errors import DefinitionError
from casefile.law.dunning import (
    Facts,
    Failure,
    Promise,
    consumer_problems,
    load_dunning,
    next_step,
    parse_dunning,
)
from casefile.law.schema import read_toml

DUNNING = load_dunning(dunning_file())
PRO = DUNNING.scenarios["professionnel"]
CONSUMER = DUNNING.scenarios["consommateur"]


def facts(**changes: object) -> Facts:
    base: dict[str, object] = {
        "due_dates": (date(2027, 3, 1), date(2027, 3, 15)),
        "carried_out": {},
        "waiting": frozenset(),
        "last_contact": None,
        "stop": None,
        "promise": None,
    }
    base.update(changes)
    return Facts(**base)  # type: ignore[arg-type]


def test_the_first_level_counts_from_the_oldest_due_date() -> None:
    step = next_step(PRO, facts(), date(2027, 3, 5))
    assert (step.state, step.level and step.level.key, step.due) == (
        "prevu",
        "rappel",
        date(2027, 3, 6),
    )
    assert next_step(PRO, facts(), date(2027, 3, 6)).state == "du"


def test_the_next_level_counts_from_the_day_the_previous_was_carried_out() -> None:
    step = next_step(
        PRO,
        facts(carried_out={"rappel": date(2027, 3, 9)}, last_contact=date(2027, 3, 9)),
        date(2027, 3, 10),
    )
    assert (step.level and step.level.key, step.due) == ("relance", date(2027, 3, 19))


def test_a_letter_waiting_to_be_sent_holds_the_scenario() -> None:
    step = next_step(
        CONSUMER,
        facts(carried_out={"rappel": date(2027, 3, 8)}, waiting=frozenset({"relance_ecrite"})),
        date(2027, 6, 1),
    )
    assert step.state == "attente"
    assert "courrier à envoyer" in step.reason


def test_a_failed_action_is_no_reminder_carried_out_and_holds_the_scenario() -> None:
    """The rappel e-mail refused on 6 March: the firm e-mail must not count its 10 days from the
    failure; the rappel waits for « Réessayer »."""
    failure = Failure(date(2027, 3, 6), "adresse refusée par le serveur de messagerie (550)")
    step = next_step(PRO, facts(failed={"rappel": failure}), date(2027, 3, 20))
    assert (step.state, step.level and step.level.key, step.due) == ("attente", "rappel", None)
    assert step.reason == (
        "e-mail en échec le 6 mars 2027 : adresse refusée par le serveur de messagerie (550) ; "
        "« Réessayer » une fois la cause corrigée"
    )


def test_a_failure_tried_again_by_itself_is_due_on_its_retry_day() -> None:
    failure = Failure(date(2027, 3, 6), "refusée pour l'instant (451)", date(2027, 3, 7))
    step = next_step(PRO, facts(failed={"rappel": failure}), date(2027, 3, 6))
    assert (step.state, step.level and step.level.key, step.due) == (
        "prevu",
        "rappel",
        date(2027, 3, 7),
    )
    assert step.reason.endswith("; nouvel essai automatique le 7 mars 2027")
    assert next_step(PRO, facts(failed={"rappel": failure}), date(2027, 3, 7)).state == "du"
    # Sent on 9 March at last: the next level counts from the send.
    sent = facts(carried_out={"rappel": date(2027, 3, 9)}, last_contact=date(2027, 3, 9))
    assert next_step(PRO, sent, date(2027, 3, 10)).due == date(2027, 3, 19)


def test_consumer_contacts_are_spaced_by_the_scenario_minimum() -> None:
    # rappel done on 8 March; a letter is due 15 days later, but a call made on 20 March (out of
    # the scenario) pushes it to 7 days after that contact
    step = next_step(
        CONSUMER,
        facts(carried_out={"rappel": date(2027, 3, 8)}, last_contact=date(2027, 3, 20)),
        date(2027, 3, 23),
    )
    assert step.due == date(2027, 3, 27)


def test_a_promise_suspends_the_scenario_until_its_date() -> None:
    promise = Promise(date(2027, 3, 20), "en_cours")
    step = next_step(PRO, facts(promise=promise), date(2027, 3, 10))
    assert (step.state, step.due) == ("attente", date(2027, 3, 21))
    assert "promesse" in step.reason


def test_a_broken_promise_brings_the_next_level_forward_to_the_day_after() -> None:
    done = {"rappel": date(2027, 3, 6)}
    promise = Promise(date(2027, 3, 10), "rompue")
    step = next_step(
        PRO,
        facts(carried_out=done, last_contact=date(2027, 3, 6), promise=promise),
        date(2027, 3, 11),
    )
    # without the promise, the relance would be due on 16 March
    assert (step.state, step.level and step.level.key, step.due) == (
        "du",
        "relance",
        date(2027, 3, 11),
    )


def test_payment_dispute_plan_and_handover_stop_everything() -> None:
    for reason, words in (
        ("solde", "paiement"),
        ("contestation", "contestées"),
        ("echeancier", "échéancier"),
        ("contentieux", "contentieux"),
    ):
        step = next_step(PRO, facts(stop=reason), date(2027, 4, 1))
        assert step.state == "arrete"
        assert words in step.reason


def test_every_level_done_means_the_file_goes_to_litigation() -> None:
    done = {lv.key: date(2027, 3, 6) for lv in PRO.levels}
    step = next_step(PRO, facts(carried_out=done), date(2027, 5, 1))
    assert step.state == "termine"


def test_a_creditor_named_in_the_file_gets_its_own_scenario() -> None:
    chosen = DUNNING.scenario_for("professionnel", None, "BRASSERIE DE L'ILL sas")
    assert chosen.key == "professionnel_court"
    assert (
        DUNNING.scenario_for("consommateur", None, "Brasserie de l'Ill SAS").key == "consommateur"
    )
    assert DUNNING.scenario_for("professionnel", "123456789", "Autre SARL").key == "professionnel"


def test_no_consumer_message_claims_fees_or_threatens_a_seizure() -> None:
    assert consumer_problems(DUNNING) == []
    data = read_toml(dunning_file())
    for message in data["messages"]:
        if message["key"] == "rappel_courtois":
            message["body"] += "\nUne indemnité forfaitaire de 40 € vous sera facturée."
    tainted = parse_dunning(data, "relances.toml")
    problems = consumer_problems(tainted)
    assert problems and "indemnité forfaitaire" in problems[0] and "L111-8" in problems[0]


def test_unknown_keys_and_wrong_audiences_are_refused(tmp_path: Path) -> None:
    data = read_toml(dunning_file())
    data["scenarios"][0]["levels"][0]["delai"] = 3
    with pytest.raises(DefinitionError, match="delai"):
        parse_dunning(data, "relances.toml")
    data = read_toml(dunning_file())
    for scenario in data["scenarios"]:
        if scenario["key"] == "consommateur":
            scenario["levels"][0]["template"] = "relance_professionnel"
    with pytest.raises(DefinitionError) as refused:
        parse_dunning(data, "relances.toml")
    assert str(refused.value) == (
        "relances.toml: scenarios[1].levels[0].template: le message « relance_professionnel » "
        "n'est pas destiné à un débiteur consommateur (destinataires : professionnel)"
    )
