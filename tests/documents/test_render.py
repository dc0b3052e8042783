"""Rendered pleadings: golden text per template and situation, escaping, the law of each
situation, and the rules of applicability.

The .docx templates are the source a lawyer edits; these golden files guard the RENDERED TEXT
of each document for each situation (company, sole-trader creditor, consumer debtor,
Alsace-Moselle court). Regenerate them with `UPDATE_GOLDEN=1 pytest tests/documents` and review
the diff.
"""

from __future__ import annotations

import io
import os
import re
import zipfile
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from lxml import etree

from casefile.documents.context import Court, MissingField
from casefile.documents.demo import DEBTOR, SITUATIONS, demo_case, demo_for
from casefile.documents.manifest import load_manifest
from casefile.documents.render import build_context, fields_of, render
from casefile.documents.text import docx_text
from casefile.errors import InputError, NotFound

GOLDEN = Path(__file__).parent / "golden"
KEYS = sorted(load_manifest().templates)


def test_every_document_kind_of_the_issue_has_a_template():
    assert (
        sorted(
            [
                "mise_en_demeure",
                "lettre_relance",
                "requete_injonction_tj",
                "requete_injonction_tc",
                "certificat_non_opposition",
                "demande_formule_executoire",
                "assignation_refere_provision",
                "assignation_paiement_tj",
                "assignation_paiement_tj_sans_avocat",
                "assignation_paiement_tc",
                "mandat_petites_creances",
                "decompte_creance",
                "bordereau_pieces",
            ]
        )
        == KEYS
    )


def applies(key: str, situation: str) -> bool:
    """A consumer is not a trader: no commercial-court document for that situation."""
    return not (situation == "consommateur" and key.endswith("_tc"))


DOUBLED = re.compile(r"\b(\w+),? \1\b", re.IGNORECASE)
REFLEXIVE = {"vous", "nous"}
CASES = [(s, k) for s in SITUATIONS for k in KEYS if applies(k, s)]


@pytest.mark.parametrize(("situation", "key"), CASES)
def test_rendered_text_matches_the_golden_file(situation, key):
    text = docx_text(render(key, demo_for(key, situation=situation)))
    golden = GOLDEN / situation / f"{key}.txt"
    if os.environ.get("UPDATE_GOLDEN") == "1":
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(text, encoding="utf-8")
    assert golden.exists(), f"run UPDATE_GOLDEN=1 pytest {__file__} to create {golden}"
    assert text == golden.read_text(encoding="utf-8")


@pytest.mark.parametrize(("situation", "key"), CASES)
def test_every_rendering_is_complete_and_carries_its_mentions(situation, key):
    """No raw key, no None, no doubled word, no placeholder (the demo data are complete); the
    manifest's mentions always; the L441-10 / D441-5 ones exactly between professionals."""
    text = docx_text(render(key, demo_for(key, situation=situation)))
    flat = " ".join(text.split())
    assert "{{" not in text and "{%" not in text and "None" not in text
    assert "à compléter]" not in text
    for line in text.splitlines():  # "vous vous exposez" is French, "SAS, SAS" is not
        doubled = DOUBLED.search(line)
        assert doubled is None or doubled.group(1).lower() in REFLEXIVE, line
    spec = load_manifest().templates[key]
    for mention in spec.mentions:
        assert " ".join(mention.split()) in flat, mention
    professional = situation != "consommateur"
    for mention in spec.professional_mentions:
        assert (mention in flat) is professional, mention
    if not professional:
        assert "L. 441-10" not in flat and "D. 441-5" not in flat and "40 euros" not in flat


@pytest.mark.parametrize("key", KEYS)
def test_rendered_docx_is_valid_xml_and_leaves_no_template_tag(key):
    data = render(key, demo_for(key))
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if name.endswith(".xml"):
                etree.fromstring(archive.read(name))  # raises on invalid XML
        body = archive.read("word/document.xml").decode()
    assert "{{" not in body and "{%" not in body
    text = docx_text(data)
    assert "Dupont & Fils <SARL>" in text


