"""The month agenda of deadlines (issue 12 item 4): one user's cases (as lawyer or commissaire
de justice) or the whole team's, within what the reader may see."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from casefile.errors import InputError
from casefile.labels import OUR_SIDE
from casefile.store.permissions import User, assigned_only, require
from casefile.store.tables import Case, DeadlineRecord, UserAccount
from casefile.store.tables.deadline import explanation_column

PERSONAL_ROLES = ("avocat", "commissaire_de_justice")
SHOWN = ("pending", "uncertain", "missed", "done")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def parse_month(text: str | None, today: date) -> date:
    """'2027-05' → 1 May 2027; nothing → this month."""
    if not text:
        return today.replace(day=1)
    found = _MONTH.match(text.strip())
    if not found or not 1 <= int(found.group(2)) <= 12 or not 1900 <= int(found.group(1)) <= 2999:
        raise InputError(f"mois « {text} » : écrivez-le AAAA-MM, par exemple 2027-05")
    return date(int(found.group(1)), int(found.group(2)), 1)


def shift(month: date, months: int) -> str:
    index = month.year * 12 + month.month - 1 + months
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


@dataclass
class Day:
    day: date
    in_month: bool
    items: list[dict[str, Any]]


@dataclass
class MonthView:
    month: date
    weeks: list[list[Day]]
    count: int
    who: str | None


async def month(actor: User, first: date, who: str | None, today: date) -> MonthView:
    require(actor, "case.read")
    last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
    start = first - timedelta(days=first.weekday())
    end = last + timedelta(days=6 - last.weekday())
    cases = Case.select(Case.id, Case.reference, Case.lawyer, Case.commissaire)
    if assigned_only(actor.role):
        cases = cases.where(Case.commissaire == actor.id)
    if who:
        user = await UserAccount.select(UserAccount.id).where(UserAccount.name == who).first()
        if user is None:
            raise InputError(f"utilisateur « {who} » inconnu")
        cases = cases.where((Case.lawyer == user["id"]) | (Case.commissaire == user["id"]))
    visible = {row["id"]: row for row in await cases}
    by_day: dict[date, list[dict[str, Any]]] = {}
    count = 0
    if visible:
        rows = (
            await DeadlineRecord.select(
                DeadlineRecord.case, DeadlineRecord.due, explanation_column()
            )
            .where(
                (DeadlineRecord.due >= start)
                & (DeadlineRecord.due <= end)
                & DeadlineRecord.status.is_in(list(SHOWN))
            )
            .order_by(DeadlineRecord.due)
            .output(load_json=True)
        )
        for row in rows:
            case = visible.get(row["case"])
            if case is None:
                continue
            explanation = row["explanation"]
            status = explanation.get("status", "pending")
            if status == "pending" and row["due"] < today:
                status = "missed"
            by_day.setdefault(row["due"], []).append(
                {
                    "case_id": case["id"],
                    "reference": case["reference"],
                    "label": explanation.get("label", ""),
                    "actor": explanation.get("actor", ""),
                    "ours": explanation.get("actor") in OUR_SIDE,
                    "status": status,
                }
            )
            if first <= row["due"] <= last:
                count += 1
    weeks: list[list[Day]] = []
    day = start
    while day <= end:
        week = []
        for _ in range(7):
            week.append(Day(day, day.month == first.month, by_day.get(day, [])))
            day += timedelta(days=1)
        weeks.append(week)
    return MonthView(first, weeks, count, who)
