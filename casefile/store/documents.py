"""Generated documents of a case: the typed data a pleading is built from, and their storage.

`case_document_data` turns a stored case into a `casefile.documents.context.CaseDocumentData`;
`create_document` renders a template, stores the .docx in the object store (content-addressed
by SHA-256) and records it in the `documents` table, version n + 1 for the same template.

What the database does not know is never invented: a court's address, a seat city outside the
small table below, a missing lawyer are written as bracketed "à compléter" placeholders that the
lawyer fills in Word, and each one is listed in the returned notes.
"""

from __future__ import annotations

import asyncio
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time
from decimal import Decimal
from typing import Any, Literal

from casefile.documents.context import (
    COURT_KINDS,
    SUPPLY_FACTS,
    AmicableAttempt,
    CaseDocumentData,
    ClaimSummary,
    Company,
    Court,
    CourtKind,
    DeadlineLine,
    InterestPeriod,
    InvoiceLine,
    Party,
    Person,
    Piece,
    ReminderLine,
)
from casefile.documents.manifest import load_manifest
from casefile.documents.render import template_fields
from casefile.errors import InputError, NotFound
from casefile.evidence.bundle import BordereauLine, designation, title_of
from casefile.evidence.objects import ObjectStore
from casefile.law.money import from_cents
from casefile.law.parties import (
    NATURAL_PERSON_CATEGORIES,
    TC,
    category_of,
    court_label,
    split_legal_form,
)
from casefile.law.wording import date_fr, semester_fr
from casefile.services.users import barreau_phrase, identity
from casefile.store.courts import find_court
from casefile.store.permissions import User, require

TJ_SEATS: dict[str, str] = {
    "75": "Paris",
    "78": "Versailles",
    "92": "Nanterre",
    "93": "Bobigny",
    "94": "Créteil",
    "95": "Pontoise",
    "2A": "Ajaccio",
    "2B": "Bastia",
    "972": "Fort-de-France",
    "973": "Cayenne",
    "976": "Mamoudzou",
}
"""Departments with a single tribunal judiciaire, so the department names the court. Elsewhere
(67: Strasbourg and Saverne; 971: Pointe-à-Pitre and Basse-Terre…) the seat depends on the
debtor's commune, which the case does not record: the court is left to complete (or chosen
from the `courts` table an administrator fills)."""

ADDRESS_PLACEHOLDER = "[adresse du greffe à compléter]"
PLACE_PLACEHOLDER = "[lieu à compléter]"
LAWYER_PLACEHOLDER = "[avocat (nom, barreau) à compléter]"
COMMISSAIRE_PLACEHOLDER = "[commissaire de justice à compléter]"

_CIVILITIES: dict[str, Literal["Monsieur", "Madame"]] = {
    "m.": "Monsieur",
    "m": "Monsieur",
    "mr": "Monsieur",
    "mr.": "Monsieur",
    "monsieur": "Monsieur",
    "mme": "Madame",
    "mme.": "Madame",
    "madame": "Madame",
}
ROLE_FR = {"creditor": "créancier", "debtor": "débiteur"}


@dataclass(frozen=True)
class Missing:
    """Something a document needs that the case does not record, and where to enter it."""

    what: str  # French: "Adresse du débiteur"
    where: str  # French: "fiche du débiteur (page du dossier, rubrique Données du dossier : …)"
    fields: tuple[str, ...]  # the template fields it leaves bracketed

    def text(self) -> str:
        return f"{self.what} : à saisir — {self.where}."


@dataclass(frozen=True)
class DocumentSource:
    """The data for the templates, and what the lawyer must know about how it was built."""

    data: CaseDocumentData
    notes: tuple[str, ...]
    missing: tuple[Missing, ...] = ()


# -- building the data -------------------------------------------------------------------------


def _of(city: str) -> str:
    """French elision: "de Paris", "d'Ajaccio"."""
    return f"d'{city}" if city[0] in "AEIOUÉÈÊ" else f"de {city}"