def test_user_text_with_markup_is_escaped_not_lost():
    data = render("bordereau_pieces", demo_case())
    body = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode()
    assert "Dupont &amp; Fils &lt;SARL&gt;" in body
    assert "<SARL>" not in body


def test_user_text_is_never_evaluated_as_a_template():
    debtor = replace(DEBTOR, name="{{ 7*7 }} {% if true %}X{% endif %} {#c#}")
    case = replace(demo_case(), debtor=debtor)
    text = docx_text(render("requete_injonction_tj", case))
    assert "la société {{ 7*7 }} {% if true %}X{% endif %} {#c#}, SARL" in text
    assert " 49 " not in text


def test_footer_text_is_rendered_and_escaped_too():
    text = docx_text(render("requete_injonction_tj", demo_case()))
    footer = text.split("--- pied de page ---\n")[1]
    assert footer.strip() == (
        "la société Fournitures Rhénanes c/ la société Dupont & Fils <SARL> — Réf. 2026-STR-0042"
    )


def test_a_document_dated_before_1_july_2022_names_the_huissier_de_justice():
    text = docx_text(render("demande_formule_executoire", demo_for("demande_formule_executoire")))
    assert "Maître Thomas Roth, huissier de justice" in text
    assert "commissaire de justice" not in text
    later = docx_text(render("certificat_non_opposition", demo_case()))
    assert "Maître Thomas Roth, commissaire de justice" in later


def test_the_day_commissaires_de_justice_start_uses_the_new_title():
    case = replace(demo_case(), document_date=date(2022, 7, 1))
    assert build_context("mandat_petites_creances", case)["commissaire_titre"] == (
        "commissaire de justice"
    )
    case = replace(case, document_date=date(2022, 6, 30))
    assert build_context("mandat_petites_creances", case)["commissaire_titre"] == (
        "huissier de justice"
    )


def test_refere_provision_cites_835_before_the_tj_and_873_before_the_tc():
    tj = docx_text(render("assignation_refere_provision", demo_case()))
    assert "Selon l'article 835, alinéa 2, du code de procédure civile" in tj
    tc_case = demo_for("requete_injonction_tc")
    tc = docx_text(render("assignation_refere_provision", tc_case))
    assert "Selon l'article 873, alinéa 2, du code de procédure civile" in tc
    assert "Tribunal de commerce de Dijon" in tc


def test_a_court_specific_template_refuses_the_other_court():
    with pytest.raises(InputError, match="rédigé pour un tribunal de commerce, pas pour « "):
        render("requete_injonction_tc", demo_case())
    tc = Court("tribunal_de_commerce", "Tribunal de commerce de Dijon", "Dijon")
    with pytest.raises(InputError) as refused:
        render("assignation_paiement_tj", replace(demo_case(), court=tc))
    assert str(refused.value) == (
        "le modèle « Assignation en paiement (tribunal judiciaire) » est rédigé pour un "
        "tribunal judiciaire, pas pour "
        "« Tribunal de commerce de Dijon » (tribunal de commerce)"
    )


def test_certificat_is_for_ordonnances_from_1_march_2022_and_formule_for_earlier_ones():
    """Décret 2021-1322: from 1 March 2022 the ordonnance bears the formule exécutoire."""
    old = replace(demo_case(), ordonnance_date=date(2022, 2, 28))
    new = replace(demo_case(), ordonnance_date=date(2022, 3, 1))
    with pytest.raises(InputError) as refused:
        render("certificat_non_opposition", old)
    assert str(refused.value) == (
        "certificat_non_opposition : l'ordonnance du 28 février 2022 précède le 1er mars 2022 ;"
        " utilisez le document de l'ancien régime"
    )
    with pytest.raises(InputError) as refused:
        render("demande_formule_executoire", new)
    assert str(refused.value) == (
        "demande_formule_executoire : l'ordonnance du 1er mars 2022 n'est pas antérieure au "
        "1er mars 2022 ; elle porte déjà la formule exécutoire"
    )
    assert render("certificat_non_opposition", new)
    assert render("demande_formule_executoire", old)


