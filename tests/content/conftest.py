"""Fixtures for the content pipeline's tests: the valid course and small course builders."""

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

VALID_ROOT = Path(__file__).parent / "valid"

MINIMAL_COURSE_FILE = """title:
  en: Demo course
summary:
  en: A course for tests.
hours: 1
"""
MINIMAL_MODULE = """---
title: Introduction
---

Some text.
"""

WriteCourseFolder = Callable[..., Path]


@pytest.fixture
def valid_course(tmp_path: Path) -> Path:
    """A copy of the valid two-language course, safe to modify."""
    target = tmp_path / "courses" / "recognising-victims"
    shutil.copytree(VALID_ROOT / "recognising-victims", target)
    return target


@pytest.fixture
def write_course_folder(tmp_path: Path) -> WriteCourseFolder:
    """Write a minimal one-language course with some files added, replaced or removed (None)."""

    def make(files: dict[str, str | bytes | None] | None = None, course_id: str = "demo") -> Path:
        folder = tmp_path / "courses" / course_id
        contents = {"course.yml": MINIMAL_COURSE_FILE, "01-intro.md": MINIMAL_MODULE}
        contents.update(files or {})
        folder.mkdir(parents=True)
        for rel, content in contents.items():
            if content is None:
                continue
            path = folder / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8")
        return folder

    return make


@pytest.fixture(autouse=True)
def _clean_tables() -> None:
    """Overrides tests/conftest.py's database cleanup: the content pipeline uses no database."""
