"""What a pleading is built from: plain typed values, and one context builder per document kind.

The database layer fills `CaseDocumentData`; nothing here reads a database, a file or the clock.
Each `build_context_<kind>` returns a flat dict of pre-formatted strings (and lists of rows of
strings), so a template only places text: the logic a lawyer should not have to read in Word
lives here, in Python, tested.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, time
from decimal import Decimal
from typing import Literal

from casefile.documents.formatting import (
    amount_fr,
    amount_in_words,
    date_fr,
    party_designation,
    party_identification,
    party_letterhead,
    party_name,
    party_salutation,
    party_signatory,
    percent_fr,
    siren_fr,
    time_fr,
)
from casefile.documents.manifest import load_manifest
from casefile.errors import InputError
from casefile.law.parties import Standing, court_label, late_payment, standing
from casefile.law.wording import day_fr, labelled_list, quoted

CourtKind = Literal["tribunal_judiciaire", "tribunal_de_commerce"]
COURT_KINDS: tuple[CourtKind, ...] = ("tribunal_judiciaire", "tribunal_de_commerce")


PLACEHOLDER_CIVILITY = "[Madame ou Monsieur à compléter]"


@dataclass(frozen=True, slots=True)
class Person:
    """A natural person: a consumer, a sole trader or a liberal profession (`category`)."""

    civility: Literal["Monsieur", "Madame"] | None  # None: not recorded, written as a placeholder
    first_name: str
    last_name: str
    address: str
    professional: bool = False  # derived from `category` by the store; kept for callers
    category: str = ""  # casefile.law.parties categories; "" → consommateur / sole trader
    siren: str | None = None
    trade_name: str | None = None  # a sole trader's nom commercial

    def __post_init__(self) -> None:
        if self.siren is not None:
            _check_siren(self.first_name + " " + self.last_name, self.siren)

    @property
    def party_category(self) -> str:
        if self.category:
            return self.category
        return "entrepreneur_individuel" if self.professional else "consommateur"

    @property
    def legal_form(self) -> None:
        return None


@dataclass(frozen=True, slots=True)
class Company:
    name: str
    legal_form: str | None  # "SAS", "SARL", "SA"…; None: not recorded
    share_capital: Decimal | None
    rcs_city: str | None  # None: not registered (association…): the SIREN is given instead
    siren: str | None
    address: str
    representative: str | None = None  # "son président, Monsieur Paul Weber"
    category: str = "societe"  # societe | association | personne_publique

    @property
    def professional(self) -> bool:
        return True

    @property
    def party_category(self) -> str:
        return self.category or "societe"

    def __post_init__(self) -> None:
        if self.siren is not None:
            _check_siren(self.name, self.siren)


Party = Person | Company


def _check_siren(name: str, siren: str) -> None:
    digits = siren.replace(" ", "")
    if len(digits) != 9 or not digits.isdigit() or not _luhn_ok(digits):
        raise InputError(
            f"SIREN de « {name} » : {quoted(siren)} n'est pas un numéro de 9 chiffres à clé valide"
        )


def _luhn_ok(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        d = int(char) * (2 if index % 2 else 1)
        total += d - 9 if d > 9 else d
    return total % 10 == 0


@dataclass(frozen=True, slots=True)
class Court:
    kind: CourtKind  # procedural kind (the chambre commerciale of Alsace-Moselle: commerce)
    name: str  # "Tribunal judiciaire de Strasbourg", "… (chambre commerciale)"
    address: str
    email: str | None = None  # the greffe's

    def __post_init__(self) -> None:
        if self.kind not in COURT_KINDS:
            raise InputError(
                f"type de juridiction inconnu {quoted(self.kind)} ; attendu : "
                f"{labelled_list((court_label(kind, None), kind) for kind in COURT_KINDS)}"
            )


@dataclass(frozen=True, slots=True)
class InvoiceLine:
    number: str
    issue_date: date
    due_date: date
    amount: Decimal
    paid: Decimal = Decimal("0")
    supply: str | None = None  # marchandises | services | travaux; None: not recorded
    # Nothing owed on it any more (principal, interest, indemnity): only the décompte lists it
    # (it keeps the trace of what was paid); a letter or a pleading claims the others.
    settled: bool = False

    @property
    def balance(self) -> Decimal:
        return self.amount - self.paid


@dataclass(frozen=True, slots=True)
class InterestPeriod:
    """One line of the interest computation (from `casefile.law.claims`), already computed."""

    invoice_number: str
    start: date
    end: date
    base: Decimal
    rate_percent: Decimal
    days: int
    amount: Decimal


@dataclass(frozen=True, slots=True)
class ClaimSummary:
    """Totals as of `as_of`; the arithmetic belongs to `casefile.law.claims`, not here."""

    principal: Decimal
    interest: Decimal
    indemnities: Decimal  # the 40 € recovery indemnities (C. com. D441-5)
    costs: Decimal
    total: Decimal
    as_of: date
    interest_periods: tuple[InterestPeriod, ...] = ()

    def __post_init__(self) -> None:
        expected = self.principal + self.interest + self.indemnities + self.costs
        if expected != self.total:
            raise InputError(
                f"total de la créance ({self.total} €) différent de principal + intérêts + "
                f"indemnités + frais ({expected} €)"
            )


@dataclass(frozen=True, slots=True)
class Piece:
    number: int
    kind: str  # "facture", "contrat", "mise_en_demeure"…
    description: str
    date: date | None


@dataclass(frozen=True, slots=True)
class ReminderLine:
    """A reminder of the amicable phase carried out (issue 17 items 1 and 3)."""

    date: date
    channel: str  # in French: "e-mail", "courrier", "lettre recommandée avec AR", "appel…"
    label: str  # the scenario's level ("Premier rappel")


@dataclass(frozen=True, slots=True)
class DeadlineLine:
    label: str
    due: date
    basis: str  # "CPC art. 1416"
    key: str = ""  # the deadline's key in its procedure ("opposition")


@dataclass(frozen=True, slots=True)
class AmicableAttempt:
    """The prior amicable attempt recorded on the case (CPC art. 750-1), or the dispense relied
    on: the event of the procedure's `eligibility.amicable_attempt_event`, its attributes as
    recorded (choice keys of the definition; None when not given)."""

    date: date
    mode: str | None = None  # conciliation | mediation | procedure_participative
    dispense: str | None = None  # a dispense of the definition (urgence_manifeste…)


@dataclass(frozen=True, slots=True)
class CaseDocumentData:
    reference: str
    procedure: str
    creditor: Party
    debtor: Party
    court: Court
    lawyer_name: str
    commissaire_name: str
    claim: ClaimSummary
    place: str
    document_date: date
    invoices: tuple[InvoiceLine, ...] = ()
    pieces: tuple[Piece, ...] = ()
    deadlines: tuple[DeadlineLine, ...] = ()
    hearing_date: date | None = None
    hearing_time: time | None = None
    ordonnance_date: date | None = None
    service_date: date | None = None  # the ordonnance served on the debtor (its latest act)
    payment_deadline: date | None = None  # the date the mise en demeure gives to pay
    notice_date: date | None = None  # the mise en demeure sent (C. civ. 1344), if recorded
    provisional_note: str | None = None  # a rate is missing: the statement is provisional
    reminders: tuple[ReminderLine, ...] = ()  # the amicable reminders carried out, by date
    handed_over_on: date | None = None  # the day the amicable file went to litigation
    # The earliest due date of the invoices set apart as not yet due on the document date.
    first_due: date | None = None
    amicable_attempt: AmicableAttempt | None = None  # CPC 750-1: the latest recorded


COMMON_FIELDS: dict[str, str] = {
    "reference": "Référence du dossier",
    "lieu": "Lieu où le document est établi (siège du tribunal ou de l'étude)",
    "date_document": "Date du document, en toutes lettres (« 1er mars 2026 »)",
    "creancier_designation": "Désignation complète du créancier dans un acte (forme, capital, RCS, siège, représentant)",
    "creancier_nom": "Nom court du créancier (« la société X », « Monsieur Jean Dupont »)",
    "creancier_entete": "Nom du créancier en tête de sa lettre (« Fournitures Rhénanes »)",
    "creancier_adresse": "Adresse du créancier (en-tête de lettre)",
    "creancier_ville": "Ville du créancier (d'où part sa lettre)",
    "creancier_identification": "Ligne d'identification du créancier (forme, capital, RCS ou SIREN)",
    "creancier_signataire": "Qui signe pour le créancier (représentant légal ou la personne elle-même)",
    "debiteur_designation": "Désignation complète du débiteur dans un acte",
    "debiteur_nom": "Nom court du débiteur",
    "debiteur_adresse": "Adresse du débiteur",
    "debiteur_appel": "Comment une lettre au débiteur l'appelle (« Monsieur », « Madame », ou « Madame, Monsieur » pour une société)",
    "tribunal_nom": "Nom de la juridiction (« Tribunal judiciaire de Strasbourg (chambre commerciale) »)",
    "tribunal_titre": "Nom de la juridiction en capitales, pour un titre",
    "tribunal_adresse": "Adresse de la juridiction",
    "avocat_nom": "Avocat ou mandataire du créancier (nom, barreau)",
    "commissaire_nom": "Commissaire de justice",
    "commissaire_titre": "« commissaire de justice » (ou « huissier de justice » avant le 1er juillet 2022)",
    "entre_professionnels": "Vrai quand créancier et débiteur sont des professionnels (C. com. L441-10, D441-5)",
    "mise_en_demeure_envoyee": "Vrai quand une mise en demeure est enregistrée au dossier",
    "date_mise_en_demeure": "Date de la mise en demeure enregistrée",
    "prestations_faits": "Ce que le créancier a fait, d'après les factures (« a livré des marchandises »)",
    "nature_creance": "Nature de la créance, d'après les factures (« la fourniture de marchandises »)",
    "montant_principal": "Principal restant dû",
    "montant_interets": "Intérêts ou pénalités de retard arrêtés à la date du décompte",
    "montant_indemnites": "Indemnités forfaitaires pour frais de recouvrement (40 € par facture, entre professionnels)",
    "montant_frais": "Frais",
    "a_interets": "Vrai quand des intérêts sont dus à la date du décompte",
    "a_indemnites": "Vrai quand des indemnités forfaitaires sont dues",
    "a_frais": "Vrai quand des frais sont réclamés",
    "lignes_montants": "Lignes non nulles de la créance : libelle, montant",
    "montant_total": "Total réclamé",
    "montant_total_lettres": "Total réclamé en toutes lettres",
    "date_arrete": "Date à laquelle le décompte est arrêté",
    "decompte_provisoire": "Vrai quand un taux n'est pas encore publié : le décompte est provisoire",
    "decompte_provisoire_texte": "Pourquoi le décompte est provisoire",
    "factures": "Factures réclamées (le décompte liste aussi les soldées) : numero, date_emission, "
    "date_echeance, montant, paye, solde",
    "plusieurs_factures": "Vrai quand plusieurs factures sont listées (« les factures … restent impayées », sinon « la facture … reste impayée »)",
    "pieces": "Pièces : numero, description, date",
    "a_pieces": "Vrai quand au moins une pièce est listée",
    "relances": "Relances amiables faites avant le contentieux : date, canal, libelle",
    "a_relances": "Vrai quand au moins une relance amiable est enregistrée",
    "date_transmission_contentieux": "Date de transmission du dossier amiable au contentieux (vide sinon)",
}
"""The fields every template may use (name → what it holds, in French for docs/templates.md)."""

SPECIFIC_FIELDS: dict[str, str] = {
    "date_limite_paiement": "Date limite de paiement laissée par la mise en demeure, avec le jour (après la date de la lettre)",
    "date_ordonnance": "Date de l'ordonnance portant injonction de payer",
    "date_signification": "Date de la signification de l'ordonnance au débiteur",
    "delais": "Délais calculés : libelle, echeance (avec le jour), fondement",
    "date_audience": "Date de l'audience, avec le jour (« jeudi 4 février 2027 »)",
    "heure_audience": "Heure de l'audience",
    "article_refere": "Article donnant au président le pouvoir d'accorder une provision (835 ou 873, al. 2)",
    "interets": "Intérêts par période : facture, du, au, base, taux, jours, montant",
    "total_factures": "Total des factures",
    "total_paye": "Total déjà réglé",
    "tentative_amiable_requise": "Vrai quand la demande doit être précédée d'une tentative de résolution amiable (CPC art. 750-1 : tribunal judiciaire, montant n'excédant pas le seuil à la date du document)",
    "tentative_amiable_seuil": "Seuil de l'article 750-1 à la date du document (« 5 000,00 € »)",
    "tentative_amiable": "La tentative faite (mode, date) ou la dispense invoquée, enregistrée au dossier (« a été précédée d'une tentative de résolution amiable : médiation, le 12 janvier 2026 »)",
}
"""Fields only the templates naming them in the manifest's `context` get."""


