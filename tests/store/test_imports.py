"""Claims import: aged-balance CSV (all-or-nothing, --skip-bad, --dry-run) and FEC."""

from __future__ import annotations

from pathlib import Path

from casefile.store import cases
from casefile.store.imports import ImportOptions, import_file
from casefile.store.permissions import SYSTEM
from casefile.store.tables import Case, Claim, Payment

GOOD = """\
Débiteur;SIREN;N° facture;Date facture;Échéance;Montant TTC;Payé;Code postal
Winstub Muller SARL;732 829 320;F-2025-001;15/01/2025;14/02/2025;1 234,56;0;67000
Winstub Muller SARL;732829320;F-2025-002;2025-02-15;2025-03-17;"2 000,00";500,00;67000
Boulangerie Hoarau;;F-2025-003;01/03/2025;31/03/2025;89,90;;97110
"""

BAD = (
    GOOD
    + """\
Garage Meyer;;F-2025-004;01/03/2025;01/02/2025;100,00;0;68100
Garage Meyer;;F-2025-005;01/03/2025;31/03/2025;-5,00;0;68100
Garage Meyer;;F-2025-006;01/03/2025;31/03/2025;douze;0;68100
Garage Meyer;;F-2025-001;01/03/2025;31/03/2025;10,00;0;68100
Garage Meyer;;F-2025-007;01/03/2025
"""
)


def _write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding=encoding)
    return path


def _counts(store) -> tuple[int, int]:
    return store.run(Case.count()), store.run(Claim.count())


def test_a_clean_aged_balance_opens_one_case_per_debtor(store, tmp_path):
    path = _write(tmp_path, "balance.csv", GOOD)
    report = store.run(import_file(path, ImportOptions(creditor="Brasserie de l'Ill"), SYSTEM))
    assert report.errors == [] and report.written
    assert (report.claims, report.cases_created, report.cases_updated) == (3, 2, 0)
    listed = {c["debtor"]: c for c in store.run(cases.list_cases(SYSTEM))}
    assert listed["Winstub Muller SARL"]["claim_total"] == "2734.56"  # 1234.56 + 2000 − 500
    assert listed["Winstub Muller SARL"]["court"] == "tribunal_de_commerce"
    assert listed["Winstub Muller SARL"]["court_department"] == "67"
    assert listed["Boulangerie Hoarau"]["court_department"] == "971"
    # a second file for the same debtor joins the open case
    more = _write(
        tmp_path,
        "more.csv",
        "client,siren,facture,date facture,echeance,montant ttc\n"
        'Winstub Muller SARL,732829320,F-2025-010,2025-04-01,2025-05-01,"10,00"\n',
    )
    again = store.run(import_file(more, ImportOptions(creditor="Brasserie de l'Ill"), SYSTEM))
    assert (again.cases_created, again.cases_updated, again.claims) == (0, 1, 1)
    assert _counts(store) == (2, 4)


def test_one_bad_line_imports_nothing_and_each_error_names_line_and_field(store, tmp_path):
    path = _write(tmp_path, "balance.csv", BAD)
    report = store.run(import_file(path, ImportOptions(creditor="Brasserie de l'Ill"), SYSTEM))
    assert not report.ok and not report.written
    assert [(e.line, e.field) for e in report.errors] == [
        (5, "due_date"),
        (6, "amount"),
        (7, "amount"),
        (8, "invoice_number"),
        (9, "line"),
    ]
    assert [e.message for e in report.errors] == [
        "l'échéance (1er février 2025) précède la date de facture (1er mars 2025)",
        "« -5,00 » est négatif : un avoir ne s'importe pas comme une facture ; retirez sa "
        "ligne et déduisez-le de la facture qu'il concerne (colonne « payé »)",
        "« douze » n'est pas un montant (écrire par exemple 4080.50, 4 080,50 ou 4 080,50 €)",
        "la facture « F-2025-001 » de « Brasserie de l'Ill » figure déjà ligne 2",
        "4 champ(s), l'en-tête en compte 8",
    ]
    assert report.as_dict()["errors"][0] == {
        "line": 5,
        "field": "due_date",
        "message": report.errors[0].message,
        "column": "échéance",
    }
    assert _counts(store) == (0, 0)


def test_skip_bad_imports_the_good_lines_and_reports_the_others(store, tmp_path):
    path = _write(tmp_path, "balance.csv", BAD, encoding="cp1252")
    options = ImportOptions(creditor="Brasserie de l'Ill", skip_bad=True)
    report = store.run(import_file(path, options, SYSTEM))
    assert report.ok and report.written and len(report.errors) == 5
    assert report.claims == 3
    assert _counts(store) == (2, 3)
    # importing the same file again: every invoice is already claimed
    again = store.run(import_file(path, ImportOptions(creditor="Brasserie de l'Ill"), SYSTEM))
    assert [e.line for e in again.errors if "déjà enregistrée" in e.message] == [2, 3, 4, 8]
    assert _counts(store) == (2, 3)


