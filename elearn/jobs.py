"""Work that leaves the request: RQ jobs when REDIS_URL is set, inline when it is not.

A laptop runs everything in the request or command that asks for it. A deployment with
Redis runs ``flask jobs worker`` beside gunicorn: the hook, the reminders and the
national figures put jobs on the queue and answer at once.

Jobs are named by their import path (``"elearn.publishing.services:sync_repository"``)
so that this module imports no feature. Each runs in the worker's app context, in a
transaction of its own (committed when it returns, rolled back when it raises), and is
retried with growing delays. A job given a ``key`` runs one at a time per key, and
while one waits, asking again adds nothing: a second push during a sync queues exactly
one more sync, a tenth push queues none.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from elearn.extensions import db

log = logging.getLogger(__name__)

RETRY_DELAYS = (10, 60, 300)  # seconds before the 1st, 2nd and 3rd retry
JOB_TIMEOUT = 600  # a git pull and a sync of every course fit well within this
# How long a finished or failed job's result is kept for the admin pages.
RESULT_TTL = 24 * 3600
FAILURE_TTL = 7 * 24 * 3600

jobs_cli = AppGroup("jobs", help="Background jobs (with REDIS_URL set).")


def init_app(app: Flask) -> None:
    app.config.setdefault("JOBS_QUEUE", "elearn")
    app.config.setdefault("JOBS_RETRY_DELAYS", RETRY_DELAYS)
    app.cli.add_command(jobs_cli)


def enabled() -> bool:
    return bool(current_app.config.get("REDIS_URL"))


def _redis():
    from redis import Redis

    app = current_app._get_current_object()
    connection = app.extensions.get("elearn_jobs_redis")
    if connection is None:
        connection = Redis.from_url(app.config["REDIS_URL"])
        app.extensions["elearn_jobs_redis"] = connection
    return connection


def _queue():
    from rq import Queue

    return Queue(current_app.config["JOBS_QUEUE"], connection=_redis())


def _pending_key(key: str) -> str:
    return f"elearn:jobs:{current_app.config['JOBS_QUEUE']}:pending:{key}"


def _lock_name(key: str) -> str:
    return f"elearn:jobs:{current_app.config['JOBS_QUEUE']}:running:{key}"


def _target(path: str) -> Callable:
    module, _, name = path.partition(":")
    return getattr(importlib.import_module(module), name)


def enqueue(path: str, *args, key: str | None = None, description: str = "") -> str | None:
    """Run the function at ``path`` with ``args`` on a worker, or now without Redis.

    Returns the job's id when it was queued, None when it ran inline or when a job
    with the same key is already waiting (that one will do the same work).
    """
    if not enabled():
        _run(path, args)
        return None
    from rq import Retry

    delays = current_app.config["JOBS_RETRY_DELAYS"]
    if key is not None and not _redis().set(_pending_key(key), "1", nx=True, ex=JOB_TIMEOUT * 4):
        return None
    job = _queue().enqueue(
        run, path, args, key,
        retry=Retry(max=len(delays), interval=list(delays)),
        job_timeout=JOB_TIMEOUT, result_ttl=RESULT_TTL, failure_ttl=FAILURE_TTL,
        description=description or path,
        meta={"key": key},
    )
    return job.id


def run(path: str, args: tuple, key: str | None = None) -> object:
    """What the worker executes: the job in its own transaction, one at a time per key."""
    try:
        if key is None:
            return _run(path, args)
        redis = _redis()
        # Anyone asking from now on queues a new run: this one may have read the state
        # before their change.
        redis.delete(_pending_key(key))
        with redis.lock(_lock_name(key), timeout=JOB_TIMEOUT, blocking_timeout=JOB_TIMEOUT):
            return _run(path, args)
    finally:
        db.session.remove()  # the next job starts from the database, not this one's objects


def _run(path: str, args: tuple) -> object:
    try:
        result = _target(path)(*args)
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    return result


@dataclass(frozen=True)
class FailedJob:
    id: str
    description: str
    error: str  # the exception's last line: what an admin can act on
    ended_at: datetime | None


def failed_jobs(prefix: str = "", limit: int = 20) -> list[FailedJob]:
    """Jobs that failed after their last retry, newest first; [] without Redis."""
    if not enabled():
        return []
    from rq.job import Job
    from rq.registry import FailedJobRegistry

    queue = _queue()
    ids = FailedJobRegistry(queue=queue).get_job_ids()
    failed = []
    for job in Job.fetch_many(ids, connection=queue.connection):
        if job is None or not (job.args and str(job.args[0]).startswith(prefix)):
            continue
        result = job.latest_result()
        info = ((result.exc_string if result else "") or "").strip().splitlines()
        failed.append(FailedJob(job.id, job.description or "", info[-1] if info else "",
                                job.ended_at))
    failed.sort(key=lambda job: job.ended_at or datetime.min, reverse=True)
    return failed[:limit]


@jobs_cli.command("worker")
@click.option("--burst", is_flag=True, help="Stop when the queue is empty (for tests and cron).")
def worker_command(burst: bool) -> None:
    """Run queued jobs (needs REDIS_URL). Start one or more beside gunicorn."""
    if not enabled():
        raise click.ClickException("REDIS_URL is not set: without it, jobs run inline")
    from rq import SimpleWorker

    # SimpleWorker runs each job in this process, inside this command's app context,
    # with the app's own database pool (a forked child would share its connections).
    queue = _queue()
    SimpleWorker([queue], connection=queue.connection).work(
        burst=burst, with_scheduler=True, logging_level="INFO"
    )


@jobs_cli.command("failed")
def failed_command() -> None:
    """List jobs that failed after their retries."""
    for job in failed_jobs(limit=100):
        click.echo(f"{job.ended_at:%Y-%m-%d %H:%M} {job.description}: {job.error}")
