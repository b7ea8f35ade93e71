"""The learner's due dates as a calendar feed: a secret, revocable address that calendar
programs fetch without signing in, read back here with the icalendar library."""

from __future__ import annotations

import re
from datetime import timedelta

from icalendar import Calendar

from elearn.assignments.models import Assignment
from elearn.extensions import db
from elearn.i18n import today
from tests.web import csrf_token

PAGE = "/account/calendar"


def _address(client) -> str | None:
    html = client.get(PAGE).get_data(as_text=True)
    found = re.search(r'value="http://localhost(/calendar/[^"]+\.ics)"', html)
    return found.group(1) if found else None


def _turn_on(client, action: str = "renew"):
    return client.post(PAGE, data={"csrf_token": csrf_token(client, PAGE), "action": action})


def test_the_feed_lists_the_due_dates_of_unfinished_courses(app, client, two_courses,
                                                            make_user, login_as,
                                                            record_progress):
    me = login_as(locale="lt")
    other = make_user()
    with app.app_context():
        db.session.add_all([
            Assignment(user_id=me, course_id="alpha", due_on=today() + timedelta(days=5)),
            Assignment(user_id=me, course_id="beta", due_on=today() + timedelta(days=9)),
            Assignment(user_id=other, course_id="alpha", due_on=today() + timedelta(days=2)),
        ])
        db.session.commit()
    record_progress(me, "beta", "completed")
    assert _address(client) is None
    assert "calendar" in client.get("/account/profile").get_data(as_text=True)
    assert _turn_on(client).status_code == 302
    address = _address(client)
    assert address
    client.post("/account/logout", data={"csrf_token": csrf_token(client, PAGE)})
    response = client.get(address)  # no cookie: the calendar program
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    calendar = Calendar.from_ical(response.data)
    events = calendar.walk("VEVENT")
    assert [(e.decoded("dtstart"), str(e["summary"])) for e in events] == [
        (today() + timedelta(days=5), "Terminas: Course alpha [lt]")]  # in her language
    assert events[0].decoded("dtend") == today() + timedelta(days=6)
    assert "/learn/alpha" in str(events[0]["url"])


def test_a_new_address_or_none_revokes_the_old_one(app, client, two_courses, login_as):
    login_as()
    _turn_on(client)
    first = _address(client)
    assert client.get(first).status_code == 200
    _turn_on(client)
    second = _address(client)
    assert second != first
    assert client.get(first).status_code == 404
    assert client.get(second).status_code == 200
    _turn_on(client, "stop")
    assert _address(client) is None
    assert client.get(second).status_code == 404
    assert client.get("/calendar/guess.ics").status_code == 404
