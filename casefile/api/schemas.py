"""Request bodies of the JSON API, as msgspec Structs (typed, documented in the OpenAPI)."""

from __future__ import annotations

from datetime import date
from typing import Literal

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

    def given(self) -> dict[str, object]:
        return {
            name: value
            for name in self.__struct_fields__
            if (value := getattr(self, name)) is not msgspec.UNSET
        }


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