# --- builders --------------------------------------------------------------------------------

SUPPLY_FACTS = {
    "marchandises": "a livré des marchandises",
    "services": "a réalisé des prestations de services",
    "travaux": "a exécuté des travaux",
}
SUPPLY_NOUNS = {
    "marchandises": "la fourniture de marchandises",
    "services": "des prestations de services",
    "travaux": "des travaux",
}
SUPPLY_PLACEHOLDER = "[nature des fournitures (marchandises, services, travaux) à compléter]"
HEARING_TIME_PLACEHOLDER = "[heure de l'audience à compléter]"
SERVICE_DATE_PLACEHOLDER = "[date de la signification à compléter]"


FIELD_NAMES = {
    "hearing_date": "la date d'audience",
    "hearing_time": "l'heure d'audience",
    "ordonnance_date": "la date de l'ordonnance",
    "payment_deadline": "le délai de paiement",
}
"""The facts a document may lack, as a person names them."""


class MissingField(InputError):
    """A document needs a fact the case lacks; `field` names it (`FIELD_NAMES`), so a page
    can say where to record it."""

    def __init__(self, document: str, field: str) -> None:
        super().__init__(f"{document} : il manque {FIELD_NAMES.get(field, field)} pour ce document")
        self.document = document
        self.field = field
        self.extra = {"field": field}  # the API names the missing fact beside the sentence


