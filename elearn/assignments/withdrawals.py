"""Withdrawing assignments, and undoing it.

A withdrawal moves the rows from `assignment` to `withdrawn_assignment` under one batch
key; undo moves them back with their original ids (so reminders already sent are not
sent again), except for people who were assigned the course again in the meantime.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import delete, func, insert, select

from elearn.access import staff_of
from elearn.assignments.models import Assignment, WithdrawnAssignment
from elearn.audit.services import record
from elearn.auth.models import User
from elearn.extensions import db
from elearn.types import utcnow

UNDO_HOURS = 24  # how long a withdrawal can be undone from the pages
KEEP_DAYS = 30  # withdrawn rows older than this are deleted (flask reminders send)


@dataclass(frozen=True)
class Affected:
    user_id: int
    full_name: str
    workplace: str


def _selected(code: str, course_id: str, due_on: date | None, user_id: int | None):
    stmt = (select(Assignment).join(User, User.id == Assignment.user_id)
            .where(staff_of(code), Assignment.course_id == course_id))
    if due_on is not None:
        stmt = stmt.where(Assignment.due_on == due_on)
    if user_id is not None:
        stmt = stmt.where(Assignment.user_id == user_id)
    return stmt


def affected(code: str, course_id: str, *, due_on: date | None = None,
             user_id: int | None = None) -> list[Affected]:
    """The people whose assignment the withdrawal would remove, by name."""
    stmt = _selected(code, course_id, due_on, user_id).with_only_columns(
        User.id, User.full_name, User.workplace).order_by(User.full_name, User.id)
    return [Affected(*row) for row in db.session.execute(stmt)]


def withdraw(code: str, course_id: str, *, by_user_id: int | None, due_on: date | None = None,
             user_id: int | None = None) -> tuple[str, int]:
    """Withdraw the municipality's assignments of the course (those due on due_on, or one
    person's); returns (batch key for undo, how many). The caller commits."""
    batch = secrets.token_hex(8)
    rows = db.session.scalars(_selected(code, course_id, due_on, user_id)).all()
    if not rows:
        return batch, 0
    now = utcnow()
    db.session.execute(insert(WithdrawnAssignment), [
        {"batch": batch, "municipality_code": code, "assignment_id": row.id,
         "user_id": row.user_id, "course_id": row.course_id, "due_on": row.due_on,
         "assigned_by_id": row.assigned_by_id, "created_at": row.created_at,
         "withdrawn_by_id": by_user_id, "withdrawn_at": now}
        for row in rows])
    ids = [row.id for row in rows]
    for start in range(0, len(ids), 500):
        db.session.execute(delete(Assignment).where(Assignment.id.in_(ids[start:start + 500])),
                           execution_options={"synchronize_session": False})
    record("assignment.withdrawn", "course", course_id, municipality=code, actor_id=by_user_id,
           before={"due_on": due_on.isoformat() if due_on else None, "user_id": user_id,
                   "count": len(rows)})
    return batch, len(rows)


@dataclass(frozen=True)
class Withdrawal:
    batch: str
    course_id: str
    count: int
    due_on: date | None  # when they all had one due date


def last_withdrawal(code: str, by_user_id: int) -> Withdrawal | None:
    """The supervisor's latest withdrawal in this municipality that can still be undone."""
    since = utcnow() - timedelta(hours=UNDO_HOURS)
    row = db.session.execute(
        select(WithdrawnAssignment.batch, WithdrawnAssignment.course_id, func.count(),
               func.min(WithdrawnAssignment.due_on), func.max(WithdrawnAssignment.due_on),
               func.max(WithdrawnAssignment.withdrawn_at).label("at"))
        .where(WithdrawnAssignment.municipality_code == code,
               WithdrawnAssignment.withdrawn_by_id == by_user_id,
               WithdrawnAssignment.withdrawn_at >= since)
        .group_by(WithdrawnAssignment.batch, WithdrawnAssignment.course_id)
        .order_by(func.max(WithdrawnAssignment.withdrawn_at).desc())
        .limit(1)
    ).first()
    if row is None:
        return None
    batch, course_id, count, first, last, _at = row
    return Withdrawal(batch, course_id, count, first if first == last else None)


def undo(code: str, batch: str, by_user_id: int) -> int | None:
    """Restore a withdrawal of this supervisor in this municipality; None when there is no
    such withdrawal (undone already, or too old). People assigned the course again since
    keep their new assignment. The caller commits."""
    since = utcnow() - timedelta(hours=UNDO_HOURS)
    rows = db.session.scalars(
        select(WithdrawnAssignment).where(
            WithdrawnAssignment.batch == batch, WithdrawnAssignment.municipality_code == code,
            WithdrawnAssignment.withdrawn_by_id == by_user_id,
            WithdrawnAssignment.withdrawn_at >= since)
    ).all()
    if not rows:
        return None
    assigned_again = set(db.session.execute(
        select(Assignment.user_id, Assignment.course_id)
        .where(Assignment.user_id.in_({r.user_id for r in rows}),
               Assignment.course_id.in_({r.course_id for r in rows}))).all())
    taken_ids = set(db.session.scalars(
        select(Assignment.id).where(Assignment.id.in_([r.assignment_id for r in rows]))))
    restore = [
        {"user_id": r.user_id, "course_id": r.course_id, "due_on": r.due_on,
         "assigned_by_id": r.assigned_by_id, "created_at": r.created_at,
         **({} if r.assignment_id in taken_ids else {"id": r.assignment_id})}
        for r in rows if (r.user_id, r.course_id) not in assigned_again
    ]
    with_id = [r for r in restore if "id" in r]
    without_id = [r for r in restore if "id" not in r]
    if with_id:
        db.session.execute(insert(Assignment), with_id)
    if without_id:
        db.session.execute(insert(Assignment), without_id)
    if restore:
        record("assignment.restored", "course", rows[0].course_id, municipality=code,
               actor_id=by_user_id, after={"count": len(restore)})
    db.session.execute(delete(WithdrawnAssignment).where(WithdrawnAssignment.batch == batch),
                       execution_options={"synchronize_session": False})
    return len(restore)


def forget_old() -> int:
    """Delete withdrawn rows older than KEEP_DAYS; the caller commits."""
    result = db.session.execute(
        delete(WithdrawnAssignment).where(
            WithdrawnAssignment.withdrawn_at < utcnow() - timedelta(days=KEEP_DAYS)),
        execution_options={"synchronize_session": False})
    return result.rowcount or 0