def test_missing_facts_are_named():
    with pytest.raises(MissingField) as refused:
        render(
            "assignation_paiement_tj",
            replace(demo_for("assignation_paiement_tj"), hearing_date=None),
        )
    assert refused.value.field == "hearing_date"
    assert str(refused.value) == (
        "assignation_paiement_tj : il manque la date d'audience pour ce document"
    )
    with pytest.raises(MissingField) as refused:
        render("mise_en_demeure", replace(demo_case(), payment_deadline=None))
    assert str(refused.value) == (
        "mise_en_demeure : il manque le délai de paiement pour ce document"
    )
    with pytest.raises(
        NotFound,
        match="modèle de document inconnu « lettre » ; modèles connus : « Assignation en paiement ",
    ):
        render("lettre", demo_case())


def test_the_mise_en_demeure_is_a_letter_from_the_creditor_not_an_acte():
    text = docx_text(render("mise_en_demeure", demo_for("mise_en_demeure")))
    lines = text.splitlines()
    assert lines[0] == "Fournitures Rhénanes"  # the creditor's own letterhead
    assert "Strasbourg, le 15 avril 2026" in lines
    assert "prise en la personne" not in text and " c/ " not in text
    assert "pied de page" not in text
    assert "au plus tard le vendredi 1er mai 2026" in text


def test_the_payment_deadline_of_a_mise_en_demeure_is_after_the_letter():
    case = replace(demo_case(), payment_deadline=date(2026, 4, 15))
    with pytest.raises(InputError) as refused:
        render("mise_en_demeure", case)
    assert str(refused.value) == (
        "mise_en_demeure : le délai de paiement (15 avril 2026) doit suivre la date de la "
        "lettre (15 avril 2026)"
    )


def test_a_consumer_gets_the_legal_rate_from_the_assignation_when_no_mise_en_demeure():
    text = " ".join(
        docx_text(
            render(
                "assignation_paiement_tj",
                demo_for("assignation_paiement_tj", situation="consommateur"),
            )
        ).split()
    )
    assert "malgré" not in text
    assert (
        "intérêts au taux légal à compter de la présente assignation, qui vaut mise en demeure"
        in text
    )
    assert "0,00 €" not in text.split("DÉCOMPTE")[1]  # zero lines are left out
    assert "Madame Élise Martin, demeurant 12 allée des Tilleuls, 21000 Dijon" in text


def test_a_sole_trader_creditor_claims_penalties_and_the_indemnity():
    text = docx_text(
        render(
            "requete_injonction_tc",
            demo_for("requete_injonction_tc", situation="entrepreneur_individuel"),
        )
    )
    assert "Monsieur Marc Schaller, entrepreneur individuel" in text
    assert (
        "Indemnités forfaitaires pour frais de recouvrement (article D. 441-5) | 120,00\u00a0€"
        in text
    )


def test_alsace_moselle_names_the_chambre_commerciale_never_the_tribunal_de_commerce():
    text = docx_text(
        render(
            "assignation_paiement_tc",
            demo_for("assignation_paiement_tc", situation="alsace_moselle"),
        )
    )
    assert text.startswith(
        "ASSIGNATION EN PAIEMENT DEVANT LE TRIBUNAL JUDICIAIRE DE STRASBOURG (CHAMBRE COMMERCIALE)"
    )
    assert "tribunal de commerce" not in text.lower()


def test_the_nature_of_the_claim_comes_from_the_invoices():
    case = demo_case()
    works = replace(case, invoices=tuple(replace(i, supply="travaux") for i in case.invoices))
    text = docx_text(render("assignation_refere_provision", works))
    assert "a exécuté des travaux pour" in text and "marchandises" not in text
    unknown = replace(case, invoices=tuple(replace(i, supply=None) for i in case.invoices))
    assert "[nature des fournitures" in docx_text(render("assignation_refere_provision", unknown))


