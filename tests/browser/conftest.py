"""Browser fixtures: the app served by a real server in a thread, one headless
Chromium per test session and a fresh browser context per test.

The live server uses the test session's database (an SQLite file, or
TEST_DATABASE_URL), whose schema the `app` fixture builds with drop_everything
and the real migrations; the shipped courses/ are published into it for each test
that needs them, because every table but the municipality list is emptied after
each test.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from sqlalchemy import select
from werkzeug.serving import WSGIRequestHandler, make_server

from elearn.auth.models import Role, User
from elearn.extensions import db
from tests.apps import make_app
from tests.browser.support import (
    ACCESSIBILITY,
    BROWSER_MISSING,
    CHROMIUM,
    LAUNCH_ARGS,
    PROJECT_ROOT,
    LiveServer,
    PublishedCourse,
)


def pytest_terminal_summary(terminalreporter) -> None:
    if ACCESSIBILITY.rows:
        terminalreporter.write_sep("=", "axe-core: WCAG 2.0/2.1 A and AA violations per page")
        terminalreporter.write_line(ACCESSIBILITY.table())


class _QuietHandler(WSGIRequestHandler):
    def log_request(self, *args, **kwargs) -> None:  # no access log in the test output
        pass


@pytest.fixture(scope="session")
def live_server(app, database_url) -> Iterator[LiveServer]:
    """The app on 127.0.0.1 with a free port, served by werkzeug in a thread."""
    live_app = make_app(
        database_url,
        COURSES_DIR=str(PROJECT_ROOT / "courses"),
        PUBLIC_URL="",  # certificate links point at this server
        # A Lithuanian platform that offers all three interface languages, so that every
        # page is checked in Latvian too (a Latvian deployment: tests/browser/test_latvia.py).
        LANGUAGES="lt,lv,en",
    )
    server = make_server("127.0.0.1", 0, live_app, threaded=True, request_handler=_QuietHandler)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield LiveServer(live_app, f"http://127.0.0.1:{server.server_port}")
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()
        with live_app.app_context():
            db.engine.dispose()


@pytest.fixture(scope="session")
def browser() -> Iterator:
    if BROWSER_MISSING:  # only reached with ELEARN_BROWSER_TESTS=required
        pytest.fail(BROWSER_MISSING)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=LAUNCH_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def new_page(browser, live_server) -> Iterator:
    """Open a page in a fresh context (own cookies): new_page(lang="lt")."""
    contexts = []
    problems: list[str] = []

    def open_page(lang: str = "lt"):
        context = browser.new_context(
            base_url=live_server.url,
            locale={"lt": "lt-LT", "lv": "lv-LV"}.get(lang, "en-GB"),
            accept_downloads=True,
            viewport={"width": 1280, "height": 900},
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda error: problems.append(f"JavaScript error: {error}"))
        page.on("console", lambda msg: problems.append(msg.text)
                if "Content Security Policy" in msg.text else None)
        return page

    yield open_page
    for context in contexts:
        context.close()
    assert not problems, "the pages broke their own Content-Security-Policy:\n" + "\n".join(
        problems)


@pytest.fixture
def page(new_page):
    return new_page("lt")


@pytest.fixture
def shipped_courses(live_server) -> list[PublishedCourse]:
    """Publish the shipped courses/ with the real sync; skip when none is valid."""
    from elearn.publishing.models import Course
    from elearn.publishing.services import sync_courses

    with live_server.app.app_context():
        report = sync_courses(live_server.app.config["COURSES_DIR"])
        db.session.commit()
        courses = []
        for course in db.session.scalars(select(Course).order_by(Course.id)):
            version = course.live_version
            country = live_server.app.config["COUNTRY"]
            if version is None or not version.offered_in(country) or course.retired_at:
                continue
            modules = [(m.key, m.question_count > 0)
                       for m in sorted(version.modules, key=lambda m: m.position)]
            courses.append(PublishedCourse(course.id, version.id,
                                           version.title.get("lt") or course.id, modules))
        db.session.remove()
    if not courses:
        pytest.skip(f"no shipped course could be published: {report.refused}")
    return courses


@pytest.fixture
def learner(make_user, live_server):
    """A learner with a Lithuanian name and municipality; returns (id, email, full name)."""

    def create(lang: str = "lt", role: Role = Role.LEARNER, **fields) -> tuple[int, str, str]:
        full_name = fields.pop("full_name", "Ona Žemaitytė-Šimkienė")
        user_id = make_user(role, locale=lang, full_name=full_name, **fields)
        with live_server.app.app_context():
            email = db.session.get(User, user_id).email
        return user_id, email, full_name

    return create
