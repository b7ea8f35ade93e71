"""A municipality's figures, computed by the database: summary counts and the learner table.

Counting is always GROUP BY in SQL. Rows are loaded only to show or export them: one
page of learners, with their per-course cells fetched in three fixed queries.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, and_, case, exists, func, literal, or_, select
from sqlalchemy.orm import aliased

from elearn.auth.models import PROFESSION_LABELS, User
from elearn.certificates.models import Certificate
from elearn.extensions import db
from elearn.reports.models import Assignment
from elearn.reports.progress import COMPLETED, IN_PROGRESS, NOT_STARTED, Progress
from elearn.reports.scope import CourseChoice, staff_of

OVERDUE = "overdue"
STATE_FILTERS = (NOT_STARTED, IN_PROGRESS, COMPLETED, OVERDUE)
STATE_LABELS = {
    NOT_STARTED: _l("Not started"),
    IN_PROGRESS: _l("In progress"),
    COMPLETED: _l("Completed"),
    OVERDUE: _l("Overdue"),
}
SORTS = ("name", "workplace", "profession", "activity", "state", "due")
COURSE_SORTS = ("state", "due")  # only meaningful for one course
PAGE_SIZE = 50
EXPIRY_WARNING_DAYS = 60
ID_CHUNK = 500  # user ids per IN (...) list, well inside every database's limit


@dataclass(frozen=True)
class TableQuery:
    """The learner table's filters, sort and page, as they travel in the query string."""

    workplace: str = ""
    profession: str = ""
    course: str = ""
    state: str = ""
    sort: str = "name"
    descending: bool = False
    page: int = 1

    @classmethod
    def from_args(cls, args, *, courses: set[str], workplaces: set[str]) -> TableQuery:
        """Unknown values are dropped, not errors: a stale bookmark still shows a table."""
        course = args.get("course", "")
        sort = args.get("sort", "name")
        if sort not in SORTS or (sort in COURSE_SORTS and course not in courses):
            sort = "name"
        try:
            page = max(1, min(int(args.get("page", "1")), 100_000))
        except ValueError:
            page = 1
        return cls(
            workplace=w if (w := args.get("workplace", "")) in workplaces else "",
            profession=p if (p := args.get("profession", "")) in {x.value for x in
                                                                   PROFESSION_LABELS} else "",
            course=course if course in courses else "",
            state=s if (s := args.get("state", "")) in STATE_FILTERS else "",
            sort=sort,
            descending=args.get("dir") == "desc",
            page=page,
        )

    def args(self, **changes) -> dict[str, str | int]:
        """Query-string arguments for a link to this table with some values changed."""
        values = {
            "workplace": self.workplace, "profession": self.profession, "course": self.course,
            "state": self.state, "sort": self.sort, "dir": "desc" if self.descending else "",
            "page": self.page,
        }
        values.update(changes)
        defaults = {"sort": "name", "page": 1}
        return {k: v for k, v in values.items() if v and defaults.get(k) != v}


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


def _rows_of(statement):
    """Plain rows for statements that return thousands of them: the Core connection
    skips the ORM's per-row loading, which otherwise costs more than the query."""
    return db.session.connection().execute(statement)


def learner_count(code: str) -> int:
    return db.session.scalar(select(func.count()).select_from(User).where(staff_of(code))) or 0


def _latest_certificate() -> object:
    """Only each learner's newest certificate of a course counts: a renewed one replaces
    the expired one (uses ix_certificate_user_course)."""
    newer = aliased(Certificate)
    return ~exists().where(newer.user_id == Certificate.user_id,
                           newer.course_id == Certificate.course_id, newer.id > Certificate.id)


def _not_completed(progress) -> object:
    return or_(progress.status.is_(None), progress.status != COMPLETED)