def _require(value: date | None, what: str, kind: str) -> date:
    if value is None:
        raise MissingField(kind, what)
    return value


def _officer_title(document_date: date, commissaire_from: date) -> str:
    """Huissiers became commissaires de justice on 1 July 2022 (ord. 2016-728)."""
    return "commissaire de justice" if document_date >= commissaire_from else "huissier de justice"


def _join_fr(items: Sequence[str]) -> str:
    """'a', 'a et b', 'a, b et c'."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " et " + items[-1]


def _supplies(invoices: Sequence[InvoiceLine]) -> tuple[str, str]:
    """(what the creditor did, what the claim is for) from the invoices' `supply`."""
    kinds = [k for k in SUPPLY_FACTS if any(i.supply == k for i in invoices)]
    if not kinds or any(i.supply is None for i in invoices):
        return SUPPLY_PLACEHOLDER, SUPPLY_PLACEHOLDER
    facts = [SUPPLY_FACTS[k] for k in kinds]
    # "a livré des marchandises et réalisé des prestations…": one auxiliary for the list
    facts = [facts[0]] + [f.removeprefix("a ") for f in facts[1:]]
    nouns = [SUPPLY_NOUNS[k] for k in kinds]
    # The templates write "au titre de {{ nature_creance }}": de + des → de ("au titre de
    # prestations de services", not "au titre de des prestations de services"), and the
    # nouns after it follow ("de prestations de services et de travaux", not "… et des travaux").
    if nouns[0].startswith("des "):
        nouns = [
            noun.replace("des ", "de ", 1) if noun.startswith("des ") else noun for noun in nouns
        ]
        nouns[0] = nouns[0].removeprefix("de ")
    return _join_fr(facts), _join_fr(nouns)


