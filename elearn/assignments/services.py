"""Assigning courses: to chosen learners, a workplace or the whole municipality.

Each assignment is stored per learner (see models.Assignment): "everyone at the
day centre" means the people who work there today.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, and_, func, insert, select, update
from sqlalchemy.orm import aliased

from elearn.access import staff_of
from elearn.assignments.models import Assignment
from elearn.audit.services import record
from elearn.auth.models import User
from elearn.extensions import db
from elearn.learning.models import CourseProgress, Status
from elearn.types import utcnow

CHUNK = 500
MAX_LISTED = 500  # people offered as checkboxes at once; more: narrow by workplace


class OutOfScope(Exception):
    """A learner id that is not on this municipality's staff (a forged form)."""


@dataclass(frozen=True)
class AssignResult:
    created: int
    moved: int  # already assigned: the due date was changed


def _target_ids(code: str, target: str, workplace: str, profession: str,
                user_ids: Sequence[int]) -> list[int]:
    stmt = select(User.id).where(staff_of(code))
    if target == "workplace":
        stmt = stmt.where(User.workplace == workplace)
    elif target == "profession":
        stmt = stmt.where(User.profession == profession)
    elif target == "learners":
        wanted = set(user_ids)
        found: list[int] = []
        ids = sorted(wanted)
        for start in range(0, len(ids), CHUNK):
            found += db.session.scalars(stmt.where(User.id.in_(ids[start:start + CHUNK])))
        if len(found) != len(wanted):
            raise OutOfScope
        return found
    return list(db.session.scalars(stmt))


def assign(code: str, course_id: str, due_on: date, *, target: str, by_user_id: int | None,
           workplace: str = "", profession: str = "",
           user_ids: Sequence[int] = ()) -> AssignResult:
    """Assign the course with the due date; the caller commits."""
    ids = _target_ids(code, target, workplace, profession, user_ids)
    existing: set[int] = set()
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start:start + CHUNK]
        existing |= set(db.session.scalars(select(Assignment.user_id).where(
            Assignment.course_id == course_id, Assignment.user_id.in_(chunk))))
    moved = sorted(existing)
    for start in range(0, len(moved), CHUNK):
        db.session.execute(
            update(Assignment)
            .where(Assignment.course_id == course_id,
                   Assignment.user_id.in_(moved[start:start + CHUNK]))
            .values(due_on=due_on, assigned_by_id=by_user_id)
        )
    new = [
        {"user_id": uid, "course_id": course_id, "due_on": due_on,
         "assigned_by_id": by_user_id, "created_at": utcnow()}
        for uid in ids if uid not in existing
    ]
    if new:
        db.session.execute(insert(Assignment), new)
    if ids:
        record("assignment.created", "course", course_id, municipality=code,
               after={"due_on": due_on.isoformat(), "target": target, "workplace": workplace,
                      "profession": profession, "created": len(new), "moved": len(moved)},
               actor_id=by_user_id)
    return AssignResult(created=len(new), moved=len(moved))


@dataclass(frozen=True)
class AssignmentGroup:
    """The assignments of one course with one due date, as the list page shows them."""

    course_id: str
    due_on: date
    learners: int
    completed: int

    def overdue(self, today: date) -> int:
        return self.learners - self.completed if self.due_on < today else 0


def assignment_groups(code: str) -> list[AssignmentGroup]:
    progress = aliased(CourseProgress)
    rows = db.session.execute(
        select(Assignment.course_id, Assignment.due_on, func.count(),
               func.count(progress.user_id).filter(progress.status == Status.COMPLETED.value))
        .join(User, User.id == Assignment.user_id)
        .outerjoin(progress, and_(progress.user_id == Assignment.user_id,
                                  progress.course_id == Assignment.course_id))
        .where(staff_of(code))
        .group_by(Assignment.course_id, Assignment.due_on)
        .order_by(Assignment.due_on.desc(), Assignment.course_id)
    ).all()
    return [AssignmentGroup(*row) for row in rows]


def move_due_date(code: str, course_id: str, new_due_on: date, *, due_on: date | None = None,
                  user_id: int | None = None, by_user_id: int | None) -> int:
    """Give the municipality's assignments of the course (those due on due_on, or one
    person's) a new due date; returns how many. The caller commits."""
    staff = select(User.id).where(staff_of(code))
    stmt = (update(Assignment)
            .where(Assignment.course_id == course_id, Assignment.user_id.in_(staff))
            .values(due_on=new_due_on, assigned_by_id=by_user_id))
    if due_on is not None:
        stmt = stmt.where(Assignment.due_on == due_on)
    if user_id is not None:
        stmt = stmt.where(Assignment.user_id == user_id)
    result = db.session.execute(stmt, execution_options={"synchronize_session": False})
    if result.rowcount:
        record("assignment.due_date", "course", course_id, municipality=code,
               actor_id=by_user_id,
               before={"due_on": due_on.isoformat() if due_on else None, "user_id": user_id},
               after={"due_on": new_due_on.isoformat(), "count": result.rowcount})
    return result.rowcount or 0


@dataclass(frozen=True)
class Person:
    id: int
    full_name: str
    workplace: str


def people(code: str, workplace: str = "") -> tuple[list[Person], int]:
    """Staff to tick on the assignment form (at most MAX_LISTED), and how many there are."""
    stmt = select(User.id, User.full_name, User.workplace).where(staff_of(code))
    if workplace:
        stmt = stmt.where(User.workplace == workplace)
    total = db.session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rows = db.session.execute(stmt.order_by(User.full_name, User.id).limit(MAX_LISTED)).all()
    return [Person(*row) for row in rows], total


def due_dates_of(_sender, *, user_id: int) -> Select:
    """Receiver of learning's due_dates signal: the learner's assigned courses and their
    due dates, as (course_id, due_on) rows for the home page to join."""
    return select(Assignment.course_id, Assignment.due_on).where(Assignment.user_id == user_id)
