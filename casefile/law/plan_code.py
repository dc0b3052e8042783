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

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

from casefile.law.procedures import DeadlineRule, Procedure, Start

_NAME_LIMIT = 400  # rules per plan: far above any procedure's; beyond, no generated code
_NAME = re.compile(r"\bE\d+\b")  # the generated code's names of events


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


# Tests written for one set of recorded events fold to these when that set decides them.
_TRUE, _FALSE = "True", "False"


def _all(parts: Sequence[str]) -> str:
    """`a and b and …`, folded: any "False" makes it "False", every "True" is dropped."""
    kept = []
    for part in parts:
        if part == _FALSE:
            return _FALSE
        if part != _TRUE:
            kept.append(f"({part})" if " or " in part else part)
    return " and ".join(kept) if kept else _TRUE


def _any(parts: Sequence[str]) -> str:
    """`a or b or …`, folded: any "True" makes it "True", every "False" is dropped."""
    kept = []
    for part in parts:
        if part == _TRUE:
            return _TRUE
        if part != _FALSE:
            kept.append(f"({part})" if " and " in part and len(parts) > 1 else part)
    return " or ".join(kept) if kept else _FALSE


class _Events:
    """The generated code's names for the events, and what is known of them: nothing (the
    general text: each event read with `get`, maybe None), or, for a text specialised by the
    recorded keys, which are recorded (read with `events[key]`, never None) and which are not
    (never read: their tests fold away)."""

    def __init__(self, recorded: frozenset[str] | None) -> None:
        self.recorded = recorded
        self.index: dict[str, int] = {}

    def __call__(self, key: str) -> str:
        position = self.index.get(key)
        if position is None:
            position = self.index[key] = len(self.index)
        return f"E{position}"

    def known(self, key: str) -> bool | None:
        return None if self.recorded is None else key in self.recorded

    def present(self, key: str) -> str:
        known = self.known(key)
        if known is None:
            return f"{self(key)} is not None"
        return _TRUE if known else _FALSE

    def absent(self, key: str) -> str:
        known = self.known(key)
        if known is None:
            return f"{self(key)} is None"
        return _FALSE if known else _TRUE


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


def _order_tests(procedure: Procedure, ev: _Events) -> tuple[str, str]:
    """Tests true whenever `Engine.check_order` would refuse the events (hard) and whenever
    `order_warnings` would warn (soft); both may be true more often (the exact check and its
    message are then left to those functions)."""
    hard: list[str] = []
    soft: list[str] = []
    for key, definition in procedure.events.items():
        for earlier in definition.after:
            hard.append(
                _all([ev.present(key), ev.present(earlier), f"{ev(key)}.date < {ev(earlier)}.date"])
            )
        for other in definition.expected_before:
            soft.append(
                _all([ev.present(key), ev.present(other), f"{ev(key)}.date >= {ev(other)}.date"])
            )
        for other in definition.expected_after:
            soft.append(
                _all([ev.present(key), ev.present(other), f"{ev(key)}.date < {ev(other)}.date"])
            )
        for other in definition.exclusive_with:
            soft.append(_all([ev.present(key), ev.present(other)]))
    return _any(hard), _any(soft)


