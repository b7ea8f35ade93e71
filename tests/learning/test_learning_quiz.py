"""Quizzes: graded on the server, no hints before submission, recorded once, completion."""

import re

from sqlalchemy import func, select

from elearn.certificates.models import Certificate
from elearn.extensions import db
from elearn.learning.models import Attempt, CourseProgress, ModuleProgress
from elearn.learning.signals import course_completed
from elearn.publishing.models import Option
from tests.web import csrf_token, main_html, open_attempt, post, submit


def attempt_row(app, attempt_id) -> Attempt:
    with app.app_context():
        row = db.session.get(Attempt, attempt_id)
        db.session.expunge(row)
        return row


def test_quiz_page_gives_no_hint_of_the_right_answers(app, client, login_as, published_course):
    published_course()
    login_as()
    open_attempt(app, client)
    html = client.get("/learn/demo/signs/quiz").get_data(as_text=True)
    assert "Is this a sign?" in html and "Which are right?" in html
    for secret in ["FEEDBACK", "EXPLAIN", "correct", "data-"]:
        assert secret not in html, secret
    values = re.findall(r'name="(q-\d+)" value="([^"]+)"', html)
    assert values == [("q-0", "0"), ("q-0", "1"), ("q-1", "0"), ("q-1", "1"), ("q-1", "2")]
    form = main_html(client.get("/learn/demo/signs/quiz"))
    assert form.count("<fieldset") == 2 and form.count("<legend>") == 2
    assert 'type="radio"' in form and 'type="checkbox"' in form


def test_reload_shows_the_same_attempt(app, client, login_as, published_course):
    published_course()
    login_as()
    first = open_attempt(app, client)
    second = open_attempt(app, client)
    assert first.attempt_id == second.attempt_id
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Attempt)) == 1


def test_a_passed_quiz_shows_score_feedback_and_explanations(app, client, login_as,
                                                             published_course):
    published_course()
    user_id = login_as()
    drawn = open_attempt(app, client)
    response = submit(client, drawn, drawn.right)
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/learn/demo/signs/attempts/{drawn.attempt_id}")
    html = main_html(client.get(response.headers["Location"]))
    assert "You passed." in html
    assert "You answered 2 of 2 questions correctly (100%). You need 80% to pass." in html
    for feedback in ["YES", "NO", "A", "B", "C"]:  # every option's, chosen or not
        assert f"FEEDBACK-{feedback} [en]" in html
    assert "EXPLAIN-FIRST" in html and "EXPLAIN-SECOND" in html
    assert "Your answer" in html and "Correct answer" in html
    assert 'href="/learn/demo/next-steps">Go to the next module' in html.replace("\n", "")
    attempt = attempt_row(app, drawn.attempt_id)
    assert attempt.passed and attempt.score == 100 and attempt.is_open is None
    with app.app_context():
        module = db.session.get(ModuleProgress, (user_id, "demo", "signs"))
        assert module.completed_take == 1 and module.best_score == 100


def test_a_failed_quiz_says_how_many_attempts_are_left(app, client, login_as, published_course):
    published_course()
    login_as()
    drawn = open_attempt(app, client)
    location = submit(client, drawn, drawn.wrong).headers["Location"]
    html = main_html(client.get(location))
    assert "Not passed this time." in html and "(0%)" in html
    assert "You have 2 attempts left before a 24-hour break." in html
    assert "FEEDBACK-NO" in html or "FEEDBACK-C" in html
    assert "Try again" in html


def test_unanswered_question_is_an_error_and_nothing_is_stored(app, client, login_as,
                                                                published_course):
    published_course()
    user_id = login_as()
    drawn = open_attempt(app, client)
    response = submit(client, drawn, {"q-1": drawn.right["q-1"]})
    assert response.status_code == 422
    html = main_html(response)
    assert 'id="q-0-error"' in html and "Choose an answer." in html
    assert 'aria-describedby="q-0-error"' in html
    for position in drawn.right["q-1"]:  # her other answers are kept
        assert re.search(rf'id="q-1-{position}" name="q-1" value="{position}" checked', html)
    assert "FEEDBACK" not in html and "EXPLAIN" not in html
    assert attempt_row(app, drawn.attempt_id).submitted_at is None
    with app.app_context():
        assert db.session.get(ModuleProgress, (user_id, "demo", "signs")) is None


