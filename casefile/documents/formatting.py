"""French legal formatting of dates, amounts and parties, registered as Jinja filters.

Babel (offline CLDR data, fr_FR) gives month names and digit grouping; the rules Babel does not
know are added here: "1er" for the first day of a month, amounts written in words (classic
spelling, see `amount_in_words`), and the designations of parties used in pleadings.

Spacing is normalised whatever the CLDR version: U+202F (narrow no-break space) between groups
of thousands, U+00A0 (no-break space) between the figure and "€", so "12 345,67 €" never
breaks across lines.
"""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Decimal
from typing import TYPE_CHECKING

from casefile.errors import InputError
from casefile.law.money import parse_amount

if TYPE_CHECKING:
    from casefile.documents.context import Company, Party, Person

from casefile.law.wording import CENT, MONTHS, NBSP, NNBSP, date_fr, grouped, quoted, time_fr

__all__ = ["CENT", "MONTHS", "NBSP", "NNBSP", "date_fr", "time_fr"]


def _as_amount(value: Decimal | int | str) -> Decimal:
    """A euro amount to the cent; refuses floats and sub-cent precision rather than rounding."""
    return parse_amount(value, "montant", allow_negative=True)


def number_fr(value: Decimal | int | str) -> str:
    """'12 345,67' with U+202F between thousands."""
    return _grouped(_as_amount(value))


_grouped = grouped


def amount_fr(value: Decimal | int | str) -> str:
    """'12 345,67 €' (U+202F thousands, U+00A0 before the sign)."""
    return number_fr(value) + NBSP + "€"


def percent_fr(value: Decimal | str) -> str:
    """'12,15 %' for an interest rate given in percent."""
    rate = Decimal(value).quantize(CENT, rounding=ROUND_HALF_EVEN)
    sign = "-" if rate < 0 else ""
    return f"{sign}{format(abs(rate), 'f').replace('.', ',')}{NBSP}%"


# --- amounts in words ---------------------------------------------------------------------
# Classic spelling (before the 1990 rectifications), still the usage of courts and notaries:
# hyphens only between tens and units below one hundred, "et" in 21, 31 … 71, no hyphen around
# "cent", "mille", "million". "vingt" and "cent" take an "s" when multiplied and ending the
# number ("quatre-vingts", "deux cents") but not before another number nor before "mille"
# ("quatre-vingt-un", "deux cent un", "deux cent mille"); "mille" never varies; "million" and
# "milliard" are nouns ("deux millions", "un million d'euros").

_UNITS = [
    "zéro",
    "un",
    "deux",
    "trois",
    "quatre",
    "cinq",
    "six",
    "sept",
    "huit",
    "neuf",
    "dix",
    "onze",
    "douze",
    "treize",
    "quatorze",
    "quinze",
    "seize",
    "dix-sept",
    "dix-huit",
    "dix-neuf",
]
_TENS = {2: "vingt", 3: "trente", 4: "quarante", 5: "cinquante", 6: "soixante"}


def _below_100(n: int) -> str:
    if n < 20:
        return _UNITS[n]
    tens, unit = divmod(n, 10)
    if tens in (7, 9):  # soixante-dix…, quatre-vingt-dix…: base 60 / 80 plus 10–19
        base = "soixante" if tens == 7 else "quatre-vingt"
        rest = n - (60 if tens == 7 else 80)
        if rest == 11 and tens == 7:
            return "soixante et onze"
        return f"{base}-{_UNITS[rest]}"
    if tens == 8:
        return "quatre-vingts" if unit == 0 else f"quatre-vingt-{_UNITS[unit]}"
    word = _TENS[tens]
    if unit == 0:
        return word
    if unit == 1:
        return f"{word} et un"
    return f"{word}-{_UNITS[unit]}"


