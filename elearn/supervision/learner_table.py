"""The learner table: filters, sort and pages in SQL, then each shown learner's
per-course cells in three fixed queries (the exports build their lines in
export_rows).

Pages are found by keyset, not OFFSET: a link to the next page carries the last row's
sort values (an opaque cursor), so the database starts from there through the index
and page 100 costs what page 1 does. The page number only labels the page."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import NamedTuple

from sqlalchemy import Select, and_, case, exists, func, literal, or_, select
from sqlalchemy.orm import aliased

from elearn.access import staff_of
from elearn.assignments.models import Assignment
from elearn.auth.models import PROFESSION_LABELS, Profession, User
from elearn.certificates.models import Certificate
from elearn.extensions import db
from elearn.learning.models import CourseProgress
from elearn.publishing.courses import CourseChoice
from elearn.supervision.keyset import SortKey, beyond, ordered
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
MAX_CURSOR = 600


@dataclass(frozen=True)
class TableQuery:
    """The learner table's filters, sort and page, as they travel in the query string."""

    workplace: str = ""
    profession: str = ""
    course: str = ""
    state: str = ""
    sort: str = "name"
    descending: bool = False
    page: int = 1  # the label of the page a cursor leads to
    after: str = ""  # cursor: the rows that follow this one (the next page)
    before: str = ""  # cursor: the rows that precede this one (the previous page)

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
        after, before = args.get("after", "")[:MAX_CURSOR], args.get("before", "")[:MAX_CURSOR]
        if not (after or before):
            page = 1  # without a cursor a page is the first one, whatever its label says
        return cls(
            workplace=w if (w := args.get("workplace", "")) in workplaces else "",
            profession=p if (p := args.get("profession", "")) in {x.value for x in
                                                                   PROFESSION_LABELS} else "",
            course=course if course in courses else "",
            state=s if (s := args.get("state", "")) in STATE_FILTERS else "",
            sort=sort,
            descending=args.get("dir") == "desc",
            page=page, after=after, before=before,
        )

    def args(self, **changes) -> dict[str, str | int]:
        """Query-string arguments for a link to this table with some values changed; a
        link that does not name a cursor leads to the first page."""
        values = {
            "workplace": self.workplace, "profession": self.profession, "course": self.course,
            "state": self.state, "sort": self.sort, "dir": "desc" if self.descending else "",
            "page": self.page, "after": self.after, "before": self.before,
        }
        if "after" not in changes and "before" not in changes:
            changes = {**changes, "page": 1, "after": "", "before": ""}
        values.update(changes)
        defaults = {"sort": "name", "page": 1}
        return {k: v for k, v in values.items() if v and defaults.get(k) != v}


class Cell(NamedTuple):
    """One learner's state in one course (a named tuple: a page of the table builds 50
    learners × every course of them, and a frozen dataclass costs several times as much
    to build)."""

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
    previous: str = ""  # the cursor of the previous page, "" on the first
    next: str = ""  # the cursor of the next page, "" on the last


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


def learner_select(code: str, q: TableQuery, course_ids: list[str],
                   today: date) -> tuple[Select, list[SortKey]]:
    """The filtered learners, as (id, name, e-mail, workplace, profession, last activity)
    rows, with the keys that order them."""
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
    return stmt, _sort_keys(q, last_activity, progress, assignment)


def _sort_keys(q: TableQuery, last_activity, progress, assignment) -> list[SortKey]:
    """The table's order as a list of keys, the last two (name, id) making it total."""
    name, ident = SortKey(User.full_name, False, False), SortKey(User.id, False, False)
    if q.sort == "name":
        return [SortKey(User.full_name, q.descending, False), ident]
    first = {
        "workplace": SortKey(User.workplace, q.descending, False),
        "profession": SortKey(_profession_order(), q.descending, False),
        "activity": SortKey(last_activity, q.descending, True),
        "state": SortKey(case({NOT_STARTED: 0, IN_PROGRESS: 1, COMPLETED: 2},
                              value=progress.status, else_=0), q.descending, False),
        "due": SortKey(assignment.due_on, q.descending, True),
    }[q.sort]
    return [first, name, ident]


def _encode(q: TableQuery, row) -> str:
    """The cursor of a row: its sort value (when not the name), name and id."""
    values = [*row[SORT_VALUE:], row[1], row[0]]
    plain = [v.isoformat() if isinstance(v, date | datetime) else v for v in values]
    return base64.urlsafe_b64encode(json.dumps(plain).encode()).decode().rstrip("=")


def _decode(q: TableQuery, cursor: str) -> list | None:
    """The cursor's values, typed as the sort needs them; None if it is not one of ours."""
    try:
        values = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        if not isinstance(values, list) or len(values) != (2 if q.sort == "name" else 3):
            return None
        *first, name, ident = values
        if not (_text(name) and _small_int(ident) and ident > 0):
            return None
        if first:
            value = first[0]
            if q.sort == "workplace" and not _text(value):
                return None
            if q.sort in ("profession", "state") and not _small_int(value):
                return None
            if q.sort == "activity" and value is not None:
                value = datetime.fromisoformat(value)
                if value.tzinfo is None:
                    return None
            if q.sort == "due" and value is not None:
                value = date.fromisoformat(value)
            first = [value]
        return [*first, name, ident]
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError):
        return None


