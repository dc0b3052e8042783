"""A readable audit trail (issue 12 item 7): who, when, what in a French sentence, the
before/after of each field, filtered by case, user and dates (API and page)."""

from __future__ import annotations

import html
from datetime import timedelta

import pytest

from casefile import clock
from tests.api.conftest import Api
from tests.api.test_cases import new_case
from tests.api.test_pages import HTML, login


def named(api: Api, login_: str, full_name: str) -> None:
    """The person behind a login, as the trail names them (pages name people, not logins)."""
    done = api.client.patch(
        f"/api/users/{login_}", headers=api.headers("admin"), json={"full_name": full_name}
    )
    assert done.status_code == 200, done.text


def test_each_change_reads_as_a_french_sentence_with_its_fields(api: Api) -> None:
    named(api, "avocat", "Jeanne Martin")
    case = new_case(api, "avocat")
    headers = api.headers("avocat")
    api.client.patch(
        f"/api/cases/{case['id']}/parties/debtor",
        headers=headers,
        json={"siren": "732829320", "category": "societe", "legal_form": "SARL"},
    )
    api.client.post(
        f"/api/cases/{case['id']}/claims",
        headers=headers,
        json={
            "invoice_number": "F-77",
            "issue_date": "2026-09-01",
            "due_date": "2026-10-01",
            "amount": "4080.00",
        },
    )
    claim_id = api.client.get(f"/api/cases/{case['id']}", headers=headers).json()["claims"][0]["id"]
    api.client.patch(
        f"/api/cases/{case['id']}/claims/{claim_id}", headers=headers, json={"amount": "4100.50"}
    )
    api.client.post(
        f"/api/cases/{case['id']}/events",
        headers=headers,
        json={"key": "ordonnance_rendue", "date": "2026-10-20"},
    )
    api.client.delete(
        f"/api/cases/{case['id']}/events/ordonnance_rendue",
        headers=headers,
        params={"reason": "saisie dans le mauvais dossier"},
    )
    trail = api.client.get(
        "/api/audit", params={"case": case["reference"]}, headers=api.headers("admin")
    ).json()
    sentences = [e["sentence"] for e in trail]
    ref = case["reference"]
    who = "Maître Jeanne Martin"
    assert sentences == [
        f"{who} a retiré « Ordonnance portant injonction de payer rendue » du dossier {ref} "
        "(motif : saisie dans le mauvais dossier).",
        f"{who} a enregistré « Ordonnance portant injonction de payer rendue » dans le dossier {ref}, "
        "à la date du 20 octobre 2026.",
        f"{who} a corrigé la facture F-77 du dossier {ref}.",
        f"{who} a ajouté la facture F-77 au dossier {ref}.",
        f"{who} a modifié le débiteur du dossier {ref}.",
        f"{who} a ouvert le dossier {ref}.",
    ]
    corrected = trail[2]
    [amount] = corrected["changes"]
    assert amount["label"] == "montant TTC"
    assert (amount["before"], amount["after"]) == ("4\u202f080,00\u00a0€", "4\u202f100,50\u00a0€")
    party = {c["field"]: c for c in trail[4]["changes"]}
    assert party["siren"]["before"] == "—" and party["siren"]["after"] == "732\u00a0829\u00a0320"
    assert party["legal_form"]["label"] == "forme juridique"
    assert trail[0]["reason"] == "saisie dans le mauvais dossier"
    assert any(line.startswith("délai ajouté : ") for line in trail[1]["deadlines"])


def test_the_trail_filters_by_user_and_dates(api: Api) -> None:
    case = new_case(api, "credit_manager")
    admin = api.headers("admin")
    mine = api.client.get("/api/audit", params={"user": "credit_manager"}, headers=admin).json()
    assert mine and {e["actor"] for e in mine} == {"credit_manager"}
    assert any(e["case_id"] == case["id"] for e in mine)
    tomorrow = (clock.today() + timedelta(days=1)).isoformat()
    assert api.client.get("/api/audit", params={"since": tomorrow}, headers=admin).json() == []
    today = clock.today().isoformat()
    todays = api.client.get(
        "/api/audit", params={"since": today, "until": today}, headers=admin
    ).json()
    assert any(e["case_id"] == case["id"] for e in todays)
    reversed_ = api.client.get(
        "/api/audit", params={"since": tomorrow, "until": today}, headers=admin
    )
    assert reversed_.status_code == 422 and "inversées" in reversed_.json()["error"]