@pytest.mark.parametrize(
    ("supplies", "nature"),
    [
        (("services",), "au titre de prestations de services, objet des factures"),
        (("travaux",), "au titre de travaux, objet des factures"),
        (("marchandises",), "au titre de la fourniture de marchandises, objet des factures"),
        (
            ("marchandises", "services"),
            "au titre de la fourniture de marchandises et des prestations de services, objet",
        ),
        (
            ("services", "travaux"),
            "au titre de prestations de services et de travaux, objet des factures",
        ),
    ],
)
def test_the_nature_of_the_claim_reads_after_au_titre_de(
    supplies: tuple[str, ...], nature: str
) -> None:
    """The mise en demeure read « au titre de des prestations de services »: de + des → de."""
    case = demo_case()
    invoices = tuple(
        replace(invoice, supply=supplies[n % len(supplies)])
        for n, invoice in enumerate(case.invoices)
    )
    text = " ".join(docx_text(render("mise_en_demeure", replace(case, invoices=invoices))).split())
    assert nature in text
    assert "de des " not in text


def test_a_legal_form_is_written_once():
    text = docx_text(render("requete_injonction_tj", demo_case()))
    assert "la société Dupont & Fils <SARL>, SARL au capital" in text
    assert "SAS, SAS" not in text


def test_the_context_is_exactly_the_manifest_fields():
    manifest = load_manifest()
    for key in KEYS:
        context = build_context(key, demo_for(key))
        assert list(context) == list(fields_of(manifest.templates[key]))


def test_a_20_invoice_case_lists_every_invoice():
    text = docx_text(render("decompte_creance", demo_case(invoice_count=20)))
    assert text.count("FR-2025-") == 40  # invoices table + interest table
    assert "FR-2025-1060" in text


AGREEMENT = {
    "lettre_relance": (
        (
            "Objet : relance — facture impayée",
            "la facture ci-dessous, arrivée à échéance, reste impayée à ce jour",
            "selon les modalités indiquées sur notre facture,",
        ),
        (
            "Objet : relance — factures impayées",
            "les factures ci-dessous, arrivées à échéance, restent impayées à ce jour",
            "selon les modalités indiquées sur nos factures,",
        ),
    ),
    **dict.fromkeys(
        (
            "assignation_paiement_tc",
            "assignation_paiement_tj",
            "assignation_paiement_tj_sans_avocat",
            "assignation_refere_provision",
        ),
        (
            ("La facture correspondante est demeurée impayée à son échéance",),
            ("Les factures correspondantes sont demeurées impayées à leur échéance",),
        ),
    ),
    **dict.fromkeys(
        ("requete_injonction_tc", "requete_injonction_tj"),
        (
            ("objet de la facture ci-après, demeurée impayée à son échéance",),
            ("objet des factures ci-après, demeurées impayées à leur échéance",),
        ),
    ),
    "mise_en_demeure": (
        ("objet de la facture suivante, demeurée impayée à son échéance",),
        ("objet des factures suivantes, demeurées impayées à leur échéance",),
    ),
}


@pytest.mark.parametrize("key", sorted(AGREEMENT))
def test_one_invoice_is_written_in_the_singular_several_in_the_plural(key):
    """« facture(s) impayée(s) » is no French a court or a debtor reads: the templates agree
    with the number of invoices listed (`plusieurs_factures`)."""
    singular, plural = AGREEMENT[key]
    data = demo_for(key)  # the assignations' demo has six invoices (above 10 000 €)
    one = " ".join(docx_text(render(key, replace(data, invoices=data.invoices[:1]))).split())
    two = " ".join(docx_text(render(key, replace(data, invoices=data.invoices[:2]))).split())
    for phrase in singular:
        assert phrase in one
    for phrase in plural:
        assert phrase in two
    for text in (one, two):
        assert "(s)" not in text
    # No stray plural (the référé's argument speaks of invoices in general: « une créance
    # fondée sur des factures acceptées et non contestées »).
    assert "factures" not in one.replace("sur des factures acceptées", "")


