"""iCalendar feed of 10 000 deadlines: the fast writer against the icalendar library.

Run: .venv/bin/python bench/ical.py [--deadlines N] [--repeat R] [--library-runs L]
Target (issue 14 item 4): the feed ≥ 30× the icalendar library (the anchor, measured in the
same run). Each deadline's item and VEVENT block are rendered once and kept
(`casefile.ical.items`, `casefile.ical.wire`): "cold" empties both before each run (every
event rendered), "warm" is a poll of the same feed (the case of a subscription polled again). Prints min and median of R runs and
the ratios library ÷ writer (min ratio = slowest writer run against the fastest library run).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import icalendar

from casefile.definitions import engine
from casefile.ical import items as items_module
from casefile.ical import wire
from casefile.ical.export import as_items, lawyer_calendar, to_icalendar
from casefile.ical.items import CalendarEntry
from casefile.ical.sync import sync
from casefile.ical.wire import serialize
from casefile.law.schedule import CaseFacts, RecordedEvent


def portfolio(size: int) -> list[CalendarEntry]:
    """Injonctions de payer rendered on successive days, half served in person (two deadlines
    each, one of them with an art. 1416 al. 2 note), debtors with commas and accents."""
    entries: list[CalendarEntry] = []
    compute = engine().compute
    case = 0
    while len(entries) < size:
        rendue = date(2027, 1, 4) + timedelta(days=case % 700)
        events = [
            RecordedEvent("ordonnance_rendue", rendue),
            RecordedEvent(
                "ordonnance_signifiee",
                rendue + timedelta(days=10 + case % 30),
                {"a_personne": case % 2 == 0},
            ),
        ]
        schedule = compute("injonction_de_payer", events, CaseFacts(court_department="67"))
        for deadline in schedule.deadlines:
            entries.append(
                CalendarEntry(
                    case_id=f"c-{case}",
                    case_reference=f"IP-2027/{case:05d}",
                    debtor_name=f"Société Débitrice n° {case}, SARL; « Équipe »",
                    procedure="Injonction de payer",
                    deadline=deadline,
                    case_url=f"https://casefile.example/cases/c-{case}",
                    installation="q7kd2mxa4zpw",
                )
            )
        case += 1
    return entries[:size]


def timed(
    repeat: int, run: Callable[[], object], before: Callable[[], None] | None = None
) -> list[float]:
    times = []
    for _ in range(repeat):
        if before is not None:
            before()
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return times


def empty_block_cache() -> None:
    wire._blocks.clear()
    wire._held = 0
    items_module._rendered.clear()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--deadlines", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--library-runs", type=int, default=2)
    args = parser.parse_args()
    entries = portfolio(args.deadlines)
    n = len(entries)
    print(f"feed of {n} deadlines ({len({e.case_id for e in entries})} cases), {args.repeat} runs")

    def feed() -> bytes:
        return lawyer_calendar(entries, lawyer_name="Me Bench")

    cold = timed(args.repeat, feed, empty_block_cache)
    warm = timed(args.repeat, feed)
    body = feed()
    items = as_items(entries)
    render = timed(args.repeat, lambda: as_items(entries), empty_block_cache)
    write = timed(args.repeat, lambda: serialize("Me Bench", items, (7, 2), False))
    now = datetime(2027, 2, 1, tzinfo=UTC)
    first = sync({}, entries, now)
    resync = timed(args.repeat, lambda: sync(first.state, entries, now))
    library = timed(
        args.library_runs, lambda: to_icalendar("Échéances — Me Bench", entries).to_ical()
    )
    reference = to_icalendar("Échéances — Me Bench", entries).to_ical()

    def line(name: str, times: list[float]) -> None:
        print(
            f"  {name:<38} min {min(times) * 1000:8.1f} ms  median "
            f"{statistics.median(times) * 1000:8.1f} ms"
        )

    line("writer, cold (every block rendered)", cold)
    line("writer, warm (blocks kept)", warm)
    line("  of which text rendering (cold)", render)
    line("  of which writing (blocks kept)", write)
    line("sync against the previous state", resync)
    line(f"icalendar {icalendar.__version__} library (anchor)", library)
    for name, times in (("cold", cold), ("warm", warm)):
        print(
            f"  library ÷ writer {name}: min {min(library) / max(times):6.1f}×  median "
            f"{statistics.median(library) / statistics.median(times):6.1f}×  (target ≥ 30×)"
        )
    print(f"  {len(body) / 1e6:.1f} MB; same bytes as the icalendar path: {body == reference}")
    start = time.perf_counter()
    parsed = icalendar.Calendar.from_ical(body)
    parse = time.perf_counter() - start
    print(
        f"  icalendar parses the output: {len(parsed.walk('VEVENT'))} VEVENTs "
        f"in {parse * 1000:.0f} ms"
    )


if __name__ == "__main__":
    main()
