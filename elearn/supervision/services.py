"""A municipality's figures, computed by the database, and a learner's assignments.

Counting is always GROUP BY in SQL; rows are loaded only to be shown.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import aliased

from elearn.access import staff_of
from elearn.assignments.models import Assignment
from elearn.auth.models import User
from elearn.certificates.models import Certificate
from elearn.extensions import db
from elearn.learning.models import CourseProgress, Status
from elearn.publishing.courses import CourseChoice
from elearn.supervision.models import MunicipalityDataVersion

# The states as CourseProgress.status stores them.
NOT_STARTED = Status.NOT_STARTED.value
IN_PROGRESS = Status.IN_PROGRESS.value
COMPLETED = Status.COMPLETED.value
OVERDUE = "overdue"
STATE_FILTERS = (NOT_STARTED, IN_PROGRESS, COMPLETED, OVERDUE)
STATE_LABELS = {
    NOT_STARTED: _l("Not started"),
    IN_PROGRESS: _l("In progress"),
    COMPLETED: _l("Completed"),
    OVERDUE: _l("Overdue"),
}
EXPIRY_WARNING_DAYS = 60


@dataclass
class CourseSummary:
    course: CourseChoice
    learners: int
    in_progress: int = 0
    completed: int = 0
    assigned: int = 0
    overdue: int = 0

    @property
    def not_started(self) -> int:
        return max(self.learners - self.in_progress - self.completed, 0)

    @property
    def completed_share(self) -> float:
        return self.completed / self.learners if self.learners else 0.0


@dataclass(frozen=True)
class CertificateCounts:
    valid: int = 0
    expiring: int = 0  # valid, and expiring within EXPIRY_WARNING_DAYS
    expired: int = 0


@dataclass(frozen=True)
class ExpiringCertificate:
    certificate_id: int
    user_id: int
    full_name: str
    course_title: str
    lang: str
    expires_on: date


@dataclass
class Summary:
    learners: int
    courses: list[CourseSummary]
    certificates: CertificateCounts
    expiring: list[ExpiringCertificate]


def rows_of(statement):
    """Plain rows for statements that return thousands of them: the Core connection
    skips the ORM's per-row loading, which otherwise costs more than the query."""
    return db.session.connection().execute(statement)


def learner_count(code: str) -> int:
    return db.session.scalar(select(func.count()).select_from(User).where(staff_of(code))) or 0


def latest_certificate_only() -> object:
    """Only each learner's newest certificate of a course counts: a renewed one replaces
    the expired one (Certificate.superseded, in ix_certificate_user_course_current)."""
    return Certificate.superseded.is_(False)


def not_completed(progress) -> object:
    return or_(progress.status.is_(None), progress.status != COMPLETED)


@dataclass(frozen=True)
class Figures:
    """A municipality's counts at one data version and day, as the cache keeps them."""

    learners: int
    by_course: dict[str, tuple[int, int, int, int]]  # in progress, completed, assigned, overdue
    certificates: CertificateCounts
    expiring: tuple[ExpiringCertificate, ...]

    def summary(self, courses: Sequence[CourseChoice]) -> Summary:
        return Summary(self.learners,
                       [CourseSummary(c, self.learners, *self.by_course.get(c.id, (0, 0, 0, 0)))
                        for c in courses],
                       self.certificates, list(self.expiring))


CACHED_FIGURES = 256  # entries per process: 60 municipalities, a few days and course lists
_cache_lock = threading.Lock()


def _cache() -> OrderedDict:
    """The app's cache of figures (per app: tests run several apps on other databases)."""
    return current_app.extensions.setdefault("elearn.dashboard_figures", OrderedDict())


def data_version(code: str) -> tuple[int | None, bool]:
    """The municipality's data version (database triggers change it with every change to
    what the figures count, in the change's transaction; None: nothing changed since the
    table was created), and whether figures counted now may be kept under it.

    On PostgreSQL a transaction gives a municipality its new version once, at its first
    change (see the migration): figures counted by a transaction that has written
    something are not kept, as a later change of the same transaction would leave the
    version as it is."""
    version = (select(MunicipalityDataVersion.version)
               .where(MunicipalityDataVersion.municipality_code == code).scalar_subquery())
    if db.session.get_bind().dialect.name != "postgresql":
        return db.session.scalar(select(version)), True
    row = db.session.execute(
        select(version, func.pg_current_xact_id_if_assigned().is_(None))).one()
    return row[0], bool(row[1])


