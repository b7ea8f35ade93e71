import io
import re
from datetime import date, timedelta

import pytest
from pypdf import PdfReader

from elearn.auth.models import Role, User
from elearn.certificates.codes import printed
from elearn.certificates.models import Certificate
from elearn.certificates.services import add_months, expiring_within
from elearn.extensions import db
from tests.web import csrf_token, login

NAME = "Žydrūnė Ąžuolaitė-Šarūnienė"


def main_content(response) -> str:
    return response.get_data(as_text=True).split("<main", 1)[1].split("</main>", 1)[0]


def cert(app, certificate_id) -> Certificate:
    with app.app_context():
        certificate = db.session.get(Certificate, certificate_id)
        db.session.expunge(certificate)
        return certificate


def test_issue_freezes_what_was_true(app, make_user, issue_certificate_to):
    user_id = make_user(full_name=NAME, locale="lt", municipality="LT-57")
    certificate = cert(app, issue_certificate_to(user_id))
    assert certificate.full_name == NAME
    assert certificate.course_title == "Bandomasis kursas" and certificate.lang == "lt"
    assert certificate.hours == 1.5
    assert certificate.municipality_name == "Vilniaus miesto savivaldybė"
    assert re.fullmatch(r"LT-\d{4}-\d{6}", certificate.serial)
    assert len(certificate.code) >= 27  # 160 random bits, URL-safe base64
    assert certificate.expires_on == add_months(certificate.issued_on, 24)
    assert len(certificate.content_hash) == 64
    with app.app_context():
        user = db.session.get(User, user_id)
        user.full_name = "Someone Else"
        db.session.commit()
    assert cert(app, certificate.id).full_name == NAME


def test_a_valid_certificate_is_not_issued_twice(app, make_user, issue_certificate_to):
    user_id = make_user()
    assert issue_certificate_to(user_id) == issue_certificate_to(user_id)


def test_after_expiry_a_new_certificate_and_the_old_stays_expired(app, make_user,
                                                                  issue_certificate_to):
    user_id = make_user()
    first = issue_certificate_to(user_id)
    with app.app_context():
        old = db.session.get(Certificate, first)
        old.expires_on = date.today() - timedelta(days=1)
        db.session.commit()
    second = issue_certificate_to(user_id)
    assert second != first
    assert cert(app, first).state(date.today()) == "expired"
    assert cert(app, second).state(date.today()) == "valid"


def test_a_new_certificate_supersedes_the_older_one_of_the_course(app, make_user,
                                                                  issue_certificate_to):
    """The reports count only the newest certificate of a course: the flag they read."""
    user_id, other_id = make_user(), make_user()
    first = issue_certificate_to(user_id)
    others = issue_certificate_to(other_id)
    with app.app_context():
        db.session.get(Certificate, first).expires_on = date.today() - timedelta(days=1)
        db.session.commit()
    second = issue_certificate_to(user_id)
    assert cert(app, first).superseded is True
    assert cert(app, second).superseded is False
    assert cert(app, others).superseded is False  # another learner's is not touched


def test_add_months_keeps_the_day_or_the_month_end():
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2024, 2, 29), 36) == date(2027, 2, 28)
    assert add_months(date(2026, 11, 23), 36) == date(2029, 11, 23)


