"""Straight-line Python source for a compiled plan: one function a (procedure, court, place).

`Engine._compute` reads each rule's flags for every case; the function written here has them
folded in: the case's events are read once each, the rules without a recorded start event are
passed with one test, and a plain rule (its start found without a choice between dates, its
period not read from an attribute, its due date not needed before its status) is a few lookups
in its memos. Anything else (an attribute that changes the period or the extension, a notice
or cap event) goes through `Engine._apply_step`, which the reference path tests.

The source depends only on the rules' definitions (not on the dates nor the territory): the
engine compiles each text once and binds it to each plan's memos (`make(K)`, K the plan's
constants). Pure: text in, text out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from casefile.law.procedures import DeadlineRule, Procedure, Start

_NAME_LIMIT = 400  # rules per plan: far above any procedure's; beyond, no generated code


class _Writer:
    def __init__(self) -> None:
        self.lines: list[str] = []
        self.constants: dict[str, object] = {}
        self.names: dict[tuple[str, object], str] = {}

    def emit(self, depth: int, text: str) -> None:
        self.lines.append("    " * depth + text)

    def constant(self, kind: str, value: object, slot: object = None) -> str:
        """A name for `value` in the generated module's constants (one per (kind, slot))."""
        key = (kind, slot if slot is not None else id(value))
        name = self.names.get(key)
        if name is None:
            name = f"{kind}{len(self.names)}"
            self.names[key] = name
            self.constants[name] = value
        return name


def _condition(event_var: str, conditions: Sequence[tuple[str, object]]) -> list[str]:
    """`_matches(conditions, event)` as expressions (an unrecorded yes/no counts as "no")."""
    out = []
    for name, value in conditions:
        getter = f"{event_var}.attributes.get({name!r})"
        if value is False:
            out.append(f"{getter} in (False, None)")
        else:
            out.append(f"{getter} == {value!r}")
    return out


def _literal_ok(value: object) -> bool:
    return isinstance(value, bool | int | str)


@dataclass(frozen=True, slots=True)
class PlanSource:
    """`make(K)`'s text; the constants it reads that any plan with the same text shares (rules,
    texts, dates); and, per step, the names K must bind to that plan's own objects: "step"
    (the `_Step`), "expiries" and "expire" (its expiry memo and the function that fills it),
    "fast" and "fill" (its memo of deadlines by start date and status, each alone or with its
    expiry's warnings, and its filler)."""

    text: str
    shared: dict[str, object]
    roles: tuple[dict[str, str], ...]


def _order_tests(procedure: Procedure, ev: Any) -> tuple[list[str], list[str]]:
    """Tests true whenever `Engine.check_order` would refuse the events (hard) and whenever
    `order_warnings` would warn (soft); both may be true more often (the exact check and its
    message are then left to those functions)."""
    hard: list[str] = []
    soft: list[str] = []
    for key, definition in procedure.events.items():
        for earlier in definition.after:
            hard.append(
                f"({ev(key)} is not None and {ev(earlier)} is not None and {ev(key)}.date < {ev(earlier)}.date)"
            )
        for other in definition.expected_before:
            soft.append(
                f"({ev(key)} is not None and {ev(other)} is not None and {ev(key)}.date >= {ev(other)}.date)"
            )
        for other in definition.expected_after:
            soft.append(
                f"({ev(key)} is not None and {ev(other)} is not None and {ev(key)}.date < {ev(other)}.date)"
            )
        for other in definition.exclusive_with:
            soft.append(f"({ev(key)} is not None and {ev(other)} is not None)")
    return hard, soft


