"""Each upload of a pièce is a new version; old versions stay (content-addressed by SHA-256)."""

from piccolo.columns import BigInt, ForeignKey, Integer, Serial, Text, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.table import Table

from casefile.store.tables.piece import Piece


class PieceVersion(Table, tablename="piece_versions"):
    # unique (piece, version): migration `unique_indexes`
    id = Serial(primary_key=True)
    piece = ForeignKey(references=Piece, on_delete=OnDelete.cascade)
    version = Integer()
    sha256 = Varchar(length=64)
    # BLAKE3 of the same bytes, what downloads check; NULL for versions recorded before it
    blake3 = Varchar(length=64, null=True, default=None)
    size = BigInt()
    mime = Varchar(length=150, default="application/octet-stream")
    original_filename = Varchar(length=300, default="")
    safe_name = Varchar(length=300, default="")  # for ZIP entries and download headers
    note = Text(default="")
    created_by = Varchar(length=150, default="")
    created_at = Timestamptz()
