"""State changes of a learner in a course: quizzes started, modules completed, course completion.

Every change to a learner's course goes through lock_progress() first, which holds
her course_progress row until the commit (SELECT … FOR UPDATE on PostgreSQL; on
SQLite the first write already takes the database's write lock). Two requests of
the same learner in the same course are therefore applied one after the other, and
the count of modules done cannot lose an update.
"""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache

from flask import current_app
from sqlalchemy import case, func, select
from sqlalchemy.dialects import postgresql, sqlite

from elearn.auth.models import User
from elearn.extensions import db
from elearn.learning.models import CourseProgress, ModuleProgress, Status
from elearn.learning.signals import course_completed
from elearn.publishing.models import CourseVersion, Module
from elearn.types import utcnow


def _insert(model):
    """INSERT … ON CONFLICT for the database in use (both speak the same upsert)."""
    dialect = db.session.get_bind().dialect.name
    return (postgresql.insert if dialect == "postgresql" else sqlite.insert)(model)


def record_visit(user_id: int, course_id: str, module_total: int, module_key: str,
                 now: datetime) -> None:
    """Remember where the learner is, starting the course if she had not (one statement).

    Called when she starts a quiz; never by a page view."""
    started = CourseProgress.status == Status.NOT_STARTED.value
    statement = _insert(CourseProgress).values(
        user_id=user_id, course_id=course_id, status=Status.IN_PROGRESS.value, take=1,
        modules_done=0, module_total=module_total, last_module_key=module_key,
        started_at=now, last_activity_at=now,
    )
    statement = statement.on_conflict_do_update(
        index_elements=["user_id", "course_id"],
        set_={
            "last_module_key": module_key,
            "last_activity_at": now,
            "status": case((started, Status.IN_PROGRESS.value), else_=CourseProgress.status),
            "started_at": func.coalesce(CourseProgress.started_at, now),
        },
    )
    db.session.execute(statement)


def lock_progress(user_id: int, course_id: str, module_total: int,
                  now: datetime, *, touch: bool = False) -> CourseProgress:
    """The learner's progress row in the course, created if needed, locked until commit.

    One statement: an upsert that returns the row. Its conflict branch assigns the last
    activity (to itself, or to now with touch=True, for a caller that records activity
    anyway), and updating the row is what locks it on PostgreSQL (as FOR UPDATE did)."""
    statement = _insert(CourseProgress).values(
        user_id=user_id, course_id=course_id, status=Status.IN_PROGRESS.value, take=1,
        modules_done=0, module_total=module_total, started_at=now, last_activity_at=now,
    )
    statement = statement.on_conflict_do_update(
        index_elements=["user_id", "course_id"],
        set_={"last_activity_at": now if touch else CourseProgress.last_activity_at},
    ).returning(CourseProgress)
    return db.session.scalars(statement, execution_options={"populate_existing": True}).one()


def module_progress(user_id: int, course_id: str, module_key: str) -> ModuleProgress:
    """The module's progress row (call after lock_progress, which serialises writers)."""
    row = db.session.get(ModuleProgress, (user_id, course_id, module_key),
                         populate_existing=True)
    if row is None:
        row = ModuleProgress(user_id=user_id, course_id=course_id, module_key=module_key,
                             attempt_count=0, failed_streak=0)
        db.session.add(row)
    return row


def mark_module_done(row: ModuleProgress, progress: CourseProgress, now: datetime) -> None:
    if row.completed_take != progress.take or row.completed_at is None:
        row.completed_at = now
        row.completed_take = progress.take