def test_double_submit_records_once(app, client, login_as, published_course):
    published_course()
    user_id = login_as()
    drawn = open_attempt(app, client)
    first = submit(client, drawn, drawn.wrong)
    again = submit(client, drawn, drawn.right)  # back button, answers changed, sent again
    assert first.status_code == again.status_code == 303
    assert first.headers["Location"] == again.headers["Location"]
    assert "counted once" in main_html(client.get(again.headers["Location"]))
    attempt = attempt_row(app, drawn.attempt_id)
    assert attempt.passed is False
    with app.app_context():
        module = db.session.get(ModuleProgress, (user_id, "demo", "signs"))
        assert module.attempt_count == 1 and module.failed_streak == 1


def test_a_new_attempt_after_submission_is_drawn_again(app, client, login_as, published_course):
    published_course()
    login_as()
    first = open_attempt(app, client)
    submit(client, first, first.wrong)
    second = open_attempt(app, client)
    assert second.attempt_id != first.attempt_id


def test_draw_limits_the_questions_of_an_attempt(app, client, login_as, published_course):
    published_course(draw=1)
    login_as()
    drawn = open_attempt(app, client)
    assert len(attempt_row(app, drawn.attempt_id).questions) == 1
    location = submit(client, drawn, drawn.right).headers["Location"]
    assert "You answered 1 of 1 questions correctly" in main_html(client.get(location))


def test_options_keep_the_authors_order_when_shuffle_is_off(app, client, login_as,
                                                           published_course):
    published_course(shuffle=False)
    login_as()
    for _ in range(3):
        drawn = open_attempt(app, client)
        with app.app_context():
            for item in attempt_row(app, drawn.attempt_id).questions:
                positions = [db.session.get(Option, oid).position for oid in item["options"]]
                assert positions == sorted(positions)
        submit(client, drawn, drawn.right)


def test_completing_every_module_completes_the_course_once(app, client, login_as,
                                                           published_course):
    version_id = published_course()
    user_id = login_as()
    received = []

    def receiver(sender, user, version, **extra):
        received.append((user.id, version.id))

    course_completed.connect(receiver)
    try:
        post(client, "/learn/demo/intro/read")
        drawn = open_attempt(app, client)
        submit(client, drawn, drawn.right)
        response = post(client, "/learn/demo/next-steps/read")
        assert response.headers["Location"].endswith("/learn/demo")
        html = main_html(client.get("/learn/demo"))
        assert "You completed this course on" in html and "Your certificate" in html
        post(client, "/learn/demo/next-steps/read")
        again = open_attempt(app, client)  # practice after completion changes nothing
        submit(client, again, again.right)
    finally:
        course_completed.disconnect(receiver)
    assert received == [(user_id, version_id)]
    with app.app_context():
        progress = db.session.get(CourseProgress, (user_id, "demo"))
        assert progress.status == "completed" and progress.completed_version_id == version_id
        assert progress.modules_done == 3 and progress.completed_at is not None
        certificates = db.session.scalars(select(Certificate)).all()
        assert [(c.user_id, c.version_id) for c in certificates] == [(user_id, version_id)]
    home = main_html(client.get("/"))
    assert "Completed courses" in home and "Your certificate" in home


def test_a_later_version_does_not_undo_a_completion(app, client, login_as, published_course):
    first = published_course(modules=(("intro", False),))
    user_id = login_as()
    post(client, "/learn/demo/intro/read")
    second = published_course(modules=(("intro", False), ("added-later", False)))
    html = main_html(client.get("/learn/demo"))
    assert "You completed this course on" in html
    assert re.search(r"Module added-later \[en\].*Not started", html, re.S)
    with app.app_context():
        progress = db.session.get(CourseProgress, (user_id, "demo"))
        assert progress.status == "completed" and progress.completed_version_id == first
    assert second != first


