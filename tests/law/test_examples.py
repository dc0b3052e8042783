"""Every worked example of ../shared/examples/deadlines.json, loaded as it is (not copied).

An `expect` value of null means the deadline must be absent (e.g. no formule exécutoire request
for an ordonnance rendered after 1 March 2022).
"""

from __future__ import annotations

import json

import pytest

from casefile.law.requests import schedule_for
from tests.conftest import SHARED

EXAMPLES_FILE = SHARED / "examples" / "deadlines.json"


def _examples() -> list[dict]:
    if not EXAMPLES_FILE.exists():
        pytest.fail(f"the worked examples are missing: {EXAMPLES_FILE}")
    return json.loads(EXAMPLES_FILE.read_text(encoding="utf-8"))


EXAMPLES = _examples()


@pytest.mark.parametrize(
    "example", EXAMPLES, ids=[f"{i}-{e['procedure']}" for i, e in enumerate(EXAMPLES)]
)
def test_worked_example(engine, example):
    request = {
        "procedure": example["procedure"],
        "events": example["events"],
        "court_department": example.get("court_department"),
        "debtor_residence": example.get("debtor_residence"),
    }
    if example.get("court"):
        request["court"] = example["court"]
    schedule = schedule_for(engine, request)
    due = {d.key: d.due.isoformat() for d in schedule.deadlines}
    for key, expected in example["expect"].items():
        if expected is None:
            assert key not in due, f"{key} must be absent ({example['note']})"
        else:
            assert due.get(key) == expected, example["note"]


def test_the_examples_file_is_not_empty():
    assert len(EXAMPLES) >= 20
