"""Claims import: an aged-balance CSV (balance âgée) or a FEC export → cases and invoices.

All-or-nothing: every line is checked first and, unless `skip_bad`, one bad line means nothing
is written; the writes then run in one transaction. Each error names its line and field.

Aged-balance CSV (`;`, `,` or tab separated, UTF-8 or Windows-1252, header on line 1). Column
names are matched without case, accents or punctuation; each field accepts these names:

| field          | accepted column names                                             | required |
|----------------|-------------------------------------------------------------------|----------|
| debtor         | debiteur, debtor, client, nom (du) client, raison sociale, customer | yes    |
| siren          | siren, siret (its first 9 digits)                                 | no       |
| invoice number | facture, n (de) facture, no (de) facture, numero (de) facture, invoice, invoice number, piece | yes |
| issue date     | date (de) facture, date (d')emission, date, issue date, invoice date | yes    |
| due date       | echeance, date (d')echeance, due date                             | yes      |
| amount TTC     | montant ttc, ttc, montant, amount, amount incl vat                | yes      |
| paid           | paye, regle, montant regle, deja paye, paid                       | no (0)   |
| creditor       | creancier, creditor (else `--creditor`)                           | no       |
| creditor SIREN | siren (du) creancier, creditor siren, siret (du) creancier        | no       |
| debtor kind    | qualite, type debiteur, debtor kind: professionnel / consommateur | no (professionnel) |
| department     | departement, department, code postal, cp, postal code             | no (75)  |
| country        | pays, country: anything but France makes the debtor reside abroad | no       |
| address        | adresse, address                                                  | no       |

Dates are `YYYY-MM-DD` or `DD/MM/YYYY`; amounts accept French decimals ("1 234,56"). Any other
column is an error (a misspelt "échéance" must not be silently ignored).

FEC (`--fec`, art. A47 A-1 LPF, tab or `|` separated, standard columns JournalCode … Idevise):
the unpaid customer invoices are the lines of accounts 411… whose lettering (`EcritureLet`) is
empty, grouped per customer (`CompAuxNum`, named by `CompAuxLib`). A debit line is an invoice
(`PieceRef`, dated `PieceDate`; the FEC holds no due date, so the invoice is taken as due on
that date); a credit line is a payment — on the invoice with the same `PieceRef` when there is
one, else an unallocated payment of the case.

Creditor: the one already recorded with the same SIREN, else the same name (case, accents,
punctuation and a legal form ignored: `casefile.store.creditors`), whose whole identity each
new case copies; the file never changes it, and a contradiction is a warning naming the line.

Grouping: one case per (creditor, debtor) — an open case with the same creditor and debtor
(SIREN, else name) receives the new invoices; otherwise a case is opened with the chosen
procedure, before the tribunal de commerce when the procedure allows it and the debtor is a
professional, else the procedure's default court. For the `amiable` procedure the event
`exigibilite` is recorded at the earliest due date, which starts the prescription watch.
"""

from __future__ import annotations

import csv
import difflib
import io
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from casefile.definitions import engine
from casefile.errors import CasefileError, InputError
from casefile.labels import count_fr
from casefile.law.identifiers import normalise_key
from casefile.law.money import check_siren, parse_amount, to_cents
from casefile.law.suggestions import procedure_of
from casefile.law.wording import amount_fr, date_fr
from casefile.store import audit
from casefile.store.cases import InvoiceIn
from casefile.store.creditors import Creditor, Named
from casefile.store.creditors import resolve as resolve_creditors
from casefile.store.db import atomic, bulk_insert
from casefile.store.permissions import User, require
from casefile.store.recompute import recompute_many
from casefile.store.tables import AuditEntry, Case, Claim, Event, Party, Payment

Progress = Callable[[int, int], None]

