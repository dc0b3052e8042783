"""The mise en demeure sent before a court procedure (`mise_en_demeure_envoyee` in each court
procedure's definition): a dated fact for the interest (C. civ. art. 1231-6, 1344-1) and the
pièces, never a step of the procedure — it starts, meets or voids no deadline, and does not
take the procedure's first step off « À faire »."""

from __future__ import annotations

from datetime import date

import pytest

from casefile.definitions import engine, parameters
from casefile.law.advice import ProcedureAdvice
from casefile.law.comparison import compare
from casefile.law.schedule import CaseFacts, RecordedEvent
from casefile.law.todo import to_do

COURT_PROCEDURES = (
    "injonction_de_payer",
    "refere_provision",
    "assignation_paiement",
    "petites_creances",
)
TODAY = date(2027, 6, 1)
LETTER = RecordedEvent("mise_en_demeure_envoyee", date(2026, 12, 7), {"delai": "8 days"})

# A case of each procedure carried to its end, every date after the letter of 7 December 2026.
COURSES: dict[str, list[RecordedEvent]] = {
    "injonction_de_payer": [
        RecordedEvent("requete_deposee", date(2027, 1, 4)),
        RecordedEvent("ordonnance_rendue", date(2027, 1, 11)),
        RecordedEvent("ordonnance_signifiee", date(2027, 1, 29), {"a_personne": True}),
    ],
    "refere_provision": [
        RecordedEvent("assignation_signifiee", date(2027, 1, 4)),
        RecordedEvent("audience", date(2027, 1, 20)),
        RecordedEvent("ordonnance_rendue", date(2027, 1, 27)),
        RecordedEvent("ordonnance_signifiee", date(2027, 2, 3)),
    ],
    "assignation_paiement": [
        RecordedEvent("date_audience_obtenue", date(2027, 1, 4)),
        RecordedEvent("assignation_signifiee", date(2027, 1, 11)),
        RecordedEvent("audience", date(2027, 3, 3), {"heure": "09:30"}),
        RecordedEvent("jugement_rendu", date(2027, 4, 7)),
        RecordedEvent("jugement_signifie", date(2027, 4, 20)),
    ],
    "petites_creances": [
        RecordedEvent("mandat_commissaire", date(2027, 1, 4)),
        RecordedEvent("invitation_envoyee", date(2027, 1, 6)),
    ],
}
FIRST_STEP = {
    "injonction_de_payer": "requete_deposee",
    "refere_provision": "assignation_signifiee",
    "assignation_paiement": "assignation_signifiee",
    "petites_creances": "mandat_commissaire",
}


def _schedule(procedure: str, events: list[RecordedEvent]):  # type: ignore[no-untyped-def]
    return engine().compute(
        procedure, events, CaseFacts(court_department="67", debtor_residence="67"), today=TODAY
    )


@pytest.mark.parametrize("key", COURT_PROCEDURES)
def test_each_court_procedure_records_the_earlier_letter_like_the_amicable_phase(key: str) -> None:
    amicable = engine().procedure("amiable").event("mise_en_demeure_envoyee")
    event = engine().procedure(key).event("mise_en_demeure_envoyee")
    assert event.label == "Mise en demeure envoyée" == amicable.label
    assert event.attributes == amicable.attributes  # `delai`, a period, as in amiable.toml
    assert event.after == ()
    assert event.expected_before[0] == FIRST_STEP[key]
    # The assignation en paiement also records the prior amicable attempt (CPC art. 750-1,
    # tests/law/test_amicable_attempt.py).
    others = {"tentative_amiable"} if key == "assignation_paiement" else set()
    assert engine().procedure(key).prior_events == {"mise_en_demeure_envoyee", *others}
    assert engine().procedure("amiable").prior_events == frozenset()


@pytest.mark.parametrize("key", COURT_PROCEDURES)
def test_no_deadline_of_a_court_procedure_refers_to_the_letter(key: str) -> None:
    for rule in engine().procedure(key).deadlines:
        named = {s.event for s in rule.starts} | {e for s in rule.starts for e, _ in s.when_event}
        named |= {s.not_before for s in rule.starts}
        named |= set(rule.satisfied_by) | set(rule.moot_by) | {e for e, _ in rule.waiting}
        named |= {rule.cap_event, rule.notice_event, rule.validity_event}
        named |= {rule.next_step.event if rule.next_step else None}
        assert "mise_en_demeure_envoyee" not in named, rule.ident