def generated_source(
    procedure: Procedure,
    steps: Sequence[Any],
    event_keys: Sequence[str],
    recorded: frozenset[str] | None = None,
) -> PlanSource | None:
    """The source of `make(K)` for a plan's `steps` (`schedule._Step`) of `procedure`. None when
    a rule cannot be written (then the plan runs through `Engine._compute`'s loop).

    With `recorded` (keys the procedure knows), the text serves only the cases whose events
    are filed under exactly those keys: an event recorded is read with `events[key]` and is
    never None, one not recorded is never read, and the tests that this decides are folded
    away when written (the rules without a recorded start, the order tests that cannot fire,
    a satisfying or moot event absent). The same results, warnings and messages as the
    general text for those cases; the memos' keys are the same (the two texts share them)."""
    if len(steps) > _NAME_LIMIT:
        return None
    for step in steps:
        rule: DeadlineRule = step.rule
        for start in rule.starts:
            for _name, value in (*start.when, *(c for _, cs in start.when_event for c in cs)):
                if not _literal_ok(value):
                    return None
    ev = _Events(recorded)
    for key in event_keys:
        ev(key)
    hard, soft = _order_tests(procedure, ev)
    w = _Writer()
    emit = w.emit
    emit(0, "def make(K):")
    body_start = len(w.lines)
    emit(1, "def run(events, today):")
    if recorded is None:
        emit(2, "get = events.get")
    for key, position in ev.index.items():
        if recorded is None:
            emit(2, f"E{position} = get({key!r})")
        elif key in recorded:
            emit(2, f"E{position} = events[{key!r}]")
    if hard == _TRUE:
        emit(2, "check_order(procedure, events)")
    elif hard != _FALSE:
        emit(2, f"if {hard}:")
        emit(3, "check_order(procedure, events)")
    if soft == _TRUE:
        emit(2, "warnings = order_warnings(procedure, events)")
    elif soft != _FALSE:
        emit(2, f"warnings = order_warnings(procedure, events) if {soft} else []")
    else:
        emit(2, "warnings = []")
    emit(2, "results = {}")
    voidable: set[str] = set()
    for step in steps:
        voidable.update(step.rule.voids)
    if voidable:
        # Made by the first missed deadline that voids others (rare): no dict a case.
        emit(2, "voided_by = None")
    seen_keys: set[str] = set()
    roles: list[dict[str, str]] = []
    for number, step in enumerate(steps):
        rule = step.rule
        role: dict[str, str] = {}
        roles.append(role)
        depth = 2
        emit(depth, f"# {rule.ident}: {rule.key}")
        if _never_found(step, ev):
            # No start can be found in these cases and nothing is noted while waiting: the
            # step writes nothing (its memos' names are still bound, unread).
            role["step"] = w.constant("S", step, ("S", number))
            continue
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
        waiting = [(k, w.constant("c", f"{rule.key}: {note}")) for k, note in rule.waiting]
        branches: list[tuple[str, Any]] = []
        if all_events:
            absent = _all([ev.absent(k) for k in dict.fromkeys(event_starts)])
            branches.append(
                (absent, partial(_emit_waiting, w, waiting, ev, out)),
            )
        step_name = w.constant("S", step, ("S", number))
        role["step"] = step_name
        generic = f"dl = apply({step_name}, plan, events, results, today, {out})"
        fallback: list[str] = []
        if rule.cap_event is not None:
            fallback.append(_TRUE)
        if rule.period_attribute:
            fallback.extend(
                _all([ev.present(k), f"{rule.period_attribute!r} in {ev(k)}.attributes"])
                for k in dict.fromkeys(event_starts)
            )
        if rule.distance_extension:
            # Whether the plan gives this rule an extension is bound per plan (one text for
            # the plans with and without): art. 647 may then shorten it (a place recorded).
            extended = w.constant("L", None, ("L", number))
            role["extended"] = extended
            fallback.extend(
                _all([extended, ev.present(k), f"'lieu' in {ev(k)}.attributes"])
                for k in dict.fromkeys(event_starts)
            )
        branches.append((_any(fallback), partial(_emit_line, w, generic)))
        branches.append(
            (_TRUE, partial(_emit_step, w, step=step, number=number, out=out, ev=ev, role=role))
        )
        _emit_chain(w, depth, branches)
        # after the step
        emit(depth, "if dl is not None:")
        inner = depth + 1
        if rule.key in voidable:
            emit(inner, "if voider is not None and dl.status != 'moot':")
            emit(inner + 1, f"dl = made_moot({key_lit}, dl, voider, warnings)")
        if rule.voids:
            emit(inner, "if dl.status == 'missed':")
            emit(inner + 1, "if voided_by is None:")
            emit(inner + 2, "voided_by = {}")
            for key in rule.voids:
                emit(inner + 1, f"voided_by.setdefault({key!r}, dl)")
        emit(inner, f"results[{key_lit}] = dl")
    emit(2, "return results, warnings")
    emit(1, "return run")
    if recorded is not None:
        # An event not recorded is not read; should a test that it decides have been left
        # in the text (not folded), its name is None, as `get` would give.
        unread = {f"E{p}": k for k, p in ev.index.items() if k not in recorded}
        named = set(_NAME.findall("\n".join(w.lines))) & unread.keys()
        run_line = body_start + 1
        w.lines[run_line:run_line] = [f"        {name} = None" for name in sorted(named)]
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


