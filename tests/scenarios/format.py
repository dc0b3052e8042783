"""The scenario file format (docs/scenarios.md): typed, strict, read by the collector in
`conftest.py`. A misspelt key is a collection error naming the file, never a silent pass."""

from __future__ import annotations

import tomllib
from datetime import date
from pathlib import Path
from typing import Any

import msgspec

from casefile.law.requests import schedule_for
from casefile.law.schedule import Engine, Schedule

ABSENT = "absent"


class Expected(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    """What one deadline must be: its due date and the article that decides it."""

    due: date
    basis: str  # the article that decides (contained in the deadline's `basis`)
    status: str | None = None
    unadjusted: date | None = None
    extension: str | None = None  # "1 month", "2 months", or "none"
    start: str | None = None  # the key of the event (or deadline) it runs from
    moved: str | None = None  # words of the reason it moved (art. 642), or "none"


class Superseded(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    """A shared worked example that a later change of the law made wrong: what the shared file
    expected, why it no longer holds and the source of the change. The scenario's own `expect`
    is the law as it stands; the shared check accepts the example only through this record."""

    expect: dict[str, Any]  # the shared file's expectations: a date, or "absent" for null
    reason: str  # the change of the law, in words
    source: str  # where the change is published (URL)


class Scenario(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    title: str
    events: dict[str, date | dict[str, Any]]
    expect: dict[str, Expected | str]
    procedure: str | None = None
    court: str | None = None
    court_department: str | None = None
    debtor_residence: str | None = None
    today: date | None = None
    warnings: list[str] = []  # words each expected warning contains
    no_warnings: bool = False
    note: str = ""
    origin: str = ""  # "partagé" for the worked examples carried over from the shared file
    superseded: Superseded | None = None  # a shared example the law has since changed


class ScenarioFile(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    scenario: list[Scenario]
    procedure: str | None = None  # default for the file's scenarios


def load(path: Path) -> list[Scenario]:
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
        parsed = msgspec.convert(raw, ScenarioFile)
    except (tomllib.TOMLDecodeError, msgspec.ValidationError) as error:
        raise ValueError(f"{path.name}: {error}") from None
    scenarios = []
    for index, scenario in enumerate(parsed.scenario):
        procedure = scenario.procedure or parsed.procedure
        if procedure is None:
            raise ValueError(f"{path.name}: scenario[{index}] names no procedure")
        for key, expected in scenario.expect.items():
            if isinstance(expected, str) and expected != ABSENT:
                raise ValueError(
                    f"{path.name}: scenario[{index}].expect.{key}: a table or {ABSENT!r}"
                )
        if scenario.superseded is not None:
            _check_superseded(path, index, scenario, scenario.superseded)
        scenarios.append(msgspec.structs.replace(scenario, procedure=procedure))
    return scenarios


def _check_superseded(path: Path, index: int, scenario: Scenario, old: Superseded) -> None:
    """A supersession names a shared example, a reason and a source, and really differs."""
    where = f"{path.name}: scenario[{index}].superseded"
    if scenario.origin != "partagé":
        raise ValueError(
            f'{where}: only a shared worked example (origin = "partagé") is superseded'
        )
    if not old.reason.strip() or not old.source.startswith(("https://", "http://")):
        raise ValueError(f"{where}: needs a reason and the URL of its source")
    if not old.expect:
        raise ValueError(f"{where}.expect: the shared expectations are required")
    differs = False
    for key, before in old.expect.items():
        if not (isinstance(before, date) or before == ABSENT):
            raise ValueError(f"{where}.expect.{key}: a date or {ABSENT!r}")
        now = scenario.expect.get(key)
        if now is None:
            raise ValueError(f"{where}.expect.{key}: the scenario must state the new expectation")
        if _due(now) != _due(before):
            differs = True
    if not differs:
        raise ValueError(
            f"{where}: the shared expectations equal the scenario's: nothing superseded"
        )


def _due(expected: object) -> str | None:
    """An expectation as the shared file writes it: the due date, or None for "absent"."""
    if isinstance(expected, Expected):
        return expected.due.isoformat()
    if isinstance(expected, date):
        return expected.isoformat()
    return None


def request_of(scenario: Scenario) -> dict[str, Any]:
    """The scenario as a deadline request (DESIGN.md §4 batch line)."""
    events: dict[str, dict[str, Any]] = {}
    for key, body in scenario.events.items():
        if isinstance(body, date):
            events[key] = {"date": body.isoformat()}
        else:
            events[key] = {k: v.isoformat() if isinstance(v, date) else v for k, v in body.items()}
    request: dict[str, Any] = {"procedure": scenario.procedure, "events": events}
    for name in ("court", "court_department", "debtor_residence"):
        value = getattr(scenario, name)
        if value is not None:
            request[name] = value
    if scenario.today is not None:
        request["today"] = scenario.today.isoformat()
    return request


def check(engine: Engine, scenario: Scenario) -> list[str]:
    """Every difference between the engine's result and the scenario, in words."""
    schedule: Schedule = schedule_for(engine, request_of(scenario))
    problems: list[str] = []
    for key, expected in scenario.expect.items():
        deadline = schedule.get(key)
        if isinstance(expected, str):
            if deadline is not None:
                problems.append(f"{key}: must be absent, got due {deadline.due.isoformat()}")
            continue
        if deadline is None:
            problems.append(f"{key}: absent, expected due {expected.due.isoformat()}")
            continue
        got = deadline.as_dict()
        checks: list[tuple[str, object, object]] = [
            ("due", expected.due.isoformat(), got["due"]),
        ]
        if expected.basis not in deadline.basis:
            problems.append(f"{key}: basis {deadline.basis!r} does not name {expected.basis!r}")
        if expected.status is not None:
            checks.append(("status", expected.status, got["status"]))
        if expected.unadjusted is not None:
            checks.append(("unadjusted", expected.unadjusted.isoformat(), got["unadjusted"]))
        if expected.extension is not None:
            wanted = None if expected.extension == "none" else expected.extension
            checks.append(("extension", wanted, got["extension"]))
        if expected.start is not None:
            checks.append(("start", expected.start, got["start"]["key"]))
        if expected.moved == "none":
            checks.append(("moved_because", None, got["moved_because"]))
        elif expected.moved is not None and expected.moved not in (got["moved_because"] or ""):
            problems.append(
                f"{key}: moved_because {got['moved_because']!r} lacks {expected.moved!r}"
            )
        problems.extend(
            f"{key}: {name} expected {want!r}, got {have!r}"
            for name, want, have in checks
            if want != have
        )
    for words in scenario.warnings:
        if not any(words in warning for warning in schedule.warnings):
            problems.append(f"no warning contains {words!r} (warnings: {list(schedule.warnings)})")
    if scenario.no_warnings and schedule.warnings:
        problems.append(f"expected no warning, got {list(schedule.warnings)}")
    return problems
