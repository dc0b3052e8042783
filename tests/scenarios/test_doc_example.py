"""The first example of docs/scenarios.md is a scenario that passes as written: a newcomer
copies it to start a file. It asked for a debtor living abroad (+2 months, CPC art. 643) while
expecting the opposition on 30 March 2027 with a warning no such case gives, and marked itself
as carried over from the shared examples."""

from __future__ import annotations

import re
from pathlib import Path

from casefile.definitions import engine
from tests.scenarios.format import check, load

DOC = Path(__file__).resolve().parents[2] / "docs" / "scenarios.md"


def test_the_documented_example_passes(tmp_path: Path) -> None:
    block = re.search(r"```toml\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)
    assert block is not None
    path = tmp_path / "essai.toml"
    path.write_text(block.group(1), encoding="utf-8")
    (scenario,) = load(path)
    assert scenario.expect["opposition"].due.isoformat() == "2027-03-30"
    assert check(engine(), scenario) == []
