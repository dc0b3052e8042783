""" "À faire" (issue 12 item 3): our open deadlines with their next step; the other side's apart,
and the step that follows once they have run out — from the definitions' `next_step` data."""

from __future__ import annotations

from datetime import date

from casefile.definitions import engine
from casefile.law.schedule import CaseFacts, RecordedEvent
from casefile.law.todo import to_do


def _todo(events: list[RecordedEvent], today: date):  # type: ignore[no-untyped-def]
    eng = engine()
    schedule = eng.compute(
        "injonction_de_payer", events, CaseFacts(court_department="75"), today=today
    )
    deadlines = [d.as_dict() for d in schedule.deadlines]
    return to_do(eng.procedures["injonction_de_payer"], deadlines, [e.key for e in events], today)


def test_before_signification_the_commissaire_must_serve_the_ordonnance() -> None:
    """CPC art. 1411 (décret 2026-96, three months): ordonnance of Monday 1 March 2027 → served
    by Tuesday 1 June 2027."""
    todo = _todo([RecordedEvent("ordonnance_rendue", date(2027, 3, 1))], date(2027, 3, 10))
    [task] = todo.tasks
    assert task.key == "signification_ordonnance"
    assert task.actor == "commissaire_de_justice"
    assert task.due == date(2027, 6, 1)
    assert not task.late
    assert task.step.startswith("Faire signifier l'ordonnance par commissaire de justice")
    assert todo.theirs == ()


def test_during_the_opposition_period_it_is_shown_apart_with_its_meaning() -> None:
    """Served à personne Friday 29 January 2027 → opposition until Monday 1 March 2027."""
    events = [
        RecordedEvent("ordonnance_rendue", date(2027, 1, 4)),
        RecordedEvent("ordonnance_signifiee", date(2027, 1, 29), {"a_personne": True}),
    ]
    todo = _todo(events, date(2027, 2, 10))
    assert todo.tasks == ()
    [theirs] = todo.theirs
    assert (theirs.key, theirs.actor, theirs.due) == ("opposition", "debiteur", date(2027, 3, 1))
    assert "devient exécutoire" in theirs.meaning
    assert theirs.then.startswith("Demander au greffe le certificat de non-opposition")


def test_once_the_opposition_period_has_run_out_ask_for_the_certificate() -> None:
    events = [
        RecordedEvent("ordonnance_rendue", date(2027, 1, 4)),
        RecordedEvent("ordonnance_signifiee", date(2027, 1, 29), {"a_personne": True}),
    ]
    todo = _todo(events, date(2027, 3, 2))
    assert todo.theirs == ()
    [task] = todo.tasks
    assert task.key == "opposition"
    assert task.actor == "creancier"
    assert task.documents == ("certificat_non_opposition",)
    assert task.because == "Délai d'opposition du débiteur expiré le 1er mars 2027"
    # Asked: the step is done and leaves the list.
    asked = [*events, RecordedEvent("certificat_non_opposition_demande", date(2027, 3, 3))]
    assert _todo(asked, date(2027, 3, 4)).tasks == ()


def test_an_opposition_leaves_nothing_to_ask() -> None:
    events = [
        RecordedEvent("ordonnance_rendue", date(2027, 1, 4)),
        RecordedEvent("ordonnance_signifiee", date(2027, 1, 29), {"a_personne": True}),
        RecordedEvent("opposition_formee", date(2027, 2, 15)),
    ]
    todo = _todo(events, date(2027, 3, 10))
    assert todo.tasks == () and todo.theirs == ()


def test_with_no_event_of_the_procedure_the_first_step_is_asked_for() -> None:
    """A new injonction de payer case: the requête, now, with its documents; the amicable
    events a handed-over case carries do not count as the procedure's."""
    eng = engine()
    procedure = eng.procedures["injonction_de_payer"]
    today = date(2027, 3, 10)
    for recorded in ([], ["mise_en_demeure_envoyee", "exigibilite"]):
        [task] = to_do(procedure, [], recorded, today).tasks
        assert task.key == "requete_deposee"
        assert task.step.startswith("Déposer la requête en injonction de payer au greffe")
        assert (task.actor, task.due, task.late) == ("creancier", None, False)
        assert task.label == "Injonction de payer"
        assert task.basis == "CPC art. 1405 et 1406"
        assert task.documents == (
            "requete_injonction_tj",
            "requete_injonction_tc",
            "bordereau_pieces",
        )
    assert to_do(procedure, [], ["requete_deposee"], today).tasks == ()


def test_petites_creances_first_asks_to_mandate_a_commissaire() -> None:
    procedure = engine().procedures["petites_creances"]
    [task] = to_do(procedure, [], ["mise_en_demeure_envoyee"], date(2027, 3, 10)).tasks
    assert task.step.startswith("Mandater un commissaire de justice : il envoie au débiteur")
    assert task.documents == ("mandat_petites_creances",)
    assert to_do(procedure, [], ["mandat_commissaire"], date(2027, 3, 10)).tasks == ()
