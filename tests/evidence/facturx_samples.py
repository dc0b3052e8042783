"""Factur-X invoices made by the suite itself: a one-page PDF written by hand, and the CII XML
of a MINIMUM, BASIC or EN 16931 invoice embedded with `facturx.generate_from_binary`."""

from __future__ import annotations

import io
import zlib
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from xml.sax.saxutils import escape

URNS = {
    "minimum": "urn:factur-x.eu:1p0:minimum",
    "basic": "urn:cen.eu:en16931:2017#compliant#urn:factur-x.eu:1p0:basic",
    "en16931": "urn:cen.eu:en16931:2017",
}

# Valid check digits (Luhn): the demo's creditor and debtor.
SELLER_SIREN = "552100554"
BUYER_SIREN = "732829320"


@dataclass(frozen=True)
class Sample:
    profile: str = "en16931"
    number: str = "F-2026-118"
    type_code: str = "380"
    issue: date = date(2026, 9, 15)
    due: date | None = date(2026, 10, 15)
    currency: str = "EUR"
    ht: Decimal = Decimal("1028.80")
    vat: Decimal = Decimal("205.76")
    ttc: Decimal = Decimal("1234.56")
    prepaid: Decimal = Decimal("0.00")
    seller: str = "Brasserie de l'Ill SAS"
    seller_siren: str = SELLER_SIREN
    buyer: str = "Café du Dôme SARL"
    buyer_siren: str = BUYER_SIREN
    urn: str | None = None
    terms: str = ""

    def but(self, **changes: object) -> Sample:
        return replace(self, **changes)  # type: ignore[arg-type]


def _day(day: date) -> str:
    return f'<udt:DateTimeString format="102">{day:%Y%m%d}</udt:DateTimeString>'


