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


def test_the_links_handed_out_point_to_the_port_served(
    monkeypatch: pytest.MonkeyPatch, tmp_path: object, capsys: pytest.CaptureFixture[str]
) -> None:
    """`make run PORT=8080`: the calendar subscription address and the .ics links said
    http://127.0.0.1:8000 (CASEFILE_BASE_URL's default), where nothing answered."""
    import uvicorn

    from casefile.commands.serve import served_base_url
    from casefile.settings import get_settings, reset_settings

    assert served_base_url("127.0.0.1", 8080) == "http://127.0.0.1:8080"
    assert served_base_url("0.0.0.0", 8080) == "http://127.0.0.1:8080"
    assert served_base_url("::1", 8080) == "http://[::1]:8080"
    seen: list[str] = []
    monkeypatch.setattr(uvicorn, "run", lambda *a, **k: seen.append(get_settings().base_url))
    monkeypatch.setenv("CASEFILE_VAR_DIR", str(tmp_path))
    monkeypatch.delenv("CASEFILE_BASE_URL", raising=False)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    try:
        assert main(["serve", "--host", "127.0.0.1", "--port", str(port)]) == 0
        # A base URL set by the administrator (a domain behind a proxy) is kept.
        monkeypatch.setenv("CASEFILE_BASE_URL", "https://recouvrement.example.fr")
        reset_settings()
        assert main(["serve", "--host", "127.0.0.1", "--port", str(port)]) == 0
    finally:
        monkeypatch.undo()
        reset_settings()
    assert seen == [f"http://127.0.0.1:{port}", "https://recouvrement.example.fr"]
    # The derived address is said once, with what to do behind a proxy; a set one is not.
    notice = (
        f"liens des calendriers et des courriels : http://127.0.0.1:{port} (CASEFILE_BASE_URL "
        "non défini ; définissez-le derrière un proxy ou avec plusieurs instances)"
    )
    assert capsys.readouterr().out.count(notice) == 1