COURT_WHERE = (
    "choisir la juridiction du dossier (page du dossier, rubrique Juridiction ; un "
    "administrateur enregistre les juridictions : page Juridictions ou « casefile court add »)"
)


def court_for(
    kind: str | None, department: str, recorded: dict[str, Any] | None = None
) -> tuple[Court, str, list[Missing], list[str]]:
    """The court, the place documents are written from, what is missing and notes. A court
    the case points to (`recorded`, see `casefile.services.courts`) gives its name, the
    greffe's address and e-mail, and its city as the place of writing."""
    notes: list[str] = []
    missing: list[Missing] = []
    court_kind: CourtKind = "tribunal_de_commerce" if kind == TC else "tribunal_judiciaire"
    if kind is not None and kind not in COURT_KINDS:
        notes.append(
            f"La procédure se déroule devant un {kind.replace('_', ' ')} : le tribunal "
            "judiciaire n'est nommé qu'à titre de juridiction compétente en cas de contestation."
        )
    if recorded is not None:
        court = Court(
            court_kind,
            recorded["name"],
            recorded["postal_address"],
            recorded["greffe_email"] or None,
        )
        if str(recorded.get("address") or "").startswith("["):
            # A court recorded with a bracketed address (the demo's examples): the pleading
            # prints it as the placeholder it is, and the address is still to be entered.
            missing.append(
                Missing(
                    f"Adresse du greffe de la juridiction « {recorded['name']} »",
                    "page Juridictions (ou « casefile court edit »), d'après l'annuaire "
                    "officiel des juridictions",
                    ("tribunal_adresse",),
                )
            )
        return court, recorded["city"], missing, notes
    label = court_label(court_kind, department)
    seat_city = TJ_SEATS.get(department)
    fields: tuple[str, ...] = ("tribunal_adresse",)
    if seat_city is not None and court_kind != TC:
        name = f"Tribunal judiciaire {_of(seat_city)}"
    else:
        name = f"[{label} compétent (département {department}) à compléter]"
        fields = ("tribunal_nom", "tribunal_titre", "tribunal_adresse")
    place = seat_city if (seat_city and court_kind != TC) else PLACE_PLACEHOLDER
    if place == PLACE_PLACEHOLDER:
        fields += ("lieu",)
    missing.append(Missing("Juridiction (nom, adresse du greffe, ville)", COURT_WHERE, fields))
    return Court(court_kind, name, ADDRESS_PLACEHOLDER), place, missing, notes


def _composed_address(row: dict[str, Any]) -> str:
    street, postcode, city = (row.get(k) or "" for k in ("street", "postcode", "city"))
    if street and city:
        country = row.get("country") or "France"
        text = f"{street}, {postcode} {city}".replace("  ", " ")
        return text if country == "France" else f"{text}, {country}"
    return (row.get("address") or "").strip()


def _party_where(role: str) -> str:
    return (
        f"fiche du {ROLE_FR[role]} (page du dossier, rubrique Données du dossier : "
        f"« Modifier le {ROLE_FR[role]} »)"
    )


