"""A bad batch line never sinks the batch (DESIGN.md §4): whatever JSON value a field holds,
the line gives its result or its `{"error": …}` line, and the lines after it are computed.

Property tests feed arbitrary JSON values in every field of a request (top level, event body,
date, attributes). Validation must turn each bad value into a CasefileError with a message: the
batch's last-resort guard ("requête invalide (TypeError…)") must never be needed.
"""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import msgspec
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from casefile.definitions import engine
from casefile.errors import CasefileError
from casefile.law.requests import REQUEST_KEYS, schedule_for
from casefile.services.batch import process_chunk
from tests.conftest import ROOT

PLAUSIBLE = st.sampled_from(
    [
        "2026-05-20",
        "2026-02-30",
        "20260520",
        "75",
        "2A",
        "974",
        "etranger",
        "4000.00",
        "4 080,50 €",
        "1e3",
        "NaN",
        "tribunal_judiciaire",
        "injonction_de_payer",
        "ordonnance_signifiee",
        "-8 days",
        "",
        " ",
    ]
)
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**63), max_value=2**64 - 1)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12)
    | PLAUSIBLE
)
JSON = st.recursive(
    SCALARS,
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(st.text(max_size=8) | PLAUSIBLE, children, max_size=3)
    ),
    max_leaves=6,
)
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def base_request() -> dict[str, Any]:
    return {
        "procedure": "injonction_de_payer",
        "events": {
            "ordonnance_rendue": {"date": "2026-04-10"},
            "ordonnance_signifiee": {"date": "2026-05-20", "a_personne": True, "lieu": "75"},
        },
        "court": "tribunal_judiciaire",
        "court_department": "67",
        "debtor_residence": "972",
        "claim_total": "4000.00",
        "today": "2026-06-01",
    }


EXPECTED = json.loads(schedule_for(engine(), base_request()).json_bytes())


def computes_or_says_why(request: object) -> None:
    """The core either computes or raises a CasefileError (never TypeError, KeyError…)."""
    try:
        schedule_for(engine(), request)  # type: ignore[arg-type]
    except CasefileError as error:
        assert str(error)


@SETTINGS
@given(field=st.sampled_from(sorted(REQUEST_KEYS)), value=JSON)
def test_any_json_value_in_any_field_is_computed_or_refused(field: str, value: Any):
    request = base_request()
    request[field] = value
    computes_or_says_why(request)


@SETTINGS
@given(name=st.text(max_size=10) | PLAUSIBLE, value=JSON)
def test_any_extra_field_is_refused_not_ignored(name: str, value: Any):
    request = base_request()
    request[name] = value
    if name in REQUEST_KEYS:
        computes_or_says_why(request)
        return
    try:
        schedule_for(engine(), request)
    except CasefileError as error:
        assert "champ(s) inconnu(s)" in str(error)
    else:
        raise AssertionError(f"field {name!r} was silently ignored")


@SETTINGS
@given(
    where=st.sampled_from(["body", "date", "a_personne", "lieu", "new_attribute", "new_event"]),
    value=JSON,
)
def test_any_json_value_inside_events_is_computed_or_refused(where: str, value: Any):
    request = base_request()
    events = request["events"]
    if where == "body":
        events["ordonnance_signifiee"] = value
    elif where == "new_event":
        events["opposition_formee"] = value
    elif where == "new_attribute":
        events["ordonnance_signifiee"]["heure"] = value
    else:
        events["ordonnance_signifiee"][where] = value
    computes_or_says_why(request)


@SETTINGS
@given(line=JSON)
def test_any_json_line_gives_one_line_and_the_next_line_is_computed(line: Any):
    good = msgspec.json.encode(base_request())
    out = process_chunk(1, [msgspec.json.encode(line), good], None)
    results = [json.loads(item) for item in out.splitlines()]
    assert len(results) == 2
    first, second = results
    assert "deadlines" in first or first["error"].startswith("ligne 1 : ")
    assert "requête invalide (" not in first.get("error", ""), first
    assert second == EXPECTED


def test_a_department_given_as_an_array_or_an_object_does_not_sink_the_batch(tmp_path):
    """The case of issue 10: `court_department` as an array crashed the whole batch."""
    lines = [
        {**base_request(), "court_department": ["67"]},
        {**base_request(), "court_department": {"code": "67"}},
        {**base_request(), "debtor_residence": [972]},
        {**base_request(), "events": [["ordonnance_rendue", "2026-04-10"]]},
        {**base_request(), "today": []},
        {**base_request(), "claim_total": {"amount": "4000.00"}},
        base_request(),
    ]
    path = tmp_path / "batch.jsonl"
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "casefile.cli",
            "deadlines",
            "--batch",
            str(path),
            "--format",
            "jsonl",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr
    results = [json.loads(item) for item in result.stdout.splitlines()]
    assert len(results) == len(lines)
    errors = [r["error"] for r in results[:-1]]
    assert errors[0].startswith(
        'ligne 1 : court_department : « ["67"] » doit être un code de département comme '
        "« 75 », « 2A » ou « 974 »"
    )
    assert errors[1].startswith('ligne 2 : court_department : « {"code": "67"} » doit être')
    assert errors[2].startswith("ligne 3 : debtor_residence : « [972] » doit être")
    assert errors[3].startswith("ligne 4 : events doit être un objet")
    assert errors[4].startswith("ligne 5 : today : « [] » n'est pas une date au format AAAA-MM-JJ")
    assert errors[5].startswith("ligne 6 : claim_total")
    assert results[-1] == EXPECTED
    # Served à personne in Paris: no distance extension for the debtor of Martinique (CPC 647).
    assert {d["key"]: d["due"] for d in EXPECTED["deadlines"]}["opposition"] == "2026-06-22"
