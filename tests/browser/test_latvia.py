"""A Latvian deployment (ELEARN_COUNTRY=LV) in a real Chromium: a learner in Rīga takes the
course for Latvia to its certificate in Latvian, with the referral directory of her own
local government in the lesson; the national coordinator compares the 42 local
governments; every page passes axe-core's WCAG A and AA rules and reflows at 320 px."""

from __future__ import annotations

import io
import threading
from collections.abc import Iterator

import pytest
from pypdf import PdfReader
from sqlalchemy import select
from werkzeug.serving import WSGIRequestHandler, make_server

from elearn.auth.models import Role, User
from elearn.extensions import db
from tests.apps import make_app
from tests.browser.support import (
    ACCESSIBILITY,
    PROJECT_ROOT,
    AxeReport,
    LiveServer,
    PublishedCourse,
    needs_axe,
    sign_in,
)
from tests.browser.test_journeys import Learner

pytestmark = [pytest.mark.browser, needs_axe]

LV = "lv"
RIGA = "LV-RIX"
COURSE = "recognising-referring-latvia"
PHONE = {"width": 320, "height": 640}


class _QuietHandler(WSGIRequestHandler):
    def log_request(self, *args, **kwargs) -> None:
        pass


@pytest.fixture(scope="module")
def latvian_live(latvian_app, database_url) -> Iterator[LiveServer]:
    """A Latvian platform on the test database, served in a thread (Latvia's list of local
    governments is loaded by latvian_app)."""
    app = make_app(database_url, COUNTRY="LV", COURSES_DIR=str(PROJECT_ROOT / "courses"),
                   PUBLIC_URL="")
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=_QuietHandler)
    thread = threading.Thread(target=server.serve_forever, name="latvian-server", daemon=True)
    thread.start()
    try:
        yield LiveServer(app, f"http://127.0.0.1:{server.server_port}")
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()


@pytest.fixture
def latvian_page(browser, latvian_live) -> Iterator:
    context = browser.new_context(base_url=latvian_live.url, locale="lv-LV",
                                  accept_downloads=True, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def _publish(live: LiveServer) -> PublishedCourse:
    from elearn.publishing.models import Course
    from elearn.publishing.services import sync_courses

    with live.app.app_context():
        sync_courses(live.app.config["COURSES_DIR"])
        db.session.commit()
        course = db.session.get(Course, COURSE)
        version = course.live_version
        published = PublishedCourse(
            COURSE, version.id, version.title[LV],
            [(m.key, m.question_count > 0) for m in sorted(version.modules,
                                                            key=lambda m: m.position)])
        db.session.remove()
    return published


def _person(live: LiveServer, make_user, role=Role.LEARNER, **fields) -> tuple[int, str]:
    user_id = make_user(role, locale=LV, **fields)
    with live.app.app_context():
        email = db.session.get(User, user_id).email
        db.session.remove()
    return user_id, email


def _add_contacts(live: LiveServer) -> str:
    from elearn.directory.services import ContactData, save_contact

    organisation = "Rīgas sociālā dienesta krīzes centrs (piemērs)"
    with live.app.app_context():
        save_contact(RIGA, ContactData("social-services", "", "", {
            "organisation": {"lv": organisation, "en": "Crisis centre (example)"}}), None)
        db.session.commit()
        db.session.remove()
    return organisation


def test_a_learner_in_riga_takes_the_course_for_latvia_to_its_certificate(
        latvian_live, latvian_page, make_user):
    live, page = latvian_live, latvian_page
    course = _publish(live)
    organisation = _add_contacts(live)
    full_name = "Līga Ozoliņa-Bērziņa"
    user_id, email = _person(live, make_user, municipality=RIGA, full_name=full_name)
    report = AxeReport()

    walker = Learner(page, live, user_id, keyboard=False)
    walker.lang = LV
    walker.sign_in(email)
    assert page.evaluate("document.documentElement.lang") == LV
    report.check(page, "lv-home", LV)
    walker.follow(walker.link("Courses"))
    report.check(page, "lv-catalogue", LV)
    catalogue = page.locator("main").inner_text()
    assert course.title in catalogue
    # Lithuanian law is not taught on a Latvian platform.
    assert page.locator("main a[href='/learn/recognising-victims']").count() == 0
    walker.follow(page.get_by_role("link", name=course.title, exact=True))
    report.check(page, "lv-course", LV)

    # The lesson with the contacts block shows her own local government's directory.
    with_contacts = next(key for key, _ in course.modules
                         if organisation in _lesson_text(page, live, key))
    page.goto(live.path("learning.lesson", course_id=COURSE, module_key=with_contacts))
    report.check(page, "lv-lesson-contacts", LV)
    page.goto(live.path("learning.course", course_id=COURSE))

    walker.complete(course)
    walker.follow(walker.link("Your certificate"))
    report.check(page, "lv-certificate", LV)
    assert full_name in page.locator("main").inner_text()
    pdf, _ = walker.download(walker.link("Download PDF"))
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert full_name in text

    # The same pages fit a 320 px phone.
    page.set_viewport_size(PHONE)
    for path in ("/", live.path("learning.catalogue"),
                 live.path("learning.course", course_id=COURSE),
                 live.path("learning.lesson", course_id=COURSE, module_key=with_contacts)):
        page.goto(path)
        assert page.evaluate(
            "document.documentElement.scrollWidth <= window.innerWidth"), path
    ACCESSIBILITY.rows.extend(report.rows)
    _assert_no_violations(report)


def _lesson_text(page, live: LiveServer, key: str) -> str:
    page.goto(live.path("learning.lesson", course_id=COURSE, module_key=key))
    return page.locator("main").inner_text()


def test_the_national_coordinator_compares_the_42_local_governments(
        latvian_live, latvian_page, make_user):
    live, page = latvian_live, latvian_page
    _publish(live)
    _, email = _person(live, make_user, Role.ADMIN, municipality=None,
                       full_name="Ilze Kalniņa")
    _, supervisor = _person(live, make_user, Role.SUPERVISOR, municipality=RIGA,
                            supervises=(RIGA,), full_name="Dace Liepiņa")
    report = AxeReport()
    sign_in(page, live, email, LV)
    page.goto(live.path("national.overview"))
    report.check(page, "lv-national", LV)
    rows = page.locator("main a[href^='/supervision/LV-']")
    assert rows.count() >= 42
    codes = {href.rsplit("/", 1)[1].split("?")[0]
             for href in rows.evaluate_all("links => links.map(a => a.getAttribute('href'))")}
    assert len(codes) == 42 and "LV-102" not in codes

    other = page.context.browser.new_context(base_url=live.url, locale="lv-LV")
    team = other.new_page()
    sign_in(team, live, supervisor, LV)
    team.goto(live.path("supervision.municipality", code=RIGA))
    report.check(team, "lv-team-dashboard", LV)
    assert "Rīga" in team.locator("main h1").inner_text()
    other.close()
    with live.app.app_context():
        assert db.session.scalar(select(User.locale).where(User.email == supervisor)) == LV
        db.session.remove()
    ACCESSIBILITY.rows.extend(report.rows)
    _assert_no_violations(report)


def _assert_no_violations(report: AxeReport) -> None:
    broken = [f"{row.page}: {sorted(row.counts)}" for row in report.rows if row.violations]
    assert not broken, "\n".join(broken)
