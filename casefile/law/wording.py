"""French wording of dates, euro amounts and quoted values for the messages the law core
writes (pure).

The documents' Jinja filters (`casefile.documents.formatting`) use the same functions, so a
reason on the case page and a pleading say "1er mars 2026" and "4 080,00 €" alike.
Spacing: U+202F between groups of thousands, U+00A0 before "€".

Error messages quote what a person wrote with `quoted` (« 12,3,4 », never a Python repr
'12,3,4') and name a definition with `labelled` (« Tribunal judiciaire » (tribunal_judiciaire))
where the key is what the person must type. This module imports no other module of the law
core at load time, so that `money` and `periods` can use it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from datetime import date, time
from decimal import ROUND_HALF_EVEN, Decimal
from functools import lru_cache
from typing import TYPE_CHECKING

from casefile.errors import InputError

if TYPE_CHECKING:
    from casefile.law.periods import Period

# `date.isoformat()` by date, kept (a pure function of the date: the engine writes the same
# days into the reasons of every territory's year tables and art. 642 reports, each 0.2 µs).
ISO_DATES: dict[date, str] = {}


def iso_date(day: date) -> str:
    """`day.isoformat()` (2026-03-02), kept in `ISO_DATES` (emptied at 100 000 days)."""
    text = ISO_DATES.get(day)
    if text is None:
        if len(ISO_DATES) >= 100_000:
            ISO_DATES.clear()
        text = ISO_DATES[day] = day.isoformat()
    return text


NNBSP = "\u202f"  # thousands separator
NBSP = "\u00a0"  # before the currency sign
CENT = Decimal("0.01")
MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)
"""French month names (CLDR fr)."""
WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
_ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_UNITS = (("an", "ans"), ("mois", "mois"), ("jour", "jours"))
QUOTE_MAX = 80
"""Characters of a refused value a message quotes; a longer one is cut with "…"."""
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def quoted(value: object) -> str:
    """« value » for an error message, as the person wrote it: a text as is (line breaks and
    other control characters shown as \\n, \\x07…, a long text cut after `QUOTE_MAX`
    characters), a JSON value in JSON's spelling (true, null, [], {"a": 1}), a Decimal with
    the French decimal comma, exactly (« 10,005 »)."""
    if isinstance(value, str):
        text = value
    elif value is None or isinstance(value, bool):
        text = json.dumps(value)
    elif isinstance(value, Decimal):
        text = decimal_fr(value) if value.is_finite() else str(value)
    elif isinstance(value, int | float):
        text = str(value)
    elif isinstance(value, list | tuple | dict):
        try:
            text = json.dumps(value, ensure_ascii=False, default=str)
        except (TypeError, ValueError):
            text = str(value)
    elif isinstance(value, date):
        text = value.isoformat()
    else:
        text = str(value)
    text = _CONTROL.sub(lambda m: json.dumps(m[0])[1:-1], text)
    if len(text) > QUOTE_MAX:
        text = text[: QUOTE_MAX - 1] + "…"
    return f"« {text} »"


_INNER = re.compile(r"«\s*(.*?)\s*»")


def in_guillemets(label: str) -> str:
    """« label » for a label a message names; guillemets already in the label become the
    inner quotes of French usage, “ ”: « Lieu de la signification (département ou
    “étranger”) », never « … « étranger » … » where the reader cannot tell which » closes."""
    inner = _INNER.sub(r"“\1”", label)
    return f"« {inner} »"


def labelled(label: str, key: str) -> str:
    """'« Ordonnance rendue » (ordonnance_rendue)': a definition named by its French label,
    with the key a CLI flag or an API field takes (the label alone when it is the key)."""
    if not label or label == key:
        return in_guillemets(label or key)
    return f"{in_guillemets(label)} ({key})"


def labelled_list(pairs: Iterable[tuple[str, str]]) -> str:
    """`labelled` items of (label, key) separated by commas: the choices a message lists."""
    return ", ".join(labelled(label, key) for label, key in pairs) or "aucun"


def as_date(value: date | str) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        raise InputError(f"date illisible (attendu AAAA-MM-JJ) : {quoted(value)}") from None


def date_fr(value: date | str) -> str:
    """'15 mars 2026'; the first day of a month is '1er mars 2026' (French legal usage)."""
    day = as_date(value)
    first = "1er" if day.day == 1 else str(day.day)
    return f"{first} {MONTHS[day.month - 1]} {day.year}"


def day_fr(value: date | str) -> str:
    """'lundi 16 mars 2026': a due date, with its weekday."""
    day = as_date(value)
    return f"{WEEKDAYS[day.weekday()]} {date_fr(day)}"


_DAY_TO_ACT = re.compile(
    r"(?:(?<=retenue le )|(?<=retenue, le )|(?<=tard le )|(?<=utile le ))"
    r"(\d{4})-(\d{2})-(\d{2})\b"
)
"""An ISO date that is a day to act on (« date retenue le 2026-12-04 », « agir au plus tard
le … », « dernier jour utile le … »): written with its weekday, like the due dates."""


@lru_cache(maxsize=8192)
def dates_fr_in(text: str) -> str:
    """Every ISO date written in `text` (a stored reason or note) as '16 mars 2026', a day to
    act on (`_DAY_TO_ACT`) as 'vendredi 4 décembre 2026' (kept per text: a rule's notes recur
    in every deadline it gives)."""

    def french(match: re.Match[str], written: Callable[[date], str] = date_fr) -> str:
        try:
            return written(date(int(match[1]), int(match[2]), int(match[3])))
        except ValueError:
            return match[0]

    text = _DAY_TO_ACT.sub(lambda m: french(m, day_fr), text)
    return _ISO_DATE.sub(french, text)


def period_fr(period: Period) -> str:
    """'1 mois', '15 jours', '1 mois et 15 jours', '15 jours avant' (a backward period)."""
    parts = [
        f"{amount} {singular if amount == 1 else plural}"
        for amount, (singular, plural) in zip(
            (period.years, period.months, period.days), _UNITS, strict=True
        )
        if amount
    ]
    text = " et ".join(parts) or "0 jour"
    return f"{text} avant" if period.backward else text


def size_fr(size: int) -> str:
    """A file size as a person reads it: '200 Mo', '4,8 Mo', '1 000 octets' (Mo = 2^20 octets)."""
    if size < 1024 * 1024:
        return f"{grouped(Decimal(size))[:-3]}\u00a0octets"
    tenths = (Decimal(size) / (1024 * 1024)).quantize(Decimal("0.1"), rounding=ROUND_HALF_EVEN)
    text = format(tenths, "f").removesuffix(".0").replace(".", ",")
    return f"{text}\u00a0Mo"


def too_large_fr(limit: int) -> str:
    """The refusal of a file over the upload limit: its size in words, and what to do."""
    return (
        f"le fichier dépasse la taille maximale acceptée ({size_fr(limit)}) : envoyez une version "
        "plus légère (numérisation moins résolue, PDF compressé) ou scindez-le en plusieurs pièces"
    )


def grouped(amount: Decimal) -> str:
    """'-12 345,67': two decimals (half-even), U+202F between thousands."""
    text = format(abs(amount).quantize(CENT, rounding=ROUND_HALF_EVEN), "f")
    whole, _, cents = text.partition(".")
    groups: list[str] = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    sign = "-" if amount < 0 and text.strip("0.") else ""
    return f"{sign}{NNBSP.join(groups)},{cents}"


def amount_fr(value: Decimal | int | str) -> str:
    """'12 345,67 €' (U+202F thousands, U+00A0 before the sign)."""
    from casefile.law.money import parse_amount  # money quotes its inputs with `quoted`

    return grouped(parse_amount(value, "montant", allow_negative=True)) + NBSP + "€"


def decimal_fr(value: Decimal) -> str:
    """A rate or a raw figure as written, with the French decimal comma: '12,15', '10.005' →
    '10,005' (no rounding: a message quoting a refused input shows it exactly)."""
    return format(value, "f").replace(".", ",")


def semester_fr(day: date) -> str:
    """'le premier semestre 2026' / 'le second semestre 2026' for the half-year holding `day`."""
    return f"le {'premier' if day.month <= 6 else 'second'} semestre {day.year}"


def choices_fr(values: tuple[str, ...] | list[str]) -> str:
    """'a, b ou c': the accepted values of a field, as a sentence ends."""
    quoted = [f"« {value} »" for value in values]
    if len(quoted) <= 1:
        return "".join(quoted)
    return ", ".join(quoted[:-1]) + " ou " + quoted[-1]


def time_fr(value: time) -> str:
    """A time of day as French pages and documents write it: '9 h 30', '14 h' (Imprimerie
    nationale style used by the greffes), with no-break spaces: a line never breaks inside it."""
    if value.minute:
        return f"{value.hour}{NBSP}h{NBSP}{value.minute:02d}"
    return f"{value.hour}{NBSP}h"