def _invoice_rows(invoices: Sequence[InvoiceLine]) -> list[dict[str, str]]:
    return [
        {
            "numero": inv.number,
            "date_emission": date_fr(inv.issue_date),
            "date_echeance": date_fr(inv.due_date),
            "montant": amount_fr(inv.amount),
            "paye": amount_fr(inv.paid),
            "solde": amount_fr(inv.balance),
        }
        for inv in invoices
    ]


def _piece_rows(pieces: Sequence[Piece]) -> list[dict[str, str]]:
    return [
        {
            "numero": str(p.number),
            "description": p.description,
            "date": date_fr(p.date) if p.date else "[date à compléter]",
        }
        for p in sorted(pieces, key=lambda p: p.number)
    ]


def _reminder_rows(reminders: Sequence[ReminderLine]) -> list[dict[str, str]]:
    return [
        {"date": date_fr(r.date), "canal": r.channel, "libelle": r.label}
        for r in sorted(reminders, key=lambda r: r.date)
    ]


def _interest_rows(periods: Sequence[InterestPeriod]) -> list[dict[str, str]]:
    return [
        {
            "facture": p.invoice_number,
            "du": date_fr(p.start),
            "au": date_fr(p.end),
            "base": amount_fr(p.base),
            "taux": percent_fr(p.rate_percent),
            "jours": str(p.days),
            "montant": amount_fr(p.amount),
        }
        for p in periods
    ]


