"""`casefile serve [--host H] [--port P]`: the API and the pages under uvicorn."""

from __future__ import annotations

import argparse
import errno
import socket

from casefile.errors import Unavailable


def _check_port_free(host: str, port: int) -> None:
    """Refuse, in French, a port another process already listens on (typically the `make run`
    of the README's first command): uvicorn would say it in English after starting the app
    and its in-process jobs, and exit 3."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror:
        return  # an unknown host: uvicorn says so
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn binds
        try:
            probe.bind(address)
        except OSError as error:
            if error.errno != errno.EADDRINUSE:
                return
            raise Unavailable(
                f"le port {port} de {host} est déjà utilisé (un casefile déjà lancé, par "
                "exemple par « make run » ?) : l'arrêter, ou choisir un autre port "
                "(casefile serve --port 8080, make run PORT=8080)"
            ) from None


def run(args: argparse.Namespace) -> int:
    import uvicorn

    from casefile.api.app import create_app

    _check_port_free(args.host, args.port)
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
