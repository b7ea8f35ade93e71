"""Quizzes: start or resume an attempt, submit it once, show its result.

The quiz page sends question and option texts only, addressed by their position
in the attempt; which options are correct, their feedback and the explanations
leave the server only on the result page, after submission.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from sqlalchemy import and_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased

from elearn.auth.models import User
from elearn.extensions import db
from elearn.inputs import parse_id
from elearn.learning import grading
from elearn.learning import progress as changes
from elearn.learning.answers import record_answers
from elearn.learning.context import (
    CourseView,
    Forged,
    Loaded,
    Unavailable,
    course_view,
    load,
    text,
)
from elearn.learning.grading import QuizAllowance, allowance
from elearn.learning.models import Attempt, CourseProgress, ModuleProgress
from elearn.learning.results import OptionView, QuestionView, result_questions
from elearn.publishing.models import Course, CourseVersion, Module, Option, Question
from elearn.types import utcnow

# How far back a new attempt looks for questions the learner has already seen.
RECENT_ATTEMPTS = 10


@dataclass(frozen=True)
class StoredOption:
    id: int
    correct: bool
    text: dict
    feedback: dict


@dataclass(frozen=True)
class StoredQuestion:
    id: int
    key: str
    position: int
    multiple: bool
    text: dict
    explain: dict
    options: dict[int, StoredOption]


def stored_questions(condition) -> dict[int, StoredQuestion]:
    """Questions with their options, in one statement."""
    rows = db.session.execute(
        select(Question.id, Question.key, Question.position, Question.multiple, Question.text,
               Question.explain, Option.id, Option.correct, Option.text, Option.feedback)
        .join(Option, Option.question_id == Question.id)
        .where(condition)
        .order_by(Question.position, Option.position)
    ).all()
    questions: dict[int, StoredQuestion] = {}
    for qid, key, position, multiple, q_text, explain, oid, correct, o_text, feedback in rows:
        question = questions.get(qid)
        if question is None:
            question = questions[qid] = StoredQuestion(qid, key, position, multiple, q_text,
                                                       explain, {})
        question.options[oid] = StoredOption(oid, correct, o_text, feedback)
    return questions


def module_questions(version: CourseVersion, module_key: str) -> dict[int, StoredQuestion]:
    """Every question of a published module with its options, read once per process.

    A published version never changes, so, like the lesson HTML, the questions are kept
    by version id (and content hash, in case a database reuses the id of a deleted
    version), never by time, in a bounded cache. Treat the result as read-only."""
    return _module_questions(version.id, version.content_hash, module_key)


@lru_cache(maxsize=256)
def _module_questions(version_id: int, content_hash: str,
                      module_key: str) -> dict[int, StoredQuestion]:
    module_id = (select(Module.id).where(Module.version_id == version_id,
                                         Module.key == module_key).scalar_subquery())
    return stored_questions(Question.module_id == module_id)


def drawn_questions(attempt: Attempt, version: CourseVersion) -> dict[int, StoredQuestion]:
    """The questions an attempt drew: from the cache when the attempt belongs to `version`
    (almost always the live one), from the database when it was drawn from another."""
    ids = [q["id"] for q in attempt.questions]
    if attempt.version_id == version.id:
        cached = module_questions(version, attempt.module_key)
        if all(i in cached for i in ids):
            return cached
    return stored_questions(Question.id.in_(ids))


@dataclass(frozen=True)
class ModuleInfo:
    id: int
    key: str
    title: str
    pass_mark: int
    draw: int | None
    shuffle: bool
    has_quiz: bool


def _module_info(loaded: Loaded) -> ModuleInfo:
    module = loaded.module
    return ModuleInfo(id=module.id, key=module.key, title=text(module.title, loaded.course.lang),
                      pass_mark=module.pass_mark, draw=module.draw, shuffle=module.shuffle,
                      has_quiz=module.has_quiz)


@dataclass(frozen=True)
class QuizPage:
    course: CourseView
    module: ModuleInfo
    allowance: QuizAllowance
    attempt_id: int | None  # None while the quiz is locked
    questions: list[QuestionView]
    passed_before: bool


def _allowance(loaded: Loaded, now: datetime) -> QuizAllowance:
    mp = loaded.module_progress
    if mp is None:
        return allowance(loaded.course.attempts, 0, None, now)
    return allowance(loaded.course.attempts, mp.failed_streak, mp.last_failed_at, now)


def _questions_for_form(drawn: list[dict], stored: dict[int, StoredQuestion], lang: str,
                        chosen: list[list[int]] | None = None,
                        missing: frozenset[int] = frozenset()) -> list[QuestionView]:
    views = []
    for index, item in enumerate(drawn):
        question = stored[item["id"]]
        picked = grading.shown_positions(item, chosen[index]) if chosen else set()
        views.append(QuestionView(
            number=index + 1, name=grading.field_name(index),
            text=text(question.text, lang), multiple=question.multiple,
            options=[OptionView(position=p, text=text(question.options[oid].text, lang),
                                chosen=p in picked)
                     for p, oid in enumerate(item["options"])],
            missing=index in missing,
        ))
    return views


def _open_attempt(user_id: int, course_id: str, module_key: str) -> Attempt | None:
    return db.session.scalar(select(Attempt).where(
        Attempt.user_id == user_id, Attempt.course_id == course_id,
        Attempt.module_key == module_key, Attempt.is_open.is_(True),
    ))


def _start_attempt(user: User, loaded: Loaded, module: ModuleInfo,
                   now: datetime) -> tuple[int, list[dict], dict[int, StoredQuestion]]:
    pool = module_questions(loaded.version, module.key)
    last_seen = None
    if module.draw and module.draw < len(pool):  # only a drawn subset can avoid repeats
        last_seen = grading.attempts_ago(db.session.scalars(
            select(Attempt.questions)
            .where(Attempt.user_id == user.id, Attempt.course_id == loaded.course.id,
                   Attempt.module_key == module.key)
            .order_by(Attempt.id.desc()).limit(RECENT_ATTEMPTS)
        ).all())
    drawn = grading.draw(
        [grading.PoolQuestion(q.id, q.key, q.position, tuple(q.options)) for q in pool.values()],
        module.draw,
        module.shuffle,
        last_seen,
    )
    attempt = Attempt(user_id=user.id, course_id=loaded.course.id, module_key=module.key,
                      version_id=loaded.course.version_id, questions=drawn,
                      pass_mark=module.pass_mark, is_open=True, started_at=now)
    db.session.add(attempt)
    try:
        db.session.flush()
        attempt_id = attempt.id
        db.session.commit()
    except IntegrityError:  # another tab opened the quiz at the same moment: use its attempt
        db.session.rollback()
        other = _open_attempt(user.id, loaded.course.id, module.key)
        if other is None:
            raise
        return other.id, other.questions, drawn_questions(other, loaded.version)
    return attempt_id, drawn, pool


def _quiz_module(user: User, course_id: str, module_key: str,
                 ui_lang: str) -> tuple[Loaded, ModuleInfo]:
    loaded = load(user, course_id, ui_lang, module_key)
    module = _module_info(loaded)
    if not module.has_quiz:
        raise Unavailable(module_key)
    return loaded, module


def quiz_page(user: User, course_id: str, module_key: str, ui_lang: str) -> QuizPage:
    """The open attempt's questions; without one, the page that starts the quiz (by a
    POST: opening a page never starts an attempt); nothing during a cool-down."""
    loaded, module = _quiz_module(user, course_id, module_key, ui_lang)
    quota = _allowance(loaded, utcnow())
    passed_before = bool(loaded.module_progress and loaded.module_progress.completed_at
                         and loaded.module_progress.completed_take == loaded.take)
    course = loaded.course
    attempt = None if quota.locked_until else _open_attempt(user.id, course_id, module_key)
    if attempt is None:
        return QuizPage(course, module, quota, None, [], passed_before)
    stored = drawn_questions(attempt, loaded.version)
    return QuizPage(course, module, quota, attempt.id,
                    _questions_for_form(attempt.questions, stored, course.lang), passed_before)


def start(user: User, course_id: str, module_key: str, ui_lang: str) -> None:
    """Draw and save an attempt unless one is open or the quiz is in a cool-down; the
    course is then in progress, to be continued at this module."""
    loaded, module = _quiz_module(user, course_id, module_key, ui_lang)
    now = utcnow()
    if _allowance(loaded, now).locked_until is not None:
        return
    if _open_attempt(user.id, course_id, module_key) is None:
        _start_attempt(user, loaded, module, now)
    changes.record_visit(user.id, course_id, loaded.version.module_count, module_key, now)
    db.session.commit()


@dataclass(frozen=True)
class Recorded:
    attempt_id: int
    passed: bool
    course_completed: bool


@dataclass(frozen=True)
class AlreadySubmitted:
    attempt_id: int


@dataclass(frozen=True)
class Refused:
    """Not recorded: the page to show again (unanswered questions, or a cool-down)."""

    page: QuizPage
    locked: bool


def _attempt_id(form: Mapping[str, str]) -> int:
    try:
        return parse_id(form.get("attempt", ""))
    except ValueError as error:
        raise Forged("attempt") from error


def submit(user: User, course_id: str, module_key: str, form,
           ui_lang: str) -> Recorded | AlreadySubmitted | Refused:
    """Grade and record an attempt once, however often it is sent."""
    attempt_id = _attempt_id(form)
    loaded = load(user, course_id, ui_lang, module_key, attempt_id=attempt_id)
    module = _module_info(loaded)
    attempt = loaded.attempt  # hers, of this module, read in the same statement
    if attempt is None:
        raise Unavailable(attempt_id)
    if attempt.submitted_at is not None:
        return AlreadySubmitted(attempt_id)
    now = utcnow()
    quota = _allowance(loaded, now)
    drawn = attempt.questions
    if quota.locked_until is not None:
        return Refused(QuizPage(loaded.course, module, quota, None, [], False), locked=True)
    stored = drawn_questions(attempt, loaded.version)
    if any(q["id"] not in stored for q in drawn):
        raise Unavailable(attempt_id)
    try:
        answers = grading.read_answers(form.to_dict(flat=False), drawn,
                                       [stored[q["id"]].multiple for q in drawn])
    except grading.ForgedAnswer as error:
        raise Forged(str(error)) from error
    if not answers.complete:
        questions = _questions_for_form(drawn, stored, loaded.course.lang, answers.chosen,
                                        answers.missing)
        return Refused(QuizPage(loaded.course, module, quota, attempt_id, questions, False),
                       locked=False)
    correct_sets = [{o.id for o in stored[q["id"]].options.values() if o.correct} for q in drawn]
    result = grading.grade(answers.chosen, correct_sets, attempt.pass_mark)
    # The claim: only the request that turns submitted_at from NULL records the attempt.
    claimed = db.session.execute(
        update(Attempt)
        .where(Attempt.id == attempt_id, Attempt.submitted_at.is_(None))
        .values(submitted_at=now, is_open=None, answers=answers.chosen,
                correct_count=result.correct_count, score=result.score, passed=result.passed)
        .execution_options(synchronize_session=False)
    ).rowcount
    if claimed != 1:
        db.session.rollback()
        return AlreadySubmitted(attempt_id)
    record_answers(attempt_id, drawn, answers.chosen, result.correct)
    completed = record_result(user, loaded.version, module_key, result, now)
    db.session.commit()
    return Recorded(attempt_id, result.passed, completed)


def record_result(user: User, version: CourseVersion, module_key: str, result: grading.Grade,
                  now: datetime) -> bool:
    """Count a graded attempt in the learner's progress; True when it completed the course."""
    progress = changes.lock_progress(user.id, version.course_id, version.module_count, now,
                                     touch=True)
    row = changes.module_progress(user.id, version.course_id, module_key)
    limit = version.attempts
    row.failed_streak = grading.streak_after(limit, row.failed_streak or 0, result.passed)
    row.attempt_count = (row.attempt_count or 0) + 1
    row.best_score = max(row.best_score or 0, result.score)
    if not result.passed:
        row.last_failed_at = now
        progress.last_activity_at = now
        return False
    changes.mark_module_done(row, progress, now)
    return changes.settle_course(user, progress, version, module_key, now)


