"""The pages: login, dashboard, case, simulator, audit. HTML over the same store services.

Forms post to these routes (CSRF-protected, session-authenticated), never to /api/, whose
mutations require a bearer token. Each POST redirects back (post/redirect/get) with a flash
message kept in the session.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping
from datetime import date, timedelta
from decimal import Decimal
from typing import Annotated, Any

from litestar import Controller, Request, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath, FromQuery
from litestar.response import Redirect, Template

from casefile import clock
from casefile.api import integrations
from casefile.api.auth import Actor, requires
from casefile.api.csrf import SESSION_ID, check_form_token
from casefile.api.web.case_data_view import (
    CATEGORY_OPTIONS,
    CIVILITY_OPTIONS,
    case_data_context,
    party_form_values,
    split_errors,
)
from casefile.api.web.case_tools import FEED_LABELS, NEW_FEED, PERSONAL_FEED, CaseToolsController
from casefile.errors import CasefileError, InputError, InvalidFields, shown_on_page
from casefile.labels import (
    DEADLINE_STATUSES,
    changes_fr,
    dates_in_text_fr,
    humanise,
    is_our_side,
    keys_fr,
)
from casefile.labels import ROLES as ROLE_LABELS
from casefile.law.suggestions import closest
from casefile.passwords import Busy
from casefile.services import sessions
from casefile.services.case_page import case_page as case_page_context
from casefile.services.courts import case_court_context
from casefile.services.documents import case_readiness
from casefile.services.parties import party_input
from casefile.services.throttle import Throttled
from casefile.services.users import people_names
from casefile.store.permissions import User, can, event_action

Form = Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)]

STATUS_LABELS = DEADLINE_STATUSES
OPEN_STATUSES = ("pending", "uncertain", "missed")
STATEMENT_ROWS = (
    ("principal_outstanding", "Principal restant dû"),
    ("interest_outstanding", "Intérêts de retard restant dus"),
    ("indemnities", "Indemnités forfaitaires de recouvrement"),
    ("unapplied", "Paiements non imputés"),
    ("total", "Total dû"),
)
UPCOMING_DAYS = 30


UNASSIGNED = "non désigné"  # as the case list says it


async def _named_lawyers(groups: Mapping[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """The dashboard's rows by lawyer, each named as the pages name people ("Maître Claire
    Lefèvre", not the login "avocat"), the cases without a lawyer last."""
    names = await people_names(k for k in groups if k != UNASSIGNED)
    named = sorted(
        (
            (names.get(login, login), group)
            for login, group in groups.items()
            if login != UNASSIGNED
        ),
        key=lambda item: item[0],
    )
    if UNASSIGNED in groups:
        named.append((UNASSIGNED, groups[UNASSIGNED]))
    return dict(named)


def page(
    request: Request[Any, Any, Any], template: str, status_code: int = 200, **context: Any
) -> Template:
    """A template with what every page needs: the user, the labels and the flash message."""
    session = request.scope.get("session")
    flash = new_feed = None
    if isinstance(session, dict) and ("flash" in session or NEW_FEED in session):
        flash = session.get("flash")
        new_feed = session.get(NEW_FEED)  # a subscription URL, shown once
        request.set_session({k: v for k, v in session.items() if k not in ("flash", NEW_FEED)})
    user = request.scope.get("user")

    def allowed(action: str) -> bool:
        from casefile.store.permissions import can

        return user is not None and can(user.role, action)

    return Template(
        template_name=template,
        context={
            "user": user,
            "flash": flash,
            "new_feed": new_feed,
            "role_labels": ROLE_LABELS,
            "status_labels": STATUS_LABELS,
            "can": allowed,
            "kept": _kept(flash),
            **context,
        },
        status_code=status_code,
    )


KEPT_LENGTH = 300  # a refused form's values ride in the session cookie: short fields only


def flash(
    request: Request[Any, Any, Any],
    message: str,
    kind: str = "info",
    details: list[str] | None = None,
    *,
    form: str | None = None,
    kept: Mapping[str, Any] | None = None,
) -> None:
    """The message the next page shows. A form refused on the case page (a promise, an event,
    a dispute…) names itself (`form`) and what was typed (`kept`): the page fills it in again,
    so nothing typed is lost."""
    session = dict(request.session or {})
    session["flash"] = {"message": message, "kind": kind, "details": details or []}
    if form and kept:
        session["flash"]["form"] = form
        session["flash"]["kept"] = {
            str(k): str(v)[:KEPT_LENGTH]
            for k, v in kept.items()
            if k not in ("_csrf_token", "expected_version") and isinstance(v, str | int)
        }
    request.set_session(session)


