"""The assignation before the tribunal judiciaire follows the avocat threshold (CPC 761 3°).

At or below `representation_avocat_seuil` (10 000 € since 2020) the art. 753 variant applies;
above it the art. 752 one. `render` refuses the wrong one, `select_template` swaps and says so.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from casefile.documents.context import ClaimSummary
from casefile.documents.demo import demo_for
from casefile.documents.manifest import load_manifest, parse_manifest
from casefile.documents.render import render
from casefile.documents.selection import select_template, threshold_at
from casefile.documents.text import docx_text
from casefile.errors import DefinitionError, InputError

TJ = "assignation_paiement_tj"
SANS = "assignation_paiement_tj_sans_avocat"


def _with_principal(principal: str, key: str = TJ):
    data = demo_for(key)
    amount = Decimal(principal)
    claim = ClaimSummary(
        principal=amount,
        interest=Decimal("0.00"),
        indemnities=Decimal("0.00"),
        costs=Decimal("0.00"),
        total=amount,
        as_of=data.claim.as_of,
    )
    return replace(data, claim=claim)


def test_the_threshold_is_the_parameter_of_761():
    assert threshold_at("representation_avocat_seuil", date(2026, 4, 15)) == Decimal("10000.00")
    with pytest.raises(InputError) as refused:
        threshold_at("representation_avocat_seuil", date(2019, 12, 31))
    assert str(refused.value) == (
        "Représentation obligatoire par avocat au-delà de ce montant (CPC art. 761, 853) "
        "(representation_avocat_seuil) : aucune valeur n'est connue avant le 1er janvier 2020 "
        "(date demandée : 31 décembre 2019)."
    )


@pytest.mark.parametrize(
    ("principal", "expected"),
    [("10000.00", SANS), ("9999.99", SANS), ("10000.01", TJ), ("25000.00", TJ)],
)
def test_select_template_follows_the_principal(principal, expected):
    for requested in (TJ, SANS):
        key, note = select_template(requested, _with_principal(principal))
        assert key == expected
        assert (note is None) == (requested == expected)


def test_the_note_names_both_templates_the_amounts_and_the_article():
    key, note = select_template(TJ, _with_principal("10000.00"))
    assert key == SANS
    assert note is not None
    # The titles a page shows, never the templates' keys.
    assert note.startswith(
        "Modèle « Assignation en paiement (tribunal judiciaire, sans représentation "
        "obligatoire) » utilisé au lieu de « Assignation en paiement (tribunal judiciaire) »"
    )
    assert SANS not in note and f" {TJ} " not in note
    assert "10\u202f000,00\u00a0€" in note
    assert "mentions de l'article 753" in note
    _, back = select_template(SANS, _with_principal("12000.00"))
    assert back is not None and "mentions de l'article 752" in back


def test_render_refuses_the_752_assignation_at_or_below_the_threshold():
    with pytest.raises(InputError) as refused:
        render(TJ, _with_principal("10000.00"))
    assert str(refused.value).startswith(
        f"{TJ} : le principal (10\u202f000,00\u00a0€) n'excède pas le seuil de représentation "
        "obligatoire par avocat (10\u202f000,00\u00a0€) au "
    )
    assert str(refused.value).endswith(
        "; utilisez le modèle « Assignation en paiement (tribunal judiciaire, sans "
        f"représentation obligatoire) » ({SANS})"
    )


def test_render_refuses_the_753_assignation_above_the_threshold():
    with pytest.raises(
        InputError, match=rf"excède le seuil .* utilisez le modèle « .* » \({TJ}\)$"
    ):
        render(SANS, _with_principal("10000.01", SANS))


def test_other_templates_ignore_the_threshold():
    assert select_template("requete_injonction_tj", _with_principal("50.00")) == (
        "requete_injonction_tj",
        None,
    )


def test_the_753_variant_says_what_753_requires_and_not_the_752_mentions():
    text = docx_text(render(SANS, demo_for(SANS)))
    flat = " ".join(text.split())
    assert "constituer avocat" not in flat
    assert "qui se constitue" not in flat
    assert "Ayant pour représentant Maître Sophie Keller" in flat
    assert "Rappel de l'article 832 du code de procédure civile : « Sans préjudice" in flat
    assert "accompagnée des pièces jointes, par lettre recommandée" in flat
    assert "Le représentant, s'il n'est avocat, doit justifier d'un pouvoir spécial." in flat


def test_the_tc_assignation_quotes_861_2_not_832():
    flat = " ".join(
        docx_text(render("assignation_paiement_tc", demo_for("assignation_paiement_tc"))).split()
    )
    assert (
        "peut être formée par requête faite, remise ou adressée au greffe, où elle est enregistrée"
        in flat
    )
    assert "justifier avant l'audience que l'adversaire en a eu connaissance" in flat
    assert "par courrier remis ou adressé au greffe" not in flat
    assert "se défendre elles-mêmes" not in flat


def test_a_manifest_rule_without_its_other_template_is_a_definition_error(tmp_path: Path):
    from casefile.definitions import templates_dir

    text = (templates_dir() / "manifest.toml").read_text(encoding="utf-8")
    bad = tmp_path / "manifest.toml"
    bad.write_text(
        text.replace(f'otherwise = "{SANS}"', 'otherwise = "assignation_inconnue"', 1),
        encoding="utf-8",
    )
    with pytest.raises(DefinitionError, match="otherwise names unknown template"):
        parse_manifest(bad)
    bad.write_text(text.replace(f'otherwise = "{SANS}"\n', "", 1), encoding="utf-8")
    with pytest.raises(DefinitionError, match="go together"):
        parse_manifest(bad)


def _owing(total: str, key: str):
    """The demo case of `key` whose claim is `total` in principal, on its document date."""
    data = demo_for(key)
    amount = Decimal(total)
    claim = ClaimSummary(
        principal=amount,
        interest=Decimal("0.00"),
        indemnities=Decimal("0.00"),
        costs=Decimal("0.00"),
        total=amount,
        as_of=data.claim.as_of,
    )
    return replace(data, claim=claim)  # document date: 15 April 2026


DEMANDS = (
    "mise_en_demeure",
    "lettre_relance",
    "requete_injonction_tj",
    "requete_injonction_tc",
    "assignation_refere_provision",
    "assignation_paiement_tj_sans_avocat",
    "assignation_paiement_tc",
    "mandat_petites_creances",
)


@pytest.mark.parametrize("key", DEMANDS)
def test_a_document_demanding_payment_is_refused_when_nothing_is_owed(key):
    """No letter or pleading « de la somme de 0,00 € »: the refusal says what to do instead."""
    with pytest.raises(InputError) as refused:
        render(key, _owing("0.00", key))
    assert str(refused.value) == (
        f"{key} : aucune somme n'est due au 15 avril 2026, ce document réclamerait 0,00\u00a0€ "
        "et n'est pas établi. Enregistrez d'abord la facture impayée (rubrique Factures du "
        "dossier : numéro, dates, montant) ; si tout a été payé, il n'y a rien à réclamer et le "
        "« Décompte de créance » en garde la trace"
    )
    assert refused.value.http_status == 422
    assert render(key, _owing("0.01", key))  # one cent still owed: the document is produced


def test_every_document_demanding_payment_is_marked_so_in_the_manifest():
    manifest = load_manifest()
    marked = {k for k, spec in manifest.templates.items() if spec.claims_payment}
    assert marked == {*DEMANDS, "assignation_paiement_tj"}


@pytest.mark.parametrize(
    ("key", "says"),
    [("decompte_creance", "0,00\u00a0€"), ("bordereau_pieces", "BORDEREAU DE COMMUNICATION")],
)
def test_the_statement_and_the_bordereau_stay_available_when_nothing_is_owed(key, says):
    """The décompte is what shows that all was paid; the bordereau demands nothing."""
    assert says in docx_text(render(key, _owing("0.00", key)))


def test_with_nothing_owed_the_refusal_names_the_template_asked_for():
    """A case without an invoice: « Assignation en paiement (tribunal judiciaire) » was swapped
    for its variant below 10 000 €, and the case page's refusal began with that variant's raw
    key (« assignation_paiement_tj_sans_avocat : aucune somme n'est due… »)."""
    from casefile.api.web.case_tools import document_error
    from casefile.documents.selection import NothingOwed

    nothing = _with_principal("0.00")
    assert select_template(TJ, nothing) == (TJ, None)
    with pytest.raises(NothingOwed) as refused:
        render(TJ, nothing)
    message = document_error("Assignation en paiement (tribunal judiciaire)", refused.value, TJ)
    assert message.startswith(
        "Le document « Assignation en paiement (tribunal judiciaire) » ne peut pas être généré : "
        "aucune somme n'est due au 15 avril 2026, ce document réclamerait 0,00\u00a0€"
    )
    assert "assignation_paiement" not in message
