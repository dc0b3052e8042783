"""What to do next on a case (the case page's "À faire"), from its deadlines and the
procedure's `next_step` data. Pure: the deadlines, the recorded events and today come in.

- Our side (creditor, avocat, commissaire de justice): every open deadline, with the step that
  meets it; late when its day has passed.
- The other side (debtor, greffe): an open deadline is shown apart, as what it means for us;
  once it has run out unmet, its `next_step` becomes ours (the opposition period over: ask for
  the certificat de non-opposition), until the step's event is recorded.
- Nothing recorded yet in the procedure (a new case, or one just handed over from the amicable
  phase, whose events belong to `amiable`; a mise en demeure sent before it does not count,
  `Procedure.prior_events`): the procedure's `first_step` (the requête, the mandate to the
  commissaire de justice…), as soon as possible.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from casefile.law.procedures import DeadlineRule, NextStep, Procedure
from casefile.law.wording import date_fr

OUR_SIDE = frozenset({"creancier", "avocat", "commissaire_de_justice"})
OPEN = frozenset({"pending", "uncertain", "missed"})


@dataclass(frozen=True, slots=True)
class Task:
    """One line of "À faire": `actor` acts by `due` (None: no deadline, as soon as possible)."""

    key: str  # the deadline it comes from
    label: str  # the deadline's label
    step: str  # the next step, in words
    actor: str
    due: date | None
    late: bool
    documents: tuple[str, ...]
    basis: str
    source: str
    because: str = ""  # for a step that follows the other side's expired deadline


@dataclass(frozen=True, slots=True)
class TheirDeadline:
    """The other side's open time limit and what it means for us."""

    key: str
    label: str
    actor: str
    due: date
    status: str
    meaning: str
    then: str  # what we do once it has run out ("" if nothing)
    basis: str
    source: str


@dataclass(frozen=True, slots=True)
class ToDo:
    tasks: tuple[Task, ...]
    theirs: tuple[TheirDeadline, ...]


def _rule(procedure: Procedure, key: str) -> DeadlineRule | None:
    """The first rule of that key carrying a next step (versions share their steps)."""
    rules = [r for r in procedure.deadlines if r.key == key]
    return next((r for r in rules if r.next_step is not None), rules[0] if rules else None)


def _step(rule: DeadlineRule | None) -> NextStep | None:
    return rule.next_step if rule is not None else None


def to_do(
    procedure: Procedure,
    deadlines: Sequence[Mapping[str, Any]],
    recorded_events: Iterable[str],
    today: date,
) -> ToDo:
    """`deadlines` are the engine's deadlines as dicts (`key`, `label`, `due`, `status`,
    `actor`, `basis`, `source`, `consequence`), as the store keeps them."""
    events = frozenset(recorded_events)
    tasks: list[Task] = []
    theirs: list[TheirDeadline] = []
    for deadline in deadlines:
        status = str(deadline["status"])
        if status not in OPEN:
            continue
        due = deadline["due"]
        due = due if isinstance(due, date) else date.fromisoformat(str(due))
        actor = str(deadline["actor"])
        step = _step(_rule(procedure, str(deadline["key"])))
        basis, source = str(deadline.get("basis", "")), str(deadline.get("source", ""))
        expired = due < today or status == "missed"
        rule = _rule(procedure, str(deadline["key"]))
        if actor in OUR_SIDE and rule is not None and events.intersection(rule.satisfied_by):
            continue  # done late: nothing left to do, the deadline itself shows it missed
        if actor in OUR_SIDE:
            tasks.append(
                Task(
                    key=str(deadline["key"]),
                    label=str(deadline["label"]),
                    step=step.label if step else str(deadline["label"]),
                    actor=actor,
                    due=due,
                    late=expired,
                    documents=step.documents if step else (),
                    basis=basis,
                    source=source,
                )
            )
        elif expired:
            if step is not None and (step.event is None or step.event not in events):
                tasks.append(
                    Task(
                        key=str(deadline["key"]),
                        label=str(deadline["label"]),
                        step=step.label,
                        actor="creancier",
                        due=None,
                        late=False,
                        documents=step.documents,
                        basis=basis,
                        source=source,
                        because=f"{deadline['label']} expiré le {date_fr(due)}",
                    )
                )
        else:
            theirs.append(
                TheirDeadline(
                    key=str(deadline["key"]),
                    label=str(deadline["label"]),
                    actor=actor,
                    due=due,
                    status=status,
                    meaning=str(deadline.get("consequence", "")),
                    then=step.label if step else "",
                    basis=basis,
                    source=source,
                )
            )
    first = procedure.first_step
    begun = events.intersection(procedure.events).difference(procedure.prior_events)
    if first is not None and not begun:
        tasks.append(
            Task(
                key=first.event,
                label=procedure.title,
                step=first.label,
                actor=first.actor,
                due=None,
                late=False,
                documents=first.documents,
                basis=first.basis,
                source=first.source,
            )
        )
    # Late first, then by day; steps without a day (ready now) right after the late ones.
    tasks.sort(key=lambda t: (not t.late, t.due is not None, t.due or date.min, t.key))
    theirs.sort(key=lambda t: (t.due, t.key))
    return ToDo(tuple(tasks), tuple(theirs))
