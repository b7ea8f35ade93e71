"""What each learner has done: per course, per module, and every quiz attempt.

Everything is keyed on the course id, the module key and the question key, never
on published row ids alone, so publishing a new version of a course keeps progress.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from elearn.extensions import db
from elearn.types import UTCDateTime, utcnow


class Status(StrEnum):
    NOT_STARTED = "not_started"  # e.g. assigned by a supervisor, not opened yet
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"


class CourseProgress(db.Model):
    """One row per learner and course, kept up to date on every state change.

    The supervision reports aggregate this table with GROUP BY instead of
    recomputing progress from modules and attempts.
    """

    __tablename__ = "course_progress"
    __table_args__ = (
        Index("ix_course_progress_course_status", "course_id", "status"),
        # A municipality's counts by course and state, from the index alone.
        Index("ix_course_progress_user_course_status", "user_id", "course_id", "status"),
    )

    user_id: Mapped[int] = mapped_column(
        ForeignKey("user.id", ondelete="CASCADE"), primary_key=True
    )
    course_id: Mapped[str] = mapped_column(ForeignKey("course.id"), primary_key=True)
    status: Mapped[str] = mapped_column(String(16), default=Status.IN_PROGRESS.value)
    # 1 the first time; a learner whose certificate expired starts the course again
    # as take 2, and only modules completed in the current take count.
    take: Mapped[int] = mapped_column(Integer, default=1)
    modules_done: Mapped[int] = mapped_column(Integer, default=0)
    module_total: Mapped[int] = mapped_column(Integer, default=0)
    last_module_key: Mapped[str | None] = mapped_column(String(100))  # where to continue
    # Empty while not started (a supervisor's assignment creates the row before that).
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_activity_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    completed_version_id: Mapped[int | None] = mapped_column(ForeignKey("course_version.id"))


class ModuleProgress(db.Model):
    __tablename__ = "module_progress"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("user.id", ondelete="CASCADE"), primary_key=True
    )
    course_id: Mapped[str] = mapped_column(ForeignKey("course.id"), primary_key=True)
    module_key: Mapped[str] = mapped_column(String(100), primary_key=True)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    completed_take: Mapped[int | None] = mapped_column(Integer)  # CourseProgress.take
    best_score: Mapped[int | None] = mapped_column(Integer)
    attempt_count: Mapped[int] = mapped_column(Integer, default=0)
    # Failed attempts in a row; reaching the course's limit starts a 24-hour cool-down.
    failed_streak: Mapped[int] = mapped_column(Integer, default=0)
    last_failed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class Attempt(db.Model):
    """One quiz attempt: the questions drawn, their option order, and the answers."""

    __table_args__ = (
        # At most one open attempt per learner and module: is_open is True while the
        # attempt is open and NULL afterwards, and NULLs never collide in a unique
        # constraint (SQLite and PostgreSQL alike).
        UniqueConstraint("user_id", "course_id", "module_key", "is_open",
                         name="uq_attempt_one_open"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    course_id: Mapped[str] = mapped_column(ForeignKey("course.id"))
    module_key: Mapped[str] = mapped_column(String(100))
    version_id: Mapped[int] = mapped_column(ForeignKey("course_version.id"))
    # [{"id": question row id, "key": question key, "options": [option row ids as shown]}]
    questions: Mapped[list[dict]] = mapped_column(JSON)
    pass_mark: Mapped[int] = mapped_column(Integer)  # the module's, when the attempt began
    is_open: Mapped[bool | None] = mapped_column(Boolean)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Aligned with questions: the option row ids the learner chose for each.
    answers: Mapped[list[list[int]] | None] = mapped_column(JSON)
    correct_count: Mapped[int | None] = mapped_column(Integer)
    score: Mapped[int | None] = mapped_column(Integer)  # percent, rounded down
    passed: Mapped[bool | None] = mapped_column(Boolean)


class AnsweredQuestion(db.Model):
    """One question of a submitted attempt: was it answered correctly? Kept as rows
    (the attempt's JSON says the same) so that item analysis is a GROUP BY."""

    __tablename__ = "answered_question"
    # Covers the item analysis's sums per question: read from the index alone.
    __table_args__ = (
        Index("ix_answered_question_item", "question_id", "correct", "attempt_correct"),
    )

    attempt_id: Mapped[int] = mapped_column(
        ForeignKey("attempt.id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(Integer, primary_key=True)  # in the attempt, from 0
    question_id: Mapped[int] = mapped_column(ForeignKey("question.id"))
    correct: Mapped[bool] = mapped_column(Boolean)
    # The attempt's number of correct answers, copied (it never changes once submitted)
    # so the discrimination needs no join with the attempts.
    attempt_correct: Mapped[int] = mapped_column(Integer)


class ChosenOption(db.Model):
    """An option the learner chose in a submitted attempt (several for a question that
    asks to tick every correct one)."""

    __tablename__ = "chosen_option"

    attempt_id: Mapped[int] = mapped_column(
        ForeignKey("attempt.id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    option_id: Mapped[int] = mapped_column(ForeignKey("question_option.id"), primary_key=True,
                                           index=True)
