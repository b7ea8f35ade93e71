"""Reminder e-mails, sent by `flask reminders send` from cron.

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

from elearn.auth.models import Role, User, supervision
from elearn.certificates.models import Certificate
from elearn.extensions import db
from elearn.mail import send_mail
from elearn.publishing.models import Course
from elearn.reports import services
from elearn.reports.models import Assignment, ReminderLog
from elearn.reports.progress import COMPLETED, Progress
from elearn.reports.scope import is_staff, live_courses, municipality
from elearn.urls import external_url

log = logging.getLogger(__name__)

DUE_SOON_DAYS = 7
OVERDUE_WEEKS = 4  # overdue learners are reminded weekly, this many times at most
CERTIFICATE_NOTICES = (14, 60)  # days before expiry; the nearest notice due is sent

ASSIGNMENT_SOON = "assignment_soon"
ASSIGNMENT_OVERDUE = "assignment_overdue"
WEEKLY_SUMMARY = "weekly_summary"
CERTIFICATE_EXPIRY = "certificate_expiry"
CERTIFICATE_EXPIRY_SUPERVISOR = "certificate_expiry_team"

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


def _already_sent(keys: list[Key]) -> set[Key]:
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


def _claim_and_send(user: User, keys: list[Key], compose: Callable[[], tuple[str, str]],
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
    progress = aliased(Progress)
    rows = db.session.execute(
        select(Assignment.id, Assignment.user_id, Assignment.course_id, Assignment.due_on)
        .join(User, User.id == Assignment.user_id)
        .join(Course, and_(Course.id == Assignment.course_id, Course.retired_at.is_(None)))
        .outerjoin(progress, and_(progress.user_id == Assignment.user_id,
                                  progress.course_id == Assignment.course_id))
        .where(is_staff(), or_(progress.status.is_(None), progress.status != COMPLETED),
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
    sent = _already_sent([k for items in wanted.values() for k, _c, _d in items])
    for user_id, items in wanted.items():
        items = [item for item in items if item[0] not in sent]
        if not items:
            continue
        user = db.session.get(User, user_id)

        def compose(user=user, items=items) -> tuple[str, str]:
            titles = _titles(user.locale)
            lines = [(titles.get(c, c), d, d < today) for _k, c, d in items]
            body = render_template("reports/email/assignments.txt", user=user, lines=lines,
                                   link=external_url("main.index"))
            return _("Training to complete: due dates"), body

        _claim_and_send(user, [k for k, _c, _d in items], compose, report)


def _supervisors() -> dict[int, list[str]]:
    """Active supervisors and the municipality codes each supervises."""
    result: dict[int, list[str]] = defaultdict(list)
    for user_id, code in db.session.execute(
        select(User.id, supervision.c.municipality_code)
        .join(supervision, supervision.c.user_id == User.id)
        .where(User.role == Role.SUPERVISOR.value, User.active.is_(True))
        .order_by(User.id, supervision.c.municipality_code)
    ):
        result[user_id].append(code)
    return result


def send_weekly_summaries(today: date, report: Report) -> None:
    week = iso_week(today)
    supervisors = _supervisors()
    keys = {uid: (WEEKLY_SUMMARY, uid, "summary", week) for uid in supervisors}
    sent = _already_sent(list(keys.values()))
    for user_id, codes in supervisors.items():
        if keys[user_id] in sent:
            continue
        user = db.session.get(User, user_id)

        def compose(user=user, codes=codes) -> tuple[str, str]:
            courses = live_courses(user.locale)
            teams = [
                (municipality(code), services.summary(code, courses, today),
                 external_url("reports.municipality", code=code))
                for code in codes
            ]
            body = render_template("reports/email/weekly_summary.txt", user=user, teams=teams,
                                   week=week)
            return _("Weekly training summary for your team"), body

        _claim_and_send(user, [keys[user_id]], compose, report)


def send_certificate_notices(today: date, report: Report) -> None:
    newer = aliased(Certificate)
    rows = db.session.execute(
        # The learner's municipality today, not at issue: her supervisor now is told.
        select(Certificate.id, Certificate.user_id, User.municipality_code,
               Certificate.course_title, Certificate.full_name, Certificate.expires_on)
        .join(User, User.id == Certificate.user_id)
        .where(User.active.is_(True), Certificate.revoked_at.is_(None),
               Certificate.expires_on >= today,
               Certificate.expires_on <= today + timedelta(days=max(CERTIFICATE_NOTICES)),
               ~select(newer.id).where(newer.user_id == Certificate.user_id,
                                       newer.course_id == Certificate.course_id,
                                       newer.id > Certificate.id).exists())
        .order_by(Certificate.expires_on, Certificate.id)
    ).all()
    supervisors_of: dict[str, list[int]] = defaultdict(list)
    for user_id, codes in _supervisors().items():
        for code in codes:
            supervisors_of[code].append(user_id)
    to_learner: dict[int, list[tuple[Key, tuple]]] = defaultdict(list)
    to_team: dict[int, list[tuple[Key, tuple]]] = defaultdict(list)
    for row in rows:
        cert_id, user_id, code, _title, _name, expires_on = row
        notice = next(d for d in sorted(CERTIFICATE_NOTICES) if expires_on <= today + timedelta(d))
        to_learner[user_id].append(
            ((CERTIFICATE_EXPIRY, user_id, str(cert_id), str(notice)), row))
        for supervisor_id in supervisors_of.get(code or "", []):
            to_team[supervisor_id].append(
                ((CERTIFICATE_EXPIRY_SUPERVISOR, supervisor_id, str(cert_id), str(notice)), row))
    everything = [k for group in (to_learner, to_team) for items in group.values()
                  for k, _r in items]
    sent = _already_sent(everything)
    for template, subject, group in (
        ("reports/email/certificate_expiry.txt", _certificate_subject, to_learner),
        ("reports/email/certificate_expiry_team.txt", _team_certificate_subject, to_team),
    ):
        for user_id, items in group.items():
            items = [item for item in items if item[0] not in sent]
            if not items:
                continue
            user = db.session.get(User, user_id)

            def compose(user=user, items=items, template=template, subject=subject):
                certificates = [row for _k, row in items]
                body = render_template(template, user=user, certificates=certificates,
                                       link=external_url("certificates.mine"),
                                       team_link=external_url("reports.dashboard"))
                return subject(), body

            _claim_and_send(user, [k for k, _r in items], compose, report)


def _certificate_subject() -> str:
    return _("Your training certificate expires soon")


def _team_certificate_subject() -> str:
    return _("Certificates in your team expire soon")


def send_all(today: date) -> Report:
    report = Report()
    send_assignment_reminders(today, report)
    send_certificate_notices(today, report)
    send_weekly_summaries(today, report)
    return report
