"""Two app servers, one platform: two gunicorn instances on two ports over one PostgreSQL
database and one Redis, as a country-wide deployment runs behind its load balancer.

A learner signs in on one and continues on the other; a quiz started on one is submitted
on both at the same moment and counted once; sign-in failures on both add up to one
delay; a course pushed through one is synced by a worker and served by both; an account
deactivated on one is signed out on the other.
"""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import func, select

from elearn.auth.models import Role
from elearn.extensions import db
from elearn.learning.models import Attempt, ModuleProgress
from elearn.publishing.models import Question
from tests.factories import PASSWORD, commit_all, insert_course, write_test_course
from tests.publishing.test_hook import SECRET, github_headers
from tests.test_jobs import REDIS_URL, needs_redis

ROOT = Path(__file__).resolve().parent.parent
SECRET_KEY = "two-servers-share-this-secret-key-" + "x" * 16

pytestmark = needs_redis


def server_app():
    """What each gunicorn instance (and the worker) serves: production settings from the
    environment the test gives them."""
    from elearn import create_app

    env = os.environ
    return create_app({
        "SECRET_KEY": env["SECRET_KEY"], "SQLALCHEMY_DATABASE_URI": env["DATABASE_URL"],
        "REDIS_URL": env["REDIS_URL"], "JOBS_QUEUE": env["ELEARN_TEST_QUEUE"],
        "RATELIMIT_KEY_PREFIX": env["ELEARN_TEST_QUEUE"], "PUBLIC_URL": "http://127.0.0.1",
        "COURSES_DIR": env["COURSES_DIR"], "COURSES_HOOK_SECRET": SECRET,
        "JOBS_RETRY_DELAYS": (0, 0),
    })


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_until_up(port: int, server: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise AssertionError(f"gunicorn on {port} stopped:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):  # noqa: S310
                return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"gunicorn on {port} did not start:\n{log.read_text()}")


@dataclass
class Platform:
    ports: tuple[int, int]
    env: dict[str, str]
    origin: Path

    def worker(self) -> None:
        """`flask jobs worker --burst`: a third process, sharing only the database and Redis."""
        done = subprocess.run(
            [sys.executable, "-m", "flask", "jobs", "worker", "--burst"], cwd=ROOT,
            env={**self.env, "FLASK_APP": "tests.test_two_servers:server_app"},
            capture_output=True, text=True, timeout=180)
        assert done.returncode == 0, done.stderr


@pytest.fixture
def platform(database_url, tmp_path):
    if not database_url.startswith("postgresql"):
        pytest.skip("two servers share a PostgreSQL database: run with TEST_DATABASE_URL "
                    "set to one (the CI's PostgreSQL run does)")
    origin = tmp_path / "origin"
    origin.mkdir()
    subprocess.run(["git", "init", "-q", "-b", "main", str(origin)], check=True)
    (origin / "README.md").write_text("Courses\n", encoding="utf-8")
    commit_all(origin, "An empty course repository")
    clone = tmp_path / "platform-courses"
    subprocess.run(["git", "clone", "-q", str(origin), str(clone)], check=True,
                   capture_output=True)
    queue = f"test-{uuid.uuid4().hex}"
    env = {**os.environ, "DATABASE_URL": database_url, "REDIS_URL": REDIS_URL,
           "SECRET_KEY": SECRET_KEY, "ELEARN_TEST_QUEUE": queue, "COURSES_DIR": str(clone),
           "PYTHONPATH": str(ROOT)}
    gunicorn = Path(sys.executable).parent / "gunicorn"
    servers, ports = [], []
    try:
        for n in range(2):
            port = _free_port()
            log = tmp_path / f"gunicorn-{n}.log"
            with log.open("w") as out:
                servers.append(subprocess.Popen(
                    [str(gunicorn), "--workers", "2", "--bind", f"127.0.0.1:{port}",
                     "--log-level", "warning", "tests.test_two_servers:server_app()"],
                    cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT))
            _wait_until_up(port, servers[-1], log)
            ports.append(port)
        yield Platform((ports[0], ports[1]), env, origin)
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
        import redis

        connection = redis.Redis.from_url(REDIS_URL)
        for key in connection.scan_iter(f"*{queue}*"):
            connection.delete(key)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@dataclass
class Answer:
    status: int
    headers: dict
    text: str


class Browser:
    """One person's browser: its cookies go to both servers (same host, other port), as
    they would to one address behind a load balancer."""

    def __init__(self) -> None:
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), _NoRedirect())

    def request(self, port: int, path: str, data: dict | bytes | None = None,
                headers: dict | None = None) -> Answer:
        body = (urllib.parse.urlencode(data, doseq=True).encode()
                if isinstance(data, dict) else data)
        request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=body,
                                         headers={"Accept-Language": "en", **(headers or {})})
        try:
            with self.opener.open(request, timeout=60) as response:
                return Answer(response.status, dict(response.headers),
                              response.read().decode("utf-8", "replace"))
        except urllib.error.HTTPError as error:
            return Answer(error.code, dict(error.headers), error.read().decode("utf-8", "replace"))

    def token(self, port: int, path: str) -> str:
        html = self.request(port, path).text
        match = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', html)
        assert match, f"no CSRF token on {path}"
        return match.group(1)

    def sign_in(self, port: int, email: str, password: str = PASSWORD) -> Answer:
        return self.request(port, "/account/login", {
            "email": email, "password": password,
            "csrf_token": self.token(port, "/account/login")})


