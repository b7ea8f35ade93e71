"""A learner's due dates as an iCalendar feed (RFC 5545) that Outlook, Google Calendar
and phones subscribe to by address. The address holds a secret token; a new token
revokes the old address, and turning the feed off deletes it."""

from __future__ import annotations

import secrets
from datetime import timedelta
from urllib.parse import urlsplit

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import and_, delete, select
from sqlalchemy.orm import aliased

from elearn.assignments.models import Assignment, CalendarFeed
from elearn.auth.models import User
from elearn.extensions import db
from elearn.learning.models import CourseProgress, Status
from elearn.publishing.courses import live_courses
from elearn.types import utcnow
from elearn.urls import external_url


def feed_token(user_id: int) -> str | None:
    return db.session.scalar(select(CalendarFeed.token).where(CalendarFeed.user_id == user_id))


def renew(user_id: int) -> str:
    """A new secret address (the old one stops working); the caller commits."""
    stop(user_id)
    token = secrets.token_urlsafe(32)
    db.session.add(CalendarFeed(user_id=user_id, token=token, created_at=utcnow()))
    return token


def stop(user_id: int) -> None:
    """No address any more; the caller commits."""
    db.session.execute(delete(CalendarFeed).where(CalendarFeed.user_id == user_id))


def feed(token: str) -> bytes | None:
    """The calendar of the token's learner: one all-day event on each due date of a course
    she has not completed, in her language; None for an unknown token."""
    from icalendar import Calendar, Event  # only the feed needs it
    user = db.session.scalar(
        select(User).join(CalendarFeed, CalendarFeed.user_id == User.id)
        .where(CalendarFeed.token == token, User.active.is_(True)))
    if user is None:
        return None
    progress = aliased(CourseProgress)
    rows = db.session.execute(
        select(Assignment.id, Assignment.course_id, Assignment.due_on)
        .outerjoin(progress, and_(progress.user_id == Assignment.user_id,
                                  progress.course_id == Assignment.course_id))
        .where(Assignment.user_id == user.id,
               (progress.status.is_(None)) | (progress.status != Status.COMPLETED.value))
        .order_by(Assignment.due_on, Assignment.course_id)
    ).all()
    host = urlsplit(external_url("main.index")).hostname or "elearn"
    with force_locale(user.locale or "lt"):
        titles = {c.id: c.title for c in live_courses(user.locale or "lt")}
        calendar = Calendar()
        calendar.add("prodid", "-//elearn//due dates//EN")
        calendar.add("version", "2.0")
        calendar.add("x-wr-calname", _("Training due dates"))
        for assignment_id, course_id, due_on in rows:
            if course_id not in titles:
                continue  # retired or not offered here: nothing to do
            event = Event()
            event.add("uid", f"assignment-{assignment_id}@{host}")
            event.add("dtstamp", utcnow())
            event.add("dtstart", due_on)
            event.add("dtend", due_on + timedelta(days=1))
            event.add("summary", _("Due: %(course)s", course=titles[course_id]))
            link = external_url("learning.course", course_id=course_id)
            event.add("description", _("Complete the course by this day: %(link)s", link=link))
            event.add("url", link)
            event.add("transp", "TRANSPARENT")  # a reminder, not a meeting: not busy
            calendar.add_component(event)
    return calendar.to_ical()