def test_progress_survives_republishing(app, client, login_as, published_course):
    published_course()
    login_as()
    post(client, "/learn/demo/intro/read")
    drawn = open_attempt(app, client)
    submit(client, drawn, drawn.right)
    published_course()  # a new version: new row ids for every module, question and option
    html = main_html(client.get("/learn/demo"))
    assert "2 of 3 modules done" in html
    # the old attempt still renders, against the version it was drawn from
    result = client.get(f"/learn/demo/signs/attempts/{drawn.attempt_id}")
    assert result.status_code == 200 and "You passed." in main_html(result)


def test_a_module_dropped_by_a_new_version_completes_the_course(app, client, login_as,
                                                                published_course):
    published_course(modules=(("intro", False), ("extra", False)))
    user_id = login_as()
    post(client, "/learn/demo/intro/read")
    published_course(modules=(("intro", False),))  # published: the course is complete at once
    with app.app_context():
        assert db.session.get(CourseProgress, (user_id, "demo")).status == "completed"
        assert db.session.scalar(select(func.count()).select_from(Certificate)) == 1


def test_previewing_an_unpublished_course_never_completes_it(app, client, login_as,
                                                             published_course):
    from elearn.auth.models import Role

    published_course(modules=(("intro", False),), published=False)
    user_id = login_as(Role.AUTHOR)
    post(client, "/learn/demo/intro/read")
    client.get("/learn/demo")
    with app.app_context():
        progress = db.session.get(CourseProgress, (user_id, "demo"))
        assert progress.status == "in_progress" and progress.modules_done == 1
        assert db.session.scalar(select(func.count()).select_from(Certificate)) == 0


def test_after_the_certificate_expires_the_course_can_be_taken_again(app, client, login_as,
                                                                     published_course):
    from datetime import date, timedelta

    published_course(modules=(("intro", False), ("signs", True)))
    user_id = login_as()
    post(client, "/learn/demo/intro/read")
    drawn = open_attempt(app, client)
    submit(client, drawn, drawn.right)
    assert "Take the course again" not in main_html(client.get("/learn/demo"))
    post(client, "/courses/demo/start-again")  # refused while the certificate is valid
    with app.app_context():
        assert db.session.get(CourseProgress, (user_id, "demo")).take == 1
        certificate = db.session.scalars(select(Certificate)).one()
        certificate.expires_on = date.today() - timedelta(days=1)
        db.session.commit()
    html = main_html(client.get("/learn/demo"))
    assert "Take the course again" in html
    response = post(client, "/courses/demo/start-again")
    assert response.status_code == 303
    html = main_html(client.get("/learn/demo"))
    assert "0 of 2 modules done" in html and "Start the course" not in html
    with app.app_context():
        progress = db.session.get(CourseProgress, (user_id, "demo"))
        assert (progress.take, progress.status, progress.modules_done) == (2, "in_progress", 0)
    post(client, "/learn/demo/intro/read")
    drawn = open_attempt(app, client)
    submit(client, drawn, drawn.right)
    with app.app_context():
        progress = db.session.get(CourseProgress, (user_id, "demo"))
        assert progress.status == "completed" and progress.take == 2
        assert db.session.scalar(select(func.count()).select_from(Certificate)) == 2


def test_a_quiz_starts_by_a_button_in_either_language(app, client, login_as, published_course):
    """Finding 7: opening the quiz page created an attempt. Now the page offers a
    button, a POST starts the attempt, and reloading shows the same questions."""
    published_course()
    login_as()
    for lang, button in (("lt", "Pradėti testą"), ("en", "Start the quiz")):
        client.post("/language", data={"lang": lang, "csrf_token": csrf_token(client, "/")})
        page = main_html(client.get("/learn/demo/signs/quiz"))
        form = page.split('action="/learn/demo/signs/quiz/start"', 1)[1].split("</form>", 1)[0]
        assert f'<button type="submit" class="button">{button}</button>' in form
        assert 'name="attempt"' not in page and "Is this a sign?" not in page
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Attempt)) == 0
    first = open_attempt(app, client)
    again = client.post("/learn/demo/signs/quiz/start", data={"csrf_token": csrf_token(
        client, "/courses")})
    assert again.status_code == 303 and again.headers["Location"].endswith("/learn/demo/signs/quiz")
    assert open_attempt(app, client).attempt_id == first.attempt_id  # one attempt, kept
    assert client.get("/learn/demo/signs/quiz/start").status_code == 405
