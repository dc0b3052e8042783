"""CPC art. 750-1 (re-established by décret n° 2023-357 for instances introduced from 1 October
2023): before the tribunal judiciaire, a demand for the payment of a sum not above 5 000 € is
preceded by a conciliation, a médiation or a procédure participative, on pain of
irrecevabilité, unless a dispense applies. `tentative_amiable` records the attempt (mode, date)
or the dispense relied on: a fact prior to the assignation, like the mise en demeure — it starts,
meets or voids no deadline and changes no date (tests/law/test_prior_notice.py for the letter)."""

from __future__ import annotations

import copy
import tomllib
from datetime import date
from decimal import Decimal

import pytest

from casefile.definitions import engine, parameters
from casefile.errors import DefinitionError, InputError
from casefile.law.advice import amicable_attempt
from casefile.law.procedures import parse_procedure
from casefile.law.schedule import CaseFacts, RecordedEvent
from casefile.law.todo import to_do
from tests.conftest import ROOT

TODAY = date(2026, 9, 1)
# An assignation en paiement carried to its end in 2026 (tribunal judiciaire of Strasbourg).
COURSE = [
    RecordedEvent("date_audience_obtenue", date(2026, 3, 2)),
    RecordedEvent("assignation_signifiee", date(2026, 3, 9)),
    RecordedEvent("audience", date(2026, 5, 6), {"heure": "09:30"}),
    RecordedEvent("jugement_rendu", date(2026, 6, 10), {"par_defaut": True}),
    RecordedEvent("jugement_signifie", date(2026, 6, 24)),
]
# Every way of recording it: each mode, each dispense, and a seised conciliator's unavailability.
MODES = ("conciliation", "mediation", "procedure_participative")
DISPENSES = (
    "homologation",
    "recours_prealable",
    "urgence_manifeste",
    "tentative_impossible",
    "conciliateurs_indisponibles",
    "conciliation_par_le_juge",
    "petites_creances",
)
RECORDS = [
    *({"mode": mode} for mode in MODES),
    *({"dispense": dispense} for dispense in DISPENSES),
    {"mode": "conciliation", "dispense": "conciliateurs_indisponibles"},
]
VENEZIA = "https://venezia-commissairesdejustice.com/?p=8832"  # legal-sources.md §7
LEXBASE = "https://lexbase.fr/article-juridique/95963837-0"  # legal-sources.md §7


def _procedure():  # type: ignore[no-untyped-def]
    return engine().procedure("assignation_paiement")


def _schedule(events: list[RecordedEvent], court: str = "tribunal_judiciaire"):  # type: ignore[no-untyped-def]
    return engine().compute(
        "assignation_paiement",
        events,
        CaseFacts(court=court, court_department="67", debtor_residence="67"),
        today=TODAY,
    )


def test_the_attempt_is_a_fact_prior_to_the_assignation_with_its_mode_and_dispense() -> None:
    procedure = _procedure()
    event = procedure.event("tentative_amiable")
    assert event.label == "Tentative préalable de résolution amiable ou dispense (CPC art. 750-1)"
    assert event.after == ()
    assert event.expected_before == ("assignation_signifiee",)
    assert "tentative_amiable" in procedure.prior_events
    assert procedure.eligibility.amicable_attempt_event == "tentative_amiable"
    assert procedure.eligibility.amicable_attempt_parameter == "tentative_amiable_prealable"
    attributes = event.attributes or {}
    assert list(attributes) == ["mode", "dispense"]
    mode, dispense = attributes["mode"], attributes["dispense"]
    assert (mode.type, mode.label, mode.choices) == ("choice", "Mode de la tentative", MODES)
    assert [c.label for c in mode.described] == [
        "Conciliation par un conciliateur de justice",
        "Médiation",
        "Procédure participative",
    ]
    assert {c.source for c in mode.described} == {LEXBASE}
    assert (dispense.type, dispense.label, dispense.choices) == (
        "choice",
        "Dispense invoquée",
        DISPENSES,
    )


