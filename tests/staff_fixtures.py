"""Fixtures for the staff features' tests (supervision, assignments, directory, national):
two published courses, progress, certificates and signed-in supervisors. Registered for
every test by tests/conftest.py's pytest_plugins."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from elearn.auth.models import Role
from tests.factories import insert_certificate, insert_course, insert_progress

COURSES = ("alpha", "beta")


@pytest.fixture
def two_courses(app):
    """Publish the courses "alpha" and "beta", in that catalogue order."""
    with app.app_context():
        for order, course_id in enumerate(COURSES, start=1):
            insert_course(course_id, order=order)
    return COURSES


@pytest.fixture
def record_progress(app):
    """Record a learner's state in a course, as the learning feature keeps it."""

    def do(user_id: int, course_id: str, status: str, *, done: int = 1,
           at: datetime | None = None) -> None:
        with app.app_context():
            insert_progress(user_id, course_id, status, done=done, at=at)

    return do


@pytest.fixture
def add_certificate(app):
    """Insert a certificate of the course for the learner; returns its id."""

    def do(user_id: int, course_id: str, expires_on: date | None,
           revoked: bool = False) -> int:
        with app.app_context():
            return insert_certificate(user_id, course_id, expires_on, revoked)

    return do


@pytest.fixture
def signed_in_supervisor(login_as):
    """Sign in as the supervisor of LT-57 (Vilnius city); returns her id."""
    return login_as(Role.SUPERVISOR, municipality="LT-57", supervises=("LT-57",))


@pytest.fixture
def signed_in_other_supervisor(login_as):
    """Sign in as the supervisor of LT-15 (Kaunas city), who must see nothing of LT-57."""
    return login_as(Role.SUPERVISOR, municipality="LT-15", supervises=("LT-15",))
