"""An imported case's creditor is the creditor already recorded (issue: one bare name per case).

A credit manager's portfolio has one creditor (the company), sometimes a few (subsidiaries).
The parties are stored per case (`parties.case`, one creditor and one debtor each, like the
web form's new case), so an import copies the whole recorded identity — SIREN, address, legal
form, representative — into each case it opens: every pleading has the creditor's identity at
once. A file that contradicts the recorded identity does not change it: the report warns,
naming the line, in French.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from casefile.services import cases as case_service
from casefile.services.cases import NewCase, PartyIn
from casefile.services.parties import edit_party
from casefile.store.demo import load_demo
from casefile.store.documents import party_for
from casefile.store.imports import ImportOptions, LineError, import_file
from casefile.store.permissions import SYSTEM
from casefile.store.tables import Case, Claim, Party

BRASSERIE = PartyIn(
    name="Brasserie de l'Ill",
    legal_form="SAS",
    category="societe",
    siren="552 081 317",
    rcs_city="Strasbourg",
    street="12 rue des Tanneurs",
    postcode="67000",
    city="Strasbourg",
    representative="Mme Claire Martin, présidente",
    email="compta@brasserie-ill.example",
)
HEADER = "Débiteur;N° facture;Date facture;Échéance;Montant TTC;Code postal\n"


def _record_creditor(store: Any, creditor: PartyIn = BRASSERIE, reference: str = "B-001") -> int:
    case = store.run(
        case_service.create_case(
            NewCase(
                reference=reference,
                procedure="injonction_de_payer",
                court=None,
                court_department="67",
                creditor=creditor,
                debtor=PartyIn(name="Winstub Muller SARL", siren="732829320"),
            ),
            SYSTEM,
        )
    )
    return int(case["id"])


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _rows(count: int, first: int = 1) -> str:
    return "".join(
        f"Client {n} SARL;F-{n:03d};15/01/2025;14/02/2025;1 000,00;75001\n"
        for n in range(first, first + count)
    )


def _creditors(store: Any, exclude: set[int] | None = None) -> list[dict[str, Any]]:
    rows = store.run(Party.select().where(Party.role == "creditor").order_by(Party.case))
    return [dict(r) for r in rows if r["case"] not in (exclude or set())]


def test_ten_rows_for_a_recorded_creditor_give_cases_with_its_siren_and_address(store, tmp_path):
    recorded = _record_creditor(store)
    # Named as the accounting software writes it: capitals, a typographic apostrophe, the form.
    path = _write(tmp_path, "balance.csv", HEADER + _rows(10))
    options = ImportOptions(creditor="BRASSERIE DE L’ILL  SAS")
    report = store.run(import_file(path, options, SYSTEM))
    assert report.errors == [] and report.warnings == [] and report.written
    assert report.cases_created == 10
    imported = _creditors(store, exclude={recorded})
    assert len(imported) == 10
    for party in imported:
        assert party["name"] == "Brasserie de l'Ill"
        assert party["legal_form"] == "SAS"
        assert party["siren"] == "552081317"
        assert party["address"] == "12 rue des Tanneurs, 67000 Strasbourg"
        assert (party["street"], party["postcode"], party["city"]) == (
            "12 rue des Tanneurs",
            "67000",
            "Strasbourg",
        )
        assert party["representative"] == "Mme Claire Martin, présidente"
        assert party["rcs_city"] == "Strasbourg"
        assert party["residence"] == "67"  # the creditor's own, not the debtor's department
        assert party["lookup_key"] == "552081317"
        # the pleadings lack nothing about the creditor
        assert party_for(party, "creditor")[1] == []
    keys = {row["creditor_key"] for row in store.run(Claim.select(Claim.creditor_key))}
    assert keys == {"552081317"}  # the same key as the claims entered on the case page


def test_a_file_contradicting_the_recorded_creditor_warns_in_french_and_keeps_it(store, tmp_path):
    recorded = _record_creditor(store)
    before = _creditors(store)
    path = _write(
        tmp_path,
        "balance.csv",
        "Créancier;SIREN créancier;Débiteur;N° facture;Date facture;Échéance;Montant TTC\n"
        "Brasserie de l'Ill;732 829 320;Client 1 SARL;F-001;15/01/2025;14/02/2025;100,00\n"
        "Brasserie de l'Ill;732 829 320;Client 2 SARL;F-002;15/01/2025;14/02/2025;100,00\n"
        "Bières Kléber;552081317;Client 3 SARL;F-003;15/01/2025;14/02/2025;100,00\n",
    )
    report = store.run(import_file(path, ImportOptions(), SYSTEM))
    assert report.errors == [] and report.written and report.cases_created == 3
    assert report.warnings == [
        LineError(
            2,
            "creditor_siren",
            "le fichier donne au créancier « Brasserie de l'Ill » le SIREN 732829320, mais le "
            "créancier enregistré sous ce nom a le SIREN 552081317 : l'identité enregistrée "
            "est gardée pour les 2 lignes de ce créancier (vérifiez le SIREN du fichier)",
        ),
        LineError(
            4,
            "creditor",
            "le fichier nomme « Bières Kléber » le créancier de SIREN 552081317, enregistré "
            "sous le nom « Brasserie de l'Ill » : l'identité enregistrée est gardée pour cette "
            "ligne (vérifiez le nom du fichier)",
        ),
    ]
    assert report.as_dict()["warnings"][0] == {
        "line": 2,
        "field": "creditor_siren",
        "column": "SIREN du créancier",
        "message": report.warnings[0].message,
    }
    assert report.summary().endswith(", 2 avertissements")
    imported = _creditors(store, exclude={recorded})
    assert {(p["name"], p["siren"], p["address"]) for p in imported} == {
        ("Brasserie de l'Ill", "552081317", "12 rue des Tanneurs, 67000 Strasbourg")
    }
    assert _creditors(store)[0] == before[0]  # the recorded creditor is left as it was


def test_the_rows_of_a_new_creditor_share_one_identity(store, tmp_path):
    path = _write(
        tmp_path,
        "balance.csv",
        "Créancier;SIREN créancier;Débiteur;N° facture;Date facture;Échéance;Montant TTC\n"
        "Grossiste National SA;;Client 1 SARL;F-001;15/01/2025;14/02/2025;100,00\n"
        "GROSSISTE NATIONAL;443 061 841;Client 2 SARL;F-002;15/01/2025;14/02/2025;100,00\n"
        "Grossiste  National SA;;Client 3 SARL;F-003;15/01/2025;14/02/2025;100,00\n",
    )
    report = store.run(import_file(path, ImportOptions(), SYSTEM))
    assert report.errors == [] and report.warnings == [] and report.cases_created == 3
    identities = {(p["name"], p["siren"], p["lookup_key"]) for p in _creditors(store)}
    assert identities == {("Grossiste National SA", "443061841", "443061841")}
    keys = {row["creditor_key"] for row in store.run(Claim.select(Claim.creditor_key))}
    assert keys == {"443061841"}


def test_two_siren_for_one_name_in_the_file_warn(store, tmp_path):
    path = _write(
        tmp_path,
        "balance.csv",
        "Créancier;SIREN créancier;Débiteur;N° facture;Date facture;Échéance;Montant TTC\n"
        "Grossiste National;443061841;Client 1 SARL;F-001;15/01/2025;14/02/2025;100,00\n"
        "Grossiste National;552081317;Client 2 SARL;F-002;15/01/2025;14/02/2025;100,00\n",
    )
    report = store.run(import_file(path, ImportOptions(), SYSTEM))
    assert report.warnings == [
        LineError(
            3,
            "creditor_siren",
            "le créancier « Grossiste National » a le SIREN 552081317 ici et le SIREN "
            "443061841 ligne 2 : l'import les tient pour deux créanciers distincts (vérifiez "
            "le SIREN du fichier)",
        )
    ]
    assert {p["siren"] for p in _creditors(store)} == {"443061841", "552081317"}


def test_a_name_recorded_under_two_siren_is_not_guessed(store, tmp_path):
    _record_creditor(store)
    _record_creditor(store, PartyIn(name="Brasserie de l'Ill", siren="443061841"), "B-002")
    path = _write(tmp_path, "balance.csv", HEADER + _rows(1))
    report = store.run(import_file(path, ImportOptions(creditor="Brasserie de l'Ill"), SYSTEM))
    assert report.written
    assert report.warnings == [
        LineError(
            2,
            "creditor",
            "plusieurs créanciers enregistrés s'appellent « Brasserie de l'Ill » (SIREN "
            "443061841, 552081317) : donnez le SIREN du créancier (colonne « SIREN créancier »)"
            " ; cette ligne est importée avec son nom seul",
        )
    ]
    imported = store.run(
        Party.select(Party.siren, Party.address).where(
            (Party.role == "creditor") & Party.case.reference.like("BRASSERIE%")
        )
    )
    assert [tuple(p.values()) for p in imported] == [(None, "")]


def test_a_creditor_given_its_siren_after_an_import_still_sees_its_invoices(store, tmp_path):
    """The first import knew the name only (claims keyed by name); the SIREN recorded since
    becomes the key: the invoices already claimed are still recognised, the open case of the
    same debtor still receives the new ones."""
    path = _write(tmp_path, "balance.csv", HEADER + _rows(2))
    first = store.run(import_file(path, ImportOptions(creditor="Grossiste National SA"), SYSTEM))
    assert first.cases_created == 2
    case_id = store.run(Case.select(Case.id).order_by(Case.id).first())["id"]
    store.run(
        edit_party(
            case_id,
            "creditor",
            {"siren": "443061841", "street": "1 quai de Paludate", "postcode": "33800"},
            SYSTEM,
        )
    )
    again = store.run(import_file(path, ImportOptions(creditor="Grossiste National SA"), SYSTEM))
    assert [(e.line, e.field) for e in again.errors] == [
        (2, "invoice_number"),
        (3, "invoice_number"),
    ]
    more = _write(
        tmp_path,
        "more.csv",
        HEADER
        + "Client 1 SARL;F-101;15/03/2025;14/04/2025;50,00;75001\n"
        + "Client 2 SARL;F-102;15/03/2025;14/04/2025;50,00;75001\n"
        + "Client 3 SARL;F-103;15/03/2025;14/04/2025;50,00;75001\n",
    )
    report = store.run(import_file(more, ImportOptions(creditor="Grossiste National"), SYSTEM))
    assert report.errors == [] and report.warnings == []
    assert (report.cases_updated, report.cases_created) == (2, 1)
    newest = _creditors(store)[-1]
    assert (newest["name"], newest["siren"], newest["street"]) == (
        "Grossiste National SA",
        "443061841",
        "1 quai de Paludate",
    )


def test_a_fec_named_by_its_siren_takes_the_recorded_creditor(store, tmp_path):
    recorded = _record_creditor(store)
    header = (
        "JournalCode|JournalLib|EcritureNum|EcritureDate|CompteNum|CompteLib|CompAuxNum|"
        "CompAuxLib|PieceRef|PieceDate|EcritureLib|Debit|Credit|EcritureLet|DateLet|ValidDate|"
        "Montantdevise|Idevise"
    )
    line = "VE|Ventes|3|20250205|411000|Clients|C001|Winstub Muller|FA101|20250205|Facture|500,00|0,00|||20250205||"
    path = _write(tmp_path, "552081317FEC20251231.txt", f"{header}\n{line}\n")
    report = store.run(import_file(path, ImportOptions(fec=True), SYSTEM))
    assert report.errors == [] and report.warnings == [] and report.cases_created == 1
    [party] = _creditors(store, exclude={recorded})
    assert (party["name"], party["siren"], party["city"]) == (
        "Brasserie de l'Ill",
        "552081317",
        "Strasbourg",
    )


def test_the_readme_import_after_the_demo_finds_the_demo_creditor(store, tmp_path):
    """README: `casefile demo`, then `casefile claims import docs/examples/aged-balance.csv
    --creditor "Brasserie de l'Ill SAS"`: the demo's Brasserie (name, form, SIREN, address)."""
    from datetime import date

    store.run(load_demo(today=date(2026, 11, 30), cases=31))
    demo = _creditors(store)
    brasserie = [p for p in demo if p["name"] == "Brasserie de l'Ill"]
    assert len(brasserie) == 2  # DEMO-001 and DEMO-031: one creditor, one identity
    assert brasserie[0]["siren"] == brasserie[1]["siren"]
    assert brasserie[0]["address"] == brasserie[1]["address"]
    example = Path(__file__).parents[2] / "docs" / "examples" / "aged-balance.csv"
    options = ImportOptions(creditor="Brasserie de l'Ill SAS")
    report = store.run(import_file(example, options, SYSTEM))
    assert report.errors == [] and report.warnings == [] and report.written
    seen = {p["id"] for p in demo}
    new = [p for p in _creditors(store) if p["id"] not in seen]
    assert new and all(
        (p["siren"], p["address"]) == (brasserie[0]["siren"], brasserie[0]["address"]) for p in new
    )
