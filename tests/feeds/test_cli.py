"""`casefile ics CASE [-o FILE]`, `feed new|list|revoke` and `plan new|show` on a SQLite file."""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from tests.ical.checks import events, parse


def uid_of(deadline_key: str) -> re.Pattern[str]:
    """A deadline's UID in this installation (its identifier drawn by `casefile init`)."""
    return re.compile(rf"\d+-{deadline_key}@[a-z2-7]{{12}}\.casefile")


def casefile(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[bytes]:
    result = subprocess.run(
        [sys.executable, "-m", "casefile.cli", *args], env=env, capture_output=True, timeout=120
    )
    assert result.returncode == 0, result.stderr.decode()
    return result


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, str]]:
    from casefile.settings import reset_settings

    url = f"sqlite:///{tmp_path}/casefile.db"
    monkeypatch.setenv("CASEFILE_DATABASE_URL", url)
    monkeypatch.setenv("CASEFILE_BASE_URL", "https://casefile.example.fr")
    reset_settings()
    environment = {**os.environ, "CASEFILE_DATABASE_URL": url}
    casefile(environment, "init")
    casefile(
        environment,
        *("case", "new", "--reference", "STR-2027-4", "--procedure", "injonction_de_payer"),
        *("--court", "tribunal_judiciaire", "--court-department", "67"),
        *("--creditor", "Brasserie de l'Ill SAS", "--debtor", "Winstub Muller, Fils; et Cie"),
    )
    casefile(
        environment, "event", "add", "STR-2027-4", "ordonnance_signifiee=2027-02-03:a_personne=true"
    )
    yield environment
    reset_settings()


def test_ics_writes_the_case_calendar_to_a_file_and_to_stdout(
    env: dict[str, str], tmp_path: Path
) -> None:
    out = tmp_path / "dossier.ics"
    casefile(env, "ics", "STR-2027-4", "-o", str(out))
    got = events(parse(out.read_bytes()))
    [opposition] = [e for uid, e in got.items() if uid_of("opposition").fullmatch(uid)]
    assert opposition["start"] == date(2027, 3, 3)
    assert opposition["summary"].startswith("[STR-2027-4] ")
    assert "Winstub Muller, Fils; et Cie" in opposition["summary"]  # escaped, read back intact
    printed = casefile(env, "ics", "STR-2027-4").stdout
    # The second export found the state of the first: same UIDs, same SEQUENCE, same bytes.
    assert printed == out.read_bytes()


def test_init_prints_the_installation_identifier_the_uids_carry(env: dict[str, str]) -> None:
    again = casefile(env, "init").stdout.decode()
    [line] = [x for x in again.splitlines() if x.startswith("installation : ")]
    installation = line.split()[2]
    assert re.fullmatch(r"[a-z2-7]{12}", installation)
    assert line.endswith("(identifiant des agendas, ne change jamais)")
    uids = set(events(parse(casefile(env, "ics", "STR-2027-4").stdout)))
    assert uids and all(uid.endswith(f"@{installation}.casefile") for uid in uids)
    assert f"installation : {installation} " in casefile(env, "init").stdout.decode()


def test_feed_and_plan_commands(env: dict[str, str], capsys: pytest.CaptureFixture[str]) -> None:
    from casefile.commands import calendar

    feed_args = argparse.Namespace(case="STR-2027-4", lawyer=None, commissaire=None, label="")
    assert calendar.feed_new(feed_args) == 0
    lines = capsys.readouterr().out.splitlines()
    # It read « abonnement 1 (dossier STR-2027-4) », « (mes échéances (avocat) avocat) ».
    assert lines[0] == (
        "abonnement 1 — dossier : STR-2027-4 — adresse affichée une seule fois, gardez-la secrète :"
    )
    assert lines[1].startswith("https://casefile.example.fr/feeds/") and lines[1].endswith(".ics")
    assert lines[2] == "webcal://" + lines[1].removeprefix("https://")

    assert calendar.feed_list(argparse.Namespace()) == 0
    assert "dernière utilisation : jamais" in capsys.readouterr().out
    assert calendar.feed_revoke(argparse.Namespace(id="1")) == 0
    assert capsys.readouterr().out.strip() == "abonnement 1 révoqué"

    plan_args = argparse.Namespace(
        case="STR-2027-4",
        total="900",
        count=3,
        first_due="2027-04-10",
        kind="judiciaire",
        grace_days=10,
        granted_on="2027-03-20",
        format="json",
    )
    assert calendar.plan_new(plan_args) == 0
    capsys.readouterr()
    show = argparse.Namespace(case="STR-2027-4", today="2027-04-15", format="table")
    assert calendar.plan_show(show) == 0
    shown = capsys.readouterr().out
    assert "  n°  1  10 avril 2027             300,00\u00a0€  à venir" in shown.splitlines()
    assert "en cours au 15 avril 2027" in shown
    ics = casefile(env, "ics", "STR-2027-4").stdout
    assert any(uid_of("echeance_3").fullmatch(uid) for uid in events(parse(ics)))
