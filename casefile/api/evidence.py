"""Pièces over HTTP: streamed upload, verified download, the hearing bundle (ZIP).

The evidence service is synchronous (it hashes and stores bytes in a worker thread); the
upload's bytes are pulled from the network by that thread as the store consumes them.
Every download is written to the audit log.
"""

from __future__ import annotations

import asyncio
from datetime import date
from typing import Annotated, Any

from litestar import Controller, Request, Response, get, post
from litestar.params import FromPath, FromQuery, QueryParameter
from litestar.response import Stream

from casefile.api.auth import Actor, requires
from casefile.api.downloads import streamed_download, verified_download
from casefile.api.uploads import Upload, blocking_chunks, multipart_upload, raw_upload
from casefile.errors import CasefileError, InputError, NotFound
from casefile.evidence.errors import IntegrityError
from casefile.settings import get_settings


async def open_upload(request: Request[Any, Any, Any], filename: str | None) -> Upload:
    """The form fields and the file stream of a multipart or raw upload (nothing stored yet)."""
    limit = get_settings().max_upload_bytes
    if request.headers.get("content-type", "").startswith("multipart/form-data"):
        return await multipart_upload(request, limit)
    return await raw_upload(request, filename or "", limit)


async def store_piece(
    case_row: dict[str, Any],
    upload: Upload,
    actor: Any,
    *,
    kind: str | None = None,
    filename: str | None = None,
    description: str | None = None,
    piece_date: date | None = None,
    on_duplicate: str | None = None,
) -> dict[str, Any]:
    """Hash and store the bytes as they arrive, then record the case's next pièce (the use
    case is `services.piece_uploads.add_piece`; this reads the form's fields)."""
    from casefile.evidence import records
    from casefile.evidence.objects import IterReader
    from casefile.law.periods import parse_date
    from casefile.services import piece_uploads

    fields = upload.fields
    kind = kind or fields.get("kind")
    if not kind:
        raise InputError(f"kind is required (one of: {', '.join(records.KINDS)})")
    name = filename or upload.filename
    if not name:
        raise InputError("filename is required (query parameter or the multipart file name)")
    day = piece_date
    if day is None and fields.get("date"):
        day = parse_date(fields["date"], "date")
    choice = on_duplicate or piece_uploads.duplicate_choice(
        fields.get("reuse"), fields.get("force")
    )
    loop = asyncio.get_running_loop()
    receipt = await piece_uploads.add_piece(
        case_row["id"],
        IterReader(blocking_chunks(upload.chunks, loop)),
        actor,
        filename=name,
        kind=kind,
        piece_date=day,
        description=description or fields.get("description", ""),
        on_duplicate=choice,
    )
    answer: dict[str, Any] = dict(receipt)
    invoice = answer.get("analysis", {}).get("facturx")
    if invoice is not None:
        answer["facturx"] = invoice  # the e-invoice read in it (issue 16 item 3)
    return answer


async def bordereau_docx(case_id: int, actor: Any) -> Any:
    """The .docx bordereau renderer, or None when the case cannot fill the template yet (a
    party without SIREN…): the bundle then carries the plain-text bordereau alone."""
    from casefile.store.documents import bordereau_renderer, case_document_data

    try:
        source = await case_document_data(case_id, actor, date.today())
    except CasefileError:
        return None
    return bordereau_renderer(source.data)


