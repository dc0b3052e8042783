"""What a pleading is built from: plain typed values, and one context builder per document kind.

The database layer fills `CaseDocumentData`; nothing here reads a database, a file or the clock.
Each `build_context_<kind>` returns a flat dict of pre-formatted strings (and lists of rows of
strings), so a template only places text: the logic a lawyer should not have to read in Word
lives here, in Python, tested.
"""

from __future__ import annotations

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
    party_name,
    percent_fr,
    siren_fr,
    time_fr,
)
from casefile.errors import InputError

CourtKind = Literal["tribunal_judiciaire", "tribunal_de_commerce"]
COURT_KINDS: tuple[CourtKind, ...] = ("tribunal_judiciaire", "tribunal_de_commerce")


@dataclass(frozen=True, slots=True)
class Person:
    civility: Literal["Monsieur", "Madame"]
    first_name: str
    last_name: str
    address: str
    professional: bool = False  # an entrepreneur individuel is a professional (L441-10)


@dataclass(frozen=True, slots=True)
class Company:
    name: str
    legal_form: str  # "SAS", "SARL", "SA"…
    share_capital: Decimal | None
    rcs_city: str | None  # None: not registered (association…): the SIREN is given instead
    siren: str
    address: str
    representative: str | None = None  # "son président, Monsieur Paul Weber"

    @property
    def professional(self) -> bool:
        return True

    def __post_init__(self) -> None:
        digits = self.siren.replace(" ", "")
        if len(digits) != 9 or not digits.isdigit() or not _luhn_ok(digits):
            raise InputError(
                f"SIREN of {self.name!r} is not 9 digits with a valid key: {self.siren!r}"
            )


Party = Person | Company


def _luhn_ok(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        d = int(char) * (2 if index % 2 else 1)
        total += d - 9 if d > 9 else d
    return total % 10 == 0


@dataclass(frozen=True, slots=True)
class Court:
    kind: CourtKind
    name: str  # "Tribunal judiciaire de Strasbourg"
    address: str

    def __post_init__(self) -> None:
        if self.kind not in COURT_KINDS:
            raise InputError(f"unknown court kind {self.kind!r}; expected one of {COURT_KINDS}")


@dataclass(frozen=True, slots=True)
class InvoiceLine:
    number: str
    issue_date: date
    due_date: date
    amount: Decimal
    paid: Decimal = Decimal("0")

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
                f"claim total {self.total} is not principal + interest + indemnities + costs "
                f"({expected})"
            )


@dataclass(frozen=True, slots=True)
class Piece:
    number: int
    kind: str  # "facture", "contrat", "mise_en_demeure"…
    description: str
    date: date | None


@dataclass(frozen=True, slots=True)
class DeadlineLine:
    label: str
    due: date
    basis: str  # "CPC art. 1416"


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
    payment_deadline: date | None = None  # the date the mise en demeure gives to pay


# --- builders --------------------------------------------------------------------------------


def _require(value: date | None, what: str, kind: str) -> date:
    if value is None:
        raise InputError(f"{kind}: {what} is required for this document")
    return value


def _officer_title(document_date: date, commissaire_from: date) -> str:
    """Huissiers became commissaires de justice on 1 July 2022 (ord. 2016-728)."""
    return "commissaire de justice" if document_date >= commissaire_from else "huissier de justice"


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
            "date": date_fr(p.date) if p.date else "sans date",
        }
        for p in sorted(pieces, key=lambda p: p.number)
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


def _common(data: CaseDocumentData, commissaire_from: date | None) -> dict[str, object]:
    if commissaire_from is None:
        from casefile.documents.manifest import load_manifest

        commissaire_from = load_manifest().commissaire_from
    claim = data.claim
    return {
        "reference": data.reference,
        "lieu": data.place,
        "date_document": date_fr(data.document_date),
        "creancier_designation": party_designation(data.creditor),
        "creancier_nom": party_name(data.creditor),
        "debiteur_designation": party_designation(data.debtor),
        "debiteur_nom": party_name(data.debtor),
        "debiteur_adresse": data.debtor.address,
        "tribunal_nom": data.court.name,
        "tribunal_adresse": data.court.address,
        "avocat_nom": data.lawyer_name,
        "commissaire_nom": data.commissaire_name,
        "commissaire_titre": _officer_title(data.document_date, commissaire_from),
        "montant_principal": amount_fr(claim.principal),
        "montant_interets": amount_fr(claim.interest),
        "montant_indemnites": amount_fr(claim.indemnities),
        "montant_frais": amount_fr(claim.costs),
        "montant_total": amount_fr(claim.total),
        "montant_total_lettres": amount_in_words(claim.total),
        "date_arrete": date_fr(claim.as_of),
        "factures": _invoice_rows(data.invoices),
        "pieces": _piece_rows(data.pieces),
    }


def _hearing(data: CaseDocumentData, kind: str) -> dict[str, object]:
    hearing = _require(data.hearing_date, "hearing_date", kind)
    return {
        "date_audience": date_fr(hearing),
        "heure_audience": time_fr(data.hearing_time) if data.hearing_time else "l'heure indiquée",
    }


def _pick(context: dict[str, object], names: Sequence[str]) -> dict[str, object]:
    return {name: context[name] for name in names}


