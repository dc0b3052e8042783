"""Statuses that tell the truth (issue 10 item 7), events in an impossible order (item 8) and the
four rules of item 2 (CPC 754 al. 2 and its versions, 763 al. 2, former 1422/1423, backward
limits with a distance extension). Every date below is a real calendar date; the comment says
why it is the right one."""

from __future__ import annotations

from datetime import date

import pytest

from casefile.errors import InputError
from casefile.law.requests import schedule_for
from casefile.law.schedule import CaseFacts, RecordedEvent
from casefile.law.todo import to_do


def schedule(engine, procedure, events, **facts):
    return schedule_for(engine, {"procedure": procedure, "events": events, **facts})


def rule_text(engine, procedure, deadline):
    """The quoted text of the rule version that produced `deadline`."""
    rules = engine.procedures[procedure].deadlines
    return next(r.text for r in rules if (r.key, r.basis) == (deadline.key, deadline.basis))


def warned(result, *words):
    return any(all(word in w for word in words) for w in result.warnings)


def noted(deadline, *words):
    return any(all(word in n for word in words) for n in deadline.notes)


# -- Item 7: an act after its deadline is not "done" ------------------------------------------


def test_ordonnance_served_after_six_months_is_missed_and_opens_no_opposition(engine):
    """CPC 1411: ordonnance of Monday 5 January 2026 → Sunday 5 July → Monday 6 July 2026 (642).
    Served à personne on 20 July: non avenue, so no opposition period runs."""
    late = schedule(
        engine,
        "injonction_de_payer",
        {
            "ordonnance_rendue": {"date": "2026-01-05"},
            "ordonnance_signifiee": {"date": "2026-07-20", "a_personne": True},
        },
    )
    signification = late.get("signification_ordonnance")
    assert (signification.due, signification.status) == (date(2026, 7, 6), "missed")
    assert noted(signification, "2026-07-20", "non avenue")
    opposition = late.get("opposition")
    assert opposition.status == "moot"
    assert noted(opposition, "Sans objet", "CPC art. 1411")
    assert warned(late, "opposition: sans objet", "non avenue")

    on_time = schedule(
        engine,
        "injonction_de_payer",
        {
            "ordonnance_rendue": {"date": "2026-01-05"},
            "ordonnance_signifiee": {"date": "2026-07-06", "a_personne": True},
        },
    )
    assert on_time.get("signification_ordonnance").status == "done"  # on the due day itself
    assert (on_time.get("opposition").due, on_time.get("opposition").status) == (
        date(2026, 8, 6),
        "pending",
    )


def test_old_regime_ordonnance_served_late_has_no_formule_executoire(engine):
    """Ordonnance of 15 March 2021 (former regime), served 16 September 2021: six months ended
    Wednesday 15 September 2021. Non avenue: no opposition, no formule exécutoire request."""
    result = schedule(
        engine,
        "injonction_de_payer",
        {
            "ordonnance_rendue": {"date": "2021-03-15"},
            "ordonnance_signifiee": {"date": "2021-09-16", "a_personne": True},
        },
    )
    assert result.get("signification_ordonnance").status == "missed"
    assert result.get("opposition").status == "moot"
    assert result.get("formule_executoire") is None


def test_no_signification_by_today_lapses_the_ordonnance(engine):
    result = schedule_for(
        engine,
        {
            "procedure": "injonction_de_payer",
            "events": {"ordonnance_rendue": {"date": "2026-01-05"}},
            "today": "2026-07-07",
        },
    )
    assert result.get("signification_ordonnance").status == "missed"


def test_late_opposition_is_missed_irrecevable(engine):
    """Served Friday 29 January 2027 → 28 February (no 29th) a Sunday → Monday 1 March 2027."""
    events = {
        "ordonnance_rendue": {"date": "2027-01-04"},
        "ordonnance_signifiee": {"date": "2027-01-29", "a_personne": True},
        "opposition_formee": {"date": "2027-03-02"},
    }
    late = schedule(engine, "injonction_de_payer", events).get("opposition")
    assert (late.due, late.status) == (date(2027, 3, 1), "missed")
    assert noted(late, "Opposition formée par le débiteur", "2027-03-02", "irrecevable")
    events["opposition_formee"] = {"date": "2027-03-01"}
    assert schedule(engine, "injonction_de_payer", events).get("opposition").status == "done"