def summary(code: str, courses: Sequence[CourseChoice], today: date) -> Summary:
    """The figures on top of the dashboard, computed once per data version, day (overdue
    and expiring depend on it) and list of courses, then kept in a bounded cache.

    The version is read before the figures: a change committed in between then lands
    in figures cached under the older version, which the next request no longer asks
    for; figures older than their version cannot happen."""
    version, keep = data_version(code)
    key = (code, version, today, tuple(c.id for c in courses))
    cache = _cache()
    with _cache_lock:
        figures = cache.get(key) if keep else None
        if figures is not None:
            cache.move_to_end(key)
    if figures is None:
        figures = compute_figures(code, [c.id for c in courses], today)
        if keep:
            with _cache_lock:
                cache[key] = figures
                while len(cache) > CACHED_FIGURES:
                    cache.popitem(last=False)
    return figures.summary(courses)


def forget_figures() -> None:
    """Empty this process's cache (for benchmarks timing the first view after a change)."""
    with _cache_lock:
        _cache().clear()


def compute_figures(code: str, course_ids: list[str], today: date) -> Figures:
    """Everything on top of the dashboard, in five grouped queries."""
    learners = learner_count(code)
    by_course = {course_id: [0, 0, 0, 0] for course_id in course_ids}
    # One group per course, the states counted side by side: grouping by course and
    # state sorts twice as many groups (on SQLite a quarter of the query's time).
    status = CourseProgress.status
    for course_id, in_progress, completed in db.session.execute(
        select(CourseProgress.course_id, func.count().filter(status == IN_PROGRESS),
               func.count().filter(status == COMPLETED))
        .join(User, User.id == CourseProgress.user_id)
        .where(staff_of(code), CourseProgress.course_id.in_(course_ids),
               status.in_([IN_PROGRESS, COMPLETED]))
        .group_by(CourseProgress.course_id)
    ):
        by_course[course_id][0:2] = [in_progress, completed]
    progress = aliased(CourseProgress)
    for course_id, assigned, overdue in db.session.execute(
        select(Assignment.course_id, func.count(),
               func.sum(case((and_(Assignment.due_on < today, not_completed(progress)), 1),
                             else_=0)))
        .join(User, User.id == Assignment.user_id)
        .outerjoin(progress, and_(progress.user_id == Assignment.user_id,
                                  progress.course_id == Assignment.course_id))
        .where(staff_of(code), Assignment.course_id.in_(course_ids))
        .group_by(Assignment.course_id)
    ):
        by_course[course_id][2:4] = [assigned, int(overdue or 0)]
    return Figures(learners, {k: tuple(v) for k, v in by_course.items()},
                   certificate_counts(code, today), tuple(expiring_certificates(code, today)))


def certificate_counts(code: str, today: date) -> CertificateCounts:
    soon = today + timedelta(days=EXPIRY_WARNING_DAYS)
    valid = or_(Certificate.expires_on.is_(None), Certificate.expires_on >= today)
    row = db.session.execute(
        select(
            func.count().filter(valid),
            func.count().filter(Certificate.expires_on >= today, Certificate.expires_on <= soon),
            func.count().filter(Certificate.expires_on < today),
        ).select_from(Certificate).join(User, User.id == Certificate.user_id)
        .where(staff_of(code), Certificate.revoked_at.is_(None), latest_certificate_only())
    ).one()
    return CertificateCounts(valid=row[0], expiring=row[1], expired=row[2])


def expiring_certificates(code: str, today: date, limit: int = 50) -> list[ExpiringCertificate]:
    soon = today + timedelta(days=EXPIRY_WARNING_DAYS)
    rows = db.session.execute(
        select(Certificate.id, Certificate.user_id, User.full_name, Certificate.course_title,
               Certificate.lang, Certificate.expires_on)
        .join(User, User.id == Certificate.user_id)
        .where(staff_of(code), Certificate.revoked_at.is_(None), latest_certificate_only(),
               Certificate.expires_on >= today, Certificate.expires_on <= soon)
        .order_by(Certificate.expires_on, User.full_name)
        .limit(limit)
    ).all()
    return [ExpiringCertificate(*row) for row in rows]


