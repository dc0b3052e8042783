"""`casefile init | demo | case … | event … | claims import` (DESIGN.md §4).

Each command opens the database, runs its async work in one `asyncio.run` and closes the pool.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections.abc import Awaitable, Callable
from datetime import date
from typing import Any, TypeVar

from casefile import clock

T = TypeVar("T")


def run_store(work: Callable[[], Awaitable[T]], require_schema: bool = True) -> T:
    """Connect, run `work`, close — in one event loop."""
    from casefile.store import db

    async def main() -> T:
        await db.connect()
        try:
            if require_schema:
                await db.require_schema()
            return await work()
        finally:
            await db.close()

    return asyncio.run(main())


def print_json(value: object) -> None:
    sys.stdout.write(json.dumps(value, ensure_ascii=False, indent=2) + "\n")


def _today(text: str | None) -> date:
    from casefile.law.periods import parse_date

    return parse_date(text, "--today") if text else clock.today()


def migrations_fr(applied: list[str]) -> str:
    """What `casefile init` did to the schema, in one short line: a first install applies every
    migration, and a newcomer reads a count, not thirty-four identifiers."""
    if not applied:
        return "à jour"
    if len(applied) == 1:
        return f"1 migration appliquée ({applied[0]})"
    return f"{len(applied)} migrations appliquées (de {applied[0]} à {applied[-1]})"


def init(args: argparse.Namespace) -> int:
    from casefile.evidence.backends import prepare_store
    from casefile.settings import get_settings, shown_url
    from casefile.store import db
    from casefile.store.installation import installation_id

    async def work() -> tuple[list[str], str]:
        return await db.migrate(), await installation_id()

    applied, installation = run_store(work, require_schema=False)
    url = get_settings().database_url
    print(f"base de données {shown_url(url)} : {migrations_fr(applied)}")
    print(f"installation : {installation} (identifiant des agendas, ne change jamais)")
    print(f"pièces {shown_url(prepare_store())} : prêt")
    print(f"exports {shown_url(prepare_store(get_settings().exports_url))} : prêt")
    print(f"tâches : {_prepare_jobs(url)}")
    return 0


def _prepare_jobs(url: str) -> str:
    """procrastinate's schema on PostgreSQL; nothing to prepare for the in-process mode."""
    from casefile.jobs import app as jobs

    if jobs.embedded(url):
        return "dans le processus du serveur (SQLite : `casefile serve` les exécute)"
    applied = asyncio.run(jobs.apply_schema(url))
    return "schéma procrastinate " + ("appliqué" if applied else "à jour")


def demo(args: argparse.Namespace) -> int:
    from casefile.labels import count_fr
    from casefile.law.wording import date_fr
    from casefile.store import db
    from casefile.store.demo import load_demo

    today = _today(args.today)

    async def work() -> dict[str, Any]:
        await db.migrate()
        loaded: dict[str, Any] = await load_demo(today=today, cases=args.cases)
        return loaded

    result = run_store(work, require_schema=False)
    print(
        f"portefeuille de démonstration au {date_fr(today)} : "
        f"{count_fr(result['created'], 'dossier créé', 'dossiers créés')}, "
        f"{count_fr(result['existing'], 'déjà présent', 'déjà présents')}"
    )
    print(
        "juridictions d'exemple (adresses fictives, à remplacer par celles de l'annuaire "
        "officiel : page Juridictions ou « casefile court edit ») : " + ", ".join(result["courts"])
    )
    print(
        "utilisateurs (mot de passe « demo » — pour la démonstration seulement, jamais en "
        "production) :"
    )
    for name, role in result["users"]:
        print(f"  {name:<16} {role}")
    return 0


