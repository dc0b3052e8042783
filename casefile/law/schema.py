"""Decoding the law's data files into typed, frozen structures, with readable errors.

Every definition file (`procedures/*.toml`, `calendars/*.toml`, `procedures/parameters.toml`,
`document_templates/manifest.toml`) is first decoded into msgspec Structs that forbid unknown
keys: a misspelt key (`distance_extention`), a missing one or a value of the wrong type is a
load error, never a silent default. msgspec's message ("Object contains unknown field … - at
`$.deadlines[3]`") is turned into a `DefinitionError` naming the file, the key path
(`deadlines[3].distance_extention`) and what was expected ("unknown key; did you mean
`distance_extension`?"). Checks between keys (unknown references, cycles, overlapping
validity) are done by each loader on the decoded structures and use the same key paths.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Annotated, Any, TypeVar

import msgspec
from msgspec import inspect as mi

from casefile.errors import DefinitionError
from casefile.law import parsed_cache
from casefile.law.wording import quoted

T = TypeVar("T")

# Constrained scalar types shared by the definition files. Each pattern has a description, used
# in error messages instead of the regular expression.
KEY_PATTERN = r"^[a-z][a-z0-9_]*$"
SLUG_PATTERN = r"^[a-z][a-z0-9_-]*$"
URL_PATTERN = r"^https://\S+$"
DECIMAL_PATTERN = r"^-?[0-9]+(\.[0-9]+)?$"
MONTH_DAY_PATTERN = r"^(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"
DEPARTMENT_PATTERN = r"^([0-9]{2}|2A|2B|9[78][0-9])$"
_PATTERNS = {
    KEY_PATTERN: "un identifiant en minuscules (a-z, 0-9, _) tel que `opposition_formee`",
    SLUG_PATTERN: "un identifiant en minuscules (a-z, 0-9, _, -) tel que `alsace-moselle`",
    URL_PATTERN: "un lien https:// (Légifrance pour un article)",
    DECIMAL_PATTERN: 'un nombre décimal écrit comme un texte, tel que "4000.00" (pas de flottant)',
    MONTH_DAY_PATTERN: 'un jour de l\'année écrit "MM-JJ", tel que "05-27"',
    DEPARTMENT_PATTERN: 'un code de département ou de collectivité écrit comme un texte : "75", '
    '"2A", "974"',
}

Key = Annotated[str, msgspec.Meta(pattern=KEY_PATTERN)]
Slug = Annotated[str, msgspec.Meta(pattern=SLUG_PATTERN)]
Url = Annotated[str, msgspec.Meta(pattern=URL_PATTERN)]
DecimalText = Annotated[str, msgspec.Meta(pattern=DECIMAL_PATTERN)]
MonthDay = Annotated[str, msgspec.Meta(pattern=MONTH_DAY_PATTERN)]
Department = Annotated[str, msgspec.Meta(pattern=DEPARTMENT_PATTERN)]
Text = Annotated[str, msgspec.Meta(min_length=1)]


class Spec(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    """Base of every definition structure: unknown keys are refused, values are immutable."""


def read_toml(path: Path) -> dict[str, Any]:
    """The parsed file, or a DefinitionError naming it (missing file, invalid TOML). The parsing
    goes through `parsed_cache` (keyed by the file's bytes); the decoding never does."""
    try:
        return parsed_cache.loads(path.read_bytes())
    except FileNotFoundError:
        raise DefinitionError(str(path), "(file)", "fichier introuvable") from None
    except parsed_cache.InvalidToml as error:
        raise DefinitionError(str(path), "(file)", f"TOML invalide : {error}") from None


def decode(data: object, kind: type[T], origin: str, prefix: str = "") -> T:
    """Decode parsed TOML into `kind`; any problem is a DefinitionError naming the key path."""
    try:
        return msgspec.convert(data, kind, strict=True)
    except msgspec.ValidationError as error:
        path, message = explain(str(error), data, _type_info(kind))
        full = ".".join(p for p in (prefix, path) if p) or "(file)"
        raise DefinitionError(origin, full, message) from None


_TYPE_INFO: dict[object, mi.Type] = {}


def _type_info(kind: object) -> mi.Type:
    """The structure of a definition type (slow to compute: kept once computed; it depends only
    on the type)."""
    if kind not in _TYPE_INFO:
        _TYPE_INFO[kind] = mi.type_info(kind)
    return _TYPE_INFO[kind]


_MESSAGE = re.compile(r"^(?P<what>.*?)(?: - at `\$(?P<path>[^`]*)`)?$", re.S)
_SEGMENT = re.compile(r"\.([^.\[]+)|\[(\d+|\.\.\.)\]")
_FIELD = re.compile(r"^Object (contains unknown|missing required) field `(?P<name>[^`]+)`$")


def explain(error: str, data: object, root: mi.Type) -> tuple[str, str]:
    """msgspec's message → (key path, "what is wrong; what was expected")."""
    match = _MESSAGE.match(error)
    what = match.group("what") if match else error
    raw_path = match.group("path") if match and match.group("path") else ""
    segments: list[str | int] = []
    value: object = data
    kind: mi.Type | None = root
    for name, index in _SEGMENT.findall(raw_path):
        if name:
            segments.append(name)
            value = value.get(name) if isinstance(value, Mapping) else None
            kind = _field_type(kind, name)
        elif index == "...":
            key = _faulty_key(value, _value_type(kind))
            segments.append(key)
            value = value.get(key) if isinstance(value, Mapping) else None
            kind = _value_type(kind)
        else:
            segments.append(int(index))
            value = (
                value[int(index)] if isinstance(value, list) and int(index) < len(value) else None
            )
            kind = _item_type(kind)
    field = _FIELD.match(what)
    if field:
        name = field.group("name")
        segments.append(name)
        known = [f.name for f in _struct_fields(kind)]
        if field.group(1) == "missing required":
            expected = _describe(_field_type(kind, name))
            message = f"obligatoire ({expected})"
        else:
            close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
            hint = f"vouliez-vous dire `{close[0]}` ? " if close else ""
            message = f"clé inconnue ; {hint}clés admises : {', '.join(known)}"
    elif what.startswith("Invalid enum value"):
        message = f"{quoted(value)} n'est pas admis ; attendu {_describe(kind)}"
    elif what.startswith(("Expected", "Invalid")):
        message = f"reçu {_show(value)} ; attendu {_describe(kind)}"
    else:  # a check made in a Struct's __post_init__: its message says it all
        message = what
    context = _owner_key(data, segments)
    return _path_text(segments), message + (f" (dans {quoted(context)})" if context else "")


def _path_text(segments: Sequence[str | int]) -> str:
    text = ""
    for segment in segments:
        text += f"[{segment}]" if isinstance(segment, int) else f".{segment}" if text else segment
    return text


def _owner_key(data: object, segments: Sequence[str | int]) -> str | None:
    """The `key` of the innermost table around the faulty value (a deadline, an event…)."""
    found: str | None = None
    value = data
    for segment in segments[:-1]:
        if isinstance(segment, int):
            value = value[segment] if isinstance(value, list) and segment < len(value) else None
        else:
            value = value.get(segment) if isinstance(value, Mapping) else None
        if isinstance(value, Mapping) and isinstance(value.get("key"), str):
            found = value["key"]
    return found


def _show(value: object) -> str:
    names = {
        bool: "un booléen",
        int: "un entier",
        float: "un nombre à virgule flottante",
        str: "un texte",
        list: "une liste",
        dict: "une table",
    }
    kind = "une date" if isinstance(value, date) else names.get(type(value), type(value).__name__)
    if isinstance(value, list | dict):
        return f"{kind} vide" if not value else kind
    return f"{kind} {quoted(value)}"


def _unwrap(kind: mi.Type | None) -> mi.Type | None:
    """The non-null member of an optional type."""
    if isinstance(kind, mi.UnionType):
        members = [t for t in kind.types if not isinstance(t, mi.NoneType)]
        if len(members) == 1:
            return members[0]
    return kind


def _struct_fields(kind: mi.Type | None) -> tuple[mi.Field, ...]:
    kind = _unwrap(kind)
    if isinstance(kind, mi.UnionType):
        for member in kind.types:
            if isinstance(member, mi.StructType):
                return member.fields
    return kind.fields if isinstance(kind, mi.StructType) else ()


def _field_type(kind: mi.Type | None, name: str) -> mi.Type | None:
    for field in _struct_fields(kind):
        if field.name == name:
            return field.type
    return None


def _item_type(kind: mi.Type | None) -> mi.Type | None:
    kind = _unwrap(kind)
    if isinstance(kind, mi.ListType | mi.VarTupleType | mi.SetType | mi.FrozenSetType):
        return kind.item_type
    return None


def _value_type(kind: mi.Type | None) -> mi.Type | None:
    kind = _unwrap(kind)
    return kind.value_type if isinstance(kind, mi.DictType) else None


def _faulty_key(value: object, kind: mi.Type | None) -> str:
    """msgspec says `[...]` for a table's entry: find the entry whose value does not fit."""
    if not isinstance(value, Mapping) or not value:
        return "..."
    for key, item in value.items():
        if not _fits(item, kind):
            return str(key)
    return str(next(iter(value)))


def _fits(value: object, kind: mi.Type | None) -> bool:
    """A shallow check of a value against a type (enough to find a faulty table entry)."""
    if isinstance(kind, mi.UnionType):
        return any(_fits(value, member) for member in kind.types)
    checks: tuple[tuple[type[mi.Type], type | tuple[type, ...]], ...] = (
        (mi.NoneType, type(None)),
        (mi.BoolType, bool),
        (mi.StrType, str),
        (mi.DateType, date),
        (mi.DictType, dict),
        (mi.StructType, dict),
        (mi.ListType, list),
        (mi.VarTupleType, list),
    )
    if isinstance(kind, mi.IntType):
        return isinstance(value, int) and not isinstance(value, bool)
    if isinstance(kind, mi.LiteralType):
        return value in kind.values
    for info, python in checks:
        if isinstance(kind, info):
            return isinstance(value, python)
    return True


def _describe(kind: mi.Type | None) -> str:
    """What a value of this type looks like, in words."""
    if kind is None:
        return "une valeur"
    if isinstance(kind, mi.UnionType):
        members = [t for t in kind.types if not isinstance(t, mi.NoneType)]
        return " ou ".join(_describe(t) for t in members)
    if isinstance(kind, mi.LiteralType):
        return "l'une des valeurs : " + ", ".join(quoted(v) for v in kind.values)
    if isinstance(kind, mi.StrType):
        if kind.pattern is not None:
            return _PATTERNS.get(kind.pattern, f"un texte de la forme {kind.pattern}")
        return "un texte non vide" if kind.min_length else "un texte"
    if isinstance(kind, mi.BoolType):
        return "true ou false"
    if isinstance(kind, mi.IntType):
        bound = f" ≥ {kind.ge}" if kind.ge is not None else ""
        return f"un entier{bound}"
    if isinstance(kind, mi.DateType):
        return "une date AAAA-MM-JJ"
    if isinstance(kind, mi.ListType | mi.VarTupleType):
        least = " (au moins un élément)" if kind.min_length else ""
        return f"une liste{least} dont chaque élément est {_describe(kind.item_type)}"
    if isinstance(kind, mi.DictType):
        return f"une table nom = {_describe(kind.value_type)}"
    if isinstance(kind, mi.StructType):
        return "une table de clés " + ", ".join(f.name for f in kind.fields)
    return "une valeur"
