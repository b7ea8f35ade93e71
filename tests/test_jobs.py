"""Background jobs: inline without Redis; on a real RQ worker with it."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from sqlalchemy import select

from elearn import jobs
from elearn.auth.models import User
from elearn.extensions import db
from tests.apps import make_app

ROOT = Path(__file__).resolve().parent.parent
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
CALLS: list[tuple] = []


def _redis_up() -> bool:
    host, port = REDIS_URL.split("//", 1)[1].split("/", 1)[0].split(":")
    try:
        socket.create_connection((host, int(port)), timeout=0.5).close()
    except OSError:
        return False
    return True


needs_redis = pytest.mark.skipif(
    not _redis_up() and os.environ.get("ELEARN_REDIS_TESTS") != "required",
    reason=f"no Redis at {REDIS_URL} (CI starts one and sets ELEARN_REDIS_TESTS=required)",
)


# Job functions, named by path as the features name theirs.
def record(*args) -> str:
    CALLS.append(args)
    return "done"


def rename_first_user(name: str) -> None:
    user = db.session.scalars(select(User).order_by(User.id)).first()
    user.full_name = name


def fail_after_a_write(name: str) -> None:
    rename_first_user(name)
    raise RuntimeError("the git host is unreachable")


@pytest.fixture
def queued_app(database_url):
    """An app whose jobs go to a queue of its own on the test Redis."""
    app = make_app(database_url, REDIS_URL=REDIS_URL, JOBS_QUEUE=f"test-{uuid.uuid4().hex}",
                   JOBS_RETRY_DELAYS=(0, 0))
    yield app
    with app.app_context():
        jobs._queue().empty()
        connection = jobs._redis()
        for key in connection.scan_iter(f"*{app.config['JOBS_QUEUE']}*"):
            connection.delete(key)


def _work(app) -> None:
    from rq import SimpleWorker

    with app.app_context():
        queue = jobs._queue()
        SimpleWorker([queue], connection=queue.connection).work(burst=True)


def test_without_redis_a_job_runs_at_once_in_its_own_transaction(app_ctx, make_user):
    user_id = make_user(full_name="Ona")
    assert jobs.enqueue(f"{__name__}:rename_first_user", "Ona Onaitė") is None
    db.session.remove()
    assert db.session.get(User, user_id).full_name == "Ona Onaitė"


def test_without_redis_a_failing_job_stores_nothing(app_ctx, make_user):
    user_id = make_user(full_name="Ona")
    with pytest.raises(RuntimeError):
        jobs.enqueue(f"{__name__}:fail_after_a_write", "Changed")
    db.session.remove()
    assert db.session.get(User, user_id).full_name == "Ona"


@needs_redis
def test_a_queued_job_waits_for_the_worker_then_commits(queued_app, make_user):
    user_id = make_user(full_name="Ona")
    with queued_app.app_context():
        job_id = jobs.enqueue(f"{__name__}:rename_first_user", "Ona Onaitė")
        assert job_id
        assert db.session.get(User, user_id).full_name == "Ona"  # nothing ran yet
        db.session.remove()
    _work(queued_app)
    with queued_app.app_context():
        assert db.session.get(User, user_id).full_name == "Ona Onaitė"


@needs_redis
def test_one_more_run_per_key_while_one_waits(queued_app):
    CALLS.clear()
    with queued_app.app_context():
        first = jobs.enqueue(f"{__name__}:record", "push 1", key="repo")
        assert first
        # Pushes while the first sync still waits add nothing: it will see their commits.
        assert jobs.enqueue(f"{__name__}:record", "push 2", key="repo") is None
        assert jobs.enqueue(f"{__name__}:record", "push 3", key="repo") is None
        # Another repository is another key.
        assert jobs.enqueue(f"{__name__}:record", "other", key="other-repo")
        assert len(jobs._queue()) == 2
    _work(queued_app)
    assert sorted(CALLS) == [("other",), ("push 1",)]
    with queued_app.app_context():
        # Once a run has started, the next push queues exactly one more.
        assert jobs.enqueue(f"{__name__}:record", "push 4", key="repo")
        assert jobs.enqueue(f"{__name__}:record", "push 5", key="repo") is None


@needs_redis
def test_a_failing_job_is_retried_then_shown_with_its_error(queued_app, make_user):
    user_id = make_user(full_name="Ona")
    with queued_app.app_context():
        jobs.enqueue(f"{__name__}:fail_after_a_write", "Changed", description="sync courses")
    _work(queued_app)
    with queued_app.app_context():
        assert db.session.get(User, user_id).full_name == "Ona"  # every attempt rolled back
        failed = jobs.failed_jobs()
        assert [(job.description, job.error) for job in failed] == [
            ("sync courses", "RuntimeError: the git host is unreachable")
        ]
        from rq.job import Job

        job = Job.fetch(failed[0].id, connection=jobs._redis())
        assert job.retries_left == 0  # tried 1 + 2 times


@needs_redis
def test_the_worker_command_runs_the_queue(queued_app, make_user, database_url):
    user_id = make_user(full_name="Ona")
    with queued_app.app_context():
        jobs.enqueue(f"{__name__}:rename_first_user", "Ona Onaitė")
    env = {**os.environ, "DATABASE_URL": database_url, "REDIS_URL": REDIS_URL,
           "SECRET_KEY": "k" * 40, "FLASK_APP": "tests.test_jobs:worker_app",
           "ELEARN_TEST_QUEUE": queued_app.config["JOBS_QUEUE"]}
    done = subprocess.run([sys.executable, "-m", "flask", "jobs", "worker", "--burst"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    with queued_app.app_context():
        assert db.session.get(User, user_id).full_name == "Ona Onaitė"


def worker_app():
    """The app `flask jobs worker` loads in the test above: the test's queue and database."""
    from elearn import create_app

    return create_app({"SQLALCHEMY_DATABASE_URI": os.environ["DATABASE_URL"],
                       "JOBS_QUEUE": os.environ["ELEARN_TEST_QUEUE"]})


def test_the_worker_command_needs_redis(runner):
    result = runner.invoke(args=["jobs", "worker", "--burst"])
    assert result.exit_code != 0 and "REDIS_URL is not set" in result.output


def test_no_failed_jobs_without_redis(app_ctx):
    assert jobs.failed_jobs() == []