def party_for(row: dict[str, Any], role: str) -> tuple[Party, list[Missing]]:
    """A stored party as the documents' `Company` or `Person`, and what it lacks. Nothing is
    refused: what the case does not record is written as a bracketed placeholder."""
    who = ROLE_FR[role]
    prefix = "creancier" if role == "creditor" else "debiteur"
    where = _party_where(role)
    missing: list[Missing] = []
    category = category_of(row.get("category"), row.get("kind"), row.get("person_or_company"))
    address = _composed_address(row)
    if not address:
        address = f"[adresse du {who} à compléter]"
        missing.append(
            Missing(
                f"Adresse du {who}",
                where,
                (f"{prefix}_designation", f"{prefix}_adresse", f"{prefix}_ville"),
            )
        )
    siren = row.get("siren") or None
    if category in NATURAL_PERSON_CATEGORIES:
        civility, first, last = _person_names(row)
        if civility is None:
            missing.append(
                Missing(
                    f"Civilité du {who} (Madame ou Monsieur)",
                    where,
                    (
                        f"{prefix}_designation",
                        f"{prefix}_nom",
                        f"{prefix}_entete",
                        f"{prefix}_signataire",
                    ),
                )
            )
        return (
            Person(
                civility=civility,
                first_name=first,
                last_name=last,
                address=address,
                professional=category != "consommateur",
                category=category,
                siren=siren,
            ),
            missing,
        )
    name, legal_form = split_legal_form(row["name"], row.get("legal_form"))
    residence = row.get("residence")
    if category == "societe" and siren is None and residence != "etranger":
        missing.append(
            Missing(
                f"SIREN du {who}",
                where,
                (f"{prefix}_designation", f"{prefix}_identification"),
            )
        )
    if category == "societe" and legal_form is None:
        missing.append(
            Missing(
                f"Forme sociale du {who} (SAS, SARL…)",
                where,
                (f"{prefix}_designation", f"{prefix}_identification"),
            )
        )
    if role == "creditor" and not row.get("representative"):
        missing.append(Missing("Représentant légal du créancier", where, ("creancier_signataire",)))
    return (
        Company(
            name=name,
            legal_form=legal_form,
            share_capital=None,
            rcs_city=row.get("rcs_city") or None,
            siren=siren,
            address=address,
            representative=row.get("representative") or None,
            category=category,
        ),
        missing,
    )


def _person_names(row: dict[str, Any]) -> tuple[Literal["Monsieur", "Madame"] | None, str, str]:
    """(civility, first name, last name): the recorded columns, else read from the name
    ("M. Karim Benali")."""
    recorded = _CIVILITIES.get((row.get("civility") or "").strip().lower())
    if row.get("first_name"):
        return recorded, row["first_name"].strip(), row["name"].strip()
    words = row["name"].split()
    civility = recorded
    if words and words[0].lower() in _CIVILITIES:
        civility = civility or _CIVILITIES[words[0].lower()]
        words = words[1:]
    if len(words) >= 2:
        return civility, words[0], " ".join(words[1:])
    return civility, "", " ".join(words)


def _decimal(text: str) -> Decimal:
    return Decimal(text)


def _claim(statement: dict[str, Any]) -> ClaimSummary:
    principal = _decimal(statement["principal_outstanding"])
    interest = _decimal(statement["interest_outstanding"])
    indemnities = _decimal(statement["indemnities"])
    return ClaimSummary(
        principal=principal,
        interest=interest,
        indemnities=indemnities,
        costs=Decimal("0.00"),
        total=principal + interest + indemnities,
        as_of=date.fromisoformat(statement["as_of"]),
        interest_periods=tuple(
            InterestPeriod(
                invoice_number=line["invoice"],
                start=date.fromisoformat(line["start"]),
                end=date.fromisoformat(line["end"]),
                base=_decimal(line["base"]),
                rate_percent=_decimal(line["rate"]),
                days=int(line["days"]),
                amount=_decimal(line["amount"]),
            )
            for line in statement["interest_lines"]
        ),
    )


def _invoices(
    claims: Sequence[dict[str, Any]], statement: dict[str, Any]
) -> tuple[InvoiceLine, ...]:
    balances = {b["number"]: b for b in statement["invoices"]}
    lines = []
    for claim in claims:
        amount = from_cents(claim["amount_cents"])
        balance = balances.get(claim["invoice_number"])
        outstanding = (
            _decimal(balance["principal_outstanding"])
            if balance
            else from_cents(claim["amount_cents"] - claim["paid_cents"])
        )
        supply = claim.get("supply") or None
        lines.append(
            InvoiceLine(
                number=claim["invoice_number"],
                issue_date=claim["issue_date"],
                due_date=claim["due_date"],
                amount=amount,
                paid=amount - outstanding,
                supply=supply if supply in SUPPLY_FACTS else None,
                settled=balance is not None and _decimal(balance["total_outstanding"]) <= 0,
            )
        )
    return tuple(lines)


