"""The lock files pin every dependency that pyproject.toml names, exactly and with hashes."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LOCKS = {
    "lock.txt": lambda project: project["dependencies"],
    "lock-test.txt": lambda project: [
        *project["dependencies"], *project["optional-dependencies"]["test"]
    ],
}


def _name(requirement: str) -> str:
    """pyproject's 'psycopg[binary]>=3.1' -> 'psycopg' (names normalised as pip does)."""
    name = re.match(r"[A-Za-z0-9._-]+", requirement).group(0)
    return re.sub(r"[-_.]+", "-", name).lower()


def _locked(path: Path) -> dict[str, str]:
    """Each requirement of a lock file, joined across its continuation lines."""
    text = path.read_text().replace("\\\n", " ")
    entries = {}
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            entries[_name(line)] = line
    return entries


@pytest.mark.parametrize("lock", sorted(LOCKS))
def test_every_locked_package_is_pinned_exactly_with_hashes(lock):
    entries = _locked(ROOT / "requirements" / lock)
    assert len(entries) > 20
    for name, line in entries.items():
        assert re.match(rf"{re.escape(name)}(\[[^\]]+\])?==[0-9][^ ;]* ", line.lower()), line
        assert "--hash=sha256:" in line, line


@pytest.mark.parametrize("lock", sorted(LOCKS))
def test_every_dependency_of_pyproject_is_in_the_lock(lock):
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    locked = _locked(ROOT / "requirements" / lock)
    wanted = {_name(requirement) for requirement in LOCKS[lock](project)}
    assert wanted - set(locked) == set()
    assert "setuptools" in locked  # the README installs with --no-build-isolation
