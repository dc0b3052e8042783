"""A realistic demo portfolio, dated around `today`: `casefile demo` (and `make run`).

About 30 cases across the four procedures and the amicable phase, in metropolitan France,
Alsace-Moselle (Strasbourg, Metz), the overseas departments (Pointe-à-Pitre, Saint-Denis de La
Réunion) and with a debtor abroad; some deadlines already missed as of `today`. Idempotent:
users, courts and cases that exist (by name, by reference) are left as they are.

A few courts, so that a newcomer's first pleading can name one: the project has no sourced
list of the courts' addresses (docs/templates.md, "Courts"), so these are examples, and say
so in their name and in the bracketed address that a pleading prints — never an address
presented as the real one. The documents list that address as still to complete.

The demo users' password is "demo": for a demonstration database only, never in production.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from casefile.errors import Conflict
from casefile.law.parties import split_legal_form
from casefile.services import cases, courts
from casefile.services.cases import InvoiceIn, NewCase, PartyIn, PaymentIn
from casefile.store.db import atomic
from casefile.store.permissions import SYSTEM
from casefile.store.tables import Case, Court, UserAccount
from casefile.store.users import create_user

DEMO_PASSWORD = "demo"
DEMO_USERS = (
    ("admin", "admin"),
    ("avocat", "avocat"),
    ("credit_manager", "credit_manager"),
    ("commissaire", "commissaire_de_justice"),
)
# Fictitious people, so that the demo's documents designate persons, not logins.
DEMO_PROFILES: dict[str, dict[str, str]] = {
    "admin": {"full_name": "Sophie Roth"},
    "avocat": {
        "full_name": "Claire Lefèvre",
        "barreau": "Strasbourg",
        "toque": "123",
        "email": "c.lefevre@avocat.example",
    },
    "credit_manager": {"full_name": "Thomas Keller", "email": "t.keller@brasserie.example"},
    "commissaire": {
        "full_name": "Marc Weber",
        "etude_name": "SELARL Weber, commissaires de justice associés",
        "etude_address": "1 place de l'Exemple, 67000 Strasbourg",
    },
}

# (key, days before today, attributes)
Step = tuple[str, int, dict[str, Any]]


@dataclass(frozen=True)
class Scenario:
    procedure: str
    court: str | None
    department: str
    creditor: str
    debtor: str
    debtor_kind: str
    residence: str | None
    invoices: tuple[tuple[str, int], ...]  # (amount TTC, days before today it was issued)
    steps: tuple[Step, ...]
    paid: str = "0"
    payment: str | None = None


def _siren(seed: int) -> str:
    """A valid SIREN (Luhn key) derived from `seed`."""
    body = f"{(seed * 7919 + 31_000_000) % 100_000_000:08d}"
    for check in range(10):
        digits = body + str(check)
        total = 0
        for index, char in enumerate(reversed(digits)):
            value = int(char) * (2 if index % 2 else 1)
            total += value - 9 if value > 9 else value
        if total % 10 == 0:
            return digits
    raise AssertionError("unreachable: one check digit always fits")


IP, REFERE, ASSIGNATION, PETITES, AMIABLE = (
    "injonction_de_payer",
    "refere_provision",
    "assignation_paiement",
    "petites_creances",
    "amiable",
)
TJ, TC, CJ = "tribunal_judiciaire", "tribunal_de_commerce", "commissaire_de_justice"
PRO, CONSO = "professionnel", "consommateur"
YES: dict[str, Any] = {"a_personne": "true"}
NO: dict[str, Any] = {"a_personne": "false"}

SCENARIOS: tuple[Scenario, ...] = (
    # Injonction de payer: from the requête to the opposition period, some overdue.
    Scenario(
        IP,
        TC,
        "67",
        "Brasserie de l'Ill SAS",
        "Winstub Muller SARL",
        PRO,
        None,
        (("1234.56", 240), ("2480.00", 210)),
        (
            ("requete_deposee", 150, {}),
            ("ordonnance_rendue", 120, {}),
            ("ordonnance_signifiee", 40, YES),
        ),
    ),
    Scenario(
        IP,
        TJ,
        "971",
        "Rhum Vieux Guadeloupe SA",
        "Épicerie Jabrun",
        CONSO,
        None,
        (("842.10", 300),),
        (("ordonnance_rendue", 100, {}), ("ordonnance_signifiee", 20, YES)),
    ),
    Scenario(
        IP,
        TC,
        "971",
        "Transports Caraïbes SAS",
        "Island Trading Ltd",
        PRO,
        "etranger",
        (("15400.00", 260),),
        (("ordonnance_rendue", 90, {}), ("ordonnance_signifiee", 60, NO)),
    ),
    Scenario(
        IP,
        TC,
        "75",
        "Imprimerie du Marais SARL",
        "Agence Lumière SAS",
        PRO,
        None,
        (("3120.00", 400), ("960.00", 380)),
        (("ordonnance_rendue", 200, {}),),
    ),
    Scenario(
        IP,
        TJ,
        "69",
        "Clinique vétérinaire des Brotteaux",
        "M. Karim Benali",
        CONSO,
        None,
        (("640.00", 500),),
        (
            ("ordonnance_rendue", 210, {}),
            ("ordonnance_signifiee", 170, NO),
            ("premier_acte_a_personne", 25, {}),
        ),
    ),
    Scenario(
        IP,
        TC,
        "57",
        "Aciéries de Lorraine SA",
        "Chaudronnerie Weber SARL",
        PRO,
        None,
        (("27800.00", 330),),
        (
            ("ordonnance_rendue", 80, {}),
            ("ordonnance_signifiee", 28, YES),
            ("opposition_formee", 10, {}),
        ),
    ),
    Scenario(
        IP,
        TJ,
        "974",
        "Pharmacie du Barachois",
        "Mme Nadia Payet",
        CONSO,
        None,
        (("389.90", 200),),
        (("requete_deposee", 12, {}),),
    ),
    # Référé-provision
    Scenario(
        REFERE,
        TC,
        "13",
        "Fournitures Marseillaises SAS",
        "Restaurant Le Vieux-Port SARL",
        PRO,
        None,
        (("18950.00", 280),),
        (
            ("assignation_signifiee", 70, {}),
            ("audience", 45, {}),
            ("ordonnance_rendue", 30, {}),
            ("ordonnance_signifiee", 20, YES),
        ),
    ),
    Scenario(
        REFERE,
        TJ,
        "67",
        "Bâtiment Rhénan SAS",
        "SCI Les Tanneurs",
        PRO,
        None,
        (("42000.00", 300),),
        (("assignation_signifiee", 25, {}), ("audience", -12, {})),
    ),
    Scenario(
        REFERE,
        TC,
        "33",
        "Vignobles Médocains SCEA",
        "Wine Imports GmbH",
        PRO,
        "etranger",
        (("9600.00", 220),),
        (
            ("assignation_signifiee", 90, {}),
            ("ordonnance_rendue", 40, {}),
            ("ordonnance_signifiee", 35, NO),
        ),
    ),
    Scenario(
        REFERE,
        TC,
        "971",
        "Matériaux Antilles SAS",
        "BTP Basse-Terre SARL",
        PRO,
        None,
        (("12300.00", 190),),
        (("assignation_signifiee", 40, {}), ("ordonnance_rendue", 18, {})),
    ),
    # Assignation en paiement (tribunal judiciaire and tribunal de commerce)
    Scenario(
        ASSIGNATION,
        TJ,
        "75",
        "Cabinet Dentaire Opéra",
        "M. Julien Moreau",
        CONSO,
        None,
        (("7450.00", 420),),
        (
            ("date_audience_obtenue", 60, {}),
            ("assignation_signifiee", 45, YES),
            ("audience", -10, {}),
        ),
    ),
    Scenario(
        ASSIGNATION,
        TC,
        "67",
        "Transports Kieffer SA",
        "Logistique Hanau SARL",
        PRO,
        None,
        (("31200.00", 360), ("8800.00", 330)),
        (("assignation_signifiee", 50, YES), ("audience", -20, {})),
    ),
    Scenario(
        ASSIGNATION,
        TC,
        "59",
        "Textiles du Nord SA",
        "Mode & Cie SAS",
        PRO,
        None,
        (("56700.00", 500),),
        (
            ("assignation_signifiee", 160, YES),
            ("audience", 120, {}),
            ("jugement_rendu", 70, {"par_defaut": "false"}),
            ("jugement_signifie", 25, YES),
        ),
    ),
    Scenario(
        ASSIGNATION,
        TJ,
        "971",
        "Concession Auto Jarry",
        "M. Teddy Lacroix",
        CONSO,
        None,
        (("14900.00", 450),),
        (
            ("assignation_signifiee", 200, NO),
            ("audience", 150, {}),
            ("jugement_rendu", 100, {"par_defaut": "true"}),
        ),
    ),
    Scenario(
        ASSIGNATION,
        TC,
        "06",
        "Hôtellerie Azur SAS",
        "Event Monaco SAM",
        PRO,
        "etranger",
        (("23800.00", 380),),
        (("assignation_signifiee", 30, NO), ("audience", -45, {})),
    ),
    Scenario(
        ASSIGNATION,
        TJ,
        "2A",
        "Marine Services Ajaccio",
        "M. Paul Santoni",
        CONSO,
        None,
        (("6200.00", 300),),
        (
            ("assignation_signifiee", 90, YES),
            ("audience", 40, {}),
            ("jugement_rendu", 15, {"par_defaut": "false"}),
        ),
    ),
    # Procédure simplifiée de recouvrement des petites créances (≤ 5 000 €)
    Scenario(
        PETITES,
        CJ,
        "67",
        "Librairie Kléber SARL",
        "Mme Claire Schmitt",
        CONSO,
        None,
        (("420.00", 150),),
        (("mandat_commissaire", 50, {}), ("invitation_envoyee", 45, {})),
    ),
    Scenario(
        PETITES,
        CJ,
        "971",
        "Garage Pointe-à-Pitre Auto",
        "M. Rudy Célestin",
        CONSO,
        None,
        (("1380.00", 200),),
        (("mandat_commissaire", 30, {}), ("invitation_envoyee", 20, {})),
    ),
    Scenario(
        PETITES,
        CJ,
        "44",
        "Menuiserie Nantaise SARL",
        "Crêperie du Bouffay SARL",
        PRO,
        None,
        (("2950.00", 180),),
        (
            ("mandat_commissaire", 40, {}),
            ("invitation_envoyee", 35, {}),
            ("accord_debiteur", 10, {}),
        ),
    ),
    Scenario(
        PETITES,
        CJ,
        "31",
        "Informatique Capitole SAS",
        "Mme Léa Garcia",
        CONSO,
        None,
        (("760.00", 120),),
        (("mandat_commissaire", 5, {}),),
    ),
    # Amicable phase: mise en demeure and the prescription watch.
    Scenario(
        AMIABLE,
        None,
        "67",
        "Cave de Ribeauvillé SCA",
        "Restaurant Au Cerf SARL",
        PRO,
        None,
        (("1580.00", 80), ("2210.00", 60)),
        (
            ("exigibilite", 50, {"debiteur": "professionnel"}),
            ("mise_en_demeure_envoyee", 20, {"delai": "8 days"}),
        ),
    ),
    Scenario(
        AMIABLE,
        None,
        "75",
        "Électricité Générale Paris SARL",
        "M. Antoine Lefèvre",
        CONSO,
        None,
        (("980.00", 700),),
        (("exigibilite", 690, {"debiteur": "consommateur"}),),
    ),
    Scenario(
        AMIABLE,
        None,
        "971",
        "Distribution Karukera SAS",
        "Snack Le Gosier",
        PRO,
        None,
        (("3400.00", 1790),),
        (("exigibilite", 1780, {"debiteur": "professionnel"}),),
    ),
    Scenario(
        AMIABLE,
        None,
        "13",
        "Location Matériel Provence",
        "Chantiers Méditerranée SARL",
        PRO,
        None,
        (("5200.00", 100),),
        (
            ("exigibilite", 70, {"debiteur": "professionnel"}),
            ("mise_en_demeure_envoyee", 5, {"delai": "15 days"}),
        ),
        payment="1000.00",
    ),
    Scenario(
        AMIABLE,
        None,
        "64",
        "Pyrénées Agro SAS",
        "Agroalimentos Navarra SL",
        PRO,
        "etranger",
        (("8700.00", 150),),
        (("exigibilite", 120, {"debiteur": "professionnel"}),),
    ),
    Scenario(
        IP,
        TC,
        "68",
        "Tissages de Mulhouse SA",
        "Confection Vosges SARL",
        PRO,
        None,
        (("4100.00", 260),),
        (("ordonnance_rendue", 190, {}),),
    ),
    Scenario(
        IP,
        TJ,
        "972",
        "Électroménager Martinique",
        "Mme Sandrine Rosier",
        CONSO,
        None,
        (("1150.00", 240),),
        (("ordonnance_rendue", 60, {}), ("ordonnance_signifiee", 15, NO)),
    ),
    Scenario(
        REFERE,
        TC,
        "67",
        "Chauffage Alsacien SAS",
        "Hôtel du Rhin SARL",
        PRO,
        None,
        (("8450.00", 160),),
        (("assignation_signifiee", 8, {}),),
    ),
    Scenario(
        ASSIGNATION,
        TC,
        "35",
        "Conserverie Bretonne SA",
        "Épiceries Fines Rennes SAS",
        PRO,
        None,
        (("11200.00", 240),),
        (("date_audience_obtenue", 10, {}),),
    ),
)


async def _users() -> list[tuple[str, str]]:
    existing = {row["name"] for row in await UserAccount.select(UserAccount.name)}
    for name, role in DEMO_USERS:
        if name not in existing:
            await create_user(name, role, DEMO_PASSWORD, profile=DEMO_PROFILES.get(name))
    return list(DEMO_USERS)


EXAMPLE_ADDRESS = "[adresse d'exemple : saisir l'adresse réelle du greffe]"
"""The street line of a demo court: bracketed, as every placeholder a pleading prints."""
DEMO_COURTS = (
    courts.CourtIn(
        "Tribunal judiciaire de Strasbourg (exemple)",
        TJ,
        "67",
        EXAMPLE_ADDRESS,
        "67000",
        "Strasbourg",
    ),
    courts.CourtIn(
        "Tribunal judiciaire de Strasbourg, chambre commerciale (exemple)",
        "chambre_commerciale",
        "67",
        EXAMPLE_ADDRESS,
        "67000",
        "Strasbourg",
    ),
    courts.CourtIn(
        "Tribunal judiciaire de Paris (exemple)", TJ, "75", EXAMPLE_ADDRESS, "75009", "Paris"
    ),
    courts.CourtIn(
        "Tribunal de commerce de Bordeaux (exemple)", TC, "33", EXAMPLE_ADDRESS, "33000", "Bordeaux"
    ),
)


async def _courts() -> list[dict[str, Any]]:
    """The example courts, created once (by name); returns every recorded court."""
    existing = {row["name"] for row in await Court.select(Court.name)}
    for court in DEMO_COURTS:
        if court.name not in existing:
            await courts.add_court(court, SYSTEM)
    return await courts.list_courts(SYSTEM)


def _court_of(s: Scenario, recorded: list[dict[str, Any]]) -> int | None:
    """The example court a new demo case points to: one of its department whose kind fits its
    procedure (none for the amicable phase: no court yet)."""
    if s.procedure == AMIABLE:
        return None
    names = {c.name for c in DEMO_COURTS}
    return next(
        (
            c["id"]
            for c in recorded
            if c["name"] in names
            and c["department"] == s.department
            and courts.court_fits(s.court, c["kind"])
        ),
        None,
    )


async def load_demo(today: date, cases: int = 30) -> dict[str, Any]:
    """Create the demo users, the example courts and up to `cases` cases (DEMO-001…);
    returns what was done."""
    users = await _users()
    recorded = await _courts()
    references = {row["reference"] for row in await Case.select(Case.reference)}
    created = existing = 0
    for index in range(cases):
        scenario = SCENARIOS[index % len(SCENARIOS)]
        reference = f"DEMO-{index + 1:03d}"
        if reference in references:
            existing += 1
            continue
        try:
            async with atomic(f"demo case {reference}"):
                await _create(reference, scenario, index, today, _court_of(scenario, recorded))
        except Conflict:
            existing += 1  # created meanwhile by another run
            continue
        created += 1
    return {
        "created": created,
        "existing": existing,
        "users": users,
        "courts": [c["name"] for c in recorded if c["name"] in {d.name for d in DEMO_COURTS}],
    }


SERVICES_WORDS = ("cabinet", "clinique", "pharmacie", "informatique", "transports", "location",
                  "hôtellerie", "marine", "électricité", "garage", "imprimerie")  # fmt: skip
WORKS_WORDS = ("bâtiment", "chauffage", "menuiserie")
CITIES = {
    "13": ("13001", "Marseille"), "2A": ("20000", "Ajaccio"), "31": ("31000", "Toulouse"),
    "33": ("33000", "Bordeaux"), "35": ("35000", "Rennes"), "44": ("44000", "Nantes"),
    "57": ("57000", "Metz"), "59": ("59000", "Lille"), "64": ("64000", "Pau"),
    "67": ("67000", "Strasbourg"), "68": ("68100", "Mulhouse"), "69": ("69006", "Lyon"),
    "06": ("06000", "Nice"), "75": ("75009", "Paris"), "971": ("97110", "Pointe-à-Pitre"),
    "972": ("97200", "Fort-de-France"), "974": ("97400", "Saint-Denis"),
}  # fmt: skip
"""A plausible postcode and city per demo department (demo addresses only)."""


def _supply(creditor: str) -> str:
    """The nature of the demo creditor's supplies, from its trade."""
    name = creditor.lower()
    if any(word in name for word in WORKS_WORDS):
        return "travaux"
    if any(word in name for word in SERVICES_WORDS):
        return "services"
    return "marchandises"


