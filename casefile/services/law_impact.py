"""The impact of a change of the law data on pending cases (issue 10 item 6).

When a definition, a calendar or a parameter changes (a new decree, a corrected holiday, a new
rate), `impact` loads the proposed version beside the one in service — each in its own
`Engine`, with its own caches, nothing global — recomputes every pending case under both and
lists each case whose deadlines or claim amounts would move, with before, after and the rule
responsible. `apply` runs once the new data is in service: it recomputes the cases whose stored
deadlines no longer match it, stores them and records the reason in each case's history (the
audit trail on the case); the iCalendar feeds then publish the moved dates with a higher
SEQUENCE through their usual synchronisation.

The proposed version is a directory holding `procedures/` and `calendars/`, or a git revision
of the repository that holds the law data in service (read with `git archive`).
"""

from __future__ import annotations

import hashlib
import io
import re
import subprocess
import tarfile
import tempfile
import tomllib
from collections.abc import AsyncIterator, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import msgspec

from casefile import gc_pause, metrics
from casefile.definitions import LAW_FILES, data_dir, engine, load_engine
from casefile.errors import CasefileError, DefinitionError, InputError
from casefile.labels import (
    DEADLINE_STATUSES,
    amount_or_dash,
    humanise,
    key_labels,
    label,
    period_fr,
)
from casefile.law import claims as law_claims
from casefile.law.money import from_cents
from casefile.law.schedule import Deadline, Engine, Schedule
from casefile.law.wording import date_fr, dates_fr_in, quoted
from casefile.store import audit
from casefile.store.calendars import synced_items
from casefile.store.cases import CLOSED_STATUSES
from casefile.store.db import (
    among,
    atomic,
    flush_at_leisure,
    in_transaction,
    postgres,
    sql_value,
)
from casefile.store.permissions import User, require
from casefile.store.plan_deadlines import plan_deadlines_many
from casefile.store.recompute import (
    CASE_COLUMNS,
    MEMO_LIMIT,
    CaseInput,
    prepare_changes,
    read_inputs,
    store_changed,
    with_plan,
)
from casefile.store.recompute_rows import any_plan_or_promise, fetch, stored_pairs, stored_texts
from casefile.store.tables import (
    Case,
    Claim,
    Event,
    FeedState,
    Party,
    Payment,
)

CHUNK = 2000
_REVISION = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/~^@{}-]{0,99}$")


# -- the two versions of the law ---------------------------------------------------------------


@dataclass(frozen=True)
class LawData:
    """One version of the law data: its engine (own caches), its raw files and a fingerprint."""

    label: str
    engine: Engine
    files: Mapping[str, Any]  # relative path → parsed TOML
    fingerprint: str


