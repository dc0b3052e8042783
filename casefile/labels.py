"""French words for what a person reads: every key, unit and value shown on a page or in an
export goes through here (issue 12 item 6). Pure: no I/O, no clock.

Keys come from the definitions (courts, actors, events, deadlines) and from the store (roles,
statuses, party kinds). A key without a label is shown humanised ("mise_en_demeure" →
"mise en demeure") rather than raw, so a new key never leaks an identifier into a page.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime, time
from decimal import Decimal
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from babel.dates import format_date

from casefile.documents.formatting import amount_fr, date_fr
from casefile.errors import InputError
from casefile.law import wording
from casefile.law.periods import Period

if TYPE_CHECKING:
    from casefile.law.territories import Territories

COURTS: Mapping[str, str] = {
    "tribunal_judiciaire": "tribunal judiciaire",
    "tribunal_de_commerce": "tribunal de commerce",
    "tribunal_de_proximite": "tribunal de proximité",
    "commissaire_de_justice": "commissaire de justice",
    "tribunal_mixte_de_commerce": "tribunal mixte de commerce",
}
ACTORS: Mapping[str, str] = {
    "creancier": "créancier",
    "avocat": "avocat",
    "commissaire_de_justice": "commissaire de justice",
    "debiteur": "débiteur",
    "greffe": "greffe",
    "juge": "juge",
}
# Whose deadline it is, seen from the creditor's side (the users of casefile).
OUR_SIDE = frozenset({"creancier", "avocat", "commissaire_de_justice"})
ROLES: Mapping[str, str] = {
    "admin": "administrateur",
    "avocat": "avocat",
    "credit_manager": "credit manager",
    "commissaire_de_justice": "commissaire de justice",
    "lecteur": "lecteur",
}
DEADLINE_STATUSES: Mapping[str, str] = {
    "pending": "à venir",
    "done": "accompli",
    "missed": "dépassé",
    "moot": "sans objet",
    "uncertain": "incertain",
}
CASE_STATUSES: Mapping[str, str] = {
    "open": "en cours",
    "closed": "clos",
    "archived": "archivé",
    "suspended": "suspendu",
}
# The phase of a case (issue 17 item 3): `casefile.store.tables.Case.phase`.
PHASES: Mapping[str, str] = {
    "amiable": "phase amiable",
    "contentieux": "contentieux",
}
PARTY_KINDS: Mapping[str, str] = {
    "professionnel": "professionnel",
    "consommateur": "consommateur",
    "commercant": "commerçant",
}
PARTY_CATEGORIES: Mapping[str, str] = {
    "societe": "société",
    "entrepreneur_individuel": "entrepreneur individuel",
    "profession_liberale": "profession libérale",
    "association": "association",
    "consommateur": "particulier (consommateur)",
    "personne_publique": "personne publique",
}
PERSON_OR_COMPANY: Mapping[str, str] = {"personne": "personne physique", "societe": "société"}
SUPPLIES: Mapping[str, str] = {
    "marchandises": "fourniture de marchandises",
    "services": "prestation de services",
    "travaux": "travaux",
}
CLAIM_NATURES: Mapping[str, str] = {
    "contractuelle": "contractuelle",
    "statutaire": "statutaire",
    "delictuelle": "délictuelle",
}
INTEREST_REGIMES: Mapping[str, str] = {
    "L441-10": "pénalités de retard entre professionnels (C. com. art. L441-10)",
    "taux_legal": "intérêts au taux légal (C. civ. art. 1231-6, C. mon. fin. art. L313-2)",
    "none": "aucun intérêt ne court encore (ni pénalités entre professionnels, ni mise en "
    "demeure enregistrée)",
}
PROCEDURES: Mapping[str, str] = {
    "amiable": "Phase amiable",
    "petites_creances": "Procédure simplifiée de recouvrement des petites créances",
    "injonction_de_payer": "Injonction de payer",
    "refere_provision": "Référé-provision",
    "assignation_paiement": "Assignation en paiement",
}
INSTALMENT_STATUSES: Mapping[str, str] = {
    "paid": "payée",
    "paid_late": "payée en retard",
    "pending": "à venir",
    "missed": "impayée",
}
# What each permission (`casefile.store.permissions.ACTIONS`) lets a role do, for the 403.
PERMISSIONS: Mapping[str, str] = {
    "case.read": "consulter les dossiers",
    "case.write": "créer ou modifier un dossier",
    "case.delete": "supprimer un dossier",
    "case.assign": "attribuer un dossier à un avocat ou à un commissaire de justice",
    "claim.write": "enregistrer ou modifier une facture",
    "payment.write": "enregistrer ou modifier un paiement",
    "event.write": "enregistrer un événement",
    "event.write_signification": "enregistrer une signification ou un acte de commissaire de justice",
    "evidence.read": "consulter les pièces",
    "evidence.write": "ajouter une pièce ou corriger sa nature, sa date et sa désignation",
    "evidence.delete": "retirer une pièce",
    "document.read": "consulter les documents",
    "document.write": "générer un document",
    "user.list": "voir la liste des utilisateurs",
    "user.admin": "gérer les utilisateurs",
    "audit.read": "consulter le journal d'audit",
    "court.admin": "gérer les juridictions",
    "law.impact": "mesurer l'effet d'un changement des règles de droit",
    "law.apply": "appliquer un changement des règles de droit",
    "jobs.read": "consulter les tâches de fond",
}
FEED_KINDS: Mapping[str, str] = {
    "case": "dossier",
    "lawyer": "mes échéances (avocat)",
    "commissaire": "mes actes (commissaire de justice)",
}
# The values of the events' `choice` attributes (procedures/*.toml).
CHOICES: Mapping[str, str] = {
    "commercant": "commerçant",
    "non_commercant": "professionnel non commerçant",
    "particulier": "particulier",
    "professionnel": "professionnel",
    "consommateur": "consommateur",
}
YES_NO = {True: "oui", False: "non"}
ABROAD = "etranger"

_UNITS = (("an", "ans"), ("mois", "mois"), ("jour", "jours"))
_EN_PERIOD = re.compile(
    r"-?\b\d+ (?:years?|months?|days?)\b(?: (?:and )?\d+ (?:years?|months?|days?)\b)*"
)
_RAW_AMOUNT = re.compile(r"(?<![\d,.])(\d+\.\d{2}) ?€")


def humanise(key: str) -> str:
    """The fallback for a key with no label: words, not an identifier."""
    return key.replace("_", " ").strip()


def label(table: Mapping[str, str], key: str | None, empty: str = "—") -> str:
    if key is None or key == "":
        return empty
    return table.get(key) or humanise(str(key))


def court_fr(
    key: str | None, department: str | None = None, territories: Territories | None = None
) -> str:
    """A court kind in French; given the court's `department` and the law data's
    `territories`, the name that territory gives it (`calendars/territories.toml`: in
    Alsace-Moselle the tribunal de commerce is the chambre commerciale of the tribunal
    judiciaire)."""
    if territories is not None and department:
        local = territories.court_label(key, department)
        if local:
            return local
    return label(COURTS, key, "juridiction non précisée")


def actor_fr(key: str | None) -> str:
    return label(ACTORS, key)


def is_our_side(actor: str | None) -> bool:
    return actor in OUR_SIDE


def period_fr(value: str | Period | None) -> str:
    """'1 month' → '1 mois', '15 days' → '15 jours', '-15 days' → '15 jours avant'."""
    if value is None or value == "":
        return "—"
    return wording.period_fr(value if isinstance(value, Period) else Period.parse(str(value)))


def size_fr(size: int | None) -> str:
    """12 493 → '12,2 Ko' (1 Ko = 1 024 octets, as file managers show them)."""
    if size is None:
        return "—"
    if size < 1024:
        return f"{size} octet{'s' if size > 1 else ''}"
    value = Decimal(size) / 1024
    for unit in ("Ko", "Mo", "Go"):
        if value < 1024 or unit == "Go":
            text = f"{value.quantize(Decimal('0.1')):f}".replace(".", ",")
            return f"{text}\u00a0{unit}"
        value /= 1024
    raise AssertionError("unreachable")


def date_long_fr(value: date | str | None) -> str:
    """'lundi 7 mai 2027'; '1er' on the first of the month."""
    if value is None or value == "":
        return "—"
    day = value if isinstance(value, date) else date.fromisoformat(str(value)[:10])
    weekday = format_date(day, "EEEE", locale="fr_FR")
    return f"{weekday} {date_fr(day)}"


def amount_or_dash(value: Decimal | int | str | None) -> str:
    if value is None or value == "":
        return "—"
    return amount_fr(value)


def dates_in_text_fr(text: str | None) -> str:
    """Engine traces write ISO dates ('report au 2026-11-23') and plain amounts ('3714.56 €'):
    a page shows '23 novembre 2026' and '3 714,56 €'."""
    if not text:
        return ""
    text = wording.dates_fr_in(str(text))
    text = _EN_PERIOD.sub(lambda m: period_fr(m.group(0).replace(" and", "")), text)
    return _RAW_AMOUNT.sub(lambda m: amount_fr(m.group(1)), text)


def choice_fr(value: str | None) -> str:
    """A choice attribute's value: 'non_commercant' → 'professionnel non commerçant'."""
    return label(CHOICES, value)