def test_the_audit_page_is_french_with_filters(api: Api) -> None:
    named(api, "avocat", "Jeanne Martin")
    case = new_case(api, "avocat")
    api.client.cookies.clear()
    try:
        login(api, "admin")
        page = api.client.get("/audit", params={"dossier": case["reference"]}, headers=HTML)
        assert page.status_code == 200
        text = html.unescape(page.text)
        assert f"Maître Jeanne Martin a ouvert le dossier {case['reference']}." in text
        assert '<option value="avocat">Maître Jeanne Martin</option>' in text
        assert '<label for="audit-user">Utilisateur</label>' in text
        assert "{'" not in text  # no Python dict dump
        bad = api.client.get("/audit", params={"du": "hier"}, headers=HTML)
        assert bad.status_code == 422 and "n'est pas une date" in html.unescape(bad.text)
    finally:
        api.client.cookies.clear()


def _entry(action: str, entity: str, before: object, after: object, entity_id: str = "7") -> dict:
    return {
        "id": 1,
        "at": "2026-11-30T10:05:00+00:00",
        "actor": "admin",
        "action": action,
        "entity": entity,
        "entity_id": entity_id,
        "before": before,
        "after": after,
    }


def test_every_recorded_action_has_its_french_sentence_and_field_labels() -> None:
    """Actions the trail used to show as « a effectué l'action user.edit » with raw keys
    ('full name', 'token', 'statut — open', 'modèle — mise_en_demeure')."""
    from casefile.services.audit import describe

    def read(entry: dict, references: dict | None = None) -> tuple[str, list[tuple[str, ...]]]:
        line = describe(entry, references or {}, {})
        return line.sentence, [(c.label, c.before, c.after) for c in line.changes]

    assert read(
        _entry(
            "user.create",
            "user",
            None,
            {
                "name": "marc",
                "role": "commissaire_de_justice",
                "token": False,
                "etude_name": "SELARL W",
            },
        )
    ) == (
        "admin a créé l'utilisateur marc.",
        [
            ("identifiant", "—", "marc"),
            ("rôle", "—", "commissaire de justice"),
            ("jeton d'accès à l'API", "—", "non"),
            ("étude", "—", "SELARL W"),
        ],
    )
    assert read(
        _entry(
            "user.edit",
            "user",
            {"role": "lecteur", "full_name": ""},
            {"role": "avocat", "full_name": "Claire L"},
        )
    ) == (
        "admin a modifié le compte utilisateur n° 7.",
        [("rôle", "lecteur", "avocat"), ("nom complet", "—", "Claire L")],
    )
    assert read(
        _entry("user.deactivate", "user", {"active": True}, {"active": False, "sessions_closed": 2})
    ) == (
        "admin a désactivé le compte utilisateur n° 7.",
        [("compte actif", "oui", "non"), ("sessions fermées", "—", "2")],
    )
    assert read(_entry("user.reactivate", "user", {"active": False}, {"active": True}))[0] == (
        "admin a réactivé le compte utilisateur n° 7."
    )
    assert read(
        _entry("case.create", "case", None, {"status": "open", "phase": "amiable"}, "3"), {3: "D-3"}
    ) == (
        "admin a ouvert le dossier D-3.",
        [("statut", "—", "en cours"), ("phase", "—", "phase amiable")],
    )
    assert read(
        _entry(
            "case.handover",
            "case",
            {"phase": "amiable", "court": None},
            {
                "phase": "contentieux",
                "court": "tribunal_de_commerce",
                "handed_over_on": "2026-11-30",
                "carried": {"invoices": 3, "pieces": 2, "mise_en_demeure": "2026-10-02"},
            },
            "3",
        ),
        {3: "D-3"},
    ) == (
        "admin a transmis le dossier D-3 au contentieux.",
        [
            ("phase", "phase amiable", "contentieux"),
            ("juridiction", "—", "tribunal de commerce"),
            ("transmis le", "—", "30 novembre 2026"),
            (
                "repris de la phase amiable",
                "—",
                "factures : 3, pièces : 2, mise en demeure : 2 octobre 2026",
            ),
        ],
    )
    assert read(
        _entry("case.court", "case", {"court_id": None}, {"court_id": 4, "version": 2}, "3"),
        {3: "D-3"},
    ) == ("admin a choisi la juridiction du dossier D-3.", [("juridiction", "—", "n° 4")])
    court_chosen = describe(
        _entry("case.court", "case", {"court_id": 2}, {"court_id": 4, "version": 2}, "3"),
        {3: "D-3"},
        {},
        court_names={2: "Tribunal judiciaire de Lyon", 4: "Tribunal de commerce de Lyon"},
    )
    assert [(c.label, c.before, c.after) for c in court_chosen.changes] == [
        ("juridiction", "« Tribunal judiciaire de Lyon »", "« Tribunal de commerce de Lyon »")
    ]
    assert (
        describe(
            _entry("court.edit", "court", {"city": "Lyon"}, {"city": "Lyon 3e"}),
            {},
            {},
            court_names={7: "Tribunal judiciaire de Lyon"},
        ).sentence
        == "admin a modifié la juridiction « Tribunal judiciaire de Lyon »."
    )
    assert read(
        _entry("court.add", "court", None, {"name": "TJ de Lyon", "kind": "tribunal_judiciaire"})
    ) == (
        "admin a ajouté la juridiction « TJ de Lyon ».",
        [("nom de la juridiction", "—", "TJ de Lyon"), ("nature", "—", "tribunal judiciaire")],
    )
    assert read(_entry("court.edit", "court", {"city": "Lyon"}, {"city": "Lyon 3e"})) == (
        "admin a modifié la juridiction n° 7.",
        [("ville", "Lyon", "Lyon 3e")],
    )
    assert read(
        _entry(
            "rate.record",
            "rate",
            None,
            {
                "parameter": "taux_interet_legal",
                "field": "value",
                "semester": "2026-H2",
                "value": "3.15",
                "source": "JO",
                "file": "/x.json",
            },
            "taux_interet_legal:2026-H2",
        )
    ) == (
        "admin a enregistré le taux de l'intérêt légal — tous les autres cas pour le second "
        "semestre 2026.",
        [
            ("semestre", "—", "le second semestre 2026"),
            ("valeur", "—", "3,15\u00a0%"),
            ("source", "—", "JO"),
        ],
    )
    sentence, changes = read(
        _entry(
            "facturx.accept",
            "case",
            None,
            {"piece": 2, "sha256": "ab12", "profile": "BASIC", "invoice_number": "F-9"},
            "3",
        ),
        {3: "D-3"},
    )
    assert sentence == "admin a accepté la facture électronique F-9 du dossier D-3."
    assert ("pièce", "—", "n° 2") in changes and ("empreinte SHA-256", "—", "ab12") in changes
    assert read(
        _entry("document.create", "document", None, {"case": 3, "template": "mise_en_demeure"}),
        {3: "D-3"},
    )[1] == [("modèle", "—", "Mise en demeure de payer")]
    assert read(
        _entry(
            "evidence.integrity_failure", "piece", None, {"sha256": "ab12", "detail": "x"}, "3:1"
        )
    )[0] == (
        "admin a demandé un fichier dont le contenu ne correspond plus à son empreinte SHA-256 : "
        "téléchargement refusé."
    )


