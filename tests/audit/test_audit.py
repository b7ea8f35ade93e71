"""The audit log: written with the change, never changed, read with a fixed cost."""

from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import delete, event, insert, select, update
from sqlalchemy.exc import DatabaseError

from elearn.audit.models import AuditConcern, AuditEntry
from elearn.audit.services import record
from elearn.auth import services as accounts
from elearn.auth.models import Role, User, search_key
from elearn.extensions import db
from elearn.types import utcnow
from tests.web import csrf_token


def _entry(app) -> int:
    with app.app_context():
        entry = record("user.details", "user", 1, before={"full_name": "A"},
                       after={"full_name": "B"}, municipality="LT-57")
        db.session.commit()
        return entry.id


def test_the_database_refuses_to_change_an_entry(app):
    entry_id = _entry(app)
    with app.app_context():
        with pytest.raises(DatabaseError, match="append-only"):
            db.session.execute(update(AuditEntry).where(AuditEntry.id == entry_id)
                               .values(action="user.role"))
        db.session.rollback()
        if db.engine.dialect.name == "postgresql":
            with pytest.raises(DatabaseError, match="append-only"):
                db.session.execute(delete(AuditEntry).where(AuditEntry.id == entry_id))
            db.session.rollback()
        assert db.session.get(AuditEntry, entry_id).action == "user.details"


def test_the_database_refuses_to_change_the_municipalities_of_an_entry(app, make_user):
    uid = make_user()
    with app.app_context():
        accounts.set_role(db.session.get(User, uid), Role.SUPERVISOR, ["LT-15"])
        db.session.commit()
        with pytest.raises(DatabaseError, match="append-only"):
            db.session.execute(update(AuditConcern).values(municipality_code="LT-20"))
        db.session.rollback()
        assert db.session.scalars(select(AuditConcern.municipality_code)).all() == ["LT-15"]


def test_the_supervisors_of_a_municipality_see_who_was_given_access_to_it(
        app, client, login_as, make_user):
    """She lives in Vilnius and is made supervisor of Kaunas: Kaunas's supervisors see it
    on their audit page (and when it is taken away); Alytus's do not."""
    ona = make_user(full_name="Ona Prižiūrėtoja", municipality="LT-57")
    with app.app_context():
        accounts.set_role(db.session.get(User, ona), Role.SUPERVISOR, ["LT-57", "LT-15"])
        db.session.commit()
        accounts.set_role(db.session.get(User, ona), Role.LEARNER)
        db.session.commit()
    login_as(Role.SUPERVISOR, municipality="LT-15", supervises=("LT-15",))
    html = client.get("/supervision/LT-15/audit").get_data(as_text=True)
    assert html.count("Ona Prižiūrėtoja") == 2
    client.post("/account/logout", data={"csrf_token": csrf_token(client, "/")})
    login_as(Role.SUPERVISOR, municipality="LT-11", supervises=("LT-11",))
    assert "Ona Prižiūrėtoja" not in client.get("/supervision/LT-11/audit").get_data(
        as_text=True)


def test_the_migration_fills_in_the_municipalities_of_earlier_role_changes(tmp_path):
    from flask_migrate import upgrade
    from sqlalchemy import text

    from elearn import create_app
    from elearn.config import TestConfig

    class Config(TestConfig):
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path / 'old.sqlite'}"

    old = create_app(Config)
    with old.app_context():
        upgrade(revision="f9a0b1c2d3e4")  # before audit_entry_municipality
        with db.engine.begin() as conn:
            conn.execute(text(
                "INSERT INTO audit_entry (id, at, action, target_type, target_id, "
                "municipality_code, before, after) VALUES (1, '2026-01-01 00:00:00', "
                "'user.role', 'user', '7', 'LT-57', :before, :after)"),
                {"before": '{"role": "learner", "supervises": []}',
                 "after": '{"role": "supervisor", "supervises": ["LT-15", "LT-57"]}'})
        upgrade()
        with db.engine.connect() as conn:
            rows = conn.execute(text("SELECT entry_id, municipality_code "
                                     "FROM audit_entry_municipality")).all()
        db.engine.dispose()
    assert rows == [(1, "LT-15")]  # LT-57 is the entry's own municipality already


def test_no_route_changes_or_deletes_the_log(app):
    rules = [r for r in app.url_map.iter_rules() if "audit" in r.rule]
    assert rules
    for rule in rules:
        assert rule.methods <= {"GET", "HEAD", "OPTIONS"}, rule


