"""Catalogue, course page, lessons and home: what the learner sees and what is saved."""

import re

from elearn.auth.models import Role
from elearn.extensions import db
from elearn.learning.models import CourseProgress, ModuleProgress
from tests.web import main_html, post


def progress_of(app, user_id, course_id="demo"):
    with app.app_context():
        row = db.session.get(CourseProgress, (user_id, course_id))
        if row is not None:
            db.session.expunge(row)
        return row


def test_catalogue_lists_published_courses_with_facts_and_progress(client, login_as,
                                                                   published_course):
    published_course("demo", order=2)
    published_course("first", order=1)
    published_course("hidden", published=False)
    login_as()
    html = main_html(client.get("/courses"))
    assert html.index("Course first [en]") < html.index("Course demo [en]")
    assert "Course hidden" not in html
    assert "3 modules" in html and "about 30 minutes" in html and "Training time: 2 hours" in html
    assert "Not started" in html


def test_authors_preview_unpublished_courses(client, login_as, published_course):
    published_course("hidden", published=False)
    login_as(Role.AUTHOR)
    assert "Preview: not published" in main_html(client.get("/courses"))
    assert client.get("/learn/hidden").status_code == 200


def test_learners_do_not_reach_unpublished_courses(client, login_as, published_course):
    published_course("hidden", published=False)
    login_as()
    assert client.get("/learn/hidden").status_code == 404
    assert client.get("/learn/hidden/intro").status_code == 404


def test_course_page_lists_modules_in_order_with_a_start_button(client, login_as, published_course):
    published_course()
    login_as()
    html = main_html(client.get("/learn/demo"))
    assert html.count("<h1") == 1
    titles = re.findall(r"Module ([a-z-]+) \[en\]", html)
    assert titles == ["intro", "signs", "next-steps"]
    assert 'href="/learn/demo/intro">Start the course' in html.replace("\n", "")


def test_lesson_shows_stored_html_and_changes_nothing(app, client, login_as, published_course):
    published_course()
    user_id = login_as()
    response = client.get("/learn/demo/signs")
    html = main_html(response)
    assert response.status_code == 200
    assert "LESSON-BODY signs" in html and "Module 2 of 3" in html
    assert 'rel="prev" href="/learn/demo/intro"' in html
    assert 'rel="next" href="/learn/demo/next-steps"' in html
    assert "Take the quiz" in html and "I have read this" not in html
    # Finding 7: opening a lesson is not starting the course (supervisors would see
    # "in progress"); confirming a module read or starting a quiz is.
    assert progress_of(app, user_id) is None


def test_reading_a_module_completes_it_and_goes_on(app, client, login_as, published_course):
    published_course()
    user_id = login_as()
    client.get("/learn/demo/intro")
    response = post(client, "/learn/demo/intro/read")
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/learn/demo/signs")
    progress = progress_of(app, user_id)
    assert progress.modules_done == 1 and progress.status == "in_progress"
    html = main_html(client.get("/learn/demo"))
    assert "1 of 3 modules done (33%)" in html
    assert re.search(r'<progress id="course-progress" max="3" value="1">', html)
    assert "Read" in html
    assert 'href="/learn/demo/signs">Continue' in html.replace("\n", "")


def test_reading_twice_counts_once(app, client, login_as, published_course):
    published_course()
    user_id = login_as()
    post(client, "/learn/demo/intro/read")
    post(client, "/learn/demo/intro/read")
    assert progress_of(app, user_id).modules_done == 1


def test_a_quiz_module_cannot_be_marked_read(client, login_as, published_course):
    published_course()
    login_as()
    assert post(client, "/learn/demo/signs/read").status_code == 404


def test_home_continues_where_the_learner_stopped(client, login_as, published_course):
    published_course()
    published_course("other")
    login_as()
    post(client, "/learn/other/intro/read")
    post(client, "/learn/demo/intro/read")
    html = main_html(client.get("/"))
    resume = html.split('id="resume-heading"', 1)[1].split("</section>", 1)[0]
    assert "Course demo [en]" in resume and "Module signs [en]" in resume
    assert 'href="/learn/demo/signs"' in resume
    assert "Courses in progress" in html and "Course other [en]" in html
    assert "<progress" in html


