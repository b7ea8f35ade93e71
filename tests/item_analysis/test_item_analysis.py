"""Item analysis: figures computed by SQL match a plain computation, flags, access,
CSV, and a flat number of statements."""

from __future__ import annotations

import csv
import io
import random
import statistics
from contextlib import contextmanager
from datetime import timedelta

import pytest
from sqlalchemy import event, select

from elearn.auth.models import Role
from elearn.extensions import db
from elearn.item_analysis.services import (
    FLAG_EASY,
    FLAG_HARD,
    FLAG_NEGATIVE,
    FLAG_UNCHOSEN,
    MIN_ANSWERS,
    item_analysis,
    point_biserial,
)
from elearn.learning import grading
from elearn.learning.answers import record_answers
from elearn.learning.models import AnsweredQuestion, Attempt, ChosenOption
from elearn.publishing.models import CourseVersion, Module, Question
from elearn.types import utcnow
from tests.factories import create_user, insert_course
from tests.web import open_attempt, submit

MODULES = (("quiz", True),)


@contextmanager
def counting(engine):
    statements: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def _answer(user_id: int, version_id: int, module: Module, pick) -> None:
    """A submitted attempt whose choices come from pick(question, options) -> option ids."""
    questions = list(db.session.scalars(select(Question).where(Question.module_id == module.id)
                                        .order_by(Question.position)))
    drawn = [{"id": q.id, "key": q.key, "options": [o.id for o in q.options]} for q in questions]
    chosen = [pick(q, q.options) for q in questions]
    right = [{o.id for o in q.options if o.correct} for q in questions]
    result = grading.grade(chosen, right, module.pass_mark)
    now = utcnow()
    attempt = Attempt(user_id=user_id, course_id=module.version.course_id, module_key=module.key,
                      version_id=version_id, questions=drawn, pass_mark=module.pass_mark,
                      started_at=now - timedelta(minutes=5), submitted_at=now, answers=chosen,
                      correct_count=result.correct_count, score=result.score,
                      passed=result.passed)
    db.session.add(attempt)
    db.session.flush()
    record_answers(attempt.id, drawn, chosen, result.correct)


def _populate(app, learners: int, seed: int = 1, first_user: int = 1000) -> int:
    """`learners` learners of different ability answer the two-question quiz; returns
    the version id."""
    rng = random.Random(seed)
    with app.app_context():
        version_id = insert_course("items", modules=MODULES)
        module = db.session.scalar(select(Module).where(Module.version_id == version_id))
        for n in range(learners):
            ability = n / max(learners - 1, 1)
            user_id = create_user(first_user + n)

            def pick(question, options, ability=ability):
                right = [o.id for o in options if o.correct]
                wrong = [o.id for o in options if not o.correct]
                if rng.random() < ability:
                    return right
                return [wrong[0]] if question.key == "first" else [right[0], wrong[0]]

            _answer(user_id, version_id, module, pick)
        db.session.commit()
    return version_id


def test_submitting_through_the_pages_records_the_answers(app, client, login_as):
    with app.app_context():
        insert_course()
    login_as()
    drawn = open_attempt(app, client)
    submit(client, drawn, drawn.wrong)
    with app.app_context():
        rows = db.session.scalars(select(AnsweredQuestion)
                                  .where(AnsweredQuestion.attempt_id == drawn.attempt_id)
                                  .order_by(AnsweredQuestion.position)).all()
        assert [r.correct for r in rows] == [False, False]
        assert all(r.attempt_correct == 0 for r in rows)
        attempt = db.session.get(Attempt, drawn.attempt_id)
        chosen = db.session.execute(select(ChosenOption.position, ChosenOption.option_id)
                                    .where(ChosenOption.attempt_id == drawn.attempt_id)).all()
        assert sorted(chosen) == sorted((i, o) for i, ids in enumerate(attempt.answers)
                                        for o in ids)


def test_figures_match_a_plain_computation(app):
    version_id = _populate(app, 40)
    with app.app_context():
        page = item_analysis(db.session.get(CourseVersion, version_id), "en")
        attempts = db.session.scalars(select(Attempt).where(Attempt.version_id == version_id)
                                      ).all()
        by_key = {q.key: q for q in page.modules[0].questions}
        for index, key in enumerate(("first", "second")):
            question = db.session.scalar(select(Question).where(
                Question.key == key, Question.module.has(version_id=version_id)))
            right = {o.id for o in question.options if o.correct}
            x = [int(set(a.answers[index]) == right) for a in attempts]
            rest = [a.correct_count - xi for a, xi in zip(attempts, x, strict=True)]
            figures = by_key[key]
            assert figures.answered == 40
            assert figures.facility == pytest.approx(sum(x) / 40)
            assert figures.discrimination == pytest.approx(statistics.correlation(x, rest))
            for option, o in zip(question.options, figures.options, strict=True):
                times = sum(option.id in a.answers[index] for a in attempts)
                assert (o.chosen, o.share) == (times, pytest.approx(times / 40))


