"""Withdrawing assignments goes through a page that names everyone concerned, and can be
undone; a due date can be moved for one person or a whole batch; deleting a referral
contact is confirmed first."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from elearn.assignments.models import Assignment
from elearn.audit.models import AuditEntry
from elearn.directory.models import ReferralContact
from elearn.extensions import db
from elearn.i18n import today
from tests.web import csrf_token

LIST = "/supervision/LT-57/assignments"
WITHDRAW = "/supervision/LT-57/assignments/withdraw"


def _assignments(app) -> dict[int, tuple[int, object]]:
    """user id -> (assignment id, due date) of course alpha."""
    with app.app_context():
        return {a.user_id: (a.id, a.due_on) for a in db.session.scalars(
            select(Assignment).where(Assignment.course_id == "alpha"))}


def _assign(app, *user_ids: int, days: int = 30):
    with app.app_context():
        for user_id in user_ids:
            db.session.add(Assignment(user_id=user_id, course_id="alpha",
                                      due_on=today() + timedelta(days=days)))
        db.session.commit()
    return today() + timedelta(days=days)


def test_withdrawing_a_batch_is_confirmed_on_a_page_that_names_everyone(
        app, client, two_courses, make_user, signed_in_supervisor):
    a = make_user(full_name="Ona Petraitienė", workplace="Centras")
    b = make_user(full_name="Jonas Jonaitis")
    outsider = make_user(full_name="Kaunietė Kita", municipality="LT-15")
    due = _assign(app, a, b, outsider)
    listing = client.get(LIST).get_data(as_text=True)
    link = f'{WITHDRAW}?course=alpha&amp;due_on={due.isoformat()}'
    assert link in listing  # a link to the confirmation, not a one-click button
    page = client.get(f"{WITHDRAW}?course=alpha&due_on={due.isoformat()}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Withdraw 2 assignments?" in html
    assert "Ona Petraitienė" in html and "Jonas Jonaitis" in html and "Kaunietė" not in html
    assert len(_assignments(app)) == 3  # the page changed nothing
    token = csrf_token(client, f"{WITHDRAW}?course=alpha&due_on={due.isoformat()}")
    response = client.post(WITHDRAW, data={"csrf_token": token, "course": "alpha",
                                           "due_on": due.isoformat()})
    assert response.status_code == 302
    assert set(_assignments(app)) == {outsider}
    listing = client.get(LIST).get_data(as_text=True)
    assert "2 assignments withdrawn." in listing
    assert "You withdrew 2 assignments of “Course alpha [en]”." in listing


def test_a_withdrawal_is_undone_with_the_original_assignments(app, client, two_courses,
                                                              make_user, signed_in_supervisor):
    a, b = make_user(), make_user()
    due = _assign(app, a, b)
    before = _assignments(app)
    token = csrf_token(client, f"{WITHDRAW}?course=alpha&due_on={due.isoformat()}")
    client.post(WITHDRAW, data={"csrf_token": token, "course": "alpha",
                                "due_on": due.isoformat()})
    assert _assignments(app) == {}
    listing = client.get(LIST).get_data(as_text=True)
    batch = listing.split('name="batch" value="', 1)[1].split('"', 1)[0]
    response = client.post("/supervision/LT-57/assignments/undo",
                           data={"csrf_token": token, "batch": batch, "next": LIST})
    assert response.status_code == 302 and response.headers["Location"] == LIST
    after = _assignments(app)
    assert after == before  # the same ids: reminders already sent are not sent again
    assert "2 assignments restored." in client.get(LIST).get_data(as_text=True)
    with app.app_context():  # the undo is in the audit log, by her
        entry = db.session.scalar(select(AuditEntry).where(
            AuditEntry.action == "assignment.restored"))
        assert (entry.actor_id, entry.target_id, entry.municipality_code, entry.after) == (
            signed_in_supervisor, "alpha", "LT-57", {"count": 2})
    # Undone once: a second undo changes nothing.
    client.post("/supervision/LT-57/assignments/undo",
                data={"csrf_token": token, "batch": batch})
    assert "can no longer be undone" in client.get(LIST).get_data(as_text=True)
    assert _assignments(app) == after


def test_an_undo_keeps_an_assignment_made_since(app, client, two_courses, make_user,
                                                signed_in_supervisor):
    from elearn.assignments import withdrawals

    a, b = make_user(), make_user()
    due = _assign(app, a, b)
    with app.test_request_context():
        batch, _ = withdrawals.withdraw("LT-57", "alpha", due_on=due,
                                        by_user_id=signed_in_supervisor)
        db.session.commit()
    later = _assign(app, b, days=40)  # b was assigned the course again in the meantime
    with app.test_request_context():
        assert withdrawals.undo("LT-57", batch, signed_in_supervisor) == 1
        db.session.commit()
    after = _assignments(app)
    assert after[a][1] == due and after[b][1] == later


def test_another_supervisor_cannot_undo_or_withdraw_elsewhere(app, client, two_courses,
                                                              make_user, login_as):
    from elearn.assignments import withdrawals
    from elearn.auth.models import Role

    a = make_user()
    due = _assign(app, a)
    first = make_user(Role.SUPERVISOR, supervises=("LT-57",))
    with app.test_request_context():
        batch, count = withdrawals.withdraw("LT-57", "alpha", due_on=due, by_user_id=first)
        db.session.commit()
    assert count == 1
    login_as(Role.SUPERVISOR, supervises=("LT-57", "LT-15"))
    token = csrf_token(client, LIST)
    client.post("/supervision/LT-57/assignments/undo", data={"csrf_token": token,
                                                             "batch": batch})
    assert _assignments(app) == {}  # only the supervisor who withdrew can undo
    assert client.get(f"/supervision/LT-15/assignments/withdraw?course=alpha&due_on="
                      f"{due.isoformat()}").status_code == 404  # nobody there


def test_withdrawing_one_persons_assignment_is_confirmed(app, client, two_courses, make_user,
                                                         signed_in_supervisor):
    a, b = make_user(full_name="Ona Petraitienė"), make_user()
    _assign(app, a, b)
    url = f"/supervision/LT-57/learners/{a}/assignments/alpha/withdraw"
    learner_page = client.get(f"/supervision/LT-57/learners/{a}").get_data(as_text=True)
    assert f'href="{url}"' in learner_page
    html = client.get(url).get_data(as_text=True)
    assert "Withdraw the assignment?" in html and "Ona Petraitienė" in html
    response = client.post(url, data={"csrf_token": csrf_token(client, url)})
    assert response.status_code == 302
    assert set(_assignments(app)) == {b}
    assert client.get(url).status_code == 404  # nothing left to withdraw


def test_withdraw_and_cancel_are_different_words_in_lithuanian(app):
    from flask_babel import force_locale
    from flask_babel import gettext as _

    with app.test_request_context(), force_locale("lt"):
        assert _("Withdraw") != _("Cancel")
        assert _("Withdraw") == "Panaikinti"
        # The messages after a withdrawal use the same word, not "atšaukti" (cancel).
        assert _("The assignment has been withdrawn.") == "Paskyrimas panaikintas."
        from flask_babel import ngettext

        assert ngettext("%(num)d assignment withdrawn.", "%(num)d assignments withdrawn.",
                        2) == "Panaikinti 2 paskyrimai."


def test_the_due_date_of_one_person_or_of_a_batch_can_be_moved(app, client, two_courses,
                                                               make_user, signed_in_supervisor):
    a, b = make_user(full_name="Ona Petraitienė"), make_user()
    due = _assign(app, a, b)
    one = f"/supervision/LT-57/assignments/due-date?course=alpha&user={a}"
    html = client.get(one).get_data(as_text=True)
    assert "Ona Petraitienė" in html
    later = due + timedelta(days=14)
    response = client.post("/supervision/LT-57/assignments/due-date", data={
        "csrf_token": csrf_token(client, one), "course": "alpha", "user": a,
        "new_due_on": later.isoformat()})
    assert response.status_code == 302
    assert response.headers["Location"] == f"/supervision/LT-57/learners/{a}"
    rows = _assignments(app)
    assert rows[a][1] == later and rows[b][1] == due
    batch = f"/supervision/LT-57/assignments/due-date?course=alpha&due_on={due.isoformat()}"
    assert f'href="{batch.replace("&", "&amp;")}"' in client.get(
        "/supervision/LT-57/assignments").get_data(as_text=True)
    token = csrf_token(client, batch)
    url = "/supervision/LT-57/assignments/due-date"
    fields = {"csrf_token": token, "course": "alpha", "due_on": due.isoformat()}
    assert client.post(url, data=fields).status_code == 422  # the new date is missing
    yesterday = (today() - timedelta(days=1)).isoformat()
    assert client.post(url, data={**fields, "new_due_on": yesterday}).status_code == 422
    assert _assignments(app)[b][1] == due
    assert client.post(url, data={**fields, "new_due_on": later.isoformat()}).status_code == 302
    assert _assignments(app)[b][1] == later
    assert "The due date of 1 assignment is now" in client.get(LIST).get_data(as_text=True)


def test_a_referral_contact_is_deleted_after_a_confirmation_page(app, client,
                                                                signed_in_supervisor):
    with app.app_context():
        contact = ReferralContact(municipality_code="LT-57", role="police",
                                  organisation={"lt": "Vilniaus policija"}, address={},
                                  hours={}, notes={}, phone="112", email="")
        db.session.add(contact)
        db.session.commit()
        contact_id = contact.id
    url = f"/supervision/LT-57/contacts/{contact_id}/delete"
    assert f'href="{url}"' in client.get("/supervision/LT-57/contacts").get_data(as_text=True)
    html = client.get(url).get_data(as_text=True)
    assert "Delete the contact?" in html and "Vilniaus policija" in html and "112" in html

    def count():
        with app.app_context():
            return db.session.scalar(select(func.count()).select_from(ReferralContact))

    assert count() == 1
    assert client.post(url, data={"csrf_token": csrf_token(client, url)}).status_code == 302
    assert count() == 0
