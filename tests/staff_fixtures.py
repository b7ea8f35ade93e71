"""Courses, progress, certificates and signed-in supervisors for the report tests."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from elearn.auth.models import Role, User
from elearn.certificates.models import Certificate
from elearn.extensions import db
from elearn.learning.models import CourseProgress
from elearn.publishing.models import Course, CourseVersion
from elearn.types import utcnow

COURSES = ("alpha", "beta")


def insert_course(course_id: str, order: int, *, languages=("lt", "en"),
                  retired: bool = False) -> None:
    course = Course(id=course_id)
    db.session.add(course)
    version = CourseVersion(
        course_id=course_id, content_hash="0" * 64, languages=list(languages),
        title={lang: f"Course {course_id} [{lang}]" for lang in languages},
        summary=dict.fromkeys(languages, "Summary"), hours=2.0, pass_mark=80,
        attempts=3, certificate_valid_months=24, published=True, catalogue_order=order,
        module_count=4, total_minutes=40,
    )
    db.session.add(version)
    db.session.flush()
    course.live_version = version
    course.retired_at = utcnow() if retired else None
    db.session.commit()


@pytest.fixture
def courses(app):
    with app.app_context():
        for order, course_id in enumerate(COURSES, start=1):
            insert_course(course_id, order)
    return COURSES


@pytest.fixture
def progress(app):
    """Record a learner's state in a course, as the learning feature keeps it."""

    def do(user_id: int, course_id: str, status: str, *, done: int = 1,
           at: datetime | None = None) -> None:
        at = at or utcnow()
        with app.app_context():
            db.session.merge(CourseProgress(
                user_id=user_id, course_id=course_id, status=status, take=1,
                modules_done=4 if status == "completed" else done, module_total=4,
                started_at=at, last_activity_at=at,
                completed_at=at if status == "completed" else None,
            ))
            db.session.commit()

    return do


@pytest.fixture
def certificate(app):
    """Insert a certificate of the course for the learner; returns its id."""

    def do(user_id: int, course_id: str, expires_on: date | None,
           revoked: bool = False) -> int:
        with app.app_context():
            user = db.session.get(User, user_id)
            course = db.session.get(Course, course_id)
            cert = Certificate(
                code=f"code-{user_id}-{course_id}-{expires_on}", user_id=user_id,
                course_id=course_id, version_id=course.live_version_id,
                full_name=user.full_name, course_title=f"Course {course_id}", lang="en",
                hours=2.0, content_hash="0" * 64, municipality_code=user.municipality_code,
                municipality_name="", issued_on=(expires_on or date.today()) - timedelta(days=700),
                expires_on=expires_on, revoked_at=utcnow() if revoked else None,
            )
            db.session.add(cert)
            db.session.commit()
            return cert.id

    return do


@pytest.fixture
def supervisor(login_as):
    """Sign in as the supervisor of LT-57 (Vilnius city)."""
    return login_as(Role.SUPERVISOR, municipality="LT-57", supervises=("LT-57",))


@pytest.fixture
def other_supervisor(login_as):
    """Sign in as the supervisor of LT-15 (Kaunas city), who must see nothing of LT-57."""
    return login_as(Role.SUPERVISOR, municipality="LT-15", supervises=("LT-15",))
