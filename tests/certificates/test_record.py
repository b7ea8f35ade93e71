"""The training record: every certificate with its hours and dates, as a PDF in
Lithuanian or English, read back with pypdf."""

from __future__ import annotations

import io
from datetime import timedelta

from pypdf import PdfReader

from elearn.i18n import today
from tests.factories import insert_certificate, insert_course


def _text(data: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_the_record_lists_valid_and_expired_certificates_not_revoked_ones(app, client,
                                                                          login_as):
    me = login_as(full_name="Ona Žemaitytė")
    with app.app_context():
        for course_id in ("alpha", "beta", "gamma"):
            insert_course(course_id)
        insert_certificate(me, "alpha", today() + timedelta(days=300))
        insert_certificate(me, "beta", today() - timedelta(days=3))
        insert_certificate(me, "gamma", None, revoked=True)
    page = client.get("/certificates").get_data(as_text=True)
    assert 'href="/certificates/record-lt.pdf"' in page
    response = client.get("/certificates/record-lt.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.headers["Cache-Control"] == "private, no-store"
    text = _text(response.data)
    assert "Mokymų suvestinė" in text and "Ona Žemaitytė" in text
    assert "Course alpha" in text and "Course beta" in text and "Course gamma" not in text
    assert (today() + timedelta(days=300)).isoformat() in text
    assert "Galioja" in text and "Nebegalioja" in text
    assert "2 val." in text  # the valid certificates' training time
    english = _text(client.get("/certificates/record-en.pdf").data)
    assert "Training record" in english and "Valid until" in english
    assert client.get("/certificates/record-xx.pdf").status_code == 404


def test_a_record_without_certificates_says_so(client, login_as):
    login_as()
    assert "No certificates yet." in _text(client.get("/certificates/record-en.pdf").data)
