"""The audit trail as a person reads it (issue 12 item 7): who, when, what in a French sentence,
and the before/after of each field, filtered by case, user and dates.

The stored entries (`casefile.store.audit`) stay as they were written; this module only reads
and words them. An action without a sentence of its own is still described ("a effectué
l'action …") rather than hidden.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from contextlib import suppress
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any
from zoneinfo import ZoneInfo

import msgspec

from casefile.definitions import engine
from casefile.documents.formatting import amount_fr, date_fr, siren_fr, siret_fr
from casefile.documents.manifest import load_manifest
from casefile.errors import CasefileError, InputError
from casefile.evidence.records import KIND_LABELS as PIECE_KIND_LABELS
from casefile.labels import (
    CASE_STATUSES,
    PHASES,
    ROLES,
    choice_label,
    court_fr,
    humanise,
    label,
    period_fr,
    residence_fr,
)
from casefile.law.recorded_rates import semester_start
from casefile.law.wording import NBSP, semester_fr, time_fr
from casefile.services import claims, courts, parties, payments, rates, users
from casefile.store import audit
from casefile.store.audit import INTEGRITY_INCIDENT
from casefile.store.cases import resolve_case
from casefile.store.courts import KINDS as COURT_KINDS
from casefile.store.permissions import User, require
from casefile.store.tables import AuditEntry, Case, Court

PARIS = ZoneInfo("Europe/Paris")
ROLE_NAMES = {"creditor": "créancier", "debtor": "débiteur"}
# Keys that describe the change rather than being a field of it.
META = frozenset({"version", "changes", "warnings", "reason", "role", "key", "level", "scenario"})
# The values of a reminder action's and a promise's `status`, and of a channel, in French.
DUNNING_VALUES: dict[str, str] = {
    "a_envoyer": "à envoyer",
    "a_appeler": "appel à passer",
    "envoyee": "envoyée",
    "faite": "faite",
    "echec": "échec",
    "annulee": "annulée",
    "retiree": "retirée",
    "en_cours": "en cours",
    "tenue": "tenue",
    "rompue": "rompue",
    "email": "e-mail",
    "courrier": "courrier",
    "telephone": "téléphone",
    "rendez_vous": "en rendez-vous",
    "autre": "autrement",
}
FIELD_LABELS: dict[str, str] = {
    **parties.LABELS,
    **claims.LABELS,
    **payments.LABELS,
    "date": "date",
    "attributes": "précisions",
    "reference": "référence",
    "procedure": "procédure",
    "court": "juridiction",
    "court_department": "département du tribunal",
    "lawyer": "avocat",
    "commissaire": "commissaire de justice",
    "status": "statut",
    "creditor": "créancier",
    "debtor": "débiteur",
    "template": "modèle",
    "sha256": "empreinte SHA-256",
    "total": "montant total",
    "count": "nombre d'échéances",
    "law_data": "version des données juridiques",
    "disputed": "contestée",
    "dispute_reason": "motif de la contestation",
    "disputed_on": "contestée le",
    "cases_examined": "dossiers en cours examinés",
    "cases_recomputed": "dossiers recalculés",
    "level": "niveau de relance",
    "level_label": "relance",
    "channel": "canal",
    "scenario": "scénario de relance",
    "recipient": "destinataire",
    "message": "message",
    "outcome": "résultat",
    "tracking": "numéro d'envoi",
    "retry_on": "nouvel essai automatique le",
    "registered": "lettre recommandée",
    "promised_for": "date promise",
    "made_on": "promesse faite le",
    "made_by": "auteur de la promesse",
}
MONEY = frozenset({"amount", "paid", "total"})
SKIPPED = frozenset({"case", "case_id", "piece_id", "at", "by", "details"})
USER_LABELS: dict[str, str] = {
    **users.FIELD_LABELS,
    "name": "identifiant",
    "role": "rôle",
    "token": "jeton d'accès à l'API",
    "active": "compte actif",
    "password": "mot de passe",
    "sessions_closed": "sessions fermées",
    "tokens_revoked": "jetons d'accès révoqués",
    "feeds_revoked": "abonnements au calendrier révoqués",
}
OTHER_LABELS: dict[str, str] = {
    **{k: v for k, v in courts.LABELS.items() if k != "name"},
    "court_id": "juridiction",
    "handed_over_on": "transmis le",
    "carried": "repris de la phase amiable",
    "invoices": "factures",
    "pieces": "pièces",
    "mise_en_demeure": "mise en demeure",
    "phase": "phase",
    "piece": "pièce",
    "sha256": "empreinte SHA-256",
    "profile": "profil Factur-X",
    "claim_id": "facture enregistrée",
    "detail": "détail",
    "semester": "semestre",
    "value": "valeur",
    "source": "source",
}
# Fields of an entry that only repeat what its sentence says (the rate's parameter and column,
# the file it was written to).
_FEED_FIELDS = frozenset(
    {"id", "kind", "subject", "label", "created_by", "created_at", "last_used", "revoked"}
)
"""A calendar subscription's record: its sentence says which calendar (`_feed_phrase`)."""
HIDDEN: dict[str, frozenset[str]] = {
    "rate.record": frozenset({"parameter", "field", "file"}),
    "feed.issue": _FEED_FIELDS,
    "feed.revoke": _FEED_FIELDS,
}
ACTIONS: dict[str, str] = {
    "case.create": "a ouvert le dossier {case}",
    "case.assign": "a attribué le dossier {case}",
    "party.edit": "a modifié le {role} du dossier {case}",
    "claim.add": "a ajouté la facture {invoice} au dossier {case}",
    "claim.edit": "a corrigé la facture {invoice} du dossier {case}",
    "claim.delete": "a retiré la facture {invoice} du dossier {case}",
    "claim.dispute": "a modifié la contestation de la facture {invoice} du dossier {case}",
    "payment.add": "a enregistré un paiement de {amount} sur le dossier {case}",
    "payment.edit": "a corrigé un paiement du dossier {case}",
    "payment.delete": "a retiré un paiement de {amount} du dossier {case}",
    "event.add": "a enregistré « {event} » dans le dossier {case}",
    "event.edit": "a corrigé « {event} » dans le dossier {case}",
    "event.delete": "a retiré « {event} » du dossier {case}",
    "plan.create": "a accordé un échéancier sur le dossier {case}",
    "bundle.download": "a téléchargé le bordereau et les pièces du dossier {case}",
    "dossier.download": "a téléchargé le dossier de plaidoirie (PDF) du dossier {case}",
    "document.create": "a généré un document pour le dossier {case}",
    "document.download": "a téléchargé un document du dossier {case}",
    "claims.import": "a importé des factures",
    "user.create": "a créé l'utilisateur {name}",
    # An installation without an active administrator gets one back (services.users.add_user).
    "user.recover": "a créé l'administrateur {name}",
    "token.create": "a créé un jeton d'accès à l'API",
    "token.revoke": "a révoqué un jeton d'accès à l'API",
    "feed.issue": "a créé une adresse d'abonnement au calendrier{feed}",
    "feed.revoke": "a révoqué une adresse d'abonnement au calendrier{feed}",
    "law.apply": "a appliqué un changement des règles de droit",
    "dunning.email": "a envoyé par e-mail « {level} » au débiteur du dossier {case}",
    "dunning.email_failed": "n'a pas pu envoyer par e-mail « {level} » au débiteur du dossier {case}",
    "dunning.letter": "a préparé le courrier « {level} » du dossier {case} (à envoyer)",
    "dunning.letter_failed": "n'a pas pu préparer le courrier « {level} » du dossier {case}",
    "dunning.letter_sent": "a marqué envoyé le courrier « {level} » du dossier {case}",
    "dunning.call_task": "a ajouté « {level} » du dossier {case} aux appels à passer",
    "dunning.call": "a noté le résultat de l'appel « {level} » du dossier {case}",
    "dunning.cancel": "a annulé « {level} » du dossier {case} (relances arrêtées)",
    "dunning.retry": "a retiré l'action en échec « {level} » du dossier {case} pour la réessayer",
    "dunning.regenerate": "a fait régénérer le courrier « {level} » du dossier {case}",
    "promise.add": "a enregistré une promesse de paiement de {amount} sur le dossier {case}",
    "promise.cancel": "a annulé une promesse de paiement de {amount} du dossier {case}",
    "promise.kept": "a constaté que la promesse de paiement de {amount} du dossier {case} est tenue",
    "promise.broken": "a constaté que la promesse de paiement de {amount} du dossier {case} est rompue",
    "case.court": "a choisi la juridiction du dossier {case}",
    "case.handover": "a transmis le dossier {case} au contentieux",
    "court.add": "a ajouté la juridiction « {name} »",
    "court.edit": "a modifié la juridiction {court}",
    "facturx.accept": "a accepté la facture électronique {invoice} du dossier {case}",
    "rate.record": "a enregistré le {rate}",
    "user.edit": "a modifié le compte utilisateur n° {number}",
    "user.deactivate": "a désactivé le compte utilisateur n° {number}",
    "user.reactivate": "a réactivé le compte utilisateur n° {number}",
    INTEGRITY_INCIDENT: "a demandé un fichier dont le contenu ne correspond plus à son empreinte "
    "SHA-256 : téléchargement refusé",
}
PIECE_ACTIONS = {
    "add": "a ajouté une pièce au dossier {case}",
    "replace": "a remplacé une pièce du dossier {case}",
    "withdraw": "a retiré une pièce du dossier {case}",
    "download": "a téléchargé une pièce du dossier {case}",
    # The actions of the pièces' own history (`PieceEvent.action`, store/pieces.py).
    "added": "a ajouté une pièce au dossier {case}",
    "versioned": "a déposé une nouvelle version d'une pièce du dossier {case}",
    "renumbered": "a renuméroté les pièces du dossier {case}",
    "deleted": "a retiré une pièce du dossier {case}",
    "edited": "a corrigé la pièce {piece} du dossier {case}",
    "repaired": "a déposé à nouveau l'original d'une pièce altérée du dossier {case} : sa "
    "copie stockée est réparée",
}


