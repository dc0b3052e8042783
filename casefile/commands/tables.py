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
    if not console.is_terminal:
        console = Console(width=140)
    table = Table(title=f"{schedule.procedure} — territoire {schedule.territory}", show_lines=True)
    table.add_column("Échéance", no_wrap=True)
    table.add_column("Délai", ratio=3)
    table.add_column("Calcul", ratio=3)
    table.add_column("Fondement", no_wrap=True)
    table.add_column("Statut", no_wrap=True)
    for d in schedule.deadlines:
        what = (
            f"[bold]{d.label}[/bold]\n[dim]{d.key} · {d.actor}[/dim]\n"
            f"départ : {d.start.key} du {_day(d.start.date)}"
        )
        calc = f"{d.period}"
        if d.extension:
            calc += f" + {d.extension.months} mois ({d.extension.basis})"
        calc += f"\ndate brute {_day(d.unadjusted)}"
        if d.moved_because:
            calc += f"\n[dim]{d.moved_because}[/dim]"
        style = _STATUS_STYLE.get(d.status, "")
        table.add_row(
            f"[bold]{_day(d.due)}[/bold]",
            what,
            calc,
            d.basis,
            f"[{style}]{d.status}[/{style}]" if style else d.status,
        )
    console.print(table)
    for warning in schedule.warnings:
        console.print(f"[bold yellow]Attention :[/bold yellow] {warning}")
