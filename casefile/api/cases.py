"""Cases, their events and deadlines (DESIGN.md §4b): HTTP in, store services, JSON out."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Annotated, Any

from litestar import Controller, MediaType, Request, Response, delete, get, post, put
from litestar.params import Body, FromPath, FromQuery, JSONBody, Parameter

from casefile import clock
from casefile.api.auth import Actor, allows, fast_get
from casefile.api.schemas import Changes, InvoiceBody, NewCaseBody, PaymentBody, changes_out
from casefile.errors import InputError
from casefile.law.wording import quoted
from casefile.store.permissions import User

SCALARS = (str, bool, int)


def parse_day(value: object, what: str) -> date:
    from casefile.law.periods import parse_date

    if not isinstance(value, str):
        raise InputError(f"{what} : {quoted(value)} doit être une date écrite AAAA-MM-JJ")
    return parse_date(value, what)


def event_fields(
    body: Mapping[str, Any], key: str | None = None
) -> tuple[str, date, dict[str, Any]]:
    """`{"key", "date", …attributes}` → (key, date, attributes), naming what is wrong."""
    if key is None:
        key = body.get("key")
        if not isinstance(key, str) or not key.strip():
            raise InputError(
                'key : la clé de l\'événement est obligatoire, par exemple "ordonnance_signifiee"'
            )
    elif "key" in body and body["key"] != key:
        raise InputError(
            f"key : {quoted(body['key'])} dans le corps de la requête diffère de {quoted(key)} "
            "dans l'adresse"
        )
    if "date" not in body:
        raise InputError(f"événement {quoted(key)} : la date est obligatoire (AAAA-MM-JJ)")
    day = parse_day(body["date"], f"événement {quoted(key)} : date")
    attributes = {name: value for name, value in body.items() if name not in ("key", "date")}
    for name, value in attributes.items():
        if not isinstance(value, SCALARS) or isinstance(value, float):
            raise InputError(
                f"événement {quoted(key)} : attribut {quoted(name)} : reçu {quoted(value)}, "
                "attendu un texte, un nombre entier ou un booléen"
            )
    return key.strip(), day, attributes


def check_event_permission(
    actor: Actor, key: str, change: str = "add", procedure: str | None = None
) -> None:
    """A commissaire de justice records significations and their own acts only; others need
    event.write. The refusal names the role and the event in French (`procedure`: whose label)."""
    from casefile.labels import event_label_fr
    from casefile.store.permissions import can, event_action, require_event

    if not can(actor.role, event_action(key)):
        require_event(actor, key, change, event_label_fr(key, procedure), named=False)


async def deadlines_json(path_params: dict[str, Any], actor: User) -> bytes:
    """`GET /api/cases/{case_id}/deadlines`, the fast way (`auth.fast_get`)."""
    from casefile.services import cases

    return await cases.case_deadlines_json(path_params["case_id"], actor)


class CaseController(Controller):
    path = "/api/cases"
    tags = ("dossiers",)

    @post("/", opt=allows("case.write"), summary="Ouvrir un dossier")
    async def create_case(self, data: JSONBody[NewCaseBody], actor: Actor) -> dict[str, Any]:
        from casefile.services import cases

        new_case = cases.NewCase(
            reference=data.reference,
            procedure=data.procedure,
            court=data.court,
            court_department=data.court_department,
            creditor=cases.PartyIn(**_party(data.creditor)),
            debtor=cases.PartyIn(**_party(data.debtor)),
            lawyer=data.lawyer,
            commissaire=data.commissaire,
        )
        result: dict[str, Any] = await cases.create_case(new_case, actor)
        return result

    @get(
        "/",
        opt=allows("case.read"),
        summary="Les dossiers visibles : recherche (q), filtres, tri et pages",
        description=(
            "Sans paramètre : tous les dossiers visibles. Avec `q` (référence, nom d'une partie, "
            "SIREN, numéro de facture), `procedure`, `lawyer`, `commissaire` (nom, ou `aucun`), "
            "`status`, `within_days` (une échéance ouverte sous N jours), `overdue` (une de nos "
            "échéances dépassée), `sort` (reference, debiteur, montant, echeance, ouverture), "
            "`desc`, `page`, `per_page` : une page, le total dans l'en-tête X-Total-Count."
        ),
    )
    async def list_cases(
        self, request: Request[Any, Any, Any], actor: Actor
    ) -> Response[list[dict[str, Any]]]:
        from casefile.api import portfolio as api_portfolio
        from casefile.services import cases
        from casefile.services.portfolio import search

        params = request.query_params
        if not api_portfolio.wants_portfolio(params):
            return Response(await cases.list_cases(actor))
        found = await search(actor, api_portfolio.query_from(params), api_portfolio.today())
        return Response(
            found.items,
            headers=api_portfolio.page_headers(found.total, found.page, found.per_page),
        )

    @get("/{case_id:str}", opt=allows("case.read"), summary="Un dossier complet")
    async def show_case(
        self,
        case_id: FromPath[str],
        actor: Actor,
        today: Annotated[
            date | None, Parameter(description="AAAA-MM-JJ (défaut : aujourd'hui)")
        ] = None,
    ) -> dict[str, Any]:
        from casefile.services import cases

        result: dict[str, Any] = await cases.get_case(case_id, actor, today=today)
        return result

    @get(
        "/{case_id:str}/deadlines",
        opt=fast_get(deadlines_json, **allows("case.read")),
        summary="Les délais du dossier (mêmes champs que la CLI)",
    )
    async def case_deadlines(
        self, case_id: FromPath[str], actor: Actor, today: FromQuery[date | None] = None
    ) -> Response[list[dict[str, Any]]]:
        """Without a query string the authentication middleware answers in its place
        (`deadlines_json`: the API's hottest read); `?today=` comes here."""
        from casefile.services import cases

        # The stored JSON texts, sent as they are: nothing decoded, nothing re-encoded (the
        # annotation documents the JSON they form; Litestar sends bytes unchanged).
        body: Any = await cases.case_deadlines_json(case_id, actor, today=today)
        return Response(body, media_type=MediaType.JSON)

    @get(
        "/{case_id:str}/advice",
        opt=allows("case.read"),
        summary="Procédures ouvertes et pourquoi; prescription de chaque facture",
    )
    async def case_advice(
        self, case_id: FromPath[str], actor: Actor, as_of: FromQuery[date | None] = None
    ) -> dict[str, Any]:
        from casefile.store.advice import case_advice

        return await case_advice(case_id, actor, as_of or clock.today())

    @post(
        "/{case_id:str}/events",
        opt=allows("case.read"),
        summary="Enregistrer un événement → délais ajoutés, déplacés, supprimés",
    )
    async def add_event(
        self,
        case_id: FromPath[str],
        actor: Actor,
        data: Annotated[
            dict[str, Any], Body(description='{"key", "date": "AAAA-MM-JJ", …attributs}')
        ],
        expected_version: Annotated[int | None, Parameter(ge=0)] = None,
    ) -> Changes:
        from casefile.services import cases

        key, day, attributes = event_fields(data)
        check_event_permission(actor, key)
        result = await cases.add_event(
            case_id, key, day, attributes, actor, expected_version=expected_version
        )
        return changes_out(result)

    @put(
        "/{case_id:str}/events/{key:str}",
        opt=allows("case.read"),
        summary="Modifier la date ou les attributs du dernier événement de cette clé",
    )
    async def edit_event(
        self,
        case_id: FromPath[str],
        key: FromPath[str],
        actor: Actor,
        data: Annotated[
            dict[str, Any],
            Body(description='{"date": "AAAA-MM-JJ", "reason"?: "motif", …attributs}'),
        ],
        expected_version: Annotated[int | None, Parameter(ge=0)] = None,
        event_id: Annotated[
            int | None, Parameter(ge=1, le=2**31 - 1, description="cet événement-là")
        ] = None,
    ) -> Changes:
        from casefile.services import cases

        body = dict(data)
        reason = body.pop("reason", None)
        if reason is not None and not isinstance(reason, str):
            raise InputError("reason : le motif est un texte")
        key, day, attributes = event_fields(body, key)
        check_event_permission(actor, key, "edit")
        result = await cases.edit_event(
            case_id,
            key,
            day,
            attributes,
            actor,
            expected_version=expected_version,
            reason=reason,
            event_id=event_id,
        )
        return changes_out(result)

    @delete(
        "/{case_id:str}/events/{key:str}",
        opt=allows("case.read"),
        status_code=200,
        summary="Supprimer le dernier événement de cette clé",
    )
    async def delete_event(
        self,
        case_id: FromPath[str],
        key: FromPath[str],
        actor: Actor,
        expected_version: Annotated[int | None, Parameter(ge=0)] = None,
        reason: Annotated[str | None, Parameter(max_length=500, description="motif")] = None,
        event_id: Annotated[
            int | None, Parameter(ge=1, le=2**31 - 1, description="cet événement-là")
        ] = None,
    ) -> Changes:
        from casefile.services import cases

        check_event_permission(actor, key, "delete")
        result = await cases.delete_event(
            case_id,
            key,
            actor,
            expected_version=expected_version,
            reason=reason,
            event_id=event_id,
        )
        return changes_out(result)

    @post("/{case_id:str}/claims", opt=allows("claim.write"), summary="Ajouter une facture")
    async def add_claim(
        self,
        case_id: FromPath[str],
        actor: Actor,
        data: JSONBody[InvoiceBody],
        expected_version: Annotated[int | None, Parameter(ge=0)] = None,
    ) -> Changes:
        from casefile.law.money import parse_amount
        from casefile.services import cases

        invoice = cases.InvoiceIn(
            invoice_number=data.invoice_number,
            issue_date=data.issue_date,
            due_date=data.due_date,
            amount=parse_amount(data.amount, "amount"),
            paid=parse_amount(data.paid, "paid"),
            nature=data.nature,
            supply=data.supply,
            description=data.description,
        )
        result = await cases.add_claim(case_id, invoice, actor, expected_version=expected_version)
        return changes_out(result)

    @post("/{case_id:str}/payments", opt=allows("payment.write"), summary="Ajouter un paiement")
    async def add_payment(
        self,
        case_id: FromPath[str],
        actor: Actor,
        data: JSONBody[PaymentBody],
        expected_version: Annotated[int | None, Parameter(ge=0)] = None,
    ) -> Changes:
        from casefile.law.money import parse_amount
        from casefile.services import cases

        payment = cases.PaymentIn(
            date=data.date,
            amount=parse_amount(data.amount, "amount"),
            invoice_number=data.invoice_number,
            reference=data.reference,
        )
        result = await cases.add_payment(case_id, payment, actor, expected_version=expected_version)
        return changes_out(result)

    @get(
        "/{case_id:str}/statement",
        opt=allows("case.read"),
        summary="Décompte de la créance à une date",
    )
    async def claim_statement(
        self, case_id: FromPath[str], actor: Actor, as_of: FromQuery[date | None] = None
    ) -> dict[str, Any]:
        from casefile.services import cases

        result: dict[str, Any] = await cases.claim_statement(
            case_id, actor, as_of=as_of or clock.today()
        )
        return result


def _party(party: Any) -> dict[str, Any]:
    import msgspec

    return msgspec.structs.asdict(party)
