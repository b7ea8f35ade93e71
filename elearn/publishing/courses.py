"""The published courses as other features list them: in catalogue order, titled in
the reader's language."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from elearn.extensions import db
from elearn.publishing.models import Course, CourseVersion, in_language


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
