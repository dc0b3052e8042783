"""`casefile …` — the command line (DESIGN.md §4, a contract other tools rely on).

Thin on purpose: parse the arguments, call the core or the store, print. Each command's code
lives in `casefile/commands/` and is imported only when that command runs, so that
`casefile deadlines --batch` starts fast. Every `CasefileError` becomes one line on stderr and
exit status 2, in one place (`main`).
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from casefile.commands import dunning_args, user_args
from casefile.commands.french_parser import FrenchParser

FORMATS = ("json", "table")
if TYPE_CHECKING:  # argparse's action is generic for type checkers only
    Subcommands = argparse._SubParsersAction[FrenchParser]


def _add_format(
    parser: argparse.ArgumentParser, choices: Sequence[str] = FORMATS, default: str = "table"
) -> None:
    parser.add_argument("--format", choices=choices, default=default, help="format de sortie")


OPERATOR_HELP = (
    "l'utilisateur qui agit (nommé dans le journal) ; par défaut : CASEFILE_OPERATOR. Obligatoire "
    "pour les commandes qui modifient des données dès qu'il existe des utilisateurs"
)


def _add_operator(parser: argparse.ArgumentParser) -> None:
    """`--as NAME` after the command too; SUPPRESS keeps a `--as` given before it."""
    parser.add_argument(
        "--as", dest="operator", metavar="NAME", default=argparse.SUPPRESS, help=OPERATOR_HELP
    )


def _operator_everywhere(parser: argparse.ArgumentParser) -> None:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for child in action.choices.values():
                if not any(o == "--as" for a in child._actions for o in a.option_strings):
                    _add_operator(child)
                _operator_everywhere(child)


def _add_party_edit(sub: Subcommands) -> None:
    party = sub.add_parser("party", help="le créancier et le débiteur d'un dossier").add_subparsers(
        dest="action", required=True, metavar="ACTION"
    )
    p = party.add_parser(
        "edit", help="modifier l'identité, l'adresse ou les coordonnées d'une partie"
    )
    p.add_argument("case", metavar="CASE")
    p.add_argument(
        "--role",
        required=True,
        choices=("creditor", "debtor"),
        help="la partie à modifier : creditor (créancier) ou debtor (débiteur)",
    )
    p.add_argument("--name", help="dénomination sociale, ou nom de famille d'une personne physique")
    p.add_argument(
        "--category",
        choices=(
            "societe",
            "entrepreneur_individuel",
            "profession_liberale",
            "association",
            "consommateur",
            "personne_publique",
        ),
        help="catégorie de la partie (décide de sa désignation dans les actes)",
    )
    p.add_argument(
        "--kind",
        choices=("professionnel", "consommateur"),
        help="qualité : professionnel ou consommateur",
    )
    p.add_argument(
        "--person-or-company",
        choices=("personne", "societe"),
        help="personne physique ou société",
    )
    p.add_argument("--legal-form", help="SAS, SARL, SA, EURL…")
    p.add_argument("--siren", help="9 chiffres (clé de contrôle vérifiée)")
    p.add_argument("--siret", help="14 chiffres (clé de contrôle vérifiée)")
    p.add_argument("--rcs-city", help="ville du greffe du RCS")
    p.add_argument("--street", help="numéro et rue")
    p.add_argument("--postcode", help="code postal")
    p.add_argument("--city", help="ville")
    p.add_argument("--country", help="pays, si ce n'est pas la France")
    p.add_argument(
        "--address", help="adresse en texte libre (quand rue, code postal et ville sont inconnus)"
    )
    p.add_argument("--residence", help="code du département de résidence, ou 'etranger'")
    p.add_argument(
        "--representative", help="représentant légal, par exemple 'M. Paul Muller, gérant'"
    )
    p.add_argument("--civility", choices=("M.", "Mme", ""), help="civilité d'une personne physique")
    p.add_argument("--first-name", help="prénom d'une personne physique")
    p.add_argument("--email", help="adresse e-mail (les relances amiables y sont envoyées)")
    p.add_argument("--phone", help="téléphone")
    p.add_argument("--expected-version", type=int, help="refuser si le dossier a changé depuis")
    _add_format(p)
    p.set_defaults(handler="casefile.commands.case_data:party_edit")


def _invoice_flags(p: argparse.ArgumentParser, required: bool) -> None:
    p.add_argument(
        "--issue-date",
        required=required,
        metavar="YYYY-MM-DD",
        help="date d'émission de la facture",
    )
    p.add_argument(
        "--due-date",
        required=required,
        metavar="YYYY-MM-DD",
        help="date d'échéance : les intérêts courent le lendemain",
    )
    p.add_argument("--amount", required=required, help="TTC, par exemple 4080.00 ou '4 080,00'")
    p.add_argument("--paid", help="déjà payé quand la facture est enregistrée")
    p.add_argument(
        "--supply",
        choices=("marchandises", "services", "travaux"),
        help="nature de la fourniture (reprise dans la requête et la mise en demeure)",
    )
    p.add_argument("--description", help="objet de la facture, en clair")
    p.add_argument("--expected-version", type=int, help="refuser si le dossier a changé depuis")
    _add_format(p)


def _add_claims_and_payments(sub: Subcommands) -> None:
    claim = sub.add_parser("claim", help="une facture d'un dossier").add_subparsers(
        dest="action", required=True, metavar="ACTION"
    )
    p = claim.add_parser("add", help="ajouter une facture")
    p.add_argument("case", metavar="CASE")
    p.add_argument("--number", required=True, help="numéro de facture")
    _invoice_flags(p, required=True)
    p.set_defaults(handler="casefile.commands.case_data:claim_add")
    p = claim.add_parser(
        "edit", help="corriger une facture (désignée par son numéro ou son identifiant)"
    )
    p.add_argument("case", metavar="CASE")
    p.add_argument("invoice", metavar="INVOICE")
    p.add_argument("--number", help="nouveau numéro de facture")
    _invoice_flags(p, required=False)
    p.set_defaults(handler="casefile.commands.case_data:claim_edit")
    p = claim.add_parser("delete", help="retirer une facture")
    p.add_argument("case", metavar="CASE")
    p.add_argument("invoice", metavar="INVOICE")
    p.add_argument("--reason", help="motif (conservé dans le journal)")
    p.add_argument("--expected-version", type=int, help="refuser si le dossier a changé depuis")
    _add_format(p)
    p.set_defaults(handler="casefile.commands.case_data:claim_delete")

    payment = sub.add_parser("payment", help="paiements reçus").add_subparsers(
        dest="action", required=True, metavar="ACTION"
    )
    p = payment.add_parser("add", help="enregistrer un paiement")
    p.add_argument("case", metavar="CASE")
    p.add_argument("--date", required=True, metavar="YYYY-MM-DD", help="date de réception")
    p.add_argument("--amount", required=True, help="montant reçu, par exemple 500 ou '1 500,00'")
    p.add_argument("--invoice", help="le numéro de la facture qu'il règle, le cas échéant")
    p.add_argument("--reference", help="référence bancaire, numéro de chèque…")
    p.add_argument("--expected-version", type=int, help="refuser si le dossier a changé depuis")
    _add_format(p)
    p.set_defaults(handler="casefile.commands.case_data:payment_add")
    p = payment.add_parser("edit", help="corriger un paiement (par son numéro, voir `case show`)")
    p.add_argument("case", metavar="CASE")
    p.add_argument("id", type=int, metavar="ID")
    p.add_argument("--date", metavar="YYYY-MM-DD", help="date de réception")
    p.add_argument("--amount", help="montant reçu, par exemple 500 ou '1 500,00'")
    p.add_argument("--invoice", help="le numéro de la facture qu'il règle ('' pour aucune)")
    p.add_argument("--reference", help="référence bancaire, numéro de chèque…")
    p.add_argument("--expected-version", type=int, help="refuser si le dossier a changé depuis")
    _add_format(p)
    p.set_defaults(handler="casefile.commands.case_data:payment_edit")
    p = payment.add_parser("delete", help="retirer un paiement")
    p.add_argument("case", metavar="CASE")
    p.add_argument("id", type=int, metavar="ID")
    p.add_argument("--reason", help="motif (conservé dans le journal)")
    p.add_argument("--expected-version", type=int, help="refuser si le dossier a changé depuis")
    _add_format(p)
    p.set_defaults(handler="casefile.commands.case_data:payment_delete")


def _add_courts(
    sub: Subcommands,
    case: Subcommands,
) -> None:
    """`court add|edit|list` and `case set-court` (casefile.commands.courts)."""
    court = sub.add_parser(
        "court", help="les juridictions auxquelles les dossiers sont rattachés"
    ).add_subparsers(dest="action", required=True, metavar="ACTION")
    for action, helptext in (
        ("add", "enregistrer une juridiction"),
        ("edit", "corriger une juridiction enregistrée"),
    ):
        p = court.add_parser(action, help=helptext)
        required = action == "add"
        if not required:
            p.add_argument(
                "id",
                metavar="COURT_ID",
                help="le numéro de la juridiction (voir `casefile court list`)",
            )
        p.add_argument(
            "--name", required=required, help="par exemple 'Tribunal judiciaire de Paris'"
        )
        p.add_argument(
            "--kind",
            required=required,
            choices=("tribunal_judiciaire", "tribunal_de_commerce", "chambre_commerciale"),
            help="nature : tribunal judiciaire, tribunal de commerce, ou chambre commerciale d'un "
            "tribunal judiciaire (Alsace-Moselle)",
        )
        p.add_argument("--department", required=required, help="code du département (75, 2A, 974…)")
        p.add_argument("--address", required=required, help="rue du greffe")
        p.add_argument("--postcode", required=required, help="code postal du greffe")
        p.add_argument("--city", required=required, help="ville du greffe (lieu des actes)")
        p.add_argument("--greffe-email", help="l'adresse e-mail du greffe")
        p.add_argument("--phone", help="le téléphone du greffe")
        _add_format(p, default="table")
        p.set_defaults(handler=f"casefile.commands.courts:court_{action}")
    p = court.add_parser("list", help="lister les juridictions enregistrées")
    _add_format(p, default="table")
    p.set_defaults(handler="casefile.commands.courts:court_list")
    p = case.add_parser(
        "set-court",
        help="rattacher un dossier à une juridiction enregistrée ('none' pour l'en détacher)",
    )
    p.add_argument("case", metavar="CASE")
    p.add_argument("court", metavar="COURT_ID")
    p.add_argument("--expected-version", type=int, help="refuser si le dossier a changé depuis")
    _add_format(p, default="table")
    p.set_defaults(handler="casefile.commands.courts:case_set_court")


def _add_rates(sub: Subcommands) -> None:
    """`rate add|list` (casefile.commands.rates)."""
    rate = sub.add_parser(
        "rate", help="taux semestriels enregistrés après leur publication"
    ).add_subparsers(dest="action", required=True, metavar="ACTION")
    p = rate.add_parser("add", help="enregistrer un taux semestriel publié, avec sa source")
    p.add_argument(
        "--kind",
        required=True,
        choices=("ecb", "taux_legal_particulier", "taux_legal_autres"),
        help="ecb (taux de refinancement BCE), taux_legal_particulier (créancier personne "
        "physique hors besoins professionnels) ou taux_legal_autres (autres cas)",
    )
    p.add_argument(
        "--semester",
        required=True,
        help="semestre d'application, par exemple 2027-S1 (S1 : janvier à juin, S2 : juillet à "
        "décembre)",
    )
    p.add_argument(
        "--value",
        required=True,
        help="valeur publiée (taux annuel en %%), par exemple 2,15 (taux BCE : sans la majoration de "
        "10 points, que casefile ajoute)",
    )
    p.add_argument(
        "--source",
        required=True,
        help="adresse https:// de la publication (décision de la BCE, arrêté au Journal officiel)",
    )
    p.add_argument("--today", help="AAAA-MM-JJ (par défaut : aujourd'hui)")
    _add_format(p, default="table")
    p.set_defaults(handler="casefile.commands.rates:rate_add")
    p = rate.add_parser("list", help="les taux enregistrés, et si le semestre en cours les a")
    _add_format(p, default="table")
    p.set_defaults(handler="casefile.commands.rates:rate_list")


class _Elided:
    """The parser of a subcommand not built (`build_parser(only=…)`): every call on it, or on
    what a call returns (its arguments, groups, nested subcommands), does nothing."""

    def _nothing(self, *args: Any, **kwargs: Any) -> _Elided:
        return self

    def __getattr__(self, name: str) -> Any:
        return self._nothing


class _OnlyOne:
    """The subcommands of `build_parser(only=name)`: the parser of `name` alone is built (a
    process runs one command; building the others took a tenth to a fifth of its start)."""

    def __init__(self, sub: Any, only: str) -> None:
        self.sub, self.only, self.found = sub, only, False

    def add_parser(self, name: str, **kwargs: Any) -> Any:
        if name != self.only:
            return _Elided()
        self.found = True
        return self.sub.add_parser(name, **kwargs)


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """The command line read by a parser holding only the command it names (its help, its
    errors and its values are those of the full parser), or by the full parser when the first
    word names no command (`casefile --help`, `casefile --as …`, a misspelt command)."""
    words = list(sys.argv[1:] if argv is None else argv)
    if words and not words[0].startswith("-"):
        only = _OnlyOne(None, words[0])
        parser = build_parser(only)
        if only.found:
            return parser.parse_args(words)
    return build_parser().parse_args(words)


def build_parser(only: _OnlyOne | None = None) -> argparse.ArgumentParser:
    """Every command's parser; with `only`, the parser of its command alone (`parse_args`)."""
    parser = FrenchParser(
        prog="casefile",
        description=(
            "Recouvrement judiciaire de créances : les procédures décrites en données, les délais "
            "au jour près."
        ),
    )
    parser.add_argument("--as", dest="operator", metavar="NAME", help=OPERATOR_HELP)
    sub: Any = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    if only is not None:
        only.sub, sub = sub, only

    p = sub.add_parser(
        "deadlines",
        help=(
            "calculer les délais d'une procédure à partir d'événements datés (sans base de données)"
        ),
    )
    p.add_argument("--procedure", help="clé de la procédure, par exemple injonction_de_payer")
    p.add_argument(
        "--event",
        action="append",
        default=[],
        metavar="EVENT=YYYY-MM-DD[:attr=value,…]",
        help=(
            "un événement daté, par exemple ordonnance_signifiee=2026-02-13:a_personne=true "
            "(répétable)"
        ),
    )
    p.add_argument(
        "--court",
        choices=("tribunal_judiciaire", "tribunal_de_commerce", "commissaire_de_justice"),
        help="la juridiction saisie, quand la procédure en distingue plusieurs",
    )
    p.add_argument(
        "--court-department",
        default="75",
        help="département du siège de la juridiction (75, 2A, 67, 974…)",
    )
    p.add_argument(
        "--debtor-residence",
        help="département de résidence de la partie qui doit agir, ou 'etranger'",
    )
    p.add_argument(
        "--claim-total",
        help="montant de la créance en euros, par exemple 4200.50 (conditions de recevabilité)",
    )
    p.add_argument(
        "--today", help="AAAA-MM-JJ : les délais déjà expirés à cette date sont marqués manqués"
    )
    p.add_argument(
        "--batch",
        metavar="FILE.jsonl",
        help="une requête JSON par ligne ('-' pour l'entrée standard)",
    )
    p.add_argument(
        "--jobs",
        type=int,
        default=0,
        help=(
            "processus de calcul du lot (0 par défaut : tous les cœurs pour un lot de plus de 2 "
            "000 lignes, sinon le processus de la commande)"
        ),
    )
    p.add_argument(
        "--fields",
        metavar="key,due,status",
        help="lot : n'écrire que ces champs de chaque délai (sortie compacte ; par défaut : tous)",
    )
    _add_format(p, ("json", "table", "jsonl"))
    p.set_defaults(handler="casefile.commands.deadlines:run")

    p = sub.add_parser("check", help="valider procédures, calendriers, paramètres et modèles")
    p.set_defaults(handler="casefile.commands.check:run")

    p = sub.add_parser("procedures", help="lister les procédures et leurs délais")
    p.add_argument(
        "procedure",
        nargs="?",
        metavar="KEY",
        help="une procédure : ses événements (--event) et leurs attributs",
    )
    _add_format(p)
    p.set_defaults(handler="casefile.commands.deadlines:list_procedures")

    p = sub.add_parser("init", help="créer ou mettre à jour la base de données")
    p.set_defaults(handler="casefile.commands.cases:init")

    p = sub.add_parser("demo", help="charger un portefeuille de démonstration réaliste")
    p.add_argument(
        "--cases", type=int, default=30, help="nombre de dossiers créés (par défaut : 30)"
    )
    p.add_argument(
        "--today",
        help=(
            "AAAA-MM-JJ autour de laquelle la démonstration est construite (par défaut : la date "
            "du jour)"
        ),
    )
    p.set_defaults(handler="casefile.commands.cases:demo")

    p = sub.add_parser("serve", help="servir l'application web et l'API")
    p.add_argument("--host", default="127.0.0.1", help="adresse d'écoute (par défaut : 127.0.0.1)")
    p.add_argument("--port", type=int, default=8000, help="port d'écoute (par défaut : 8000)")
    p.set_defaults(handler="casefile.commands.serve:run")

    p = sub.add_parser("worker", help="exécuter les tâches de fond (recalculs, rappels…)")
    p.add_argument(
        "--concurrency", type=int, default=1, help="tâches menées de front (1 par défaut)"
    )
    p.add_argument("--name", default=None, help="le nom de ce processus dans les journaux")
    p.add_argument(
        "--metrics-port",
        type=int,
        default=None,
        help="servir les métriques Prometheus de ce processus sur ce port (par défaut : aucun)",
    )
    p.add_argument(
        "--metrics-host", default="127.0.0.1", help="adresse du port des métriques (127.0.0.1)"
    )
    p.set_defaults(handler="casefile.commands.worker:run")

    case = sub.add_parser("case", help="dossiers").add_subparsers(
        dest="action", required=True, metavar="ACTION"
    )
    p = case.add_parser("new", help="ouvrir un dossier")
    p.add_argument(
        "--reference", required=True, help="référence du dossier (unique), ex. STR-2027-014"
    )
    p.add_argument(
        "--procedure",
        required=True,
        help="clé de la procédure : injonction_de_payer, refere_provision, assignation_paiement, "
        "petites_creances ou amiable (voir « casefile procedures »)",
    )
    p.add_argument(
        "--court",
        required=True,
        help="tribunal_judiciaire, tribunal_de_commerce ou commissaire_de_justice (petites créances)",
    )
    p.add_argument(
        "--court-department",
        required=True,
        help="département du siège de la juridiction (75, 2A, 67, 974…) : il décide des jours fériés",
    )
    p.add_argument("--creditor", required=True, help="nom ou raison sociale du créancier")
    p.add_argument("--debtor", required=True, help="nom ou raison sociale du débiteur")
    p.add_argument(
        "--debtor-residence",
        help="département de résidence du débiteur, ou 'etranger' (délai de distance, CPC art. 643 "
        "et 644) ; par défaut : celui de la juridiction",
    )
    p.add_argument(
        "--debtor-kind",
        choices=("professionnel", "consommateur"),
        default="professionnel",
        help="qualité du débiteur (par défaut : professionnel)",
    )
    p.add_argument("--lawyer", help="nom d'utilisateur de l'avocat désigné")
    p.add_argument("--commissaire", help="nom d'utilisateur du commissaire de justice désigné")
    p.add_argument("--creditor-siren", help="SIREN (9 chiffres) d'un créancier société")
    p.add_argument(
        "--creditor-address",
        help="adresse du créancier, ex. « 2 avenue de la Gare, 67000 Strasbourg »",
    )
    p.add_argument("--debtor-siren", help="SIREN (9 chiffres) d'un débiteur société")
    p.add_argument("--debtor-address", help="adresse du débiteur (siège ou domicile)")
    _add_format(p)
    p.set_defaults(handler="casefile.commands.cases:case_new")
    p = case.add_parser("list", help="lister les dossiers")
    _add_format(p)
    p.set_defaults(handler="casefile.commands.cases:case_list")
    p = case.add_parser("show", help="afficher un dossier")
    p.add_argument("case", metavar="CASE")
    p.add_argument("--today", help="AAAA-MM-JJ (par défaut : la date du jour)")
    _add_format(p)
    p.set_defaults(handler="casefile.commands.cases:case_show")

    p = case.add_parser("advice", help="les procédures ouvertes et pourquoi ; les prescriptions")
    p.add_argument("case", metavar="CASE")
    p.add_argument("--as-of", help="AAAA-MM-JJ (par défaut : la date du jour)")
    _add_format(p)
    p.set_defaults(handler="casefile.commands.cases:case_advice")

    p = case.add_parser(
        "handover", help="passer un dossier amiable au contentieux (procédure selon l'analyse)"
    )
    p.add_argument("case", metavar="CASE")
    p.add_argument("--procedure", help="par défaut : la première procédure ouverte selon l'analyse")
    p.add_argument(
        "--today", help="AAAA-MM-JJ, date du passage au contentieux (par défaut : la date du jour)"
    )
    _add_format(p)
    p.set_defaults(handler="casefile.commands.cases:case_handover")

    event = sub.add_parser("event", help="événements d'un dossier").add_subparsers(
        dest="action", required=True, metavar="ACTION"
    )
    for name, helptext in (
        ("add", "enregistrer un événement"),
        ("edit", "modifier la date ou les attributs d'un événement"),
    ):
        p = event.add_parser(name, help=helptext)
        p.add_argument("case", metavar="CASE")
        p.add_argument("spec", metavar="EVENT=YYYY-MM-DD[:attr=value,…]")
        p.add_argument("--expected-version", type=int, help="refuser si le dossier a changé depuis")
        if name == "edit":
            p.add_argument("--reason", help="motif de la correction (journal)")
            p.add_argument("--id", type=int, help="cet événement (quand sa clé se répète)")
        _add_format(p)
        p.set_defaults(handler=f"casefile.commands.cases:event_{name}")
    p = event.add_parser("delete", help="supprimer un événement")
    p.add_argument("case", metavar="CASE")
    p.add_argument("event", metavar="EVENT")
    p.add_argument("--expected-version", type=int, help="refuser si le dossier a changé depuis")
    p.add_argument("--reason", help="motif du retrait (journal)")
    p.add_argument("--id", type=int, help="cet événement (quand sa clé se répète)")
    _add_format(p)
    p.set_defaults(handler="casefile.commands.cases:event_delete")

    claims = sub.add_parser("claims", help="créances (factures)").add_subparsers(
        dest="action", required=True, metavar="ACTION"
    )
    p = claims.add_parser("import", help="importer une balance âgée (CSV) ou un export FEC")
    p.add_argument("file", metavar="FILE")
    p.add_argument(
        "--fec",
        action="store_true",
        help="le fichier est un FEC (fichier des écritures comptables)",
    )
    p.add_argument(
        "--dry-run",
        action="store_true",
        help="tout vérifier, base de données comprise, sans rien enregistrer",
    )
    p.add_argument(
        "--skip-bad", action="store_true", help="importer les lignes correctes, signaler les autres"
    )
    p.add_argument(
        "--creditor",
        help="nom du créancier (CSV : pour les lignes sans colonne créancier ; FEC : sinon le SIREN "
        "du nom du fichier)",
    )
    p.add_argument(
        "--procedure", default="injonction_de_payer", help="procédure des nouveaux dossiers"
    )
    p.set_defaults(handler="casefile.commands.cases:claims_import")

    evidence = sub.add_parser("evidence", help="pièces").add_subparsers(
        dest="action", required=True, metavar="ACTION"
    )
    p = evidence.add_parser("add", help="ajouter une pièce à un dossier")
    p.add_argument("case", metavar="CASE")
    p.add_argument("file", metavar="FILE")
    p.add_argument(
        "--kind",
        required=True,
        help="nature de la pièce : facture, devis, bon_de_commande, contrat, mise_en_demeure, "
        "accuse_reception, acte_commissaire ou autre",
    )
    p.add_argument("--description", help="désignation de la pièce au bordereau")
    p.add_argument("--date", help="AAAA-MM-JJ : date de la pièce (au bordereau)")
    same = p.add_mutually_exclusive_group()
    same.add_argument(
        "--reuse", action="store_true", help="fichier déjà présent au dossier : garder cette pièce"
    )
    same.add_argument(
        "--force",
        action="store_true",
        help="fichier déjà présent au dossier : ajouter une seconde pièce",
    )
    _add_format(p)
    p.set_defaults(handler="casefile.commands.evidence:add")
    p = evidence.add_parser(
        "extract", help="lire le texte des pièces en attente (ou de nouveau, avec --all)"
    )
    p.add_argument("--all", action="store_true", help="relire le texte de toutes les versions")
    p.add_argument("--limit", type=int, default=1000, help="nombre maximal de versions lues (1000)")
    _add_format(p)
    p.set_defaults(handler="casefile.commands.evidence:extract")
    p = evidence.add_parser(
        "facturx", help="la facture électronique Factur-X d'une pièce et la créance qu'elle propose"
    )
    p.add_argument("case", metavar="CASE")
    p.add_argument("piece", metavar="PIECE", type=int, help="le numéro de la pièce")
    p.add_argument("--accept", action="store_true", help="créer la créance (ou lier la pièce)")
    p.add_argument(
        "--due-date", help="AAAA-MM-JJ, quand la facture n'en porte pas (profil MINIMUM)"
    )
    p.add_argument(
        "--supply",
        choices=("marchandises", "services", "travaux"),
        help="nature de la fourniture (reprise dans la requête et la mise en demeure)",
    )
    p.add_argument("--description", help="objet de la facture, en clair")
    p.add_argument("--expected-version", type=int, help="refuser si le dossier a changé depuis")
    _add_format(p)
    p.set_defaults(handler="casefile.commands.evidence:facturx")
    p = evidence.add_parser("verify", help="vérifier chaque objet stocké par son empreinte")
    p.add_argument(
        "--fix",
        action="store_true",
        help="supprimer les objets orphelins (sans enregistrement, de plus d'une heure)",
    )
    _add_format(p)
    p.set_defaults(handler="casefile.commands.evidence:verify")
    p = evidence.add_parser(
        "mirror",
        help="copier tous les objets vers ou depuis un autre stockage (sauvegarde, restauration)",
    )
    side = p.add_mutually_exclusive_group(required=True)
    side.add_argument("--to", dest="target", help="file://CHEMIN ou s3://BUCKET vers lequel copier")
    side.add_argument(
        "--from", dest="source", help="file://CHEMIN ou s3://BUCKET depuis lequel copier"
    )
    _add_format(p)
    p.set_defaults(handler="casefile.commands.evidence:mirror")

    p = sub.add_parser(
        "bundle",
        help=(
            "les pièces du dossier avec le bordereau : ZIP, ou le dossier de plaidoirie tamponné "
            "(PDF)"
        ),
    )
    p.add_argument("case", metavar="CASE")
    p.add_argument(
        "--format",
        choices=("zip", "pdf"),
        default="zip",
        help=(
            "zip (par défaut) : bordereau + fichiers ; pdf : un seul PDF, bordereau en tête, pages "
            "tamponnées"
        ),
    )
    p.add_argument("-o", "--output", required=True, help="fichier à écrire (.zip ou .pdf)")
    p.set_defaults(handler="casefile.commands.evidence:bundle")

    p = sub.add_parser("render", help="générer un acte ou un document d'un dossier")
    p.add_argument("case", metavar="CASE")
    p.add_argument(
        "template",
        metavar="TEMPLATE",
        nargs="?",
        help="le modèle, par exemple mise_en_demeure ou requete_injonction_tj (« --check » liste "
        "ceux du dossier)",
    )
    p.add_argument(
        "-o", "--output", help="fichier .docx à écrire (par défaut : le nom du document)"
    )
    p.add_argument(
        "--check",
        action="store_true",
        help="indiquer, pour chaque document proposé, ce qui manque au dossier (rien n'est généré)",
    )
    p.add_argument("--today", help="AAAA-MM-JJ : date du document et de son décompte")
    p.set_defaults(handler="casefile.commands.documents:render")

    p = sub.add_parser("ics", help="export iCalendar des délais d'un dossier")
    p.add_argument("case", metavar="CASE")
    p.add_argument("-o", "--output", help="fichier .ics à écrire (par défaut : la sortie standard)")
    p.set_defaults(handler="casefile.commands.calendar:case_ics")

    feed = sub.add_parser("feed", help="adresses d'abonnement aux agendas (flux iCalendar)")
    feeds = feed.add_subparsers(dest="action", required=True, metavar="ACTION")
    p = feeds.add_parser(
        "new", help="une nouvelle adresse d'abonnement secrète (https et webcal://)"
    )
    scope = p.add_mutually_exclusive_group(required=True)
    scope.add_argument("--case", metavar="CASE", help="un dossier (identifiant ou référence)")
    scope.add_argument(
        "--lawyer", metavar="NAME", help="le portefeuille d'un avocat (nom d'utilisateur)"
    )
    scope.add_argument(
        "--commissaire",
        metavar="NAME",
        help="les actes d'un commissaire de justice (nom d'utilisateur)",
    )
    p.add_argument("--label", default="", help="une note pour reconnaître l'abonnement")
    _add_format(p)
    p.set_defaults(handler="casefile.commands.calendar:feed_new")
    p = feeds.add_parser("list", help="lister les abonnements (jamais leurs jetons)")
    _add_format(p)
    p.set_defaults(handler="casefile.commands.calendar:feed_list")
    p = feeds.add_parser("revoke", help="révoquer un abonnement : son adresse répond désormais 404")
    p.add_argument("id", type=int, metavar="ID")
    p.set_defaults(handler="casefile.commands.calendar:feed_revoke")

    plan = sub.add_parser("plan", help="échéanciers")
    plans = plan.add_subparsers(dest="action", required=True, metavar="ACTION")
    p = plans.add_parser("new", help="accorder un échéancier ; ses échéances deviennent des délais")
    p.add_argument("case", metavar="CASE")
    p.add_argument("--total", required=True, help="montant en euros, par exemple 4200.50")
    p.add_argument("--count", type=int, required=True, help="nombre d'échéances mensuelles")
    p.add_argument(
        "--first-due", required=True, metavar="YYYY-MM-DD", help="date de la première échéance"
    )
    p.add_argument(
        "--kind",
        choices=("judiciaire", "conventionnel"),
        default="judiciaire",
        help="judiciaire (délais de grâce, C. civ. art. 1343-5 ; par défaut) ou conventionnel "
        "(convenu avec le débiteur)",
    )
    p.add_argument(
        "--grace-days",
        type=int,
        default=0,
        help="jours après une échéance avant la déchéance du terme",
    )
    p.add_argument(
        "--granted-on",
        metavar="YYYY-MM-DD",
        help="date de la décision ou de l'accord (par défaut : aujourd'hui)",
    )
    _add_format(p)
    p.set_defaults(handler="casefile.commands.calendar:plan_new")
    p = plans.add_parser("show", help="les échéanciers d'un dossier et où ils en sont")
    p.add_argument("case", metavar="CASE")
    p.add_argument("--today", help="AAAA-MM-JJ (par défaut : la date du jour)")
    _add_format(p)
    p.set_defaults(handler="casefile.commands.calendar:plan_show")

    law = sub.add_parser(
        "law", help="l'effet d'un changement des données juridiques"
    ).add_subparsers(dest="action", required=True, metavar="ACTION")
    p = law.add_parser(
        "impact",
        help=(
            "dossiers en cours dont des données juridiques proposées changeraient les délais ou "
            "les montants"
        ),
    )
    p.add_argument(
        "--proposed",
        metavar="DIR|GIT_REV",
        help="un dossier contenant procedures/ et calendars/, ou une révision git du dépôt",
    )
    p.add_argument(
        "--today",
        help=(
            "AAAA-MM-JJ, date à laquelle statuts et montants sont appréciés (par défaut : "
            "aujourd'hui)"
        ),
    )
    p.add_argument(
        "--apply",
        action="store_true",
        help="recalculer les dossiers selon les données en service (comme `law apply`)",
    )
    p.add_argument(
        "--reason",
        help="avec --apply : motif du changement des données juridiques (décret, correction…)",
    )
    _add_format(p)
    p.set_defaults(handler="casefile.commands.law:impact")
    p = law.add_parser(
        "apply",
        help=(
            "recalculer les dossiers en cours selon les données juridiques en service, en "
            "consignant le motif"
        ),
    )
    p.add_argument(
        "--reason",
        required=True,
        help="motif du changement des données juridiques (décret, correction…)",
    )
    _add_format(p)
    p.set_defaults(handler="casefile.commands.law:apply")

    user = sub.add_parser("user", help="utilisateurs").add_subparsers(
        dest="action", required=True, metavar="ACTION"
    )
    user_args.register(user, case)
    p = user.add_parser(
        "prefs", help="les rappels par e-mail d'un utilisateur (récapitulatif, alertes)"
    )
    p.add_argument("name")
    p.add_argument("--email", help="l'adresse où partent les rappels")
    p.add_argument(
        "--digest", action=argparse.BooleanOptionalAction, help="récapitulatif quotidien"
    )
    p.add_argument("--digest-days", type=int, help="jours couverts par le récapitulatif (1-60)")
    p.add_argument(
        "--alerts", action=argparse.BooleanOptionalAction, help="alertes avant les délais"
    )
    p.add_argument("--alert-days", type=int, help="jours avant un délai où part son alerte (0-60)")
    _add_format(p)
    p.set_defaults(handler="casefile.commands.reminders:prefs")
    dunning_args.register(sub, _add_format)
    _add_party_edit(sub)
    _add_claims_and_payments(sub)
    _add_courts(sub, case)
    _add_rates(sub)
    _operator_everywhere(parser)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    from casefile import gc_pause
    from casefile.errors import CasefileError

    gc_pause.tune()
    args = parse_args(argv)
    module_name, _, function_name = args.handler.partition(":")
    try:
        handler = getattr(importlib.import_module(module_name), function_name)
        return int(handler(args) or 0)
    except CasefileError as error:
        print(f"casefile : erreur : {error}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0
    except KeyboardInterrupt:
        return 130
    except Exception as error:
        # A database that does not answer (refused, dropped, locked, missing) is an
        # operator's problem to fix, not a bug: one line, no traceback.
        from casefile.store.db import unavailable

        outage = unavailable(error)
        if outage is None:
            raise
        print(f"casefile : erreur : {outage}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