def test_each_dispense_cites_the_2023_text_and_the_small_claims_one_is_marked_unconfirmed() -> None:
    dispense = (_procedure().event("tentative_amiable").attributes or {})["dispense"]
    cited = {c.value: (c.basis, c.source, c.uncertain) for c in dispense.described}
    assert cited == {
        "homologation": ("CPC art. 750-1, 1° (rédaction du décret n° 2023-357)", VENEZIA, False),
        "recours_prealable": (
            "CPC art. 750-1, 2° (rédaction du décret n° 2023-357)",
            VENEZIA,
            False,
        ),
        "urgence_manifeste": (
            "CPC art. 750-1, 3° (rédaction du décret n° 2023-357)",
            VENEZIA,
            False,
        ),
        "tentative_impossible": (
            "CPC art. 750-1, 3° (rédaction du décret n° 2023-357)",
            VENEZIA,
            False,
        ),
        "conciliateurs_indisponibles": (
            "CPC art. 750-1, 3° (rédaction du décret n° 2023-357 : le demandeur justifie par "
            "tout moyen de la saisine et de ses suites)",
            "https://anne-mendes-avocat.com/?p=907",
            False,
        ),
        "conciliation_par_le_juge": (
            "CPC art. 750-1, 4° (rédaction du décret n° 2023-357)",
            VENEZIA,
            False,
        ),
        "petites_creances": (
            "CPC art. 750-1, 5° (rédaction annulée par le Conseil d'État le 22 septembre 2022)",
            "https://consultation.avocat.fr/blog/nathalie-preguimbeau/article-45440-fin-de-l-"
            "obligation-de-conciliation-pour-les-litiges-inferieurs-a-5.000.html",
            True,
        ),
    }
    small_claims = dispense.choice("petites_creances")
    assert small_claims is not None
    assert "n'est pas confirmé" in small_claims.note
    assert "trois mois" in (dispense.choice("conciliateurs_indisponibles") or small_claims).label


def test_no_deadline_refers_to_the_attempt() -> None:
    for rule in _procedure().deadlines:
        named = {s.event for s in rule.starts} | {e for s in rule.starts for e, _ in s.when_event}
        named |= {s.not_before for s in rule.starts}
        named |= set(rule.satisfied_by) | set(rule.moot_by) | {e for e, _ in rule.waiting}
        named |= {rule.cap_event, rule.notice_event, rule.validity_event}
        named |= {rule.next_step.event if rule.next_step else None}
        assert "tentative_amiable" not in named, rule.ident


@pytest.mark.parametrize("court", ["tribunal_judiciaire", "tribunal_de_commerce"])
@pytest.mark.parametrize("attributes", RECORDS, ids=lambda a: "+".join(a.values()))
def test_every_deadline_is_the_same_with_and_without_the_attempt(
    attributes: dict[str, str], court: str
) -> None:
    without = _schedule(COURSE, court)
    attempt = RecordedEvent("tentative_amiable", date(2026, 1, 12), attributes)
    with_attempt = _schedule([attempt, *COURSE], court)
    assert without.deadlines  # the course computes deadlines: the comparison means something
    assert [d.as_dict() for d in with_attempt.deadlines] == [d.as_dict() for d in without.deadlines]
    assert with_attempt.warnings == without.warnings
    alone = _schedule([attempt], court)
    assert alone.deadlines == () and alone.warnings == ()


def test_the_deadlines_of_the_course_are_those_of_the_law() -> None:
    """The dates the attempt leaves unchanged, for the record: placement 15 days before the
    hearing of Wednesday 6 May 2026 (CPC 754: 20 April), constitution 15 days after the
    assignation of 9 March (CPC 763: 24 March), appeal 1 month after 24 June (CPC 538)."""
    attempt = RecordedEvent("tentative_amiable", date(2026, 1, 12), {"mode": "mediation"})
    due = {d.key: d.due for d in _schedule([attempt, *COURSE]).deadlines}
    assert due["remise_au_greffe"] == date(2026, 4, 20)
    assert due["constitution_avocat_defendeur"] == date(2026, 3, 24)
    assert due["appel"] == date(2026, 7, 24)


