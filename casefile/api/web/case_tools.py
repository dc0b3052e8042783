"""The case page's working sections: generated documents, calendar subscriptions, échéanciers.

Kept apart from `pages.py` (the reading pages) because each section both shows state and
posts a form. Forms post here with their CSRF token, session-authenticated, then redirect back
(post/redirect/get). A new subscription URL is shown once: it travels in the encrypted session
cookie to the next page and is dropped there (only its hash is stored).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Annotated, Any

from litestar import Controller, Request, post
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath
from litestar.response import Redirect

from casefile import clock
from casefile.api.auth import Actor, requires
from casefile.documents.context import MissingField
from casefile.documents.manifest import load_manifest
from casefile.errors import CasefileError, InputError
from casefile.labels import FEED_KINDS, INSTALMENT_STATUSES, count_fr
from casefile.store.permissions import User, can

Form = Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)]

AMICABLE = "amiable"  # its documents are offered on every case
NEW_FEED = "new_feed"  # session key of the subscription URL shown once
PLAN_KINDS = (
    ("judiciaire", "Délais de grâce judiciaires (C. civ. art. 1343-5)"),
    ("conventionnel", "Échéancier convenu avec le débiteur"),
)
INSTALMENT_STATUS = INSTALMENT_STATUSES
PERSONAL_FEED = {"avocat": "lawyer", "commissaire_de_justice": "commissaire"}
FEED_LABELS = FEED_KINDS
# What a document needs that the case lacks, in the words of the case page.
MISSING_FIELDS = {
    "hearing_date": "la date d'audience (enregistrez l'événement « audience »)",
    "hearing_time": "l'heure d'audience (attribut « heure » de l'événement « audience »)",
    "ordonnance_date": ("la date de l'ordonnance (enregistrez l'événement « ordonnance rendue »)"),
}


def document_error(title: str, error: CasefileError, key: str = "") -> str:
    """A refused rendering in French, naming what to record on the case; the detail follows,
    without the HTTP status or the template's key in front of it (the title names it)."""
    if isinstance(error, MissingField) and error.field in MISSING_FIELDS:
        need = MISSING_FIELDS[error.field]
        return f"Le document « {title} » ne peut pas être généré : il manque {need}."
    detail = error.public_message or str(error)
    if key and title != key:
        # The refusal may come from the variant the request was swapped for (the assignation
        # below the avocat threshold refused under CPC art. 750-1): neither key is shown.
        variant = getattr(load_manifest().templates.get(key), "otherwise", None)
        for shown in (key, variant):
            if shown:
                detail = detail.removeprefix(f"{shown} : ")
    return f"Le document « {title} » ne peut pas être généré : {detail}"


def templates_for(
    procedure: Any, court: str | None, ordonnance_date: date | None = None
) -> list[dict[str, str]]:
    """The procedure's templates (its `[[documents]]`, then the manifest's), for its court,
    then the amicable phase's (mise en demeure, décompte): they precede or accompany any
    procedure. Once the ordonnance is recorded, a template of the other regime is not offered
    (a demande de formule exécutoire for an ordonnance from 1 March 2022: `render` refuses it)."""
    manifest = load_manifest()
    keys = [d.template for d in procedure.documents]
    keys += [k for k, spec in manifest.templates.items() if spec.procedure == procedure.key]
    keys += [k for k, spec in manifest.templates.items() if spec.procedure == AMICABLE]
    out: list[dict[str, str]] = []
    for key in dict.fromkeys(keys):
        spec = manifest.templates.get(key)
        if spec is None or (spec.court and court and spec.court != court):
            continue
        if ordonnance_date is not None and not spec.fits_ordonnance(ordonnance_date):
            continue
        out.append({"key": key, "title": spec.title})
    return out


def _ordonnance_date(case: Mapping[str, Any]) -> date | None:
    """The date of the case's latest « ordonnance rendue », as the documents read it."""
    found = [e for e in case.get("events", []) if e["key"] == "ordonnance_rendue"]
    return date.fromisoformat(str(found[-1]["date"])) if found else None


def _template_title(key: str) -> str:
    spec = load_manifest().templates.get(key)
    return spec.title if spec else key


async def my_feeds(
    actor: User, kinds: tuple[str, ...], subject: str | None
) -> list[dict[str, Any]]:
    """The actor's own live subscriptions of these kinds (an administrator's list holds
    everyone's: the page shows only theirs)."""
    from casefile.store.calendars import list_feeds

    return [
        f
        for f in await list_feeds(actor)
        if f["created_by"] == actor.name
        and not f["revoked"]
        and f["kind"] in kinds
        and (subject is None or f["subject"] == subject)
    ]


async def case_sections(
    case: dict[str, Any], procedure: Any, actor: User, today: date
) -> dict[str, Any]:
    """The context of the documents, calendar and échéancier sections of the case page."""
    from casefile.store.payment_plans import list_plans

    documents = [{**d, "title": _template_title(d["template"])} for d in case.get("documents", [])]
    return {
        "documents": documents,
        "templates": templates_for(procedure, case.get("court"), _ordonnance_date(case)),
        "can_documents": can(actor.role, "document.write"),
        "feeds": await my_feeds(actor, ("case",), str(case["id"])),
        "plans": await list_plans(case["id"], actor, today=today),
        "can_plan": can(actor.role, "case.write"),
        "plan_kinds": PLAN_KINDS,
        "instalment_status": INSTALMENT_STATUS,
    }


def remember_feed(request: Request[Any, Any, Any], feed: dict[str, Any]) -> None:
    session = dict(request.session or {})
    session[NEW_FEED] = {"url": feed["url"], "webcal": feed["webcal"], "kind": feed["kind"]}
    request.set_session(session)