def summary(code: str, courses: Sequence[CourseChoice], today: date) -> Summary:
    """Everything on top of the dashboard, in five grouped queries."""
    learners = learner_count(code)
    by_course = {c.id: CourseSummary(c, learners) for c in courses}
    course_ids = list(by_course)
    for course_id, status, count in db.session.execute(
        select(Progress.course_id, Progress.status, func.count())
        .join(User, User.id == Progress.user_id)
        .where(staff_of(code), Progress.course_id.in_(course_ids),
               Progress.status.in_([IN_PROGRESS, COMPLETED]))
        .group_by(Progress.course_id, Progress.status)
    ):
        setattr(by_course[course_id], status, count)
    progress = aliased(Progress)
    for course_id, assigned, overdue in db.session.execute(
        select(Assignment.course_id, func.count(),
               func.sum(case((and_(Assignment.due_on < today, _not_completed(progress)), 1),
                             else_=0)))
        .join(User, User.id == Assignment.user_id)
        .outerjoin(progress, and_(progress.user_id == Assignment.user_id,
                                  progress.course_id == Assignment.course_id))
        .where(staff_of(code), Assignment.course_id.in_(course_ids))
        .group_by(Assignment.course_id)
    ):
        by_course[course_id].assigned = assigned
        by_course[course_id].overdue = int(overdue or 0)
    return Summary(learners, list(by_course.values()), certificate_counts(code, today),
                   expiring_certificates(code, today))


def certificate_counts(code: str, today: date) -> CertificateCounts:
    soon = today + timedelta(days=EXPIRY_WARNING_DAYS)
    valid = or_(Certificate.expires_on.is_(None), Certificate.expires_on >= today)
    row = db.session.execute(
        select(
            func.count().filter(valid),
            func.count().filter(Certificate.expires_on >= today, Certificate.expires_on <= soon),
            func.count().filter(Certificate.expires_on < today),
        ).select_from(Certificate).join(User, User.id == Certificate.user_id)
        .where(staff_of(code), Certificate.revoked_at.is_(None), _latest_certificate())
    ).one()
    return CertificateCounts(valid=row[0], expiring=row[1], expired=row[2])


def expiring_certificates(code: str, today: date, limit: int = 50) -> list[ExpiringCertificate]:
    soon = today + timedelta(days=EXPIRY_WARNING_DAYS)
    rows = db.session.execute(
        select(Certificate.id, Certificate.user_id, User.full_name, Certificate.course_title,
               Certificate.lang, Certificate.expires_on)
        .join(User, User.id == Certificate.user_id)
        .where(staff_of(code), Certificate.revoked_at.is_(None), _latest_certificate(),
               Certificate.expires_on >= today, Certificate.expires_on <= soon)
        .order_by(Certificate.expires_on, User.full_name)
        .limit(limit)
    ).all()
    return [ExpiringCertificate(*row) for row in rows]


# The learner table.

@dataclass(frozen=True)
class Cell:
    """One learner's state in one course."""

    state: str = NOT_STARTED
    modules_done: int = 0
    module_total: int = 0
    completed_at: datetime | None = None
    last_activity_at: datetime | None = None
    due_on: date | None = None
    overdue: bool = False
    certificate_id: int | None = None
    certificate_expires_on: date | None = None
    certificate_expired: bool = False


@dataclass(frozen=True)
class LearnerRow:
    id: int
    full_name: str
    email: str
    workplace: str
    profession: str
    last_activity_at: datetime | None
    cells: dict[str, Cell] = field(default_factory=dict)

    @property
    def profession_label(self) -> str:
        from elearn.auth.models import Profession

        return Profession(self.profession).label


@dataclass(frozen=True)
class LearnerPage:
    rows: list[LearnerRow]
    total: int
    page: int
    pages: int


def _last_activity():
    return (select(func.max(Progress.last_activity_at))
            .where(Progress.user_id == User.id).correlate(User).scalar_subquery())


