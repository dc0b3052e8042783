"""A subscription feed polled over its store path: the full answer against a 304.

    .venv/bin/python bench/feeds.py [--cases 60] [--repeat 7] [--engine postgres|sqlite]
    CASEFILE_BENCH_POSTGRES=postgresql://postgres@127.0.0.1:5432/postgres  (server to use)

Target (issue 14 item 4): a 304 (the calendar app presents the ETag it holds, nothing changed)
costs under 10 % of a full answer. Creates a lawyer with `--cases` injonction de payer cases on
a throw-away database (PostgreSQL by default, dropped at the end; or a SQLite file), issues their lawyer feed, polls it once (the feed state is written),
then times `feed_answer` without an ETag (the full answer: engine, sync, rendering) and with
the current ETag (the 304), alternately, `--repeat` times; prints min and median of each and
their ratio. Two 304s are timed: "304, kept", a poll within a few seconds of the last check of
the same feed (PostgreSQL: answered from `read_cache.FEEDS`, no query), and "304, checked", the
read caches emptied first (`read_cache.forget()`: a poll an hour later, or SQLite), which checks
the token, the publisher's rights and the feed's inputs in the database. Also checks that
polling writes nothing (the feed's row and states unchanged).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._support import create_database, drop_database
from casefile.services import cases as store_cases
from casefile.store import calendars, db, read_cache, users
from casefile.store.tables import FeedState
from casefile.store.tables import FeedToken as FeedTokenRow


async def run(cases: int, repeat: int, engine: str) -> None:
    name = f"casefile_bench_feeds_{uuid.uuid4().hex[:10]}"
    with tempfile.TemporaryDirectory() as tmp:
        if engine == "postgres":
            url = await create_database(name)
        else:
            url = f"sqlite:///{tmp}/bench.db"
        await db.connect(url)
        try:
            await db.migrate()
            lawyer, _ = await users.create_user("me_bench", "avocat")
            for number in range(cases):
                case = await store_cases.create_case(
                    store_cases.NewCase(
                        reference=f"FEED-{number:04d}",
                        procedure="injonction_de_payer",
                        court="tribunal_judiciaire",
                        court_department=("75", "67", "971", "13")[number % 4],
                        creditor=store_cases.PartyIn(name="Créancier SA"),
                        debtor=store_cases.PartyIn(name=f"Débiteur {number}, SARL"),
                        lawyer="me_bench",
                    ),
                    users.SYSTEM,
                )
                await store_cases.add_event(
                    case["id"], "ordonnance_rendue", "2027-01-04", {}, users.SYSTEM
                )
                await store_cases.add_event(
                    case["id"],
                    "ordonnance_signifiee",
                    "2027-01-29",
                    {"a_personne": number % 2 == 0},
                    users.SYSTEM,
                )
            feed = await calendars.issue_feed("lawyer", "me_bench", lawyer)
            token = feed["token"]
            now = datetime(2027, 2, 1, 9, 0, tzinfo=UTC)
            body, etag = await calendars.feed_answer(token, None, now)
            assert body is not None
            before = (await FeedTokenRow.select(), await FeedState.select())
            full: list[float] = []
            kept: list[float] = []
            checked: list[float] = []
            for _ in range(repeat):
                start = time.perf_counter()
                again, same = await calendars.feed_answer(token, None, now)
                full.append(time.perf_counter() - start)
                assert again == body and same == etag
                read_cache.forget()
                start = time.perf_counter()
                nothing, same = await calendars.feed_answer(token, etag, now)
                checked.append(time.perf_counter() - start)
                assert nothing is None and same == etag
                start = time.perf_counter()
                nothing, same = await calendars.feed_answer(token, etag, now)
                kept.append(time.perf_counter() - start)
                assert nothing is None and same == etag
            after = (await FeedTokenRow.select(), await FeedState.select())
        finally:
            await db.close()
            if engine == "postgres":
                await drop_database(name)
    print(
        f"{engine}, lawyer feed: {cases} cases, {body.count(b'BEGIN:VEVENT')} events, {len(body)} bytes"
    )
    rows = (("full answer", full), ("304, checked", checked), ("304, kept", kept))
    for label, times in rows:
        print(
            f"  {label:<13} min {min(times) * 1000:8.2f} ms  median "
            f"{statistics.median(times) * 1000:8.2f} ms"
        )
    for label, times in rows[1:]:
        ratios = sorted(t / f for t, f in zip(times, full, strict=True))
        print(
            f"  {label} ÷ full (per run): min {ratios[0]:.4f}  median "
            f"{statistics.median(ratios):.4f}  max {ratios[-1]:.4f} (target < 0.10)"
        )
    print(f"  polling wrote nothing to the database: {before == after}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=60)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--engine", choices=("postgres", "sqlite"), default="postgres")
    args = parser.parse_args()
    asyncio.run(run(args.cases, args.repeat, args.engine))


if __name__ == "__main__":
    main()
