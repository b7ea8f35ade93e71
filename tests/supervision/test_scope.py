"""A supervisor sees only the municipalities she supervises: every report endpoint is
tried by a supervisor of another municipality, who gets 404 and none of the data."""

from __future__ import annotations

from datetime import timedelta

import pytest

from elearn.assignments.models import Assignment, AssignmentRule
from elearn.auth.models import Role
from elearn.directory.models import ReferralContact
from elearn.extensions import db
from elearn.i18n import today
from tests.web import csrf_token

SECRET_NAME = "Slapta Vilnietė"
SECRET_ORG = "Slapta organizacija"


@pytest.fixture
def vilnius(app, two_courses, make_user, record_progress):
    """LT-57 data: a learner with progress and an assignment, and a referral contact."""
    learner = make_user(full_name=SECRET_NAME, workplace="Slapta darbovietė")
    record_progress(learner, "alpha", "in_progress")
    with app.app_context():
        db.session.add(Assignment(user_id=learner, course_id="alpha",
                                  due_on=today() + timedelta(days=3)))
        contact = ReferralContact(municipality_code="LT-57", role="police",
                                  organisation={"lt": SECRET_ORG}, address={}, hours={},
                                  notes={}, phone="112", email="")
        db.session.add(contact)
        rule = AssignmentRule(municipality_code="LT-57", course_id="alpha",
                              target="municipality", due_on=today() + timedelta(days=3))
        db.session.add(rule)
        db.session.commit()
        return {"user_id": learner, "contact_id": contact.id, "rule_id": rule.id}


STAFF_ACTIONS = ("correct_details", "deactivate", "activate", "invite", "release", "confirm",
                 "move")


def _urls(app, code: str, ids: dict) -> list[tuple[str, str, str]]:
    """(endpoint, method, url) for every reports endpoint that takes a municipality."""
    values = {"code": code, "course_id": "alpha", **ids}
    found = []
    with app.test_request_context():
        from flask import url_for

        for rule in app.url_map.iter_rules():
            if (not rule.endpoint.startswith(("supervision.", "assignments.", "directory."))
                    or "code" not in rule.arguments):
                continue
            url = url_for(rule.endpoint, **{k: values[k] for k in rule.arguments})
            for method in sorted((rule.methods or set()) & {"GET", "POST"}):
                found.append((rule.endpoint, method, url))
    return found


def _form(client, token: str) -> dict:
    return {"csrf_token": token, "course": "alpha", "due_on": today().isoformat(),
            "target": "municipality", "role": "police", "organisation_local": "X"}


def test_every_endpoint_is_covered(app):
    endpoints = {e for e, _m, _u in _urls(app, "LT-57", {"user_id": 1, "contact_id": 1,
                                                         "rule_id": 1})}
    assert endpoints == {
        "supervision.municipality", "supervision.export_csv", "supervision.export_xlsx",
        "supervision.learner", "assignments.withdraw_one", "assignments.assignment_list",
        "assignments.assignment_new", "assignments.assignment_withdraw", "supervision.staff_import",
        "supervision.staff_import_confirm", "supervision.import_template_csv",
        "assignments.withdrawal_undo", "assignments.due_date", "assignments.rule_stop",
        "supervision.import_template_xlsx",
        "directory.contacts", "directory.contact_edit", "directory.contact_delete",
        "supervision.correct_details", "supervision.deactivate", "supervision.activate",
        "supervision.invite", "supervision.release", "supervision.confirm", "supervision.move",
        "supervision.audit",
    }, "a new report endpoint must be added to the scope tests"


def test_another_municipalitys_supervisor_gets_404_and_no_data(app, client, vilnius,
                                                               signed_in_other_supervisor):
    token = csrf_token(client, "/supervision/LT-15/contacts/new")
    for endpoint, method, url in _urls(app, "LT-57", vilnius):
        if method == "GET":
            response = client.get(url)
        else:
            response = client.post(url, data=_form(client, token))
        body = response.get_data(as_text=True)
        assert response.status_code == 404, (endpoint, method, url, response.status_code)
        assert SECRET_NAME not in body and SECRET_ORG not in body, (endpoint, method)
    # Nothing was changed by the POSTs.
    with app.app_context():
        assert db.session.query(Assignment).count() == 1
        assert db.session.query(ReferralContact).count() == 1


def test_her_own_code_with_another_municipalitys_ids_gets_404(app, client, vilnius,
                                                              signed_in_other_supervisor):
    """The ids are checked against the municipality in the address, not only the code."""
    token = csrf_token(client, "/supervision/LT-15/contacts/new")
    for endpoint, method, url in _urls(app, "LT-15", vilnius):
        if not any(part in endpoint for part in ("learner", "withdraw_one", "contact_edit",
                                                  "contact_delete")) and (
                endpoint.removeprefix("supervision.") not in STAFF_ACTIONS):
            continue
        if "contact_edit" in endpoint and "/new" in url:
            continue
        response = (client.get(url) if method == "GET"
                    else client.post(url, data=_form(client, token)))
        assert response.status_code == 404, (endpoint, method, url)
        assert SECRET_NAME not in response.get_data(as_text=True)


def test_her_own_reports_do_not_show_other_municipalities(app, client, vilnius,
                                                         signed_in_other_supervisor):
    for url in ("/supervision/LT-15", "/supervision/LT-15/export.csv",
                "/supervision/LT-15/assignments", "/supervision/LT-15/contacts",
                "/supervision/LT-15?workplace=Slapta+darbovietė&state=in_progress"):
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.get_data(as_text=True)
        assert SECRET_NAME not in body and SECRET_ORG not in body


def test_assigning_a_learner_of_another_municipality_is_refused(app, client, vilnius,
                                                                signed_in_other_supervisor):
    token = csrf_token(client, "/supervision/LT-15/assignments/new")
    response = client.post("/supervision/LT-15/assignments/new", data={
        "csrf_token": token, "course": "alpha", "due_on": today().isoformat(),
        "target": "learners", "learners": [str(vilnius["user_id"])],
    })
    assert response.status_code == 404
    with app.app_context():
        assert db.session.query(Assignment).count() == 1


def test_unknown_municipality_is_404_even_for_admins(client, login_as):
    login_as(Role.ADMIN, municipality=None)
    assert client.get("/supervision/LT-99").status_code == 404
    assert client.get("/supervision/LT-57").status_code == 200


def test_national_overview_is_for_admins_only(client, vilnius, login_as):
    login_as(Role.SUPERVISOR, municipality="LT-57", supervises=("LT-57",))
    assert client.get("/national").status_code == 403
    assert client.get("/national.csv").status_code == 403
    assert client.post("/national/refresh").status_code in (400, 403)


def test_anonymous_visitors_are_sent_to_sign_in(client, vilnius):
    for url in ("/supervision", "/supervision/LT-57", "/supervision/LT-57/export.xlsx",
                "/national"):
        response = client.get(url)
        assert response.status_code == 302 and "/account/login" in response.headers["Location"]
