"""E-mail digest benchmark (issue 15 item 2): build the day's reminders (digest + alerts, plain
text and HTML, no sending) for 1 000 users, each the lawyer of 5 open cases with 3 of our
side's deadlines, on SQLite. Anchor, in the same run: building as many EmailMessage objects of
the same shape from fixed text (no query, no template), the floor of the work.

    .venv/bin/python bench/digest.py [--users 1000] [--cases-per-user 5]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TODAY = date(2026, 12, 1)


async def fill(users: int, per_user: int) -> None:
    import msgspec

    from casefile.store import explanations
    from casefile.store.db import atomic, bulk_insert, connect, migrate
    from casefile.store.explanations import digest_of
    from casefile.store.tables import Case, DeadlineRecord, Party, ReminderPrefs, UserAccount

    await connect()
    await migrate()
    now = datetime.now(UTC)
    async with atomic():
        await bulk_insert(
            UserAccount,
            [
                {"id": n, "name": f"avocat{n}", "role": "avocat", "active": True, "created_at": now}
                for n in range(1, users + 1)
            ],
        )
        await bulk_insert(
            ReminderPrefs,
            [
                {
                    "user": n,
                    "email": f"avocat{n}@cabinet.example.fr",
                    "digest": True,
                    "digest_days": 7,
                    "alerts": True,
                    "alert_days": 3,
                    "updated_at": now,
                }
                for n in range(1, users + 1)
            ],
        )
        cases, parties, deadlines = [], [], []
        bodies: dict[bytes, bytes] = {}
        for n in range(1, users * per_user + 1):
            lawyer = (n - 1) // per_user + 1
            cases.append(
                {
                    "id": n,
                    "reference": f"2026-{n:06d}",
                    "procedure": "injonction_de_payer",
                    "court_department": "75",
                    "lawyer": lawyer,
                    "status": "open",
                    "version": 1,
                    "warnings": "[]",
                    "created_at": now,
                    "updated_at": now,
                }
            )
            parties.append({"case": n, "role": "debtor", "name": f"Débiteur {n} SARL"})
            for k, (key, offset) in enumerate(
                (("signification_ordonnance", -2), ("formule_executoire", 2), ("appel", 6))
            ):
                due = TODAY + timedelta(days=offset + n % 3)
                deadlines.append(
                    {
                        "case": n,
                        "key": key,
                        "due": due,
                        "status": "pending",
                        "digest": digest_of(
                            body := msgspec.json.encode(
                                {
                                    "key": key,
                                    "label": f"Échéance {k + 1}",
                                    "due": due.isoformat(),
                                    "actor": "avocat",
                                    "basis": "CPC art. 1411",
                                }
                            )
                        ),
                        "updated_at": now,
                    }
                )
                bodies[deadlines[-1]["digest"]] = body
        await bulk_insert(Case, cases)
        await bulk_insert(Party, parties)
        await explanations.store(bodies)
        await bulk_insert(DeadlineRecord, deadlines)


async def build() -> tuple[float, float, int]:
    """(seconds to select every reminder due, seconds to render the digests, digests)."""
    from casefile.services.reminders import due_messages

    start = time.perf_counter()
    due = await due_messages(TODAY)
    selected = time.perf_counter() - start
    digests = [o for o in due if o.kind == "digest"]
    start = time.perf_counter()
    for outgoing in digests:
        outgoing.render()
    return selected, time.perf_counter() - start, len(digests)


def anchor(count: int) -> float:
    text = "Bonjour,\n\n" + "- jeudi 3 décembre 2026 — Échéance — 2026-000001\n" * 4
    html = "<html><body>" + "<li>jeudi 3 décembre 2026</li>" * 4 + "</body></html>"
    start = time.perf_counter()
    for n in range(count):
        message = EmailMessage()
        message["From"] = "casefile <rappels@cabinet.example.fr>"
        message["To"] = f"avocat{n}@cabinet.example.fr"
        message["Subject"] = "casefile — vos échéances"
        message.set_content(text)
        message.add_alternative(html, subtype="html")
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=1000)
    parser.add_argument("--cases-per-user", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["CASEFILE_DATABASE_URL"] = f"sqlite:///{tmp}/bench.db"
        os.environ["CASEFILE_VAR_DIR"] = tmp
        os.environ.setdefault("CASEFILE_SECRET_KEY", "bench")

        async def run() -> tuple[float, float, int]:
            from casefile.store.db import close

            await fill(args.users, args.cases_per_user)
            try:
                return await build()
            finally:
                await close()

        selected, rendered, count = asyncio.run(run())
    floor = anchor(count)
    total = selected + rendered
    print(
        f"digest build: {args.users} users, {args.users * args.cases_per_user} cases: "
        f"selection of every reminder due {selected:.2f} s, rendering of {count} digests "
        f"(text + HTML) {rendered:.2f} s; total {total:.2f} s "
        f"({total / args.users * 1000:.2f} ms a user)"
    )
    print(
        f"anchor: {count} bare EmailMessage objects (fixed text + HTML) in {floor:.2f} s; "
        f"ratio {total / floor:.1f}x"
    )


if __name__ == "__main__":
    main()