def _latest_event(case: dict[str, Any], key: str) -> dict[str, Any] | None:
    matching = [e for e in case["events"] if e["key"] == key]
    return matching[-1] if matching else None


def _amicable_attempt(case: dict[str, Any], procedure: str) -> AmicableAttempt | None:
    """The latest attempt or dispense recorded under the procedure's
    `eligibility.amicable_attempt_event` (CPC art. 750-1), if it names one."""
    from casefile.definitions import engine

    key = engine().procedure(procedure).eligibility.amicable_attempt_event
    event = _latest_event(case, key) if key else None
    if event is None:
        return None
    attributes = event.get("attributes") or {}
    mode, dispense = attributes.get("mode"), attributes.get("dispense")
    return AmicableAttempt(
        date.fromisoformat(event["date"]),
        mode if isinstance(mode, str) and mode else None,
        dispense if isinstance(dispense, str) and dispense else None,
    )


def _hearing_time(event: dict[str, Any] | None) -> time | None:
    value = (event or {}).get("attributes", {}).get("heure")
    if not isinstance(value, str):
        return None
    try:
        return time.fromisoformat(value)
    except ValueError:
        return None


def _payment_deadline(case: dict[str, Any], letter_date: date) -> date:
    """The deadline the mise en demeure gives, counted from the letter's own date: the delay
    recorded on a mise en demeure of that day (attribute `delai`), else the procedure's
    default. Never an earlier letter's deadline (it would precede this letter)."""
    from casefile.definitions import engine
    from casefile.law.periods import Period, add_period

    rule = next(
        r for r in engine().procedure("amiable").deadlines if r.key == "paiement_mise_en_demeure"
    )
    period = rule.period
    same_day = [
        e
        for e in case["events"]
        if e["key"] == "mise_en_demeure_envoyee" and e["date"] == letter_date.isoformat()
    ]
    delay = (same_day[-1]["attributes"] or {}).get("delai") if same_day else None
    if isinstance(delay, str) and delay:
        period = Period.parse(delay)
    return add_period(letter_date, period)


def _pieces(
    evidence: Sequence[dict[str, Any]],
    invoices: Sequence[InvoiceLine],
    notice: date | None,
) -> tuple[tuple[Piece, ...], list[str], list[Missing]]:
    """The case's numbered pièces; without any, the invoices and the mise en demeure, numbered
    in that order (a bordereau is never empty), with a note to attach their copies."""
    numbered = [p for p in evidence if p["piece"] is not None]
    if numbered:
        pieces = tuple(
            Piece(
                number=p["piece"],
                kind=p["kind"],
                description=designation(
                    title_of(p["kind"], p.get("invoice_numbers") or (), p["description"] or ""),
                    p["description"] or "",
                ),
                date=date.fromisoformat(p["date"]) if p["date"] else None,
            )
            for p in numbered
        )
        undated = [str(p.number) for p in pieces if p.date is None]
        missing = (
            [
                Missing(
                    f"Date des pièces n° {', '.join(undated)}",
                    "rubrique Pièces de la page du dossier",
                    ("pieces",),
                )
            ]
            if undated
            else []
        )
        return pieces, [], missing
    derived = [
        Piece(n, "facture", f"Facture n° {inv.number}", inv.issue_date)
        for n, inv in enumerate(invoices, start=1)
    ]
    if notice is not None:
        derived.append(
            Piece(len(derived) + 1, "mise_en_demeure", "Lettre de mise en demeure", notice)
        )
    note = (
        f"{NO_PIECE_NOTE} : le bordereau liste les factures"
        + (" et la mise en demeure" if notice else "")
        + " enregistrées ; joindre leurs copies (rubrique Pièces)."
    )
    return tuple(derived), [note] if derived else [], []