def _party(name: str, kind: str, department: str, number: int, **extra: Any) -> PartyIn:
    """A demo party with an address, and a civility and first name for a natural person."""
    postcode, city = CITIES.get(department, ("75009", "Paris"))
    words = name.split()
    if words[0] in ("M.", "Mme"):
        return PartyIn(
            name=" ".join(words[2:]),
            civility=words[0],
            first_name=words[1],
            category="consommateur",
            street=f"{number} rue de la République",
            postcode=postcode,
            city=city,
            **extra,
        )
    bare, form = split_legal_form(name)
    return PartyIn(
        name=bare,
        kind=kind,
        legal_form=form or "",
        street=f"{number} avenue de la Gare",
        postcode=postcode,
        city=city,
        **extra,
    )


def _demo_email(name: str) -> str:
    """A fictitious address on a reserved domain (RFC 2606 `.example`): nothing is ever sent
    to a real person, and nothing at all until CASEFILE_SMTP_URL is set."""
    person = name.split()[0] in ("M.", "Mme")
    words = name.split()[1:] if person else split_legal_form(name)[0].split()
    plain = [
        "".join(c for c in unicodedata.normalize("NFKD", w.lower()) if c.isalnum()) for w in words
    ]
    if person:
        return f"{'.'.join(plain)}@courriel.example"
    return f"comptabilite@{'-'.join(plain)}.example"


