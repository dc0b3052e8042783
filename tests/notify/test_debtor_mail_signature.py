"""The signature of the debtor e-mails: a creditor without a named representative signs once."""

from __future__ import annotations

import pytest

from casefile.definitions import dunning
from casefile.notify.debtor_mail import render_text

FIELDS = {
    "creancier": "Brasserie de l'Ill SAS",
    "creancier_adresse": "12 quai des Bateliers, 67000 Strasbourg",
    "debiteur": "Menuiserie Schmitt SARL",
    "reference": "BRASSERIE-DE-MENUISERIE-SCHMITT-SARL",
    "factures": [
        {
            "numero": "M-2026-101",
            "date_emission": "1er septembre 2026",
            "echeance": "1er octobre 2026",
            "reste_du": "4 080,00 €",
        }
    ],
    "total_du": "4 080,00 €",
    "date_du_jour": "6 octobre 2026",
    "entre_professionnels": True,
    "relance_precedente": True,
}

EMAILS = sorted(k for k, m in dunning().messages.items() if m.channel == "email")


@pytest.mark.parametrize("key", EMAILS)
def test_a_creditor_without_representative_signs_once(key: str) -> None:
    _, body = render_text(dunning().messages[key], {**FIELDS, "signataire": FIELDS["creancier"]})
    signature = body.split("Cordialement,\n", 1)[1]
    assert signature.startswith("Brasserie de l'Ill SAS\n")
    assert signature.count("Brasserie de l'Ill SAS") == 1


@pytest.mark.parametrize("key", EMAILS)
def test_a_named_representative_signs_above_the_company(key: str) -> None:
    fields = {**FIELDS, "signataire": "M. Paul Muller, président"}
    _, body = render_text(dunning().messages[key], fields)
    assert "Cordialement,\nM. Paul Muller, président\nBrasserie de l'Ill SAS\n" in body