NO_PIECE_NOTE = "Aucune pièce versée au dossier"
"""How the note on the bordereau made of the invoices starts: said only of a document that
lists the pièces (a letter has no bordereau)."""
PEOPLE_WHERE = "page Utilisateurs (administrateur) : identité professionnelle de {who}"
ASSIGN_WHERE = "page du dossier : désigner {what} (ou « casefile case assign »)"


def _bracket(label: str) -> str:
    return f"[{label} à compléter]"


async def lawyer_for(user_id: int | None) -> tuple[str, list[Missing]]:
    """How the pleadings name the case's avocat ("Maître Jeanne Martin, avocat au barreau de
    Strasbourg, toque 123"), what of it is missing and where to enter it. A case without an
    avocat, or whose lawyer is not an avocat, keeps the bracketed placeholder."""
    fields = ("avocat_nom",)
    if user_id is None:
        where = ASSIGN_WHERE.format(what="l'avocat")
        return LAWYER_PLACEHOLDER, [Missing("Avocat du dossier", where, fields)]
    person = await identity(user_id)
    where = PEOPLE_WHERE.format(who=person.name)
    if person.role != "avocat":
        return LAWYER_PLACEHOLDER, [
            Missing(
                f"Avocat du dossier ({person.name} n'est pas avocat)",
                ASSIGN_WHERE.format(what="l'avocat"),
                fields,
            )
        ]
    missing = [Missing(f"{m.capitalize()} de l'avocat", where, fields) for m in person.missing]
    name = person.person if person.full_name else f"Maître {_bracket('nom de l’avocat')}"
    text = f"{name}, avocat au " + (
        barreau_phrase(person.barreau) if person.barreau else _bracket("barreau")
    )
    if person.toque:
        text += f", toque {person.toque}"
    return text, missing


async def commissaire_for(user_id: int | None) -> tuple[str, list[Missing]]:
    """How the pleadings name the case's commissaire de justice, with the étude ("Maître Paul
    Roth (Étude Roth, 3 rue X, 67000 Strasbourg)"; the templates add "commissaire de justice")."""
    fields = ("commissaire_nom",)
    if user_id is None:
        where = ASSIGN_WHERE.format(what="le commissaire de justice")
        return COMMISSAIRE_PLACEHOLDER, [
            Missing("Commissaire de justice du dossier", where, fields)
        ]
    person = await identity(user_id)
    where = PEOPLE_WHERE.format(who=person.name)
    missing = [
        Missing(f"{m.capitalize()} du commissaire de justice", where, fields)
        for m in person.missing
    ]
    name = person.person if person.full_name else f"Maître {_bracket('nom du commissaire')}"
    etude = person.etude_name or _bracket("étude")
    address = ", ".join(
        line.strip() for line in person.etude_address.splitlines() if line.strip()
    ) or _bracket("adresse de l'étude")
    return f"{name} ({etude}, {address})", missing


RATE_WHERE = "un administrateur enregistre le taux publié, avec sa source (page Taux ou « casefile rate add »)"


def provisional_statement(semesters: Sequence[str]) -> tuple[str | None, list[Missing]]:
    """A rate not yet recorded leaves the statement provisional. The document says so in a
    bracketed placeholder, as every other gap, for the lawyer to complete in Word: a letter to
    the debtor never carries the software's instructions to its administrator (those go to the
    list of what to complete)."""
    if not semesters:
        return None, []
    periods = " et ".join(
        semester_fr(date(int(name[:4]), 1 if name.endswith("H1") else 7, 1)) for name in semesters
    )
    text = (
        f"[intérêts de retard pour {periods} à compléter : taux non encore enregistré, "
        "non comptés dans ce décompte provisoire]"
    )
    what = f"Taux des intérêts de retard pour {periods} (décompte provisoire)"
    return text, [Missing(what, RATE_WHERE, ("decompte_provisoire_texte",))]