def test_unknown_columns_and_dry_run_write_nothing(store, tmp_path):
    bad = _write(
        tmp_path, "b.csv", "debiteur;facture;date;echeanse;montant\nX;1;2025-01-01;2025-01-02;1\n"
    )
    report = store.run(import_file(bad, ImportOptions(creditor="C"), SYSTEM))
    assert [(e.line, e.field) for e in report.errors] == [(1, "echeanse"), (1, "header")]
    assert report.errors[0].message == (
        "colonne « echeanse » inconnue : est-ce « Échéance » ? Renommez-la ainsi, ou "
        "retirez-la du fichier"
    )
    dry = store.run(
        import_file(
            _write(tmp_path, "g.csv", GOOD),
            ImportOptions(creditor="Brasserie de l'Ill", dry_run=True),
            SYSTEM,
        )
    )
    assert dry.claims == 3 and dry.cases_created == 2 and not dry.written
    assert _counts(store) == (0, 0)


FEC_HEADER = (
    "JournalCode|JournalLib|EcritureNum|EcritureDate|CompteNum|CompteLib|CompAuxNum|CompAuxLib|"
    "PieceRef|PieceDate|EcritureLib|Debit|Credit|EcritureLet|DateLet|ValidDate|Montantdevise|Idevise"
)
FEC_LINES = [
    # invoice 100 paid and lettered: not claimed
    "VE|Ventes|1|20250110|411000|Clients|C001|Winstub Muller|FA100|20250110|Facture|1200,00|0,00|AA|20250301|20250110||",
    "BQ|Banque|2|20250301|411000|Clients|C001|Winstub Muller|RG100|20250301|Règlement|0,00|1200,00|AA|20250301|20250301||",
    # invoice 101 unpaid, 102 partly paid (credit with the same PieceRef)
    "VE|Ventes|3|20250205|411000|Clients|C001|Winstub Muller|FA101|20250205|Facture|500,00|0,00|||20250205||",
    "VE|Ventes|4|20250210|411000|Clients|C001|Winstub Muller|FA102|20250210|Facture|300,00|0,00|||20250210||",
    "BQ|Banque|5|20250315|411000|Clients|C001|Winstub Muller|FA102|20250315|Acompte|0,00|100,00|||20250315||",
    # an unallocated payment on account
    "BQ|Banque|6|20250320|411000|Clients|C001|Winstub Muller|VIR77|20250320|Virement|0,00|50,00|||20250320||",
    # the sales account side: not a customer account
    "VE|Ventes|3|20250205|706000|Ventes|||FA101|20250205|Facture|0,00|416,67|||20250205||",
    "VE|Ventes|7|20250401|411000|Clients|C002|Hoarau Pâtisserie|FA103|20250401|Facture|80,00|0,00|||20250401||",
]


def test_fec_unlettered_customer_lines_become_invoices_and_payments(store, tmp_path):
    path = _write(tmp_path, "732829320FEC20251231.txt", "\n".join([FEC_HEADER, *FEC_LINES]))
    report = store.run(import_file(path, ImportOptions(fec=True), SYSTEM))
    assert report.errors == [] and report.written
    assert (report.claims, report.payments, report.cases_created) == (3, 1, 2)
    claims = store.run(
        Claim.select(Claim.invoice_number, Claim.amount_cents, Claim.paid_cents).order_by(
            Claim.invoice_number
        )
    )
    assert [tuple(c.values()) for c in claims] == [
        ("FA101", 50000, 0),
        ("FA102", 30000, 10000),
        ("FA103", 8000, 0),
    ]
    payments = store.run(Payment.select(Payment.amount_cents, Payment.reference))
    assert [tuple(p.values()) for p in payments] == [(5000, "VIR77")]
    listed = {c["debtor"]: c for c in store.run(cases.list_cases(SYSTEM))}
    assert listed["Winstub Muller"]["claim_total"] == "650.00"  # 500 + 300 − 100 − 50
    shown = store.run(cases.get_case(listed["Winstub Muller"]["id"], SYSTEM))
    assert shown["creditor"]["name"] == "SIREN 732829320"


def test_a_json_or_a_spreadsheet_is_refused_for_what_it_is(store, tmp_path):
    """Read as a CSV, they gave an error per « column » of their first bytes (`[{"debtor":…`
    unknown, header missing…): one sentence says what the file is and what the import reads."""
    import pytest

    from casefile.errors import InputError

    portfolio = _write(
        tmp_path,
        "portefeuille.json",
        '[{"debtor": "Winstub Muller SARL", "invoice_number": "F-1", "amount": "100.00"}]\n',
    )
    with pytest.raises(InputError) as refused:
        store.run(import_file(portfolio, ImportOptions(creditor="C"), SYSTEM))
    assert str(refused.value).startswith(
        "portefeuille.json : du JSON, que l'import ne lit pas ; il lit une balance âgée au "
        "format CSV"
    )
    workbook = tmp_path / "balance.xlsx"
    workbook.write_bytes(b"PK\x03\x04\x14\x00\x06\x00" + b"\x00" * 100)
    with pytest.raises(InputError) as refused:
        store.run(import_file(workbook, ImportOptions(creditor="C"), SYSTEM))
    assert str(refused.value).startswith(
        "balance.xlsx : un classeur Excel ou OpenDocument (.xlsx, .ods), pas un fichier texte ; "
        "enregistrez la balance âgée au format CSV"
    )
    assert _counts(store) == (0, 0)


