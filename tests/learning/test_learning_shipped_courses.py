"""End to end: the shipped courses/ published with sync_courses and taken to completion."""

import re

import pytest
from markupsafe import escape
from sqlalchemy import select

from elearn import PROJECT_ROOT
from elearn.certificates.models import Certificate
from elearn.extensions import db
from elearn.learning.models import CourseProgress
from elearn.publishing.models import Course, Module
from elearn.publishing.services import sync_courses
from tests.web import login, main_html, open_attempt, post


def offered(app) -> list[str]:
    """The shipped courses, published with the real sync, that the app's learners see."""
    with app.app_context():
        report = sync_courses(PROJECT_ROOT / "courses")
        published = sorted(report.published + report.skipped)
        assert published, report.summary()
        country = app.config["COUNTRY"]
        return [course_id for course_id in published
                if db.session.get(Course, course_id).live_version.offered_in(country)]


@pytest.fixture
def shipped(app) -> list[str]:
    return offered(app)


def module_keys(app, course_id: str) -> list[tuple[str, bool, str]]:
    with app.app_context():
        version_id = db.session.get(Course, course_id).live_version_id
        return [(m.key, m.has_quiz, m.title)
                for m in db.session.scalars(select(Module).where(Module.version_id == version_id)
                                            .order_by(Module.position))]


def translated(app, lang: str, message: str) -> str:
    """The interface text the learner sees in her language."""
    from flask_babel import force_locale, gettext

    with app.test_request_context(), force_locale(lang):
        return gettext(message)


@pytest.mark.parametrize("lang", ["lt", "en"])
def test_every_shipped_course_can_be_completed(app, make_user, shipped, lang):
    assert "recognising-victims" in shipped
    assert "recognising-referring-latvia" not in shipped  # a course for Latvia only
    complete_every_course(app, make_user(locale=lang), lang, shipped)


@pytest.mark.parametrize("lang", ["en"])
def test_every_shipped_latvian_course_can_be_completed_in_latvia(latvian_app, make_user, lang):
    shipped = offered(latvian_app)
    assert shipped == ["recognising-referring-latvia"]
    user_id = make_user(locale=lang, municipality="LV-RIX")
    complete_every_course(latvian_app, user_id, lang, shipped)


def complete_every_course(app, user_id: int, lang: str, shipped: list[str]) -> None:
    """Sign in, take every course of the catalogue to completion in the learner's language,
    and find a certificate for each."""
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = lang
    login(client, app, user_id)
    catalogue = main_html(client.get("/courses"))
    listed = re.findall(r'href="/learn/([a-z0-9-]+)"', catalogue)
    assert sorted(listed) == shipped
    for course_id in listed:
        course_page = main_html(client.get(f"/learn/{course_id}"))
        start_label = translated(app, lang, "Start the course")
        start = re.search(rf'href="/learn/{course_id}/([a-z0-9-]+)">{start_label}', course_page)
        assert start, course_id
        for key, has_quiz, title in module_keys(app, course_id):
            lesson = client.get(f"/learn/{course_id}/{key}")
            assert lesson.status_code == 200
            html = main_html(lesson)
            assert str(escape(title[lang])) in html, (course_id, key)
            assert 'lang="' not in html.split("<h1", 1)[1].split(">", 1)[0]  # not a fallback
            if has_quiz:
                drawn = open_attempt(app, client, course_id, key)
                response = post(client, f"/learn/{course_id}/{key}/quiz",
                                attempt=str(drawn.attempt_id), **drawn.right)
                assert response.status_code == 303, (course_id, key)
                result = main_html(client.get(response.headers["Location"]))
                assert translated(app, lang, "You passed.") in result
            else:
                assert post(client, f"/learn/{course_id}/{key}/read").status_code == 303
        completed = translated(app, lang, "You completed this course on %(date)s.")
        assert completed.split("%(date)s")[0] in main_html(client.get(f"/learn/{course_id}"))
    with app.app_context():
        statuses = db.session.scalars(
            select(CourseProgress.status).where(CourseProgress.user_id == user_id)
        ).all()
        assert statuses == ["completed"] * len(shipped)
        certificates = db.session.scalars(
            select(Certificate).where(Certificate.user_id == user_id)
        ).all()
        assert sorted(c.course_id for c in certificates) == shipped
        assert {c.lang for c in certificates} == {lang}
    home = main_html(client.get("/"))
    assert home.count(translated(app, lang, "Your certificate")) == len(shipped)


def test_shipped_lesson_media_resolves(app, client, login_as, shipped):
    login_as()
    checked = 0
    for course_id in shipped:
        for key, _quiz, _title in module_keys(app, course_id):
            html = main_html(client.get(f"/learn/{course_id}/{key}"))
            for source in re.findall(r'<img[^>]+src="(media/[^"]+)"', html):
                response = client.get(f"/learn/{course_id}/{source}")
                assert response.status_code == 200, (course_id, key, source)
                checked += 1
    assert checked > 0


def test_every_shipped_course_says_which_country_it_is_for():
    """The shipped courses teach one country's law and institutions: each is marked,
    and the Lithuanian ones are for Lithuanian deployments only."""
    from elearn.content import load_tree

    loaded = load_tree(PROJECT_ROOT / "courses")
    assert loaded
    for course_id, (course, problems) in loaded.items():
        assert course is not None, (course_id, [str(p) for p in problems])
        assert course.countries is not None, course_id
        if "lt" in course.languages:
            assert course.countries == ("LT",), course_id
        if "lv" in course.languages:
            assert course.countries == ("LV",), course_id
