"""Request bodies of the JSON API, as msgspec Structs (typed, documented in the OpenAPI)."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

import msgspec

Category = Literal[
    "societe",
    "entrepreneur_individuel",
    "profession_liberale",
    "association",
    "consommateur",
    "personne_publique",
]


class PartyBody(msgspec.Struct, forbid_unknown_fields=True):
    """A creditor or debtor; `residence` is a department code or "etranger" (art. 643).

    `kind` follows from `category` when that is given (consommateur → consommateur, else
    professionnel; default professionnel); `address` is composed from `street`, `postcode`,
    `city` and `country` when those are given. SIREN and SIRET are checked by their key."""

    name: str
    kind: Literal["professionnel", "consommateur"] | None = None
    person_or_company: Literal["personne", "societe"] | None = None
    siren: str | None = None
    address: str = ""
    residence: str | None = None
    category: Category | None = None
    legal_form: str = ""
    siret: str | None = None
    rcs_city: str = ""
    street: str = ""
    postcode: str = ""
    city: str = ""
    country: str = "France"
    representative: str = ""
    civility: Literal["M.", "Mme", ""] = ""
    first_name: str = ""
    email: str = ""
    phone: str = ""


class PartyPatch(msgspec.Struct, forbid_unknown_fields=True):
    """The fields to change on a party; absent fields keep their value."""

    name: str | msgspec.UnsetType = msgspec.UNSET
    kind: Literal["professionnel", "consommateur"] | msgspec.UnsetType = msgspec.UNSET
    person_or_company: Literal["personne", "societe"] | msgspec.UnsetType = msgspec.UNSET
    siren: str | msgspec.UnsetType | None = msgspec.UNSET
    address: str | msgspec.UnsetType = msgspec.UNSET
    residence: str | msgspec.UnsetType | None = msgspec.UNSET
    category: Category | msgspec.UnsetType | None = msgspec.UNSET
    legal_form: str | msgspec.UnsetType = msgspec.UNSET
    siret: str | msgspec.UnsetType | None = msgspec.UNSET
    rcs_city: str | msgspec.UnsetType = msgspec.UNSET
    street: str | msgspec.UnsetType = msgspec.UNSET
    postcode: str | msgspec.UnsetType = msgspec.UNSET
    city: str | msgspec.UnsetType = msgspec.UNSET
    country: str | msgspec.UnsetType = msgspec.UNSET
    representative: str | msgspec.UnsetType = msgspec.UNSET
    civility: Literal["M.", "Mme", ""] | msgspec.UnsetType = msgspec.UNSET
    first_name: str | msgspec.UnsetType = msgspec.UNSET
    email: str | msgspec.UnsetType = msgspec.UNSET
    phone: str | msgspec.UnsetType = msgspec.UNSET


class NewCaseBody(msgspec.Struct, forbid_unknown_fields=True):
    reference: str
    procedure: str
    court: str | None
    court_department: str
    creditor: PartyBody
    debtor: PartyBody
    lawyer: str | None = None
    commissaire: str | None = None


class InvoiceBody(msgspec.Struct, forbid_unknown_fields=True):
    """Amounts are decimal strings ("1234.56"): a JSON float would lose cents."""

    invoice_number: str
    issue_date: date
    due_date: date
    amount: str
    paid: str = "0"
    nature: str = "contractuelle"
    supply: Literal["marchandises", "services", "travaux"] | None = None
    description: str = ""


class PaymentBody(msgspec.Struct, forbid_unknown_fields=True):
    date: date
    amount: str
    invoice_number: str | None = None
    reference: str = ""


class InvoicePatch(msgspec.Struct, forbid_unknown_fields=True):
    """The invoice fields to correct; absent fields keep their value."""

    invoice_number: str | msgspec.UnsetType = msgspec.UNSET
    issue_date: date | msgspec.UnsetType = msgspec.UNSET
    due_date: date | msgspec.UnsetType = msgspec.UNSET
    amount: str | msgspec.UnsetType = msgspec.UNSET
    paid: str | msgspec.UnsetType = msgspec.UNSET
    nature: str | msgspec.UnsetType = msgspec.UNSET
    supply: Literal["marchandises", "services", "travaux"] | msgspec.UnsetType | None = (
        msgspec.UNSET
    )
    description: str | msgspec.UnsetType = msgspec.UNSET


class PaymentPatch(msgspec.Struct, forbid_unknown_fields=True):
    """The payment fields to correct; `invoice_number` null unlinks it from any invoice."""

    date: date | msgspec.UnsetType = msgspec.UNSET
    amount: str | msgspec.UnsetType = msgspec.UNSET
    invoice_number: str | msgspec.UnsetType | None = msgspec.UNSET
    reference: str | msgspec.UnsetType = msgspec.UNSET


class PiecePatch(msgspec.Struct, forbid_unknown_fields=True):
    """What the bordereau says of a pièce, to correct; absent fields keep their value. `date`
    null: the pièce is undated; `kind`: its nature (facture, devis…, the upload's `kind`). Its
    file, versions and hashes are not fields: a corrected file is a new version, never a
    replacement."""

    date: date | msgspec.UnsetType | None = msgspec.UNSET
    description: str | msgspec.UnsetType = msgspec.UNSET
    kind: str | msgspec.UnsetType = msgspec.UNSET
    reason: str | msgspec.UnsetType = msgspec.UNSET


def given(struct: msgspec.Struct) -> dict[str, object]:
    """The fields a PATCH body sets (UNSET left out)."""
    return {
        name: value
        for name in struct.__struct_fields__
        if (value := getattr(struct, name)) is not msgspec.UNSET
    }


class Moved(msgspec.Struct):
    key: str
    label: str
    to: str
    deadline: dict[str, Any]
    from_: str = msgspec.field(name="from")


class StatusChange(msgspec.Struct):
    key: str
    to: str
    from_: str = msgspec.field(name="from")


class Changes(msgspec.Struct):
    """What a change did to the case: the deadlines added, moved and removed (each deadline
    with the CLI's fields), the case's new version, and French warnings about implausible
    input that was nevertheless recorded. `id`: the new or changed row's id, if any."""

    added: list[dict[str, Any]]
    moved: list[Moved]
    removed: list[dict[str, Any]]
    version: int
    changed: list[StatusChange] = []
    warnings: list[str] = []
    id: int | None = None


class PartyOut(msgspec.Struct):
    id: int
    name: str
    kind: str
    person_or_company: str
    siren: str | None
    address: str
    residence: str
    category: str | None
    legal_form: str
    siret: str | None
    rcs_city: str
    street: str
    postcode: str
    city: str
    country: str
    representative: str
    civility: str
    first_name: str
    email: str
    phone: str


class PartyEdited(msgspec.Struct):
    """The party as stored after the change, the case's version and its deadlines' changes."""

    party: PartyOut
    version: int
    changes: dict[str, Any]
    warnings: list[str] = []


def changes_out(result: dict[str, Any]) -> Changes:
    """A service's result as the typed answer (unknown keys dropped)."""
    return msgspec.convert(result, Changes)
