"""Finding 7: GET requests changed state (a lesson view started the course, a quiz page
view started an attempt). Every page a signed-in person reads is recorded here, SQL
statement by statement, and none of them writes."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import event, select

from elearn.auth.models import Role
from elearn.certificates.models import Certificate
from elearn.extensions import db
from tests.web import csrf_token, open_attempt, post, submit

WRITES = re.compile(r"^\s*(INSERT|UPDATE|DELETE|REPLACE|UPSERT|MERGE)\b", re.IGNORECASE)
# Pages that are not a signed-in person's own: the hook, static files, the sign-in forms.
NOT_PAGES = {"static", "auth.accept_invitation", "auth.reset_password", "auth.login",
             "auth.register", "auth.reset_request", "main.healthz"}


@pytest.fixture
def writes(app):
    """The write statements sent to the database while recording."""
    seen: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        if WRITES.match(statement):
            seen.append(statement.split("\n", 1)[0])

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    yield seen
    event.remove(engine, "before_cursor_execute", record)


def _learner_with_history(app, client, login_as, published_course) -> dict[str, str]:
    version_id = published_course("demo")
    published_course("other")
    published_course("fresh")
    login_as()
    post(client, "/learn/demo/intro/read")
    drawn = open_attempt(app, client, "demo")
    submit(client, drawn, drawn.right)
    post(client, "/learn/demo/next-steps/read")  # demo completed, with a certificate
    open_attempt(app, client, "other")  # an attempt left open
    with app.app_context():
        certificate = db.session.scalar(select(Certificate.id))
    assert certificate is not None
    return {"course_id": "demo", "module_key": "signs", "attempt_id": str(drawn.attempt_id),
            "certificate_id": str(certificate), "code": "LT-57", "contact_id": "1",
            "user_id": "1", "path": "nothing.png", "token": "x", "version_id": str(version_id),
            "lang": "en"}


def _every_page(app, values: dict[str, str]) -> list[str]:
    pages = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint in NOT_PAGES:
            continue
        pages.append(re.sub(r"<(?:[^:>]+:)?([^>]+)>", lambda m: values[m.group(1)], rule.rule))
    return pages


def test_reading_any_page_writes_nothing(app, client, login_as, published_course, writes):
    values = _learner_with_history(app, client, login_as, published_course)
    pages = _every_page(app, values)
    pages += ["/learn/other/signs/quiz", "/learn/fresh", "/learn/fresh/intro",
              "/learn/fresh/signs/quiz", "/learn/demo/intro", "/learn/demo/next-steps",
              f"/certificates/{values['certificate_id']}.pdf", "/verify/unknown-code"]
    writes.clear()
    statuses = {}
    for path in pages:
        response = client.get(path)
        statuses[path] = response.status_code
        assert not writes, f"GET {path} wrote: {writes}"
    # The pages were really shown (supervisors' pages are refused to a learner).
    assert statuses["/learn/fresh/signs/quiz"] == statuses["/learn/demo/signs/quiz"] == 200
    assert statuses["/"] == statuses["/learn/fresh/intro"] == statuses["/certificates"] == 200
    assert statuses[f"/certificates/{values['certificate_id']}.pdf"] == 200
    assert statuses["/certificates/record-en.pdf"] == statuses["/account/calendar"] == 200
    assert "Start the quiz" in client.get("/learn/fresh/signs/quiz").get_data(as_text=True)
    assert not writes


def test_supervisors_pages_write_nothing_either(app, client, login_as, published_course, writes):
    published_course("demo")
    login_as(Role.ADMIN, municipality="LT-57")
    client.post("/national/refresh", data={"csrf_token": csrf_token(client, "/")})
    values = {"course_id": "demo", "module_key": "signs", "attempt_id": "1",
              "certificate_id": "1", "code": "LT-57", "contact_id": "1", "user_id": "1",
              "path": "x.png", "token": "x", "version_id": "1", "lang": "en"}
    writes.clear()
    for path in _every_page(app, values):
        client.get(path)
        assert not writes, f"GET {path} wrote: {writes}"
