"""Pièces over HTTP: streamed upload, verified download, the hearing bundle (ZIP or PDF).

The evidence service is synchronous (it hashes and stores bytes in a worker thread); the
upload's bytes are pulled from the network by that thread as the store consumes them.
Every download is written to the audit log.
"""

from __future__ import annotations

import asyncio
from datetime import date
from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, Response, get, patch, post
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter
from litestar.response import Stream

from casefile.api import downloads
from casefile.api.auth import Actor, allows
from casefile.api.downloads import streamed_download, verified_download, verify_whole
from casefile.api.schemas import PiecePatch
from casefile.api.uploads import Upload, blocking_chunks, multipart_upload, raw_upload
from casefile.errors import InputError, NotFound
from casefile.evidence.errors import IntegrityError, PieceAltered
from casefile.evidence.service import KEEP
from casefile.services.piece_details import PieceDetails, edit_details
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
        raise InputError(f"type de pièce obligatoire (kind : {', '.join(records.KINDS)})")
    name = filename or upload.filename
    if not name:
        raise InputError("nom du fichier obligatoire (paramètre filename ou nom du fichier envoyé)")
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


class EvidenceController(Controller):
    tags = ("pièces",)

    @post(
        "/api/cases/{case_id:str}/evidence",
        opt=allows("evidence.write"),
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

    @patch(
        "/api/evidence/{piece_id:int}",
        opt=allows("evidence.write"),
        summary="Corriger la nature, la date ou la désignation d'une pièce (jamais son fichier)",
        description=(
            "Corps JSON : kind (la nature : facture, devis, bon_de_commande, contrat…, comme au "
            "dépôt), date (AAAA-MM-JJ, ou null : pièce non datée), description (la "
            "désignation au bordereau), reason (motif, facultatif) ; un champ absent garde sa "
            "valeur ; une nature inconnue est refusée (422, avec la liste des natures). Le "
            "fichier, ses versions et son SHA-256 ne changent pas (un champ qui les viserait "
            "est refusé, 400), ni les numéros de facture et la facture électronique lus dans "
            "le fichier. La correction est inscrite à l'historique des pièces du "
            "dossier (piece.edited, valeurs avant et après) ; le bordereau, les dossiers de "
            "pièces et les documents la reprennent. 409 pour une pièce retirée ou modifiée "
            "entre-temps. `changed` liste les champs modifiés (vide : rien enregistré). Un "
            "commissaire de justice ne corrige que les pièces qu'il a déposées (403 sinon)."
        ),
    )
    async def edit_details(
        self, piece_id: FromPath[int], actor: Actor, data: JSONBody[PiecePatch]
    ) -> PieceDetails:
        return await edit_details(
            piece_id,
            actor,
            piece_date=KEEP if data.date is msgspec.UNSET else data.date,
            description=KEEP if data.description is msgspec.UNSET else data.description,
            kind=KEEP if data.kind is msgspec.UNSET else data.kind,
            reason="" if data.reason is msgspec.UNSET else data.reason,
        )

    @get(
        "/api/evidence/{piece_id:int}/content",
        opt=allows("evidence.read"),
        summary="Télécharger une pièce (contenu vérifié par son empreinte)",
    )
    async def content(
        self, piece_id: FromPath[int], actor: Actor, inline: FromQuery[bool] = False
    ) -> Response[bytes] | Stream:
        from casefile.evidence.backends import open_store
        from casefile.store import audit, cases, pieces

        piece = await pieces.get_piece(piece_id)
        case_row = await cases.resolve_case(piece.case_id, actor)
        if piece.deleted_at is not None:
            raise NotFound(f"la pièce id {piece_id} a été retirée")
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

        from casefile.services.previews import INLINE_MIMES

        store = open_store()
        try:
            if current.size > downloads.INLINE_VERIFY_BYTES and await audit.has_integrity_incident(
                "piece", f"{piece.case_id}:{piece.id}"
            ):
                # Streamed one chunk behind its hash, a large pièce already found altered
                # would abort the transfer with no word: checked whole first, so the person
                # gets the page that says what to do (and a repaired copy streams as usual).
                try:
                    await asyncio.to_thread(
                        verify_whole, store, current.sha256, current.size, current.blake3
                    )
                except IntegrityError as error:
                    await incident(error)
                    raise
            return await verified_download(
                store,
                current.sha256,
                current.size,
                media_type=current.mime or "application/octet-stream",
                filename=current.safe_name or "piece",
                incident=incident,
                disposition="inline" if inline and current.mime in INLINE_MIMES else "attachment",
                blake3=current.blake3,
            )
        except IntegrityError as error:
            if isinstance(error, PieceAltered):
                raise
            raise PieceAltered(
                piece.number,
                str(case_row["reference"]),
                current.original_name or current.safe_name or "",
                str(error),
            ) from error

    @get(
        "/api/evidence/{piece_id:int}/thumbnail",
        opt=allows("evidence.read"),
        summary="Aperçu de la première page d'une pièce (PNG, source vérifiée par son empreinte)",
        media_type="image/png",
    )
    async def thumbnail(self, piece_id: FromPath[int], actor: Actor) -> Response[bytes]:
        from casefile.services.previews import piece_thumbnail

        found = await piece_thumbnail(piece_id, actor)
        return Response(
            content=found.png,
            media_type="image/png",
            headers={
                "Cache-Control": "private, max-age=300",
                "ETag": found.etag,
                "X-Content-Type-Options": "nosniff",
            },
        )

    @get(
        "/api/cases/{case_id:str}/bundle.zip",
        opt=allows("evidence.read"),
        summary="Le bordereau et les pièces numérotées (ZIP)",
    )
    async def bundle(self, case_id: FromPath[str], actor: Actor) -> Stream:
        return await bundle_answer(case_id, actor, "zip")

    @get(
        "/api/cases/{case_id:str}/dossier.pdf",
        opt=allows("evidence.read"),
        summary="Le dossier de plaidoirie : bordereau puis pièces, pages tamponnées (PDF)",
        description=(
            "Un seul PDF : le bordereau, puis chaque pièce dans l'ordre du bordereau, chaque "
            "page tamponnée « Pièce n° N — page p/P » dans une marge qui ne cache rien, un "
            "signet par pièce. Chaque pièce est vérifiée par son SHA-256 avant d'être incluse : "
            "une pièce altérée arrête le dossier (409, message nommant la pièce)."
        ),
    )
    async def dossier(self, case_id: FromPath[str], actor: Actor) -> Stream:
        return await bundle_answer(case_id, actor, "pdf")


async def bundle_answer(case_id: str, actor: Any, fmt: str) -> Stream:
    """The bundle of a case in `fmt` as a streamed download: a PDF dossier's pièces are all
    verified before the answer starts (a corrupt one: 409 naming it, nothing sent); a ZIP is
    verified as it streams (a corrupt pièce aborts the transfer)."""
    from casefile.evidence.backends import open_store
    from casefile.evidence.dossier import PieceUnusable
    from casefile.services import bundles

    checked = bundles.check_format(fmt)
    source = await bundles.bundle_source(case_id, actor, require_pieces=checked == "pdf")
    if checked == "zip":
        await bundles.refuse_known_altered(source, actor)
    try:
        chunks, _ = await asyncio.to_thread(bundles.open_bundle, source, checked, open_store())
    except PieceUnusable as error:
        await bundles.record_unusable(actor, source, error)
        raise
    await bundles.record_bundle(actor, source, checked)

    async def incident(error: IntegrityError) -> None:
        from casefile.store import audit

        await audit.record_integrity_incident(
            actor, "case", source.case_id, _failing_sha256(error, source.pieces), str(error)
        )

    return streamed_download(
        chunks,
        media_type=bundles.MEDIA_TYPES[checked],
        filename=source.filename(checked),
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