def invoice_xml(s: Sample = Sample()) -> bytes:
    """The CII XML of `s` for its profile (the elements each profile's XSD admits)."""
    full = s.profile != "minimum"
    due_amount = s.ttc - s.prepaid
    lines = ""
    if full:
        lines = f"""
    <ram:IncludedSupplyChainTradeLineItem>
      <ram:AssociatedDocumentLineDocument><ram:LineID>1</ram:LineID></ram:AssociatedDocumentLineDocument>
      <ram:SpecifiedTradeProduct><ram:Name>Fûts de bière blonde 30 L</ram:Name></ram:SpecifiedTradeProduct>
      <ram:SpecifiedLineTradeAgreement>
        <ram:NetPriceProductTradePrice><ram:ChargeAmount>{s.ht}</ram:ChargeAmount></ram:NetPriceProductTradePrice>
      </ram:SpecifiedLineTradeAgreement>
      <ram:SpecifiedLineTradeDelivery><ram:BilledQuantity unitCode="C62">1</ram:BilledQuantity></ram:SpecifiedLineTradeDelivery>
      <ram:SpecifiedLineTradeSettlement>
        <ram:ApplicableTradeTax><ram:TypeCode>VAT</ram:TypeCode><ram:CategoryCode>S</ram:CategoryCode><ram:RateApplicablePercent>20</ram:RateApplicablePercent></ram:ApplicableTradeTax>
        <ram:SpecifiedTradeSettlementLineMonetarySummation><ram:LineTotalAmount>{s.ht}</ram:LineTotalAmount></ram:SpecifiedTradeSettlementLineMonetarySummation>
      </ram:SpecifiedLineTradeSettlement>
    </ram:IncludedSupplyChainTradeLineItem>"""
    header_tax = terms = ""
    if full:
        header_tax = f"""
      <ram:ApplicableTradeTax>
        <ram:CalculatedAmount>{s.vat}</ram:CalculatedAmount><ram:TypeCode>VAT</ram:TypeCode>
        <ram:BasisAmount>{s.ht}</ram:BasisAmount><ram:CategoryCode>S</ram:CategoryCode>
        <ram:RateApplicablePercent>20</ram:RateApplicablePercent>
      </ram:ApplicableTradeTax>"""
        if s.due is not None or s.terms:
            description = f"<ram:Description>{escape(s.terms)}</ram:Description>" if s.terms else ""
            due = f"<ram:DueDateDateTime>{_day(s.due)}</ram:DueDateDateTime>" if s.due else ""
            terms = f"""
      <ram:SpecifiedTradePaymentTerms>{description}{due}</ram:SpecifiedTradePaymentTerms>"""
    line_total = f"<ram:LineTotalAmount>{s.ht}</ram:LineTotalAmount>" if full else ""
    prepaid = (
        f"<ram:TotalPrepaidAmount>{s.prepaid}</ram:TotalPrepaidAmount>"
        if full and s.prepaid
        else ""
    )
    text = f"""<?xml version="1.0" encoding="UTF-8"?>
<rsm:CrossIndustryInvoice xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100" xmlns:qdt="urn:un:unece:uncefact:data:standard:QualifiedDataType:100" xmlns:ram="urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100" xmlns:udt="urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100">
  <rsm:ExchangedDocumentContext>
    <ram:GuidelineSpecifiedDocumentContextParameter><ram:ID>{escape(s.urn or URNS[s.profile])}</ram:ID></ram:GuidelineSpecifiedDocumentContextParameter>
  </rsm:ExchangedDocumentContext>
  <rsm:ExchangedDocument>
    <ram:ID>{escape(s.number)}</ram:ID>
    <ram:TypeCode>{s.type_code}</ram:TypeCode>
    <ram:IssueDateTime>{_day(s.issue)}</ram:IssueDateTime>
  </rsm:ExchangedDocument>
  <rsm:SupplyChainTradeTransaction>{lines}
    <ram:ApplicableHeaderTradeAgreement>
      <ram:SellerTradeParty>
        <ram:Name>{escape(s.seller)}</ram:Name>
        <ram:SpecifiedLegalOrganization><ram:ID schemeID="0002">{s.seller_siren}</ram:ID></ram:SpecifiedLegalOrganization>
        <ram:PostalTradeAddress><ram:CountryID>FR</ram:CountryID></ram:PostalTradeAddress>
        <ram:SpecifiedTaxRegistration><ram:ID schemeID="VA">FR40{s.seller_siren}</ram:ID></ram:SpecifiedTaxRegistration>
      </ram:SellerTradeParty>
      <ram:BuyerTradeParty>
        <ram:Name>{escape(s.buyer)}</ram:Name>
        {f'<ram:SpecifiedLegalOrganization><ram:ID schemeID="0002">{s.buyer_siren}</ram:ID></ram:SpecifiedLegalOrganization>' if s.buyer_siren else ""}{"<ram:PostalTradeAddress><ram:CountryID>FR</ram:CountryID></ram:PostalTradeAddress>" if full else ""}
      </ram:BuyerTradeParty>
    </ram:ApplicableHeaderTradeAgreement>
    <ram:ApplicableHeaderTradeDelivery/>
    <ram:ApplicableHeaderTradeSettlement>
      <ram:InvoiceCurrencyCode>{s.currency}</ram:InvoiceCurrencyCode>{header_tax}{terms}
      <ram:SpecifiedTradeSettlementHeaderMonetarySummation>
        {line_total}
        <ram:TaxBasisTotalAmount>{s.ht}</ram:TaxBasisTotalAmount>
        <ram:TaxTotalAmount currencyID="{s.currency}">{s.vat}</ram:TaxTotalAmount>
        <ram:GrandTotalAmount>{s.ttc}</ram:GrandTotalAmount>
        {prepaid}
        <ram:DuePayableAmount>{due_amount}</ram:DuePayableAmount>
      </ram:SpecifiedTradeSettlementHeaderMonetarySummation>
    </ram:ApplicableHeaderTradeSettlement>
  </rsm:SupplyChainTradeTransaction>
</rsm:CrossIndustryInvoice>
"""
    return text.encode()


def plain_pdf(title: str = "Facture F-2026-118") -> bytes:
    """A valid one-page A4 PDF showing `title` (Helvetica), written object by object."""
    stream = zlib.compress(f"BT /F1 18 Tf 72 770 Td ({title}) Tj ET".encode("latin-1"))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
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


def facturx_pdf(s: Sample = Sample(), *, xml: bytes | None = None) -> bytes:
    """A Factur-X PDF: the plain PDF with `xml` (default: the sample's) embedded by the
    factur-x library (XSD not checked here, so that non-conforming files can be made)."""
    import facturx

    content = xml if xml is not None else invoice_xml(s)
    return bytes(
        facturx.generate_from_binary(
            plain_pdf(f"Facture {s.number}"),
            content,
            flavor="factur-x",
            level=s.profile,
            check_xsd=False,
            pdf_metadata={
                "author": s.seller,
                "keywords": "Factur-X",
                "title": f"Facture {s.number}",
                "subject": f"Facture {s.number}",
            },
            lang="fr-FR",
        )
    )


def pdf_with_attachment(name: str, content: bytes) -> bytes:
    """The plain PDF with one embedded file, whatever its content (broken XML…)."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(plain_pdf())))
    writer.add_attachment(name, content)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