def _flash(
    request: Request[Any, Any, Any],
    message: str,
    kind: str = "info",
    details: list[str] | None = None,
    **kept: Any,
) -> None:
    from casefile.api.web.pages import flash

    flash(request, message, kind, details, **kept)


def _int(form: dict[str, str], name: str, label: str, default: int | None = None) -> int:
    text = str(form.get(name, "")).strip()
    if not text and default is not None:
        return default
    try:
        return int(text)
    except ValueError:
        raise InputError(f"{label} : « {text} » n'est pas un nombre entier") from None


def _date(form: dict[str, str], name: str, label: str) -> date | None:
    text = str(form.get(name, "")).strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InputError(f"{label} : « {text} » n'est pas une date (AAAA-MM-JJ)") from None


class CaseToolsController(Controller):
    path = "/"
    include_in_schema = False

    @post("/dossiers/{case_id:str}/documents", guards=[requires("document.write")], status_code=303)
    async def render_document(
        self, request: Request[Any, Any, Any], case_id: FromPath[str], actor: Actor, data: Form
    ) -> Redirect:
        from casefile.store.documents import create_document

        key = str(data.get("template", "")).strip()
        if not key:
            _flash(request, "Choisissez le modèle du document à générer.", "error")
            return Redirect(path=f"/dossiers/{case_id}", status_code=303)
        title = _template_title(key)
        try:
            document = await create_document(case_id, key, actor, clock.today())
        except CasefileError as error:
            _flash(request, document_error(title, error, key), "error")
        else:
            notes = [str(note) for note in document.get("notes") or []]
            message = f"Document « {title} » généré (version {document['version']})."
            if notes:
                message += " À vérifier et compléter dans Word :"
            _flash(request, message, "warning" if notes else "info", notes)
        return Redirect(path=f"/dossiers/{case_id}", status_code=303)

    @post("/dossiers/{case_id:str}/abonnement", guards=[requires("case.read")], status_code=303)
    async def subscribe_case(
        self, request: Request[Any, Any, Any], case_id: FromPath[str], actor: Actor
    ) -> Redirect:
        from casefile.store.calendars import issue_feed

        try:
            feed = await issue_feed("case", case_id, actor, label="page du dossier")
        except CasefileError as error:
            _flash(request, f"Abonnement impossible : {error}", "error")
        else:
            remember_feed(request, feed)
        return Redirect(path=f"/dossiers/{case_id}#h-calendar", status_code=303)

    @post("/abonnements/mes-echeances", guards=[requires("case.read")], status_code=303)
    async def subscribe_mine(self, request: Request[Any, Any, Any], actor: Actor) -> Redirect:
        from casefile.store.calendars import issue_feed

        kind = PERSONAL_FEED.get(actor.role)
        if kind is None:
            _flash(
                request,
                "Seuls un avocat ou un commissaire de justice ont un calendrier d'échéances "
                "personnel ; abonnez-vous depuis la page d'un dossier.",
                "error",
            )
            return Redirect(path="/", status_code=303)
        try:
            feed = await issue_feed(kind, actor.name, actor, label="tableau de bord")
        except CasefileError as error:
            _flash(request, f"Abonnement impossible : {error}", "error")
        else:
            remember_feed(request, feed)
        return Redirect(path="/#h-subscribe", status_code=303)

    @post("/abonnements/{feed_id:int}/revoquer", guards=[requires("case.read")], status_code=303)
    async def revoke(
        self, request: Request[Any, Any, Any], feed_id: FromPath[int], actor: Actor, data: Form
    ) -> Redirect:
        from casefile.api.web.pages import safe_next
        from casefile.store.calendars import revoke_feed

        try:
            await revoke_feed(feed_id, actor)
        except CasefileError as error:
            _flash(request, f"Révocation impossible : {error}", "error")
        else:
            _flash(
                request,
                "Abonnement révoqué : l'URL ne répond plus, les agendas abonnés cessent de se "
                "mettre à jour.",
            )
        return Redirect(path=safe_next(data.get("next")), status_code=303)

    @post("/dossiers/{case_id:str}/echeancier", guards=[requires("case.write")], status_code=303)
    async def create_plan(
        self, request: Request[Any, Any, Any], case_id: FromPath[str], actor: Actor, data: Form
    ) -> Redirect:
        from casefile.documents.formatting import date_fr
        from casefile.law.money import parse_amount
        from casefile.store.payment_plans import PlanIn, create_plan

        try:
            first_due = _date(data, "first_due", "Première échéance")
            if first_due is None:
                raise InputError("Première échéance : la date est obligatoire")
            kind = str(data.get("kind", "judiciaire"))
            if kind not in dict(PLAN_KINDS):
                raise InputError(f"Nature de l'échéancier : « {kind} » inconnue")
            plan = PlanIn(
                total=parse_amount(data.get("total", ""), "Montant total"),
                count=_int(data, "count", "Nombre d'échéances"),
                first_due=first_due,
                kind=kind,
                grace_days=_int(data, "grace_days", "Délai de grâce", default=0),
                granted_on=_date(data, "granted_on", "Date de la décision ou de l'accord"),
            )
            created = await create_plan(case_id, plan, actor)
        except CasefileError as error:
            _flash(request, f"Échéancier refusé : {error}", "error", form="echeancier", kept=data)
        else:
            count = len(created["instalments"])
            _flash(
                request,
                f"Échéancier enregistré : {count_fr(count, 'échéance', 'échéances')} à compter "
                f"du {date_fr(created['instalments'][0]['due'])}, "
                f"{'ajoutée' if count < 2 else 'ajoutées'} aux délais du dossier.",
                "warning" if created.get("warnings") else "info",
                created.get("warnings") or [],
            )
        return Redirect(path=f"/dossiers/{case_id}#h-plans", status_code=303)
