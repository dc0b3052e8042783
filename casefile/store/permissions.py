"""Who may do what (pure: no database). The principal `User` lives here so that every layer
can name the actor without importing the user store."""

from __future__ import annotations

from dataclasses import dataclass, field

ROLES = ("admin", "avocat", "credit_manager", "commissaire_de_justice", "lecteur")

ACTIONS = frozenset(
    {
        "case.read",
        "case.write",
        "case.delete",
        "case.assign",  # reassign a case's avocat or commissaire de justice (administrators)
        "claim.write",
        "payment.write",
        "event.write",
        "event.write_signification",
        "evidence.read",
        "evidence.write",
        "evidence.delete",
        "document.read",
        "document.write",
        "user.list",
        "user.admin",
        "audit.read",
        "court.admin",
        "law.impact",
        "law.apply",
        "jobs.read",
    }
)

_CASE_WORK = frozenset(
    {
        "case.read",
        "case.write",
        "claim.write",
        "payment.write",
        "event.write",
        "event.write_signification",
        "evidence.read",
        "evidence.write",
        "evidence.delete",
        "document.read",
        "document.write",
        "user.list",
    }
)

_GRANTS: dict[str, frozenset[str]] = {
    "admin": ACTIONS,
    "avocat": _CASE_WORK | {"case.delete", "audit.read"},
    "credit_manager": _CASE_WORK,
    # Reads only the cases assigned to them (enforced where cases are read).
    "commissaire_de_justice": frozenset(
        {
            "case.read",
            "event.write_signification",
            "evidence.read",
            "evidence.write",
            "document.read",
        }
    ),
    "lecteur": frozenset({"case.read", "evidence.read", "document.read"}),
}


@dataclass(frozen=True)
class User:
    id: int
    name: str  # the login
    role: str
    # How a page names them ("Maître Jeanne Martin"), when it was read; not part of who they are.
    person: str = field(default="", compare=False)


SYSTEM = User(0, "system", "admin")


def can(role: str, action: str) -> bool:
    """True when `role` may perform `action`; an unknown action is a programming error."""
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r} (known: {', '.join(sorted(ACTIONS))})")
    return action in _GRANTS.get(role, frozenset())


def assigned_only(role: str) -> bool:
    """A commissaire de justice sees only the cases assigned to them."""
    return role == "commissaire_de_justice"


OFFICE_ACTS = frozenset(
    {
        # Injonction de payer, CPC art. 1416 al. 2: what opens the opposition when the
        # ordonnance was not served in person — an act served in person, a saisie.
        "premier_acte_a_personne",
        "premiere_mesure_execution",
        # Procédure simplifiée des petites créances (CPCE L125-1, R125-1 et s.): the
        # commissaire sends the invitation, receives the debtor's answer, issues the title.
        "invitation_envoyee",
        "accord_debiteur",
        "refus_debiteur",
        "titre_delivre",
    }
)
"""Events a commissaire de justice records besides the significations: the acts of their
office (the creditor's mandate to them stays case work)."""


def event_action(event_key: str) -> str:
    """Recording a signification or another act of a commissaire de justice's office is the
    commissaire's (`event.write_signification`); other events are case work."""
    if "signifi" in event_key or event_key in OFFICE_ACTS:
        return "event.write_signification"
    return "event.write"


def require_event(
    actor: User, key: str, change: str = "add", label: str | None = None, named: bool = True
) -> None:
    """Refuse, in French, an event `actor` may not `change` ("add", "edit", "delete"): the
    event by its label (`label`, else the first procedure's), and, `named`, who acts (the
    CLI's and the services' messages; the web says it without)."""
    if can(actor.role, event_action(key)):
        return
    from casefile.errors import Forbidden
    from casefile.labels import event_label_fr, event_refused_fr

    message = event_refused_fr(actor.role, label or event_label_fr(key), change)
    raise Forbidden(f"action refusée pour « {actor.name} » : {message}" if named else message)


def require(actor: User, action: str, what: str = "") -> None:
    from casefile.errors import Forbidden

    if not can(actor.role, action):
        from casefile.labels import refused_fr  # babel: not on every command's start

        target = f" sur {what}" if what else ""
        raise Forbidden(
            f"action refusée pour « {actor.name} » : {refused_fr(actor.role, action)}{target}"
        )
