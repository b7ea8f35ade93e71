"""The learner table: filters, sort and pages in SQL, then each shown learner's
per-course cells in three fixed queries (for a page, or chunk by chunk for exports)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import Select, and_, case, exists, func, literal, or_, select
from sqlalchemy.orm import aliased

from elearn.access import staff_of
from elearn.assignments.models import Assignment
from elearn.auth.models import PROFESSION_LABELS, Profession, User
from elearn.certificates.models import Certificate
from elearn.extensions import db
from elearn.learning.models import CourseProgress
from elearn.publishing.courses import CourseChoice
from elearn.supervision.services import (
    COMPLETED,
    IN_PROGRESS,
    NOT_STARTED,
    STATE_FILTERS,
    latest_certificate_only,
    not_completed,
    rows_of,
)

SORTS = ("name", "workplace", "profession", "activity", "state", "due")
COURSE_SORTS = ("state", "due")  # only meaningful for one course
PAGE_SIZE = 50
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
        return Profession(self.profession).label


@dataclass(frozen=True)
class LearnerPage:
    rows: list[LearnerRow]
    total: int
    page: int
    pages: int


def _last_activity():
    return (select(func.max(CourseProgress.last_activity_at))
            .where(CourseProgress.user_id == User.id).correlate(User).scalar_subquery())


def _state_condition(state: str, progress, assignment, today: date):
    if state == COMPLETED:
        return progress.status == COMPLETED
    if state == IN_PROGRESS:
        return progress.status == IN_PROGRESS
    if state == NOT_STARTED:
        return or_(progress.status.is_(None), progress.status == NOT_STARTED)
    return and_(assignment.due_on < today, not_completed(progress))


def _any_course_condition(state: str, course_ids: list[str], today: date):
    """A state filter without a course: the learner is in that state in any course."""
    if state in (COMPLETED, IN_PROGRESS):
        return exists().where(CourseProgress.user_id == User.id, CourseProgress.status == state,
                              CourseProgress.course_id.in_(course_ids))
    if state == NOT_STARTED:
        started = (select(func.count()).select_from(CourseProgress)
                   .where(CourseProgress.user_id == User.id,
                          CourseProgress.course_id.in_(course_ids),
                          CourseProgress.status != NOT_STARTED)
                   .correlate(User).scalar_subquery())
        return started < len(course_ids)
    progress = aliased(CourseProgress)
    return exists(
        select(literal(1)).select_from(Assignment)
        .outerjoin(progress, and_(progress.user_id == Assignment.user_id,
                                  progress.course_id == Assignment.course_id))
        .where(Assignment.user_id == User.id, Assignment.course_id.in_(course_ids),
               Assignment.due_on < today, not_completed(progress))
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
    progress, assignment = aliased(CourseProgress), aliased(Assignment)
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
    activity = CourseProgress.last_activity_at if detail else literal(None)
    for row in rows_of(
        select(CourseProgress.user_id, CourseProgress.course_id, CourseProgress.status,
               CourseProgress.modules_done, CourseProgress.module_total,
               CourseProgress.completed_at, activity)
        .where(CourseProgress.user_id.in_(user_ids), CourseProgress.course_id.in_(course_ids))
    ):
        found.setdefault((row[0], row[1]), {}).update(
            state=row[2] or NOT_STARTED, modules_done=row[3] or 0, module_total=row[4] or 0,
            completed_at=row[5], last_activity_at=row[6])
    for user_id, course_id, due_on in rows_of(
        select(Assignment.user_id, Assignment.course_id, Assignment.due_on)
        .where(Assignment.user_id.in_(user_ids), Assignment.course_id.in_(course_ids))
    ):
        found.setdefault((user_id, course_id), {})["due_on"] = due_on
    for cert_id, user_id, course_id, expires_on in rows_of(
        select(Certificate.id, Certificate.user_id, Certificate.course_id, Certificate.expires_on)
        .where(Certificate.user_id.in_(user_ids), Certificate.course_id.in_(course_ids),
               Certificate.revoked_at.is_(None), latest_certificate_only())
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
    # A server-side cursor on PostgreSQL (SQLite reads lazily anyway): the learners are
    # fetched ID_CHUNK at a time, never all at once.
    result = rows_of(learner_select(code, q, course_ids, today)
                     .execution_options(stream_results=True, max_row_buffer=ID_CHUNK))
    while chunk := result.fetchmany(ID_CHUNK):
        yield from _rows(chunk, shown, today)
