"""Which pleadings a case offers, and what each lacks: `casefile render --check CASE` and the
case page call `document_readiness`.

A document is offered when its procedure lists it (or it is the case's décompte), for the
case's court, on the right side of the avocat threshold, and for the ordonnance's regime
(certificat de non-opposition from 1 March 2022, formule exécutoire before). For each, the
readiness lists in French the data the case lacks — each left as a bracketed placeholder in the
rendered document — and where to enter it, or why the document cannot be rendered yet.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from casefile.definitions import engine
from casefile.documents.context import MissingField
from casefile.documents.manifest import load_manifest
from casefile.documents.render import build_context
from casefile.documents.selection import select_template
from casefile.errors import CasefileError, InputError
from casefile.store.documents import case_document_data, missing_for
from casefile.store.permissions import User

_NEEDED_EVENTS = {
    "hearing_date": "Date de l'audience : enregistrer l'événement « audience » (avec son heure)",
    "ordonnance_date": "Date de l'ordonnance : enregistrer l'événement « ordonnance rendue »",
    "payment_deadline": "Délai de paiement de la mise en demeure",
}


@dataclass(frozen=True, slots=True)
class DocumentReadiness:
    template: str
    title: str
    ready: bool  # renders with no placeholder
    missing: tuple[str, ...]  # French sentences: what is missing, and where to enter it (also
    # when blocked: what it will lack once it can be rendered)
    blocked: str | None = None  # why it cannot be rendered at all (French), if so


def _blocked_reason(error: InputError, key: str) -> str:
    if isinstance(error, MissingField) and error.field in _NEEDED_EVENTS:
        return _NEEDED_EVENTS[error.field]
    return str(error).removeprefix(f"{key} : ")  # the title already names the document


def offered_templates(procedure_key: str, court: str | None) -> list[str]:
    """The templates of the procedure for its court, then the décompte."""
    manifest = load_manifest()
    procedure = engine().procedure(procedure_key)
    keys = [d.template for d in procedure.documents]
    keys += [k for k, spec in manifest.templates.items() if spec.procedure == procedure_key]
    keys.append("decompte_creance")
    out = []
    for key in dict.fromkeys(keys):
        spec = manifest.templates.get(key)
        if spec is None or (spec.court and court and spec.court != court):
            continue
        out.append(key)
    return out


async def document_readiness(case: int | str, actor: User, today: date) -> list[DocumentReadiness]:
    """Each document the case's procedure offers, with what it lacks (see the module doc)."""
    manifest = load_manifest()
    source = await case_document_data(case, actor, today)
    data = source.data
    result: list[DocumentReadiness] = []
    seen: set[str] = set()
    for requested in offered_templates(data.procedure, data.court.kind):
        key, _ = select_template(requested, data)
        if key in seen:
            continue
        seen.add(key)
        spec = manifest.template(key)
        if spec.ordonnance_before and (
            data.ordonnance_date is None or data.ordonnance_date >= spec.ordonnance_before
        ):
            continue  # former regime only: not offered for later (or absent) ordonnances
        # What the document lacks is listed even when it cannot be rendered yet (nothing owed,
        # no hearing…): the lawyer completes the rest meanwhile.
        missing = tuple(m.text() for m in missing_for(key, source.missing))
        try:
            build_context(key, data, manifest)
        except InputError as error:
            result.append(
                DocumentReadiness(
                    key, spec.title, False, missing, blocked=_blocked_reason(error, key)
                )
            )
            continue
        result.append(DocumentReadiness(key, spec.title, not missing, missing))
    return result


async def case_readiness(
    case: int | str, actor: User, today: date
) -> tuple[list[DocumentReadiness], str | None]:
    """For the case page: the readiness of each document, or a French sentence saying why it
    cannot be assessed (the case lacks its creditor or debtor…)."""
    try:
        return await document_readiness(case, actor, today), None
    except CasefileError as error:
        return [], f"État des documents indisponible : {error}"


__all__ = ["DocumentReadiness", "case_readiness", "document_readiness", "offered_templates"]
