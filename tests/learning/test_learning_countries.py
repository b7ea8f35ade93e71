"""course.yml's `countries`: a deployment's learners see only the courses for its country."""

from sqlalchemy import func, select

from elearn.auth.models import Role
from elearn.certificates.models import Certificate
from elearn.extensions import db
from elearn.learning.models import CourseProgress, Status
from tests.web import login, main_html, post


def _catalogue(client) -> str:
    return main_html(client.get("/courses"))


def test_a_lithuanian_deployment_shows_its_own_and_every_countrys_courses(client, login_as,
                                                                          published_course):
    published_course("lithuanian", countries=["LT"], order=1)
    published_course("everywhere", order=2)
    published_course("baltic", countries=["LV", "LT"], order=3)
    published_course("latvian", countries=["LV"], order=4)
    login_as()
    html = _catalogue(client)
    assert "Course lithuanian [en]" in html
    assert "Course everywhere [en]" in html
    assert "Course baltic [en]" in html
    assert "Course latvian" not in html
    assert "a course for" not in html


def test_a_course_for_another_country_is_not_found_by_its_address(client, login_as,
                                                                 published_course):
    published_course("latvian", countries=["LV"])
    login_as()
    assert client.get("/learn/latvian").status_code == 404
    assert client.get("/learn/latvian/intro").status_code == 404
    assert client.get("/learn/latvian/signs/quiz").status_code == 404
    assert post(client, "/learn/latvian/intro/read").status_code == 404


def test_authors_preview_another_countrys_course_marked_as_such(client, login_as, published_course):
    published_course("latvian", countries=["LV"])
    login_as(Role.AUTHOR)
    assert "Preview: a course for LV only" in _catalogue(client)
    page = client.get("/learn/latvian")
    assert page.status_code == 200
    assert "Preview: a course for LV only" in main_html(page)


def test_a_preview_of_another_countrys_course_never_completes_it(app, client, login_as,
                                                                 published_course):
    published_course("latvian", countries=["LV"], modules=(("intro", False), ("end", False)))
    admin = login_as(Role.ADMIN)
    for key in ("intro", "end"):
        assert post(client, f"/learn/latvian/{key}/read").status_code in (302, 303)
    with app.app_context():
        progress = db.session.get(CourseProgress, (admin, "latvian"))
        assert progress is not None and progress.status == Status.IN_PROGRESS
        assert db.session.scalar(select(func.count()).select_from(Certificate)) == 0


def test_a_latvian_deployment_shows_latvian_and_every_countrys_courses(latvian_app,
                                                                       published_course, make_user):
    published_course("lithuanian", countries=["LT"], order=1)
    published_course("everywhere", order=2)
    published_course("latvian", countries=["LV"], order=3)
    learner = make_user(municipality="LV-RIX")
    client = latvian_app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    assert login(client, latvian_app, learner).status_code == 302
    html = _catalogue(client)
    assert "Course latvian [en]" in html
    assert "Course everywhere [en]" in html
    assert "Course lithuanian" not in html
    assert client.get("/learn/latvian").status_code == 200
    assert client.get("/learn/lithuanian").status_code == 404
