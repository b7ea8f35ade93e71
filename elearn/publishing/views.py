"""Push hook, published media, and the authors' status page."""

from __future__ import annotations

from pathlib import Path

from flask import abort, current_app, jsonify, render_template, request
from flask_login import current_user

from elearn import jobs
from elearn.access import Permission, can, public, requires
from elearn.extensions import csrf, limiter
from elearn.publishing import bp, deliveries
from elearn.publishing import hook as push_hook
from elearn.publishing.services import course_statuses, media_bytes, media_head
from elearn.security import raw_body

MAX_HOOK_BODY = 5 * 1024 * 1024

# Lesson HTML is sanitized; media is served with its own strict policy on top.
SVG_POLICY = "default-src 'none'; style-src 'unsafe-inline'; sandbox"
MEDIA_POLICY = "default-src 'none'; sandbox"
IMMUTABLE = "public, max-age=31536000, immutable"


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
    # The exact bytes received, whatever the content type says (a form body is never
    # parsed first, which would leave nothing to check the signature against).
    body = request.get_data(cache=True, parse_form_data=False)
    refused = push_hook.signature_problem(secret, body, request.headers)
    if refused is not None:
        return jsonify(refused.body), refused.status
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
        return _sync(delivery)
    except Exception:
        if delivery:
            deliveries.release(delivery)
        raise


def _sync(delivery: str):
    root, instance = Path(current_app.config["COURSES_DIR"]), Path(current_app.instance_path)
    if jobs.enabled():  # a worker pulls and syncs; the git host gets its answer at once
        job_id = push_hook.queue_sync(root, instance)
        return jsonify(status="queued" if job_id else "already queued", job=job_id), 202
    answer = push_hook.pull_and_sync(root, instance)
    if delivery and answer.status != 200:
        deliveries.release(delivery)  # failed: the git host's redelivery is processed
    return jsonify(answer.body), answer.status


@bp.route("/learn/<course_id>/media/<path:path>")
def media(course_id: str, path: str):
    """A file of the course's live version; nothing from disk, so no path can escape.

    Lessons link to media/<file>?v=<hash>: under that URL the file never changes, so
    browsers keep it for a year; a conditional request is answered from the hash alone."""
    head = media_head(course_id, path, preview=can(current_user, Permission.PREVIEW_COURSES))
    if head is None:
        abort(404)
    if request.if_none_match.contains(head.sha256):
        response = current_app.response_class(status=304)
    else:
        response = current_app.response_class(media_bytes(head.sha256),
                                              mimetype=head.content_type)
    response.set_etag(head.sha256)
    if head.published and request.args.get("v") == head.version:
        response.headers["Cache-Control"] = IMMUTABLE
    else:  # an old link, or a preview only authors see
        response.headers["Cache-Control"] = "private, max-age=3600"
    response.headers["Content-Security-Policy"] = (
        SVG_POLICY if head.content_type == "image/svg+xml" else MEDIA_POLICY
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Disposition"] = "inline"
    return response


@bp.route("/publishing")
@requires(Permission.VIEW_PUBLISHING)
def status():
    return render_template("publishing/status.html", statuses=course_statuses(),
                           failed_syncs=jobs.failed_jobs(push_hook.SYNC_JOB))
