"""Learners' data rights: the ZIP of everything, erasure, the retention purge, the notice."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import timedelta

from sqlalchemy import select, update

from elearn.audit.models import AuditConcern, AuditEntry
from elearn.auth.models import Role, User
from elearn.certificates.models import Certificate
from elearn.extensions import db
from elearn.types import utcnow
from tests.factories import PASSWORD
from tests.web import csrf_token, login


def test_the_privacy_notice_says_how_long_in_both_languages(app):
    visitor = app.test_client()
    lt = visitor.get("/privacy").get_data(as_text=True)
    assert "Privatumo pranešimas" in lt and "10 metų" in lt
    en = app.test_client().get("/privacy", headers={"Accept-Language": "en"})
    assert "10 years after you last signed in" in en.get_data(as_text=True)


def test_a_learner_downloads_everything_about_her(app, client, login_as, two_courses,
                                                  record_progress, add_certificate):
    uid = login_as(full_name="Ona Mokinė")
    record_progress(uid, "alpha", "completed")
    cert = add_certificate(uid, "alpha", None)
    page = client.get("/account/my-data")
    assert page.status_code == 200 and "Ona Mokinė" in page.get_data(as_text=True)
    response = client.get("/account/my-data.zip")
    assert response.mimetype == "application/zip"
    assert "no-store" in response.headers["Cache-Control"]
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    data = json.loads(archive.read("my-data.json"))
    assert data["account"]["full_name"] == "Ona Mokinė"
    assert "password_hash" not in data["account"] and "session_token" not in data["account"]
    assert [p["course_id"] for p in data["course_progress"]] == ["alpha"]
    assert [c["id"] for c in data["certificates"]] == [cert]
    pdfs = [n for n in archive.namelist() if n.endswith(".pdf")]
    assert len(pdfs) == 1 and archive.read(pdfs[0]).startswith(b"%PDF")


def test_deleting_her_account_keeps_the_certificate_verifiable_without_her_name(
        app, client, login_as, two_courses, add_certificate):
    uid = login_as(full_name="Ona Ištrinama", email="ona@example.lt")
    cert = add_certificate(uid, "alpha", None)
    token = csrf_token(client, "/account/delete")
    # a wrong password or no tick: nothing happens
    assert client.post("/account/delete", data={"csrf_token": token, "password": "wrong",
                                                 "understood": "y"}).status_code == 422
    assert client.post("/account/delete", data={"csrf_token": token,
                                                 "password": PASSWORD}).status_code == 422
    with app.app_context():
        assert db.session.get(User, uid).deleted_at is None
    response = client.post("/account/delete", data={"csrf_token": token,
                                                    "password": PASSWORD, "understood": "y"})
    assert response.status_code == 302
    assert client.get("/account/profile").status_code == 302  # signed out
    with app.app_context():
        user = db.session.get(User, uid)
        assert (user.full_name, user.workplace, user.active) == ("", "", False)
        assert "ona" not in user.email and user.password_hash is None
        certificate = db.session.get(Certificate, cert)
        assert certificate.full_name == ""
        code = certificate.verification_code
        assert db.session.scalar(select(AuditEntry.action).where(
            AuditEntry.target_id == str(uid), AuditEntry.action == "user.erased"))
    page = app.test_client().get(f"/verify/{code}", headers={"Accept-Language": "en"})
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Issued to a person whose account was deleted" in html
    assert "Ištrinama" not in html
    assert login(app.test_client(), app, uid).status_code == 422
    # nobody can find her by her old name
    admin = app.test_client()
    login(admin, app, _admin(app))
    assert f"/admin/users/{uid}\"" not in admin.get("/admin/users?q=istrinama").get_data(
        as_text=True)


def _admin(app) -> int:
    from tests.factories import create_user

    with app.app_context():
        return create_user(990, Role.ADMIN, None)


def test_staff_cannot_delete_their_own_accounts(client, login_as):
    login_as(Role.SUPERVISOR, supervises=("LT-57",))
    assert client.get("/account/delete").status_code == 403


def test_purge_anonymises_accounts_inactive_past_the_retention(app, runner, make_user):
    old = make_user(full_name="Sena Paskyra")
    recent = make_user(full_name="Nauja Paskyra")
    long_ago = utcnow() - timedelta(days=365 * 11)
    with app.app_context():
        db.session.execute(update(User).where(User.id == old)
                           .values(last_seen_at=long_ago, created_at=long_ago))
        db.session.add(AuditEntry(at=long_ago, action="user.details", target_type="user",
                                  target_id=str(old), before={"full_name": "Sena Paskyra"},
                                  after={"full_name": "x"}))
        # an entry that concerns a further municipality goes with its list
        db.session.add(AuditEntry(at=long_ago, action="user.role", target_type="user",
                                  target_id=str(old), before={"supervises": []},
                                  after={"supervises": ["LT-15"]},
                                  concerns=[AuditConcern(municipality_code="LT-15")]))
        db.session.commit()
    dry = runner.invoke(args=["privacy", "purge", "--dry-run"])
    assert "1 accounts inactive for 10 years would be anonymised" in dry.output
    with app.app_context():
        assert db.session.get(User, old).full_name == "Sena Paskyra"
    result = runner.invoke(args=["privacy", "purge"])
    assert result.exit_code == 0, result.output
    assert "1 accounts" in result.output and "2 audit entries" in result.output
    with app.app_context():
        assert db.session.get(User, old).deleted_at is not None
        assert db.session.get(User, old).full_name == ""
        assert db.session.get(User, recent).full_name == "Nauja Paskyra"
        assert db.session.scalar(select(AuditEntry).where(AuditEntry.at < utcnow()
                                                          - timedelta(days=3000))) is None
        assert db.session.scalar(select(AuditConcern)) is None
    again = runner.invoke(args=["privacy", "purge"])
    assert "0 accounts" in again.output


def test_her_quiz_answers_are_in_words_without_the_right_ones(app, client, login_as):
    """Her attempts as she saw them, in words; no row ids (they follow the author's order,
    a hint for an attempt still open) and nothing about which options were right."""
    from elearn.learning.models import Attempt
    from tests.factories import insert_course
    from tests.web import open_attempt, submit

    with app.app_context():
        insert_course("demo")
    login_as()
    drawn = open_attempt(app, client)
    submit(client, drawn, drawn.wrong)
    reopened = open_attempt(app, client)
    archive = zipfile.ZipFile(io.BytesIO(client.get("/account/my-data.zip").data))
    done, still_open = json.loads(archive.read("my-data.json"))["quiz_attempts"]
    assert len(done["chosen"]) == len(done["questions"])
    first = done["questions"][0]
    assert first["question"]["en"] and len(first["options"]) > 1
    assert done["chosen"][0] and done["chosen"][0][0]["en"]
    assert still_open["submitted_at"] is None and "chosen" not in still_open
    with app.app_context():
        shown = db.session.get(Attempt, reopened.attempt_id).questions
    # Her open attempt's questions and options in the order shown, as texts only.
    assert [[o["en"] for o in q["options"]] for q in still_open["questions"]] == [
        [_option_text(app, o) for o in q["options"]] for q in shown]
    assert all(set(q) == {"question", "options"} for q in still_open["questions"])
    assert "answers" not in done and "answers" not in still_open
    assert "correct" not in json.dumps(done["questions"] + done["chosen"])


def _option_text(app, option_id: int) -> str:
    from elearn.publishing.models import Option

    with app.app_context():
        return db.session.get(Option, option_id).text["en"]
