"""Reminder e-mails, sent by `flask reminders send` from cron: learners' due dates here,
and what every kind of reminder shares.

Idempotent: each reminder is first claimed by inserting its ReminderLog row, whose
unique key (kind, user, subject, period) lets only one run, ever, claim it. The claim
is committed before the mail goes out, and removed again if sending fails, so a
crashed or failed run is retried by the next one and two runs never both send.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from flask import render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import and_, delete, or_, select, tuple_
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased

from elearn.access import is_staff
from elearn.assignments.models import Assignment, ReminderLog
from elearn.auth.models import User
from elearn.extensions import db
from elearn.learning.models import CourseProgress, Status
from elearn.mail import send_mail
from elearn.publishing.courses import live_courses
from elearn.publishing.models import Course
from elearn.urls import external_url

log = logging.getLogger(__name__)

DUE_SOON_DAYS = 7
OVERDUE_WEEKS = 4  # overdue learners are reminded weekly, this many times at most

ASSIGNMENT_SOON = "assignment_soon"
ASSIGNMENT_OVERDUE = "assignment_overdue"

Key = tuple[str, int, str, str]  # kind, user id, subject key, period


@dataclass
class Report:
    sent: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    failed: int = 0

    def summary(self) -> str:
        parts = [f"{kind}: {count}" for kind, count in sorted(self.sent.items())]
        text = "Sent " + (", ".join(parts) if parts else "nothing")
        return text + (f"; {self.failed} failed (retried next run)." if self.failed else ".")


def iso_week(day: date) -> str:
    year, week, _weekday = day.isocalendar()
    return f"{year}-W{week:02d}"


def already_sent(keys: list[Key]) -> set[Key]:
    found: set[Key] = set()
    for start in range(0, len(keys), 300):
        chunk = keys[start:start + 300]
        found |= set(db.session.execute(
            select(ReminderLog.kind, ReminderLog.user_id, ReminderLog.subject_key,
                   ReminderLog.period)
            .where(tuple_(ReminderLog.kind, ReminderLog.user_id, ReminderLog.subject_key,
                          ReminderLog.period).in_(chunk))
        ))
    return found


def claim_and_send(user: User, keys: list[Key], compose: Callable[[], tuple[str, str]],
                    report: Report) -> None:
    """Claim the keys, then send one mail; nothing is sent if another run claimed them."""
    rows = [ReminderLog(kind=k, user_id=u, subject_key=s, period=p) for k, u, s, p in keys]
    db.session.add_all(rows)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        return
    claimed = [r.id for r in rows]
    try:
        with force_locale(user.locale):
            subject, body = compose()
        send_mail(user.email, subject, body)
    except Exception:  # noqa: BLE001  (one bad address must not stop the run)
        log.exception("reminder to user %s failed", user.id)
        db.session.rollback()
        db.session.execute(delete(ReminderLog).where(ReminderLog.id.in_(claimed)))
        db.session.commit()
        report.failed += 1
        return
    report.sent[keys[0][0]] += 1


def _titles(locale: str) -> dict[str, str]:
    return {c.id: c.title for c in live_courses(locale)}


def send_assignment_reminders(today: date, report: Report) -> None:
    progress = aliased(CourseProgress)
    rows = db.session.execute(
        select(Assignment.id, Assignment.user_id, Assignment.course_id, Assignment.due_on)
        .join(User, User.id == Assignment.user_id)
        .join(Course, and_(Course.id == Assignment.course_id, Course.retired_at.is_(None)))
        .outerjoin(progress, and_(progress.user_id == Assignment.user_id,
                                  progress.course_id == Assignment.course_id))
        .where(is_staff(),
               or_(progress.status.is_(None), progress.status != Status.COMPLETED.value),
               Assignment.due_on <= today + timedelta(days=DUE_SOON_DAYS),
               Assignment.due_on >= today - timedelta(weeks=OVERDUE_WEEKS))
        .order_by(Assignment.user_id, Assignment.due_on)
    ).all()
    week = iso_week(today)
    wanted: dict[int, list[tuple[Key, str, date]]] = defaultdict(list)
    for assignment_id, user_id, course_id, due_on in rows:
        # The due date is part of the subject: a moved deadline is reminded of again.
        subject = f"{assignment_id}:{due_on.isoformat()}"
        key = ((ASSIGNMENT_OVERDUE, user_id, subject, week) if due_on < today
               else (ASSIGNMENT_SOON, user_id, subject, "soon"))
        wanted[user_id].append((key, course_id, due_on))
    sent = already_sent([k for items in wanted.values() for k, _c, _d in items])
    for user_id, items in wanted.items():
        items = [item for item in items if item[0] not in sent]
        if not items:
            continue
        user = db.session.get(User, user_id)

        def compose(user=user, items=items) -> tuple[str, str]:
            titles = _titles(user.locale)
            lines = [(titles.get(c, c), d, d < today) for _k, c, d in items]
            body = render_template("assignments/email/due_dates.txt", user=user, lines=lines,
                                   link=external_url("main.index"))
            return _("Training to complete: due dates"), body

        claim_and_send(user, [k for k, _c, _d in items], compose, report)