def _never_found(step: Any, ev: _Events) -> bool:
    """In a text specialised by the recorded keys, whether `step` can neither find a start
    (each is an event start whose test folds to false: its event not recorded, or a condition
    on events not recorded), nor go through `apply` (a cap event, a period read from an
    attribute, a place recorded), nor note that it waits for a start: it gives no deadline
    and no warning, whatever the dates."""
    rule: DeadlineRule = step.rule
    if ev.recorded is None:
        return False
    quiet = all(ev.present(key) == _FALSE for key, _ in rule.waiting)
    if all(start.event is not None and ev.absent(start.event) == _TRUE for start in rule.starts):
        return quiet  # the step's first branch, alone: its notes while waiting
    if rule.cap_event is not None:
        return False
    if any(start.event is None or _start_test(start, ev) != _FALSE for start in rule.starts):
        return False
    if (rule.period_attribute or rule.distance_extension) and any(
        ev.present(str(start.event)) != _FALSE for start in rule.starts
    ):
        return False  # `apply` may read the event (`_start_candidates` then finds nothing)
    return quiet


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


def _emit_chain(w: _Writer, depth: int, branches: Sequence[tuple[str, Any]]) -> None:
    """`if a: … elif b: … else: …` of (test, writer of the body at a depth), folded: a branch
    whose test is "False" is left out, one whose test is "True" ends the chain (written as
    `else:`, or with no `if` at all when it is the first)."""
    live: list[tuple[str, Any]] = []
    for test, body in branches:
        if test == _FALSE:
            continue
        live.append((test, body))
        if test == _TRUE:
            break
    for position, (test, body) in enumerate(live):
        if position == 0 and test == _TRUE:
            _emit_body(w, depth, body)
            return
        if position == 0:
            w.emit(depth, f"if {test}:")
        elif test == _TRUE:
            w.emit(depth, "else:")
        else:
            w.emit(depth, f"elif {test}:")
        _emit_body(w, depth + 1, body)


def _emit_line(w: _Writer, line: str, depth: int) -> None:
    w.emit(depth, line)


def _emit_body(w: _Writer, depth: int, body: Any) -> None:
    """`body(depth)`, or `pass` if it wrote nothing."""
    size = len(w.lines)
    body(depth)
    if len(w.lines) == size:
        w.emit(depth, "pass")


def _emit_waiting(
    w: _Writer, waiting: Sequence[tuple[str, str]], ev: _Events, out: str, depth: int
) -> None:
    """The rule's notes on a recorded event while its start is missing."""
    for key, message in waiting:
        test = ev.present(key)
        if test == _FALSE:
            continue
        if test == _TRUE:
            w.emit(depth, f"{out}.append({message})")
        else:
            w.emit(depth, f"if {test}:")
            w.emit(depth + 1, f"{out}.append({message})")


def _start_test(start: Start, ev: _Events) -> str:
    """Whether an event start is found (its event recorded, its conditions met)."""
    var = ev(str(start.event))
    parts = [ev.present(str(start.event)), *_condition(var, start.when)]
    for other, conditions in start.when_event:
        parts.append(ev.present(other))
        parts.extend(_condition(ev(other), conditions))
    return _all(parts)


def _lone_start(rule: DeadlineRule, ev: _Events) -> tuple[int, str] | None:
    """In a text specialised by the recorded keys, the one start of `rule` that may be found
    (its index and test) when every other is an event start that cannot be, and it is never
    rejected (no `not_before` event recorded); else None."""
    if ev.recorded is None:
        return None
    lone: tuple[int, str] | None = None
    for j, start in enumerate(rule.starts):
        if start.event is None:
            return None
        tests = _start_test(start, ev)
        if tests == _FALSE:
            continue
        if lone is not None:
            return None
        if start.not_before is not None and ev.known(start.not_before) is not False:
            return None
        lone = (j, tests)
    return lone