def generated_source(
    procedure: Procedure, steps: Sequence[Any], event_keys: Sequence[str]
) -> PlanSource | None:
    """The source of `make(K)` for a plan's `steps` (`schedule._Step`) of `procedure`. None when
    a rule cannot be written (then the plan runs through `Engine._compute`'s loop)."""
    if len(steps) > _NAME_LIMIT:
        return None
    for step in steps:
        rule: DeadlineRule = step.rule
        for start in rule.starts:
            for _name, value in (*start.when, *(c for _, cs in start.when_event for c in cs)):
                if not _literal_ok(value):
                    return None
    index: dict[str, int] = {}

    def ev(key: str) -> str:
        position = index.get(key)
        if position is None:
            position = index[key] = len(index)
        return f"E{position}"

    for key in event_keys:
        ev(key)
    hard, soft = _order_tests(procedure, ev)
    w = _Writer()
    emit = w.emit
    emit(0, "def make(K):")
    body_start = len(w.lines)
    emit(1, "def run(events, today):")
    emit(2, "get = events.get")
    for key, position in index.items():
        emit(2, f"E{position} = get({key!r})")
    if hard:
        emit(2, f"if {' or '.join(hard)}:")
        emit(3, "check_order(procedure, events)")
    if soft:
        emit(2, f"warnings = order_warnings(procedure, events) if {' or '.join(soft)} else []")
    else:
        emit(2, "warnings = []")
    emit(2, "results = {}")
    voidable: set[str] = set()
    for step in steps:
        voidable.update(step.rule.voids)
    if voidable:
        emit(2, "voided_by = {}")
    seen_keys: set[str] = set()
    roles: list[dict[str, str]] = []
    for number, step in enumerate(steps):
        rule = step.rule
        role: dict[str, str] = {}
        roles.append(role)
        depth = 2
        emit(depth, f"# {rule.ident}: {rule.key}")
        key_lit = repr(rule.key)
        if rule.key in seen_keys:
            emit(depth, f"if {key_lit} not in results:")
            depth += 1
        seen_keys.add(rule.key)
        out = "warnings"
        if rule.key in voidable:
            emit(depth, f"voider = voided_by.get({key_lit}) if voided_by else None")
            emit(depth, "w = warnings if voider is None else []")
            out = "w"
        emit(depth, "dl = None")
        event_starts = [s.event for s in rule.starts if s.event is not None]
        all_events = len(event_starts) == len(rule.starts)
        waiting = [(ev(k), w.constant("c", f"{rule.key}: {note}")) for k, note in rule.waiting]

        def emit_waiting(d: int, waiting: list[tuple[str, str]] = waiting, out: str = out) -> None:
            if not waiting:
                emit(d, "pass")
            for var, message in waiting:
                emit(d, f"if {var} is not None:")
                emit(d + 1, f"{out}.append({message})")

        branch = "if"
        if all_events:
            absent = " and ".join(f"{ev(k)} is None" for k in dict.fromkeys(event_starts))
            emit(depth, f"{branch} {absent}:")
            emit_waiting(depth + 1)
            branch = "elif"
        step_name = w.constant("S", step, ("S", number))
        role["step"] = step_name
        generic = f"dl = apply({step_name}, plan, events, results, today, {out})"
        fallback: list[str] = []
        if rule.cap_event is not None:
            fallback.append("True")
        if rule.period_attribute:
            fallback.extend(
                f"({ev(k)} is not None and {rule.period_attribute!r} in {ev(k)}.attributes)"
                for k in dict.fromkeys(event_starts)
            )
        if rule.distance_extension:
            # Whether the plan gives this rule an extension is bound per plan (one text for
            # the plans with and without): art. 647 may then shorten it (a place recorded).
            extended = w.constant("L", None, ("L", number))
            role["extended"] = extended
            fallback.extend(
                f"({extended} and {ev(k)} is not None and 'lieu' in {ev(k)}.attributes)"
                for k in dict.fromkeys(event_starts)
            )
        if "True" in fallback:
            emit(depth, "else:" if branch == "elif" else "if True:")
            emit(depth + 1, generic)
        else:
            if fallback:
                emit(depth, f"{branch} {' or '.join(fallback)}:")
                emit(depth + 1, generic)
                emit(depth, "else:")
            else:
                emit(depth, "else:" if branch == "elif" else "if True:")
            _emit_step(w, depth + 1, step, number, out, ev, role)
        # after the step
        emit(depth, "if dl is not None:")
        inner = depth + 1
        if rule.key in voidable:
            emit(inner, "if voider is not None and dl.status != 'moot':")
            emit(inner + 1, f"dl = made_moot({key_lit}, dl, voider, warnings)")
        if rule.voids:
            emit(inner, "if dl.status == 'missed':")
            for key in rule.voids:
                emit(inner + 1, f"voided_by.setdefault({key!r}, dl)")
        emit(inner, f"results[{key_lit}] = dl")
    emit(2, "return results, warnings")
    emit(1, "return run")
    # Constants bound from K at the top of make (closure cells in run).
    bindings = [f"    {name} = K[{name!r}]" for name in w.constants]
    bindings += [
        f"    {name} = K[{name!r}]"
        for name in (
            "apply",
            "plan",
            "made_moot",
            "with_status",
            "pick",
            "rejected",
            "missed",
            "procedure",
            "check_order",
            "order_warnings",
        )
    ]
    lines = w.lines[:body_start] + bindings + w.lines[body_start:]
    bound = {name for role in roles for name in role.values()}
    shared = {name: value for name, value in w.constants.items() if name not in bound}
    return PlanSource("\n".join(lines) + "\n", shared, tuple(roles))


