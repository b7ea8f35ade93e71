"""The push hook's work: check the git host's signature, then pull and publish, one sync
at a time on this machine."""

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