def test_pdf_has_the_name_with_diacritics_and_the_serial(app, client, make_user,
                                                         issue_certificate_to):
    user_id = make_user(full_name=NAME)
    certificate_id = issue_certificate_to(user_id)
    login(client, app, user_id)
    response = client.get(f"/certificates/{certificate_id}.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)
    assert NAME in text
    assert cert(app, certificate_id).serial in text
    assert f"/verify/{printed(cert(app, certificate_id).verification_code)}" in text


def test_another_learner_gets_404_for_page_and_pdf(app, make_user, issue_certificate_to):
    owner = make_user()
    certificate_id = issue_certificate_to(owner)
    other = app.test_client()
    login(other, app, make_user())
    assert other.get(f"/certificates/{certificate_id}").status_code == 404
    assert other.get(f"/certificates/{certificate_id}.pdf").status_code == 404
    assert other.get("/certificates/999999.pdf").status_code == 404


def test_my_certificates_page_and_markup_in_names_is_escaped(app, client, make_user,
                                                             issue_certificate_to):
    user_id = make_user(full_name="<script>alert(1)</script> Ona")
    certificate_id = issue_certificate_to(user_id)
    login(client, app, user_id)
    html = client.get("/certificates").get_data(as_text=True)
    assert "A test course" in html and "Download PDF" in html
    page = client.get(f"/certificates/{certificate_id}").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Ona" in page


def test_verification_shows_only_what_it_should(app, make_user, issue_certificate_to):
    user_id = make_user(full_name=NAME, email="private@example.lt",
                        workplace="Secret Workplace")
    certificate = cert(app, issue_certificate_to(user_id))
    anonymous = app.test_client()
    anonymous.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    response = anonymous.get(f"/verify/{certificate.code}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "This certificate is valid." in html and NAME in html and "A test course" in html
    assert "private@example.lt" not in html and "Secret Workplace" not in html


@pytest.mark.parametrize("code", ["x", "A" * 27, "A" * 500, "..%2f..%2fetc", "' OR 1=1 --"])
def test_unknown_codes_get_the_same_404(app, code):
    anonymous = app.test_client()
    response = anonymous.get(f"/verify/{code}")
    assert response.status_code == 404
    reference = app.test_client().get("/verify/nothing-here")
    assert main_content(response) == main_content(reference)


def test_verify_form_redirects_to_the_code_and_accepts_a_pasted_address(app, make_user,
                                                                        issue_certificate_to):
    certificate = cert(app, issue_certificate_to(make_user()))
    anonymous = app.test_client()
    response = anonymous.get("/verify", query_string={"code": f" {certificate.code} "})
    assert response.headers["Location"].endswith(f"/verify/{certificate.code}")
    pasted = anonymous.get(
        "/verify", query_string={"code": f"https://x.example/verify/{certificate.code}"})
    assert pasted.headers["Location"].endswith(f"/verify/{certificate.code}")
    assert anonymous.get("/verify", query_string={"code": ""}).status_code == 422
    assert anonymous.get("/verify").status_code == 200


def test_admin_revokes_with_a_reason_shown_on_verification(app, make_user, issue_certificate_to):
    certificate = cert(app, issue_certificate_to(make_user()))
    admin = app.test_client()
    admin.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    login(admin, app, make_user(Role.ADMIN, municipality=None))
    token = csrf_token(admin, f"/certificates/{certificate.id}")
    empty = admin.post(f"/certificates/{certificate.id}/revoke",
                       data={"reason": "", "csrf_token": token})
    assert empty.status_code == 422
    response = admin.post(f"/certificates/{certificate.id}/revoke",
                          data={"reason": "Issued by mistake", "csrf_token": token})
    assert response.status_code == 302
    page = app.test_client().get(f"/verify/{certificate.code}",
                                 headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "This certificate has been revoked." in page and "Issued by mistake" in page


def test_learners_and_supervisors_cannot_revoke(app, make_user, issue_certificate_to):
    owner = make_user()
    certificate = cert(app, issue_certificate_to(owner))
    for role in (Role.LEARNER, Role.SUPERVISOR):
        client = app.test_client()
        user_id = owner if role is Role.LEARNER else make_user(role, supervises=("LT-57",))
        login(client, app, user_id)
        token = csrf_token(client, "/account/profile")
        response = client.post(f"/certificates/{certificate.id}/revoke",
                               data={"reason": "no", "csrf_token": token})
        assert response.status_code == 403
    assert cert(app, certificate.id).revoked_at is None


def test_supervisors_see_only_their_municipalities(app, make_user, issue_certificate_to):
    vilnius = cert(app, issue_certificate_to(make_user(municipality="LT-57",
                   full_name="Ona Vilnietė")))
    kaunas = cert(app, issue_certificate_to(make_user(municipality="LT-15",
                  full_name="Jonas Kaunietis")))
    supervisor = app.test_client()
    login(supervisor, app, make_user(Role.SUPERVISOR, municipality="LT-57", supervises=("LT-57",)))
    html = supervisor.get("/supervision/certificates").get_data(as_text=True)
    assert "Ona Vilnietė" in html and "Jonas Kaunietis" not in html
    assert supervisor.get(f"/certificates/{vilnius.id}").status_code == 200
    assert supervisor.get(f"/certificates/{kaunas.id}").status_code == 404
    assert supervisor.get(f"/certificates/{kaunas.id}.pdf").status_code == 404


def test_expiring_command(app, runner, make_user, issue_certificate_to):
    certificate_id = issue_certificate_to(make_user())
    with app.app_context():
        db.session.get(Certificate, certificate_id).expires_on = date.today() + timedelta(days=10)
        db.session.commit()
        assert [c.id for c in expiring_within(30)] == [certificate_id]
        assert expiring_within(5) == []
    result = runner.invoke(args=["certificates", "expiring", "--days", "30"])
    assert result.exit_code == 0 and "1 certificate(s) expire within 30 days." in result.output


def test_verification_is_rate_limited(rate_limited_app):
    client = rate_limited_app.test_client()
    statuses = [client.get("/verify/unknown-code").status_code for _ in range(32)]
    assert statuses[:30] == [404] * 30 and statuses[30:] == [429, 429]


def test_a_learner_who_moves_is_seen_by_her_new_supervisor_only(app, make_user,
                                                                issue_certificate_to):
    learner = make_user(municipality="LT-57", full_name="Ona Keliautoja")
    certificate_id = issue_certificate_to(learner)
    with app.app_context():
        db.session.get(User, learner).municipality_code = "LT-15"
        db.session.commit()
    old, new = app.test_client(), app.test_client()
    login(old, app, make_user(Role.SUPERVISOR, municipality="LT-57", supervises=("LT-57",)))
    login(new, app, make_user(Role.SUPERVISOR, municipality="LT-15", supervises=("LT-15",)))
    assert old.get(f"/certificates/{certificate_id}").status_code == 404
    assert "Ona Keliautoja" not in old.get("/supervision/certificates").get_data(as_text=True)
    assert new.get(f"/certificates/{certificate_id}").status_code == 200
    assert "Ona Keliautoja" in new.get("/supervision/certificates").get_data(as_text=True)


def test_verification_shows_an_expired_certificate_as_expired(app, make_user, issue_certificate_to):
    certificate_id = issue_certificate_to(make_user())
    with app.app_context():
        db.session.get(Certificate, certificate_id).expires_on = date.today() - timedelta(days=2)
        db.session.commit()
    code = cert(app, certificate_id).code
    page = app.test_client().get(f"/verify/{code}", headers={"Accept-Language": "en"})
    assert page.status_code == 200
    assert "This certificate has expired." in page.get_data(as_text=True)
    lithuanian = app.test_client().get(f"/verify/{code}", headers={"Accept-Language": "lt"})
    assert "Šio pažymėjimo galiojimas baigėsi." in lithuanian.get_data(as_text=True)