def case_new(args: argparse.Namespace) -> int:
    from casefile.commands.operator import as_operator
    from casefile.services.cases import NewCase, PartyIn, create_case

    data = NewCase(
        reference=args.reference,
        procedure=args.procedure,
        court=args.court,
        court_department=args.court_department,
        creditor=PartyIn(
            name=args.creditor,
            kind="professionnel",
            siren=getattr(args, "creditor_siren", None),
            address=getattr(args, "creditor_address", None) or "",
        ),
        debtor=PartyIn(
            name=args.debtor,
            kind=args.debtor_kind,
            residence=args.debtor_residence,
            siren=getattr(args, "debtor_siren", None),
            address=getattr(args, "debtor_address", None) or "",
        ),
        lawyer=args.lawyer,
        commissaire=getattr(args, "commissaire", None),
    )
    case = run_store(as_operator(args, lambda actor: create_case(data, actor, today=clock.today())))
    if args.format == "json":
        print_json(case)
    else:
        print_case(case)
    return 0


def case_advice(args: argparse.Namespace) -> int:
    from casefile.commands.operator import as_operator
    from casefile.definitions import engine
    from casefile.labels import PROCEDURES, court_fr, dates_in_text_fr, label
    from casefile.law.wording import date_fr
    from casefile.store.advice import case_advice as advise

    as_of = _today(getattr(args, "as_of", None))
    advice = run_store(as_operator(args, lambda actor: advise(args.case, actor, as_of), False))
    if args.format == "json":
        print_json(advice)
        return 0
    from rich.table import Table

    from casefile.commands.tables import console as make_console

    console = make_console()
    table = Table(title=f"{advice['case']} — procédures au {date_fr(as_of)}", show_lines=True)
    for column in ("procédure", "ouverte", "juridiction", "avocat", "750-1", "pourquoi"):
        table.add_column(column)
    yes_no = {True: "oui", False: "non", None: "?"}
    for item in advice["procedures"]:
        table.add_row(
            label(PROCEDURES, item["procedure"]),
            yes_no[item["open"]],
            court_fr(item["court"], advice.get("court_department"), engine().territories),
            yes_no[item["avocat_required"]],
            yes_no[item["amicable_attempt_required"]],
            "\n".join(f"{dates_in_text_fr(r['text'])} ({r['basis']})" for r in item["reasons"]),
        )
    console.print(table)
    for line in advice["prescriptions"]:
        state = "ACQUISE" if line["acquired"] else "à surveiller"
        console.print(
            f"Facture {line['invoice']} : prescription le {date_fr(line['date'])} "
            f"({line['basis']}) — {state}"
        )
    for note in advice["notes"]:
        console.print(f"[dim]{escape(dates_in_text_fr(note))}[/dim]")
    return 0


def case_handover(args: argparse.Namespace) -> int:
    from casefile.commands.operator import as_operator
    from casefile.labels import count_fr, dates_in_text_fr
    from casefile.law.wording import date_fr
    from casefile.services.handover import hand_over

    today = _today(getattr(args, "today", None))
    result = run_store(
        as_operator(args, lambda actor: hand_over(args.case, actor, args.procedure, today))
    )
    if args.format == "json":
        print_json(result)
        return 0
    carried = result["carried"]
    print(
        f"{result['case']} : transmis au contentieux le {date_fr(result['handed_over_on'])} — "
        f"{result['procedure_label']} ; {count_fr(carried['invoices'], 'facture', 'factures')}, "
        f"{count_fr(carried['pieces'], 'pièce', 'pièces')}, mise en demeure : "
        f"{date_fr(carried['mise_en_demeure']) if carried['mise_en_demeure'] else 'aucune'}"
    )
    for note in result["notes"]:
        print(f"  ! {dates_in_text_fr(note)}")
    return 0


def case_list(args: argparse.Namespace) -> int:
    from casefile.commands.operator import as_operator
    from casefile.services.cases import list_cases

    cases = run_store(
        as_operator(args, lambda actor: list_cases(actor, today=clock.today()), False)
    )
    if args.format == "json":
        print_json(cases)
    else:
        print_case_list(cases)
    return 0


