"""The test course in a folder, and in a git repository with the platform's clone."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.factories import commit_all, git, write_test_course


@pytest.fixture
def course_root(tmp_path) -> Path:
    """A folder of courses holding the test course."""
    root = tmp_path / "courses"
    root.mkdir()
    write_test_course(root)
    return root


@pytest.fixture
def git_courses(tmp_path):
    """An 'origin' repository the authors push to, and the platform's clone of it."""
    origin = tmp_path / "origin"
    origin.mkdir()
    git(origin, "init", "-q", "-b", "main")
    write_test_course(origin)
    first = commit_all(origin, "First course")
    clone = tmp_path / "platform-courses"
    subprocess.run(["git", "clone", "-q", str(origin), str(clone)], check=True,
                   capture_output=True)
    return origin, clone, first
