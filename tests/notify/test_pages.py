""" "Mes préférences" (the form, French errors) and the one-click unsubscribe link (RFC 8058:
a POST without session or CSRF token unsubscribes; a GET only asks)."""

from __future__ import annotations

import re
import subprocess
import sys

from casefile.notify import unsubscribe
from casefile.settings import get_settings
from tests.api.conftest import Api
from tests.api.test_pages import HTML, login
from tests.jobs.test_in_process import served  # noqa: F401 - the fixture


def _csrf(page: str) -> str:
    match = re.search(r'name="_csrf_token" value="([^"]+)"', page)
    assert match
    return match.group(1)


def test_a_user_chooses_the_digest_and_unsubscribes_in_one_click(served: Api) -> None:  # noqa: F811
    login(served, "admin")
    form = served.client.get("/preferences/", headers=HTML)
    assert form.status_code == 200
    assert "<h1>Mes préférences</h1>" in form.text
    assert 'href="/preferences/">Mes préférences</a>' in form.text
    bad = served.client.post(
        "/preferences/",
        data={"_csrf_token": _csrf(form.text), "email": "pas-une-adresse", "digest": "1"},
        headers=HTML,
    )
    assert bad.status_code == 422
    assert "adresse e-mail « pas-une-adresse » invalide" in bad.text
    saved = served.client.post(
        "/preferences/",
        data={
            "_csrf_token": _csrf(form.text),
            "email": "admin@cabinet.example.fr",
            "digest": "1",
            "digest_days": "10",
            "alert_days": "2",
        },
        headers=HTML,
        follow_redirects=True,
    )
    assert saved.status_code == 200
    assert "Vos préférences de rappel sont enregistrées." in saved.text
    assert 'value="admin@cabinet.example.fr"' in saved.text
    assert 'name="digest" value="1" checked' in saved.text
    assert 'value="10"' in saved.text

    served.client.cookies.clear()  # the link works from a mail client, without a session
    token = unsubscribe.token(get_settings().secret_key, 1, "digest")
    asked = served.client.get(f"/desabonnement/{token}", headers=HTML)
    assert asked.status_code == 200 and "Me désabonner" in asked.text
    done = served.client.post(
        f"/desabonnement/{token}", data={"List-Unsubscribe": "One-Click"}, headers=HTML
    )
    assert done.status_code == 200
    assert "vous ne recevrez plus le récapitulatif quotidien" in done.text
    forged = served.client.post("/desabonnement/1.digest.AAAAAAAAAAAAAAAAAAAAAAAA", headers=HTML)
    assert forged.status_code == 404
    login(served, "admin")
    assert (
        'name="digest" value="1" checked'
        not in served.client.get("/preferences/", headers=HTML).text
    )


def test_the_cli_sets_and_shows_a_users_reminders(served: Api) -> None:  # noqa: F811
    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "casefile", "--as", "admin", "user", "prefs", *args],
            capture_output=True,
            text=True,
        )

    set_ = cli("lecteur", "--email", "lecteur@cabinet.example.fr", "--alerts", "--alert-days", "5")
    assert set_.returncode == 0, set_.stderr
    assert "lecteur: adresse lecteur@cabinet.example.fr" in set_.stdout
    assert "alertes : oui, 5 jours avant" in set_.stdout
    wrong = cli("lecteur", "--digest", "--digest-days", "90")
    assert wrong.returncode == 2
    assert "récapitulatif : un nombre de jours entre 1 et 60" in wrong.stderr