def build_context_mise_en_demeure(
    data: CaseDocumentData, commissaire_from: date | None = None
) -> dict[str, object]:
    if not data.debtor.professional:
        raise InputError(
            "mise_en_demeure: this letter carries the L441-10 mentions between professionals; "
            "the debtor is a consumer"
        )
    ctx = _common(data, commissaire_from)
    ctx["date_limite_paiement"] = date_fr(
        _require(data.payment_deadline, "payment_deadline", "mise_en_demeure")
    )
    ctx["debiteur_adresse"] = data.debtor.address
    return ctx


def build_context_requete_injonction_tj(
    data: CaseDocumentData, commissaire_from: date | None = None
) -> dict[str, object]:
    return _common(data, commissaire_from)


def build_context_requete_injonction_tc(
    data: CaseDocumentData, commissaire_from: date | None = None
) -> dict[str, object]:
    return _common(data, commissaire_from)


def build_context_certificat_non_opposition(
    data: CaseDocumentData, commissaire_from: date | None = None
) -> dict[str, object]:
    ctx = _common(data, commissaire_from)
    ctx["date_ordonnance"] = date_fr(
        _require(data.ordonnance_date, "ordonnance_date", "certificat_non_opposition")
    )
    ctx["delais"] = _deadline_rows(data.deadlines)
    return ctx


def build_context_demande_formule_executoire(
    data: CaseDocumentData, commissaire_from: date | None = None
) -> dict[str, object]:
    ctx = _common(data, commissaire_from)
    ctx["date_ordonnance"] = date_fr(
        _require(data.ordonnance_date, "ordonnance_date", "demande_formule_executoire")
    )
    ctx["delais"] = _deadline_rows(data.deadlines)
    return ctx


def build_context_assignation_refere_provision(
    data: CaseDocumentData, commissaire_from: date | None = None
) -> dict[str, object]:
    ctx = _common(data, commissaire_from)
    ctx.update(_hearing(data, "assignation_refere_provision"))
    # The président's power to grant a provision: CPC 835 al. 2 (TJ), 873 al. 2 (TC).
    ctx["article_refere"] = (
        "article 835, alinéa 2"
        if data.court.kind == "tribunal_judiciaire"
        else "article 873, alinéa 2"
    )
    return ctx


def build_context_assignation_paiement_tj(
    data: CaseDocumentData, commissaire_from: date | None = None
) -> dict[str, object]:
    ctx = _common(data, commissaire_from)
    ctx.update(_hearing(data, "assignation_paiement_tj"))
    return ctx


def build_context_assignation_paiement_tj_sans_avocat(
    data: CaseDocumentData, commissaire_from: date | None = None
) -> dict[str, object]:
    ctx = _common(data, commissaire_from)
    ctx.update(_hearing(data, "assignation_paiement_tj_sans_avocat"))
    return ctx


def build_context_assignation_paiement_tc(
    data: CaseDocumentData, commissaire_from: date | None = None
) -> dict[str, object]:
    ctx = _common(data, commissaire_from)
    ctx.update(_hearing(data, "assignation_paiement_tc"))
    return ctx


def build_context_mandat_petites_creances(
    data: CaseDocumentData, commissaire_from: date | None = None
) -> dict[str, object]:
    return _common(data, commissaire_from)


def build_context_decompte_creance(
    data: CaseDocumentData, commissaire_from: date | None = None
) -> dict[str, object]:
    ctx = _common(data, commissaire_from)
    ctx["interets"] = _interest_rows(data.claim.interest_periods)
    ctx["total_factures"] = amount_fr(sum((i.amount for i in data.invoices), Decimal("0")))
    ctx["total_paye"] = amount_fr(sum((i.paid for i in data.invoices), Decimal("0")))
    return ctx


def build_context_bordereau_pieces(
    data: CaseDocumentData, commissaire_from: date | None = None
) -> dict[str, object]:
    return _common(data, commissaire_from)


def _deadline_rows(deadlines: Sequence[DeadlineLine]) -> list[dict[str, str]]:
    return [
        {"libelle": d.label, "echeance": date_fr(d.due), "fondement": d.basis} for d in deadlines
    ]


Builder = Callable[[CaseDocumentData, date | None], dict[str, object]]

BUILDERS: dict[str, Builder] = {
    "mise_en_demeure": build_context_mise_en_demeure,
    "requete_injonction_tj": build_context_requete_injonction_tj,
    "requete_injonction_tc": build_context_requete_injonction_tc,
    "certificat_non_opposition": build_context_certificat_non_opposition,
    "demande_formule_executoire": build_context_demande_formule_executoire,
    "assignation_refere_provision": build_context_assignation_refere_provision,
    "assignation_paiement_tj": build_context_assignation_paiement_tj,
    "assignation_paiement_tj_sans_avocat": build_context_assignation_paiement_tj_sans_avocat,
    "assignation_paiement_tc": build_context_assignation_paiement_tc,
    "mandat_petites_creances": build_context_mandat_petites_creances,
    "decompte_creance": build_context_decompte_creance,
    "bordereau_pieces": build_context_bordereau_pieces,
}
"""One context builder per template key (the manifest names the same keys)."""

__all__ = [
    "BUILDERS",
    "COURT_KINDS",
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
    "siren_fr",
]
