"""Checking a printed certificate: the code under the QR code, typed as a person
types it; serial numbers do not verify; revoked and expired PDFs say so."""

from __future__ import annotations

import io
import re
from datetime import date, timedelta

import pytest
from flask_migrate import upgrade
from pypdf import PdfReader
from sqlalchemy import text

from elearn import create_app
from elearn.auth.models import Role
from elearn.certificates import codes
from elearn.certificates.models import Certificate
from elearn.config import TestConfig
from elearn.extensions import db
from tests.web import csrf_token, login

NAME = "Žydrūnė Ąžuolaitė-Šarūnienė"


def certificate_row(app, certificate_id) -> Certificate:
    with app.app_context():
        certificate = db.session.get(Certificate, certificate_id)
        db.session.expunge(certificate)
        return certificate


def main_content(response) -> str:
    return response.get_data(as_text=True).split("<main", 1)[1].split("</main>", 1)[0]


def pdf_text(client, certificate_id) -> str:
    response = client.get(f"/certificates/{certificate_id}.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    return PdfReader(io.BytesIO(response.data)).pages[0].extract_text()


def test_codes_are_twelve_unambiguous_characters_printed_in_groups():
    code = codes.new_code()
    assert re.fullmatch(r"[2-9A-HJKMNP-TV-Z]{12}", code)
    assert not set("01ILOU") & set(code)
    assert codes.printed("7KQM3XHDR9TW") == "7KQM-3XHD-R9TW"
    for typed in ("7kqm-3xhd-r9tw", " 7KQM 3XHD R9TW ", "7kqm3xhdr9tw", "7KQM – 3XHD – R9TW"):
        assert codes.normalize(typed) == "7KQM3XHDR9TW"
    assert codes.looks_like_serial("LT-2026-000123") and codes.looks_like_serial("lt 2026 5")
    assert not codes.looks_like_serial("AB23-4567-8923")  # a code of that shape is a code
    for wrong in ("7KQM-3XHD-R9T", "7KQM-3XHD-R9TWX", "OKQM-3XHD-R9TW", "", "x" * 10_000):
        assert codes.normalize(wrong) is None


def test_the_printed_code_typed_in_lower_case_with_spaces_verifies(app, client, login_as,
                                                                  issue_certificate_to):
    owner = login_as(full_name=NAME)
    certificate_id = issue_certificate_to(owner)
    certificate = certificate_row(app, certificate_id)
    printed = codes.printed(certificate.verification_code)
    text_on_paper = pdf_text(client, certificate_id)
    assert printed in text_on_paper
    # The address is printed whole on one line, and it is the code's address.
    address = f"http://localhost/verify/{printed}"
    assert address in text_on_paper.splitlines()

    employer = app.test_client()
    employer.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    typed = " ".join(printed.replace("-", "").lower()[i:i + 4] for i in (0, 4, 8))
    response = employer.get("/verify", query_string={"code": typed})
    assert response.status_code == 302
    page = employer.get(response.headers["Location"])
    assert page.status_code == 200
    html = main_content(page)
    assert "This certificate is valid." in html and NAME in html
    # The QR code's address and a pasted address work too; so does the old long code.
    assert employer.get(f"/verify/{printed}").status_code == 200
    pasted = employer.get("/verify", query_string={"code": address})
    assert employer.get(pasted.headers["Location"]).status_code == 200
    assert employer.get(f"/verify/{certificate.code}").status_code == 200


def test_serial_numbers_do_not_verify_and_the_form_says_where_the_code_is(
        app, make_user, issue_certificate_to):
    certificate = certificate_row(app, issue_certificate_to(make_user()))
    employer = app.test_client()
    employer.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    form = employer.get("/verify")
    assert "printed under the QR code" in form.get_data(as_text=True)
    typed = employer.get("/verify", query_string={"code": certificate.serial.lower()})
    assert typed.status_code == 422
    assert "not its verification code" in typed.get_data(as_text=True)
    unknown = employer.get("/verify/nothing-here")
    assert unknown.status_code == 404
    direct = employer.get(f"/verify/{certificate.serial}")
    assert direct.status_code == 404 and main_content(direct) == main_content(unknown)


@pytest.mark.parametrize("code", ["AAAA-AAAA-AAAA", "aaaa aaaa aaaa", "2222", "Ž" * 12,
                                  "7KQM-3XHD-R9TW-7KQM", "a%2Fb", "-" * 80])
def test_any_unknown_code_gets_the_same_404(app, code):
    response = app.test_client().get(f"/verify/{code}")
    reference = app.test_client().get("/verify/nothing-here")
    assert response.status_code == 404
    assert main_content(response) == main_content(reference)


def test_the_verify_page_gives_the_course_title_in_the_verifiers_language(
        app, make_user, issue_certificate_to):
    certificate = certificate_row(app, issue_certificate_to(make_user(locale="en")))
    assert certificate.course_title == "A test course"
    lithuanian = app.test_client().get(f"/verify/{certificate.verification_code}",
                                       headers={"Accept-Language": "lt"})
    html = main_content(lithuanian)
    assert 'lang="lt">Bandomasis kursas' in html and "A test course" not in html
    english = app.test_client().get(f"/verify/{certificate.verification_code}",
                                    headers={"Accept-Language": "en"})
    assert 'lang="en">A test course' in main_content(english)


def test_a_revoked_certificates_pdf_is_marked_with_the_date_and_reason(app, make_user,
                                                                        issue_certificate_to):
    owner = make_user(full_name=NAME)
    certificate_id = issue_certificate_to(owner)
    admin = app.test_client()
    admin.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    login(admin, app, make_user(Role.ADMIN, municipality=None))
    token = csrf_token(admin, f"/certificates/{certificate_id}")
    assert admin.post(f"/certificates/{certificate_id}/revoke",
                      data={"reason": "Issued by mistake", "csrf_token": token}
                      ).status_code == 302
    learner = app.test_client()
    login(learner, app, owner)
    paper = pdf_text(learner, certificate_id)
    assert "REVOKED / PANAIKINTAS" in paper
    assert "Revoked on" in paper and "Reason: Issued by mistake" in paper
    assert NAME in paper  # still readable: the mark says what it is
    code = certificate_row(app, certificate_id).verification_code
    page = app.test_client().get(f"/verify/{code}", headers={"Accept-Language": "en"})
    assert "This certificate has been revoked." in page.get_data(as_text=True)


def test_an_expired_certificates_pdf_says_expired(app, client, login_as, issue_certificate_to):
    owner = login_as()
    certificate_id = issue_certificate_to(owner)
    expired_on = date.today() - timedelta(days=2)
    with app.app_context():
        db.session.get(Certificate, certificate_id).expires_on = expired_on
        db.session.commit()
    paper = pdf_text(client, certificate_id)
    assert "EXPIRED / NEBEGALIOJA" in paper
    assert "this certificate has expired" in paper
    assert "REVOKED" not in paper


def test_a_valid_certificates_pdf_has_no_mark(app, client, login_as, issue_certificate_to):
    paper = pdf_text(client, issue_certificate_to(login_as()))
    assert "REVOKED" not in paper and "EXPIRED" not in paper


def test_the_issuer_and_signatory_settings_are_printed(app, client, login_as,
                                                       issue_certificate_to, monkeypatch):
    monkeypatch.setitem(app.config, "CERTIFICATE_ISSUER_LT",
                        "Lietuvos Respublikos vidaus reikalų ministerija")
    monkeypatch.setitem(app.config, "CERTIFICATE_ISSUER_EN",
                        "Ministry of the Interior of the Republic of Lithuania")
    monkeypatch.setitem(app.config, "CERTIFICATE_SIGNATORY_NAME", "Vardenis Pavardenis")
    monkeypatch.setitem(app.config, "CERTIFICATE_SIGNATORY_TITLE_LT", "Viceministras")
    monkeypatch.setitem(app.config, "CERTIFICATE_SIGNATORY_TITLE_EN", "Vice-minister")
    english = pdf_text(client, issue_certificate_to(login_as(locale="en")))
    assert "Ministry of the Interior of the Republic of Lithuania" in english
    assert "Vardenis Pavardenis" in english and "Vice-minister" in english
    assert "elearn" not in english

    other = app.test_client()
    lithuanian_owner = issue_certificate_to(_lithuanian_learner(app, other))
    lithuanian = pdf_text(other, lithuanian_owner)
    assert "Lietuvos Respublikos vidaus reikalų ministerija" in lithuanian
    assert "Viceministras" in lithuanian


def _lithuanian_learner(app, client) -> int:
    from tests.factories import create_user

    with app.app_context():
        user_id = create_user(900, locale="lt")
    login(client, app, user_id)
    return user_id


def test_the_migration_gives_existing_certificates_a_code(tmp_path):
    class Config(TestConfig):
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path / 'old.sqlite'}"

    old = create_app(Config)
    with old.app_context():
        upgrade(revision="56de40804ed9")  # before verification codes
        with db.engine.begin() as conn:
            for n in range(1, 4):
                conn.execute(text(
                    "INSERT INTO certificate (id, serial, code, user_id, course_id, version_id, "
                    "full_name, course_title, lang, hours, content_hash, municipality_name, "
                    "issued_on, created_at) VALUES (:n, :serial, :code, 1, 'c', 1, 'Ona', 'C', "
                    "'lt', 2, 'h', '', '2026-01-01', '2026-01-01 00:00:00')"),
                    {"n": n, "serial": f"LT-2026-00000{n}", "code": f"old-code-{n}"})
        upgrade()
        with db.engine.connect() as conn:
            rows = conn.execute(text("SELECT code, verification_code FROM certificate")).all()
        db.engine.dispose()
    assert len(rows) == 3 and len({code for _, code in rows}) == 3
    assert all(codes.normalize(code) == code for _, code in rows)
    assert {old for old, _ in rows} == {"old-code-1", "old-code-2", "old-code-3"}
