"""Demo progress for `flask demo`: the supervisors' dashboards should look lived in.

Progress is made through the same services the pages use (certificates included).
Learners who already have progress are left alone, so the command can run again.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

import click
from sqlalchemy import exists, func, select

from elearn.auth import services as accounts
from elearn.auth.models import User
from elearn.extensions import db
from elearn.learning import grading
from elearn.learning import progress as changes
from elearn.learning.answers import record_answers
from elearn.learning.context import offered
from elearn.learning.models import Attempt, CourseProgress
from elearn.learning.quizzes import record_result, stored_questions
from elearn.publishing.models import Course, CourseVersion, Module, Question
from elearn.types import utcnow

# email -> [(course index in the catalogue, modules to complete (None: all),
#            failed quiz attempts on the next quiz module, days ago)]
PLANS: dict[str, list[tuple[int, int | None, int, int]]] = {
    "ona@demo.example.lt": [(0, None, 0, 20), (1, 1, 0, 2)],
    "jonas@demo.example.lt": [(0, 1, 1, 5)],
    "egle@demo.example.lt": [(1, None, 1, 9), (0, 2, 0, 1), (3, 1, 0, 4)],
    "paulius@demo.example.lt": [(0, 0, 2, 3), (3, 0, 0, 1)],
    "ausra@demo.example.lt": [(1, 0, 0, 0)],
    # A Latvian deployment's demo (one course for Latvia so far).
    "anna@demo.example.lv": [(0, None, 0, 12)],
    "janis@demo.example.lv": [(0, 1, 1, 3)],
    "liga@demo.example.lv": [(0, 2, 0, 1)],
    "edgars@demo.example.lv": [(0, 0, 2, 2)],
}


def _catalogue() -> list[CourseVersion]:
    """The courses this deployment's learners see, in catalogue order."""
    versions = db.session.scalars(
        select(CourseVersion)
        .join(Course, Course.live_version_id == CourseVersion.id)
        .where(Course.retired_at.is_(None), CourseVersion.published.is_(True))
        .order_by(CourseVersion.catalogue_order.is_(None), CourseVersion.catalogue_order,
                  Course.id)
    )
    return [version for version in versions if offered(version)]


def _take_quiz(user: User, version: CourseVersion, module: Module, passed: bool,
               now: datetime) -> None:
    pool = stored_questions(Question.module_id == module.id)
    drawn = grading.draw(
        [grading.PoolQuestion(q.id, q.key, q.position, tuple(q.options)) for q in pool.values()],
        module.draw,
        module.shuffle,
    )
    right = [{o.id for o in pool[q["id"]].options.values() if o.correct} for q in drawn]
    # Like real learners, for the item analysis: a pass with a mistake where the pass
    # mark allows one, a failure with some right answers.
    earlier = db.session.scalar(select(func.count()).select_from(Attempt).where(
        Attempt.user_id == user.id, Attempt.module_key == module.key))
    rng = random.Random(f"{user.email}/{version.course_id}/{module.key}/{earlier}")
    total = len(drawn)
    most_wrong = total - -(-module.pass_mark * total // 100)  # wrong answers a pass allows
    wrong_count = (rng.randint(0, most_wrong) if passed
                   else rng.randint(min(most_wrong + 1, total), total))
    wrong = set(rng.sample(range(total), min(wrong_count, total)))
    chosen = [[next(o for o in q["options"] if o not in r)] if i in wrong else sorted(r)
              for i, (q, r) in enumerate(zip(drawn, right, strict=True))]
    result = grading.grade(chosen, right, module.pass_mark)
    attempt = Attempt(
        user_id=user.id, course_id=version.course_id, module_key=module.key,
        version_id=version.id, questions=drawn, pass_mark=module.pass_mark, is_open=None,
        started_at=now - timedelta(minutes=6), submitted_at=now, answers=chosen,
        correct_count=result.correct_count, score=result.score, passed=result.passed,
    )
    db.session.add(attempt)
    db.session.flush()
    record_answers(attempt.id, drawn, chosen, result.correct)
    record_result(user, version, module.key, result, now)
    db.session.commit()


def _follow(user: User, version: CourseVersion, done: int | None, failures: int,
            days_ago: int) -> None:
    modules = list(version.modules)
    now = utcnow() - timedelta(days=days_ago)
    todo = modules if done is None else modules[:done]
    for step, module in enumerate(todo):
        moment = now + timedelta(minutes=20 * step)
        changes.record_visit(user.id, version.course_id, len(modules), module.key, moment)
        if module.has_quiz:
            _take_quiz(user, version, module, passed=True, now=moment)
        else:
            changes.confirm_read(user, version, module, moment)
    rest = [m for m in modules[len(todo):] if m.has_quiz]
    if failures and rest:
        moment = now + timedelta(hours=2)
        changes.record_visit(user.id, version.course_id, len(modules), rest[0].key, moment)
        for attempt in range(failures):
            _take_quiz(user, version, rest[0], passed=False,
                       now=moment + timedelta(minutes=10 * attempt))
    elif not todo and modules:  # opened the first lesson, nothing more
        changes.record_visit(user.id, version.course_id, len(modules), modules[0].key, now)
        db.session.commit()


def add_demo_progress() -> None:
    """Give the demo learners completed, partial and just-started courses."""
    catalogue = _catalogue()
    if not catalogue:
        return
    for email, plan in PLANS.items():
        user = accounts.user_by_email(email)
        if user is None:
            continue
        started = db.session.scalar(select(exists().where(CourseProgress.user_id == user.id)))
        if started:
            continue
        for index, done, failures, days_ago in plan:
            if index < len(catalogue):
                _follow(user, catalogue[index], done, failures, days_ago)
    click.echo("Demo progress added for the demo learners.")
