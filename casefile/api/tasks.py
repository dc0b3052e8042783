"""Background tasks over HTTP (issue 15): ask for a case's bundle or a claims import, follow
its state, download the result. The work runs as a job (`services/background.py`,
`casefile/jobs/submit.py`); asking twice for the same thing answers the same task.

- `POST /api/cases/{id}/bundles` `{"format": "zip"}` → 202 with the task;
- `POST /api/imports?filename=…&creditor=…&procedure=…&fec=…&skip_bad=…` with the CSV (or FEC)
  as the raw body or a multipart `file` → 202 with the task; its `result` is the import report;
- `GET /api/tasks` (mine), `GET /api/tasks/{id}`; once `status` is `done`, a bundle's
  `download` is `GET /api/tasks/{id}/result` (verified against its SHA-256 as it is sent).
"""

from __future__ import annotations

import asyncio
from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, get, post
from litestar.params import Body, FromPath, FromQuery, QueryParameter

from casefile.api.auth import Actor, allows
from casefile.api.downloads import verified_download
from casefile.api.uploads import Upload, blocking_chunks
from casefile.errors import InputError
from casefile.evidence.errors import IntegrityError
from casefile.evidence.objects import IterReader
from casefile.jobs.submit import submitted
from casefile.services import background
from casefile.services.background import TaskView
from casefile.store import audit
from casefile.store.imports import ImportOptions


class BundleRequest(msgspec.Struct, forbid_unknown_fields=True):
    format: str = "zip"


async def import_task(
    request: Request[Any, Any, Any],
    actor: Any,
    filename: str | None,
    options: ImportOptions,
    upload: Upload | None = None,
) -> TaskView:
    """The uploaded file (raw body or multipart `file`) stored, its import asked for."""
    from casefile.api.evidence import open_upload

    upload = upload or await open_upload(request, filename)
    name = filename or upload.filename
    if not name:
        raise InputError("filename est requis (paramètre ?filename= ou nom du fichier envoyé)")
    loop = asyncio.get_running_loop()
    task = await background.request_import(
        IterReader(blocking_chunks(upload.chunks, loop)), name, options, actor
    )
    return await submitted(task, actor)


class TaskController(Controller):
    tags = ("tâches",)

    @post(
        "/api/cases/{case_id:str}/bundles",
        opt=allows("evidence.read"),
        status_code=202,
        summary="Préparer le dossier de pièces en tâche de fond",
    )
    async def request_bundle(
        self,
        case_id: FromPath[str],
        actor: Actor,
        data: Annotated[BundleRequest | None, Body()] = None,
    ) -> TaskView:
        task = await background.request_bundle(case_id, actor, (data or BundleRequest()).format)
        return await submitted(task, actor)

    @post(
        "/api/imports",
        opt=allows("claim.write"),
        status_code=202,
        request_max_body_size=None,  # streamed to the exports store; CASEFILE_MAX_UPLOAD_BYTES
        summary="Importer une balance âgée (CSV) ou un FEC en tâche de fond",
    )
    async def request_import(
        self,
        request: Request[Any, Any, Any],
        actor: Actor,
        filename: Annotated[str | None, QueryParameter(max_length=255)] = None,
        creditor: Annotated[str | None, QueryParameter(max_length=200)] = None,
        procedure: Annotated[str, QueryParameter(max_length=60)] = "injonction_de_payer",
        fec: FromQuery[bool] = False,
        skip_bad: FromQuery[bool] = False,
    ) -> TaskView:
        options = ImportOptions(
            fec=fec, skip_bad=skip_bad, creditor=creditor or None, procedure=procedure
        )
        return await import_task(request, actor, filename, options)

    @get("/api/tasks", opt=allows("case.read"), summary="Mes tâches de fond")
    async def list_tasks(self, actor: Actor) -> list[TaskView]:
        return await background.mine(actor)

    @get("/api/tasks/{task_id:int}", opt=allows("case.read"), summary="Une tâche")
    async def show(self, task_id: FromPath[int], actor: Actor) -> TaskView:
        return await background.get(task_id, actor)

    @get(
        "/api/tasks/{task_id:int}/result",
        opt=allows("case.read"),
        summary="Télécharger le résultat d'une tâche terminée (vérifié par SHA-256)",
    )
    async def result(self, task_id: FromPath[int], actor: Actor) -> Any:
        # A bundle's hand-out was audited when it was built for this user (make_bundle).
        row, store = await background.output(task_id, actor)

        async def incident(error: IntegrityError) -> None:
            await audit.record_integrity_incident(
                actor, "task", str(row["id"]), row["output_sha256"], str(error)
            )

        return await verified_download(
            store,
            row["output_sha256"],
            row["output_size"],
            media_type=row["output_mime"] or "application/octet-stream",
            filename=row["output_name"] or f"tache-{row['id']}",
            incident=incident,
            kind="export",
        )