def _read(root: Path, label: str) -> LawData:
    paths = sorted({p for pattern in LAW_FILES for p in root.glob(pattern)})
    if not any(p.parent.name == "procedures" for p in paths):
        raise InputError(f"{label}: aucun fichier procedures/*.toml dans {root}")
    digest = hashlib.sha256()
    files: dict[str, Any] = {}
    for path in paths:
        relative = path.relative_to(root).as_posix()
        content = path.read_bytes()
        digest.update(relative.encode() + b"\0" + content + b"\0")
        try:
            files[relative] = tomllib.loads(content.decode("utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
            raise InputError(f"{label}: {relative} n'est pas un TOML valide ({error})") from None
    try:
        loaded = load_engine(root)
    except DefinitionError as error:
        raise InputError(f"{label}: données juridiques invalides — {error}") from None
    return LawData(label, loaded, files, digest.hexdigest())


def _fingerprint(root: Path) -> str:
    """The fingerprint `_read` gives the same files, without parsing or loading them."""
    digest = hashlib.sha256()
    for path in sorted({p for pattern in LAW_FILES for p in root.glob(pattern)}):
        relative = path.relative_to(root).as_posix()
        digest.update(relative.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def law_engine_in_service() -> LawData:
    """The engine in service and its fingerprint, without the parsed files (what `apply` needs:
    a nightly chunk job calls it, and loading a second engine there cost a second a chunk)."""
    return LawData("données en service", engine(), {}, _fingerprint(data_dir()))


def law_in_service() -> LawData:
    """The law data the application computes with (its engine is the process's own)."""
    read = _read(data_dir(), "données en service")
    return LawData(read.label, engine(), read.files, read.fingerprint)


def proposed_law(spec: str, repository: Path | None = None) -> LawData:
    """A directory with `procedures/` and `calendars/`, or a git revision of `repository`
    (default: the folder of the law data in service)."""
    text = spec.strip()
    if not text:
        raise InputError("--proposed: indiquez un dossier ou une révision git")
    folder = Path(text)
    if folder.is_dir():
        return _read(folder, f"dossier {folder}")
    return _from_git(text, repository or data_dir())


def _from_git(revision: str, repository: Path) -> LawData:
    if not _REVISION.match(revision):
        raise InputError(f"--proposed: {quoted(revision)} n'est ni un dossier ni une révision git")
    label = f"révision {revision}"
    try:
        commit = subprocess.run(
            [
                "git",
                "-C",
                str(repository),
                "rev-parse",
                "--verify",
                "--quiet",
                f"{revision}^{{commit}}",
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        archive = subprocess.run(
            [
                "git",
                "-C",
                str(repository),
                "archive",
                "--format=tar",
                commit,
                "--",
                "procedures",
                "calendars",
            ],
            capture_output=True,
            check=True,
        ).stdout
    except FileNotFoundError:
        raise InputError("--proposed: git est introuvable sur cette machine") from None
    except subprocess.CalledProcessError:
        raise InputError(
            f"--proposed: {quoted(revision)} n'est ni un dossier ni une révision git connue de {repository}"
        ) from None
    with tempfile.TemporaryDirectory(prefix="casefile-law-") as tmp:
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(tmp, filter="data")
        read = _read(Path(tmp), f"{label} ({commit[:12]})")
    return read


# -- what changed in the data ------------------------------------------------------------------


class DataChange(msgspec.Struct, frozen=True):
    """One difference between the two versions, named as a lawyer finds it in the files."""

    file: str
    where: str
    change: str


def _short(value: object) -> str:
    text = value.isoformat() if isinstance(value, date) else str(value)
    return text if len(text) <= 90 else text[:87] + "…"


def _diff_tables(file: str, where: str, old: Any, new: Any) -> list[DataChange]:
    if old == new:
        return []
    if isinstance(old, Mapping) and isinstance(new, Mapping):
        out = []
        for name in dict.fromkeys([*old, *new]):
            if name not in old:
                out.append(DataChange(file, where, f"{name} ajouté: {_short(new[name])}"))
            elif name not in new:
                out.append(DataChange(file, where, f"{name} supprimé (était {_short(old[name])})"))
            elif old[name] != new[name]:
                out.append(
                    DataChange(file, where, f"{name}: {_short(old[name])} → {_short(new[name])}")
                )
        return out
    return [DataChange(file, where, f"{_short(old)} → {_short(new)}")]


def _grouped(entries: Iterable[Mapping[str, Any]], key: Any) -> dict[Any, list[Mapping[str, Any]]]:
    groups: dict[Any, list[Mapping[str, Any]]] = {}
    for entry in entries:
        groups.setdefault(key(entry), []).append(entry)
    return groups


def _diff_list(
    file: str,
    section: str,
    old: Sequence[Mapping[str, Any]],
    new: Sequence[Mapping[str, Any]],
    key: Any,
    name: Any,
) -> list[DataChange]:
    """Entries matched by `key` (in order within a key), compared field by field."""
    out: list[DataChange] = []
    before, after = _grouped(old, key), _grouped(new, key)
    for group in dict.fromkeys([*before, *after]):
        olds, news = before.get(group, []), after.get(group, [])
        for index in range(max(len(olds), len(news))):
            o = olds[index] if index < len(olds) else None
            n = news[index] if index < len(news) else None
            where = f"{section} {name(n or o)}"
            if o is None:
                out.append(DataChange(file, where, "ajouté"))
            elif n is None:
                out.append(DataChange(file, where, "supprimé"))
            else:
                out.extend(_diff_tables(file, where, o, n))
    return out


def _deadline_name(entry: Mapping[str, Any]) -> str:
    courts = entry.get("courts")
    suffix = f" [{', '.join(courts)}]" if courts else ""
    valid = entry.get("valid_from") or entry.get("valid_until")
    dated = f" (version {_short(valid)})" if valid else ""
    return f"{entry.get('key')}{suffix}{dated} — {entry.get('basis', '')}"


def data_changes(current: LawData, proposed: LawData) -> list[DataChange]:
    """Every difference between the two versions' files, rule by rule."""
    out: list[DataChange] = []
    for file in sorted({*current.files, *proposed.files}):
        old, new = current.files.get(file), proposed.files.get(file)
        if old == new:
            continue
        if old is None or new is None:
            out.append(DataChange(file, "fichier", "ajouté" if old is None else "supprimé"))
            continue
        if file == "procedures/parameters.toml":
            for name in dict.fromkeys([*old, *new]):
                o, n = old.get(name), new.get(name)
                if o == n:
                    continue
                if o is None or n is None:
                    out.append(DataChange(file, name, "ajouté" if o is None else "supprimé"))
                    continue
                out.extend(
                    _diff_tables(
                        file,
                        name,
                        {k: v for k, v in o.items() if k != "values"},
                        {k: v for k, v in n.items() if k != "values"},
                    )
                )
                out.extend(
                    _diff_list(
                        file,
                        name,
                        o.get("values", []),
                        n.get("values", []),
                        key=lambda v: _short(v.get("valid_from")),
                        name=lambda v: f"valeur du {_short(v.get('valid_from'))}",
                    )
                )
        elif file.startswith("calendars/"):
            for name in dict.fromkeys([*old, *new]):
                if name == "territories":
                    out.extend(
                        _diff_list(
                            file,
                            "territoire",
                            old.get(name, []),
                            new.get(name, []),
                            key=lambda t: t.get("key"),
                            name=lambda t: t.get("key"),
                        )
                    )
                else:
                    out.extend(_diff_tables(file, name, old.get(name), new.get(name)))
        else:
            for name in dict.fromkeys([*old, *new]):
                if name == "deadlines":
                    out.extend(
                        _diff_list(
                            file,
                            "délai",
                            old.get(name, []),
                            new.get(name, []),
                            key=lambda d: (d.get("key"), tuple(d.get("courts", []))),
                            name=_deadline_name,
                        )
                    )
                elif old.get(name) != new.get(name):
                    out.extend(_diff_tables(file, name, old.get(name), new.get(name)))
    return out


# -- what moves in each case -------------------------------------------------------------------


class DeadlineMove(msgspec.Struct, frozen=True):
    key: str
    label: str
    before: str | None  # due date (ISO), None when the deadline does not exist
    after: str | None
    status_before: str | None
    status_after: str | None
    rule: str  # the article and its Légifrance link
    cause: str  # what differs in the computation, in French


class AmountChange(msgspec.Struct, frozen=True):
    before: str  # total claimed as of `today`: a decimal string, or why it cannot be computed
    after: str
    parameters: list[str]  # the parameters whose values differ


class CaseImpact(msgspec.Struct, frozen=True):
    id: int
    reference: str
    procedure: str
    deadlines: list[DeadlineMove]
    amount: AmountChange | None = None


class ImpactReport(msgspec.Struct, frozen=True):
    current: str
    proposed: str
    today: str
    cases_examined: int
    cases_affected: int
    data_changes: list[DataChange]
    cases: list[CaseImpact]


class ApplyReport(msgspec.Struct, frozen=True):
    reason: str
    law_data: str  # fingerprint of the data in service
    cases_examined: int
    cases_recomputed: int
    cases: list[CaseImpact]


def amount_words(text: str) -> str:
    """'10 683,53 €' for a decimal string; the French reason itself when it is not one."""
    try:
        return amount_or_dash(Decimal(text))
    except (ArithmeticError, CasefileError):
        return text


def _period_words(deadline: Mapping[str, Any]) -> str:
    return period_fr(deadline["period"])


COUNTINGS = {
    "cpc": "CPC art. 640-642",
    "civil": "Code civil (prescription)",
    "calendar": "jours calendaires",
    "backward": "à rebours",
}


def _day(value: object) -> str:
    try:
        return date_fr(str(value))
    except CasefileError:
        return str(value)


def _start_words(start: Mapping[str, Any], names: Mapping[str, str]) -> str:
    key = str(start["key"])
    return f"{names.get(key) or humanise(key)} du {_day(start['date'])}"


def _cause(
    before: Mapping[str, Any] | None,
    after: Mapping[str, Any] | None,
    names: Mapping[str, str] | None = None,
) -> str:
    """What differs in the computation, in French (dates, periods, statuses as a person
    reads them: the page, the CLI and the audit trail show this text as it is)."""
    if before is None:
        return "délai nouveau"
    if after is None:
        return "délai supprimé (règle retirée ou hors de sa période de validité)"
    parts = []
    if before["basis"] != after["basis"]:
        parts.append(f"fondement {before['basis']} → {after['basis']}")
    if before["period"] != after["period"]:
        parts.append(f"durée {_period_words(before)} → {_period_words(after)}")
    if before.get("extension") != after.get("extension"):
        old, new = before.get("extension"), after.get("extension")
        parts.append(
            f"allongement pour distance {period_fr(old) if old else 'aucun'} → "
            f"{period_fr(new) if new else 'aucun'}"
        )
    if before.get("counting") != after.get("counting"):
        old, new = before.get("counting"), after.get("counting")
        parts.append(
            f"mode de calcul {COUNTINGS.get(str(old), str(old))} → "
            f"{COUNTINGS.get(str(new), str(new))}"
        )
    if before["start"] != after["start"]:
        parts.append(
            f"point de départ {_start_words(before['start'], names or {})} → "
            f"{_start_words(after['start'], names or {})}"
        )
    if not parts and before["unadjusted"] == after["unadjusted"] and before["due"] != after["due"]:
        parts.append(
            "jours non ouvrables du calendrier — avant : "
            f"{dates_fr_in(before.get('moved_because') or 'pas de report')} ; après : "
            f"{dates_fr_in(after.get('moved_because') or 'pas de report')}"
        )
    if not parts and before["unadjusted"] != after["unadjusted"]:
        parts.append(f"date brute {_day(before['unadjusted'])} → {_day(after['unadjusted'])}")
    if before["status"] != after["status"]:
        parts.append(
            f"statut {label(DEADLINE_STATUSES, before['status'])} → "
            f"{label(DEADLINE_STATUSES, after['status'])}"
        )
    return "; ".join(parts) or "règle modifiée"


def deadline_moves(
    before: Mapping[str, Mapping[str, Any]],
    after: Mapping[str, Mapping[str, Any]],
    names: Mapping[str, str] | None = None,
) -> list[DeadlineMove]:
    """Deadline dicts (the contract shape) keyed by deadline key: those that appear, vanish,
    move or change status; `names` the labels of the events and deadlines that start them."""
    moves = []
    for key in dict.fromkeys([*before, *after]):
        old, new = before.get(key), after.get(key)
        if (
            old is not None
            and new is not None
            and (old["due"], old["status"])
            == (
                new["due"],
                new["status"],
            )
        ):
            continue
        shown = new or old
        assert shown is not None
        moves.append(
            DeadlineMove(
                key=key,
                label=shown["label"],
                before=old["due"] if old else None,
                after=new["due"] if new else None,
                status_before=old["status"] if old else None,
                status_after=new["status"] if new else None,
                rule=f"{shown['basis']} — {shown['source']}",
                cause=_cause(old, new, names),
            )
        )
    return moves


def added_moves(deadlines: Sequence[Deadline]) -> list[DeadlineMove]:
    """`deadline_moves({}, new)` without building each deadline's dict: a case with nothing
    stored (never computed, or its deadlines deleted) has only new deadlines."""
    return [
        DeadlineMove(
            key=d.key,
            label=d.label,
            before=None,
            after=d.due.isoformat(),
            status_before=None,
            status_after=d.status,
            rule=f"{d.basis} — {d.source}",
            cause=_cause(None, None),
        )
        for d in {d.key: d for d in deadlines}.values()
    ]


def added_history(deadlines: Sequence[Deadline]) -> dict[str, list[Any]]:
    """`history_changes(added_moves(deadlines))` without the moves: the history entry of a
    case with nothing stored (the nightly job, which keeps only counts)."""
    return {
        "added": list(dict.fromkeys(d.key for d in deadlines)),
        "moved": [],
        "removed": [],
        "changed": [],
    }


def history_changes(moves: Sequence[DeadlineMove]) -> dict[str, list[Any]]:
    """The moves in the shape of an event's changes in the case history (added / moved /
    removed, as `casefile.services.audit` reads them), each moved deadline with its rule and
    cause, and the deadlines whose status alone changed."""
    return {
        "added": [m.key for m in moves if m.before is None and m.after is not None],
        "moved": [
            {"key": m.key, "from": m.before, "to": m.after, "rule": m.rule, "cause": m.cause}
            for m in moves
            if m.before is not None and m.after is not None and m.before != m.after
        ],
        "removed": [m.key for m in moves if m.after is None and m.before is not None],
        "changed": [
            {"key": m.key, "from": m.status_before, "to": m.status_after, "rule": m.rule}
            for m in moves
            if m.before == m.after and m.status_before != m.status_after
        ],
    }


# -- reading the pending cases -----------------------------------------------------------------


def _pending() -> Any:
    return Case.status.not_in(list(CLOSED_STATUSES))


async def pending_id_chunks(
    first_id: int | None = None, last_id: int | None = None, size: int | None = None
) -> AsyncIterator[list[int]]:
    """The ids of the pending cases (within `first_id`..`last_id` when given), `size` at a
    time in id order, each chunk read after the previous one was used (keyset: no list of
    every id held, whatever the portfolio's size)."""
    async for ids, _ in _pending_chunks(first_id, last_id, size, with_rows=False):
        yield ids


async def _pending_chunks(
    first_id: int | None, last_id: int | None, size: int | None, with_rows: bool
) -> AsyncIterator[tuple[list[int], list[Any] | None]]:
    """`pending_id_chunks`, each chunk's ids with, when `with_rows` on PostgreSQL, the case
    rows `read_inputs` reads (`recompute.CASE_COLUMNS`), taken by the same statement: the
    nightly chunk read its cases twice, once for their ids and once for their inputs."""
    size = size or CHUNK
    after = (first_id - 1) if first_id is not None else None
    while True:
        ids, rows = await _pending_ids(after, last_id, size, with_rows)
        if not ids:
            return
        yield ids, rows
        # Short, or ending on the range's last id (a nightly job's range: its cases in one
        # chunk): nothing left to read.
        if len(ids) < size or ids[-1] == last_id:
            return
        after = ids[-1]


async def _pending_ids(
    after: int | None, last_id: int | None, size: int, with_rows: bool = False
) -> tuple[list[int], list[Any] | None]:
    """The ids of at most `size` pending cases after `after` and up to `last_id`, in order (raw
    SQL on PostgreSQL: piccolo made a dict of each of a chunk's 2 000 ids), and their rows of
    `recompute.CASE_COLUMNS` when `with_rows` on PostgreSQL (else None)."""
    if postgres():
        conditions, args = ["status <> ALL($1::text[])"], [list(CLOSED_STATUSES), size]
        if after is not None:
            args.append(after)
            conditions.append(f"id > ${len(args)}")
        if last_id is not None:
            args.append(last_id)
            conditions.append(f"id <= ${len(args)}")
        columns = CASE_COLUMNS if with_rows else "id"
        sql = f"SELECT {columns} FROM cases WHERE {' AND '.join(conditions)} ORDER BY id LIMIT $2"
        rows = await fetch(sql, *args)
        return [row[0] for row in rows], rows if with_rows else None
    where = _pending()
    if after is not None:
        where = where & (Case.id > after)
    if last_id is not None:
        where = where & (Case.id <= last_id)
    return [
        row["id"] for row in await Case.select(Case.id).where(where).order_by(Case.id).limit(size)
    ], None


async def pending_ranges(size: int | None = None) -> list[tuple[int, int]]:
    """(first id, last id) of each chunk of `size` pending cases: the work of one job each."""
    ranges: list[tuple[int, int]] = []
    async for ids in pending_id_chunks(size=size):
        ranges.append((ids[0], ids[-1]))
    return ranges


async def _inputs(ids: Sequence[int]) -> list[CaseInput]:
    return (await read_inputs(ids))[0]


async def _chunks(
    first_id: int | None = None, last_id: int | None = None
) -> AsyncIterator[list[CaseInput]]:
    async for ids in pending_id_chunks(first_id, last_id):
        yield await _inputs(ids)


def _schedule(law: Engine, item: CaseInput, today: date | None) -> dict[str, dict[str, Any]] | str:
    """The case's deadlines as contract dicts, or the French reason they cannot be computed."""
    try:
        schedule: Schedule = law.compute(item.row["procedure"], item.events, item.facts, today)
    except CasefileError as error:
        return f"calcul impossible: {error}"
    return {d.key: d.as_dict() for d in schedule.deadlines}


# -- claim amounts under each version's parameters ---------------------------------------------


def _changed_parameters(current: LawData, proposed: LawData) -> list[str]:
    old = current.files.get("procedures/parameters.toml", {})
    new = proposed.files.get("procedures/parameters.toml", {})
    return [name for name in dict.fromkeys([*old, *new]) if old.get(name) != new.get(name)]


async def _statements_inputs(ids: Sequence[int]) -> dict[int, dict[str, Any]]:
    """What `law.claims.claim_statement` needs, for the cases of `ids` that have claims."""
    out: dict[int, dict[str, Any]] = {}
    numbers: dict[int, str] = {}
    for row in await Claim.select(
        Claim.id,
        Claim.case,
        Claim.invoice_number,
        Claim.issue_date,
        Claim.due_date,
        Claim.amount_cents,
        Claim.paid_cents,
    ).where(Claim.case.is_in(list(ids))):
        numbers[row["id"]] = row["invoice_number"]
        out.setdefault(row["case"], {"invoices": [], "payments": []})["invoices"].append(
            law_claims.Invoice(
                number=row["invoice_number"],
                issue_date=row["issue_date"],
                due_date=row["due_date"],
                amount_ttc=from_cents(row["amount_cents"]),
                paid=from_cents(row["paid_cents"]),
            )
        )
    if not out:
        return out
    with_claims = list(out)
    for row in await Payment.select(
        Payment.case, Payment.date, Payment.amount_cents, Payment.claim
    ).where(Payment.case.is_in(with_claims)):
        out[row["case"]]["payments"].append(
            law_claims.Payment(
                date=row["date"],
                amount=from_cents(row["amount_cents"]),
                invoice=numbers.get(row["claim"]),
            )
        )
    for row in await Party.select(
        Party.case, Party.role, Party.kind, Party.person_or_company
    ).where(Party.case.is_in(with_claims)):
        if row["role"] == "debtor":
            out[row["case"]]["debtor_kind"] = row["kind"]
        elif row["role"] == "creditor":
            out[row["case"]]["creditor_is_individual"] = row["person_or_company"] == "personne"
    for row in await Event.select(Event.case, Event.date).where(
        Event.case.is_in(with_claims) & (Event.key == "mise_en_demeure_envoyee")
    ):
        known = out[row["case"]].get("notice")
        if known is None or row["date"] < known:
            out[row["case"]]["notice"] = row["date"]
    return out


def _total(inputs: Mapping[str, Any], rates: Mapping[str, Any], today: date) -> Decimal | str:
    try:
        statement = law_claims.claim_statement(
            inputs["invoices"],
            inputs["payments"],
            today,
            rates=rates,
            debtor_kind=inputs.get("debtor_kind") or "professionnel",
            creditor_is_individual=bool(inputs.get("creditor_is_individual")),
            mise_en_demeure_date=inputs.get("notice"),
        )
    except CasefileError as error:
        return f"décompte impossible: {error}"
    return statement.total


# -- the use cases -----------------------------------------------------------------------------


async def impact(
    actor: User, proposed: LawData, today: date, current: LawData | None = None
) -> ImpactReport:
    """Every pending case whose deadlines (or claim total as of `today`) differ between the
    law data in service and `proposed`. Reads only."""
    require(actor, "law.impact")
    current = current or law_in_service()
    changes = data_changes(current, proposed)
    parameters = _changed_parameters(current, proposed)
    examined = 0
    affected: list[CaseImpact] = []
    if current.fingerprint == proposed.fingerprint:
        examined = sum([len(ids) async for ids in pending_id_chunks()])
    else:
        async for chunk in _chunks():
            examined += len(chunk)
            statements = (
                await _statements_inputs([item.row["id"] for item in chunk]) if parameters else {}
            )
            for item in chunk:
                found = _case_impact(item, current.engine, proposed.engine, today)
                amount = None
                inputs = statements.get(item.row["id"])
                if inputs is not None:
                    old = _total(inputs, current.engine.parameters, today)
                    new = _total(inputs, proposed.engine.parameters, today)
                    if old != new:
                        amount = AmountChange(str(old), str(new), parameters)
                if found or amount is not None:
                    affected.append(
                        CaseImpact(
                            item.row["id"],
                            item.row["reference"],
                            item.row["procedure"],
                            found,
                            amount,
                        )
                    )
    return ImpactReport(
        current=current.label,
        proposed=proposed.label,
        today=today.isoformat(),
        cases_examined=examined,
        cases_affected=len(affected),
        data_changes=changes,
        cases=affected,
    )


def _case_impact(
    item: CaseInput, current: Engine, proposed: Engine, today: date
) -> list[DeadlineMove]:
    before = _schedule(current, item, today)
    after = _schedule(proposed, item, today)
    if isinstance(before, str) or isinstance(after, str):
        if before == after:
            return []
        return [
            DeadlineMove(
                key="*",
                label="toutes les échéances",
                before=None,
                after=None,
                status_before=None,
                status_after=None,
                rule="—",
                cause=after if isinstance(after, str) else str(before),
            )
        ]
    return deadline_moves(
        before, after, key_labels(proposed.procedures.get(str(item.row["procedure"])))
    )


async def apply(
    actor: User,
    reason: str,
    now: datetime | None = None,
    first_id: int | None = None,
    last_id: int | None = None,
    keep_cases: bool = True,
    record_summary: bool = True,
) -> ApplyReport:
    """Recompute, under the law data in service, every pending case whose stored deadlines no
    longer match it; store them and record `reason` with before/after in each case's history
    (its audit trail) and once for the whole change. Feeds already published are synchronised
    at once, so subscribers see the moved dates with a higher SEQUENCE.

    A chunk of cases at a time, each in its own transaction, in bounded memory: `first_id`
    and `last_id` limit the work to a range of ids (one job of the nightly recomputation),
    `keep_cases=False` returns the counts without the list of cases, `record_summary=False`
    leaves out the entry for the whole change (the nightly job records its own run). Running
    it twice changes nothing the second time: only cases whose deadlines differ are written."""
    require(actor, "law.apply")
    reason = reason.strip()
    if not reason:
        raise InputError(
            "--reason: indiquez la raison du changement (décret, correction d'un jour férié…)"
        )
    now = now or datetime.now(UTC)
    law = law_engine_in_service()
    examined = recomputed_count = 0
    recomputed: list[CaseImpact] = []
    async for ids, rows in _pending_chunks(first_id, last_id, None, with_rows=True):
        examined += len(ids)
        with gc_pause.paused(freeze=True):
            impacts = await _apply_chunk(actor, law, ids, reason, now, keep_cases, rows)
        recomputed_count += len(impacts)
        if keep_cases:
            recomputed.extend(impacts)
        law.engine.trim_memo(MEMO_LIMIT)
    if record_summary:
        async with atomic():
            await audit.record(
                actor,
                "law.apply",
                "law",
                law.fingerprint[:12],
                None,
                {
                    "reason": reason,
                    "cases_examined": examined,
                    "cases_recomputed": recomputed_count,
                },
            )
    return ApplyReport(reason, law.fingerprint, examined, recomputed_count, recomputed)


async def _apply_chunk(
    actor: User,
    law: LawData,
    ids: Sequence[int],
    reason: str,
    now: datetime,
    keep_moves: bool = True,
    case_rows: Sequence[Any] | None = None,
) -> list[CaseImpact]:
    """One chunk of `apply`: read in bulk, compare each case's (due, status) pairs with the
    stored ones, and write only the cases that differ (their deadlines, summaries, versions
    and history entries in bulk, one transaction). `keep_moves=False`: a case with nothing
    stored gets its history entry without its list of moves (the caller counts the cases).
    `case_rows`: the cases' rows, already read with their ids (see `read_inputs`)."""
    inputs, totals = await read_inputs(ids, case_rows)
    pairs_stored = await stored_pairs(ids)
    # Payment plans and promises are rare: on PostgreSQL one query says whether the chunk has any.
    plans = (
        await plan_deadlines_many(ids) if not postgres() or await any_plan_or_promise(ids) else {}
    )
    schedules: dict[int, Schedule] = {}
    items: dict[int, CaseInput] = {}
    computed = deadlines = 0
    for item in inputs:
        case_id = item.row["id"]
        try:
            schedule = law.engine.compute(item.row["procedure"], item.events, item.facts)
        except CasefileError:
            continue  # the case's own data cannot be computed: left as it is, shown by impact
        computed += 1
        deadlines += len(schedule.deadlines)
        schedule = with_plan(schedule, case_id, plans)
        pairs = pairs_stored.get(case_id)
        if (  # nothing stored (every case, the night after the deadlines were emptied)
            bool(schedule.deadlines)
            if pairs is None
            else {d.key: (d.due, d.status) for d in schedule.deadlines} != pairs
        ):
            schedules[case_id] = schedule
            items[case_id] = item
    metrics.deadlines_computed_many(computed, deadlines)
    if not schedules:
        return []
    stored = await stored_texts([case_id for case_id in schedules if case_id in pairs_stored])
    impacts: dict[int, CaseImpact] = {}
    # Each case's history entry (what `audit.record_many` stores as `after`): a dict, or the
    # JSON text of one (`sql_value`) for a case with nothing stored when the moves are not
    # kept, the same text for the same deadline keys (a chunk's 2 000 new cases share a few
    # dozen sets of keys: neither the dict nor its JSON built again for each).
    history: dict[int, dict[str, Any] | str] = {}
    fingerprint = law.fingerprint[:12]
    added_texts: dict[tuple[str, ...], str] = {}
    for case_id, schedule in schedules.items():
        before = stored.get(case_id)
        if before:
            moves = deadline_moves(
                {key: msgspec.json.decode(text) for key, (_, text) in before.items()},
                {d.key: d.as_dict() for d in schedule.deadlines},
                key_labels(law.engine.procedures.get(str(items[case_id].row["procedure"]))),
            )
            history[case_id] = _history_entry(reason, fingerprint, history_changes(moves))
        elif keep_moves:
            moves = added_moves(schedule.deadlines)
            history[case_id] = _history_entry(reason, fingerprint, history_changes(moves))
        else:
            moves = []
            keys = tuple([d.key for d in schedule.deadlines])
            text = added_texts.get(keys)
            if text is None:
                entry = _history_entry(reason, fingerprint, added_history(schedule.deadlines))
                text = added_texts[keys] = str(sql_value(entry))
            history[case_id] = text
        case_row = items[case_id].row
        impacts[case_id] = CaseImpact(case_id, case_row["reference"], case_row["procedure"], moves)
    changes = await prepare_changes(schedules, stored)
    outermost = not in_transaction()
    async with atomic():
        if outermost:  # derived rows; `apply`'s callers commit synchronously after the chunks
            await flush_at_leisure()
        # The ledgers never computed (`ledger_on` NULL) only: see `write_summaries`.
        await store_changed(
            schedules,
            changes,
            totals,
            now,
            ledger={case_id for case_id in schedules if items[case_id].row["ledger_on"] is None},
        )
        await audit.record_many(
            actor,
            "law.apply",
            "case",
            [(case_id, None, entry) for case_id, entry in history.items()],
        )
    await _resync_feeds(list(schedules), now)
    return list(impacts.values())


def _history_entry(reason: str, fingerprint: str, changes: dict[str, list[Any]]) -> dict[str, Any]:
    """A recomputed case's history entry (`after`): why, under which law data, what changed."""
    return {"reason": reason, "law_data": fingerprint, "changes": changes}


async def _resync_feeds(case_ids: Sequence[int], now: datetime) -> None:
    """Bring the stored feed state of already published cases in step now (SEQUENCE + 1 for
    each moved deadline), so the next poll serves the moved dates."""
    wanted = set(case_ids)
    published = [
        row["case"]
        for row in await FeedState.select(FeedState.case).where(
            among(FeedState.case, case_ids, superset=True)
        )
        if row["case"] in wanted
    ]
    if not published:
        return
    rows = await Case.select(
        Case.id, Case.reference, Case.procedure, Case.court, Case.court_department
    ).where(Case.id.is_in(published))
    await synced_items(rows, now)
