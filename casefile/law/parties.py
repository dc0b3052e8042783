"""Who the parties are in law: professional or consumer, trader or not, and which court.

The one place that answers, from a party's `category`, the questions the statement (which
interest, which indemnity), the advice (which court) and the documents (which mentions, which
court) all ask. Pure: plain values in, plain values out.

- **Professional / consumer.** A consumer is a natural person acting outside their trade,
  business, craft or profession (C. conso. art. liminaire); a sole trader (entrepreneur
  individuel) or a liberal profession acting for its business is a professional, as are
  companies, associations and public persons acting in their activity.
- **Late payment.** Penalties of C. com. L441-10 II and the 40 € recovery indemnity of D441-5
  run only when both parties are professionals; otherwise interest runs at the taux de
  l'intérêt légal from the mise en demeure (C. civ. 1231-6, 1344-1). The legal rate has two
  columns (C. mon. fin. L313-2, D313-1-A): one when the **creditor** is a natural person not
  acting for professional needs, one for all other cases.
- **Court.** The tribunal de commerce hears disputes between traders about their commitments
  (C. com. L721-3 1°); a non-trader suing a trader for a commercial act may choose it (option
  of the non-trader plaintiff, stated in the reason) — casefile proposes it; every other claim
  goes to the tribunal judiciaire (COJ L211-3). In Bas-Rhin, Haut-Rhin and Moselle there is no
  tribunal de commerce: the chambre commerciale of the tribunal judiciaire hears commercial
  cases (local law; the court's procedural kind stays "tribunal_de_commerce" so the commercial
  procedure's definitions apply, and the name says which court it is).
- **Trader.** A company is a trader when its form is commercial (C. com. L210-1: SNC, SCS,
  SARL, SA, SAS, SCA — and their one-member variants EURL, SASU); a civil company (SCI, SCP,
  SCM, SCEA, GAEC…) is not. A sole trader (entrepreneur individuel) is taken as a trader or
  craftsman: a liberal activity is the `profession_liberale` category.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from casefile.errors import InputError
from casefile.law.wording import choices_fr

Category = Literal[
    "societe",
    "entrepreneur_individuel",
    "profession_liberale",
    "association",
    "consommateur",
    "personne_publique",
]
CATEGORIES: tuple[Category, ...] = (
    "societe",
    "entrepreneur_individuel",
    "profession_liberale",
    "association",
    "consommateur",
    "personne_publique",
)
CATEGORY_LABELS: dict[str, str] = {
    "societe": "société",
    "entrepreneur_individuel": "entrepreneur individuel",
    "profession_liberale": "profession libérale",
    "association": "association",
    "consommateur": "particulier (consommateur)",
    "personne_publique": "personne publique",
}
NATURAL_PERSON_CATEGORIES = frozenset(
    {"entrepreneur_individuel", "profession_liberale", "consommateur"}
)

COMMERCIAL_FORMS = frozenset({"SNC", "SCS", "SARL", "EURL", "SA", "SAS", "SASU", "SCA"})
"""Companies commercial by their form (C. com. L210-1 al. 2), with the one-member variants."""
CIVIL_FORMS = frozenset({"SC", "SCI", "SCP", "SCM", "SCEA", "GAEC"})
LEGAL_FORMS = (
    "SASU", "SAS", "SARL", "EURL", "SA", "SNC", "SCS", "SCA", "SCI", "SCP", "SCM", "SCEA",
    "GAEC", "SELARL", "SELAS", "SELAFA", "SCOP", "GIE", "SEM", "SAM", "GmbH", "Ltd", "SL",
)  # fmt: skip
"""Forms recognised at the end of a stored name ("Brasserie de l'Ill SAS")."""

ALSACE_MOSELLE = frozenset({"57", "67", "68"})

TJ: Literal["tribunal_judiciaire"] = "tribunal_judiciaire"
TC: Literal["tribunal_de_commerce"] = "tribunal_de_commerce"
CourtKind = Literal["tribunal_judiciaire", "tribunal_de_commerce"]


@dataclass(frozen=True, slots=True)
class Standing:
    """What the law makes of one party."""

    category: Category
    professional: bool  # acts for professional needs
    trader: bool  # commerçant (or sole trader / craftsman), for the court
    natural_person: bool
    notes: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return CATEGORY_LABELS[self.category]

    @property
    def kind(self) -> Literal["professionnel", "consommateur"]:
        """The DESIGN contract's `kind`: consommateur, else professionnel."""
        return "consommateur" if self.category == "consommateur" else "professionnel"

    @property
    def advice_kind(self) -> Literal["commercant", "professionnel", "consommateur"]:
        """`casefile.law.advice`'s party kinds."""
        if not self.professional:
            return "consommateur"
        return "commercant" if self.trader else "professionnel"


