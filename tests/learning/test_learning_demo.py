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


def test_the_item_analysis_of_the_demo_data_has_real_figures(app_ctx):
    """Every demo attempt's answers are stored as rows, and they vary: some questions
    answered right, some wrong, in passes and in failures alike."""
    from elearn.item_analysis.services import item_analysis
    from elearn.learning.models import AnsweredQuestion
    from elearn.publishing.models import CourseVersion

    sync_courses(PROJECT_ROOT / "courses")
    create_demo_accounts()
    add_demo_progress()
    attempts = db.session.scalars(select(Attempt)).all()
    assert sum(len(a.questions) for a in attempts) == db.session.scalar(
        select(func.count()).select_from(AnsweredQuestion))
    assert any(a.passed and a.correct_count < len(a.questions) for a in attempts)
    assert any(not a.passed and a.correct_count > 0 for a in attempts)
    busiest = max({a.version_id for a in attempts},
                  key=lambda v: sum(a.version_id == v for a in attempts))
    page = item_analysis(db.session.get(CourseVersion, busiest), "en")
    answered = [q for m in page.modules for q in m.questions if q.answered]
    assert answered and {q.facility for q in answered} - {0.0, 1.0}
    assert all(sum(o.chosen for o in q.options) >= q.answered for q in answered)
