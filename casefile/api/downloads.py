"""Download headers that survive any file name (RFC 6266 / RFC 5987).

A non-ASCII name ("Décompte.docx") in a raw header is a 500 in the server; the ASCII fallback
goes in `filename=`, the exact name percent-encoded in `filename*=`.
"""

from __future__ import annotations

import unicodedata
from urllib.parse import quote


def content_disposition(filename: str, disposition: str = "attachment") -> str:
    ascii_name = unicodedata.normalize("NFKD", filename).encode("ascii", "ignore").decode("ascii")
    ascii_name = "".join(c if c.isprintable() and c not in '"\\;' else "_" for c in ascii_name)
    ascii_name = ascii_name.strip() or "fichier"
    encoded = quote(filename, safe="")
    return f"{disposition}; filename=\"{ascii_name}\"; filename*=UTF-8''{encoded}"
