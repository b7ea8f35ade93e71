"""Destructive actions go through a confirmation page that names exactly what will change
(no JavaScript): revoking a certificate, and deactivating a person, by an admin or by
her supervisor. Opening the page changes nothing; only its form does."""

from __future__ import annotations

import re

from elearn.auth.models import Role, User
from elearn.certificates.models import Certificate
from elearn.extensions import db
from tests.web import login


def _client(app, user_id):
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    assert login(client, app, user_id).status_code == 302
    return client


def _token(html: str) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)


def test_revoking_asks_first_and_names_the_certificate(app, make_user, issue_certificate_to):
    learner = make_user(full_name="Rūta Petraitienė")
    certificate_id = issue_certificate_to(learner)
    admin = _client(app, make_user(Role.ADMIN, municipality=None))
    url = f"/certificates/{certificate_id}/revoke"

    show = admin.get(f"/certificates/{certificate_id}").get_data(as_text=True)
    assert f'href="{url}"' in show and 'name="reason"' not in show
    page = admin.get(url)
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    with app.app_context():
        serial = db.session.get(Certificate, certificate_id).serial
        assert db.session.get(Certificate, certificate_id).revoked_at is None
    for expected in ("Revoke this certificate?", "Rūta Petraitienė", serial,
                     "What will change", "Revoking cannot be undone.", 'name="reason"',
                     f'href="/certificates/{certificate_id}"'):
        assert expected in html, expected

    empty = admin.post(url, data={"csrf_token": _token(html), "reason": "  "})
    assert empty.status_code == 422 and "Rūta Petraitienė" in empty.get_data(as_text=True)
    done = admin.post(url, data={"csrf_token": _token(html), "reason": "Issued by mistake"})
    assert done.status_code == 302
    with app.app_context():
        assert db.session.get(Certificate, certificate_id).revoked_reason == "Issued by mistake"
    # Revoked already: the page sends her back to the certificate.
    assert admin.get(url).status_code == 302


def test_learners_and_supervisors_get_no_revocation_page(app, make_user,
                                                         issue_certificate_to):
    learner = make_user()
    certificate_id = issue_certificate_to(learner)
    supervisor = make_user(Role.SUPERVISOR, supervises=("LT-57",))
    for user_id in (learner, supervisor):
        assert _client(app, user_id).get(
            f"/certificates/{certificate_id}/revoke").status_code in (403, 404)


def test_deactivating_asks_first_for_admins_and_supervisors(app, make_user):
    leaver = make_user(full_name="Jonas Išėjęs", workplace="Vaikų dienos centras")
    admin = _client(app, make_user(Role.ADMIN, municipality=None))
    supervisor = _client(app, make_user(Role.SUPERVISOR, supervises=("LT-57",)))
    for client, url, back in (
        (admin, f"/admin/users/{leaver}/deactivate", f"/admin/users/{leaver}"),
        (supervisor, f"/supervision/LT-57/learners/{leaver}/deactivate",
         f"/supervision/LT-57/learners/{leaver}"),
    ):
        assert f'href="{url}"' in client.get(back).get_data(as_text=True)
        html = client.get(url).get_data(as_text=True)
        for expected in ("Deactivate this account?", "Jonas Išėjęs", "Vaikų dienos centras",
                         "signed out everywhere at once", f'href="{back}"'):
            assert expected in html, expected
        with app.app_context():
            assert db.session.get(User, leaver).active
    response = supervisor.post(f"/supervision/LT-57/learners/{leaver}/deactivate",
                               data={"csrf_token": _token(html)})
    assert response.status_code == 302
    with app.app_context():
        assert not db.session.get(User, leaver).active


def test_a_supervisor_of_another_municipality_gets_no_confirmation_page(app, make_user):
    leaver = make_user()
    other = _client(app, make_user(Role.SUPERVISOR, municipality="LT-15",
                                   supervises=("LT-15",)))
    assert other.get(f"/supervision/LT-57/learners/{leaver}/deactivate").status_code == 404
    assert other.get(f"/supervision/LT-15/learners/{leaver}/deactivate").status_code == 404
