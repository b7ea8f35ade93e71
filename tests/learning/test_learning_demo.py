"""Demo progress: a completed course for Ona, partial progress for the others, twice safely."""

from sqlalchemy import func, select

from elearn import PROJECT_ROOT
from elearn.auth.services import user_by_email
from elearn.certificates.models import Certificate
from elearn.demo import create_demo_accounts
from elearn.extensions import db
from elearn.learning.demo import add_demo_progress
from elearn.learning.models import Attempt, CourseProgress
from elearn.publishing.services import sync_courses


def test_demo_progress_is_lively_and_idempotent(app_ctx):
    sync_courses(PROJECT_ROOT / "courses")
    create_demo_accounts()
    add_demo_progress()
    snapshot = db.session.execute(
        select(CourseProgress.user_id, CourseProgress.course_id, CourseProgress.status,
               CourseProgress.modules_done).order_by(CourseProgress.user_id,
                                                     CourseProgress.course_id)
    ).all()
    ona = user_by_email("ona@demo.example.lt")
    statuses = {(row.user_id, row.status) for row in snapshot}
    assert (ona.id, "completed") in statuses and (ona.id, "in_progress") in statuses
    assert {row.status for row in snapshot} == {"completed", "in_progress"}
    learners = {row.user_id for row in snapshot}
    assert len(learners) == 5
    assert db.session.scalar(
        select(func.count()).select_from(Certificate).where(Certificate.user_id == ona.id)
    ) == 1
    attempts = db.session.scalar(select(func.count()).select_from(Attempt))
    create_demo_accounts()
    add_demo_progress()
    assert db.session.scalar(select(func.count()).select_from(Attempt)) == attempts
    assert db.session.execute(
        select(CourseProgress.user_id, CourseProgress.course_id, CourseProgress.status,
               CourseProgress.modules_done).order_by(CourseProgress.user_id,
                                                     CourseProgress.course_id)
    ).all() == snapshot