def _state_condition(state: str, progress, assignment, today: date):
    if state == COMPLETED:
        return progress.status == COMPLETED
    if state == IN_PROGRESS:
        return progress.status == IN_PROGRESS
    if state == NOT_STARTED:
        return or_(progress.status.is_(None), progress.status == NOT_STARTED)
    return and_(assignment.due_on < today, _not_completed(progress))


def _any_course_condition(state: str, course_ids: list[str], today: date):
    """A state filter without a course: the learner is in that state in any course."""
    if state in (COMPLETED, IN_PROGRESS):
        return exists().where(Progress.user_id == User.id, Progress.status == state,
                              Progress.course_id.in_(course_ids))
    if state == NOT_STARTED:
        started = (select(func.count()).select_from(Progress)
                   .where(Progress.user_id == User.id, Progress.course_id.in_(course_ids),
                          Progress.status != NOT_STARTED)
                   .correlate(User).scalar_subquery())
        return started < len(course_ids)
    progress = aliased(Progress)
    return exists(
        select(literal(1)).select_from(Assignment)
        .outerjoin(progress, and_(progress.user_id == Assignment.user_id,
                                  progress.course_id == Assignment.course_id))
        .where(Assignment.user_id == User.id, Assignment.course_id.in_(course_ids),
               Assignment.due_on < today, _not_completed(progress))
    )


def _profession_order():
    ranks = sorted(PROFESSION_LABELS, key=lambda p: str(PROFESSION_LABELS[p]).casefold())
    return case({p.value: i for i, p in enumerate(ranks)}, value=User.profession, else_=99)


def learner_select(code: str, q: TableQuery, course_ids: list[str], today: date) -> Select:
    """The filtered and sorted learners, as (id, name, e-mail, workplace, profession,
    last activity) rows."""
    last_activity = _last_activity()
    stmt = select(User.id, User.full_name, User.email, User.workplace, User.profession,
                  last_activity.label("last_activity")).where(staff_of(code))
    if q.workplace:
        stmt = stmt.where(User.workplace == q.workplace)
    if q.profession:
        stmt = stmt.where(User.profession == q.profession)
    progress, assignment = aliased(Progress), aliased(Assignment)
    if q.course:
        stmt = (stmt.outerjoin(progress, and_(progress.user_id == User.id,
                                              progress.course_id == q.course))
                .outerjoin(assignment, and_(assignment.user_id == User.id,
                                            assignment.course_id == q.course)))
        if q.state:
            stmt = stmt.where(_state_condition(q.state, progress, assignment, today))
    elif q.state and course_ids:
        stmt = stmt.where(_any_course_condition(q.state, course_ids, today))
    key = {
        "name": User.full_name,
        "workplace": User.workplace,
        "profession": _profession_order(),
        "activity": last_activity,
        "state": case({NOT_STARTED: 0, IN_PROGRESS: 1, COMPLETED: 2},
                      value=progress.status, else_=0),
        "due": assignment.due_on,
    }[q.sort]
    order = key.desc() if q.descending else key.asc()
    if q.sort in ("activity", "due"):
        order = order.nulls_last()  # portable: SQLite and PostgreSQL both understand it
    return stmt.order_by(order, User.full_name, User.id)


