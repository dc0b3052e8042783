"""A fresh SQLite database and evidence folder per test, driven through `casefile.cli.main`.

The environment is set before anything reads the settings; a case with SIRENs and invoices is
created through the store's services (the CLI's `case new` records no SIREN, and a pleading
needs one).
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

ENV = ("CASEFILE_DATABASE_URL", "CASEFILE_VAR_DIR", "CASEFILE_EVIDENCE_URL")
CREDITOR_SIREN = "812345676"
DEBTOR_SIREN = "798654323"


@dataclass
class Env:
    var: Path
    evidence: Path

    def object_path(self, sha256: str) -> Path:
        from casefile.evidence.objects import object_key

        return self.evidence / object_key(sha256)


@pytest.fixture
def env(tmp_path: Path) -> Iterator[Env]:
    from casefile.cli import main
    from casefile.settings import reset_settings

    saved = {key: os.environ.get(key) for key in ENV}
    var = tmp_path / "var"
    var.mkdir()
    os.environ["CASEFILE_VAR_DIR"] = str(var)
    os.environ["CASEFILE_DATABASE_URL"] = f"sqlite:///{var}/casefile.db"
    os.environ["CASEFILE_EVIDENCE_URL"] = f"file://{var}/evidence"
    reset_settings()
    try:
        assert main(["init"]) == 0
        yield Env(var, var / "evidence")
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        reset_settings()


def create_case(reference: str = "IP-2026-001") -> int:
    """A case before the TJ of Paris: a SAS creditor against a SARL debtor, two invoices."""
    from casefile.services.cases import InvoiceIn, NewCase, PartyIn, add_claim
    from casefile.services.cases import create_case as store_create_case
    from casefile.settings import get_settings
    from casefile.store import db
    from casefile.store.users import SYSTEM

    async def work() -> int:
        await db.connect(get_settings().database_url)
        try:
            case = await store_create_case(
                NewCase(
                    reference=reference,
                    procedure="injonction_de_payer",
                    court="tribunal_judiciaire",
                    court_department="75",
                    creditor=PartyIn(
                        name="Fournitures Rhénanes SAS",
                        siren=CREDITOR_SIREN,
                        address="14 rue du Port-du-Rhin, 67000 Strasbourg",
                    ),
                    debtor=PartyIn(
                        name="Dupont & Fils <SARL>",
                        siren=DEBTOR_SIREN,
                        address="3 rue des Tanneurs, 75004 Paris",
                    ),
                ),
                SYSTEM,
            )
            for number, amount in (("F-2026-001", "1200.00"), ("F-2026-002", "830.50")):
                await add_claim(
                    case["id"],
                    InvoiceIn(number, date(2026, 1, 5), date(2026, 2, 4), Decimal(amount)),
                    SYSTEM,
                )
            return int(case["id"])
        finally:
            await db.close()

    return asyncio.run(work())
