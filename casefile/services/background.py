"""Work a user asks for that may take minutes — an evidence bundle, a large claims import — run
as a background task (issue 15): a procrastinate job where the job engine runs (a `casefile
worker` with PostgreSQL, the in-process worker of `casefile serve` with SQLite), in the caller's
own request when jobs are off. The user follows its state (`get`) and, once it is done, reads
the result: the import's report, or the bundle to download (`output`).

Idempotent twice over:
- a user asking again for the same thing (same case, same pièces, same format and day; the
  same file with the same options) gets the task already asked for, done or not, instead of
  a new one (the row's unique `key`); only a failed task is taken up again;
- a task whose job runs twice (a replay, a retry after a crash) does its work once: a done task
  is never redone, and an import marks its task done in the transaction that writes the claims.

Asking records the task (`todo`); `casefile.jobs.submit` then defers its job (or runs it). The
bytes (the uploaded file, the built bundle) live in the exports store
(`CASEFILE_EXPORTS_URL`, content-addressed like the evidence store, without object lock:
results can be made again and the deploy's bucket forgets them after 7 days).
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import tempfile
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import msgspec

from casefile import metrics
from casefile.errors import CasefileError, Conflict, InputError, NotFound
from casefile.evidence.backends import open_store
from casefile.evidence.objects import ObjectStore, Readable, StoredObject
from casefile.law.wording import quoted
from casefile.services import bundles
from casefile.settings import get_settings
from casefile.store.db import atomic
from casefile.store.imports import ImportOptions, import_file
from casefile.store.permissions import SYSTEM, User, require
from casefile.store.tables import BackgroundTask
from casefile.store.users import get_user

log = logging.getLogger("casefile.jobs")

TASK = "run_background_task"
STATUS_LABELS = {
    "todo": "en attente",
    "running": "en cours",
    "done": "terminée",
    "failed": "échouée",
}


class TaskView(msgspec.Struct):
    """A background task as its requester sees it."""

    id: int
    kind: str
    status: str
    status_label: str
    label: str
    created_at: datetime
    finished_at: datetime | None
    error: str
    result: dict[str, Any]
    url: str
    download: str | None
    """Where to download the result once done (bundles), else None."""
    case_id: int | None = None
    """The case it was asked for (a bundle), else None."""


def exports_store() -> ObjectStore:
    return open_store(get_settings().exports_url)


KEPT_DAYS = 6
"""A result is offered for this many days after its task finished, then its bytes are removed
(`purge_expired`, daily); the deploy's exports bucket forgets them after 7 days anyway."""


def _expired(row: dict[str, Any], now: datetime | None = None) -> bool:
    finished = row["finished_at"]
    return finished is not None and finished < (now or datetime.now(UTC)) - timedelta(
        days=KEPT_DAYS
    )


def _view(row: dict[str, Any]) -> TaskView:
    done = row["status"] == "done" and bool(row["output_sha256"]) and not _expired(row)
    return TaskView(
        id=row["id"],
        kind=row["kind"],
        status=row["status"],
        status_label=STATUS_LABELS.get(row["status"], row["status"]),
        label=row["label"],
        created_at=row["created_at"],
        finished_at=row["finished_at"],
        error=row["error"],
        result=dict(row["result"] or {}),
        url=f"/api/tasks/{row['id']}",
        download=f"/api/tasks/{row['id']}/result" if done else None,
        case_id=row.get("case_id"),
    )


async def _row(task_id: int) -> dict[str, Any] | None:
    row = await (
        BackgroundTask.select().where(BackgroundTask.id == task_id).first().output(load_json=True)
    )
    return dict(row) if row is not None else None


async def get(task_id: int, actor: User) -> TaskView:
    """The task, for the user who asked for it (or an administrator)."""
    row = await _row(task_id)
    if row is None or not _visible(row, actor):
        raise NotFound(f"tâche n° {task_id} introuvable")
    return _view(row)