PIECE_LABELS: dict[str, str] = {
    "kind": "nature",
    "date": "date de la pièce",
    "description": "désignation",
}
"""The fields of a pièce a correction changes (`piece.edited`)."""


class FieldChange(msgspec.Struct, frozen=True):
    """One field of a change: its French label and both values as a person reads them."""

    field: str
    label: str
    before: str
    after: str


class AuditLine(msgspec.Struct, frozen=True):
    """One entry of the trail: `sentence` says who did what; `changes` the fields before and
    after; `deadlines` what it did to the deadlines; `before`/`after` the stored record."""

    id: int
    at: str
    when: str  # "lundi 30 novembre 2026 à 4 h 05" (Paris time)
    actor: str
    action: str
    entity: str
    entity_id: str
    case_id: int | None
    case_reference: str | None
    sentence: str
    reason: str | None
    changes: list[FieldChange] = []
    deadlines: list[str] = []
    warnings: list[str] = []
    before: dict[str, Any] | None = None
    after: dict[str, Any] | None = None


def _value(name: str, value: Any, department: Any = None) -> str:
    """`value` of the field `name` in French (`department`: the court's, beside a `court`)."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "oui" if value else "non"
    if name in MONEY:
        try:
            return amount_fr(Decimal(str(value)))
        except (InvalidOperation, InputError):
            return str(value)
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            return date_fr(value)
        except InputError:
            return value
    if isinstance(value, Mapping):
        return (
            ", ".join(
                f"{FIELD_LABELS.get(k) or OTHER_LABELS.get(k) or humanise(k)} : {_value(k, v)}"
                for k, v in value.items()
            )
            or "—"
        )
    if name == "siren" and isinstance(value, str) and len(value) == 9 and value.isdigit():
        return siren_fr(value)
    if name == "siret" and isinstance(value, str) and len(value) == 14 and value.isdigit():
        return siret_fr(value)
    if name == "category":
        return parties.CATEGORIES.get(str(value), str(value))
    if name == "person_or_company":
        return parties.PERSON_OR_COMPANY.get(str(value), str(value))
    if name == "residence":
        return residence_fr(str(value))
    if name == "court" or (name == "kind" and str(value) in COURT_KINDS):
        local = None
        if name == "court" and department:
            local = engine().territories.court_label(str(value), department)
        return local or COURT_KINDS.get(str(value)) or court_fr(str(value))
    if name == "role" and str(value) in ROLES:
        return ROLES[str(value)]
    if name == "phase":
        return label(PHASES, str(value))
    if name == "semester":
        try:
            return semester_fr(semester_start(str(value)))
        except ValueError:
            return str(value)
    if name in ("court_id", "claim_id", "piece"):
        return f"n° {value}"
    if name == "value":  # a recorded rate, in percent: "3,15 %" (its digits as recorded)
        try:
            rate = Decimal(str(value))
        except InvalidOperation:
            return str(value)
        if rate.is_finite():
            return f"{format(rate, 'f').replace('.', ',').replace('-', '−')}{NBSP}%"
    if name == "template":
        spec = load_manifest().templates.get(str(value))
        return spec.title if spec is not None else humanise(str(value))
    if name == "supply":
        return claims.SUPPLIES.get(str(value), str(value))
    if name in ("status", "channel") and str(value) in DUNNING_VALUES:
        return DUNNING_VALUES[str(value)]
    if name == "status" and str(value) in CASE_STATUSES:
        return CASE_STATUSES[str(value)]
    return str(value)


LABELS_BY_KIND: dict[str, Mapping[str, str]] = {
    "party": parties.LABELS,
    "claim": claims.LABELS,
    "payment": payments.LABELS,
    "user": USER_LABELS,
    "court": {**FIELD_LABELS, **courts.LABELS},
}


def field_changes(
    before: Mapping[str, Any] | None,
    after: Mapping[str, Any] | None,
    labels: Mapping[str, str] = FIELD_LABELS,
    hidden: frozenset[str] = frozenset(),
) -> list[FieldChange]:
    """Each field present on either side (and not the change's own metadata, nor `hidden`),
    with its French label and both values formatted; fields equal on both sides are left out.
    A user's `role` is a field of the account, not metadata."""
    before = before or {}
    after = after or {}
    meta = META - {"role"} if labels is USER_LABELS else META
    out = []
    for name in dict.fromkeys([*before, *after]):
        if name in meta or name in hidden or name in SKIPPED:
            continue
        old, new = before.get(name), after.get(name)
        if name in before and name in after and old == new:
            continue
        out.append(
            FieldChange(
                name,
                labels.get(name)
                or FIELD_LABELS.get(name)
                or OTHER_LABELS.get(name)
                or humanise(name),
                _value(name, old, before.get("court_department")) if name in before else "—",
                _value(name, new, after.get("court_department")) if name in after else "—",
            )
        )
    return out


def _deadline_lines(changes: Mapping[str, Any] | None, labels: Mapping[str, str]) -> list[str]:
    if not changes:
        return []
    lines = [f"délai ajouté : {labels.get(k, k)}" for k in changes.get("added", [])]
    lines += [
        f"délai déplacé : {labels.get(m['key'], m['key'])}, du {_value('date', m['from'])} "
        f"au {_value('date', m['to'])}"
        for m in changes.get("moved", [])
    ]
    lines += [f"délai supprimé : {labels.get(k, k)}" for k in changes.get("removed", [])]
    return lines


def _rate_label(values: Mapping[str, Any]) -> str:
    """'taux de l'intérêt légal — tous les autres cas du second semestre 2026'-like wording of a
    recorded rate: its kind's label (services.rates) and semester."""
    kind = next(
        (
            k
            for k, (parameter, column) in rates.KINDS.items()
            if (parameter, column) == (values.get("parameter"), values.get("field"))
        ),
        None,
    )
    what = rates.KIND_LABELS[kind] if kind else "taux"
    semester = values.get("semester")
    if not semester:
        return what
    try:
        return f"{what} pour {semester_fr(semester_start(str(semester)))}"
    except ValueError:
        return f"{what} pour le semestre {semester}"


def _when(at: datetime) -> str:
    local = at.astimezone(PARIS)
    weekday = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
    return f"{weekday[local.weekday()]} {date_fr(local.date())} à {time_fr(local.time())}"


def _case_of(entry: Mapping[str, Any]) -> int | None:
    entity, entity_id = entry["entity"], str(entry["entity_id"])
    text = None
    if entity == "case":
        text = entity_id
    elif entity == "piece":
        text = entity_id.partition(":")[0]
    elif entity == "document" and isinstance(entry.get("after"), Mapping):
        text = str(entry["after"].get("case", ""))
    elif entity == "feed":
        feed = _feed_of(entry)
        text = str(feed.get("subject", "")) if feed.get("kind") == "case" else None
    return int(text) if text and text.isdigit() else None


def _feed_of(entry: Mapping[str, Any]) -> Mapping[str, Any]:
    """The subscription an entry of a feed records (issued: after; revoked: before)."""
    for side in ("after", "before"):
        if isinstance(entry.get(side), Mapping):
            return entry[side]  # type: ignore[no-any-return]
    return {}


FEED_OWNERS = {
    "lawyer": ("échéances", "avocat"),
    "commissaire": ("actes", "commissaire de justice"),
}


def _feed_phrase(
    feed: Mapping[str, Any], reference: str | None, people: Mapping[str, str] | None
) -> str:
    """« du dossier DEMO-004 », « des actes de Maître Anne Klein (commissaire de justice) »."""
    kind, subject = feed.get("kind"), str(feed.get("subject", ""))
    if kind == "case":
        return f" du dossier {reference or f'n° {subject}'}"
    if kind in FEED_OWNERS:
        what, role = FEED_OWNERS[str(kind)]
        return f" des {what} de {(people or {}).get(subject, subject)} ({role})"
    return ""


def describe(
    entry: Mapping[str, Any],
    references: Mapping[int, str],
    procedures: Mapping[int, str],
    people: Mapping[str, str] | None = None,
    court_names: Mapping[int, str] | None = None,
) -> AuditLine:
    """One entry in French; `court_names` (the recorded courts' names by id) names the court
    an entry points to, which otherwise shows as its number."""
    before = entry.get("before") if isinstance(entry.get("before"), Mapping) else None
    after = entry.get("after") if isinstance(entry.get("after"), Mapping) else None
    either: dict[str, Any] = (
        {**(after or {}), **(before or {})}
        if entry["action"].endswith("delete")
        else {**(before or {}), **(after or {})}
    )
    case_id = _case_of(entry)
    reference = references.get(case_id) if case_id is not None else None
    labels: dict[str, str] = {}
    attributes: dict[str, Any] = {}
    procedure_key = procedures.get(case_id) if case_id is not None else None
    if procedure_key:
        try:
            procedure = engine().procedure(procedure_key)
        except CasefileError:  # a procedure gone from the definitions: keys stay readable
            procedure = None
        if procedure is not None:
            labels = {k: e.label for k, e in procedure.events.items()}
            labels |= {d.key: d.label for d in procedure.deadlines}
            attributes = {
                a.key: a for e in procedure.events.values() for a in (e.attributes or {}).values()
            }
    before, after = _readable(before, attributes), _readable(after, attributes)
    action = str(entry["action"])
    template = ACTIONS.get(action)
    if action.startswith("piece."):
        template = PIECE_ACTIONS.get(action.partition(".")[2])
    values = {
        "case": reference or (f"n° {case_id}" if case_id is not None else ""),
        "role": ROLE_NAMES.get(str(either.get("role")), "partie"),
        "invoice": either.get("invoice_number") or "",
        "amount": _value("amount", either.get("amount")),
        "event": labels.get(str(either.get("key")), str(either.get("key", "")).replace("_", " ")),
        "name": either.get("name") or entry["entity_id"],
        "level": either.get("level_label") or either.get("level") or "",
        "number": entry["entity_id"],
        "rate": _rate_label(either),
        "court": _court_name(entry["entity_id"], court_names),
        "piece": _piece_number(after),
        "feed": _feed_phrase(_feed_of(entry), reference, people)
        if entry["entity"] == "feed"
        else "",
    }
    what = (
        template.format(**values)
        if template
        else f"a effectué l'action « {action} » ({entry['entity']} {entry['entity_id']})"
    )
    reason = (after or {}).get("reason") or (before or {}).get("reason")
    who = str(entry["actor"])
    sentence = f"{(people or {}).get(who, who)} {what}"
    if action.startswith("event.") and action != "event.delete" and after and after.get("date"):
        sentence += f", à la date du {_value('date', after['date'])}"
    sentence += f" (motif : {reason})." if reason else "."
    kind_labels = LABELS_BY_KIND.get(action.partition(".")[0], FIELD_LABELS)
    if action == "piece.edited":
        # Its before/after are in the pièce event's details (store/pieces.py).
        details = (after or {}).get("details") or {}
        changes = field_changes(
            _piece_kinds(details.get("before")), _piece_kinds(details.get("after")), PIECE_LABELS
        )
    elif action.startswith("piece."):
        changes = []
    else:
        changes = field_changes(before, after, kind_labels, HIDDEN.get(action, frozenset()))
    if court_names:
        changes = [
            msgspec.structs.replace(
                c,
                before=_court_name(before.get("court_id"), court_names) if before else "—",
                after=_court_name(after.get("court_id"), court_names) if after else "—",
            )
            if c.field == "court_id"
            else c
            for c in changes
        ]
    at = entry["at"] if isinstance(entry["at"], datetime) else datetime.fromisoformat(entry["at"])
    return AuditLine(
        id=int(entry["id"]),
        at=at.isoformat(),
        when=_when(at),
        actor=str(entry["actor"]),
        action=action,
        entity=str(entry["entity"]),
        entity_id=str(entry["entity_id"]),
        case_id=case_id,
        case_reference=reference,
        sentence=sentence,
        reason=str(reason) if reason else None,
        changes=changes,
        deadlines=_deadline_lines((after or {}).get("changes"), labels),
        warnings=list((after or {}).get("warnings") or []),
        before=before,
        after=after,
    )


def _piece_kinds(values: Mapping[str, Any] | None) -> Mapping[str, Any] | None:
    """A corrected pièce's values with its nature worded (« Devis » for `devis`)."""
    if not values or "kind" not in values:
        return values
    kind = values["kind"]
    return {**values, "kind": PIECE_KIND_LABELS.get(str(kind), kind)}


def _piece_number(after: Mapping[str, Any] | None) -> str:
    """« n° 3 » for a pièce event that names its number (else « »)."""
    details = (after or {}).get("details")
    number = details.get("number") if isinstance(details, Mapping) else None
    return f"n° {number}" if number is not None else ""


def _court_name(court_id: object, names: Mapping[int, str] | None) -> str:
    """« Tribunal judiciaire de Lyon » for a recorded court; "n° 4" for one no longer found."""
    if court_id is None or court_id == "":
        return "—"
    number = int(str(court_id)) if str(court_id).isdigit() else None
    name = (names or {}).get(number) if number is not None else None
    return f"« {name} »" if name else f"n° {court_id}"


def _court_ids(entry: Mapping[str, Any]) -> set[int]:
    ids = set()
    for side in (entry.get("before"), entry.get("after")):
        if isinstance(side, Mapping) and str(side.get("court_id", "")).isdigit():
            ids.add(int(side["court_id"]))
    if entry["entity"] == "court" and str(entry["entity_id"]).isdigit():
        ids.add(int(entry["entity_id"]))
    return ids


def _readable(
    record: Mapping[str, Any] | None, attributes: Mapping[str, Any]
) -> dict[str, Any] | None:
    """The stored record with its keys a person reads: an event's attributes under their
    labels (periods in French), the procedure under its title."""
    if record is None:
        return None
    out = dict(record)
    if isinstance(out.get("attributes"), Mapping):
        shown: dict[str, str] = {}
        for key, value in out["attributes"].items():
            definition = attributes.get(key)
            label = definition.label if definition is not None else key.replace("_", " ")
            if definition is not None and definition.type == "period":
                try:
                    shown[label] = period_fr(str(value))
                except (CasefileError, ValueError):
                    shown[label] = str(value)
            elif definition is not None and definition.type == "choice":
                shown[label] = choice_label(definition, str(value))
            else:
                shown[label] = _value(key, value)
        out["attributes"] = shown
    if isinstance(out.get("procedure"), str):
        with suppress(CasefileError):
            out["procedure"] = engine().procedure(out["procedure"]).title
    return out


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=PARIS)