def _email(app, user_id: int) -> str:
    from elearn.auth.models import User

    with app.app_context():
        return db.session.get(User, user_id).email


def _right_answers(app, attempt_id: int) -> dict[str, list[str]]:
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        answers = {}
        for index, item in enumerate(attempt.questions):
            correct = {o.id for o in db.session.get(Question, item["id"]).options if o.correct}
            answers[f"q-{index}"] = [str(p) for p, oid in enumerate(item["options"])
                                     if oid in correct]
        return answers


def test_two_servers_share_one_platform(app, make_user, platform):
    a, b = platform.ports
    learner = make_user(full_name="Ona Dviserverė")
    admin = make_user(Role.ADMIN, municipality=None)
    with app.app_context():
        insert_course("demo")

    # Signed in on one server, she continues on the other.
    ona = Browser()
    assert ona.sign_in(a, _email(app, learner)).status == 302
    page = ona.request(b, "/learn/demo")
    assert page.status == 200 and 'action="/account/logout"' in page.text  # signed in

    # A quiz started on one server, its answers sent to both at the same moment: counted once.
    started = ona.request(a, "/learn/demo/signs/quiz/start",
                          {"csrf_token": ona.token(b, "/courses")})
    assert started.status == 303
    quiz = ona.request(b, "/learn/demo/signs/quiz").text
    attempt_id = int(re.search(r'name="attempt" value="(\d+)"', quiz).group(1))
    form = {"csrf_token": ona.token(a, "/courses"), "attempt": str(attempt_id),
            **_right_answers(app, attempt_id)}
    answers: list[Answer] = []
    barrier = threading.Barrier(2)

    def send(port: int) -> None:
        barrier.wait()
        answers.append(ona.request(port, "/learn/demo/signs/quiz", form))

    threads = [threading.Thread(target=send, args=(port,)) for port in (a, b)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert sorted(answer.status for answer in answers) == [303, 303]
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Attempt).where(
            Attempt.user_id == learner, Attempt.submitted_at.is_not(None))) == 1
        progress = db.session.get(ModuleProgress, (learner, "demo", "signs"))
        assert progress.attempt_count == 1 and progress.completed_at is not None

    # Sign-in failures on both servers add up: two on each are four on the account.
    stranger = Browser()
    for port in (a, b, a, b):
        assert stranger.sign_in(port, _email(app, admin), "not the password at all").status == 422
    assert stranger.sign_in(a, _email(app, admin)).status == 429  # wait, even when right

    # A course pushed through one server: synced by the worker, served by both.
    assert ona.request(b, "/learn/test-course").status == 404
    write_test_course(platform.origin)
    commit = commit_all(platform.origin, "A new course")
    body = json.dumps({"ref": "refs/heads/main", "after": commit}).encode()
    assert Browser().request(a, "/hooks/courses", body, github_headers(body)).status == 202
    assert ona.request(b, "/learn/test-course").status == 404  # queued, not yet done
    platform.worker()
    assert ona.request(a, "/learn/test-course").status == 200
    assert ona.request(b, "/learn/test-course").status == 200

    # Deactivated by an admin on one server, she is signed out on the other.
    time.sleep(2)  # the delay the failures above earned has passed
    boss = Browser()
    assert boss.sign_in(b, _email(app, admin)).status == 302
    done = boss.request(a, f"/admin/users/{learner}/deactivate",
                        {"csrf_token": boss.token(a, f"/admin/users/{learner}")})
    assert done.status in (302, 303), done.text[:500]
    after = ona.request(b, "/learn/demo")
    assert after.status == 302 and "/account/login" in after.headers["Location"]
