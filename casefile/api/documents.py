"""Generated documents over HTTP: render and store a pleading, list them, download one.

Rendering, hashing and storing happen in `casefile.store.documents`; every download is written
to the audit log, as for the pièces.
"""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Controller, Response, get, post
from litestar.params import FromPath, JSONBody
from litestar.response import Stream

from casefile import clock
from casefile.api.auth import Actor, allows
from casefile.api.downloads import verified_download
from casefile.evidence.errors import IntegrityError

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class NewDocumentBody(msgspec.Struct, forbid_unknown_fields=True):
    """`template`: a key of document_templates/manifest.toml, e.g. "requete_injonction_tj"."""

    template: str


class DocumentController(Controller):
    tags = ("documents",)

    @post(
        "/api/cases/{case_id:str}/documents",
        opt=allows("document.write"),
        summary="Générer un document (.docx) à partir du dossier",
        description=(
            'Corps : {"template": clé du manifeste}. Le document est stocké (SHA-256) et '
            "versionné ; la réponse donne aussi les notes sur ce qui reste à compléter."
        ),
    )
    async def create(
        self, case_id: FromPath[str], data: JSONBody[NewDocumentBody], actor: Actor
    ) -> dict[str, Any]:
        from casefile.store.documents import create_document

        result: dict[str, Any] = await create_document(case_id, data.template, actor, clock.today())
        return result

    @get(
        "/api/cases/{case_id:str}/documents",
        opt=allows("document.read"),
        summary="Documents générés du dossier",
    )
    async def list_(self, case_id: FromPath[str], actor: Actor) -> list[dict[str, Any]]:
        from casefile.store.documents import list_documents

        return await list_documents(case_id, actor)

    @get(
        "/api/documents/{document_id:int}/content",
        opt=allows("document.read"),
        summary="Télécharger un document généré (contenu vérifié par SHA-256)",
    )
    async def content(self, document_id: FromPath[int], actor: Actor) -> Response[bytes] | Stream:
        from casefile.evidence.backends import open_store
        from casefile.store import audit
        from casefile.store.documents import get_document

        document = await get_document(document_id, actor)
        await audit.record(
            actor,
            "document.download",
            "document",
            document_id,
            None,
            {"case": document["case"], "sha256": document["sha256"]},
        )

        async def incident(error: IntegrityError) -> None:
            await audit.record_integrity_incident(
                actor, "document", document_id, document["sha256"], str(error)
            )

        return await verified_download(
            open_store(),
            document["sha256"],
            document["size"],
            media_type=DOCX,
            filename=document["filename"],
            incident=incident,
        )
