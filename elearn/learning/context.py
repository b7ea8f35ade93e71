"""What every learning page starts from: the course in the learner's language and her progress.

Pages get plain frozen dataclasses, never ORM objects: templates then cannot
trigger lazy loads, and a commit before rendering cannot expire what they show.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from flask import current_app
from sqlalchemy import and_, select
from sqlalchemy.orm import defer

from elearn.access import Permission, can
from elearn.auth.models import User
from elearn.extensions import db
from elearn.learning.grading import QuizAllowance, allowance
from elearn.learning.models import Attempt, CourseProgress, ModuleProgress, Status
from elearn.publishing.models import Course, CourseVersion, LangText, Module, in_language


class Unavailable(Exception):
    """No such course or module for this user (answered with 404)."""


class Forged(Exception):
    """A request no page of ours could have sent (answered with 400)."""


def shown_language(languages: list[str] | tuple[str, ...], ui_lang: str) -> str:
    """The learner's language when the course has it, else the platform's default, else any."""
    if ui_lang in languages:
        return ui_lang
    default = current_app.config["BABEL_DEFAULT_LOCALE"]
    if default in languages:
        return default
    return languages[0] if languages else ui_lang


def offered(version: CourseVersion) -> bool:
    """Whether this deployment's learners see the version (published, for this country)."""
    return version.offered_in(current_app.config["COUNTRY"])


def text(texts: LangText, lang: str) -> str:
    return in_language(texts or {}, lang)[0]


@dataclass(frozen=True)
class CourseView:
    id: str
    version_id: int
    title: str
    summary: str
    lang: str  # the language the course's content is shown in
    ui_lang: str
    hours: float
    module_count: int
    total_minutes: int
    attempts: int  # quiz attempts before a cool-down, 0 = unlimited
    published: bool
    retired: bool
    # The countries it is for, when this deployment's country is not one of them (a
    # preview for authors and admins); empty for a course offered here.
    elsewhere: tuple[str, ...] = ()

    @property
    def fallback(self) -> bool:
        """Shown in another language than the learner's (WCAG 3.1.2: mark it with lang)."""
        return self.lang != self.ui_lang


def course_view(course_id: str, version: CourseVersion, retired_at: datetime | None,
                ui_lang: str) -> CourseView:
    lang = shown_language(version.languages, ui_lang)
    return CourseView(
        id=course_id, version_id=version.id, title=text(version.title, lang),
        summary=text(version.summary, lang), lang=lang, ui_lang=ui_lang, hours=version.hours,
        module_count=version.module_count, total_minutes=version.total_minutes,
        attempts=version.attempts, published=version.published, retired=retired_at is not None,
        elsewhere=() if version.is_for(current_app.config["COUNTRY"]) else tuple(version.countries),
    )


