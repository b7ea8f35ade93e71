"""A supervisor's staff work: confirming self-registered learners, corrections,
deactivation, reactivation, invitations and releasing a learner who moved."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from elearn.audit.models import AuditEntry
from elearn.auth.models import Role, User
from elearn.extensions import db
from elearn.mail import outbox
from tests.web import csrf_token


def _waiting(app, make_user, **fields) -> int:
    uid = make_user(**fields)
    with app.app_context():
        db.session.get(User, uid).municipality_confirmed_at = None
        db.session.commit()
    return uid


def _post(client, url: str, **data):
    token = csrf_token(client, url.rsplit("/", 1)[0])
    return client.post(url, data={"csrf_token": token, **data})


def test_a_self_registered_learner_waits_for_confirmation(app, client, monkeypatch,
                                                          two_courses):
    """REGISTRATION=confirm: she takes courses at once, counts in no report, and the
    municipality's supervisors see her as awaiting confirmation until they confirm."""
    from tests.auth.test_registration import _link, form

    monkeypatch.setitem(app.config, "REGISTRATION", "confirm")
    visitor = app.test_client()
    visitor.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    assert "A supervisor of the municipality you choose confirms" in visitor.get(
        "/account/register").get_data(as_text=True)
    visitor.post("/account/register", data=form(visitor, full_name="Naujoji Darbuotoja",
                                                 locale="en"))
    with app.app_context():
        (mail,) = outbox()
        new = db.session.scalar(select(User).where(User.full_name == "Naujoji Darbuotoja"))
        assert new.awaiting_confirmation
    link = _link(mail, "/account/confirm/")
    visitor.post(link, data={"csrf_token": csrf_token(visitor, link)})
    assert visitor.get("/learn/alpha").status_code == 200  # learns at once

    from tests.factories import create_user
    with app.app_context():
        create_user(900, Role.SUPERVISOR, "LT-57", "boss@example.lt", ("LT-57",))
    from tests.web import login
    with app.app_context():
        boss = db.session.scalar(select(User.id).where(User.email == "boss@example.lt"))
    assert login(client, app, boss).status_code == 302
    html = client.get("/supervision/LT-57").get_data(as_text=True)
    assert "Awaiting your confirmation" in html and "Naujoji Darbuotoja" in html
    assert "0 learners in the municipality." in html  # counted in no report
    response = _post(client, f"/supervision/LT-57/learners/{new.id}/confirm")
    assert response.status_code == 302
    html = client.get("/supervision/LT-57").get_data(as_text=True)
    assert "Awaiting your confirmation" not in html
    assert "1 learner in the municipality." in html
    with app.app_context():
        entry = db.session.scalar(select(AuditEntry).where(
            AuditEntry.action == "user.confirmed"))
        assert entry.actor_id == boss and entry.municipality_code == "LT-57"


def test_open_registration_counts_at_once(app, client, monkeypatch):
    from tests.auth.test_registration import form

    monkeypatch.setitem(app.config, "REGISTRATION", "open")
    client.post("/account/register", data=form(client))
    with app.app_context():
        assert not db.session.scalar(select(User)).awaiting_confirmation


def test_moving_a_waiting_learner_to_the_right_municipality(app, client, make_user,
                                                            signed_in_supervisor):
    uid = _waiting(app, make_user, full_name="Kitur Dirbanti")
    response = _post(client, f"/supervision/LT-57/learners/{uid}/move", municipality="LT-15")
    assert response.status_code == 302
    with app.app_context():
        user = db.session.get(User, uid)
        assert user.municipality_code == "LT-15" and user.awaiting_confirmation
    assert client.get(f"/supervision/LT-57/learners/{uid}").status_code == 404
    # an unknown municipality or an already confirmed learner is refused
    other = _waiting(app, make_user)
    assert _post(client, f"/supervision/LT-57/learners/{other}/move",
                 municipality="LT-99").status_code == 422
    confirmed = make_user()
    assert _post(client, f"/supervision/LT-57/learners/{confirmed}/move",
                 municipality="LT-15").status_code == 422
    with app.app_context():
        assert db.session.get(User, confirmed).municipality_code == "LT-57"


def test_the_weekly_summary_mentions_the_waiting_ones(app, runner, make_user, two_courses):
    make_user(Role.SUPERVISOR, email="boss@example.lt", supervises=("LT-57",))
    _waiting(app, make_user)
    _waiting(app, make_user)
    runner.invoke(args=["reminders", "send", "--today", date(2026, 11, 23).isoformat()])
    with app.app_context():
        (mail,) = [m for m in outbox() if m["To"] == "boss@example.lt"]
    assert "2 people registered saying they work here and wait for your confirmation" in (
        mail.get_content())


