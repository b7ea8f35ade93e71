"""The referral directory and the contacts placeholder in lessons."""

from __future__ import annotations

from sqlalchemy import event, select

from elearn.directory.lesson_block import render_contacts
from elearn.directory.models import ReferralContact
from elearn.extensions import db
from tests.web import csrf_token

LIST = "/supervision/LT-57/contacts"
NEW = "/supervision/LT-57/contacts/new"


def _add(app, code="LT-57", role="police", lt="Vilniaus policija", en=None, **fields) -> int:
    with app.app_context():
        contact = ReferralContact(
            municipality_code=code, role=role,
            organisation={"lt": lt, **({"en": en} if en else {})},
            address=fields.pop("address", {}), hours=fields.pop("hours", {}),
            notes=fields.pop("notes", {}), phone=fields.pop("phone", ""),
            email=fields.pop("email", ""),
        )
        db.session.add(contact)
        db.session.commit()
        return contact.id


def test_add_edit_and_delete_a_contact_in_both_languages(app, client, signed_in_supervisor):
    token = csrf_token(client, NEW)
    response = client.post(NEW, data={
        "csrf_token": token, "role": "ngo", "organisation_local": "Pagalbos centras (pavyzdys)",
        "organisation_en": "Help centre (example)", "phone": "+370 5 000 0000",
        "email": "Info@Example.LT", "hours_local": "I–V 8–17", "hours_en": "Mon–Fri 8–17",
        "address_local": "", "address_en": "", "notes_local": "", "notes_en": "",
    })
    assert response.status_code == 302
    with app.app_context():
        contact = db.session.scalar(select(ReferralContact))
        assert contact.organisation == {"lt": "Pagalbos centras (pavyzdys)",
                                        "en": "Help centre (example)"}
        assert contact.hours == {"lt": "I–V 8–17", "en": "Mon–Fri 8–17"}
        assert contact.address == {} and contact.email == "info@example.lt"
        assert contact.updated_by_id == signed_in_supervisor
        contact_id = contact.id
    assert "Pagalbos centras (pavyzdys)" in client.get(LIST).get_data(as_text=True)
    edit = f"/supervision/LT-57/contacts/{contact_id}/edit"
    assert 'value="Help centre (example)"' in client.get(edit).get_data(as_text=True)
    client.post(edit, data={"csrf_token": token, "role": "police",
                            "organisation_local": "Policija", "organisation_en": ""})
    with app.app_context():
        contact = db.session.get(ReferralContact, contact_id)
        assert contact.role == "police" and contact.organisation == {"lt": "Policija"}
    client.post(f"/supervision/LT-57/contacts/{contact_id}/delete",
                data={"csrf_token": token})
    with app.app_context():
        assert db.session.get(ReferralContact, contact_id) is None


def test_contact_form_errors(app, client, signed_in_supervisor):
    token = csrf_token(client, NEW)
    response = client.post(NEW, data={"csrf_token": token, "role": "aliens",
                                      "organisation_local": "", "phone": "call us",
                                      "email": "nope"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    for message in ("name in Lithuanian.",
                    "Enter a phone number with digits.", "Enter an e-mail address like"):
        assert message in html
    with app.app_context():
        assert db.session.scalar(select(ReferralContact)) is None


LESSON = ('<h2>Where to refer</h2><div data-contacts="police,ngo"></div>'
          '<p>Between</p><div data-contacts=""></div>')


def _count_queries(app):
    statements: list[str] = []

    def listener(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", listener)
    return statements, lambda: event.remove(db.engine, "before_cursor_execute", listener)


def test_placeholders_are_filled_from_one_query_and_escaped(app):
    _add(app, role="police", lt="Policija <script>alert(1)</script>", phone="+370 (5) 271 7777",
         email="p@example.lt")
    _add(app, role="health", lt="Poliklinika", notes={"lt": "Pastabos & kita"})
    _add(app, code="LT-15", role="police", lt="Kauno policija")
    with app.test_request_context():
        statements, stop = _count_queries(app)
        html = str(render_contacts(LESSON, "LT-57", "lt"))
        stop()
    assert len(statements) == 1
    first, second = html.split("<p>Between</p>")
    assert "Policija &lt;script&gt;alert(1)&lt;/script&gt;" in first
    assert "<script>" not in html
    assert 'href="tel:+3705271777' in first
    assert "Poliklinika" not in first  # the first block asks for police and ngo only
    assert "Poliklinika" in second and "Pastabos &amp; kita" in second  # empty: every role
    assert "Kauno policija" not in html
    assert "data-contacts" not in html


def test_an_empty_directory_says_so_and_whom_to_tell(app):
    with app.test_request_context():
        html = str(render_contacts(LESSON, "LT-57", "en"))
    assert "Vilniaus miesto savivaldybė has not filled in this part of its referral directory" \
        in html
    assert "tell your supervisor" in html


def test_a_learner_without_a_municipality_gets_a_notice_without_a_query(app):
    with app.test_request_context():
        statements, stop = _count_queries(app)
        html = str(render_contacts(LESSON, None, "en"))
        stop()
    assert statements == []
    assert "Choose your municipality in your profile" in html


def test_lessons_without_placeholders_cost_nothing(app):
    with app.test_request_context():
        statements, stop = _count_queries(app)
        assert str(render_contacts("<p>Text</p>", "LT-57", "lt")) == "<p>Text</p>"
        stop()
    assert statements == []


def test_english_falls_back_to_lithuanian_and_says_so(app):
    _add(app, role="police", lt="Policija", en=None, hours={"lt": "Visą parą",
                                                           "en": "Day and night"})
    with app.test_request_context():
        html = str(render_contacts('<div data-contacts="police"></div>', "LT-57", "en"))
    assert '<strong lang="lt">Policija</strong>' in html
    assert "<dd>Day and night</dd>" in html
    assert "Opening hours" in html


def test_unknown_roles_in_a_placeholder_mean_every_role(app):
    _add(app, role="other", lt="Kita tarnyba")
    with app.test_request_context():
        html = str(render_contacts('<div data-contacts="bogus"></div>', "LT-57", "lt"))
    assert "Kita tarnyba" in html
