"""Who counts as a municipality's staff, and the lists the reports' filters offer."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, select

from elearn.access import supervised_codes
from elearn.auth.models import Role, User
from elearn.extensions import db
from elearn.municipalities import Municipality, collation_key
from elearn.publishing.models import Course, CourseVersion, in_language


def is_staff() -> ColumnElement[bool]:
    """The learners every report counts: active learner accounts (invited ones included,
    they have simply not started). Supervisors, authors and admins are not counted."""
    return and_(User.role == Role.LEARNER.value, User.active.is_(True))


def staff_of(code: str) -> ColumnElement[bool]:
    return and_(User.municipality_code == code, is_staff())


def municipality(code: str) -> Municipality | None:
    return db.session.get(Municipality, code)


def visible_municipalities(user) -> list[Municipality]:
    """The municipalities whose dashboards the user may open, in alphabetical order."""
    codes = supervised_codes(user)
    query = select(Municipality)
    if codes is not None:
        query = query.where(Municipality.code.in_(codes))
    return sorted(db.session.scalars(query), key=lambda m: collation_key(m.name))


@dataclass(frozen=True)
class CourseChoice:
    id: str
    title: str
    lang: str  # the title's language, which may be a fallback
    hours: float


def live_courses(locale: str) -> list[CourseChoice]:
    """Published courses that are not retired, in catalogue order, titled in the locale."""
    rows = db.session.execute(
        select(Course.id, CourseVersion.title, CourseVersion.languages, CourseVersion.hours)
        .join(CourseVersion, Course.live_version_id == CourseVersion.id)
        .where(Course.retired_at.is_(None), CourseVersion.published.is_(True))
        .order_by(CourseVersion.catalogue_order.is_(None), CourseVersion.catalogue_order,
                  Course.id)
    ).all()
    choices = []
    for course_id, titles, languages, hours in rows:
        title, lang = in_language(titles, locale, tuple(languages))
        choices.append(CourseChoice(course_id, title or course_id, lang, hours))
    return choices


def workplaces(code: str) -> list[str]:
    """The workplaces the municipality's staff have given, for the workplace filter."""
    names = db.session.scalars(
        select(User.workplace).distinct().where(staff_of(code), User.workplace != "")
    )
    return sorted(names, key=collation_key)