def test_home_without_progress_points_to_the_catalogue(client, login_as, published_course):
    published_course()
    login_as()
    html = main_html(client.get("/"))
    assert "You have not started a course yet" in html and 'href="/courses"' in html


def test_lithuanian_learner_reads_lithuanian_content(app, client, login_as, published_course):
    published_course()
    login_as()
    client.post("/language", data={"lang": "lt", "csrf_token": _token(client)})
    html = main_html(client.get("/learn/demo/intro"))
    assert "Module intro [lt]" in html and "LESSON-BODY" in html
    assert 'lang="lt"' not in html  # the page itself is Lithuanian: nothing to mark


def test_missing_language_falls_back_and_is_marked(client, login_as, published_course):
    published_course("lt-only", languages=("lt",))
    login_as()
    html = main_html(client.get("/learn/lt-only/intro"))
    assert "Module intro [lt]" in html
    assert re.search(r'<h1 id="lesson-heading" lang="lt">', html)
    assert re.search(r'<div class="lesson-body" lang="lt">', html)
    assert "This course is not available in English. It is shown in Lithuanian." in html
    catalogue = main_html(client.get("/courses"))
    assert 'lang="lt">Course lt-only [lt]' in catalogue


def test_media_is_not_a_module(app, client, login_as, published_course):
    published_course()
    login_as()
    assert client.get("/learn/demo/media").status_code == 404
    # /learn/<course>/media/<path> stays the publishing blueprint's, whatever the path
    urls = app.url_map.bind("localhost")
    for path in ["quiz", "read", "attempts/1", "flow.svg"]:
        assert urls.match(f"/learn/demo/media/{path}")[0] == "publishing.media"
    assert urls.match("/learn/demo/signs/quiz")[0] == "learning.quiz"


def test_unknown_course_and_module(client, login_as, published_course):
    published_course()
    login_as()
    assert client.get("/learn/nothing").status_code == 404
    assert client.get("/learn/demo/nothing").status_code == 404


def test_module_of_another_course_is_not_found(client, login_as, published_course):
    published_course("demo")
    published_course("other", modules=(("only-here", False),))
    login_as()
    assert client.get("/learn/demo/only-here").status_code == 404
    assert post(client, "/learn/demo/only-here/read").status_code == 404
    assert client.get("/learn/demo/only-here/quiz").status_code == 404


def test_pages_have_one_h1_and_headings_in_order(app, client, login_as, published_course):
    from tests.web import open_attempt, submit

    published_course()
    login_as()
    drawn = open_attempt(app, client)
    unanswered = main_html(submit(client, drawn, {}))
    result = submit(client, drawn, drawn.wrong).headers["Location"]
    pages = [main_html(client.get(path)) for path in [
        "/", "/courses", "/learn/demo", "/learn/demo/intro", "/learn/demo/signs/quiz", result]]
    for path, html in enumerate([*pages, unanswered]):
        levels = [int(level) for level in re.findall(r"<h([1-6])", html)]
        assert levels.count(1) == 1 and levels[0] == 1, path
        for before, after in zip(levels, levels[1:], strict=False):
            assert after <= before + 1, (path, levels)


def test_module_progress_is_keyed_on_module_key(app, client, login_as, published_course):
    published_course()
    user_id = login_as()
    post(client, "/learn/demo/intro/read")
    with app.app_context():
        row = db.session.get(ModuleProgress, (user_id, "demo", "intro"))
        assert row.completed_take == 1 and row.completed_at is not None


def _token(client):
    from tests.web import csrf_token

    return csrf_token(client, "/courses")


