"""flask reminders send: the right mails, in the user's language, never twice."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from rq import SimpleWorker
from sqlalchemy import func, select

from elearn import jobs
from elearn.assignments import reminders
from elearn.assignments.models import Assignment, ReminderLog
from elearn.auth.models import Role, User
from elearn.extensions import db
from elearn.mail import outbox
from tests.test_jobs import REDIS_URL, needs_redis

DAY = date(2026, 11, 23)  # a Monday


def _assign(app, user_id, course_id, due):
    with app.app_context():
        db.session.add(Assignment(user_id=user_id, course_id=course_id, due_on=due))
        db.session.commit()


def _send(runner, day: date = DAY):
    return runner.invoke(args=["reminders", "send", "--today", day.isoformat()])


def _mails(app) -> dict[str, list]:
    with app.app_context():
        found: dict[str, list] = {}
        for message in outbox():
            found.setdefault(message["To"], []).append(message)
        return found


def test_due_soon_and_overdue_assignments_remind_the_learner_once(app, runner, two_courses,
                                                                  make_user, record_progress):
    a = make_user(email="a@example.lt")
    done = make_user(email="done@example.lt")
    far = make_user(email="far@example.lt")
    _assign(app, a, "alpha", DAY + timedelta(days=7))
    _assign(app, a, "beta", DAY - timedelta(days=3))
    _assign(app, done, "alpha", DAY + timedelta(days=2))
    record_progress(done, "alpha", "completed")
    _assign(app, far, "alpha", DAY + timedelta(days=8))
    result = _send(runner)
    assert result.exit_code == 0, result.output
    mails = _mails(app)
    assert set(mails) == {"a@example.lt"}
    body = mails["a@example.lt"][0].get_content()
    assert "Course alpha [en]: due on" in body and "Course beta [en]: was due on" in body
    assert "http://localhost/" in body
    # Twice the same day, and again later in the same week: nothing new.
    assert "Sent nothing" in _send(runner).output
    _send(runner, DAY + timedelta(days=2))  # far's assignment is now due within a week
    assert len(_mails(app)["a@example.lt"]) == 1
    assert len(_mails(app)["far@example.lt"]) == 1


def test_overdue_reminders_repeat_weekly_for_four_weeks(app, runner, two_courses, make_user):
    a = make_user(email="a@example.lt")
    _assign(app, a, "alpha", DAY - timedelta(days=1))
    for week in range(8):
        _send(runner, DAY + timedelta(weeks=week))
    assert len(_mails(app)["a@example.lt"]) == 4


def test_a_moved_due_date_is_reminded_again(app, runner, two_courses, make_user):
    a = make_user(email="a@example.lt")
    _assign(app, a, "alpha", DAY + timedelta(days=3))
    _send(runner)
    with app.app_context():
        assignment = db.session.scalar(select(Assignment))
        assignment.due_on = DAY + timedelta(days=5)
        db.session.commit()
    _send(runner)
    assert len(_mails(app)["a@example.lt"]) == 2


def test_mails_are_in_the_users_language(app, runner, two_courses, make_user):
    a = make_user(email="lt@example.lt", locale="lt")
    _assign(app, a, "alpha", DAY + timedelta(days=1))
    _send(runner)
    message = _mails(app)["lt@example.lt"][0]
    assert "Course alpha [lt]" in message.get_content()


def test_weekly_summary_once_per_iso_week(app, runner, two_courses, make_user, record_progress):
    make_user(Role.SUPERVISOR, email="boss@example.lt", supervises=("LT-57",))
    away = make_user(Role.SUPERVISOR, email="away@example.lt", supervises=("LT-15",))
    with app.app_context():
        db.session.get(User, away).active = False
        db.session.commit()
    a = make_user()
    record_progress(a, "alpha", "completed")
    _send(runner)
    mails = _mails(app)
    assert set(mails) == {"boss@example.lt"}
    body = mails["boss@example.lt"][0].get_content()
    assert "Vilniaus miesto savivaldybė: 1 learner" in body
    assert "Course alpha [en]: 1 completed, 0 in progress, 0 not started" in body
    assert "http://localhost/supervision/LT-57" in body
    _send(runner, DAY + timedelta(days=6))  # Sunday, same ISO week
    assert len(_mails(app)["boss@example.lt"]) == 1
    _send(runner, DAY + timedelta(days=7))  # next Monday
    assert len(_mails(app)["boss@example.lt"]) == 2


def test_certificate_notices_at_60_and_14_days(app, runner, two_courses, make_user,
                                               add_certificate):
    make_user(Role.SUPERVISOR, email="boss@example.lt", supervises=("LT-57",))
    learner = make_user(email="learner@example.lt", full_name="Ona Žemaitytė")
    add_certificate(learner, "alpha", DAY + timedelta(days=60))
    add_certificate(make_user(email="later@example.lt"), "alpha", DAY + timedelta(days=61))
    add_certificate(make_user(email="revoked@example.lt"), "alpha", DAY + timedelta(days=10),
                    revoked=True)
    _send(runner)
    mails = _mails(app)
    assert set(mails) == {"learner@example.lt", "boss@example.lt"}
    assert "valid until" in mails["learner@example.lt"][0].get_content()
    team = [m for m in mails["boss@example.lt"] if "expire soon" in m["Subject"]]
    assert len(team) == 1 and "Ona Žemaitytė" in team[0].get_content()
    _send(runner, DAY + timedelta(days=1))  # still the 60-day notice: not again
    assert len(_mails(app)["learner@example.lt"]) == 1
    _send(runner, DAY + timedelta(days=46))  # 14 days left
    assert len(_mails(app)["learner@example.lt"]) == 2
    _send(runner, DAY + timedelta(days=47))
    assert len(_mails(app)["learner@example.lt"]) == 2


def test_no_notice_for_a_certificate_already_renewed(app, runner, two_courses, make_user,
                                                   add_certificate):
    """Her older certificate expires in 14 days but she has already earned a new one of
    the course: neither she nor her supervisor is told to renew it."""
    make_user(Role.SUPERVISOR, email="boss@example.lt", supervises=("LT-57",))
    renewed = make_user(email="renewed@example.lt", full_name="Ona Žemaitytė")
    add_certificate(renewed, "alpha", DAY + timedelta(days=14))
    add_certificate(renewed, "alpha", DAY + timedelta(days=700))
    _send(runner)
    notices = [m for mails in _mails(app).values() for m in mails if "expire" in m["Subject"]]
    assert notices == []


def test_team_notices_only_name_the_staff_the_supervisor_sees(app, runner, two_courses,
                                                              make_user, add_certificate):
    """A colleague supervisor's own certificate is hers to renew: it is not on the team
    notice, which follows the staff rule (active learners of the municipality)."""
    make_user(Role.SUPERVISOR, email="boss@example.lt", supervises=("LT-57",))
    colleague = make_user(Role.SUPERVISOR, email="colleague@example.lt", full_name="Kolegė",
                          supervises=("LT-57",))
    add_certificate(colleague, "alpha", DAY + timedelta(days=30))
    add_certificate(make_user(full_name="Ona Žemaitytė"), "beta", DAY + timedelta(days=30))
    _send(runner)
    mails = _mails(app)
    own = [m for m in mails["colleague@example.lt"]
           if m["Subject"] == "Your training certificate expires soon"]
    assert len(own) == 1  # her own notice
    team = [m.get_content() for m in mails["boss@example.lt"] if "expire soon" in m["Subject"]]
    assert len(team) == 1 and "Ona Žemaitytė" in team[0] and "Kolegė" not in team[0]


def test_a_failed_mail_is_retried_by_the_next_run(app, runner, two_courses, make_user,
                                                  monkeypatch):
    a = make_user(email="a@example.lt")
    _assign(app, a, "alpha", DAY + timedelta(days=1))

    def broken(*args, **kwargs):
        raise OSError("mail server down")

    monkeypatch.setattr(reminders, "send_mail", broken)
    result = _send(runner)
    assert result.exit_code == 1 and "1 failed" in result.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ReminderLog)) == 0
    monkeypatch.undo()
    assert _send(runner).exit_code == 0
    assert len(_mails(app)["a@example.lt"]) == 1


def test_a_reminder_claimed_by_another_run_is_not_sent(app, two_courses, make_user):
    a = make_user(email="a@example.lt")
    _assign(app, a, "alpha", DAY + timedelta(days=1))
    with app.app_context():
        assignment = db.session.scalar(select(Assignment))
        db.session.add(ReminderLog(kind=reminders.ASSIGNMENT_SOON, user_id=a,
                                   subject_key=f"{assignment.id}:{assignment.due_on}",
                                   period="soon"))
        db.session.commit()
    with app.app_context():
        report = reminders.Report()
        reminders.send_assignment_reminders(DAY, report)
    assert _mails(app) == {} and not report.sent


def test_bad_date_option(runner):
    result = runner.invoke(args=["reminders", "send", "--today", "tomorrow"])
    assert result.exit_code != 0 and "YYYY-MM-DD" in result.output


@needs_redis
def test_with_redis_the_command_queues_and_the_worker_sends(app, runner, two_courses, make_user,
                                                            monkeypatch):
    a = make_user(email="a@example.lt")
    _assign(app, a, "beta", DAY - timedelta(days=3))
    monkeypatch.setitem(app.config, "REDIS_URL", REDIS_URL)
    monkeypatch.setitem(app.config, "JOBS_QUEUE", f"test-{uuid.uuid4().hex}")
    try:
        result = _send(runner)
        assert result.exit_code == 0, result.output
        assert "Queued as job" in result.output
        assert "Already queued." in _send(runner).output  # cron ran twice: one sending
        assert _mails(app) == {}  # nothing sent by the command itself
        with app.app_context():
            queue = jobs._queue()
            SimpleWorker([queue], connection=queue.connection).work(burst=True)
        assert [m["To"] for m in _mails(app)["a@example.lt"]] == ["a@example.lt"]
    finally:
        with app.app_context():
            connection = jobs._redis()
            for key in connection.scan_iter(f"*{app.config['JOBS_QUEUE']}*"):
                connection.delete(key)
        app.extensions.pop("elearn_jobs_redis", None)