def test_the_entry_and_the_change_commit_together(app, make_user):
    uid = make_user()
    with app.app_context():
        user = db.session.get(User, uid)
        accounts.deactivate(user)
        db.session.rollback()  # the request failed after the service ran
        assert db.session.get(User, uid).active is True
        assert db.session.scalar(select(AuditEntry).where(
            AuditEntry.action == "user.deactivated")) is None


def test_a_request_changing_an_audited_field_without_an_entry_fails(app, make_user):
    uid = make_user()
    with app.test_request_context():
        user = db.session.get(User, uid)
        user.role = Role.ADMIN.value  # bypassing the services
        with pytest.raises(RuntimeError, match="User.role changed without an audit entry"):
            db.session.commit()
        db.session.rollback()
        user = db.session.get(User, uid)
        user.last_seen_at = utcnow()  # not audited
        db.session.flush()
        db.session.rollback()


def test_assignment_and_contact_rows_written_without_an_entry_fail_too(app, two_courses,
                                                                        make_user):
    """Rows inserted or deleted by a statement, not only attributes changed on an object:
    assigning, withdrawing and editing referral contacts all need their entry."""
    from datetime import date

    from elearn.assignments.models import Assignment
    from elearn.directory.models import ReferralContact

    uid = make_user()
    with app.test_request_context():
        db.session.execute(insert(Assignment), [{"user_id": uid, "course_id": "alpha",
                                                 "due_on": date(2027, 1, 1)}])
        with pytest.raises(RuntimeError, match="Assignment rows changed without an audit entry"):
            db.session.commit()
        db.session.rollback()
        db.session.add(ReferralContact(municipality_code="LT-57", role="police",
                                       organisation={"lt": "A"}, address={}, hours={}, notes={}))
        with pytest.raises(RuntimeError, match="ReferralContact row changed without"):
            db.session.commit()
        db.session.rollback()
        # With its entry, recorded after the flush that gave the row its id, it commits.
        contact = ReferralContact(municipality_code="LT-57", role="police",
                                  organisation={"lt": "A"}, address={}, hours={}, notes={})
        db.session.add(contact)
        db.session.flush()
        record("contact.changed", "referral_contact", contact.id, municipality="LT-57")
        db.session.commit()


def test_the_command_line_is_audited_too(app, runner, make_user):
    make_user(email="someone@example.lt")
    result = runner.invoke(args=["users", "set-role", "someone@example.lt", "supervisor",
                                 "--municipality", "LT-57"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "user.role")
                                  .order_by(AuditEntry.id.desc()))
        assert entry.actor_id is None and entry.address is None
        assert entry.after == {"role": "supervisor", "supervises": ["LT-57"]}


def test_certificate_revocation_is_audited(app, client, login_as, make_user, two_courses,
                                           add_certificate):
    admin = login_as(Role.ADMIN, municipality=None)
    uid = make_user()
    cert = add_certificate(uid, "alpha", None)
    token = csrf_token(client, f"/certificates/{cert}")
    response = client.post(f"/certificates/{cert}/revoke",
                           data={"csrf_token": token, "reason": "Issued by mistake"})
    assert response.status_code in (302, 303)
    with app.app_context():
        entry = db.session.scalar(select(AuditEntry).where(
            AuditEntry.action == "certificate.revoked"))
        assert entry.actor_id == admin
        assert entry.after["reason"] == "Issued by mistake"
        assert entry.municipality_code == "LT-57"


def test_admins_filter_and_download_the_log(app, client, login_as, make_user):
    login_as(Role.ADMIN, municipality=None)
    here = make_user(full_name="Here Person", municipality="LT-57")
    there = make_user(full_name="There Person", municipality="LT-15")
    with app.app_context():
        accounts.deactivate(db.session.get(User, here))
        accounts.deactivate(db.session.get(User, there))
        db.session.commit()
    html = client.get("/admin/audit?municipality=LT-15&action=user.deactivated").get_data(
        as_text=True)
    assert "There Person" in html and "Here Person" not in html
    data = client.get("/admin/audit.csv?action=user.deactivated")
    assert data.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(data.data.decode("utf-8-sig"))))
    assert sorted(r[8] for r in rows[1:]) == ["Here Person", "There Person"]


def _count_statements(app, client, url: str) -> int:
    with app.app_context():
        engine = db.engine
    seen: list[str] = []

    def count(conn, cursor, statement, *args):
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        assert client.get(url).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return len(seen)