def category_from_legacy(kind: str | None, person_or_company: str | None) -> Category:
    """The category of a party recorded before `category` existed: a consumer is a consumer;
    a professional company a société; a professional natural person a sole trader
    (entrepreneur individuel)."""
    if kind == "consommateur":
        return "consommateur"
    if person_or_company == "personne":
        return "entrepreneur_individuel"
    return "societe"


def category_of(
    category: str | None, kind: str | None = None, person_or_company: str | None = None
) -> Category:
    """The party's category: the recorded one, else derived from `kind`/`person_or_company`."""
    if category:
        if category not in CATEGORIES:
            raise InputError(
                f"Catégorie de partie « {category} » inconnue : attendu {choices_fr(CATEGORIES)}."
            )
        return category
    return category_from_legacy(kind, person_or_company)


def split_legal_form(name: str, legal_form: str | None = None) -> tuple[str, str | None]:
    """("Brasserie de l'Ill", "SAS") from "Brasserie de l'Ill SAS": the form is written once.

    A recorded `legal_form` wins; it is removed from the end (or start) of the name when the
    name repeats it. Without one, a known form ending the name is taken as the form."""
    text = " ".join(name.split())
    forms = (legal_form,) if legal_form else LEGAL_FORMS
    for form in forms:
        if not form:
            continue
        pattern = re.compile(
            rf"^(?:{re.escape(form)}\s+)?(.*?)(?:,?\s+\(?{re.escape(form)}\)?)?$", re.IGNORECASE
        )
        match = pattern.match(text)
        if match and match.group(1) and match.group(1) != text:
            return match.group(1).strip(" ,"), form
    return text, legal_form or None


def standing(category: str, legal_form: str | None = None) -> Standing:
    """The standing of a party of `category` (and, for a company, its legal form)."""
    cat = category_of(category)
    if cat == "consommateur":
        return Standing(cat, professional=False, trader=False, natural_person=True)
    if cat == "entrepreneur_individuel":
        return Standing(
            cat,
            professional=True,
            trader=True,
            natural_person=True,
            notes=(
                "Entrepreneur individuel pris pour commerçant ou artisan ; une activité "
                "libérale relève de la catégorie « profession libérale ».",
            ),
        )
    if cat == "profession_liberale":
        return Standing(cat, professional=True, trader=False, natural_person=True)
    if cat in ("association", "personne_publique"):
        notes: tuple[str, ...] = ()
        if cat == "personne_publique":
            notes = (
                "Personne publique : les délais de paiement de la commande publique relèvent "
                "d'un régime propre, non encodé ici ; vérifier le régime des intérêts et la "
                "juridiction (administrative pour un contrat administratif).",
            )
        return Standing(cat, professional=True, trader=False, natural_person=False, notes=notes)
    form = (legal_form or "").strip().upper()
    if form in COMMERCIAL_FORMS:
        return Standing(cat, professional=True, trader=True, natural_person=False)
    if form in CIVIL_FORMS:
        return Standing(
            cat,
            professional=True,
            trader=False,
            natural_person=False,
            notes=(f"Société civile ({form}) : non commerçante par sa forme.",),
        )
    return Standing(
        cat,
        professional=True,
        trader=True,
        natural_person=False,
        notes=(
            "Forme sociale "
            + (f"« {legal_form} » " if legal_form else "non renseignée ")
            + "hors de la liste des sociétés commerciales par la forme (C. com. L210-1) : "
            "société présumée commerçante, à vérifier.",
        ),
    )


# --- late payment ------------------------------------------------------------------------------

Regime = Literal["L441-10", "taux_legal"]