def settle_course(user: User, progress: CourseProgress, version: CourseVersion,
                  current_key: str | None, now: datetime) -> bool:
    """Recount modules done against the live version; complete the course when all are.

    Returns True when this call completed the course. The course_completed signal is
    sent before the caller commits, so a certificate is issued in the same transaction.
    A completed course stays completed: later versions never undo it.
    """
    db.session.flush()
    keys = list(module_keys(version))
    done = set(db.session.scalars(
        select(ModuleProgress.module_key).where(
            ModuleProgress.user_id == progress.user_id,
            ModuleProgress.course_id == progress.course_id,
            ModuleProgress.completed_take == progress.take,
            ModuleProgress.module_key.in_(keys),
        )
    )) if keys else set()
    progress.modules_done = len(done)
    progress.module_total = len(keys)
    progress.last_activity_at = now
    progress.started_at = progress.started_at or now
    progress.last_module_key = next_to_do(keys, done, current_key)
    if progress.status == Status.COMPLETED:
        return False
    # A preview (authors, admins) of a version not offered here, unpublished or for
    # another country, never completes a course.
    if keys and len(done) == len(keys) and version.offered_in(current_app.config["COUNTRY"]):
        progress.status = Status.COMPLETED.value
        progress.completed_at = now
        progress.completed_version_id = version.id
        course_completed.send(current_app._get_current_object(), user=user, version=version)
        return True
    progress.status = Status.IN_PROGRESS.value
    return False


def module_keys(version: CourseVersion) -> tuple[str, ...]:
    """The version's module keys in order, read once per process: a published version
    never changes, so like the lesson HTML they are kept by version id and content hash
    (in case a database reuses a deleted version's id), never by time."""
    return _module_keys(version.id, version.content_hash)


@lru_cache(maxsize=512)
def _module_keys(version_id: int, content_hash: str) -> tuple[str, ...]:
    return tuple(db.session.scalars(
        select(Module.key).where(Module.version_id == version_id).order_by(Module.position)
    ))


def next_to_do(keys: list[str], done: set[str], current: str | None) -> str | None:
    """The first module not done after the current one, else the first not done at all."""
    start = keys.index(current) + 1 if current in keys else 0
    for key in keys[start:] + keys[:start]:
        if key not in done:
            return key
    return current


def confirm_read(user: User, version: CourseVersion, module: Module,
                 now: datetime) -> tuple[bool, str | None]:
    """A module without a quiz is complete once read.

    Returns whether that completed the course, and the next module still to do.
    """
    progress = lock_progress(user.id, version.course_id, version.module_count, now)
    row = module_progress(user.id, version.course_id, module.key)
    mark_module_done(row, progress, now)
    completed = settle_course(user, progress, version, module.key, now)
    next_key = progress.last_module_key
    db.session.commit()
    return completed, next_key


def start_again(user: User, version: CourseVersion, now: datetime) -> None:
    """A new take of a completed course (after a certificate expired); history is kept."""
    progress = lock_progress(user.id, version.course_id, version.module_count, now)
    if progress.status == Status.COMPLETED:
        progress.take += 1
        progress.status = Status.IN_PROGRESS.value
        progress.modules_done = 0
        progress.module_total = version.module_count
        progress.completed_at = None
        progress.completed_version_id = None
        progress.started_at = now
        progress.last_activity_at = now
        progress.last_module_key = None
    db.session.commit()


def on_version_published(sender, version: CourseVersion) -> None:
    """Complete the course of learners who have done every module of the new version
    (it dropped the last one they had left); the publisher commits. Done here, when it
    happens, rather than when a learner next opens the course page (a GET)."""
    if not version.offered_in(current_app.config["COUNTRY"]) or not version.module_count:
        return
    db.session.flush()
    undone = (
        select(Module.key).where(Module.version_id == version.id).where(
            ~select(ModuleProgress.module_key).where(
                ModuleProgress.user_id == CourseProgress.user_id,
                ModuleProgress.course_id == version.course_id,
                ModuleProgress.module_key == Module.key,
                ModuleProgress.completed_take == CourseProgress.take,
            ).exists())
    )
    finished = list(db.session.scalars(
        select(CourseProgress.user_id).where(
            CourseProgress.course_id == version.course_id,
            CourseProgress.status == Status.IN_PROGRESS.value,
            ~undone.exists(),
        )
    ))
    if not finished:
        return
    now = utcnow()
    for user in db.session.scalars(select(User).where(User.id.in_(finished))):
        progress = lock_progress(user.id, version.course_id, version.module_count, now)
        settle_course(user, progress, version, None, now)
