"""What a person reads from `casefile` is French: argparse's help and errors, the one-line
error of a refused input, every help text of every command (DESIGN.md §4 names the options,
not their help, so the help speaks the user's language)."""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from casefile.cli import build_parser
from casefile.commands.french_parser import french_error

ROOT = Path(__file__).resolve().parents[2]
ENGLISH = re.compile(
    r"\b(?:the|of|is|are|default|e\.g|when|which|with|from|this|its|to|for|and|or|an|"
    r"invoices?|cases?|records?|delete|remove|list|show|payments?|users?|number|files?|every|"
    r"new|than|after|before|digits|withdraw|received|load|daily|already|output)\b"
)
"""English words a French help text never needs (it may quote option names and values)."""


def _parsers(parser: argparse.ArgumentParser) -> Iterator[tuple[str, argparse.ArgumentParser]]:
    yield parser.prog, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for child in action.choices.values():
                yield from _parsers(child)


def _help_texts() -> Iterator[tuple[str, str]]:
    parser = build_parser()
    if parser.description:
        yield parser.prog, parser.description
    for prog, each in _parsers(parser):
        for action in each._actions:
            if action.help and action.help != argparse.SUPPRESS:
                yield f"{prog} {'/'.join(action.option_strings) or action.dest}", action.help
            if isinstance(action, argparse._SubParsersAction):
                for choice in action._choices_actions:
                    if choice.help:
                        yield f"{prog} {choice.dest}", choice.help


def _without_quoted(text: str) -> str:
    """Option names, metavars and quoted values are not prose."""
    text = re.sub(r"`[^`]*`|'[^']*'|« [^»]* »|--[\w-]+|[A-Z_]{2,}[\w=./:-]*", " ", text)
    return re.sub(r"\S*[=:/]\S*", " ", text)


def test_every_help_text_is_french() -> None:
    texts = list(_help_texts())
    assert len(texts) > 150
    english = [
        (where, text) for where, text in texts if ENGLISH.search(_without_quoted(text).lower())
    ]
    assert english == []


def test_every_required_option_says_what_it_takes() -> None:
    """A person at 7 p.m. reads `casefile case new --help` to learn what --procedure or --court
    expects: no required option is left bare."""
    bare = [
        (prog, action.option_strings)
        for prog, each in _parsers(build_parser())
        for action in each._actions
        if action.option_strings and action.required and not action.help
    ]
    assert bare == []
    help_text = " ".join(
        next(p for prog, p in _parsers(build_parser()) if prog == "casefile case new")
        .format_help()
        .split()
    )
    assert (
        "clé de la procédure : injonction_de_payer, refere_provision, assignation_paiement, "
        in (help_text)
    )
    assert "département du siège de la juridiction (75, 2A, 67, 974…)" in help_text


def test_usage_sections_and_help_option_are_french() -> None:
    help_text = build_parser().format_help()
    assert help_text.startswith("usage : casefile [-h] [--as NAME] COMMAND ...")
    assert "\narguments:\n" in help_text and "\noptions:\n" in help_text
    assert "-h, --help  afficher cette aide et quitter" in help_text
    assert "show this help" not in help_text


@pytest.mark.parametrize(
    ("english", "french"),
    [
        (
            "the following arguments are required: --role",
            "arguments obligatoires manquants : --role",
        ),
        (
            "argument --format: invalid choice: 'xml' (choose from 'json', 'table')",
            "argument --format : choix invalide : « xml » (valeurs possibles : « json », « table »)",
        ),
        (
            "argument --count: invalid int value: 'trois'",
            "argument --count : nombre entier invalide : « trois »",
        ),
        ("argument --date: expected one argument", "argument --date : une valeur est attendue"),
        ("unrecognized arguments: --colour", "arguments non reconnus : --colour"),
        (
            "argument --force: not allowed with argument --reuse",
            "argument --force : incompatible avec l'argument --reuse",
        ),
        (
            "one of the arguments --case --lawyer --commissaire is required",
            "l'un des arguments --case --lawyer --commissaire est obligatoire",
        ),
        ("something argparse may say one day", "something argparse may say one day"),
    ],
)
def test_argparse_errors_are_reworded(english: str, french: str) -> None:
    assert french_error(english) == french


