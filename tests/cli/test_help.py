"""Every option of every command says what it is for in `--help` (a user without the browser
reads nothing else)."""

from __future__ import annotations

import argparse

from casefile.cli import build_parser


def _options_without_help(parser: argparse.ArgumentParser, path: tuple[str, ...]) -> list[str]:
    found = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                found += _options_without_help(sub, (*path, name))
        elif action.option_strings and not action.help:
            found.append(" ".join((*path, action.option_strings[-1])))
    return found


def test_every_option_has_its_help() -> None:
    assert _options_without_help(build_parser(), ("casefile",)) == []
