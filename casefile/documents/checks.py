"""`casefile check` for templates: each parses, uses only its declared context, says what it must.

Problems are returned as "file: key: message" lines, never raised, so one run lists them all.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from docxtpl import DocxTemplate
from jinja2 import TemplateError

from casefile.documents.context import BUILDERS, SPECIFIC_FIELDS
from casefile.documents.manifest import Manifest, load_manifest, reference_problems
from casefile.documents.render import fields_of, make_environment
from casefile.documents.text import docx_text
from casefile.errors import DefinitionError


def _procedure_documents(procedures_dir: Path) -> list[tuple[Path, str]]:
    """(file, template key) for every `[[documents]]` entry and every deadline's
    `next_step.documents` of the procedure definitions."""
    found: list[tuple[Path, str]] = []
    for path in sorted(procedures_dir.glob("*.toml")):
        try:
            raw = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError):
            continue  # the procedure loader reports unreadable definitions itself
        found.extend(
            (path, entry["template"])
            for entry in raw.get("documents", [])
            if isinstance(entry, dict) and isinstance(entry.get("template"), str)
        )
        for deadline in raw.get("deadlines", []):
            step = deadline.get("next_step") if isinstance(deadline, dict) else None
            if isinstance(step, dict):
                found.extend(
                    (path, template)
                    for template in step.get("documents", [])
                    if isinstance(template, str)
                )
    return found


def _references(manifest: Manifest) -> list[str]:
    """The manifest's references to procedures and parameters (skipped when the law data does
    not load: `casefile check` reports that first)."""
    from casefile.definitions import engine

    try:
        law = engine()
    except DefinitionError:
        return []
    return reference_problems(manifest, law.procedures, frozenset(law.parameters))


def check_templates(
    manifest_path: Path | None = None, procedures_dir: Path | None = None
) -> list[str]:
    """Every problem of the templates and their manifest, as 'file: key: message'."""
    try:
        manifest = load_manifest(manifest_path)
    except DefinitionError as exc:
        return [str(exc)]
    problems: list[str] = []
    env = make_environment()
    problems.extend(_references(manifest))
    for key, spec in manifest.templates.items():
        path = manifest.template_path(key)
        if key not in BUILDERS:
            problems.append(
                f"{manifest.path}: {key}: aucune fonction de contexte : ajouter « {key} » "
                "à BUILDERS (casefile/documents/context.py)"
            )
        if not path.is_file():
            problems.append(f"{path}: {key}: fichier du modèle introuvable")
            continue
        try:
            used = DocxTemplate(str(path)).get_undeclared_template_variables(env)
            text = docx_text(path.read_bytes())
        except TemplateError as exc:
            problems.append(f"{path}: {key}: modèle illisible : {exc}")
            continue
        except Exception as exc:  # a corrupt .docx (zip, XML): report it, check the others
            problems.append(f"{path}: {key}: fichier .docx illisible : {exc}")
            continue
        for name in spec.context:
            if name not in SPECIFIC_FIELDS:
                problems.append(
                    f"{manifest.path}: {key}: le contexte nomme {name!r}, qui n'est pas un champ "
                    "propre à un modèle (casefile.documents.context.SPECIFIC_FIELDS)"
                )
        allowed = set(fields_of(spec))
        for name in sorted(used - allowed):
            where = (
                "un champ d'autres modèles (l'ajouter au `context` de ce modèle)"
                if name in SPECIFIC_FIELDS
                else "un champ inconnu de casefile (docs/templates.md les liste)"
            )
            problems.append(f"{path}: {key}: utilise {name!r}, {where}")
        flat = " ".join(text.split())
        for mention in (*spec.mentions, *spec.professional_mentions):
            if " ".join(mention.split()) not in flat:
                problems.append(f"{path}: {key}: mention obligatoire absente : {mention!r}")
    if procedures_dir is None:
        from casefile.definitions import procedures_dir as default_dir

        procedures_dir = default_dir()
    for origin, template in _procedure_documents(procedures_dir):
        if template not in manifest.templates:
            problems.append(f"{origin}: {template}: modèle de document absent de {manifest.path}")
    return problems
