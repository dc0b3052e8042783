"""Human tables (rich) for the terminal: the lawyer at 7 p.m. reads these, not JSON."""

from __future__ import annotations

from datetime import date

from casefile.law.schedule import Schedule

_WEEKDAYS = ("lun.", "mar.", "mer.", "jeu.", "ven.", "sam.", "dim.")
_STATUS_STYLE = {
    "missed": "bold red",
    "pending": "yellow",
    "done": "green",
    "moot": "dim",
    "uncertain": "magenta",
}


def _day(day: date) -> str:
    return f"{_WEEKDAYS[day.weekday()]} {day.strftime('%d/%m/%Y')}"


def print_schedule(schedule: Schedule) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    table = Table(title=f"{schedule.procedure} — territoire {schedule.territory}", show_lines=True)
    table.add_column("Échéance", no_wrap=True)
    table.add_column("Délai")
    table.add_column("Départ")
    table.add_column("Calcul")
    table.add_column("Qui")
    table.add_column("Fondement")
    table.add_column("Statut")
    for d in schedule.deadlines:
        calc = f"{d.period}" + (
            f" + {d.extension.months} mois ({d.extension.basis})" if d.extension else ""
        )
        calc += f"\nbrut {d.unadjusted.isoformat()}"
        if d.moved_because:
            calc += f"\n{d.moved_because}"
        style = _STATUS_STYLE.get(d.status, "")
        table.add_row(
            f"[bold]{_day(d.due)}[/bold]",
            f"{d.label}\n[dim]{d.key}[/dim]",
            f"{d.start.key}\n{_day(d.start.date)}",
            calc,
            d.actor,
            d.basis,
            f"[{style}]{d.status}[/{style}]" if style else d.status,
        )
    console.print(table)
    for warning in schedule.warnings:
        console.print(f"[bold yellow]Attention[/bold yellow] {warning}")