async def trail(
    actor: User,
    case: int | str | None = None,
    user: str | None = None,
    since: date | None = None,
    until: date | None = None,
    entity: str | None = None,
    limit: int = 100,
    before_id: int | None = None,
) -> list[AuditLine]:
    """The readable entries, newest first; `since` and `until` are days (Paris), inclusive."""
    case_id = None
    if case is not None and str(case).strip():
        case_id = int((await resolve_case(case, actor))["id"])
    if since and until and until < since:
        raise InputError(
            f"période : le {date_fr(until)} précède le {date_fr(since)} (dates inversées)"
        )
    entries = await audit.list_entries(
        actor,
        limit=limit,
        entity=entity,
        case_id=case_id,
        actor_name=user.strip() if user and user.strip() else None,
        since=_day_start(since) if since else None,
        until=_day_start(until + timedelta(days=1)) if until else None,
        before_id=before_id,
    )
    ids = {c for c in (_case_of(e) for e in entries) if c is not None}
    references, procedures = await _cases_of(ids)
    from casefile.services.users import people_names

    feed_owners = [str(_feed_of(e).get("subject", "")) for e in entries if e["entity"] == "feed"]
    people = await people_names([*(str(e["actor"]) for e in entries), *feed_owners])
    court_names = await _court_names(set().union(*(_court_ids(e) for e in entries)))
    return [describe(e, references, procedures, people, court_names) for e in entries]


async def _court_names(ids: Iterable[int]) -> dict[int, str]:
    """The name of each recorded court (a court deleted since keeps its number)."""
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    rows = await Court.select(Court.id, Court.name).where(Court.id.is_in(wanted))
    return {row["id"]: row["name"] for row in rows}


async def _cases_of(ids: Iterable[int]) -> tuple[dict[int, str], dict[int, str]]:
    """The reference and the procedure key of each case."""
    references: dict[int, str] = {}
    procedures: dict[int, str] = {}
    wanted = sorted(set(ids))
    if wanted:
        for row in await Case.select(Case.id, Case.reference, Case.procedure).where(
            Case.id.is_in(wanted)
        ):
            references[row["id"]] = row["reference"]
            procedures[row["id"]] = row["procedure"]
    return references, procedures


async def actors(actor: User) -> Sequence[str]:
    """The names that appear in the trail, for the filter's list."""
    require(actor, "audit.read")
    rows = await AuditEntry.select(AuditEntry.actor_name).distinct().order_by(AuditEntry.actor_name)
    return [r["actor_name"] for r in rows]
