"""The case page's working sections: generated documents, calendar subscriptions and
échéanciers, posted from the pages with their CSRF token, within each role's rights."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator

import pytest

from tests.api.conftest import Api
from tests.api.test_cases import new_case
from tests.api.test_pages import HTML, csrf, login

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
FEED = re.compile(r'value="(https?://[^"]+(/feeds/[^"]+\.ics))"')


@pytest.fixture
def browser(api: Api) -> Iterator[Api]:
    """The shared client, logged out before and after (the API tests rely on no session)."""
    api.client.cookies.clear()
    yield api
    api.client.cookies.clear()


def renderable_case(api: Api, owed: bool = False, **changes: object) -> dict:
    """Parties a pleading can designate: a company with its SIREN, a person with a civility;
    with an unpaid invoice of 4 080,00 € when `owed` (a pleading demanding it is refused without)."""
    case = new_case(
        api,
        creditor={"name": "Dupont & Fils SARL", "kind": "professionnel", "siren": "552100554"},
        debtor={"name": "Madame Élise Martin", "kind": "consommateur", "residence": "75"},
        **changes,
    )
    if owed:
        invoice = {
            "invoice_number": f"F-{case['reference']}",
            "issue_date": "2026-06-15",
            "due_date": "2026-07-15",
            "amount": "4080.00",
        }
        added = api.client.post(
            f"/api/cases/{case['id']}/claims", headers=api.headers("avocat"), json=invoice
        )
        assert added.status_code == 201, added.text
    return case


def flash(page: str) -> str:
    found = re.search(r'<div class="flash[^"]*" role="status">(.*?)</div>', page, re.S)
    assert found, page
    return html.unescape(re.sub(r"<[^>]+>", " ", found.group(1)))


def section(page: str, heading: str) -> str:
    start = page.index(f'aria-labelledby="{heading}"')
    return page[start : page.index("</section>", start)]


def test_a_document_rendered_from_the_case_page_is_listed_and_downloads(browser: Api) -> None:
    case = renderable_case(browser, owed=True)
    token = login(browser, "avocat")
    before = browser.client.get(f"/dossiers/{case['id']}", headers=HTML)
    assert '<option value="requete_injonction_tj">' in before.text
    # A tribunal judiciaire case is not offered the tribunal de commerce's requête.
    assert "requete_injonction_tc" not in before.text
    assert "Aucun document généré." in before.text

    page = browser.client.post(
        f"/dossiers/{case['id']}/documents",
        data={"_csrf_token": token, "template": "requete_injonction_tj"},
        headers=HTML,
    )
    assert page.status_code == 200, page.text
    message = flash(page.text)
    assert "Document « Requête en injonction de payer (tribunal judiciaire) » généré" in message
    assert "(version 1)" in message
    # The notes: what to fill, and where.
    assert "Juridiction (nom, adresse du greffe, ville) : à saisir" in message
    docs = section(page.text, "h-docs")
    [link] = re.findall(r'href="(/api/documents/(\d+)/content)"', docs)
    assert "Requête en injonction de payer (tribunal judiciaire)" in docs

    # The session reads the API: the link downloads the .docx (a zip) from the page.
    download = browser.client.get(link[0])
    assert download.status_code == 200
    assert download.headers["content-type"].startswith(DOCX)
    assert download.content[:2] == b"PK"

    shown = browser.client.get(f"/api/cases/{case['id']}").json()
    [document] = shown["documents"]
    assert document["id"] == int(link[1])
    assert document["template"] == "requete_injonction_tj"
    assert document["version"] == 1
    assert document["size"] == len(download.content)
    assert set(document) == {"id", "template", "version", "sha256", "size", "created_at"}


def test_a_document_missing_the_hearing_date_is_a_french_message(browser: Api) -> None:
    case = renderable_case(browser, owed=True, procedure="assignation_paiement")
    # 4 080,00 € before the tribunal judiciaire: the prior amicable attempt of CPC art. 750-1 is
    # recorded, so that the hearing is what the assignation lacks.
    attempt = browser.client.post(
        f"/api/cases/{case['id']}/events",
        headers=browser.headers("avocat"),
        json={"key": "tentative_amiable", "date": "2026-09-01", "mode": "conciliation"},
    )
    assert attempt.status_code == 201, attempt.text
    token = login(browser, "avocat")
    page = browser.client.post(
        f"/dossiers/{case['id']}/documents",
        data={"_csrf_token": token, "template": "assignation_paiement_tj"},
        headers=HTML,
    )
    assert page.status_code == 200
    assert 'class="flash error"' in page.text
    assert flash(page.text).strip() == (
        "Le document « Assignation en paiement (tribunal judiciaire) » ne peut pas être "
        "généré : il manque la date d'audience (enregistrez l'événement « audience »)."
    )
    assert "Aucun document généré." in page.text


def test_a_refused_document_reads_as_a_sentence_without_status_or_key(browser: Api) -> None:
    """Former art. 1423 (decree 2021-1322): an ordonnance rendered since 1 March 2022 carries
    the formule exécutoire; asking for it is refused in words, not "(422) : key : …"."""
    case = renderable_case(browser)
    browser.client.post(
        f"/api/cases/{case['id']}/events",
        headers=browser.headers("avocat"),
        json={"key": "ordonnance_rendue", "date": "2026-11-20"},
    )
    token = login(browser, "avocat")
    page = browser.client.post(
        f"/dossiers/{case['id']}/documents",
        data={"_csrf_token": token, "template": "demande_formule_executoire"},
        headers=HTML,
    )
    assert " ".join(flash(page.text).split()) == (
        "Le document « Demande d'apposition de la formule exécutoire » ne peut pas être "
        "généré : l'ordonnance du 20 novembre 2026 n'est pas antérieure au 1er mars 2022 ; "
        "elle porte déjà la formule exécutoire"
    )


def test_a_letter_demanding_nothing_is_refused_on_the_page_with_what_to_do(browser: Api) -> None:
    """No invoice recorded: the mise en demeure would demand 0,00 €; the page says so in
    French, says what to record instead, and generates nothing."""
    case = renderable_case(browser)
    token = login(browser, "avocat")
    page = browser.client.post(
        f"/dossiers/{case['id']}/documents",
        data={"_csrf_token": token, "template": "mise_en_demeure"},
        headers=HTML,
    )
    assert 'class="flash error"' in page.text
    shown = " ".join(flash(page.text).split())
    assert shown.startswith(
        "Le document « Mise en demeure de payer » ne peut pas être généré : aucune somme "
        "n'est due au "
    )
    assert shown.endswith(
        ", ce document réclamerait 0,00 € et n'est pas établi. Enregistrez d'abord la facture "
        "impayée (rubrique Factures du dossier : numéro, dates, montant) ; si tout a été payé, "
        "il n'y a rien à réclamer et le « Décompte de créance » en garde la trace"
    )
    assert "Aucun document généré." in page.text
    readiness = section(page.text, "h-docs")
    assert "mise_en_demeure" not in html.unescape(re.sub(r"<[^>]+>", " ", readiness))


def test_no_template_chosen_is_asked_for_in_words(browser: Api) -> None:
    case = renderable_case(browser)
    token = login(browser, "avocat")
    page = browser.client.post(
        f"/dossiers/{case['id']}/documents",
        data={"_csrf_token": token, "template": ""},
        headers=HTML,
    )
    assert flash(page.text).strip() == "Choisissez le modèle du document à générer."


def test_an_unknown_template_is_refused_with_its_name(browser: Api) -> None:
    case = renderable_case(browser)
    token = login(browser, "avocat")
    page = browser.client.post(
        f"/dossiers/{case['id']}/documents",
        data={"_csrf_token": token, "template": "lettre_au_pere_noel"},
        headers=HTML,
    )
    message = flash(page.text)
    assert "ne peut pas être généré : " in message and "(404)" not in message
    assert "lettre_au_pere_noel" in message


def test_a_case_feed_is_shown_once_answers_then_is_revoked(browser: Api) -> None:
    case = renderable_case(browser)
    token = login(browser, "avocat")
    page = browser.client.post(
        f"/dossiers/{case['id']}/abonnement", data={"_csrf_token": token}, headers=HTML
    )
    assert page.status_code == 200, page.text
    calendar = section(page.text, "h-calendar")
    [(url, path)] = FEED.findall(calendar)
    assert f'value="webcal://{url.split("://", 1)[1]}"' in calendar
    assert "Outlook" in calendar and "Thunderbird" in calendar and "Google" in calendar
    assert 'id="new-feed"' in calendar

    browser.client.cookies.clear()  # a calendar app has no session: the token is enough
    feed = browser.client.get(path)
    assert feed.status_code == 200
    assert feed.headers["content-type"].startswith("text/calendar")
    assert b"BEGIN:VCALENDAR" in feed.content

    token = login(browser, "avocat")
    again = browser.client.get(f"/dossiers/{case['id']}", headers=HTML)
    assert path not in again.text  # shown once: only its hash is stored
    calendar = section(again.text, "h-calendar")
    [revoke] = re.findall(r'action="(/abonnements/\d+/revoquer)"', calendar)
    assert "jamais" not in calendar  # the feed was read: its last use is shown

    revoked = browser.client.post(
        revoke,
        data={"_csrf_token": token, "next": f"/dossiers/{case['id']}"},
        headers=HTML,
    )
    assert revoked.status_code == 200
    assert "Abonnement révoqué" in flash(revoked.text)
    assert "/revoquer" not in section(revoked.text, "h-calendar")
    assert browser.client.get(path).status_code == 404


def test_the_dashboard_subscribes_a_lawyer_to_their_deadlines(browser: Api) -> None:
    token = login(browser, "avocat")
    dashboard = browser.client.get("/", headers=HTML)
    assert "S'abonner à mes échéances" in dashboard.text
    page = browser.client.post(
        "/abonnements/mes-echeances", data={"_csrf_token": token}, headers=HTML
    )
    assert page.status_code == 200, page.text
    mine = section(page.text, "h-subscribe")
    [(_, path)] = FEED.findall(mine)
    assert "mes échéances (avocat)" in mine
    feed = browser.client.get(path)
    assert feed.status_code == 200
    assert b"X-WR-CALNAME" in feed.content
    listed = browser.client.get("/api/feeds").json()
    assert [f["kind"] for f in listed if f["subject"] == "avocat" and not f["revoked"]]


def test_a_commissaire_subscribes_to_their_acts(browser: Api) -> None:
    token = login(browser, "commissaire_de_justice")
    page = browser.client.post(
        "/abonnements/mes-echeances", data={"_csrf_token": token}, headers=HTML
    )
    [(_, path)] = FEED.findall(section(page.text, "h-subscribe"))
    assert browser.client.get(path).status_code == 200
    feeds = browser.client.get("/api/feeds").json()
    assert {f["kind"] for f in feeds} == {"commissaire"}


def test_a_payment_plan_adds_its_instalments_to_the_case_deadlines(browser: Api) -> None:
    case = renderable_case(browser)
    token = login(browser, "avocat")
    page = browser.client.post(
        f"/dossiers/{case['id']}/echeancier",
        data={
            "_csrf_token": token,
            "total": "1 200,00",
            "count": "3",
            "first_due": "2027-02-05",
            "kind": "conventionnel",
            "grace_days": "10",
            "granted_on": "2027-01-15",
        },
        headers=HTML,
    )
    assert page.status_code == 200, page.text
    said = " ".join(flash(page.text).split())
    assert said.startswith(
        "Échéancier enregistré : 3 échéances à compter du 5 février 2027, "
        "ajoutées aux délais du dossier."
    )
    # No invoice on this case: recorded, and said (issue 12 item 1).
    assert said.endswith(
        "Aucune facture n'est enregistrée sur ce dossier : l'échéancier ne "
        "s'adosse à aucune créance. Ajoutez les factures."
    )
    plans = section(page.text, "h-plans")
    assert "Échéancier conventionnel du 15 janvier 2027" in plans
    due = re.findall(r'<td><time datetime="(\d{4}-\d\d-\d\d)">', plans)
    assert due == ["2027-02-05", "2027-03-05", "2027-04-05"]
    assert plans.count("400,00") >= 3
    assert "tolérance : 10 jours" in plans
    # The instalments are deadlines of the case, in the timeline with their explanation.
    timeline = section(page.text, "h-timeline")
    for number in (1, 2, 3):
        assert f'id="dl-t-echeance_{number}"' in timeline
    shown = browser.client.get(f"/api/cases/{case['id']}/deadlines").json()
    assert {d["key"]: d["due"] for d in shown if d["key"].startswith("echeance_")} == {
        "echeance_1": "2027-02-05",
        "echeance_2": "2027-03-05",
        "echeance_3": "2027-04-05",
    }


def test_a_bad_plan_is_a_message_and_nothing_stored(browser: Api) -> None:
    case = renderable_case(browser)
    token = login(browser, "avocat")
    page = browser.client.post(
        f"/dossiers/{case['id']}/echeancier",
        data={"_csrf_token": token, "total": "1200", "count": "trois", "first_due": "2027-02-05"},
        headers=HTML,
    )
    assert flash(page.text).strip() == (
        "Échéancier refusé : Nombre d'échéances : « trois » n'est pas un nombre entier"
    )
    assert "Aucun échéancier." in page.text
    # The form is filled in again with what was typed.
    assert 'name="total" inputmode="decimal" required placeholder="1 200,00" value="1200"' in (
        page.text
    )
    assert 'name="count" type="number" min="1" max="600" required value="trois"' in page.text
    assert 'name="first_due" type="date" required value="2027-02-05"' in page.text


def test_a_reader_sees_no_writing_form_and_is_refused(browser: Api) -> None:
    case = renderable_case(browser)
    token = login(browser, "lecteur")
    page = browser.client.get(f"/dossiers/{case['id']}", headers=HTML)
    assert page.status_code == 200
    assert f'action="/dossiers/{case["id"]}/documents"' not in page.text
    assert f'action="/dossiers/{case["id"]}/echeancier"' not in page.text
    assert "S'abonner à mes échéances" not in browser.client.get("/", headers=HTML).text
    for path, body in (
        ("documents", {"template": "requete_injonction_tj"}),
        ("echeancier", {"total": "100", "count": "2", "first_due": "2027-02-05"}),
    ):
        refused = browser.client.post(
            f"/dossiers/{case['id']}/{path}", data={"_csrf_token": token, **body}, headers=HTML
        )
        assert refused.status_code == 403, path
    assert browser.client.get(f"/api/cases/{case['id']}").json()["documents"] == []
    assert browser.client.get(f"/api/cases/{case['id']}/payment-plans").json() == []


def test_the_forms_without_csrf_token_are_refused(browser: Api) -> None:
    case = renderable_case(browser)
    login(browser, "avocat")
    csrf(browser)
    for path, body in (
        (f"/dossiers/{case['id']}/documents", {"template": "requete_injonction_tj"}),
        (f"/dossiers/{case['id']}/abonnement", {}),
        ("/abonnements/mes-echeances", {}),
        ("/abonnements/1/revoquer", {}),
        (
            f"/dossiers/{case['id']}/echeancier",
            {"total": "100", "count": "2", "first_due": "2027-02-05"},
        ),
    ):
        assert browser.client.post(path, data=body).status_code == 403, path
    assert browser.client.get(f"/api/cases/{case['id']}").json()["documents"] == []
    assert browser.client.get(f"/api/cases/{case['id']}/payment-plans").json() == []


def test_another_users_feed_cannot_be_revoked_from_the_page(browser: Api) -> None:
    case = renderable_case(browser)
    token = login(browser, "avocat")
    page = browser.client.post(
        f"/dossiers/{case['id']}/abonnement", data={"_csrf_token": token}, headers=HTML
    )
    [(_, path)] = FEED.findall(page.text)
    feed_id = next(f["id"] for f in browser.client.get("/api/feeds").json() if not f["revoked"])
    browser.client.cookies.clear()
    token = login(browser, "credit_manager")
    page = browser.client.post(
        f"/abonnements/{feed_id}/revoquer", data={"_csrf_token": token, "next": "/"}, headers=HTML
    )
    assert "Révocation impossible" in flash(page.text)
    assert browser.client.get(path).status_code == 200
