"""Render a pleading: manifest entry + context builder + docxtpl, safely.

Safety rules (STACK-NOTES.md, docxtpl traps): every render uses `autoescape=True` so "&" and
"<" in user text become XML entities instead of silently vanishing or corrupting the .docx, and
a `StrictUndefined` environment so a missing context field is an error, never an empty blank in
a court filing. User text is only ever a value in the context: Jinja does not evaluate values,
so a debtor named "{{ 7*7 }}" is printed as written.
"""

from __future__ import annotations

import io
from datetime import timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

from docxtpl import DocxTemplate
from jinja2 import Environment, StrictUndefined, Template, TemplateError

from casefile.documents.amicable import amicable_fields, check_amicable_attempt
from casefile.documents.context import BUILDERS, COMMON_FIELDS, CaseDocumentData, MissingField
from casefile.documents.formatting import FILTERS, date_fr
from casefile.documents.manifest import Manifest, TemplateSpec, load_manifest
from casefile.documents.selection import check_amount, check_something_owed
from casefile.errors import DefinitionError, InputError
from casefile.law.parties import court_label
from casefile.law.wording import day_fr


def make_environment() -> Environment:
    """The one Jinja environment templates are rendered and checked with."""
    env = Environment(autoescape=True, undefined=StrictUndefined)
    env.filters.update(FILTERS)
    return env


class _CompilingOnceEnvironment(Environment):
    """`from_string` memoised by source text: docxtpl hands Jinja the same XML parts of a
    template at every render, and compiling them was about a third of a render's time
    (bench/documents.py). The context is given at render time, so a compiled template is
    shared safely; the memo is bounded and emptied when full."""

    MAX_SOURCES = 256

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self._compiled: dict[str, Template] = {}

    def from_string(  # type: ignore[override]
        self, source: str, globals: Any = None, template_class: Any = None
    ) -> Template:
        if globals is not None or template_class is not None or not isinstance(source, str):
            return super().from_string(source, globals, template_class)
        compiled = self._compiled.get(source)
        if compiled is None:
            if len(self._compiled) >= self.MAX_SOURCES:
                self._compiled.clear()
            compiled = self._compiled[source] = super().from_string(source)
        return compiled


@lru_cache(maxsize=1)
def _rendering_environment() -> Environment:
    """The environment of `render`: `make_environment`'s settings, compiling each part once."""
    env = _CompilingOnceEnvironment(autoescape=True, undefined=StrictUndefined)
    env.filters.update(FILTERS)
    return env


_template_bytes: dict[tuple[Path, int], bytes] = {}


def _load_bytes(path: Path) -> bytes:
    """Template file contents, cached until the file changes (a render must not re-read disk)."""
    try:
        key = (path, path.stat().st_mtime_ns)
    except FileNotFoundError:
        raise DefinitionError(str(path), "file", "fichier du modèle introuvable") from None
    data = _template_bytes.get(key)
    if data is None:
        data = path.read_bytes()
        _template_bytes[key] = data
    return data


def _check_applicable(spec: TemplateSpec, data: CaseDocumentData) -> None:
    if spec.court is not None and data.court.kind != spec.court:
        raise InputError(
            f"le modèle « {spec.title} » est rédigé pour un {court_label(spec.court, None)}, pas pour "
            f"« {data.court.name} » ({court_label(data.court.kind, None)})"
        )
    check_something_owed(spec, data)
    check_amount(spec, data)
    check_amicable_attempt(spec, data)
    _check_ordonnance(spec, data)
    _check_expired(spec, data)


def _check_ordonnance(spec: TemplateSpec, data: CaseDocumentData) -> None:
    if spec.ordonnance_from is None and spec.ordonnance_before is None:
        return
    if data.ordonnance_date is None:
        raise MissingField(spec.key, "ordonnance_date")
    if spec.fits_ordonnance(data.ordonnance_date):
        return
    if spec.ordonnance_from and data.ordonnance_date < spec.ordonnance_from:
        raise InputError(
            f"{spec.key} : l'ordonnance du {date_fr(data.ordonnance_date)} précède le "
            f"{date_fr(spec.ordonnance_from)} ; utilisez le document de l'ancien régime"
        )
    if spec.ordonnance_before and data.ordonnance_date >= spec.ordonnance_before:
        raise InputError(
            f"{spec.key} : l'ordonnance du {date_fr(data.ordonnance_date)} n'est pas antérieure "
            f"au {date_fr(spec.ordonnance_before)} ; elle porte déjà la formule exécutoire"
        )


