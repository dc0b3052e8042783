"""The case page says what to do next (issue 12 items 3 and 5): "À faire" with owners and the
step each deadline calls for, the other side's limits apart, the statement (or a French warning
naming the missing rate), the advice and the four procedures side by side."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from datetime import date, timedelta

import pytest

from casefile.errors import InputError
from casefile.law.claims import MissingMargin, MissingRate
from casefile.services.case_page import missing_rate_warning
from tests.api.conftest import Api
from tests.api.test_cases import new_case
from tests.api.test_pages import HTML, login


@pytest.fixture
def browser(api: Api) -> Iterator[Api]:
    api.client.cookies.clear()
    yield api
    api.client.cookies.clear()


def text(page: str, heading: str) -> str:
    start = page.index(f'aria-labelledby="{heading}"')
    part = page[start : page.index("</section>", start)]
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", part)).split())


def event(api: Api, case_id: int, key: str, day: date, **attributes: object) -> None:
    response = api.client.post(
        f"/api/cases/{case_id}/events",
        headers=api.headers("avocat"),
        json={"key": key, "date": day.isoformat(), **attributes},
    )
    assert response.status_code == 201, response.text


def test_after_the_opposition_period_the_page_asks_for_the_certificate(browser: Api) -> None:
    renamed = browser.client.patch(
        "/api/users/commissaire_de_justice",
        headers=browser.headers("admin"),
        json={"full_name": "Paul Durand"},
    )
    assert renamed.status_code == 200, renamed.text
    case = new_case(browser, lawyer="avocat")
    today = date.today()
    event(browser, case["id"], "ordonnance_rendue", today - timedelta(days=120))
    login(browser, "avocat")
    page = browser.client.get(f"/dossiers/{case['id']}", headers=HTML).text
    todo = text(page, "h-todo")
    assert "Faire signifier l'ordonnance par commissaire de justice" in todo
    assert "responsable : Maître Paul Durand (commissaire de justice)" in todo

    event(
        browser,
        case["id"],
        "ordonnance_signifiee",
        today - timedelta(days=70),
        a_personne=True,
    )
    page = browser.client.get(f"/dossiers/{case['id']}", headers=HTML).text
    todo = text(page, "h-todo")
    assert "Demander au greffe le certificat de non-opposition" in todo
    assert "dès maintenant — responsable : Dupont & Fils SARL (créancier)" in todo
    assert "Parce que : Délai d'opposition du débiteur expiré le" in todo
    assert "Générer « Demande de certificat de non-opposition »" in todo
    assert "Aucun délai de l'autre partie en cours." in todo

    event(browser, case["id"], "certificat_non_opposition_demande", today - timedelta(days=1))
    page = browser.client.get(f"/dossiers/{case['id']}", headers=HTML).text
    assert "Rien à faire de notre côté pour l'instant." in text(page, "h-todo")


def test_the_debtor_running_period_is_shown_apart_as_what_it_means(browser: Api) -> None:
    case = new_case(browser)
    today = date.today()
    event(browser, case["id"], "ordonnance_rendue", today - timedelta(days=10))
    event(browser, case["id"], "ordonnance_signifiee", today - timedelta(days=2), a_personne=True)
    login(browser, "lecteur")
    page = browser.client.get(f"/dossiers/{case['id']}", headers=HTML).text
    todo = text(page, "h-todo")
    theirs = todo[todo.index("Délais de l'autre partie") :]
    assert "Délai d'opposition du débiteur (débiteur) — jusqu'au" in theirs
    assert "Pour nous : Sans opposition, l'ordonnance produit tous les effets" in theirs
    assert "Ensuite : Demander au greffe le certificat de non-opposition" in theirs


def test_the_comparison_shows_non_renseigne_rather_than_a_figure(browser: Api) -> None:
    case = new_case(browser)
    response = browser.client.post(
        f"/api/cases/{case['id']}/claims",
        headers=browser.headers("avocat"),
        json={
            "invoice_number": f"F-NS-{case['id']}",
            "issue_date": "2026-01-05",
            "due_date": "2026-02-04",
            "amount": "4080.00",
        },
    )
    assert response.status_code == 201, response.text
    login(browser, "avocat")
    page = browser.client.get(f"/dossiers/{case['id']}", headers=HTML).text
    compared = text(page, "h-compare")
    assert "pour 4 080,00 €" in compared
    for title in (
        "Procédure simplifiée de recouvrement des petites créances",
        "Injonction de payer",
        "Référé-provision",
        "Assignation en paiement",
    ):
        assert title in compared
    assert "Durée habituelle non renseigné non renseigné non renseigné non renseigné" in compared
    assert "Signification de l'ordonnance par commissaire de justice : non renseigné" in compared
    assert "CPC art. 1410 et 1422" in compared
    assert "Délai d'opposition du débiteur : 1 mois (débiteur)" in compared
    advice = text(page, "h-advice")
    assert f"F-NS-{case['id']}" in advice and "C. com. art. L110-4" not in advice
    assert "2 ans" in advice
    claim = text(page, "h-claim")
    assert f"F-NS-{case['id']}" in claim


def test_a_missing_rate_names_the_rate_and_how_to_add_it() -> None:
    error = MissingRate(
        "Taux inconnu pour le second semestre 2026 : …",
        parameter="taux_bce_refinancement",
        semester="2026 H2",
    )
    warning = missing_rate_warning(error)
    assert warning is not None
    assert warning.startswith("Décompte incomplet : le taux « Taux de la BCE")
    assert "n'est pas renseigné pour le 2nd semestre 2026" in warning
    assert "(page Taux, ou « casefile rate add --semester 2026-S2 … »)" in warning
    assert missing_rate_warning(InputError("something else")) is None


def test_a_missing_margin_names_its_day_in_french() -> None:
    error = MissingMargin("…", day=date(2026, 7, 1))
    warning = missing_rate_warning(error)
    assert warning is not None
    assert "n'est pas renseignée au 1er juillet 2026. Ajoutez une valeur datée" in warning


@pytest.mark.parametrize(
    ("procedure", "court", "step", "basis"),
    [
        (
            "injonction_de_payer",
            "tribunal_judiciaire",
            "Déposer la requête en injonction de payer au greffe du tribunal du domicile du "
            "débiteur, avec le bordereau des pièces justificatives",
            "Injonction de payer — CPC art. 1405 et 1406",
        ),
        (
            "petites_creances",
            "commissaire_de_justice",
            "Mandater un commissaire de justice : il envoie au débiteur l'invitation à participer "
            "à la procédure (lettre recommandée avec avis de réception ou voie électronique), "
            "premier acte de la procédure",
            "Procédure simplifiée de recouvrement des petites créances — CPCE art. L125-1 — source "
            "Légifrance",
        ),
        (
            "refere_provision",
            "tribunal_de_commerce",
            "Faire délivrer par commissaire de justice l'assignation en référé-provision devant le "
            "président du tribunal",
            "Référé-provision — CPC art. 835 al. 2 / 873 al. 2",
        ),
        (
            "assignation_paiement",
            "tribunal_judiciaire",
            "Obtenir du greffe une date d'audience, puis faire délivrer l'assignation en paiement "
            "par commissaire de justice",
            "Assignation en paiement — CPC art. 750 à 755 (tribunal judiciaire), 853 à 861-2 "
            "(tribunal de commerce)",
        ),
        (
            "amiable",
            None,
            "Envoyer au débiteur une mise en demeure de payer",
            "Phase amiable et surveillance de la prescription — C. civ. art. 1344 — source "
            "Légifrance",
        ),
    ],
)
def test_a_fresh_case_of_each_procedure_says_what_to_do_first(
    browser: Api, procedure: str, court: str | None, step: str, basis: str
) -> None:
    case = new_case(browser, procedure=procedure, court=court)
    login(browser, "avocat")
    page = browser.client.get(f"/dossiers/{case['id']}", headers=HTML).text
    todo = text(page, "h-todo")
    assert "Rien à faire" not in todo
    assert f"{step} dès maintenant — responsable : Dupont & Fils SARL (créancier)" in todo
    assert basis in todo


def test_after_a_handover_to_petites_creances_the_mandate_is_asked_for(browser: Api) -> None:
    """The amicable events stay in the history; the new procedure has none yet: its first step
    (mandate the commissaire de justice, who sends the invitation) is what to do."""
    case = new_case(
        browser,
        procedure="amiable",
        court=None,
        creditor={"name": "Brasserie de l'Ill SAS", "kind": "professionnel"},
        debtor={"name": "Winstub Muller SARL", "kind": "professionnel", "residence": "75"},
    )
    response = browser.client.post(
        f"/api/cases/{case['id']}/claims",
        headers=browser.headers("avocat"),
        json={
            "invoice_number": f"PC-{case['id']}",
            "issue_date": "2026-06-01",
            "due_date": "2026-07-01",
            "amount": "1200.00",
        },
    )
    assert response.status_code == 201, response.text
    event(browser, case["id"], "mise_en_demeure_envoyee", date(2026, 9, 1), delai="8 days")
    done = browser.client.post(
        f"/api/cases/{case['id']}/handover",
        headers=browser.headers("avocat"),
        json={"procedure": "petites_creances"},
    )
    assert done.status_code == 200, done.text
    login(browser, "avocat")
    page = browser.client.get(f"/dossiers/{case['id']}", headers=HTML).text
    todo = text(page, "h-todo")
    assert "Rien à faire" not in todo
    assert "Mandater un commissaire de justice : il envoie au débiteur l'invitation" in todo
    assert "dès maintenant — responsable : Brasserie de l'Ill SAS (créancier)" in todo
    assert "Générer « " in todo
    event(browser, case["id"], "mandat_commissaire", date.today())
    page = browser.client.get(f"/dossiers/{case['id']}", headers=HTML).text
    assert "Mandater un commissaire de justice" not in text(page, "h-todo")


def test_an_unassigned_owner_is_not_followed_by_its_role_again(browser: Api) -> None:
    """« responsable : commissaire de justice non désigné », never « … non désigné
    (commissaire de justice) »; the documents' state sends to a heading the page has."""
    case = new_case(browser, lawyer="avocat", commissaire=None)
    event(browser, case["id"], "ordonnance_rendue", date.today() - timedelta(days=10))
    login(browser, "avocat")
    page = browser.client.get(f"/dossiers/{case['id']}", headers=HTML).text
    todo = text(page, "h-todo")
    assert "responsable : commissaire de justice non désigné Signifier" in todo, todo
    assert "non désigné (commissaire de justice)" not in todo
    shown = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())
    assert "rubrique Parties" not in shown
    assert (
        "fiche du débiteur (page du dossier, rubrique Données du dossier : « Modifier le "
        "débiteur »)" in shown
    )
    assert 'id="h-case-data">Données du dossier<' in page


def test_our_deadline_reads_as_its_last_day_not_the_day_before(browser: Api) -> None:
    """CPC 642: a deadline runs to midnight of its last day. The copy of a TJ assignation for a
    hearing on Wednesday 13 February 2030 may be filed until Monday 28 January 2030 (754): the
    page says « au plus tard le » that day, not « avant le » (which would mean the 27th)."""
    case = new_case(browser, procedure="assignation_paiement", lawyer="avocat")
    event(browser, case["id"], "audience", date(2030, 2, 13), heure="09:30")
    login(browser, "avocat")
    todo = text(browser.client.get(f"/dossiers/{case['id']}", headers=HTML).text, "h-todo")
    assert "au plus tard le lundi 28 janvier 2030 — responsable : " in todo
    assert "avant le lundi 28 janvier 2030" not in todo
