"""`casefile deadlines --batch` at scale: every core by default for a batch of several chunks
(same bytes, same order as one process), the compact `--fields` mode, the bounded memos."""

from __future__ import annotations

import io
import json
import subprocess
import sys

import pytest

from casefile.definitions import engine
from casefile.errors import InputError
from casefile.law.requests import RequestMemo, schedule_for, schedule_for_request
from casefile.services import batch
from tests.conftest import ROOT


def _request(n: int) -> dict[str, object]:
    day = f"2026-{1 + n % 12:02d}-{1 + n % 28:02d}"
    if n % 3 == 0:
        return {
            "procedure": "injonction_de_payer",
            "events": {
                "ordonnance_rendue": {"date": day},
                "ordonnance_signifiee": {"date": day, "a_personne": n % 2 == 0},
            },
            "court_department": ["75", "67", "974"][n % 3 // 1 % 3],
        }
    if n % 3 == 1:
        return {
            "procedure": "refere_provision",
            "events": {"ordonnance_signifiee": day},
            "debtor_residence": "etranger",
            "today": "2026-06-30",
        }
    return {
        "procedure": "amiable",
        "events": {"exigibilite": {"date": day, "debiteur": "consommateur"}},
    }


def _lines(count: int) -> bytes:
    lines = [json.dumps(_request(n)) for n in range(count)]
    lines[7] = '{"procedure": "refere_provision", "events": {"ordonnance_signifiee": [1]}}'
    if count > 4001:
        lines[4001] = "not json"
    return ("\n".join(lines) + "\n").encode()


def _run(data: bytes, jobs: int, fields: tuple[str, ...] | None = None) -> bytes:
    out = io.BytesIO()
    batch.run(io.BytesIO(data), out, jobs=jobs, fields=fields)
    return out.getvalue()


LINES = 4321  # about 650 kB: three blocks


def test_workers_give_the_same_bytes_in_the_same_order_as_one_process():
    data = _lines(LINES)
    assert len(data) > 2 * batch.CHUNK_BYTES
    alone = _run(data, jobs=1)
    assert _run(data, jobs=0) == alone  # default: every core (3 chunks)
    assert _run(data, jobs=2) == alone
    results = alone.splitlines()
    assert len(results) == LINES
    assert json.loads(results[7])["error"].startswith(
        "ligne 8 : événement « Ordonnance de référé signifiée » (ordonnance_signifiee) :"
    )
    assert json.loads(results[4001])["error"] == (
        "ligne 4002 : JSON invalide : caractère inattendu (octet 4)"
    )
    # each good line is what `schedule_for` gives for that request
    assert json.loads(results[100]) == json.loads(
        schedule_for(engine(), _request(100)).json_bytes()
    )


def test_many_small_blocks_over_three_workers_and_odd_lines(monkeypatch):
    """Blocks of a few lines go round three workers many times; blank lines, a line longer
    than a block and a last line without its newline each keep their own result line."""
    lines = _lines(300).decode().splitlines()
    lines[10] = ""
    lines[11] = json.dumps({**_request(11), "note": "x" * 5000})
    data = ("\n".join(lines) + "\n\n" + json.dumps(_request(5))).encode()
    alone = _run(data, jobs=1)
    monkeypatch.setattr(batch, "CHUNK_BYTES", 700)
    assert _run(data, jobs=3) == alone
    assert _run(data, jobs=2, fields=("key", "due")) == _run(data, jobs=1, fields=("key", "due"))
    results = alone.splitlines()
    assert len(results) == 302
    assert json.loads(results[10])["error"] == "ligne 11 : ligne vide (un objet JSON attendu)"
    assert json.loads(results[11])["error"].startswith(
        "ligne 12 : champ(s) inconnu(s) « note » (autorisés : "
    )
    assert json.loads(results[300])["error"] == "ligne 301 : ligne vide (un objet JSON attendu)"
    assert json.loads(results[301]) == json.loads(schedule_for(engine(), _request(5)).json_bytes())


@pytest.mark.parametrize(
    ("line", "error"),
    [
        ("{bad", "ligne 1 : JSON invalide : clé d'objet sans guillemets (octet 1)"),
        ('{"procedure": "amiable"', "ligne 1 : JSON invalide : document incomplet"),
        (
            '{"procedure": "amiable", "claim_total": 1e400}',
            "ligne 1 : JSON invalide : nombre hors limites (un montant s'écrit comme un texte, "
            'par exemple "4080.50")',
        ),
        ("   ", "ligne 1 : ligne vide (un objet JSON attendu)"),
    ],
)
def test_an_unreadable_line_is_told_in_french(line: str, error: str) -> None:
    results = _run((line + "\n").encode(), jobs=1).splitlines()
    assert [json.loads(r) for r in results] == [{"error": error}]


def test_each_result_line_is_the_schedule_json_byte_for_byte():
    """The batch writes a result line from kept parts (envelope head, deadline bytes, warnings
    tail): the same bytes as `Schedule.json_bytes()`, warnings or not."""
    requests = [
        _request(0),
        _request(1),
        _request(2),
        {
            "procedure": "petites_creances",
            "events": {"invitation_envoyee": {"date": "2026-10-31"}},
            "claim_total": "9000.00",
        },
    ]
    out = batch.process_chunk(1, [json.dumps(request).encode() for request in requests], None)
    expected = [schedule_for(engine(), request).json_bytes() for request in requests]
    assert out.splitlines() == expected
    assert '"warnings":["montant 9\u202f000,00\u00a0€'.encode() in expected[3]


def test_workers_write_straight_to_a_file(tmp_path, monkeypatch):
    data = _lines(200)
    monkeypatch.setattr(batch, "CHUNK_BYTES", 2000)
    path = tmp_path / "out.jsonl"
    with path.open("wb") as out:
        out.write(b"first\n")  # already buffered before the workers start: written first
        batch.run(io.BytesIO(data), out, jobs=2)
        out.write(b"last\n")
    written = path.read_bytes().splitlines()
    assert written[0] == b"first" and written[-1] == b"last"
    assert b"\n".join(written[1:-1]) + b"\n" == _run(data, jobs=1)


def test_fields_keep_the_envelope_and_only_the_chosen_deadline_fields():
    data = _lines(10)
    full = [json.loads(line) for line in _run(data, 1).splitlines()]
    fields = batch.parse_fields("status, due,key")
    assert fields == ("key", "due", "status")  # the contract's order, whatever the order asked
    compact = [json.loads(line) for line in _run(data, 1, fields).splitlines()]
    for whole, small in zip(full, compact, strict=True):
        if "error" in whole:
            assert small == whole
            continue
        assert small == {
            **whole,
            "deadlines": [
                {"key": d["key"], "due": d["due"], "status": d["status"]}
                for d in whole["deadlines"]
            ],
        }
    assert any(d["status"] == "missed" for line in compact[1:2] for d in line["deadlines"])


def test_unknown_field_is_refused_by_name():
    with pytest.raises(InputError, match=r"--fields : champ\(s\) inconnu\(s\) dued"):
        batch.parse_fields("key,dued")
    with pytest.raises(InputError, match="--fields"):
        batch.parse_fields(" , ")


def test_cli_fields_and_exit_status():
    request = json.dumps(
        {"procedure": "petites_creances", "events": {"invitation_envoyee": {"date": "2026-10-31"}}}
    )
    command = [sys.executable, "-m", "casefile.cli", "deadlines", "--batch", "-", "--format"]
    done = subprocess.run(
        [*command, "jsonl", "--fields", "key,due"],
        input=request + "\n",
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["deadlines"] == [
        {"key": "reponse_debiteur", "due": "2026-11-30"}
    ]
    refused = subprocess.run(
        [*command, "jsonl", "--fields", "due,colour"],
        input=request + "\n",
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert refused.returncode == 2
    assert "colour" in refused.stderr


def test_memos_stay_bounded_and_give_the_same_results():
    eng = engine()
    memo = RequestMemo(limit=3)
    import msgspec

    from casefile.law.requests import Request

    for n in range(40):
        request = _request(n)
        decoded = msgspec.json.decode(json.dumps(request), type=Request)
        assert (
            schedule_for_request(eng, decoded, memo).json_bytes()
            == schedule_for(eng, request).json_bytes()
        )
        assert len(memo.events) <= 3 and len(memo.facts) <= 3
    eng.trim_memo(10)
    assert len(eng._deadlines) <= 10 and len(eng._expiries) <= 10


def test_memo_tells_json_types_apart():
    """true and 1 are equal in Python: a memo keyed on values alone would reuse one for the
    other."""
    import msgspec

    from casefile.law.requests import Request

    eng = engine()
    memo = RequestMemo()
    base = {
        "procedure": "injonction_de_payer",
        "events": {"ordonnance_signifiee": {"date": "2026-02-13"}},
    }
    good = dict(base, events={"ordonnance_signifiee": {"date": "2026-02-13", "a_personne": True}})
    schedule_for_request(eng, msgspec.json.decode(json.dumps(good), type=Request), memo)
    for value in (1, 1.0, "true"):
        odd = dict(
            base, events={"ordonnance_signifiee": {"date": "2026-02-13", "a_personne": value}}
        )
        try:
            expected: object = schedule_for(eng, odd).json_bytes()
        except InputError as error:
            expected = str(error)
        try:
            got: object = schedule_for_request(
                eng, msgspec.json.decode(json.dumps(odd), type=Request), memo
            ).json_bytes()
        except InputError as error:
            got = str(error)
        assert got == expected, value


def test_a_float_after_true_in_the_same_batch_is_refused():
    """The memo once keyed attributes by (name, value) pairs: ("a_personne", 1.0) equals
    ("a_personne", True) in Python, and the float line took the boolean line's result."""
    event = {"date": "2026-12-09", "a_personne": True}
    first = {"procedure": "injonction_de_payer", "events": {"ordonnance_signifiee": event}}
    second = {
        "procedure": "injonction_de_payer",
        "events": {"ordonnance_signifiee": {**event, "a_personne": 1.0}},
    }
    out = batch.process_chunk(1, [json.dumps(first).encode(), json.dumps(second).encode()], None)
    results = [json.loads(line) for line in out.splitlines()]
    assert "deadlines" in results[0]
    assert results[1] == {
        "error": "ligne 2 : événement « Ordonnance signifiée au débiteur » (ordonnance_signifiee) "
        ": attribut « Signification à la personne du débiteur (CPC art. 654) » (a_personne) : "
        "reçu « 1.0 », attendu un texte, un nombre ou true/false"
    }
