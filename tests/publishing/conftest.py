"""A small valid course, written into real folders and real git repositories."""

from __future__ import annotations

import subprocess
import textwrap
from pathlib import Path

import pytest

COURSE_YML = """\
title:
  lt: Bandomasis kursas
  en: A test course
summary:
  lt: Trumpas kursas testams.
  en: A short course for tests.
hours: 1.5
certificate_valid_months: 24
order: 5
"""

QUIZ = """\
```quiz
- id: first
  q: {q1}
  options:
    - text: {yes}
      correct: true
      feedback: {fb}
    - text: {no}
- id: second
  q: {q2}
  options:
    - text: A
      correct: true
    - text: B
      correct: true
    - text: C
  explain: {explain}
```
"""


def module_text(title: str, body: str, quiz: str = "") -> str:
    return f"---\ntitle: {title}\nminutes: 10\n---\n\n{body}\n\n{quiz}"


def write_course(root: Path, course_id: str = "test-course", *, body_note: str = "") -> Path:
    folder = root / course_id
    (folder / "media").mkdir(parents=True, exist_ok=True)
    (folder / "course.yml").write_text(COURSE_YML, encoding="utf-8")
    (folder / "media" / "flow.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10" role="img">'
        "<title>Flow</title><rect width='10' height='10'/></svg>",
        encoding="utf-8",
    )
    for lang, words in {
        "lt": ("Įvadas", "Tekstas apie atpažinimą.", "Ar tai ženklas?", "Taip", "Ne",
               "Teisingai.", "Kurie teisingi?", "Paaiškinimas."),
        "en": ("Introduction", "Text about recognition.", "Is this a sign?", "Yes", "No",
               "Right.", "Which are right?", "An explanation."),
    }.items():
        title, text, q1, yes, no, fb, q2, explain = words
        (folder / f"01-intro.{lang}.md").write_text(
            module_text(title, f"## {title}\n\n{text} {body_note}\n\n![{title}](media/flow.svg)"),
            encoding="utf-8",
        )
        quiz = QUIZ.format(q1=q1, yes=yes, no=no, fb=fb, q2=q2, explain=explain)
        (folder / f"02-signs.{lang}.md").write_text(
            module_text(f"{title} 2", f"## {title} 2\n\n{text}", quiz), encoding="utf-8"
        )
    return folder


def git(cwd: Path, *args: str) -> str:
    result = subprocess.run(
        ["git", "-C", str(cwd), *args], capture_output=True, text=True, check=True,
        env={"GIT_AUTHOR_NAME": "Author", "GIT_AUTHOR_EMAIL": "author@example.lt",
             "GIT_COMMITTER_NAME": "Author", "GIT_COMMITTER_EMAIL": "author@example.lt",
             "HOME": str(cwd), "PATH": "/usr/bin:/bin:/usr/local/bin"},
    )
    return result.stdout.strip()


def commit_all(repo: Path, message: str) -> str:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)
    return git(repo, "rev-parse", "HEAD")


@pytest.fixture
def course_root(tmp_path) -> Path:
    root = tmp_path / "courses"
    root.mkdir()
    write_course(root)
    return root


@pytest.fixture
def git_courses(tmp_path):
    """An 'origin' repository the authors push to, and the platform's clone of it."""
    origin = tmp_path / "origin"
    origin.mkdir()
    git(origin, "init", "-q", "-b", "main")
    write_course(origin)
    first = commit_all(origin, "First course")
    clone = tmp_path / "platform-courses"
    subprocess.run(["git", "clone", "-q", str(origin), str(clone)], check=True,
                   capture_output=True)
    return origin, clone, first


def dedent(text: str) -> str:
    return textwrap.dedent(text).lstrip()