def cells(user_ids: Sequence[int], course_ids: Sequence[str], today: date,
          detail: bool = True) -> dict[tuple[int, str], Cell]:
    """Per learner and course: progress, assignment and newest certificate (three queries).

    Without detail, the per-course last activity is left out: parsing timestamps is
    most of the cost of a 5,000-learner, 10-course export.
    """
    if not user_ids or not course_ids:
        return {}
    found: dict[tuple[int, str], dict] = {}
    activity = Progress.last_activity_at if detail else literal(None)
    for row in _rows_of(
        select(Progress.user_id, Progress.course_id, Progress.status, Progress.modules_done,
               Progress.module_total, Progress.completed_at, activity)
        .where(Progress.user_id.in_(user_ids), Progress.course_id.in_(course_ids))
    ):
        found.setdefault((row[0], row[1]), {}).update(
            state=row[2] or NOT_STARTED, modules_done=row[3] or 0, module_total=row[4] or 0,
            completed_at=row[5], last_activity_at=row[6])
    for user_id, course_id, due_on in _rows_of(
        select(Assignment.user_id, Assignment.course_id, Assignment.due_on)
        .where(Assignment.user_id.in_(user_ids), Assignment.course_id.in_(course_ids))
    ):
        found.setdefault((user_id, course_id), {})["due_on"] = due_on
    for cert_id, user_id, course_id, expires_on in _rows_of(
        select(Certificate.id, Certificate.user_id, Certificate.course_id, Certificate.expires_on)
        .where(Certificate.user_id.in_(user_ids), Certificate.course_id.in_(course_ids),
               Certificate.revoked_at.is_(None), _latest_certificate())
    ):
        found.setdefault((user_id, course_id), {}).update(
            certificate_id=cert_id, certificate_expires_on=expires_on,
            certificate_expired=expires_on is not None and expires_on < today)
    result = {}
    for key, values in found.items():
        due = values.get("due_on")
        values["overdue"] = bool(due and due < today and values.get("state") != COMPLETED)
        result[key] = Cell(**values)
    return result


def _rows(raw, course_ids: Sequence[str], today: date) -> list[LearnerRow]:
    details = cells([r[0] for r in raw], course_ids, today, detail=len(course_ids) == 1)
    return [
        LearnerRow(*r, cells={c: details.get((r[0], c), Cell()) for c in course_ids})
        for r in raw
    ]


def learner_page(code: str, q: TableQuery, courses: Sequence[CourseChoice],
                 today: date, page_size: int = PAGE_SIZE) -> LearnerPage:
    course_ids = [c.id for c in courses]
    stmt = learner_select(code, q, course_ids, today)
    total = db.session.scalar(
        select(func.count()).select_from(stmt.order_by(None).subquery())) or 0
    pages = max(1, -(-total // page_size))
    page = min(q.page, pages)
    raw = db.session.execute(stmt.limit(page_size).offset((page - 1) * page_size)).all()
    shown = [q.course] if q.course else course_ids
    return LearnerPage(_rows(raw, shown, today), total, page, pages)


def all_learner_rows(code: str, q: TableQuery, courses: Sequence[CourseChoice],
                     today: date) -> Iterator[LearnerRow]:
    """Every learner the filters select, in table order, for exports (chunked)."""
    course_ids = [c.id for c in courses]
    shown = [q.course] if q.course else course_ids
    result = _rows_of(learner_select(code, q, course_ids, today))
    while chunk := result.fetchmany(ID_CHUNK):
        yield from _rows(chunk, shown, today)


@dataclass(frozen=True)
class AssignedCourse:
    """A course a supervisor assigned to the learner, for the learner's home page."""

    course_id: str
    due_on: date
    assigned_at: datetime
    completed: bool
    overdue: bool


def assignments_for(user_id: int, today: date | None = None) -> list[AssignedCourse]:
    """The learner's assignments of live courses: open ones first, the soonest due first."""
    from elearn.certificates.services import today as current_day
    from elearn.publishing.models import Course

    day = today or current_day()
    progress = aliased(Progress)
    done = and_(progress.status.is_not(None), progress.status == COMPLETED)
    rows = db.session.execute(
        select(Assignment.course_id, Assignment.due_on, Assignment.created_at, done)
        .join(Course, and_(Course.id == Assignment.course_id, Course.retired_at.is_(None)))
        .outerjoin(progress, and_(progress.user_id == Assignment.user_id,
                                  progress.course_id == Assignment.course_id))
        .where(Assignment.user_id == user_id)
        .order_by(done, Assignment.due_on, Assignment.course_id)
    ).all()
    return [
        AssignedCourse(course_id, due_on, created_at, bool(completed),
                       not completed and due_on < day)
        for course_id, due_on, created_at, completed in rows
    ]
