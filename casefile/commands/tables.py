"""Human tables (rich) for the terminal: the lawyer at 7 p.m. reads these, not JSON."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from casefile.law.schedule import Schedule

if TYPE_CHECKING:
    from rich.console import Console

_STATUS_STYLE = {
    "missed": "bold red",
    "pending": "yellow",
    "done": "green",
    "moot": "dim",
    "uncertain": "magenta",
}


def _day(day: date) -> str:
    """« lundi 1er juin 2026 »: as the lawyer writes a due date."""
    from casefile.law.wording import day_fr

    return day_fr(day)


def console(stderr: bool = False) -> Console:
    """A rich console; when output is not a terminal (a pipe, a file) use a wide fixed width
    so tables are not squeezed into 80 columns."""
    from rich.console import Console

    out = Console(stderr=stderr)
    return out if out.is_terminal else Console(stderr=stderr, width=140)


def euros(amount: object) -> str:
    """ "12 345,67 €" for a decimal string or Decimal; "—" when absent."""
    if amount in (None, ""):
        return "—"
    from decimal import Decimal

    value = Decimal(str(amount)).quantize(Decimal("0.01"))
    sign = "-" if value < 0 else ""
    whole, _, cents = f"{abs(value):.2f}".partition(".")
    groups: list[str] = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    thousands = "\u202f".join(groups)
    return f"{sign}{thousands},{cents}\u00a0€"


def status_cell(status: str) -> str:
    """The status in French ('dépassé'), coloured as its key ('missed' in red)."""
    from casefile.labels import DEADLINE_STATUSES, label

    style = _STATUS_STYLE.get(status, "")
    text = label(DEADLINE_STATUSES, status)
    return f"[{style}]{text}[/{style}]" if style else text


def print_schedule(schedule: Schedule) -> None:
    """The deadlines as a table: labels, not keys (`--format json` gives the keys); the
    engine's reasons and warnings with their dates and amounts in French."""
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    from casefile.definitions import engine
    from casefile.labels import (
        actor_fr,
        dates_in_text_fr,
        humanise,
        key_labels,
        period_fr,
        warning_fr,
    )

    law = engine()
    procedure = law.procedures.get(schedule.procedure)
    territory = law.territories.by_key.get(schedule.territory)
    names = key_labels(procedure)
    title = procedure.title if procedure is not None else humanise(schedule.procedure)
    place = territory.label if territory is not None else humanise(schedule.territory)
    console = Console()
    if not console.is_terminal:
        console = Console(width=140)
    table = Table(title=f"{title} — {place}", show_lines=True)
    table.add_column("Échéance", no_wrap=True)
    # The basis wraps: unwrapped, a long one (« CPC art. 754 (rédaction du décret …) ») took
    # the whole width and left the deadline's name no room at all.
    table.add_column("Délai", ratio=3, min_width=18)
    table.add_column("Calcul", ratio=3, min_width=18)
    table.add_column("Fondement", ratio=2, min_width=14)
    table.add_column("Statut", no_wrap=True)
    for d in schedule.deadlines:
        start = names.get(d.start.key) or humanise(d.start.key)
        what = (
            f"[bold]{escape(d.label)}[/bold]\n[dim]qui agit : {actor_fr(d.actor)}[/dim]\n"
            f"départ : {escape(start)} du {_day(d.start.date)}"
        )
        calc = period_fr(d.period)
        if d.extension:
            calc += f" + {d.extension.months} mois ({d.extension.basis})"
        calc += f"\ndate brute {_day(d.unadjusted)}"
        if d.moved_because:
            calc += f"\n[dim]{escape(dates_in_text_fr(d.moved_because))}[/dim]"
        table.add_row(
            f"[bold]{_day(d.due)}[/bold]",
            what,
            calc,
            d.basis,
            status_cell(d.status),
        )
    console.print(table)
    for warning in schedule.warnings:
        console.print(
            f"[bold yellow]Attention :[/bold yellow] {escape(warning_fr(procedure, warning))}"
        )
