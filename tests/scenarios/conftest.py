"""Collect `tests/scenarios/*.toml`: one test per scenario, named by its title.

The files are the core's proof in words a lawyer reads (docs/scenarios.md): the events, the
court, where the debtor lives, the date the statuses are judged on, and for each deadline the
expected date and the article that decides it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from casefile.definitions import engine
from tests.scenarios.format import Scenario, check, load


def pytest_collect_file(parent: pytest.Collector, file_path: Path) -> pytest.Collector | None:
    if file_path.suffix == ".toml" and file_path.parent == Path(__file__).parent:
        return ScenarioFile.from_parent(parent, path=file_path)
    return None


class ScenarioFile(pytest.File):
    def collect(self) -> Iterator[pytest.Item]:
        for scenario in load(self.path):
            yield ScenarioItem.from_parent(self, name=scenario.title, scenario=scenario)


class ScenarioFailed(AssertionError):
    pass


class ScenarioItem(pytest.Item):
    def __init__(self, *, scenario: Scenario, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.scenario = scenario

    def runtest(self) -> None:
        problems = check(engine(), self.scenario)
        if problems:
            raise ScenarioFailed("\n".join(problems))

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        if isinstance(excinfo.value, ScenarioFailed):
            note = f"\n({self.scenario.note})" if self.scenario.note else ""
            return f"{self.path.name} — {self.scenario.title}\n{excinfo.value}{note}"
        return str(super().repr_failure(excinfo))

    def reportinfo(self) -> tuple[Path, int | None, str]:
        return self.path, None, f"scenario: {self.scenario.title}"
