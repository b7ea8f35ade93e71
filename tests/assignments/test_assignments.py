"""Assignments: to chosen people, a workplace or everyone, with a due date."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from elearn.assignments.models import Assignment
from elearn.extensions import db
from elearn.i18n import today
from tests.web import csrf_token

NEW = "/supervision/LT-57/assignments/new"


def _rows(app) -> dict[int, tuple[str, object]]:
    with app.app_context():
        return {a.user_id: (a.course_id, a.due_on)
                for a in db.session.scalars(select(Assignment))}


def _post(client, **fields):
    data = {"csrf_token": csrf_token(client, NEW), "course": "alpha",
            "due_on": (today() + timedelta(days=30)).isoformat(), **fields}
    return client.post(NEW, data=data)


def test_assign_to_the_whole_municipality(app, client, two_courses, make_user,
                                          signed_in_supervisor):
    a, b = make_user(), make_user(workplace="School")
    outsider = make_user(municipality="LT-15")
    response = _post(client, target="municipality")
    assert response.status_code == 302
    rows = _rows(app)
    assert set(rows) == {a, b} and outsider not in rows  # supervisors are not learners
    page = client.get("/supervision/LT-57/assignments").get_data(as_text=True)
    assert "Course alpha [en]" in page and "The course is assigned to 2 people." in page


def test_assign_to_a_workplace_only_its_people_today(app, client, two_courses, make_user,
                                                     signed_in_supervisor):
    a = make_user(workplace="School")
    make_user(workplace="Centre")
    assert _post(client, target="workplace", workplace="School").status_code == 302
    assert set(_rows(app)) == {a}
    later = make_user(workplace="School")  # joins afterwards: not assigned by surprise
    assert later not in _rows(app)


def test_assign_to_chosen_people(app, client, two_courses, make_user, signed_in_supervisor):
    a, b, _c = make_user(), make_user(), make_user()
    assert _post(client, target="learners", learners=[str(a), str(b)]).status_code == 302
    assert set(_rows(app)) == {a, b}


def test_assigning_again_moves_the_due_date(app, client, two_courses, make_user,
                                            signed_in_supervisor):
    a = make_user()
    _post(client, target="municipality")
    later = today() + timedelta(days=60)
    _post(client, target="learners", learners=[str(a)], due_on=later.isoformat())
    assert _rows(app) == {a: ("alpha", later)}


def test_the_due_date_may_not_be_in_the_past(app, client, two_courses, make_user,
                                             signed_in_supervisor):
    make_user()
    response = _post(client, target="municipality",
                     due_on=(today() - timedelta(days=1)).isoformat())
    assert response.status_code == 422
    assert "Choose today or a later date." in response.get_data(as_text=True)
    assert _rows(app) == {}


def test_missing_choices_are_errors(app, client, two_courses, make_user, signed_in_supervisor):
    make_user()
    html = _post(client, target="workplace").get_data(as_text=True)
    assert "Choose the workplace." in html
    html = _post(client, target="learners").get_data(as_text=True)
    assert "Tick at least one person." in html
    assert _post(client, target="municipality", course="").status_code == 422
    assert _post(client, target="workplace", workplace="Invented").status_code == 400
    assert _post(client, target="municipality", course="gamma").status_code == 422


def test_the_people_list_can_be_narrowed_to_a_workplace(client, two_courses, make_user,
                                                        signed_in_supervisor):
    make_user(full_name="School Teacher", workplace="School")
    make_user(full_name="Centre Worker", workplace="Centre")
    html = client.get(NEW + "?show=School").get_data(as_text=True)
    people = html.split('class="people')[1].split("</fieldset>")[0]
    assert "School Teacher" in people and "Centre Worker" not in people


def test_withdraw_a_group_and_one_assignment(app, client, two_courses, make_user,
                                             signed_in_supervisor):
    a, b = make_user(), make_user()
    _post(client, target="municipality")
    due = _rows(app)[a][1]
    token = csrf_token(client, f"/supervision/LT-57/learners/{a}")
    response = client.post(f"/supervision/LT-57/learners/{a}/assignments/alpha/withdraw",
                           data={"csrf_token": token})
    assert response.status_code == 302
    assert set(_rows(app)) == {b}
    client.post("/supervision/LT-57/assignments/withdraw",
                data={"csrf_token": token, "course": "alpha", "due_on": due.isoformat()})
    assert _rows(app) == {}


def test_withdraw_needs_csrf(app, client, two_courses, make_user, signed_in_supervisor):
    a = make_user()
    _post(client, target="municipality")
    response = client.post(f"/supervision/LT-57/learners/{a}/assignments/alpha/withdraw")
    assert response.status_code == 400
    assert set(_rows(app)) == {a}


def test_overdue_is_flagged_on_the_dashboard(app, client, two_courses, make_user,
                                             signed_in_supervisor):
    a = make_user(full_name="Late Learner")
    with app.app_context():
        db.session.add(Assignment(user_id=a, course_id="alpha",
                                  due_on=today() - timedelta(days=1)))
        db.session.commit()
    html = client.get("/supervision/LT-57").get_data(as_text=True)
    row = html.split("Late Learner")[1].split("</tr>")[0]
    assert '<strong class="overdue">Overdue</strong>' in row
