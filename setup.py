"""Build hook: the wheel carries the law data.

The law lives at the top of the repository (`procedures/`, `calendars/`,
`document_templates/`) so that a lawyer reads it without opening the package. A wheel built
from the repository copies those folders (and the licence) into `casefile/_data/`, where
`casefile.definitions.data_dir()` finds them when the repository is not there
(`pip install casefile` then `casefile init && casefile serve`, anywhere).
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

LAW_DATA = ("procedures", "calendars", "document_templates")
# and what `GET /source` (AGPL §13) serves beside the package
PROJECT_FILES = ("LICENSE", "README.md", "pyproject.toml", "setup.py", "MANIFEST.in")
IGNORED = shutil.ignore_patterns("*.py", "__pycache__", "~$*", ".~lock*")


class BuildWithLawData(build_py):
    def run(self) -> None:
        super().run()
        if self.editable_mode:
            return  # an editable install reads the repository's folders directly
        root = Path(__file__).resolve().parent
        target = Path(self.build_lib) / "casefile" / "_data"
        for name in LAW_DATA:
            shutil.copytree(root / name, target / name, ignore=IGNORED, dirs_exist_ok=True)
        for name in PROJECT_FILES:
            shutil.copy2(root / name, target / name)


setup(cmdclass={"build_py": BuildWithLawData})
