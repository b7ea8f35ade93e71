"""The push hook's work: check the git host's signature, then pull and publish, one sync
at a time on this machine (inline without Redis), or one at a time per repository on the
job workers (with REDIS_URL)."""

from __future__ import annotations

import fcntl
import hashlib
import hmac
import logging
import subprocess
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from elearn.publishing.services import sync_courses

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class HookAnswer:
    """What the hook tells the git host: an HTTP status and a JSON body."""

    status: int
    body: dict = field(default_factory=dict)


def signature_problem(secret: str, body: bytes, headers: Mapping[str, str]) -> HookAnswer | None:
    """None when GitHub's X-Hub-Signature-256 or GitLab's X-Gitlab-Token proves the
    request comes from the git host that knows the secret."""
    github = headers.get("X-Hub-Signature-256", "")
    gitlab = headers.get("X-Gitlab-Token", "")
    if not (github or gitlab):
        return HookAnswer(401, {"error": "missing signature"})
    if github:
        expected = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
        valid = hmac.compare_digest(github.encode(), expected.encode())
    else:
        valid = hmac.compare_digest(gitlab.encode(), secret.encode())
    return None if valid else HookAnswer(403, {"error": "invalid signature"})


@contextmanager
def _sync_lock(instance_path: Path) -> Iterator[None]:
    """One sync at a time on this machine, whichever worker got the hook."""
    with (instance_path / "courses-sync.lock").open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def pull_and_sync(root: Path, instance_path: Path) -> HookAnswer:
    """git pull the course repository and publish what changed (publish_course commits
    each course)."""
    try:
        with _sync_lock(instance_path):
            report = sync_courses(root, pull=True)
    except subprocess.CalledProcessError as error:
        log.error("git pull failed: %s", error.stderr)
        return HookAnswer(502, {"error": "git pull failed",
                                "detail": (error.stderr or "").strip()})
    except subprocess.TimeoutExpired:
        log.error("git pull timed out")
        return HookAnswer(504, {"error": "git pull timed out"})
    except FileNotFoundError as error:
        return HookAnswer(500, {"error": str(error)})
    return HookAnswer(200, {"status": "ok" if report.ok else "some courses refused",
                            **report.as_dict()})


SYNC_JOB = "elearn.publishing.hook:sync_job"


def queue_sync(root: Path, instance_path: Path) -> str | None:
    """Queue a pull and sync of the repository at root: one at a time per repository, and
    a push while one waits queues nothing more (that one will pull its commits too)."""
    from elearn import jobs

    return jobs.enqueue(SYNC_JOB, str(root), str(instance_path), key=f"courses-sync:{root}",
                        description=f"git pull and sync {root}")


def sync_job(root: str, instance_path: str) -> dict:
    """What the worker runs for a push; raises when the pull fails, so the job is retried
    and, after its last try, shown with its error on the publishing page."""
    try:
        with _sync_lock(Path(instance_path)):
            report = sync_courses(Path(root), pull=True)
    except subprocess.CalledProcessError as error:
        detail = (error.stderr or "").strip().splitlines()
        raise RuntimeError(f"git pull failed: {detail[0] if detail else error}") from error
    if report.refused:
        log.warning("courses refused by the sync: %s", report.refused)
    return report.as_dict()
