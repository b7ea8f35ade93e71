"""Push hook, published media, and the authors' status page."""

from __future__ import annotations

from pathlib import Path

from flask import abort, current_app, jsonify, render_template, request
from flask_login import current_user

from elearn.access import Permission, can, public, requires
from elearn.extensions import csrf, limiter
from elearn.publishing import bp
from elearn.publishing import hook as push_hook
from elearn.publishing.services import course_statuses, media_file

MAX_HOOK_BODY = 5 * 1024 * 1024

# Lesson HTML is sanitized; media is served with its own strict policy on top.
SVG_POLICY = "default-src 'none'; style-src 'unsafe-inline'; sandbox"
MEDIA_POLICY = "default-src 'none'; sandbox"


@bp.route("/hooks/courses", methods=["POST"])
@public
@csrf.exempt
@limiter.limit("30 per minute")
def hook():
    secret = current_app.config.get("COURSES_HOOK_SECRET", "")
    if not secret:
        return jsonify(error="the push hook is not configured (COURSES_HOOK_SECRET)"), 403
    request.max_content_length = MAX_HOOK_BODY  # enforced while reading, chunked or not
    refused = push_hook.signature_problem(secret, request.get_data(cache=True), request.headers)
    if refused is not None:
        return jsonify(refused.body), refused.status
    if request.headers.get("X-GitHub-Event") == "ping":
        return jsonify(status="pong")
    answer = push_hook.pull_and_sync(Path(current_app.config["COURSES_DIR"]),
                                     Path(current_app.instance_path))
    return jsonify(answer.body), answer.status


@bp.route("/learn/<course_id>/media/<path:path>")
def media(course_id: str, path: str):
    """A file of the course's live version; nothing from disk, so no path can escape."""
    found = media_file(course_id, path,
                       preview=can(current_user, Permission.PREVIEW_COURSES))
    if found is None:
        abort(404)
    content_type, data, digest = found
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