def _amount_rows(
    claim: ClaimSummary, between_professionals: bool, notice: date | None = None
) -> list[dict[str, str]]:
    """The lines of the claim with an amount: a zero line is left out (principal always shown).
    The legal-rate interest says the mise en demeure it runs from (C. civ. 1231-6, 1344-1)."""
    if between_professionals:
        interest_label = "Pénalités de retard (article L. 441-10 du code de commerce) arrêtées au"
    elif notice is not None:
        interest_label = (
            f"Intérêts au taux légal depuis la mise en demeure du {date_fr(notice)}, arrêtés au"
        )
    else:
        interest_label = "Intérêts au taux légal arrêtés au"
    rows = [("Principal", claim.principal)]
    rows.append((f"{interest_label} {date_fr(claim.as_of)}", claim.interest))
    rows.append(
        ("Indemnités forfaitaires pour frais de recouvrement (article D. 441-5)", claim.indemnities)
    )
    rows.append(("Frais", claim.costs))
    return [
        {"libelle": label, "montant": amount_fr(amount)}
        for index, (label, amount) in enumerate(rows)
        if index == 0 or amount != 0
    ]


_POSTCODE_CITY = re.compile(r"\b\d{5}\s+(?P<city>[^,]+?)\s*$")


def _city(address: str) -> str:
    """The city of a French address ("…, 67000 Strasbourg" → "Strasbourg"), else a placeholder."""
    match = _POSTCODE_CITY.search(address.strip())
    return match.group("city") if match else "[ville à compléter]"


def _standing(party: Party) -> Standing:
    return standing(party.party_category, party.legal_form)


PROVISIONAL_INTEREST = " [à compléter : hors la période dont le taux n'est pas encore enregistré]"
"""After the interest of a provisional statement, in a letter or a pleading."""