def test_an_attempt_dated_after_the_assignation_is_kept_with_a_warning() -> None:
    late = RecordedEvent("tentative_amiable", date(2026, 3, 10), {"mode": "conciliation"})
    schedule = _schedule([late, *COURSE])
    assert [d.as_dict() for d in schedule.deadlines] == [
        d.as_dict() for d in _schedule(COURSE).deadlines
    ]
    assert [w for w in schedule.warnings if "Tentative" in w] == [
        "date à vérifier : « Tentative préalable de résolution amiable ou dispense (CPC art. "
        "750-1) » le 2026-03-10, après « Assignation signifiée au défendeur » du 2026-03-09 "
        "que ce fait préalable devrait précéder"
    ]


def test_the_attempt_alone_leaves_the_assignation_to_do() -> None:
    procedure = _procedure()
    assert procedure.first_step is not None
    todo = to_do(procedure, [], ["tentative_amiable"], TODAY)
    assert [t.step for t in todo.tasks] == [procedure.first_step.label]


def test_an_unknown_mode_or_dispense_is_refused_in_french() -> None:
    mode = (_procedure().event("tentative_amiable").attributes or {})["mode"]
    assert mode.parse("mediation", "événement") == "mediation"
    with pytest.raises(InputError) as refused:
        mode.parse("arbitrage", "événement « Tentative »")
    assert "« Mode de la tentative » (mode)" in str(refused.value)
    assert "reçu « arbitrage »" in str(refused.value)
    assert "conciliation" in str(refused.value)


@pytest.mark.parametrize(
    ("total", "as_of", "required"),
    [
        ("3000.00", date(2026, 4, 15), True),
        ("5000.00", date(2026, 4, 15), True),
        ("5000.01", date(2026, 4, 15), False),
        ("6000.00", date(2026, 4, 15), False),
        ("3000.00", date(2023, 9, 30), False),  # annulled on 22 Sept 2022, back from 1 Oct 2023
        ("3000.00", date(2023, 10, 1), True),
    ],
)
def test_the_rule_the_pleadings_read_is_the_advice_s(
    total: str, as_of: date, required: bool
) -> None:
    needed, reason = amicable_attempt(Decimal(total), as_of, parameters())
    assert needed is required
    assert reason.basis == "CPC art. 750-1"


def test_the_advice_names_the_small_claims_dispense_as_unconfirmed() -> None:
    _, reason = amicable_attempt(Decimal("3000.00"), date(2026, 4, 15), parameters())
    assert reason.text.startswith(
        "Demande de 3\u202f000,00\u00a0€ n'excédant pas 5\u202f000,00\u00a0€ : conciliation, "
        "médiation ou procédure participative préalable, à peine d'irrecevabilité"
    )
    assert "petites créances vainement engagée n'est pas confirmée" in reason.text


def _definition() -> dict:  # type: ignore[type-arg]
    path = ROOT / "procedures" / "assignation_paiement.toml"
    return tomllib.loads(path.read_text(encoding="utf-8"))


def _event(data: dict) -> dict:  # type: ignore[type-arg]
    return next(e for e in data["events"] if e["key"] == "tentative_amiable")


def test_an_uncertain_choice_without_its_note_is_a_load_error() -> None:
    data = copy.deepcopy(_definition())
    choice = _event(data)["attributes"][1]["choices"][-1]
    del choice["note"]
    with pytest.raises(DefinitionError) as refused:
        parse_procedure(data, "assignation_paiement.toml")
    assert "choices[6].note" in str(refused.value)


def test_the_recording_event_must_carry_a_mode_and_a_dispense() -> None:
    data = copy.deepcopy(_definition())
    _event(data)["attributes"] = _event(data)["attributes"][:1]
    with pytest.raises(DefinitionError) as refused:
        parse_procedure(data, "assignation_paiement.toml")
    assert "eligibility.amicable_attempt_event" in str(refused.value)
    assert "« dispense »" in str(refused.value)
    data = copy.deepcopy(_definition())
    data["eligibility"]["amicable_attempt_event"] = "tentative_amiable_faite"
    with pytest.raises(DefinitionError, match="événement inconnu"):
        parse_procedure(data, "assignation_paiement.toml")
