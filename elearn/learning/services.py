"""The learner's pages: home, catalogue, course and lesson, each in a fixed number of queries.

Quizzes live in quizzes.py, state changes in progress.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime

from flask import current_app
from sqlalchemy import and_, select, union_all

from elearn.access import Permission, can
from elearn.auth.models import User
from elearn.certificates.models import Certificate
from elearn.certificates.services import certificates_of, current_certificate
from elearn.directory.lesson_block import render_contacts
from elearn.extensions import db
from elearn.i18n import today
from elearn.learning import progress as changes
from elearn.learning.context import (
    CourseView,
    Loaded,
    ModuleEntry,
    ProgressView,
    Unavailable,
    course_view,
    lesson_html,
    load,
    load_with_modules,
    module_state,
    offered,
    progress_view,
    text,
)
from elearn.learning.models import CourseProgress, ModuleProgress, Status
from elearn.learning.signals import due_dates
from elearn.publishing.models import Course, CourseVersion, Module
from elearn.types import utcnow


@dataclass(frozen=True)
class CourseCard:
    course: CourseView
    progress: ProgressView | None
    continue_key: str | None = None
    continue_title: str | None = None
    certificate: Certificate | None = None
    due_on: date | None = None  # assigned by a supervisor, to complete by this day
    overdue: bool = False


@dataclass
class HomePage:
    resume: CourseCard | None = None  # the next step: the most urgent course
    assigned: list[CourseCard] = field(default_factory=list)  # not completed yet, due first
    in_progress: list[CourseCard] = field(default_factory=list)
    completed: list[CourseCard] = field(default_factory=list)
    withdrawn: list[CourseCard] = field(default_factory=list)  # retired before completion


def _assigned(user: User, ui_lang: str, preview: bool, day: date) -> list[CourseCard]:
    """Courses a supervisor assigned to the learner and she has not completed, due first
    (the due dates come from the receivers of signals.due_dates)."""
    asked = [stmt for _receiver, stmt in
             due_dates.send(current_app._get_current_object(), user_id=user.id)
             if stmt is not None]
    if not asked:
        return []
    due = (asked[0] if len(asked) == 1 else union_all(*asked)).subquery()
    rows = db.session.execute(
        select(due.c.course_id, due.c.due_on, CourseVersion, CourseProgress)
        .join(Course, Course.id == due.c.course_id)
        .join(CourseVersion, CourseVersion.id == Course.live_version_id)
        .outerjoin(CourseProgress, and_(CourseProgress.user_id == user.id,
                                        CourseProgress.course_id == due.c.course_id))
        .where(Course.retired_at.is_(None))
        .order_by(due.c.due_on, due.c.course_id)
    ).all()
    return [
        CourseCard(course=course_view(course_id, version, None, ui_lang),
                   progress=progress_view(progress, version.module_count),
                   due_on=due_on, overdue=due_on < day)
        for course_id, due_on, version, progress in rows
        if (offered(version) or preview)
        and (progress is None or progress.status != Status.COMPLETED)
    ]


def home(user: User, ui_lang: str) -> HomePage:
    """The next step, assigned courses, courses in progress, and completed ones with
    their certificates.

    The next step is the most urgent course: an overdue one first, then the nearest due
    date, then the course she touched last."""
    rows = db.session.execute(
        select(CourseProgress, Course.retired_at, CourseVersion, Module.title)
        .join(Course, Course.id == CourseProgress.course_id)
        .join(CourseVersion, CourseVersion.id == Course.live_version_id)
        .outerjoin(Module, and_(Module.version_id == CourseVersion.id,
                                Module.key == CourseProgress.last_module_key))
        .where(CourseProgress.user_id == user.id)
        .order_by(CourseProgress.last_activity_at.desc(), CourseProgress.course_id)
    ).all()
    newest_certificate: dict[str, Certificate] = {}
    for certificate in certificates_of(user.id):  # newest first
        newest_certificate.setdefault(certificate.course_id, certificate)
    preview = can(user, Permission.PREVIEW_COURSES)
    page = HomePage(assigned=_assigned(user, ui_lang, preview, today()))
    assigned = {card.course.id for card in page.assigned}
    started: dict[str, CourseCard] = {}
    for progress, retired_at, version, module_title in rows:
        hidden = not offered(version) and not preview
        if hidden and progress.status != Status.COMPLETED:  # completions stay in her history
            continue
        course = course_view(progress.course_id, version, retired_at, ui_lang)
        card = CourseCard(
            course=course, progress=progress_view(progress, version.module_count),
            # A module dropped by a later version: continue from the course page instead.
            continue_key=progress.last_module_key if module_title else None,
            continue_title=text(module_title, course.lang) if module_title else None,
            certificate=newest_certificate.get(progress.course_id),
        )
        if progress.status == Status.COMPLETED:
            page.completed.append(card)
        elif progress.status != Status.IN_PROGRESS:
            continue
        elif course.retired:
            page.withdrawn.append(card)
        else:
            started[course.id] = card
            if page.resume is None:  # the most recent activity comes first
                page.resume = card
            if course.id not in assigned:  # listed with its due date instead
                page.in_progress.append(card)
    if page.assigned:  # overdue and due dates first: they are listed by due date
        due = page.assigned[0]
        page.resume = replace(started.get(due.course.id, due), due_on=due.due_on,
                              overdue=due.overdue)
    return page


def catalogue(user: User, ui_lang: str) -> list[CourseCard]:
    """Live courses in catalogue order, each with the learner's progress."""
    query = (
        select(Course.id, CourseVersion, CourseProgress)
        .join(CourseVersion, CourseVersion.id == Course.live_version_id)
        .outerjoin(CourseProgress, and_(CourseProgress.course_id == Course.id,
                                        CourseProgress.user_id == user.id))
        .where(Course.retired_at.is_(None))
        .order_by(CourseVersion.catalogue_order.is_(None), CourseVersion.catalogue_order,
                  Course.id)
    )
    preview = can(user, Permission.PREVIEW_COURSES)
    if not preview:
        query = query.where(CourseVersion.published.is_(True))
    return [
        CourseCard(course=course_view(course_id, version, None, ui_lang),
                   progress=progress_view(progress, version.module_count))
        for course_id, version, progress in db.session.execute(query)
        if preview or offered(version)  # courses for other countries' deployments
    ]


