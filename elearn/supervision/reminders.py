"""Supervisors' weekly summaries and certificate expiry notices, sent with the learners'
due-date reminders by `flask reminders send` (see assignments.reminders)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from flask import render_template
from flask_babel import gettext as _
from sqlalchemy import select

from elearn.access import is_staff
from elearn.assignments import rules, withdrawals
from elearn.assignments.reminders import (
    Key,
    Report,
    already_sent,
    claim_and_send,
    iso_week,
    send_assignment_reminders,
)
from elearn.auth.models import Role, User, supervision
from elearn.certificates.models import Certificate
from elearn.extensions import db
from elearn.municipalities import Municipality
from elearn.publishing.courses import live_courses
from elearn.supervision import services, staff
from elearn.urls import external_url

CERTIFICATE_NOTICES = (14, 60)  # days before expiry; the nearest notice due is sent

WEEKLY_SUMMARY = "weekly_summary"
CERTIFICATE_EXPIRY = "certificate_expiry"
CERTIFICATE_EXPIRY_SUPERVISOR = "certificate_expiry_team"


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
    sent = already_sent(list(keys.values()))
    for user_id, codes in supervisors.items():
        if keys[user_id] in sent:
            continue
        user = db.session.get(User, user_id)

        def compose(user=user, codes=codes) -> tuple[str, str]:
            courses = live_courses(user.locale)
            teams = [
                (db.session.get(Municipality, code), services.summary(code, courses, today),
                 external_url("supervision.municipality", code=code))
                for code in codes
            ]
            body = render_template("supervision/email/weekly_summary.txt", user=user, teams=teams,
                                   week=week, awaiting=staff.awaiting_counts(codes))
            return _("Weekly training summary for your team"), body

        claim_and_send(user, [keys[user_id]], compose, report)


def send_certificate_notices(today: date, report: Report) -> None:
    rows = db.session.execute(
        # The learner's municipality today, not at issue: her supervisor now is told,
        # when the owner is one of the staff she supervises (access.staff_of's rule).
        select(Certificate.id, Certificate.user_id, User.municipality_code,
               Certificate.course_title, Certificate.full_name, Certificate.expires_on,
               is_staff().label("supervised"))
        .join(User, User.id == Certificate.user_id)
        .where(User.active.is_(True), Certificate.revoked_at.is_(None),
               Certificate.expires_on >= today,
               Certificate.expires_on <= today + timedelta(days=max(CERTIFICATE_NOTICES)),
               Certificate.superseded.is_(False))
        .order_by(Certificate.expires_on, Certificate.id)
    ).all()
    supervisors_of: dict[str, list[int]] = defaultdict(list)
    for user_id, codes in _supervisors().items():
        for code in codes:
            supervisors_of[code].append(user_id)
    to_learner: dict[int, list[tuple[Key, tuple]]] = defaultdict(list)
    to_team: dict[int, list[tuple[Key, tuple]]] = defaultdict(list)
    for row in rows:
        cert_id, user_id, code, _title, _name, expires_on, supervised = row
        notice = next(d for d in sorted(CERTIFICATE_NOTICES) if expires_on <= today + timedelta(d))
        to_learner[user_id].append(
            ((CERTIFICATE_EXPIRY, user_id, str(cert_id), str(notice)), row))
        for supervisor_id in supervisors_of.get(code or "", []) if supervised else ():
            to_team[supervisor_id].append(
                ((CERTIFICATE_EXPIRY_SUPERVISOR, supervisor_id, str(cert_id), str(notice)), row))
    everything = [k for group in (to_learner, to_team) for items in group.values()
                  for k, _r in items]
    sent = already_sent(everything)
    for template, subject, group in (
        ("supervision/email/certificate_expiry.txt", _certificate_subject, to_learner),
        ("supervision/email/certificate_expiry_team.txt", _team_certificate_subject, to_team),
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
                                       team_link=external_url("supervision.dashboard"))
                return subject(), body

            claim_and_send(user, [k for k, _r in items], compose, report)


def _certificate_subject() -> str:
    return _("Your training certificate expires soon")


def _team_certificate_subject() -> str:
    return _("Certificates in your team expire soon")


def send_all(today: date) -> Report:
    report = Report()
    # First the assignments the rules make (newcomers, certificates about to expire), so
    # that today's reminders include them; withdrawals too old to undo are forgotten.
    rules.apply_rules(today)
    withdrawals.forget_old()
    db.session.commit()
    send_assignment_reminders(today, report)
    send_certificate_notices(today, report)
    send_weekly_summaries(today, report)
    return report


SEND_JOB = "elearn.supervision.reminders:send_job"


def send_job(today: date) -> str:
    """What the worker runs for `flask reminders send`: raises when a mail failed, so the
    job is retried (mails already sent are not sent again)."""
    report = send_all(today)
    if report.failed:
        raise RuntimeError(report.summary())
    return report.summary()