def refused_fr(role: str, action: str) -> str:
    """The 403 of a role without a permission: "le rôle « lecteur » ne permet pas de créer ou
    modifier un dossier"."""
    who = f"le rôle « {label(ROLES, role)} »"
    what = PERMISSIONS.get(action)
    if what is None:
        return f"{who} ne permet pas cette action ({humanise(action)})"
    return f"{who} ne permet pas {_de(what)}"


EVENT_CHANGES: Mapping[str, str] = {"add": "enregistrer", "edit": "corriger", "delete": "retirer"}
"""The verb of a refused change of an event (`services.events`' `change`)."""


def event_label_fr(key: str, procedure: str | None = None) -> str:
    """An event's name as its procedure writes it (« Jugement rendu »); without the procedure,
    the first one defining the key; a key no procedure defines stays as it was typed."""
    from casefile.definitions import engine  # the law's data: not on every command's start

    procedures = engine().procedures
    chosen = list(procedures.values())
    if procedure is not None and procedure in procedures:
        chosen = [procedures[procedure]]
    for definition in chosen:
        if key in definition.events:
            return definition.events[key].label
    return key


def event_refused_fr(role: str, event: str, change: str = "add") -> str:
    """The 403 of an event a role may not record, correct or withdraw: « le rôle « commissaire
    de justice » ne permet pas d'enregistrer l'événement « Jugement rendu » : … »."""
    verb = EVENT_CHANGES.get(change, EVENT_CHANGES["add"])
    text = f"le rôle « {label(ROLES, role)} » ne permet pas {_de(verb)} l'événement « {event} »"
    if role == "commissaire_de_justice":
        text += (
            " : un commissaire de justice enregistre les significations et les actes de son "
            "ministère"
        )
    return text