@pytest.mark.parametrize("key", ["requete_injonction_tj", "requete_injonction_tc"])
def test_a_requete_without_interest_yet_claims_what_the_debtor_owes_by_law(key):
    """With no interest counted on the day (a semester's rate not yet recorded), the requête
    asked « les intérêts au taux légal » even between professionals, whose claim rests on the
    L. 441-10 penalties (as its own « Fondement » says): now each claims its own."""

    def without_interest(data):
        claim = data.claim
        return replace(
            data,
            claim=replace(
                claim,
                interest=Decimal("0"),
                total=claim.total - claim.interest,
                interest_periods=(),
            ),
        )

    pro = without_interest(demo_for(key))
    text = " ".join(docx_text(render(key, pro)).split())
    assert (
        "— les pénalités de retard de l'article L. 441-10 du code de commerce jusqu'à parfait "
        "paiement ;" in text
    )
    assert "taux légal" not in text
    if key.endswith("_tj"):
        consumer = without_interest(demo_for(key, situation="consommateur"))
        text = " ".join(docx_text(render(key, consumer)).split())
        assert "— les intérêts au taux légal jusqu'à parfait paiement ;" in text
        assert "L. 441-10" not in text


def test_a_template_that_cannot_be_filled_says_so_in_french_without_internals(monkeypatch):
    """The case page showed the template's path and Jinja's English (« 'x' is undefined »)."""
    from casefile.api.web.case_tools import document_error
    from casefile.documents import render as module
    from casefile.errors import DefinitionError

    monkeypatch.setattr(module, "build_context", lambda *args, **kwargs: {})
    with pytest.raises(DefinitionError) as caught:
        module.render("lettre_relance", demo_for("lettre_relance"))
    assert "is undefined" in str(caught.value)  # the operator's detail is kept (log, CLI)
    assert document_error("Lettre de relance", caught.value, "lettre_relance") == (
        "Le document « Lettre de relance » ne peut pas être généré : le modèle .docx ne peut "
        "être rempli (un champ y est inconnu ou mal écrit) : un administrateur lance « casefile "
        "check », qui nomme le fichier et le champ"
    )


def test_a_provisional_statement_never_states_its_interest_as_a_plain_sum():
    """A semester whose rate is not recorded is left out of the interest: the mise en demeure
    must not tell the debtor « ces pénalités s'élèvent à 0,00 € » as if that were all."""
    from dataclasses import replace

    from casefile.documents.context import build_context_mise_en_demeure

    data = demo_for("mise_en_demeure")
    note = (
        "[intérêts de retard pour le second semestre 2026 à compléter : taux non encore "
        "enregistré, non comptés dans ce décompte provisoire]"
    )
    complete = build_context_mise_en_demeure(data)
    provisional = build_context_mise_en_demeure(replace(data, provisional_note=note))
    assert "[" not in str(complete["montant_interets"])
    assert provisional["montant_interets"] == (
        f"{complete['montant_interets']} [à compléter : hors la période dont le taux n'est pas "
        "encore enregistré]"
    )


def test_the_reminder_letter_mentions_a_previous_reminder_only_when_one_was_made():
    """A first letter sent without any e-mail before it must not say « malgré notre précédent
    rappel » (the debtor, then the judge, would read a reminder that never was)."""
    from casefile.documents.context import ReminderLine
    from casefile.documents.demo import demo_for

    data = demo_for("lettre_relance")
    assert data.reminders == ()
    first = docx_text(render("lettre_relance", data))
    assert "Sauf erreur ou omission de notre part, les factures ci-dessous" in first
    assert "précédent rappel" not in first
    reminded = replace(
        data, reminders=(ReminderLine(date(2026, 3, 20), "e-mail", "Rappel courtois par e-mail"),)
    )
    second = docx_text(render("lettre_relance", reminded))
    assert (
        "Sauf erreur ou omission de notre part, malgré notre précédent rappel, les factures "
        "ci-dessous" in second
    )


def test_a_refere_on_one_invoice_speaks_of_one_invoice():
    """« une créance fondée sur des factures » read wrong beside a bordereau of one facture."""
    case = demo_case()
    one = replace(case, invoices=case.invoices[:1])
    text = " ".join(docx_text(render("assignation_refere_provision", one)).split())
    assert "fondée sur une facture acceptée et non contestée." in text
    several = " ".join(docx_text(render("assignation_refere_provision", case)).split())
    assert "fondée sur des factures acceptées et non contestées." in several