def case_show(args: argparse.Namespace) -> int:
    from casefile.commands.operator import as_operator
    from casefile.services.cases import get_case

    today = _today(args.today)
    case = run_store(
        as_operator(args, lambda actor: get_case(args.case, actor, today=today), False)
    )
    if args.format == "json":
        print_json(case)
    else:
        print_case(case)
    return 0


def _print_changes(args: argparse.Namespace, changes: dict[str, Any]) -> int:
    if args.format == "json":
        print_json(changes)
    else:
        print_changes(changes)
    return 0


def _event(args: argparse.Namespace, edit: bool) -> int:
    from casefile.commands.operator import as_operator
    from casefile.law.requests import parse_event_spec
    from casefile.services.events import add_event, edit_event

    key, day, attributes = parse_event_spec(args.spec)
    if edit:
        changes = run_store(
            as_operator(
                args,
                lambda actor: edit_event(
                    args.case,
                    key,
                    day,
                    attributes,
                    actor,
                    args.expected_version,
                    reason=args.reason,
                    event_id=args.id,
                ),
            )
        )
    else:
        changes = run_store(
            as_operator(
                args,
                lambda actor: add_event(
                    args.case, key, day, attributes, actor, args.expected_version
                ),
            )
        )
    return _print_changes(args, changes)


def event_add(args: argparse.Namespace) -> int:
    return _event(args, edit=False)


def event_edit(args: argparse.Namespace) -> int:
    return _event(args, edit=True)


def event_delete(args: argparse.Namespace) -> int:
    from casefile.commands.operator import as_operator
    from casefile.services.events import delete_event

    changes = run_store(
        as_operator(
            args,
            lambda actor: delete_event(
                args.case,
                args.event,
                actor,
                args.expected_version,
                reason=args.reason,
                event_id=args.id,
            ),
        )
    )
    return _print_changes(args, changes)


def claims_import(args: argparse.Namespace) -> int:
    from pathlib import Path

    from casefile.commands.operator import as_operator
    from casefile.errors import InputError
    from casefile.store.imports import ImportOptions, import_file

    path = Path(args.file)
    if not path.is_file():
        raise InputError(f"{args.file} : fichier introuvable")
    options = ImportOptions(
        fec=args.fec,
        dry_run=args.dry_run,
        skip_bad=args.skip_bad,
        creditor=args.creditor,
        procedure=args.procedure,
    )
    with import_progress() as progress:
        report = run_store(
            as_operator(
                args,
                lambda actor: import_file(path, options, actor, progress=progress),
                mutating=not args.dry_run,
            )
        )
    print_import_report(report)
    return 0 if report.ok else 2


# -- terminal output (rich) -------------------------------------------------------------------


def _status(text: str) -> str:
    from casefile.commands.tables import status_cell

    return status_cell(text)


def date_cell(value: str | None, weekday: bool = False) -> str:
    """'2026-03-01' → '1er mars 2026' ('dimanche 1er mars 2026' for a due date, `weekday`);
    anything that is not a date is shown as it is."""
    from casefile.errors import InputError
    from casefile.law.wording import date_fr, day_fr

    if not value:
        return "—"
    try:
        return day_fr(value) if weekday else date_fr(value)
    except InputError:
        return str(value)


def _deadline_cell(deadline: dict[str, Any] | None) -> str:
    if not deadline:
        return "—"
    what = deadline.get("label") or deadline["key"]
    return f"{date_cell(deadline['due'])} {escape(what)} ({_status(deadline['status'])})"


def _procedure(key: str | None) -> Any:
    """The procedure definition of `key` (None for a key gone from the definitions)."""
    from casefile.definitions import engine

    return engine().procedures.get(key or "")


def _procedure_title(key: str | None) -> str:
    from casefile.labels import PROCEDURES, label

    procedure = _procedure(key)
    return procedure.title if procedure is not None else label(PROCEDURES, key)


