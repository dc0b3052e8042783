"""Bundles and imports as background tasks over HTTP (issue 15): asked for, followed, their
result downloaded verified; asking twice answers the same task and does the work once. These
apps run no job engine (CASEFILE_JOBS=off), so a task runs within the request that asks for it;
tests/jobs/test_background_tasks.py runs them as jobs on both databases."""

from __future__ import annotations

import io
import zipfile
from datetime import datetime
from zoneinfo import ZoneInfo

from casefile.law.wording import date_fr
from tests.api.conftest import Api
from tests.api.test_cases import new_case
from tests.api.test_evidence import PDF, upload_raw

CSV = (
    "Débiteur;SIREN;N° facture;Date facture;Échéance;Montant TTC;Payé;Code postal\n"
    "Winstub Muller SARL;732 829 320;F-2025-001;15/01/2025;14/02/2025;1 234,56;0;67000\n"
    "Winstub Muller SARL;732 829 320;F-2025-002;15/02/2025;17/03/2025;2 480,00;480,00;67000\n"
    "Boulangerie Hoarau;;F-2025-003;01/03/2025;31/03/2025;89,90;;97110\n"
).encode()


def import_csv(api: Api, body: bytes, creditor: str, who: str = "avocat", **query: str):
    return api.client.post(
        "/api/imports",
        headers={**api.headers(who), "content-type": "text/csv"},
        params={"filename": "balance âgée.csv", "creditor": creditor, **query},
        content=body,
    )


def test_a_bundle_task_builds_the_zip_once_and_serves_it_verified(api: Api) -> None:
    case = new_case(api)
    upload_raw(api, case["id"])
    upload_raw(api, case["id"], body=PDF + b"% seconde\n", filename="Facture 2.pdf")
    asked = api.client.post(
        f"/api/cases/{case['id']}/bundles", headers=api.headers("avocat"), json={"format": "zip"}
    )
    assert asked.status_code == 202, asked.text
    task = asked.json()
    assert (task["kind"], task["status"], task["status_label"]) == ("bundle", "done", "terminée")
    assert task["label"] == f"Dossier {case['reference']} : bordereau et pièces numérotées (ZIP)"
    assert task["result"]["pieces"] == 2
    assert task["download"] == f"/api/tasks/{task['id']}/result"

    download = api.client.get(task["download"], headers=api.headers("avocat"))
    assert download.status_code == 200
    assert download.headers["content-type"] == "application/zip"
    assert f"{case['reference']} - pi" in download.headers["content-disposition"]
    assert len(download.content) == task["result"]["size"]
    with zipfile.ZipFile(io.BytesIO(download.content)) as archive:
        names = archive.namelist()
        assert archive.read(next(n for n in names if n.startswith("01"))) == PDF
        assert archive.read(next(n for n in names if n.startswith("02"))) == PDF + b"% seconde\n"

    # The same bundle asked again (same pièces, same day): the same task, nothing rebuilt.
    again = api.client.post(f"/api/cases/{case['id']}/bundles", headers=api.headers("avocat"))
    assert again.status_code == 202
    assert again.json()["id"] == task["id"]
    assert again.json()["finished_at"] == task["finished_at"]
    # A new pièce makes it another bundle.
    upload_raw(api, case["id"], body=PDF + b"% troisieme\n", filename="Facture 3.pdf")
    third = api.client.post(f"/api/cases/{case['id']}/bundles", headers=api.headers("avocat"))
    assert third.json()["id"] != task["id"] and third.json()["result"]["pieces"] == 3

    mine = api.client.get("/api/tasks", headers=api.headers("avocat")).json()
    assert [t["id"] for t in mine[:2]] == [third.json()["id"], task["id"]]
    # Another user neither sees the task nor downloads its result.
    for path in (task["url"], task["download"]):
        assert api.client.get(path, headers=api.headers("credit_manager")).status_code == 404
    audit = api.client.get(
        "/api/audit", params={"entity": "case"}, headers=api.headers("admin")
    ).json()
    assert any(e["action"] == "bundle.download" and e["actor"] == "avocat" for e in audit)


def test_a_bundle_of_a_case_without_pieces_or_in_an_unknown_format_is_refused(api: Api) -> None:
    case = new_case(api)
    empty = api.client.post(f"/api/cases/{case['id']}/bundles", headers=api.headers("avocat"))
    assert empty.status_code == 422
    assert "aucune pièce" in empty.json()["error"]
    upload_raw(api, case["id"])
    odd = api.client.post(
        f"/api/cases/{case['id']}/bundles", headers=api.headers("avocat"), json={"format": "rar"}
    )
    assert odd.status_code == 422
    assert "format « rar » inconnu : zip ou pdf" in odd.json()["error"]
    assert api.client.get("/api/tasks/999999", headers=api.headers("avocat")).status_code == 404


def test_an_import_task_imports_once_however_often_the_file_is_sent(api: Api) -> None:
    creditor = "Brasserie des Tâches SAS"
    asked = import_csv(api, CSV, creditor)
    assert asked.status_code == 202, asked.text
    task = asked.json()
    assert (task["kind"], task["status"], task["label"]) == (
        "import",
        "done",
        "Import de balance âgée.csv",
    )
    report = task["result"]
    assert (report["claims"], report["cases_created"], report["errors"]) == (3, 2, [])
    assert report["written"] is True
    assert task["download"] is None
    cases = api.client.get("/api/cases", params={"q": "Winstub"}, headers=api.headers("avocat"))
    count = len(cases.json()["items"] if isinstance(cases.json(), dict) else cases.json())

    again = import_csv(api, CSV, creditor)
    assert again.json()["id"] == task["id"]
    cases = api.client.get("/api/cases", params={"q": "Winstub"}, headers=api.headers("avocat"))
    assert len(cases.json()["items"] if isinstance(cases.json(), dict) else cases.json()) == count


