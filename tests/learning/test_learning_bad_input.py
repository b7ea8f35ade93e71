"""Bad input: forged and foreign attempts, closed attempts, cool-downs, other courses, retired
courses."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from elearn.extensions import db
from elearn.learning.models import Attempt, CourseProgress, ModuleProgress
from elearn.types import utcnow
from tests.factories import retire_course
from tests.web import login, main_html, open_attempt, post, submit


def submitted_count(app) -> int:
    with app.app_context():
        return db.session.scalar(
            select(func.count()).select_from(Attempt).where(Attempt.submitted_at.is_not(None))
        )


@pytest.mark.parametrize("attempt", ["", "abc", "-1", "1.5", "0x10", "9" * 40, "\u00b2",
                                     "2147483648", "99999999999"])
def test_forged_attempt_ids_are_refused(app, client, login_as, published_course, attempt):
    published_course()
    login_as()
    drawn = open_attempt(app, client)
    response = submit(client, drawn, drawn.right, attempt_id=attempt)
    assert response.status_code == 400
    assert submitted_count(app) == 0


def test_unknown_attempt_id_is_not_found(app, client, login_as, published_course):
    published_course()
    login_as()
    drawn = open_attempt(app, client)
    assert submit(client, drawn, drawn.right, attempt_id=drawn.attempt_id + 1000).status_code == 404
    assert client.get("/learn/demo/signs/attempts/999999").status_code == 404
    assert client.get("/learn/demo/signs/attempts/abc").status_code == 404
    assert client.get("/learn/demo/signs/attempts/" + "9" * 30).status_code == 404
    assert submitted_count(app) == 0


@pytest.mark.parametrize("field,value", [
    ("q-7", "0"),  # a question the attempt does not have
    ("q-0", "9"),  # an option the question does not have
    ("q-0", "x"),
])
def test_forged_question_or_option_is_refused_and_nothing_stored(app, client, login_as,
                                                                 published_course, field, value):
    published_course()
    user_id = login_as()
    drawn = open_attempt(app, client)
    answers = dict(drawn.right)
    answers[field] = [value]
    assert submit(client, drawn, answers).status_code == 400
    assert submitted_count(app) == 0
    with app.app_context():
        assert db.session.get(ModuleProgress, (user_id, "demo", "signs")) is None


def test_two_answers_to_a_single_choice_question_is_forged(app, client, login_as, published_course):
    published_course()
    login_as()
    drawn = open_attempt(app, client)
    answers = dict(drawn.right)
    answers["q-0"] = ["0", "1"]
    assert submit(client, drawn, answers).status_code == 400
    assert submitted_count(app) == 0


def test_someone_elses_attempt_is_not_found(app, client, login_as, make_user, published_course):
    published_course()
    login_as()
    theirs = open_attempt(app, client)
    submit(client, theirs, theirs.right)
    other_client = app.test_client()
    login(other_client, app, make_user())
    mine = open_attempt(app, other_client)
    assert other_client.get(f"/learn/demo/signs/attempts/{theirs.attempt_id}").status_code == 404
    assert submit(other_client, mine, mine.right,
                  attempt_id=theirs.attempt_id).status_code == 404
    assert attempt_row_submitted(app, mine.attempt_id) is None


def attempt_row_submitted(app, attempt_id):
    with app.app_context():
        return db.session.get(Attempt, attempt_id).submitted_at


def test_attempt_of_another_module_or_course_is_not_found(app, client, login_as, published_course):
    published_course("demo")
    published_course("other")
    login_as()
    drawn = open_attempt(app, client)
    assert submit(client, drawn, drawn.right, course_id="other").status_code == 404
    assert submit(client, drawn, drawn.right, module_key="intro").status_code == 404
    assert client.get(f"/learn/other/signs/attempts/{drawn.attempt_id}").status_code == 404
    assert submitted_count(app) == 0


def test_answering_a_closed_attempt_changes_nothing(app, client, login_as, published_course):
    published_course()
    user_id = login_as()
    old = open_attempt(app, client)
    submit(client, old, old.wrong)
    new = open_attempt(app, client)
    response = submit(client, old, old.right)
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/attempts/{old.attempt_id}")
    with app.app_context():
        closed = db.session.get(Attempt, old.attempt_id)
        assert closed.passed is False
        assert db.session.get(Attempt, new.attempt_id).submitted_at is None
        assert db.session.get(ModuleProgress, (user_id, "demo", "signs")).attempt_count == 1


def fail_until_locked(app, client, times=3):
    for _ in range(times):
        drawn = open_attempt(app, client)
        submit(client, drawn, drawn.wrong)


def test_cool_down_after_the_last_failed_attempt(app, client, login_as, published_course):
    published_course(attempts=3)
    user_id = login_as()
    fail_until_locked(app, client)
    response = client.get("/learn/demo/signs/quiz")
    html = main_html(response)
    assert response.status_code == 200
    assert "You have used all 3 attempts. You can try again from" in html
    assert "(Lithuanian time)" in html and 'name="attempt"' not in html
    with app.app_context():
        ends = db.session.get(ModuleProgress, (user_id, "demo", "signs")).last_failed_at
        assert db.session.scalar(select(func.count()).select_from(Attempt)) == 3
    # the time shown is Vilnius time (UTC+2 in winter, +3 in summer)
    from zoneinfo import ZoneInfo

    local = (ends + timedelta(hours=24)).astimezone(ZoneInfo("Europe/Vilnius"))
    assert f"{local.day} {local:%B %Y, %H:%M}" in html  # the site's English date format
    assert "Locked until" in main_html(client.get("/learn/demo"))


def test_submitting_during_a_cool_down_is_refused(app, client, login_as, published_course):
    published_course(attempts=3)
    user_id = login_as()
    drawn = open_attempt(app, client)
    with app.app_context():  # e.g. failed three times in another tab meanwhile
        db.session.add(ModuleProgress(user_id=user_id, course_id="demo", module_key="signs",
                                      attempt_count=3, failed_streak=3,
                                      last_failed_at=utcnow()))
        db.session.commit()
    response = submit(client, drawn, drawn.right)
    assert response.status_code == 403
    assert "You can try again from" in main_html(response)
    assert submitted_count(app) == 0


def test_the_cool_down_ends_after_24_hours(app, client, login_as, published_course):
    published_course(attempts=2)
    user_id = login_as()
    fail_until_locked(app, client, times=2)
    with app.app_context():
        row = db.session.get(ModuleProgress, (user_id, "demo", "signs"))
        row.last_failed_at = utcnow() - timedelta(hours=24, seconds=1)
        db.session.commit()
    drawn = open_attempt(app, client)
    submit(client, drawn, drawn.wrong)
    with app.app_context():
        assert db.session.get(ModuleProgress, (user_id, "demo", "signs")).failed_streak == 1


def test_unlimited_attempts_never_lock(app, client, login_as, published_course):
    published_course(attempts=0)
    login_as()
    fail_until_locked(app, client, times=5)
    html = main_html(client.get("/learn/demo/signs/quiz"))
    assert "Start the quiz" in html and "as many times as you need" in html
    open_attempt(app, client)  # and a sixth attempt starts


def test_retired_course_keeps_history_and_says_so(app, client, login_as, published_course):
    published_course()
    user_id = login_as()
    post(client, "/learn/demo/intro/read")
    drawn = open_attempt(app, client)
    submit(client, drawn, drawn.wrong)
    retire_course(app, "demo")
    for path in ["/learn/demo", "/learn/demo/intro", "/learn/demo/signs/quiz"]:
        response = client.get(path)
        assert response.status_code == 410, path
        html = main_html(response)
        assert "This course is no longer offered" in html
        assert "1 of 3 modules done" in html
    assert post(client, "/learn/demo/next-steps/read").status_code == 410
    assert submit(client, drawn, drawn.right).status_code == 410
    result = client.get(f"/learn/demo/signs/attempts/{drawn.attempt_id}")
    assert result.status_code == 200 and "no longer offered" in main_html(result)
    assert "Course demo" not in main_html(client.get("/courses"))
    home = main_html(client.get("/"))
    assert "Courses no longer offered" in home and "Course demo [en]" in home
    with app.app_context():
        assert db.session.get(CourseProgress, (user_id, "demo")).modules_done == 1


def test_retired_course_completed_before_stays_on_home(app, client, login_as, published_course):
    published_course(modules=(("intro", False),))
    login_as()
    post(client, "/learn/demo/intro/read")
    retire_course(app, "demo")
    home = main_html(client.get("/"))
    completed = home.split("Completed courses", 1)[1]
    assert "Course demo [en]" in completed and "no longer offered" in completed
    assert "Your certificate" in completed


def test_posts_need_the_csrf_token(app, client, login_as, published_course):
    published_course()
    login_as()
    drawn = open_attempt(app, client)
    response = client.post("/learn/demo/signs/quiz",
                           data={"attempt": drawn.attempt_id, **drawn.right})
    assert response.status_code == 400
    assert client.post("/learn/demo/intro/read").status_code == 400
    assert submitted_count(app) == 0