def _same_day_choice(w: _Writer, rule: DeadlineRule, number: int) -> str | None:
    """The start `Engine._pick` keeps between two found on the same day (`found`, in the
    rule's order), as an expression; None when it depends on more than the two starts.

    "earliest": the first (the minimum by date then index; no warning, the dates being
    equal). "latest" of a period counted forward: the period from the first start ends on
    or after that day, so the second interrupts it (no note, no warning) unless only one of
    the two is certain, which `_pick` then keeps alone. A backward period ends before its
    start: `_pick` warns then, left to it."""
    if rule.pick == "earliest":
        return "found[0]"
    if rule.pick != "latest" or rule.counting == "backward" or rule.period.backward:
        return None
    uncertain = [start.uncertain for start in rule.starts]
    if all(uncertain) or not any(uncertain):
        return "found[1]"
    flags = w.constant("U", tuple(uncertain), ("U", number))
    return f"found[0] if {flags}[found[1][0]] and not {flags}[found[0][0]] else found[1]"


def _emit_step(
    w: _Writer,
    depth: int,
    step: Any,
    number: int,
    out: str,
    ev: Any,
    role: dict[str, str],
) -> None:
    """The body of one step whose start event(s) may be recorded: sets `dl` or leaves it None."""
    emit = w.emit
    rule: DeadlineRule = step.rule
    starts: tuple[Start, ...] = rule.starts
    emit(depth, "while True:")
    d = depth + 1
    single = step.only_event is not None
    if single:
        emit(d, "idx = 0")
        emit(d, f"sd = {ev(step.only_event)}.date")
        emit(d, "extra = None")
    else:
        emit(d, "found = []")
        rejections = any(s.not_before is not None for s in starts)
        if rejections:
            emit(d, "rej = None")
        first = rule.pick == "first"
        for j, start in enumerate(starts):
            sd_ = d
            if first and j > 0:
                emit(d, "if not found:")
                sd_ = d + 1
            if start.event is not None:
                var = ev(start.event)
                tests = [f"{var} is not None", *_condition(var, start.when)]
                for other, conditions in start.when_event:
                    other_var = ev(other)
                    tests.append(f"{other_var} is not None")
                    tests.extend(_condition(other_var, conditions))
                emit(sd_, f"if {' and '.join(tests)}:")
                if start.not_before is not None:
                    ref = ev(start.not_before)
                    emit(sd_ + 1, f"if {ref} is not None and {var}.date < {ref}.date:")
                    triple = f"({start.event!r}, {var}.date, {start.not_before!r})"
                    emit(sd_ + 2, "if rej is None:")
                    emit(sd_ + 3, "rej = []")
                    emit(sd_ + 2, f"if {triple} not in rej:")
                    emit(sd_ + 3, f"rej.append({triple})")
                    emit(sd_ + 1, "else:")
                    emit(sd_ + 2, f"found.append(({j}, {var}.date))")
                else:
                    emit(sd_ + 1, f"found.append(({j}, {var}.date))")
            else:
                emit(sd_, f"prev = results.get({start.deadline or ''!r})")
                emit(sd_, "if prev is not None and prev.status not in ('done', 'moot'):")
                emit(sd_ + 1, f"found.append(({j}, prev.due))")
        if rejections:
            emit(d, "if rej is not None:")
            emit(
                d + 1, f"rejected({w.constant('S', step, ('S', number))}, plan, events, rej, {out})"
            )
        emit(d, "if not found:")
        for k, note in rule.waiting:
            emit(d + 1, f"if {ev(k)} is not None:")
            emit(d + 2, f"{out}.append({w.constant('c', f'{rule.key}: {note}')})")
        emit(d + 1, "break")
        if first:
            emit(d, "idx, sd = found[0]")
            emit(d, "extra = None")
        else:
            emit(d, "if len(found) == 1:")
            emit(d + 1, "idx, sd = found[0]")
            emit(d + 1, "extra = None")
            same_day = _same_day_choice(w, rule, number)
            if same_day is not None:
                # Two starts on one day (an attribute read by two versions of a start): what
                # `Engine._pick` answers then, without its call, warning or note.
                emit(d, "elif len(found) == 2 and found[0][1] == found[1][1]:")
                emit(d + 1, f"idx, sd = {same_day}")
                emit(d + 1, "extra = None")
            emit(d, "else:")
            emit(d + 1, "extra = []")
            emit(
                d + 1,
                f"idx, sd = pick({w.constant('R', rule, ('R', number))}, found, plan.territory, "
                f"plan.extension, {out}, extra, plan.procedure)",
            )
    # validity
    vu = "False"
    if step.validity:
        if rule.validity_event is not None and not (
            single and rule.validity_event == step.only_event
        ):
            var = ev(rule.validity_event)
            emit(d, f"vu = {var} is None")
            emit(d, f"reference = sd if vu else {var}.date")
            vu = "vu"
        else:
            emit(d, "reference = sd")
        tests = []
        if rule.valid_from:
            tests.append(f"reference < {w.constant('D', rule.valid_from)}")
        if rule.valid_until:
            tests.append(f"reference > {w.constant('D', rule.valid_until)}")
        emit(d, f"if {' or '.join(tests)}:")
        emit(d + 1, "break")
    # moot, act
    moot = " or ".join(f"{ev(k)} is not None" for k in rule.moot_by) or "False"
    acts = list(dict.fromkeys(rule.satisfied_by))
    uncertain = [s.uncertain for s in starts]
    if single:
        pending = repr("uncertain" if uncertain[0] else "pending")
    elif not any(uncertain):
        pending = "'pending'"
    elif all(uncertain):
        pending = "'uncertain'"
    else:
        pending = f"('uncertain' if {w.constant('U', tuple(uncertain), ('U', number))}[idx] else 'pending')"
    expiries = w.constant("X", None, ("X", number))
    expire = w.constant("x", None, ("x", number))
    fast = w.constant("F", None, ("F", number))
    fill = w.constant("f", None, ("f", number))
    role.update(expiries=expiries, expire=expire, fast=fast, fill=fill)
    notice = rule.notice_event
    if notice is not None:
        # The due date first: a notice dated after it leaves the rule to its next version.
        emit(d, f"result = {expiries}.get(sd) or {expire}(sd)")
        emit(d, f"if {ev(notice)} is not None and {ev(notice)}.date > result.due:")
        emit(d + 1, "break")
        emit(d, f"nu = {ev(notice)} is None")
    else:
        emit(d, "result = None")
    emit(d, "act = None")
    a = d
    if moot != "False":
        emit(d, f"if {moot}:")
        emit(d + 1, "status = 'moot'")
        emit(d, "else:")
        a = d + 1
    if acts:
        emit(a, f"act = {ev(acts[0])}")
        for k in acts[1:]:
            emit(a, f"if {ev(k)} is not None and (act is None or {ev(k)}.date < act.date):")
            emit(a + 1, f"act = {ev(k)}")
        emit(a, "if act is not None:")
        if notice is None:
            emit(a + 1, f"result = {expiries}.get(sd)")
            emit(a + 1, "if result is None:")
            emit(a + 2, f"result = {expire}(sd)")
        emit(a + 1, "status = 'done' if act.date <= result.due else 'missed'")
        emit(a, "else:")
        emit(a + 1, f"status = {pending}")
    else:
        emit(a, f"status = {pending}")
    if single and vu == "False" and notice is None:
        emit(d, f"fk = sd if status == {pending} else (sd, status)")
    else:
        key = "(sd, status"
        if not single:
            key += ", idx"
        if vu != "False":
            key += ", vu"
        if notice is not None:
            key += ", nu"
        key += ")"
        emit(d, f"fk = {key}")
    emit(d, f"hit = {fast}.get(fk)")
    emit(d, "if hit is None:")
    emit(d + 1, "if result is None:")
    emit(d + 2, f"result = {expiries}.get(sd) or {expire}(sd)")
    emit(d + 1, f"hit = {fill}(fk, sd, status, idx, {vu}, result{', nu' if notice else ''})")
    # The deadline alone, or with its expiry's warnings (`schedule._filler`).
    emit(d, "if type(hit) is tuple:")
    emit(d + 1, "dl, pw = hit")
    emit(d + 1, "if status != 'moot':")
    emit(d + 2, f"{out}.extend(pw)")
    emit(d, "else:")
    emit(d + 1, "dl = hit")
    if acts:
        emit(d, "if act is not None and status == 'missed':")
        emit(d + 1, "if extra is None:")
        emit(d + 2, "extra = []")
        emit(d + 1, f"extra.append(missed({w.constant('R', rule, ('R', number))}, plan, act, dl))")
    emit(d, "if today is not None and status in ('pending', 'uncertain') and today > dl.due:")
    emit(d + 1, "status = 'missed'")
    emit(d, "if extra or status != dl.status:")
    emit(d + 1, "dl = with_status(dl, status, extra or ())")
    emit(d, "break")
