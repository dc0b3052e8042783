"""Reading the e-invoice of a PDF (pure: bytes in, `Reading` out), on Factur-X files the suite
makes itself for the MINIMUM, BASIC and EN 16931 profiles, and on broken ones."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from casefile.evidence.facturx import (
    InvoiceParty,
    RecordedClaim,
    RecordedParty,
    disagreements,
    read_pdf,
    read_xml,
    same_name,
)
from tests.evidence.facturx_samples import (
    BUYER_SIREN,
    SELLER_SIREN,
    URNS,
    Sample,
    facturx_pdf,
    invoice_xml,
    pdf_with_attachment,
    plain_pdf,
)


@pytest.mark.parametrize(
    ("profile", "label", "due"),
    [
        ("minimum", "MINIMUM", None),
        ("basic", "BASIC", date(2026, 10, 15)),
        ("en16931", "EN 16931", date(2026, 10, 15)),
    ],
)
def test_each_profile_is_read_with_its_real_values(profile: str, label: str, due) -> None:
    reading = read_pdf(facturx_pdf(Sample(profile=profile)))
    assert (reading.status, reading.profile, reading.attachment) == (
        "facturx",
        profile,
        "factur-x.xml",
    )
    invoice = reading.invoice
    assert invoice is not None and invoice.profile_label == label
    assert invoice.number == "F-2026-118" and invoice.type_code == "380"
    assert (invoice.issue_date, invoice.due_date) == (date(2026, 9, 15), due)
    assert invoice.currency == "EUR"
    assert invoice.total_without_vat == Decimal("1028.80")
    assert invoice.total_vat == Decimal("205.76")
    assert invoice.total_with_vat == Decimal("1234.56")
    assert (invoice.prepaid, invoice.amount_due) == (Decimal(0), Decimal("1234.56"))
    assert invoice.seller == InvoiceParty(
        "Brasserie de l'Ill SAS", SELLER_SIREN, SELLER_SIREN, f"FR40{SELLER_SIREN}"
    )
    assert invoice.buyer == InvoiceParty("Café du Dôme SARL", BUYER_SIREN, BUYER_SIREN, "")
    expected = (
        ("La facture (profil MINIMUM) ne porte pas de date d'échéance : indiquez-la.",)
        if profile == "minimum"
        else ()
    )
    assert invoice.warnings == expected


def test_prepaid_and_the_zugferd_name_are_read() -> None:
    xml = invoice_xml(Sample(prepaid=Decimal("234.56")))
    reading = read_pdf(pdf_with_attachment("ZUGFeRD-invoice.xml", xml))
    assert reading.status == "facturx" and reading.attachment == "ZUGFeRD-invoice.xml"
    assert reading.invoice is not None
    assert (reading.invoice.prepaid, reading.invoice.amount_due) == (
        Decimal("234.56"),
        Decimal("1000.00"),
    )
    assert reading.invoice.warnings == ()


def test_a_plain_or_corrupt_pdf_holds_no_invoice() -> None:
    assert read_pdf(plain_pdf()).status == "none"
    assert read_pdf(pdf_with_attachment("notes.xml", b"<notes/>")).status == "none"
    assert read_pdf(b"%PDF-1.7\nnot really a pdf").status == "none"
    assert read_pdf(b"").status == "none"


def test_broken_xml_is_said_in_french() -> None:
    reading = read_pdf(pdf_with_attachment("factur-x.xml", b"<rsm:CrossIndustryInvoice><a>"))
    assert reading.status == "invalid" and reading.invoice is None
    assert reading.message == (
        "Le fichier factur-x.xml joint au PDF n'est pas un XML lisible : la facture électronique "
        "est ignorée, la pièce est conservée comme un PDF ordinaire."
    )
    assert reading.details  # the parser's own words


def test_a_wrong_or_unknown_profile_is_refused() -> None:
    # EN 16931 content declaring MINIMUM: invoice lines are not allowed by MINIMUM's XSD.
    wrong = read_xml(invoice_xml(Sample(profile="en16931", urn=URNS["minimum"])))
    assert (wrong.status, wrong.profile) == ("invalid", "minimum")
    assert wrong.message.startswith(
        "Le fichier factur-x.xml n'est pas conforme au profil MINIMUM qu'il déclare (schéma XSD "
        "officiel)"
    )
    assert "IncludedSupplyChainTradeLineItem" in wrong.details[0]
    # MINIMUM content declaring EN 16931: the lines the profile requires are missing.
    short = read_xml(invoice_xml(Sample(profile="minimum", urn=URNS["en16931"])))
    assert short.status == "invalid" and "profil EN 16931" in short.message
    unknown = read_xml(invoice_xml(Sample(urn="urn:exemple:inconnu")))
    assert unknown.status == "invalid"
    assert unknown.message.startswith(
        "Le fichier factur-x.xml ne déclare aucun profil Factur-X connu"
    )
    order = read_xml(
        b'<rsm:SCRDMCCBDACIOMessageStructure xmlns:rsm="urn:un:unece:uncefact:data:'
        b'SCRDMCCBDACIOMessageStructure:100"/>'
    )
    assert (
        order.message
        == "Le fichier factur-x.xml joint au PDF est une commande Order-X, pas une facture."
    )


def test_entities_are_never_expanded() -> None:
    xml = invoice_xml().replace(
        b"<rsm:CrossIndustryInvoice",
        b'<!DOCTYPE x [<!ENTITY secret SYSTEM "file:///etc/hostname">]>\n<rsm:CrossIndustryInvoice',
        1,
    )
    xml = xml.replace(b"<ram:Name>Brasserie", b"<ram:Name>&secret;Brasserie", 1)
    reading = read_xml(xml)
    # The unexpanded entity fails the XSD: nothing of the file named was read.
    assert reading.status == "invalid" and reading.invoice is None
    assert "profil EN 16931" in reading.message


def test_checks_on_the_figures_a_credit_note_and_identifiers() -> None:
    off = read_xml(invoice_xml(Sample(vat=Decimal("200.00"))))
    assert off.invoice is not None
    assert off.invoice.warnings == (
        "Les totaux de la facture ne concordent pas : HT 1028.80 + TVA 200.00 ≠ TTC 1234.56.",
    )
    credit = read_xml(invoice_xml(Sample(type_code="381")))
    assert credit.invoice is not None and credit.invoice.is_credit_note
    assert "Ce document est un avoir, pas une facture : il ne fonde pas une créance." in (
        credit.invoice.warnings
    )
    bad = read_xml(invoice_xml(Sample(buyer_siren="732829321")))
    assert bad.invoice is not None and bad.invoice.buyer.siren is None
    assert bad.invoice.warnings == (
        "L'identifiant légal de l'acheteur « 732829321 » n'est pas un SIREN ou un SIRET valide.",
    )


def test_disagreements_name_each_difference() -> None:
    invoice = read_xml(invoice_xml()).invoice
    assert invoice is not None
    same = RecordedClaim(
        "F-2026-118", date(2026, 9, 15), date(2026, 10, 15), Decimal("1234.56"), Decimal(0)
    )
    debtor = RecordedParty("CAFÉ DU DÔME  SARL", BUYER_SIREN)
    creditor = RecordedParty("Brasserie de l'Ill SAS", None)
    assert disagreements(invoice, same, debtor, creditor) == []
    other = RecordedClaim(
        "F-2026-118", date(2026, 9, 1), date(2026, 9, 30), Decimal("4080.00"), Decimal("80.00")
    )
    assert disagreements(
        invoice, other, RecordedParty("Winstub Muller", "443061841"), creditor
    ) == [
        "Montant : la créance enregistrée est de 4\u202f080,00\u00a0€, la facture électronique "
        "indique 1\u202f234,56\u00a0€ TTC.",
        "Déjà payé : la créance enregistrée indique 80,00\u00a0€, la facture électronique "
        "0,00\u00a0€.",
        "Échéance : la créance enregistrée échoit le 30 septembre 2026, la facture électronique "
        "le 15 octobre 2026.",
        "Date d'émission : 1er septembre 2026 dans la créance enregistrée, 15 septembre 2026 "
        "dans la facture électronique.",
        "SIREN du débiteur : 443\u00a0061\u00a0841 dans le dossier, 732\u00a0829\u00a0320 pour "
        "l'acheteur de la facture électronique.",
    ]
    assert disagreements(invoice, None, RecordedParty("Winstub Muller", None), None) == [
        "Nom du débiteur : « Winstub Muller » dans le dossier, « Café du Dôme SARL » pour "
        "l'acheteur de la facture électronique."
    ]


def test_a_pdf_announcing_another_profile_than_its_xml_is_flagged() -> None:
    # The XMP metadata say BASIC; the XML declares (and is valid for) EN 16931.
    pdf = facturx_pdf(Sample(profile="basic"), xml=invoice_xml(Sample(profile="en16931")))
    reading = read_pdf(pdf)
    assert reading.status == "facturx" and reading.profile == "en16931"
    assert reading.invoice is not None
    assert reading.invoice.warnings == (
        "Les métadonnées du PDF annoncent le profil BASIC, le XML déclare le profil EN 16931 : "
        "c'est le XML, conforme à son profil, qui est lu.",
    )


def test_names_compare_without_case_accents_punctuation_or_legal_form() -> None:
    assert same_name("Winstub Muller", "WINSTUB MULLER S.A.R.L.")
    assert same_name("Café du Dôme SARL", "cafe du dome")
    assert same_name("Dupont & Fils <SARL>", "SARL Dupont et Fils")
    assert not same_name("Café du Dôme", "Café de la Gare")
    assert not same_name("Muller", "Muller Frères")


def _pdf(objects: list[bytes]) -> bytes:
    import io

    out = io.BytesIO()
    out.write(b"%PDF-1.7\n")
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % n + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    )
    return out.getvalue()


def test_other_attachments_are_never_decompressed() -> None:
    import time
    import zlib

    # 256 MiB of zeros deflated to about 256 KB (pypdf refuses to inflate past 75 MB), attached
    # beside the invoice's XML.
    deflate = zlib.compressobj(9)
    zeros = b"\0" * (1024 * 1024)
    bomb = b"".join(deflate.compress(zeros) for _ in range(256)) + deflate.flush()
    xml = invoice_xml()

    def stream(data: bytes, extra: bytes = b"") -> bytes:
        return (
            b"<< /Type /EmbeddedFile /Length %d %s >>\nstream\n" % (len(data), extra)
            + data
            + b"\nendstream"
        )

    pdf = _pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R /Names << /EmbeddedFiles << /Names "
            b"[(bombe.bin) 4 0 R (factur-x.xml) 6 0 R] >> >> >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
            b"<< /Type /Filespec /F (bombe.bin) /UF (bombe.bin) /EF << /F 5 0 R >> >>",
            stream(bomb, b"/Filter /FlateDecode"),
            b"<< /Type /Filespec /F (factur-x.xml) /UF (factur-x.xml) /EF << /F 7 0 R >> >>",
            stream(xml),
        ]
    )
    started = time.perf_counter()
    reading = read_pdf(pdf)
    assert reading.status == "facturx" and reading.invoice is not None
    assert reading.invoice.number == "F-2026-118"
    assert time.perf_counter() - started < 5

    # The same bomb under the invoice's own name: refused, in French, without inflating it.
    swapped = pdf.replace(b"[(bombe.bin) 4 0 R (factur-x.xml) 6 0 R]", b"[(factur-x.xml) 4 0 R]")
    reading = read_pdf(swapped)
    assert reading.status == "invalid"
    assert reading.message.startswith(
        "Le fichier factur-x.xml joint au PDF ne peut pas être extrait (compression invalide ou "
        "taille excessive)"
    )


def test_payment_terms_are_read_beside_a_missing_due_date() -> None:
    reading = read_xml(invoice_xml(Sample(profile="basic", due=None, terms="30 jours fin de mois")))
    assert reading.invoice is not None
    assert reading.invoice.payment_terms == "30 jours fin de mois"
    assert reading.invoice.due_date is None
    assert reading.invoice.warnings == (
        "La facture (profil BASIC) ne porte pas de date d'échéance : indiquez-la.",
    )


def test_an_oversized_xml_is_not_parsed() -> None:
    reading = read_xml(b"<a>" + b" " * (9 * 1024 * 1024) + b"</a>")
    assert reading.status == "invalid"
    assert reading.message == (
        "Le fichier factur-x.xml joint au PDF dépasse 8 Mio : ce n'est pas une facture "
        "électronique ordinaire, il n'est pas lu."
    )
