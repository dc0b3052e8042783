"""What casefile read in a PDF pièce's embedded e-invoice (Factur-X / ZUGFeRD), per version.

One row per examined version (`status`: facturx | invalid | none), keyed by the SHA-256 of the
bytes read; `invoice` holds the proposed claim as JSON (amounts as decimal strings, dates ISO).
`claim` is the claim created from it once the user confirmed (the claim ↔ pièce link; NULL
again if that claim is withdrawn).
"""

from piccolo.columns import JSON, ForeignKey, Integer, Serial, Text, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.table import Table

from casefile.store.tables.claim import Claim
from casefile.store.tables.piece import Piece


class InvoiceReading(Table, tablename="invoice_readings"):
    # unique (piece, version): migration `invoice_readings`
    id = Serial(primary_key=True)
    piece = ForeignKey(references=Piece, on_delete=OnDelete.cascade)
    version = Integer()
    sha256 = Varchar(length=64)
    status = Varchar(length=10)  # facturx | invalid | none
    profile = Varchar(length=20, default="")
    attachment = Varchar(length=100, default="")
    invoice = JSON(default={})
    message = Text(default="")
    details = JSON(default=[])
    claim = ForeignKey(references=Claim, null=True, default=None, on_delete=OnDelete.set_null)
    examined_at = Timestamptz()
