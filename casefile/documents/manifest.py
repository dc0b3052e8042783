"""`document_templates/manifest.toml`: which templates exist, what each needs and must say.

Validated on load; errors name the file and the template key (DefinitionError). Legal dates
that change the wording (commissaire de justice since 1 July 2022, injonction de payer regime of
1 March 2022) live in the manifest with their source, not in Python.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from casefile.errors import DefinitionError

MANIFEST_NAME = "manifest.toml"


@dataclass(frozen=True, slots=True)
class TemplateSpec:
    key: str
    file: str
    title: str
    procedure: str
    step: str
    court: str | None  # the court kind it is written for; None: any
    context: tuple[str, ...]  # the specific fields it gets, beyond the common ones
    mentions: tuple[str, ...]
    ordonnance_from: date | None  # the ordonnance must be dated on or after…
    ordonnance_before: date | None  # …or strictly before this date
    principal_above: str | None = None  # parameter: only when the principal exceeds it
    principal_at_most: str | None = None  # parameter: only when the principal is at most it
    otherwise: str | None = None  # the template for the other side of that threshold
    professional_mentions: tuple[str, ...] = ()  # rendered only between professionals


@dataclass(frozen=True, slots=True)
class Manifest:
    path: Path
    commissaire_from: date
    templates: dict[str, TemplateSpec]
    common_fields: dict[str, str]  # name → what it holds (docs/templates.md lists them)
    specific_fields: dict[str, str]

    def fields_of(self, key: str) -> tuple[str, ...]:
        """Every field the template `key` may use: the common ones and its own."""
        return (*self.common_fields, *self.template(key).context)

    def template(self, key: str) -> TemplateSpec:
        from casefile.errors import NotFound

        try:
            return self.templates[key]
        except KeyError:
            known = ", ".join(sorted(self.templates))
            raise NotFound(f"unknown document template {key!r}; known: {known}") from None

    def template_path(self, key: str) -> Path:
        return self.path.parent / self.template(key).file


def default_manifest_path() -> Path:
    from casefile.definitions import templates_dir

    return templates_dir() / MANIFEST_NAME


def _str_list(origin: str, key: str, raw: dict[str, Any], name: str) -> tuple[str, ...]:
    value = raw.get(name, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise DefinitionError(origin, key, f"{name} must be a list of non-empty strings")
    return tuple(value)


def _opt_date(origin: str, key: str, raw: dict[str, Any], name: str) -> date | None:
    value = raw.get(name)
    if value is None or isinstance(value, date):
        return value
    raise DefinitionError(origin, key, f"{name} must be a TOML date (YYYY-MM-DD)")


def _amount_rule(origin: str, key: str, raw: dict[str, Any]) -> dict[str, str | None]:
    """`principal_above` or `principal_at_most` (a parameter key), with the `otherwise` template."""
    rule: dict[str, str | None] = {}
    for name in ("principal_above", "principal_at_most", "otherwise"):
        value = raw.get(name)
        if value is not None and (not isinstance(value, str) or not value):
            raise DefinitionError(origin, key, f"{name} must be a non-empty string")
        rule[name] = value
    if rule["principal_above"] and rule["principal_at_most"]:
        raise DefinitionError(
            origin, key, "principal_above and principal_at_most exclude each other"
        )
    if bool(rule["principal_above"] or rule["principal_at_most"]) != bool(rule["otherwise"]):
        raise DefinitionError(
            origin, key, "principal_above/principal_at_most and otherwise go together"
        )
    return rule


def parse_manifest(path: Path) -> Manifest:
    origin = str(path)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DefinitionError(origin, "manifest", "file not found") from None
    except tomllib.TOMLDecodeError as exc:
        raise DefinitionError(origin, "manifest", f"invalid TOML: {exc}") from None
    wording = raw.get("wording", {})
    commissaire_from = wording.get("commissaire_de_justice_from")
    if not isinstance(commissaire_from, date):
        raise DefinitionError(origin, "wording", "commissaire_de_justice_from must be a date")
    fields: dict[str, dict[str, str]] = {}
    for table in ("common_fields", "specific_fields"):
        entries = raw.get(table, {})
        if not isinstance(entries, dict) or not all(
            isinstance(v, str) and v for v in entries.values()
        ):
            raise DefinitionError(origin, table, "must map each field to its description")
        fields[table] = dict(entries)
    if not fields["common_fields"]:
        raise DefinitionError(origin, "common_fields", "no field declared")
    shared = set(fields["common_fields"]) & set(fields["specific_fields"])
    if shared:
        raise DefinitionError(origin, "specific_fields", f"also common: {sorted(shared)}")
    templates: dict[str, TemplateSpec] = {}
    for index, entry in enumerate(raw.get("templates", [])):
        key = entry.get("key")
        if not isinstance(key, str) or not key:
            raise DefinitionError(origin, f"templates[{index}]", "missing key")
        if key in templates:
            raise DefinitionError(origin, key, "duplicate template key")
        for name in ("file", "title", "procedure", "step"):
            if not isinstance(entry.get(name), str) or not entry[name]:
                raise DefinitionError(origin, key, f"missing {name}")
        court = entry.get("court")
        if court not in (None, "tribunal_judiciaire", "tribunal_de_commerce"):
            raise DefinitionError(origin, key, f"unknown court {court!r}")
        unknown = set(entry) - {
            "key", "file", "title", "procedure", "step", "court", "context", "mentions",
            "ordonnance_from", "ordonnance_before", "source", "principal_above",
            "principal_at_most", "otherwise", "professional_mentions",
        }  # fmt: skip
        if unknown:
            raise DefinitionError(origin, key, f"unknown fields {sorted(unknown)}")
        rule = _amount_rule(origin, key, entry)
        context = _str_list(origin, key, entry, "context")
        unknown_fields = sorted(set(context) - set(fields["specific_fields"]))
        if unknown_fields:
            raise DefinitionError(
                origin, key, f"context names fields not in [specific_fields]: {unknown_fields}"
            )
        templates[key] = TemplateSpec(
            key=key,
            file=entry["file"],
            title=entry["title"],
            procedure=entry["procedure"],
            step=entry["step"],
            court=court,
            context=context,
            mentions=_str_list(origin, key, entry, "mentions"),
            professional_mentions=_str_list(origin, key, entry, "professional_mentions"),
            ordonnance_from=_opt_date(origin, key, entry, "ordonnance_from"),
            ordonnance_before=_opt_date(origin, key, entry, "ordonnance_before"),
            principal_above=rule["principal_above"],
            principal_at_most=rule["principal_at_most"],
            otherwise=rule["otherwise"],
        )
    if not templates:
        raise DefinitionError(origin, "templates", "no template declared")
    for key, spec in templates.items():
        if spec.otherwise is not None and spec.otherwise not in templates:
            raise DefinitionError(
                origin, key, f"otherwise names unknown template {spec.otherwise!r}"
            )
    return Manifest(
        path=path,
        commissaire_from=commissaire_from,
        templates=templates,
        common_fields=fields["common_fields"],
        specific_fields=fields["specific_fields"],
    )


@lru_cache(maxsize=4)
def _cached(path: Path, mtime_ns: int) -> Manifest:
    return parse_manifest(path)


def load_manifest(path: Path | None = None) -> Manifest:
    """The manifest (cached until the file changes)."""
    target = (path or default_manifest_path()).resolve()
    try:
        mtime = target.stat().st_mtime_ns
    except FileNotFoundError:
        raise DefinitionError(str(target), "manifest", "file not found") from None
    return _cached(target, mtime)