def _below_1000(n: int, *, before_mille: bool = False) -> str:
    """Words for 1–999; `before_mille` drops the plural s of 'cents'/'quatre-vingts'."""
    hundreds, rest = divmod(n, 100)
    parts: list[str] = []
    if hundreds:
        if hundreds == 1:
            parts.append("cent")
        elif rest == 0 and not before_mille:
            parts.append(f"{_UNITS[hundreds]} cents")
        else:
            parts.append(f"{_UNITS[hundreds]} cent")
    if rest:
        words = _below_100(rest)
        if before_mille and words.endswith("quatre-vingts"):
            words = words[:-1]
        parts.append(words)
    return " ".join(parts)


def integer_in_words(n: int) -> str:
    """Cardinal number in French words (classic spelling), 0 to 999 999 999 999."""
    if n < 0 or n >= 10**12:
        raise InputError(f"nombre hors des limites de l'écriture en lettres : {n}")
    if n == 0:
        return "zéro"
    milliards, rest = divmod(n, 10**9)
    millions, rest = divmod(rest, 10**6)
    milliers, units = divmod(rest, 1000)
    parts: list[str] = []
    for count, noun in ((milliards, "milliard"), (millions, "million")):
        if count:
            parts.append(f"{_below_1000(count)} {noun}{'s' if count > 1 else ''}")
    if milliers:
        parts.append(
            "mille" if milliers == 1 else f"{_below_1000(milliers, before_mille=True)} mille"
        )
    if units:
        parts.append(_below_1000(units))
    return " ".join(parts)


def amount_in_words(value: Decimal | int | str) -> str:
    """'douze mille trois cent quarante-cinq euros et soixante-sept centimes'."""
    amount = _as_amount(value)
    if amount < 0:
        raise InputError(f"un montant négatif ne s'écrit pas en lettres : {quoted(value)}")
    euros = int(amount)
    cents = int((amount - euros) * 100)
    parts: list[str] = []
    if euros or not cents:
        words = integer_in_words(euros)
        if euros >= 10**6 and euros % 10**6 == 0:
            parts.append(f"{words} d'euros")  # "un million d'euros"
        else:
            parts.append(f"{words} euro{'s' if euros > 1 else ''}")
    if cents:
        parts.append(f"{integer_in_words(cents)} centime{'s' if cents > 1 else ''}")
    return " et ".join(parts)


# --- parties ---------------------------------------------------------------------------------


def siren_fr(siren: str) -> str:
    """'123 456 789' (no-break spaces)."""
    digits = siren.replace(" ", "").replace(NBSP, "").replace(NNBSP, "")
    return NBSP.join((digits[0:3], digits[3:6], digits[6:9]))


def siret_fr(siret: str) -> str:
    """'123 456 789 00012' (the SIREN grouped, then the establishment's five digits)."""
    digits = siret.replace(" ", "").replace(NBSP, "").replace(NNBSP, "")
    return NBSP.join((digits[0:3], digits[3:6], digits[6:9], digits[9:]))


CIVILITY_PLACEHOLDER = "[Madame ou Monsieur à compléter]"
QUALITIES = {
    "entrepreneur_individuel": "entrepreneur individuel",
    "profession_liberale": "exerçant à titre libéral",
}


def _is_person(party: Party) -> bool:
    return hasattr(party, "civility")


def _company_article_name(company: Company) -> str:
    """'la société X', "l'association X"; a public person is named as written."""
    if company.category == "association":
        return f"l'association {company.name}"
    if company.category == "personne_publique":
        return company.name
    return f"la société {company.name}"


def _company_registration(company: Company) -> str:
    if company.siren is None:
        return ""
    if company.rcs_city:
        return f"immatriculée au RCS de {company.rcs_city} sous le n° {siren_fr(company.siren)}"
    return f"identifiée sous le n° SIREN {siren_fr(company.siren)}"


def _company_designation(company: Company) -> str:
    text = _company_article_name(company)
    if company.legal_form and company.category == "societe":
        text += f", {company.legal_form}"
        if company.share_capital is not None:
            text += f" au capital de {amount_fr(company.share_capital)}"
    registration = _company_registration(company)
    if registration:
        text += f", {registration}"
    text += f", dont le siège est {company.address}"
    if company.representative:
        # « Mme Anne Schmitt, gérante, domiciliée … »: the participle agrees with the person named.
        first = company.representative.split(maxsplit=1)[0].rstrip(".,").lower()
        agreement = "e" if first in ("mme", "madame", "mlle", "mademoiselle") else ""
        return (
            f"{text}, prise en la personne de son représentant légal, "
            f"{company.representative}, domicilié{agreement} en cette qualité audit siège"
        )
    return (
        f"{text}, prise en la personne de son représentant légal domicilié en cette qualité "
        "audit siège"
    )


