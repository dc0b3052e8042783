"""The case's data on the web (issue 12 item 1): parties, invoices, payments and events entered
and corrected through labelled French forms; a refusal shows each message beside its field and
keeps what was typed; a success redirects to the case page with the deadlines' changes."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator

import pytest

from tests.api.conftest import Api
from tests.api.test_cases import new_case
from tests.api.test_pages import HTML, login


@pytest.fixture
def browser(api: Api) -> Iterator[Api]:
    api.client.cookies.clear()
    yield api
    api.client.cookies.clear()


def post(api: Api, token: str, path: str, **fields: str):
    return api.client.post(
        path, data={"_csrf_token": token, **fields}, headers=HTML, follow_redirects=False
    )


def labels_match_inputs(page: str) -> None:
    """Every visible input has a <label for> (keyboard and screen readers)."""
    ids = set(re.findall(r'<label for="([^"]+)"', page))
    inputs = re.findall(r'<(?:input|select|textarea) id="([^"]+)"', page)
    assert inputs and set(inputs) <= ids, set(inputs) - ids


def test_the_debtor_is_edited_on_its_own_page_and_the_case_page_shows_it(browser: Api) -> None:
    case = new_case(browser, "avocat")
    token = login(browser, "avocat")
    form = browser.client.get(f"/dossiers/{case['id']}/parties/debtor", headers=HTML)
    assert form.status_code == 200
    labels_match_inputs(form.text)
    assert "Modifier le débiteur" in form.text
    response = post(
        browser,
        token,
        f"/dossiers/{case['id']}/parties/debtor",
        name="Martin",
        category="consommateur",
        civility="Mme",
        first_name="Élise",
        street="4 place Kléber",
        postcode="67000",
        city="Strasbourg",
        country="France",
    )
    assert response.status_code == 303, response.text
    page = browser.client.get(response.headers["location"], headers=HTML).text
    assert "Débiteur enregistré." in page
    assert "Mme Élise Martin" in html.unescape(page)
    assert "4 place Kléber, 67000 Strasbourg" in html.unescape(page)


def test_a_free_text_address_fills_the_form_it_is_corrected_in(browser: Api) -> None:
    """An imported debtor (or one created with `address` alone) showed its address on the case
    page and blank address fields in its form: a person re-typed it, or saved without it."""
    case = new_case(
        browser,
        "avocat",
        debtor={
            "name": "Winstub Muller SARL",
            "kind": "professionnel",
            "address": "3 rue du Dôme, 67000 Strasbourg",
        },
    )
    token = login(browser, "avocat")
    form = html.unescape(
        browser.client.get(f"/dossiers/{case['id']}/parties/debtor", headers=HTML).text
    )
    assert re.search(r'name="street"[^>]*>3 rue du Dôme</textarea>', form), form
    assert re.search(r'name="postcode"[^>]*value="67000"', form)
    assert re.search(r'name="city"[^>]*value="Strasbourg"', form)
    saved = post(
        browser,
        token,
        f"/dossiers/{case['id']}/parties/debtor",
        name="Winstub Muller SARL",
        street="3 rue du Dôme",
        postcode="67000",
        city="Strasbourg",
        country="France",
        email="compta@winstub.example.fr",
    )
    assert saved.status_code == 303, saved.text
    shown = browser.client.get(f"/api/cases/{case['id']}", headers=browser.headers("avocat"))
    debtor = shown.json()["debtor_party"]
    assert (debtor["address"], debtor["street"], debtor["postcode"], debtor["city"]) == (
        "3 rue du Dôme, 67000 Strasbourg",
        "3 rue du Dôme",
        "67000",
        "Strasbourg",
    )
    assert debtor["email"] == "compta@winstub.example.fr"


def test_a_legal_form_written_in_the_name_is_not_reported_missing(browser: Api) -> None:
    """The pleadings read "SAS" from "Fournitures Rhénanes SAS" (la société Fournitures
    Rhénanes, SAS): the case page does not ask for it again; a bare name still lacks it."""
    case = new_case(
        browser,
        "avocat",
        creditor={"name": "Fournitures Rhénanes SAS", "kind": "professionnel"},
        debtor={"name": "Traiteur Dupont", "kind": "professionnel", "person_or_company": "societe"},
    )
    login(browser, "avocat")
    page = html.unescape(browser.client.get(f"/dossiers/{case['id']}", headers=HTML).text)
    creditor = page[page.index("Fournitures Rhénanes SAS") : page.index("Modifier le créancier")]
    debtor = page[page.index("Modifier le créancier") : page.index("Modifier le débiteur")]
    assert "Forme juridique manquante." not in creditor
    assert "Forme juridique manquante." in debtor


def test_a_legal_form_recorded_and_in_the_name_is_written_once(browser: Api) -> None:
    """« Start-up Nova SAS, SAS » on the case page: the form is shown once."""
    case = new_case(
        browser,
        "avocat",
        debtor={"name": "Start-up Nova SAS", "kind": "professionnel", "legal_form": "SAS"},
    )
    login(browser, "avocat")
    page = html.unescape(browser.client.get(f"/dossiers/{case['id']}", headers=HTML).text)
    assert "<strong>Start-up Nova SAS</strong>\n        — " in page or (
        "Start-up Nova SAS</strong>," not in page
    )
    assert "Start-up Nova SAS</strong>, SAS" not in page


def test_a_bad_siren_is_shown_beside_its_field_and_nothing_typed_is_lost(browser: Api) -> None:
    case = new_case(browser, "avocat")
    token = login(browser, "avocat")
    response = post(
        browser,
        token,
        f"/dossiers/{case['id']}/parties/creditor",
        name="Fournitures Rhénanes",
        category="societe",
        siren="732829321",
        street="12 rue des Tanneurs",
        postcode="6700",
        city="Strasbourg",
    )
    assert response.status_code == 422
    page = html.unescape(response.text)
    assert 'id="party-siren-error"' in page and "clé de contrôle" in page
    assert 'id="party-postcode-error"' in page and "5 chiffres" in page
    assert 'aria-invalid="true"' in page
    assert 'value="12 rue des Tanneurs"' not in page  # a textarea keeps it as its text
    assert ">12 rue des Tanneurs</textarea>" in page
    assert 'value="732829321"' in page and 'value="Strasbourg"' in page
    shown = browser.client.get(f"/api/cases/{case['id']}", headers=browser.headers("avocat"))
    assert shown.json()["creditor"]["siren"] is None  # nothing half-recorded


def test_invoices_and_payments_are_added_corrected_and_withdrawn(browser: Api) -> None:
    case = new_case(browser, "avocat")
    token = login(browser, "avocat")
    base = f"/dossiers/{case['id']}"
    form = browser.client.get(f"{base}/factures/nouvelle", headers=HTML)
    labels_match_inputs(form.text)
    added = post(
        browser,
        token,
        f"{base}/factures",
        invoice_number="F-2026-118",
        issue_date="2026-09-01",
        due_date="2026-10-01",
        amount="4 080,00",
        supply="marchandises",
        description="Fûts de bière",
    )
    assert added.status_code == 303, added.text
    shown = browser.client.get(f"/api/cases/{case['id']}", headers=browser.headers("avocat")).json()
    [claim] = shown["claims"]
    assert (claim["amount"], claim["supply"], claim["description"]) == (
        "4080.00",
        "marchandises",
        "Fûts de bière",
    )
    bad = post(
        browser,
        token,
        f"{base}/factures/{claim['id']}",
        invoice_number="F-2026-118",
        issue_date="2026-09-01",
        due_date="2026-08-01",
        amount="quatre mille",
    )
    assert bad.status_code == 422
    page = html.unescape(bad.text)
    assert 'id="claim-amount-error"' in page and "n'est pas un montant" in page
    # Both faults at once: the unreadable amount and the due date before the issue date.
    assert 'id="claim-due_date-error"' in page
    assert "Le formulaire n'a pas été enregistré : 2 champs à corriger. Rien n'a été perdu." in page
    assert 'value="quatre mille"' in page
    # Why an amount is refused, as the import says it (it read « n'est pas un montant »).
    for typed, why in (
        ("-500,00", "« -500,00 » est négatif"),
        ("12,345", "« 12,345 » a plus de deux décimales"),
    ):
        refused = post(
            browser,
            token,
            f"{base}/factures/{claim['id']}",
            invoice_number="F-2026-118",
            issue_date="2026-09-01",
            due_date="2026-10-01",
            amount=typed,
        )
        assert refused.status_code == 422
        assert f"facture, montant TTC : {why}" in html.unescape(refused.text)
    negative = post(browser, token, f"{base}/paiements", date="2026-11-02", amount="-3 000,00")
    assert negative.status_code == 422
    assert "paiement, montant : « -3 000,00 » est négatif" in html.unescape(negative.text)
    early = post(
        browser,
        token,
        f"{base}/factures/{claim['id']}",
        invoice_number="F-2026-118",
        issue_date="2026-09-01",
        due_date="2026-08-01",
        amount="4 080,00",
    )
    assert early.status_code == 422
    assert (
        "facture F-2026-118, date d'échéance : le 1er août 2026 précède la date d'émission "
        "(1er septembre 2026)"
    ) in html.unescape(early.text)
    paid = post(
        browser,
        token,
        f"{base}/paiements",
        date="2026-11-02",
        amount="5 000,00",
        invoice_number="F-2026-118",
        reference="VIR 118",
    )
    assert paid.status_code == 303
    page = html.unescape(browser.client.get(paid.headers["location"], headers=HTML).text)
    assert "dépasse le principal restant dû (4 080,00 €)" in page.replace("\u202f", " ").replace(
        "\u00a0", " "
    )
    shown = browser.client.get(f"/api/cases/{case['id']}", headers=browser.headers("avocat")).json()
    [payment] = shown["payments"]
    no_reason = post(browser, token, f"{base}/paiements/{payment['id']}/supprimer", reason="")
    assert no_reason.status_code == 422 and "motif" in html.unescape(no_reason.text)
    gone = post(browser, token, f"{base}/paiements/{payment['id']}/supprimer", reason="doublon")
    assert gone.status_code == 303
    withdrawn = post(browser, token, f"{base}/factures/{claim['id']}/supprimer", reason="avoir")
    assert withdrawn.status_code == 303
    shown = browser.client.get(f"/api/cases/{case['id']}", headers=browser.headers("avocat")).json()
    assert shown["claims"] == [] and shown["payments"] == []
    audit = browser.client.get("/api/audit", headers=browser.headers("admin")).json()
    actions = [e["action"] for e in audit if e["entity_id"] == str(case["id"])]
    assert {"claim.add", "claim.delete", "payment.add", "payment.delete"} <= set(actions)
    mine = [e for e in audit if e["entity_id"] == str(case["id"]) and e["entity"] == "case"]
    assert {e["actor"] for e in mine} == {"avocat"}, mine


def test_an_event_is_corrected_with_a_reason_and_its_deadline_moves(browser: Api) -> None:
    """CPC art. 1416: the opposition period runs one month from the signification."""
    case = new_case(browser, "avocat")
    headers = browser.headers("avocat")
    browser.client.post(
        f"/api/cases/{case['id']}/events",
        headers=headers,
        json={"key": "ordonnance_rendue", "date": "2026-02-02"},
    )
    browser.client.post(
        f"/api/cases/{case['id']}/events",
        headers=headers,
        json={"key": "ordonnance_signifiee", "date": "2026-02-13", "a_personne": True},
    )
    shown = browser.client.get(f"/api/cases/{case['id']}", headers=headers).json()
    event = next(e for e in shown["events"] if e["key"] == "ordonnance_signifiee")
    token = login(browser, "avocat")
    form = browser.client.get(f"/dossiers/{case['id']}/evenements/{event['id']}", headers=HTML)
    assert form.status_code == 200
    labels_match_inputs(form.text)
    no_reason = post(
        browser,
        token,
        f"/dossiers/{case['id']}/evenements/{event['id']}",
        date="2026-02-16",
        a_personne="true",
    )
    assert no_reason.status_code == 422 and 'id="event-reason-error"' in no_reason.text
    assert 'value="2026-02-16"' in no_reason.text
    fixed = post(
        browser,
        token,
        f"/dossiers/{case['id']}/evenements/{event['id']}",
        date="2026-02-16",
        a_personne="true",
        reason="date de l'acte mal recopiée",
    )
    assert fixed.status_code == 303
    shown_page = html.unescape(browser.client.get(fixed.headers["location"], headers=HTML).text)
    assert "1 délai déplacé." in shown_page
    assert (
        "<li>Délai déplacé : Délai d'opposition du débiteur — du 13 mars 2026 au "
        "lundi 16 mars 2026</li>"
    ) in shown_page
    deadlines = browser.client.get(f"/api/cases/{case['id']}/deadlines", headers=headers).json()
    assert next(d for d in deadlines if d["key"] == "opposition")["due"] == "2026-03-16"
    audit = browser.client.get("/api/audit", headers=browser.headers("admin")).json()
    entry = next(
        e for e in audit if e["action"] == "event.edit" and e["entity_id"] == str(case["id"])
    )
    assert entry["after"]["reason"] == "date de l'acte mal recopiée"
    assert entry["before"]["date"] == "2026-02-13" and entry["after"]["date"] == "2026-02-16"


def test_the_new_case_form_takes_the_parties_identity(browser: Api) -> None:
    token = login(browser, "avocat")
    form = browser.client.get("/dossiers/nouveau", headers=HTML)
    labels_match_inputs(form.text)
    fields = {
        "reference": "WEB-PARTIES-1",
        "procedure": "injonction_de_payer",
        "court": "tribunal_de_commerce",
        "court_department": "67",
        "creditor": "Fournitures Rhénanes",
        "creditor__category": "societe",
        "creditor__legal_form": "SAS",
        "creditor__siren": "732 829 320",
        "creditor__street": "12 rue des Tanneurs",
        "creditor__postcode": "67000",
        "creditor__city": "Strasbourg",
        "debtor": "Muller",
        "debtor__category": "entrepreneur_individuel",
        "debtor__civility": "M.",
        "debtor__first_name": "Paul",
        "debtor__siret": "73282932000075",
    }
    refused = post(browser, token, "/dossiers/nouveau", **fields)
    assert refused.status_code == 422
    page = html.unescape(refused.text)
    assert 'id="nc-debtor-siret-error"' in page and "clé de contrôle" in page
    assert 'value="732 829 320"' in page  # kept as typed
    created = post(
        browser, token, "/dossiers/nouveau", **{**fields, "debtor__siret": "73282932000074"}
    )
    assert created.status_code == 303, created.text
    case = browser.client.get("/api/cases/WEB-PARTIES-1", headers=browser.headers("avocat")).json()
    assert case["creditor"]["siren"] == "732829320"
    assert case["creditor"]["address"] == "12 rue des Tanneurs, 67000 Strasbourg"
    assert case["debtor_party"]["kind"] == "professionnel"
    assert case["debtor_party"]["civility"] == "M."


def test_an_avocat_who_opens_a_case_on_the_page_is_its_lawyer(browser: Api) -> None:
    """The form names no lawyer, and only an administrator assigns one: every pleading of a
    case opened by an avocat said « [avocat (nom, barreau) à compléter] »."""
    fields = {
        "reference": "WEB-LAWYER-1",
        "procedure": "injonction_de_payer",
        "court_department": "67",
        "creditor": "Fournitures Rhénanes SAS",
        "debtor": "Muller SARL",
    }
    token = login(browser, "avocat")
    created = post(browser, token, "/dossiers/nouveau", **fields)
    assert created.status_code == 303, created.text
    case = browser.client.get("/api/cases/WEB-LAWYER-1", headers=browser.headers("avocat"))
    assert case.json()["lawyer"] == "avocat"
    token = login(browser, "credit_manager")
    created = post(browser, token, "/dossiers/nouveau", **{**fields, "reference": "WEB-LAWYER-2"})
    assert created.status_code == 303, created.text
    case = browser.client.get("/api/cases/WEB-LAWYER-2", headers=browser.headers("avocat"))
    assert case.json()["lawyer"] is None  # a credit manager is no one's avocat: left to assign


def test_a_court_the_procedure_does_not_use_is_refused_in_words(browser: Api) -> None:
    """Small claims are handled by a commissaire de justice (CPCE art. L125-1), not a court:
    the refusal names both in French, not 'tribunal_de_commerce' and 'petites_creances'."""
    token = login(browser, "avocat")
    refused = post(
        browser,
        token,
        "/dossiers/nouveau",
        reference="WEB-COURT-1",
        procedure="petites_creances",
        court="tribunal_de_commerce",
        court_department="33",
        creditor="Garage Duval SARL",
        debtor="Lambert",
    )
    assert refused.status_code == 422
    message = re.search(
        r'<p class="field-error" id="nc-court-error">([^<]+)</p>',
        html.unescape(refused.text),
    )
    assert message and message.group(1) == (
        "juridiction « tribunal de commerce » impossible pour la procédure « Procédure "
        "simplifiée de recouvrement des petites créances » (attendu : commissaire de justice)"
    )


def test_a_misspelt_procedure_is_named_on_the_page_without_a_command_or_an_endpoint(
    browser: Api,
) -> None:
    """The page lists the procedures itself: it does not send a lawyer to « casefile
    procedures » or « GET /api/procedures », nor show the key; the API still does."""
    token = login(browser, "avocat")
    refused = post(
        browser,
        token,
        "/dossiers/nouveau",
        reference="WEB-PROC-1",
        procedure="injonction_de_paye",
        court_department="67",
        creditor="Cuisines Muller SAS",
        debtor="Dupont",
    )
    assert refused.status_code == 422
    message = re.search(
        r'<p class="field-error" id="nc-procedure-error">([^<]+)</p>',
        html.unescape(refused.text),
    )
    assert message and message.group(1) == (
        "procédure inconnue « injonction_de_paye » ; la plus proche : « Injonction de payer » ; "
        "toutes sont proposées dans la liste « Procédure » de la page"
    )
    assert 'value="WEB-PROC-1"' in refused.text  # nothing typed is lost
    api = browser.client.post(
        "/api/cases",
        headers=browser.headers("avocat"),
        json={
            "reference": "API-PROC-1",
            "procedure": "injonction_de_paye",
            "court": "tribunal_judiciaire",
            "court_department": "67",
            "creditor": {"name": "Cuisines Muller SAS"},
            "debtor": {"name": "Dupont"},
        },
    )
    assert api.status_code == 422
    assert api.json()["fields"]["procedure"].endswith(
        "liste complète : casefile procedures, ou GET /api/procedures"
    )


def test_a_bad_debtor_residence_is_shown_beside_its_field_on_the_new_case_form(
    browser: Api,
) -> None:
    """The residence decides the distance extension (CPC art. 643): a refused one is named where
    it was typed, not only in the banner that says "corrigez les champs signalés"."""
    token = login(browser, "avocat")
    refused = post(
        browser,
        token,
        "/dossiers/nouveau",
        reference="WEB-RESIDENCE-1",
        procedure="injonction_de_payer",
        court_department="69",
        creditor="Brasserie Lyonnaise",
        debtor="Traiteur Dupont & Fils",
        debtor_residence="Belgique",
    )
    assert refused.status_code == 422
    page = html.unescape(refused.text)
    error = re.search(r'<p class="field-error" id="nc-residence-error">([^<]+)</p>', page)
    assert error, page
    assert error.group(1) == (
        "débiteur, résidence (département ou étranger) : « Belgique » : un code de département "
        "ou « étranger »"
    )
    assert 'aria-invalid="true" aria-describedby="nc-residence-error"' in page
    assert 'value="Belgique"' in page and 'value="Traiteur Dupont & Fils"' in page.replace(
        "&amp;", "&"
    )


@pytest.mark.parametrize(
    ("who", "path", "status"),
    [
        ("lecteur", "/parties/debtor", 403),
        ("lecteur", "/factures/nouvelle", 403),
        ("lecteur", "/paiements/nouveau", 403),
        ("commissaire_de_justice", "/factures/nouvelle", 403),
        ("credit_manager", "/factures/nouvelle", 200),
        ("commissaire_de_justice", "/evenements/{rendue}", 403),
        ("commissaire_de_justice", "/evenements/{signifiee}", 200),
        ("commissaire_2", "/evenements/{signifiee}", 403),
    ],
)
def test_each_role_reaches_only_its_forms(browser: Api, who: str, path: str, status: int) -> None:
    case = new_case(browser, "avocat")
    headers = browser.headers("avocat")
    for key, day in (("ordonnance_rendue", "2026-02-02"), ("ordonnance_signifiee", "2026-02-13")):
        browser.client.post(
            f"/api/cases/{case['id']}/events", headers=headers, json={"key": key, "date": day}
        )
    ids = {
        e["key"]: e["id"]
        for e in browser.client.get(f"/api/cases/{case['id']}", headers=headers).json()["events"]
    }
    path = path.format(rendue=ids["ordonnance_rendue"], signifiee=ids["ordonnance_signifiee"])
    login(browser, who)
    response = browser.client.get(f"/dossiers/{case['id']}{path}", headers=HTML)
    assert response.status_code == status, response.text[:300]


def test_a_wrong_hearing_time_is_shown_beside_its_field(browser: Api) -> None:
    case = new_case(browser, "avocat", procedure="assignation_paiement")
    headers = browser.headers("avocat")
    added = browser.client.post(
        f"/api/cases/{case['id']}/events",
        headers=headers,
        json={"key": "audience", "date": "2027-01-11", "heure": "14h"},
    )
    assert added.status_code == 201, added.text
    [event] = browser.client.get(f"/api/cases/{case['id']}", headers=headers).json()["events"]
    assert event["attributes"] == {"heure": "14:00"}
    token = login(browser, "avocat")
    response = post(
        browser,
        token,
        f"/dossiers/{case['id']}/evenements/{event['id']}",
        date="2027-01-11",
        heure="25h",
        reason="renvoi",
    )
    assert response.status_code == 422
    page = html.unescape(response.text)
    assert 'id="event-audience-heure-error"' in page and "n'est pas une heure" in page
    assert 'value="25h"' in page


def test_every_refused_field_of_the_new_case_form_is_named_beside_it(browser: Api) -> None:
    """A reference too long, a court the procedure does not use and a bad SIREN: the three
    messages at once, each beside its field, and the form comes back as typed."""
    token = login(browser, "avocat")
    refused = post(
        browser,
        token,
        "/dossiers/nouveau",
        reference="R" * 101,
        procedure="petites_creances",
        court="tribunal_de_commerce",
        court_department="33",
        creditor="Garage Duval SARL",
        creditor__siren="123",
        debtor="Lambert",
        debtor_residence="33",
    )
    assert refused.status_code == 422
    page = html.unescape(refused.text)
    assert "3 champs à corriger" in page
    assert re.search(
        r'id="nc-reference-error">référence « R{101} » : elle doit compter de 1 à 100 '
        r"caractères</p>",
        page,
    )
    assert (
        'id="nc-court-error">juridiction « tribunal de commerce » impossible pour la procédure '
        "« Procédure simplifiée de recouvrement des petites créances » (attendu : commissaire "
        "de justice)</p>"
    ) in page
    assert 'id="nc-creditor-siren-error"' in page
    assert '<a href="#nc-reference">' in page and '<a href="#nc-court">' in page
    assert 'value="Garage Duval SARL"' in page and 'value="123"' in page
    assert 'value="petites_creances" selected' in page
    assert 'value="tribunal_de_commerce" selected' in page
    assert 'name="debtor_residence" value="33"' in page


def test_an_amicable_case_page_names_its_phase_once(browser: Api) -> None:
    """The procedure's title begins with the badge's words: « Phase amiable » is read once."""
    case = new_case(browser, "avocat", procedure="amiable", court=None)
    login(browser, "avocat")
    page = html.unescape(browser.client.get(f"/dossiers/{case['id']}", headers=HTML).text)
    header = page[page.index("<h1>") : page.index("</p>", page.index("<h1>"))]
    assert header.count("Phase amiable") == 1, header
    assert (
        '<span class="badge">Phase amiable et surveillance de la prescription</span>\n'
        "  juridiction non précisée"
    ) in header


def test_no_formule_executoire_request_is_offered_for_an_ordonnance_from_march_2022(
    browser: Api,
) -> None:
    """Ordonnances from 1 March 2022 bear the formule exécutoire (décret n° 2021-1322): the
    request of the former art. 1423 is not offered (rendering would refuse it); the certificat
    de non-opposition is."""
    case = new_case(browser, "avocat")
    login(browser, "avocat")
    before = browser.client.get(f"/dossiers/{case['id']}", headers=HTML).text
    assert "Demande d&#39;apposition de la formule exécutoire" in before  # no ordonnance yet
    recorded = browser.client.post(
        f"/api/cases/{case['id']}/events",
        headers=browser.headers("avocat"),
        json={"key": "ordonnance_rendue", "date": "2026-02-02"},
    )
    assert recorded.status_code in (200, 201), recorded.text
    page = html.unescape(browser.client.get(f"/dossiers/{case['id']}", headers=HTML).text)
    assert "Demande d'apposition de la formule exécutoire" not in page
    assert '<option value="certificat_non_opposition">Demande de certificat de non-opposition' in (
        page
    )


def test_a_hearing_time_reads_the_french_way_on_the_pages(browser: Api) -> None:
    """« 9 h 30 » and « 14 h », as the pleadings write it, not « 09:30 »."""
    case = new_case(browser, "avocat", procedure="assignation_paiement")
    headers = browser.headers("avocat")
    added = browser.client.post(
        f"/api/cases/{case['id']}/events",
        headers=headers,
        json={"key": "audience", "date": "2027-01-11", "heure": "09:30"},
    )
    assert added.status_code == 201, added.text
    login(browser, "avocat")
    page = html.unescape(browser.client.get(f"/dossiers/{case['id']}", headers=HTML).text)
    assert " : 9\u00a0h\u00a030" in page and "09:30" not in page
    hearing = html.unescape(
        browser.client.get(f"/dossiers/{case['id']}/audience", headers=HTML).text
    )
    assert "audience du lundi 11 janvier 2027 à 9\u00a0h\u00a030" in hearing, hearing


def test_a_time_of_day_has_one_french_wording() -> None:
    from datetime import time

    from casefile.labels import hour_fr

    assert hour_fr("14:00") == "14\u00a0h"
    assert hour_fr(time(9, 30)) == "9\u00a0h\u00a030"
    assert hour_fr("à préciser") == "à préciser"