def test_late_appeal_against_a_refere_ordonnance_is_missed(engine):
    """Served 27 October 2026 + 15 days = Wednesday 11 November (Armistice) → 12 November."""
    events = {
        "ordonnance_signifiee": {"date": "2026-10-27"},
        "appel_interjete": {"date": "2026-11-13"},
    }
    appel = schedule(engine, "refere_provision", events).get("appel")
    assert (appel.due, appel.status) == (date(2026, 11, 12), "missed")
    events["appel_interjete"] = {"date": "2026-11-12"}
    assert schedule(engine, "refere_provision", events).get("appel").status == "done"


def test_copy_filed_after_the_754_limit_is_missed_caducite(engine):
    """Hearing Thursday 3 December 2026: last useful day Tuesday 17 November 2026."""
    events = {
        "audience": {"date": "2026-12-03"},
        "assignation_remise_au_greffe": {"date": "2026-11-18"},
    }
    remise = schedule(engine, "assignation_paiement", events, court="tribunal_judiciaire").get(
        "remise_au_greffe"
    )
    assert (remise.due, remise.status) == (date(2026, 11, 17), "missed")
    assert noted(remise, "Caducité")
    events["assignation_remise_au_greffe"] = {"date": "2026-11-17"}
    assert (
        schedule(engine, "assignation_paiement", events, court="tribunal_judiciaire")
        .get("remise_au_greffe")
        .status
        == "done"
    )


def test_copy_filed_after_the_857_limit_is_missed(engine):
    """Tribunal de commerce, hearing Wednesday 31 July 2024: file by Monday 22 July 2024."""
    events = {
        "audience": {"date": "2024-07-31"},
        "assignation_remise_au_greffe": {"date": "2024-07-23"},
    }
    remise = schedule(engine, "assignation_paiement", events, court="tribunal_de_commerce").get(
        "remise_au_greffe"
    )
    assert (remise.due, remise.status) == (date(2024, 7, 22), "missed")


@pytest.mark.parametrize(
    ("served", "status", "order_warning"),
    [
        ("2024-07-15", "done", False),
        ("2024-07-16", "missed", False),
        ("2024-08-01", "missed", True),
    ],
)
def test_assignation_served_after_the_856_limit_or_after_the_hearing(
    engine, served, status, order_warning
):
    """Hearing 31 July 2024: serve by Monday 15 July 2024 (856, hearing − 16 days)."""
    result = schedule(
        engine,
        "assignation_paiement",
        {"audience": {"date": "2024-07-31"}, "assignation_signifiee": {"date": served}},
        court="tribunal_de_commerce",
    )
    deadline = result.get("signification_assignation")
    assert (deadline.due, deadline.status) == (date(2024, 7, 15), status)
    assert warned(result, "ordre impossible", "Audience") is order_warning


def test_court_action_after_the_limitation_period_leaves_it_expired(engine):
    """Exigibility Saturday 23 April 2011, 5 years (L110-4): ends Saturday 23 April 2016, not
    moved (C. civ. 2229). A demand on Monday 25 April 2016 comes too late (2241 interrupts only
    a running period)."""
    events = {
        "exigibilite": {"date": "2011-04-23", "debiteur": "professionnel"},
        "demande_en_justice": {"date": "2016-04-25"},
    }
    prescription = schedule(engine, "amiable", events).get("prescription")
    assert (prescription.due, prescription.status) == (date(2016, 4, 23), "missed")
    assert noted(prescription, "prescrite")
    events["demande_en_justice"] = {"date": "2016-04-23"}
    assert schedule(engine, "amiable", events).get("prescription").status == "done"


def test_acknowledgment_after_the_period_does_not_restart_it(engine):
    """Consumer debt due 2 March 2020: 2 years (L218-2) → 2 March 2022. An acknowledgment of
    30 June 2022 comes after: no new period (2240), at most a renunciation (2250-2251)."""
    late = schedule(
        engine,
        "amiable",
        {
            "exigibilite": {"date": "2020-03-02", "debiteur": "consommateur"},
            "reconnaissance_dette": {"date": "2022-06-30"},
        },
    )
    prescription = late.get("prescription")
    assert (prescription.start.key, prescription.due) == ("exigibilite", date(2022, 3, 2))
    assert noted(prescription, "2022-06-30", "2250-2251")
    assert warned(late, "prescription", "sans effet")

    in_time = schedule(
        engine,
        "amiable",
        {
            "exigibilite": {"date": "2020-03-02", "debiteur": "consommateur"},
            "reconnaissance_dette": {"date": "2022-03-02"},  # the last day still interrupts
        },
    ).get("prescription")
    assert (in_time.start.key, in_time.due) == ("reconnaissance_dette", date(2024, 3, 2))