def _person_full_name(person: Person) -> str:
    civility = person.civility or CIVILITY_PLACEHOLDER
    return " ".join(part for part in (civility, person.first_name, person.last_name) if part)


def _person_designation(person: Person) -> str:
    text = _person_full_name(person)
    quality = QUALITIES.get(person.party_category)
    if quality:
        text += f", {quality}"
        if person.trade_name:
            text += f" sous le nom commercial « {person.trade_name} »"
        if person.siren:
            agreement = "e" if person.civility == "Madame" else ""
            text += f", identifié{agreement} sous le n° SIREN {siren_fr(person.siren)}"
    return f"{text}, demeurant {person.address}"


def party_designation(party: Party) -> str:
    """How an acte names a party (company: form, capital, RCS, seat, representative; person:
    civility, quality when professional, address)."""
    if _is_person(party):
        return _person_designation(party)  # type: ignore[arg-type]
    return _company_designation(party)  # type: ignore[arg-type]


def party_name(party: Party) -> str:
    """Short name: 'la société X', "l'association X" or 'Monsieur Jean Dupont'."""
    if _is_person(party):
        return _person_full_name(party)  # type: ignore[arg-type]
    return _company_article_name(party)  # type: ignore[arg-type]


def party_identification(party: Party) -> str:
    """The letterhead's identification line: 'SAS au capital de …, RCS Strasbourg 812 345 676'."""
    if _is_person(party):
        person: Person = party  # type: ignore[assignment]
        quality = QUALITIES.get(person.party_category, "")
        siren = f"SIREN {siren_fr(person.siren)}" if person.siren else ""
        return ", ".join(part for part in (quality, siren) if part)
    company: Company = party  # type: ignore[assignment]
    parts = []
    if company.legal_form and company.category == "societe":
        form = company.legal_form
        if company.share_capital is not None:
            form += f" au capital de {amount_fr(company.share_capital)}"
        parts.append(form)
    if company.siren:
        parts.append(
            f"RCS {company.rcs_city} {siren_fr(company.siren)}"
            if company.rcs_city
            else f"SIREN {siren_fr(company.siren)}"
        )
    return ", ".join(parts)


def party_letterhead(party: Party) -> str:
    """The name at the head of the party's own letter: 'Fournitures Rhénanes', 'Menuiserie
    Schaller — Monsieur Marc Schaller'."""
    if _is_person(party):
        person: Person = party  # type: ignore[assignment]
        name = _person_full_name(person)
        return f"{person.trade_name} — {name}" if person.trade_name else name
    company: Company = party  # type: ignore[assignment]
    return company.name


def party_signatory(party: Party) -> str:
    """Who signs a letter for the party: the person, or the company's representative."""
    if _is_person(party):
        return _person_full_name(party)  # type: ignore[arg-type]
    company: Company = party  # type: ignore[assignment]
    if company.representative:
        return company.representative
    return "[nom et qualité du signataire à compléter]"


def party_salutation(party: Party) -> str:
    """How a letter addressed to the party greets it and signs off ("Monsieur," …
    "Veuillez agréer, Monsieur, …"): the recorded civility of a person, else both."""
    if _is_person(party):
        person: Person = party  # type: ignore[assignment]
        if person.civility is not None:
            return person.civility
    return "Madame, Monsieur"


FILTERS = {
    "date_fr": date_fr,
    "montant": amount_fr,
    "nombre": number_fr,
    "montant_lettres": amount_in_words,
    "pourcentage": percent_fr,
    "designation": party_designation,
    "nom_partie": party_name,
}
"""The Jinja filters every template may use, by name."""
