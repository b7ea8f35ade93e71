import hashlib
import re

import pytest
from sqlalchemy import event

from elearn.auth.models import Role
from elearn.extensions import db
from elearn.publishing.services import sync_courses


@pytest.fixture
def published(app, course_root):
    with app.app_context():
        sync_courses(course_root)
    return course_root


def test_media_is_served_with_a_sandbox_policy(client, login_as, published):
    login_as()
    response = client.get("/learn/test-course/media/flow.svg")
    assert response.status_code == 200
    assert response.mimetype == "image/svg+xml"
    assert "sandbox" in response.headers["Content-Security-Policy"]
    assert "script-src" not in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert b"<svg" in response.data
    etag = response.headers["ETag"]
    assert client.get("/learn/test-course/media/flow.svg",
                      headers={"If-None-Match": etag}).status_code == 304


@pytest.mark.parametrize("path", [
    "/learn/test-course/media/../course.yml",
    "/learn/test-course/media/..%2fcourse.yml",
    "/learn/test-course/media/%2e%2e/%2e%2e/etc/passwd",
    "/learn/test-course/media/missing.png",
    "/learn/other-course/media/flow.svg",
    "/learn/test-course/media/flow.svg%00.png",
])
def test_only_published_files_are_served(client, login_as, published, path):
    login_as()
    assert client.get(path).status_code == 404


def _versioned_url(app) -> str:
    """The media URL the lesson links to."""
    from elearn.publishing.models import Course

    with app.app_context():
        html = db.session.get(Course, "test-course").live_version.modules[0].html["en"]
    found = re.search(r'src="(media/flow\.svg\?v=[0-9a-f]+)"', html)
    assert found, html
    return "/learn/test-course/" + found.group(1)


def test_lessons_link_to_media_under_a_versioned_url_cached_for_a_year(app, client, login_as,
                                                                       published):
    login_as()
    url = _versioned_url(app)
    digest = hashlib.sha256((published / "test-course" / "media" / "flow.svg").read_bytes())
    assert url.endswith("?v=" + digest.hexdigest()[:16])
    response = client.get(url)
    assert response.status_code == 200 and b"<svg" in response.data
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert response.headers["ETag"] == f'"{digest.hexdigest()}"'  # strong
    # An old or made-up version is not promised to last.
    for stale in ("/learn/test-course/media/flow.svg", url[:-1] + "x"):
        assert client.get(stale).headers["Cache-Control"] == "private, max-age=3600"


def test_a_conditional_request_is_answered_without_reading_the_file(app, client, login_as,
                                                                    published):
    login_as()
    url = _versioned_url(app)
    etag = client.get(url).headers["ETag"]
    statements: list[str] = []

    def record(conn, cursor, statement, *args):
        statements.append(statement)

    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", record)
        try:
            response = client.get(url, headers={"If-None-Match": etag})
        finally:
            event.remove(db.engine, "before_cursor_execute", record)
    assert response.status_code == 304 and response.data == b""
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert any("media_file" in s for s in statements)
    assert not any("media_blob" in s for s in statements), statements


def test_preview_media_is_never_cached_publicly(app, client, login_as, published):
    from elearn.publishing.models import Course

    url = _versioned_url(app)
    with app.app_context():
        db.session.get(Course, "test-course").live_version.published = False
        db.session.commit()
    author = app.test_client()
    from tests.web import login

    login(author, app, _make(app, Role.AUTHOR))
    response = author.get(url)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "private, max-age=3600"


def test_media_needs_a_signed_in_user(client, published):
    assert client.get("/learn/test-course/media/flow.svg").status_code == 302


def test_unpublished_course_media_is_for_authors_only(app, client, login_as, published):
    from elearn.publishing.models import Course

    with app.app_context():
        db.session.get(Course, "test-course").live_version.published = False
        db.session.commit()
    login_as()
    assert client.get("/learn/test-course/media/flow.svg").status_code == 404
    author = app.test_client()
    from tests.web import login

    login(author, app, _make(app, Role.AUTHOR))
    assert author.get("/learn/test-course/media/flow.svg").status_code == 200


def _make(app, role):
    from elearn.auth import services as accounts

    with app.app_context():
        user = accounts.create_user(email="author@example.lt", full_name="Author", password=
                                    "correct horse battery staple", municipality_code=None)
        user.role = role.value
        db.session.commit()
        return user.id


def test_status_page_for_authors(app, client, login_as, published):
    login_as(Role.AUTHOR, municipality=None)
    html = client.get("/publishing").get_data(as_text=True)
    assert "test-course" in html and "A test course" in html
