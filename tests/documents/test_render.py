"""Rendered pleadings: golden text per template, escaping, and the rules of applicability.

Regenerate the golden files with `UPDATE_GOLDEN=1 pytest tests/documents` and review the diff.
"""

from __future__ import annotations

import io
import os
import zipfile
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from lxml import etree

from casefile.documents.context import Court
from casefile.documents.demo import DEBTOR, demo_case, demo_for
from casefile.documents.manifest import load_manifest
from casefile.documents.render import build_context, render
from casefile.documents.text import docx_text
from casefile.errors import InputError, NotFound

GOLDEN = Path(__file__).parent / "golden"
KEYS = sorted(load_manifest().templates)


def test_every_document_kind_of_the_issue_has_a_template():
    assert (
        sorted(
            [
                "mise_en_demeure",
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


@pytest.mark.parametrize("key", KEYS)
def test_rendered_text_matches_the_golden_file(key):
    text = docx_text(render(key, demo_for(key)))
    golden = GOLDEN / f"{key}.txt"
    if os.environ.get("UPDATE_GOLDEN") == "1":
        golden.write_text(text, encoding="utf-8")
    assert golden.exists(), f"run UPDATE_GOLDEN=1 pytest {__file__} to create {golden.name}"
    assert text == golden.read_text(encoding="utf-8")


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
    text = docx_text(render("mise_en_demeure", demo_case()))
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
    with pytest.raises(InputError, match="tribunal_de_commerce"):
        render("requete_injonction_tc", demo_case())
    tc = Court("tribunal_de_commerce", "Tribunal de commerce de Dijon", "Dijon")
    with pytest.raises(InputError, match="tribunal_judiciaire"):
        render("assignation_paiement_tj", replace(demo_case(), court=tc))


def test_certificat_is_for_ordonnances_from_1_march_2022_and_formule_for_earlier_ones():
    """Décret 2021-1322: from 1 March 2022 the ordonnance bears the formule exécutoire."""
    old = replace(demo_case(), ordonnance_date=date(2022, 2, 28))
    new = replace(demo_case(), ordonnance_date=date(2022, 3, 1))
    with pytest.raises(InputError, match="former regime"):
        render("certificat_non_opposition", old)
    with pytest.raises(InputError, match="already bears the formule"):
        render("demande_formule_executoire", new)
    assert render("certificat_non_opposition", new)
    assert render("demande_formule_executoire", old)


def test_missing_facts_are_named():
    with pytest.raises(InputError, match="hearing_date"):
        render(
            "assignation_paiement_tj",
            replace(demo_for("assignation_paiement_tj"), hearing_date=None),
        )
    with pytest.raises(InputError, match="payment_deadline"):
        render("mise_en_demeure", replace(demo_case(), payment_deadline=None))
    with pytest.raises(NotFound, match="unknown document template 'lettre'"):
        render("lettre", demo_case())


def test_mise_en_demeure_refuses_a_consumer_debtor():
    from casefile.documents.context import Person

    consumer = Person("Madame", "Anne", "Muller", "2 rue Oberlin, 67000 Strasbourg")
    with pytest.raises(InputError, match="consumer"):
        render("mise_en_demeure", replace(demo_case(), debtor=consumer))


def test_the_context_is_exactly_the_manifest_fields_as_strings_or_rows():
    manifest = load_manifest()
    for key in KEYS:
        context = build_context(key, demo_for(key))
        assert list(context) == list(manifest.templates[key].context)
        for value in context.values():
            assert isinstance(value, str) or all(
                isinstance(row, dict) and all(isinstance(v, str) for v in row.values())
                for row in value  # type: ignore[union-attr]
            )


def test_a_20_invoice_case_lists_every_invoice():
    text = docx_text(render("decompte_creance", demo_case(invoice_count=20)))
    assert text.count("FR-2025-") == 40  # invoices table + interest table
    assert "FR-2025-1060" in text
