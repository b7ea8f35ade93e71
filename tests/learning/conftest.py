"""Courses inserted straight into the database, and helpers to answer quizzes."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from flask import current_app

from elearn.extensions import db
from elearn.learning.models import Attempt
from elearn.publishing.models import Course, CourseVersion, Module, Option, Question
from elearn.publishing.signals import version_published
from elearn.types import utcnow


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
                  order: int | None = None, draw: int | None = None) -> int:
    """A published course version with its modules; returns the version id."""
    course = db.session.get(Course, course_id) or Course(id=course_id)
    db.session.add(course)
    version = CourseVersion(
        course_id=course_id, content_hash="0" * 64, languages=list(languages),
        title=_texts(languages, f"Course {course_id}"),
        summary=_texts(languages, f"Summary of {course_id}"), hours=2.0, pass_mark=pass_mark,
        attempts=attempts, certificate_valid_months=24, published=published,
        catalogue_order=order, module_count=len(modules), total_minutes=10 * len(modules),
    )
    for position, (key, has_quiz) in enumerate(modules, start=1):
        questions = _quiz(languages, f"{course_id}/{key}") if has_quiz else []
        version.modules.append(Module(
            key=key, position=position, title=_texts(languages, f"Module {key}"),
            html=_texts(languages, f"<h2>Lesson {key}</h2><p>LESSON-BODY {key}</p>"),
            minutes=10, pass_mark=pass_mark, draw=draw, question_count=len(questions),
            questions=questions,
        ))
    db.session.add(version)
    db.session.flush()
    course.live_version = version
    course.retired_at = None
    version_published.send(current_app._get_current_object(), version=version)  # as sync does
    db.session.commit()
    return version.id


@pytest.fixture
def make_course(app):
    def factory(course_id: str = "demo", **kwargs) -> int:
        with app.app_context():
            return insert_course(course_id, **kwargs)

    return factory


def retire(app, course_id: str) -> None:
    with app.app_context():
        db.session.get(Course, course_id).retired_at = utcnow()
        db.session.commit()


@dataclass
class Drawn:
    attempt_id: int
    right: dict[str, list[str]]  # form data answering every question correctly
    wrong: dict[str, list[str]]  # form data answering every question wrongly


def open_attempt(app, client, course_id: str = "demo", module_key: str = "signs") -> Drawn:
    """Start the quiz (a POST), GET its page and work out, from the stored attempt,
    what to answer."""
    from tests.conftest import csrf_token

    quiz = f"/learn/{course_id}/{module_key}/quiz"
    started = client.post(f"{quiz}/start", data={"csrf_token": csrf_token(client, "/courses")})
    assert started.status_code == 303, started.status_code
    response = client.get(quiz)
    assert response.status_code == 200, response.status_code
    match = re.search(r'name="attempt" value="(\d+)"', response.get_data(as_text=True))
    assert match, "no attempt on the quiz page"
    attempt_id = int(match.group(1))
    right: dict[str, list[str]] = {}
    wrong: dict[str, list[str]] = {}
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        for index, item in enumerate(attempt.questions):
            correct = {o.id for o in db.session.get(Question, item["id"]).options if o.correct}
            shown = item["options"]
            right[f"q-{index}"] = [str(p) for p, oid in enumerate(shown) if oid in correct]
            wrong[f"q-{index}"] = [str(p) for p, oid in enumerate(shown) if oid not in correct][:1]
    return Drawn(attempt_id, right, wrong)


def submit(client, drawn: Drawn, answers: dict, course_id: str = "demo",
           module_key: str = "signs", token: str | None = None, attempt_id=None):
    from tests.conftest import csrf_token

    token = token or csrf_token(client, "/courses")
    data = {"csrf_token": token,
            "attempt": str(drawn.attempt_id if attempt_id is None else attempt_id)}
    data.update(answers)
    return client.post(f"/learn/{course_id}/{module_key}/quiz", data=data)


def post(client, path: str, **data):
    from tests.conftest import csrf_token

    data.setdefault("csrf_token", csrf_token(client, "/courses"))
    return client.post(path, data=data)


def main_html(response) -> str:
    return response.get_data(as_text=True).split("<main", 1)[1].split("</main>", 1)[0]