@dataclass(frozen=True)
class PublicCourse:
    course: CourseView
    languages: tuple[str, ...]


def public_catalogue(ui_lang: str) -> list[PublicCourse]:
    """What anyone may see before signing up: the published courses, in catalogue order,
    with their summaries, length and languages."""
    rows = db.session.execute(
        select(Course.id, CourseVersion)
        .join(CourseVersion, CourseVersion.id == Course.live_version_id)
        .where(Course.retired_at.is_(None), CourseVersion.published.is_(True))
        .order_by(CourseVersion.catalogue_order.is_(None), CourseVersion.catalogue_order,
                  Course.id)
    ).all()
    return [PublicCourse(course_view(course_id, version, None, ui_lang),
                         tuple(version.languages))
            for course_id, version in rows if offered(version)]


def _module_entries(loaded: Loaded, user: User, now: datetime) -> list[ModuleEntry]:
    rows = db.session.execute(
        select(Module.key, Module.position, Module.title, Module.minutes, Module.question_count,
               ModuleProgress)
        .outerjoin(ModuleProgress, and_(ModuleProgress.user_id == user.id,
                                        ModuleProgress.course_id == loaded.course.id,
                                        ModuleProgress.module_key == Module.key))
        .where(Module.version_id == loaded.version.id)
        .order_by(Module.position)
    ).all()
    return _entries(loaded, rows, now)


