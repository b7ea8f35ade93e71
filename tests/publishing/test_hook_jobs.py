"""The push hook with REDIS_URL set: answered at once, pulled and synced by a real RQ
worker, one sync per repository at a time; a failed sync shown to authors."""

from __future__ import annotations

import json
import subprocess
import uuid

import pytest
from sqlalchemy import select

from elearn import jobs
from elearn.auth.models import Role
from elearn.extensions import db
from elearn.publishing.models import Course
from tests.factories import commit_all, write_test_course
from tests.publishing.test_hook import SECRET, github_headers, versions
from tests.test_jobs import REDIS_URL, needs_redis

pytestmark = needs_redis


@pytest.fixture
def queued(app, git_courses, monkeypatch):
    """The hook's repositories, and the session's app with its jobs on a queue of their
    own on the test Redis."""
    origin, clone, first = git_courses
    monkeypatch.setitem(app.config, "COURSES_DIR", str(clone))
    monkeypatch.setitem(app.config, "COURSES_HOOK_SECRET", SECRET)
    queue = f"test-{uuid.uuid4().hex}"
    monkeypatch.setitem(app.config, "REDIS_URL", REDIS_URL)
    monkeypatch.setitem(app.config, "JOBS_QUEUE", queue)
    monkeypatch.setitem(app.config, "JOBS_RETRY_DELAYS", (0, 0))
    yield origin, clone, first
    with app.app_context():
        connection = jobs._redis()
        for key in connection.scan_iter(f"*{queue}*"):
            connection.delete(key)
    app.extensions.pop("elearn_jobs_redis", None)


def work(app) -> None:
    from rq import SimpleWorker

    with app.app_context():
        queue = jobs._queue()
        SimpleWorker([queue], connection=queue.connection).work(burst=True)


def push(client, origin, note: str):
    write_test_course(origin, body_note=note)
    commit = commit_all(origin, f"Edit: {note}")
    body = json.dumps({"ref": "refs/heads/main", "after": commit}).encode()
    return commit, client.post("/hooks/courses", data=body, headers=github_headers(body))


def test_a_push_is_answered_at_once_and_published_by_the_worker(app, client, queued):
    origin, _clone, _first = queued
    commit, response = push(client, origin, "From the queue.")
    assert response.status_code == 202, response.get_data(as_text=True)
    assert response.json["status"] == "queued"
    assert versions(app) == 0  # nothing pulled in the request
    work(app)
    with app.app_context():
        version = db.session.get(Course, "test-course").live_version
        assert version.git_commit == commit
        assert "From the queue." in version.modules[0].html["en"]


def test_pushes_while_a_sync_waits_queue_nothing_more(app, client, queued):
    origin, _clone, _first = queued
    _, first = push(client, origin, "First push.")
    last, second = push(client, origin, "Second push.")
    assert (first.status_code, second.status_code) == (202, 202)
    assert second.json["status"] == "already queued"
    with app.app_context():
        assert len(jobs._queue()) == 1
    work(app)
    with app.app_context():
        # The one sync pulled both pushes.
        assert db.session.scalars(select(Course)).one().live_version.git_commit == last


def test_a_failed_sync_is_shown_with_its_error_on_the_publishing_page(
        app, client, queued, login_as):
    origin, clone, _first = queued
    # The platform's clone lost its remote: every pull fails.
    subprocess.run(["git", "-C", str(clone), "remote", "remove", "origin"], check=True)
    _, response = push(client, origin, "Never arrives.")
    assert response.status_code == 202
    work(app)
    assert versions(app) == 0
    login_as(Role.AUTHOR)
    page = client.get("/publishing").get_data(as_text=True)
    assert "Syncs that failed" in page
    assert "RuntimeError: git pull failed: There is no tracking information" in page
