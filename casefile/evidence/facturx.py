"""Factur-X / ZUGFeRD invoices: the claim a PDF pièce describes, read from its embedded XML.

A Factur-X PDF carries a Cross Industry Invoice (CII) XML file (`factur-x.xml`, or
`zugferd-invoice.xml` / `xrechnung.xml` for its German twins). `read_pdf` takes the PDF's bytes
(no I/O: the caller reads them, verified by hash, from the object store) and answers a
`Reading`:

- `status="facturx"`: the XML was found, is valid against the XSD of the profile it declares
  (MINIMUM, BASIC WL, BASIC, EN 16931, EXTENDED) and was read into an `Invoice`;
- `status="invalid"`: an invoice XML is attached but cannot be used (not XML, unknown or wrong
  profile, not valid against its XSD, a figure missing): `message` says why, in French;
- `status="none"`: no invoice XML (a plain PDF, or not a PDF that can be opened).

The `factur-x` library detects the flavour and profile, validates against the official XSD
and maps the XML to EN 16931 business terms (BT-1 number, BT-2 issue date, BT-9 due date,
BT-109/110/112 totals, BT-115 amount due…). Its schematron check needs a Saxon server over
HTTP and is not run; the figures casefile relies on are cross-checked here instead (HT + TVA =
TTC, TTC − déjà payé = net à payer) and any mismatch is a warning. Money is `Decimal`.
"""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

from casefile.documents.formatting import amount_fr, date_fr, number_fr, siren_fr
from casefile.errors import InputError
from casefile.law.identifiers import normalise_key
from casefile.law.money import check_siren, check_siret

ATTACHMENT_NAMES = ("factur-x.xml", "zugferd-invoice.xml", "xrechnung.xml")
"""The names under which an e-invoice's XML is embedded (Factur-X 1.0, ZUGFeRD 2.x)."""

MAX_PDF_BYTES = 32 * 1024 * 1024
"""Larger PDFs are not searched for an invoice (an e-invoice is a few hundred kilobytes)."""

PROFILES: Mapping[str, str] = {
    "minimum": "MINIMUM",
    "basicwl": "BASIC WL",
    "basic": "BASIC",
    "en16931": "EN 16931",
    "extended": "EXTENDED",
    "extended-ctc-fr": "EXTENDED-CTC-FR",
}
"""Factur-X profiles as their specification names them."""

CREDIT_NOTE_CODES = frozenset({"81", "83", "261", "262", "296", "308", "381", "396", "420", "532"})
"""UNTDID 1001 document types that are credit notes (avoirs), not invoices."""

MAX_XML_BYTES = 8 * 1024 * 1024
"""An invoice's XML is kilobytes; a larger one is refused before it is parsed."""

Status = Literal["facturx", "invalid", "none"]

_CENT = Decimal("0.01")


@dataclass(frozen=True)
class InvoiceParty:
    """The seller or the buyer as the invoice names them."""

    name: str
    siren: str | None = None
    """Nine digits, from the legal registration identifier (SIREN, or a SIRET's first nine)."""
    legal_id: str = ""
    """The legal registration identifier as written (BT-30 / BT-47)."""
    vat_id: str = ""


@dataclass(frozen=True)
class Invoice:
    """The claim an e-invoice describes (EN 16931 business terms in brackets)."""

    profile: str
    """Key of `PROFILES`."""
    attachment: str
    number: str  # BT-1
    type_code: str  # BT-3 (380 invoice, 381 credit note…)
    issue_date: date  # BT-2
    due_date: date | None  # BT-9 (absent from MINIMUM)
    currency: str  # BT-5
    total_without_vat: Decimal | None  # BT-109 (HT)
    total_vat: Decimal | None  # BT-110 (TVA)
    total_with_vat: Decimal  # BT-112 (TTC)
    prepaid: Decimal  # BT-113
    amount_due: Decimal  # BT-115
    seller: InvoiceParty  # BG-4
    buyer: InvoiceParty  # BG-7
    warnings: tuple[str, ...] = ()
    payment_terms: str = ""  # BT-20 ("30 jours fin de mois"…), absent from MINIMUM

    @property
    def profile_label(self) -> str:
        return PROFILES.get(self.profile, self.profile)

    @property
    def is_credit_note(self) -> bool:
        return self.type_code in CREDIT_NOTE_CODES