def test_an_uncertain_deadline_becomes_missed_after_its_date(engine):
    """Debtor's status unknown: the 2-year period is kept (uncertain) — 12 September 2027."""

    def status(today):
        return (
            schedule_for(
                engine,
                {
                    "procedure": "amiable",
                    "events": {"exigibilite": {"date": "2025-09-12"}},
                    "today": today,
                },
            )
            .get("prescription")
            .status
        )

    assert status("2027-09-12") == "uncertain"
    assert status("2027-09-13") == "missed"


def test_default_judgment_served_after_six_months_opens_no_appeal(engine):
    """Default judgment of Thursday 14 January 2027: six months → 14 July 2027 (fête nationale)
    → Thursday 15 July (478). Served 20 July: non avenu, the appeal period is moot."""
    result = schedule(
        engine,
        "assignation_paiement",
        {
            "jugement_rendu": {"date": "2027-01-14", "par_defaut": True},
            "jugement_signifie": {"date": "2027-07-20"},
        },
        court="tribunal_judiciaire",
    )
    assert result.get("signification_jugement_defaut").due == date(2027, 7, 15)
    assert result.get("signification_jugement_defaut").status == "missed"
    assert result.get("appel").status == "moot"


# -- Item 8: events in an impossible order -------------------------------------------------


@pytest.mark.parametrize("event", ["premier_acte_a_personne", "premiere_mesure_execution"])
def test_act_before_the_ordonnance_was_served_starts_no_opposition(engine, event):
    result = schedule(
        engine,
        "injonction_de_payer",
        {
            "ordonnance_rendue": {"date": "2027-01-20"},
            "ordonnance_signifiee": {"date": "2027-02-10", "a_personne": False},
            event: {"date": "2027-02-01"},
        },
    )
    assert result.get("opposition") is None
    assert warned(result, "opposition:", "2027-02-01", "antérieur", "ne fait pas courir")


def test_of_the_two_1416_al_2_starts_the_earlier_is_kept_with_a_warning(engine):
    """Served at home 10 February 2027; attachment 1 March; act in person 5 April. The earlier
    (1 March) is kept: opposition until Thursday 1 April 2027."""
    events = {
        "ordonnance_rendue": {"date": "2027-01-20"},
        "ordonnance_signifiee": {"date": "2027-02-10", "a_personne": False},
        "premiere_mesure_execution": {"date": "2027-03-01"},
        "premier_acte_a_personne": {"date": "2027-04-05"},
    }
    result = schedule(engine, "injonction_de_payer", events)
    opposition = result.get("opposition")
    assert (opposition.start.key, opposition.due) == ("premiere_mesure_execution", date(2027, 4, 1))
    assert warned(result, "deux points de départ", "le plus précoce")
    events["premier_acte_a_personne"] = {"date": "2027-02-20"}  # the act in person first
    result = schedule(engine, "injonction_de_payer", events)
    assert result.get("opposition").start.key == "premier_acte_a_personne"
    assert result.get("opposition").due == date(2027, 3, 22)  # 20 March is a Saturday
    assert not warned(result, "deux points de départ")


def test_judgment_before_its_hearing_is_flagged(engine):
    result = schedule(
        engine,
        "assignation_paiement",
        {"audience": {"date": "2026-12-03"}, "jugement_rendu": {"date": "2026-11-20"}},
        court="tribunal_judiciaire",
    )
    assert warned(result, "ordre impossible", "Jugement rendu", "2026-11-20", "précède")


def test_agreement_and_refusal_both_recorded_are_flagged(engine):
    result = schedule(
        engine,
        "petites_creances",
        {
            "invitation_envoyee": {"date": "2026-06-14"},
            "accord_debiteur": {"date": "2026-06-20"},
            "refus_debiteur": {"date": "2026-06-25"},
        },
    )
    assert warned(result, "faits contradictoires", "Accord du débiteur", "Refus du débiteur")
    assert sum("faits contradictoires" in w for w in result.warnings) == 1


