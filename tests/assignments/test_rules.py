"""Assignment rules: a course for everyone, a workplace or a profession that also reaches
people who join later (imported, registered, confirmed, moved in), and is assigned again
before a certificate of it expires."""

from __future__ import annotations

import io
import re
from datetime import timedelta

from sqlalchemy import select

from elearn.assignments import rules
from elearn.assignments.models import Assignment, AssignmentRule
from elearn.audit.models import AuditEntry
from elearn.auth import services as accounts
from elearn.auth.models import User
from elearn.extensions import db
from elearn.i18n import today
from tests.factories import insert_certificate
from tests.web import csrf_token

NEW = "/supervision/LT-57/assignments/new"


def _due(app, course: str = "alpha") -> dict[int, object]:
    with app.app_context():
        return {a.user_id: a.due_on for a in db.session.scalars(
            select(Assignment).where(Assignment.course_id == course))}


def _assign_with_rule(client, **fields):
    data = {"csrf_token": csrf_token(client, NEW), "course": "alpha",
            "due_on": (today() + timedelta(days=10)).isoformat(), "keep": "y",
            "renew_days": "60", **fields}
    return client.post(NEW, data=data)


def test_a_rule_for_a_profession_reaches_people_imported_later(app, client, two_courses,
                                                               make_user, signed_in_supervisor):
    worker = make_user(profession="social_worker")
    teacher = make_user(profession="teacher")
    response = _assign_with_rule(client, target="profession", profession="social_worker")
    assert response.status_code == 302, response.get_data(as_text=True)
    due = today() + timedelta(days=10)
    assert _due(app) == {worker: due}
    listing = client.get("/supervision/LT-57/assignments").get_data(as_text=True)
    assert "Courses that people who join later also get" in listing
    assert "everyone of the profession “Social worker”" in listing
    # A staff list imported afterwards: the social worker gets the course, due 30 days after
    # joining (later than the rule's own date); the police officer does not.
    url = "/supervision/LT-57/import"
    content = ("Vardas;El. paštas;Darbovietė;Profesija\r\n"
               "Rūta Šimkienė;ruta@example.lt;Centras;socialinė darbuotoja\r\n"
               "Petras Petraitis;petras@example.lt;Komisariatas;policininkas\r\n"
               ).encode("cp1257")
    preview = client.post(url, data={"csrf_token": csrf_token(client, url), "encoding": "auto",
                                     "file": (io.BytesIO(content), "staff.csv")},
                          content_type="multipart/form-data").get_data(as_text=True)
    rows = re.search(r'name="rows"[^>]*value="([^"]+)"', preview).group(1)
    client.post(url + "/confirm", data={"csrf_token": csrf_token(client, url), "rows": rows})
    with app.app_context():
        ids = dict(db.session.execute(select(User.email, User.id)).all())
    assert _due(app) == {worker: due, ids["ruta@example.lt"]: today() + timedelta(days=30)}
    assert teacher not in _due(app)


def test_people_confirmed_registered_or_moved_in_later_get_the_course(
        app, client, two_courses, make_user, signed_in_supervisor):
    assert _assign_with_rule(client, target="municipality").status_code == 302
    waiting = make_user(municipality_confirmed=False)
    elsewhere = make_user(municipality="LT-15")
    assert waiting not in _due(app) and elsewhere not in _due(app)
    with app.test_request_context():
        accounts.confirm_municipality(db.session.get(User, waiting))  # by a supervisor
        mover = db.session.get(User, elsewhere)
        accounts.update_profile(mover, full_name=mover.full_name, municipality_code="LT-57",
                                workplace="Centras", profession="teacher", locale="en")
        db.session.commit()
    assert {waiting, elsewhere} <= set(_due(app))
    # Registration on the web.
    client.post("/account/logout", data={"csrf_token": csrf_token(client, NEW)})
    token = csrf_token(client, "/account/register")
    client.post("/account/register", data={
        "csrf_token": token, "full_name": "Nauja Darbuotoja", "email": "nauja@example.lt",
        "password": "Lygiai-devyni-ženklai-9", "confirm": "Lygiai-devyni-ženklai-9",
        "municipality": "LT-57", "workplace": "Centras", "profession": "social_worker",
        "locale": "lt"})
    with app.app_context():
        newcomer = db.session.scalar(select(User.id).where(User.email == "nauja@example.lt"))
    assert newcomer is not None and newcomer in _due(app)
    with app.app_context():  # each assignment by the rule is in the audit log
        assigned = [e.after["user_ids"] for e in db.session.scalars(
            select(AuditEntry).where(AuditEntry.action == "assignment.by_rule")
            .order_by(AuditEntry.id))]
    assert sorted(sum(assigned, [])) == sorted([waiting, elsewhere, newcomer])