def _visible(row: dict[str, Any], actor: User) -> bool:
    return row["requested_by"] == actor.name or actor.role == "admin"


async def mine(actor: User, limit: int = 50) -> list[TaskView]:
    rows = (
        await BackgroundTask.select()
        .where(BackgroundTask.requested_by == actor.name)
        .order_by(BackgroundTask.id, ascending=False)
        .limit(limit)
        .output(load_json=True)
    )
    return [_view(dict(row)) for row in rows]


# --- asking ---------------------------------------------------------------------------


BUNDLE_LABELS = {
    "zip": "bordereau et pièces numérotées (ZIP)",
    "pdf": "dossier de plaidoirie (PDF)",
}


@dataclass(frozen=True)
class BundleChoice:
    key: str
    label: str


def bundle_choices() -> list[BundleChoice]:
    """The formats a bundle can be asked in (the case page's choice)."""
    return [BundleChoice(key, BUNDLE_LABELS.get(key, key)) for key in bundles.FORMATS]


def fingerprint(source: bundles.BundleSource) -> str:
    """What makes two bundles of a case the same: its live pièces (number, bytes, what the
    bordereau says of them) and the day (the bordereau is dated)."""
    text = "\n".join(
        f"{p.number}|{p.id}|{p.current.sha256}|{p.kind}|{p.date}|{p.description}"
        for p in sorted(source.pieces, key=lambda p: (p.number or 0, p.id))
    )
    return hashlib.sha256(f"{date.today()}\n{text}".encode()).hexdigest()[:32]


async def request_bundle(case: int | str, actor: User, format_key: str = "zip") -> TaskView:
    """The bundle of `case` in `format_key` (zip or pdf, `services/bundles.py`)."""
    source = await bundles.bundle_source(case, actor)  # the access check first
    fmt = bundles.check_format(format_key)
    key = f"bundle:{fmt}:{source.case_id}:{fingerprint(source)}:{actor.name}"
    label = f"Dossier {source.reference} : {BUNDLE_LABELS.get(fmt, fmt)}"
    params = {"format": fmt, "reference": source.reference}
    return await _submit("bundle", key, actor, label, params, case_id=source.case_id)


async def request_import(
    stream: Readable, filename: str, options: ImportOptions, actor: User
) -> TaskView:
    """A claims import (aged-balance CSV or FEC) of the file read from `stream`."""
    require(actor, "claim.write")
    require(actor, "case.write")
    if options.dry_run:
        raise InputError("un import en tâche de fond s'exécute pour de bon : pas de dry_run")
    name = Path(filename or "import.csv").name or "import.csv"
    stored = await asyncio.to_thread(
        exports_store().put_stream, stream, max_size=get_settings().max_upload_bytes
    )
    if stored.size == 0:
        raise InputError(f"{name} : fichier vide")
    chosen = {
        "fec": options.fec,
        "skip_bad": options.skip_bad,
        "creditor": options.creditor,
        "procedure": options.procedure,
    }
    digest = hashlib.sha256(msgspec.json.encode(chosen)).hexdigest()[:16]
    key = f"import:{stored.sha256}:{digest}:{actor.name}"
    return await _submit(
        "import",
        key,
        actor,
        f"Import de {name}",
        {"sha256": stored.sha256, "size": stored.size, "filename": name, "options": chosen},
    )