def _kept(flash: Mapping[str, Any] | None) -> Callable[[str], dict[str, str]]:
    """`kept("promesse")` in a template: what was typed in that form before its refusal."""
    form = flash.get("form") if isinstance(flash, Mapping) else None
    values = flash.get("kept") if isinstance(flash, Mapping) else None

    def kept(name: str) -> dict[str, str]:
        return dict(values) if form == name and isinstance(values, dict) else {}

    return kept


def check_csrf(request: Request[Any, Any, Any], token: str | None) -> None:
    """The session-bound token check, for the routes that stream their form."""
    check_form_token(request, token)


def safe_next(target: str | None) -> str:
    """Only local paths: `//evil.example` or `https://…` would make the login an open redirect."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/"


class LoginController(Controller):
    path = "/"
    include_in_schema = False

    @get("/login", opt={"exclude_from_auth": True})
    async def login_form(
        self, request: Request[Any, Any, Any], next: FromQuery[str | None] = None
    ) -> Template:
        return page(request, "login.html", next=safe_next(next), name="", error=None)

    @post("/login", opt={"exclude_from_auth": True}, status_code=303)
    async def login(self, request: Request[Any, Any, Any], data: Form) -> Template | Redirect:
        name = str(data.get("name", "")).strip()
        password = str(data.get("password", ""))
        target = safe_next(data.get("next"))
        address = request.client.host if request.client else None
        try:
            _, session_id = await sessions.login(name, password, address)
        except (sessions.LoginFailed, Throttled, Busy) as error:
            response = page(
                request,
                "login.html",
                status_code=error.http_status,
                next=target,
                name=name,
                error=str(error),
            )
            if isinstance(error, Throttled):
                response.headers["Retry-After"] = str(error.retry_after)
            return response
        # A new session id at each login: nothing from before (a planted cookie) carries over.
        request.set_session({SESSION_ID: session_id})
        return Redirect(path=target, status_code=303)

    @post("/logout", status_code=303)
    async def logout(self, request: Request[Any, Any, Any]) -> Redirect:
        await sessions.logout(str((request.session or {}).get(SESSION_ID) or ""))
        request.clear_session()
        return Redirect(path="/login", status_code=303)


class PageController(Controller):
    path = "/"
    include_in_schema = False

    @get("/", guards=[requires("case.read")])
    async def dashboard(self, request: Request[Any, Any, Any], actor: Actor) -> Template:
        from casefile.definitions import engine
        from casefile.services import cases

        today = clock.today()
        horizon = today + timedelta(days=UPCOMING_DAYS)
        # Judged as of today: a next deadline already past reads "missed", not "pending".
        rows = await cases.list_cases(actor, today)
        upcoming: list[dict[str, Any]] = []
        overdue: list[dict[str, Any]] = []  # ours, late
        expired: list[dict[str, Any]] = []  # the other side's, run out
        by_procedure: dict[str, dict[str, Any]] = defaultdict(
            lambda: {"cases": 0, "amount": Decimal(0), "upcoming": 0}
        )
        by_lawyer: dict[str, dict[str, Any]] = defaultdict(
            lambda: {"cases": 0, "amount": Decimal(0), "upcoming": 0}
        )
        total = Decimal(0)
        for case in rows:
            amount = Decimal(str(case.get("claim_total") or 0))
            total += amount
            groups = (
                by_procedure[case["procedure"]],
                by_lawyer[case.get("lawyer") or UNASSIGNED],
            )
            for group in groups:
                group["cases"] += 1
                group["amount"] += amount
            for deadline in await cases.case_deadlines(case["id"], actor, today=today):
                if deadline["status"] not in OPEN_STATUSES:
                    continue
                due = date.fromisoformat(deadline["due"])
                if due < today and is_our_side(deadline.get("actor")):
                    overdue.append({"case": case, "deadline": deadline})
                elif due < today:
                    expired.append({"case": case, "deadline": deadline})
                elif due <= horizon:
                    upcoming.append({"case": case, "deadline": deadline})
                    for group in groups:
                        group["upcoming"] += 1
        from casefile.api.web.case_tools import my_feeds

        personal_kind = PERSONAL_FEED.get(actor.role)
        upcoming.sort(key=lambda row: row["deadline"]["due"])
        overdue.sort(key=lambda row: row["deadline"]["due"])
        expired.sort(key=lambda row: row["deadline"]["due"], reverse=True)
        return page(
            request,
            "dashboard.html",
            today=today,
            cases=rows,
            total=total,
            upcoming=upcoming,
            overdue=overdue,
            expired=expired,
            by_procedure=dict(sorted(by_procedure.items())),
            by_lawyer=await _named_lawyers(by_lawyer),
            procedure_titles={k: p.title for k, p in engine().procedures.items()},
            personal_kind=personal_kind,
            personal_feeds=await my_feeds(actor, (personal_kind,), actor.name)
            if personal_kind
            else [],
            feed_labels=FEED_LABELS,
        )

    @get("/dossiers/nouveau", guards=[requires("case.write")])
    async def new_case_form(self, request: Request[Any, Any, Any]) -> Template:
        return _new_case_page(request, {}, None)

    @post("/dossiers/nouveau", guards=[requires("case.write")], status_code=303)
    async def create_case(
        self, request: Request[Any, Any, Any], actor: Actor, data: Form
    ) -> Template | Redirect:
        from casefile.services import cases

        def text(name: str) -> str:
            return str(data.get(name, "")).strip()

        creditor = party_form_values(data, "creditor")
        debtor = party_form_values(data, "debtor")
        if not debtor.get("category"):
            debtor["kind"] = text("debtor_kind") or "professionnel"
        debtor["residence"] = text("debtor_residence") or None
        try:
            new_case = cases.NewCase(
                reference=text("reference"),
                procedure=text("procedure"),
                court=text("court") or None,
                court_department=text("court_department"),
                creditor=party_input({**creditor, "name": text("creditor")}),
                debtor=party_input({**debtor, "name": text("debtor")}),
                # The form names no lawyer: an avocat opening the case is its lawyer. Else
                # every pleading said « [avocat (nom, barreau) à compléter] », and only an
                # administrator could name them (case.assign). The CLI and the API name one.
                lawyer=actor.name if actor.role == "avocat" else None,
            )
            case = await cases.create_case(new_case, actor)
        except InvalidFields as error:
            return _new_case_page(request, data, None, 422, error.page_errors)
        except CasefileError as error:
            return _new_case_page(
                request, data, shown_on_page(error), status_code=error.http_status
            )
        flash(request, f"Dossier {case['reference']} ouvert.")
        return Redirect(path=f"/dossiers/{case['id']}", status_code=303)

    @get("/dossiers/{case_id:str}", guards=[requires("case.read")])
    async def case_page(
        self, request: Request[Any, Any, Any], case_id: FromPath[str], actor: Actor
    ) -> Template:
        from casefile.api import integrations
        from casefile.api.procedures import find_procedure, procedure_detail
        from casefile.api.web.case_tools import case_sections
        from casefile.services import cases, piece_details
        from casefile.store.permissions import can

        today = clock.today()
        case = await cases.get_case(case_id, actor, today=today)
        procedure = find_procedure(case["procedure"])
        detail = procedure_detail(procedure)
        labels = {event["key"]: event["label"] for event in detail["events"]}
        attribute_labels = {
            attr["key"]: attr["label"] for event in detail["events"] for attr in event["attributes"]
        }
        # A file handed over to litigation keeps its amicable events: their own labels.
        amicable = find_procedure("amiable") if case["procedure"] != "amiable" else procedure
        amicable_detail = procedure_detail(amicable)
        amicable_labels = {event["key"]: event["label"] for event in amicable_detail["events"]}
        for event in amicable_detail["events"]:
            for attr in event["attributes"]:
                attribute_labels.setdefault(attr["key"], attr["label"])
        timeline: list[dict[str, Any]] = [
            {
                "kind": "event",
                "key": event["key"],
                "date": event["date"],
                "label": labels.get(event["key"])
                or amicable_labels.get(event["key"], event["key"]),
                "procedure": procedure if event["key"] in labels else amicable,
                "attributes": event.get("attributes") or {},
                "order": 0,
            }
            for event in case.get("events", [])
        ]
        timeline += [
            {"kind": "deadline", "date": d["due"], "deadline": d, "order": 1}
            for d in case.get("deadlines", [])
        ]
        timeline.sort(key=lambda item: (str(item["date"]), item["order"]))
        events = detail["events"]
        events = [e for e in events if can(actor.role, event_action(e["key"]))]
        return page(
            request,
            "case.html",
            case=case,
            procedure=procedure,
            today=today,
            timeline=timeline,
            statement_rows=STATEMENT_ROWS,
            attribute_labels=attribute_labels,
            events=events,
            can_events=bool(events),  # (those the role may record: no heading over nothing)
            can_upload=integrations.evidence_available() and can(actor.role, "evidence.write"),
            correctable=await piece_details.correctable_pieces(case["id"], actor),
            evidence_download=integrations.evidence_available(),
            evidence_kinds=integrations.evidence_kinds(),
            evidence_labels=integrations.evidence_kind_labels(),
            ics=integrations.ics_available(),
            bundle=integrations.evidence_available(),
            documents_available=integrations.documents_available(),
            case_data=case_data_context(case, actor),
            **await case_sections(case, procedure, actor, today),
            **await case_page_context(case, procedure, actor, today),
            **await case_court_context(case, actor),
            **await _readiness(case, actor, today),
        )

    @post("/dossiers/{case_id:str}/evenements", guards=[requires("case.read")], status_code=303)
    async def record_event(
        self, request: Request[Any, Any, Any], case_id: FromPath[str], actor: Actor, data: Form
    ) -> Redirect:
        from casefile.api.cases import check_event_permission, event_fields
        from casefile.services import cases

        fields: dict[str, Any] = {
            k: v for k, v in data.items() if v != "" and k not in ("_csrf_token", "next")
        }
        try:
            key, day, attributes = event_fields(fields)
            check_event_permission(actor, key)
            changes = await cases.add_event(case_id, key, day, attributes, actor)
        except CasefileError as error:
            flash(
                request,
                await _named_error(case_id, actor, shown_on_page(error)),
                "error",
                form="evenement",
                kept=data,
            )
        else:
            summary, lines = changes_fr(changes)
            warnings = [dates_in_text_fr(str(w)) for w in changes.get("warnings", [])]
            flash(
                request,
                f"Événement enregistré. {summary}",
                "warning" if warnings else "info",
                lines + warnings,
            )
        return Redirect(path=f"/dossiers/{case_id}", status_code=303)

    @post(
        "/dossiers/{case_id:str}/pieces",
        guards=[requires("evidence.write")],
        status_code=303,
        request_max_body_size=None,
        # The body is streamed: the CSRF token is checked here, from the field sent before
        # the file, instead of letting the middleware read the whole form first.
        opt={"exclude_from_csrf": True},
    )
    async def upload_piece(
        self, request: Request[Any, Any, Any], case_id: FromPath[str], actor: Actor
    ) -> Template | Redirect:
        from casefile.api.evidence import open_upload, store_piece
        from casefile.evidence.service import DuplicatePiece
        from casefile.services import cases

        row = await cases.resolve_case(case_id, actor)
        upload = await open_upload(request, None)
        check_csrf(request, upload.fields.get("_csrf_token"))
        try:
            receipt = await store_piece(row, upload, actor)
        except DuplicatePiece as duplicate:
            # The bytes are stored (content-addressed) but no pièce was recorded: ask.
            return page(
                request,
                "piece_duplicate.html",
                status_code=409,
                case=row,
                duplicate=duplicate,
                existing=duplicate.extra["existing"] if duplicate.extra else {},
                fields=upload.fields,
                filename=upload.filename,
            )
        except CasefileError as error:
            # The file itself cannot be kept; the nature chosen for it is.
            flash(request, str(error), "error", form="piece", kept=dict(upload.fields))
        else:
            flash(request, *_added_message(receipt))
        return Redirect(path=f"/dossiers/{case_id}", status_code=303)

    @post(
        "/dossiers/{case_id:str}/pieces/doublon",
        guards=[requires("evidence.write")],
        status_code=303,
    )
    async def confirm_duplicate(
        self, request: Request[Any, Any, Any], case_id: FromPath[str], actor: Actor, data: Form
    ) -> Redirect:
        """After the duplicate page: "add it all the same" makes a second pièce from the bytes
        already stored (the file is not sent again)."""
        from casefile.law.periods import parse_date
        from casefile.services import cases, piece_uploads

        row = await cases.resolve_case(case_id, actor)
        try:
            day = parse_date(data["date"], "date") if data.get("date") else None
            receipt = await piece_uploads.add_stored_copy(
                row["id"],
                str(data.get("sha256", "")),
                actor,
                filename=str(data.get("filename", "")),
                kind=str(data.get("kind", "")),
                piece_date=day,
                description=str(data.get("description", "")),
            )
        except CasefileError as error:
            flash(request, str(error), "error")
        else:
            flash(request, *_added_message(receipt))
        return Redirect(path=f"/dossiers/{case_id}", status_code=303)

    @get("/simulateur", guards=[requires("case.read")])
    async def simulator(
        self, request: Request[Any, Any, Any], procedure: FromQuery[str | None] = None
    ) -> Template:
        return _simulator_page(request, procedure, {}, None, None)

    @post("/simulateur", guards=[requires("case.read")], status_code=200)
    async def simulate(
        self, request: Request[Any, Any, Any], data: Form, procedure: FromQuery[str | None] = None
    ) -> Template:
        from casefile.api.procedures import simulate

        key = procedure or "injonction_de_payer"
        try:
            result = simulate(key, simulator_request(data))
        except CasefileError as error:
            return _simulator_page(request, key, data, None, shown_on_page(error), status_code=422)
        return _simulator_page(request, key, data, result, None)

    @get("/audit", guards=[requires("audit.read")])
    async def audit_page(
        self,
        request: Request[Any, Any, Any],
        actor: Actor,
        dossier: FromQuery[str | None] = None,
        utilisateur: FromQuery[str | None] = None,
        du: FromQuery[str | None] = None,
        au: FromQuery[str | None] = None,
        avant: FromQuery[int | None] = None,
    ) -> Template:
        return await audit_trail_page(request, actor, dossier, utilisateur, du, au, avant)


AUDIT_PAGE = 100


def _added_message(receipt: dict[str, Any]) -> tuple[str, str, list[str]]:
    """The flash of an upload: the pièce added, then what the analysers found (the state of
    its text, the e-invoice read in it)."""
    details = []
    text = receipt.get("analysis", {}).get("text") or {}
    if text.get("label"):
        details.append(
            f"Texte : {text['label']}" + (f" ({text['message']})." if text.get("message") else ".")
        )
    invoice = receipt.get("facturx")
    if invoice:
        details.append(invoice["notice"])
    return f"Pièce n° {receipt['piece']} ajoutée ({receipt['kind']}).", "info", details


async def audit_trail_page(
    request: Request[Any, Any, Any],
    actor: User,
    case: str | None,
    user: str | None,
    since_text: str | None,
    until_text: str | None,
    before_id: int | None,
) -> Template:
    """The readable trail with its filters; a bad filter is said beside it, never a 500."""
    from casefile.law.periods import parse_date
    from casefile.services import audit

    filters = {"dossier": case or "", "utilisateur": user or "", "du": since_text or ""}
    filters["au"] = until_text or ""
    errors: dict[str, str] = {}
    since = until = None
    for name, text in (("du", since_text), ("au", until_text)):
        if text:
            try:
                day = parse_date(text, name)
            except InputError:
                errors[name] = f"« {text} » n'est pas une date (AAAA-MM-JJ)"
                continue
            since, until = (day, until) if name == "du" else (since, day)
    if since and until and until < since:
        errors["au"] = "la fin de la période précède son début"
    entries: list[Any] = []
    if not errors:
        try:
            entries = await audit.trail(
                actor,
                case=case or None,
                user=user or None,
                since=since,
                until=until,
                limit=AUDIT_PAGE,
                before_id=before_id,
            )
        except CasefileError as error:
            errors["dossier"] = f"dossier « {case} » : introuvable ou non visible ({error})"
    users = await audit.actors(actor)
    return page(
        request,
        "audit.html",
        status_code=422 if errors else 200,
        entries=entries,
        filters=filters,
        errors=errors,
        users=users,
        people=await people_names(users),
        next_before=entries[-1].id if len(entries) == AUDIT_PAGE else None,
    )


def simulator_request(form: dict[str, str]) -> dict[str, Any]:
    """Flat form fields (`event__date`, `event__attr`) → the simulator's JSON request."""
    events: dict[str, dict[str, Any]] = {}
    for name, value in form.items():
        event, sep, field = name.partition("__")
        if not sep or value == "":
            continue
        events.setdefault(event, {})[field] = value
    for event, body in list(events.items()):
        if "date" not in body:
            del events[event]  # attributes of an event without a date: nothing happened
    request: dict[str, Any] = {"events": events}
    for name in ("court", "court_department", "debtor_residence", "claim_total"):
        value = form.get(name, "").strip()
        if value:
            request[name] = value
    return request