class EvidenceController(Controller):
    tags = ("pièces",)

    @post(
        "/api/cases/{case_id:str}/evidence",
        guards=[requires("evidence.write")],
        request_max_body_size=None,  # streamed; CASEFILE_MAX_UPLOAD_BYTES is enforced on the fly
        summary="Ajouter une pièce (multipart/form-data ou corps brut)",
        description=(
            "multipart/form-data : champs kind, description, date puis le fichier (champ file). "
            "Corps brut : application/octet-stream avec ?kind=…&filename=…. 413 au-delà de "
            "CASEFILE_MAX_UPLOAD_BYTES. Un fichier qui est déjà une pièce du dossier (même "
            "SHA-256) : 409 avec `existing` (id, number), sauf reuse=true (la pièce existante "
            "est rendue, `reused`) ou force=true (une seconde pièce est ajoutée). La réponse "
            "dit sous `analysis.text` où en est la lecture du texte."
        ),
    )
    async def upload(
        self,
        request: Request[Any, Any, Any],
        case_id: FromPath[str],
        actor: Actor,
        kind: FromQuery[str | None] = None,
        filename: Annotated[str | None, QueryParameter(name="filename", max_length=255)] = None,
        description: Annotated[str | None, QueryParameter(max_length=1000)] = None,
        piece_date: Annotated[date | None, QueryParameter(name="date")] = None,
        reuse: Annotated[
            bool | None, QueryParameter(description="doublon : rendre la pièce existante")
        ] = None,
        force: Annotated[
            bool | None, QueryParameter(description="doublon : ajouter une seconde pièce")
        ] = None,
    ) -> Response[dict[str, Any]]:
        from casefile.services.piece_uploads import duplicate_choice
        from casefile.store import cases

        # Access is checked before a single byte of the body is read.
        row = await cases.resolve_case(case_id, actor)
        choice = duplicate_choice(reuse, force) if reuse or force else None
        upload = await open_upload(request, filename)
        receipt = await store_piece(
            row,
            upload,
            actor,
            kind=kind,
            filename=filename,
            description=description,
            piece_date=piece_date,
            on_duplicate=choice,
        )
        return Response(receipt, status_code=200 if receipt["reused"] else 201)

    @get(
        "/api/evidence/{piece_id:int}/content",
        guards=[requires("evidence.read")],
        summary="Télécharger une pièce (contenu vérifié par SHA-256)",
    )
    async def content(self, piece_id: FromPath[int], actor: Actor) -> Response[bytes] | Stream:
        from casefile.evidence.backends import open_store
        from casefile.store import audit, cases, pieces

        piece = await pieces.get_piece(piece_id)
        await cases.resolve_case(piece.case_id, actor)
        if piece.deleted_at is not None:
            raise NotFound(f"pièce id {piece_id} was withdrawn")
        current = piece.current
        await audit.record(
            actor,
            "piece.download",
            "piece",
            f"{piece.case_id}:{piece.id}",
            None,
            {"sha256": current.sha256, "version": current.version},
        )

        async def incident(error: IntegrityError) -> None:
            await audit.record_integrity_incident(
                actor, "piece", f"{piece.case_id}:{piece.id}", current.sha256, str(error)
            )

        return await verified_download(
            open_store(),
            current.sha256,
            current.size,
            media_type=current.mime or "application/octet-stream",
            filename=current.safe_name or "piece",
            incident=incident,
        )

    @get(
        "/api/cases/{case_id:str}/bundle.zip",
        guards=[requires("evidence.read")],
        summary="Le bordereau et les pièces numérotées (ZIP)",
    )
    async def bundle(self, case_id: FromPath[str], actor: Actor) -> Stream:
        from casefile.evidence.backends import open_store
        from casefile.evidence.bundle import stream_bundle
        from casefile.store import audit, cases, pieces

        row = await cases.resolve_case(case_id, actor)
        live = await pieces.list_pieces(row["id"])
        render_docx = await bordereau_docx(row["id"], actor)
        await audit.record(
            actor, "bundle.download", "case", row["id"], None, {"pieces": [p.id for p in live]}
        )

        async def incident(error: IntegrityError) -> None:
            await audit.record_integrity_incident(
                actor, "case", row["id"], _failing_sha256(error, live), str(error)
            )

        return streamed_download(
            stream_bundle(
                open_store(), live, case_reference=row["reference"], render_docx=render_docx
            ),
            media_type="application/zip",
            filename=f"{row['reference']} - pièces.zip",
            incident=incident,
        )


def _failing_sha256(error: IntegrityError, pieces: list[Any]) -> str:
    """The digest of the pièce the error names (its message carries the object's key)."""
    text = str(error)
    for piece in pieces:
        if piece.current.sha256 in text:
            return str(piece.current.sha256)
    return ""


def handlers() -> list[Any]:
    return [EvidenceController]
