"""Push hook, published media, and the authors' status page."""

from __future__ import annotations

import fcntl
import hashlib
import hmac
import subprocess
from contextlib import contextmanager
from pathlib import Path

from flask import abort, current_app, jsonify, render_template, request
from flask_login import current_user
from sqlalchemy import select

from elearn.access import Permission, can, public, requires
from elearn.extensions import csrf, db, limiter
from elearn.publishing import bp, deliveries
from elearn.publishing.models import Course, CourseVersion, MediaBlob, MediaFile
from elearn.publishing.services import course_statuses, sync_courses
from elearn.security import raw_body

MAX_HOOK_BODY = 5 * 1024 * 1024

# Lesson HTML is sanitized; media is served with its own strict policy on top.
SVG_POLICY = "default-src 'none'; style-src 'unsafe-inline'; sandbox"
MEDIA_POLICY = "default-src 'none'; sandbox"


def _signature_valid(secret: str, body: bytes) -> bool:
    github = request.headers.get("X-Hub-Signature-256", "")
    if github:
        expected = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
        return hmac.compare_digest(github.encode(), expected.encode())
    gitlab = request.headers.get("X-Gitlab-Token", "")
    if gitlab:
        return hmac.compare_digest(gitlab.encode(), secret.encode())
    return False


@contextmanager
def _sync_lock(root: Path):
    """One sync at a time on this machine, whichever worker got the hook."""
    lock_path = Path(current_app.instance_path) / "courses-sync.lock"
    with lock_path.open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@bp.route("/hooks/courses", methods=["POST"])
@public
@raw_body
@csrf.exempt
@limiter.limit("30 per minute")
def hook():
    secret = current_app.config.get("COURSES_HOOK_SECRET", "")
    if not secret:
        return jsonify(error="the push hook is not configured (COURSES_HOOK_SECRET)"), 403
    request.max_content_length = MAX_HOOK_BODY  # enforced while reading, chunked or not
    if not (request.headers.get("X-Hub-Signature-256") or request.headers.get("X-Gitlab-Token")):
        return jsonify(error="missing signature"), 401
    # The exact bytes received, whatever the content type says (a form body is never
    # parsed first, which would leave nothing to check the signature against).
    body = request.get_data(cache=True, parse_form_data=False)
    if not _signature_valid(secret, body):
        return jsonify(error="invalid signature"), 403
    if request.mimetype != "application/json":
        return jsonify(error="send the push as application/json"), 415
    if request.headers.get("X-GitHub-Event") == "ping":
        return jsonify(status="pong")
    delivery = (request.headers.get("X-GitHub-Delivery")
                or request.headers.get("X-Gitlab-Event-UUID") or "")
    if delivery and not deliveries.valid_delivery_id(delivery):
        return jsonify(error="invalid delivery id"), 400
    if delivery and not deliveries.claim(delivery):
        return jsonify(status="already processed", delivery=delivery)
    try:
        response = _sync(Path(current_app.config["COURSES_DIR"]))
    except Exception:
        if delivery:
            deliveries.release(delivery)
        raise
    if delivery and response[1] != 200:
        deliveries.release(delivery)  # failed: the git host's redelivery is processed
    return response


def _sync(root: Path):
    try:
        with _sync_lock(root):
            report = sync_courses(root, pull=True)
    except subprocess.CalledProcessError as error:
        current_app.logger.error("git pull failed: %s", error.stderr)
        return jsonify(error="git pull failed", detail=(error.stderr or "").strip()), 502
    except subprocess.TimeoutExpired:
        current_app.logger.error("git pull timed out")
        return jsonify(error="git pull timed out"), 504
    except FileNotFoundError as error:
        return jsonify(error=str(error)), 500
    return jsonify(status="ok" if report.ok else "some courses refused",
                   **report.as_dict()), 200


@bp.route("/learn/<course_id>/media/<path:path>")
def media(course_id: str, path: str):
    """A file of the course's live version; nothing from disk, so no path can escape."""
    row = db.session.execute(
        select(MediaFile.content_type, MediaBlob.data, MediaBlob.sha256, CourseVersion.published,
               Course.retired_at)
        .join(CourseVersion, MediaFile.version_id == CourseVersion.id)
        .join(Course, Course.live_version_id == CourseVersion.id)
        .join(MediaBlob, MediaBlob.sha256 == MediaFile.sha256)
        .where(Course.id == course_id, MediaFile.path == "media/" + path)
    ).first()
    if row is None:
        abort(404)
    content_type, data, digest, published, retired_at = row
    if (not published or retired_at is not None) and not can(
        current_user, Permission.PREVIEW_COURSES
    ):
        abort(404)
    if request.if_none_match.contains(digest):
        return "", 304
    response = current_app.response_class(data, mimetype=content_type)
    response.set_etag(digest)
    response.headers["Cache-Control"] = "private, max-age=3600"
    response.headers["Content-Security-Policy"] = (
        SVG_POLICY if content_type == "image/svg+xml" else MEDIA_POLICY
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Disposition"] = "inline"
    return response


@bp.route("/publishing")
@requires(Permission.VIEW_PUBLISHING)
def status():
    return render_template("publishing/status.html", statuses=course_statuses())
