"""The admin page of the impact of a proposed law data (issue 10 item 6): read-only, admin only,
French, a git revision only (folders are compared from the command line)."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.api.conftest import Api
from tests.api.test_pages import HTML, browser, login  # noqa: F401 - the fixture

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def admin(browser: Api) -> Iterator[Api]:  # noqa: F811 - the imported fixture
    login(browser, "admin")
    yield browser


def test_the_page_offers_the_comparison_in_french(admin: Api) -> None:
    page = admin.client.get("/admin/droit/", headers=HTML)
    assert page.status_code == 200
    assert "Impact d'un changement des données juridiques" in page.text
    assert '<label for="revision">Révision git proposée</label>' in page.text
    assert 'href="/admin/droit/"' in page.text  # the menu link, for those who may


def test_an_unknown_revision_or_a_folder_is_a_french_422(admin: Api) -> None:
    page = admin.client.get(
        "/admin/droit/", params={"revision": "pas-de-telle-branche"}, headers=HTML
    )
    assert page.status_code == 422
    assert "ni un dossier ni une révision git" in page.text
    page = admin.client.get("/admin/droit/", params={"revision": "/etc"}, headers=HTML)
    assert page.status_code == 422
    assert "en ligne de commande" in page.text


def test_a_revision_is_compared_with_the_data_in_service(admin: Api) -> None:
    head = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "HEAD"], capture_output=True)
    if head.returncode != 0:
        pytest.skip("the law data is not in a git checkout here")
    page = admin.client.get("/admin/droit/", params={"revision": "HEAD"}, headers=HTML)
    assert page.status_code == 200
    assert "Dossiers touchés" in page.text


def test_a_lawyer_may_not_see_it(browser: Api) -> None:  # noqa: F811
    login(browser, "avocat")
    page = browser.client.get("/admin/droit/", headers=HTML)
    assert page.status_code == 403
    assert 'href="/admin/droit/"' not in browser.client.get("/", headers=HTML).text