def _de(phrase: str) -> str:
    """'de gérer…', "d'enregistrer…" (elision before a vowel)."""
    return f"d'{phrase}" if phrase[:1] in "aeéiou" else f"de {phrase}"


def residence_fr(code: str | None) -> str:
    if not code:
        return "—"
    if code == ABROAD:
        return "à l'étranger"
    return f"département {code}"


def yes_no(value: object) -> str:
    if value is None:
        return "non renseigné"
    return YES_NO.get(bool(value), "non renseigné")


# What starts a deadline of the case that no procedure defines: a promise to pay
# (store/promise_deadlines.py) and a payment plan's instalments (store/plan_deadlines.py).
CASE_STARTS: Mapping[str, str] = {
    "promesse_de_paiement": "Promesse de paiement",
    "echeancier_judiciaire": "Délais de grâce accordés par le juge",
    "echeancier_convenu": "Échéancier convenu avec le débiteur",
    "premiere_echeance": "Première échéance du plan de paiement",
}


def key_labels(procedure: object) -> dict[str, str]:
    """Event and deadline keys of a procedure → their labels (a deadline's start is either),
    and the starts of the case's promises and payment plans."""
    out: dict[str, str] = {}
    events = getattr(procedure, "events", None) or {}
    for key, event in events.items():
        out[key] = event.label
    for rule in getattr(procedure, "deadlines", ()) or ():
        out.setdefault(rule.key, rule.label)
    for key, text in CASE_STARTS.items():
        out.setdefault(key, text)
    return out


