"""The parsed-TOML cache: the same values as the parser, keyed by the bytes, never in the way."""

from __future__ import annotations

import os
import tomllib
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path

import pytest

from casefile.errors import DefinitionError
from casefile.law import parsed_cache
from casefile.law.schema import read_toml

ROOT = Path(__file__).resolve().parents[2]
LAW_FILES = sorted(
    [
        *ROOT.glob("procedures/*.toml"),
        *ROOT.glob("calendars/*.toml"),
        *ROOT.glob("rates/*.toml"),
        ROOT / "document_templates" / "manifest.toml",
    ]
)

SAMPLE = """
title = "Délai"
count = 3
ratio = 2.5
flag = true
on = 2026-09-01
at = 2026-09-01T08:30:00+02:00
local = 2026-09-01T08:30:00
hour = 07:45:00
nested = { inner = [1, 2, { day = 2027-05-07 }] }

[[rows]]
key = "a"
valid_from = 1990-01-01
""".encode()


@pytest.fixture()
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("CASEFILE_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache"


def _entries(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.msgpack")) if folder.exists() else []


def test_sample_round_trip_keeps_every_type(folder: Path) -> None:
    expected = tomllib.loads(SAMPLE.decode())
    first = parsed_cache.loads(SAMPLE)  # parsed, written
    assert len(_entries(folder)) == 1
    second = parsed_cache.loads(SAMPLE)  # read back
    assert first == second == expected
    assert type(second["on"]) is date and second["on"] == date(2026, 9, 1)
    assert second["at"] == datetime(2026, 9, 1, 8, 30, tzinfo=timezone(timedelta(hours=2)))
    assert second["local"].tzinfo is None
    assert second["hour"] == time(7, 45)
    assert second["nested"]["inner"][2]["day"] == date(2027, 5, 7)
    assert type(second["ratio"]) is float and type(second["count"]) is int


@pytest.mark.parametrize("path", LAW_FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_law_file_reads_back_as_parsed(path: Path, folder: Path) -> None:
    raw = path.read_bytes()
    expected = tomllib.loads(raw.decode())
    assert parsed_cache.loads(raw) == expected
    assert parsed_cache.loads(raw) == expected  # from the entry


def test_a_hit_does_not_parse(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    parsed_cache.loads(SAMPLE)

    def refuse(raw: bytes) -> dict:
        raise AssertionError("parsed again")

    monkeypatch.setattr(parsed_cache, "parse", refuse)
    assert parsed_cache.loads(SAMPLE)["count"] == 3


def test_edited_bytes_are_parsed_again(folder: Path) -> None:
    assert parsed_cache.loads(b"count = 3\n")["count"] == 3
    assert parsed_cache.loads(b"count = 4\n")["count"] == 4
    assert parsed_cache.loads(b"count = 3 \n")["count"] == 3
    assert len(_entries(folder)) == 3


def test_each_read_is_a_fresh_value(folder: Path) -> None:
    first = parsed_cache.loads(SAMPLE)
    first["rows"][0]["key"] = "changed"
    assert parsed_cache.loads(SAMPLE)["rows"][0]["key"] == "a"


@pytest.mark.parametrize("damage", [b"", b"\xc1garbage", b"\x93\x01\x02\x03", b"\xd4\x09\x00"])
def test_a_damaged_entry_is_parsed_again_and_rewritten(folder: Path, damage: bytes) -> None:
    parsed_cache.loads(SAMPLE)
    (entry,) = _entries(folder)
    entry.write_bytes(damage)
    assert parsed_cache.loads(SAMPLE) == tomllib.loads(SAMPLE.decode())
    assert parsed_cache.loads(SAMPLE) == tomllib.loads(SAMPLE.decode())
    assert entry.read_bytes() != damage


def test_off_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CASEFILE_CACHE_DIR", "off")
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    assert parsed_cache.cache_dir() is None
    assert parsed_cache.loads(SAMPLE)["count"] == 3
    assert list(tmp_path.iterdir()) == []


def test_default_folder_follows_xdg(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CASEFILE_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert parsed_cache.cache_dir() == tmp_path / "xdg" / "casefile"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert parsed_cache.cache_dir() == tmp_path / "home" / ".cache" / "casefile"


def test_no_home_means_no_cache_never_a_relative_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A container's user without HOME nor passwd entry: `Path.home()` is « ~ » (relative),
    which would have put the entries under the current directory."""
    monkeypatch.delenv("CASEFILE_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/cache")  # ignored: not absolute
    monkeypatch.setattr(Path, "home", classmethod(lambda cls: Path("~")))
    monkeypatch.chdir(tmp_path)
    assert parsed_cache.cache_dir() is None
    assert parsed_cache.loads(SAMPLE)["count"] == 3
    assert list(tmp_path.iterdir()) == []

    def no_home(cls: type) -> Path:
        raise RuntimeError("Could not determine home directory.")

    monkeypatch.setattr(Path, "home", classmethod(no_home))
    assert parsed_cache.cache_dir() is None


def test_an_unwritable_folder_only_costs_the_parse(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the folder should be")
    monkeypatch.setenv("CASEFILE_CACHE_DIR", str(blocker))
    assert parsed_cache.loads(SAMPLE) == tomllib.loads(SAMPLE.decode())
    assert blocker.read_text() == "a file where the folder should be"


def test_invalid_toml_is_refused_and_never_kept(folder: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_bytes(b"key = [1, 2\n")
    with pytest.raises(DefinitionError, match="TOML invalide"):
        read_toml(bad)
    with pytest.raises(DefinitionError, match="TOML invalide"):
        read_toml(bad)  # still refused: nothing was kept
    assert _entries(folder) == []
    latin = tmp_path / "latin.toml"
    latin.write_bytes('titre = "Délai"\n'.encode("latin-1"))
    with pytest.raises(DefinitionError, match="pas en UTF-8"):
        read_toml(latin)


def test_strict_decoding_still_runs_on_a_cached_value(folder: Path, tmp_path: Path) -> None:
    from casefile.law.recorded_rates import load_recorded_rates

    path = tmp_path / "recorded.toml"
    path.write_text('unknown_key = "x"\n')
    for _ in range(2):  # the second time from the entry: refused the same way
        with pytest.raises(DefinitionError, match="unknown_key"):
            load_recorded_rates(path)


def test_old_entries_are_evicted(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parsed_cache, "MAX_ENTRIES", 8)
    for n in range(8):  # at the bound: nothing removed
        parsed_cache.loads(f"n = {n}\n".encode())
        entry = folder / parsed_cache.entry_name(f"n = {n}\n".encode())
        os.utime(entry, (1_000_000 + n, 1_000_000 + n))
    assert len(_entries(folder)) == 8
    parsed_cache.loads(b"n = 8\n")  # past it: the oldest removed, down to half
    names = {p.name for p in _entries(folder)}
    assert names == {parsed_cache.entry_name(f"n = {n}\n".encode()) for n in (5, 6, 7, 8)}