@pytest.mark.parametrize("key", COURT_PROCEDURES)
def test_the_letter_changes_no_deadline_and_no_warning(key: str) -> None:
    without = _schedule(key, COURSES[key])
    with_letter = _schedule(key, [LETTER, *COURSES[key]])
    assert without.deadlines  # the course computes deadlines: the comparison means something
    assert [d.as_dict() for d in with_letter.deadlines] == [d.as_dict() for d in without.deadlines]
    assert with_letter.warnings == without.warnings
    alone = _schedule(key, [LETTER])
    assert alone.deadlines == () and alone.warnings == ()


def test_a_letter_dated_after_the_requete_is_kept_with_a_warning() -> None:
    late = RecordedEvent("mise_en_demeure_envoyee", date(2027, 1, 6), {"delai": "8 days"})
    events = COURSES["injonction_de_payer"]
    schedule = _schedule("injonction_de_payer", [late, *events])
    assert [d.as_dict() for d in schedule.deadlines] == [
        d.as_dict() for d in _schedule("injonction_de_payer", events).deadlines
    ]
    # A letter sent late is a date to check, not an impossible order (the dates are kept).
    assert [w for w in schedule.warnings if "Mise en demeure" in w] == [
        "date à vérifier : « Mise en demeure envoyée » le 2027-01-06, après « Requête en "
        "injonction de payer déposée au greffe » du 2027-01-04 que ce fait préalable devrait "
        "précéder"
    ]


def test_a_letter_dated_after_the_assignation_is_kept_with_a_warning() -> None:
    late = RecordedEvent("mise_en_demeure_envoyee", date(2027, 1, 5))
    schedule = _schedule("refere_provision", [late, *COURSES["refere_provision"]])
    assert [w for w in schedule.warnings if "Mise en demeure" in w] == [
        "date à vérifier : « Mise en demeure envoyée » le 2027-01-05, après « Assignation en "
        "référé signifiée » du 2027-01-04 que ce fait préalable devrait précéder"
    ]


@pytest.mark.parametrize("key", COURT_PROCEDURES)
def test_a_letter_sent_the_same_day_as_the_first_step_is_no_ordering_error(key: str) -> None:
    """Sent the day the requête is filed or the assignation served, the letter still came
    first that day: no warning, and the deadlines are those of the course without it."""
    events = COURSES[key]
    first = next(e for e in events if e.key == FIRST_STEP[key])
    same_day = RecordedEvent("mise_en_demeure_envoyee", first.date, {"delai": "8 days"})
    schedule = _schedule(key, [same_day, *events])
    without = _schedule(key, events)
    assert schedule.warnings == without.warnings
    assert not [w for w in schedule.warnings if "Mise en demeure" in w]
    assert [d.as_dict() for d in schedule.deadlines] == [d.as_dict() for d in without.deadlines]


def test_an_assignation_served_on_the_day_of_the_hearing_is_still_an_impossible_order() -> None:
    """`expected_before` keeps its meaning for the steps themselves: an assignation served the
    day of the hearing could not summon the defendant to it."""
    events = [
        RecordedEvent("assignation_signifiee", date(2027, 1, 20)),
        RecordedEvent("audience", date(2027, 1, 20)),
    ]
    schedule = _schedule("assignation_paiement", events)
    assert [w for w in schedule.warnings if "ordre impossible" in w] == [
        "ordre impossible : « Assignation signifiée au défendeur » le 2027-01-20 n'est pas "
        "antérieur à « Audience » du 2027-01-20 ; vérifier les dates"
    ]


@pytest.mark.parametrize("key", COURT_PROCEDURES)
def test_the_letter_alone_leaves_the_first_step_to_do(key: str) -> None:
    procedure = engine().procedure(key)
    assert procedure.first_step is not None
    todo = to_do(procedure, [], [LETTER.key], TODAY)
    assert [t.step for t in todo.tasks] == [procedure.first_step.label]
    begun = to_do(procedure, [], [LETTER.key, FIRST_STEP[key]], TODAY)
    assert procedure.first_step.label not in [t.step for t in begun.tasks]


def test_the_comparison_does_not_list_the_letter_among_a_procedure_s_steps() -> None:
    advice = [ProcedureAdvice(key, True, None, None, None, ()) for key in COURT_PROCEDURES]
    columns = compare(advice, engine().procedures, parameters(), TODAY)
    assert {c.procedure for c in columns} == set(COURT_PROCEDURES)
    for column in columns:
        assert "Mise en demeure envoyée" not in column.steps
        assert column.steps  # the procedure's own steps are still there
