"""The worked examples of the shared file (examples/deadlines.json, outside the repository) are
all carried over into tests/scenarios/*.toml as facts: when that file exists, each of its
examples must be found there with the same events, court, residence and expected dates. The
repository's own scenarios are the proof; this only guards the carry-over."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import SHARED
from tests.scenarios.format import ABSENT, Scenario, load, request_of

EXAMPLES_FILE = SHARED / "examples" / "deadlines.json"
SCENARIOS = Path(__file__).parent


def _signature(request: dict[str, Any]) -> str:
    """The facts of a request, whatever the defaults were spelt as (null = default)."""
    events = {
        key: ({"date": body} if isinstance(body, str) else dict(body))
        for key, body in (request.get("events") or {}).items()
    }
    facts = {
        "procedure": request["procedure"],
        "events": events,
        "court": request.get("court") or None,
        "court_department": request.get("court_department") or "75",
        "debtor_residence": request.get("debtor_residence") or None,
    }
    return json.dumps(facts, sort_keys=True)


def _expectations(scenario: Scenario) -> dict[str, str | None]:
    return {
        key: None if isinstance(expected, str) and expected == ABSENT else expected.due.isoformat()  # type: ignore[union-attr]
        for key, expected in scenario.expect.items()
    }


def _repository_scenarios() -> list[Scenario]:
    return [s for path in sorted(SCENARIOS.glob("*.toml")) for s in load(path)]


def test_every_shared_worked_example_is_a_repository_scenario():
    if not EXAMPLES_FILE.exists():
        pytest.skip(
            f"no shared examples file at {EXAMPLES_FILE}: the repository scenarios stand alone"
        )
    examples = json.loads(EXAMPLES_FILE.read_text(encoding="utf-8"))
    by_facts: dict[str, list[dict[str, str | None]]] = {}
    for scenario in _repository_scenarios():
        by_facts.setdefault(_signature(request_of(scenario)), []).append(_expectations(scenario))
    missing = []
    for index, example in enumerate(examples):
        candidates = by_facts.get(_signature(example), [])
        if not any(
            all(found.get(key, "missing") == due for key, due in example["expect"].items())
            for found in candidates
        ):
            missing.append(f"#{index} {example['procedure']}: {example.get('note', '')}")
    assert not missing, "shared examples not carried over:\n" + "\n".join(missing)


def test_the_repository_holds_scenarios_for_every_procedure():
    from casefile.definitions import engine

    covered = {s.procedure for s in _repository_scenarios()}
    assert covered == set(engine().procedures)
    assert sum(1 for s in _repository_scenarios() if s.origin == "partagé") >= 27
