"""How messages quote what a person wrote and name what the definitions hold."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from casefile.errors import InputError
from casefile.labels import keys_fr
from casefile.law.money import parse_amount
from casefile.law.periods import Period, parse_date
from casefile.law.wording import QUOTE_MAX, in_guillemets, labelled, labelled_list, quoted


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("12,3,4", "« 12,3,4 »"),
        ("peut-être", "« peut-être »"),
        ("l'audience", "« l'audience »"),
        ("", "«  »"),
        (True, "« true »"),
        (False, "« false »"),
        (None, "« null »"),
        (100, "« 100 »"),
        (4080.5, "« 4080.5 »"),
        (Decimal("10.005"), "« 10,005 »"),
        (Decimal("NaN"), "« NaN »"),
        (["67"], '« ["67"] »'),
        ({"code": "67"}, '« {"code": "67"} »'),
        ([], "« [] »"),
        (date(2026, 2, 13), "« 2026-02-13 »"),
        ("deux\nlignes\x07", "« deux\\nlignes\\u0007 »"),
    ],
)
def test_a_value_is_quoted_as_the_person_wrote_it(value, expected):
    assert quoted(value) == expected


def test_a_long_value_is_cut():
    text = quoted("x" * 500)
    assert text == "« " + "x" * (QUOTE_MAX - 1) + "… »"


def test_a_definition_is_named_by_its_label_then_its_key():
    assert labelled("Tribunal judiciaire", "tribunal_judiciaire") == (
        "« Tribunal judiciaire » (tribunal_judiciaire)"
    )
    assert labelled("audience", "audience") == "« audience »"
    assert labelled("", "audience") == "« audience »"
    assert labelled_list([("Audience", "audience"), ("Appel interjeté", "appel_interjete")]) == (
        "« Audience » (audience), « Appel interjeté » (appel_interjete)"
    )
    assert labelled_list([]) == "aucun"


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            lambda: parse_amount("12,3,4"),
            "montant : « 12,3,4 » n'est pas un montant (écrire par exemple 4080.50, 4 080,50 ou "
            "4 080,50 €)",
        ),
        (lambda: parse_amount(Decimal("0.001")), "montant : « 0,001 » a plus de deux décimales"),
        (lambda: parse_amount("-5", "montant TTC"), "montant TTC : « -5 » est négatif"),
        (
            lambda: parse_date("13/02/2026", "today"),
            "today : « 13/02/2026 » n'est pas une date au format AAAA-MM-JJ",
        ),
        (
            lambda: Period.parse("quinze jours"),
            "durée « quinze jours » illisible : écrire par exemple « 15 jours », « 1 mois », "
            "« 2 ans », « 1 mois 15 jours », ou « -15 jours » pour un délai à rebours",
        ),
        (lambda: Period.parse("0 jours"), "durée « 0 jours » nulle"),
    ],
)
def test_refusals_quote_the_value_with_guillemets(call, message):
    with pytest.raises(InputError) as refused:
        call()
    assert str(refused.value) == message


def test_an_unknown_event_names_the_closest_events_by_label_with_the_key_to_type(engine):
    """Not every event of the procedure: the closest by spelling, and where the list is."""
    procedure = engine.procedures["refere_provision"]
    with pytest.raises(InputError) as refused:
        procedure.event("signification")
    assert str(refused.value) == (
        "événement inconnu « signification » pour la procédure « Référé-provision » ; les plus "
        "proches : « Assignation en référé signifiée » (assignation_signifiee), « Ordonnance de "
        "référé signifiée » (ordonnance_signifiee) ; liste complète : casefile procedures "
        "refere_provision, ou GET /api/procedures/refere_provision"
    )
    assert "Audience de référé" not in str(refused.value)


def test_a_label_holding_guillemets_is_quoted_with_inner_quotes():
    """French usage: « … “étranger” … », never « … « étranger » … »."""
    label = "Lieu de la signification à personne (département ou « étranger »), CPC art. 647"
    assert labelled(label, "lieu") == (
        "« Lieu de la signification à personne (département ou “étranger”), CPC art. 647 » (lieu)"
    )
    assert labelled_list([("Audience", "audience"), (label, "lieu")]).count("«") == 2
    assert in_guillemets("Date d'audience") == "« Date d'audience »"


def test_an_unknown_attribute_lists_the_lieu_label_without_nested_guillemets(engine):
    procedure = engine.procedures["injonction_de_payer"]
    with pytest.raises(InputError) as refused:
        engine.parse_event(procedure, "ordonnance_signifiee", "2026-01-05", {"lieu": "zz"})
    assert str(refused.value) == (
        "événement « Ordonnance signifiée au débiteur » (ordonnance_signifiee) : attribut « Lieu "
        "de la signification à personne (département ou “étranger”), CPC art. 647 » (lieu) : "
        "reçu « zz », attendu un code de département ou « étranger »"
    )
    shown = keys_fr(procedure, str(refused.value))
    assert (
        "« Lieu de la signification à personne (département ou “étranger”), CPC art. 647 » :"
        in shown
    )
    assert "(lieu)" not in shown


def test_a_page_shows_the_labels_alone(engine):
    """The CLI's message names « Label » (key); the page drops the key, turns a quoted or bare
    key into its label and leaves the words of a label already written alone."""
    procedure = engine.procedures["assignation_paiement"]
    audience = procedure.events["audience"].label
    obtained = procedure.events["date_audience_obtenue"].label
    assert "audience" in obtained.lower()  # the trap: a key inside another event's label
    text = (
        f"événement « {obtained} » (date_audience_obtenue) : date avant « audience » ; "
        "jugement_rendu"
    )
    assert keys_fr(procedure, text) == (
        f"événement « {obtained} » : date avant « {audience} » ; "
        f"« {procedure.events['jugement_rendu'].label} »"
    )


@pytest.mark.parametrize(
    ("size", "expected"),
    [
        (0, "0\u00a0octets"),
        (1000, "1\u202f000\u00a0octets"),
        (5_000_000, "4,8\u00a0Mo"),
        (200 * 1024 * 1024, "200\u00a0Mo"),
    ],
)
def test_a_file_size_reads_in_octets_or_mo(size, expected):
    """The upload limit of 200 MiB reads « 200 Mo », not « 209715200 octets »."""
    from casefile.law.wording import size_fr

    assert size_fr(size) == expected


SERVICE_NOTE = (
    "le dernier jour utile 2026-12-06 n'est pas un jour ouvrable (dimanche 6 décembre 2026) : "
    "pour la signification, date retenue le 2026-12-04, dernier jour ouvrable avant ; une "
    "signification le samedi 2026-12-05 reste possible (CPC art. 664)"
)


def test_the_day_to_act_in_a_note_names_its_weekday():
    """« date retenue le vendredi 4 décembre 2026 »: the day a commissaire or a lawyer acts
    on carries its weekday, as the due dates do; a date already preceded by its weekday, or
    any other date (« applicable le … », « report au … »), reads as before."""
    from casefile.labels import dates_in_text_fr
    from casefile.law.wording import dates_fr_in

    expected = (
        "le dernier jour utile 6 décembre 2026 n'est pas un jour ouvrable (dimanche 6 décembre "
        "2026) : pour la signification, date retenue le vendredi 4 décembre 2026, dernier jour "
        "ouvrable avant ; une signification le samedi 5 décembre 2026 reste possible (CPC art. "
        "664)"
    )
    assert dates_fr_in(SERVICE_NOTE) == expected
    assert dates_in_text_fr(SERVICE_NOTE) == expected
    assert dates_in_text_fr("agir au plus tard le 2026-12-11 (délai à rebours)") == (
        "agir au plus tard le vendredi 11 décembre 2026 (délai à rebours)"
    )
    assert dates_fr_in("report au 2026-06-01") == "report au 1er juin 2026"
    assert dates_in_text_fr("applicable le 2020-01-06") == "applicable le 6 janvier 2020"
    assert dates_fr_in("dernier jour utile le 2027-01-04 ; compté depuis l'acte") == (
        "dernier jour utile le lundi 4 janvier 2027 ; compté depuis l'acte"
    )