async def case_document_data(case: int | str, actor: User, today: date) -> DocumentSource:
    """Everything a template may need, read from the stored case as of `today`."""
    from casefile.store.cases import get_case, resolve_case
    from casefile.store.statement import statement_for
    from casefile.store.tables import Claim as ClaimRow
    from casefile.store.tables import Party as PartyRow

    require(actor, "document.read")
    row = await resolve_case(case, actor)
    full = await get_case(row["id"], actor, today=today)
    parties = {p["role"]: p for p in await PartyRow.select().where(PartyRow.case == row["id"])}
    if "creditor" not in parties or "debtor" not in parties:
        raise InputError(
            f"le dossier « {row['reference']} » n'a pas de créancier ou de débiteur enregistré : "
            "renseignez-le sur la page du dossier (rubrique Données du dossier) avant d'établir "
            "un document"
        )
    recorded = await find_court(row["court_id"]) if row.get("court_id") else None
    court, place, missing, notes = court_for(row["court"], row["court_department"], recorded)
    statement = await statement_for(row, today, due_only=True)
    provisional, rate_missing = provisional_statement(statement.get("missing_semesters") or [])
    notes.extend(
        f"Décompte : {note}"
        for note in statement["notes"]
        if not (provisional and note.startswith("Décompte provisoire"))
    )
    missing.extend(rate_missing)
    payment_deadline = _payment_deadline(full, today)
    lawyer, lawyer_missing = await lawyer_for(row["lawyer"])
    commissaire, commissaire_missing = await commissaire_for(row["commissaire"])
    missing.extend(lawyer_missing + commissaire_missing)
    creditor, creditor_missing = party_for(parties["creditor"], "creditor")
    debtor, debtor_missing = party_for(parties["debtor"], "debtor")
    missing.extend(creditor_missing + debtor_missing)
    # Contested invoices are out until resolved (issue 17 item 2); those not yet due until the
    # day after their due date (no letter demands a sum before it is owed).
    not_due = [date.fromisoformat(i["due_date"]) for i in statement.get("not_due") or ()]
    contested = set(statement.get("disputed") or ()) | {
        i["invoice_number"] for i in statement.get("not_due") or ()
    }
    claims = [
        claim
        for claim in await ClaimRow.select()
        .where(ClaimRow.case == row["id"])
        .order_by(ClaimRow.due_date)
        if claim["invoice_number"] not in contested
    ]
    invoices = _invoices(claims, statement)
    owed = [i for i in invoices if not i.settled]
    if any(i.supply is None for i in owed):
        missing.append(
            Missing(
                "Nature des fournitures (marchandises, services, travaux)",
                "chaque facture du dossier (rubrique Factures)",
                ("prestations_faits", "nature_creance"),
            )
        )
    notice = date.fromisoformat(statement["notice_date"]) if statement["notice_date"] else None
    mise_en_demeure = notice if statement.get("notice_event") == "mise_en_demeure_envoyee" else None
    pieces, piece_notes, piece_missing = _pieces(full["evidence"], owed, mise_en_demeure)
    notes.extend(piece_notes)
    missing.extend(piece_missing)
    hearing = _latest_event(full, "audience")
    if hearing is not None and _hearing_time(hearing) is None:
        missing.append(
            Missing(
                "Heure de l'audience",
                "événement « audience » du dossier (attribut heure, HH:MM)",
                ("heure_audience",),
            )
        )
    ordonnance = _latest_event(full, "ordonnance_rendue")
    served = _latest_event(full, "ordonnance_signifiee")
    claim = _claim(statement)
    if claim.total <= 0 and not not_due:
        notes.append(nothing_owed(today))
    data = CaseDocumentData(
        reference=row["reference"],
        procedure=row["procedure"],
        creditor=creditor,
        debtor=debtor,
        court=court,
        lawyer_name=lawyer,
        commissaire_name=commissaire,
        claim=claim,
        place=place,
        document_date=today,
        invoices=invoices,
        pieces=pieces,
        deadlines=tuple(
            DeadlineLine(d["label"], date.fromisoformat(d["due"]), d["basis"], d["key"])
            for d in full["deadlines"]
            if d["status"] in ("pending", "uncertain", "missed")
        ),
        hearing_date=date.fromisoformat(hearing["date"]) if hearing else None,
        hearing_time=_hearing_time(hearing),
        ordonnance_date=date.fromisoformat(ordonnance["date"]) if ordonnance else None,
        service_date=date.fromisoformat(served["date"]) if served else None,
        payment_deadline=payment_deadline,
        notice_date=mise_en_demeure,
        provisional_note=provisional,
        reminders=await reminder_lines(row["id"]),
        handed_over_on=row.get("handed_over_on"),
        first_due=min(not_due) if not_due else None,
        amicable_attempt=_amicable_attempt(full, row["procedure"]),
    )
    return DocumentSource(data, tuple(notes), tuple(missing))


