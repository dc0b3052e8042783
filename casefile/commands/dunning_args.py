"""The arguments of `casefile relances …` and `casefile promise add` (light: parsed before any
service is imported; the handlers live in `casefile.commands.dunning`)."""

from __future__ import annotations

from typing import Any


def register(sub: Any, add_format: Any) -> None:
    relances = sub.add_parser("relances", help="scénarios de relances amiables").add_subparsers(
        dest="action", required=True, metavar="ACTION"
    )
    p = relances.add_parser(
        "run", help="créer les relances dues aujourd'hui (comme la tâche quotidienne)"
    )
    p.add_argument("--today", help="AAAA-MM-JJ (par défaut : la date du jour)")
    p.add_argument("--case", metavar="CASE", help="seulement ce dossier")
    add_format(p)
    p.set_defaults(handler="casefile.commands.dunning:run")
    p = relances.add_parser("show", help="le scénario, les actions et les promesses d'un dossier")
    p.add_argument("case", metavar="CASE")
    p.add_argument("--today", help="AAAA-MM-JJ (par défaut : la date du jour)")
    add_format(p)
    p.set_defaults(handler="casefile.commands.dunning:show")
    p = relances.add_parser("list", help="courriers à envoyer ou appels à passer")
    p.add_argument(
        "--channel",
        choices=("courrier", "telephone"),
        default="courrier",
        help="courrier : les lettres à envoyer (par défaut) ; telephone : les appels à passer",
    )
    add_format(p)
    p.set_defaults(handler="casefile.commands.dunning:listing")
    promise = sub.add_parser("promise", help="promesses de paiement").add_subparsers(
        dest="action", required=True, metavar="ACTION"
    )
    p = promise.add_parser("add", help="enregistrer une promesse de paiement du débiteur")
    p.add_argument("case", metavar="CASE")
    p.add_argument("--amount", required=True, help="en euros, par exemple 1250.00")
    p.add_argument("--date", required=True, metavar="YYYY-MM-DD", help="payé au plus tard ce jour")
    p.add_argument("--by", help="qui a promis (nom, qualité)")
    p.add_argument(
        "--channel",
        default="telephone",
        choices=("telephone", "email", "courrier", "rendez_vous", "autre"),
        help="comment elle a été reçue",
    )
    p.add_argument("--note", help="une note libre")
    p.add_argument("--made-on", metavar="YYYY-MM-DD", help="par défaut : aujourd'hui")
    p.add_argument("--invoice", help="la facture concernée (par défaut : le solde)")
    add_format(p)
    p.set_defaults(handler="casefile.commands.dunning:promise_add")
