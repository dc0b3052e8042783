"""Users and case assignment over HTTP (administrators): thin over `casefile.services.users` and
`casefile.services.assignments`, with typed bodies and answers so that OpenAPI describes them."""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Controller, get, patch, post, put
from litestar.params import FromPath, JSONBody

from casefile.api.auth import Actor, allows, requires
from casefile.services import assignments
from casefile.services import users as service
from casefile.services.users import ProfileChanges, UserProfile


class NewUserBody(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """A new user: `token: true` returns an API token, shown this once."""

    name: str
    role: str
    password: str | None = None
    token: bool = False
    full_name: str = ""
    title: str = ""
    email: str = ""
    phone: str = ""
    barreau: str = ""
    toque: str = ""
    etude_name: str = ""
    etude_address: str = ""


class NewUserAnswer(msgspec.Struct, kw_only=True):
    user: UserProfile
    token: str | None


class AssignedCase(msgspec.Struct, kw_only=True):
    id: int
    reference: str
    lawyer: str | None
    commissaire: str | None
    version: int


def assigned(case: dict[str, Any]) -> AssignedCase:
    return AssignedCase(
        id=case["id"],
        reference=case["reference"],
        lawyer=case["lawyer"],
        commissaire=case["commissaire"],
        version=case["version"],
    )


class UserController(Controller):
    path = "/api/users"
    tags = ("utilisateurs",)
    guards = [requires("user.admin")]  # noqa: RUF012 (Litestar reads it as declared)

    @get("/", summary="Les utilisateurs et leur identité")
    async def list_users(self, actor: Actor) -> list[UserProfile]:
        return await service.list_profiles(actor)

    @post("/", summary="Créer un utilisateur (jeton d'API affiché une seule fois)")
    async def create(self, data: JSONBody[NewUserBody], actor: Actor) -> NewUserAnswer:
        profile = ProfileChanges(
            **{key: getattr(data, key) for key, _, _ in service.PROFILE_FIELDS}
        )
        user, token = await service.add_user(
            data.name, data.role, data.password, data.token, profile, actor
        )
        return NewUserAnswer(user=user, token=token)

    @get("/{name:str}", summary="Un utilisateur")
    async def show(self, name: FromPath[str], actor: Actor) -> UserProfile:
        return await service.get_profile(name, actor)

    @patch("/{name:str}", summary="Modifier le rôle, l'identité ou le mot de passe")
    async def edit(
        self, name: FromPath[str], data: JSONBody[ProfileChanges], actor: Actor
    ) -> UserProfile:
        return await service.edit_user(name, data, actor)

    @post(
        "/{name:str}/deactivate",
        status_code=200,
        summary="Désactiver : sessions fermées, jetons et abonnements révoqués",
    )
    async def deactivate(self, name: FromPath[str], actor: Actor) -> UserProfile:
        return await service.deactivate_user(name, actor)

    @post("/{name:str}/reactivate", status_code=200, summary="Réactiver un utilisateur")
    async def reactivate(self, name: FromPath[str], actor: Actor) -> UserProfile:
        return await service.reactivate_user(name, actor)


class AssignmentController(Controller):
    path = "/api/cases"
    tags = ("dossiers",)

    @put(
        "/{case_id:str}/assignment",
        opt=allows("case.assign"),
        summary="Attribuer le dossier à un avocat ou à un commissaire de justice",
    )
    async def assign(
        self, case_id: FromPath[str], data: JSONBody[assignments.Assignment], actor: Actor
    ) -> AssignedCase:
        return assigned(await assignments.assign_case(case_id, data, actor))
