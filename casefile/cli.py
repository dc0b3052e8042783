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

from casefile.commands import dunning_args, user_args

FORMATS = ("json", "table")


def _add_format(
    parser: argparse.ArgumentParser, choices: Sequence[str] = FORMATS, default: str = "table"
) -> None:
    parser.add_argument("--format", choices=choices, default=default, help="output format")


OPERATOR_HELP = (
    "the user who acts (attributed in the audit trail); default: CASEFILE_OPERATOR. "
    "Required for commands that change data once users exist"
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


def _add_party_edit(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    party = sub.add_parser("party", help="the creditor and the debtor of a case").add_subparsers(
        dest="action", required=True, metavar="ACTION"
    )
    p = party.add_parser("edit", help="change a party's identity, address or contact fields")
    p.add_argument("case", metavar="CASE")
    p.add_argument("--role", required=True, choices=("creditor", "debtor"))
    p.add_argument("--name", help="company name, or last name of a natural person")
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
    )
    p.add_argument("--kind", choices=("professionnel", "consommateur"))
    p.add_argument("--person-or-company", choices=("personne", "societe"))
    p.add_argument("--legal-form", help="SAS, SARL, SA, EURL…")
    p.add_argument("--siren", help="9 digits (check digit verified)")
    p.add_argument("--siret", help="14 digits (check digit verified)")
    p.add_argument("--rcs-city", help="city of the RCS registry")
    p.add_argument("--street")
    p.add_argument("--postcode")
    p.add_argument("--city")
    p.add_argument("--country")
    p.add_argument("--address", help="free-text address (when street/postcode/city are unknown)")
    p.add_argument("--residence", help="department code of the residence, or 'etranger'")
    p.add_argument("--representative", help="legal representative, e.g. 'M. Paul Muller, gérant'")
    p.add_argument("--civility", choices=("M.", "Mme", ""))
    p.add_argument("--first-name")
    p.add_argument("--email")
    p.add_argument("--phone")
    p.add_argument("--expected-version", type=int, help="refuse if the case changed since")
    _add_format(p)
    p.set_defaults(handler="casefile.commands.case_data:party_edit")


def _invoice_flags(p: argparse.ArgumentParser, required: bool) -> None:
    p.add_argument("--issue-date", required=required, metavar="YYYY-MM-DD")
    p.add_argument("--due-date", required=required, metavar="YYYY-MM-DD")
    p.add_argument("--amount", required=required, help="incl. VAT, e.g. 4080.00 or '4 080,00'")
    p.add_argument("--paid", help="already paid when the invoice is recorded")
    p.add_argument("--supply", choices=("marchandises", "services", "travaux"))
    p.add_argument("--description")
    p.add_argument("--expected-version", type=int, help="refuse if the case changed since")
    _add_format(p)


def _add_claims_and_payments(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    claim = sub.add_parser("claim", help="one invoice of a case").add_subparsers(
        dest="action", required=True, metavar="ACTION"
    )
    p = claim.add_parser("add", help="add an invoice")
    p.add_argument("case", metavar="CASE")
    p.add_argument("--number", required=True, help="invoice number")
    _invoice_flags(p, required=True)
    p.set_defaults(handler="casefile.commands.case_data:claim_add")
    p = claim.add_parser("edit", help="correct an invoice (named by its number or id)")
    p.add_argument("case", metavar="CASE")
    p.add_argument("invoice", metavar="INVOICE")
    p.add_argument("--number", help="new invoice number")
    _invoice_flags(p, required=False)
    p.set_defaults(handler="casefile.commands.case_data:claim_edit")
    p = claim.add_parser("delete", help="withdraw an invoice")
    p.add_argument("case", metavar="CASE")
    p.add_argument("invoice", metavar="INVOICE")
    p.add_argument("--reason", help="why (kept in the audit trail)")
    p.add_argument("--expected-version", type=int)
    _add_format(p)
    p.set_defaults(handler="casefile.commands.case_data:claim_delete")

    payment = sub.add_parser("payment", help="payments received").add_subparsers(
        dest="action", required=True, metavar="ACTION"
    )
    p = payment.add_parser("add", help="record a payment")
    p.add_argument("case", metavar="CASE")
    p.add_argument("--date", required=True, metavar="YYYY-MM-DD")
    p.add_argument("--amount", required=True)
    p.add_argument("--invoice", help="the invoice number it settles, if any")
    p.add_argument("--reference", help="bank reference, cheque number…")
    p.add_argument("--expected-version", type=int)
    _add_format(p)
    p.set_defaults(handler="casefile.commands.case_data:payment_add")
    p = payment.add_parser("edit", help="correct a payment (by its id, see `case show`)")
    p.add_argument("case", metavar="CASE")
    p.add_argument("id", type=int, metavar="ID")
    p.add_argument("--date", metavar="YYYY-MM-DD")
    p.add_argument("--amount")
    p.add_argument("--invoice", help="the invoice number it settles ('' for none)")
    p.add_argument("--reference")
    p.add_argument("--expected-version", type=int)
    _add_format(p)
    p.set_defaults(handler="casefile.commands.case_data:payment_edit")
    p = payment.add_parser("delete", help="withdraw a payment")
    p.add_argument("case", metavar="CASE")
    p.add_argument("id", type=int, metavar="ID")
    p.add_argument("--reason", help="why (kept in the audit trail)")
    p.add_argument("--expected-version", type=int)
    _add_format(p)
    p.set_defaults(handler="casefile.commands.case_data:payment_delete")


def _add_courts(
    sub: argparse._SubParsersAction[argparse.ArgumentParser],
    case: argparse._SubParsersAction[argparse.ArgumentParser],
) -> None:
    """`court add|edit|list` and `case set-court` (casefile.commands.courts)."""
    court = sub.add_parser("court", help="the courts (juridictions) cases point to").add_subparsers(
        dest="action", required=True, metavar="ACTION"
    )
    for action, helptext in (("add", "record a court"), ("edit", "correct a recorded court")):
        p = court.add_parser(action, help=helptext)
        required = action == "add"
        if not required:
            p.add_argument("id", metavar="COURT_ID", help="the court's number (court list)")
        p.add_argument("--name", required=required, help="e.g. 'Tribunal judiciaire de Paris'")
        p.add_argument(
            "--kind",
            required=required,
            choices=("tribunal_judiciaire", "tribunal_de_commerce", "chambre_commerciale"),
        )
        p.add_argument("--department", required=required, help="department code (75, 2A, 974…)")
        p.add_argument("--address", required=required, help="street of the greffe")
        p.add_argument("--postcode", required=required)
        p.add_argument("--city", required=required)
        p.add_argument("--greffe-email", help="the greffe's e-mail address")
        p.add_argument("--phone")
        _add_format(p, default="table")
        p.set_defaults(handler=f"casefile.commands.courts:court_{action}")
    p = court.add_parser("list", help="list the recorded courts")
    _add_format(p, default="table")
    p.set_defaults(handler="casefile.commands.courts:court_list")
    p = case.add_parser("set-court", help="point a case to a recorded court ('none' to unset)")
    p.add_argument("case", metavar="CASE")
    p.add_argument("court", metavar="COURT_ID")
    p.add_argument("--expected-version", type=int)
    _add_format(p, default="table")
    p.set_defaults(handler="casefile.commands.courts:case_set_court")


def _add_rates(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """`rate add|list` (casefile.commands.rates)."""
    rate = sub.add_parser(
        "rate", help="semester rates recorded after their publication"
    ).add_subparsers(dest="action", required=True, metavar="ACTION")
    p = rate.add_parser("add", help="record a published semester rate with its source")
    p.add_argument(
        "--kind", required=True, choices=("ecb", "taux_legal_particulier", "taux_legal_autres")
    )
    p.add_argument("--semester", required=True, help="e.g. 2026-H2")
    p.add_argument("--value", required=True, help="percent, e.g. 2.15")
    p.add_argument("--source", required=True, help="https address of the publication")
    p.add_argument("--today", help="YYYY-MM-DD (default: today)")
    _add_format(p, default="table")
    p.set_defaults(handler="casefile.commands.rates:rate_add")
    p = rate.add_parser("list", help="the recorded rates, and whether this semester has them")
    _add_format(p, default="table")
    p.set_defaults(handler="casefile.commands.rates:rate_list")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="casefile",
        description="French debt litigation: procedures as data, deadlines to the day.",
    )
    parser.add_argument("--as", dest="operator", metavar="NAME", help=OPERATOR_HELP)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser(
        "deadlines", help="compute a procedure's deadlines from dated events (no database)"
    )
    p.add_argument("--procedure", help="procedure key, e.g. injonction_de_payer")
    p.add_argument(
        "--event",
        action="append",
        default=[],
        metavar="EVENT=YYYY-MM-DD[:attr=value,…]",
        help="a dated event, e.g. ordonnance_signifiee=2026-02-13:a_personne=true (repeatable)",
    )
    p.add_argument(
        "--court", choices=("tribunal_judiciaire", "tribunal_de_commerce", "commissaire_de_justice")
    )
    p.add_argument(
        "--court-department", default="75", help="department of the court's seat (75, 2A, 67, 974…)"
    )
    p.add_argument(
        "--debtor-residence", help="department of the acting party's residence, or 'etranger'"
    )
    p.add_argument("--claim-total", help="claim total in euros, e.g. 4200.50 (eligibility checks)")
    p.add_argument("--today", help="YYYY-MM-DD: mark deadlines already past as missed")
    p.add_argument(
        "--batch", metavar="FILE.jsonl", help="one JSON request per line ('-' for stdin)"
    )
    p.add_argument(
        "--jobs",
        type=int,
        default=0,
        help="batch worker processes (default 0: every core for a batch of more than 2 000 "
        "lines, the command's own process otherwise)",
    )
    p.add_argument(
        "--fields",
        metavar="key,due,status",
        help="batch: write only these fields of each deadline (compact output; default: all)",
    )
    _add_format(p, ("json", "table", "jsonl"))
    p.set_defaults(handler="casefile.commands.deadlines:run")

    p = sub.add_parser("check", help="validate procedures, calendars, parameters and templates")
    p.set_defaults(handler="casefile.commands.check:run")

    p = sub.add_parser("procedures", help="list the procedures and their deadlines")
    _add_format(p)
    p.set_defaults(handler="casefile.commands.deadlines:list_procedures")

    p = sub.add_parser("init", help="create or migrate the database")
    p.set_defaults(handler="casefile.commands.cases:init")

    p = sub.add_parser("demo", help="load a realistic demo portfolio")
    p.add_argument("--cases", type=int, default=30)
    p.add_argument("--today", help="YYYY-MM-DD the demo is built around (default: the real date)")
    p.set_defaults(handler="casefile.commands.cases:demo")

    p = sub.add_parser("serve", help="serve the web application and API")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.set_defaults(handler="casefile.commands.serve:run")

    p = sub.add_parser("worker", help="run the background jobs (recomputation, reminders…)")
    p.add_argument("--concurrency", type=int, default=1, help="jobs run at once (default 1)")
    p.add_argument("--name", default=None, help="this worker's name in the logs")
    p.add_argument(
        "--metrics-port",
        type=int,
        default=None,
        help="serve this worker's Prometheus metrics on this port (default: none)",
    )
    p.add_argument(
        "--metrics-host", default="127.0.0.1", help="address of the metrics port (127.0.0.1)"
    )
    p.set_defaults(handler="casefile.commands.worker:run")

    case = sub.add_parser("case", help="case files").add_subparsers(
        dest="action", required=True, metavar="ACTION"
    )
    p = case.add_parser("new", help="open a case")
    p.add_argument("--reference", required=True)
    p.add_argument("--procedure", required=True)
    p.add_argument("--court", required=True)
    p.add_argument("--court-department", required=True)
    p.add_argument("--creditor", required=True)
    p.add_argument("--debtor", required=True)
    p.add_argument("--debtor-residence")
    p.add_argument(
        "--debtor-kind", choices=("professionnel", "consommateur"), default="professionnel"
    )
    p.add_argument("--lawyer", help="user name of the assigned lawyer")
    p.add_argument("--commissaire", help="user name of the assigned commissaire de justice")
    p.add_argument("--creditor-siren", help="9-digit SIREN of a company creditor")
    p.add_argument("--creditor-address")
    p.add_argument("--debtor-siren", help="9-digit SIREN of a company debtor")
    p.add_argument("--debtor-address")
    _add_format(p)
    p.set_defaults(handler="casefile.commands.cases:case_new")
    p = case.add_parser("list", help="list cases")
    _add_format(p)
    p.set_defaults(handler="casefile.commands.cases:case_list")
    p = case.add_parser("show", help="show one case")
    p.add_argument("case", metavar="CASE")
    p.add_argument("--today", help="YYYY-MM-DD (default: the real date)")
    _add_format(p)
    p.set_defaults(handler="casefile.commands.cases:case_show")

    p = case.add_parser("advice", help="which procedures are open and why; prescriptions")
    p.add_argument("case", metavar="CASE")
    p.add_argument("--as-of", help="YYYY-MM-DD (default: the real date)")
    _add_format(p)
    p.set_defaults(handler="casefile.commands.cases:case_advice")

    p = case.add_parser(
        "handover", help="hand an amicable file over to litigation (procedure from the advice)"
    )
    p.add_argument("case", metavar="CASE")
    p.add_argument("--procedure", help="default: the first procedure the advice opens")
    p.add_argument("--today", help="YYYY-MM-DD handover date (default: the real date)")
    _add_format(p)
    p.set_defaults(handler="casefile.commands.cases:case_handover")

    event = sub.add_parser("event", help="events of a case").add_subparsers(
        dest="action", required=True, metavar="ACTION"
    )
    for name, helptext in (
        ("add", "record an event"),
        ("edit", "change an event's date or attributes"),
    ):
        p = event.add_parser(name, help=helptext)
        p.add_argument("case", metavar="CASE")
        p.add_argument("spec", metavar="EVENT=YYYY-MM-DD[:attr=value,…]")
        p.add_argument("--expected-version", type=int, help="refuse if the case changed since")
        if name == "edit":
            p.add_argument("--reason", help="why the event is corrected (audit trail)")
            p.add_argument("--id", type=int, help="this event (when its key repeats)")
        _add_format(p)
        p.set_defaults(handler=f"casefile.commands.cases:event_{name}")
    p = event.add_parser("delete", help="delete an event")
    p.add_argument("case", metavar="CASE")
    p.add_argument("event", metavar="EVENT")
    p.add_argument("--expected-version", type=int)
    p.add_argument("--reason", help="why the event is withdrawn (audit trail)")
    p.add_argument("--id", type=int, help="this event (when its key repeats)")
    _add_format(p)
    p.set_defaults(handler="casefile.commands.cases:event_delete")

    claims = sub.add_parser("claims", help="claims (invoices)").add_subparsers(
        dest="action", required=True, metavar="ACTION"
    )
    p = claims.add_parser("import", help="import an aged-balance CSV or a FEC export")
    p.add_argument("file", metavar="FILE")
    p.add_argument(
        "--fec", action="store_true", help="the file is a FEC (fichier des écritures comptables)"
    )
    p.add_argument("--dry-run", action="store_true")
    p.add_argument(
        "--skip-bad", action="store_true", help="import the good lines, report the bad ones"
    )
    p.add_argument("--creditor", help="creditor name (FEC imports)")
    p.add_argument("--procedure", default="injonction_de_payer", help="procedure for new cases")
    p.set_defaults(handler="casefile.commands.cases:claims_import")

    evidence = sub.add_parser("evidence", help="evidence (pièces)").add_subparsers(
        dest="action", required=True, metavar="ACTION"
    )
    p = evidence.add_parser("add", help="add a pièce to a case")
    p.add_argument("case", metavar="CASE")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--kind", required=True)
    p.add_argument("--description")
    p.add_argument("--date")
    same = p.add_mutually_exclusive_group()
    same.add_argument(
        "--reuse", action="store_true", help="a file the case has already: keep that pièce"
    )
    same.add_argument(
        "--force", action="store_true", help="a file the case has already: add a second pièce"
    )
    _add_format(p)
    p.set_defaults(handler="casefile.commands.evidence:add")
    p = evidence.add_parser(
        "extract", help="read the text of the pièces still waiting (or again, with --all)"
    )
    p.add_argument("--all", action="store_true", help="read every version's text again")
    p.add_argument("--limit", type=int, default=1000, help="versions read at most (1000)")
    _add_format(p)
    p.set_defaults(handler="casefile.commands.evidence:extract")
    p = evidence.add_parser(
        "facturx", help="the Factur-X e-invoice of a pièce and the claim it proposes"
    )
    p.add_argument("case", metavar="CASE")
    p.add_argument("piece", metavar="PIECE", type=int, help="the pièce number")
    p.add_argument("--accept", action="store_true", help="create the claim (or link the pièce)")
    p.add_argument("--due-date", help="YYYY-MM-DD, when the invoice has none (MINIMUM)")
    p.add_argument("--supply", choices=("marchandises", "services", "travaux"))
    p.add_argument("--description")
    p.add_argument("--expected-version", type=int, help="refuse if the case changed since")
    _add_format(p)
    p.set_defaults(handler="casefile.commands.evidence:facturx")
    p = evidence.add_parser("verify", help="verify every stored object against its hash")
    p.add_argument(
        "--fix", action="store_true", help="remove orphan objects (no record, older than one hour)"
    )
    _add_format(p)
    p.set_defaults(handler="casefile.commands.evidence:verify")
    p = evidence.add_parser(
        "mirror", help="copy every object to or from another store (backup, restore)"
    )
    side = p.add_mutually_exclusive_group(required=True)
    side.add_argument("--to", dest="target", help="file://PATH or s3://BUCKET to copy into")
    side.add_argument("--from", dest="source", help="file://PATH or s3://BUCKET to copy from")
    _add_format(p)
    p.set_defaults(handler="casefile.commands.evidence:mirror")

    p = sub.add_parser(
        "bundle",
        help="the case's pièces with the bordereau: ZIP, or the stamped dossier de plaidoirie (PDF)",
    )
    p.add_argument("case", metavar="CASE")
    p.add_argument(
        "--format",
        choices=("zip", "pdf"),
        default="zip",
        help="zip (default): bordereau + files; pdf: one PDF, bordereau first, pages stamped",
    )
    p.add_argument("-o", "--output", required=True)
    p.set_defaults(handler="casefile.commands.evidence:bundle")

    p = sub.add_parser("render", help="render a pleading for a case")
    p.add_argument("case", metavar="CASE")
    p.add_argument("template", metavar="TEMPLATE", nargs="?")
    p.add_argument("-o", "--output")
    p.add_argument(
        "--check",
        action="store_true",
        help="list, for each document the case offers, what the case lacks (nothing rendered)",
    )
    p.add_argument("--today", help="YYYY-MM-DD: date of the document and its statement")
    p.set_defaults(handler="casefile.commands.documents:render")

    p = sub.add_parser("ics", help="iCalendar export of a case's deadlines")
    p.add_argument("case", metavar="CASE")
    p.add_argument("-o", "--output")
    p.set_defaults(handler="casefile.commands.calendar:case_ics")

    feed = sub.add_parser("feed", help="calendar subscription URLs (iCalendar feeds)")
    feeds = feed.add_subparsers(dest="action", required=True, metavar="ACTION")
    p = feeds.add_parser("new", help="a new secret feed URL (https and webcal://)")
    scope = p.add_mutually_exclusive_group(required=True)
    scope.add_argument("--case", metavar="CASE", help="one case (id or reference)")
    scope.add_argument("--lawyer", metavar="NAME", help="a lawyer's portfolio (user name)")
    scope.add_argument("--commissaire", metavar="NAME", help="a commissaire de justice's acts")
    p.add_argument("--label", default="", help="a note to recognise the feed by")
    _add_format(p)
    p.set_defaults(handler="casefile.commands.calendar:feed_new")
    p = feeds.add_parser("list", help="list the feeds (never their tokens)")
    _add_format(p)
    p.set_defaults(handler="casefile.commands.calendar:feed_list")
    p = feeds.add_parser("revoke", help="revoke a feed: its URL answers 404 from now on")
    p.add_argument("id", type=int, metavar="ID")
    p.set_defaults(handler="casefile.commands.calendar:feed_revoke")

    plan = sub.add_parser("plan", help="payment plans (échéanciers)")
    plans = plan.add_subparsers(dest="action", required=True, metavar="ACTION")
    p = plans.add_parser("new", help="grant a payment plan; its instalments become deadlines")
    p.add_argument("case", metavar="CASE")
    p.add_argument("--total", required=True, help="amount in euros, e.g. 4200.50")
    p.add_argument("--count", type=int, required=True, help="number of monthly instalments")
    p.add_argument("--first-due", required=True, metavar="YYYY-MM-DD")
    p.add_argument("--kind", choices=("judiciaire", "conventionnel"), default="judiciaire")
    p.add_argument(
        "--grace-days", type=int, default=0, help="days after a due date before déchéance du terme"
    )
    p.add_argument(
        "--granted-on", metavar="YYYY-MM-DD", help="decision or agreement date (default: today)"
    )
    _add_format(p)
    p.set_defaults(handler="casefile.commands.calendar:plan_new")
    p = plans.add_parser("show", help="a case's payment plans and where they stand")
    p.add_argument("case", metavar="CASE")
    p.add_argument("--today", help="YYYY-MM-DD (default: the real date)")
    _add_format(p)
    p.set_defaults(handler="casefile.commands.calendar:plan_show")

    law = sub.add_parser("law", help="the impact of a change of the law data").add_subparsers(
        dest="action", required=True, metavar="ACTION"
    )
    p = law.add_parser(
        "impact", help="pending cases whose deadlines or amounts a proposed law data would move"
    )
    p.add_argument(
        "--proposed",
        metavar="DIR|GIT_REV",
        help="a directory with procedures/ and calendars/, or a git revision of the repository",
    )
    p.add_argument("--today", help="YYYY-MM-DD statuses and amounts are judged on (default: today)")
    p.add_argument(
        "--apply",
        action="store_true",
        help="recompute the cases under the data in service (as `law apply`)",
    )
    p.add_argument("--reason", help="with --apply: why the law data changed (decree, correction…)")
    _add_format(p)
    p.set_defaults(handler="casefile.commands.law:impact")
    p = law.add_parser(
        "apply",
        help="recompute the pending cases under the law data in service, recording the reason",
    )
    p.add_argument("--reason", required=True, help="why the law data changed (decree, correction…)")
    _add_format(p)
    p.set_defaults(handler="casefile.commands.law:apply")

    user = sub.add_parser("user", help="users").add_subparsers(
        dest="action", required=True, metavar="ACTION"
    )
    user_args.register(user, case)
    p = user.add_parser("prefs", help="a user's e-mail reminders (digest, alerts)")
    p.add_argument("name")
    p.add_argument("--email", help="the address reminders go to")
    p.add_argument("--digest", action=argparse.BooleanOptionalAction, help="daily digest")
    p.add_argument("--digest-days", type=int, help="days the digest looks ahead (1-60)")
    p.add_argument("--alerts", action=argparse.BooleanOptionalAction, help="deadline alerts")
    p.add_argument("--alert-days", type=int, help="days before a deadline its alert goes (0-60)")
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
    from casefile.errors import CasefileError

    args = build_parser().parse_args(argv)
    module_name, _, function_name = args.handler.partition(":")
    try:
        handler = getattr(importlib.import_module(module_name), function_name)
        return int(handler(args) or 0)
    except CasefileError as error:
        print(f"casefile: error: {error}", file=sys.stderr)
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
        print(f"casefile: error: {outage}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
