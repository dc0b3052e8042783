"""Which variant of a pleading applies to the claim's amount (avocat required or not).

Before the tribunal judiciaire, representation by avocat is mandatory (CPC 760) except, among
others, when the claim is at most the threshold of art. 761 3° (parameter
`representation_avocat_seuil`); the assignation then carries the art. 753 mentions instead of
the art. 752 ones. The manifest says which template sits on which side of the threshold
(`principal_above` / `principal_at_most` + `otherwise`); this module applies it: `check_amount`
refuses a template written for the other side, `select_template` picks the right one and says so.
The amount compared is the claim's principal on the document date.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from casefile.documents.context import CaseDocumentData
from casefile.documents.formatting import amount_fr, date_fr
from casefile.documents.manifest import Manifest, TemplateSpec, load_manifest
from casefile.errors import InputError
from casefile.law.wording import labelled


def threshold_at(parameter: str, day: date) -> Decimal:
    """The parameter's value on `day` (InputError before its first value or when not in force)."""
    from casefile.definitions import parameters

    known = parameters()
    if parameter not in known:
        raise InputError(f"Paramètre « {parameter} » absent de procedures/parameters.toml.")
    value = known[parameter].value_at(day)
    if value is None:
        raise InputError(f"Paramètre « {parameter} » : pas de valeur en vigueur au {date_fr(day)}.")
    return value


def _applies(spec: TemplateSpec, principal: Decimal, day: date) -> tuple[bool, Decimal | None]:
    """(True, None) when the template has no amount rule; else whether the principal fits."""
    if spec.principal_above is not None:
        limit = threshold_at(spec.principal_above, day)
        return principal > limit, limit
    if spec.principal_at_most is not None:
        limit = threshold_at(spec.principal_at_most, day)
        return principal <= limit, limit
    return True, None


def _named(key: str | None) -> str:
    if key is None:
        return "indiqué par le manifeste"
    return labelled(load_manifest().template(key).title, key)


def check_amount(spec: TemplateSpec, data: CaseDocumentData) -> None:
    """InputError naming the template to use when the principal is on the other side."""
    principal = data.claim.principal
    fits, limit = _applies(spec, principal, data.document_date)
    if fits:
        return
    assert limit is not None  # a template that does not fit has a threshold
    side = "n'excède pas" if spec.principal_above is not None else "excède"
    raise InputError(
        f"{spec.key} : le principal ({amount_fr(principal)}) {side} le seuil de représentation "
        f"obligatoire par avocat ({amount_fr(limit)}) au {date_fr(data.document_date)} "
        f"(CPC art. 760-761 3°, 752/753) ; utilisez le modèle {_named(spec.otherwise)}"
    )


class NothingOwed(InputError):
    """A document that demands the sums owed, for a case that has nothing owed on its date."""

    code = "rien_a_reclamer"


def check_something_owed(spec: TemplateSpec, data: CaseDocumentData) -> None:
    """NothingOwed when `spec` demands payment (manifest `claims_payment`) and the case's total
    on the document date is not positive: a letter « de la somme de 0,00 € » is never produced."""
    if not spec.claims_payment or data.claim.total > 0:
        return
    if data.first_due is not None:
        raise NothingOwed(
            f"{spec.key} : aucune somme n'est encore exigible au {date_fr(data.document_date)}, "
            f"ce document réclamerait 0,00\u00a0€ et n'est pas établi : la première facture "
            f"enregistrée n'échoit que le {date_fr(data.first_due)}, le débiteur peut payer "
            f"jusqu'à ce jour inclus. Établissez-le à partir du "
            f"{date_fr(data.first_due + timedelta(days=1))} si elle reste impayée"
        )
    raise NothingOwed(
        f"{spec.key} : aucune somme n'est due au {date_fr(data.document_date)}, ce document "
        "réclamerait 0,00\u00a0€ et n'est pas établi. Enregistrez d'abord la facture impayée "
        "(rubrique Factures du dossier : numéro, dates, montant) ; si tout a été payé, il n'y a "
        "rien à réclamer et le « Décompte de créance » en garde la trace"
    )


def select_template(
    requested: str, data: CaseDocumentData, manifest: Manifest | None = None
) -> tuple[str, str | None]:
    """The template to render for `requested`, and a note (in French) when it was swapped."""
    manifest = manifest or load_manifest()
    spec = manifest.template(requested)
    if spec.court is not None and data.court.kind != spec.court:
        return requested, None  # render() refuses it with the court message
    if spec.claims_payment and data.claim.total <= 0:
        # Nothing owed: no variant to choose; render() refuses the template the user asked for
        # (a swap made the page's refusal start with the other variant's raw key).
        return requested, None
    principal = data.claim.principal
    fits, limit = _applies(spec, principal, data.document_date)
    if fits or spec.otherwise is None or limit is None:
        return requested, None
    other = manifest.template(spec.otherwise)
    comparison = "n'excède pas" if spec.principal_above is not None else "excède"
    note = (
        f"Modèle « {other.title} » utilisé au lieu de « {spec.title} » : la demande en principal "
        f"({amount_fr(principal)}) {comparison} le seuil de représentation obligatoire par "
        f"avocat ({amount_fr(limit)} au {date_fr(data.document_date)}, CPC art. 760 et "
        f"761, 3°) ; l'assignation porte les mentions de l'article "
        f"{'753' if other.principal_at_most is not None else '752'}. Vérifier l'évaluation "
        "du montant de la demande (art. 35 à 37) avant la délivrance."
    )
    return other.key, note


__all__ = ["check_amount", "select_template", "threshold_at"]