def test_correcting_a_name_with_certificates_asks_for_confirmation(
        app, client, make_user, signed_in_supervisor, two_courses, add_certificate):
    uid = make_user(full_name="Ona Klaida")
    add_certificate(uid, "alpha", None)
    url = f"/supervision/LT-57/learners/{uid}/details"
    data = {"full_name": "Ona Teisinga", "workplace": "Centras", "profession": "teacher"}
    response = _post(client, url, **data)
    assert response.status_code == 422
    assert "Tick the box to confirm the new name" in response.get_data(as_text=True)
    assert _post(client, url, confirm_name_change="y", **data).status_code == 302
    with app.app_context():
        user = db.session.get(User, uid)
        assert (user.full_name, user.workplace, user.profession) == (
            "Ona Teisinga", "Centras", "teacher")
        entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "user.details",
                                                           AuditEntry.target_id == str(uid)))
        assert entry.before["full_name"] == "Ona Klaida"
    # bad input stores nothing
    assert _post(client, url, full_name="", workplace="X", profession="teacher"
                 ).status_code == 422
    assert _post(client, url, full_name="X", workplace="X", profession="king"
                 ).status_code == 422


def test_a_supervisor_cannot_change_roles_or_addresses(app, client, make_user,
                                                       signed_in_supervisor):
    uid = make_user(email="staff@example.lt")
    response = _post(client, f"/supervision/LT-57/learners/{uid}/details", full_name="X",
                     workplace="Y", profession="other", email="new@example.lt", role="admin")
    assert response.status_code == 302
    with app.app_context():
        user = db.session.get(User, uid)
        assert (user.email, user.role) == ("staff@example.lt", "learner")
    assert client.get(f"/admin/users/{uid}").status_code == 403


def test_deactivating_a_leaver_and_reactivating_her(app, client, make_user,
                                                    signed_in_supervisor):
    from tests.web import login

    uid = make_user(full_name="Išėjusi Darbuotoja")
    her = app.test_client()
    assert login(her, app, uid).status_code == 302
    assert _post(client, f"/supervision/LT-57/learners/{uid}/deactivate").status_code == 302
    assert her.get("/account/profile").status_code == 302  # signed out everywhere
    html = client.get("/supervision/LT-57").get_data(as_text=True)
    assert "1 deactivated account" in html
    assert "0 learners in the municipality." in html
    assert _post(client, f"/supervision/LT-57/learners/{uid}/activate").status_code == 302
    assert "1 learner in the municipality." in client.get("/supervision/LT-57").get_data(
        as_text=True)
    with app.app_context():
        actions = list(db.session.scalars(select(AuditEntry.action).where(
            AuditEntry.target_id == str(uid)).order_by(AuditEntry.id)))
    assert actions == ["user.deactivated", "user.activated"]


def test_resending_an_invitation(app, client, make_user, signed_in_supervisor):
    invited = make_user(password=None, email="invited@example.lt")
    assert _post(client, f"/supervision/LT-57/learners/{invited}/invite").status_code == 302
    with app.app_context():
        assert [m["To"] for m in outbox()] == ["invited@example.lt"]
    signed_up = make_user()
    assert _post(client, f"/supervision/LT-57/learners/{signed_up}/invite").status_code == 409


def test_releasing_a_learner_who_moved(app, client, make_user, signed_in_supervisor,
                                       two_courses, add_certificate):
    uid = make_user(full_name="Persikėlusi Darbuotoja")
    cert = add_certificate(uid, "alpha", None)
    assert _post(client, f"/supervision/LT-57/learners/{uid}/release").status_code == 302
    assert "Persikėlusi Darbuotoja" not in client.get("/supervision/LT-57").get_data(
        as_text=True)
    assert client.get(f"/supervision/LT-57/learners/{uid}").status_code == 404
    with app.app_context():
        user = db.session.get(User, uid)
        assert user.municipality_code is None and user.active
        from elearn.certificates.models import Certificate
        assert db.session.get(Certificate, cert).user_id == uid


def test_a_supervisor_sees_the_changes_of_her_municipalities_only(app, client, make_user,
                                                                  signed_in_supervisor):
    from elearn.auth import services as accounts

    here = make_user(full_name="Čia Esanti")
    there = make_user(full_name="Ten Esanti", municipality="LT-15")
    with app.app_context():
        accounts.deactivate(db.session.get(User, here))
        accounts.deactivate(db.session.get(User, there))
        db.session.commit()
    html = client.get("/supervision/LT-57/audit").get_data(as_text=True)
    assert "Čia Esanti" in html and "Ten Esanti" not in html
    html = client.get("/supervision/LT-57/audit?municipality=LT-15").get_data(as_text=True)
    assert "Ten Esanti" not in html
    assert client.get("/supervision/LT-15/audit").status_code == 404
