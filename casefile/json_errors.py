"""msgspec's JSON decoding errors in French, for the API's 400 answers and the lines of a
`casefile deadlines --batch` file (light: no web framework imported)."""

from __future__ import annotations

import re

# (msgspec's English, what follows « JSON illisible : » in French); applied in order.
JSON_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile(r"JSON is malformed: invalid character \(byte (\d+)\)"),
        r"caractère inattendu (octet \1)",
    ),
    (
        re.compile(r"JSON is malformed: trailing characters \(byte (\d+)\)"),
        r"caractères en trop après le document (octet \1)",
    ),
    (re.compile(r"JSON is malformed: object keys must be strings"), "clé d'objet sans guillemets"),
    (
        re.compile(r"JSON is malformed: expected '([^']+)'(?: or '([^']+)')?"),
        r"« \1 » attendu",
    ),
    (re.compile(r"JSON is malformed: invalid number"), "nombre mal écrit"),
    (
        re.compile(r"JSON is malformed: invalid escape character in string"),
        "échappement invalide dans une chaîne",
    ),
    (re.compile(r"JSON is malformed: trailing comma in (?:object|array)"), "virgule en trop"),
    (re.compile(r"JSON is malformed: (.+)"), r"\1"),
    (re.compile(r"Input data was truncated"), "document incomplet"),
    # a figure beyond what a float or a 64-bit integer holds (1e400), read before any type
    (
        re.compile(r"^(?:Integer value|Number) out of range - at `\$[^`]*`$"),
        'nombre hors limites (un montant s\'écrit comme un texte, par exemple "4080.50")',
    ),
)
_BYTE = re.compile(r"\(byte (\d+)\)")


def json_error_fr(message: str) -> str:
    """The French of a msgspec decoding error, without the « JSON illisible » prefix."""
    for pattern, replacement in JSON_PATTERNS:
        if pattern.search(message):
            return _BYTE.sub(r"(octet \1)", pattern.sub(replacement, message))
    return _BYTE.sub(r"(octet \1)", message)