CSV_COLUMNS: dict[str, tuple[str, ...]] = {
    "debtor": (
        "debiteur",
        "debtor",
        "client",
        "nomclient",
        "nomduclient",
        "raisonsociale",
        "customer",
    ),
    "siren": ("siren", "siret"),
    "invoice_number": (
        "facture",
        "nfacture",
        "nofacture",
        "numerofacture",
        "numfacture",
        "ndefacture",
        "nodefacture",
        "numerodefacture",
        "invoice",
        "invoicenumber",
        "piece",
    ),
    "issue_date": (
        "datefacture",
        "datedefacture",
        "dateemission",
        "datedemission",
        "date",
        "issuedate",
        "invoicedate",
    ),
    "due_date": ("echeance", "dateecheance", "datedecheance", "duedate"),
    "amount": ("montantttc", "ttc", "montant", "amount", "amountinclvat"),
    "paid": ("paye", "regle", "montantregle", "dejapaye", "paid"),
    "creditor": ("creancier", "creditor"),
    "creditor_siren": (
        "sirencreancier",
        "sirenducreancier",
        "creanciersiren",
        "creditorsiren",
        "siretcreancier",
        "siretducreancier",
    ),
    "debtor_kind": ("qualite", "typedebiteur", "debtorkind"),
    "department": ("departement", "department", "codepostal", "cp", "postalcode"),
    "country": ("pays", "country"),
    "address": ("adresse", "address"),
}
REQUIRED = ("debtor", "invoice_number", "issue_date", "due_date", "amount")
FIELD_LABELS: dict[str, str] = {
    "debtor": "débiteur",
    "siren": "SIREN",
    "invoice_number": "n° de facture",
    "issue_date": "date de facture",
    "due_date": "échéance",
    "amount": "montant TTC",
    "paid": "payé",
    "creditor": "créancier",
    "creditor_siren": "SIREN du créancier",
    "debtor_kind": "qualité du débiteur",
    "department": "département",
    "country": "pays",
    "address": "adresse",
    "header": "en-tête",
    "line": "ligne",
}
"""How a person names each field of a line (FEC fields keep the FEC's own column names)."""
# The column name to give each field, when a column is not recognised (docs/import.md lists
# every accepted spelling).
COLUMN_NAMES: dict[str, str] = {
    "debtor": "Débiteur",
    "siren": "SIREN",
    "invoice_number": "N° facture",
    "issue_date": "Date facture",
    "due_date": "Échéance",
    "amount": "Montant TTC",
    "paid": "Payé",
    "creditor": "Créancier",
    "creditor_siren": "SIREN créancier",
    "debtor_kind": "Qualité",
    "department": "Code postal",
    "country": "Pays",
    "address": "Adresse",
}
# Where the creditor is given when the file has no column for it: the web page's field, or
# the command's option.
CREDITOR_GIVEN = "champ « Créancier » de la page Importer, --creditor en ligne de commande"


def field_label(name: str) -> str:
    """'due_date' → 'échéance'; a column of the file (or of the FEC) is shown as it is."""
    return FIELD_LABELS.get(name, name)


def _field_error(line: int, name: str, error: CasefileError) -> LineError:
    """The error of one field: the report names the field before the message, so a message
    that begins with it (« montant TTC : « 1e3 » n'est pas un montant ») drops it."""
    message = str(error)
    prefix = f"{field_label(name)} : "
    if message.startswith(prefix):
        message = message[len(prefix) :]
    return LineError(line, name, message)


FEC_COLUMNS = (
    "JournalCode",
    "JournalLib",
    "EcritureNum",
    "EcritureDate",
    "CompteNum",
    "CompteLib",
    "CompAuxNum",
    "CompAuxLib",
    "PieceRef",
    "PieceDate",
    "EcritureLib",
    "Debit",
    "Credit",
    "EcritureLet",
    "DateLet",
    "ValidDate",
    "Montantdevise",
    "Idevise",
)
_FRANCE = ("france", "fr", "fra", "")


@dataclass(frozen=True)
class ImportOptions:
    fec: bool = False
    dry_run: bool = False
    skip_bad: bool = False
    creditor: str | None = None
    procedure: str = "injonction_de_payer"


@dataclass(frozen=True)
class LineError:
    line: int
    field: str
    message: str


@dataclass(frozen=True)
class ParsedLine:
    line: int
    creditor: str
    debtor: str
    siren: str | None
    debtor_kind: str
    department: str | None
    residence: str | None
    address: str
    invoice: InvoiceIn
    creditor_siren: str | None = None
    # the creditor's key once the import has recognised it (`casefile.store.creditors`)
    creditor_key: str = ""

    @property
    def debtor_key(self) -> str:
        return self.siren or normalise_key(self.debtor)


@dataclass(frozen=True)
class ParsedPayment:
    line: int
    creditor: str
    debtor_key: str
    day: date
    amount: Decimal
    invoice_number: str | None
    reference: str
    creditor_siren: str | None = None
    creditor_key: str = ""  # as ParsedLine's


@dataclass
class ImportReport:
    source: str
    lines: int = 0
    claims: int = 0
    payments: int = 0
    cases_created: int = 0
    cases_updated: int = 0
    deadlines: int = 0
    errors: list[LineError] = field(default_factory=list)
    # What the import did not take from the file (the creditor's recorded identity kept).
    warnings: list[LineError] = field(default_factory=list)
    dry_run: bool = False
    skip_bad: bool = False
    written: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors or self.skip_bad

    def summary(self) -> str:
        verb = "importerait" if self.dry_run else "importé"
        lines = count_fr(self.lines, "ligne", "lignes")
        if self.errors and not self.skip_bad:
            return (
                f"{self.source} : {count_fr(len(self.errors), 'erreur', 'erreurs')} dans "
                f"{lines} ; rien n'a été importé (corrigez le fichier, ou utilisez --skip-bad)"
            )
        bad = len({e.line for e in self.errors})
        skipped = (
            f", {count_fr(bad, 'ligne erronée écartée', 'lignes erronées écartées')}"
            if self.errors
            else ""
        )
        warned = (
            f", {count_fr(len(self.warnings), 'avertissement', 'avertissements')}"
            if self.warnings
            else ""
        )
        return (
            f"{self.source} : {verb} : {count_fr(self.claims, 'facture', 'factures')} et "
            f"{count_fr(self.payments, 'paiement', 'paiements')} depuis {lines} : "
            f"{count_fr(self.cases_created, 'dossier ouvert', 'dossiers ouverts')}, "
            f"{count_fr(self.cases_updated, 'complété', 'complétés')}, "
            f"{count_fr(self.deadlines, 'délai', 'délais')}{skipped}{warned}"
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "lines": self.lines,
            "claims": self.claims,
            "payments": self.payments,
            "cases_created": self.cases_created,
            "cases_updated": self.cases_updated,
            "deadlines": self.deadlines,
            "errors": [e.__dict__ | {"column": field_label(e.field)} for e in self.errors],
            "warnings": [w.__dict__ | {"column": field_label(w.field)} for w in self.warnings],
            "dry_run": self.dry_run,
            "written": self.written,
        }


