"""`casefile check` on templates: parse, declared context, required legal mentions."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from docx import Document

from casefile.definitions import templates_dir
from casefile.documents.checks import check_templates


@pytest.fixture()
def copy_of_templates(tmp_path: Path) -> Path:
    target = tmp_path / "document_templates"
    shutil.copytree(templates_dir(), target)
    return target / "manifest.toml"


def test_the_shipped_templates_pass_every_check():
    assert check_templates() == []


def test_a_mention_missing_from_the_template_is_reported(copy_of_templates: Path):
    text = copy_of_templates.read_text(encoding="utf-8")
    text = text.replace('  "article 1416",\n', '  "article 1416",\n  "article 9999",\n', 1)
    copy_of_templates.write_text(text, encoding="utf-8")
    problems = check_templates(copy_of_templates)
    assert len(problems) == 1
    assert problems[0].endswith(
        "certificat_non_opposition.docx: certificat_non_opposition: "
        "mention obligatoire absente : 'article 9999'"
    )


def test_a_variable_not_declared_in_the_manifest_is_reported(copy_of_templates: Path):
    text = copy_of_templates.read_text(encoding="utf-8")
    text = text.replace('context = ["date_limite_paiement"]', "context = []", 1)
    copy_of_templates.write_text(text, encoding="utf-8")
    problems = check_templates(copy_of_templates)
    assert problems == [
        f"{copy_of_templates.parent / 'mise_en_demeure.docx'}: mise_en_demeure: utilise "
        "'date_limite_paiement', un champ d'autres modèles (l'ajouter au `context` de ce "
        "modèle)"
    ]


def test_a_template_that_does_not_parse_is_reported(copy_of_templates: Path):
    import io
    import zipfile

    path = copy_of_templates.parent / "bordereau_pieces.docx"
    source = zipfile.ZipFile(io.BytesIO(path.read_bytes()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "word/document.xml":
                data = data.replace(b"{{ p.numero }}", b"{{ p.numero ", 1)
            target.writestr(info, data)
    path.write_bytes(out.getvalue())
    problems = check_templates(copy_of_templates)
    assert len(problems) == 1
    assert "bordereau_pieces: modèle illisible" in problems[0]


def test_a_missing_file_and_an_unknown_key_in_a_procedure_are_reported(
    copy_of_templates: Path, tmp_path: Path
):
    (copy_of_templates.parent / "decompte_creance.docx").unlink()
    procedures = tmp_path / "procedures"
    procedures.mkdir()
    (procedures / "x.toml").write_text('[[documents]]\ntemplate = "lettre_inconnue"\n')
    problems = check_templates(copy_of_templates, procedures)
    assert problems == [
        f"{copy_of_templates.parent / 'decompte_creance.docx'}: decompte_creance: "
        "fichier du modèle introuvable",
        f"{procedures / 'x.toml'}: lettre_inconnue: modèle de document absent de "
        f"{copy_of_templates.resolve()}",
    ]


def test_a_broken_manifest_is_reported_not_raised(copy_of_templates: Path):
    copy_of_templates.write_text("[[templates]]\nkey = \n", encoding="utf-8")
    problems = check_templates(copy_of_templates)
    assert len(problems) == 1
    assert problems[0].startswith(f"{copy_of_templates.resolve()}: (file): TOML invalide")


def _edit_in_word(path: Path, *paragraphs: str, drop: str | None = None) -> None:
    """What a lawyer does in Word: add paragraphs, delete one (python-docx, as Word saves)."""
    document = Document(str(path))
    for text in paragraphs:
        document.add_paragraph(text)
    if drop is not None:
        for paragraph in document.paragraphs:
            if drop in paragraph.text:
                paragraph._element.getparent().remove(paragraph._element)
    document.save(str(path))


def test_a_template_edited_in_word_with_known_fields_passes(copy_of_templates: Path):
    path = copy_of_templates.parent / "bordereau_pieces.docx"
    _edit_in_word(path, "Pour le créancier, dont le siège est {{ creancier_adresse }}.")
    assert check_templates(copy_of_templates) == []


def test_a_template_edited_in_word_with_an_unknown_field_is_reported(copy_of_templates: Path):
    path = copy_of_templates.parent / "bordereau_pieces.docx"
    _edit_in_word(path, "IBAN : {{ iban_creancier }}", "Audience : {{ date_audience }}")
    assert check_templates(copy_of_templates) == [
        f"{path}: bordereau_pieces: utilise 'date_audience', un champ d'autres modèles "
        "(l'ajouter au `context` de ce modèle)",
        f"{path}: bordereau_pieces: utilise 'iban_creancier', un champ inconnu de casefile "
        "(docs/templates.md les liste)",
    ]


def test_a_legal_mention_deleted_in_word_is_reported(copy_of_templates: Path):
    path = copy_of_templates.parent / "mise_en_demeure.docx"
    _edit_in_word(path, drop="Conformément à l'article L. 441-10")
    problems = check_templates(copy_of_templates)
    assert f"{path}: mise_en_demeure: mention obligatoire absente : {'10 points'!r}" in problems


def test_an_amount_rule_on_an_unknown_parameter_is_reported(copy_of_templates: Path):
    text = copy_of_templates.read_text(encoding="utf-8")
    text = text.replace(
        'principal_above = "representation_avocat_seuil"', 'principal_above = "seuil_inconnu"', 1
    )
    copy_of_templates.write_text(text, encoding="utf-8")
    assert check_templates(copy_of_templates) == [
        f"{copy_of_templates}: templates[6].principal_above: paramètre 'seuil_inconnu' absent de "
        "procedures/parameters.toml"
    ]


def test_a_new_template_without_a_context_builder_says_where_to_add_it(
    copy_of_templates: Path,
):
    """docs/templates.md, « Adding a document »: the .docx and its manifest entry are not
    enough; the check names the dictionary to extend."""
    folder = copy_of_templates.parent
    shutil.copy(folder / "lettre_relance.docx", folder / "lettre_essai.docx")
    with copy_of_templates.open("a", encoding="utf-8") as manifest:
        manifest.write(
            '\n[[templates]]\nkey = "lettre_essai"\nfile = "lettre_essai.docx"\n'
            'title = "Lettre d\'essai"\nprocedure = "amiable"\nstep = "exigibilite"\n'
            'context = []\nmentions = ["Objet : relance"]\n'
        )
    assert check_templates(copy_of_templates) == [
        f"{copy_of_templates.resolve()}: lettre_essai: aucune fonction de contexte : ajouter "
        "« lettre_essai » à BUILDERS (casefile/documents/context.py)"
    ]
