"""Where the law's data files live, and the engine built from them (loaded once a process).

The data sits at the top of the repository (`procedures/`, `calendars/`) so a lawyer can read it
without opening the package; a wheel carries a copy (setup.py); `CASEFILE_DATA_DIR` points
elsewhere (a reviewed fork of the law).
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from casefile.law.parameters import Parameter, load_parameters
from casefile.law.procedures import check_parameter_references, load_procedures
from casefile.law.recorded_rates import load_recorded_rates, merge_recorded_rates
from casefile.law.schedule import Engine
from casefile.law.territories import load_territories

if TYPE_CHECKING:
    from casefile.law.dunning import Dunning


def data_dir() -> Path:
    """`CASEFILE_DATA_DIR`, else the repository's top level, else the copy inside the wheel."""
    configured = os.environ.get("CASEFILE_DATA_DIR")
    if configured:
        return Path(configured)
    package = Path(__file__).resolve().parent
    repository = package.parent
    if (repository / "procedures").is_dir():
        return repository
    return package / "_data"  # written by setup.py's build hook


def procedures_dir() -> Path:
    return data_dir() / "procedures"


def calendars_file() -> Path:
    return data_dir() / "calendars" / "territories.toml"


def templates_dir() -> Path:
    return data_dir() / "document_templates"


def recorded_rates_file(root: Path | None = None) -> Path:
    """The overlay of semester rates recorded after publication (`casefile.law.recorded_rates`):
    `CASEFILE_RATES_FILE` for the law in service, else `rates/recorded.toml` beside the data."""
    configured = os.environ.get("CASEFILE_RATES_FILE")
    if configured and root is None:
        return Path(configured)
    return (root or data_dir()) / "rates" / "recorded.toml"


LAW_FILES = ("procedures/*.toml", "calendars/*.toml", "rates/*.toml")


def load_engine(root: Path, rates_file: Path | None = None) -> Engine:
    """A fresh engine over the law data under `root` (`procedures/`, `calendars/`, the
    recorded rates), with its own caches: two versions of the law can be loaded side by side
    (casefile law impact)."""
    procedures = load_procedures(root / "procedures")
    parameters = load_parameters(root / "procedures" / "parameters.toml")
    rates = rates_file or recorded_rates_file(root)
    parameters = merge_recorded_rates(parameters, load_recorded_rates(rates), str(rates))
    check_parameter_references(procedures, parameters)
    return Engine(procedures, load_territories(root / "calendars" / "territories.toml"), parameters)


@lru_cache(maxsize=1)
def parameters() -> dict[str, Parameter]:
    return dict(engine().parameters)


@lru_cache(maxsize=1)
def engine() -> Engine:
    """The engine over the law data in service (validated on load, once a process)."""
    return load_engine(data_dir(), recorded_rates_file())


def dunning_file(root: Path | None = None) -> Path:
    return (root or data_dir()) / "procedures" / "relances.toml"


@lru_cache(maxsize=1)
def dunning() -> Dunning:
    """The reminder scenarios in service (`procedures/relances.toml`), validated once a process."""
    from casefile.law.dunning import load_dunning  # not imported by `casefile deadlines`

    return load_dunning(dunning_file())
