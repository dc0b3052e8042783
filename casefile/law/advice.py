"""Which of the five procedures a claim can take, and why, at a given date.

Every reason cites its article; every threshold is read from `procedures/parameters.toml` at the
date, so a reform is a new dated value, not a new branch here. Points the sources leave open
are answered `None` ("uncertain") with the reason, never guessed (LEGAL.md, legal-sources §13).

Party kinds: "commercant" (trader, commercial company), "professionnel" (a professional who is
not a trader: liberal profession, civil company…), "consommateur". The claim statement's
"professionnel" debtor is either of the first two: the court depends on which.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from casefile.errors import InputError
from casefile.law.parameters import Parameter
from casefile.law.parties import CATEGORY_LABELS, court_for_traders
from casefile.law.wording import amount_fr, choices_fr, date_fr, decimal_fr

PARTY_KINDS = ("commercant", "professionnel", "consommateur")
CLAIM_NATURES = ("contractuelle", "statutaire", "delictuelle")
PROCEDURES = (
    "amiable",
    "petites_creances",
    "injonction_de_payer",
    "refere_provision",
    "assignation_paiement",
)
TJ, TC, CJ = "tribunal_judiciaire", "tribunal_de_commerce", "commissaire_de_justice"


@dataclass(frozen=True, slots=True)
class Reason:
    text: str
    basis: str


@dataclass(frozen=True, slots=True)
class ProcedureAdvice:
    procedure: str
    open: bool
    court: str | None
    avocat_required: bool | None  # None: not applicable, or uncertain (see reasons)
    amicable_attempt_required: bool | None  # CPC 750-1; None: uncertain or not applicable
    reasons: tuple[Reason, ...]


def advise(
    claim_total: Decimal,
    claim_nature: str,
    debtor_kind: str,
    creditor_kind: str,
    as_of: date,
    parameters: Mapping[str, Parameter],
    department: str | None = None,
) -> list[ProcedureAdvice]:
    """The five procedures, in the order a creditor meets them. `claim_total` is principal and
    interest (the small-claims ceiling counts both, R125-1); `as_of` is the day the procedure
    would start (750-1 applies by the date the instance is introduced)."""
    if claim_total <= 0:
        raise InputError(
            f"Montant de la créance ({decimal_fr(claim_total)} €) : il doit être positif."
        )
    if claim_nature not in CLAIM_NATURES:
        raise InputError(
            f"Nature de la créance « {claim_nature} » inconnue : attendu "
            f"{choices_fr(CLAIM_NATURES)}."
        )
    for name, kind in (("débiteur", debtor_kind), ("créancier", creditor_kind)):
        if kind not in PARTY_KINDS:
            raise InputError(
                f"Qualité du {name} « {kind} » inconnue : attendu {choices_fr(PARTY_KINDS)}."
            )
    court, court_reason = _court(debtor_kind, creditor_kind, department)
    context = _Context(claim_total, claim_nature, court, court_reason, as_of, parameters)
    return [
        _amiable(),
        _petites_creances(context),
        _injonction_de_payer(context),
        _refere_provision(context),
        _assignation(context),
    ]


@dataclass(frozen=True, slots=True)
class _Context:
    total: Decimal
    nature: str
    court: str
    court_reason: Reason
    as_of: date
    parameters: Mapping[str, Parameter]

    def value(self, key: str) -> tuple[Decimal | None, bool]:
        return _value(self.parameters, key, self.as_of)


def _value(
    parameters: Mapping[str, Parameter], key: str, as_of: date
) -> tuple[Decimal | None, bool]:
    """(value, known): known is False before the parameter's first date."""
    if key not in parameters:
        raise InputError(f"Paramètre « {key} » absent de procedures/parameters.toml.")
    try:
        return parameters[key].at(as_of).value, True
    except InputError:
        return None, False


