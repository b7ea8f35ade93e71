"""Builders shared by the tests: courses in the database or in folders and git
repositories, accounts, progress and certificates. Plain functions; the conftest
fixtures wrap them (make_user, published_course, ...)."""

from __future__ import annotations

import secrets
import subprocess
import textwrap
from datetime import date, datetime, timedelta
from pathlib import Path

from flask import current_app

from elearn.auth import services as accounts
from elearn.auth.models import Role, User
from elearn.certificates.codes import new_code
from elearn.certificates.models import Certificate
from elearn.extensions import db
from elearn.learning.models import CourseProgress
from elearn.publishing.models import Course, CourseVersion, Module, Option, Question
from elearn.publishing.signals import version_published
from elearn.types import utcnow

PASSWORD = "correct horse battery staple"


def create_user(n: int, role: Role = Role.LEARNER, municipality: str | None = "LT-57",
                email: str | None = None, supervises: tuple[str, ...] = (), **fields) -> int:
    """A committed account (the n-th of the test); returns its id. Needs an app context."""
    user = accounts.create_user(
        email=email or f"user{n}@example.lt",
        full_name=fields.pop("full_name", f"Test User {n}"),
        password=fields.pop("password", PASSWORD),
        municipality_code=municipality,
        workplace=fields.pop("workplace", "Socialinių paslaugų centras"),
        profession=fields.pop("profession", "social_worker"),
        locale=fields.pop("locale", "en"),  # English pages read naturally in asserts
        **fields,
    )
    accounts.set_role(user, role, list(supervises) or None)
    db.session.commit()
    return user.id


def _texts(languages, text: str) -> dict[str, str]:
    return {lang: f"{text} [{lang}]" for lang in languages}


def _quiz(languages, prefix: str) -> list[Question]:
    """Two questions: one single choice, one multiple choice (A and B correct, C not)."""
    return [
        Question(
            key="first", position=1, multiple=False,
            text=_texts(languages, f"{prefix} Is this a sign?"),
            explain=_texts(languages, f"{prefix} EXPLAIN-FIRST"),
            options=[
                Option(position=1, correct=True, text=_texts(languages, "Yes"),
                       feedback=_texts(languages, "FEEDBACK-YES")),
                Option(position=2, correct=False, text=_texts(languages, "No"),
                       feedback=_texts(languages, "FEEDBACK-NO")),
            ],
        ),
        Question(
            key="second", position=2, multiple=True,
            text=_texts(languages, f"{prefix} Which are right?"),
            explain=_texts(languages, f"{prefix} EXPLAIN-SECOND"),
            options=[
                Option(position=1, correct=True, text=_texts(languages, "A"),
                       feedback=_texts(languages, "FEEDBACK-A")),
                Option(position=2, correct=True, text=_texts(languages, "B"),
                       feedback=_texts(languages, "FEEDBACK-B")),
                Option(position=3, correct=False, text=_texts(languages, "C"),
                       feedback=_texts(languages, "FEEDBACK-C")),
            ],
        ),
    ]


# (key, has quiz): read, quiz, read
DEFAULT_MODULES = (("intro", False), ("signs", True), ("next-steps", False))


def insert_course(course_id: str = "demo", *, languages=("lt", "en"), modules=DEFAULT_MODULES,
                  attempts: int = 3, pass_mark: int = 80, published: bool = True,
                  order: int | None = None, draw: int | None = None,
                  shuffle: bool = True, retired: bool = False,
                  countries: list[str] | None = None) -> int:
    """A course version with its modules, live (published unless told otherwise); returns
    the version id. Needs an app context; commits."""
    course = db.session.get(Course, course_id) or Course(id=course_id)
    db.session.add(course)
    version = CourseVersion(
        # A fresh hash each time: a database that reuses a deleted version's id must not
        # hand an earlier test's lesson HTML (cached per process) to this one.
        course_id=course_id, content_hash=secrets.token_hex(32), languages=list(languages),
        title=_texts(languages, f"Course {course_id}"),
        summary=_texts(languages, f"Summary of {course_id}"), hours=2.0, pass_mark=pass_mark,
        attempts=attempts, certificate_valid_months=24, published=published,
        catalogue_order=order, module_count=len(modules), total_minutes=10 * len(modules),
        countries=countries,
    )
    for position, (key, has_quiz) in enumerate(modules, start=1):
        questions = _quiz(languages, f"{course_id}/{key}") if has_quiz else []
        version.modules.append(Module(
            key=key, position=position, title=_texts(languages, f"Module {key}"),
            html=_texts(languages, f"<h2>Lesson {key}</h2><p>LESSON-BODY {key}</p>"),
            minutes=10, pass_mark=pass_mark, draw=draw, shuffle=shuffle,
            question_count=len(questions), questions=questions,
        ))
    db.session.add(version)
    db.session.flush()
    course.live_version = version
    course.retired_at = utcnow() if retired else None
    if not retired:  # as a sync does: learners who have done every module complete
        version_published.send(current_app._get_current_object(), version=version)
    db.session.commit()
    return version.id


def retire_course(app, course_id: str) -> None:
    """Withdraw the course, as a sync does when its folder is gone."""
    with app.app_context():
        db.session.get(Course, course_id).retired_at = utcnow()
        db.session.commit()


def insert_progress(user_id: int, course_id: str, status: str, *, done: int = 1,
                    at: datetime | None = None) -> None:
    """A learner's state in a course, as the learning feature keeps it. Commits."""
    at = at or utcnow()
    db.session.merge(CourseProgress(
        user_id=user_id, course_id=course_id, status=status, take=1,
        modules_done=4 if status == "completed" else done, module_total=4,
        started_at=at, last_activity_at=at,
        completed_at=at if status == "completed" else None,
    ))
    db.session.commit()


def insert_certificate(user_id: int, course_id: str, expires_on: date | None,
                       revoked: bool = False) -> int:
    """A certificate of the course for the learner; returns its id. Commits."""
    user = db.session.get(User, user_id)
    course = db.session.get(Course, course_id)
    cert = Certificate(
        code=f"code-{user_id}-{course_id}-{expires_on}", verification_code=new_code(),
        user_id=user_id,
        course_id=course_id, version_id=course.live_version_id,
        full_name=user.full_name, course_title=f"Course {course_id}", lang="en",
        hours=2.0, content_hash="0" * 64, municipality_code=user.municipality_code,
        municipality_name="", issued_on=(expires_on or date.today()) - timedelta(days=700),
        expires_on=expires_on, revoked_at=utcnow() if revoked else None,
    )
    db.session.add(cert)
    db.session.commit()
    return cert.id


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


def write_test_course(root: Path, course_id: str = "test-course", *, body_note: str = "") -> Path:
    """The two-language test course (two modules, a quiz, an SVG) as a folder in root."""
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


def dedent(text: str) -> str:
    return textwrap.dedent(text).lstrip()