def _common(data: CaseDocumentData, commissaire_from: date | None) -> dict[str, object]:
    if commissaire_from is None:
        commissaire_from = load_manifest().commissaire_from
    claim = data.claim
    regime = late_payment(_standing(data.creditor), _standing(data.debtor))
    professionals = regime.between_professionals
    owed = [i for i in data.invoices if not i.settled]
    facts, nature = _supplies(owed)
    return {
        "reference": data.reference,
        "lieu": data.place,
        "date_document": date_fr(data.document_date),
        "creancier_designation": party_designation(data.creditor),
        "creancier_nom": party_name(data.creditor),
        "creancier_entete": party_letterhead(data.creditor),
        "creancier_adresse": data.creditor.address,
        "creancier_ville": _city(data.creditor.address),
        "creancier_identification": party_identification(data.creditor),
        "creancier_signataire": party_signatory(data.creditor),
        "debiteur_designation": party_designation(data.debtor),
        "debiteur_nom": party_name(data.debtor),
        "debiteur_adresse": data.debtor.address,
        "debiteur_appel": party_salutation(data.debtor),
        "tribunal_nom": data.court.name,
        "tribunal_titre": data.court.name.upper(),
        "tribunal_adresse": data.court.address,
        "avocat_nom": data.lawyer_name,
        "commissaire_nom": data.commissaire_name,
        "commissaire_titre": _officer_title(data.document_date, commissaire_from),
        "entre_professionnels": professionals,
        "mise_en_demeure_envoyee": data.notice_date is not None,
        "date_mise_en_demeure": date_fr(data.notice_date) if data.notice_date else "",
        "prestations_faits": facts,
        "nature_creance": nature,
        "montant_principal": amount_fr(claim.principal),
        # A provisional statement leaves a semester out: its interest is never « 0,00 € » alone.
        "montant_interets": amount_fr(claim.interest)
        + (PROVISIONAL_INTEREST if data.provisional_note is not None else ""),
        "montant_indemnites": amount_fr(claim.indemnities),
        "montant_frais": amount_fr(claim.costs),
        "a_interets": claim.interest != 0,
        "a_indemnites": claim.indemnities != 0,
        "a_frais": claim.costs != 0,
        "lignes_montants": _amount_rows(claim, professionals, data.notice_date),
        "montant_total": amount_fr(claim.total),
        "montant_total_lettres": amount_in_words(claim.total),
        "date_arrete": date_fr(claim.as_of),
        "decompte_provisoire": data.provisional_note is not None,
        "decompte_provisoire_texte": data.provisional_note or "",
        "factures": _invoice_rows(owed),
        "plusieurs_factures": len(owed) > 1,
        "pieces": _piece_rows(data.pieces),
        "a_pieces": bool(data.pieces),
        "relances": _reminder_rows(data.reminders),
        "a_relances": bool(data.reminders),
        "date_transmission_contentieux": (
            date_fr(data.handed_over_on) if data.handed_over_on else ""
        ),
    }


def _hearing(data: CaseDocumentData, kind: str) -> dict[str, object]:
    hearing = _require(data.hearing_date, "hearing_date", kind)
    return {
        # « à l'audience du jeudi 4 février 2027 »: the weekday, as a summons states it.
        "date_audience": day_fr(hearing),
        "heure_audience": (
            time_fr(data.hearing_time) if data.hearing_time else HEARING_TIME_PLACEHOLDER
        ),
    }


def build_context_mise_en_demeure(
    data: CaseDocumentData, commissaire_from: date | None = None
) -> dict[str, object]:
    ctx = _common(data, commissaire_from)
    deadline = _require(data.payment_deadline, "payment_deadline", "mise_en_demeure")
    if deadline <= data.document_date:
        raise InputError(
            f"mise_en_demeure : le délai de paiement ({date_fr(deadline)}) doit suivre la date "
            f"de la lettre ({date_fr(data.document_date)})"
        )
    ctx["date_limite_paiement"] = day_fr(deadline)  # « au plus tard le jeudi 10 décembre 2026 »
    return ctx


