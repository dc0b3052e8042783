"""Admin page Taux (issue 13 item 5): an administrator sees which semester rates are missing
and records a published value with its source; a refusal shows each message beside its
field. Fictitious test values only, in a temporary overlay."""

from __future__ import annotations

import html
from collections.abc import Iterator
from pathlib import Path

import pytest

from casefile import definitions
from tests.api.conftest import Api
from tests.api.test_case_forms import labels_match_inputs, post
from tests.api.test_pages import HTML, login


@pytest.fixture
def browser(api: Api, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Api]:
    monkeypatch.setenv("CASEFILE_RATES_FILE", str(tmp_path / "recorded.toml"))
    definitions.engine.cache_clear()
    definitions.parameters.cache_clear()
    api.client.cookies.clear()
    yield api
    api.client.cookies.clear()
    definitions.engine.cache_clear()
    definitions.parameters.cache_clear()


def test_the_administrator_records_a_published_rate(browser: Api) -> None:
    token = login(browser, "admin")
    form = browser.client.get("/admin/taux/", headers=HTML)
    assert form.status_code == 200
    labels_match_inputs(form.text)
    refused = post(browser, token, "/admin/taux/", kind="ecb", semester="2026", value="x")
    assert refused.status_code == 422
    page = html.unescape(refused.text)
    assert (
        "taux, semestre d'application : « 2026 » : écrire l'année et le semestre, ex. 2026-S2 (S1 : janvier à "
        "juin, S2 : juillet à décembre)" in page
    )
    assert "taux, valeur publiée (% par an) : « x » n'est pas un pourcentage (ex. 2,15)" in page
    assert "taux, adresse de la publication : l'adresse (https://…) de la publication" in page
    assert "valeur (%)" not in page and "Valeur (en %)" not in page
    if "non renseigné" not in page:
        pytest.skip("parameters.toml already holds the current semester")
    done = post(
        browser,
        token,
        "/admin/taux/",
        kind="ecb",
        semester="2026-s2",
        value="9,99",
        source="https://example.test/fictitious",
    )
    assert done.status_code == 303, done.text
    page = html.unescape(browser.client.get("/admin/taux/", headers=HTML).text)
    assert "2026-S2 : 9,99\u00a0%" in page
    assert "Taux enregistré : taux de la BCE" in page and ", 2026-S2 = 9,99\u00a0%." in page


def test_each_field_of_the_rate_form_says_what_to_write(browser: Api) -> None:
    """The label names the field in the words of its refusals; the help says which rate,
    which half-year and which publication."""
    login(browser, "admin")
    page = html.unescape(browser.client.get("/admin/taux/", headers=HTML).text)
    for label in (
        "Nature du taux",
        "Semestre d'application",
        "Valeur publiée (% par an)",
        "Adresse de la publication",
    ):
        assert f">{label}" in page, label
    assert "S1 du 1er janvier au 30 juin, S2 du 1er juillet au 31 décembre (ex. 2027-S1)" in page
    assert "celui en vigueur au 1er janvier pour le S1, au 1er juillet pour le S2" in page
    assert "sans la majoration de 10 points, que casefile ajoute" in page
    assert "l'arrêté publié au Journal officiel (Légifrance)" in page
    assert 'aria-describedby=" rate-kind-help"' in page


def test_only_an_administrator_records_rates(browser: Api) -> None:
    login(browser, "avocat")
    assert browser.client.get("/admin/taux/", headers=HTML).status_code == 403
