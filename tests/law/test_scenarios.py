"""One scenario per procedure file, from the first event to the last deadline, read like a file
a lawyer would follow. Dates are real: weekends, holidays and territories matter."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest

from casefile.errors import InputError
from casefile.law.requests import schedule_for
from casefile.law.schedule import CaseFacts, RecordedEvent


def due(schedule, key):
    deadline = schedule.get(key)
    return deadline.due.isoformat() if deadline else None


def test_injonction_de_payer_served_not_in_person_then_first_act_in_person(engine):
    """Art. 1416 al. 2: a signification à domicile does not start the opposition period; the
    first act served in person does (here a commandement on Friday 4 June 2027)."""
    request = {
        "procedure": "injonction_de_payer",
        "events": {
            "requete_deposee": {"date": "2027-01-05"},
            "ordonnance_rendue": {"date": "2027-01-20"},
            "ordonnance_signifiee": {"date": "2027-02-10", "a_personne": False},
        },
    }
    schedule = schedule_for(engine, request)
    assert schedule.get("opposition") is None  # the period has not started (art. 1416 al. 2)
    assert any(w.startswith("opposition:") and "1416 al. 2" in w for w in schedule.warnings)
    # CPC 1411 as amended by décret 2026-96 (ordonnance after 1 September 2026): three months.
    assert due(schedule, "signification_ordonnance") == "2027-04-20"
    assert schedule.get("signification_ordonnance").status == "done"

    request["events"]["premier_acte_a_personne"] = {"date": "2027-06-04"}
    schedule = schedule_for(engine, request)
    opposition = schedule.get("opposition")
    assert (opposition.start.key, opposition.status) == ("premier_acte_a_personne", "pending")
    assert not any(w.startswith("opposition:") for w in schedule.warnings)
    assert opposition.due == date(2027, 7, 5)  # Sunday 4 July 2027 → Monday 5 July

    request["events"]["opposition_formee"] = {"date": "2027-06-20"}
    assert schedule_for(engine, request).get("opposition").status == "done"
    assert schedule_for(engine, request).get("formule_executoire") is None


def test_injonction_de_payer_old_regime_formule_executoire_chained_and_moot(engine):
    """Ordonnance of 15 March 2021: opposition until Monday 3 May 2021 (1 May a Saturday), then
    one month to request the formule exécutoire (former art. 1423): 3 June 2021."""
    events = {
        "ordonnance_rendue": {"date": "2021-03-15"},
        "ordonnance_signifiee": {"date": "2021-04-01", "a_personne": True},
    }
    schedule = schedule_for(engine, {"procedure": "injonction_de_payer", "events": events})
    formule = schedule.get("formule_executoire")
    assert (formule.start.kind, formule.start.key, formule.start.date) == (
        "deadline",
        "opposition",
        date(2021, 5, 3),
    )
    assert formule.due == date(2021, 6, 3)
    events["opposition_formee"] = {"date": "2021-04-20"}
    schedule = schedule_for(engine, {"procedure": "injonction_de_payer", "events": events})
    assert schedule.get("opposition").status == "done"
    assert schedule.get("formule_executoire") is None  # nothing to chain from a satisfied period


def test_injonction_de_payer_debtor_abroad_with_missed_status(engine):
    schedule = schedule_for(
        engine,
        {
            "procedure": "injonction_de_payer",
            "events": {
                "ordonnance_rendue": {"date": "2026-04-25"},
                "ordonnance_signifiee": {"date": "2026-05-20", "a_personne": True},
            },
            "debtor_residence": "etranger",
            "today": "2026-09-01",
        },
    )
    opposition = schedule.get("opposition")
    assert opposition.due == date(2026, 8, 20)
    assert opposition.extension.months == 2
    assert str(opposition.period) == "1 month"
    assert opposition.status == "missed"
    assert opposition.as_dict()["extension"] == "2 months"


def test_refere_provision_appeal_from_signification(engine):
    schedule = schedule_for(
        engine,
        {
            "procedure": "refere_provision",
            "events": {
                "ordonnance_rendue": {"date": "2026-10-20"},
                "ordonnance_signifiee": {"date": "2026-10-27"},
            },
        },
    )
    appel = schedule.get("appel")
    assert appel.due == date(2026, 11, 12)  # 11 November, Armistice
    assert appel.basis == "CPC art. 490"
    assert "Armistice" in appel.moved_because


def test_assignation_tribunal_judiciaire_from_hearing_to_appeal(engine):
    events = {
        "assignation_signifiee": {"date": "2026-10-12"},
        "audience": {"date": "2026-12-03"},
        "jugement_rendu": {"date": "2027-01-14", "par_defaut": True},
        "jugement_signifie": {"date": "2027-02-01"},
    }
    schedule = schedule_for(
        engine,
        {"procedure": "assignation_paiement", "court": "tribunal_judiciaire", "events": events},
    )
    assert due(schedule, "remise_au_greffe") == "2026-11-17"
    assert due(schedule, "constitution_avocat_defendeur") == "2026-10-27"
    assert due(schedule, "signification_jugement_defaut") == "2027-07-15"  # 14 July, fête nationale
    assert schedule.get("signification_jugement_defaut").status == "done"
    assert due(schedule, "appel") == "2027-03-01"
    assert schedule.get("signification_assignation") is None  # tribunal de commerce only


def test_assignation_tribunal_de_commerce_backward_limits(engine):
    """Hearing Wednesday 31 July 2024: serve by 15 July (856), file by 22 July (857)."""
    schedule = schedule_for(
        engine,
        {
            "procedure": "assignation_paiement",
            "court": "tribunal_de_commerce",
            "events": {"audience": {"date": "2024-07-31"}},
        },
    )
    assert due(schedule, "signification_assignation") == "2024-07-15"
    assert due(schedule, "remise_au_greffe") == "2024-07-22"
    assert schedule.get("constitution_avocat_defendeur") is None


def test_assignation_tribunal_de_commerce_defendant_abroad_gets_the_comparution_extension(engine):
    schedule = schedule_for(
        engine,
        {
            "procedure": "assignation_paiement",
            "court": "tribunal_de_commerce",
            "debtor_residence": "etranger",
            "events": {"audience": {"date": "2024-07-31"}},
        },
    )
    assert (
        due(schedule, "signification_assignation") == "2024-05-15"
    )  # 31 July − 2 months − 16 days
    assert due(schedule, "remise_au_greffe") == "2024-07-22"  # placement: no distance extension


def test_backward_deadline_on_a_holiday_warns_with_the_previous_working_day(engine):
    schedule = schedule_for(
        engine,
        {
            "procedure": "assignation_paiement",
            "court": "tribunal_judiciaire",
            "events": {"audience": {"date": "2026-11-17"}},
        },
    )
    assert due(schedule, "remise_au_greffe") == "2026-11-01"
    assert any("2026-10-30" in w for w in schedule.warnings)


def test_petites_creances_response_window_and_threshold_by_date(engine):
    events = {
        "mandat_commissaire": {"date": "2026-06-01"},
        "invitation_envoyee": {"date": "2026-06-14"},
    }
    schedule = schedule_for(
        engine, {"procedure": "petites_creances", "events": events, "claim_total": "4999.99"}
    )
    assert due(schedule, "reponse_debiteur") == "2026-07-15"
    assert schedule.warnings == ()
    over = schedule_for(
        engine, {"procedure": "petites_creances", "events": events, "claim_total": "5000.01"}
    )
    assert any("plafond de 5\u202f000,00\u00a0€" in w for w in over.warnings)
    old = {"invitation_envoyee": {"date": "2019-06-14"}}
    assert any(
        "montant 4\u202f500,00\u00a0€ supérieur au plafond de 4\u202f000,00\u00a0€" in w
        for w in schedule_for(
            engine, {"procedure": "petites_creances", "events": old, "claim_total": "4500"}
        ).warnings
    )
    events["accord_debiteur"] = {"date": "2026-06-20"}
    assert (
        schedule_for(engine, {"procedure": "petites_creances", "events": events})
        .get("reponse_debiteur")
        .status
        == "done"
    )


def test_amiable_prescription_professional_consumer_unknown_and_acknowledgment(engine):
    def prescription(events):
        return schedule_for(engine, {"procedure": "amiable", "events": events}).get("prescription")

    assert prescription(
        {"exigibilite": {"date": "2011-04-23", "debiteur": "professionnel"}}
    ).due == date(2016, 4, 23)
    assert prescription(
        {"exigibilite": {"date": "2025-09-12", "debiteur": "consommateur"}}
    ).due == date(2027, 9, 12)
    unknown = prescription({"exigibilite": {"date": "2025-09-12"}})
    assert (unknown.due, unknown.status) == (date(2027, 9, 12), "uncertain")
    restarted = prescription(
        {
            "exigibilite": {"date": "2020-03-02", "debiteur": "professionnel"},
            "reconnaissance_dette": {"date": "2022-06-30"},
        }
    )
    assert (restarted.start.key, restarted.due) == ("reconnaissance_dette", date(2027, 6, 30))
    paid = prescription(
        {
            "exigibilite": {"date": "2020-03-02", "debiteur": "professionnel"},
            "paiement_integral": {"date": "2021-01-04"},
        }
    )
    assert paid.status == "moot"


def test_amiable_mise_en_demeure_period_from_the_letter_is_not_rolled(engine):
    schedule = schedule_for(
        engine,
        {
            "procedure": "amiable",
            "events": {"mise_en_demeure_envoyee": {"date": "2026-11-06", "delai": "15 days"}},
        },
    )
    assert due(schedule, "paiement_mise_en_demeure") == "2026-11-21"  # a Saturday, contractual term
    default = schedule_for(
        engine,
        {"procedure": "amiable", "events": {"mise_en_demeure_envoyee": {"date": "2026-11-06"}}},
    )
    assert due(default, "paiement_mise_en_demeure") == "2026-11-14"


def test_titre_executoire_ten_years_l111_4(engine):
    schedule = schedule_for(
        engine, {"procedure": "amiable", "events": {"titre_executoire": {"date": "2000-04-01"}}}
    )
    assert due(schedule, "prescription_titre") == "2010-04-01"


@pytest.mark.parametrize(
    ("request_", "message"),
    [
        (
            {"procedure": "nope"},
            "procédure inconnue « nope » ; aucune ne s'en approche ; liste complète : casefile "
            "procedures, ou GET /api/procedures",
        ),
        (
            {"procedure": "refere_provision", "events": {"signification": {"date": "2026-01-01"}}},
            "événement inconnu « signification » pour la procédure « Référé-provision » ; les "
            "plus proches : « Assignation en référé signifiée » (assignation_signifiee), "
            "« Ordonnance de référé signifiée » (ordonnance_signifiee) ; liste complète : ",
        ),
        (
            {
                "procedure": "refere_provision",
                "events": {"ordonnance_signifiee": {"date": "2026-02-30"}},
            },
            "événement « Ordonnance de référé signifiée » (ordonnance_signifiee) : "
            "« 2026-02-30 » : cette date n'existe pas dans le calendrier",
        ),
        (
            {
                "procedure": "refere_provision",
                "events": {"ordonnance_signifiee": {"date": "2026-02-03", "par_fax": True}},
            },
            "attribut inconnu « par_fax » (autorisés : « Signification à personne » (a_personne), ",
        ),
        (
            {
                "procedure": "injonction_de_payer",
                "events": {
                    "ordonnance_rendue": {"date": "2026-03-01"},
                    "ordonnance_signifiee": {"date": "2026-02-01"},
                },
            },
            "événement « Ordonnance signifiée au débiteur » (1er février 2026) "
            "daté avant « Ordonnance portant injonction de payer rendue » (1er mars 2026), "
            "qu'il suit",
        ),
        (
            {
                "procedure": "injonction_de_payer",
                "events": {
                    "ordonnance_signifiee": {"date": "2026-02-01", "a_personne": "peut-être"}
                },
            },
            "événement « Ordonnance signifiée au débiteur » (ordonnance_signifiee) : attribut "
            "« Signification à la personne du débiteur (CPC art. 654) » (a_personne) : reçu « peut-être », attendu "
            "oui ou non (true ou false)",
        ),
        (
            {"procedure": "refere_provision", "court_department": "99"},
            "département de la juridiction : « 99 » n'est pas le code d'un département",
        ),
        (
            {"procedure": "refere_provision", "debtor_residence": "Mars"},
            "résidence du débiteur : « Mars » n'est pas",
        ),
        ({"procedure": "refere_provision", "claim_total": "12,345.6.7"}, "claim_total"),
        ({"procedure": "refere_provision", "claim_total": 12.5}, "nombre à virgule flottante"),
        (
            {"procedure": "refere_provision", "court": "cour_de_cassation"},
            "juridiction « cour_de_cassation » non disponible pour la procédure "
            "« Référé-provision » (au choix : « tribunal judiciaire » (tribunal_judiciaire), "
            "« tribunal de commerce » (tribunal_de_commerce))",
        ),
        (
            {
                "procedure": "amiable",
                "events": {"mise_en_demeure_envoyee": {"date": "2026-01-01", "delai": "soon"}},
            },
            "durée « soon » illisible : écrire par exemple « 15 jours »",
        ),
        (
            {"procedure": "refere_provision", "colour": "blue"},
            "champ(s) inconnu(s) « colour » (autorisés : claim_total, court, ",
        ),
    ],
)
def test_bad_input_names_the_input(engine, request_, message):
    with pytest.raises(InputError, match=re.escape(message)):
        schedule_for(engine, request_)


def test_compute_accepts_typed_events_and_is_deterministic(engine):
    events = [RecordedEvent("ordonnance_signifiee", date(2026, 12, 11))]
    first = engine.compute(
        "refere_provision", events, CaseFacts(court_department="68", claim_total=Decimal("100"))
    )
    second = engine.compute(
        "refere_provision", events, CaseFacts(court_department="68", claim_total=Decimal("100"))
    )
    assert first == second
    assert first.territory == "alsace-moselle"
    assert first.get("appel").due == date(2026, 12, 28)


def test_every_deadline_explains_itself(engine):
    schedule = schedule_for(
        engine,
        {
            "procedure": "injonction_de_payer",
            "events": {"ordonnance_signifiee": {"date": "2027-01-29", "a_personne": True}},
            "debtor_residence": "972",
        },
    )
    lines = schedule.get("opposition").explanation()
    text = "\n".join(lines)
    for fragment in (
        "ordonnance_signifiee du 29 janvier 2027",
        "Délai : 1 mois (CPC art. 641",
        "1 mois (CPC art. 643",
        "Date brute",
        "Échéance",
        "CPC art. 1416",
        "https://",
    ):
        assert fragment in text
    assert "2027-" not in text and "month" not in text  # dates and periods in French
    labelled = schedule.get("opposition").explanation("Ordonnance signifiée au débiteur")
    assert labelled[0] == "Point de départ : Ordonnance signifiée au débiteur du 29 janvier 2027"


def test_article_647_debtor_abroad_served_in_person_in_paris_gets_no_extension(engine):
    """A debtor living abroad but served in person in Paris (where residents get no
    extension) has only the ordinary month (CPC art. 647)."""
    base = {"ordonnance_rendue": {"date": "2026-04-25"}}

    def opposition(signification):
        request = {
            "procedure": "injonction_de_payer",
            "events": {**base, "ordonnance_signifiee": signification},
            "debtor_residence": "etranger",
        }
        return schedule_for(engine, request).get("opposition")

    abroad = opposition({"date": "2026-05-20", "a_personne": True})
    assert (abroad.due, abroad.extension.months) == (date(2026, 8, 20), 2)
    in_paris = opposition({"date": "2026-05-20", "a_personne": True, "lieu": "75"})
    assert (in_paris.due, in_paris.extension) == (date(2026, 6, 22), None)  # 20 June: Saturday
    assert any("647" in note for note in in_paris.notes)
    in_martinique = opposition({"date": "2026-05-20", "a_personne": True, "lieu": "972"})
    assert (in_martinique.due, in_martinique.extension.months) == (date(2026, 7, 20), 1)
    with pytest.raises(
        InputError,
        match=re.escape(
            "(lieu) : reçu « Atlantis », attendu un code de département ou « étranger »"
        ),
    ):
        opposition({"date": "2026-05-20", "a_personne": True, "lieu": "Atlantis"})
