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


@pytest.fixture
def shipped(app) -> list[str]:
    with app.app_context():
        report = sync_courses(PROJECT_ROOT / "courses")
        published = sorted(report.published + report.skipped)
    assert published, report.summary()
    return published


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
    user_id = make_user(locale=lang)
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
