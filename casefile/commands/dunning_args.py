"""The arguments of `casefile relances …` and `casefile promise add` (light: parsed before any
service is imported; the handlers live in `casefile.commands.dunning`)."""

from __future__ import annotations

from typing import Any


def register(sub: Any, add_format: Any) -> None:
    relances = sub.add_parser(
        "relances", help="reminder scenarios (relances amiables)"
    ).add_subparsers(dest="action", required=True, metavar="ACTION")
    p = relances.add_parser("run", help="create the reminder actions due today (as the daily job)")
    p.add_argument("--today", help="YYYY-MM-DD (default: the real date)")
    p.add_argument("--case", metavar="CASE", help="only this case")
    add_format(p)
    p.set_defaults(handler="casefile.commands.dunning:run")
    p = relances.add_parser("show", help="a case's scenario, actions and promises")
    p.add_argument("case", metavar="CASE")
    p.add_argument("--today", help="YYYY-MM-DD (default: the real date)")
    add_format(p)
    p.set_defaults(handler="casefile.commands.dunning:show")
    p = relances.add_parser("list", help="letters to send or calls to make")
    p.add_argument("--channel", choices=("courrier", "telephone"), default="courrier")
    add_format(p)
    p.set_defaults(handler="casefile.commands.dunning:listing")
    promise = sub.add_parser("promise", help="promises to pay").add_subparsers(
        dest="action", required=True, metavar="ACTION"
    )
    p = promise.add_parser("add", help="record a debtor's promise to pay")
    p.add_argument("case", metavar="CASE")
    p.add_argument("--amount", required=True, help="euros, e.g. 1250.00")
    p.add_argument("--date", required=True, metavar="YYYY-MM-DD", help="paid by this day")
    p.add_argument("--by", help="who promised (name, capacity)")
    p.add_argument(
        "--channel",
        default="telephone",
        choices=("telephone", "email", "courrier", "rendez_vous", "autre"),
        help="how it was received",
    )
    p.add_argument("--note")
    p.add_argument("--made-on", metavar="YYYY-MM-DD", help="default: today")
    p.add_argument("--invoice", help="the invoice it covers (default: the balance)")
    add_format(p)
    p.set_defaults(handler="casefile.commands.dunning:promise_add")