def test_an_import_with_bad_lines_reports_them_and_writes_nothing(api: Api) -> None:
    bad = CSV.replace(b"14/02/2025", b"31/02/2025")
    task = import_csv(api, bad, "Brasserie Fautive SAS").json()
    assert task["status"] == "done"
    assert task["result"]["written"] is False
    [error] = task["result"]["errors"]
    assert error["line"] == 2
    assert "31/02/2025" in error["message"]
    assert task["result"]["claims"] == 0


def test_imports_need_the_right_to_write_claims_and_a_file(api: Api) -> None:
    refused = import_csv(api, CSV, "Brasserie Interdite SAS", who="lecteur")
    assert refused.status_code == 403
    empty = import_csv(api, b"", "Brasserie Vide SAS")
    assert empty.status_code == 422
    assert "fichier vide" in empty.json()["error"]


def test_the_case_page_prepares_the_bundle_and_the_task_page_offers_it(api: Api) -> None:
    from tests.api.test_pages import HTML, login

    case = new_case(api)
    upload_raw(api, case["id"])
    api.client.cookies.clear()
    try:
        token = login(api, "avocat")
        case_page = api.client.get(f"/dossiers/{case['id']}", headers=HTML)
        assert f'action="/dossiers/{case["id"]}/dossier-de-pieces"' in case_page.text
        assert '<option value="zip">bordereau et pièces numérotées (ZIP)</option>' in case_page.text
        asked = api.client.post(
            f"/dossiers/{case['id']}/dossier-de-pieces",
            data={"_csrf_token": token, "format": "zip"},
            headers=HTML,
            follow_redirects=False,
        )
        assert asked.status_code == 303
        location = asked.headers["location"]
        assert location.startswith("/mes-taches/")
        shown = api.client.get(location, headers=HTML)
        assert "État : <strong>terminée</strong>" in shown.text
        assert 'http-equiv="refresh"' not in shown.text  # done: no more refreshing
        task_id = int(location.rsplit("/", 1)[1])
        assert f'href="/api/tasks/{task_id}/result" download>Télécharger le dossier de pièces' in (
            shown.text
        )
        # … and the way back to the case it was prepared for.
        assert f'<a href="/dossiers/{case["id"]}">Retour au dossier</a>' in shown.text
        # Paris time, whatever the server's zone (UTC here and in the deploy's containers).
        created = datetime.fromisoformat(
            api.client.get(f"/api/tasks/{task_id}", headers=api.headers("avocat")).json()[
                "created_at"
            ]
        ).astimezone(ZoneInfo("Europe/Paris"))
        assert f"{date_fr(created.date())} à {created:%H:%M}</time>" in shown.text
        download = api.client.get(f"/api/tasks/{task_id}/result")  # the session suffices
        assert download.status_code == 200 and download.content[:2] == b"PK"
        listed = api.client.get("/mes-taches", headers=HTML)
        assert f'<a href="/mes-taches/{task_id}">Dossier {case["reference"]}' in listed.text
    finally:
        api.client.cookies.clear()


def test_the_import_page_sends_the_file_and_shows_the_report(api: Api) -> None:
    from tests.api.test_pages import HTML, login

    api.client.cookies.clear()
    try:
        token = login(api, "avocat")
        form = api.client.get("/import", headers=HTML)
        assert 'enctype="multipart/form-data"' in form.text
        refused = api.client.post(
            "/import", files={"file": ("b.csv", CSV, "text/csv")}, data={"creditor": "X"}
        )
        assert refused.status_code == 403
        sent = api.client.post(
            "/import",
            data={"_csrf_token": token, "creditor": "Brasserie du Formulaire SAS"},
            files={"file": ("balance.csv", CSV, "text/csv")},
            headers=HTML,
            follow_redirects=False,
        )
        assert sent.status_code == 303, sent.text
        report = api.client.get(sent.headers["location"], headers=HTML)
        assert "Import de balance.csv" in report.text
        assert "3 factures et 0 paiement importés depuis 3 lignes" in report.text
        assert "2 dossiers ouverts, 0 complété." in report.text
    finally:
        api.client.cookies.clear()


def test_the_import_page_shows_the_creditor_warnings(api: Api) -> None:
    """A file whose creditor SIREN contradicts the recorded creditor: imported with the
    recorded identity, and the report page says so, naming the line."""
    from tests.api.test_pages import HTML, login

    new_case(
        api,
        # SIRENs no other test records: the api tests share one database.
        creditor={"name": "Brasserie des Avertissements SAS", "siren": "817263544"},
    )
    body = (
        "Créancier;SIREN créancier;Débiteur;N° facture;Date facture;Échéance;Montant TTC\n"
        "Brasserie des Avertissements SAS;908 172 638;Client Averti;AV-1;15/01/2025;"
        "14/02/2025;100,00\n"
    ).encode()
    api.client.cookies.clear()
    try:
        token = login(api, "avocat")
        sent = api.client.post(
            "/import",
            data={"_csrf_token": token},
            files={"file": ("averti.csv", body, "text/csv")},
            headers=HTML,
            follow_redirects=False,
        )
        assert sent.status_code == 303, sent.text
        page = api.client.get(sent.headers["location"], headers=HTML)
        assert "<caption>Avertissements</caption>" in page.text
        assert "<td>2</td><td>SIREN du créancier</td>" in page.text
        assert "le SIREN 908172638, mais le créancier enregistré sous ce nom a le SIREN " in (
            page.text.replace("&#39;", "'")
        )
    finally:
        api.client.cookies.clear()