@dataclass(frozen=True, slots=True)
class LatePayment:
    """Which interest a late invoice bears between these parties, and why."""

    regime: Regime
    indemnity: bool  # the 40 € of D441-5, per invoice
    creditor_individual_rate: bool  # the taux légal column "créancier personne physique…"
    reason: str
    basis: str

    @property
    def between_professionals(self) -> bool:
        return self.regime == "L441-10"


def late_payment(creditor: Standing, debtor: Standing) -> LatePayment:
    """L441-10 penalties and the D441-5 indemnity between professionals; else the legal rate
    from the mise en demeure, in the column the creditor's quality calls for."""
    if creditor.professional and debtor.professional:
        return LatePayment(
            "L441-10",
            True,
            False,
            f"Créancier ({creditor.label}) et débiteur ({debtor.label}) professionnels : "
            "pénalités de retard de plein droit et indemnité forfaitaire de 40 € par facture.",
            "C. com. art. L441-10 et D441-5",
        )
    individual = not creditor.professional
    who = "consommateur" if not debtor.professional else "professionnel"
    return LatePayment(
        "taux_legal",
        False,
        individual,
        f"Débiteur {who}, créancier {creditor.label} : pas de pénalités L441-10 ni "
        "d'indemnité forfaitaire ; intérêts au taux légal à compter de la mise en demeure, "
        + (
            "taux des créanciers personnes physiques n'agissant pas pour des besoins "
            "professionnels."
            if individual
            else "taux « autres cas »."
        ),
        "C. civ. art. 1231-6 et 1344-1 ; C. mon. fin. art. L313-2",
    )


# --- court -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CourtChoice:
    kind: CourtKind  # the procedural kind (commercial procedure for the chambre commerciale)
    label: str  # "tribunal de commerce", "tribunal judiciaire (chambre commerciale)"…
    local_law: bool  # Alsace-Moselle: chambre commerciale of the tribunal judiciaire
    reason: str
    basis: str


def court_choice(creditor: Standing, debtor: Standing, department: str | None) -> CourtChoice:
    """The court of a payment claim between these parties, in `department` (the court's)."""
    return court_for_traders(creditor.trader, debtor.trader, debtor.label, department)


def court_for_traders(
    creditor_trader: bool, debtor_trader: bool, debtor_label: str, department: str | None
) -> CourtChoice:
    """`court_choice` from the two facts it rests on (used by `casefile.law.advice`)."""
    local = (department or "") in ALSACE_MOSELLE
    if debtor_trader and creditor_trader:
        reason = "Litige entre commerçants relatif à leurs engagements : juridiction commerciale."
    elif debtor_trader:
        reason = (
            "Demande d'un non-commerçant contre un commerçant pour un acte de commerce : "
            "juridiction commerciale proposée ; le demandeur non commerçant peut aussi saisir "
            "le tribunal judiciaire (option du demandeur)."
        )
    else:
        reason = (
            f"Débiteur non commerçant ({debtor_label}) : tribunal judiciaire, juridiction de "
            "droit commun."
        )
        return CourtChoice(TJ, "tribunal judiciaire", local, reason, "COJ art. L211-3")
    if local:
        return CourtChoice(
            TC,
            "tribunal judiciaire (chambre commerciale)",
            True,
            reason
            + f" Département {department} (Alsace-Moselle) : pas de tribunal de commerce, la "
            "chambre commerciale du tribunal judiciaire en tient lieu (droit local).",
            "C. com. art. L721-3 ; droit local d'Alsace-Moselle",
        )
    return CourtChoice(TC, "tribunal de commerce", False, reason, "C. com. art. L721-3")


def court_label(kind: str | None, department: str | None) -> str:
    """How a court kind reads in French in `department` ("tribunal de commerce" becomes the
    chambre commerciale of the tribunal judiciaire in Alsace-Moselle)."""
    if kind == TC:
        if (department or "") in ALSACE_MOSELLE:
            return "tribunal judiciaire (chambre commerciale)"
        return "tribunal de commerce"
    if kind == TJ:
        return "tribunal judiciaire"
    return (kind or "").replace("_", " ")


__all__ = [
    "ALSACE_MOSELLE",
    "CATEGORIES",
    "CATEGORY_LABELS",
    "Category",
    "CourtChoice",
    "LatePayment",
    "Standing",
    "category_from_legacy",
    "category_of",
    "court_choice",
    "court_for_traders",
    "court_label",
    "late_payment",
    "split_legal_form",
    "standing",
]