def test_a_refused_command_line_says_so_in_french_with_status_2() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "casefile.cli", "deadlines", "--format", "xml"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.splitlines()[-1] == (
        "casefile deadlines : erreur : argument --format : choix invalide : « xml » "
        "(valeurs possibles : « json », « table », « jsonl »)"
    )
    missing = subprocess.run(
        [sys.executable, "-m", "casefile.cli", "deadlines", "--format", "json"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert missing.returncode == 2
    assert missing.stderr.strip() == (
        "casefile : erreur : --procedure est obligatoire (ou --batch FILE.jsonl)"
    )


def test_init_counts_the_migrations_it_applies(tmp_path: Path) -> None:
    """A first `casefile init` printed thirty-odd migration identifiers on one line; it says
    how many, and the first and last."""
    from casefile.commands.cases import migrations_fr

    assert migrations_fr([]) == "à jour"
    assert migrations_fr(["2026-11-30T16:55:00:000000"]) == (
        "1 migration appliquée (2026-11-30T16:55:00:000000)"
    )
    env = {
        **os.environ,
        "CASEFILE_DATABASE_URL": f"sqlite:///{tmp_path}/init.db",
        "CASEFILE_VAR_DIR": str(tmp_path),
        "CASEFILE_EVIDENCE_URL": f"file://{tmp_path}/evidence",
    }
    first = subprocess.run(
        [sys.executable, "-m", "casefile", "init"], env=env, capture_output=True, text=True
    )
    assert first.returncode == 0, first.stderr
    line = first.stdout.splitlines()[0]
    assert re.fullmatch(
        rf"base de données sqlite:///{re.escape(str(tmp_path))}/init\.db : \d+ migrations "
        r"appliquées \(de [\dT:-]+ à [\dT:-]+\)",
        line,
    ), line
    again = subprocess.run(
        [sys.executable, "-m", "casefile", "init"], env=env, capture_output=True, text=True
    )
    assert again.stdout.splitlines()[0].endswith(" : à jour")


def _commands(parser: argparse.ArgumentParser, words: tuple[str, ...] = ()) -> Iterator[tuple]:
    """Every command line that names a command and nothing else (`case new`, `rate list`…)."""
    found = False
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, child in action.choices.items():
                found = True
                yield from _commands(child, (*words, name))
    if not found and words:
        yield words


def test_a_command_is_read_by_its_own_parser_alone_exactly_as_by_the_full_one():
    """`casefile X …` builds the parser of X alone (a process start builds the others no more):
    each command's help and each command's values are the full parser's."""
    from casefile.cli import _OnlyOne

    full = build_parser()
    lines = list(_commands(full))
    assert len(lines) > 50
    for words in lines:
        only = _OnlyOne(None, words[0])
        alone = build_parser(only)
        assert only.found, words
        assert _help_of(alone, words) == _help_of(full, words), words
    line = [
        "deadlines",
        "--procedure",
        "injonction_de_payer",
        "--event",
        "ordonnance_rendue=2026-03-02",
    ]
    only = _OnlyOne(None, "deadlines")
    assert vars(build_parser(only).parse_args(line)) == vars(full.parse_args(line))


def _help_of(parser: argparse.ArgumentParser, words: tuple[str, ...]) -> str:
    for word in words:
        sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
        parser = sub.choices[word]
    return parser.format_help()


def test_a_misspelt_command_is_refused_with_every_command_named():
    """A first word that names no command is read by the full parser: its refusal lists them."""
    result = subprocess.run(
        [sys.executable, "-m", "casefile.cli", "deadline"], capture_output=True, text=True
    )
    assert result.returncode == 2
    assert "deadlines" in result.stderr and "evidence" in result.stderr, result.stderr


def test_every_command_prints_its_help():
    """A help text holding a bare « % » made `casefile rate add --help` end in a traceback
    (argparse formats help texts with %)."""
    for words in _commands(build_parser()):
        result = subprocess.run(
            [sys.executable, "-m", "casefile.cli", *words, "--help"], capture_output=True, text=True
        )
        assert result.returncode == 0, (words, result.stderr[-300:])
        assert result.stdout.startswith("usage : casefile"), words