def _weekday(day: date) -> date:
    """A hearing is never on a week-end: Saturday and Sunday move to Monday."""
    return day + timedelta(days=(7 - day.weekday()) % 7 if day.weekday() >= 5 else 0)


async def _create(
    reference: str, s: Scenario, index: int, today: date, court_id: int | None
) -> None:
    suffix = "" if index < len(SCENARIOS) else f" ({index // len(SCENARIOS) + 1})"
    company = s.debtor_kind == PRO
    abroad = s.residence == "etranger"
    # One creditor, one identity: the cases beyond the scenarios (`--cases 60`) repeat their
    # creditor's SIREN and address, as a company's cases do (and an import finds it).
    scenario = index % len(SCENARIOS)
    creditor = _party(
        s.creditor,
        PRO,
        s.department,
        2 + scenario,
        siren=_siren(scenario),
        representative="Madame Claire Martin, présidente",
    )
    debtor = _party(
        s.debtor + suffix,
        s.debtor_kind,
        "75" if abroad else s.department,
        10 + index,
        siren=_siren(1000 + index) if company and not abroad else None,
        residence=s.residence,
    )
    if abroad:
        debtor = replace(debtor, street="", postcode="", city="", address="")
    if s.procedure == AMIABLE:  # reminders go by e-mail first: the debtor has an address
        debtor = replace(debtor, email=_demo_email(s.debtor))
    data = NewCase(
        reference=reference,
        procedure=s.procedure,
        court=s.court,
        court_department=s.department,
        creditor=creditor,
        debtor=debtor,
        lawyer="avocat" if s.procedure != PETITES else None,
        commissaire="commissaire" if s.procedure in (PETITES, IP) else None,
    )
    case = await cases.create_case(data, SYSTEM)
    if court_id is not None:
        await courts.set_case_court(case["id"], court_id, SYSTEM)
    for number, (amount, age) in enumerate(s.invoices, start=1):
        issued = today - timedelta(days=age)
        await cases.add_claim(
            case["id"],
            InvoiceIn(
                invoice_number=f"{reference}-F{number:02d}",
                issue_date=issued,
                due_date=issued + timedelta(days=30),
                amount=Decimal(amount),
                paid=Decimal(s.paid),
                supply=_supply(s.creditor),
            ),
            SYSTEM,
        )
    if s.payment:
        await cases.add_payment(
            case["id"], PaymentIn(today - timedelta(days=3), Decimal(s.payment)), SYSTEM
        )
    for key, days_before, attributes in s.steps:
        day = today - timedelta(days=days_before)
        if key == "audience":
            day = _weekday(day)
            attributes = {**attributes, "heure": "09:30"}
        await cases.add_event(case["id"], key, day, attributes, SYSTEM)