def test_the_audit_page_shows_the_warnings_of_an_entry_in_french(api: Api) -> None:
    """A hearing recorded on a Sunday: the entry keeps its warning, the page shows it (through
    the `text_fr` filter, as every page shows a stored sentence)."""
    case = new_case(api, "avocat", procedure="assignation_paiement")
    recorded = api.client.post(
        f"/api/cases/{case['id']}/events",
        headers=api.headers("avocat"),
        json={"key": "audience", "date": "2026-12-06"},
    )
    assert recorded.status_code in (200, 201), recorded.text
    expected = "L'audience est fixée au 6 décembre 2026, un dimanche : vérifiez la date."
    trail = api.client.get(
        "/api/audit", params={"case": case["reference"]}, headers=api.headers("admin")
    ).json()
    assert [w for e in trail for w in e["warnings"]] == [expected]
    api.client.cookies.clear()
    try:
        login(api, "admin")
        page = api.client.get("/audit", params={"dossier": case["reference"]}, headers=HTML)
        assert f'<p class="flash warning">{expected}</p>' in html.unescape(page.text)
    finally:
        api.client.cookies.clear()


def test_the_page_header_names_the_person_logged_in_not_their_login(api: Api) -> None:
    named(api, "avocat", "Jeanne Martin")
    api.client.cookies.clear()
    try:
        login(api, "avocat")
        page = api.client.get("/", headers=HTML, follow_redirects=True)
        assert page.status_code == 200
        text = html.unescape(page.text)
        assert '<span class="who">Maître Jeanne Martin (avocat)</span>' in text
        api.client.cookies.clear()
        login(api, "lecteur")  # no full name recorded: the login, as before
        page = api.client.get("/", headers=HTML, follow_redirects=True)
        assert '<span class="who">lecteur (lecteur)</span>' in html.unescape(page.text)
    finally:
        api.client.cookies.clear()


