"""A refused procedure or event key names the few closest choices by spelling (of the key or
of its French label) and where the full list is, never every choice."""

from __future__ import annotations

import pytest

from casefile.errors import InputError, UnknownChoice, shown_on_page
from casefile.law.suggestions import LIMIT, closest, procedure_of


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("injonction", ["injonction_de_payer"]),
        ("refere", ["refere_provision"]),
        ("Petites créances", ["petites_creances"]),
        ("Référé provision", ["refere_provision"]),
        ("faillite", []),
    ],
)
def test_a_misspelt_procedure_finds_its_key(engine, typed, expected):
    choices = [(p.title, p.key) for p in engine.procedures.values()]
    assert [key for _, key in closest(typed, choices)] == expected


def test_an_event_typed_by_its_french_label_finds_its_key(engine):
    events = engine.procedures["injonction_de_payer"].events.values()
    found = closest("Ordonnance rendue", [(e.label, e.key) for e in events])
    assert found[0][1] == "ordonnance_rendue"
    assert len(found) <= LIMIT


def test_the_refusal_is_one_short_line(engine):
    with pytest.raises(InputError) as refused:
        procedure_of(engine.procedures, "petite_creance")
    message = str(refused.value)
    assert message == (
        "procédure inconnue « petite_creance » ; la plus proche : « Procédure simplifiée de "
        "recouvrement des petites créances » (petites_creances) ; liste complète : casefile "
        "procedures, ou GET /api/procedures"
    )
    assert "\n" not in message and "amiable" not in message


def test_a_value_that_is_not_text_is_refused_without_a_guess(engine):
    with pytest.raises(InputError, match="procédure inconnue « 12 » ; aucune ne s'en approche"):
        procedure_of(engine.procedures, 12)


def test_a_page_points_to_its_own_form_not_to_a_command(engine):
    """The refusal carries the page's wording as data (`shown_on_page`), built beside the
    message: a page never parses the command out of the text."""
    with pytest.raises(UnknownChoice) as procedure:
        procedure_of(engine.procedures, "refere")
    assert shown_on_page(procedure.value) == (
        "procédure inconnue « refere » ; la plus proche : « Référé-provision » ; toutes sont "
        "proposées dans la liste « Procédure » de la page"
    )
    assert str(procedure.value).endswith(
        "liste complète : casefile procedures, ou GET /api/procedures"
    )
    with pytest.raises(UnknownChoice) as event:
        engine.procedures["refere_provision"].event("appel")
    assert shown_on_page(event.value).endswith(
        "(appel_interjete) ; tous sont proposés dans le formulaire de la page"
    )
    assert "casefile procedures" not in shown_on_page(event.value)
    other = InputError("une autre refus")
    assert shown_on_page(other) == "une autre refus"