def _check_expired(spec: TemplateSpec, data: CaseDocumentData) -> None:
    """A document saying that a deadline has expired (manifest `after_deadline`: « le délai
    d'opposition … est expiré ») is dated after its last day (CPC 642: it runs to midnight);
    of alternative deadlines, the earliest to expire counts."""
    if not spec.after_deadline:
        return
    lines = [line for line in data.deadlines if line.key in spec.after_deadline]
    if not lines:
        from casefile.definitions import engine

        rules = engine().procedure(data.procedure).deadlines
        first = spec.after_deadline[0]
        label = next((r.label for r in rules if r.key == first), first)
        raise InputError(
            f"{spec.key} : le délai « {label} » n'a pas couru au {date_fr(data.document_date)} "
            "(l'acte qui le fait courir n'est pas enregistré, ou une opposition a été formée) : "
            "enregistrez d'abord la signification de l'ordonnance dans la chronologie du dossier"
        )
    line = min(lines, key=lambda line: line.due)
    if line.due >= data.document_date:
        after = line.due + timedelta(days=1)
        raise InputError(
            f"{spec.key} : le délai « {line.label} » court jusqu'au {day_fr(line.due)} inclus ; "
            f"ce document le dit expiré et ne peut être daté que du {day_fr(after)} ou après : "
            "générez-le à partir de ce jour"
        )


def fields_of(spec: TemplateSpec) -> tuple[str, ...]:
    """Every field a template may use: the common ones and its own `context`."""
    return (*COMMON_FIELDS, *spec.context)


def build_context(
    template_key: str, data: CaseDocumentData, manifest: Manifest | None = None
) -> dict[str, object]:
    """The context of `template_key` for this case, checked against the manifest."""
    manifest = manifest or load_manifest()
    spec = manifest.template(template_key)
    _check_applicable(spec, data)
    builder = BUILDERS.get(template_key)
    if builder is None:
        raise DefinitionError(
            str(manifest.path), template_key, "aucune fonction de contexte dans BUILDERS"
        )
    context = builder(data, manifest.commissaire_from)
    if spec.amicable_attempt:
        context.update(amicable_fields(spec, data))
    names = fields_of(spec)
    missing = [name for name in names if name not in context]
    if missing:
        raise DefinitionError(
            str(manifest.path), template_key, f"context builder lacks fields {missing}"
        )
    return {name: context[name] for name in names}


def render(template_key: str, data: CaseDocumentData, manifest: Manifest | None = None) -> bytes:
    """The .docx bytes of `template_key` rendered for `data`."""
    manifest = manifest or load_manifest()
    context = build_context(template_key, data, manifest)
    template = DocxTemplate(io.BytesIO(_load_bytes(manifest.template_path(template_key))))
    try:
        template.render(context, jinja_env=_rendering_environment(), autoescape=True)
    except TemplateError as exc:
        error = DefinitionError(
            str(manifest.template_path(template_key)),
            template_key,
            f"le modèle ne peut être rempli : {exc}",
        )
        # The path and Jinja's English are for the operator (log, CLI); a person reads this.
        error.public_message = (
            "le modèle .docx ne peut être rempli (un champ y est inconnu ou mal écrit) : un "
            "administrateur lance « casefile check », qui nomme le fichier et le champ"
        )
        raise error from exc
    out = io.BytesIO()
    template.save(out)
    return out.getvalue()


_fields_used: dict[tuple[Path, int], frozenset[str]] = {}


def template_fields(template_key: str, manifest: Manifest | None = None) -> frozenset[str]:
    """The fields the template's .docx actually uses (cached until the file changes)."""
    manifest = manifest or load_manifest()
    path = manifest.template_path(template_key)
    key = (path, path.stat().st_mtime_ns)
    used = _fields_used.get(key)
    if used is None:
        template = DocxTemplate(io.BytesIO(_load_bytes(path)))
        used = frozenset(template.get_undeclared_template_variables(make_environment()))
        _fields_used[key] = used
    return used


def render_to_file(template_key: str, data: CaseDocumentData, path: Path) -> Path:
    path.write_bytes(render(template_key, data))
    return path


__all__ = [
    "build_context",
    "fields_of",
    "make_environment",
    "render",
    "render_to_file",
    "template_fields",
]
