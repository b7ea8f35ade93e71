"""Courses assigned to learners, and the log that makes reminders idempotent."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from elearn.audit.services import register_audited
from elearn.extensions import db
from elearn.types import UTCDateTime, utcnow


class Assignment(db.Model):
    """A course a supervisor asked one learner to complete by a date.

    One row per learner, even when the supervisor assigned a whole workplace or
    municipality: the rows are what was asked of whom, so people who join the
    workplace later are not assigned by surprise. Assigning the same course again
    moves the due date.
    """

    # The unique key serves the per-learner look-ups; due_on's index the reminders.
    __table_args__ = (UniqueConstraint("user_id", "course_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    course_id: Mapped[str] = mapped_column(ForeignKey("course.id"))
    due_on: Mapped[date] = mapped_column(Date, index=True)
    assigned_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class ReminderLog(db.Model):
    """One reminder sent (or being sent): the unique key is what makes reminders idempotent.

    kind: what was sent; subject_key: about what (an assignment or certificate id);
    period: which occurrence (an ISO week, or the 60/14-day notice).
    """

    __table_args__ = (UniqueConstraint("kind", "user_id", "subject_key", "period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    subject_key: Mapped[str] = mapped_column(String(64))
    period: Mapped[str] = mapped_column(String(16))
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class WithdrawnAssignment(db.Model):
    """An assignment a supervisor withdrew, kept so that she can undo it: each withdrawal
    is one batch, restored whole (with the original ids, so reminders already sent are
    not sent again)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    batch: Mapped[str] = mapped_column(String(32), index=True)
    municipality_code: Mapped[str] = mapped_column(ForeignKey("municipality.code"))
    assignment_id: Mapped[int]
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    course_id: Mapped[str] = mapped_column(ForeignKey("course.id"))
    due_on: Mapped[date] = mapped_column(Date)
    assigned_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    withdrawn_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user.id", ondelete="SET NULL")
    )
    withdrawn_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class AssignmentRule(db.Model):
    """A standing assignment: everyone in the municipality, at a workplace or of a
    profession, including people who join later (imported, confirmed or moved in).

    Newcomers are due `days_for_newcomers` after they join (never before due_on). With
    renew_days_before set, a learner whose certificate of the course expires within
    that many days is assigned the course again, due on the day it expires.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_code: Mapped[str] = mapped_column(ForeignKey("municipality.code"), index=True)
    course_id: Mapped[str] = mapped_column(ForeignKey("course.id"))
    target: Mapped[str] = mapped_column(String(16))  # municipality, workplace, profession
    workplace: Mapped[str] = mapped_column(String(200), default="")
    profession: Mapped[str] = mapped_column(String(32), default="")
    due_on: Mapped[date] = mapped_column(Date)
    days_for_newcomers: Mapped[int] = mapped_column(default=30)
    renew_days_before: Mapped[int | None]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class CalendarFeed(db.Model):
    """A learner's calendar subscription to her due dates: the token in its address is
    the only key, so a new token (or none) revokes the old address at once."""

    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"),
                                         primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


register_audited(Assignment, {"due_on"}, rows=True)
register_audited(AssignmentRule, {"due_on", "days_for_newcomers", "target", "workplace",
                                  "profession"}, rows=True)
