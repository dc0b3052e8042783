"""The CLI contract of DESIGN.md §4 for `casefile deadlines`: fields, exit status, batch mode."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from casefile.cli import main
from tests.conftest import ROOT

CONTRACT_FIELDS = {
    "key",
    "label",
    "due",
    "start",
    "period",
    "extension",
    "unadjusted",
    "moved_because",
    "actor",
    "basis",
    "source",
    "status",
}


def run_cli(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_json_output_has_the_contract_shape(capsys):
    code, out, err = run_cli(
        capsys,
        "deadlines",
        "--procedure",
        "injonction_de_payer",
        "--event",
        "ordonnance_rendue=2027-02-01",
        "--event",
        "ordonnance_signifiee=2027-02-26:a_personne=true",
        "--court-department",
        "57",
        "--format",
        "json",
    )
    assert (code, err) == (0, "")
    document = json.loads(out)
    assert set(document) == {"procedure", "territory", "deadlines", "warnings"}
    assert (document["procedure"], document["territory"]) == (
        "injonction_de_payer",
        "alsace-moselle",
    )
    opposition = next(d for d in document["deadlines"] if d["key"] == "opposition")
    assert set(opposition) >= CONTRACT_FIELDS
    assert opposition["due"] == "2027-03-30"  # Good Friday 26, Easter Monday 29 in Metz
    assert opposition["unadjusted"] == "2027-03-26"
    assert opposition["start"] == {
        "kind": "event",
        "key": "ordonnance_signifiee",
        "date": "2027-02-26",
    }
    assert opposition["period"] == "1 month"
    assert opposition["extension"] is None
    assert "Vendredi saint" in opposition["moved_because"]
    assert opposition["basis"] == "CPC art. 1416"
    assert opposition["source"].startswith("https://www.legifrance.gouv.fr/")
    assert opposition["status"] == "pending"
    assert "formule_executoire" not in {d["key"] for d in document["deadlines"]}


def test_table_output_for_humans(capsys):
    code, out, _ = run_cli(
        capsys,
        "deadlines",
        "--procedure",
        "refere_provision",
        "--event",
        "ordonnance_signifiee=2026-10-27",
        "--format",
        "table",
    )
    assert code == 0
    assert "jeudi 12 novembre 2026" in out and "CPC art. 490" in out


def test_the_table_speaks_french_labels_dates_and_amounts(capsys):
    """It printed the procedure's and territory's keys, the start event's key and the engine's
    reasons as written ('… suivant, 2027-03-30', 'montant 5000.01 €')."""
    code, out, _ = run_cli(
        capsys,
        "deadlines",
        "--procedure",
        "injonction_de_payer",
        "--event",
        "ordonnance_signifiee=2027-02-26:a_personne=true",
        "--court-department",
        "57",
        "--format",
        "table",
    )
    assert code == 0
    assert "Injonction de payer — Alsace-Moselle (Bas-Rhin, Haut-Rhin, Moselle)" in out
    assert "départ : Ordonnance signifiée au" in out and "vendredi 26 février 2027" in " ".join(
        out.split()
    )
    assert "qui agit : débiteur" in out
    assert "vendredi 26 mars 2027 (Vendredi saint)," in out
    assert not re.search(r"\d{4}-\d{2}-\d{2}|\b[a-z]+_[a-z_]+\b", out), out
    code, out, _ = run_cli(
        capsys,
        "deadlines",
        "--procedure",
        "petites_creances",
        "--event",
        "invitation_envoyee=2020-01-06",
        "--claim-total",
        "5000.01",
        "--format",
        "table",
    )
    text = re.sub(r" *\n", " ", out)
    assert (
        "Attention : montant 5\u202f000,01\u00a0€ supérieur au plafond de 5\u202f000,00\u00a0€ "
        "applicable le 6 janvier 2020"
    ) in text


def test_the_procedures_table_has_french_headers(capsys):
    code, out, _ = run_cli(capsys, "procedures")
    assert code == 0
    assert "Procédure" in out and "Fondement" in out
    assert not re.search(r"\b(?:key|title|legal_basis|deadlines)\b", out), out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["--procedure", "injonction"],
            "procédure inconnue « injonction » ; la plus proche : « Injonction de payer » "
            "(injonction_de_payer) ; liste complète : casefile procedures, ou GET /api/procedures",
        ),
        (
            ["--procedure", "refere_provision", "--event", "ordonnance=2026-01-01"],
            "événement inconnu « ordonnance » pour la procédure « Référé-provision » ; les plus "
            "proches : « Ordonnance de référé rendue » (ordonnance_rendue), « Ordonnance de "
            "référé signifiée » (ordonnance_signifiee) ; liste complète : casefile procedures "
            "refere_provision, ou GET /api/procedures/refere_provision",
        ),
        (
            ["--procedure", "refere_provision", "--event", "ordonnance_signifiee=2026-02-30"],
            "événement « Ordonnance de référé signifiée » (ordonnance_signifiee) : « 2026-02-30 » "
            ": cette date n'existe pas dans le calendrier",
        ),
        (
            ["--procedure", "refere_provision", "--event", "ordonnance_signifiee=13/02/2026"],
            "« 13/02/2026 » n'est pas une date au format AAAA-MM-JJ",
        ),
        (
            ["--procedure", "refere_provision", "--event", "ordonnance_signifiee"],
            "événement « ordonnance_signifiee » : forme attendue EVENT=AAAA-MM-JJ",
        ),
        (
            ["--procedure", "refere_provision", "--court-department", "100"],
            "département de la juridiction : « 100 » n'est pas le code d'un département",
        ),
    ],
)
def test_bad_input_exits_2_with_one_line(argv, message):
    result = subprocess.run(
        [sys.executable, "-m", "casefile.cli", "deadlines", *argv, "--format", "json"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0]
    assert "Traceback" not in result.stderr


def test_batch_gives_one_line_per_input_line_in_order_and_survives_bad_lines(tmp_path, capsys):
    lines = [
        {
            "procedure": "refere_provision",
            "events": {"ordonnance_signifiee": {"date": "2027-04-23"}},
        },
        "this is not json",
        {"procedure": "nope"},
        {
            "procedure": "injonction_de_payer",
            "events": {"ordonnance_signifiee": {"date": "2026-05-20", "a_personne": True}},
            "debtor_residence": "972",
        },
        {
            "procedure": "assignation_paiement",
            "court": "tribunal_de_commerce",
            "events": {"audience": {"date": "2024-07-31"}},
        },
        [1, 2],
    ]
    path = tmp_path / "batch.jsonl"
    path.write_text(
        "\n".join(line if isinstance(line, str) else json.dumps(line) for line in lines) + "\n"
    )
    code, out, _ = run_cli(capsys, "deadlines", "--batch", str(path), "--format", "jsonl")
    assert code == 0
    results = [json.loads(line) for line in out.splitlines()]
    assert len(results) == len(lines)
    assert results[0]["deadlines"][0]["due"] == "2027-05-10"
    assert "ligne 2" in results[1]["error"] and "JSON" in results[1]["error"]
    assert "procédure inconnue" in results[2]["error"]
    assert {d["key"]: d["due"] for d in results[3]["deadlines"]}["opposition"] == "2026-07-20"
    assert {d["key"]: d["due"] for d in results[4]["deadlines"]}["remise_au_greffe"] == "2024-07-22"
    assert "error" in results[5]


def test_batch_reads_stdin():
    request = json.dumps(
        {"procedure": "petites_creances", "events": {"invitation_envoyee": {"date": "2026-10-31"}}}
    )
    result = subprocess.run(
        [sys.executable, "-m", "casefile.cli", "deadlines", "--batch", "-", "--format", "jsonl"],
        input=request + "\n",
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    )
    assert json.loads(result.stdout)["deadlines"][0]["due"] == "2026-11-30"


def test_procedures_listing(capsys):
    code, out, _ = run_cli(capsys, "procedures", "--format", "json")
    assert code == 0
    assert {p["key"] for p in json.loads(out)} >= {"injonction_de_payer", "petites_creances"}


def test_procedures_key_lists_the_events_a_refusal_points_to(capsys):
    """`casefile procedures KEY`: the full list an unknown-event refusal names."""
    code, out, _ = run_cli(capsys, "procedures", "refere_provision", "--format", "json")
    assert code == 0
    events = {e["key"]: e["label"] for e in json.loads(out)}
    assert events["ordonnance_signifiee"] == "Ordonnance de référé signifiée"
    code, out, _ = run_cli(capsys, "procedures", "refere_provision")
    assert code == 0
    assert "Clé (--event)" in out and "ordonnance_signifiee" in out
    code, _, err = run_cli(capsys, "procedures", "refere")
    assert code == 2
    assert "procédure inconnue « refere » ; la plus proche : « Référé-provision »" in err


def test_a_long_basis_leaves_the_deadline_its_name_in_the_table(capsys):
    """« CPC art. 754 (rédaction du décret n° 2021-1322, …) » unwrapped took the whole width:
    the Délai and Calcul columns shrank to nothing."""
    code, out, _ = run_cli(
        capsys,
        "deadlines",
        "--procedure",
        "assignation_paiement",
        "--event",
        "audience=2026-01-05",
        "--format",
        "table",
    )
    assert code == 0
    text = re.sub(r"[│┃\s]+", " ", out)
    assert "Remettre la copie de" in text and "qui agit : avocat" in text
    assert "┳┳" not in out


@pytest.mark.parametrize(
    ("option", "value", "expected"),
    [
        ("--claim-total", "abc", "--claim-total : « abc » n'est pas un montant"),
        ("--today", "2027-02-30", "--today : « 2027-02-30 » : cette date n'existe pas"),
    ],
)
def test_a_bad_option_value_is_refused_under_the_options_name(capsys, option, value, expected):
    """At the command line the amount and the day are options: the refusal names the option
    typed (« --claim-total »), not the request's JSON key (« claim_total »)."""
    code, out, err = run_cli(
        capsys,
        "deadlines",
        "--procedure",
        "injonction_de_payer",
        "--court-department",
        "75",
        "--event",
        "ordonnance_rendue=2027-01-04",
        option,
        value,
    )
    assert code == 2
    assert out == ""
    assert expected in err
    assert "erreur : claim_total" not in err and "erreur : today" not in err
