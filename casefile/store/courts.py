"""Reading the recorded courts (the `courts` table; changes in `casefile.services.courts`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from casefile.law.parties import TC, TJ
from casefile.store.tables import Court

CHAMBRE_COMMERCIALE = "chambre_commerciale"
KINDS = {
    TJ: "tribunal judiciaire",
    TC: "tribunal de commerce",
    CHAMBRE_COMMERCIALE: "chambre commerciale du tribunal judiciaire (Alsace-Moselle)",
}
PROCEDURAL_KIND = {TJ: TJ, TC: TC, CHAMBRE_COMMERCIALE: TC}
"""The court kind of the procedure a recorded court hears (the chambre commerciale of
Alsace-Moselle applies the procedure of the tribunal de commerce)."""

EDITABLE = (
    "name",
    "kind",
    "department",
    "address",
    "postcode",
    "city",
    "greffe_email",
    "phone",
)


def court_dict(row: Mapping[str, Any]) -> dict[str, Any]:
    """A stored court, with its French kind label and its one-line postal address."""
    out = {k: row[k] for k in ("id", *EDITABLE)}
    out["kind_label"] = KINDS.get(row["kind"], row["kind"])
    town = " ".join(p for p in (row["postcode"], row["city"]) if p)
    out["postal_address"] = ", ".join(p for p in (row["address"].replace("\n", ", "), town) if p)
    return out


async def find_court(court_id: int) -> dict[str, Any] | None:
    """The stored court (no permission check: documents read the court of a readable case)."""
    row = await Court.select().where(Court.id == court_id).first()
    return court_dict(row) if row else None


__all__ = ["CHAMBRE_COMMERCIALE", "KINDS", "PROCEDURAL_KIND", "court_dict", "find_court"]