def test_a_contacts_block_shows_the_learners_municipality(app, client, login_as, published_course):
    from elearn.publishing.models import Module

    published_course()
    with app.app_context():
        for module in db.session.scalars(db.select(Module).where(Module.key == "intro")):
            module.html = {lang: html + '<div data-contacts="police"></div>'
                           for lang, html in module.html.items()}
        db.session.commit()
    login_as(municipality="LT-57")
    html = main_html(client.get("/learn/demo/intro"))
    assert "data-contacts" not in html
    assert "Vilniaus miesto savivaldybė has not filled in this part" in html


def test_assigned_courses_come_first_with_their_due_date(app, client, login_as, published_course):
    from datetime import date, timedelta

    from elearn.assignments.models import Assignment

    published_course("demo")
    published_course("late")
    published_course("done", modules=(("intro", False),))
    user_id = login_as()
    with app.app_context():
        for course_id, days in (("demo", 10), ("late", -2), ("done", 5)):
            db.session.add(Assignment(user_id=user_id, course_id=course_id,
                                      due_on=date.today() + timedelta(days=days)))
        db.session.commit()
    post(client, "/learn/done/intro/read")
    post(client, "/learn/demo/intro/read")
    html = main_html(client.get("/"))
    assigned = html.split('id="assigned-heading"', 1)[1].split("</section>", 1)[0]
    assert assigned.index("Course late [en]") < assigned.index("Course demo [en]")
    assert "Overdue: it was due on" in assigned and "Complete it by" in assigned
    assert "Course done" not in assigned  # completed: listed with the completed courses
    assert "Courses in progress" not in html  # demo is listed once, with its due date
    assert "Your next step" in html


def _assign(app, user_id, **due_in_days):
    from datetime import timedelta

    from elearn.assignments.models import Assignment
    from elearn.i18n import today

    with app.app_context():
        for course_id, days in due_in_days.items():
            db.session.add(Assignment(user_id=user_id, course_id=course_id,
                                      due_on=today() + timedelta(days=days)))
        db.session.commit()


def _next_step(client) -> str:
    return main_html(client.get("/")).split('id="resume-heading"', 1)[1].split("</section>")[0]


def test_the_next_step_is_the_overdue_course_before_the_one_touched_last(app, client, login_as,
                                                                          published_course):
    published_course("late")
    published_course("soon")
    published_course("mine")
    user_id = login_as()
    _assign(app, user_id, soon=3, late=-2)
    post(client, "/learn/late/intro/read")
    post(client, "/learn/mine/intro/read")  # done last, but nobody is waiting for it
    step = _next_step(client)
    assert "Course late [en]" in step and "Overdue: it was due on" in step
    assert 'href="/learn/late/signs"' in step  # where she goes on in it


def test_the_next_step_is_the_nearest_due_date_even_before_it_is_started(app, client, login_as,
                                                                          published_course):
    published_course("later")
    published_course("soon")
    published_course("mine")
    user_id = login_as()
    _assign(app, user_id, later=30, soon=3)
    post(client, "/learn/mine/intro/read")
    step = _next_step(client)
    assert "Course soon [en]" in step and "Complete it by" in step
    assert "Start the course" in step and 'href="/learn/soon"' in step


def test_without_due_dates_the_next_step_is_the_course_touched_last(app, client, login_as,
                                                                     published_course):
    published_course("first")
    published_course("mine")
    login_as()
    post(client, "/learn/first/intro/read")
    post(client, "/learn/mine/intro/read")
    step = _next_step(client)
    assert "Course mine [en]" in step and "Course first" not in step


def test_the_last_module_leads_straight_to_the_new_certificate(app, client, login_as,
                                                                published_course):
    from elearn.certificates.models import Certificate

    published_course("short", modules=(("intro", False),))
    user_id = login_as()
    response = post(client, "/learn/short/intro/read")
    html = main_html(client.get(response.headers["Location"]))
    with app.app_context():
        certificate_id = db.session.scalar(
            db.select(Certificate.id).where(Certificate.user_id == user_id))
    flash = html.split('class="flashes"', 1)[1].split("</div>", 1)[0]
    assert "Your certificate is ready." in flash
    assert f'<a href="/certificates/{certificate_id}">Open your certificate</a>' in flash