def _text(value) -> bool:
    """A name or workplace as we store them: no control characters (PostgreSQL refuses
    a NUL), no longer than the column."""
    return (isinstance(value, str) and len(value) <= 200
            and not any(ord(c) < 32 or ord(c) == 127 for c in value))


def _small_int(value) -> bool:
    return type(value) is int and -(2**31) < value < 2**31


SORT_VALUE = 6  # the rows' columns: id, name, e-mail, workplace, profession, last activity


def cells(user_ids: Sequence[int], course_ids: Sequence[str], today: date,
          detail: bool = True) -> dict[tuple[int, str], Cell]:
    """Per learner and course: progress, assignment and newest certificate (three queries).

    Without detail, the per-course last activity is left out: the table shows it only
    for a single course. (The exports build their lines in export_rows, not here.)
    """
    if not user_ids or not course_ids:
        return {}
    activity = CourseProgress.last_activity_at if detail else literal(None)
    # Plain tuples by (user, course), joined in Python: per-cell dictionaries cost more
    # than the queries.
    progress = {(row[0], row[1]): row for row in rows_of(
        select(CourseProgress.user_id, CourseProgress.course_id, CourseProgress.status,
               CourseProgress.modules_done, CourseProgress.module_total,
               CourseProgress.completed_at, activity)
        .where(CourseProgress.user_id.in_(user_ids), CourseProgress.course_id.in_(course_ids))
    ).all()}
    due = {(user_id, course_id): due_on for user_id, course_id, due_on in rows_of(
        select(Assignment.user_id, Assignment.course_id, Assignment.due_on)
        .where(Assignment.user_id.in_(user_ids), Assignment.course_id.in_(course_ids))
    ).all()}
    certificates = {(user_id, course_id): (cert_id, expires_on)
                    for cert_id, user_id, course_id, expires_on in rows_of(
        select(Certificate.id, Certificate.user_id, Certificate.course_id, Certificate.expires_on)
        .where(Certificate.user_id.in_(user_ids), Certificate.course_id.in_(course_ids),
               Certificate.revoked_at.is_(None), latest_certificate_only())
    ).all()}
    result = {}
    for key in progress.keys() | due.keys() | certificates.keys():
        row = progress.get(key)
        if row is None:
            state, done, total, completed_at, last_activity = NOT_STARTED, 0, 0, None, None
        else:
            state, done, total, completed_at, last_activity = (
                row[2] or NOT_STARTED, row[3] or 0, row[4] or 0, row[5], row[6])
        due_on = due.get(key)
        cert_id, expires_on = certificates.get(key, (None, None))
        result[key] = Cell(
            state, done, total, completed_at, last_activity, due_on,
            bool(due_on and due_on < today and state != COMPLETED), cert_id, expires_on,
            expires_on is not None and expires_on < today)
    return result


NO_CELL = Cell()  # shared by every learner who has nothing in a course


def _rows(raw, course_ids: Sequence[str], today: date) -> list[LearnerRow]:
    details = cells([r[0] for r in raw], course_ids, today, detail=len(course_ids) == 1)
    return [
        LearnerRow(*r[:SORT_VALUE], cells={c: details.get((r[0], c), NO_CELL) for c in course_ids})
        for r in raw
    ]


def learner_page(code: str, q: TableQuery, courses: Sequence[CourseChoice],
                 today: date, page_size: int = PAGE_SIZE) -> LearnerPage:
    """One page of the table: the first, or the one after (before) the cursor's row."""
    course_ids = [c.id for c in courses]
    stmt, keys = learner_select(code, q, course_ids, today)
    total = db.session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    pages = max(1, -(-total // page_size))
    position = _decode(q, q.after or q.before) if (q.after or q.before) else None
    backwards = position is not None and not q.after
    page = min(q.page, pages) if position is not None else 1
    if position is not None:
        stmt = stmt.where(beyond(keys, position, backwards))
    raw = db.session.execute(ordered(stmt, keys, backwards).limit(page_size + 1)).all()
    more = len(raw) > page_size
    raw = raw[:page_size]
    if backwards:
        raw.reverse()
        if not more:  # nothing before these: they begin the table
            page = 1
    has_previous = page > 1 and bool(raw)
    has_next = (more or backwards) and bool(raw) and page < pages
    shown = [q.course] if q.course else course_ids
    return LearnerPage(_rows(raw, shown, today), total, page, pages,
                       previous=_encode(q, raw[0]) if has_previous else "",
                       next=_encode(q, raw[-1]) if has_next else "")