async def _submit(
    kind: str,
    key: str,
    actor: User,
    label: str,
    params: dict[str, Any],
    case_id: int | None = None,
) -> TaskView:
    row = await BackgroundTask.select().where(BackgroundTask.key == key).first()
    if row is not None and row["status"] != "failed":
        return await get(row["id"], actor)
    try:
        async with atomic("background task"):
            if row is None:
                inserted = await BackgroundTask.insert(
                    BackgroundTask(
                        key=key,
                        kind=kind,
                        status="todo",
                        requested_by=actor.name,
                        case_id=case_id,
                        label=label[:300],
                        params=params,
                        created_at=datetime.now(UTC),
                    )
                ).returning(BackgroundTask.id)
                task_id = int(inserted[0]["id"])
            else:  # a failed task is asked for again: taken up anew
                task_id = int(row["id"])
                await BackgroundTask.update(
                    {
                        BackgroundTask.status: "todo",
                        BackgroundTask.error: "",
                        BackgroundTask.requested_by: actor.name,
                        BackgroundTask.finished_at: None,
                    }
                ).where(BackgroundTask.id == task_id)
    except Conflict:  # the same request from another process a moment earlier
        again = await BackgroundTask.select().where(BackgroundTask.key == key).first()
        if again is None:
            raise
        return await get(again["id"], actor)
    return await get(task_id, actor)


# --- running (the job) ------------------------------------------------------------------


async def run(task_id: int) -> dict[str, Any]:
    """The work of one task; a task already done is not redone (returns its result)."""
    row = await _row(task_id)
    if row is None:
        raise NotFound(f"tâche n° {task_id} introuvable")
    if row["status"] == "done":
        metrics.job_run(TASK, "skipped")
        return dict(row["result"] or {})
    await BackgroundTask.update(
        {
            BackgroundTask.status: "running",
            BackgroundTask.attempts: BackgroundTask.attempts + 1,
            BackgroundTask.error: "",
        }
    ).where(BackgroundTask.id == task_id)
    try:
        actor = await _actor(row["requested_by"])
        if row["kind"] == "bundle":
            result = await _run_bundle(row, actor)
        elif row["kind"] == "import":
            result = await _run_import(row, actor)
        else:
            raise InputError(f"tâche n° {task_id} : type {quoted(row['kind'])} inconnu")
    except BaseException as error:
        if isinstance(error, CasefileError):
            # Shown on « Mes tâches »: the public message when the error has one (an altered
            # pièce named by its number, not by the path of its object); the detail is logged.
            message = error.public_message or str(error)
            if error.public_message:
                log.warning("background task %s failed: %s", task_id, error)
        else:
            message = (
                f"erreur interne ({type(error).__name__}) : consignée dans le journal du serveur"
            )
        await BackgroundTask.update(
            {
                BackgroundTask.status: "failed",
                BackgroundTask.error: f"{message}"[:2000],
                BackgroundTask.finished_at: datetime.now(UTC),
            }
        ).where(BackgroundTask.id == task_id)
        metrics.job_run(TASK, "failed")
        if not isinstance(error, CasefileError):
            log.exception("background task %s failed", task_id)
        raise
    metrics.job_run(TASK, "done")
    return result


async def _actor(name: str) -> User:
    """The task runs with the rights of the user who asked for it (as they are now)."""
    if name == SYSTEM.name:
        return SYSTEM
    return await get_user(name, active_only=True)


async def _finish(
    task_id: int,
    result: dict[str, Any],
    stored: StoredObject | None = None,
    name: str = "",
    mime: str = "",
) -> None:
    values: dict[Any, Any] = {
        BackgroundTask.status: "done",
        BackgroundTask.result: result,
        BackgroundTask.finished_at: datetime.now(UTC),
    }
    if stored is not None:
        values |= {
            BackgroundTask.output_sha256: stored.sha256,
            BackgroundTask.output_size: stored.size,
            BackgroundTask.output_name: name,
            BackgroundTask.output_mime: mime,
        }
    await BackgroundTask.update(values).where(BackgroundTask.id == task_id)


