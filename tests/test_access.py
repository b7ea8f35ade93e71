"""Every endpoint is public on purpose or refuses anonymous visitors and the wrong roles."""

import pytest

from elearn.access import GRANTS, PERMISSION_ATTR, Permission, can, is_public_endpoint
from elearn.auth.models import Role

# Endpoints anyone may open, and why.
PUBLIC_ENDPOINTS = {
    "static",  # stylesheet and icons
    "main.index",  # the welcome page for visitors
    "main.set_language",  # visitors choose a language too
    "main.healthz",  # load balancers
    "auth.login",
    "auth.register",
    "auth.reset_request",
    "auth.reset_password",
    "auth.accept_invitation",
    "auth.confirm_email",
    "certificates.verify",  # anyone can check a certificate
    "certificates.verify_form",
    "learning.public_catalogue",  # what the courses are, before signing up
    "assignments.calendar_ics",  # fetched by calendar programs: the secret token is the key
    "publishing.hook",  # authenticated by its signature instead
    "privacy.notice",  # what is kept and for how long, before signing up
}


def _sample_url(app, rule) -> str:
    values = dict.fromkeys(rule.arguments, "1")
    with app.test_request_context():
        from flask import url_for

        return url_for(rule.endpoint, **values)


def test_public_endpoints_are_exactly_the_listed_ones(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    public = {e for e in endpoints if is_public_endpoint(app, e)}
    assert public == PUBLIC_ENDPOINTS & endpoints


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_every_other_endpoint_refuses_anonymous_visitors(app, client, method):
    from tests.web import csrf_token

    # A valid CSRF token, so that the login check itself is what answers a POST.
    data = {"csrf_token": csrf_token(client, "/account/login")} if method == "POST" else None
    checked = 0
    for rule in app.url_map.iter_rules():
        if rule.endpoint in PUBLIC_ENDPOINTS or method not in rule.methods:
            continue
        response = client.open(_sample_url(app, rule), method=method, data=data)
        assert response.status_code == 302, (rule.endpoint, response.status_code)
        assert "/account/login" in response.headers["Location"], rule.endpoint
        checked += 1
    assert checked > 0


def test_restricted_endpoints_refuse_roles_without_the_permission(app, make_user):
    from tests.web import csrf_token, login

    restricted = [
        rule for rule in app.url_map.iter_rules()
        if getattr(app.view_functions[rule.endpoint], PERMISSION_ATTR, None) is not None
    ]
    for role in Role:
        client = app.test_client()
        user_id = make_user(role, supervises=("LT-57",) if role is Role.SUPERVISOR else ())
        assert login(client, app, user_id).status_code == 302
        token = csrf_token(client, "/account/profile")
        for rule in restricted:
            permission = getattr(app.view_functions[rule.endpoint], PERMISSION_ATTR)
            method = "GET" if "GET" in rule.methods else "POST"
            response = client.open(_sample_url(app, rule), method=method,
                                   data={"csrf_token": token} if method == "POST" else None)
            if permission in GRANTS[role]:
                assert response.status_code != 403, (role, rule.endpoint)
            else:
                assert response.status_code == 403, (role, rule.endpoint)


def test_grants():
    assert GRANTS[Role.ADMIN] == frozenset(Permission)
    assert GRANTS[Role.LEARNER] == frozenset()
    assert Permission.SUPERVISE in GRANTS[Role.SUPERVISOR]
    assert Permission.NATIONAL_OVERVIEW not in GRANTS[Role.SUPERVISOR]
    assert Permission.PREVIEW_COURSES in GRANTS[Role.AUTHOR]
    assert not can(None, Permission.SUPERVISE)


def test_one_staff_rule_for_lists_and_single_people(app, make_user):
    """supervised_learners is the SQL rule; may_supervise_learner asks it about one person
    and agrees with it for every kind of account."""
    from sqlalchemy import select

    from elearn.access import may_supervise_learner, supervised_learners
    from elearn.auth.models import Role, User
    from elearn.extensions import db

    people = {
        "learner here": make_user(municipality="LT-57"),
        "learner elsewhere": make_user(municipality="LT-15"),
        "inactive learner here": make_user(municipality="LT-57"),
        "supervisor here": make_user(Role.SUPERVISOR, municipality="LT-57",
                                     supervises=("LT-57",)),
        "author here": make_user(Role.AUTHOR, municipality="LT-57"),
    }
    viewers = {
        "supervisor of LT-57": people["supervisor here"],
        "admin": make_user(Role.ADMIN, municipality=None),
        "learner": people["learner here"],
    }
    expected = {
        "supervisor of LT-57": {"learner here"},
        "admin": {"learner here", "learner elsewhere"},
        "learner": set(),
    }
    with app.app_context():
        db.session.get(User, people["inactive learner here"]).active = False
        db.session.commit()
        for viewer_name, viewer_id in viewers.items():
            viewer = db.session.get(User, viewer_id)
            listed = set(db.session.scalars(select(User.id).where(supervised_learners(viewer))))
            names = {name for name, uid in people.items() if uid in listed}
            assert names == expected[viewer_name], viewer_name
            for name, uid in people.items():
                assert may_supervise_learner(viewer, uid) == (name in names), (viewer_name, name)
