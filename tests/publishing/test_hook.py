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
    response = client.post("/hooks/courses", data=b"{}", content_type="application/json",
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


def test_a_form_body_is_checked_as_sent_not_as_parsed(app, client, hooked):
    """Finding 6: a form-encoded body signed as if it were empty was accepted."""
    body = b"ref=refs%2Fheads%2Fmain&after=evil"
    for signed in (b"", body):
        headers = dict(github_headers(signed), **{
            "Content-Type": "application/x-www-form-urlencoded"})
        response = client.post("/hooks/courses", data=body, headers=headers)
        assert response.status_code == (403 if signed == b"" else 415)
    assert versions(app) == 0


def test_only_json_pushes_are_accepted(app, client, hooked):
    body = b'{"ref": "refs/heads/main"}'
    for content_type in ("text/plain", "multipart/form-data; boundary=x", None):
        headers = {"X-Gitlab-Token": SECRET}
        if content_type:
            headers["Content-Type"] = content_type
        response = client.post("/hooks/courses", data=body, headers=headers)
        assert response.status_code == 415, content_type
    assert versions(app) == 0


def test_a_replayed_delivery_is_answered_without_syncing(app, client, hooked, database_url,
                                                         monkeypatch):
    """Finding 6: a delivery replayed was processed again."""
    from elearn.publishing import hook as views
    from tests.apps import make_app

    synced = []
    real_sync = views.sync_courses
    monkeypatch.setattr(views, "sync_courses",
                        lambda *args, **kwargs: synced.append(1) or real_sync(*args, **kwargs))
    body = b'{"ref": "refs/heads/main"}'
    headers = dict(github_headers(body), **{"X-GitHub-Delivery": "72d3162e-cc78-11e3-81ab"})
    first = client.post("/hooks/courses", data=body, headers=headers)
    assert first.status_code == 200 and first.json["published"] == ["test-course"]
    # Another worker (another app on the same database) gets the replay.
    other = make_app(database_url, COURSES_HOOK_SECRET=SECRET,
                     COURSES_DIR=app.config["COURSES_DIR"])
    again = other.test_client().post("/hooks/courses", data=body, headers=headers)
    assert again.status_code == 200 and again.json["status"] == "already processed"
    gitlab = {"X-Gitlab-Token": SECRET, "X-Gitlab-Event-UUID": "13792a34-cac6-4fda-95a8",
              "Content-Type": "application/json"}
    assert client.post("/hooks/courses", data=b"{}", headers=gitlab).json["status"] == "ok"
    replay = client.post("/hooks/courses", data=b"{}", headers=gitlab)
    assert replay.json["status"] == "already processed"
    assert len(synced) == 2


def test_deliveries_are_forgotten_after_a_day_and_when_the_sync_failed(app, client, hooked,
                                                                      monkeypatch):
    from datetime import timedelta

    from elearn.publishing import hook as views
    from elearn.publishing.models import HookDelivery
    from elearn.types import utcnow

    body = b'{"ref": "refs/heads/main"}'
    headers = dict(github_headers(body), **{"X-GitHub-Delivery": "a-day-old"})
    with app.app_context():
        db.session.add(HookDelivery(id="a-day-old", received_at=utcnow() - timedelta(hours=25)))
        db.session.commit()
    assert client.post("/hooks/courses", data=body, headers=headers).json["status"] == "ok"

    def failing(*args, **kwargs):
        import subprocess

        raise subprocess.CalledProcessError(1, ["git", "pull"], stderr="network down")

    headers["X-GitHub-Delivery"] = "will-fail"
    with monkeypatch.context() as patch:
        patch.setattr(views, "sync_courses", failing)
        assert client.post("/hooks/courses", data=body, headers=headers).status_code == 502
    assert client.post("/hooks/courses", data=body, headers=headers).json["status"] == "ok"
    with app.app_context():
        assert db.session.get(HookDelivery, "a-day-old").received_at > utcnow() - timedelta(
            minutes=5)
