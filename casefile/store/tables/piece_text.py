"""The text of one version of a pièce (issue 16 item 1): extracted from the PDF's text layer,
recognised by OCR, or why there is none. One row per version, written once the extraction is
over (status `pending` until then); the stored bytes and their hash are never touched.

The full-text index is not a piccolo column: on PostgreSQL a generated `tsv` column (French
configuration, GIN index), on SQLite the FTS5 table `piece_text_fts` kept by triggers — both
created by the migration `2026-11-30T05:55:00`."""

from piccolo.columns import ForeignKey, Integer, Serial, Text, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.table import Table

from casefile.store.tables.piece_version import PieceVersion


class PieceText(Table, tablename="piece_texts"):
    id = Serial(primary_key=True)
    version = ForeignKey(references=PieceVersion, on_delete=OnDelete.cascade, unique=True)
    status = Varchar(length=20)  # casefile.services.piece_text.STATUS_LABELS
    method = Varchar(length=20, default="")  # text | ocr | text+ocr | plain | ""
    pages = Integer(default=0)
    ocr_pages = Integer(default=0)
    text = Text(default="")
    message = Text(default="")  # French: why there is no text, or what was limited
    attempts = Integer(default=0)
    updated_at = Timestamptz()
