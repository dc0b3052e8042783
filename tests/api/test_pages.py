"""The pages: login with CSRF, dashboard, case page, simulator; French and accessible."""

from __future__ import annotations

import html
import io
import re
import zipfile
from collections.abc import Iterator

import pytest

from tests.api.conftest import PASSWORD, Api
from tests.api.test_cases import new_case

HTML = {"accept": "text/html"}


@pytest.fixture
def browser(api: Api) -> Iterator[Api]:
    """The shared client, logged out before and after (the API tests rely on no session)."""
    api.client.cookies.clear()
    yield api
    api.client.cookies.clear()


def csrf(api: Api) -> str:
    page = api.client.get("/login", headers=HTML)
    assert page.status_code == 200
    match = re.search(r'name="_csrf_token" value="([^"]+)"', page.text)
    assert match, page.text
    return match.group(1)


def login(api: Api, who: str) -> str:
    """Logs in by the form; returns the CSRF token of the new session (the login form's token
    was bound to the anonymous session and opens nothing after it)."""
    token = csrf(api)
    response = api.client.post(
        "/login",
        data={"name": who, "password": PASSWORD, "_csrf_token": token, "next": "/"},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    return csrf(api)


def test_a_page_without_session_redirects_to_the_login_form(browser: Api) -> None:
    response = browser.client.get("/simulateur", headers=HTML, follow_redirects=False)
    assert response.status_code in (302, 303)
    assert response.headers["location"] == "/login?next=%2Fsimulateur"


def test_the_login_form_is_labelled_and_french(browser: Api) -> None:
    page = browser.client.get("/login", headers=HTML)
    assert '<html lang="fr">' in page.text
    assert '<label for="name">Identifiant</label>' in page.text
    assert '<label for="password">Mot de passe</label>' in page.text


def test_a_wrong_password_is_401_with_a_message(browser: Api) -> None:
    token = csrf(browser)
    response = browser.client.post(
        "/login", data={"name": "avocat", "password": "faux", "_csrf_token": token}
    )
    assert response.status_code == 401
    assert "Identifiant ou mot de passe incorrect." in response.text


def test_a_form_without_csrf_token_is_refused(browser: Api) -> None:
    csrf(browser)
    response = browser.client.post("/login", data={"name": "avocat", "password": PASSWORD})
    assert response.status_code == 403


def test_login_never_redirects_off_site(browser: Api) -> None:
    token = csrf(browser)
    response = browser.client.post(
        "/login",
        data={
            "name": "avocat",
            "password": PASSWORD,
            "_csrf_token": token,
            "next": "//evil.example/",
        },
        follow_redirects=False,
    )
    assert response.headers["location"] == "/"


def test_a_session_reads_the_api_but_cannot_change_it(browser: Api) -> None:
    case = new_case(browser)
    login(browser, "avocat")
    read = browser.client.get(f"/api/cases/{case['id']}/deadlines")
    assert read.status_code == 200
    write = browser.client.post(
        f"/api/cases/{case['id']}/events", json={"key": "ordonnance_rendue", "date": "2027-01-04"}
    )
    assert write.status_code == 401


def test_the_dashboard_lists_cases_and_amounts(browser: Api) -> None:
    case = new_case(browser)
    login(browser, "avocat")
    page = browser.client.get("/", headers=HTML)
    assert page.status_code == 200
    assert "Tableau de bord" in page.text
    assert f'href="/dossiers/{case["id"]}"' in page.text
    assert "Dans les 30 prochains jours" in page.text
    assert "Par procédure" in page.text and "Par avocat" in page.text


def test_the_dashboard_says_when_a_case_s_next_deadline_has_already_passed(browser: Api) -> None:
    """A case whose only deadline is past shows it, marked: "dépassé" when it was ours to act
    (CPC art. 1411: serve the ordonnance within six months), "expiré" when it was the debtor's
    (art. 1416: the opposition period ran out)."""
    headers = browser.headers("avocat")
    ours, theirs = new_case(browser), new_case(browser)
    for case, events in (
        (ours, [{"key": "ordonnance_rendue", "date": "2025-01-06"}]),
        (
            theirs,
            [
                {"key": "ordonnance_rendue", "date": "2025-01-06"},
                {"key": "ordonnance_signifiee", "date": "2025-02-03", "a_personne": True},
            ],
        ),
    ):
        for event in events:
            added = browser.client.post(
                f"/api/cases/{case['id']}/events", headers=headers, json=event
            )
            assert added.status_code == 201, added.text
    login(browser, "avocat")
    page = html.unescape(browser.client.get("/", headers=HTML).text)

    def row(case: dict) -> str:
        start = page.index(f'<a href="/dossiers/{case["id"]}">{case["reference"]}</a>')
        return " ".join(re.sub(r"<[^>]+>", " ", page[start : page.index("</tr>", start)]).split())

    assert row(ours).endswith(
        "Signifier l'ordonnance d'injonction de payer — lundi 7 juillet 2025 (dépassé)"
    )
    assert row(theirs).endswith("Délai d'opposition du débiteur — lundi 3 mars 2025 (expiré)")


def test_the_simulator_page_explains_the_opposition_deadline(browser: Api) -> None:
    token = login(browser, "lecteur")
    form = html.unescape(browser.client.get("/simulateur?procedure=injonction_de_payer").text)
    # One name per thing: the group is not called "Juridiction" like the select inside it, and
    # the empty court reads as on the new-case form.
    assert "<legend>Juridiction, débiteur et montant</legend>" in form
    assert '<option value="">(celle de la procédure)</option>' in form
    page = browser.client.post(
        "/simulateur?procedure=injonction_de_payer",
        data={
            "_csrf_token": token,
            "court_department": "75",
            "ordonnance_signifiee__date": "2027-01-29",
            "ordonnance_signifiee__a_personne": "true",
        },
        headers=HTML,
    )
    assert page.status_code == 200, page.text
    assert "Délai d&#39;opposition du débiteur" in page.text
    assert "1er mars 2027" in page.text
    assert "CPC art. 1416" in page.text
    assert "report au premier jour ouvrable" in page.text


def test_the_simulator_page_words_its_warnings_and_territory_in_french(browser: Api) -> None:
    """The engine's warning wrote 'montant 5000.01 € … applicable le 2020-01-06' and the
    heading the territory's key 'alsace-moselle'."""
    token = login(browser, "lecteur")
    page = browser.client.post(
        "/simulateur?procedure=petites_creances",
        data={
            "_csrf_token": token,
            "court_department": "57",
            "claim_total": "5000.01",
            "invitation_envoyee__date": "2020-01-06",
        },
        headers=HTML,
    )
    assert page.status_code == 200, page.text
    text = html.unescape(page.text)
    assert "Délais (Alsace-Moselle (Bas-Rhin, Haut-Rhin, Moselle))" in text
    assert (
        '<p class="flash warning">montant 5\u202f000,01\u00a0€ supérieur au plafond de '
        "5\u202f000,00\u00a0€ applicable le 6 janvier 2020 (CPCE art. R125-1 (décret n° 2019-1333 "
        "du 11 décembre 2019)) : procédure non ouverte</p>"
    ) in text


def test_a_misspelt_procedure_in_the_simulator_link_opens_the_closest_one(browser: Api) -> None:
    """Not an error page listing every procedure: the simulator, the closest procedure chosen,
    and a short refusal that points to the page's own list."""
    login(browser, "lecteur")
    page = browser.client.get("/simulateur?procedure=refere", headers=HTML)
    assert page.status_code == 422
    text = html.unescape(page.text)
    assert (
        "procédure inconnue « refere » ; la plus proche : « Référé-provision » ; toutes sont "
        "proposées dans la liste « Procédure » de la page"
    ) in text
    assert "GET /api/procedures" not in text and "casefile procedures" not in text
    assert 'value="refere_provision" selected' in text or "Ordonnance de référé signifiée" in text


def test_the_choices_of_an_event_are_labelled_in_french(browser: Api) -> None:
    login(browser, "lecteur")
    page = html.unescape(browser.client.get("/simulateur?procedure=amiable", headers=HTML).text)
    assert '<option value="non_commercant" >professionnel non commerçant</option>' in page
    assert '<option value="commercant" >commerçant</option>' in page
    assert ">non_commercant<" not in page


def test_the_simulator_page_shows_bad_input_as_a_message(browser: Api) -> None:
    token = login(browser, "lecteur")
    page = browser.client.post(
        "/simulateur?procedure=injonction_de_payer",
        data={"_csrf_token": token, "ordonnance_signifiee__date": "2027-02-30"},
        headers=HTML,
    )
    assert page.status_code == 422
    assert "2027-02-30" in page.text
    assert 'role="alert"' in page.text
    assert (
        "événement « Ordonnance signifiée au débiteur » : « 2027-02-30 » : cette date "
        "n&#39;existe pas dans le calendrier"
    ) in page.text
    assert "ordonnance_signifiee :" not in page.text


def test_a_refused_event_on_the_case_page_names_it_by_its_label(browser: Api) -> None:
    """The flash quoted the engine's keys: « événement ordonnance_signifiee : attribut
    a_personne='peut-être' : … »."""
    case = new_case(browser)
    token = login(browser, "avocat")
    answer = browser.client.post(
        f"/dossiers/{case['id']}/evenements",
        data={
            "_csrf_token": token,
            "key": "ordonnance_signifiee",
            "date": "2027-02-01",
            "a_personne": "peut-être",
        },
        headers=HTML,
    )
    text = html.unescape(answer.text)
    assert (
        "événement « Ordonnance signifiée au débiteur » : attribut « Signification à la personne "
        "du débiteur (CPC art. 654) » : reçu « peut-être », attendu oui ou non (true ou false)"
    ) in text
    assert "a_personne" not in re.sub(r'(name|for|id|value)="[^"]*"', "", text)


def test_the_case_page_shows_the_timeline_with_explanations(browser: Api) -> None:
    case = new_case(browser)
    token = login(browser, "avocat")
    recorded = browser.client.post(
        f"/dossiers/{case['id']}/evenements",
        data={
            "_csrf_token": token,
            "key": "ordonnance_signifiee",
            "date": "2027-01-29",
            "a_personne": "true",
        },
        headers=HTML,
    )
    assert recorded.status_code == 200, recorded.text
    assert "Événement enregistré" in recorded.text
    # The flash names what moved, with the weekday: 28 February 2027 is a Sunday (CPC art. 642).
    shown = html.unescape(recorded.text)
    assert "Événement enregistré. 1 délai ajouté." in shown
    assert "<li>Nouveau délai : Délai d'opposition du débiteur — lundi 1er mars 2027</li>" in shown
    assert "1er mars 2027" in recorded.text
    assert "CPC art. 1416" in recorded.text
    assert "Date brute" in recorded.text
    assert f'href="/api/cases/{case["id"]}/calendar.ics"' in recorded.text


def test_a_refused_event_comes_back_filled_in_and_open(browser: Api) -> None:
    """An attribute the law cannot read (a_personne must be yes or no) refuses the event: the
    form is open again with the date typed, not an empty one to fill at 7 p.m."""
    case = new_case(browser)
    token = login(browser, "avocat")
    refused = browser.client.post(
        f"/dossiers/{case['id']}/evenements",
        data={
            "_csrf_token": token,
            "key": "premier_acte_a_personne",
            "date": "2027-01-29",
            "lieu": "Atlantide",
        },
        headers=HTML,
    )
    text = html.unescape(refused.text)
    assert 'class="flash error"' in text
    form = text[text.index('<h2 id="h-event">') :]
    form = form[: form.index("</section>")]
    opened = re.findall(r"<details( open)?>\s*<summary>([^<]+)</summary>", form)
    assert [label for is_open, label in opened if is_open] == [
        "Premier acte signifié à la personne du débiteur"
    ]
    assert 'id="ev-premier_acte_a_personne-date" name="date" required value="2027-01-29"' in form
    assert 'value="Atlantide"' in form


def test_a_reader_sees_no_event_form(browser: Api) -> None:
    case = new_case(browser)
    login(browser, "lecteur")
    page = browser.client.get(f"/dossiers/{case['id']}", headers=HTML)
    assert page.status_code == 200
    assert "Enregistrer un événement" not in page.text


def test_an_unknown_case_page_is_a_french_404(browser: Api) -> None:
    login(browser, "avocat")
    page = browser.client.get("/dossiers/987654", headers=HTML)
    assert page.status_code == 404
    assert "Page introuvable (erreur 404)" in page.text
    assert "dossier « 987654 » introuvable" in page.text


def test_a_piece_is_uploaded_from_the_case_page_with_its_csrf_token(browser: Api) -> None:
    case = new_case(browser)
    token = login(browser, "avocat")
    url = f"/dossiers/{case['id']}/pieces"
    refused = browser.client.post(
        url, data={"kind": "facture"}, files={"file": ("f.pdf", b"%PDF-1.4 x", "application/pdf")}
    )
    assert refused.status_code == 403
    uploaded = browser.client.post(
        url,
        data={"_csrf_token": token, "kind": "facture"},
        files={"file": ("facture.pdf", b"%PDF-1.4 facture", "application/pdf")},
        headers=HTML,
    )
    assert uploaded.status_code == 200, uploaded.text
    assert "Pièce n° 1 ajoutée (facture)." in uploaded.text
    assert "/api/evidence/" in uploaded.text
    empty = browser.client.post(
        url,
        data={"_csrf_token": token, "kind": "contrat"},
        files={"file": ("contrat.pdf", b"", "application/pdf")},
        headers=HTML,
    )
    text = html.unescape(empty.text)
    assert "le fichier est vide (0 octet)" in text
    # The nature chosen for the refused file is still chosen for the next try.
    assert '<option value="contrat" selected>contrat</option>' in text


def test_a_piece_gets_its_date_and_designation_on_the_case_page(browser: Api) -> None:
    """The document check said « Date des pièces n° 1 : à saisir — rubrique Pièces de la page
    du dossier », where the form asked only for the nature and the file."""
    case = new_case(browser)
    token = login(browser, "avocat")
    form = html.unescape(browser.client.get(f"/dossiers/{case['id']}", headers=HTML).text)
    assert '<label for="ev-description">Désignation au bordereau (facultatif)</label>' in form
    assert '<input type="date" id="ev-date" name="date" value="">' in form
    uploaded = browser.client.post(
        f"/dossiers/{case['id']}/pieces",
        data={
            "_csrf_token": token,
            "kind": "devis",
            "description": "Devis n° 77 accepté",
            "date": "2026-03-01",
        },
        files={"file": ("devis.pdf", b"%PDF-1.4 devis", "application/pdf")},
        headers=HTML,
    )
    assert uploaded.status_code == 200, uploaded.text
    text = html.unescape(uploaded.text)
    assert "Pièce n° 1 ajoutée (devis)." in text
    assert (
        "<td>devis</td>\n      <td>Devis n° 77 accepté</td>\n      <td>1er mars 2026</td>" in text
    )
    pieces = browser.client.get(f"/api/cases/{case['id']}", headers=browser.headers("avocat"))
    [piece] = pieces.json()["evidence"]
    assert (piece["description"], piece["date"]) == ("Devis n° 77 accepté", "2026-03-01")
    bad = browser.client.post(
        f"/dossiers/{case['id']}/pieces",
        data={"_csrf_token": token, "kind": "contrat", "description": "CGV", "date": "31/02/2026"},
        files={"file": ("cgv.pdf", b"%PDF-1.4 cgv", "application/pdf")},
        headers=HTML,
    )
    text = html.unescape(bad.text)
    assert "Pièce n° 2" not in text
    assert "date : « 31/02/2026 » n'est pas une date au format AAAA-MM-JJ" in text
    # What was typed is kept for the next try.
    assert 'name="description" maxlength="1000"' in text and 'value="CGV"' in text


def test_a_piece_s_date_and_designation_are_corrected_beside_it_on_the_case_page(
    browser: Api,
) -> None:
    """A pièce uploaded without its date stayed so: the small form beside it corrects its date
    and designation (never its file), a refusal shows the form again with the message beside
    the field (4xx), and a reader is offered no form."""
    case = new_case(browser)
    token = login(browser, "avocat")
    uploaded = browser.client.post(
        f"/dossiers/{case['id']}/pieces",
        data={"_csrf_token": token, "kind": "facture"},
        files={"file": ("facture.pdf", b"%PDF-1.4 facture F-12", "application/pdf")},
        headers=HTML,
    )
    assert uploaded.status_code == 200, uploaded.text
    [piece] = browser.client.get(
        f"/api/cases/{case['id']}", headers=browser.headers("avocat")
    ).json()["evidence"]
    url = f"/dossiers/{case['id']}/pieces/{piece['id']}"
    text = html.unescape(uploaded.text)
    assert (
        '<summary>Corriger<span class="visually-hidden"> la nature, la date ou la désignation de la '
        "pièce "
        "n° 1</span></summary>" in text
    )
    assert f'<form method="post" action="{url}" class="stack">' in text
    assert f'<label for="pd-{piece["id"]}-date">Date de la pièce</label>' in text
    assert f'<input type="date" id="pd-{piece["id"]}-date" name="date" value="">' in text
    assert "<td>—</td>\n      <td>non renseignée</td>" in text

    corrected = browser.client.post(
        url,
        data={
            "_csrf_token": token,
            "date": "2026-03-01",
            "description": "Facture F-12 de mars",
            "reason": "",
        },
        headers=HTML,
    )
    assert corrected.status_code == 200, corrected.text
    text = html.unescape(corrected.text)
    assert "Pièce n° 1 : date et désignation corrigées." in text
    assert (
        "<td>facture</td>\n      <td>Facture F-12 de mars</td>\n      <td>1er mars 2026</td>"
        in text
    )
    assert f'<input type="date" id="pd-{piece["id"]}-date" name="date" value="2026-03-01">' in text
    [shown] = browser.client.get(
        f"/api/cases/{case['id']}", headers=browser.headers("avocat")
    ).json()["evidence"]
    assert (shown["date"], shown["description"], shown["sha256"]) == (
        "2026-03-01",
        "Facture F-12 de mars",
        piece["sha256"],
    )

    refused = browser.client.post(
        url,
        data={"_csrf_token": token, "date": "31/02/2026", "description": "Facture F-12 signée"},
        headers=HTML,
    )
    assert refused.status_code == 422
    text = html.unescape(refused.text)
    assert "Corriger la pièce n° 1 — dossier" in text
    assert (
        '<p class="field-error" id="piece-date-error">date de la pièce : « 31/02/2026 » n\'est pas '
        "une date au format AAAA-MM-JJ</p>" in text
    )
    assert 'value="31/02/2026"' in text and 'value="Facture F-12 signée"' in text  # kept
    too_long = browser.client.post(
        url, data={"_csrf_token": token, "description": "x" * 1001}, headers=HTML
    )
    assert too_long.status_code == 422
    assert (
        '<p class="field-error" id="piece-description-error">désignation : 1001 caractères, au '
        "plus 1000 sont admis</p>" in html.unescape(too_long.text)
    )
    # Nothing was changed by the refusals; the form has its own page too.
    form = browser.client.get(url, headers=HTML)
    assert form.status_code == 200
    text = html.unescape(form.text)
    assert "Au bordereau : Facture F-12 de mars (du 1er mars 2026)." in text
    assert 'id="piece-date" name="date" type="date" value="2026-03-01"' in text
    assert "Le fichier de la pièce et son empreinte ne changent pas" in text

    # A pièce of this case only: another case's address does not reach it.
    other = new_case(browser)
    elsewhere = f"/dossiers/{other['id']}/pieces/{piece['id']}"
    assert browser.client.get(elsewhere, headers=HTML).status_code == 404
    moved = browser.client.post(
        elsewhere, data={"_csrf_token": token, "description": "détournée"}, headers=HTML
    )
    assert moved.status_code == 404
    assert "n'est pas une pièce de ce dossier" in html.unescape(moved.text)

    login(browser, "lecteur")
    page = html.unescape(browser.client.get(f"/dossiers/{case['id']}", headers=HTML).text)
    assert "Facture F-12 de mars" in page and f'action="{url}"' not in page
    assert browser.client.get(url, headers=HTML).status_code == 403


def test_a_piece_s_nature_is_corrected_beside_it_and_the_bordereau_follows(browser: Api) -> None:
    """A devis uploaded as a facture: the form beside it offers the natures by their French
    names, the current one selected; the correction renames it on the page and in the
    bordereau; an unknown nature sent by hand is refused beside the select (422)."""
    case = new_case(browser)
    token = login(browser, "avocat")
    uploaded = browser.client.post(
        f"/dossiers/{case['id']}/pieces",
        data={"_csrf_token": token, "kind": "facture", "description": "Facture n° F-1"},
        files={"file": ("scan.pdf", b"%PDF-1.4 devis D-91", "application/pdf")},
        headers=HTML,
    )
    assert uploaded.status_code == 200, uploaded.text
    [piece] = browser.client.get(
        f"/api/cases/{case['id']}", headers=browser.headers("avocat")
    ).json()["evidence"]
    url = f"/dossiers/{case['id']}/pieces/{piece['id']}"
    text = html.unescape(uploaded.text)
    assert '<th scope="col">Nature, date et désignation</th>' in text
    assert f'<label for="pd-{piece["id"]}-kind">Nature de la pièce</label>' in text
    select = text.split(f'<select id="pd-{piece["id"]}-kind" name="kind">', 1)[1]
    select = select.split("</select>", 1)[0]
    assert re.findall(r'<option value="(\w+)"( selected)?>([^<]+)</option>', select) == [
        ("devis", "", "devis"),
        ("bon_de_commande", "", "bon de commande"),
        ("facture", " selected", "facture"),
        ("contrat", "", "contrat"),
        ("mise_en_demeure", "", "mise en demeure"),
        ("accuse_reception", "", "accusé de réception"),
        ("acte_commissaire", "", "acte de commissaire de justice"),
        ("autre", "", "pièce"),
    ]

    corrected = browser.client.post(
        url,
        data={
            "_csrf_token": token,
            "kind": "devis",
            "date": "",
            "description": "n° D-91 accepté",
            "reason": "un devis, pas une facture",
        },
        headers=HTML,
    )
    assert corrected.status_code == 200, corrected.text
    text = html.unescape(corrected.text)
    assert "Pièce n° 1 : nature et désignation corrigées." in text
    assert "<td>devis</td>\n      <td>n° D-91 accepté</td>\n      <td>non renseignée</td>" in text
    assert '<option value="devis" selected>devis</option>' in text.split(url, 1)[1]
    form = html.unescape(browser.client.get(url, headers=HTML).text)
    assert "Au bordereau : Devis - n° D-91 accepté (sans date)." in form
    assert '<option value="devis" selected>devis</option>' in form
    assert 'for="piece-kind">Nature de la pièce</label>' in form
    assert "seules sa nature, sa date et sa désignation sont corrigées" in form
    bundle = browser.client.get(
        f"/api/cases/{case['id']}/bundle.zip", headers=browser.headers("avocat")
    )
    assert bundle.status_code == 200
    with zipfile.ZipFile(io.BytesIO(bundle.content)) as archive:
        assert archive.namelist()[2:] == ["01 - Devis - n° D-91 accepté.pdf"]
        index = archive.read("00 - Bordereau.txt").decode("utf-8").splitlines()
    assert index[-1] == "Pièce n° 1 : Devis - n° D-91 accepté (sans date)"

    refused = browser.client.post(
        url,
        data={"_csrf_token": token, "kind": "avoir", "description": "Avoir n° A-1"},
        headers=HTML,
    )
    assert refused.status_code == 422
    text = html.unescape(refused.text)
    assert (
        '<p class="field-error" id="piece-kind-error">nature de la pièce : « avoir » inconnue '
        "(choisir : « Devis » (devis), « Bon de commande » (bon_de_commande), « Facture » "
        "(facture), « Contrat » (contrat), « Mise en demeure » (mise_en_demeure), « Accusé de "
        "réception » (accuse_reception), « Acte de commissaire de justice » (acte_commissaire), "
        "« Pièce » (autre))</p>" in text
    )
    assert 'value="Avoir n° A-1"' in text  # kept for the next try
    [shown] = browser.client.get(
        f"/api/cases/{case['id']}", headers=browser.headers("avocat")
    ).json()["evidence"]
    assert (shown["kind"], shown["description"], shown["sha256"]) == (
        "devis",
        "n° D-91 accepté",
        piece["sha256"],
    )


def test_the_original_uploaded_again_on_the_page_says_the_altered_copy_is_repaired(
    browser: Api,
) -> None:
    """The altered pièce's message says « déposez à nouveau l'original depuis la page du
    dossier (le fichier identique remplace la copie altérée) »: the page that answers that
    upload said only « identique à la pièce n° 1 … Aucune pièce n'a été ajoutée »."""
    case = new_case(browser)
    token = login(browser, "avocat")
    original = b"%PDF-1.4 devis n 77 " + b"7" * 64
    url = f"/dossiers/{case['id']}/pieces"
    first = browser.client.post(
        url,
        data={"_csrf_token": token, "kind": "devis"},
        files={"file": ("devis.pdf", original, "application/pdf")},
        headers=HTML,
    )
    assert first.status_code == 200, first.text
    [piece] = browser.client.get(
        f"/api/cases/{case['id']}", headers=browser.headers("avocat")
    ).json()["evidence"]
    [stored] = list(browser.var.rglob(piece["sha256"]))
    stored.chmod(0o644)
    stored.write_bytes(original.replace(b"77", b"78"))
    content = f"/api/evidence/{piece['id']}/content"
    assert browser.client.get(content, headers=HTML).status_code == 409
    again = browser.client.post(
        url,
        data={"_csrf_token": token, "kind": "devis"},
        files={"file": ("devis.pdf", original, "application/pdf")},
        headers=HTML,
    )
    assert again.status_code == 409
    text = " ".join(html.unescape(again.text).split())
    assert (
        "La copie stockée de la pièce n° 1, altérée, a été remplacée par ce fichier identique à "
        "l'original : elle est de nouveau servie." in text
    )
    served = browser.client.get(content, headers=HTML)
    assert served.status_code == 200 and served.content == original


def test_a_file_over_the_limit_is_refused_on_a_page_that_leads_back_to_the_case(
    browser: Api,
) -> None:
    """The browser's answer to a too large pièce: the limit as a person reads it, what to do,
    and a link back to the case page the form was on (not only to the dashboard)."""
    case = new_case(browser)
    token = login(browser, "avocat")
    page = browser.client.post(
        f"/dossiers/{case['id']}/pieces",
        data={"_csrf_token": token, "kind": "facture"},
        files={"file": ("gros.pdf", b"%PDF-1.4 " + b"x" * 70_000, "application/pdf")},
        headers={**HTML, "referer": f"http://testserver.local/dossiers/{case['id']}"},
    )
    assert page.status_code == 413
    text = html.unescape(page.text)
    assert "le fichier dépasse la taille maximale acceptée (65\u202f536\u00a0octets)" in text
    assert f'<a href="/dossiers/{case["id"]}">Retour à la page précédente</a>' in text
    elsewhere = browser.client.post(
        f"/dossiers/{case['id']}/pieces",
        data={"_csrf_token": token, "kind": "facture"},
        files={"file": ("gros.pdf", b"%PDF-1.4 " + b"x" * 70_000, "application/pdf")},
        headers={**HTML, "referer": "https://example.org/dossiers/1"},
    )
    assert "Retour à la page précédente" not in elsewhere.text  # another site: no link


def test_abroad_is_written_and_accepted_with_its_accent(browser: Api) -> None:
    """The labels asked for « etranger » (the key), which no French reader writes; the word
    typed with its accent is the same residence: 15 days + 2 months (CPC art. 490, 643) from
    Monday 1 June 2026 = Sunday 16 August 2026 → Monday 17 August 2026 (art. 642)."""
    token = login(browser, "lecteur")
    form = html.unescape(browser.client.get("/simulateur?procedure=refere_provision").text)
    assert "Résidence du débiteur (département ou « étranger »)" in form
    assert "(département ou « étranger »), CPC art. 647" in form
    assert "etranger" not in form.replace('value="etranger"', "")
    page = browser.client.post(
        "/simulateur?procedure=refere_provision",
        data={
            "_csrf_token": token,
            "court_department": "75",
            "debtor_residence": "étranger",
            "ordonnance_signifiee__date": "2026-06-01",
        },
        headers=HTML,
    )
    assert page.status_code == 200, page.text
    text = html.unescape(page.text)
    assert "17 août 2026" in text
    assert "CPC art. 490" in text


def test_the_dashboard_counts_in_french(browser: Api) -> None:
    """The summary read « 1 échéances sous 30 jours » and called every amount « en litige »,
    amicable files included: 0 and 1 take the singular, and the amount is what is still owed."""
    from datetime import date, timedelta

    created = browser.client.post(
        "/api/users",
        headers=browser.headers("admin"),
        json={"name": "cj_tableau", "role": "commissaire_de_justice", "password": PASSWORD},
    )
    assert created.status_code == 201, created.text
    login(browser, "cj_tableau")

    def summary() -> str:
        page = html.unescape(browser.client.get("/", headers=HTML).text).replace("\u202f", " ")
        cards = page[
            page.index('id="h-sums"') : page.index("</section>", page.index('id="h-sums"'))
        ]
        return " | ".join(
            " ".join(re.sub(r"<[^>]+>", " ", p).split()) for p in cards.split("</p>")[:-1]
        )

    assert summary().endswith(
        "0 dossier | 0,00 € restant dû | 0 échéance sous 30 jours | "
        "0 échéance dépassée de notre côté | 0 délai de l'autre partie expiré"
    )
    case = new_case(browser, commissaire="cj_tableau")
    claim = browser.client.post(
        f"/api/cases/{case['id']}/claims",
        headers=browser.headers("avocat"),
        json={
            "invoice_number": f"{case['reference']}-TDB",
            "issue_date": "2026-09-01",
            "due_date": "2026-10-01",
            "amount": "1250.00",
        },
    )
    assert claim.status_code == 201, claim.text
    served = (date.today() - timedelta(days=5)).isoformat()
    event = browser.client.post(
        f"/api/cases/{case['id']}/events",
        headers=browser.headers("avocat"),
        json={"key": "ordonnance_signifiee", "date": served, "a_personne": True},
    )
    assert event.status_code == 201, event.text
    assert summary().endswith(
        "1 dossier | 1 250,00 € restant dû | 1 échéance sous 30 jours | "
        "0 échéance dépassée de notre côté | 0 délai de l'autre partie expiré"
    )
