"""`casefile serve` on a port already taken (the README's `make run` still running in another
terminal when the tour reaches `casefile serve`): one French line and exit status 2, before
the app or its in-process jobs start — uvicorn said "[Errno 98] … address already in use" and
exited 3."""

from __future__ import annotations

import socket

import pytest

from casefile.cli import main


def test_a_port_in_use_is_refused_in_french(capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert main(["serve", "--host", "127.0.0.1", "--port", str(port)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""  # not even the banner
    assert captured.err == (
        f"casefile : erreur : le port {port} de 127.0.0.1 est déjà utilisé (un casefile déjà "
        "lancé, par exemple par « make run » ?) : l'arrêter, ou choisir un autre port "
        "(casefile serve --port 8080, make run PORT=8080)\n"
    )
