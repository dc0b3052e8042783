"""The creditor of the cases an import opens: the creditor already recorded.

The parties are stored per case (`parties.case`: one creditor and one debtor each), as the web
form's new case records them; there is no creditor table to point to. So an import looks for
the recorded creditor with the file's identity — by SIREN when the file gives one, else by
name, compared by `casefile.law.identifiers.name_key` (case, accents, spaces, punctuation and
a legal form written or not) — and copies its whole identity (SIREN, address, legal form,
representative…) into each case it opens: the pleadings have it at once. Within one file,
the lines of one creditor share one identity (a SIREN given on one line serves the others).

The file never changes what is recorded. Where it contradicts it (another SIREN for the same
name, another name for the same SIREN), the recorded identity is kept and a warning names the
line; a name recorded under several SIREN is not guessed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from casefile.law.identifiers import name_key, normalise_key
from casefile.store.tables import Party

# The columns a case's creditor copies from the recorded one (the rest: id, case, role).
NOT_COPIED = frozenset({"id", "case", "role"})

Warning = tuple[int, str, str]
"""(line, field, message): what the import report shows beside the line."""


@dataclass(frozen=True)
class Named:
    """A creditor as one line of the file names it."""

    line: int
    name: str
    siren: str | None


@dataclass(frozen=True)
class Creditor:
    """The creditor of an import's cases. `key` is its claims' `creditor_key` and its party's
    `lookup_key`; `aliases` are every key its claims and cases may already be stored under
    (a name key before its SIREN was recorded); `party` the recorded columns to copy, None for
    a creditor the database does not know (then only its name and the file's SIREN)."""

    key: str
    name: str
    siren: str | None
    aliases: frozenset[str]
    party: Mapping[str, Any] | None = None


@dataclass
class _InFile:
    """The lines of the file that name one creditor."""

    name: str  # as its first line writes it
    siren: str | None
    first_line: int
    siren_line: int  # the first line that gives the SIREN
    names: list[str] = field(default_factory=list)
    lines: int = 0

    def matches(self, name: str) -> bool:
        key = name_key(name)
        return any(name_key(own).same_as(key) for own in self.names)

    def matches_recorded(self, name: str, legal_form: str | None) -> bool:
        key = name_key(name, legal_form or None)
        return any(name_key(own).same_as(key) for own in self.names)

    def for_lines(self) -> str:
        if self.lines == 1:
            return "pour cette ligne"
        return f"pour les {self.lines} lignes de ce créancier"


def _group(
    named: Sequence[Named], warnings: list[Warning]
) -> dict[tuple[str, str | None], _InFile]:
    """The file's creditors: one per SIREN given, then the lines without SIREN joined to the
    creditor of the same name (the one with a SIREN when exactly one has it)."""
    of: dict[tuple[str, str | None], _InFile] = {}
    by_siren: dict[str, _InFile] = {}
    by_name: list[_InFile] = []

    def join(group: _InFile, item: Named) -> None:
        group.lines += 1
        if item.line < group.first_line:
            group.first_line, group.name = item.line, item.name
        if item.name not in group.names:
            group.names.append(item.name)
        of[(item.name, item.siren)] = group

    for item in named:
        if item.siren is None:
            continue
        group = by_siren.get(item.siren)
        if group is None:
            twin = next((g for g in by_siren.values() if g.matches(item.name)), None)
            if twin is not None:
                warnings.append(
                    (
                        item.line,
                        "creditor_siren",
                        f"le créancier « {item.name} » a le SIREN {item.siren} ici et le SIREN "
                        f"{twin.siren} ligne {twin.siren_line} : l'import les tient pour deux "
                        "créanciers distincts (vérifiez le SIREN du fichier)",
                    )
                )
            group = _InFile(item.name, item.siren, item.line, item.line)
            by_siren[item.siren] = group
        join(group, item)
    for item in named:
        if item.siren is not None:
            continue
        known = of.get((item.name, None))
        if known is not None:
            join(known, item)
            continue
        with_siren = [g for g in by_siren.values() if g.matches(item.name)]
        if len(with_siren) == 1:
            join(with_siren[0], item)
            continue
        group = next((g for g in by_name if g.matches(item.name)), None)
        if group is None:
            group = _InFile(item.name, None, item.line, item.line)
            by_name.append(group)
        join(group, item)
    return of


async def _recorded() -> list[dict[str, Any]]:
    """The distinct identities of the recorded creditors (few: one per company)."""
    rows = (
        await Party.select(Party.name, Party.siren, Party.legal_form, Party.lookup_key)
        .where(Party.role == "creditor")
        .distinct()
    )
    return [dict(row) for row in rows]


async def _latest(where: Any) -> dict[str, Any] | None:
    """The recorded creditor party to copy: of the case changed last, one with an address
    first (a copy recorded before its address was known stays behind)."""
    for condition in (where & (Party.address != ""), where):
        row = (
            await Party.select()
            .where(condition)
            .order_by(Party.case.updated_at, Party.id, ascending=False)
            .first()
        )
        if row is not None:
            return {k: v for k, v in dict(row).items() if k not in NOT_COPIED}
    return None


async def resolve(
    named: Sequence[Named],
) -> tuple[dict[tuple[str, str | None], Creditor], list[Warning]]:
    """The creditor of each (name, SIREN) the file gives, and the warnings, by line."""
    warnings: list[Warning] = []
    of = _group(named, warnings)
    recorded = await _recorded()
    found: dict[str, Creditor] = {}
    key_of: dict[int, str] = {}
    for group in {id(g): g for g in of.values()}.values():
        creditor = await _resolve(group, recorded, warnings)
        known = found.get(creditor.key)
        if known is not None:  # two ways of naming one recorded creditor
            creditor = Creditor(
                known.key, known.name, known.siren, known.aliases | creditor.aliases, known.party
            )
        found[creditor.key] = creditor
        key_of[id(group)] = creditor.key
    warnings.sort(key=lambda w: w[0])
    return {given: found[key_of[id(group)]] for given, group in of.items()}, warnings


async def _resolve(
    group: _InFile, recorded: list[dict[str, Any]], warnings: list[Warning]
) -> Creditor:
    names = {normalise_key(name) for name in group.names}
    same_name = [r for r in recorded if group.matches_recorded(r["name"], r["legal_form"])]
    sirens = sorted({r["siren"] for r in same_name if r["siren"]})
    if group.siren is not None:
        same_siren = [r for r in recorded if r["siren"] == group.siren]
        if same_siren:
            creditor = await _by_siren(group.siren, recorded, same_name, names)
            # A FEC without --creditor names its creditor « SIREN nnn » (`fec_creditor`).
            named = any(name != f"SIREN {group.siren}" for name in group.names)
            if named and not any(
                group.matches_recorded(r["name"], r["legal_form"]) for r in same_siren
            ):
                warnings.append(
                    (
                        group.siren_line,
                        "creditor",
                        f"le fichier nomme « {group.name} » le créancier de SIREN {group.siren}"
                        f", enregistré sous le nom « {creditor.name} » : l'identité "
                        f"enregistrée est gardée {group.for_lines()} (vérifiez le nom du "
                        "fichier)",
                    )
                )
            return creditor
        if len(sirens) == 1:
            creditor = await _by_siren(sirens[0], recorded, same_name, names)
            warnings.append(
                (
                    group.siren_line,
                    "creditor_siren",
                    f"le fichier donne au créancier « {group.name} » le SIREN {group.siren}, "
                    f"mais le créancier enregistré sous ce nom a le SIREN {sirens[0]} : "
                    f"l'identité enregistrée est gardée {group.for_lines()} (vérifiez le SIREN "
                    "du fichier)",
                )
            )
            return creditor
        if sirens:
            warnings.append(
                (
                    group.siren_line,
                    "creditor_siren",
                    f"plusieurs créanciers enregistrés s'appellent « {group.name} » (SIREN "
                    f"{', '.join(sirens)}), aucun avec le SIREN {group.siren} du fichier : "
                    "l'import le tient pour un autre créancier (vérifiez le SIREN du fichier)",
                )
            )
            return _new(group, names)
    elif len(sirens) == 1:
        return await _by_siren(sirens[0], recorded, same_name, names)
    elif sirens:
        imported = "importée" if group.lines == 1 else "importées"
        warnings.append(
            (
                group.first_line,
                "creditor",
                f"plusieurs créanciers enregistrés s'appellent « {group.name} » (SIREN "
                f"{', '.join(sirens)}) : donnez le SIREN du créancier (colonne « SIREN "
                f"créancier ») ; {_these_lines(group)} {imported} avec son nom seul",
            )
        )
        return _new(group, names)
    if not same_name:
        return _new(group, names)
    # Recorded by name only: the file's SIREN, when it gives one, completes the copies (the
    # recorded cases are left as they are).
    party = await _latest(
        (Party.role == "creditor")
        & Party.lookup_key.is_in(sorted({r["lookup_key"] for r in same_name}))
        & Party.siren.is_null()
        & Party.name.is_in(sorted({r["name"] for r in same_name}))
    )
    if party is None:  # its cases deleted meanwhile
        return _new(group, names)
    if group.siren is not None:
        party["siren"] = group.siren
    party["lookup_key"] = party["siren"] or party["lookup_key"]
    aliases = names | {r["lookup_key"] for r in same_name} | {party["lookup_key"]}
    return Creditor(party["lookup_key"], party["name"], party["siren"], frozenset(aliases), party)


def _these_lines(group: _InFile) -> str:
    return (
        "cette ligne est" if group.lines == 1 else f"les {group.lines} lignes de ce créancier sont"
    )


async def _by_siren(
    siren: str, recorded: list[dict[str, Any]], same_name: list[dict[str, Any]], names: set[str]
) -> Creditor:
    # its lookup key is its SIREN (`party_values`): the indexed column finds it
    party = await _latest(
        (Party.role == "creditor") & (Party.lookup_key == siren) & (Party.siren == siren)
    ) or await _latest((Party.role == "creditor") & (Party.siren == siren))
    party = party or {"name": next(r["name"] for r in recorded if r["siren"] == siren)}
    party["lookup_key"] = siren
    aliases = {siren} | names
    aliases |= {r["lookup_key"] for r in recorded if r["siren"] == siren}
    aliases |= {r["lookup_key"] for r in same_name if not r["siren"]}
    copied = party if "address" in party else None  # None: its cases deleted meanwhile
    return Creditor(siren, party["name"], siren, frozenset(aliases), copied)


def _new(group: _InFile, names: set[str]) -> Creditor:
    """A creditor the database does not know: its name (and SIREN) as the file gives them."""
    key = group.siren or normalise_key(group.name)
    return Creditor(key, group.name, group.siren, frozenset(names | {key}))