def _simulator_page(
    request: Request[Any, Any, Any],
    key: str | None,
    form: dict[str, str],
    result: dict[str, Any] | None,
    error: str | None,
    status_code: int = 200,
) -> Template:
    from casefile.api.procedures import find_procedure, procedure_detail, procedure_summary
    from casefile.definitions import engine

    try:
        procedure = find_procedure(key or "injonction_de_payer")
    except CasefileError as exc:
        # A mistyped ?procedure= (a bookmark, a hand-written link): the simulator itself, with
        # the closest procedure chosen and the refusal above it, not an error page.
        procedures = engine().procedures
        likely = closest(key, [(p.title, p.key) for p in procedures.values()])
        procedure = procedures[likely[0][1] if likely else "injonction_de_payer"]
        error, status_code = shown_on_page(exc), 422
    detail = procedure_detail(procedure)
    event_values: dict[str, dict[str, str]] = {}
    for name, value in form.items():
        event, sep, field = name.partition("__")
        if sep:
            event_values.setdefault(event, {})[field] = value
    if error:
        error = keys_fr(procedure, error)
    return page(
        request,
        "simulator.html",
        status_code=status_code,
        procedures=[procedure_summary(p) for p in engine().procedures.values()],
        procedure=procedure,
        procedure_events=detail["events"],
        form=form,
        event_values=event_values,
        result=result,
        territory=_territory_label(result["territory"]) if result else "",
        error=error,
    )