def test_point_biserial_is_none_when_nothing_varies():
    assert point_biserial(10, 10, 5, 5, 5) is None  # everyone right
    assert point_biserial(1, 1, 0, 0, 0) is None


def test_flags(app):
    with app.app_context():
        version_id = insert_course("flags", modules=MODULES)
        module = db.session.scalar(select(Module).where(Module.version_id == version_id))
        # Everyone right on "first" (too easy, "No" never chosen); on "second" the
        # learners who got "first" ... all right anyway, and half tick only A.
        for n in range(MIN_ANSWERS):
            user_id = create_user(2000 + n)

            def pick(question, options, n=n):
                ids = [o.id for o in options]
                if question.key == "first":
                    return [ids[0]]  # Yes: correct
                return [ids[0]] if n % 10 else [ids[0], ids[1]]  # A only: wrong

            _answer(user_id, version_id, module, pick)
        db.session.commit()
        page = item_analysis(db.session.get(CourseVersion, version_id), "en")
    first, second = page.modules[0].questions
    assert FLAG_EASY in first.flags and FLAG_UNCHOSEN in first.flags
    assert first.discrimination is None
    assert FLAG_HARD in second.flags and second.facility == pytest.approx(0.1)
    assert FLAG_UNCHOSEN in second.flags  # C, wrong, never ticked
    assert page.flagged == 2


def test_negative_discrimination_is_flagged(app):
    with app.app_context():
        version_id = insert_course("negative", modules=MODULES)
        module = db.session.scalar(select(Module).where(Module.version_id == version_id))
        for n in range(MIN_ANSWERS):
            user_id = create_user(3000 + n)
            strong = n % 2 == 0

            def pick(question, options, strong=strong):
                ids = [o.id for o in options]
                if question.key == "first":  # the strong get it wrong, the weak right
                    return [ids[1]] if strong else [ids[0]]
                return [ids[0], ids[1]] if strong else [ids[2]]

            _answer(user_id, version_id, module, pick)
        db.session.commit()
        page = item_analysis(db.session.get(CourseVersion, version_id), "en")
    first = page.modules[0].questions[0]
    assert first.discrimination == pytest.approx(-1.0)
    assert FLAG_NEGATIVE in first.flags


def test_no_flags_before_enough_answers(app):
    version_id = _populate(app, MIN_ANSWERS - 1)
    with app.app_context():
        page = item_analysis(db.session.get(CourseVersion, version_id), "en")
    assert all(not q.flags for q in page.modules[0].questions)


@pytest.mark.parametrize(("role", "status"), [(Role.LEARNER, 403), (Role.SUPERVISOR, 403),
                                              (Role.AUTHOR, 200), (Role.ADMIN, 200)])
def test_only_authors_and_admins_see_it(app, client, login_as, role, status):
    version_id = _populate(app, 3)
    login_as(role, municipality=None if role != Role.SUPERVISOR else "LT-57",
             **({"supervises": ("LT-57",)} if role == Role.SUPERVISOR else {}))
    for path in ("/publishing/items", f"/publishing/items/items/{version_id}",
                 f"/publishing/items/items/{version_id}.csv"):
        assert client.get(path).status_code == status, path


def test_unknown_or_mismatched_versions_are_404(app, client, login_as):
    version_id = _populate(app, 2)
    login_as(Role.AUTHOR, municipality=None)
    assert client.get("/publishing/items/other-course/" + str(version_id)).status_code == 404
    assert client.get("/publishing/items/items/99999999").status_code == 404
    assert client.get("/publishing/items/items/99999999999999").status_code == 404


