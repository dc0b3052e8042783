"""What the case page's "Données du dossier" section shows beside the case: labels, who may
correct what, and what a pleading will lack (said before anyone renders one)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from casefile.api.procedures import find_procedure
from casefile.law.parties import split_legal_form
from casefile.services.claims import SUPPLIES
from casefile.services.parties import CATEGORIES, EDITABLE
from casefile.services.plausibility import residence_warnings
from casefile.store.permissions import User, can, event_action

ROLE_LABELS = {"creditor": "créancier", "debtor": "débiteur"}
CATEGORY_OPTIONS = [("", "— non renseignée —"), *CATEGORIES.items()]
CIVILITY_OPTIONS = [("", "— (personne morale)"), ("M.", "M."), ("Mme", "Mme")]
NULLABLE = frozenset({"siren", "siret", "category", "residence"})


def party_form_values(form: Mapping[str, str], role: str) -> dict[str, Any]:
    """The `ROLE__field` inputs of a form as party fields (empty optional ids → None)."""
    prefix = f"{role}__"
    values: dict[str, Any] = {}
    for name, value in form.items():
        if name.startswith(prefix) and name[len(prefix) :] in EDITABLE:
            field = name[len(prefix) :]
            text = str(value).strip()
            values[field] = None if field in NULLABLE and not text else text
    return {k: v for k, v in values.items() if v not in ("", None) or k in NULLABLE}


def split_errors(errors: Mapping[str, str]) -> dict[str, dict[str, str]]:
    """`{"creditor.siren": …}` → `{"creditor": {"siren": …}, "debtor": {…}}`."""
    out: dict[str, dict[str, str]] = {"creditor": {}, "debtor": {}}
    for key, message in errors.items():
        role, _, field = key.partition(".")
        out.setdefault(role, {})[field or "name"] = message
    return out


def _gaps(role: str, party: Mapping[str, Any] | None, court_department: str | None) -> list[str]:
    """What a pleading will lack, said on the case page before anyone renders one."""
    if not party:
        return []
    gaps = []
    company = party["person_or_company"] == "societe"
    if company and not party["siren"] and party.get("category") != "personne_publique":
        gaps.append("SIREN manquant : un acte désigne une société par son SIREN.")
    if not company and not party.get("civility"):
        gaps.append("Civilité manquante : un acte désigne une personne par « M. » ou « Mme ».")
    if not party["address"]:
        gaps.append("Adresse manquante.")
    # "Brasserie de l'Ill SAS": the pleadings read the form from the name (split_legal_form).
    if company and split_legal_form(party.get("name") or "", party.get("legal_form"))[1] is None:
        gaps.append("Forme juridique manquante.")
    return gaps + residence_warnings(role, party, court_department)


def case_data_context(case: Mapping[str, Any], actor: User) -> dict[str, Any]:
    """What `_case_data.html` needs beside the case (labels, rights, gaps)."""
    procedure = find_procedure(case["procedure"])
    event_labels = {e.key: e.label for e in procedure.events.values()}
    editable = [k for k in event_labels if can(actor.role, event_action(k))]
    # A file handed over to litigation keeps its amicable events (« exigibilite »…), which
    # its court procedure does not define: they keep their own labels (not editable here).
    for event in find_procedure("amiable").events.values():
        event_labels.setdefault(event.key, event.label)
    return {
        "role_labels": ROLE_LABELS,
        "category_labels": CATEGORIES,
        "kind_labels": {"professionnel": "professionnel", "consommateur": "consommateur"},
        "supply_labels": SUPPLIES,
        "event_labels": event_labels,
        "editable_events": editable,
        "can_edit": can(actor.role, "case.write"),
        "can_claims": can(actor.role, "claim.write"),
        "can_payments": can(actor.role, "payment.write"),
        "gaps": {
            "creditor": _gaps("creditor", case.get("creditor"), case.get("court_department")),
            "debtor": _gaps("debtor", case.get("debtor_party"), case.get("court_department")),
        },
    }
