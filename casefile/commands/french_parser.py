"""argparse speaking French: usage, section titles, `-h` and its own error messages.

argparse writes its messages in English through gettext, and Python ships no French catalogue
for it; a person typing `casefile` reads French (DESIGN.md names the options, not their help).
The parser below keeps argparse's behaviour — exit status 2, usage then one error line — and
only rewords: its errors are matched by the English templates of argparse (Python 3.11–3.13)
and rewritten; an unknown one is printed as argparse wrote it rather than lost.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Iterable
from typing import Any, NoReturn

_ERRORS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.DOTALL), replacement)
    for pattern, replacement in (
        (r"^the following arguments are required: (.*)$", r"arguments obligatoires manquants : \1"),
        (r"^unrecognized arguments: (.*)$", r"arguments non reconnus : \1"),
        (r"^one of the arguments (.*) is required$", r"l'un des arguments \1 est obligatoire"),
        (r"^ambiguous option: (.*) could match (.*)$", r"option ambiguë : \1 peut désigner \2"),
        (r"^unexpected option string: (.*)$", r"option inattendue : \1"),
        (r"^argument (.*?): (.*)$", r"argument \1 : \2"),
    )
)
"""argparse's whole-message templates (its `error()` calls and `ArgumentError.__str__`)."""

_DETAILS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.DOTALL), replacement)
    for pattern, replacement in (
        (
            r"invalid choice: (.*) \(choose from (.*)\)$",
            r"choix invalide : \1 (valeurs possibles : \2)",
        ),
        (r"invalid int value: (.*)$", r"nombre entier invalide : \1"),
        (r"invalid float value: (.*)$", r"nombre invalide : \1"),
        (r"invalid (\w+) value: (.*)$", r"valeur invalide (\1) : \2"),
        (r"expected one argument$", "une valeur est attendue"),
        (r"expected at most one argument$", "une valeur au plus est attendue"),
        (r"expected at least one argument$", "au moins une valeur est attendue"),
        (r"expected (\d+) arguments?$", r"\1 valeur(s) attendue(s)"),
        (r"not allowed with argument (.*)$", r"incompatible avec l'argument \1"),
        (r"ignored explicit argument (.*)$", r"valeur explicite ignorée : \1"),
        (r"can't open '(.*)': (.*)$", r"impossible d'ouvrir « \1 » : \2"),
    )
)
"""The detail after `argument X: ` (`ArgumentError` messages)."""


def french_error(message: str) -> str:
    """argparse's English error message, in French (unchanged when not recognised)."""
    for pattern, replacement in _ERRORS:
        if pattern.match(message):
            message = pattern.sub(replacement, message, count=1)
            break
    head, sep, detail = message.partition(" : ")
    if sep and head.startswith("argument "):
        for pattern, replacement in _DETAILS:
            if pattern.match(detail):
                detail = pattern.sub(replacement, detail, count=1)
                if pattern.pattern.startswith("invalid "):  # the values argparse wrote as reprs
                    detail = _REPR.sub(r"« \1 »", detail)
                return head + sep + detail
    return message


_REPR = re.compile(r"'([^'\\]*)'")
"""A value argparse quotes with repr() ('xml'), shown as « xml »."""


class FrenchHelpFormatter(argparse.HelpFormatter):
    def add_usage(
        self,
        usage: str | None,
        actions: Iterable[argparse.Action],
        groups: Iterable[argparse._MutuallyExclusiveGroup],
        prefix: str | None = None,
    ) -> None:
        super().add_usage(usage, actions, groups, "usage : " if prefix is None else prefix)


class FrenchParser(argparse.ArgumentParser):
    """An ArgumentParser whose help and errors are French; its subcommands are too (argparse
    builds them with the parent's class)."""

    def __init__(self, prog: str | None = None, *, add_help: bool = True, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", FrenchHelpFormatter)
        super().__init__(prog, add_help=False, **kwargs)
        self._positionals.title = "arguments"
        self._optionals.title = "options"
        if add_help:
            self.add_argument("-h", "--help", action="help", help="afficher cette aide et quitter")

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog} : erreur : {french_error(message)}\n")