@dataclass(frozen=True)
class Reading:
    status: Status
    invoice: Invoice | None = None
    message: str = ""
    """Why an attached XML cannot be used (French); empty when read."""
    attachment: str = ""
    profile: str = ""
    details: tuple[str, ...] = field(default_factory=tuple)
    """The validator's own words (English), for whoever must fix the file."""


def read_pdf(data: bytes) -> Reading:
    """The e-invoice embedded in the PDF whose bytes are `data` (see the module's doc)."""
    if len(data) > MAX_PDF_BYTES:
        return Reading(
            "none", message="PDF trop volumineux pour y chercher une facture électronique"
        )
    attachments, announced = _attachments(data)
    for wanted in ATTACHMENT_NAMES:
        for name, content in attachments:
            if name.lower() == wanted:
                if content is None:
                    return Reading(
                        "invalid",
                        message=f"Le fichier {name} joint au PDF ne peut pas être extrait "
                        "(compression invalide ou taille excessive) : la pièce est conservée "
                        "comme un PDF ordinaire.",
                        attachment=name,
                    )
                return _announced(read_xml(content, attachment=name), announced)
    return Reading("none")


_CONFORMANCE = re.compile(rb"ConformanceLevel(?:>|=\s*[\"'])\s*([A-Za-z0-9 _-]{1,40}?)\s*[<\"']")


def _attachments(data: bytes) -> tuple[list[tuple[str, bytes | None]], str]:
    """(name, bytes) of the embedded files named as an e-invoice's XML (the others are never
    decompressed: a scan or a bomb costs nothing), and the Factur-X profile the PDF's XMP
    metadata announce ('' if none); nothing when the PDF cannot be opened."""
    from pypdf import PdfReader

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            reader.decrypt("")
        found: list[tuple[str, bytes | None]] = []
        attachments = reader.attachments  # lazy: only the invoice's XML is decompressed
        for name in list(attachments):
            if str(name).lower() in ATTACHMENT_NAMES:
                try:
                    found.extend((str(name), bytes(content)) for content in attachments[name])
                except Exception:  # corrupt, or inflating past pypdf's limit (75 MB)
                    found.append((str(name), None))
    except Exception:  # a corrupt or protected PDF is still a pièce, just not an e-invoice
        return [], ""
    announced = ""
    try:
        metadata = reader.root_object.get("/Metadata")
        if metadata is not None:
            match = _CONFORMANCE.search(metadata.get_object().get_data())
            announced = match.group(1).decode("ascii").strip() if match else ""
    except Exception:  # unreadable metadata: the XML alone is read
        announced = ""
    return found, announced


def _squeezed(label: str) -> str:
    return "".join(label.split()).upper()


def _announced(reading: Reading, announced: str) -> Reading:
    """A warning when the PDF's metadata announce another profile than the XML declares
    (the XML, validated against its own profile, is what is read)."""
    if reading.invoice is None or not announced:
        return reading
    label = reading.invoice.profile_label
    if _squeezed(announced) == _squeezed(label):
        return reading
    warning = (
        f"Les métadonnées du PDF annoncent le profil {announced}, le XML déclare le profil "
        f"{label} : c'est le XML, conforme à son profil, qui est lu."
    )
    invoice = replace(reading.invoice, warnings=(*reading.invoice.warnings, warning))
    return replace(reading, invoice=invoice)