def _add_people(app, first: int, n: int) -> None:
    now = utcnow()
    rows = [{"email": f"bulk{i}@example.lt", "full_name": f"Žmogus {i}",
             "search_text": search_key(f"Žmogus {i} bulk{i}@example.lt"),
             "municipality_code": "LT-57", "workplace": "", "profession": "other",
             "locale": "lt", "role": "learner", "active": True,
             "session_token": f"token-{i}", "created_at": now,
             "municipality_confirmed_at": now, "email_confirmed_at": now}
            for i in range(first, first + n)]
    audit = [{"at": now, "action": "user.details", "target_type": "user",
              "target_id": str(i), "municipality_code": "LT-57",
              "before": {"full_name": "x"}, "after": {"full_name": "y"}}
             for i in range(first, first + n)]
    with app.app_context():
        db.session.execute(insert(User), rows)
        db.session.execute(insert(AuditEntry), audit)
        db.session.commit()


def test_users_page_and_audit_log_cost_the_same_statements_for_10_or_10000(
        app, client, login_as):
    login_as(Role.ADMIN, municipality=None)
    _add_people(app, 0, 10)
    urls = ["/admin/users", "/admin/users?q=zmogus&sort=created&dir=desc", "/admin/audit",
            "/admin/audit?action=user.details&municipality=LT-57"]
    client.get("/admin/users")
    few = [_count_statements(app, client, url) for url in urls]
    _add_people(app, 10, 9_990)
    assert [_count_statements(app, client, url) for url in urls] == few


def _actions(app) -> list[tuple[str, str, str | None]]:
    with app.app_context():
        return [(e.action, e.target_id, e.municipality_code) for e in db.session.scalars(
            select(AuditEntry).where(AuditEntry.action.not_like("user.%"))
            .order_by(AuditEntry.id))]


def test_assignments_contacts_imports_and_publication_are_audited(app, make_user,
                                                                  two_courses):
    from datetime import timedelta

    from elearn.assignments import services as assignments
    from elearn.assignments import withdrawals
    from elearn.directory import services as directory
    from elearn.i18n import today
    from elearn.supervision import importing

    make_user()
    with app.app_context():
        assignments.assign("LT-57", "alpha", today() + timedelta(days=9),
                           target="municipality", by_user_id=None)
        withdrawals.withdraw("LT-57", "alpha", by_user_id=None)
        contact = directory.save_contact("LT-57", directory.ContactData(
            role="police", phone="112", email="", texts={"organisation": {"lt": "Policija"}}),
            by_user_id=None)
        directory.delete_contact(contact)
        db.session.commit()
        report = importing.import_staff(
            b"name,email,workplace,profession\nOna Nauja,ona.nauja@example.lt,Centras,teacher\n"
, "LT-57", lambda user: None)
        assert report.created == ["ona.nauja@example.lt"], report
    assert [a for a, _t, _m in _actions(app)] == [
        "assignment.created", "assignment.withdrawn", "contact.changed", "contact.changed",
        "staff.imported"]
    assert all(m == "LT-57" for _a, _t, m in _actions(app))


def test_course_publication_is_audited(app, tmp_path):
    from elearn.publishing.services import sync_courses
    from tests.factories import write_test_course

    write_test_course(tmp_path)
    with app.app_context():
        sync_courses(tmp_path)
        sync_courses(tmp_path)  # nothing new: no second entry
        entries = list(db.session.scalars(select(AuditEntry).where(
            AuditEntry.action == "course.published")))
    assert [(e.target_id, e.before["version_id"]) for e in entries] == [("test-course", None)]


def test_due_date_changes_and_assignment_rules_are_audited(app, make_user, two_courses):
    from datetime import timedelta

    from elearn.assignments import rules
    from elearn.assignments import services as assignments
    from elearn.i18n import today

    make_user()
    with app.app_context():
        rule = rules.create_rule("LT-57", "alpha", today() + timedelta(days=9),
                                 target="municipality", by_user_id=None)
        assert rule.created == 1
        assignments.move_due_date("LT-57", "alpha", today() + timedelta(days=20),
                                  by_user_id=None)
        rule_id = db.session.scalar(select(AuditEntry.target_id).where(
            AuditEntry.action == "assignment.rule"))
        assert rules.stop_rule("LT-57", int(rule_id))
        db.session.commit()
    assert [a for a, _t, _m in _actions(app)] == [
        "assignment.rule", "assignment.created", "assignment.due_date", "assignment.rule"]
