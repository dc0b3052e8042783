"""`document_templates/manifest.toml`: which templates exist, what each needs and must say.

Decoded into typed structures on load (unknown, missing or mistyped keys refused); errors
name the file and the key path (DefinitionError). Legal dates
that change the wording (commissaire de justice since 1 July 2022, injonction de payer regime of
1 March 2022) live in the manifest with their source, not in Python.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal

import msgspec

from casefile.errors import DefinitionError
from casefile.law.procedures import Procedure
from casefile.law.schema import Key, Spec, Text, Url, decode, read_toml
from casefile.law.wording import labelled_list, quoted

MANIFEST_NAME = "manifest.toml"
# The fields of a template with `amicable_attempt = true` (casefile.documents.amicable): whether
# CPC art. 750-1 applies to the demand, its threshold, and the attempt or dispense recorded.
AMICABLE_ATTEMPT_FIELDS = (
    "tentative_amiable_requise",
    "tentative_amiable_seuil",
    "tentative_amiable",
)


@dataclass(frozen=True, slots=True)
class TemplateSpec:
    key: str
    file: str
    title: str
    procedure: str
    step: str
    court: str | None  # the court kind it is written for; None: any
    context: tuple[str, ...]
    mentions: tuple[str, ...]
    ordonnance_from: date | None  # the ordonnance must be dated on or after…
    ordonnance_before: date | None  # …or strictly before this date
    principal_above: str | None = None  # parameter: only when the principal exceeds it
    principal_at_most: str | None = None  # parameter: only when the principal is at most it
    otherwise: str | None = None  # the template for the other side of that threshold
    professional_mentions: tuple[str, ...] = ()  # rendered only between professionals
    claims_payment: bool = False  # it demands the sums owed: refused when nothing is owed
    # It says a deadline expired (any of these, the earliest): refused until one has.
    after_deadline: tuple[str, ...] = ()
    # It introduces an instance subject to its procedure's prior amicable attempt (CPC 750-1):
    # it states the attempt or dispense recorded, and is refused when the rule applies without.
    amicable_attempt: bool = False

    def fits_ordonnance(self, day: date) -> bool:
        """Whether an ordonnance of `day` is on the template's side of its regime date (the
        rule `render` refuses by: formule exécutoire before 1 March 2022, certificat from)."""
        if self.ordonnance_from and day < self.ordonnance_from:
            return False
        return not (self.ordonnance_before and day >= self.ordonnance_before)


@dataclass(frozen=True, slots=True)
class Manifest:
    path: Path
    commissaire_from: date
    templates: dict[str, TemplateSpec]

    def template(self, key: str) -> TemplateSpec:
        from casefile.errors import NotFound

        try:
            return self.templates[key]
        except KeyError:
            known = labelled_list((self.templates[k].title, k) for k in sorted(self.templates))
            raise NotFound(
                f"modèle de document inconnu {quoted(key)} ; modèles connus : {known}"
            ) from None

    def template_path(self, key: str) -> Path:
        return self.path.parent / self.template(key).file


def default_manifest_path() -> Path:
    from casefile.definitions import templates_dir

    return templates_dir() / MANIFEST_NAME


class WordingSpec(Spec, frozen=True):
    commissaire_de_justice_from: date
    commissaire_de_justice_source: Url


class TemplateEntry(Spec, frozen=True):
    key: Key
    file: Annotated[str, msgspec.Meta(pattern=r"^[a-z0-9_]+\.docx$")]
    title: Text
    procedure: Key
    step: Key
    court: Literal["tribunal_judiciaire", "tribunal_de_commerce"] | None = None
    context: tuple[Key, ...] = ()  # specific fields it gets, beyond the common ones
    mentions: tuple[Text, ...] = ()
    professional_mentions: tuple[Text, ...] = ()
    ordonnance_from: date | None = None
    ordonnance_before: date | None = None
    source: Url | None = None
    principal_above: Key | None = None
    principal_at_most: Key | None = None
    otherwise: Key | None = None
    claims_payment: bool = False
    after_deadline: tuple[Key, ...] = ()
    amicable_attempt: bool = False


class ManifestSpec(Spec, frozen=True):
    wording: WordingSpec
    templates: Annotated[tuple[TemplateEntry, ...], msgspec.Meta(min_length=1)]


def parse_manifest_data(data: object, path: Path) -> Manifest:
    """Decode and check a parsed manifest; errors name the file and the key path."""
    origin = str(path)
    spec = decode(data, ManifestSpec, origin)
    templates: dict[str, TemplateSpec] = {}
    for index, entry in enumerate(spec.templates):
        where = f"templates[{index}]"
        if entry.key in templates:
            raise DefinitionError(origin, f"{where}.key", f"duplicate template key {entry.key!r}")
        if entry.principal_above and entry.principal_at_most:
            raise DefinitionError(
                origin,
                f"{where}.principal_at_most",
                f"principal_above and principal_at_most exclude each other (in {entry.key!r})",
            )
        if bool(entry.principal_above or entry.principal_at_most) != bool(entry.otherwise):
            raise DefinitionError(
                origin,
                f"{where}.otherwise",
                f"principal_above/principal_at_most and otherwise go together (in {entry.key!r})",
            )
        stated = set(AMICABLE_ATTEMPT_FIELDS) & set(entry.context)
        if stated and not entry.amicable_attempt:
            raise DefinitionError(
                origin,
                f"{where}.amicable_attempt",
                f"le contexte nomme {sorted(stated)} : amicable_attempt = true est requis "
                f"(dans {entry.key!r})",
            )
        if entry.amicable_attempt and stated != set(AMICABLE_ATTEMPT_FIELDS):
            raise DefinitionError(
                origin,
                f"{where}.context",
                f"amicable_attempt = true : le contexte nomme {list(AMICABLE_ATTEMPT_FIELDS)} "
                f"(dans {entry.key!r})",
            )
        templates[entry.key] = TemplateSpec(
            key=entry.key,
            file=entry.file,
            title=entry.title,
            procedure=entry.procedure,
            step=entry.step,
            court=entry.court,
            context=entry.context,
            mentions=entry.mentions,
            ordonnance_from=entry.ordonnance_from,
            ordonnance_before=entry.ordonnance_before,
            principal_above=entry.principal_above,
            principal_at_most=entry.principal_at_most,
            otherwise=entry.otherwise,
            professional_mentions=entry.professional_mentions,
            claims_payment=entry.claims_payment,
            after_deadline=entry.after_deadline,
            amicable_attempt=entry.amicable_attempt,
        )
    for index, entry in enumerate(spec.templates):
        if entry.otherwise is not None and entry.otherwise not in templates:
            raise DefinitionError(
                origin,
                f"templates[{index}].otherwise",
                f"otherwise names unknown template {entry.otherwise!r} (in {entry.key!r})",
            )
    return Manifest(
        path=path,
        commissaire_from=spec.wording.commissaire_de_justice_from,
        templates=templates,
    )


def parse_manifest(path: Path) -> Manifest:
    return parse_manifest_data(read_toml(path), path)


def reference_problems(
    manifest: Manifest, procedures: Mapping[str, Procedure], parameter_keys: Collection[str]
) -> list[str]:
    """What the manifest names elsewhere (procedure, step, court, parameter) must exist."""
    problems: list[str] = []
    for index, spec in enumerate(manifest.templates.values()):
        where = f"{manifest.path}: templates[{index}]"
        procedure = procedures.get(spec.procedure)
        if procedure is None:
            problems.append(f"{where}.procedure: procédure inconnue {spec.procedure!r}")
            continue
        steps = set(procedure.events) | set(procedure.deadline_keys)
        if spec.step not in steps:
            problems.append(
                f"{where}.step: {spec.step!r} n'est ni un événement ni un délai de {procedure.key}"
            )
        for key in spec.after_deadline:
            if key not in procedure.deadline_keys:
                problems.append(
                    f"{where}.after_deadline: {key!r} n'est pas un délai de {procedure.key}"
                )
        if spec.amicable_attempt and procedure.eligibility.amicable_attempt_event is None:
            problems.append(
                f"{where}.amicable_attempt: {procedure.key} ne nomme pas l'événement de la "
                "tentative amiable préalable (eligibility.amicable_attempt_event)"
            )
        if spec.court is not None and spec.court not in procedure.courts:
            problems.append(
                f"{where}.court: {spec.court!r} n'est pas une juridiction de {procedure.key}"
            )
        for name in ("principal_above", "principal_at_most"):
            parameter = getattr(spec, name)
            if parameter is not None and parameter not in parameter_keys:
                problems.append(
                    f"{where}.{name}: paramètre {parameter!r} absent de procedures/parameters.toml"
                )
    return problems


@lru_cache(maxsize=4)
def _cached(path: Path, mtime_ns: int) -> Manifest:
    return parse_manifest(path)


def load_manifest(path: Path | None = None) -> Manifest:
    """The manifest (cached until the file changes)."""
    target = (path or default_manifest_path()).resolve()
    try:
        mtime = target.stat().st_mtime_ns
    except FileNotFoundError:
        raise DefinitionError(str(target), "manifest", "fichier introuvable") from None
    return _cached(target, mtime)
