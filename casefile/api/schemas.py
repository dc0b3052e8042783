"""Request bodies of the JSON API, as msgspec Structs (typed, documented in the OpenAPI)."""

from __future__ import annotations

from datetime import date
from typing import Literal

import msgspec


class PartyBody(msgspec.Struct, forbid_unknown_fields=True):
    """A creditor or debtor; `residence` is a department code or "etranger" (art. 643)."""

    name: str
    kind: Literal["professionnel", "consommateur"] = "professionnel"
    person_or_company: Literal["personne", "societe"] | None = None
    siren: str | None = None
    address: str = ""
    residence: str | None = None


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


class PaymentBody(msgspec.Struct, forbid_unknown_fields=True):
    date: date
    amount: str
    invoice_number: str | None = None
    reference: str = ""