PARIS = ZoneInfo("Europe/Paris")


def paris(value: datetime) -> datetime:
    """A stored instant (UTC; a naive one is taken as UTC) in Paris time, whatever the server's
    own time zone (the deploy's containers run in UTC)."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(PARIS)


def paris_day(value: datetime | str) -> date:
    """The day a person in France reads for a stored instant (a datetime or its ISO text):
    2026-11-30T23:30Z is 1 December 2026 in Paris, not 30 November."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return paris(value).date()


def today_paris(now: datetime) -> date:
    """A person's "today" at the instant `now` (the caller owns the clock): the Paris day."""
    return paris_day(now)


def day_fr(value: datetime | str | None) -> str:
    """A stored instant's day in French, Paris time: '1er décembre 2026'; '' when none."""
    if value is None or value == "":
        return ""
    return date_fr(paris_day(value))


def moment_fr(value: datetime | None) -> str:
    """An instant as a French reader in France reads it: '30/11/2026 à 13 h 26', Paris time;
    '—' when there is none."""
    if value is None:
        return "—"
    moment = paris(value)
    return f"{moment:%d/%m/%Y} à {wording.time_fr(moment.time())}"


def month_fr(value: date) -> str:
    """'décembre 2026'."""
    return format_date(value, "MMMM y", locale="fr_FR")


def hour_fr(value: time | str | None) -> str:
    """A time of day as a French reader reads it: '9 h 30', '14 h' (from a time or the
    'HH:MM' an event stores); text that is not a time is shown as it is."""
    if value is None:
        return ""
    if isinstance(value, time):
        return wording.time_fr(value)
    try:
        return wording.time_fr(time.fromisoformat(value.strip()))
    except ValueError:
        return value


def attribute_value_fr(procedure: object, event_key: str, name: str, value: object) -> str:
    """An event attribute as a person reads it: oui/non, '8 jours', 'département 75',
    '9 h 30' (the hearing's time)."""
    if value is True or value is False:
        return yes_no(value)
    if name == "heure":
        return hour_fr(str(value))
    events = getattr(procedure, "events", None) or {}
    event = events.get(event_key)
    definition = (event.attributes or {}).get(name) if event is not None else None
    kind = getattr(definition, "type", None)
    text = str(value)
    if kind == "period":
        try:
            return period_fr(text)
        except InputError:
            return text
    if kind == "place":
        return residence_fr(text)
    if kind == "choice":
        return choice_label(definition, text)
    return text


def choice_label(definition: object, value: str) -> str:
    """A choice attribute's value as the definition labels it (« Médiation », the dispense of
    CPC art. 750-1 relied on), else the French word for it (`choice_fr`)."""
    find = getattr(definition, "choice", None)
    described = find(value) if callable(find) else None
    label_ = getattr(described, "label", None)
    return label_ if isinstance(label_, str) else choice_fr(value)


def warning_fr(procedure: object, text: str) -> str:
    """An engine warning "signification_assignation: …" with the deadline's label instead of
    its key, dates, periods and amounts in French."""
    key, sep, rest = str(text).partition(": ")
    if sep and re.fullmatch(r"[a-z0-9_]+", key):
        named = key_labels(procedure).get(key)
        if named:
            text = f"{named} : {rest}"
    return dates_in_text_fr(text)


