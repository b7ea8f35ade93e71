"""Requests racing each other: two tabs submitting at once, two modules finished at once."""

from __future__ import annotations

import threading
from collections.abc import Callable

from sqlalchemy import func, select

from elearn.auth.models import User
from elearn.certificates.models import Certificate
from elearn.extensions import db
from elearn.learning import quizzes, services
from elearn.learning.models import Attempt, CourseProgress, ModuleProgress
from elearn.learning.signals import course_completed
from tests.web import open_attempt


def race(app, count: int, call: Callable[[int], object], data: Callable[[int], dict]) -> list:
    """Run call(i) in count threads, each in its own request, released at the same moment."""
    barrier = threading.Barrier(count)
    results: list = [None] * count

    def worker(i: int) -> None:
        with app.test_request_context(method="POST", data=data(i)):
            barrier.wait(timeout=10)
            try:
                results[i] = call(i)
            except Exception as error:  # reported by the assertions below
                results[i] = error
            finally:
                db.session.remove()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def test_the_same_attempt_sent_from_several_tabs_counts_once(app, client, login_as,
                                                             published_course):
    published_course()
    user_id = login_as()
    drawn = open_attempt(app, client)
    form = {"attempt": str(drawn.attempt_id), **drawn.right}

    def submit(i: int):
        from flask import request

        user = db.session.get(User, user_id)
        return quizzes.submit(user, "demo", "signs", request.form, "en")

    results = race(app, 4, submit, lambda i: form)
    kinds = sorted(type(r).__name__ for r in results)
    assert kinds == ["AlreadySubmitted"] * 3 + ["Recorded"], results
    with app.app_context():
        module = db.session.get(ModuleProgress, (user_id, "demo", "signs"))
        assert module.attempt_count == 1 and module.completed_take == 1
        assert db.session.scalar(select(func.count()).select_from(Attempt)) == 1


def test_finishing_the_last_modules_at_once_completes_the_course_once(app, make_user,
                                                                     published_course):
    published_course(modules=(("one", False), ("two", False), ("three", False)))
    user_id = make_user()
    sent = []

    def receiver(sender, user, version, **extra):
        sent.append(user.id)

    def read(i: int):
        user = db.session.get(User, user_id)
        return services.confirm_read(user, "demo", ["one", "two", "three"][i], "en")

    course_completed.connect(receiver)
    try:
        results = race(app, 3, read, lambda i: {})
    finally:
        course_completed.disconnect(receiver)
    assert not [r for r in results if isinstance(r, Exception)], results
    assert sum(r.course_completed for r in results) == 1
    assert sent == [user_id]
    with app.app_context():
        progress = db.session.get(CourseProgress, (user_id, "demo"))
        assert progress.status == "completed" and progress.modules_done == 3
        assert db.session.scalar(select(func.count()).select_from(Certificate)) == 1