def test_a_withdrawn_newcomer_is_not_assigned_again_and_a_stopped_rule_reaches_nobody(
        app, client, two_courses, make_user, signed_in_supervisor):
    from elearn.assignments import withdrawals

    assert _assign_with_rule(client, target="municipality").status_code == 302
    first = make_user()
    with app.test_request_context():
        rules.apply_rules(today())
        db.session.commit()
        assert first in _due(app)
        withdrawals.withdraw("LT-57", "alpha", user_id=first, by_user_id=signed_in_supervisor)
        db.session.commit()
        rules.apply_rules(today())
        db.session.commit()
    assert first not in _due(app)
    with app.app_context():
        rule_id = db.session.scalar(select(AssignmentRule.id))
    url = f"/supervision/LT-57/assignments/rules/{rule_id}/stop"
    assert client.post(url, data={"csrf_token": csrf_token(client, NEW)}).status_code == 302
    later = make_user()
    with app.test_request_context():
        rules.apply_rules(today())
        db.session.commit()
    assert later not in _due(app)


def test_an_expiring_certificate_assigns_the_course_again(app, client, two_courses, make_user,
                                                         signed_in_supervisor):
    soon, later_on = make_user(), make_user()
    assert _assign_with_rule(client, target="municipality", renew_days="60").status_code == 302
    with app.app_context():
        # Both completed the course long ago and hold a certificate.
        for user_id in (soon, later_on):
            db.session.execute(
                Assignment.__table__.update().where(Assignment.user_id == user_id)
                .values(due_on=today() - timedelta(days=700)))
        db.session.commit()
        insert_certificate(soon, "alpha", today() + timedelta(days=50))
        insert_certificate(later_on, "alpha", today() + timedelta(days=100))
    with app.test_request_context():
        assert rules.apply_rules(today()) == 1
        db.session.commit()
        assert rules.apply_rules(today()) == 0  # once per certificate
        db.session.commit()
    due = _due(app)
    assert due[soon] == today() + timedelta(days=50)  # due the day it expires
    assert due[later_on] == today() - timedelta(days=700)


def test_a_certificate_already_renewed_is_not_assigned_again(app, client, two_courses,
                                                             make_user, signed_in_supervisor):
    renewed = make_user()
    assert _assign_with_rule(client, target="municipality", renew_days="60").status_code == 302
    with app.app_context():
        db.session.execute(
            Assignment.__table__.update().where(Assignment.user_id == renewed)
            .values(due_on=today() - timedelta(days=700)))
        db.session.commit()
        insert_certificate(renewed, "alpha", today() + timedelta(days=50))
        insert_certificate(renewed, "alpha", today() + timedelta(days=700))
    with app.test_request_context():
        assert rules.apply_rules(today()) == 0
        db.session.commit()
    assert _due(app)[renewed] == today() - timedelta(days=700)


def test_people_ticked_one_by_one_cannot_make_a_rule(app, client, two_courses, make_user,
                                                     signed_in_supervisor):
    a = make_user()
    response = _assign_with_rule(client, target="learners", learners=str(a))
    assert response.status_code == 422
    assert "People ticked one by one cannot include people who join later" in \
        response.get_data(as_text=True)
    assert _due(app) == {}