@dataclass(frozen=True)
class ResultPage:
    course: CourseView
    module_key: str
    module_title: str
    attempt_id: int
    submitted_at: datetime
    score: int
    correct_count: int
    total: int
    passed: bool
    pass_mark: int
    questions: list[QuestionView]
    allowance: QuizAllowance
    next_key: str | None


def result_page(user: User, course_id: str, module_key: str, attempt_id: int,
                ui_lang: str) -> ResultPage | None:
    """A submitted attempt of the learner's own; None while it is still open."""
    drawn_version, live_version = aliased(CourseVersion), aliased(CourseVersion)
    row = db.session.execute(
        select(Attempt, Course.retired_at, drawn_version, live_version.attempts, Module.title,
               ModuleProgress, CourseProgress.last_module_key)
        .join(Course, Course.id == Attempt.course_id)
        .join(drawn_version, drawn_version.id == Attempt.version_id)
        .outerjoin(live_version, live_version.id == Course.live_version_id)
        .join(Module, and_(Module.version_id == Attempt.version_id,
                           Module.key == Attempt.module_key))
        .outerjoin(ModuleProgress, and_(ModuleProgress.user_id == Attempt.user_id,
                                        ModuleProgress.course_id == Attempt.course_id,
                                        ModuleProgress.module_key == Attempt.module_key))
        .outerjoin(CourseProgress, and_(CourseProgress.user_id == Attempt.user_id,
                                        CourseProgress.course_id == Attempt.course_id))
        .where(Attempt.id == attempt_id, Attempt.user_id == user.id,
               Attempt.course_id == course_id, Attempt.module_key == module_key)
    ).first()
    if row is None:
        raise Unavailable(attempt_id)
    attempt, retired_at, version, limit, module_title, mp, last_key = row
    if attempt.submitted_at is None:
        return None
    course = course_view(course_id, version, retired_at, ui_lang)
    stored = drawn_questions(attempt, version)
    questions = result_questions(attempt.questions, attempt.answers or [], stored, course.lang,
                                 reveal=bool(attempt.passed))
    now = utcnow()
    quota = allowance(limit or 0, mp.failed_streak if mp else 0,
                      mp.last_failed_at if mp else None, now)
    return ResultPage(
        course=course, module_key=module_key, module_title=text(module_title, course.lang),
        attempt_id=attempt.id, submitted_at=attempt.submitted_at, score=attempt.score or 0,
        correct_count=attempt.correct_count or 0, total=len(attempt.questions),
        passed=bool(attempt.passed), pass_mark=attempt.pass_mark, questions=questions,
        allowance=quota, next_key=last_key if last_key != module_key else None,
    )