# -- reading ----------------------------------------------------------------------------------


def _fold(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]", "", folded)


_ALIASES = {alias: name for name, aliases in CSV_COLUMNS.items() for alias in aliases}


def unknown_column(name: str) -> str:
    """What to do with a column the import does not read: the field it was probably meant to be
    (a misspelt « Échéanse »), else the names it reads."""
    folded = _fold(name)
    if folded.endswith("ht") and "montant" in folded:  # « Montant HT » beside « Montant TTC »
        return (
            f"colonne « {name} » inconnue : l'import réclame le montant TTC (colonne « Montant "
            "TTC »), pas le hors taxes ; retirez cette colonne du fichier"
        )
    close = difflib.get_close_matches(folded, list(_ALIASES), n=1, cutoff=0.85)
    if close:
        meant = COLUMN_NAMES[_ALIASES[close[0]]]
        return (
            f"colonne « {name} » inconnue : est-ce « {meant} » ? Renommez-la ainsi, ou retirez-la "
            "du fichier"
        )
    return (
        f"colonne « {name} » inconnue : retirez-la du fichier, ou donnez-lui l'un des noms lus "
        f"par l'import ({', '.join(COLUMN_NAMES.values())})"
    )


_NOT_TEXT = (
    (b"PK\x03\x04", "un classeur Excel ou OpenDocument (.xlsx, .ods)"),
    (b"\xd0\xcf\x11\xe0", "un classeur Excel ancien (.xls)"),
    (b"%PDF", "un PDF"),
)


