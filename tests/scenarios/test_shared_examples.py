"""The worked examples of the shared file (examples/deadlines.json, outside the repository) are
all carried over into tests/scenarios/*.toml as facts: when that file exists, each of its
examples must be found there with the same events, court, residence and expected dates. The
repository's own scenarios are the proof; this only guards the carry-over.

A shared example that a later change of the law made wrong is never dropped: its scenario states
the new expectation and records the shared one under `superseded` with the reason and the source
of the change (docs/scenarios.md); the check accepts it through that record and says so."""

from __future__ import annotations

import json
import warnings
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import SHARED
from tests.scenarios.format import ABSENT, Scenario, Superseded, load, request_of

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


def _superseded_expectations(old: Superseded) -> dict[str, str | None]:
    return {
        key: before.isoformat() if isinstance(before, date) else None
        for key, before in old.expect.items()
    }


def _repository_scenarios() -> list[Scenario]:
    return [s for path in sorted(SCENARIOS.glob("*.toml")) for s in load(path)]


def test_every_shared_worked_example_is_a_repository_scenario():
    if not EXAMPLES_FILE.exists():
        pytest.skip(
            f"no shared examples file at {EXAMPLES_FILE}: the repository scenarios stand alone"
        )
    examples = json.loads(EXAMPLES_FILE.read_text(encoding="utf-8"))
    by_facts: dict[str, list[Scenario]] = {}
    for scenario in _repository_scenarios():
        by_facts.setdefault(_signature(request_of(scenario)), []).append(scenario)
    missing, superseded = [], []
    for index, example in enumerate(examples):
        candidates = by_facts.get(_signature(example), [])
        wanted = example["expect"]
        if any(_agrees(_expectations(found), wanted) for found in candidates):
            continue
        replaced = [
            found
            for found in candidates
            if found.superseded is not None
            and _agrees(_superseded_expectations(found.superseded), wanted)
        ]
        if not replaced:
            missing.append(f"#{index} {example['procedure']}: {example.get('note', '')}")
            continue
        found = replaced[0]
        assert found.superseded is not None
        now = _expectations(found)
        changes = ", ".join(f"{key} {due} → {now[key]}" for key, due in wanted.items())
        superseded.append(
            f"#{index} {example['procedure']} superseded: {changes} "
            f"({found.superseded.reason} — {found.superseded.source})"
        )
    assert not missing, "shared examples not carried over:\n" + "\n".join(missing)
    for statement in superseded:
        warnings.warn(statement, stacklevel=1)


def _agrees(found: dict[str, str | None], wanted: dict[str, str | None]) -> bool:
    return all(found.get(key, "missing") == due for key, due in wanted.items())


def test_every_superseded_record_names_a_shared_example_and_differs_from_it():
    """A `superseded` record stays only while the shared file still holds the example it
    replaces (otherwise it is stale), and the scenario's expectations really differ from it."""
    records = [s for s in _repository_scenarios() if s.superseded is not None]
    for scenario in records:
        assert scenario.origin == "partagé", scenario.title
        assert scenario.superseded is not None
        before = _superseded_expectations(scenario.superseded)
        assert not _agrees(_expectations(scenario), before), scenario.title
    if not EXAMPLES_FILE.exists():
        return
    examples = json.loads(EXAMPLES_FILE.read_text(encoding="utf-8"))
    for scenario in records:
        assert scenario.superseded is not None
        before = _superseded_expectations(scenario.superseded)
        assert any(
            _signature(example) == _signature(request_of(scenario)) and example["expect"] == before
            for example in examples
        ), f"stale superseded record: {scenario.title}"


def test_the_repository_holds_scenarios_for_every_procedure():
    from casefile.definitions import engine

    covered = {s.procedure for s in _repository_scenarios()}
    assert covered == set(engine().procedures)
    assert sum(1 for s in _repository_scenarios() if s.origin == "partagé") >= 27


@pytest.mark.parametrize(
    ("superseded", "error"),
    [
        (
            'superseded = { expect = { signification_ordonnance = 2027-03-30 }, reason = "", '
            'source = "https://example.org" }',
            "needs a reason",
        ),
        (
            'superseded = { expect = { signification_ordonnance = 2027-03-30 }, reason = "r", '
            'source = "décret" }',
            "needs a reason and the URL",
        ),
        (
            'superseded = { expect = { signification_ordonnance = 2026-12-30 }, reason = "r", '
            'source = "https://example.org" }',
            "nothing superseded",
        ),
        (
            'superseded = { expect = { opposition = 2027-03-30 }, reason = "r", '
            'source = "https://example.org" }',
            "must state the new expectation",
        ),
    ],
)
def test_a_superseded_record_without_reason_source_or_difference_is_refused(
    tmp_path: Path, superseded: str, error: str
):
    path = tmp_path / "bad.toml"
    path.write_text(
        'procedure = "injonction_de_payer"\n[[scenario]]\ntitle = "t"\norigin = "partagé"\n'
        "events.ordonnance_rendue = 2026-09-30\n"
        'expect.signification_ordonnance = { due = 2026-12-30, basis = "CPC art. 1411" }\n'
        f"{superseded}\n",
        encoding="utf-8",
    )
    with pytest.raises(ValueError, match=error):
        load(path)