def test_petites_creances_ceiling_is_read_at_the_invitation_date(engine):
    """Mandate 20 December 2019 (ceiling 4 000 €), invitation 6 January 2020 (5 000 €, décret
    2019-1333): a 4 500 € claim is eligible."""
    events = {
        "mandat_commissaire": {"date": "2019-12-20"},
        "invitation_envoyee": {"date": "2020-01-06"},
    }
    result = schedule(engine, "petites_creances", events, claim_total="4500")
    assert not warned(result, "plafond")
    result = schedule(engine, "petites_creances", events, claim_total="5000.01")
    assert list(result.warnings) == [
        "montant 5\u202f000,01\u00a0€ supérieur au plafond de 5\u202f000,00\u00a0€ applicable le "
        "6 janvier 2020 (CPCE art. R125-1 (décret n° 2019-1333 du 11 décembre 2019)) : procédure "
        "non ouverte"
    ]


def test_a_negative_period_in_an_attribute_is_refused(engine):
    with pytest.raises(InputError, match="durée négative"):
        schedule(
            engine,
            "amiable",
            {"mise_en_demeure_envoyee": {"date": "2026-11-06", "delai": "-8 days"}},
        )


# -- Item 2: four rules -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("served", "due", "capped"),
    [
        # 17 Nov + 15 days = Wednesday 2 December, the eve of the hearing: al. 1
        ("2026-11-17", date(2026, 12, 2), False),
        # 18 Nov + 15 days = 3 December, the hearing itself: al. 2
        ("2026-11-18", date(2026, 12, 3), True),
        # 20 Nov + 15 days = Saturday 5 December → Monday 7th, after the hearing: until the hearing
        ("2026-11-20", date(2026, 12, 3), True),
    ],
)
def test_763_al_2_constitution_until_the_hearing(engine, served, due, capped):
    result = schedule(
        engine,
        "assignation_paiement",
        {"audience": {"date": "2026-12-03"}, "assignation_signifiee": {"date": served}},
        court="tribunal_judiciaire",
    )
    deadline = result.get("constitution_avocat_defendeur")
    assert deadline.due == due
    assert noted(deadline, "763 al. 2", "jusqu'à l'audience") is capped


def test_763_al_2_with_a_distance_extension_keeps_the_hearing(engine):
    """Defendant abroad served 12 October 2026: 15 days + 2 months end after the hearing of
    3 December 2026; the earlier date, the hearing, is kept."""
    deadline = schedule(
        engine,
        "assignation_paiement",
        {"audience": {"date": "2026-12-03"}, "assignation_signifiee": {"date": "2026-10-12"}},
        court="tribunal_judiciaire",
        debtor_residence="etranger",
    ).get("constitution_avocat_defendeur")
    assert (deadline.due, deadline.extension.months) == (date(2026, 12, 3), 2)


@pytest.mark.parametrize(
    ("obtained", "due", "words"),
    [
        # obtained on the last useful day (hearing − 16 days): the 15-day limit applies
        ("2026-11-17", date(2026, 11, 17), "plus de quinze jours"),
        # obtained 15 days before: no 15-day limit; the eve of the hearing is kept
        ("2026-11-18", date(2026, 12, 2), "quinze jours ou moins"),
        (None, date(2026, 11, 17), "non enregistrée"),
    ],
)
def test_754_al_2_the_15_day_limit_needs_a_date_given_more_than_15_days_ahead(
    engine, obtained, due, words
):
    events = {"audience": {"date": "2026-12-03"}}
    if obtained:
        events["date_audience_obtenue"] = {"date": obtained}
    remise = schedule(engine, "assignation_paiement", events, court="tribunal_judiciaire").get(
        "remise_au_greffe"
    )
    assert remise.due == due
    assert "décret n° 2021-1322" in remise.basis
    assert remise.source.startswith("https://www.legifrance.gouv.fr/codes/article_lc/LEGIARTI")
    assert noted(remise, words)