@dataclass(frozen=True)
class ProgressView:
    status: str
    take: int
    done: int
    total: int
    last_module_key: str | None
    last_activity_at: datetime | None
    completed_at: datetime | None

    @property
    def completed(self) -> bool:
        return self.status == Status.COMPLETED

    @property
    def percent(self) -> int:
        return 100 if self.completed else (self.done * 100 // self.total if self.total else 0)


def progress_view(progress: CourseProgress | None, module_count: int) -> ProgressView | None:
    """The learner's progress, or None when she has not started the course."""
    if progress is None or progress.status == Status.NOT_STARTED:
        return None
    total = module_count or progress.module_total
    return ProgressView(
        status=progress.status, take=progress.take, done=min(progress.modules_done, total),
        total=total, last_module_key=progress.last_module_key,
        last_activity_at=progress.last_activity_at, completed_at=progress.completed_at,
    )


class ModuleState:
    NOT_STARTED = "not_started"
    READ = "read"  # a module without a quiz, confirmed read
    PASSED = "passed"
    FAILED = "failed"  # attempts left
    LOCKED = "locked"  # cool-down after the last failed attempt


@dataclass(frozen=True)
class ModuleEntry:
    key: str
    position: int
    title: str
    minutes: int
    has_quiz: bool
    state: str
    best_score: int | None
    allowance: QuizAllowance

    @property
    def done(self) -> bool:
        return self.state in (ModuleState.READ, ModuleState.PASSED)


def module_state(has_quiz: bool, mp: ModuleProgress | None, take: int, limit: int,
                 now: datetime) -> tuple[str, QuizAllowance]:
    if mp is None:
        return ModuleState.NOT_STARTED, allowance(limit, 0, None, now)
    quota = allowance(limit, mp.failed_streak, mp.last_failed_at, now)
    if mp.completed_take == take and mp.completed_at is not None:
        return (ModuleState.PASSED if has_quiz else ModuleState.READ), quota
    if quota.locked_until is not None:
        return ModuleState.LOCKED, quota
    if has_quiz and mp.failed_streak > 0:
        return ModuleState.FAILED, quota
    return ModuleState.NOT_STARTED, quota


class Retired(Exception):
    """The course was withdrawn; the learner keeps her history (answered with 410)."""

    def __init__(self, course: CourseView, progress: ProgressView | None) -> None:
        super().__init__(course.id)
        self.course = course
        self.progress = progress


@dataclass
class Loaded:
    """One course (and optionally one module) as stored, with the learner's progress."""

    course: CourseView
    version: CourseVersion
    progress: CourseProgress | None
    module: Module | None = None
    module_progress: ModuleProgress | None = None
    attempt: Attempt | None = None  # load(attempt_id=...): that attempt, when it is hers

    @property
    def take(self) -> int:
        return self.progress.take if self.progress else 1

    def view_progress(self) -> ProgressView | None:
        return progress_view(self.progress, self.version.module_count)


def load(user: User, course_id: str, ui_lang: str, module_key: str | None = None,
         *, allow_retired: bool = False, attempt_id: int | None = None) -> Loaded:
    """The live version of a course the user may see, in one statement.

    Raises Unavailable for unknown courses and modules and for courses not offered here,
    unpublished or for another country (except to those who preview them), Retired for
    withdrawn ones.
    """
    if module_key == "media":  # /learn/<course>/media/... belongs to published files
        raise Unavailable(module_key)
    entities: list = [Course.retired_at, CourseVersion, CourseProgress]
    if module_key is not None:
        entities += [Module, ModuleProgress]
    query = (
        select(*entities)
        .join(CourseVersion, CourseVersion.id == Course.live_version_id)
        .outerjoin(CourseProgress, and_(CourseProgress.user_id == user.id,
                                        CourseProgress.course_id == Course.id))
        .where(Course.id == course_id)
    )
    if module_key is not None:
        query = query.join(
            Module, and_(Module.version_id == CourseVersion.id, Module.key == module_key)
        ).outerjoin(ModuleProgress, and_(ModuleProgress.user_id == user.id,
                                         ModuleProgress.course_id == Course.id,
                                         ModuleProgress.module_key == Module.key))
        # The lesson HTML, the largest column, comes from lesson_html's cache instead.
        query = query.options(defer(Module.html))
        if attempt_id is not None:  # the learner's own attempt of this module, if it is
            query = query.add_columns(Attempt).outerjoin(Attempt, and_(
                Attempt.id == attempt_id, Attempt.user_id == user.id,
                Attempt.course_id == Course.id, Attempt.module_key == Module.key))
    row = db.session.execute(query).first()
    if row is None:
        raise Unavailable(course_id)
    loaded = _checked(user, course_id, ui_lang, row[0], row[1], row[2], allow_retired)
    if module_key is not None:
        loaded.module, loaded.module_progress = row[3], row[4]
        if attempt_id is not None:
            loaded.attempt = row[5]
    return loaded


def _checked(user: User, course_id: str, ui_lang: str, retired_at: datetime | None,
             version: CourseVersion, progress: CourseProgress | None,
             allow_retired: bool = False) -> Loaded:
    if not offered(version) and not can(user, Permission.PREVIEW_COURSES):
        raise Unavailable(course_id)
    loaded = Loaded(course=course_view(course_id, version, retired_at, ui_lang),
                    version=version, progress=progress)
    if loaded.course.retired and not allow_retired:
        raise Retired(loaded.course, loaded.view_progress())
    return loaded


ModuleRow = tuple  # (key, position, title, minutes, question_count, ModuleProgress | None)


def load_with_modules(user: User, course_id: str, ui_lang: str, module_key: str
                      ) -> tuple[Loaded, list[ModuleRow]]:
    """The course as load() gives it, with every module of the version and the learner's
    progress in each, in position order: one statement (a row per module) for a page
    that lists them all. The same checks and exceptions as load(); the module itself is
    one of the rows (Loaded.module stays None), or Unavailable when it is not there."""
    if module_key == "media":
        raise Unavailable(module_key)
    rows = db.session.execute(
        select(Course.retired_at, CourseVersion, CourseProgress, Module.key, Module.position,
               Module.title, Module.minutes, Module.question_count, ModuleProgress)
        .join(CourseVersion, CourseVersion.id == Course.live_version_id)
        .join(Module, Module.version_id == CourseVersion.id)
        .outerjoin(CourseProgress, and_(CourseProgress.user_id == user.id,
                                        CourseProgress.course_id == Course.id))
        .outerjoin(ModuleProgress, and_(ModuleProgress.user_id == user.id,
                                        ModuleProgress.course_id == Course.id,
                                        ModuleProgress.module_key == Module.key))
        .where(Course.id == course_id)
        .order_by(Module.position)
    ).all()
    current = next((row for row in rows if row[3] == module_key), None)
    if current is None:
        raise Unavailable(course_id)
    loaded = _checked(user, course_id, ui_lang, current[0], current[1], current[2])
    return loaded, [tuple(row[3:]) for row in rows]


def lesson_html(version: CourseVersion, module_key: str) -> LangText:
    """The module's published HTML in every language, read once per process.

    A published version never changes, so the cache is keyed by the version (with its
    content hash, in case a database reuses the id of a deleted version), never by time,
    and bounded: least recently read lessons are dropped first. Treat it as read-only."""
    return _lesson_html(version.id, version.content_hash, module_key)


@lru_cache(maxsize=512)
def _lesson_html(version_id: int, content_hash: str, module_key: str) -> LangText:
    return db.session.scalar(
        select(Module.html).where(Module.version_id == version_id, Module.key == module_key)
    )