def _court(case: dict[str, Any]) -> str:
    from casefile.definitions import engine
    from casefile.labels import court_fr

    department = case["court_department"]
    return f"{court_fr(case['court'], department, engine().territories)} ({department})"


def escape(text: object) -> str:
    from rich.markup import escape as rich_escape

    return rich_escape(str(text))


def print_case_list(cases: list[dict[str, Any]]) -> None:
    from rich.table import Table

    from casefile.commands.tables import console as make_console
    from casefile.commands.tables import euros

    table = Table(title=f"Dossiers ({len(cases)})")
    # The reference is what the other commands take: never cut (« BRASSERIE-DE-3876543… »).
    longest = max((len(str(case["reference"])) for case in cases), default=0)
    table.add_column("n°", no_wrap=True)
    table.add_column("référence", no_wrap=True, min_width=max(longest, len("référence")))
    for column in ("procédure", "tribunal", "débiteur"):
        table.add_column(column)
    table.add_column("créance", no_wrap=True)
    table.add_column("prochaine échéance")
    for case in cases:
        table.add_row(
            str(case["id"]),
            escape(case["reference"]),
            _procedure_title(case["procedure"]),
            _court(case),
            case["debtor"] or "",
            euros(case["claim_total"]),
            _deadline_cell(case["next_deadline"]),
        )
    make_console().print(table)


def print_case(case: dict[str, Any]) -> None:
    from decimal import Decimal

    from rich.table import Table

    from casefile.commands.tables import console as make_console
    from casefile.commands.tables import euros
    from casefile.labels import (
        actor_fr,
        attribute_value_fr,
        dates_in_text_fr,
        humanise,
        key_labels,
        warning_fr,
    )

    console = make_console()
    creditor = (case.get("creditor") or {}).get("name", "")
    procedure = _procedure(case["procedure"])
    names = key_labels(procedure)
    console.print(
        f"[bold]{escape(case['reference'])}[/bold] (id {case['id']}, version "
        f"{case['version']}) — {_procedure_title(case['procedure'])}, {_court(case)}\n"
        f"{escape(creditor)} c/ {escape(case['debtor'])} — créance {euros(case['claim_total'])}"
    )
    if case.get("claims"):
        claims = Table(title="Factures")
        for column in ("n°", "émise", "échue", "TTC", "réglé", "reste"):
            claims.add_column(column)
        for claim in case["claims"]:
            # Réglé: before it was recorded and since (payments imputed as the rest is).
            settled = Decimal(claim["amount"]) - Decimal(claim["outstanding"])
            claims.add_row(
                claim["invoice_number"],
                date_cell(claim["issue_date"]),
                date_cell(claim["due_date"]),
                euros(claim["amount"]),
                euros(settled),
                euros(claim["outstanding"]),
            )
        console.print(claims)
    events = Table(title="Événements")
    for column in ("date", "événement", "attributs"):
        events.add_column(column)
    # A file handed over to litigation keeps its amicable events (« exigibilite »…), which its
    # court procedure does not define: they are read with the amicable definitions.
    amicable = _procedure("amiable")
    for event in case.get("events", []):
        owner = procedure
        if procedure is None or event["key"] not in procedure.events:
            owner = amicable if amicable is not None and event["key"] in amicable.events else None
        definition = owner.events.get(event["key"]) if owner is not None else None
        attribute_names = {
            a.key: a.label for a in ((definition.attributes or {}).values() if definition else ())
        }
        attributes = ", ".join(
            f"{attribute_names.get(k) or humanise(k)} : "
            f"{attribute_value_fr(owner, event['key'], k, v)}"
            for k, v in event["attributes"].items()
        )
        events.add_row(
            date_cell(event["date"]),
            escape(definition.label if definition else humanise(event["key"])),
            escape(attributes),
        )
    if case.get("events"):
        console.print(events)
    else:
        console.print("Aucun événement enregistré.")
    deadlines = Table(title="Échéances", show_lines=True)
    for column in ("échéance", "délai", "départ", "fondement", "statut"):
        deadlines.add_column(column)
    for d in case.get("deadlines", []):
        deadlines.add_row(
            f"[bold]{date_cell(d['due'], weekday=True)}[/bold]",
            f"{escape(d['label'])}\n[dim]qui agit : {actor_fr(d['actor'])}[/dim]",
            f"{escape(names.get(d['start']['key']) or humanise(d['start']['key']))} "
            f"{date_cell(d['start']['date'])}"
            + (
                f"\n[dim]{escape(dates_in_text_fr(d['moved_because']))}[/dim]"
                if d.get("moved_because")
                else ""
            ),
            d["basis"],
            _status(d["status"]),
        )
    if case.get("deadlines"):
        console.print(deadlines)
    else:
        # An empty table says nothing; the next step does.
        console.print(
            "Aucune échéance : elles sont calculées à partir des événements enregistrés "
            f"(« casefile event add {escape(case['reference'])} ÉVÉNEMENT=AAAA-MM-JJ » ; "
            "les événements de chaque procédure : « casefile procedures »)."
        )
    for warning in case.get("warnings", []):
        console.print(
            f"[bold yellow]Attention[/bold yellow] {escape(warning_fr(procedure, warning))}"
        )


