"""`casefile serve [--host H] [--port P]`: the API and the pages under uvicorn."""

from __future__ import annotations

import argparse
import errno
import os
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


def served_base_url(host: str, port: int) -> str:
    """Where this server answers, for the links it hands out (calendar subscriptions, .ics
    and e-mail links) when CASEFILE_BASE_URL is not set: they pointed to port 8000 whatever
    `--port` (`make run PORT=8080`) was. A wildcard host is reached on the loopback."""
    if host in ("", "0.0.0.0", "::"):
        host = "127.0.0.1"
    elif ":" in host:
        host = f"[{host}]"  # an IPv6 address
    return f"http://{host}:{port}"


def run(args: argparse.Namespace) -> int:
    import uvicorn

    from casefile.api.app import create_app
    from casefile.settings import reset_settings

    _check_port_free(args.host, args.port)
    derived = not os.environ.get("CASEFILE_BASE_URL", "").strip()
    if derived:
        os.environ["CASEFILE_BASE_URL"] = served_base_url(args.host, args.port)
        reset_settings()
    print(
        f"casefile : http://{args.host}:{args.port}/  (API : /api/, OpenAPI : /schema)", flush=True
    )
    if derived:
        # Behind a proxy, or with several instances on one database, each instance would hand
        # out its own address (and the calendar feeds would differ from one to the other).
        print(
            f"liens des calendriers et des courriels : {os.environ['CASEFILE_BASE_URL']} "
            "(CASEFILE_BASE_URL non défini ; définissez-le derrière un proxy ou avec plusieurs "
            "instances)",
            flush=True,
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
