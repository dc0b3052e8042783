"""`GET /api/cases` with search, filters, sorting and paging (issue 12 item 4, DESIGN §4b:
`?q=TEXT` matches the reference, party names, SIREN and invoice numbers). Without any
parameter the answer stays the whole visible list (the first round's contract)."""

from __future__ import annotations

from datetime import date
from typing import Any  # noqa: F401

from litestar.datastructures import MultiDict

from casefile import clock
from casefile.errors import InputError
from casefile.services.portfolio import PER_PAGE, PortfolioQuery

PARAMETERS = (
    "q",
    "procedure",
    "lawyer",
    "commissaire",
    "status",
    "within_days",
    "overdue",
    "sort",
    "desc",
    "page",
    "per_page",
)
TRUE = ("1", "true", "oui", "on", "yes")


def _int(raw: str | None, name: str, default: int | None) -> int | None:
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise InputError(f"{name} : « {raw} » n'est pas un nombre entier") from None


def query_from(params: MultiDict[str] | dict[str, str]) -> PortfolioQuery:
    """The portfolio query of a page's or the API's query string (same names for both)."""

    def text(name: str) -> str | None:
        value = params.get(name)
        return value.strip() if isinstance(value, str) and value.strip() else None

    return PortfolioQuery(
        q=text("q") or "",
        procedure=text("procedure"),
        lawyer=text("lawyer"),
        commissaire=text("commissaire"),
        status=text("status"),
        within_days=_int(text("within_days"), "within_days", None),
        overdue=(text("overdue") or "").lower() in TRUE,
        sort=text("sort") or "reference",
        descending=(text("desc") or "").lower() in TRUE,
        page=_int(text("page"), "page", 1) or 1,
        per_page=_int(text("per_page"), "per_page", PER_PAGE) or PER_PAGE,
    )


def wants_portfolio(params: MultiDict[str] | dict[str, str]) -> bool:
    return any(name in params for name in PARAMETERS)


def today() -> date:
    return clock.today()


def page_headers(total: int, page: int, per_page: int) -> dict[str, str]:
    return {"X-Total-Count": str(total), "X-Page": str(page), "X-Per-Page": str(per_page)}
