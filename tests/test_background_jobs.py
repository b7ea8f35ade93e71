"""Staff invitations leave the request as jobs; admins see every job that failed."""

from __future__ import annotations

from sqlalchemy import select

from elearn import jobs
from elearn.auth.models import Role, User
from elearn.auth.services import queue_invitation, send_queued_invitation, set_password
from elearn.extensions import db
from elearn.supervision import importing
from tests.test_jobs import _work, needs_redis, queued_app  # noqa: F401  (a fixture)
from tests.web import login

STAFF = b"name,email,workplace,profession\nAna,ana@example.lt,X,other\nBen,ben@example.lt,X,other\n"


def _outbox(app) -> list:
    return app.extensions.setdefault("elearn_outbox", [])


def test_without_redis_the_invitations_leave_with_the_import(app):
    with app.test_request_context():
        report = importing.import_staff(STAFF, "LT-57", queue_invitation)
    assert report.ok and report.not_invited == []
    assert sorted(m["To"] for m in _outbox(app)) == [
        "ana@example.lt", "ben@example.lt"]


@needs_redis
def test_with_redis_a_worker_mails_the_invitations(queued_app):  # noqa: F811
    with queued_app.test_request_context():
        report = importing.import_staff(STAFF, "LT-57", queue_invitation)
        assert report.ok and report.created == ["ana@example.lt", "ben@example.lt"]
        assert len(jobs._queue()) == 2
    assert _outbox(queued_app) == []  # the request sent nothing itself
    _work(queued_app)
    assert len(_outbox(queued_app)) == 2


def test_an_invitation_job_run_again_invites_nobody_who_has_signed_up(app, make_user):
    with app.test_request_context():
        importing.import_staff(STAFF, "LT-57", queue_invitation)
        _outbox(app).clear()
        ana = db.session.scalar(select(User).where(User.email == "ana@example.lt"))
        set_password(ana, "a long enough password for Ana")
        db.session.commit()
        send_queued_invitation(ana.id)  # a retry after she accepted
        send_queued_invitation(10_000)  # an account deleted since
    assert _outbox(app) == []


@needs_redis
def test_admins_see_every_failed_job_with_its_error(queued_app, make_user):  # noqa: F811
    admin = make_user(Role.ADMIN, municipality=None)
    supervisor = make_user(Role.SUPERVISOR, supervises=("LT-57",))
    with queued_app.app_context():
        jobs.enqueue("tests.test_jobs:fail_after_a_write", "x",
                     description="invitation e-mail to user 7")
    _work(queued_app)
    other = queued_app.test_client()
    login(other, queued_app, supervisor)
    assert other.get("/admin/jobs").status_code == 403
    client = queued_app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    login(client, queued_app, admin)
    html = client.get("/admin/jobs").get_data(as_text=True)
    assert "invitation e-mail to user 7" in html
    assert "RuntimeError: the git host is unreachable" in html
    assert 'href="/admin/jobs"' in client.get("/publishing").get_data(as_text=True)


def test_without_redis_the_page_says_why_nothing_can_fail(client, login_as):
    login_as(Role.ADMIN, municipality=None)
    html = client.get("/admin/jobs").get_data(as_text=True)
    assert "no job queue is configured" in html