def nothing_owed(today: date) -> str:
    """The note of a case with nothing to claim: a letter or a pleading would demand 0,00 €."""
    return (
        f"Aucune somme due au {date_fr(today)} : aucune facture impayée n'est enregistrée "
        "(rubrique Factures) ; une mise en demeure, une requête ou une assignation réclamerait "
        "0,00\u00a0€."
    )


DONE_REMINDERS = ("envoyee", "faite")  # dunning_actions carried out (sent, call made)


async def reminder_lines(case_id: int) -> tuple[ReminderLine, ...]:
    """The reminders of the amicable phase carried out, by date (the requête and the
    assignation cite them): e-mails sent, letters marked sent, calls made."""
    from casefile.definitions import dunning
    from casefile.law.dunning import CHANNEL_LABELS
    from casefile.store.tables import DunningAction

    rows = await (
        DunningAction.select(
            DunningAction.scenario,
            DunningAction.level,
            DunningAction.channel,
            DunningAction.due_on,
            DunningAction.done_on,
        )
        .where((DunningAction.case == case_id) & DunningAction.status.is_in(list(DONE_REMINDERS)))
        .order_by(DunningAction.done_on)
        .order_by(DunningAction.id)
    )
    scenarios = dunning().scenarios
    lines = []
    for row in rows:
        scenario = scenarios.get(row["scenario"])
        level = (
            next((v for v in scenario.levels if v.key == row["level"]), None) if scenario else None
        )
        channel = CHANNEL_LABELS.get(row["channel"], row["channel"])
        if level is not None and level.registered:
            channel = "lettre recommandée avec accusé de réception"
        lines.append(
            ReminderLine(
                row["done_on"] or row["due_on"],
                channel,
                level.label if level is not None else row["level"].replace("_", " "),
            )
        )
    return tuple(lines)


def bordereau_renderer(data: CaseDocumentData) -> Callable[[Sequence[BordereauLine]], bytes]:
    """The bundle's `render_docx`: the `bordereau_pieces` template over the bundle's own lines."""
    from casefile.documents.render import render

    def render_docx(lines: Sequence[BordereauLine]) -> bytes:
        pieces = [
            Piece(
                number=line.number,
                kind="",
                description=designation(line.title, line.description),
                date=line.date,
            )
            for line in lines
        ]
        return render("bordereau_pieces", replace(data, pieces=tuple(pieces)))

    return render_docx


def missing_for(template: str, missing: Sequence[Missing]) -> list[Missing]:
    """The missing data that leave a bracketed placeholder in `template` (the fields it uses)."""
    used = template_fields(template)
    seen: set[str] = set()
    found = []
    for item in missing:
        if item.what not in seen and used & set(item.fields):
            seen.add(item.what)
            found.append(item)
    return found


# -- storing generated documents ---------------------------------------------------------------


def _title(template: str) -> str:
    spec = load_manifest().templates.get(template)
    return spec.title if spec is not None else template


def _document_dict(row: dict[str, Any], reference: str) -> dict[str, Any]:
    from casefile.evidence.names import safe_name

    return {
        "id": row["id"],
        "case": row["case"],
        "template": row["template"],
        "version": row["version"],
        "sha256": row["sha256"],
        "size": row["size"],
        "created_by": row["created_by"],
        "created_at": row["created_at"].isoformat(),
        # The document's French title, not its template key, names the file a person saves.
        "filename": safe_name(f"{reference} - {_title(row['template'])} v{row['version']}.docx"),
    }