def print_changes(changes: dict[str, Any]) -> None:
    from casefile.commands.tables import console as make_console
    from casefile.labels import dates_in_text_fr, humanise

    console = make_console()
    for d in changes["added"]:
        console.print(f"[green]+[/green] {escape(d['label'])} {date_cell(d['due'])}")
    for m in changes["moved"]:
        what = escape(m.get("label") or humanise(m["key"]))
        console.print(f"[yellow]~[/yellow] {what} {date_cell(m['from'])} → {date_cell(m['to'])}")
    for d in changes["removed"]:
        what = escape(d.get("label") or humanise(d["key"]))
        console.print(f"[red]-[/red] {what} {date_cell(d['due'])}")
    if not (changes["added"] or changes["moved"] or changes["removed"]):
        console.print("aucun délai modifié")
    console.print(f"version du dossier : {changes['version']}")
    for warning in changes.get("warnings", []):
        console.print(f"[bold yellow]Attention[/bold yellow] {escape(dates_in_text_fr(warning))}")


class _Progress:
    """A rich progress bar the importer drives through `(done, total)` calls: on the standard
    error and only on a terminal. A transient bar stopped on a pipe or a file leaves an empty
    line before the report (the dry run's output began with one)."""

    def __init__(self) -> None:
        from rich.console import Console
        from rich.progress import Progress

        console = Console(stderr=True)
        self.bar = Progress(transient=True, console=console) if console.is_terminal else None
        self.task: Any = None

    def __call__(self, done: int, total: int) -> None:
        if self.bar is None:
            return
        if self.task is None:
            self.task = self.bar.add_task("import", total=total)
        self.bar.update(self.task, completed=done, total=total)

    def __enter__(self) -> _Progress:
        if self.bar is not None:
            self.bar.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.stop()


def import_progress() -> _Progress:
    return _Progress()


def print_import_report(report: Any) -> None:
    from casefile.commands.tables import console as make_console
    from casefile.store.imports import field_label

    console = make_console(stderr=not report.ok)
    for error in report.errors:
        console.print(
            f"[red]ligne {error.line}[/red] {field_label(error.field)} : {error.message}",
            markup=True,
        )
    for warning in report.warnings:  # the recorded creditor kept: one line each, unwrapped
        console.print(
            f"[yellow]ligne {warning.line}[/yellow] {field_label(warning.field)} : "
            f"{warning.message}",
            markup=True,
            soft_wrap=True,
        )
    console.print(report.summary())