def test_an_invoice_repeated_after_a_bad_line_is_reported_at_once(store, tmp_path):
    """Line 3 repeats line 2's invoice, whose amount is wrong: both errors come in the first
    report (the repeat was found only once line 2 had been corrected)."""
    path = _write(
        tmp_path,
        "balance.csv",
        "Débiteur;N° facture;Date facture;Échéance;Montant TTC\n"
        "Boulangerie Hoarau;F-2025-013;01/03/2025;31/03/2025;89,9,0\n"
        "Garage Dupont;F-2025-013;01/03/2025;31/03/2025;100,00\n"
        "Garage Dupont;F-2025-014;01/03/2025;31/03/2025;100,00\n"
        "Garage Dupont;F-2025-014;01/03/2025;31/13/2025;100,00\n",
    )
    report = store.run(import_file(path, ImportOptions(creditor="Brasserie de l'Ill"), SYSTEM))
    assert [(e.line, e.field, e.message) for e in report.errors] == [
        (
            2,
            "amount",
            "« 89,9,0 » n'est pas un montant (écrire par exemple 4080.50, 4 080,50 ou 4 080,50 €)",
        ),
        (
            3,
            "invoice_number",
            "la facture « F-2025-013 » de « Brasserie de l'Ill » figure déjà ligne 2",
        ),
        (5, "due_date", "« 31/13/2025 » : cette date n'existe pas dans le calendrier"),
        (
            5,
            "invoice_number",
            "la facture « F-2025-014 » de « Brasserie de l'Ill » figure déjà ligne 4",
        ),
    ]
    assert _counts(store) == (0, 0)
    # importing the good lines only: line 4 alone (line 3 repeats a bad line, it waits with it)
    skip = ImportOptions(creditor="Brasserie de l'Ill", skip_bad=True)
    report = store.run(import_file(path, skip, SYSTEM))
    assert report.claims == 1 and _counts(store) == (1, 1)


def test_an_unknown_column_says_what_to_do_and_common_names_are_read(store, tmp_path):
    """A person on the page « Importer » cannot open docs/import.md (« voir docs/import.md »):
    the report names the column meant, or the names the import reads, in the file's order.
    « Date d'échéance », « N° de facture »… are read; the creditor is asked for where it is
    given (the page's field, or --creditor), not by the command's flag alone."""
    path = _write(
        tmp_path,
        "export.csv",
        "Nom du client;N° de facture;Date d'émission;Date d'échéance;Montan TTC;Montant HT;"
        "Commercial\nWinstub Muller SARL;F-1;01/03/2025;31/03/2025;120,00;100,00;Paul\n",
    )
    report = store.run(import_file(path, ImportOptions(), SYSTEM))
    assert [(e.line, e.field, e.message) for e in report.errors] == [
        (
            1,
            "Montan TTC",
            "colonne « Montan TTC » inconnue : est-ce « Montant TTC » ? Renommez-la ainsi, ou "
            "retirez-la du fichier",
        ),
        (
            1,
            "Montant HT",
            "colonne « Montant HT » inconnue : l'import réclame le montant TTC (colonne "
            "« Montant TTC »), pas le hors taxes ; retirez cette colonne du fichier",
        ),
        (
            1,
            "Commercial",
            "colonne « Commercial » inconnue : retirez-la du fichier, ou donnez-lui l'un des "
            "noms lus par l'import (Débiteur, SIREN, N° facture, Date facture, Échéance, "
            "Montant TTC, Payé, Créancier, SIREN créancier, Qualité, Code postal, Pays, "
            "Adresse)",
        ),
        (
            1,
            "header",
            "colonne(s) manquante(s) : montant TTC, créancier (une colonne, ou le créancier de "
            "l'import : champ « Créancier » de la page Importer, --creditor en ligne de commande)",
        ),
    ]
    fixed = _write(
        tmp_path,
        "corrige.csv",
        "Nom du client;N° de facture;Date d'émission;Date d'échéance;Montant TTC;Créancier\n"
        "Winstub Muller SARL;F-1;01/03/2025;31/03/2025;120,00;Brasserie de l'Ill\n"
        "Garage Meyer;F-2;01/03/2025;31/03/2025;80,00;\n",
    )
    report = store.run(import_file(fixed, ImportOptions(), SYSTEM))
    assert [(e.line, e.field, e.message) for e in report.errors] == [
        (
            3,
            "creditor",
            "vide : indiquez le créancier (champ « Créancier » de la page Importer, --creditor "
            "en ligne de commande)",
        )
    ]
    report = store.run(import_file(fixed, ImportOptions(creditor="Brasserie de l'Ill"), SYSTEM))
    assert report.errors == [] and report.claims == 2