def _emit_step(
    w: _Writer,
    depth: int,
    step: Any,
    number: int,
    out: str,
    ev: _Events,
    role: dict[str, str],
) -> None:
    """The body of one step whose start event(s) may be recorded: sets `dl` or leaves it None."""
    emit = w.emit
    rule: DeadlineRule = step.rule
    starts: tuple[Start, ...] = rule.starts
    emit(depth, "while True:")
    d = depth + 1
    single = step.only_event is not None
    plain = single  # `extra` stays None unless a satisfying event is late
    if single:
        emit(d, "idx = 0")
        emit(d, f"sd = {ev(step.only_event)}.date")
        emit(d, "extra = None")
    elif (lone := _lone_start(rule, ev)) is not None:
        plain = True
        # One start only may be found in these cases (the others' events are not recorded),
        # never rejected: what `found` would give, without the list.
        j, tests = lone
        var = ev(str(starts[j].event))
        if tests == _TRUE:
            emit(d, f"idx = {j}")
            emit(d, f"sd = {var}.date")
        else:
            emit(d, f"if {tests}:")
            emit(d + 1, f"idx = {j}")
            emit(d + 1, f"sd = {var}.date")
            emit(d, "else:")
            _emit_waiting(
                w,
                [(k, w.constant("c", f"{rule.key}: {note}")) for k, note in rule.waiting],
                ev,
                out,
                d + 1,
            )
            emit(d + 1, "break")
        emit(d, "extra = None")
    else:
        emit(d, "found = []")
        rejections = any(
            s.not_before is not None
            and ev.known(s.not_before) is not False
            and (s.event is None or ev.known(s.event) is not False)
            for s in starts
        )
        if rejections:
            emit(d, "rej = None")
        first = rule.pick == "first"
        for j, start in enumerate(starts):
            tests = _TRUE
            if start.event is not None:
                var = ev(start.event)
                tests = _start_test(start, ev)
                if tests == _FALSE:
                    continue  # never found in these cases
            sd_ = d
            if first and j > 0:
                emit(d, "if not found:")
                sd_ = d + 1
            if start.event is not None:
                if tests != _TRUE:
                    emit(sd_, f"if {tests}:")
                    sd_ += 1
                rejected = _FALSE
                if start.not_before is not None:
                    ref = ev(start.not_before)
                    rejected = _all([ev.present(start.not_before), f"{var}.date < {ref}.date"])
                if rejected == _FALSE:
                    emit(sd_, f"found.append(({j}, {var}.date))")
                else:
                    emit(sd_, f"if {rejected}:")
                    triple = f"({start.event!r}, {var}.date, {start.not_before!r})"
                    emit(sd_ + 1, "if rej is None:")
                    emit(sd_ + 2, "rej = []")
                    emit(sd_ + 1, f"if {triple} not in rej:")
                    emit(sd_ + 2, f"rej.append({triple})")
                    emit(sd_, "else:")
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
        _emit_waiting(
            w,
            [(k, w.constant("c", f"{rule.key}: {note}")) for k, note in rule.waiting],
            ev,
            out,
            d + 1,
        )
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
    keyed_vu = False  # the memos' keys hold whether the validity event is unknown
    if step.validity:
        if rule.validity_event is not None and not (
            single and rule.validity_event == step.only_event
        ):
            var = ev(rule.validity_event)
            keyed_vu = True
            known = ev.known(rule.validity_event)
            if known is None:
                emit(d, f"vu = {var} is None")
                emit(d, f"reference = sd if vu else {var}.date")
                vu = "vu"
            elif known:
                emit(d, f"reference = {var}.date")
            else:
                emit(d, "reference = sd")
                vu = _TRUE
        else:
            emit(d, "reference = sd")
        bounds = []
        if rule.valid_from:
            bounds.append(f"reference < {w.constant('D', rule.valid_from)}")
        if rule.valid_until:
            bounds.append(f"reference > {w.constant('D', rule.valid_until)}")
        emit(d, f"if {' or '.join(bounds)}:")
        emit(d + 1, "break")
    # moot, act
    moot = _any([ev.present(k) for k in rule.moot_by])
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
        late = _all([ev.present(notice), f"{ev(notice)}.date > result.due"])
        if late == _FALSE and all(ev.known(k) is False for k in acts):
            # Neither a notice nor a satisfying event to compare with the due date: the
            # expiry is read only to build a deadline not yet in the memo (below).
            emit(d, "result = None")
        else:
            # The due date first: a notice dated after it leaves the rule to its next version.
            emit(d, f"result = {expiries}.get(sd) or {expire}(sd)")
            if late != _FALSE:
                emit(d, f"if {late}:")
                emit(d + 1, "break")
        emit(d, f"nu = {ev.absent(notice)}")
    else:
        emit(d, "result = None")
    emit(d, "act = None")
    # What is known of `act` after the block: "none" (never an event), "set" (an event), or
    # "maybe" (a runtime test).
    act_state = "none"
    a = d
    if moot == _TRUE:
        emit(d, "status = 'moot'")
    else:
        if moot != _FALSE:
            emit(d, f"if {moot}:")
            emit(d + 1, "status = 'moot'")
            emit(d, "else:")
            a = d + 1
        for k in acts:
            known = ev.known(k)
            if known is False:
                continue
            if act_state == "none":
                emit(a, f"act = {ev(k)}")
                act_state = "set" if known else "maybe"
            elif act_state == "set":
                earlier = _all([ev.present(k), f"{ev(k)}.date < act.date"])
                emit(a, f"if {earlier}:")
                emit(a + 1, f"act = {ev(k)}")
            else:
                earlier = _all([ev.present(k), f"(act is None or {ev(k)}.date < act.date)"])
                emit(a, f"if {earlier}:")
                emit(a + 1, f"act = {ev(k)}")
                if known:
                    act_state = "set"
        done = "status = 'done' if act.date <= result.due else 'missed'"
        if act_state == "none":
            emit(a, f"status = {pending}")
        else:
            if act_state == "maybe":
                emit(a, "if act is not None:")
                b = a + 1
            else:
                b = a
            if notice is None:
                emit(b, f"result = {expiries}.get(sd)")
                emit(b, "if result is None:")
                emit(b + 1, f"result = {expire}(sd)")
            emit(b, done)
            if act_state == "maybe":
                emit(a, "else:")
                emit(a + 1, f"status = {pending}")
        if moot != _FALSE and act_state == "set":
            act_state = "maybe"  # None when moot
    # In a specialised text, a rule with neither a satisfying nor a moot event recorded is
    # pending (or uncertain) until `today` is read: its status is known when written.
    still = ev.recorded is not None and moot == _FALSE and act_state == "none"
    # A rule of several starts, none uncertain, no notice: its first start pending with the
    # validity known is keyed by the start date alone (no tuple built, hashed and compared),
    # as a single start's pending deadline is; the other entries by their tuple. Every text
    # of the rule writes the same keys (they share the memo).
    # So is a rule's deadline from its first start, pending (or uncertain, a single start's
    # status while nothing satisfies it), the validity known and the notice date not
    # recorded (the usual case of a rule with a notice event): one key per rule, whatever
    # the text, meaning one status, start and flags.
    short: list[str] | None = None  # None: never the short key in this text
    if (single or pending == "'pending'") and vu != _TRUE:
        short = [] if single else ["idx == 0"]
        if keyed_vu and vu != _FALSE:
            short.append(f"not {vu}")
        if notice is not None:
            absent = ev.absent(notice)
            if absent == _FALSE:
                short = None
            elif absent != _TRUE:
                short.append("nu")
    # The full key: the start date, the status (known when written, else the variable), then
    # the flags this rule reads.
    parts = ["sd", pending if still and pending in ("'pending'", "'uncertain'") else "status"]
    if not single:
        parts.append("idx")
    if keyed_vu:
        parts.append(vu)
    if notice is not None:
        parts.append("nu")
    key = "(" + ", ".join(parts) + ")"
    if short is not None:
        if parts[1] != "status":
            key = f"sd if {' and '.join(short)} else {key}" if short else "sd"
        else:
            key = f"sd if {' and '.join([f'status == {pending}', *short])} else {key}"
    emit(d, f"fk = {key}")
    emit(d, f"hit = {fast}.get(fk)")
    emit(d, "if hit is None:")
    if still and notice is None:  # no expiry read yet
        emit(d + 1, f"result = {expiries}.get(sd) or {expire}(sd)")
    else:
        emit(d + 1, "if result is None:")
        emit(d + 2, f"result = {expiries}.get(sd) or {expire}(sd)")
    emit(d + 1, f"hit = {fill}(fk, sd, status, idx, {vu}, result{', nu' if notice else ''})")
    # The deadline alone, or with its expiry's warnings (`schedule._filler`).
    emit(d, "if type(hit) is tuple:")
    emit(d + 1, "dl, pw = hit")
    if still or moot == _FALSE:
        emit(d + 1, f"{out}.extend(pw)")
    else:
        emit(d + 1, "if status != 'moot':")
        emit(d + 2, f"{out}.extend(pw)")
    emit(d, "else:")
    emit(d + 1, "dl = hit")
    if act_state != "none":
        emit(
            d,
            "if act is not None and status == 'missed':"
            if act_state == "maybe"
            else "if status == 'missed':",
        )
        emit(d + 1, "if extra is None:")
        emit(d + 2, "extra = []")
        emit(d + 1, f"extra.append(missed({w.constant('R', rule, ('R', number))}, plan, act, dl))")
    if still and pending in ("'pending'", "'uncertain'"):
        emit(d, "if today is not None and today > dl.due:")
    else:
        emit(d, "if today is not None and status in ('pending', 'uncertain') and today > dl.due:")
    emit(d + 1, "status = 'missed'")
    if ev.recorded is not None and plain and act_state == "none":
        emit(d, "if status != dl.status:")
        emit(d + 1, "dl = with_status(dl, status, ())")
    else:
        emit(d, "if extra or status != dl.status:")
        emit(d + 1, "dl = with_status(dl, status, extra or ())")
    emit(d, "break")