def test_the_page_shows_the_figures_in_both_languages(app, client, login_as):
    version_id = _populate(app, 30)
    login_as(Role.AUTHOR, municipality=None)
    english = client.get(f"/publishing/items/items/{version_id}",
                         headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Item analysis:" in english and "Is this a sign? [en]" in english
    assert "point-biserial" in english and "30 attempts submitted." in english
    assert "Above 95% the question is too easy" in english
    assert 'role="region"' in english and '<th scope="row">' in english
    with app.app_context():
        page = item_analysis(db.session.get(CourseVersion, version_id), "lt")
    assert page.modules[0].questions[0].text.endswith("[lt]")


def test_the_index_lists_versions_with_their_attempts(app, client, login_as):
    version_id = _populate(app, 5)
    login_as(Role.AUTHOR, municipality=None)
    html = client.get("/publishing/items", headers={"Accept-Language": "en"}).get_data(
        as_text=True)
    assert f'href="/publishing/items/items/{version_id}"' in html
    assert "<td>5</td>" in html


def test_csv_export(app, client, login_as):
    version_id = _populate(app, 25)
    login_as(Role.AUTHOR, municipality=None)
    response = client.get(f"/publishing/items/items/{version_id}.csv",
                          headers={"Accept-Language": "en"})
    assert response.status_code == 200 and response.mimetype == "text/csv"
    lines = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    header = lines[2]
    assert header[:5] == ["Module", "Question id", "Question no.", "Question", "Answered"]
    rows = lines[3:]
    assert len(rows) == 5  # one per option: 2 + 3
    assert {r[1] for r in rows} == {"first", "second"}
    assert all(r[4] == "25" for r in rows)


def test_statements_do_not_grow_with_the_attempts(app, client, login_as):
    login_as(Role.AUTHOR, municipality=None)

    def statements_for(learners: int, seed: int) -> int:
        version_id = _populate(app, learners, seed, first_user=1000 * seed)
        with app.app_context():
            engine = db.engine
        with counting(engine) as statements:
            assert client.get(f"/publishing/items/items/{version_id}").status_code == 200
        return len(statements)

    few = statements_for(2, 1)
    many = statements_for(40, 2)
    assert few == many
    assert many <= 8  # session user, version, questions, sums, options, attempts


def test_the_migration_fills_the_answers_of_attempts_already_submitted(tmp_path):
    """Attempts submitted before the answer tables existed are analysed too."""
    from flask_migrate import upgrade
    from sqlalchemy import text

    from elearn import create_app
    from elearn.config import TestConfig

    class Config(TestConfig):
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path / 'old.sqlite'}"

    old = create_app(Config)
    with old.app_context():
        upgrade(revision="20873649c2e6")  # before the answer tables
        with db.engine.begin() as conn:
            conn.execute(text("INSERT INTO question (id, module_id, key, position, multiple, "
                              "text, explain) VALUES (1, 1, 'q', 1, 0, '{}', '{}'), "
                              "(2, 1, 'r', 2, 1, '{}', '{}')"))
            conn.execute(text(
                "INSERT INTO question_option (id, question_id, position, correct, text, "
                "feedback) VALUES (11, 1, 1, 1, '{}', '{}'), (12, 1, 2, 0, '{}', '{}'), "
                "(21, 2, 1, 1, '{}', '{}'), (22, 2, 2, 1, '{}', '{}'), (23, 2, 3, 0, '{}', '{}')"))
            for attempt_id, answers, correct in ((1, "[[11], [21, 22]]", 2),
                                                 (2, "[[12], [21]]", 0),
                                                 (3, None, None)):  # still open
                conn.execute(text(
                    "INSERT INTO attempt (id, user_id, course_id, module_key, version_id, "
                    "questions, pass_mark, started_at, submitted_at, answers, correct_count) "
                    "VALUES (:id, 1, 'c', 'm', 1, :questions, 80, '2026-01-01 00:00:00', "
                    ":submitted, :answers, :correct)"),
                    {"id": attempt_id, "answers": answers, "correct": correct,
                     "submitted": None if answers is None else "2026-01-01 00:05:00",
                     "questions": '[{"id": 1, "key": "q", "options": [12, 11]}, '
                                  '{"id": 2, "key": "r", "options": [23, 21, 22]}]'})
        upgrade()
        with db.engine.connect() as conn:
            answered = conn.execute(text(
                "SELECT attempt_id, position, question_id, correct, attempt_correct "
                "FROM answered_question ORDER BY attempt_id, position")).all()
            chosen = conn.execute(text(
                "SELECT attempt_id, position, option_id FROM chosen_option "
                "ORDER BY attempt_id, position, option_id")).all()
        db.engine.dispose()
    assert [tuple(r) for r in answered] == [(1, 0, 1, 1, 2), (1, 1, 2, 1, 2),
                                            (2, 0, 1, 0, 0), (2, 1, 2, 0, 0)]
    assert [tuple(r) for r in chosen] == [(1, 0, 11), (1, 1, 21), (1, 1, 22),
                                          (2, 0, 12), (2, 1, 21)]