async def _named_error(case_id: str, actor: User, text: str) -> str:
    """The engine's refusal with the case procedure's labels instead of its keys."""
    from casefile.definitions import engine
    from casefile.services import cases

    try:
        case = await cases.get_case(case_id, actor)
    except CasefileError:
        return text
    return keys_fr(engine().procedures.get(case["procedure"]), text)


def _territory_label(key: str) -> str:
    """'Alsace-Moselle (Bas-Rhin, Haut-Rhin, Moselle)', not the key 'alsace-moselle'."""
    from casefile.definitions import engine

    territory = engine().territories.by_key.get(key)
    return territory.label if territory is not None else humanise(key)


async def _readiness(case: dict[str, Any], actor: User, today: date) -> dict[str, Any]:
    """The case page's `_readiness.html`: what each document lacks (issue 13 item 3)."""
    if not (integrations.documents_available() and can(actor.role, "document.read")):
        return {"readiness": [], "readiness_warning": None}
    readiness, warning = await case_readiness(case["id"], actor, today)
    return {"readiness": readiness, "readiness_warning": warning}


# The new-case form's own fields, by the service's error key (the parties' come from split_errors).
_NEW_CASE_IDS = {
    "reference": "nc-reference",
    "procedure": "nc-procedure",
    "court": "nc-court",
    "court_department": "nc-dept",
}