def _court(debtor_kind: str, creditor_kind: str, department: str | None) -> tuple[str, Reason]:
    """The court by the one rule of `casefile.law.parties` (documents and statements use it)."""
    label = {
        "consommateur": CATEGORY_LABELS["consommateur"],
        "professionnel": "professionnel non commerçant",
        "commercant": "commerçant",
    }[debtor_kind]
    choice = court_for_traders(
        creditor_kind == "commercant", debtor_kind == "commercant", label, department
    )
    return choice.kind, Reason(choice.reason, choice.basis)


def _amiable() -> ProcedureAdvice:
    return ProcedureAdvice(
        "amiable",
        True,
        None,
        None,
        None,
        (
            Reason(
                "Toujours possible : la mise en demeure fait courir les intérêts moratoires.",
                "C. civ. art. 1344 et 1344-1",
            ),
            Reason(
                "Elle n'interrompt pas la prescription (Cass. com. 18 mai 2022, n° 20-23.204).",
                "C. civ. art. 2240 à 2244",
            ),
        ),
    )


def _petites_creances(c: _Context) -> ProcedureAdvice:
    reasons: list[Reason] = []
    ceiling, known = c.value("petites_creances_plafond")
    nature_ok = c.nature in ("contractuelle", "statutaire")
    if not nature_ok:
        reasons.append(
            Reason(
                f"Créance {c.nature}: la procédure exige une cause contractuelle ou une "
                "obligation statutaire.",
                "CPCE art. L125-1",
            )
        )
    if not known or ceiling is None:
        reasons.append(
            Reason(
                f"La procédure n'existe pas au {date_fr(c.as_of)} (en vigueur le 1er juin 2016).",
                "CPCE art. L125-1, R125-1 (décret n° 2016-285)",
            )
        )
        amount_ok = False
    else:
        amount_ok = c.total <= ceiling
        comparison = "n'excède pas" if amount_ok else "excède"
        reasons.append(
            Reason(
                f"Le montant en principal et intérêts ({amount_fr(c.total)}) {comparison} le plafond de "
                f"{amount_fr(ceiling)} en vigueur au {date_fr(c.as_of)}.",
                "CPCE art. R125-1",
            )
        )
    return ProcedureAdvice(
        "petites_creances", nature_ok and amount_ok, CJ, False, None, tuple(reasons)
    )


def _injonction_de_payer(c: _Context) -> ProcedureAdvice:
    reasons = [c.court_reason]
    nature_ok = c.nature in ("contractuelle", "statutaire")
    reasons.append(
        Reason(
            "Créance d'origine contractuelle ou statutaire, d'un montant déterminé : requête "
            "possible."
            if nature_ok
            else f"Créance {c.nature}: l'injonction de payer exige une cause contractuelle ou "
            "statutaire.",
            "CPC art. 1405",
        )
    )
    reasons.append(
        Reason(
            "Pas de tentative préalable de résolution amiable : l'art. 750-1 ne s'applique pas à "
            "l'injonction de payer (Cass. 2e civ., avis 25 sept. 2025, n° 25-70.013).",
            "CPC art. 750-1",
        )
    )
    reasons.append(
        Reason(
            "La requête peut être présentée par le créancier ou tout mandataire ; après "
            "opposition, les règles de représentation de la juridiction s'appliquent (avocat "
            "obligatoire au-delà du seuil : incertain pour la requête elle-même).",
            "CPC art. 1407",
        )
    )
    return ProcedureAdvice("injonction_de_payer", nature_ok, c.court, False, False, tuple(reasons))


def _avocat(c: _Context) -> tuple[bool | None, Reason]:
    threshold, known = c.value("representation_avocat_seuil")
    basis = "CPC art. 760-761" if c.court == TJ else "CPC art. 853"
    if not known or threshold is None:
        return None, Reason(
            f"Règles de représentation antérieures au 1er janvier 2020 non encodées "
            f"({date_fr(c.as_of)}) : à vérifier.",
            basis,
        )
    required = c.total > threshold
    return required, Reason(
        f"Demande de {amount_fr(c.total)} : représentation par avocat "
        + ("obligatoire (au-delà de " if required else "non obligatoire (jusqu'à ")
        + f"{amount_fr(threshold)}, sauf exceptions).",
        basis,
    )