def test_754_versions_by_date_of_the_hearing(engine):
    def remise(hearing, obtained=None):
        events = {"audience": {"date": hearing}}
        if obtained:
            events["date_audience_obtenue"] = {"date": obtained, "electronique": True}
        return schedule(engine, "assignation_paiement", events, court="tribunal_judiciaire")

    current = remise("2022-03-10", "2021-12-01")
    assert "2021-1322" in current.get("remise_au_greffe").basis
    assert "ce délai sous peine de caducité" in rule_text(
        engine, "assignation_paiement", current.get("remise_au_greffe")
    )
    assert current.get("remise_au_greffe_deux_mois") is None  # removed from 1 November 2021

    # Décret 2020-1452: date given electronically on 1 March 2021 → two months → Saturday
    # 1 May 2021 (fête du travail) → Monday 3 May; and 15 days before the hearing of 15 June
    # 2021 → Sunday 30 May 2021 (kept, never moved; warning for a paper filing).
    v2 = remise("2021-06-15", "2021-03-01")
    assert "2020-1452" in v2.get("remise_au_greffe").basis
    assert "En outre" in rule_text(engine, "assignation_paiement", v2.get("remise_au_greffe"))
    assert v2.get("remise_au_greffe").due == date(2021, 5, 30)
    assert v2.get("remise_au_greffe_deux_mois").due == date(2021, 5, 3)
    assert warned(v2, "remise_au_greffe", "2021-05-28")  # Friday before

    v1 = remise("2020-10-01", "2020-06-15")
    assert "2019-1333" in v1.get("remise_au_greffe").basis
    assert "748-1" in rule_text(engine, "assignation_paiement", v1.get("remise_au_greffe"))
    assert v1.get("remise_au_greffe_deux_mois").due == date(2020, 8, 17)  # 15 Aug, Sat → Mon 17


def test_former_1422_formule_executoire_whatever_the_manner_of_service(engine):
    """Ordonnance of 15 March 2021 served at home on 1 April 2021: the month of former art. 1422
    ends Saturday 1 May (fête du travail) → Monday 3 May 2021; the request for the formule
    exécutoire (former art. 1423) is due Thursday 3 June 2021 — with or without the attribute."""
    for signification in (
        {"date": "2021-04-01", "a_personne": False},
        {"date": "2021-04-01"},
    ):
        result = schedule(
            engine,
            "injonction_de_payer",
            {"ordonnance_rendue": {"date": "2021-03-15"}, "ordonnance_signifiee": signification},
        )
        assert result.get("opposition") is None  # 1416 al. 2: not started
        assert result.get("opposition_ancien_1422").due == date(2021, 5, 3)
        formule = result.get("formule_executoire")
        assert (formule.start.key, formule.due) == ("opposition_ancien_1422", date(2021, 6, 3))
        assert noted(formule, "quelles que soient les modalités")
    # After the first act in person the opposition runs on, the creditor's limit does not move.
    result = schedule(
        engine,
        "injonction_de_payer",
        {
            "ordonnance_rendue": {"date": "2021-03-15"},
            "ordonnance_signifiee": {"date": "2021-04-01", "a_personne": False},
            "premier_acte_a_personne": {"date": "2021-05-10"},
        },
    )
    assert result.get("opposition").due == date(2021, 6, 10)
    assert result.get("formule_executoire").due == date(2021, 6, 3)
    # A post-reform ordonnance has neither.
    recent = schedule(
        engine,
        "injonction_de_payer",
        {
            "ordonnance_rendue": {"date": "2022-03-15"},
            "ordonnance_signifiee": {"date": "2022-04-01", "a_personne": False},
        },
    )
    assert recent.get("opposition_ancien_1422") is None
    assert recent.get("formule_executoire") is None


def test_backward_limit_with_a_distance_extension_keeps_the_earlier_reading(engine):
    """Tribunal de commerce, defendant abroad, hearing Monday 3 March 2025: 15 days + 2 months.
    Back from the hearing: 3 January − 16 days = 18 December 2024. Forward from the act so that
    the whole period ends by Sunday 2 March: 15 December 2024 (+2 months = 15 February, +15
    days = 2 March). The earlier, Sunday 15 December 2024, is kept (date kept for the
    signification: Friday 13; Saturday 14 remains possible, CPC art. 664)."""
    result = schedule(
        engine,
        "assignation_paiement",
        {"audience": {"date": "2025-03-03"}},
        court="tribunal_de_commerce",
        debtor_residence="etranger",
    )
    assert result.get("signification_assignation").due == date(2024, 12, 15)
    assert warned(result, "signification_assignation", "2024-12-18", "2024-12-15", "plus précoce")
    assert warned(result, "signification_assignation", "2024-12-13")
    # Hearing Wednesday 30 April 2025: back, 28 February − 16 days = 12 February; forward,
    # 14 February (+2 months + 15 days = 29 April). The earlier, back from the hearing, is kept.
    result = schedule(
        engine,
        "assignation_paiement",
        {"audience": {"date": "2025-04-30"}},
        court="tribunal_de_commerce",
        debtor_residence="etranger",
    )
    assert result.get("signification_assignation").due == date(2025, 2, 12)
    assert warned(result, "2025-02-12", "2025-02-14")