async def _run_bundle(row: dict[str, Any], actor: User) -> dict[str, Any]:
    """`services/bundles.make_bundle` (the one entry point of every bundle: checks, audit),
    written to a temporary file, then kept in the exports store."""
    fmt = bundles.check_format(row["params"]["format"])
    exports = exports_store()
    with tempfile.TemporaryDirectory(prefix="casefile-bundle-") as folder:
        out = Path(folder) / f"bundle.{fmt}"
        built = await bundles.make_bundle(row["case_id"], actor, fmt, out)

        def keep() -> StoredObject:
            with out.open("rb") as handle:
                return exports.put_stream(handle)

        stored = await asyncio.to_thread(keep)
    result = {
        "format": fmt,
        "pieces": built.pieces,
        "pages": built.pages,
        "size": stored.size,
        "sha256": stored.sha256,
        "notices": built.notices,
        "warnings": built.warnings,
    }
    name = bundles.BundleSource(
        row["case_id"], row["params"]["reference"], [], None, None
    ).filename(fmt)
    await _finish(row["id"], result, stored, name, bundles.MEDIA_TYPES[fmt])
    return result


async def _run_import(row: dict[str, Any], actor: User) -> dict[str, Any]:
    params = row["params"]
    options = ImportOptions(**params["options"])
    exports = exports_store()
    with tempfile.TemporaryDirectory(prefix="casefile-import-") as folder:
        path = Path(folder) / params["filename"]

        def fetch() -> None:
            with path.open("wb") as sink:
                for chunk in exports.open_verified(params["sha256"], params["size"]):
                    sink.write(chunk)

        await asyncio.to_thread(fetch)
        # The claims and the task's "done" in one transaction: a job replayed after a crash
        # finds the task done, or nothing written.
        async with atomic("claims import"):
            report = await import_file(path, options, actor)
            result = {**report.as_dict(), "summary": report.summary()}
            await _finish(row["id"], result)
    return result


async def output(task_id: int, actor: User) -> tuple[dict[str, Any], ObjectStore]:
    """The done task's result file (row with its name, digest and size) and its store."""
    row = await _row(task_id)
    if row is None or not _visible(row, actor):
        raise NotFound(f"tâche n° {task_id} introuvable")
    if row["status"] != "done" or not row["output_sha256"] or _expired(row):
        if row["status"] == "done" and row["kind"] == "bundle":
            raise NotFound(
                f"tâche n° {task_id} : le fichier n'est gardé que {KEPT_DAYS} jours ; "
                "redemandez le dossier de pièces"
            )
        raise Conflict(f"tâche n° {task_id} : aucun fichier à télécharger ({row['status']})")
    return row, exports_store()


async def purge_expired(now: datetime | None = None) -> dict[str, int]:
    """Remove the bytes of results (and of imported files) older than `KEPT_DAYS`, unless a
    younger task still needs the same object; the tasks stay listed, without a download."""
    cutoff = (now or datetime.now(UTC)) - timedelta(days=KEPT_DAYS)
    rows = await BackgroundTask.select(
        BackgroundTask.id,
        BackgroundTask.kind,
        BackgroundTask.status,
        BackgroundTask.finished_at,
        BackgroundTask.output_sha256,
        BackgroundTask.params,
    ).output(load_json=True)

    def objects(row: dict[str, Any]) -> set[str]:
        found = {row["output_sha256"]} if row["output_sha256"] else set()
        if row["kind"] == "import" and (row["params"] or {}).get("sha256"):
            found.add(row["params"]["sha256"])
        return found

    old = [
        r
        for r in rows
        if r["status"] in ("done", "failed")
        and r["finished_at"] is not None
        and r["finished_at"] < cutoff
    ]
    old_ids = {r["id"] for r in old}
    needed = set().union(*(objects(r) for r in rows if r["id"] not in old_ids))
    doomed = set().union(*(objects(r) for r in old)) - needed
    store = exports_store()
    removed = 0
    for sha256 in sorted(doomed):
        if await asyncio.to_thread(store.exists, sha256):
            await asyncio.to_thread(store.delete, sha256)
            removed += 1
    with_output = [r["id"] for r in old if r["output_sha256"]]
    if with_output:
        await BackgroundTask.update({BackgroundTask.output_sha256: ""}).where(
            BackgroundTask.id.is_in(with_output)
        )
    return {"tasks": len(old), "objects_removed": removed}
