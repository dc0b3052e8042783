"""`casefile worker [--concurrency N]`: run the background jobs until stopped (SIGINT/SIGTERM
finish the running jobs first). With PostgreSQL run one or more next to `casefile serve`; with
the embedded SQLite database `casefile serve` already runs them in-process, and this command
runs the same in-process worker without serving pages."""

from __future__ import annotations

import argparse
import asyncio
import gc
import logging

from casefile.errors import InputError


def run(args: argparse.Namespace) -> int:
    from casefile.definitions import engine
    from casefile.jobs import app as jobs
    from casefile.settings import get_settings
    from casefile.store import db

    if args.concurrency < 1:
        raise InputError("--concurrency: au moins 1")
    url = get_settings().database_url
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    mode = "dans le processus (SQLite)" if jobs.embedded(url) else "PostgreSQL"
    print(f"casefile worker : {mode}, {args.concurrency} tâche(s) à la fois", flush=True)
    if args.metrics_port is not None:
        from prometheus_client import start_http_server

        # No token on this port: bind it to an address only the scraper reaches.
        start_http_server(args.metrics_port, addr=args.metrics_host)
        print(
            f"casefile worker : métriques sur {args.metrics_host}:{args.metrics_port}", flush=True
        )

    async def main() -> None:
        await db.connect(url)
        # The law data and the modules loaded now live as long as the process: out of the
        # collector's full passes (issue 14 item 5: a full pass scanned them on every chunk).
        engine()
        gc.freeze()
        try:
            await db.require_schema()
            app = jobs.current()
            async with app.open_async():
                if not jobs.embedded(url) and not await jobs.schema_present(app):
                    raise InputError("schéma procrastinate absent : lancez d'abord `casefile init`")
                await app.run_worker_async(
                    concurrency=args.concurrency,
                    name=args.name,
                    install_signal_handlers=True,
                    delete_jobs="never",
                )
        finally:
            await db.close()

    asyncio.run(main())
    return 0