def read_xml(xml: bytes, *, attachment: str = "factur-x.xml") -> Reading:
    """The invoice of a CII XML document, validated against its profile's XSD."""
    import facturx
    from lxml import etree

    # Every outcome is reported here, in French: the library's own log lines would only repeat
    # them in English (INFO for each file read, ERROR for each file refused).
    logging.getLogger("factur-x").setLevel(logging.CRITICAL)

    def invalid(message: str, profile: str = "", *details: str) -> Reading:
        return Reading(
            "invalid",
            message=message,
            attachment=attachment,
            profile=profile,
            details=tuple(d for d in details if d),
        )

    if len(xml) > MAX_XML_BYTES:
        return invalid(
            f"Le fichier {attachment} joint au PDF dépasse {MAX_XML_BYTES // (1024 * 1024)} Mio : "
            "ce n'est pas une facture électronique ordinaire, il n'est pas lu."
        )
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
    )
    try:
        root = etree.fromstring(xml, parser)
    except etree.XMLSyntaxError as error:
        return invalid(
            f"Le fichier {attachment} joint au PDF n'est pas un XML lisible : la facture "
            "électronique est ignorée, la pièce est conservée comme un PDF ordinaire.",
            "",
            str(error),
        )
    if root is None:
        return invalid(f"Le fichier {attachment} joint au PDF est vide.")
    try:
        flavor = facturx.get_flavor(root)
    except Exception as error:
        return invalid(
            f"Le fichier {attachment} joint au PDF n'est pas une facture Factur-X / ZUGFeRD "
            "(document XML d'un autre type).",
            "",
            str(error),
        )
    if flavor != "factur-x":
        kinds = {
            "zugferd": "une facture ZUGFeRD 1.0 (format antérieur à Factur-X, non lu)",
            "order-x": "une commande Order-X, pas une facture",
        }
        what = kinds.get(flavor, "une facture UBL, pas une facture Factur-X (CII)")
        return invalid(f"Le fichier {attachment} joint au PDF est {what}.")
    try:
        level = facturx.get_level(root, flavor)
    except Exception as error:
        return invalid(
            f"Le fichier {attachment} ne déclare aucun profil Factur-X connu (MINIMUM, BASIC WL, "
            "BASIC, EN 16931, EXTENDED) : la facture électronique n'est pas lue.",
            "",
            str(error),
        )
    if level not in PROFILES:
        return invalid(
            f"Le fichier {attachment} déclare le profil « {level} », qui n'est pas un profil de "
            "facture Factur-X.",
            level,
        )
    label = PROFILES[level]
    try:
        facturx.xml_check_xsd(root, flavor=flavor, level=level)
    except Exception as error:
        return invalid(
            f"Le fichier {attachment} n'est pas conforme au profil {label} qu'il déclare "
            "(schéma XSD officiel) : la facture électronique n'est pas lue, la pièce est "
            "conservée comme un PDF ordinaire.",
            level,
            _first_line(str(error)),
        )
    try:
        data = facturx.parse_ubl_cii_xml(
            root, flavor=flavor, level=level, float_as="string", date_as="date", check_xsd=False
        )
    except Exception as error:
        return invalid(
            f"Le fichier {attachment} (profil {label}) n'a pas pu être lu.", level, str(error)
        )
    try:
        invoice = _invoice(data, level, attachment)
    except InputError as error:
        return invalid(f"Le fichier {attachment} (profil {label}) est incomplet : {error}.", level)
    return Reading("facturx", invoice=invoice, attachment=attachment, profile=level)


def _first_line(text: str) -> str:
    return text.strip().splitlines()[0] if text.strip() else ""


def _amount(data: Mapping[str, Any], term: str, label: str, *, required: bool) -> Decimal | None:
    raw = data.get(term)
    if isinstance(raw, list):
        raw = raw[0] if raw else None
    if raw in (None, ""):
        if required:
            raise InputError(f"{label} ({term}) manquant")
        return None
    try:
        value = Decimal(str(raw).strip())
    except InvalidOperation:
        raise InputError(f"{label} ({term}) illisible : « {raw} »") from None
    if not value.is_finite():
        raise InputError(f"{label} ({term}) illisible : « {raw} »")
    return value


_OF = {"vendeur": "du vendeur", "acheteur": "de l'acheteur"}
_THE = {"vendeur": "le vendeur", "acheteur": "l'acheteur"}


def _party(data: Mapping[str, Any], group: str, role: str, warnings: list[str]) -> InvoiceParty:
    raw = data.get(group) or {}
    name = " ".join(str(raw.get("name") or "").split())
    if not name:
        raise InputError(f"nom {_OF[role]} ({group}) manquant")
    legal_id = str(raw.get("legal_identifier") or "").strip()
    scheme = str(raw.get("legal_identifier_schemeid") or "").strip()
    siren = _siren(legal_id, scheme)
    if legal_id and siren is None and scheme in ("", "0002", "0009"):
        warnings.append(
            f"L'identifiant légal {_OF[role]} « {legal_id} » n'est pas un SIREN ou un SIRET valide."
        )
    return InvoiceParty(
        name=name, siren=siren, legal_id=legal_id, vat_id=str(raw.get("vat_identifier") or "")
    )


