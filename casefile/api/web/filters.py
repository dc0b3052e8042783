"""The Jinja filters and globals that put every key and unit into French (issue 12 item 6)."""

from __future__ import annotations

from typing import Any

from casefile import labels
from casefile.definitions import engine
from casefile.documents.formatting import siren_fr, siret_fr


def court_fr(key: str | None, department: str | None = None) -> str:
    """`{{ case.court | court_fr(case.court_department) }}`: the court as its territory names
    it (the chambre commerciale of the tribunal judiciaire in Alsace-Moselle)."""
    return labels.court_fr(key, department, engine().territories)


def register(environment: Any) -> None:
    filters = environment.filters
    filters["period_fr"] = labels.period_fr
    filters["actor_fr"] = labels.actor_fr
    filters["court_fr"] = court_fr
    filters["size_fr"] = labels.size_fr
    filters["date_long_fr"] = labels.date_long_fr
    filters["text_fr"] = labels.dates_in_text_fr
    filters["yes_no"] = labels.yes_no
    filters["residence_fr"] = labels.residence_fr
    filters["choice_fr"] = labels.choice_fr
    filters["humanise"] = labels.humanise
    filters["month_fr"] = labels.month_fr
    filters["moment_fr"] = labels.moment_fr
    filters["time_fr"] = labels.hour_fr
    filters["paris"] = labels.paris
    filters["day_fr"] = labels.day_fr
    filters["lateness_fr"] = labels.lateness_fr
    filters["siren_fr"] = siren_fr
    filters["siret_fr"] = siret_fr
    environment.globals["labels"] = labels
    environment.globals["L"] = {
        "courts": labels.COURTS,
        "actors": labels.ACTORS,
        "roles": labels.ROLES,
        "deadline_statuses": labels.DEADLINE_STATUSES,
        "case_statuses": labels.CASE_STATUSES,
        "party_kinds": labels.PARTY_KINDS,
        "regimes": labels.INTEREST_REGIMES,
        "procedures": labels.PROCEDURES,
        "natures": labels.CLAIM_NATURES,
    }