def _entries(loaded: Loaded, rows, now: datetime) -> list[ModuleEntry]:
    """(key, position, title, minutes, question_count, module progress) rows as entries."""
    entries = []
    for key, position, title, minutes, question_count, mp in rows:
        state, quota = module_state(question_count > 0, mp, loaded.take,
                                    loaded.course.attempts, now)
        entries.append(ModuleEntry(
            key=key, position=position, title=text(title, loaded.course.lang), minutes=minutes,
            has_quiz=question_count > 0, state=state,
            best_score=mp.best_score if mp else None, allowance=quota,
        ))
    return entries


def continue_key(modules: list[ModuleEntry], progress: ProgressView | None) -> str | None:
    """Where the learner left off, else the first module she has not done."""
    if not modules:
        return None
    if progress and progress.last_module_key:
        for module in modules:
            if module.key == progress.last_module_key and not module.done:
                return module.key
    for module in modules:
        if not module.done:
            return module.key
    return modules[0].key


@dataclass(frozen=True)
class CoursePage:
    course: CourseView
    progress: ProgressView | None
    modules: list[ModuleEntry]
    continue_key: str | None
    certificate: Certificate | None
    may_start_again: bool


def course_page(user: User, course_id: str, ui_lang: str) -> CoursePage:
    now = utcnow()
    loaded = load(user, course_id, ui_lang)
    modules = _module_entries(loaded, user, now)
    progress = loaded.view_progress()
    certificate = None
    if progress is not None and progress.completed:
        certificate = current_certificate(user.id, course_id)
    return CoursePage(
        course=loaded.course, progress=progress, modules=modules,
        continue_key=continue_key(modules, progress), certificate=certificate,
        may_start_again=bool(progress and progress.completed and certificate is None),
    )


@dataclass(frozen=True)
class LessonPage:
    course: CourseView
    module: ModuleEntry
    html: str
    previous: ModuleEntry | None
    next: ModuleEntry | None
    number: int
    total: int


def lesson_page(user: User, course_id: str, module_key: str, ui_lang: str) -> LessonPage:
    """The lesson. Reading it changes nothing: where she is comes from what she did
    (a module confirmed as read, a quiz started or submitted)."""
    now = utcnow()
    loaded, rows = load_with_modules(user, course_id, ui_lang, module_key)
    modules = _entries(loaded, rows, now)
    index = next(i for i, m in enumerate(modules) if m.key == module_key)
    lang = loaded.course.lang
    # Contacts blocks show the learner's own municipality's directory (one query, if any).
    html = lesson_html(loaded.version, module_key)
    shown = render_contacts(text(html, lang), user.municipality_code, lang)
    page = LessonPage(
        course=loaded.course, module=modules[index], html=shown,
        previous=modules[index - 1] if index > 0 else None,
        next=modules[index + 1] if index + 1 < len(modules) else None,
        number=index + 1, total=len(modules),
    )
    return page


@dataclass(frozen=True)
class ReadOutcome:
    next_key: str | None
    course_completed: bool


def confirm_read(user: User, course_id: str, module_key: str, ui_lang: str) -> ReadOutcome:
    loaded = load(user, course_id, ui_lang, module_key)
    if loaded.module.has_quiz:  # completed by passing its quiz, not by reading
        raise Unavailable(module_key)
    completed, next_key = changes.confirm_read(user, loaded.version, loaded.module, utcnow())
    return ReadOutcome(next_key=None if completed or next_key == module_key else next_key,
                       course_completed=completed)


def certificate_id(user: User, course_id: str) -> int | None:
    """The learner's valid certificate of the course, e.g. the one just issued."""
    certificate = current_certificate(user.id, course_id)
    return certificate.id if certificate is not None else None


def start_again(user: User, course_id: str, ui_lang: str) -> bool:
    """Start a completed course again when the learner holds no valid certificate of it."""
    loaded = load(user, course_id, ui_lang)
    if loaded.progress is None or loaded.progress.status != Status.COMPLETED:
        return False
    if current_certificate(user.id, course_id) is not None:
        return False
    changes.start_again(user, loaded.version, utcnow())
    return True