def read_text(path: Path) -> str:
    """The file's text (UTF-8, else Windows-1252); a spreadsheet, a PDF or JSON is refused by
    what it is, instead of a column error per cell of its first bytes."""
    data = path.read_bytes()
    for magic, what in _NOT_TEXT:
        if data.startswith(magic):
            raise InputError(
                f"{path.name} : {what}, pas un fichier texte ; enregistrez la balance âgée au "
                "format CSV (séparateur ; , ou tabulation), ou exportez le FEC (voir "
                "docs/import.md)"
            )
    if data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] in (b"[", b"{"):
        raise InputError(
            f"{path.name} : du JSON, que l'import ne lit pas ; il lit une balance âgée au format "
            "CSV (séparateur ; , ou tabulation) ou un FEC (--fec) : voir docs/import.md (par "
            "l'API, une facture à la fois : POST /api/cases/{id}/claims)"
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252")


def _delimiter(header: str, candidates: str = ";,\t|") -> str:
    counts = {c: header.count(c) for c in candidates}
    best = max(counts, key=lambda c: counts[c])
    if counts[best] == 0:
        raise InputError(
            "ligne 1 : aucun séparateur de colonnes trouvé (utilisez « ; », « , » ou une "
            "tabulation)"
        )
    return best


def parse_day(text: str) -> date:
    value = text.strip()
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            return date.fromisoformat(value)
        match = re.fullmatch(r"(\d{1,2})[/.](\d{1,2})[/.](\d{4})", value)
        if match:
            return date(int(match[3]), int(match[2]), int(match[1]))
        if re.fullmatch(r"\d{8}", value):  # FEC: AAAAMMJJ
            return date(int(value[:4]), int(value[4:6]), int(value[6:]))
    except ValueError:
        raise InputError(f"« {value} » : cette date n'existe pas dans le calendrier") from None
    raise InputError(f"« {value} » n'est pas une date (AAAA-MM-JJ ou JJ/MM/AAAA)")


def _department(value: str, engine_: Any) -> str | None:
    text = value.strip()
    if not text:
        return None
    if re.fullmatch(r"\d{5}", text):  # a postal code
        if text.startswith("97"):
            text = text[:3]
        elif text.startswith("20"):
            text = "2A" if int(text) < 20200 else "2B"
        else:
            text = text[:2]
    return str(engine_.territories.normalise_department(text, "department"))


def parse_csv(
    text: str, creditor: str | None, errors: list[LineError]
) -> tuple[list[ParsedLine], int]:
    """The valid lines of an aged-balance CSV; every problem is appended to `errors`."""
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        raise InputError("le fichier est vide (la ligne 1 doit être l'en-tête)")
    reader = csv.reader(io.StringIO(text), delimiter=_delimiter(lines[0]))
    header = next(reader)
    columns: dict[str, int] = {}
    for index, name in enumerate(header):
        folded = _fold(name)
        if not folded:
            continue
        known = _ALIASES.get(folded)
        if known is None:
            errors.append(LineError(1, name, unknown_column(name)))
        elif known in columns:
            errors.append(LineError(1, name, f"deux colonnes pour « {field_label(known)} »"))
        else:
            columns[known] = index
    missing = [name for name in REQUIRED if name not in columns]
    if creditor is None and "creditor" not in columns:
        missing.append("creditor")
    if missing:
        names = ", ".join(
            field_label(name)
            + (
                f" (une colonne, ou le créancier de l'import : {CREDITOR_GIVEN})"
                if name == "creditor"
                else ""
            )
            for name in missing
        )
        errors.append(LineError(1, "header", f"colonne(s) manquante(s) : {names}"))
    if errors:
        return [], max(len(lines) - 1, 0)
    eng = engine()
    parsed: list[ParsedLine] = []
    seen: dict[tuple[str, str], tuple[int, bool]] = {}  # (creditor, invoice) → line, good
    count = 0
    for row in reader:
        number = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        count += 1
        if len(row) != len(header):
            errors.append(
                LineError(number, "line", f"{len(row)} champ(s), l'en-tête en compte {len(header)}")
            )
            continue
        line = _csv_line(row, columns, number, creditor, eng, errors)
        if _repeats_a_bad_line(row, columns, number, creditor, line, seen, errors):
            continue
        if line is not None:
            parsed.append(line)
    return parsed, count


def _repeats_a_bad_line(
    row: list[str],
    columns: dict[str, int],
    number: int,
    creditor: str | None,
    line: ParsedLine | None,
    seen: dict[tuple[str, str], tuple[int, bool]],
    errors: list[LineError],
) -> bool:
    """An invoice number repeated for the same creditor where one of the two lines is bad
    (the repeats between good lines are `_check_duplicates`'s): reported now, so that the file
    comes back with every error at once, not this one after the other is corrected."""
    invoice = row[columns["invoice_number"]].strip()
    if not invoice:
        return False
    named = (row[columns["creditor"]].strip() if "creditor" in columns else "") or creditor or ""
    key = (normalise_key(named), invoice)
    first = seen.get(key)
    if first is None:
        seen[key] = (number, line is not None)
        return False
    first_line, first_good = first
    if first_good and line is not None:
        return False
    errors.append(
        LineError(
            number,
            "invoice_number",
            f"la facture « {invoice} » de « {named} » figure déjà ligne {first_line}",
        )
    )
    return True


def _csv_line(
    row: list[str],
    columns: dict[str, int],
    number: int,
    creditor: str | None,
    eng: Any,
    errors: list[LineError],
) -> ParsedLine | None:
    def get(name: str) -> str:
        return row[columns[name]].strip() if name in columns else ""

    before = len(errors)

    def check(name: str, parse: Callable[[str], Any], default: Any = None) -> Any:
        try:
            return parse(get(name))
        except CasefileError as error:
            errors.append(_field_error(number, name, error))
            return default

    def required(text: str) -> str:
        if not text:
            raise InputError("vide")
        return text

    debtor = check("debtor", required)
    invoice_number = check("invoice_number", required)
    issue = check("issue_date", lambda t: parse_day(required(t)))
    due = check("due_date", lambda t: parse_day(required(t)))
    amount = check("amount", lambda t: _invoice_amount(required(t)))
    paid = check("paid", lambda t: parse_amount(t, "payé") if t else Decimal("0"))
    siren = check("siren", lambda t: check_siren(re.sub(r"\s", "", t)[:9] if t else None, "SIREN"))
    creditor_siren = check(
        "creditor_siren", lambda t: check_siren(re.sub(r"\s", "", t)[:9] if t else None, "SIREN")
    )
    kind = check("debtor_kind", _debtor_kind, "professionnel")
    department = check("department", lambda t: _department(t, eng))
    country = get("country")
    line_creditor = get("creditor") or creditor or ""
    if not line_creditor:
        errors.append(
            LineError(number, "creditor", f"vide : indiquez le créancier ({CREDITOR_GIVEN})")
        )
    if amount is not None and amount == 0:
        errors.append(LineError(number, "amount", "le montant TTC est nul"))
    if amount is not None and paid is not None and paid > amount:
        errors.append(
            LineError(
                number,
                "paid",
                f"le montant payé ({amount_fr(paid)}) dépasse le montant TTC ({amount_fr(amount)})",
            )
        )
    if issue is not None and due is not None and due < issue:
        errors.append(
            LineError(
                number,
                "due_date",
                f"l'échéance ({date_fr(due)}) précède la date de facture ({date_fr(issue)})",
            )
        )
    if len(errors) > before:
        return None
    residence = "etranger" if _fold(country) not in _FRANCE else department
    return ParsedLine(
        line=number,
        creditor=line_creditor,
        debtor=debtor,
        siren=siren,
        debtor_kind=kind,
        department=department,
        residence=residence,
        address=get("address"),
        invoice=InvoiceIn(invoice_number, issue, due, amount, paid),
        creditor_siren=creditor_siren,
    )


def _invoice_amount(text: str) -> Decimal:
    """An invoice's amount; a negative one is a credit note (avoir), the usual line of an
    accounting export that the import cannot take as an invoice: say what to do with it."""
    value = text.strip()
    if value.startswith("-"):
        try:
            parse_amount(value[1:], "montant TTC")
        except InputError:
            pass  # not an amount at all: the general message below
        else:
            raise InputError(
                f"« {value} » est négatif : un avoir ne s'importe pas comme une facture ; "
                "retirez sa ligne et déduisez-le de la facture qu'il concerne (colonne « payé »)"
            )
    return parse_amount(value, "montant TTC")


def _debtor_kind(text: str) -> str:
    folded = _fold(text)
    if not folded or folded.startswith("pro") or folded in ("b2b", "entreprise", "societe"):
        return "professionnel"
    if folded.startswith("conso") or folded in ("b2c", "particulier", "personne"):
        return "consommateur"
    raise InputError(f"« {text} » : indiquez professionnel ou consommateur")


def parse_fec(
    text: str, creditor: str, errors: list[LineError]
) -> tuple[list[ParsedLine], list[ParsedPayment], int]:
    """Unlettered lines of accounts 411…: debits are invoices, credits are payments."""
    lines = text.splitlines()
    if not lines:
        raise InputError("le fichier FEC est vide")
    delimiter = _delimiter(lines[0], "\t|")
    header = [h.strip() for h in lines[0].split(delimiter)]
    aliases = {"CompteAuxNum": "CompAuxNum", "CompteAuxLib": "CompAuxLib"}
    header = [aliases.get(h, h) for h in header]
    missing = [c for c in FEC_COLUMNS[:14] if c not in header]
    if missing:
        errors.append(LineError(1, "header", f"colonne(s) FEC manquante(s) : {', '.join(missing)}"))
        return [], [], max(len(lines) - 1, 0)
    index = {name: header.index(name) for name in header}
    invoices: list[ParsedLine] = []
    credits: list[tuple[int, dict[str, str]]] = []
    count = 0
    for number, raw in enumerate(lines[1:], start=2):
        if not raw.strip():
            continue
        count += 1
        cells = raw.split(delimiter)
        if len(cells) != len(header):
            errors.append(
                LineError(
                    number, "line", f"{len(cells)} champ(s), l'en-tête en compte {len(header)}"
                )
            )
            continue
        row = {name: cells[i].strip() for name, i in index.items()}
        if not row["CompteNum"].startswith("411") or row["EcritureLet"]:
            continue
        before = len(errors)
        try:
            debit = parse_amount(row["Debit"] or "0", "Debit")
        except CasefileError as error:
            errors.append(_field_error(number, "Debit", error))
            debit = Decimal("0")
        try:
            credit = parse_amount(row["Credit"] or "0", "Credit")
        except CasefileError as error:
            errors.append(_field_error(number, "Credit", error))
            credit = Decimal("0")
        day_text = row["PieceDate"] or row["EcritureDate"]
        try:
            day = parse_day(day_text)
        except CasefileError as error:
            errors.append(LineError(number, "PieceDate", str(error)))
            continue
        if not row["CompAuxNum"]:
            errors.append(LineError(number, "CompAuxNum", "vide : le client est inconnu"))
        if not row["PieceRef"] and debit:
            errors.append(LineError(number, "PieceRef", "vide : la facture n'a pas de numéro"))
        if len(errors) > before:
            continue
        debtor = row["CompAuxLib"] or row["CompAuxNum"]
        if debit > 0:
            invoices.append(
                ParsedLine(
                    line=number,
                    creditor=creditor,
                    debtor=debtor,
                    siren=None,
                    debtor_kind="professionnel",
                    department=None,
                    residence=None,
                    address="",
                    invoice=InvoiceIn(row["PieceRef"], day, day, debit),
                )
            )
        if credit > 0:
            row["_day"] = day.isoformat()
            row["_amount"] = str(credit)
            row["_debtor"] = debtor
            credits.append((number, row))
    by_invoice = {(normalise_key(i.debtor), i.invoice.invoice_number): i for i in invoices}
    payments: list[ParsedPayment] = []
    for number, row in credits:
        amount = Decimal(row["_amount"])
        target = by_invoice.get((normalise_key(row["_debtor"]), row["PieceRef"]))
        if target is not None and target.invoice.paid + amount <= target.invoice.amount:
            # the credit settles part of that invoice: it is "paid" on the aged balance
            updated = InvoiceIn(
                target.invoice.invoice_number,
                target.invoice.issue_date,
                target.invoice.due_date,
                target.invoice.amount,
                target.invoice.paid + amount,
            )
            replaced = ParsedLine(**{**target.__dict__, "invoice": updated})
            by_invoice[(normalise_key(row["_debtor"]), row["PieceRef"])] = replaced
            continue
        payments.append(
            ParsedPayment(
                line=number,
                creditor=creditor,
                debtor_key=normalise_key(row["_debtor"]),
                day=date.fromisoformat(row["_day"]),
                amount=amount,
                invoice_number=None,
                reference=row["PieceRef"] or row["EcritureNum"],
            )
        )
    return list(by_invoice.values()), payments, count


def fec_siren(path: Path) -> str | None:
    """The creditor's SIREN, which starts a FEC file's standard name (art. A47 A-1 LPF)."""
    match = re.match(r"(\d{9})FEC", path.name, re.IGNORECASE)
    if match is None:
        return None
    try:
        return check_siren(match[1])
    except InputError:
        return None  # nine digits that are no SIREN: the name only


def fec_creditor(path: Path, creditor: str | None) -> str:
    """The creditor named by --creditor, else the SIREN that starts a FEC file's name."""
    if creditor:
        return creditor
    match = re.match(r"(\d{9})FEC", path.name, re.IGNORECASE)
    if match:
        return f"SIREN {match[1]}"
    raise InputError(
        f"{path.name} : indiquez le créancier ({CREDITOR_GIVEN}) : le nom du fichier FEC ne "
        "porte pas son SIREN"
    )


# -- checking against the database and writing ------------------------------------------------


def _chunks(items: list[Any], size: int = 500) -> Iterable[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


async def _recognise(
    lines: list[ParsedLine], payments: list[ParsedPayment], report: ImportReport
) -> tuple[list[ParsedLine], list[ParsedPayment], dict[str, Creditor]]:
    """The recorded creditor of every line (`casefile.store.creditors`): the lines carry its
    key, the report its warnings."""
    named = [Named(x.line, x.creditor, x.creditor_siren) for x in lines]
    named += [Named(x.line, x.creditor, x.creditor_siren) for x in payments]
    named.sort(key=lambda n: n.line)
    of, warnings = await resolve_creditors(named)
    report.warnings.extend(LineError(*warning) for warning in warnings)
    lines = [replace(x, creditor_key=of[(x.creditor, x.creditor_siren)].key) for x in lines]
    payments = [replace(x, creditor_key=of[(x.creditor, x.creditor_siren)].key) for x in payments]
    return lines, payments, {c.key: c for c in of.values()}


async def _existing_invoices(
    lines: list[ParsedLine], creditors: Mapping[str, Creditor]
) -> set[tuple[str, str]]:
    """The invoice numbers already claimed, under any key of their creditor (its name before
    its SIREN was recorded)."""
    found: set[tuple[str, str]] = set()
    by_creditor: dict[str, list[str]] = {}
    for line in lines:
        by_creditor.setdefault(line.creditor_key, []).append(line.invoice.invoice_number)
    for creditor_key, numbers in by_creditor.items():
        aliases = sorted(creditors[creditor_key].aliases)
        for chunk in _chunks(sorted(set(numbers))):
            rows = await Claim.select(Claim.invoice_number).where(
                Claim.creditor_key.is_in(aliases) & Claim.invoice_number.is_in(chunk)
            )
            found.update((creditor_key, row["invoice_number"]) for row in rows)
    return found


def _check_duplicates(
    lines: list[ParsedLine], existing: set[tuple[str, str]], errors: list[LineError]
) -> list[ParsedLine]:
    seen: dict[tuple[str, str], int] = {}
    good = []
    for line in lines:
        key = (line.creditor_key, line.invoice.invoice_number)
        if key in existing:
            errors.append(
                LineError(
                    line.line,
                    "invoice_number",
                    f"la facture « {line.invoice.invoice_number} » de « {line.creditor} » est "
                    "déjà enregistrée",
                )
            )
        elif key in seen:
            errors.append(
                LineError(
                    line.line,
                    "invoice_number",
                    f"la facture « {line.invoice.invoice_number} » de « {line.creditor} » figure "
                    f"déjà ligne {seen[key]}",
                )
            )
        else:
            seen[key] = line.line
            good.append(line)
    return good


async def _open_cases(
    pairs: set[tuple[str, str]], creditors: Mapping[str, Creditor]
) -> dict[tuple[str, str], int]:
    """Open cases by (creditor key, debtor key); a case's creditor may be stored under any key
    of the creditor (its name, before its SIREN was recorded)."""
    keys_of: dict[str, list[str]] = {}
    for creditor in creditors.values():
        for alias in sorted(creditor.aliases):
            keys_of.setdefault(alias, []).append(creditor.key)
    debtor_keys = sorted({d for _, d in pairs})
    debtor_cases: dict[int, str] = {}
    for chunk in _chunks(debtor_keys):
        for row in await Party.select(Party.case, Party.lookup_key).where(
            (Party.role == "debtor") & Party.lookup_key.is_in(chunk)
        ):
            debtor_cases[row["case"]] = row["lookup_key"]
    found: dict[tuple[str, str], int] = {}
    for chunk in _chunks(sorted(debtor_cases)):
        rows = await Party.select(Party.case, Party.lookup_key).where(
            (Party.role == "creditor") & Party.case.is_in(chunk)
        )
        open_ids = {
            row["id"]
            for row in await Case.select(Case.id).where(
                Case.id.is_in(chunk) & Case.status.not_in(["closed", "paid"])
            )
        }
        for row in sorted(rows, key=lambda r: r["case"]):
            for key in keys_of.get(row["lookup_key"], ()):
                pair = (key, debtor_cases[row["case"]])
                if pair in pairs and row["case"] in open_ids:
                    found.setdefault(pair, row["case"])
    return found


# Every column of a party row the import writes (`bulk_insert` takes rows with the same keys).
PARTY_DEFAULTS: dict[str, object] = {
    "category": None,
    "legal_form": "",
    "siret": None,
    "rcs_city": "",
    "street": "",
    "postcode": "",
    "city": "",
    "country": "France",
    "representative": "",
    "civility": "",
    "first_name": "",
    "email": "",
    "phone": "",
}


def _creditor_row(creditor: Creditor, case_id: int, department: str) -> dict[str, object]:
    """The case's creditor: a copy of the recorded one (the parties are stored per case, as
    the web form's new case stores them), else the name and SIREN the file gives."""
    if creditor.party is not None:
        return PARTY_DEFAULTS | dict(creditor.party) | {"case": case_id, "role": "creditor"}
    return PARTY_DEFAULTS | {
        "case": case_id,
        "role": "creditor",
        "name": creditor.name,
        "kind": "professionnel",
        "person_or_company": "societe",
        "siren": creditor.siren,
        "address": "",
        "residence": department,
        "lookup_key": creditor.key,
    }


def _slug(text: str, length: int) -> str:
    return re.sub(r"[^A-Z0-9]+", "-", normalise_key(text).upper()).strip("-")[:length] or "X"


async def _free_references(wanted: list[str]) -> list[str]:
    taken: set[str] = set()
    for chunk in _chunks(sorted(set(wanted))):
        taken.update(
            row["reference"]
            for row in await Case.select(Case.reference).where(Case.reference.is_in(chunk))
        )
    out = []
    for reference in wanted:
        candidate, n = reference, 2
        while candidate in taken:
            candidate, n = f"{reference}-{n}", n + 1
        taken.add(candidate)
        out.append(candidate)
    return out


async def import_file(
    path: Path, options: ImportOptions, actor: User, progress: Progress | None = None
) -> ImportReport:
    require(actor, "claim.write")
    require(actor, "case.write")
    procedure_of(engine().procedures, options.procedure)
    report = ImportReport(source=path.name, dry_run=options.dry_run, skip_bad=options.skip_bad)
    text = read_text(path)
    payments: list[ParsedPayment] = []
    if options.fec:
        creditor = fec_creditor(path, options.creditor)
        lines, payments, report.lines = parse_fec(text, creditor, report.errors)
        siren = fec_siren(path)
        lines = [replace(line, creditor_siren=siren) for line in lines]
        payments = [replace(payment, creditor_siren=siren) for payment in payments]
    else:
        lines, report.lines = parse_csv(text, options.creditor, report.errors)
    if progress is not None:
        progress(0, max(len(lines), 1))
    lines, payments, creditors = await _recognise(lines, payments, report)
    existing = await _existing_invoices(lines, creditors)
    lines = _check_duplicates(lines, existing, report.errors)
    # By line; within a line in the order found (the file's columns, then what is missing).
    report.errors.sort(key=lambda e: e.line)
    if report.errors and not options.skip_bad:
        return report
    report.claims, report.payments = len(lines), len(payments)
    try:
        async with atomic("claims import"):
            await _write(lines, payments, creditors, options, actor, report, progress)
            if options.dry_run:
                raise _DryRun()
    except _DryRun:
        pass  # every check ran, including the database's; the transaction was rolled back
    return report


class _DryRun(Exception):
    """Rolls the transaction back after a complete rehearsal of the import."""


async def import_rows(
    lines: list[ParsedLine],
    options: ImportOptions,
    actor: User,
    progress: Progress | None = None,
    source: str = "rows",
) -> ImportReport:
    """Import already-parsed invoice lines (the benchmark and the API use this)."""
    report = ImportReport(source=source, lines=len(lines), dry_run=options.dry_run)
    lines, _, creditors = await _recognise(lines, [], report)
    existing = await _existing_invoices(lines, creditors)
    lines = _check_duplicates(lines, existing, report.errors)
    if report.errors and not options.skip_bad:
        return report
    report.claims = len(lines)
    async with atomic("claims import"):
        await _write(lines, [], creditors, options, actor, report, progress)
    return report


async def _write(
    lines: list[ParsedLine],
    payments: list[ParsedPayment],
    creditors: Mapping[str, Creditor],
    options: ImportOptions,
    actor: User,
    report: ImportReport,
    progress: Progress | None,
) -> None:
    eng = engine()
    procedure = eng.procedure(options.procedure)
    groups: dict[tuple[str, str], list[ParsedLine]] = {}
    for line in lines:
        groups.setdefault((line.creditor_key, line.debtor_key), []).append(line)
    existing = await _open_cases(set(groups), creditors)
    new_pairs = [pair for pair in groups if pair not in existing]
    references = await _free_references(
        [f"{_slug(creditors[p[0]].name, 12)}-{_slug(p[1], 40)}" for p in new_pairs]
    )
    now = datetime.now(UTC)
    total_steps = len(new_pairs) + len(lines) + len(groups)
    done = 0

    def step(n: int) -> None:
        nonlocal done
        done += n
        if progress is not None:
            progress(done, total_steps)

    case_rows: list[dict[str, object]] = []
    for pair, reference in zip(new_pairs, references, strict=True):
        first = groups[pair][0]
        court = procedure.default_court
        if "tribunal_de_commerce" in procedure.courts and first.debtor_kind == "professionnel":
            court = "tribunal_de_commerce"
        case_rows.append(
            {
                "reference": reference,
                "procedure": procedure.key,
                "court": court,
                "court_department": first.department or "75",
                "status": "open",
                "phase": "amiable" if procedure.key == "amiable" else "contentieux",
                "version": 1,
                "warnings": [],
                "created_at": now,
                "updated_at": now,
            }
        )
    for chunk in _chunks(case_rows, 5000):
        await bulk_insert(Case, chunk)
        step(len(chunk))
    ids: dict[str, int] = {}
    for chunk in _chunks(references):
        for row in await Case.select(Case.id, Case.reference).where(Case.reference.is_in(chunk)):
            ids[row["reference"]] = row["id"]
    case_of = dict(existing)
    for pair, reference in zip(new_pairs, references, strict=True):
        case_of[pair] = ids[reference]
    parties: list[dict[str, object]] = []
    for pair in new_pairs:
        first = groups[pair][0]
        department = first.department or "75"
        parties.append(_creditor_row(creditors[pair[0]], case_of[pair], department))
        parties.append(
            PARTY_DEFAULTS
            | {
                "case": case_of[pair],
                "role": "debtor",
                "name": first.debtor,
                "kind": first.debtor_kind,
                "person_or_company": "societe"
                if first.debtor_kind == "professionnel"
                else "personne",
                "siren": first.siren,
                "address": first.address,
                "residence": first.residence or department,
                "lookup_key": pair[1],
            }
        )
    for chunk in _chunks(parties):
        await bulk_insert(Party, chunk)
    claims = [
        {
            "case": case_of[(line.creditor_key, line.debtor_key)],
            "creditor_key": line.creditor_key,
            "invoice_number": line.invoice.invoice_number,
            "issue_date": line.invoice.issue_date,
            "due_date": line.invoice.due_date,
            "amount_cents": to_cents(line.invoice.amount),
            "paid_cents": to_cents(line.invoice.paid),
            "nature": line.invoice.nature,
            "created_at": now,
        }
        for line in lines
    ]
    for chunk in _chunks(claims, 5000):
        await bulk_insert(Claim, chunk)
        step(len(chunk))
    payment_rows: list[dict[str, object]] = []
    for payment in payments:
        case_id = case_of.get((payment.creditor_key, payment.debtor_key))
        if case_id is None:
            continue  # a credit with no unpaid invoice of that customer: nothing to claim
        payment_rows.append(
            {
                "case": case_id,
                "claim": None,
                "date": payment.day,
                "amount_cents": to_cents(payment.amount),
                "reference": payment.reference[:100],
                "created_at": now,
            }
        )
    for chunk in _chunks(payment_rows):
        await bulk_insert(Payment, chunk)
    report.payments = len(payment_rows)
    if "exigibilite" in procedure.events:
        events: list[dict[str, object]] = []
        for pair in new_pairs:
            group = groups[pair]
            first_due = min(line.invoice.due_date for line in group)
            events.append(
                {
                    "case": case_of[pair],
                    "key": "exigibilite",
                    "date": first_due,
                    "attributes": {"debiteur": group[0].debtor_kind},
                    "created_by": actor.name,
                    "created_at": now,
                }
            )
        for chunk in _chunks(events):
            await bulk_insert(Event, chunk)
    touched = sorted(case_of[pair] for pair in groups)
    existing_ids = sorted(existing.values())
    for chunk in _chunks(existing_ids):
        await Case.update({Case.version: Case.version + 1, Case.updated_at: now}).where(
            Case.id.is_in(chunk)
        )
    offset = len(new_pairs) + len(lines)
    report.deadlines = await recompute_many(
        touched,
        progress=(lambda n, _total: progress(offset + n, total_steps)) if progress else None,
    )
    report.cases_created = len(new_pairs)
    report.cases_updated = len(existing_ids)
    entries = [
        {
            "at": now,
            "actor_id": actor.id,
            "actor_name": actor.name,
            "action": "case.create",
            "entity": "case",
            "entity_id": str(case_of[pair]),
            "before": None,
            "after": {"reference": reference, "procedure": procedure.key, "import": report.source},
        }
        for pair, reference in zip(new_pairs, references, strict=True)
    ]
    for chunk in _chunks(entries):
        await bulk_insert(AuditEntry, chunk)
    await audit.record(
        actor,
        "claims.import",
        "import",
        report.source,
        None,
        {k: v for k, v in report.as_dict().items() if k != "errors"}
        | {"skipped_lines": sorted({e.line for e in report.errors})},
    )
    report.written = not options.dry_run