async def create_document(
    case: int | str,
    template: str,
    actor: User,
    today: date,
    store: ObjectStore | None = None,
) -> dict[str, Any]:
    """Render `template` for the case, store the bytes, record version n + 1; with `notes`.

    When the case calls for another variant of `template` (manifest `otherwise`), that variant
    is rendered and stored under its own key, and the first note says why."""
    from casefile.documents.amicable import amicable_notes
    from casefile.documents.render import render
    from casefile.documents.selection import select_template
    from casefile.evidence.backends import open_store
    from casefile.store import audit
    from casefile.store.db import atomic
    from casefile.store.tables import Document

    require(actor, "document.write")
    source = await case_document_data(case, actor, today)
    # The variant that fits the claim (e.g. the art. 753 assignation below the avocat
    # threshold) replaces the one asked for; the returned notes say so.
    template, swapped = select_template(template, source.data)
    missing = [m.text() for m in missing_for(template, source.missing)]
    notes = source.notes
    if "pieces" not in template_fields(template):
        notes = tuple(n for n in notes if not n.startswith(NO_PIECE_NOTE))
    spec = load_manifest().template(template)
    notes = (*amicable_notes(spec, source.data), *notes)
    source = replace(source, notes=(*([swapped] if swapped else []), *missing, *notes))
    content = await asyncio.to_thread(render, template, source.data)
    target = store or open_store()
    stored = await asyncio.to_thread(target.put_stream, io.BytesIO(content))
    case_id = (await _case_row(case, actor))["id"]
    async with atomic(f"document {template} of case {case_id}"):
        count = await Document.count().where(
            (Document.case == case_id) & (Document.template == template)
        )
        rows = await Document.insert(
            Document(
                case=case_id,
                template=template,
                sha256=stored.sha256,
                size=stored.size,
                version=count + 1,
                created_by=actor.name,
                created_at=datetime.now(UTC),
            )
        )
        document_id = rows[0]["id"]
        await audit.record(
            actor,
            "document.create",
            "document",
            document_id,
            None,
            {"case": case_id, "template": template, "version": count + 1, "sha256": stored.sha256},
        )
    result = await get_document(document_id, actor)
    result["notes"] = list(source.notes)
    return result


async def _case_row(case: int | str, actor: User) -> dict[str, Any]:
    from casefile.store.cases import resolve_case

    return await resolve_case(case, actor)


async def list_documents(case: int | str, actor: User) -> list[dict[str, Any]]:
    """The case's generated documents, oldest first."""
    from casefile.store.tables import Document

    require(actor, "document.read")
    row = await _case_row(case, actor)
    rows = await Document.select().where(Document.case == row["id"]).order_by(Document.id)
    return [_document_dict(r, row["reference"]) for r in rows]


async def get_document(document_id: int, actor: User) -> dict[str, Any]:
    """One generated document, after the read check on its case."""
    from casefile.store.tables import Document

    require(actor, "document.read")
    row = await Document.select().where(Document.id == document_id).first()
    if row is None:
        raise NotFound(f"document (id {document_id}) introuvable")
    case_row = await _case_row(row["case"], actor)
    return _document_dict(row, case_row["reference"])


async def referenced_documents() -> list[tuple[str, int]]:
    """(sha256, size) of every generated document: objects `evidence verify` must not call
    orphans (documents share the object store with the pièces)."""
    from casefile.store.tables import Document

    rows = await Document.select(Document.sha256, Document.size)
    return [(r["sha256"], r["size"]) for r in rows]


__all__ = [
    "DocumentSource",
    "bordereau_renderer",
    "case_document_data",
    "court_for",
    "create_document",
    "get_document",
    "list_documents",
    "party_for",
    "referenced_documents",
]