def amicable_attempt(
    claim_total: Decimal, as_of: date, parameters: Mapping[str, Parameter]
) -> tuple[bool, Reason]:
    """CPC 750-1 for a payment claim before the tribunal judiciaire, at the date of the
    assignation: in force 1 Jan 2020, annulled 22 Sept 2022, back for instances from
    1 Oct 2023 (parameter `tentative_amiable_prealable`). Whether the attempt is required, and
    why; the pleadings read the same answer (`casefile.documents.amicable`)."""
    threshold, known = _value(parameters, "tentative_amiable_prealable", as_of)
    if not known:
        return False, Reason(
            f"Art. 750-1 pas encore en vigueur au {date_fr(as_of)} (1er janvier 2020).",
            "CPC art. 750-1",
        )
    if threshold is None:
        return False, Reason(
            f"Art. 750-1 annulé (CE, 22 sept. 2022, n° 436939) et non rétabli au "
            f"{date_fr(as_of)} (rétabli pour les instances introduites à compter du "
            "1er octobre 2023).",
            "CPC art. 750-1",
        )
    if claim_total > threshold:
        return False, Reason(
            f"Demande de {amount_fr(claim_total)} supérieure à {amount_fr(threshold)} : pas de tentative amiable "
            "préalable obligatoire.",
            "CPC art. 750-1",
        )
    return True, Reason(
        f"Demande de {amount_fr(claim_total)} n'excédant pas {amount_fr(threshold)} : conciliation, médiation ou "
        "procédure participative préalable, à peine d'irrecevabilité, sauf dispense (urgence "
        "manifeste, indisponibilité des conciliateurs au-delà de 3 mois… ; la dispense pour une "
        "procédure de petites créances vainement engagée n'est pas confirmée dans la rédaction "
        "de 2023).",
        "CPC art. 750-1",
    )


def _refere_provision(c: _Context) -> ProcedureAdvice:
    basis = "CPC art. 835 al. 2" if c.court == TJ else "CPC art. 873 al. 2"
    reasons = [
        c.court_reason,
        Reason(
            "Provision accordée si l'obligation n'est pas sérieusement contestable, sans "
            "condition de montant ni d'urgence.",
            basis,
        ),
    ]
    avocat, avocat_reason = _avocat(c)
    reasons.append(avocat_reason)
    attempt: bool | None = False
    if c.court == TJ:
        needed, attempt_reason = amicable_attempt(c.total, c.as_of, c.parameters)
        if needed:
            attempt = None
            reasons.append(
                Reason(
                    "Application de l'art. 750-1 au référé-provision incertaine (dispense pour "
                    "urgence manifeste possible) : vérifier avant d'assigner. "
                    + attempt_reason.text,
                    "CPC art. 750-1",
                )
            )
        else:
            reasons.append(attempt_reason)
    else:
        reasons.append(_no_attempt_before_tc())
    return ProcedureAdvice("refere_provision", True, c.court, avocat, attempt, tuple(reasons))


def _no_attempt_before_tc() -> Reason:
    return Reason(
        "Tribunal de commerce : l'art. 750-1, placé parmi les règles du tribunal judiciaire, ne "
        "s'applique pas (lecture du texte, non confirmée par une décision).",
        "CPC art. 750-1",
    )


def _assignation(c: _Context) -> ProcedureAdvice:
    reasons = [
        c.court_reason,
        Reason(
            "Action au fond ouverte quelle que soit la nature de la créance.",
            "CPC art. 750 et s. (TJ), 853 et s. (TC)",
        ),
    ]
    avocat, avocat_reason = _avocat(c)
    reasons.append(avocat_reason)
    if c.court == TJ:
        attempt, attempt_reason = amicable_attempt(c.total, c.as_of, c.parameters)
        reasons.append(attempt_reason)
    else:
        attempt = False
        reasons.append(_no_attempt_before_tc())
    return ProcedureAdvice("assignation_paiement", True, c.court, avocat, attempt, tuple(reasons))
