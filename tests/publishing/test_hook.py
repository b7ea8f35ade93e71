"""The push hook, against a real git repository and real signatures."""

import hashlib
import hmac
import json

import pytest
from sqlalchemy import func, select

from elearn.extensions import db
from elearn.publishing.models import Course, CourseVersion
from tests.factories import commit_all, write_test_course

SECRET = "s3cret-shared-with-the-git-host"


@pytest.fixture
def hooked(app, git_courses, monkeypatch):
    origin, clone, first = git_courses
    monkeypatch.setitem(app.config, "COURSES_DIR", str(clone))
    monkeypatch.setitem(app.config, "COURSES_HOOK_SECRET", SECRET)
    return origin, clone, first


def github_headers(body: bytes, secret: str = SECRET, event: str = "push") -> dict:
    digest = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return {"X-Hub-Signature-256": f"sha256={digest}", "X-GitHub-Event": event,
            "Content-Type": "application/json"}


def versions(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(CourseVersion))


def test_github_push_pulls_and_publishes(app, client, hooked):
    origin, clone, first = hooked
    write_test_course(origin, body_note="From the hook.")
    second = commit_all(origin, "Edit pushed by an author")
    body = json.dumps({"ref": "refs/heads/main", "after": second}).encode()
    response = client.post("/hooks/courses", data=body, headers=github_headers(body))
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.json["published"] == ["test-course"]
    assert response.json["git_commit"] == second
    with app.app_context():
        version = db.session.get(Course, "test-course").live_version
        assert version.git_commit == second
        assert "From the hook." in version.modules[0].html["en"]


def test_gitlab_token_is_accepted(app, client, hooked):
    response = client.post("/hooks/courses", data=b"{}",
                           headers={"X-Gitlab-Token": SECRET, "X-Gitlab-Event": "Push Hook"})
    assert response.status_code == 200
    assert response.json["published"] == ["test-course"]


@pytest.mark.parametrize(
    ("headers", "status"),
    [
        ({}, 401),
        ({"X-Hub-Signature-256": "sha256=" + "0" * 64}, 403),
        ({"X-Hub-Signature-256": "not-even-hex"}, 403),
        ({"X-Gitlab-Token": "guess"}, 403),
    ],
)
def test_unsigned_or_badly_signed_requests_change_nothing(app, client, hooked, headers, status):
    response = client.post("/hooks/courses", data=b'{"ref": "x"}', headers=headers)
    assert response.status_code == status
    assert versions(app) == 0


def test_signature_over_another_body_is_refused(app, client, hooked):
    headers = github_headers(b'{"ref": "refs/heads/main"}')
    response = client.post("/hooks/courses", data=b'{"ref": "refs/heads/evil"}', headers=headers)
    assert response.status_code == 403
    assert versions(app) == 0


def test_signature_made_with_another_secret_is_refused(app, client, hooked):
    body = b"{}"
    response = client.post("/hooks/courses", data=body, headers=github_headers(body, "other"))
    assert response.status_code == 403
    assert versions(app) == 0


def test_ping_answers_without_publishing(app, client, hooked):
    body = b'{"zen": "Keep it simple."}'
    response = client.post("/hooks/courses", data=body, headers=github_headers(body, event="ping"))
    assert response.status_code == 200 and response.json == {"status": "pong"}
    assert versions(app) == 0


def test_hook_is_off_without_a_secret(app, client, hooked, monkeypatch):
    monkeypatch.setitem(app.config, "COURSES_HOOK_SECRET", "")
    body = b"{}"
    response = client.post("/hooks/courses", data=body, headers=github_headers(body, ""))
    assert response.status_code == 403
    assert versions(app) == 0