def _siren(legal_id: str, scheme: str) -> str | None:
    """The SIREN of a legal registration identifier: scheme 0002 is a SIREN, 0009 a SIRET;
    without a scheme, nine or fourteen digits are taken as such."""
    digits = "".join(legal_id.split())
    try:
        if scheme == "0002" or (not scheme and len(digits) == 9):
            return check_siren(digits)
        if scheme == "0009" or (not scheme and len(digits) == 14):
            siret = check_siret(digits)
            return siret[:9] if siret else None
    except InputError:
        return None
    return None


def _invoice(data: Mapping[str, Any], level: str, attachment: str) -> Invoice:
    warnings: list[str] = []
    number = " ".join(str(data.get("BT-1") or "").split())
    if not number:
        raise InputError("numéro de facture (BT-1) manquant")
    issue = data.get("BT-2")
    if not isinstance(issue, date):
        raise InputError("date d'émission (BT-2) manquante ou illisible")
    due = data.get("BT-9")
    due_date = due if isinstance(due, date) else None
    currency = str(data.get("BT-5") or "").strip().upper()
    if not currency:
        raise InputError("devise (BT-5) manquante")
    ht = _amount(data, "BT-109", "total HT", required=False)
    vat = _amount(data, "BT-110", "total TVA", required=False)
    ttc = _amount(data, "BT-112", "total TTC", required=True)
    prepaid = _amount(data, "BT-113", "montant déjà payé", required=False) or Decimal(0)
    rounding = _amount(data, "BT-114", "arrondi", required=False) or Decimal(0)
    due_amount = _amount(data, "BT-115", "net à payer", required=True)
    assert ttc is not None and due_amount is not None
    if ht is not None and ht + (vat or 0) != ttc:
        warnings.append(
            f"Les totaux de la facture ne concordent pas : HT {ht} + TVA {vat or 0} ≠ TTC {ttc}."
        )
    if ttc - prepaid + rounding != due_amount:
        warnings.append(
            f"Le net à payer ({due_amount}) n'est pas le TTC ({ttc}) diminué du déjà payé "
            f"({prepaid})."
        )
    if currency != "EUR":
        warnings.append(
            f"La facture est libellée en {currency} : casefile tient les créances en euros et "
            "ne convertit pas les devises."
        )
    if due_date is None:
        warnings.append(
            f"La facture (profil {PROFILES.get(level, level)}) ne porte pas de date d'échéance : "
            "indiquez-la."
        )
    elif due_date < issue:
        warnings.append("La date d'échéance précède la date d'émission.")
    type_code = str(data.get("BT-3") or "").strip()
    if type_code in CREDIT_NOTE_CODES:
        warnings.append("Ce document est un avoir, pas une facture : il ne fonde pas une créance.")
    return Invoice(
        profile=level,
        attachment=attachment,
        number=number,
        type_code=type_code,
        issue_date=issue,
        due_date=due_date,
        currency=currency,
        total_without_vat=ht,
        total_vat=vat,
        total_with_vat=ttc,
        prepaid=prepaid,
        amount_due=due_amount,
        seller=_party(data, "BG-4", "vendeur", warnings),
        buyer=_party(data, "BG-7", "acheteur", warnings),
        warnings=tuple(warnings),
        payment_terms=_text(data.get("BT-20"))[:1000],
    )


def _text(raw: object) -> str:
    """A free text term as one line (a repeated term's parts joined)."""
    parts = raw if isinstance(raw, list) else [raw]
    return " ".join(" ".join(str(p).split()) for p in parts if p)


# -- comparison with what the case already records (pure) ------------------------------------


@dataclass(frozen=True)
class RecordedClaim:
    """An existing claim of the case, as the comparison needs it."""

    invoice_number: str
    issue_date: date
    due_date: date
    amount: Decimal
    paid: Decimal