def keys_fr(procedure: object, text: str) -> str:
    """An engine message quoting keys ("événement ordonnance_signifiee : attribut a_personne=…")
    with the labels of the procedure's events, deadlines and attributes instead (the CLI and the
    batch keep the keys a user typed; a page shows the words of its form). A key already named
    by its label ("« Signification à personne » (a_personne)") loses its parenthesis, a quoted
    key ("« ordonnance_signifiee »") becomes its quoted label, and the words of a label already
    written are left alone (the key "audience" inside "Date d'audience obtenue")."""
    names = key_labels(procedure)
    for event in (getattr(procedure, "events", None) or {}).values():
        for attribute in (event.attributes or {}).values():
            names.setdefault(attribute.key, attribute.label)
    if not names:
        return text

    def alternatives(words: Iterable[str]) -> str:
        return "|".join(map(re.escape, sorted(set(words), key=len, reverse=True)))

    keys = alternatives(names)
    # A label as written, or as a message quotes it (inner « » become “ ”).
    written = [*names.values(), *(wording.in_guillemets(n)[2:-2] for n in names.values())]
    pattern = (
        rf"« (?P<quoted>{keys}) »"
        rf"|(?P<label>{alternatives(written)})"
        rf"|(?<=») \((?P<typed>{keys})\)"
        rf"|\b(?P<bare>{keys})\b"
    )

    def named(match: re.Match[str]) -> str:
        if match["label"] is not None:
            return match[0]
        if match["typed"] is not None:
            return ""
        return wording.in_guillemets(names[match["quoted"] or match["bare"]])

    return re.sub(pattern, named, text)


def count_fr(count: int, singular: str, plural: str) -> str:
    """ "1 facture impayée", "2 factures impayées"; 0 and 1 take the singular in French
    ("0 dossier créé"), never "facture(s)"."""
    return f"{count} {singular if abs(count) < 2 else plural}"


def changes_fr(changes: Mapping[str, object]) -> tuple[str, list[str]]:
    """What recording a fact did to the case's deadlines, as a flash message reads it: a
    sentence ("2 délais ajoutés, 1 déplacé.") and one line per deadline, with its French date
    ("Nouveau délai : Délai d'opposition du débiteur — lundi 7 décembre 2026")."""

    def rows(key: str) -> list[Mapping[str, str]]:
        value = changes.get(key)
        return [row for row in value if isinstance(row, Mapping)] if isinstance(value, list) else []

    def what(row: Mapping[str, str]) -> str:
        return row.get("label") or humanise(row.get("key", ""))

    added, moved, removed = rows("added"), rows("moved"), rows("removed")
    lines = [f"Nouveau délai : {what(d)} — {date_long_fr(d.get('due'))}" for d in added]
    lines += [
        f"Délai déplacé : {what(m)} — du {date_fr(m['from'])} au {date_long_fr(m.get('to'))}"
        for m in moved
        if m.get("from")
    ]
    lines += [
        f"Délai supprimé : {what(d)} (il était au {date_fr(d['due'])})"
        for d in removed
        if d.get("due")
    ]
    parts = [
        count_fr(len(added), "délai ajouté", "délais ajoutés") if added else "",
        count_fr(len(moved), "délai déplacé", "délais déplacés") if moved else "",
        count_fr(len(removed), "délai supprimé", "délais supprimés") if removed else "",
    ]
    summary = ", ".join(p for p in parts if p)
    return (summary[0].upper() + summary[1:] + "." if summary else "Aucun délai modifié."), lines


def lateness_fr(deadline: Mapping[str, object] | None) -> str:
    """' (dépassé)' for one of our deadlines whose day passed without the act, ' (expiré)' for
    the other party's (its period ran out: often the signal of our next step); '' otherwise."""
    if not deadline or deadline.get("status") != "missed":
        return ""
    actor = deadline.get("actor")
    return " (dépassé)" if is_our_side(actor if isinstance(actor, str) else None) else " (expiré)"
