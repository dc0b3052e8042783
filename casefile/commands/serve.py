"""`casefile serve [--host H] [--port P]`: the API and the pages under uvicorn."""

from __future__ import annotations

import argparse


def run(args: argparse.Namespace) -> int:
    import uvicorn

    from casefile.api.app import create_app

    print(
        f"casefile : http://{args.host}:{args.port}/  (API : /api/, OpenAPI : /schema)", flush=True
    )
    # One process: the store's connection pool lives in the app's lifespan.
    uvicorn.run(
        create_app(),
        host=args.host,
        port=args.port,
        log_level="info",
        proxy_headers=False,
        server_header=False,
    )
    return 0