@dataclass(frozen=True)
class RecordedParty:
    name: str
    siren: str | None


def disagreements(
    invoice: Invoice,
    claim: RecordedClaim | None,
    debtor: RecordedParty | None,
    creditor: RecordedParty | None,
) -> list[str]:
    """What the e-invoice says differently from the case (French sentences)."""
    out: list[str] = []
    if claim is not None:
        if claim.amount != invoice.total_with_vat:
            out.append(
                f"Montant : la créance enregistrée est de {_euros(claim.amount)}, la facture "
                f"électronique indique {_money(invoice.total_with_vat, invoice.currency)} TTC."
            )
        if claim.paid != invoice.prepaid:
            out.append(
                f"Déjà payé : la créance enregistrée indique {_euros(claim.paid)}, la facture "
                f"électronique {_money(invoice.prepaid, invoice.currency)}."
            )
        if invoice.due_date is not None and claim.due_date != invoice.due_date:
            out.append(
                f"Échéance : la créance enregistrée échoit le {_day(claim.due_date)}, la facture "
                f"électronique le {_day(invoice.due_date)}."
            )
        if claim.issue_date != invoice.issue_date:
            out.append(
                f"Date d'émission : {_day(claim.issue_date)} dans la créance enregistrée, "
                f"{_day(invoice.issue_date)} dans la facture électronique."
            )
    for party, recorded, role, case_role in (
        (invoice.buyer, debtor, "acheteur", "débiteur"),
        (invoice.seller, creditor, "vendeur", "créancier"),
    ):
        if recorded is None:
            continue
        if party.siren and recorded.siren and party.siren != recorded.siren:
            out.append(
                f"SIREN du {case_role} : {_siren_text(recorded.siren)} dans le dossier, "
                f"{_siren_text(party.siren)} pour {_THE[role]} de la facture électronique."
            )
        elif not same_name(party.name, recorded.name) and not (
            party.siren and party.siren == recorded.siren
        ):
            out.append(
                f"Nom du {case_role} : « {recorded.name} » dans le dossier, « {party.name} » "
                f"pour {_THE[role]} de la facture électronique."
            )
    return out


LEGAL_FORMS = frozenset(
    [
        "sa",
        "sas",
        "sasu",
        "sarl",
        "eurl",
        "snc",
        "sci",
        "scp",
        "scop",
        "sca",
        "scs",
        "gie",
        "selarl",
        "selas",
        "earl",
        "ei",
        "eirl",
        "societe",
        "ste",
        "cie",
    ]
)
"""Words of a company's legal form, left out when two names are compared."""


def same_name(a: str, b: str) -> bool:
    """Whether two names designate the same party, whatever the case, accents, punctuation or
    a legal form written on one side only ("Winstub Muller" ≈ "WINSTUB MULLER S.A.R.L.")."""

    def words(name: str) -> list[str]:
        folded = normalise_key(name).replace(".", "").replace("&", " et ")
        return [t for t in re.findall(r"[a-z0-9]+", folded) if t not in LEGAL_FORMS]

    return words(a) == words(b)


def _day(day: date) -> str:
    return date_fr(day)


def _euros(amount: Decimal) -> str:
    return amount_fr(amount)


def money_fr(amount: Decimal, currency: str) -> str:
    """'1 234,56 €', or '1 234,56 USD' for another currency (never converted)."""
    return amount_fr(amount) if currency == "EUR" else f"{number_fr(amount)}\u00a0{currency}"


def _money(amount: Decimal, currency: str) -> str:
    return money_fr(amount, currency)


def _siren_text(siren: str) -> str:
    return siren_fr(siren)


def invoice_json(invoice: Invoice | None) -> dict[str, Any]:
    """The invoice as JSON-ready builtins (amounts as decimal strings, dates ISO)."""
    import msgspec

    if invoice is None:
        return {}
    data: dict[str, Any] = msgspec.json.decode(msgspec.json.encode(invoice))
    return data


def invoice_from_json(data: Mapping[str, Any] | None) -> Invoice | None:
    """`invoice_json`'s inverse."""
    import msgspec

    return msgspec.convert(dict(data), Invoice) if data else None
