"""`casefile relances run|list` speak French to the person at the terminal: the day of the run
as « 30 novembre 2026 », and an empty list says so (the README's tour runs both on the demo,
where nothing is queued without an SMTP server: silence read as a failure)."""

from __future__ import annotations

import json
import re

import pytest

from casefile.cli import main
from tests.integration.conftest import Env, create_case
from tests.notify.conftest import Smtp, smtp  # noqa: F401 (the fixture)


def test_run_names_the_day_in_french(env: Env, capsys: pytest.CaptureFixture[str]) -> None:
    create_case("AM-REL")
    assert main(["relances", "run", "--today", "2026-11-30"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].startswith("relances du 30 novembre 2026 : ")
    assert "2026-11-30" not in out


def test_an_empty_list_says_there_is_nothing(env: Env, capsys: pytest.CaptureFixture[str]) -> None:
    create_case("AM-REL")
    assert main(["relances", "list", "--channel", "courrier"]) == 0
    assert capsys.readouterr().out == "Aucun courrier à envoyer.\n"
    assert main(["relances", "list", "--channel", "telephone"]) == 0
    assert capsys.readouterr().out == "Aucun appel à passer.\n"
    # The JSON for tools is unchanged: an empty list.
    assert main(["relances", "list", "--channel", "courrier", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == []


def test_reading_needs_no_operator_once_users_exist(
    env: Env, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """`show` and `list` change nothing: like `case show`, they run without `--as` (they
    said « cette commande modifie des données »)."""
    from casefile.settings import reset_settings

    monkeypatch.delenv("CASEFILE_OPERATOR", raising=False)
    reset_settings()
    create_case("AM-REL")
    assert main(["user", "add", "chef", "--role", "admin"]) == 0
    capsys.readouterr()
    assert main(["relances", "show", "AM-REL", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["reference"] == "AM-REL"
    assert main(["relances", "list", "--channel", "courrier"]) == 0
    assert capsys.readouterr().out == "Aucun courrier à envoyer.\n"


def test_what_a_run_created_is_counted_in_french() -> None:
    """It printed « actions créées : 1 à envoyer, 2 envoyée » and « 2 appel à passer »."""
    from casefile.services.dunning import created_fr

    assert created_fr({"a_envoyer": 1, "envoyee": 2}) == "1 courrier à envoyer, 2 e-mails envoyés"
    assert created_fr({"a_appeler": 2, "echec": 1}) == "2 appels à passer, 1 échec"
    assert created_fr({"envoyee": 1, "a_appeler": 1}) == "1 e-mail envoyé, 1 appel à passer"


def test_show_says_when_a_reminder_was_sent(
    env: Env,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    smtp: Smtp,  # noqa: F811
) -> None:
    """`relances show` printed « 7 février 2025 Rappel courtois par e-mail : envoyée » — the
    day it was due, read as the day it went; the case page says « envoyée le … »."""
    from casefile import clock
    from casefile.documents.formatting import date_fr
    from casefile.settings import reset_settings

    monkeypatch.setenv("CASEFILE_SMTP_URL", smtp.url)
    reset_settings()
    assert main(["demo"]) == 0
    assert main(["relances", "run", "--case", "DEMO-024"]) == 0
    assert len(smtp.inbox.messages) == 1
    capsys.readouterr()
    assert main(["relances", "show", "DEMO-024"]) == 0
    out = capsys.readouterr().out
    sent = [line for line in out.splitlines() if "Rappel courtois par e-mail : " in line]
    # The demo's dates follow the day it is loaded: the due day is any, the sending is today.
    assert len(sent) == 1, out
    assert re.fullmatch(
        rf"  \d{{1,2}}(er)? \w+ \d{{4}} Rappel courtois par e-mail : envoyée le "
        rf"{date_fr(clock.today())}",
        sent[0],
    ), out


def test_a_promise_above_what_is_owed_is_recorded_with_a_warning(
    env: Env, capsys: pytest.CaptureFixture[str]
) -> None:
    create_case("AM-PROM")  # 1 200,00 € + 830,50 € owed
    assert main(["promise", "add", "AM-PROM", "--amount", "20 305,00", "--date", "2027-03-20"]) == 0
    lines = capsys.readouterr().out.replace("\u202f", " ").splitlines()
    assert lines[0] == "promesse n° 1 enregistrée : 20 305,00\xa0€ pour le 20 mars 2027"
    assert lines[1].startswith(
        "attention : La promesse de 20 305,00\xa0€ dépasse le principal restant dû du dossier "
        "(2 030,50\xa0€) : vérifiez le montant"
    )