def test_a_served_act_due_on_a_day_not_worked_keeps_its_date_and_names_the_saturday(engine):
    """Tribunal de commerce, hearing Monday 18 January 2027. The assignation is served by a
    commissaire de justice at least 15 days before (art. 856): 18 January − 16 days = Saturday
    2 January 2027, never moved later. 1 January is a holiday: the date kept is Thursday
    31 December 2026, and a signification on the Saturday remains possible (CPC art. 664: no
    signification on a Sunday or a holiday, a Saturday is not excluded). The copy filed at the
    greffe (art. 857, hearing − 9 days = Saturday 9 January) keeps the paper filing's note."""
    result = schedule(
        engine,
        "assignation_paiement",
        {"audience": {"date": "2027-01-18"}},
        court="tribunal_de_commerce",
    )
    served = result.get("signification_assignation")
    assert (served.due, served.unadjusted, served.moved_because) == (
        date(2027, 1, 2),
        date(2027, 1, 2),
        None,
    )
    note = (
        "le dernier jour utile 2027-01-02 n'est pas un jour ouvrable (samedi 2027-01-02) : pour "
        "la signification, date retenue le 2026-12-31, dernier jour ouvrable avant ; une "
        "signification le samedi 2027-01-02 reste possible (CPC art. 664), mais la date la plus "
        "précoce est retenue par prudence (délai à rebours, jamais reporté)"
    )
    assert served.notes[-1] == note
    assert f"signification_assignation: {note}" in result.warnings
    filed = result.get("remise_au_greffe")
    assert filed.due == date(2027, 1, 9)
    assert filed.notes[-1] == (
        "le dernier jour utile 2027-01-09 n'est pas un jour ouvrable (samedi 2027-01-09) : pour "
        "un dépôt papier au greffe, agir au plus tard le 2027-01-08 (délai à rebours, jamais "
        "reporté)"
    )
    # Hearing Tuesday 19 January 2027 → Sunday 3 January: no signification that Sunday; the
    # Saturday before it is named.
    sunday = schedule(
        engine,
        "assignation_paiement",
        {"audience": {"date": "2027-01-19"}},
        court="tribunal_de_commerce",
    ).get("signification_assignation")
    assert sunday.due == date(2027, 1, 3)
    assert "date retenue le 2026-12-31" in sunday.notes[-1]
    assert "signification le samedi 2027-01-02 reste possible" in sunday.notes[-1]
    # Hearing Friday 30 July 2027 → Wednesday 14 July, a holiday in the week: the day before
    # is kept, and there is no Saturday to name.
    holiday = schedule(
        engine,
        "assignation_paiement",
        {"audience": {"date": "2027-07-30"}},
        court="tribunal_de_commerce",
    ).get("signification_assignation")
    assert holiday.due == date(2027, 7, 14)
    assert holiday.notes[-1] == (
        "le dernier jour utile 2027-07-14 n'est pas un jour ouvrable (mercredi 2027-07-14 "
        "(Fête nationale)) : pour la signification, date retenue le 2027-07-13, dernier jour "
        "ouvrable avant (délai à rebours, jamais reporté)"
    )


def test_an_ordonnance_served_late_leaves_nothing_to_do_and_no_opposition_to_wait_for(engine):
    """Served 20 July 2026, after the 1411 limit (Monday 6 July 2026): no "serve the ordonnance"
    task remains, and the non-avenue ordonnance has no opposition period to watch."""
    events = [
        RecordedEvent("ordonnance_rendue", date(2026, 1, 5)),
        RecordedEvent("ordonnance_signifiee", date(2026, 7, 20), {"a_personne": True}),
    ]
    today = date(2026, 7, 21)
    result = engine.compute("injonction_de_payer", events, CaseFacts(), today=today)
    deadlines = [d.as_dict() for d in result.deadlines]
    todo = to_do(
        engine.procedures["injonction_de_payer"], deadlines, [e.key for e in events], today
    )
    assert [t.key for t in todo.tasks] == []
    assert [t.key for t in todo.theirs] == []