@pytest.mark.parametrize(
    ("action", "sentence"),
    [
        ("piece.added", "admin a ajouté une pièce au dossier D-3."),
        ("piece.versioned", "admin a déposé une nouvelle version d'une pièce du dossier D-3."),
        ("piece.renumbered", "admin a renuméroté les pièces du dossier D-3."),
        ("piece.deleted", "admin a retiré une pièce du dossier D-3."),
        (
            "piece.repaired",
            "admin a déposé à nouveau l'original d'une pièce altérée du dossier D-3 : sa copie "
            "stockée est réparée.",
        ),
    ],
)
def test_the_pieces_own_history_reads_in_french_not_as_a_raw_key(
    action: str, sentence: str
) -> None:
    """The trail showed « a effectué l'action « piece.added » (piece 3:1) »."""
    from casefile.services.audit import describe

    entry = _entry(action, "piece", None, {"case_id": 3, "piece_id": 1}, "3:1")
    assert describe(entry, {3: "D-3"}, {}).sentence == sentence


def test_a_calendar_subscription_names_its_calendar_not_its_keys(api: Api) -> None:
    """« … a créé une adresse d'abonnement au calendrier du dossier IP-0042. », its case
    linked; no field « qualité : case » or « subject : 4 » under it (nor, once revoked, the
    token's id, dates and flags)."""
    # (commissaire_2: the other tests read commissaire_de_justice's own feeds)
    case = new_case(api, commissaire="commissaire_2")
    bailiff = api.headers("commissaire_2")
    for_case = api.client.post(
        "/api/feeds", headers=bailiff, json={"kind": "case", "subject": case["reference"]}
    )
    assert for_case.status_code in (200, 201), for_case.text
    own = api.client.post(
        "/api/feeds",
        headers=bailiff,
        json={"kind": "commissaire", "subject": "commissaire_2"},
    )
    assert own.status_code in (200, 201), own.text
    revoked = api.client.delete(f"/api/feeds/{own.json()['id']}", headers=bailiff)
    assert revoked.status_code == 200, revoked.text
    trail = api.client.get(
        "/api/audit",
        params={"user": "commissaire_2", "entity": "feed"},
        headers=api.headers("admin"),
    ).json()
    revoke, issue_own, issue_case = trail[:3]
    who = issue_case["sentence"].split(" a créé ")[0]
    assert issue_case["sentence"] == (
        f"{who} a créé une adresse d'abonnement au calendrier du dossier {case['reference']}."
    )
    assert issue_case["case_id"] == case["id"]
    assert issue_own["sentence"] == (
        f"{who} a créé une adresse d'abonnement au calendrier des actes de {who} "
        "(commissaire de justice)."
    )
    assert revoke["sentence"] == (
        f"{who} a révoqué une adresse d'abonnement au calendrier des actes de {who} "
        "(commissaire de justice)."
    )
    for entry in (revoke, issue_own, issue_case):
        assert entry["changes"] == [], entry["changes"]