def _plain(data: CaseDocumentData, commissaire_from: date | None) -> dict[str, object]:
    return _common(data, commissaire_from)


def _with_ordonnance(kind: str) -> Builder:
    def build(data: CaseDocumentData, commissaire_from: date | None = None) -> dict[str, object]:
        ctx = _common(data, commissaire_from)
        ctx["date_ordonnance"] = date_fr(_require(data.ordonnance_date, "ordonnance_date", kind))
        # The greffe checks the opposition period from the signification (CPC 1416).
        ctx["date_signification"] = (
            date_fr(data.service_date) if data.service_date else SERVICE_DATE_PLACEHOLDER
        )
        ctx["delais"] = _deadline_rows(data.deadlines)
        return ctx

    return build


def _with_hearing(kind: str) -> Builder:
    def build(data: CaseDocumentData, commissaire_from: date | None = None) -> dict[str, object]:
        ctx = _common(data, commissaire_from)
        ctx.update(_hearing(data, kind))
        # The président's power to grant a provision: CPC 835 al. 2 (TJ), 873 al. 2 (TC).
        ctx["article_refere"] = (
            "article 835, alinéa 2"
            if data.court.kind == "tribunal_judiciaire"
            else "article 873, alinéa 2"
        )
        return ctx

    return build


def build_context_decompte_creance(
    data: CaseDocumentData, commissaire_from: date | None = None
) -> dict[str, object]:
    ctx = _common(data, commissaire_from)
    ctx["factures"] = _invoice_rows(data.invoices)  # the settled ones too: what was paid
    ctx["plusieurs_factures"] = len(data.invoices) > 1
    ctx["interets"] = _interest_rows(data.claim.interest_periods)
    ctx["total_factures"] = amount_fr(sum((i.amount for i in data.invoices), Decimal("0")))
    ctx["total_paye"] = amount_fr(sum((i.paid for i in data.invoices), Decimal("0")))
    return ctx


def _deadline_rows(deadlines: Sequence[DeadlineLine]) -> list[dict[str, str]]:
    return [
        {"libelle": d.label, "echeance": day_fr(d.due), "fondement": d.basis} for d in deadlines
    ]


Builder = Callable[[CaseDocumentData, date | None], dict[str, object]]

BUILDERS: dict[str, Builder] = {
    "mise_en_demeure": build_context_mise_en_demeure,
    "lettre_relance": _plain,
    "requete_injonction_tj": _plain,
    "requete_injonction_tc": _plain,
    "certificat_non_opposition": _with_ordonnance("certificat_non_opposition"),
    "demande_formule_executoire": _with_ordonnance("demande_formule_executoire"),
    "assignation_refere_provision": _with_hearing("assignation_refere_provision"),
    "assignation_paiement_tj": _with_hearing("assignation_paiement_tj"),
    "assignation_paiement_tj_sans_avocat": _with_hearing("assignation_paiement_tj_sans_avocat"),
    "assignation_paiement_tc": _with_hearing("assignation_paiement_tc"),
    "mandat_petites_creances": _plain,
    "decompte_creance": build_context_decompte_creance,
    "bordereau_pieces": _plain,
}
"""One context builder per template key (the manifest names the same keys). A builder may
return more fields than a template uses: the manifest's `context` list picks what it gets."""

__all__ = [
    "BUILDERS",
    "COMMON_FIELDS",
    "COURT_KINDS",
    "SPECIFIC_FIELDS",
    "AmicableAttempt",
    "CaseDocumentData",
    "ClaimSummary",
    "Company",
    "Court",
    "CourtKind",
    "DeadlineLine",
    "InterestPeriod",
    "InvoiceLine",
    "Party",
    "Person",
    "Piece",
    "ReminderLine",
    "siren_fr",
]