def _new_case_page(
    request: Request[Any, Any, Any],
    form: dict[str, str],
    error: str | None,
    status_code: int = 200,
    errors: Mapping[str, str] | None = None,
) -> Template:
    from casefile.api.procedures import procedure_summary
    from casefile.definitions import engine

    errors = dict(errors or {})
    field_ids = dict(_NEW_CASE_IDS)
    for key in errors:
        role, _, field = key.partition(".")
        if role in ("creditor", "debtor"):
            if key == "debtor.residence":
                field_ids[key] = "nc-residence"
            else:
                field_ids[key] = f"nc-{role}" if field in ("", "name") else f"nc-{role}-{field}"
    return page(
        request,
        "new_case.html",
        status_code=status_code,
        procedures=[procedure_summary(p) for p in engine().procedures.values()],
        form=form,
        error=error,
        errors=errors,
        field_ids=field_ids,
        case_errors={k: v for k, v in errors.items() if k in _NEW_CASE_IDS},
        party_values={role: party_form_values(form, role) for role in ("creditor", "debtor")},
        party_errors=split_errors({k: v for k, v in errors.items() if k not in _NEW_CASE_IDS}),
        category_options=CATEGORY_OPTIONS,
        civility_options=CIVILITY_OPTIONS,
    )


def handlers() -> list[Any]:
    return [LoginController, PageController, CaseToolsController]
