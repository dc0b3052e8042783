"""Shared fixtures. The environment is set before anything from casefile is imported."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# The project's shared notes beside the repository (a worktree elsewhere names them).
SHARED = Path(os.environ.get("CASEFILE_SHARED_DIR") or ROOT.parent / "shared")

os.environ.setdefault("CASEFILE_SECRET_KEY", "test-secret-key-not-for-production")
# The apps the tests create run no background jobs (a nightly recomputation starting in the
# middle of a test would change its data); tests/jobs turns them on where it tests them.
os.environ.setdefault("CASEFILE_JOBS", "off")
# Recorded semester rates (casefile rate add) go to a temporary overlay, never the repository's
# (its folder removed when the test run ends).
if "CASEFILE_RATES_FILE" not in os.environ:
    _RATES_DIR = tempfile.mkdtemp(prefix="casefile-rates-")
    atexit.register(shutil.rmtree, _RATES_DIR, ignore_errors=True)
    os.environ["CASEFILE_RATES_FILE"] = str(Path(_RATES_DIR) / "recorded.toml")
# Parsed law files (casefile.law.parsed_cache) kept in a folder of this run, not the user's.
if "CASEFILE_CACHE_DIR" not in os.environ:
    _CACHE_DIR = tempfile.mkdtemp(prefix="casefile-cache-")
    atexit.register(shutil.rmtree, _CACHE_DIR, ignore_errors=True)
    os.environ["CASEFILE_CACHE_DIR"] = _CACHE_DIR


@pytest.fixture(scope="session")
def engine():
    from casefile.definitions import engine as load

    return load()
