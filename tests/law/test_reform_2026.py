"""Décret n° 2026-96 du 16 février 2026: CPC art. 1411 gives three months instead of six to
serve an ordonnance rendered from 1 September 2026. The two versions must adjoin (no day
without a rule, no day with two), be chosen by the date of the ordonnance, and say what stays
unconfirmed (the new wording was not read on Légifrance: a labelled paraphrase)."""

from __future__ import annotations

from datetime import date, timedelta

from casefile.definitions import engine
from casefile.law.schedule import RecordedEvent


def _versions():
    rules = engine().procedures["injonction_de_payer"].deadlines
    return sorted(
        (r for r in rules if r.key == "signification_ordonnance"),
        key=lambda r: r.valid_from or date.min,
    )


def test_the_two_versions_of_article_1411_adjoin_on_1_september_2026():
    before, after = _versions()
    assert (before.valid_from, before.valid_until) == (None, date(2026, 8, 31))
    assert (after.valid_from, after.valid_until) == (date(2026, 9, 1), None)
    assert before.validity_event == after.validity_event == "ordonnance_rendue"
    assert (str(before.period), str(after.period)) == ("6 months", "3 months")
    assert after.valid_from == before.valid_until + timedelta(days=1)


def test_the_new_version_names_the_decree_and_is_labelled_a_paraphrase():
    _, after = _versions()
    assert "décret n° 2026-96" in after.basis
    assert after.text_kind == "paraphrase"
    assert "trois mois" in after.text and "trois mois" in after.consequence
    assert any("lofficieldesmetiers.fr" in note for note in after.notes)
    assert any("date de l'ordonnance" in note for note in after.notes)


def test_the_ordonnance_date_chooses_the_period_whatever_the_requete_date():
    """A requête filed in August 2026 and an ordonnance rendered on 1 September 2026: three
    months (Tuesday 1 December 2026); rendered on 31 August: six months (Sunday 28 February
    2027 → Monday 1 March 2027, art. 642)."""
    eng = engine()
    for rendered, due in (
        (date(2026, 9, 1), date(2026, 12, 1)),
        (date(2026, 8, 31), date(2027, 3, 1)),
    ):
        events = [
            RecordedEvent("requete_deposee", date(2026, 8, 3)),
            RecordedEvent("ordonnance_rendue", rendered),
        ]
        deadline = eng.compute("injonction_de_payer", events).get("signification_ordonnance")
        assert deadline is not None and deadline.due == due


def test_the_two_month_enforcement_rule_is_a_note_not_a_computed_date():
    """Its wording is known only from summaries of the decree: no deadline is computed for it,
    the opposition period says so."""
    procedure = engine().procedures["injonction_de_payer"]
    opposition = next(r for r in procedure.deadlines if r.key == "opposition")
    assert any("deux mois suivant la signification" in note for note in opposition.notes)
    assert all("execution" not in r.key for r in procedure.deadlines)
